import re

import pytest
from django.test import Client

from news.models import Article
from portal.visitors import VISITOR_COOKIE
from ratings.models import Rating, RatingSummary
from tests.factories import make_article, visitor_cookie

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("counter_store")]

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"
JSON = {"HTTP_ACCEPT": "application/json"}


def visitor(**extra):
    """A browser with the visitor cookie the portal gave it on an earlier page."""
    client = Client(HTTP_USER_AGENT=BROWSER, **extra)
    client.cookies[VISITOR_COOKIE] = visitor_cookie()
    return client


def rate(client, article, score, **extra):
    return client.post(f"/danh-gia/{article.pk}/", {"score": score}, **extra)


def page(client, article):
    return client.get(article.get_absolute_url()).content.decode()


def test_unrated_article_shows_zero_points():
    """Nobody has rated: the block reads `0 điểm ( 0 đánh giá )` after its label."""
    html = page(visitor(), make_article())
    assert "Đánh giá cho bài viết:" in html
    assert "0 điểm ( 0 đánh giá )" in html


def test_stars_are_labelled_radio_buttons():
    """Five radio buttons, each tied to a label a screen reader reads as "N sao"."""
    article = make_article()
    html = page(visitor(), article)
    for star in range(1, 6):
        input_id = f"sao-{article.pk}-{star}"
        assert re.search(rf'<input[^>]+type="radio" name="score" value="{star}" id="{input_id}"', html)
        assert re.search(rf'<label[^>]+for="{input_id}">(?:(?!</label>).)*?{star} sao</span></label>', html)


def test_unrated_articles_share_one_rendering_with_their_own_ids(monkeypatch):
    """A block is rendered once per figures and shared by every article with those figures (a crawler
    walking the archive), each page's form posting for its own article with its own radio ids."""
    from django.template import loader

    from ratings import live

    live._block.cache_clear()
    renders = []
    real = loader.render_to_string
    monkeypatch.setattr(live, "render_to_string", lambda name, context: renders.append(name) or real(name, context))
    first, second = make_article(), make_article()
    for article in (first, second):
        html = page(visitor(), article)
        assert f'action="/danh-gia/{article.pk}/"' in html
        assert f'id="sao-{article.pk}-5"' in html
        assert live.ARTICLE_PLACEHOLDER not in html
    assert renders == ["ratings/block.html"]


def test_plain_form_post_redirects_back_with_thanks_and_own_rating():
    """Without JavaScript: POST, redirect to the article, a thank-you message, the visitor's stars checked."""
    article = make_article()
    client = visitor()
    page(client, article)
    response = rate(client, article, 4)
    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url() + "#danh-gia"
    html = client.get(response["Location"]).content.decode()
    assert "Cảm ơn bạn đã đánh giá bài viết." in html
    assert "4,0 điểm ( 1 đánh giá )" in html
    assert re.search(r'value="4" id="sao-\d+-4" checked', html)
    assert "Bạn đã chấm <span data-rating-own-score>4</span> sao." in html


def test_average_has_one_decimal_with_comma():
    """Ratings 4 and 5 from two visitors read `4,5 điểm ( 2 đánh giá )`."""
    article = make_article()
    rate(visitor(), article, 4)
    rate(visitor(), article, 5)
    assert "4,5 điểm ( 2 đánh giá )" in page(visitor(), article)


def test_rating_again_replaces_the_earlier_rating():
    """The same visitor rating 2 then 5 leaves one rating of 5."""
    article = make_article()
    client = visitor()
    page(client, article)
    rate(client, article, 2)
    rate(client, article, 5)
    assert Rating.objects.get().score == 5
    summary = RatingSummary.objects.get(article=article)
    assert (summary.score_sum, summary.votes) == (5, 1)
    assert "5,0 điểm ( 1 đánh giá )" in page(client, article)


def test_json_rating_answers_new_figures():
    """With JavaScript: fetch gets the new summary as JSON, no redirect."""
    article = make_article()
    client = visitor()
    page(client, article)
    rate(client, article, 3, **JSON)
    data = rate(visitor(), article, 4, **JSON).json()
    assert data["ok"] is True
    assert data["score"] == 4
    assert data["votes"] == 2
    assert data["summary"] == "3,5 điểm ( 2 đánh giá )"


@pytest.mark.parametrize("score", ["0", "6", "abc", ""])
def test_bad_score_is_refused_with_a_message(score):
    """Out-of-range or junk scores get 400 and a Vietnamese message; nothing is stored."""
    article = make_article()
    response = rate(visitor(), article, score)
    assert response.status_code == 400
    assert "Vui lòng chọn từ 1 đến 5 sao." in response.content.decode()
    json_response = rate(visitor(), article, score, **JSON)
    assert json_response.status_code == 400
    assert json_response.json()["error"] == "Vui lòng chọn từ 1 đến 5 sao."
    assert not Rating.objects.exists()


def test_crawler_cannot_rate():
    """A client with no browser identity (a crawler) is refused and counts nothing."""
    article = make_article()
    response = Client(HTTP_USER_AGENT="Googlebot/2.1").post(f"/danh-gia/{article.pk}/", {"score": 5})
    assert response.status_code == 403
    assert not Rating.objects.exists()


def test_draft_article_cannot_be_rated():
    """Ratings go to public articles only."""
    article = make_article(status=Article.Status.DRAFT)
    assert rate(visitor(), article, 5).status_code == 404
    assert not Rating.objects.exists()


def test_rating_needs_csrf_token_from_the_page():
    """The form carries a working CSRF token, also when the page came from the cache."""
    article = make_article()
    page(visitor(), article)  # fills the page cache
    client = visitor(enforce_csrf_checks=True)
    assert client.post(f"/danh-gia/{article.pk}/", {"score": 5}).status_code == 403
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page(client, article)).group(1)
    assert rate(client, article, 5, HTTP_X_CSRFTOKEN=token).status_code == 302
    assert RatingSummary.objects.get(article=article).votes == 1


def test_many_ratings_from_one_address_are_limited(settings):
    """A burst of ratings from one address gets 429 with a message, and the count stops moving."""
    settings.RATING_RATE = "3/m"
    article = make_article()
    statuses = [rate(visitor(), article, 5, **JSON).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    response = rate(visitor(), article, 5)
    assert response.status_code == 429
    assert "Bạn thao tác quá nhanh" in response.content.decode()
    assert RatingSummary.objects.get(article=article).votes == 3


def test_visitors_behind_one_address_each_rate_within_the_limit():
    """A school's pupils share an address: each one's rating counts (the limit is for bursts)."""
    article = make_article()
    for _ in range(10):
        assert rate(visitor(), article, 4).status_code == 302
    assert RatingSummary.objects.get(article=article).votes == 10


def test_staff_see_ratings_in_admin(admin_client):
    """Admin lists each article's average (comma decimal) and the individual ratings, read-only."""
    article = make_article("Bài được chấm")
    rate(visitor(), article, 4)
    rate(visitor(), article, 5)
    summaries = admin_client.get("/admin/ratings/ratingsummary/").content.decode()
    assert "Bài được chấm" in summaries and "4,5" in summaries
    assert admin_client.get("/admin/ratings/rating/").status_code == 200
