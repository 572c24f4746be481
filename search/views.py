import hashlib
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render

from portal.pagecache import cached

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
            kind, requested = form.cleaned_data["loai"], request.GET.get("page", "")[:12]

            def results_page():
                results = SearchResults(words, kind, date_from, date_to)
                page = Paginator(results, PER_PAGE).get_page(requested)
                labels = registry.labels()
                hits = [Hit(entry, words, labels) for entry in page.object_list]
                return page.number, hits, results.count(), results.more_than_counted

            # The same search again (a popular word, the next reader) is answered from the cache
            # until any content changes: searching costs the database far more than showing.
            name = "|".join([" ".join(words), kind or "", str(date_from), str(date_to), requested])
            digest = hashlib.md5(name.encode(), usedforsecurity=False).hexdigest()
            number, hits, total, more_than_counted = cached(f"search:{digest}", results_page, repeated_only=True)
            params = {"q": query[:MAX_QUERY_CHARS], "loai": form.cleaned_data["loai"]}
            params.update({key: form.data[key] for key in ("tu_ngay", "den_ngay") if form.data.get(key)})
            params = {key: value for key, value in params.items() if value}
            context.update(
                searched=True,
                page_obj=Paginator(range(total), PER_PAGE).get_page(number),
                hits=hits,
                total=total,
                more_than_counted=more_than_counted,
                query_string=urlencode(params),
            )
    return render(request, "search/results.html", context, status=status)
