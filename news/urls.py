from django.urls import path

from portal.pagecache import cache_public_page

from . import views
from .feeds import CategoryFeed, LatestArticlesFeed

app_name = "news"

urlpatterns = [
    path("", cache_public_page(views.HomeView.as_view()), name="home"),
    path(
        "chuyen-muc/<slug:slug>/",
        cache_public_page(views.CategoryView.as_view(), paginated=True),
        name="category",
    ),
    path(
        "tin-tuc/",
        cache_public_page(views.ArticleListView.as_view(), paginated=True),
        name="list",
    ),
    path(
        "tin-tuc/<slug:slug>/",
        cache_public_page(views.ArticleView.as_view()),
        name="article",
    ),
    path("rss/", LatestArticlesFeed(), name="feed"),
    path("chuyen-muc/<slug:slug>/rss/", CategoryFeed(), name="category_feed"),
]
