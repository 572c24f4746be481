from django.db import models
from django.db.models import Q

from news.models import Article


class Rating(models.Model):
    """One visitor's stars for one article; rating again replaces the earlier score."""

    article = models.ForeignKey(Article, verbose_name="Bài viết", on_delete=models.CASCADE, related_name="ratings")
    visitor_id = models.CharField("Mã người xem", max_length=32)
    score = models.PositiveSmallIntegerField("Số sao")
    created_at = models.DateTimeField("Lần đầu", auto_now_add=True)
    updated_at = models.DateTimeField("Cập nhật", auto_now=True)

    class Meta:
        ordering = ("-updated_at",)
        verbose_name = "Lượt đánh giá"
        verbose_name_plural = "Lượt đánh giá"
        constraints = [
            models.UniqueConstraint(fields=["article", "visitor_id"], name="rating_one_per_visitor"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"),
        ]

    def __str__(self):
        return f"{self.article_id}: {self.score} sao"


class RatingSummary(models.Model):
    """An article's running total and count of ratings, changed in the same transaction as a rating."""

    article = models.OneToOneField(
        Article, verbose_name="Bài viết", on_delete=models.CASCADE, primary_key=True, related_name="rating_summary"
    )
    score_sum = models.PositiveIntegerField("Tổng số sao", default=0)
    votes = models.PositiveIntegerField("Số lượt đánh giá", default=0)

    class Meta:
        verbose_name = "Tổng hợp đánh giá"
        verbose_name_plural = "Tổng hợp đánh giá"

    def __str__(self):
        return f"{self.article_id}: {self.score_sum}/{self.votes}"

    @property
    def average(self):
        return average(self.score_sum, self.votes)


def average(score_sum, votes):
    return round(score_sum / votes, 1) if votes else 0


def summary_text(score_sum, votes):
    """`4,5 điểm ( 12 đánh giá )`; `0 điểm ( 0 đánh giá )` when nobody has rated."""
    value = average(score_sum, votes)
    shown = "0" if not votes else f"{value:.1f}".replace(".", ",")
    return f"{shown} điểm ( {votes} đánh giá )"
