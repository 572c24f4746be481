import re
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from polls import demo
from polls.models import AlreadyVoted, Choice, Poll, Vote
from portal.visitors import VISITOR_COOKIE
from tests.factories import make_poll, make_staff, visitor_cookie

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36"
JSON = {"accept": "application/json"}


def visitor(address="203.0.113.7", **headers):
    """A browser that already has its visitor cookie, as after its first page view."""
    browser = Client(headers={"user-agent": BROWSER, **headers}, REMOTE_ADDR=address)
    browser.cookies[VISITOR_COOKIE] = visitor_cookie()
    return browser


def counts(poll):
    return list(Choice.objects.filter(poll=poll).order_by("order").values_list("votes", flat=True))


def vote(browser, poll, *choices, json=False):
    data = {"choice": [str(getattr(choice, "pk", choice)) for choice in choices]}
    return browser.post(reverse("polls:vote", args=[poll.pk]), data, headers=JSON if json else {})


def sidebar_html(browser):
    html = browser.get("/").content.decode()
    return html[html.index('id="side-poll"') :].split("</section>")[0]


# --- the model ---------------------------------------------------------------------------


def test_results_give_counts_and_percentages_in_choice_order():
    """Poll.results(): each choice's count and share of all votes, with a comma decimal."""
    poll = make_poll(choices=("A", "B", "C"))
    Choice.objects.filter(poll=poll, text="A").update(votes=2)
    Choice.objects.filter(poll=poll, text="B").update(votes=1)
    results = poll.results()
    assert results.total == 3
    assert [(row.choice.text, row.votes, row.percent_text) for row in results.rows] == [
        ("A", 2, "66,7%"),
        ("B", 1, "33,3%"),
        ("C", 0, "0,0%"),
    ]


def test_results_of_a_poll_nobody_voted_in_are_zero():
    """No votes: every choice shows 0 and 0,0% (no division by zero)."""
    results = make_poll().results()
    assert results.total == 0
    assert {row.percent_text for row in results.rows} == {"0,0%"}


def test_record_vote_twice_for_one_visitor_counts_once():
    """The server-side record refuses the same visitor's second vote, and counts stay."""
    poll = make_poll()
    first = poll.choices.first()
    poll.record_vote("a" * 32, [first])
    with pytest.raises(AlreadyVoted):
        poll.record_vote("a" * 32, [poll.choices.last()])
    assert counts(poll) == [1, 0, 0]
    assert Vote.objects.get().choices.get() == first


def test_sidebar_poll_is_the_open_one_else_the_latest_closed():
    """Hidden and future polls never show; an open poll wins over a closed one."""
    now = timezone.now()
    closed = make_poll("Đã đóng", days=10, closes_at=now - timedelta(days=1))
    make_poll("Ẩn", is_active=False)
    make_poll("Tương lai", days=-2)
    assert Poll.objects.for_sidebar().first() == closed
    opened = make_poll("Đang mở", days=20)
    assert Poll.objects.for_sidebar().first() == opened


# --- the sidebar block -------------------------------------------------------------------


def test_sidebar_shows_the_active_poll_with_radio_buttons_and_both_buttons():
    """Question, one labelled radio button per choice, "Bình chọn" and "Xem kết quả"."""
    poll = make_poll("Bạn quan tâm mục gì nhất trong Website của chúng tôi?", choices=("Tin tức - Sự kiện", "Lịch"))
    block = sidebar_html(visitor())
    assert "Bạn quan tâm mục gì nhất trong Website của chúng tôi?" in block
    radios = re.findall(r'<input type="radio" name="choice" value="(\d+)" id="([\w-]+)"', block)
    assert [int(value) for value, _ in radios] == list(poll.choices.values_list("pk", flat=True))
    for _, input_id in radios:
        assert f'<label for="{input_id}">' in block
    assert ">Bình chọn</button>" in block
    assert f'href="{reverse("polls:results", args=[poll.pk])}"' in block and ">Xem kết quả</a>" in block
    assert "csrfmiddlewaretoken" in block


def test_multiple_choice_poll_shows_checkboxes():
    """A multiple-choice poll offers checkboxes and says several may be chosen."""
    make_poll(kind=Poll.Kind.MULTIPLE)
    block = sidebar_html(visitor())
    assert block.count('type="checkbox"') == 3 and 'type="radio"' not in block
    assert "Có thể chọn nhiều phương án." in block


def test_sidebar_without_poll_says_so():
    """No open poll: the block says there is none."""
    assert "Hiện chưa có cuộc bình chọn nào." in sidebar_html(visitor())


def test_sidebar_of_a_closed_poll_shows_results_only():
    """A closed poll: results and the notice, no form to vote."""
    poll = make_poll(days=5, closes_at=timezone.now() - timedelta(hours=1))
    Choice.objects.filter(pk=poll.choices.first().pk).update(votes=4)
    block = sidebar_html(visitor())
    assert "<form" not in block and 'type="radio"' not in block
    assert "Cuộc bình chọn đã kết thúc." in block
    assert "4 lượt (100,0%)" in block


def test_sidebar_after_voting_shows_results():
    """Once the visitor has voted (per-poll cookie), the block shows results, not the form."""
    poll = make_poll()
    browser = visitor()
    vote(browser, poll, poll.choices.first())
    block = sidebar_html(browser)
    assert "<form" not in block and "1 lượt (100,0%)" in block


def test_sidebar_block_query_count_does_not_grow_with_choices(django_assert_num_queries, rf):
    """The block costs two queries (poll, choices) with 2 or 12 choices."""
    template = Template("{% load polls_tags %}{% poll_block %}")
    request = rf.get("/")
    for number in (2, 12):
        Poll.objects.all().delete()
        make_poll(choices=[f"Phương án {n}" for n in range(number)])
        with django_assert_num_queries(2):
            html = template.render(Context({"request": request}))
        assert html.count('name="choice"') == number


def test_templates_have_no_inline_script_or_style():
    """Strict CSP ahead: the block loads polls.js from a file and has no inline handlers."""
    make_poll()
    block = sidebar_html(visitor())
    assert re.search(r'<script src="/static/js/polls.js" defer></script>', block)
    assert not re.search(r"<script(?![^>]*\bsrc=)", block)
    assert not re.search(r"\son\w+=|\sstyle=", block)


# --- voting without JavaScript ------------------------------------------------------------


def test_plain_form_vote_redirects_to_results_with_a_thank_you():
    """POST, then redirect (303) to the results page showing the message and the new count."""
    poll = make_poll()
    browser = visitor()
    response = vote(browser, poll, poll.choices.all()[1])
    assert response.status_code == 303
    assert response["Location"] == reverse("polls:results", args=[poll.pk])
    assert browser.cookies[f"kpoll{poll.pk}"].value == "1"
    page = browser.get(response["Location"]).content.decode()
    assert "Cảm ơn bạn đã tham gia bình chọn." in page
    assert "1 lượt (100,0%)" in page and "0 lượt (0,0%)" in page
    assert counts(poll) == [0, 1, 0]


def test_second_vote_by_the_same_visitor_changes_nothing():
    """Same visitor cookie, per-poll cookie lost: the server record refuses with a message."""
    poll = make_poll()
    browser = visitor()
    vote(browser, poll, poll.choices.first())
    del browser.cookies[f"kpoll{poll.pk}"]
    response = vote(browser, poll, poll.choices.last())
    assert response.status_code == 409
    assert "Bạn đã bình chọn cho câu hỏi này rồi." in response.content.decode()
    assert counts(poll) == [1, 0, 0]
    assert browser.cookies[f"kpoll{poll.pk}"].value == "1"


def test_repeated_vote_shows_only_the_already_voted_message():
    """Sent twice before the first answer was read (double click): the refusal alone, no thank-you beside it."""
    poll = make_poll()
    browser = visitor()
    assert vote(browser, poll, poll.choices.first()).status_code == 303  # redirect not followed
    response = vote(browser, poll, poll.choices.first())
    html = response.content.decode()
    assert response.status_code == 409
    assert "Bạn đã bình chọn cho câu hỏi này rồi." in html
    assert "Cảm ơn bạn đã tham gia bình chọn." not in html
    assert (
        "Cảm ơn bạn đã tham gia bình chọn."
        not in browser.get(reverse("polls:results", args=[poll.pk])).content.decode()
    )


def test_second_vote_with_the_poll_cookie_but_a_new_visitor_cookie_changes_nothing():
    """A browser that clears its visitor cookie still carries the per-poll cookie."""
    poll = make_poll()
    browser = visitor()
    vote(browser, poll, poll.choices.first())
    browser.cookies[VISITOR_COOKIE] = visitor_cookie()
    response = vote(browser, poll, poll.choices.first())
    assert response.status_code == 409
    assert counts(poll) == [1, 0, 0] and Vote.objects.count() == 1


def test_multiple_choice_vote_counts_each_chosen_option():
    """Two boxes ticked: both counts move by one; one vote record."""
    poll = make_poll(kind=Poll.Kind.MULTIPLE)
    first, _, third = poll.choices.all()
    assert vote(visitor(), poll, first, third).status_code == 303
    assert counts(poll) == [1, 0, 1]
    assert set(Vote.objects.get().choices.all()) == {first, third}


@pytest.mark.parametrize(
    ("kind", "choices", "message"),
    [
        (Poll.Kind.MULTIPLE, [], "Vui lòng chọn ít nhất một phương án."),
        (Poll.Kind.SINGLE, [], "Vui lòng chọn một phương án."),
        (Poll.Kind.SINGLE, ["first", "last"], "Câu hỏi này chỉ được chọn một phương án."),
        (Poll.Kind.SINGLE, ["foreign"], "Phương án đã chọn không thuộc câu hỏi này."),
        (Poll.Kind.MULTIPLE, ["first", "foreign"], "Phương án đã chọn không thuộc câu hỏi này."),
        (Poll.Kind.SINGLE, ["abc"], "Phương án đã chọn không thuộc câu hỏi này."),
        (Poll.Kind.SINGLE, ["99999999999999999999999"], "Phương án đã chọn không thuộc câu hỏi này."),
    ],
)
def test_bad_choices_get_a_message_tied_to_the_options_and_400(kind, choices, message):
    """No option, too many, another poll's option or garbage: 400, a message, nothing counted."""
    poll = make_poll(kind=kind)
    other = make_poll("Câu hỏi khác")
    ids = {"first": poll.choices.first().pk, "last": poll.choices.last().pk, "foreign": other.choices.first().pk}
    response = vote(visitor(), poll, *[ids.get(choice, choice) for choice in choices])
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    error_id = f"poll-main-{poll.pk}-error"
    assert f'aria-describedby="{error_id}"' in html and f'id="{error_id}"' in html
    assert counts(poll) == [0, 0, 0] and not Vote.objects.exists()


def test_unknown_or_hidden_poll_is_a_404_with_a_message():
    """Voting in a poll that does not exist (or is hidden) answers 404 in Vietnamese."""
    hidden = make_poll(is_active=False)
    browser = visitor()
    for pk in (hidden.pk, 999999, 99999999999999999999999):
        response = browser.post(reverse("polls:vote", args=[pk]), {"choice": "1"})
        assert response.status_code == 404
        assert "Không tìm thấy cuộc bình chọn này." in response.content.decode()
    assert browser.get(reverse("polls:results", args=[hidden.pk])).status_code == 404
    assert counts(hidden) == [0, 0, 0]


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [
        (-5, -1, "Cuộc bình chọn đã kết thúc."),
        (2, None, "Cuộc bình chọn bắt đầu lúc"),
    ],
)
def test_closed_or_future_poll_shows_results_only(opens, closes, message):
    """Votes in a closed or not-yet-open poll are refused (409); its pages show results only."""
    now = timezone.now()
    poll = make_poll(days=0, opens_at=now + timedelta(days=opens), closes_at=closes and now + timedelta(days=closes))
    browser = visitor()
    response = vote(browser, poll, poll.choices.first())
    assert response.status_code == 409 and message in response.content.decode()
    assert counts(poll) == [0, 0, 0]
    assert browser.get(reverse("polls:detail", args=[poll.pk]))["Location"] == reverse("polls:results", args=[poll.pk])
    page = browser.get(reverse("polls:results", args=[poll.pk])).content.decode()
    assert message in page and 'name="choice"' not in page.split('id="side-poll"')[0]


def test_crawlers_cannot_vote():
    """A known crawler is not a visitor: 403 and nothing counted."""
    poll = make_poll()
    crawler = Client(headers={"user-agent": "Googlebot/2.1 (+http://www.google.com/bot.html)"})
    response = vote(crawler, poll, poll.choices.first())
    assert response.status_code == 403
    assert "Trình thu thập dữ liệu tự động không thể bình chọn." in response.content.decode()
    assert counts(poll) == [0, 0, 0]


def test_a_browser_without_the_visitor_cookie_cannot_vote():
    """Without the visitor cookie every request would be a new visitor: 400 with how to fix it."""
    poll = make_poll()
    browser = Client(headers={"user-agent": BROWSER})
    response = vote(browser, poll, poll.choices.first())
    assert response.status_code == 400
    assert "Vui lòng bật cookie" in response.content.decode()
    assert counts(poll) == [0, 0, 0]


def test_vote_needs_post_and_csrf():
    """GET on the vote address is 405; a POST without the CSRF token is refused."""
    poll = make_poll()
    assert visitor().get(reverse("polls:vote", args=[poll.pk])).status_code == 405
    browser = Client(enforce_csrf_checks=True, headers={"user-agent": BROWSER})
    browser.cookies[VISITOR_COOKIE] = visitor_cookie()
    assert vote(browser, poll, poll.choices.first()).status_code == 403
    assert counts(poll) == [0, 0, 0]


def test_results_page_shows_numbers_as_text_beside_bars():
    """Counts and percentages are text; the bar is a <meter> hidden from screen readers."""
    poll = make_poll(choices=("Tin tức", "Văn bản"))
    first, second = poll.choices.all()
    Choice.objects.filter(pk=first.pk).update(votes=1234)
    Choice.objects.filter(pk=second.pk).update(votes=766)
    html = visitor().get(reverse("polls:results", args=[poll.pk])).content.decode()
    assert "1.234 lượt (61,7%)" in html and "766 lượt (38,3%)" in html
    assert "Tổng số: <strong>2.000</strong> lượt bình chọn" in html
    assert '<meter class="poll-results__bar" min="0" max="100" value="61.7" aria-hidden="true">' in html
    assert "Quay lại bình chọn" in html


# --- voting with JavaScript (JSON) ------------------------------------------------------


def test_json_vote_answers_with_results_and_the_block_html():
    """fetch with Accept: application/json gets counts, percentages and the results fragment."""
    poll = make_poll(choices=("A", "B"))
    first = poll.choices.first()
    response = vote(visitor(), poll, first, json=True)
    assert response.status_code == 200
    data = response.json()
    assert data["ok"] is True and data["message"] == "Cảm ơn bạn đã tham gia bình chọn."
    assert data["results"]["total"] == 1
    assert data["results"]["choices"][0] == {"id": first.pk, "text": "A", "votes": 1, "percent": 100.0}
    assert "1 lượt (100,0%)" in data["html"] and "Quay lại bình chọn" not in data["html"]
    assert response.cookies[f"kpoll{poll.pk}"].value == "1"


def test_json_second_vote_is_409_with_the_message():
    """The second vote by fetch: ok false, the Vietnamese message, counts unchanged."""
    poll = make_poll()
    browser = visitor()
    vote(browser, poll, poll.choices.first(), json=True)
    response = vote(browser, poll, poll.choices.first(), json=True)
    assert response.status_code == 409
    data = response.json()
    assert data["ok"] is False and data["error"].startswith("Bạn đã bình chọn cho câu hỏi này rồi.")
    assert data["results"]["total"] == 1


def test_json_bad_input_is_400_with_the_message():
    """fetch with nothing chosen: 400 and the message the block shows under the options."""
    poll = make_poll(kind=Poll.Kind.MULTIPLE)
    response = vote(visitor(), poll, json=True)
    assert response.status_code == 400
    assert response.json() == {"ok": False, "error": "Vui lòng chọn ít nhất một phương án."}
    response = visitor().post(reverse("polls:vote", args=[424242]), {}, headers=JSON)
    assert response.status_code == 404 and response.json()["ok"] is False


def test_json_results_for_the_xem_ket_qua_button():
    """ "Xem kết quả" by fetch: the results fragment with a way back to the form."""
    poll = make_poll()
    data = visitor().get(reverse("polls:results", args=[poll.pk]), headers=JSON).json()
    assert data["results"]["total"] == 0
    assert "Quay lại bình chọn" in data["html"]


# --- bursts from one address ---------------------------------------------------------------


def test_visitors_behind_one_shared_address_each_get_their_vote():
    """A school or office: several visitors from one address are each counted once."""
    poll = make_poll()
    for _ in range(8):
        assert vote(visitor("198.51.100.20"), poll, poll.choices.first()).status_code == 303
    assert counts(poll) == [8, 0, 0]


@pytest.fixture
def frozen_clock():
    """Rate-limit windows follow the clock: hold it still so no window ends mid-test."""
    now = time.time()
    with mock.patch("django_ratelimit.core.time.time", return_value=now) as clock:
        yield clock


def test_a_burst_from_one_address_is_429_and_counts_do_not_move(settings, frozen_clock):
    """Beyond the rate, votes from one address get 429 in Vietnamese and count nothing."""
    settings.POLL_VOTE_RATE = "5/m"
    poll = make_poll()
    statuses = [vote(visitor("198.51.100.30"), poll, poll.choices.first()).status_code for _ in range(5)]
    assert statuses == [303] * 5
    response = vote(visitor("198.51.100.30"), poll, poll.choices.first())
    assert response.status_code == 429
    assert "Bạn thao tác quá nhanh." in response.content.decode()
    json_response = vote(visitor("198.51.100.30"), poll, poll.choices.first(), json=True)
    assert json_response.status_code == 429 and json_response.json()["ok"] is False
    assert counts(poll) == [5, 0, 0]
    # Another address is not affected.
    assert vote(visitor("198.51.100.31"), poll, poll.choices.first()).status_code == 303


def test_a_limited_address_votes_again_once_the_window_passes(settings, frozen_clock):
    """Limit bursts, never ban: a minute later the shared address can vote again."""
    settings.POLL_VOTE_RATE = "2/m"
    poll = make_poll()
    for _ in range(2):
        vote(visitor("198.51.100.40"), poll, poll.choices.first())
    assert vote(visitor("198.51.100.40"), poll, poll.choices.first()).status_code == 429
    frozen_clock.return_value += 61
    assert vote(visitor("198.51.100.40"), poll, poll.choices.first()).status_code == 303
    assert counts(poll) == [3, 0, 0]


# --- admin and demo ------------------------------------------------------------------------


def test_admin_lists_polls_with_results_and_filters(client):
    """The change list shows each poll's results column and the Vietnamese filters."""
    poll = make_poll("Câu hỏi thử", choices=("Có", "Không"))
    Choice.objects.filter(poll=poll, text="Có").update(votes=3)
    client.force_login(make_staff("quantri", superuser=True))
    html = client.get(reverse("admin:polls_poll_changelist")).content.decode()
    assert "Câu hỏi thử" in html and "Có: 3 (100,0%)" in html and "Tổng: 3" in html
    assert "Đang mở" in html and "Theo Tình trạng" in html
    html = client.get(reverse("admin:polls_poll_changelist") + "?tinh-trang=closed").content.decode()
    assert "Câu hỏi thử" not in html


def test_admin_adds_a_poll_with_inline_choices(client):
    """A poll and its ordered choices are made on one admin page."""
    client.force_login(make_staff("quantri", superuser=True))
    now = timezone.localtime()
    data = {
        "question": "Bạn đánh giá thế nào?",
        "kind": "multiple",
        "is_active": "on",
        "opens_at_0": now.strftime("%Y-%m-%d"),
        "opens_at_1": now.strftime("%H:%M:%S"),
        "choices-TOTAL_FORMS": "2",
        "choices-INITIAL_FORMS": "0",
        "choices-MIN_NUM_FORMS": "2",
        "choices-MAX_NUM_FORMS": "1000",
        "choices-0-text": "Tốt",
        "choices-0-order": "1",
        "choices-0-votes": "0",
        "choices-1-text": "Chưa tốt",
        "choices-1-order": "2",
        "choices-1-votes": "0",
    }
    response = client.post(reverse("admin:polls_poll_add"), data)
    assert response.status_code == 302, re.findall(r"errorlist[^>]*>(.*?)</ul>", response.content.decode(), re.S)
    poll = Poll.objects.get()
    assert poll.is_multiple and list(poll.choices.values_list("text", flat=True)) == ["Tốt", "Chưa tốt"]


def test_demo_seed_adds_the_reference_poll_once():
    """seed_demo's poll: the reference's question, six choices with counts; a rerun adds nothing."""
    messages = []
    demo.seed(messages.append)
    demo.seed(messages.append)
    poll = Poll.objects.get()
    assert poll.question == "Bạn quan tâm mục gì nhất trong Website của chúng tôi?"
    assert poll.is_open() and poll.choices.count() == 6
    assert poll.results().total > 0
    assert len(messages) == 1
    assert Poll.objects.for_sidebar().first() == poll


def test_editing_a_poll_in_admin_keeps_votes_cast_meanwhile(client):
    """Counts are read-only once a poll exists: saving a stale form does not undo new votes."""
    poll = make_poll("Câu hỏi cũ", choices=("Có", "Không"))
    client.force_login(make_staff("quantri", superuser=True))
    url = reverse("admin:polls_poll_change", args=[poll.pk])
    assert 'name="choices-0-votes"' not in client.get(url).content.decode()
    Choice.objects.filter(poll=poll).update(votes=7)  # votes arrive while the page is open
    first, second = poll.choices.all()
    opens = timezone.localtime(poll.opens_at)
    data = {
        "question": "Câu hỏi mới",
        "kind": "single",
        "is_active": "on",
        "opens_at_0": opens.strftime("%Y-%m-%d"),
        "opens_at_1": opens.strftime("%H:%M:%S"),
        "choices-TOTAL_FORMS": "2",
        "choices-INITIAL_FORMS": "2",
        "choices-MIN_NUM_FORMS": "2",
        "choices-MAX_NUM_FORMS": "1000",
        "choices-0-id": str(first.pk),
        "choices-0-poll": str(poll.pk),
        "choices-0-text": "Có, rất quan tâm",
        "choices-0-order": "1",
        "choices-1-id": str(second.pk),
        "choices-1-poll": str(poll.pk),
        "choices-1-text": "Không",
        "choices-1-order": "2",
    }
    response = client.post(url, data)
    assert response.status_code == 302, re.findall(r"errorlist[^>]*>(.*?)</ul>", response.content.decode(), re.S)
    assert list(Choice.objects.filter(poll=poll).values_list("text", "votes")) == [
        ("Có, rất quan tâm", 7),
        ("Không", 7),
    ]
