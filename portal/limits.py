"""Limits on what clients write, and the one answer to a refused write: 4xx with a Vietnamese message.

Reading is never limited: a page answers 200 whatever its address did (engagement counting stops
instead, see stats). Writes (votes, ratings, feedback) have limits of two kinds, counted in the
default cache by django-ratelimit (shared by every process when Redis is configured):

- a flood guard on requests per address (`over_limit`), high enough for a shared address;
- caps on what is accepted per address and per target (`Caps`: a poll, an article), over a short
  and a long window, so the browsers of one office or carrier address are served and a script
  that makes up visitors adds little.

Every check fails open: when the cache does not answer, the request goes through.
"""

import re

from django.http import JsonResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage

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


def _usage(request, group, rate, key, increment):
    usage = get_usage(request, group=group, key=key, rate=rate, increment=increment)
    if usage is None or usage["limit"] == 0:
        return None
    return usage


def over_limit(request, group, rate, key="ip"):
    """True when this address went over `rate` (counting this request) in `group`."""
    usage = _usage(request, group, rate, key, increment=True)
    return bool(usage and usage["should_limit"])


def count_one(request, group, rate, key="ip"):
    """Count one accepted request towards `rate` in `group`."""
    _usage(request, group, rate, key, increment=True)


class Caps:
    """Accepted writes per address and target over several windows, e.g. "30/10m,300/d".

    Each window is fixed, so over any stretch of one window's length an address adds at most
    twice its number: with "30/10m", 30 browsers of one office all count, and 200 made-up
    visitors within ten minutes add at most 60.
    """

    def __init__(self, group, rates):
        self.group = group
        self.rates = [rate.strip() for rate in rates.split(",") if rate.strip()]

    def take(self, request, target):
        """Take one place for a write to `target` in every window, at once (an atomic increment:
        parallel requests cannot all pass a check before any is counted). Returns "" when the write
        may go ahead, or the window it would exceed, as "10 phút"."""
        for rate in self.rates:
            usage = _usage(request, f"{self.group}:{target}", rate, "ip", increment=True)
            if usage and usage["should_limit"]:
                return window_text(rate)
        return ""


_UNITS = {"s": "giây", "m": "phút", "h": "giờ", "d": "ngày"}


def window_text(rate):
    """The window of a rate in Vietnamese: "30/10m" -> "10 phút", "300/d" -> "1 ngày"."""
    number, unit = re.fullmatch(r"\d+/(\d*)([smhd])", rate).groups()
    return f"{int(number or 1)} {_UNITS[unit]}"
