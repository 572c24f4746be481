from django.db import models

from portal import units
from portal.models import UnitOwned


class SearchEntry(UnitOwned):
    """One searchable item (an article, a document, a procedure...), kept in step by `search.registry`.

    Three parts rank in this order: the title, the lead (an article's sapo, a document's summary)
    and the body (the rest, with the text of attached files). Each has its folded copy (`*_norm`:
    " kim son ", whole words between single spaces); the title and the lead also keep their exact
    words (`*_exact`: " kim sơn "), and `code_norm` holds a document's số/ký hiệu (" 125 qd ubnd ").
    search.queries matches and ranks with these on both databases (docs/search.md).

    On PostgreSQL the table also has two columns the database computes with `unaccent` (migrations
    0001 and 0002), each with a GIN index: `search_vector`, the words of all three parts, and
    `title_vector`, the words of the title. They only find the hits fast; they are not model
    fields: SQLite has no such type, and nothing in Python writes them.
    """

    kind = models.CharField("Loại", max_length=30)
    object_id = models.PositiveBigIntegerField("Mã đối tượng")
    title = models.CharField("Tiêu đề", max_length=500)
    lead = models.TextField("Tóm tắt", blank=True)
    body = models.TextField("Nội dung", blank=True)
    title_norm = models.TextField("Tiêu đề không dấu", blank=True, editable=False)
    lead_norm = models.TextField("Tóm tắt không dấu", blank=True, editable=False)
    body_norm = models.TextField("Nội dung không dấu", blank=True, editable=False)
    title_exact = models.TextField("Tiêu đề chữ thường", blank=True, editable=False)
    lead_exact = models.TextField("Tóm tắt chữ thường", blank=True, editable=False)
    code_norm = models.CharField("Số, ký hiệu không dấu", max_length=200, blank=True, editable=False)
    date = models.DateTimeField("Ngày")
    visible_from = models.DateTimeField("Hiện từ", help_text="Hẹn giờ: mục chỉ hiện trong kết quả từ thời điểm này.")
    url = models.CharField("Địa chỉ", max_length=500)

    objects, every_unit = units.managers()

    class Meta:
        ordering = ("-date", "-id")
        verbose_name = "Mục tìm kiếm"
        verbose_name_plural = "Chỉ mục tìm kiếm"
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique_object")]
        indexes = [
            # Every search is one unit's: its newest hits are a walk of that unit's entries.
            models.Index(fields=["unit", "kind", "-date"], name="search_entry_unit_kind_idx"),
            models.Index(fields=["unit", "-date", "-id"], name="search_entry_unit_date_idx"),
        ]

    def __str__(self):
        return self.title


class SearchTerm(models.Model):
    """A folded word found somewhere in the index, so a query that finds nothing can be offered the
    known word one letter away ("kim sonn" -> "kim son"). Words are added as content is indexed and
    never removed: a correction is offered only when it finds something."""

    word = models.CharField("Từ", max_length=30, unique=True)

    class Meta:
        verbose_name = "Từ đã biết"
        verbose_name_plural = "Từ đã biết"

    def __str__(self):
        return self.word
