"""The client's address behind nginx: right-most untrusted hop of X-Forwarded-For, only from a trusted peer."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from portal.clientaddr import ClientAddressMiddleware


def seen_address(remote_addr, forwarded_for=None, trusted=("127.0.0.1", "::1")):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    request = RequestFactory().get("/", **headers)
    with override_settings(TRUSTED_PROXIES=list(trusted)):
        ClientAddressMiddleware(lambda request: HttpResponse())(request)
    return request.META["REMOTE_ADDR"]


@pytest.mark.parametrize(
    ("remote_addr", "forwarded_for", "expected"),
    [
        # nginx on this machine appended the client's address.
        ("127.0.0.1", "203.0.113.7", "203.0.113.7"),
        # what the client sent itself stands to the left and is never taken.
        ("127.0.0.1", "198.51.100.1, 203.0.113.7", "203.0.113.7"),
        ("127.0.0.1", "127.0.0.1, 203.0.113.7", "203.0.113.7"),
        ("127.0.0.1", "nonsense, 203.0.113.7", "203.0.113.7"),
        # a client reaching gunicorn directly cannot choose its address.
        ("203.0.113.7", "198.51.100.1", "203.0.113.7"),
        # no header: the peer itself.
        ("127.0.0.1", None, "127.0.0.1"),
        # junk where nginx's address should be: the proxy, not a guess.
        ("127.0.0.1", "198.51.100.1, garbage", "127.0.0.1"),
        ("::1", "2001:db8::5", "2001:db8::5"),
    ],
)
def test_right_most_untrusted_address_is_the_client(remote_addr, forwarded_for, expected):
    """Only a trusted peer's header counts, read from the right, skipping trusted proxies."""
    assert seen_address(remote_addr, forwarded_for) == expected


def test_a_chain_of_trusted_proxies_is_walked():
    """A load balancer in a trusted network in front of nginx: the address before both is the client."""
    forwarded = "198.51.100.1, 203.0.113.7, 10.0.0.5"
    assert seen_address("127.0.0.1", forwarded, trusted=("127.0.0.1", "10.0.0.0/8")) == "203.0.113.7"


def test_nothing_is_trusted_without_trusted_proxies():
    """With TRUSTED_PROXIES empty, X-Forwarded-For is ignored altogether."""
    assert seen_address("127.0.0.1", "203.0.113.7", trusted=()) == "127.0.0.1"


@pytest.mark.django_db
def test_rate_limits_and_the_login_lock_key_on_the_client_behind_the_proxy(client, settings):
    """The header arriving as "forged, client" neither breaks the views (no 500) nor lets the forged part count."""
    from axes.models import AccessAttempt

    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    for forged in ("1.1.1.1", "2.2.2.2", "3.3.3.3"):
        response = client.post(
            "/admin/login/",
            {"username": "ai-do", "password": "sai"},
            HTTP_X_FORWARDED_FOR=f"{forged}, 203.0.113.7",
        )
        assert response.status_code == 200
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


def test_a_mistyped_trusted_proxy_stops_the_start():
    """TRUSTED_PROXIES=127.0.0.l refuses to start instead of failing every request."""
    from tests.test_security import run_python

    result = run_python(
        "import django; django.setup()", DJANGO_SETTINGS_MODULE="kimson_portal.settings", TRUSTED_PROXIES="127.0.0.l"
    )
    assert result.returncode != 0
    assert "TRUSTED_PROXIES: '127.0.0.l' is not an address or network" in result.stderr
