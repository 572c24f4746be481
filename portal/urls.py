from django.urls import path

from . import views
from .pagecache import cache_public_page

app_name = "portal"

urlpatterns = [
    path("editor/upload/", views.editor_upload, name="editor_upload"),
    path("don-vi/", cache_public_page(views.unit_portals), name="units"),
]
