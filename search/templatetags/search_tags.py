"""The search page's list of hits, rendered in Python.

Ten hits a page, each a handful of variables and two date filters: through the template engine the
list was the costliest part of a new search's page after its SQL. This writes the same HTML the
former loop of `search/results.html` did, escaped alike (`tests/test_search_hits.py` holds that
loop and compares).
"""

from django import template
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from portal.dates import iso_and_short_date

register = template.Library()


def _hit(hit, zone):
    e = conditional_escape  # the title and excerpt come marked safe, with their words in <mark>
    unit = getattr(hit, "unit", None)
    unit = f'<span class="search-hit__unit">{e(unit)}</span> ' if unit else ""
    iso, shown = iso_and_short_date(hit.date, zone) if hit.date else ("", "")
    snippet = f'<p class="search-hit__snippet">{e(hit.snippet)}</p>' if hit.snippet else ""
    return (
        "\n"
        '    <li class="search-hit">\n'
        f'      <p class="search-hit__meta"><span class="search-hit__type">{e(hit.label)}</span> {unit}'
        f'<time datetime="{iso}">{shown}</time></p>\n'
        f'      <h2 class="search-hit__title"><a href="{e(hit.url)}">{e(hit.title)}</a></h2>\n'
        f"      {snippet}\n"
        "    </li>\n"
        "    "
    )


@register.simple_tag
def search_hits(hits):
    """{% search_hits hits %}: the `<li>` of each hit (search.views.Hit)."""
    zone = timezone.get_current_timezone()
    return mark_safe("".join(_hit(hit, zone) for hit in hits))  # noqa: S308 - every value is escaped
