from django.urls import path

from portal.pagecache import cache_public_page

from . import queries, views
from .feeds import CategoryFeed, LatestArticlesFeed

app_name = "news"

urlpatterns = [
    path("", cache_public_page(views.HomeView.as_view(), until=queries.next_scheduled_at), name="home"),
    path(
        "chuyen-muc/<slug:slug>/",
        cache_public_page(views.CategoryView.as_view(), until=queries.next_scheduled_at, paginated=True),
        name="category",
    ),
    path(
        "tin-tuc/",
        cache_public_page(views.ArticleListView.as_view(), until=queries.next_scheduled_at, paginated=True),
        name="list",
    ),
    path(
        "tin-tuc/<slug:slug>/",
        cache_public_page(views.ArticleView.as_view(), until=queries.next_scheduled_at),
        name="article",
    ),
    path("rss/", LatestArticlesFeed(), name="feed"),
    path("chuyen-muc/<slug:slug>/rss/", CategoryFeed(), name="category_feed"),
]
