"""What the admin would show in English or in UTC whatever the catalogue says: fixed once, at start-up.

These strings are not translatable: django.contrib.admin writes a boolean icon's alt text as the
raw value ("True"), and django-axes builds its records' names from English words and raw UTC
datetimes and gives its app and one column no verbose name. Imported by PortalConfig.ready(), once
the app registry is ready.
"""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.templatetags import admin_list
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import format_html


def _local(value):
    return f"{timezone.localtime(value):%d/%m/%Y %H:%M}" if value else "—"


def boolean_icons_in_vietnamese():
    def boolean_icon(field_val):
        icon, alt = {True: ("yes", "Có"), False: ("no", "Không"), None: ("unknown", "Không rõ")}[field_val]
        return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), alt)

    admin_list._boolean_icon = boolean_icon


def axes_in_vietnamese(apps):
    apps.get_app_config("axes").verbose_name = "Chống dò mật khẩu"
    AccessAttemptAdmin.status.short_description = "Tình trạng"
    AccessAttempt.__str__ = lambda self: f"Lần thử đăng nhập của {self.username} lúc {_local(self.attempt_time)}"
    AccessLog.__str__ = lambda self: f"Lượt đăng nhập của {self.username} lúc {_local(self.attempt_time)}"
    AccessFailureLog.__str__ = lambda self: (
        f"Đăng nhập sai: {self.username} lúc {_local(self.attempt_time)} từ {self.ip_address}"
        + (" (bị khóa)" if self.locked_out else "")
    )
