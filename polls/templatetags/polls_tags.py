from django import template

from polls.models import Poll
from polls.status import has_voted, poll_notice

register = template.Library()


@register.inclusion_tag("polls/poll_block.html", takes_context=True)
def poll_block(context):
    """The sidebar's "Bình chọn" block: the current poll's form, or its results once voted or closed.

    Two queries whatever the number of choices: the poll, then its choices.
    """
    request = context.get("request")
    poll = Poll.objects.for_sidebar().first()
    block = {"poll": poll, "request": request, "csrf_token": context.get("csrf_token")}
    if poll is not None:
        voted = request is not None and has_voted(request, poll)
        if voted or not poll.is_open():
            block.update(results=poll.results(), notice=poll_notice(poll), can_vote=False)
    return block
