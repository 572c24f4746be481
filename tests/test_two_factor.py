"""Two-factor sign-in for staff (django-otp, TOTP) and the working-day admin session."""

import re
from base64 import b32decode
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp

from accounts.models import StaffDevice
from news.models import Article
from tests.factories import make_article, make_staff
from tests.test_security import run_python

pytestmark = pytest.mark.django_db

STEP = reverse("accounts:second_factor")


@pytest.fixture
def required(settings):
    settings.ADMIN_REQUIRE_2FA = True


def code(device):
    """The code the staff member's phone shows now."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


def log_in(client, username, password=None, token=None):
    data = {"username": username, "password": password or f"pw-{username}", "next": reverse("admin:index")}
    if token is not None:
        data["otp_token"] = token
    return client.post(reverse("admin:login"), data, REMOTE_ADDR="203.0.113.7")


def enrolled(user):
    return StaffDevice.objects.create(user=user, name="Điện thoại", confirmed=True)


@pytest.mark.parametrize("who", ["superuser", "Duyệt bài"])
def test_approvers_and_superusers_must_enrol_before_the_admin(client, required, who):
    """Password alone leads to the enrolment page, with a QR code and the secret explained in Vietnamese."""
    user = make_staff("truongphong", superuser=True) if who == "superuser" else make_staff("duyetbai", group=who)
    assert log_in(client, user.username).status_code == 302
    for path in (reverse("admin:index"), reverse("admin:news_article_changelist")):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == f"{STEP}?next={path.replace('/', '%2F')}"
    page = client.get(STEP)
    text = page.content.decode()
    assert page.status_code == 200
    assert "Thiết lập xác thực hai bước" in text and "quét mã QR" in text and "Google Authenticator" in text
    assert 'src="data:image/svg+xml' in text
    device = StaffDevice.objects.get(user=user, confirmed=False)
    secret = re.search(r"<code>([A-Z2-7 ]+)</code>", text).group(1)
    assert b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8)) == device.bin_key
    assert "otpauth://totp/" in device.config_url and "Qu%E1%BA%A3n%20tr%E1%BB%8B" in device.config_url


def test_a_wrong_code_is_refused_and_the_right_one_enrols(client, required):
    """A wrong code is 400 with a Vietnamese message; the code from the app confirms it and opens the admin."""
    make_staff("truongphong", superuser=True)
    log_in(client, "truongphong")
    client.get(STEP)
    device = StaffDevice.objects.get(user__username="truongphong")
    wrong = client.post(STEP, {"otp_token": "000000" if code(device) != "000000" else "111111"})
    assert wrong.status_code == 400
    assert "Mã xác thực không đúng" in wrong.content.decode()
    # django-otp makes each further try wait longer (1 s, 2 s, 4 s ...) after a wrong code.
    throttled = client.post(STEP, {"otp_token": code(device)})
    assert throttled.status_code == 400
    assert "Vui lòng chờ 1 giây" in throttled.content.decode()
    assert client.post(STEP, {"otp_token": "chữ"}).status_code == 400
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):
        right = client.post(STEP, {"otp_token": code(device), "next": reverse("admin:news_article_changelist")})
    assert right.status_code == 302
    assert right["Location"] == reverse("admin:news_article_changelist")
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("admin:index")).status_code == 200


def test_enrolled_staff_give_the_code_with_the_password(client, required):
    """Missing or wrong code: not signed in, counted as a failed login; the current code signs in."""
    device = enrolled(make_staff("truongphong", superuser=True))
    missing = log_in(client, "truongphong")
    assert missing.status_code == 200
    assert "hãy nhập mã 6 chữ số" in missing.content.decode()
    assert "_auth_user_id" not in client.session
    wrong = log_in(client, "truongphong", token="12345")
    assert "Mã xác thực không đúng" in wrong.content.decode()
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get(username="truongphong").failures_since_start == 2
    assert log_in(client, "truongphong", token=code(device)).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_used_code_cannot_be_replayed(client, required):
    """The code that just signed someone in does not sign in a second browser."""
    device = enrolled(make_staff("truongphong", superuser=True))
    current = code(device)
    assert log_in(client, "truongphong", token=current).status_code == 302
    other = client.__class__()
    assert "Mã xác thực không đúng" in log_in(other, "truongphong", token=current).content.decode()


def test_signed_in_session_of_an_enrolled_user_asks_for_the_code(client, required):
    """A session signed in before 2FA was required (no code typed) is sent to the code page, not the QR."""
    user = make_staff("truongphong", superuser=True)
    device = enrolled(user)
    client.force_login(user)
    assert client.get(reverse("admin:index"))["Location"].startswith(STEP)
    page = client.get(STEP).content.decode()
    assert "Nhập mã 6 chữ số" in page and "quét mã QR" not in page
    assert client.post(STEP, {"otp_token": code(device)}).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_unverified_staff_are_anonymous_outside_the_admin(client, required):
    """Before the code, a superuser cannot preview drafts at their public address."""
    draft = make_article("Bản nháp", status=Article.Status.DRAFT)
    user = make_staff("truongphong", superuser=True)
    device = enrolled(user)
    client.force_login(user)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.post(STEP, {"otp_token": code(device)})
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_a_province_administrator_needs_the_second_factor_by_default(settings):
    """Quản trị tỉnh makes and edits every staff account of the province: like the approvers, its
    members sign in with a code when two-factor sign-in is required (the default groups)."""
    from django.contrib.auth.models import Group

    from accounts.twofactor import needs_second_factor
    from portal.models import UnitMembership
    from tests.factories import make_unit

    settings.ADMIN_REQUIRE_2FA = True
    assert "Quản trị tỉnh" in settings.ADMIN_2FA_GROUPS
    province = make_unit("Ninh Bình", "ninhbinh.localhost", kind="tinh")
    user = make_staff("quantritinh", unit=province)
    assert not needs_second_factor(user)
    membership = UnitMembership.objects.get(user=user, unit=province)
    membership.groups.add(Group.objects.get_or_create(name="Quản trị tỉnh")[0])
    assert needs_second_factor(user)


def test_editors_are_not_asked_and_nothing_is_asked_when_off(client, settings):
    """Biên tập viên log in with a password; with ADMIN_REQUIRE_2FA off, so do superusers (demo)."""
    settings.ADMIN_REQUIRE_2FA = True
    make_staff("bientap", group="Biên tập viên")
    log_in(client, "bientap")
    assert client.get(reverse("admin:index")).status_code == 200
    client.logout()
    settings.ADMIN_REQUIRE_2FA = False
    make_staff("truongphong", superuser=True)
    log_in(client, "truongphong")
    assert client.get(reverse("admin:index")).status_code == 200


def test_staff_may_enrol_voluntarily_and_are_then_asked_for_the_code(client, settings):
    """With 2FA not required, an editor who sets up an app needs its code at the next login."""
    settings.ADMIN_REQUIRE_2FA = False
    make_staff("bientap", group="Biên tập viên")
    log_in(client, "bientap")
    assert f'href="{STEP}">Xác thực hai bước</a>' in client.get(reverse("admin:index")).content.decode()
    assert "Xác thực hai bước bảo vệ tài khoản" in client.get(STEP).content.decode()
    device = StaffDevice.objects.get(user__username="bientap")
    assert client.post(STEP, {"otp_token": code(device)}).status_code == 302
    assert "đã bật xác thực hai bước" in client.get(STEP).content.decode()
    client.logout()
    assert "_auth_user_id" not in log_in(client, "bientap").wsgi_request.session
    with time_machine.travel(timezone.now() + timedelta(seconds=60), tick=False):
        assert log_in(client, "bientap", token=code(device)).status_code == 302


def test_superusers_see_and_delete_devices_in_vietnamese_without_the_secret(client):
    """Thiết bị xác thực hai bước: who has one, in Vietnamese, never the key; deleting lets its owner enrol again."""
    admin_user = make_staff("quantri", superuser=True)
    device = enrolled(make_staff("duyetbai", group="Duyệt bài"))
    client.force_login(admin_user)
    page = client.get(reverse("admin:accounts_staffdevice_changelist")).content.decode()
    assert "Thiết bị xác thực hai bước" in page and "duyetbai" in page and "Đang dùng" in page
    assert device.key not in page
    assert "TOTP" not in client.get(reverse("admin:index")).content.decode()
    assert (
        client.get(reverse("admin:accounts_staffdevice_change", args=[device.pk])).content.decode().count(device.key)
        == 0
    )


def test_two_factor_is_on_by_default_in_production_and_off_locally():
    """ADMIN_REQUIRE_2FA follows DEBUG unless set."""
    code_ = "import django; django.setup(); from django.conf import settings; print(settings.ADMIN_REQUIRE_2FA)"
    key = "k7#Qz9@vLw2!xR4$mN8^pT6&yB3*cF5(hJ1)dG0-sA+eU7=iO9"
    env = {"DJANGO_SETTINGS_MODULE": "kimson_portal.settings"}
    assert run_python(code_, DEBUG="0", SECRET_KEY=key, **env).stdout.strip() == "True"
    assert run_python(code_, DEBUG="1", **env).stdout.strip() == "False"
    assert run_python(code_, DEBUG="0", SECRET_KEY=key, ADMIN_REQUIRE_2FA="0", **env).stdout.strip() == "False"


def test_admin_session_ends_after_a_working_day_without_requests(client):
    """Nine hours idle signs staff out; a request every few hours keeps the session going."""
    make_staff("bientap")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        log_in(client, "bientap")
    for hours in (8, 16, 24):
        with time_machine.travel(start + timedelta(hours=hours), tick=False):
            assert client.get(reverse("admin:index")).status_code == 200, hours
    with time_machine.travel(start + timedelta(hours=24, minutes=9 * 60 + 1), tick=False):
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
