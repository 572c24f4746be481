from django.urls import path

from . import views

app_name = "pages"

urlpatterns = [
    path("gioi-thieu/", views.introduction, name="intro"),
    path("gioi-thieu/lanh-dao/", views.leaders, name="leaders"),
    path("gioi-thieu/<slug:slug>/", views.introduction, name="page"),
    path("lich-cong-tac/", views.schedule, name="schedule"),
    path("lien-he/", views.contact, name="contact"),
    path("lien-he/en/", views.contact_en, name="contact_en"),
]
