from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render

from . import registry
from .forms import SearchForm
from .queries import SearchResults
from .text import MAX_QUERY_CHARS, highlight, query_words, snippet

PER_PAGE = 10


class Hit:
    """One result as the page shows it: highlighted title, snippet, type label."""

    def __init__(self, entry, words, labels):
        self.url = entry.url
        self.date = entry.date
        self.kind = entry.kind
        self.label = labels.get(entry.kind, "")
        self.title = highlight(entry.title, words)
        self.snippet = snippet(entry.body, words)


def search(request):
    """GET /tim-kiem/?q=...&loai=...&tu_ngay=...&den_ngay=...&page=..."""
    form = SearchForm(request.GET or None)
    context = {"form": form, "searched": False, "max_query_chars": MAX_QUERY_CHARS, "crumbs": [("Tìm kiếm", None)]}
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    elif form.is_bound:
        query = form.cleaned_data["q"]
        words = query_words(query)
        context.update(query=query, query_truncated=len(query) > MAX_QUERY_CHARS, words=words)
        if words:
            date_from, date_to = form.date_range()
            results = SearchResults(words, form.cleaned_data["loai"], date_from, date_to)
            page = Paginator(results, PER_PAGE).get_page(request.GET.get("page"))
            labels = registry.labels()
            params = {"q": query[:MAX_QUERY_CHARS], "loai": form.cleaned_data["loai"]}
            params.update({key: form.data[key] for key in ("tu_ngay", "den_ngay") if form.data.get(key)})
            params = {key: value for key, value in params.items() if value}
            context.update(
                searched=True,
                page_obj=page,
                hits=[Hit(entry, words, labels) for entry in page.object_list],
                total=results.count(),
                more_than_counted=results.more_than_counted,
                query_string=urlencode(params),
            )
    return render(request, "search/results.html", context, status=status)
