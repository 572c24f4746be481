"""Security pieces wired in settings: the CSP and Permissions-Policy headers, bodiless HEAD answers,
admin login throttling."""

from dataclasses import asdict

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from csp.constants import HEADER, HEADER_REPORT_ONLY, UNSAFE_INLINE
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.db.models import Sum
from django.dispatch import receiver
from django.shortcuts import render


def is_admin_path(path):
    return path.startswith("/" + settings.ADMIN_URL)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """The site-wide policy, plus inline styles and blob: images in the admin only.

    CKEditor 5 inserts <style> elements and style attributes while editing, and previews
    pasted images as blob: URLs; public pages need neither.
    """

    # (policy, report-only policy) of a public response with nothing of its own: the same for every
    # one, built once (django-csp builds both, copying the settings' directives, for each response).
    _kept = None

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and is_admin_path(request.path_info):
            parts.update = {**(parts.update or {}), "style-src": [UNSAFE_INLINE], "img-src": ["blob:"]}
        return parts

    def process_response(self, request, response):
        kept = self._plain_policies(request, response)
        if kept is None:
            return super().process_response(request, response)
        policy, report_only = kept
        if policy and HEADER not in response:
            response[HEADER] = policy
        if report_only and HEADER_REPORT_ONLY not in response:
            response[HEADER_REPORT_ONLY] = report_only
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    def _plain_policies(self, request, response):
        """The kept policies when this response takes them as they are, else None (django-csp's own
        path: the admin, a nonce, a view's own policy or exemption, excluded paths, debug pages)."""
        if (
            is_admin_path(request.path_info)
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _OF_A_RESPONSE)
            or (settings.DEBUG and response.status_code in (404, 500))
        ):
            return None
        kept = ContentSecurityPolicyMiddleware._kept
        if kept is None:
            excluded = any(
                (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES")
                for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
            )
            kept = ContentSecurityPolicyMiddleware._kept = (
                False
                if excluded
                else (
                    build_policy(**asdict(self.get_policy_parts(request, response))),
                    build_policy(
                        **asdict(self.get_policy_parts(request, response, report_only=True)), report_only=True
                    ),
                )
            )
        return kept or None


# What a view may set on its response for a policy of its own (django-csp's decorators).
_OF_A_RESPONSE = tuple(
    f"_csp_{name}{suffix}" for name in ("config", "update", "replace", "exempt") for suffix in ("", "_ro")
)


@receiver(setting_changed)
def _forget_kept_policies(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        ContentSecurityPolicyMiddleware._kept = None


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
