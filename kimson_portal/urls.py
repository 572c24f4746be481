from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Quản trị Trang thông tin điện tử"
admin.site.site_title = "Quản trị cổng thông tin"
admin.site.index_title = "Quản lý nội dung"

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("portal.urls")),
    path("", include("news.urls")),
    path("gop-y/", include("feedback.urls")),
    path("van-ban/", include("documents.urls")),
    path("mot-cua/", include("services.urls")),
    path("", include("pages.urls")),
    path("", include("polls.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
