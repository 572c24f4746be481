"""Live numbers in pages that may come from the page cache.

Templates print small markers (`<!--live:views:12-->`) instead of figures; the
middleware below counts the request and replaces every marker with the figure of
this moment (see `counters`: one Redis call, or one upsert and one query without Redis),
whatever the page shows. So a cached page never freezes a number, and the numbers
are right without JavaScript.
"""

import re
from functools import lru_cache

from django.urls import get_script_prefix, reverse
from django.utils.safestring import mark_safe

from portal.csrf import form_token
from portal.limits import too_many_requests
from ratings.models import summary_text

from . import counters

PREFIX = "<!--live:"
MARKER = re.compile(r"<!--live:([a-z-]+)(?::(\d+))?-->")
VIEWS_MARKER = re.compile(r"<!--live:views:(\d+)-->")


def marker(name, article_id=None):
    return mark_safe(f"{PREFIX}{name}:{article_id}-->" if article_id else f"{PREFIX}{name}-->")


# Built with format strings, not a template: it is rendered on every article request,
# cache hits included, and a template render costs more than the rest of a hit.
_STAR = (
    '<label class="rating__star{on}" for="sao-{article}-{star}">'
    '<input class="rating__input" type="radio" name="score" value="{star}" id="sao-{article}-{star}"{checked}>'
    '<span class="rating__glyph" aria-hidden="true">★</span><span class="visually-hidden">{star} sao</span></label>'
)
_RATING = """<form class="rating" id="danh-gia" method="post" action="{action}" data-rating>
  <input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">
  <fieldset class="rating__stars">
    <legend class="rating__label">Đánh giá cho bài viết:</legend>
    {stars}
    <button class="btn btn--secondary rating__submit" type="submit">Gửi đánh giá</button>
  </fieldset>
  <p class="rating__summary" aria-live="polite">{summary}</p>
  <p class="rating__own" data-rating-own{own_hidden}>Bạn đã chấm <span data-rating-own-score>{own}</span> sao.</p>
</form>"""


@lru_cache(maxsize=4096)
def _rating_action(script_prefix, article_id):
    return reverse("ratings:rate", args=[article_id])


@lru_cache(maxsize=4096)
def _stars(article_id, own):
    return "".join(
        _STAR.format(
            star=star,
            article=article_id,
            checked=" checked" if star == own else "",
            on=" is-on" if star <= own else "",
        )
        for star in range(1, 6)
    )


def rating_block(request, article_id, numbers):
    """The `Đánh giá cho bài viết:` form: five labelled star radios, the summary, the visitor's own stars."""
    own = int(numbers["own"])
    return _RATING.format(
        action=_rating_action(get_script_prefix(), article_id),
        csrf=form_token(request),
        stars=_stars(article_id, own),
        summary=summary_text(numbers["score_sum"], numbers["votes"]),
        own_hidden="" if own else " hidden",
        own=own,
    )


def vn_number(value):
    return f"{int(value):,}".replace(",", ".")


def substitute(request, html, numbers):
    """`html` with every marker replaced by its figure."""
    article_id = numbers.get("article")

    def replace(match):
        name, ident = match.groups()
        if name == "rating":
            return rating_block(request, int(ident), numbers) if int(ident) == article_id else ""
        if name in ("views", "views-preview"):
            return vn_number(numbers["views"]) if int(ident) == article_id else ""
        if name == "csrf":
            return form_token(request)
        return str(numbers.get(name, ""))

    return MARKER.sub(replace, html)


def fill(request, response, count=True):
    """Count the request (when it shows a page) and put this moment's figures in its markers."""
    if getattr(request, "live_filled", False):
        return response
    if getattr(response, "streaming", False) or "text/html" not in response.get("Content-Type", ""):
        return response
    html = response.content.decode(response.charset)
    if PREFIX not in html:
        return response
    found = MARKER.findall(html)
    article_id = next((int(ident) for name, ident in found if ident and name in ("views", "rating")), None)
    count = count and request.method == "GET" and response.status_code == 200
    count_view = any(name == "views" for name, _ in found)
    live = counters.record(request, article_id, count=count, count_view=count_view)
    if live.limited:
        return fill(request, too_many_requests(request), count=False)
    response.content = substitute(request, html, live.numbers)
    return response


class LiveNumbersMiddleware:
    """Fills live markers in every HTML response; place it after VisitorMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return fill(request, self.get_response(request))
