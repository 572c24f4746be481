from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed

from portal import staff
from portal.sites import request_unit

from .twofactor import CODE_NEEDED, check_code, confirmed_device


class CodeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Mã xác thực")
        kwargs.setdefault("max_length", 12)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}),
        )
        super().__init__(**kwargs)


class StaffLoginForm(AdminAuthenticationForm):
    """The admin login, with the authenticator app's code for accounts that have one.

    A wrong or missing code counts as a failed login for django-axes, like a wrong password.
    """

    otp_token = CodeField(
        required=False,
        help_text="Chỉ khi tài khoản đã bật xác thực hai bước: 6 chữ số trong ứng dụng xác thực.",
    )

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not staff.may_enter(user, request_unit(self.request)):
            raise forms.ValidationError(
                "Tài khoản này không làm việc ở đơn vị này. Hãy đăng nhập ở trang quản trị của đơn vị mình.",
                code="other_unit",
            )

    def clean(self):
        cleaned = super().clean()
        user = self.user_cache
        device = confirmed_device(user) if user is not None else None
        if device is None:
            return cleaned
        code = cleaned.get("otp_token", "")
        error = check_code(device, code) if code else CODE_NEEDED
        if error:
            user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=self.request)
            self.user_cache = None
            raise forms.ValidationError(error, code="otp")
        user.otp_device = device  # django-otp marks the session verified when the login completes
        return cleaned


class CodeForm(forms.Form):
    otp_token = CodeField(help_text="6 chữ số đang hiện trong ứng dụng xác thực.")
