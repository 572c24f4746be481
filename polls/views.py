"""Poll pages and the vote: a plain form POST (post/redirect/get) or fetch with JSON.

One vote per visitor per poll is enforced three ways: the per-poll cookie (cheap, shown
in the block), the visitor cookie of portal.visitors, and the Vote row whose unique pair
(poll, visitor) is the rule the database keeps even under concurrent requests.
"""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_POST

from portal.limits import Caps, over_limit, too_many_requests, wants_json
from portal.visitors import is_returning

from .forms import VoteForm
from .models import AlreadyVoted, Poll
from .status import has_voted, poll_notice, remember_vote

THANKS = "Cảm ơn bạn đã tham gia bình chọn."
ALREADY_VOTED = "Bạn đã bình chọn cho câu hỏi này rồi. Mỗi người chỉ được bình chọn một lần."
NOT_FOUND = "Không tìm thấy cuộc bình chọn này. Có thể câu hỏi đã được gỡ bỏ."
CRAWLER = "Trình thu thập dữ liệu tự động không thể bình chọn."
NO_COOKIE = (
    "Chưa ghi nhận được bình chọn vì trình duyệt chưa gửi mã người xem mà trang cấp khi bạn mở trang. "
    "Vui lòng bật cookie cho trang này, tải lại trang rồi bình chọn lại."
)
CAPPED = (
    "Chưa ghi nhận được bình chọn: đã có nhiều bình chọn cho câu hỏi này từ cùng địa chỉ mạng của bạn. "
    "Vui lòng thử lại sau {wait}."
)
# Accepted votes per address and poll (a shared office or carrier address keeps voting, a script does not).
VOTE_CAPS = Caps("polls:votes", settings.POLL_VOTE_CAPS)


def _poll_or_404(pk):
    return get_object_or_404(Poll.objects.filter(is_active=True).prefetch_related("choices"), pk=pk)


def _results_context(request, poll, notice=""):
    return {
        "poll": poll,
        "results": poll.results(),
        "can_vote": poll.is_open() and not has_voted(request, poll),
        "notice": notice or poll_notice(poll),
    }


def _results_json(request, poll, status=200, **extra):
    context = _results_context(request, poll, extra.get("error") or extra.get("message", ""))
    context["notice_ok"] = status < 400
    return JsonResponse(
        {
            "ok": status < 400,
            **extra,
            "results": context["results"].as_dict(),
            "html": render_to_string("polls/results_fragment.html", context, request=request),
        },
        status=status,
    )


def _refuse(request, poll, status, message):
    """A vote that changes nothing: the message, the results, and a 4xx."""
    if wants_json(request):
        if poll is None:
            return JsonResponse({"ok": False, "error": message}, status=status)
        return _results_json(request, poll, status, error=message)
    if poll is None:
        return render(request, "polls/not_found.html", {"message": message}, status=status)
    context = _results_context(request, poll, message)
    # A vote sent twice (double click, back button) must not show the first one's thanks beside the refusal.
    context["messages"] = [pending for pending in messages.get_messages(request) if pending.message != THANKS]
    return render(request, "polls/results.html", context, status=status)


@require_GET
def detail(request, pk):
    """The poll's own page: the voting form, or its results once voting is not possible."""
    poll = _poll_or_404(pk)
    if not poll.is_open() or has_voted(request, poll):
        return redirect("polls:results", pk=poll.pk)
    return render(request, "polls/detail.html", {"poll": poll, "selected": []})


@require_GET
def results(request, pk):
    poll = _poll_or_404(pk)
    if wants_json(request):
        return _results_json(request, poll)
    return render(request, "polls/results.html", _results_context(request, poll))


@require_POST
def vote(request, pk):
    # Counted before anything else, so floods of any kind of vote request are limited.
    if over_limit(request, "polls:vote", settings.POLL_VOTE_RATE):
        return too_many_requests(request)
    try:
        poll = _poll_or_404(pk)
    except Http404:
        return _refuse(request, None, 404, NOT_FOUND)
    if request.visitor_id is None:
        return _refuse(request, poll, 403, CRAWLER)
    if not is_returning(request):
        # A browser without a cookie the portal issued could vote again on every request.
        return _refuse(request, poll, 400, NO_COOKIE)
    if not poll.is_open():
        return _refuse(request, poll, 409, poll_notice(poll))
    if has_voted(request, poll):
        return _refuse(request, poll, 409, ALREADY_VOTED)

    form = VoteForm(poll, request.POST)
    if not form.is_valid():
        error = form.errors["choice"][0]
        if wants_json(request):
            return JsonResponse({"ok": False, "error": error}, status=400)
        context = {"poll": poll, "error": error, "selected": request.POST.getlist("choice")}
        return render(request, "polls/detail.html", context, status=400)

    wait = VOTE_CAPS.take(request, poll.pk)
    if wait:
        return _refuse(request, poll, 429, CAPPED.format(wait=wait))
    try:
        poll.record_vote(request.visitor_id, form.cleaned_data["choice"])
    except AlreadyVoted:
        request.poll_voted = {poll.pk}
        response = _refuse(request, poll, 409, ALREADY_VOTED)
    else:
        # Counts changed: read them again for the answer.
        poll = _poll_or_404(pk)
        request.poll_voted = {poll.pk}
        if wants_json(request):
            response = _results_json(request, poll, message=THANKS)
        else:
            messages.success(request, THANKS)
            response = redirect("polls:results", pk=poll.pk)
            response.status_code = 303
    remember_vote(response, poll)
    return response
