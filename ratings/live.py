"""The rating block in pages, cached or not: its figures counted with the page's, its HTML from a template.

Registered by the app config with `stats.figures` (the figures: sum, count, this visitor's stars)
and with `portal.live` (the `rating` marker). The block is rendered once per distinct (article,
own stars, figures) and kept, the article's id and address put in afterwards like the CSRF token:
an article read for the first time with no stars yet reuses the block every such article has.
"""

from functools import lru_cache

from django.db import connection
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse

from portal import live
from portal.csrf import form_token
from stats import figures

from .models import Rating, RatingSummary, summary_text

CSRF_PLACEHOLDER = "__rating_csrf__"
ARTICLE_PLACEHOLDER = "987654321987"  # an id no article has: reverse() checks its pattern (digits)


def _q(model):
    return connection.ops.quote_name(model._meta.db_table)


class RatingFigures:
    """Sum and count of an article's stars, and the visitor's own (only once the browser has rated)."""

    def templates(self, visitor_id, rated):
        names = ["rsum:{a}", "rcnt:{a}"]
        if visitor_id and rated:
            names.append("own:{a}:" + visitor_id)
        return names

    def queries(self, visitor_id, article_id):
        return [
            ("rsum:{a}", f"(SELECT score_sum FROM {_q(RatingSummary)} WHERE article_id = %s)", [article_id]),
            ("rcnt:{a}", f"(SELECT votes FROM {_q(RatingSummary)} WHERE article_id = %s)", [article_id]),
            (
                f"own:{{a}}:{visitor_id or ''}",
                f"(SELECT score FROM {_q(Rating)} WHERE article_id = %s AND visitor_id = %s)",
                [article_id, visitor_id or ""],
            ),
        ]

    def article_columns(self, id_column):
        # The visitor's own stars are not read with the article: only a browser that has rated needs them.
        summary = _q(RatingSummary)
        return {
            "rsum:{a}": (f"(SELECT score_sum FROM {summary} WHERE article_id = {id_column})", []),
            "rcnt:{a}": (f"(SELECT votes FROM {summary} WHERE article_id = {id_column})", []),
        }

    def numbers(self, values):
        own = next((value for name, value in values.items() if name.startswith("own:")), 0)
        return {"score_sum": values.get("rsum:{a}", 0), "votes": values.get("rcnt:{a}", 0), "own": own}


@lru_cache(maxsize=1024)
def _block(script_prefix, own, score_sum, votes):
    return render_to_string(
        "ratings/block.html",
        {
            "action": reverse("ratings:rate", args=[ARTICLE_PLACEHOLDER]),
            "csrf_marker": CSRF_PLACEHOLDER,
            "article_id": ARTICLE_PLACEHOLDER,
            "stars": range(1, 6),
            "own": own,
            "summary": summary_text(score_sum, votes),
        },
    )


def rating_block(request, article_id, numbers):
    """The `Đánh giá cho bài viết:` form: five labelled star radios, the summary, the visitor's own stars."""
    if article_id != numbers.get("article"):
        return ""
    html = _block(get_script_prefix(), int(numbers["own"]), numbers["score_sum"], numbers["votes"])
    return html.replace(ARTICLE_PLACEHOLDER, str(int(article_id))).replace(CSRF_PLACEHOLDER, form_token(request))


def register():
    figures.register(RatingFigures())
    live.register_filler("rating", rating_block)
