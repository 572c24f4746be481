from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django_ratelimit.decorators import ratelimit

from portal.files import file_download
from portal.limits import too_many_requests
from portal.text import strip_diacritics

from .forms import DossierLookupForm
from .models import Dossier, Procedure, ProcedureForm, Sector, ServiceSettings

HOME = "Một cửa điện tử"
NOT_FOUND = (
    "Không tìm thấy hồ sơ khớp với mã biên nhận và 4 số cuối điện thoại đã nhập. "
    "Vui lòng kiểm tra lại mã trên giấy biên nhận và số điện thoại đã khai khi nộp hồ sơ."
)


def procedure_list(request):
    procedures = (
        Procedure.objects.published()
        .select_related("sector")
        .only("name", "slug", "code", "level", "processing_time", "sector__name", "sector__order")
    )
    sectors = Sector.objects.annotate(count=Count("procedures", filter=Q(procedures__is_published=True))).filter(
        count__gt=0
    )
    current = None
    sector_id = request.GET.get("linh-vuc", "")
    if sector_id.isdigit():
        current = next((s for s in sectors if s.pk == int(sector_id)), None)
        if current is None:
            raise Http404("Không có lĩnh vực này.")
        procedures = procedures.filter(sector=current)
    query = request.GET.get("q", "").strip()[:200]
    if query:
        # Accent-insensitive match in Python: the list is a few hundred short names at most.
        words = strip_diacritics(query).lower().split()
        matched = [p.pk for p in procedures if all(w in strip_diacritics(p.name).lower() for w in words)]
        procedures = procedures.filter(pk__in=matched)
    paginator = Paginator(procedures, 30)
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "sectors": sectors,
        "current": current,
        "query": query,
        "page_obj": page,
        "procedures": page.object_list,
        "query_string": params.urlencode(),
        "service_settings": ServiceSettings.load(),
        "lookup_form": DossierLookupForm(),
        "crumbs": [(HOME, None)],
    }
    return render(request, "services/procedure_list.html", context)


def procedure_detail(request, slug):
    procedure = get_object_or_404(Procedure.objects.published().select_related("sector"), slug=slug)
    context = {
        "procedure": procedure,
        "forms": procedure.forms.all(),
        "crumbs": [(HOME, reverse("services:procedures")), (procedure.sector.name, None)],
    }
    return render(request, "services/procedure_detail.html", context)


def form_download(request, pk):
    forms = ProcedureForm.objects.filter(procedure__is_published=True, procedure__unit=request.unit)
    item = get_object_or_404(forms, pk=pk)
    return file_download(item.file, item.content_type, item.download_name, item.count_download, request)


@ratelimit(key="ip", rate=lambda g, r: settings.DOSSIER_LOOKUP_RATE, method="POST", block=False)
def dossier_lookup(request):
    """A citizen types the receipt code and the last 4 digits of the phone on file, and sees the steps.

    `?ma=` only fills in the code (a link printed on a receipt); the search itself is a POST,
    so the digits stay out of addresses and logs. The applicant's name is masked.
    """
    dossier = None
    error = ""
    status = 200
    if request.method == "POST":
        if getattr(request, "limited", False):
            return too_many_requests(request)
        form = DossierLookupForm(request.POST)
        if form.is_valid():
            dossier = Dossier.objects.matching(form.cleaned_data["ma"], form.cleaned_data["so_cuoi"])
            if dossier is None:
                error, status = NOT_FOUND, 404
            else:
                form = DossierLookupForm(initial={"ma": dossier.receipt_code})  # the digits are not echoed
        else:
            status = 400
    else:
        form = DossierLookupForm(initial={"ma": request.GET.get("ma", "")[:40]})
    context = {
        "form": form,
        "dossier": dossier,
        "error": error,
        "crumbs": [(HOME, reverse("services:procedures")), ("Tra cứu hồ sơ", None)],
    }
    response = render(request, "services/lookup.html", context, status=status)
    add_never_cache_headers(response)
    return response
