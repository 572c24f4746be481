from django.db import models
from django.dispatch import Signal

from portal import units
from portal.models import UnitOwned

# The carried-over total changed: the counters drop their copy of it (stats.apps connects them).
counter_changed = Signal()


class VisitCounter(models.Model):
    """The one editable setting of a unit's visit counter: the total carried over from an older portal."""

    unit = models.OneToOneField(
        "portal.Unit",
        verbose_name="Đơn vị",
        on_delete=models.CASCADE,
        default=units.owner_id,
        related_name="+",
        editable=False,
    )
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
        super().save(*args, **kwargs)
        counter_changed.send(sender=type(self), unit_id=self.unit_id)

    @classmethod
    def load(cls):
        counter, _ = cls.objects.get_or_create(unit_id=units.owner_id())
        return counter

    @classmethod
    def merge_units(cls, old_ids, new):
        """Merging units (portal.merging): the new unit's carried-over total adds up the old ones'."""
        olds = cls.objects.filter(unit_id__in=old_ids, starting_total__gt=0)
        carried = olds.aggregate(total=models.Sum("starting_total"))["total"] or 0
        if carried:
            counter, _ = cls.objects.get_or_create(unit=new)
            counter.starting_total += carried
            counter.save()
        return olds.update(starting_total=0)


class DailyVisits(UnitOwned):
    """Visits started on one day (Asia/Ho_Chi_Minh); their sum is the all-time total."""

    day = models.DateField("Ngày")
    visits = models.PositiveIntegerField("Lượt truy cập", default=0)

    objects, every_unit = units.managers()

    class Meta:
        ordering = ("-day",)
        get_latest_by = "day"
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="daily_visits_per_unit")]
        verbose_name = "Lượt truy cập theo ngày"
        verbose_name_plural = "Lượt truy cập theo ngày"

    def __str__(self):
        return f"{self.day:%d/%m/%Y}: {self.visits}"

    @classmethod
    def merge_units(cls, old_ids, new):
        """Merging units (portal.merging): each day's visits of the old units add to the new unit's."""
        olds = cls.every_unit.filter(unit_id__in=old_ids)
        for day, visits in olds.values("day").annotate(total=models.Sum("visits")).values_list("day", "total"):
            if not cls.every_unit.filter(unit=new, day=day).update(visits=models.F("visits") + visits):
                cls.every_unit.create(unit=new, day=day, visits=visits)
        return olds.delete()[0]


class Presence(models.Model):
    """When a visitor was last seen on a unit's portal (`v:<unit>:<visitor>`) or last viewed an article
    (`a:<id>:<visitor>`).

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
