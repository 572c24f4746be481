from django.db import models
from django.dispatch import Signal

# The carried-over total changed: the counters drop their copy of it (stats.apps connects them).
counter_changed = Signal()


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
        self.pk = 1
        super().save(*args, **kwargs)
        counter_changed.send(sender=type(self))

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


class FlushRecord(models.Model):
    """A flush of counts from Redis that the database has: a flush sent again is not applied twice."""

    id = models.CharField(max_length=32, primary_key=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "Lần ghi lượt đếm"
        verbose_name_plural = "Lần ghi lượt đếm"

    def __str__(self):
        return self.id


class DeferredCount(models.Model):
    """A counting call whose answer from Redis was lost: sent again once Redis answers (counted once)."""

    rid = models.CharField(max_length=32, primary_key=True)
    payload = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "Lượt đếm chờ gửi lại"
        verbose_name_plural = "Lượt đếm chờ gửi lại"

    def __str__(self):
        return self.rid
