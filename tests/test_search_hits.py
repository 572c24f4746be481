"""The search page's hits, written in Python (search_tags), give exactly what the former loop of
search/results.html gave."""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import timezone

from search.text import highlight, parse_query, snippet
from search.views import Hit

# The loop of templates/search/results.html as it was, the contract of {% search_hits %}.
FORMER = """{% load portal_tags %}{% for hit in hits %}
    <li class="search-hit">
      <p class="search-hit__meta"><span class="search-hit__type">{{ hit.label }}</span> {% if hit.unit %}<span class="search-hit__unit">{{ hit.unit }}</span> {% endif %}<time datetime="{{ hit.date|iso_time }}">{{ hit.date|short_date }}</time></p>
      <h2 class="search-hit__title"><a href="{{ hit.url }}">{{ hit.title }}</a></h2>
      {% if hit.snippet %}<p class="search-hit__snippet">{{ hit.snippet }}</p>{% endif %}
    </li>
    {% endfor %}"""


def entry(n, **fields):
    values = {
        "url": f"/tin-tuc/bai-{n}/?a=1&b=<{n}>",
        "unit_id": 1,
        "date": datetime(2026, 11, 30, 17 + n % 7, 5, tzinfo=UTC),
        "kind": "news.article" if n % 2 else "documents.document",
        "title": f'Hội nghị "tổng kết" <số {n}> & Kim Sơn',
        "lead": "Tóm tắt & <b>đậm</b>" if n % 3 else "",
        "body": "Nội dung hội nghị tổng kết năm " * (n % 4),
    }
    values.update(fields)
    return SimpleNamespace(**values)


@pytest.mark.parametrize("zone", ["Asia/Ho_Chi_Minh", "UTC"])
def test_hits_are_what_the_loop_gave(zone):
    query = parse_query("hoi nghi")
    labels = {"news.article": "Tin tức", "documents.document": 'Văn bản "<điện tử>"'}
    hits = [Hit(entry(n), query, labels) for n in range(8)]
    hits[1].unit = 'Xã "Kim Đông" <mới>'  # a province shows each hit's unit
    hits[2].unit = None
    hits[3].snippet = ""
    hits[4].date = None
    # As the cache gives them back: plain objects with the same attributes, no unit attribute.
    hits.append(SimpleNamespace(**{**vars(Hit(entry(9), query, labels)), "label": "Thủ tục & hồ sơ"}))
    hits.append(
        SimpleNamespace(
            url="/x/",
            date=datetime(2026, 1, 1, 0, 0),
            label="",
            title=highlight("Kim Sơn", query),
            snippet=snippet("", query),
        )
    )
    with timezone.override(zone):
        context = Context({"hits": hits})
        expected = Template(FORMER).render(context)
        given = Template("{% load search_tags %}{% search_hits hits %}").render(context)
    assert given == expected
    assert "<mark>" in expected and "&lt;số 1&gt;" in expected and "search-hit__unit" in expected
    assert Template("{% load search_tags %}{% search_hits hits %}").render(Context({"hits": []})) == ""
