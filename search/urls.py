from django.urls import path

from news.queries import next_scheduled_at
from portal.pagecache import cache_public_page

from . import views

# A search asked for again (a popular word, a shared link) is served like any cached page.
FILTERS = ("q", "loai", "tu_ngay", "den_ngay", "page")

app_name = "search"

urlpatterns = [
    path(
        "tim-kiem/",
        cache_public_page(views.search, until=next_scheduled_at, query=FILTERS),
        name="search",
    ),
    path("tim-kiem/goi-y/", views.suggestions, name="suggestions"),
]
