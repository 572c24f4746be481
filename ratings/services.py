"""Writing a rating: the rating row and the article's summary change together or not at all."""

from django.db import transaction
from django.db.models import F

from stats import counters

from .models import Rating, RatingSummary


def rate(article, visitor_id, score):
    """Give `score` stars from this visitor; a second rating replaces the first. Returns the summary."""
    with transaction.atomic():
        # The insert takes SQLite's write lock first; select_for_update serialises on PostgreSQL.
        RatingSummary.objects.bulk_create([RatingSummary(article=article)], ignore_conflicts=True)
        RatingSummary.objects.select_for_update().get(article=article)
        previous = Rating.objects.filter(article=article, visitor_id=visitor_id).first()
        if previous is None:
            Rating.objects.create(article=article, visitor_id=visitor_id, score=score)
            RatingSummary.objects.filter(article=article).update(score_sum=F("score_sum") + score, votes=F("votes") + 1)
        elif previous.score != score:
            RatingSummary.objects.filter(article=article).update(score_sum=F("score_sum") + score - previous.score)
            previous.score = score
            previous.save(update_fields=["score", "updated_at"])
        # Drop the Redis mirrors now and after commit: a reader in between saw the old rows.
        mirrors = (f"rsum:{article.pk}", f"rcnt:{article.pk}", f"own:{article.pk}:{visitor_id}")
        counters.forget(*mirrors)
        transaction.on_commit(lambda: counters.forget(*mirrors))
        return RatingSummary.objects.get(article=article)
