"""The account forms of the user admin (portal.admin.StaffUserAdmin), in an office's words.

Every account logs in with its password (the portal has no single sign-on), so Django's switch
"Đăng nhập bằng mật khẩu" is left out: an account is switched off with "Đang hoạt động". The
password shows as set or not, never its hash. Names are Vietnamese: Họ (family and middle names)
before Tên, and read in that order.
"""

from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    AdminUserCreationForm,
    ReadOnlyPasswordHashField,
    ReadOnlyPasswordHashWidget,
    UserChangeForm,
)
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX

# Labels and help of the user's fields on every account form (StaffUserAdmin.formfield_for_dbfield).
FIELD_TEXTS = {
    "last_name": ("Họ và tên đệm", "Ví dụ: Nguyễn Thị"),
    "first_name": ("Tên", "Ví dụ: Hoa"),
    "is_active": (
        "Đang hoạt động",
        "Bỏ chọn khi cán bộ nghỉ việc hoặc chuyển công tác: tài khoản không đăng nhập được nữa; "
        "tài khoản không bị xóa, bài viết và lịch sử của cán bộ vẫn giữ nguyên.",
    ),
}


class PasswordStatus(ReadOnlyPasswordHashWidget):
    """Whether the account has a password, and the button to set one; not the hash's parts."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        usable = bool(value) and not value.startswith(UNUSABLE_PASSWORD_PREFIX)
        context["summary"] = [
            {"label": "Đã đặt mật khẩu." if usable else "Chưa đặt mật khẩu: tài khoản chưa đăng nhập được."}
        ]
        return context


class AccountChangeForm(UserChangeForm):
    password = ReadOnlyPasswordHashField(
        label=UserChangeForm.base_fields["password"].label,
        help_text=UserChangeForm.base_fields["password"].help_text,
        widget=PasswordStatus,
    )


def _without_login_switch(form):
    form.fields.pop("usable_password", None)
    for name in ("password1", "password2"):
        form.fields[name].required = True


class AccountCreationForm(AdminUserCreationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _without_login_switch(self)


class AccountPasswordForm(AdminPasswordChangeForm):
    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        _without_login_switch(self)
