import posixpath

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from . import units
from .images import EXTENSIONS, make_renditions, validate_image
from .models import Unit
from .storage import unit_folder
from .text import slugify_vi


@require_POST
@permission_required("news.change_article", raise_exception=True)
def editor_upload(request):
    """Image upload for CKEditor 5, checked like cover images.

    Answers in the JSON shape CKEditor expects: {"url": ...} or {"error": {"message": ...}}.
    """
    upload = request.FILES.get("upload")
    if upload is None:
        return JsonResponse({"error": {"message": "Chưa chọn tệp ảnh."}}, status=400)
    try:
        image_format = validate_image(upload)
    except ValidationError as error:
        return JsonResponse({"error": {"message": error.messages[0]}}, status=400)
    # The extension follows the content, so an image named "x.html" is never served as a page.
    stem = slugify_vi(posixpath.splitext(upload.name)[0])[:80] or "anh"
    folder = unit_folder(timezone.now().strftime("uploads/%Y/%m/"))
    name = default_storage.save(folder + stem + EXTENSIONS[image_format], upload)
    make_renditions(name)
    return JsonResponse({"url": default_storage.url(name)})


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def csrf_failure(request, reason=""):
    """A form sent without a valid CSRF token: explain in Vietnamese and link back to the form."""
    return render(request, "403_csrf.html", {"back": request.path}, status=403)


def server_error(request):
    # No request context: the database may be what failed, and the frame reads it.
    # A form that fails must say so: the citizen keeps the text and sends it again.
    return HttpResponseServerError(loader.get_template("500.html").render({"posted": request.method == "POST"}))


@require_GET
def robots_txt(request):
    """Crawlers may read everything but search results, and learn where the sitemap is."""
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('search:search')}",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def unit_portals(request):
    """A province's page "Cổng thông tin các xã, phường": every commune, ward and special zone it
    has, each linked to its portal. Other units have none (404)."""
    unit = request.unit
    children = units.children_of(unit.pk)
    if unit.kind != Unit.Kind.PROVINCE and not children:
        raise Http404("Đơn vị này không có xã, phường trực thuộc.")
    portals = [(child, units.url_on(child.pk, request), units.main_host(child.pk)) for child in children]
    context = {"portals": portals, "crumbs": [("Cổng thông tin các xã, phường", None)]}
    return render(request, "portal/units.html", context)
