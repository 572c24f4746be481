from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from portal.files import file_download

from .forms import DocumentFilterForm
from .models import Document, DocumentFile

PAGE_SIZE = 20


def document_list(request):
    published = Document.objects.published()
    years = [d.year for d in published.dates("issued_on", "year", order="DESC")]
    form = DocumentFilterForm(request.GET or None, years=years)
    documents = published.for_listing()
    status = 200
    if form.is_bound:
        if form.is_valid():
            documents = form.filter(documents)
        else:
            documents, status = documents.none(), 400
    paginator = Paginator(documents, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page_obj": page,
        "documents": page.object_list,
        "query_string": query.urlencode(),
        "filtered": form.is_bound,
        "crumbs": [("Văn bản điện tử", None)],
    }
    return render(request, "documents/list.html", context, status=status)


def document_detail(request, pk):
    document = get_object_or_404(Document.objects.select_related("doc_type", "agency", "sector"), pk=pk)
    preview = not document.is_public
    if preview and not request.user.has_perm("documents.view_document"):
        raise Http404("Không tìm thấy văn bản.")
    context = {
        "document": document,
        "files": document.files.all(),
        "replaces": document.replaces.published(),
        "replaced_by": document.replaced_by.published(),
        "amends": document.amends.published(),
        "amended_by": document.amended_by.published(),
        "is_preview": preview,
        "crumbs": [("Văn bản điện tử", reverse("documents:list")), (document.number, None)],
    }
    response = render(request, "documents/detail.html", context)
    if preview:
        add_never_cache_headers(response)
    return response


def download(request, pk):
    """Serve an attached file with its real type and a safe name, counting the download."""
    # A file is found through its document's unit: another portal's file numbers answer 404 here.
    item = get_object_or_404(DocumentFile.objects.select_related("document"), pk=pk, document__unit=request.unit)
    if not item.document.is_public and not request.user.has_perm("documents.view_document"):
        raise Http404("Không tìm thấy tệp.")
    return file_download(item.file, item.content_type, item.download_name, item.count_download, request)
