from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps_views
from django.urls import include, path

from accounts.forms import StaffLoginForm
from portal.views import robots_txt

from .sitemaps import SITEMAPS

admin.site.site_header = "Quản trị Trang thông tin điện tử"
admin.site.site_title = "Quản trị cổng thông tin"
admin.site.index_title = "Quản lý nội dung"
admin.site.login_form = StaffLoginForm

urlpatterns = [
    path(settings.ADMIN_URL, include("accounts.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("portal.urls")),
    path("", include("news.urls")),
    path("gop-y/", include("feedback.urls")),
    path("van-ban/", include("documents.urls")),
    path("du-lieu-mo/", include("documents.open_data_urls")),
    path("mot-cua/", include("services.urls")),
    path("", include("pages.urls")),
    path("", include("polls.urls")),
    path("", include("search.urls")),
    path("sitemap.xml", sitemaps_views.index, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        sitemaps_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("", include("ratings.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
handler403 = "portal.views.permission_denied"
