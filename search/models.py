from django.db import models


class SearchEntry(models.Model):
    """One searchable item (an article, a document, a procedure...), kept in step by `search.registry`.

    On PostgreSQL the table also has two columns the database computes with `unaccent` (migration 0001),
    each with a GIN index: `search_vector`, the words of title and body, and `title_vector`, the words
    of the title, which puts title hits first. They are not model fields: SQLite has no such type,
    and nothing in Python writes them.
    """

    kind = models.CharField("Loại", max_length=30)
    object_id = models.PositiveBigIntegerField("Mã đối tượng")
    title = models.CharField("Tiêu đề", max_length=500)
    body = models.TextField("Nội dung", blank=True)
    title_norm = models.TextField("Tiêu đề không dấu", blank=True, editable=False)
    body_norm = models.TextField("Nội dung không dấu", blank=True, editable=False)
    date = models.DateTimeField("Ngày")
    visible_from = models.DateTimeField("Hiện từ", help_text="Hẹn giờ: mục chỉ hiện trong kết quả từ thời điểm này.")
    url = models.CharField("Địa chỉ", max_length=500)

    class Meta:
        ordering = ("-date", "-id")
        verbose_name = "Mục tìm kiếm"
        verbose_name_plural = "Chỉ mục tìm kiếm"
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique_object")]
        indexes = [
            models.Index(fields=["kind", "-date"], name="search_entry_kind_date_idx"),
            models.Index(fields=["-date", "-id"], name="search_entry_date_idx"),
        ]

    def __str__(self):
        return self.title
