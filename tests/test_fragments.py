"""The page frame (header, sidebar, footer) rendered once per content version (portal.fragments)."""

import re
import threading
import time
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import make_article, make_category, make_document, make_poll

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36"


def page(path, client=None):
    """A page asked for the first time (each test asks for each page once, or as another visitor)."""
    response = (client or Client(HTTP_USER_AGENT=BROWSER)).get(path)
    assert response.status_code == 200
    return response.content.decode()


def sidebar(html):
    return html.split('<aside class="sidebar"')[1].split("</aside>")[0]


class CountingCache:
    """The cache, noting the keys of every request for shared kept values (`kept:...`)."""

    def __init__(self, real, asked):
        self.real, self.asked = real, asked

    def __getattr__(self, name):
        method = getattr(self.real, name)
        if name not in ("get", "get_many"):
            return method

        def counted(key, *args, **kwargs):
            keys = [key] if isinstance(key, str) else list(key)
            if any(k.startswith("kept:") for k in keys):
                self.asked.append(keys)
            return method(key, *args, **kwargs)

        return counted


@pytest.fixture
def articles():
    category = make_category("Kinh tế")
    return [make_article(f"Bài {i}", category=category, days=i) for i in range(3)]


def test_a_second_uncached_page_does_not_query_the_frame_again(articles):
    """Poll, documents and menu are read for the first page only; other articles reuse the frame."""
    make_poll()
    make_document()
    page(articles[0].get_absolute_url())
    with CaptureQueriesContext(connection) as first:
        page(articles[1].get_absolute_url())
    with CaptureQueriesContext(connection) as again:
        html = page(articles[2].get_absolute_url())
    assert len(again) == len(first)
    sql = " ".join(query["sql"] for query in again.captured_queries)
    assert "polls_poll" not in sql and "documents_document" not in sql
    assert "Bình chọn" in html and "125/QĐ-UBND" in html and "Bài 2" in html


def test_a_process_that_lacks_the_frame_takes_it_from_the_shared_cache(articles):
    """A worker just started, or serving a unit it had not served yet, reads the frame and the kept
    values another worker made (the shared cache) instead of querying and rendering them again."""
    from portal import fragments

    make_poll()
    make_document()
    page(articles[0].get_absolute_url())
    fragments.forget()  # this process's copies gone, as in another worker
    with CaptureQueriesContext(connection) as queries:
        html = page(articles[1].get_absolute_url())
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert "polls_poll" not in sql and "documents_document" not in sql and "news_category" not in sql
    assert "Bình chọn" in html and "125/QĐ-UBND" in html and "Bài 1" in html


def test_a_process_new_to_a_unit_takes_its_kept_values_in_one_round_trip(articles, monkeypatch):
    """With a hundred units, each worker meets each unit for the first time, and again after every
    save there: it takes the frame, the settings, the categories and every category's "Tin liên
    quan" from the shared cache in one request to it, not one per value or per category."""
    from portal import fragments

    other = make_category("Văn hóa - Xã hội")
    elsewhere = make_article("Bài văn hóa", category=other, days=1)
    make_article("Bài văn hóa mới", category=other, days=0)
    make_poll()
    make_document()
    page(articles[0].get_absolute_url())
    fragments.forget()
    asked = []
    monkeypatch.setattr(fragments, "cache", CountingCache(fragments.cache, asked))
    with CaptureQueriesContext(connection) as queries:
        html = page(elsewhere.get_absolute_url())
    assert len(asked) == 1, asked
    assert "Bài văn hóa mới" in html.split('id="tin-lien-quan"')[1]
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert "polls_poll" not in sql and "documents_document" not in sql and "news_category" not in sql
    assert 'ORDER BY "news_article"."publish_at" DESC' not in sql  # no category's list read again


def test_threads_of_a_process_that_miss_at_once_compute_once(articles):
    """Content just changed and four threads of a worker ask for the frame together: one renders
    it, the others wait for its copy rather than each rendering (and querying) the same."""
    from portal import fragments, units

    page(articles[0].get_absolute_url())  # the content version the page cache keeps
    assert fragments.content_version() is not None
    units.owner_id()  # the unit is known before the threads ask (its first lookup is a query)
    computed, results, start = [], [], threading.Barrier(4)

    def compute():
        computed.append(threading.get_ident())
        time.sleep(0.3)
        return "khung trang"

    def ask():
        start.wait()
        results.append(fragments.kept("test:slow", compute, share=False))

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["khung trang"] * 4
    assert len(computed) == 1


def test_a_thread_that_waits_too_long_for_another_computes_the_value_itself(articles, monkeypatch):
    """The first thread's query hangs: the next one waits LOCK_SECONDS at most, then computes."""
    from portal import fragments, units

    page(articles[0].get_absolute_url())
    units.owner_id()
    monkeypatch.setattr(fragments, "LOCK_SECONDS", 0.2)
    release, started, answers = threading.Event(), threading.Event(), {}

    def slow():
        started.set()
        release.wait(5)
        return "chậm"

    first = threading.Thread(target=lambda: answers.setdefault("first", fragments.kept("test:hung", slow, share=False)))
    first.start()
    started.wait(5)
    begun = time.perf_counter()
    answers["second"] = fragments.kept("test:hung", lambda: "nhanh", share=False)
    waited = time.perf_counter() - begun
    release.set()
    first.join()
    assert answers == {"first": "chậm", "second": "nhanh"}
    assert 0.15 < waited < 2


def _as_two_processes(first, second, name="test:shared", delay=0.05):
    """`first` and `second` (computes) asked for one shared value by two threads that share no
    process lock, as two workers do (`kept` without its per-process lock); {who: value}."""
    from portal import fragments, units

    version, unit = fragments.content_version(), units.owner_id()
    answers = {}

    def ask(who, compute):
        try:
            answers[who] = fragments._fetch_or_compute(unit, name, version, compute, True)
        except RuntimeError as error:
            answers[who] = error

    one = threading.Thread(target=ask, args=("first", first))
    one.start()
    time.sleep(delay)
    begun = time.perf_counter()
    ask("second", second)
    answers["waited"] = time.perf_counter() - begun
    one.join()
    return answers


def test_workers_that_miss_a_shared_value_at_once_compute_it_once(articles):
    """Content just changed and every worker asks for the sidebar at once: one renders it, the
    others take its copy from the shared cache as soon as it is there."""
    page(articles[0].get_absolute_url())
    computed = []

    def slow():
        computed.append("first")
        time.sleep(0.4)
        return "khung trang"

    def other():
        computed.append("second")
        return "khung khác"

    answers = _as_two_processes(slow, other)
    assert computed == ["first"]
    assert answers["first"] == answers["second"] == "khung trang"


def test_a_worker_whose_computation_fails_lets_the_waiting_ones_compute_at_once(articles, monkeypatch):
    from portal import pagecache

    page(articles[0].get_absolute_url())
    monkeypatch.setattr(pagecache, "CLAIM_SECONDS", 30)

    def failing():
        time.sleep(0.3)
        raise RuntimeError("cơ sở dữ liệu ngắt")

    answers = _as_two_processes(failing, lambda: "tự tính")
    assert isinstance(answers["first"], RuntimeError) and answers["second"] == "tự tính"
    assert answers["waited"] < 10  # not the claim's 30 s


def test_a_value_too_short_lived_to_share_lets_the_waiting_ones_compute_at_once(articles, monkeypatch):
    """A value that changes within a second (a poll closing) is not shared: its claim ends anyway."""
    from portal import fragments, pagecache

    page(articles[0].get_absolute_url())
    monkeypatch.setattr(pagecache, "CLAIM_SECONDS", 30)

    def brief():
        time.sleep(0.3)
        fragments.changes_at(timezone.now() + timedelta(milliseconds=500))
        return "ngắn"

    answers = _as_two_processes(brief, lambda: "tự tính")
    assert answers["second"] == "tự tính" and answers["waited"] < 10


def test_a_cache_that_cannot_claim_lets_every_worker_compute_without_waiting(articles, monkeypatch):
    """django-redis answers None to `add` when its server is down: no one waits for a claim."""
    from portal import pagecache

    page(articles[0].get_absolute_url())
    monkeypatch.setattr(pagecache, "CLAIM_SECONDS", 30)
    monkeypatch.setattr(pagecache.cache, "add", lambda *args, **kwargs: None)

    def slow():
        time.sleep(1.5)
        return "một"

    answers = _as_two_processes(slow, lambda: "hai")
    assert answers == {"first": "một", "second": "hai", "waited": answers["waited"]}
    assert answers["waited"] < 1  # not until the first one's value


def test_workers_that_miss_a_list_s_page_starts_at_once_count_them_once(articles):
    """The same for what pagecache.cached keeps (a list's count and page starts)."""
    from portal import pagecache

    page(articles[0].get_absolute_url())
    computed, answers = [], {}

    def slow():
        computed.append("first")
        time.sleep(0.4)
        return "đếm một lần"

    one = threading.Thread(target=lambda: answers.setdefault("first", pagecache.cached("test:starts", slow)))
    one.start()
    time.sleep(0.05)
    answers["second"] = pagecache.cached("test:starts", lambda: computed.append("second") or "đếm lại")
    one.join()
    assert computed == ["first"] and answers == {"first": "đếm một lần", "second": "đếm một lần"}


def test_a_value_missing_from_the_shared_cache_is_not_asked_for_twice(articles, monkeypatch):
    """What the one request for a unit's values did not find is computed, not asked for again."""
    from django.core.cache import cache

    from portal import fragments

    page(articles[0].get_absolute_url())
    version = fragments.content_version()
    cache.delete(f"kept:site-settings:{version}")
    fragments.forget()
    asked = []
    monkeypatch.setattr(fragments, "cache", CountingCache(fragments.cache, asked))
    html = page(articles[1].get_absolute_url())
    assert len(asked) == 1, "\n".join(" ".join(k[:30] for k in keys) for keys in asked)
    assert "Bài 1" in html


def test_a_shared_frame_ends_when_the_content_changes_and_at_its_moment(articles):
    """The shared copy follows the same rules as a process's own: a save makes it stale, and so does
    the moment a tag inside declared (a scheduled document's)."""
    from portal import fragments

    make_document("88/QĐ-UBND", publish_at=timezone.now() + timedelta(minutes=1))
    assert "88/QĐ-UBND" not in sidebar(page(articles[0].get_absolute_url()))
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        fragments.forget()
        assert "88/QĐ-UBND" in sidebar(page(articles[1].get_absolute_url()))
    make_document("77/KH-UBND", summary="Kế hoạch mới")
    fragments.forget()
    assert "77/KH-UBND" in sidebar(page(articles[2].get_absolute_url()))


def test_a_broken_shared_cache_only_costs_the_queries(articles, monkeypatch):
    from portal import fragments

    class Broken:
        """The cache failing for the shared copies (the content version still read)."""

        def get(self, key, *args):
            if key.startswith("kept:"):
                raise ConnectionError("cache down")
            return real.get(key, *args)

        def set(self, key, *args):
            raise ConnectionError("cache down")

    real = fragments.cache
    make_document()
    monkeypatch.setattr(fragments, "cache", Broken())
    fragments.forget()
    assert "125/QĐ-UBND" in sidebar(page(articles[0].get_absolute_url()))


@pytest.mark.parametrize("garbage", ["ab", ("soon", "<p>x</p>"), (None, "<p>x</p>"), 12, ()])
def test_a_shared_copy_this_build_never_wrote_only_costs_the_queries(articles, monkeypatch, garbage):
    """An entry under a kept value's key that is not (expiry, value), fetched with the others or on
    its own, is ignored as a missing one is: the page is rendered, not an error."""
    from portal import fragments

    class Garbled:
        def __getattr__(self, name):
            return getattr(real, name)

        def get(self, key, *args, **kwargs):
            return garbage if key.startswith("kept:") else real.get(key, *args, **kwargs)

        def get_many(self, keys, *args, **kwargs):
            return {key: garbage for key in keys if key.startswith("kept:")}

    real = fragments.cache
    make_document()
    page(articles[1].get_absolute_url())
    monkeypatch.setattr(fragments, "cache", Garbled())
    fragments.forget()
    assert "125/QĐ-UBND" in sidebar(page(articles[0].get_absolute_url()))


def test_saved_content_shows_in_the_frame_at_once(articles):
    page(articles[0].get_absolute_url())
    make_document("77/KH-UBND", summary="Kế hoạch mới")
    assert "77/KH-UBND" in sidebar(page(articles[1].get_absolute_url()))


def test_a_scheduled_document_appears_in_the_sidebar_at_its_time(articles):
    make_document("88/QĐ-UBND", publish_at=timezone.now() + timedelta(minutes=1))
    assert "88/QĐ-UBND" not in sidebar(page(articles[0].get_absolute_url()))
    with time_machine.travel(timezone.now() + timedelta(minutes=1, seconds=1), tick=False):
        assert "88/QĐ-UBND" in sidebar(page(articles[1].get_absolute_url()))


def test_a_poll_that_closes_shows_its_results_at_once_and_one_opening_shows_its_form(articles):
    make_poll("Câu hỏi cũ?", closes_at=timezone.now() + timedelta(minutes=1))
    make_poll("Câu hỏi mới?", days=-1 / 24 / 60 * 2)  # opens in two minutes
    assert 'name="choice"' in sidebar(page(articles[0].get_absolute_url()))
    with time_machine.travel(timezone.now() + timedelta(minutes=1, seconds=1), tick=False):
        closed = sidebar(page(articles[1].get_absolute_url()))
        assert 'name="choice"' not in closed and "Câu hỏi cũ?" in closed
    with time_machine.travel(timezone.now() + timedelta(minutes=2, seconds=1), tick=False):
        opened = sidebar(page(articles[2].get_absolute_url()))
        assert "Câu hỏi mới?" in opened and 'name="choice"' in opened


def test_every_reader_gets_their_own_csrf_token_and_a_voter_their_results(articles):
    poll = make_poll()
    tokens = set()
    for article in articles[:2]:
        html = sidebar(page(article.get_absolute_url()))
        tokens |= set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    assert len(tokens) == 2 and not any("live:" in token for token in tokens)
    voter = Client(HTTP_USER_AGENT=BROWSER)
    voter.cookies[f"kpoll{poll.pk}"] = "1"
    assert 'name="choice"' not in sidebar(page(articles[2].get_absolute_url(), voter))
    assert 'name="choice"' in sidebar(page(articles[2].get_absolute_url()))
