from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("editor/upload/", views.editor_upload, name="editor_upload"),
]
