"""The client's address behind the proxies we run, in REMOTE_ADDR, for everything that reads it.

nginx appends the address it saw to X-Forwarded-For (`$proxy_add_x_forwarded_for`); whatever a
client put there itself stands to the left. So the header is read from the right, skipping our
own proxies (TRUSTED_PROXIES), and the first address that is not one of them is the client.
A request whose direct peer is not a trusted proxy keeps its REMOTE_ADDR and the header is
ignored. Rate limits, the login lock and the Redis limiter all key on REMOTE_ADDR.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


def _address(text):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_address(remote_addr, forwarded_for, trusted):
    """The right-most address of peer + X-Forwarded-For that is not a trusted proxy."""
    client = remote_addr
    hops = [hop for hop in (forwarded_for or "").split(",") if hop.strip()]
    for hop in reversed(hops):
        peer = _address(client)
        if peer is None or not any(peer in network for network in trusted):
            break
        if _address(hop) is None:
            break  # junk in the header: keep the last proxy we trust rather than guess
        client = hop.strip()
    return client


@lru_cache(maxsize=8)
def _networks(proxies):
    return [ipaddress.ip_network(proxy, strict=False) for proxy in proxies]


class ClientAddressMiddleware:
    """Placed first in MIDDLEWARE: sets REMOTE_ADDR to the client's address before anything reads it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        forwarded_for = meta.get("HTTP_X_FORWARDED_FOR")
        trusted = _networks(tuple(settings.TRUSTED_PROXIES))
        if forwarded_for and trusted:
            meta["REMOTE_ADDR"] = client_address(meta.get("REMOTE_ADDR", ""), forwarded_for, trusted)
        return self.get_response(request)
