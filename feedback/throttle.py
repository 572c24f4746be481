"""The feedback limit's real wait, told to the citizen.

A plain limit answers yes or no; django-ratelimit also knows how long the
current window still runs, which is what the form should say instead of "a few minutes".
"""

import math

from django_ratelimit.core import get_usage

from portal.limits import window_text


def wait_seconds(request, group, rate, key="ip"):
    """Seconds before this address may send again under `rate` in `group`; 0 when it may send now.

    Counts nothing. Fails open like portal.limits: no cache answer, no wait.
    """
    usage = get_usage(request, group=group, key=key, rate=rate, increment=False)
    if usage is None or usage["limit"] == 0 or usage["count"] < usage["limit"]:
        return 0
    return max(usage["time_left"], 1)


def describe_wait(seconds):
    """ "45 giây" under a minute, otherwise whole minutes rounded up: "7 phút"."""
    if seconds < 60:
        return f"{seconds} giây"
    return f"{math.ceil(seconds / 60)} phút"


def describe_rate(rate):
    """ "5/10m" -> (5, "10 phút"); "5/h" -> (5, "1 giờ")."""
    return int(rate.split("/", 1)[0]), window_text(rate)
