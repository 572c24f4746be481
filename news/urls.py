from django.urls import path

from . import views
from .feeds import CategoryFeed, LatestArticlesFeed

app_name = "news"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("chuyen-muc/<slug:slug>/", views.CategoryView.as_view(), name="category"),
    path("tin-tuc/<slug:slug>/", views.ArticleView.as_view(), name="article"),
    path("rss/", LatestArticlesFeed(), name="feed"),
    path("chuyen-muc/<slug:slug>/rss/", CategoryFeed(), name="category_feed"),
]
