"""Redis earns its place: with REDIS_URL set it is Django's cache (the rate limits) and sessions
are cached_db; without it, everything runs on the database and an in-process cache."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from helpwanted.lib.env import cache_settings
from tests.conftest import PASSWORD, TEST_REDIS_URL

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def test_redis_url_picks_the_redis_cache_and_cached_db_sessions():
    caches, engine = cache_settings("redis://127.0.0.1:6379/0")
    assert caches["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert caches["default"]["LOCATION"] == "redis://127.0.0.1:6379/0"
    assert caches["default"]["OPTIONS"]["socket_timeout"] == 2
    assert engine == "django.contrib.sessions.backends.cached_db"


def test_without_redis_url_the_cache_is_in_process_and_sessions_in_the_database():
    caches, engine = cache_settings("")
    assert caches["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert engine == "django.contrib.sessions.backends.db"


def settings_with(**env: str) -> str:
    code = (
        "from django.conf import settings; "
        "print(settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE)"
    )
    finished = subprocess.run(  # noqa: S603 - our own settings
        [sys.executable, "-m", "helpwanted", "shell", "-c", code],
        cwd=ROOT,
        env={**{k: v for k, v in os.environ.items() if k != "REDIS_URL"}, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return finished.stdout.strip().splitlines()[-1]


def test_the_settings_put_the_cache_and_sessions_in_redis_when_redis_url_is_set():
    assert settings_with(REDIS_URL=TEST_REDIS_URL) == (
        "django.core.cache.backends.redis.RedisCache django.contrib.sessions.backends.cached_db"
    )
    assert settings_with() == (
        "django.core.cache.backends.locmem.LocMemCache django.contrib.sessions.backends.db"
    )


def test_rate_limit_counts_land_in_redis(client, redis_cache):
    response = client.post(reverse("accounts:password_reset"), {"email": "someone@example.org"})
    assert response.status_code == 302
    keys = sorted(k.decode() for k in redis_cache.scan_iter(match="*ratelimit:reset:*"))
    assert [k.split(":")[4] for k in keys] == ["email", "ip"]
    assert all(int(redis_cache.get(k)) == 1 for k in keys)
    assert b"someone@example.org" not in b"".join(redis_cache.scan_iter(match="*"))


def test_a_login_keeps_its_session_in_redis_and_in_the_database(client, alice, redis_cache):
    response = client.post(
        reverse("accounts:login"), {"username": alice.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    session_key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=session_key).exists()
    cached = list(redis_cache.scan_iter(match=f"*django.contrib.sessions.cached_db{session_key}"))
    assert len(cached) == 1
    assert client.get(reverse("home")).status_code == 200  # read back through the cache


def test_a_session_survives_losing_its_cache_entry(client, alice, redis_cache):
    client.post(reverse("accounts:login"), {"username": alice.email, "password": PASSWORD})
    for key in redis_cache.scan_iter(match="*django.contrib.sessions.cached_db*"):
        redis_cache.delete(key)
    assert client.get(reverse("home")).status_code == 200


def test_with_redis_down_a_rate_limited_page_answers_the_calm_503_page(client, settings):
    from helpwanted.lib import outage

    outage.outage_log.last = None
    caches, _ = cache_settings("redis://127.0.0.1:1/0")  # nothing listens on port 1
    settings.CACHES = caches
    response = client.post(reverse("accounts:password_reset"), {"email": "someone@example.org"})
    assert response.status_code == 503
    assert "We'll be back shortly" in response.content.decode()
    outage.outage_log.last = None
