"""Who must sign in with a second factor, and the pieces the login form and the views share.

With ADMIN_REQUIRE_2FA (on by default when DEBUG=0), superusers and members of ADMIN_2FA_GROUPS
reach the admin only after a code from their authenticator app. Staff who set an app up
voluntarily are asked for its code at every login too.
"""

from base64 import b32encode

import segno
from django.conf import settings
from django.contrib.auth.models import Group
from django.db.models import Q
from django.utils import timezone
from django_otp import devices_for_user

from .models import StaffDevice

WRONG_CODE = "Mã xác thực không đúng hoặc đã hết hạn. Hãy nhập mã 6 chữ số đang hiện trong ứng dụng."
CODE_NEEDED = "Tài khoản này đã bật xác thực hai bước: hãy nhập mã 6 chữ số trong ứng dụng xác thực."


def needs_second_factor(user):
    if not (settings.ADMIN_REQUIRE_2FA and user.is_authenticated and user.is_staff):
        return False
    if user.is_superuser:
        return True
    # The groups count in any unit the user works in, and given on the user's own page.
    return Group.objects.filter(
        Q(user=user) | Q(unit_memberships__user=user), name__in=settings.ADMIN_2FA_GROUPS
    ).exists()


def confirmed_device(user):
    return next(devices_for_user(user, confirmed=True), None)


def pending_device(user):
    """The not yet confirmed device of an enrolment in progress, made on first use."""
    device = StaffDevice.objects.filter(user=user, confirmed=False).first()
    return device or StaffDevice.objects.create(user=user, name="Ứng dụng xác thực", confirmed=False)


def throttled_message(device):
    allowed, details = device.verify_is_allowed()
    if allowed:
        return None
    until = (details or {}).get("locked_until")
    if until:
        seconds = max(1, int((until - timezone.now()).total_seconds()) + 1)
        return f"Bạn đã nhập sai mã nhiều lần. Vui lòng chờ {seconds} giây rồi thử lại."
    return "Bạn đã nhập sai mã nhiều lần. Vui lòng thử lại sau ít phút."


def check_code(device, code):
    """An error message for `code`, or None once the device accepted it."""
    message = throttled_message(device)
    if message:
        return message
    code = (code or "").replace(" ", "")
    if not (code.isdigit() and len(code) == device.digits) or not device.verify_token(code):
        return WRONG_CODE
    return None


def qr_data_uri(device):
    """The device's otpauth:// address as an SVG QR code, inline (the CSP allows data: images)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, dark="#000", light="#fff")


def grouped_secret(device):
    """The base32 secret in groups of four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[n : n + 4] for n in range(0, len(secret), 4))
