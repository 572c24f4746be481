from django.urls import path

from . import views

app_name = "services"

urlpatterns = [
    path("", views.procedure_list, name="procedures"),
    path("thu-tuc/<slug:slug>/", views.procedure_detail, name="procedure"),
    path("bieu-mau/<int:pk>/", views.form_download, name="form"),
    path("tra-cuu/", views.dossier_lookup, name="lookup"),
]
