"""The breadcrumbs and pagination every list page shows, written in Python (portal_tags), give
exactly what their former include templates gave."""

import pytest
from django.core.paginator import Paginator
from django.template import Context, Template
from django.urls import set_script_prefix
from django.utils.safestring import mark_safe

from news.models import Article
from tests.factories import image_upload, make_article

# templates/includes/pagination.html as it was, the contract of {% pagination %}.
PAGINATION = """{% if page_obj.has_other_pages %}<nav class="pagination" aria-label="Phân trang">
  {% if page_obj.has_previous %}<a href="?{% if query_string %}{{ query_string }}&amp;{% endif %}page={{ page_obj.previous_page_number }}" rel="prev">‹ Trang trước</a>{% endif %}
  <span>Trang {{ page_obj.number }} / {{ page_obj.paginator.num_pages }}</span>
  {% if page_obj.has_next %}<a href="?{% if query_string %}{{ query_string }}&amp;{% endif %}page={{ page_obj.next_page_number }}" rel="next">Trang sau ›</a>{% endif %}
</nav>{% endif %}
"""

# templates/includes/breadcrumbs.html as it was, the contract of {% breadcrumbs %}.
BREADCRUMBS = """{% load portal_tags %}<nav class="breadcrumbs" aria-label="Đường dẫn">
  <ol>
    <li><a href="{% address 'news:home' %}">Trang chủ</a></li>
    {% for label, url in crumbs %}<li>{% if url %}<a href="{{ url }}">{{ label }}</a>{% else %}<span aria-current="page">{{ label }}</span>{% endif %}</li>{% endfor %}
  </ol>
</nav>
"""


def both(former, tag, context):
    expected = Template(former).render(Context(context))
    assert Template("{% load portal_tags %}{% " + tag + " %}").render(Context(context)) == expected
    return expected


@pytest.mark.parametrize("count, number", [(5, 1), (30, 1), (30, 2), (30, 3), (12 * 2000, 1500), (0, 1)])
@pytest.mark.parametrize("query_string", [None, "", "q=c%C3%A1+%22%3Cb%3E%22&kind=document", 'a="<x>"&b=1'])
def test_pagination_is_what_the_template_gave(count, number, query_string):
    page = Paginator(range(count), 12).page(number)
    html = both(PAGINATION, "pagination", {"page_obj": page, "query_string": query_string})
    if count > 12:
        assert f"Trang {number} / {page.paginator.num_pages}" in html


def test_pagination_without_a_page_is_what_the_template_gave():
    both(PAGINATION, "pagination", {})
    both(PAGINATION, "pagination", {"page_obj": None})


@pytest.mark.parametrize(
    "crumbs",
    [
        None,
        [],
        [("Tin tức - Sự kiện", None)],
        [('Tin tức <b> & "Sự kiện"', "/chuyen-muc/tin-tuc/?a=1&b=<2>"), ("Hoạt động", None)],
        [(mark_safe("<em>Đã an toàn</em>"), "/a/"), ("Kết quả tìm kiếm", "")],
    ],
)
@pytest.mark.parametrize("prefix", ["/", "/cong/"])
def test_breadcrumbs_are_what_the_template_gave(crumbs, prefix):
    set_script_prefix(prefix)
    try:
        html = both(BREADCRUMBS, "breadcrumbs", {"crumbs": crumbs})
    finally:
        set_script_prefix("/")
    assert f'<a href="{prefix}">Trang chủ</a>' in html


# templates/news/article_meta.html as it was, the contract of {% article_meta %}.
ARTICLE_META = """{% load portal_tags share_tags %}{% canonical_url as page_url %}{% share_image article.cover_image article.cover_width article.cover_height as cover %}
  <meta property="og:type" content="article">
  <meta property="og:site_name" content="{{ site }}">
  <meta property="og:locale" content="vi_VN">
  <meta property="og:title" content="{{ article.title }}">
  <meta property="og:description" content="{{ article.sapo|first_words:50 }}">
  <meta property="og:url" content="{{ page_url }}">
  <meta property="article:published_time" content="{{ article.publish_at|iso_time }}">
  <meta property="article:section" content="{{ article.category.name }}">
  {% if cover %}<meta property="og:image" content="{{ cover.0 }}">
  <meta property="og:image:width" content="{{ cover.1 }}">
  <meta property="og:image:height" content="{{ cover.2 }}">
  <meta property="og:image:alt" content="{{ article.cover_alt }}">
  {% endif %}<meta name="twitter:card" content="{% if cover %}summary_large_image{% else %}summary{% endif %}">
  <meta name="twitter:title" content="{{ article.title }}">
  <meta name="twitter:description" content="{{ article.sapo|first_words:50 }}">
  {% if cover %}<meta name="twitter:image" content="{{ cover.0 }}">
  <meta name="twitter:image:alt" content="{{ article.cover_alt }}">{% endif %}
"""


@pytest.mark.django_db
@pytest.mark.parametrize("with_cover", [False, True])
@pytest.mark.parametrize("path", ["/tin-tuc/le-khanh-thanh/", "/tin-tuc/le-khanh-thanh/?page=3&utm_source=x"])
def test_article_meta_is_what_the_template_gave(with_cover, path, rf):
    fields = (
        {"cover_image": image_upload("cau kim-son.jpg"), "cover_caption": 'Cầu "Kim Sơn" <mới>'} if with_cover else {}
    )
    article = make_article(
        title='Lễ khánh thành "cầu" <Kim Sơn> & Phát Diệm',
        sapo=" ".join(f"từ{n}" for n in range(60)) + ' & <b>"đậm"</b>',
        **fields,
    )
    article = Article.objects.select_related("category").get(pk=article.pk)
    context = {"article": article, "site": 'UBND <xã> & "Kim Sơn"', "request": rf.get(path)}
    expected = Template(ARTICLE_META).render(Context(context))
    assert Template("{% load news_tags %}{% article_meta article %}").render(Context(context)) == expected
    assert ("og:image:alt" in expected) is with_cover and "&lt;Kim Sơn&gt;" in expected


# templates/includes/share.html as it was, the contract of {% share_tools %}.
SHARE = """<div class="share" aria-label="Chia sẻ và in bài" role="group">
  <button class="btn btn--secondary share__print js-only" type="button" data-print>In bài</button>
  <button class="btn btn--secondary share__save js-only" type="button" data-print title="Chọn 'Lưu dưới dạng PDF' trong hộp thoại in" aria-description="Chọn 'Lưu dưới dạng PDF' trong hộp thoại in">Lưu bài</button>
  <a class="btn share__facebook" href="{{ facebook_url }}" target="_blank" rel="noopener noreferrer">Facebook<span class="visually-hidden"> (chia sẻ, mở cửa sổ mới)</span></a>
  <a class="btn share__zalo" href="{{ zalo_url }}" target="_blank" rel="noopener noreferrer">Zalo<span class="visually-hidden"> (chia sẻ, mở cửa sổ mới)</span></a>
  <button class="btn btn--secondary share__copy js-only" type="button" data-copy-url="{{ url }}" aria-describedby="share-status">Sao chép liên kết</button>
  <span class="share__status" id="share-status" role="status" aria-live="polite"></span>
  <p class="share__address no-js-only">
    <label for="share-address">Liên kết bài viết (chọn để sao chép; nhấn Ctrl+P để in bài):</label>
    <input id="share-address" type="text" value="{{ url }}" readonly>
  </p>
</div>
<p class="print-url">Địa chỉ bài viết: {{ url }}</p>
<script src="{% static 'js/share.js' %}" defer></script>
"""


@pytest.mark.parametrize(
    "path",
    ["/tin-tuc/le-khanh-thanh/", "/tin-tuc/l%C3%AA-kh%C3%A1nh/?page=3&utm_source=x", '/tin-tuc/a&b"<c>/?page=2'],
)
def test_share_tools_are_what_the_template_gave(path, rf):
    from portal.templatetags.share_tags import canonical_url, facebook_share_url, zalo_share_url

    request = rf.get(path)
    url = canonical_url({"request": request})
    context = {"url": url, "facebook_url": facebook_share_url(url), "zalo_url": zalo_share_url(url)}
    expected = Template("{% load static %}" + SHARE).render(Context(context))
    given = Template("{% load share_tags %}{% share_tools %}").render(Context({"request": request}))
    assert given == expected
    assert "&amp;" in expected and 'href="https://www.facebook.com/sharer/sharer.php?u=' in expected
    # Given an address, the buttons share that one, as the include did.
    other = "https://kimson.gov.vn/x?a=1&b=<2>"
    given = Template("{% load share_tags %}{% share_tools other %}").render(Context({"other": other}))
    context = {"url": other, "facebook_url": facebook_share_url(other), "zalo_url": zalo_share_url(other)}
    assert given == Template("{% load static %}" + SHARE).render(Context(context))
    assert 'value="https://kimson.gov.vn/x?a=1&amp;b=&lt;2&gt;"' in given
