from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("xac-thuc/", views.second_factor, name="second_factor"),
]
