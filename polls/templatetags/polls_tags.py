from django import template
from django.utils import timezone

from polls.models import Poll
from polls.status import has_voted, poll_notice
from portal import fragments

register = template.Library()


@register.inclusion_tag("polls/poll_block.html", takes_context=True)
def poll_block(context):
    """The sidebar's "Bình chọn" block: the current poll's form, or its results once voted or closed.

    Two queries whatever the number of choices: the poll, then its choices. Kept with the sidebar
    (portal.fragments) until the poll closes or another opens.
    """
    request = context.get("request")
    now = timezone.now()
    poll = Poll.objects.for_sidebar(now).first()
    fragments.changes_at(poll.closes_at if poll is not None and poll.is_open(now) else None)
    opening = Poll.objects.filter(is_active=True, opens_at__gt=now).order_by("opens_at")
    fragments.changes_at(lambda: opening.values_list("opens_at", flat=True).first())
    block = {"poll": poll, "request": request, "csrf_token": context.get("csrf_token")}
    if poll is not None:
        voted = request is not None and has_voted(request, poll)
        if voted or not poll.is_open():
            block.update(results=poll.results(), notice=poll_notice(poll), can_vote=False)
    return block
