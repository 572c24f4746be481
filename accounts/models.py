"""Staff accounts' second factor: django-otp's TOTP devices, named in Vietnamese for the admin."""

from django_otp.plugins.otp_totp.models import TOTPDevice


class StaffDevice(TOTPDevice):
    """A staff member's authenticator app (Google Authenticator, Microsoft Authenticator ...)."""

    class Meta:
        proxy = True
        verbose_name = "Thiết bị xác thực hai bước"
        verbose_name_plural = "Thiết bị xác thực hai bước"
