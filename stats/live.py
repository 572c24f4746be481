"""The stats app's live markers: visit figures in the sidebar and an article's views.

Registered with `portal.live` by the app config; the counting behind them is `stats.counters`.
"""

from portal import live

from . import counters


def vn_number(value):
    return f"{int(value):,}".replace(",", ".")


def _views(request, ident, numbers):
    return vn_number(numbers["views"]) if ident == numbers.get("article") else ""


def _figure(name):
    return lambda request, ident, numbers: str(numbers.get(name, ""))


def register():
    live.register_counter(counters)
    live.register_filler("views", _views, counts_view=True)
    live.register_filler("views-preview", _views, names_article=False)
    for name in ("visits-total", "visits-today", "visits-online"):
        live.register_filler(name, _figure(name), names_article=False)
