from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("", views.submit, name="submit"),
    path("da-gui/", views.thanks, name="thanks"),
    path("tra-cuu/", views.lookup, name="lookup"),
    path("hoi-dap/", views.questions, name="qa"),
    path("du-lieu-ca-nhan/", views.privacy_notice, name="privacy"),
    path("tep-dinh-kem/<int:pk>/", views.attachment, name="attachment"),
]
