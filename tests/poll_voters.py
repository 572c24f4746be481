"""Client processes for the poll concurrency tests: standard library only, so a spawned
process imports this module without Django."""

import secrets
import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def post_vote(base_url, poll_id, visitor_id, choice_id, as_json):
    """One browser's vote: visitor cookie, CSRF cookie and token; returns the HTTP status."""
    token = secrets.token_hex(16)
    request = urllib.request.Request(
        f"{base_url}/binh-chon/{poll_id}/bo-phieu/",
        data=urllib.parse.urlencode({"choice": choice_id, "csrfmiddlewaretoken": token}).encode(),
        headers={
            "Cookie": f"kv={visitor_id}; csrftoken={token}",
            "User-Agent": BROWSER,
            "Accept": "application/json" if as_json else "text/html",
        },
        method="POST",
    )
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def cast_votes(base_url, poll_id, ballots, threads=8):
    """Send (visitor_id, choice_id, as_json) ballots at once from this process's threads.

    Returns [(visitor_id, status)] in the ballots' order.
    """
    # The first request of every thread leaves at the same moment; the rest follow at once.
    start = threading.Barrier(min(threads, len(ballots)))

    def send(numbered):
        number, ballot = numbered
        if number < start.parties:
            start.wait(timeout=30)
        return ballot[0], post_vote(base_url, poll_id, *ballot)

    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(send, enumerate(ballots)))
