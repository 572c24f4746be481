from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("editor/upload/", views.editor_upload, name="editor_upload"),
]
