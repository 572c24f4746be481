from django.db import models


class VisitCounter(models.Model):
    """The one editable setting of the visit counter: the total carried over from an older portal."""

    starting_total = models.PositiveBigIntegerField(
        "Số lượt truy cập ban đầu",
        default=0,
        help_text="Cộng thêm vào tổng lượt truy cập, ví dụ tổng của cổng thông tin cũ.",
    )

    class Meta:
        verbose_name = "Bộ đếm truy cập"
        verbose_name_plural = "Bộ đếm truy cập"

    def __str__(self):
        return "Bộ đếm truy cập"

    def save(self, *args, **kwargs):
        from django.db import transaction

        from .counters import forget

        self.pk = 1
        super().save(*args, **kwargs)
        forget("offset")
        transaction.on_commit(lambda: forget("offset"))

    @classmethod
    def load(cls):
        counter, _ = cls.objects.get_or_create(pk=1)
        return counter


class DailyVisits(models.Model):
    """Visits started on one day (Asia/Ho_Chi_Minh); their sum is the all-time total."""

    day = models.DateField("Ngày", unique=True)
    visits = models.PositiveIntegerField("Lượt truy cập", default=0)

    class Meta:
        ordering = ("-day",)
        get_latest_by = "day"
        verbose_name = "Lượt truy cập theo ngày"
        verbose_name_plural = "Lượt truy cập theo ngày"

    def __str__(self):
        return f"{self.day:%d/%m/%Y}: {self.visits}"


class Presence(models.Model):
    """When a visitor was last seen (`v:<visitor>`) or last viewed an article (`a:<id>:<visitor>`).

    Used only when Redis is not configured or not answering; rows older than the
    visit window are pruned, so the table stays small.
    """

    ident = models.CharField(max_length=64, primary_key=True)
    last_seen = models.DateTimeField(db_index=True)
    fresh = models.BooleanField(default=True)

    class Meta:
        verbose_name = "Hiện diện"
        verbose_name_plural = "Hiện diện"

    def __str__(self):
        return self.ident
