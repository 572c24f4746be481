import hashlib
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render

from portal import units
from portal.pagecache import asked_before, cached

from . import registry
from .forms import SearchForm
from .queries import SearchResults
from .suggest import correction, title_suggestions
from .text import MAX_QUERY_CHARS, highlight, parse_query, snippet

PER_PAGE = 10


class Hit:
    """One result as the page shows it: highlighted title, an excerpt from where the words are, type label."""

    def __init__(self, entry, query, labels):
        self.url = entry.url
        self.unit_id = entry.unit_id
        self.date = entry.date
        self.kind = entry.kind
        self.label = labels.get(entry.kind, "")
        self.title = highlight(entry.title, query)
        self.snippet = snippet(f"{entry.lead} {entry.body}".strip(), query)


def search(request):
    """GET /tim-kiem/?q=...&loai=...&tu_ngay=...&den_ngay=...&page=..."""
    form = SearchForm(request.GET or None, unit=request.unit)
    context = {"form": form, "searched": False, "max_query_chars": MAX_QUERY_CHARS, "crumbs": [("Tìm kiếm", None)]}
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    elif form.is_bound:
        query = form.cleaned_data["q"]
        parsed = parse_query(query)
        context.update(query=query, query_truncated=len(query) > MAX_QUERY_CHARS, words=parsed.words)
        if parsed.words:
            date_from, date_to = form.date_range()
            kind, requested = form.cleaned_data["loai"], request.GET.get("page", "")[:12]
            unit_ids = form.unit_ids()

            def results_page():
                results = SearchResults(parsed, kind, date_from, date_to, unit_ids)
                page = Paginator(results, PER_PAGE).get_page(requested)
                labels = registry.labels()
                hits = [Hit(entry, parsed, labels) for entry in page.object_list]
                # Nothing found: perhaps a typo one letter off ("kim sonn"); a few queries, on misses only.
                corrected = (
                    None
                    if hits
                    else correction(query, parsed, kind=kind, date_from=date_from, date_to=date_to, unit_ids=unit_ids)
                )
                return page.number, hits, results.count(), results.more_than_counted, corrected

            # The same search again (a popular word, the next reader) is answered from the cache
            # until any content changes: searching costs the database far more than showing.
            scope = ",".join(map(str, unit_ids or ()))
            name = "|".join([query[:MAX_QUERY_CHARS], kind or "", str(date_from), str(date_to), requested, scope])
            digest = hashlib.md5(name.encode(), usedforsecurity=False).hexdigest()
            number, hits, total, more_than_counted, corrected = cached(
                f"search:{digest}", results_page, repeated_only=True, asked=asked_before(request)
            )
            if unit_ids:
                # Results of other units link to their own portals, marked with the unit's name.
                for hit in hits:
                    hit.unit = units.get(hit.unit_id)
                    hit.url = units.url_on(hit.unit_id, request, hit.url) or hit.url
            params = {"q": query[:MAX_QUERY_CHARS], "loai": form.cleaned_data["loai"]}
            params["don_vi"] = form.cleaned_data.get("don_vi", "")
            params.update({key: form.data[key] for key in ("tu_ngay", "den_ngay") if form.data.get(key)})
            params = {key: value for key, value in params.items() if value}
            if corrected:
                context.update(corrected=corrected, corrected_query_string=urlencode({**params, "q": corrected}))
            context.update(
                searched=True,
                page_obj=Paginator(range(total), PER_PAGE).get_page(number),
                hits=hits,
                total=total,
                more_than_counted=more_than_counted,
                query_string=urlencode(params),
            )
    response = render(request, "search/results.html", context, status=status)
    if context["searched"] and not context["total"]:
        response.page_cache_keep = False  # junk queries found nothing: never a page in the cache
    return response


def suggestions(request):
    """GET /tim-kiem/goi-y/?q=...[&don_vi=...]: titles that match what has been typed so far, as JSON
    for the search box; on a province, in the units the search page's "Tìm trong" names (as its results)."""
    query = request.GET.get("q", "")[:MAX_QUERY_CHARS]
    parsed = parse_query(query)
    form = SearchForm({"don_vi": request.GET.get("don_vi", "")}, unit=request.unit)
    unit_ids = form.unit_ids() if form.is_valid() else None

    def found():
        labels = registry.labels()
        return [
            {"title": entry.title, "url": entry.url, "type": labels.get(entry.kind, ""), "unit_id": entry.unit_id}
            for entry in title_suggestions(parsed, unit_ids)
        ]

    scope = ",".join(map(str, unit_ids or ()))
    digest = hashlib.md5(f"{' '.join(parsed.words)}|{scope}".encode(), usedforsecurity=False).hexdigest()
    items = []
    if parsed.words:
        name = f"search:suggest:{digest}:{parsed.prefix}"
        items = [dict(item) for item in cached(name, found, repeated_only=True)]
    for item in items:
        unit_id = item.pop("unit_id", None)
        if unit_ids and unit_id != request.unit.pk:
            # Another unit's title links to its own portal and says whose it is, as its result does.
            item["url"] = units.url_on(unit_id, request, item["url"]) or item["url"]
            item["unit"] = str(units.get(unit_id))
    return JsonResponse({"query": query, "suggestions": items}, json_dumps_params={"ensure_ascii": False})
