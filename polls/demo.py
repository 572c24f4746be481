"""Demo poll: the reference portal's question with plausible starting counts. Idempotent."""

from datetime import timedelta

from django.utils import timezone

from .models import Poll

QUESTION = "Bạn quan tâm mục gì nhất trong Website của chúng tôi?"

CHOICES = [
    ("Tin tức - Sự kiện", 128),
    ("Văn bản điện tử", 64),
    ("Thủ tục hành chính", 97),
    ("Góp ý của nhân dân", 41),
    ("Lịch công tác", 23),
    ("Thông tin khác", 12),
]


def seed(log):
    if Poll.objects.filter(question=QUESTION).exists():
        return
    poll = Poll.objects.create(question=QUESTION, opens_at=timezone.now() - timedelta(days=30), is_active=True)
    for order, (text, votes) in enumerate(CHOICES, start=1):
        poll.choices.create(text=text, order=order, votes=votes)
    log("Tạo câu hỏi bình chọn mẫu")


def seed_unit(unit, log):
    """The unit's poll (portal.creating.create_unit made it hidden) shown, with a few votes."""
    poll = Poll.objects.order_by("pk").first()
    if poll is None or poll.is_active or sum(poll.choices.values_list("votes", flat=True)):
        return
    for n, choice in enumerate(poll.choices.all()):
        choice.votes = 5 + 7 * ((n * 3 + len(unit.name)) % 5)
        choice.save()
    poll.opens_at = timezone.now() - timedelta(days=10)
    poll.is_active = True
    poll.save()
    log(f"{unit}: mở câu hỏi bình chọn")
