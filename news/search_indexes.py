from search.registry import SearchIndex, register
from search.text import html_to_text

from .models import Article


@register
class ArticleIndex(SearchIndex):
    model = Article
    kind = "article"
    label = "Tin bài"

    def get_queryset(self):
        # Scheduled articles are indexed now and stay hidden until their publish time.
        return Article.objects.filter(status=Article.Status.PUBLISHED)

    def is_indexed(self, obj):
        return obj.status == Article.Status.PUBLISHED

    def title(self, obj):
        return obj.title

    def lead(self, obj):
        return obj.sapo

    def body(self, obj):
        return html_to_text(obj.body)

    def date(self, obj):
        return obj.publish_at
