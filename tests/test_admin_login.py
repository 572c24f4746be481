"""Admin login throttling (django-axes) and the configurable admin path."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.factories import make_staff

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def log_in(client, username, password, address="203.0.113.7"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
    )


def test_five_wrong_passwords_lock_the_user_out_with_a_vietnamese_message(client):
    """After 5 failures even the right password is refused, with a 429 page in Vietnamese."""
    make_staff("bientap")
    for _ in range(4):
        assert log_in(client, "bientap", "sai-mat-khau").status_code == 200
    fifth = log_in(client, "bientap", "sai-mat-khau")
    assert fifth.status_code == 429
    page = log_in(client, "bientap", "pw-bientap")
    assert page.status_code == 429
    text = page.content.decode()
    assert "Tạm khóa đăng nhập" in text
    assert "đăng nhập sai 5 lần" in text
    assert "30 phút" in text
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_user_and_address(client):
    """The locked pair is one user name from one address: others still log in."""
    make_staff("bientap")
    make_staff("duyetbai")
    for _ in range(5):
        log_in(client, "bientap", "sai-mat-khau")
    assert log_in(client, "duyetbai", "pw-duyetbai").status_code == 302
    client.logout()
    assert log_in(client, "bientap", "pw-bientap", address="198.51.100.20").status_code == 302


def test_lockout_ends_after_30_minutes(client):
    """Once 30 minutes have passed since the last failure the user may log in again."""
    make_staff("bientap")
    for _ in range(5):
        log_in(client, "bientap", "sai-mat-khau")
    assert log_in(client, "bientap", "pw-bientap").status_code == 429
    attempt = AccessAttempt.objects.get(username="bientap")
    attempt.attempt_time -= timedelta(minutes=29)
    attempt.save()
    assert log_in(client, "bientap", "pw-bientap").status_code == 429
    attempt.refresh_from_db()
    attempt.attempt_time -= timedelta(minutes=31)
    attempt.save()
    assert log_in(client, "bientap", "pw-bientap").status_code == 302


def test_a_successful_login_forgets_earlier_failures(client):
    """Four typos, then the right password: the count starts again from zero."""
    make_staff("bientap")
    for _ in range(4):
        log_in(client, "bientap", "sai-mat-khau")
    assert log_in(client, "bientap", "pw-bientap").status_code == 302
    client.logout()
    for _ in range(4):
        assert log_in(client, "bientap", "sai-mat-khau").status_code == 200
    assert log_in(client, "bientap", "pw-bientap").status_code == 302


def test_admin_path_comes_from_admin_url():
    """ADMIN_URL moves the admin; the old /admin/ path no longer leads to it."""
    code = (
        "import django; django.setup(); from django.urls import reverse, resolve, Resolver404\n"
        "print(reverse('admin:index'))\n"
        "try:\n    resolve('/admin/')\n    print('found')\nexcept Resolver404:\n    print('missing')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "kimson_portal.settings", "ADMIN_URL": "quan-tri-7f3a/"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["/quan-tri-7f3a/", "missing"], result.stderr


def test_spraying_many_user_names_from_one_address_locks_the_address(client):
    """20 wrong passwords from one address, whatever the names, lock that address for every name."""
    make_staff("bientap")
    statuses = [log_in(client, f"canbo{n % 30}", "sai-mat-khau").status_code for n in range(120)]
    assert statuses[:19] == [200] * 19
    assert set(statuses[19:]) == {429}
    page = log_in(client, "bientap", "pw-bientap")
    assert page.status_code == 429
    text = page.content.decode()
    assert "từ địa chỉ của bạn" in text and "20 lần" in text and "30 phút" in text
    assert "_auth_user_id" not in client.session
    assert log_in(client, "bientap", "pw-bientap", address="198.51.100.20").status_code == 302


def test_a_correct_password_does_not_clear_the_address_count(client):
    """One known password between guesses does not reset what the address has sprayed on other names."""
    make_staff("bientap")
    for n in range(15):
        log_in(client, f"canbo{n}", "sai-mat-khau")
    assert log_in(client, "bientap", "pw-bientap").status_code == 302
    client.logout()
    statuses = [log_in(client, f"khac{n}", "sai-mat-khau").status_code for n in range(6)]
    assert statuses == [200, 200, 200, 200, 429, 429]
