from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django_ratelimit.decorators import ratelimit

from portal.files import KINDS, content_type_for, file_download, sniff
from portal.limits import count_one, too_many_requests

from . import notify, privacy, spam, throttle
from .forms import FeedbackForm, LookupForm
from .models import Feedback

SPAM_MESSAGE = "Không gửi được góp ý. Vui lòng điền lại biểu mẫu và gửi sau vài giây."
TOO_FAST_MESSAGE = "Bạn gửi quá nhanh sau khi mở trang; vui lòng kiểm tra lại nội dung rồi bấm Gửi lần nữa."
LIMIT_MESSAGE = (
    "Từ địa chỉ mạng này đã có {count} góp ý được gửi trong {period} nên góp ý chưa được nhận. "
    "Nội dung bạn nhập vẫn còn bên dưới; vui lòng bấm Gửi lại sau {wait}."
)
REUSED_MESSAGE = (
    "Biểu mẫu này đã được dùng để gửi một góp ý. Nếu bạn muốn gửi thêm góp ý khác, "
    "vui lòng kiểm tra nội dung bên dưới rồi bấm Gửi lần nữa."
)
SUBMIT_GROUP = "feedback.submit"
FILE_NOT_KEPT = "Vì lý do an toàn, trình duyệt không giữ lại tệp đính kèm: nếu có, vui lòng chọn lại tệp."


def _page(request, template, context, section, label=None, status=200):
    home = "Góp ý của nhân dân"
    crumbs = [(home, None)] if label is None else [(home, reverse("feedback:submit")), (label, None)]
    return render(request, template, {**context, "section": section, "crumbs": crumbs}, status=status)


LOOKUP_NOT_FOUND = "Không tìm thấy góp ý khớp với mã theo dõi và thông tin liên hệ đã nhập. Vui lòng kiểm tra lại."


def _typed_again(request, message, status):
    """The form shown again with what was typed (files cannot be kept) and a fresh timer."""
    keep = FeedbackForm.Meta.fields + ("consent",)
    form = FeedbackForm(initial={k: v for k, v in request.POST.items() if k in keep})
    if request.FILES:
        message += " " + FILE_NOT_KEPT
    return _page(request, "feedback/form.html", {"form": form, "error": message}, "submit", status=status)


def _over_limit(request, wait):
    count, period = throttle.describe_rate(settings.FEEDBACK_RATE)
    message = LIMIT_MESSAGE.format(count=count, period=period, wait=throttle.describe_wait(wait))
    response = _typed_again(request, message, 429)
    response["Retry-After"] = str(wait)
    return response


def submit(request):
    """Only accepted submissions count towards the limit per address; each shown form sends at most once."""
    if request.method == "POST":
        wait = throttle.wait_seconds(request, SUBMIT_GROUP, settings.FEEDBACK_RATE)
        if wait:
            return _over_limit(request, wait)
        form = FeedbackForm(request.POST, request.FILES)
        if form.is_spam():
            early = spam.sent_early(request.POST.get("started")) and not request.POST.get("website")
            return _typed_again(request, TOO_FAST_MESSAGE if early else SPAM_MESSAGE, 400)
        if spam.already_used(request.POST.get("started")):
            return _typed_again(request, REUSED_MESSAGE, 400)
        if form.is_valid():
            try:
                with transaction.atomic():
                    feedback = form.save()
            except IntegrityError:  # the same form sent twice at once: the nonce is unique
                return _typed_again(request, REUSED_MESSAGE, 400)
            count_one(request, SUBMIT_GROUP, settings.FEEDBACK_RATE)
            mailed = notify.new_feedback(request, feedback)
            request.session["feedback_sent"] = {"code": feedback.code, "email": bool(feedback.email), "mailed": mailed}
            return redirect("feedback:thanks")
        error = "Góp ý chưa được gửi. Vui lòng sửa các mục được đánh dấu bên dưới."
        if request.FILES:
            error += " " + FILE_NOT_KEPT
        return _page(request, "feedback/form.html", {"form": form, "error": error}, "submit", status=400)
    return _page(request, "feedback/form.html", {"form": FeedbackForm()}, "submit")


def thanks(request):
    sent = request.session.get("feedback_sent")
    if not sent:
        return redirect("feedback:submit")
    response = _page(request, "feedback/thanks.html", {"sent": sent}, "submit", "Đã gửi")
    add_never_cache_headers(response)
    return response


@ratelimit(key="ip", rate=lambda g, r: settings.FEEDBACK_LOOKUP_RATE, method="POST", block=False)
def lookup(request):
    item = None
    error = ""
    if request.method == "POST":
        if getattr(request, "limited", False):
            return too_many_requests(request)
        form = LookupForm(request.POST)
        if form.is_valid():
            item = form.find()
            if item is None:
                error = LOOKUP_NOT_FOUND
            else:
                form = LookupForm()  # found: do not echo the contact details back into the page
    else:
        form = LookupForm()
    response = _page(
        request,
        "feedback/lookup.html",
        {"form": form, "item": item, "error": error},
        "lookup",
        "Tra cứu góp ý",
        status=404 if error else 200,
    )
    add_never_cache_headers(response)
    return response


def questions(request):
    # Only what the page shows: contact details and the citizen's original words are never even loaded.
    public = Feedback.objects.published().only(
        "code", "public_title", "public_content", "answer", "answered_at", "created_at"
    )
    paginator = Paginator(public.order_by("-answered_at", "-id"), 10)
    page = paginator.get_page(request.GET.get("page"))
    return _page(request, "feedback/qa.html", {"page_obj": page, "items": page.object_list}, "qa", "Hỏi đáp")


@permission_required("feedback.view_feedback", raise_exception=True)
def attachment(request, pk):
    """Citizens' files are served to staff only, with a type read from the bytes."""
    feedback = get_object_or_404(Feedback, pk=pk)
    if not feedback.attachment:
        raise Http404("Không có tệp đính kèm.")
    with feedback.attachment.open("rb") as handle:
        kind = sniff(handle)
    extension = KINDS[kind][1] if kind else ""
    return file_download(feedback.attachment, content_type_for(kind), f"{feedback.code}{extension}")


def privacy_notice(request):
    """The notice the consent checkbox refers to, at the version each feedback records."""
    return _page(
        request,
        "feedback/privacy.html",
        {"version": privacy.POLICY_VERSION},
        "privacy",
        "Thông báo xử lý dữ liệu cá nhân",
    )
