"""Who has voted, as far as the browser tells us, and what a poll's state means to a reader."""

from django.utils import timezone

VOTED_COOKIE_AGE = 365 * 24 * 3600


def voted_cookie_name(poll):
    return f"kpoll{poll.pk}"


def has_voted(request, poll):
    """The per-poll cookie (or a vote in this very request); the Vote row is the real rule."""
    return poll.pk in getattr(request, "poll_voted", ()) or request.COOKIES.get(voted_cookie_name(poll)) == "1"


def remember_vote(response, poll):
    response.set_cookie(voted_cookie_name(poll), "1", max_age=VOTED_COOKIE_AGE, httponly=True, samesite="Lax")


def poll_notice(poll, now=None):
    """Why a poll shows results only, or an empty string while it takes votes."""
    now = now or timezone.now()
    if not poll.has_started(now):
        opens = timezone.localtime(poll.opens_at)
        return f"Cuộc bình chọn bắt đầu lúc {opens:%H:%M} ngày {opens:%d/%m/%Y}."
    if poll.has_ended(now):
        return "Cuộc bình chọn đã kết thúc. Mời bạn xem kết quả."
    return ""
