from django.urls import path

from portal.pagecache import cache_public_page

from . import views

# A search asked for again (a popular word, a shared link) is served like any cached page.
FILTERS = ("q", "loai", "tu_ngay", "den_ngay", "don_vi", "page")

app_name = "search"

urlpatterns = [
    path(
        "tim-kiem/",
        cache_public_page(views.search, query=FILTERS),
        name="search",
    ),
    path("tim-kiem/goi-y/", views.suggestions, name="suggestions"),
]
