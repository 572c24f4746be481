"""Security pieces wired in settings: the CSP and Permissions-Policy headers, admin login throttling."""

from axes.backends import AxesStandaloneBackend
from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.conf import settings
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
    """The client's address: REMOTE_ADDR, or the header a trusted proxy sets (RATELIMIT_IP_META_KEY)."""
    key = settings.RATELIMIT_IP_META_KEY
    return request.META.get(key) if key else request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    """The page shown while django-axes keeps a user name and address locked out (429)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    return render(request, "axes/lockout.html", context, status=429)
