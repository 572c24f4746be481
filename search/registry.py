"""Which models appear in search, and how: the one place that writes the search index.

A model joins search with a few lines in `<app>/search_indexes.py` (found at start-up):

    from search.registry import SearchIndex, register

    @register
    class ArticleIndex(SearchIndex):
        model = Article
        kind = "article"          # stable id stored in the index and used in ?loai=
        label = "Tin bài"         # shown to readers

        def get_queryset(self):   # rows that belong in the index (scheduled ones included)
            return Article.objects.filter(status=Article.Status.PUBLISHED)

        def lead(self, obj):      # ranks below the title, above the body
            return obj.sapo

        def body(self, obj):
            return html_to_text(obj.body)

        def date(self, obj):
            return obj.publish_at

Saving a row re-indexes it (or drops it once it no longer belongs); deleting it drops it.
`related = {ChildModel: "parent_attribute"}` re-indexes the parent when a child row (an attached
file) is saved or deleted. `manage.py rebuild_search_index` rewrites the whole index.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from portal import units

from .text import exact, fold, nfc

MAX_TITLE_CHARS = 500
MAX_LEAD_CHARS = 5_000
MAX_BODY_CHARS = 200_000
MAX_CODE_CHARS = 200
MAX_TERM_CHARS = 30

_indexes = {}


class SearchIndex:
    """How one model appears in search. Override what differs from these defaults."""

    model = None
    kind = ""
    label = ""
    related = {}

    def get_queryset(self):
        """Every row that belongs in the index, scheduled rows included (see `visible_from`)."""
        return self.model._default_manager.all()

    def is_indexed(self, obj):
        """Whether this saved row belongs in the index: the same rule as `get_queryset`."""
        return self.get_queryset().filter(pk=obj.pk).exists()

    def title(self, obj):
        return str(obj)

    def lead(self, obj):
        return ""

    def body(self, obj):
        return ""

    def code(self, obj):
        """A number the item is known by (a document's số/ký hiệu): typed alone, it finds the item first."""
        return ""

    def date(self, obj):
        raise NotImplementedError(f"{type(self).__name__}.date()")

    def visible_from(self, obj):
        """From when readers may find it; a future time keeps a scheduled item out of results."""
        return self.date(obj)

    def url(self, obj):
        return obj.get_absolute_url()

    def entry_fields(self, obj):
        title = nfc(self.title(obj))[:MAX_TITLE_CHARS]
        lead = nfc(self.lead(obj))[:MAX_LEAD_CHARS]
        body = nfc(self.body(obj))[:MAX_BODY_CHARS]
        return {
            "title": title,
            "lead": lead,
            "body": body,
            "title_norm": fold(title),
            "lead_norm": fold(lead),
            "body_norm": fold(body),
            "title_exact": exact(title),
            "lead_exact": exact(lead),
            "code_norm": fold(self.code(obj))[:MAX_CODE_CHARS],
            "date": self.date(obj),
            "visible_from": self.visible_from(obj),
            "url": self.url(obj),
            "unit_id": obj.unit_id,
        }


def register(index_class):
    """Class decorator: put `index_class.model` into search and keep it in step on save/delete."""
    index = index_class()
    if not index.kind or index.model is None:
        raise ValueError(f"{index_class.__name__} needs `model` and `kind`.")
    _indexes[index.kind] = index
    post_save.connect(_saved, sender=index.model, dispatch_uid=f"search-save-{index.kind}")
    post_delete.connect(_deleted, sender=index.model, dispatch_uid=f"search-delete-{index.kind}")
    for model, attribute in index.related.items():
        handler = _parent_updater(index, attribute)
        uid = f"search-{index.kind}-{model._meta.label_lower}"
        post_save.connect(handler, sender=model, weak=False, dispatch_uid=f"{uid}-save")
        post_delete.connect(handler, sender=model, weak=False, dispatch_uid=f"{uid}-delete")
    return index_class


def _parent_updater(index, attribute):
    def update_parent(sender, instance, raw=False, **kwargs):
        if raw:
            return
        parent = index.model._base_manager.filter(pk=getattr(instance, f"{attribute}_id")).first()
        if parent is not None:
            update_object(parent, index)

    return update_parent


def indexes():
    return list(_indexes.values())


def get_index(kind):
    return _indexes.get(kind)


def labels():
    """{kind: label} for the type filter and the result list."""
    return {index.kind: index.label for index in _indexes.values()}


def _index_for(model):
    for index in _indexes.values():
        if index.model is model:
            return index
    return None


def update_object(obj, index=None):
    """Write, refresh or drop the index entry of one row."""
    from .models import SearchEntry

    index = index or _index_for(type(obj))
    if index is None:
        return
    with units.active(obj.unit_id):  # the row's own unit decides, whichever unit is being served
        indexed = index.is_indexed(obj)
    if indexed:
        fields = index.entry_fields(obj)
        SearchEntry.every_unit.update_or_create(kind=index.kind, object_id=obj.pk, defaults=fields)
        remember_words([fields])
    else:
        SearchEntry.every_unit.filter(kind=index.kind, object_id=obj.pk).delete()


def remember_words(entries):
    """Add the words of these entries' fields to the known words (search.models.SearchTerm)."""
    from .models import SearchTerm

    words = set()
    for fields in entries:
        for part in ("title_norm", "lead_norm", "body_norm"):
            words.update(fields[part].split())
    # Numbers are not corrected (a typed number is meant as typed); long tokens are not words.
    words = sorted(w for w in words if len(w) <= MAX_TERM_CHARS and not any(c.isdigit() for c in w))
    SearchTerm.objects.bulk_create([SearchTerm(word=word) for word in words], ignore_conflicts=True, batch_size=500)


def remove_object(obj, index=None):
    from .models import SearchEntry

    index = index or _index_for(type(obj))
    if index is not None:
        SearchEntry.every_unit.filter(kind=index.kind, object_id=obj.pk).delete()


def rebuild(kinds=None, batch_size=500):
    """Rewrite the entries of `kinds` (all registered kinds by default); returns {kind: count}."""
    from .models import SearchEntry, SearchTerm

    counts = {}
    if not kinds:
        SearchTerm.objects.all().delete()
    for index in indexes():
        if kinds and index.kind not in kinds:
            continue
        with transaction.atomic():
            SearchEntry.every_unit.filter(kind=index.kind).delete()
            batch, count = [], 0
            for obj in index.get_queryset().order_by("pk").iterator(chunk_size=batch_size):
                batch.append(SearchEntry(kind=index.kind, object_id=obj.pk, **index.entry_fields(obj)))
                if len(batch) >= batch_size:
                    _write(batch)
                    count += len(batch)
                    batch = []
            _write(batch)
            counts[index.kind] = count + len(batch)
    return counts


def _write(batch):
    from .models import SearchEntry

    SearchEntry.every_unit.bulk_create(batch)
    remember_words([vars(entry) for entry in batch])


def _saved(sender, instance, raw=False, **kwargs):
    if not raw:
        update_object(instance)


def _deleted(sender, instance, **kwargs):
    remove_object(instance)
