from django import template

from news.models import Article
from news.workflow import PUBLISH_PERMISSION

register = template.Library()


@register.simple_tag(takes_context=True)
def articles_waiting(context):
    """How many articles wait for review, for those who may publish; None for everyone else."""
    if not context["request"].user.has_perm(PUBLISH_PERMISSION):
        return None
    return Article.objects.filter(status=Article.Status.PENDING).count()
