"""Votes under real concurrency: several client processes against several gunicorn workers."""

import multiprocessing
import random
import uuid
from concurrent.futures import ProcessPoolExecutor

import pytest

from polls.models import Choice, Vote
from tests.factories import make_poll, visitor_cookie
from tests.live import gunicorn_server
from tests.poll_voters import cast_votes

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.live]

CLIENT_PROCESSES = 4
COUNTED = {200, 303}


def send_from_processes(base_url, poll_id, ballots):
    """Spread the ballots over client processes; returns [(visitor_id, status)]."""
    chunks = [ballots[n::CLIENT_PROCESSES] for n in range(CLIENT_PROCESSES)]
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(CLIENT_PROCESSES, mp_context=spawn) as pool:
        answers = pool.map(cast_votes, [base_url] * CLIENT_PROCESSES, [poll_id] * CLIENT_PROCESSES, chunks)
        return [answer for chunk in answers for answer in chunk]


def test_parallel_votes_are_each_counted_exactly_once():
    """100 visitors and a 20-request burst by one more, in parallel: 101 votes counted, none lost."""
    poll = make_poll(choices=("A", "B", "C"))
    choice_ids = list(poll.choices.values_list("pk", flat=True))
    distinct = [(visitor_cookie(), choice_ids[n % 3], n % 2 == 0) for n in range(100)]
    repeater = visitor_cookie()
    burst = [(repeater, choice_ids[1], n % 2 == 0) for n in range(20)]
    ballots = distinct + burst
    random.Random(7).shuffle(ballots)

    with gunicorn_server(workers=3, env={"POLL_VOTE_RATE": "100000/m", "POLL_VOTE_CAPS": "100000/m"}) as base_url:
        answers = send_from_processes(base_url, poll.pk, ballots)

    repeater_statuses = sorted(status for visitor, status in answers if visitor == repeater)
    other_statuses = {status for visitor, status in answers if visitor != repeater}
    assert other_statuses == COUNTED
    assert sum(status in COUNTED for status in repeater_statuses) == 1
    assert repeater_statuses.count(409) == 19
    assert Vote.objects.filter(poll=poll).count() == 101
    votes = dict(Choice.objects.filter(poll=poll).values_list("pk", "votes"))
    assert [votes[pk] for pk in choice_ids] == [34, 33 + 1, 33]


def test_a_burst_from_one_address_is_limited_across_workers(redis_url):
    """With Redis as the shared cache, the per-address limit holds across gunicorn workers."""
    poll = make_poll(choices=("A", "B"))
    choice_id = poll.choices.first().pk
    ballots = [(visitor_cookie(), choice_id, n % 2 == 0) for n in range(30)]
    env = {"REDIS_URL": redis_url, "CACHE_KEY_PREFIX": f"test-{uuid.uuid4().hex}", "POLL_VOTE_RATE": "10/d"}

    with gunicorn_server(workers=3, env=env) as base_url:
        answers = send_from_processes(base_url, poll.pk, ballots)

    statuses = [status for _, status in answers]
    assert sum(status in COUNTED for status in statuses) == 10
    assert statuses.count(429) == 20
    assert Choice.objects.get(pk=choice_id).votes == 10
