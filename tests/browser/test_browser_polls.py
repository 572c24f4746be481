"""The sidebar poll in a real browser: vote, see the results, vote only once."""

import pytest

from tests.factories import make_article, make_poll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_vote_in_the_poll_and_see_the_results(open_context):
    """A reader votes on an article page and sees the results; the next visitor's vote adds up."""
    article = make_article("Khánh thành cầu Kim Đài")
    make_poll("Bạn thấy trang thông tin mới thế nào?", choices=("Rất hữu ích", "Hữu ích", "Chưa hữu ích"))

    page = open_context().new_page()
    page.goto(article.get_absolute_url())
    poll = page.get_by_role("region", name="Bình chọn")
    poll.get_by_label("Rất hữu ích").check()
    poll.get_by_role("button", name="Bình chọn").click()
    poll.get_by_text("Cảm ơn bạn đã tham gia bình chọn.").wait_for()
    assert "1 lượt (100,0%)" in poll.locator(".poll-results__row").first.inner_text()
    assert "Tổng số: 1 lượt bình chọn" in poll.inner_text()

    page.reload()
    assert poll.get_by_role("button", name="Bình chọn").count() == 0, "one vote per visitor"

    other = open_context().new_page()
    other.goto("/")
    poll = other.get_by_role("region", name="Bình chọn")
    poll.get_by_label("Hữu ích", exact=True).check()
    poll.get_by_role("button", name="Bình chọn").click()
    poll.get_by_text("Tổng số: 2 lượt bình chọn").wait_for()
    rows = poll.locator(".poll-results__row").all_inner_texts()
    assert [row.split("\n")[0] for row in rows] == ["Rất hữu ích", "Hữu ích", "Chưa hữu ích"]
    assert ["1 lượt (50,0%)" in rows[0], "1 lượt (50,0%)" in rows[1], "0 lượt (0,0%)" in rows[2]] == [True] * 3
