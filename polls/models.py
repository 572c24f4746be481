from dataclasses import dataclass

from django.db import IntegrityError, models, transaction
from django.db.models import Case, Q, Value, When
from django.urls import reverse
from django.utils import timezone

from portal import units
from portal.models import UnitOwned


class PollQuerySet(models.QuerySet):
    def visible(self, now=None):
        """Polls the public may see: switched on and already opened (closed ones show results)."""
        return self.filter(is_active=True, opens_at__lte=now or timezone.now())

    def for_sidebar(self, now=None):
        """The poll of the sidebar block: an open one first, else the latest closed one."""
        now = now or timezone.now()
        still_open = Q(closes_at__isnull=True) | Q(closes_at__gt=now)
        return (
            self.visible(now)
            .annotate(_closed=Case(When(still_open, then=Value(0)), default=Value(1)))
            .order_by("_closed", "-opens_at", "-pk")
            .prefetch_related("choices")
        )


class Poll(UnitOwned):
    """A question with ordered choices; one vote per visitor (docs/product.md, engagement definitions)."""

    class Kind(models.TextChoices):
        SINGLE = "single", "Chọn một phương án"
        MULTIPLE = "multiple", "Chọn nhiều phương án"

    question = models.CharField("Câu hỏi", max_length=300)
    kind = models.CharField("Kiểu bình chọn", max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    opens_at = models.DateTimeField(
        "Bắt đầu", default=timezone.now, help_text="Trước thời điểm này, câu hỏi chưa hiện trên trang."
    )
    closes_at = models.DateTimeField(
        "Kết thúc", null=True, blank=True, help_text="Để trống nếu không hẹn ngày kết thúc. Sau đó chỉ xem kết quả."
    )
    is_active = models.BooleanField("Hiển thị", default=True, help_text="Bỏ chọn để ẩn hẳn câu hỏi khỏi trang.")
    created_at = models.DateTimeField("Ngày tạo", auto_now_add=True)

    objects, every_unit = units.managers(PollQuerySet)

    class Meta:
        ordering = ("-opens_at", "-pk")
        get_latest_by = "opens_at"
        verbose_name = "Câu hỏi bình chọn"
        verbose_name_plural = "Câu hỏi bình chọn"
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True) | Q(closes_at__gt=models.F("opens_at")),
                name="poll_closes_after_opening",
                violation_error_message="Thời điểm kết thúc phải sau thời điểm bắt đầu.",
            )
        ]

    def __str__(self):
        return self.question

    def get_absolute_url(self):
        return reverse("polls:detail", args=[self.pk])

    @property
    def is_multiple(self):
        return self.kind == self.Kind.MULTIPLE

    def has_started(self, now=None):
        return self.opens_at <= (now or timezone.now())

    def has_ended(self, now=None):
        return self.closes_at is not None and self.closes_at <= (now or timezone.now())

    def is_open(self, now=None):
        """Votes are taken: active, opened and not yet closed."""
        now = now or timezone.now()
        return self.is_active and self.has_started(now) and not self.has_ended(now)

    def results(self):
        """Counts and percentages of each choice, in order; reads prefetched choices if present."""
        choices = list(self.choices.all())
        total = sum(choice.votes for choice in choices)
        rows = [ChoiceResult(choice, choice.votes, 100 * choice.votes / total if total else 0.0) for choice in choices]
        return PollResults(self, rows, total)

    def record_vote(self, visitor_id, choices):
        """Count one visitor's vote; raises AlreadyVoted if they voted before.

        The vote record and the counters change in one transaction: the unique pair
        (poll, visitor) lets only one of two concurrent votes through, and F() makes
        the database add one, so concurrent votes are neither lost nor doubled.
        """
        try:
            with transaction.atomic():
                vote = Vote.objects.create(poll=self, visitor_id=visitor_id)
                Vote.choices.through.objects.bulk_create(
                    [Vote.choices.through(vote=vote, choice=choice) for choice in choices]
                )
                Choice.objects.filter(poll=self, pk__in=[choice.pk for choice in choices]).update(
                    votes=models.F("votes") + 1
                )
        except IntegrityError:
            raise AlreadyVoted from None
        return vote


class AlreadyVoted(Exception):
    """This visitor has already voted in this poll."""


@dataclass(frozen=True)
class ChoiceResult:
    choice: "Choice"
    votes: int
    percent: float

    @property
    def percent_text(self):
        """One decimal with a comma, as Vietnamese writes it: "33,3%"."""
        return f"{self.percent:.1f}".replace(".", ",") + "%"

    @property
    def percent_value(self):
        """The bar's value with a dot, whatever the locale ("33.3")."""
        return f"{self.percent:.1f}"


@dataclass(frozen=True)
class PollResults:
    poll: Poll
    rows: list
    total: int

    def as_dict(self):
        return {
            "poll": self.poll.pk,
            "question": self.poll.question,
            "total": self.total,
            "choices": [
                {"id": row.choice.pk, "text": row.choice.text, "votes": row.votes, "percent": round(row.percent, 1)}
                for row in self.rows
            ],
        }


class Choice(models.Model):
    poll = models.ForeignKey(Poll, verbose_name="Câu hỏi", on_delete=models.CASCADE, related_name="choices")
    text = models.CharField("Phương án", max_length=200)
    order = models.PositiveSmallIntegerField("Thứ tự", default=0, help_text="Số nhỏ đứng trước.")
    votes = models.PositiveIntegerField(
        "Số lượt chọn", default=0, help_text="Tăng khi có người bình chọn; có thể đặt số khởi đầu."
    )

    class Meta:
        ordering = ("order", "pk")
        verbose_name = "Phương án"
        verbose_name_plural = "Phương án"

    def __str__(self):
        return self.text


class Vote(models.Model):
    """The server-side record of one visitor's vote; the unique pair makes a second one fail."""

    poll = models.ForeignKey(Poll, verbose_name="Câu hỏi", on_delete=models.CASCADE, related_name="vote_records")
    visitor_id = models.CharField("Mã khách truy cập", max_length=32)
    choices = models.ManyToManyField(Choice, verbose_name="Phương án đã chọn", related_name="vote_records")
    created_at = models.DateTimeField("Thời điểm", auto_now_add=True)

    # A vote adds a row here and counts by update(); the cached sidebar shows voters nothing of it.
    page_cache_ignored = True

    class Meta:
        ordering = ("-created_at",)
        verbose_name = "Lượt bình chọn"
        verbose_name_plural = "Lượt bình chọn"
        constraints = [models.UniqueConstraint(fields=("poll", "visitor_id"), name="one_vote_per_visitor_per_poll")]

    def __str__(self):
        return f"{self.poll_id}/{self.visitor_id}"
