"""The breadcrumbs and pagination every list page shows, written in Python (portal_tags), give
exactly what their former include templates gave."""

import pytest
from django.core.paginator import Paginator
from django.template import Context, Template
from django.urls import set_script_prefix
from django.utils.safestring import mark_safe

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
