from django import template

from feedback.models import Feedback

register = template.Library()


@register.simple_tag(takes_context=True)
def feedback_waiting(context):
    """How many feedback items are new, for staff who process feedback; None for everyone else."""
    if not context["request"].user.has_perm("feedback.change_feedback"):
        return None
    return Feedback.objects.filter(status=Feedback.Status.NEW).count()
