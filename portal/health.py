"""`/healthz` for load balancers, answered before any other middleware.

A load balancer asks each machine by its address (`Host: 10.0.0.5:8000`), which is not one of the
site's names: answering here, before SecurityMiddleware and CommonMiddleware, keeps ALLOWED_HOSTS
closed to every other path and spares the check the HTTPS redirect. The answer says whether the
database and Redis (both of them, when the page cache and the counters have their own) answer and
nothing else: `{"database": "ok", "redis": "down"}`, 200 while the database answers (the portal
serves pages without Redis), 503 when it does not.
"""

from django.db import DatabaseError, connection
from django.http import HttpResponseNotAllowed, JsonResponse

from . import redis as shared_redis

PATH = "/healthz"


def database_state():
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return "down"
    return "ok"


def redis_state():
    """ "ok" when every configured Redis (page cache, counters) answers a PING, "down" when one does
    not (or was found down a moment ago), "off" when none is configured (portal.redis's clients)."""
    purposes = [purpose for purpose in (shared_redis.CACHE, shared_redis.COUNTERS) if shared_redis.url(purpose)]
    if not purposes:
        return "off"
    return "ok" if all(shared_redis.healthy(purpose) for purpose in purposes) else "down"


class HealthCheckMiddleware:
    """First in MIDDLEWARE: GET or HEAD on exactly /healthz, never the host check or a session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != PATH:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        state = {"database": database_state(), "redis": redis_state()}
        response = JsonResponse(state, status=200 if state["database"] == "ok" else 503)
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
