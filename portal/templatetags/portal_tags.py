from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from portal import dates
from portal.images import renditions

register = template.Library()


@register.filter
def long_date(value):
    """{{ article.publish_at|long_date }} -> "Thứ bảy, 26/10/2024"."""
    return dates.long_date(value)


@register.filter
def short_date(value):
    return dates.short_date(value)


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
