from django.urls import path

from portal.pagecache import cache_public_page

from . import open_data

app_name = "open_data"

urlpatterns = [
    path("", cache_public_page(open_data.index), name="index"),
    # The JSON answers are cached as data (open_data.documents_json); whole-page caching keeps HTML only.
    path("van-ban.json", open_data.documents_json, name="documents_json"),
    path("van-ban.csv", open_data.documents_csv, name="documents_csv"),
]
