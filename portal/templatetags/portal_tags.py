from django import template
from django.template.defaultfilters import stringfilter
from django.utils import timezone
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from portal import dates, fragments
from portal.images import renditions
from portal.links import plain_url, slug_url

register = template.Library()


@register.simple_tag
def address(name, slug=None):
    """`{% url name %}`, or `{% url name slug %}` for a view taking a slug, reversed once per
    URL configuration and script prefix (portal.links)."""
    return plain_url(name) if slug is None else slug_url(name, slug)


@register.simple_tag(takes_context=True)
def breadcrumbs(context):
    """{% breadcrumbs %}: "Trang chủ", then the page's `crumbs` ((label, url or None) pairs), the
    last without a link. Written in Python: every page shows it, and as an include it cost as much
    as a page of cards."""
    items = [f'<li><a href="{conditional_escape(plain_url("news:home"))}">Trang chủ</a></li>\n    ']
    for label, url in context.get("crumbs") or ():
        label = conditional_escape(label)
        if url:
            items.append(f'<li><a href="{conditional_escape(url)}">{label}</a></li>')
        else:
            items.append(f'<li><span aria-current="page">{label}</span></li>')
    return mark_safe(  # noqa: S308 - every value is escaped above
        f'<nav class="breadcrumbs" aria-label="Đường dẫn">\n  <ol>\n    {"".join(items)}\n  </ol>\n</nav>\n'
    )


@register.simple_tag(takes_context=True)
def pagination(context):
    """{% pagination %}: links to the previous and next pages of `page_obj`, and "Trang n / m";
    `query_string` (already encoded) is kept in the links. Nothing when there is one page."""
    page = context.get("page_obj")
    if not page or not page.has_other_pages():
        return mark_safe("\n")
    query = context.get("query_string")
    start = f"?{conditional_escape(query)}&amp;page=" if query else "?page="
    number, pages = page.number, page.paginator.num_pages
    previous = f'<a href="{start}{number - 1}" rel="prev">‹ Trang trước</a>' if number > 1 else ""
    following = f'<a href="{start}{number + 1}" rel="next">Trang sau ›</a>' if number < pages else ""
    return mark_safe(  # noqa: S308 - the query string is escaped, the rest are numbers
        f'<nav class="pagination" aria-label="Phân trang">\n  {previous}\n  <span>Trang {number} / {pages}</span>\n'
        f"  {following}\n</nav>\n"
    )


@register.filter
def long_date(value):
    """{{ article.publish_at|long_date }} -> "Thứ bảy, 26/10/2024"."""
    return dates.long_date(value)


@register.filter
def short_date(value):
    return dates.short_date(value)


@register.filter
def iso_time(value):
    """`value|date:'c'` (ISO 8601 in the portal's time zone) without the date filter's format machinery."""
    return dates.iso_and_short_date(value)[0] if value else ""


def first_words(text, count):
    """`text|truncatewords:count` (Django's Truncator.words, without its lazy setup and translation
    lookup): the first `count` words, then " …" unless they already end with it."""
    words = text.split()
    if len(words) <= count:
        return " ".join(words)
    shown = " ".join(words[:count])
    return shown if shown.endswith(" …") else f"{shown} …"


@register.filter("first_words", is_safe=True)
@stringfilter
def first_words_filter(value, count):
    """{{ article.sapo|first_words:40 }}: what `truncatewords:40` prints."""
    return first_words(value, int(count))


@register.simple_tag
def today_long():
    """Today in Asia/Ho_Chi_Minh: "Thứ năm, 21/11/2024"."""
    return dates.long_date(timezone.now())


@register.filter
def vn_number(value):
    """1234567 -> "1.234.567", the Vietnamese thousands separator."""
    try:
        return f"{int(value):,}".replace(",", ".")
    except (TypeError, ValueError):
        return value


@register.simple_tag
def picture(image, width, height, alt, sizes="(max-width: 800px) 100vw, 760px", css_class=""):
    """An <img> of an ImageField's renditions: srcset, width/height, alt, lazy.

    The original upload is never the `src`, so phones get a small file.
    """
    if not image or not width or not height:
        return ""
    variants = renditions(image.name, width, height)
    src_url, src_w, src_h = variants[min(1, len(variants) - 1)]
    srcset = format_html_join(", ", "{} {}w", ((url, w) for url, w, _ in variants))
    return format_html(
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" loading="lazy" decoding="async"{}>',
        src_url,
        srcset,
        sizes,
        src_w,
        src_h,
        alt,
        format_html(' class="{}"', css_class) if css_class else "",
    )


@register.tag
def shared(parser, token):
    """{% shared "name" %}...{% endshared %}: a part of the page frame that every page shows alike,
    rendered once per process and content version (portal.fragments)."""
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError('{% shared "name" %} takes one quoted name.')
    nodelist = parser.parse(("endshared",))
    parser.delete_first_token()
    return SharedNode(bits[1][1:-1], nodelist)


class SharedNode(template.Node):
    def __init__(self, name, nodelist):
        self.name = name
        self.nodelist = nodelist

    def render(self, context):
        return fragments.shared(context.get("request"), self.name, lambda: self.nodelist.render(context))
