"""A new unit's poll (`portal.creating.create_unit`): the usual question and choices, no votes, hidden
until an editor ticks "Hiển thị"."""

from .models import Poll

QUESTION = "Bạn quan tâm mục gì nhất trên Trang thông tin điện tử?"
CHOICES = ["Tin tức - Sự kiện", "Văn bản", "Thủ tục hành chính", "Góp ý của nhân dân", "Lịch công tác"]


def setup_unit(unit):
    if Poll.objects.exists():
        return
    poll = Poll.objects.create(question=QUESTION, is_active=False)
    for order, text in enumerate(CHOICES, start=1):
        poll.choices.create(text=text, order=order)
