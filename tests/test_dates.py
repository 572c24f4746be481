from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template

from portal.dates import long_date
from tests.factories import freeze_now


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 11, 18), "Thứ hai, 18/11/2024"),
        (date(2024, 11, 19), "Thứ ba, 19/11/2024"),
        (date(2024, 11, 20), "Thứ tư, 20/11/2024"),
        (date(2024, 11, 21), "Thứ năm, 21/11/2024"),
        (date(2024, 11, 22), "Thứ sáu, 22/11/2024"),
        (date(2024, 11, 23), "Thứ bảy, 23/11/2024"),
        (date(2024, 11, 24), "Chủ nhật, 24/11/2024"),
    ],
)
def test_long_date_spells_out_every_weekday(day, expected):
    """The long_date filter prints all seven weekdays in words, never "Thứ 5"."""
    rendered = Template("{% load portal_tags %}{{ day|long_date }}").render(Context({"day": day}))
    assert rendered == expected


def test_long_date_uses_vietnam_time_before_midnight():
    """16:59:59 UTC on 20/11 is still Wednesday 20/11 in Asia/Ho_Chi_Minh."""
    assert long_date(datetime(2024, 11, 20, 16, 59, 59, tzinfo=UTC)) == "Thứ tư, 20/11/2024"


def test_long_date_turns_to_the_next_day_at_vietnam_midnight():
    """17:00:00 UTC on 20/11 is already Thursday 21/11 in Asia/Ho_Chi_Minh."""
    assert long_date(datetime(2024, 11, 20, 17, 0, 0, tzinfo=UTC)) == "Thứ năm, 21/11/2024"


def test_long_date_of_nothing_is_empty():
    """A missing date prints nothing rather than failing."""
    assert long_date(None) == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2024, 11, 20, 16, 59, 59, tzinfo=UTC), "Thứ tư, 20/11/2024"),
        (datetime(2024, 11, 20, 17, 0, 0, tzinfo=UTC), "Thứ năm, 21/11/2024"),
    ],
)
def test_date_bar_shows_today_in_vietnam(client, monkeypatch, now, expected):
    """Every page's date bar shows today's date in the long form, in Vietnam's time zone."""
    freeze_now(monkeypatch, now)
    page = client.get("/").content.decode()
    assert f'<span class="datebar__date">{expected}</span>' in page
