"""Live numbers in pages that may come from the page cache.

Templates print small markers (`<!--live:views:12-->`) instead of figures; the
middleware below counts the request and replaces every marker with the figure of
this moment: one Redis call (in `counters.record`) and one SQL query per page,
whatever the page shows. So a cached page never freezes a number, and the numbers
are right without JavaScript.
"""

import re

from django.db import connection
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from news.models import Article
from portal.limits import too_many_requests
from ratings.models import Rating, RatingSummary, summary_text

from . import counters
from .models import DailyVisits, Presence, VisitCounter

PREFIX = "<!--live:"
MARKER = re.compile(r"<!--live:([a-z-]+)(?::(\d+))?-->")


def marker(name, article_id=None):
    return mark_safe(f"{PREFIX}{name}:{article_id}-->" if article_id else f"{PREFIX}{name}-->")


def _q(model):
    return connection.ops.quote_name(model._meta.db_table)


def read_numbers(visitor_id, article_id, online, now):
    """Every figure a page can show, in one query."""
    parts = [
        f"(SELECT COALESCE(SUM(visits), 0) FROM {_q(DailyVisits)})",
        f"(SELECT COALESCE(MAX(starting_total), 0) FROM {_q(VisitCounter)})",
        f"(SELECT COALESCE(MAX(visits), 0) FROM {_q(DailyVisits)} WHERE day = %s)",
    ]
    params = [counters.local_day(now)]
    if online is None:
        parts.append(f"(SELECT COUNT(*) FROM {_q(Presence)} WHERE ident LIKE %s AND last_seen > %s)")
        params += ["v:%", now - counters.ONLINE_WINDOW]
    if article_id:
        parts += [
            f"(SELECT view_count FROM {_q(Article)} WHERE id = %s)",
            f"(SELECT score_sum FROM {_q(RatingSummary)} WHERE article_id = %s)",
            f"(SELECT votes FROM {_q(RatingSummary)} WHERE article_id = %s)",
            f"(SELECT score FROM {_q(Rating)} WHERE article_id = %s AND visitor_id = %s)",
        ]
        params += [article_id, article_id, article_id, article_id, visitor_id or ""]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = list(cursor.fetchone())
    numbers = {"visits-total": row.pop(0) + row.pop(0), "visits-today": row.pop(0)}
    numbers["visits-online"] = online if online is not None else row.pop(0)
    if article_id:
        numbers.update(views=row[0] or 0, score_sum=row[1] or 0, votes=row[2] or 0, own=row[3] or 0)
    return numbers


def _rating_block(request, article_id, numbers):
    return render_to_string(
        "ratings/rating_block.html",
        {
            "article_id": article_id,
            "action": reverse("ratings:rate", args=[article_id]),
            "csrf_token": get_token(request),
            "stars": range(1, 6),
            "own": numbers["own"],
            "summary": summary_text(numbers["score_sum"], numbers["votes"]),
        },
    )


def vn_number(value):
    return f"{int(value):,}".replace(",", ".")


def fill(request, response, count=True):
    """Count the request (when it shows a page) and put this moment's figures in its markers."""
    if getattr(response, "streaming", False) or "text/html" not in response.get("Content-Type", ""):
        return response
    html = response.content.decode(response.charset)
    if PREFIX not in html:
        return response
    found = MARKER.findall(html)
    article_id = next((int(ident) for name, ident in found if ident and name in ("views", "rating")), None)
    counts_view = any(name == "views" for name, _ in found)
    count = count and request.method == "GET" and response.status_code == 200
    recorded = counters.record(request, article_id if counts_view else None, count=count)
    if recorded.limited:
        return fill(request, too_many_requests(request), count=False)
    numbers = read_numbers(getattr(request, "visitor_id", None), article_id, recorded.online, timezone.now())

    def replace(match):
        name, ident = match.groups()
        if name == "rating":
            return _rating_block(request, int(ident), numbers) if int(ident) == article_id else ""
        if name in ("views", "views-preview"):
            return vn_number(numbers["views"]) if int(ident) == article_id else ""
        if name == "csrf":
            return get_token(request)
        return str(numbers.get(name, ""))

    response.content = MARKER.sub(replace, html)
    return response


class LiveNumbersMiddleware:
    """Fills live markers in every HTML response; place it after VisitorMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return fill(request, self.get_response(request))
