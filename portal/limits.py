"""The one answer to a rate-limited request: 429 with a Vietnamese message.

Limits themselves are django-ratelimit decorators with block=False on the
views that write (votes, ratings, feedback); they check `request.limited`
and return `too_many_requests(request)`, so nothing is counted.
"""

from django.http import JsonResponse
from django.shortcuts import render

TOO_MANY_MESSAGE = "Bạn thao tác quá nhanh. Vui lòng đợi một lát rồi thử lại."


def wants_json(request):
    return (
        "application/json" in request.headers.get("Accept", "")
        or request.headers.get("X-Requested-With") == "XMLHttpRequest"
    )


def too_many_requests(request, message=TOO_MANY_MESSAGE):
    if wants_json(request):
        return JsonResponse({"ok": False, "error": message}, status=429)
    return render(request, "429.html", {"message": message}, status=429)


def over_limit(request, group, rate, key="ip"):
    """True when this address went over `rate` (counting this request) in `group`.

    Fails open: when the cache that holds the counts does not answer (Redis down),
    django-ratelimit reports a limit of 0, and the request goes through.
    """
    from django_ratelimit.core import get_usage

    usage = get_usage(request, group=group, key=key, rate=rate, increment=True)
    if usage is None or usage["limit"] == 0:
        return False
    return usage["should_limit"]


def used_up(request, group, rate, key="ip"):
    """True when this address already used all of `rate` in `group`; counts nothing.

    For limits that count only accepted requests: check with this, then call
    `count_one` once the request succeeded. Fails open like `over_limit`.
    """
    from django_ratelimit.core import get_usage

    usage = get_usage(request, group=group, key=key, rate=rate, increment=False)
    if usage is None or usage["limit"] == 0:
        return False
    return usage["count"] >= usage["limit"]


def count_one(request, group, rate, key="ip"):
    """Count one accepted request towards `rate` in `group`."""
    from django_ratelimit.core import get_usage

    get_usage(request, group=group, key=key, rate=rate, increment=True)
