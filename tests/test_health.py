"""/healthz for load balancers: answers by IP, says whether the database and Redis answer, nothing else."""

import json

import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db

BY_IP = {"HTTP_HOST": "10.0.0.5:8000"}


def health(client, **extra):
    response = client.get("/healthz", **extra)
    return response.status_code, json.loads(response.content), response


def test_answers_a_request_by_ip_that_is_not_an_allowed_host(client, settings):
    settings.ALLOWED_HOSTS = ["kimson.example.vn"]
    status, body, response = health(client, **BY_IP)
    assert status == 200
    assert body == {"database": "ok", "redis": "off"}
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]


def test_only_that_path_skips_the_host_check(client, settings):
    settings.ALLOWED_HOSTS = ["kimson.example.vn"]
    assert client.get("/", **BY_IP).status_code == 400
    assert client.get("/healthz/", **BY_IP).status_code == 400
    assert client.get("/healthzx", **BY_IP).status_code == 400
    assert client.post("/healthz", **BY_IP).status_code == 405


def test_reports_redis_up_and_down(client, settings, redis_url):
    settings.PAGE_CACHE_REDIS_URL = settings.COUNTERS_REDIS_URL = redis_url
    assert health(client)[:2] == (200, {"database": "ok", "redis": "ok"})
    settings.COUNTERS_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    assert health(client)[:2] == (200, {"database": "ok", "redis": "down"})
    settings.PAGE_CACHE_REDIS_URL, settings.COUNTERS_REDIS_URL = settings.COUNTERS_REDIS_URL, redis_url
    assert health(client)[:2] == (200, {"database": "ok", "redis": "down"})


def test_a_database_that_does_not_answer_is_503(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused to db.internal:5432 as kimson")

    monkeypatch.setattr(connection, "ensure_connection", refuse)
    status, body, response = health(client)
    assert status == 503
    assert body == {"database": "down", "redis": "off"}
    assert b"db.internal" not in response.content


def test_one_query_and_no_session_or_cookie(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert not response.cookies
