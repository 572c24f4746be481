"""RSS 2.0 feeds: all news, and one per category (its sub-categories included)."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse

from portal.models import SiteSettings

from .models import Article, Category

FEED_SIZE = 30


class LatestArticlesFeed(Feed):
    language = "vi"

    def title(self, obj=None):
        return f"Tin tức - {SiteSettings.load()}"

    def description(self, obj=None):
        return f"Tin bài mới nhất của {SiteSettings.load()}."

    def link(self, obj=None):
        return reverse("news:home")

    def items(self, obj=None):
        return Article.objects.published().for_listing()[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.sapo

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
        return f"{obj.name} - {SiteSettings.load()}"

    def description(self, obj=None):
        return obj.description or f"Tin bài mới nhất chuyên mục {obj.name}."

    def link(self, obj=None):
        return obj.get_absolute_url()

    def items(self, obj=None):
        return Article.objects.published().for_listing().in_category(obj)[:FEED_SIZE]
