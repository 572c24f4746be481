from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from portal.security import is_admin_path

from .twofactor import needs_second_factor


class SecondFactorMiddleware:
    """Staff who must use a second factor and have not yet typed a code this session: the admin sends
    them to the second step, and elsewhere (previews, editor uploads) they count as not signed in.

    After django_otp's OTPMiddleware. Requests without a session cookie are not looked at.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME in request.COOKIES and settings.ADMIN_REQUIRE_2FA:
            user = request.user
            if user.is_authenticated and not user.is_verified() and needs_second_factor(user):
                step = reverse("accounts:second_factor")
                if request.path_info in (step, reverse("admin:logout")):
                    return self.get_response(request)
                if is_admin_path(request.path_info):
                    return redirect(f"{step}?{urlencode({'next': request.get_full_path()})}")
                request.user = AnonymousUser()
        return self.get_response(request)
