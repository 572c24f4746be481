from django.urls import path

from . import views

app_name = "polls"

urlpatterns = [
    path("binh-chon/<int:pk>/", views.detail, name="detail"),
    path("binh-chon/<int:pk>/bo-phieu/", views.vote, name="vote"),
    path("binh-chon/<int:pk>/ket-qua/", views.results, name="results"),
]
