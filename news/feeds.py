"""RSS 2.0 feeds: all news, and one per category (its sub-categories included).

Feed readers decode a title or description and then show it as HTML, so every text the feeds
carry is HTML-escaped once here (the XML writer escapes it again for the XML itself): a title
typed as "<b>" reads "<b>" in the reader, never bold.
"""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import escape

from portal.models import SiteSettings

from .models import Article, Category

FEED_SIZE = 30


class LatestArticlesFeed(Feed):
    language = "vi"

    def title(self, obj=None):
        return escape(f"Tin tức - {SiteSettings.load()}")

    def description(self, obj=None):
        return escape(f"Tin bài mới nhất của {SiteSettings.load()}.")

    def link(self, obj=None):
        return reverse("news:home")

    def items(self, obj=None):
        return Article.objects.published().for_listing()[:FEED_SIZE]

    def item_title(self, item):
        return escape(item.title)

    def item_description(self, item):
        return escape(item.sapo)

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.author or None

    def item_categories(self, item):
        return [item.category.name]


class CategoryFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Category, slug=slug)

    def title(self, obj=None):
        return escape(f"{obj.name} - {SiteSettings.load()}")

    def description(self, obj=None):
        return escape(obj.description or f"Tin bài mới nhất chuyên mục {obj.name}.")

    def link(self, obj=None):
        return obj.get_absolute_url()

    def items(self, obj=None):
        return Article.objects.published().for_listing().in_category(obj)[:FEED_SIZE]
