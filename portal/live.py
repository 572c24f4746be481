"""Live markers: figures and per-visitor blocks that pages, cached or not, fill per request.

Templates print small markers (`<!--live:views:12-->`) instead of figures. Feature apps register
what fills each marker (`register_filler`) and one counter (`register_counter`, the stats app) that
counts a request and reads the figures of this moment. The middleware below and the page cache
fill every marker with them, whatever the page shows, and know no feature app: a cached page never
freezes a number, and the numbers are right without JavaScript.
"""

import re
from dataclasses import dataclass, field

from django.utils.safestring import mark_safe

from .csrf import form_token

PREFIX = "<!--live:"
MARKER = re.compile(r"<!--live:([a-z-]+)(?::(\d+))?-->")


@dataclass
class Live:
    """What one request counted, and the figures its page shows."""

    numbers: dict = field(default_factory=dict)
    visit_started: bool = False
    view_started: bool = False
    limited: bool = False
    html: str = ""


@dataclass(frozen=True)
class Filler:
    fill: object
    # A marker of an article's views: the page is that article's, and showing it counts a view.
    counts_view: bool = False
    # A marker with an id names the article whose figures the page needs.
    names_article: bool = True


_fillers = {"csrf": Filler(lambda request, ident, numbers: form_token(request), names_article=False)}
_counter = None


def register_filler(name, fill, counts_view=False, names_article=True):
    """`fill(request, ident, numbers)` gives the HTML of the marker `name` (ident: its id or None)."""
    _fillers[name] = Filler(fill, counts_view, names_article)


def register_counter(counter):
    """The object that counts requests: `.record(request, article_id, count, count_view)` -> Live and
    `.cached_page(request, page_key, asked_key=None)` -> Live of a page-cache hit, or None; with
    `asked_key`, a miss also sets `request.page_cache_asked` (whether that key exists)."""
    global _counter
    _counter = counter


def marker(name, ident=None):
    return mark_safe(f"{PREFIX}{name}:{ident}-->" if ident else f"{PREFIX}{name}-->")


def page_article(html):
    """(article id, whether showing the page counts a view) from the markers in `html`."""
    article_id, counts_view = None, False
    for name, ident in MARKER.findall(html):
        filler = _fillers.get(name)
        if filler is None or not ident or not filler.names_article:
            continue
        article_id = article_id or int(ident)
        counts_view = counts_view or filler.counts_view
    return article_id, counts_view


def substitute(request, html, numbers):
    """`html` with every marker replaced by its figure."""

    def replace(match):
        name, ident = match.groups()
        filler = _fillers.get(name)
        if filler is None:
            return str(numbers.get(name, ""))
        return filler.fill(request, int(ident) if ident else None, numbers)

    return MARKER.sub(replace, html)


def record(request, article_id=None, count=True, count_view=True):
    if _counter is None:
        return Live()
    return _counter.record(request, article_id, count=count, count_view=count_view)


def cached_page(request, page_key, asked_key=None):
    """A page from the Redis page cache with this request counted and its figures; None on a miss.

    `asked_key` (portal.pagecache) is looked up in the same round trip: whether the page was asked
    for before, for a page kept only when asked again."""
    if _counter is None:
        return None
    return _counter.cached_page(request, page_key, asked_key)


def fill(request, response, count=True):
    """Count the request (when it shows a page) and put this moment's figures in its markers.

    Never refuses: over an engagement limit the page is served and only the counting is skipped.
    """
    if getattr(request, "live_filled", False):
        return response
    if getattr(response, "streaming", False) or "text/html" not in response.get("Content-Type", ""):
        return response
    html = response.content.decode(response.charset)
    if PREFIX not in html:
        return response
    article_id, count_view = page_article(html)
    count = count and request.method == "GET" and response.status_code == 200
    live = record(request, article_id, count=count, count_view=count_view)
    response.content = substitute(request, html, live.numbers)
    return response


class LiveNumbersMiddleware:
    """Fills live markers in every HTML response; place it after VisitorMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return fill(request, self.get_response(request))
