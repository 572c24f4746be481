"""Security pieces wired in settings: the CSP and Permissions-Policy headers, bodiless HEAD answers,
admin login throttling."""

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render


def is_admin_path(path):
    return path.startswith("/" + settings.ADMIN_URL)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """The site-wide policy, plus inline styles and blob: images in the admin only.

    CKEditor 5 inserts <style> elements and style attributes while editing, and previews
    pasted images as blob: URLs; public pages need neither.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and is_admin_path(request.path_info):
            parts.update = {**(parts.update or {}), "style-src": [UNSAFE_INLINE], "img-src": ["blob:"]}
        return parts


class PermissionsPolicyMiddleware:
    """Switches off browser features the portal never uses (camera, location, payment ...)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes for logins that come with a request (the admin login form).

    Logins without a request (the test client's `login()`, shell scripts) are not throttled
    instead of being refused: throttling is about addresses, and they have none.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request):
    """The client's address, which portal.clientaddr has put in REMOTE_ADDR behind a trusted proxy."""
    return request.META.get("REMOTE_ADDR")


class HeadWithoutBodyMiddleware:
    """HEAD answers carry the headers of a GET, Content-Length included, and no body.

    gunicorn sends whatever body the application returns; on a kept-alive connection those bytes
    would be read as the start of the next answer.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "HEAD":
            if response.streaming:
                response.streaming_content = []
            else:
                response.content = b""
        return response


class LoginAttemptHandler(AxesDatabaseHandler):
    """Two locks on failed logins: one user name from one address, and one address whatever the names.

    AXES_LOCKOUT_PARAMETERS lists the pair first and the address second. django-axes compares a
    single number with AXES_FAILURE_LIMIT, so the address's failures are scaled to it: the
    address reaches that limit exactly when it reaches LOGIN_ADDRESS_FAILURE_LIMIT.
    """

    def get_failures(self, request, credentials=None):
        for_user, for_address = (
            attempts.aggregate(failures=Sum("failures_since_start"))["failures"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        address_limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
        request.axes_address_locked = for_address >= address_limit
        return max(for_user, for_address * settings.AXES_FAILURE_LIMIT // address_limit)

    def reset_user_attempts(self, request, credentials=None):
        """A successful login forgets that user name's failures only, not what the address tried on others."""
        count, _ = self.filter_user_attempts(request, credentials)[0].delete()
        return count


def lockout_response(request, original_response=None, credentials=None):
    """The page shown while django-axes keeps a user name and address, or a whole address, locked out (429)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    address = getattr(request, "axes_address_locked", False)
    limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT if address else settings.AXES_FAILURE_LIMIT
    context = {"failure_limit": limit, "minutes": minutes, "address_locked": address}
    return render(request, "axes/lockout.html", context, status=429)
