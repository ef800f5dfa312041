"""Issue 10, section 3: rate limits, the reset link's host, log redaction, no-store, trusted
proxies and the demo's SITE_URL."""

import logging
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from helpwanted.lib.clientip import client_ip, parse_networks
from helpwanted.lib.env import site_url_for
from helpwanted.lib.logredact import REDACTED, redact
from helpwanted.lib.ratelimit import hit, wait_words
from helpwanted.mail.models import OutboxMessage
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 10, 0, 5, tzinfo=UTC)
# The rate limits run once on the in-process cache and once on Redis (REDIS_URL's set-up).
ON_EACH_CACHE = pytest.mark.usefixtures("each_cache")


def post_each_second(client: Client, url: str, posts: list[dict], **extra) -> list:
    """One POST a second, as in the review (10 reset emails in 10 seconds)."""
    responses = []
    for i, data in enumerate(posts):
        with time_machine.travel(START + timedelta(seconds=i), tick=False):
            responses.append(client.post(url, data, **extra))
    return responses


# --- Password reset and sign-up are throttled --------------------------------------------------


@ON_EACH_CACHE
def test_it_sends_at_most_three_reset_emails_an_hour_to_one_address(client, alice, settings):
    responses = post_each_second(
        client, reverse("accounts:password_reset"), [{"email": alice.email}] * 10
    )
    assert [r.status_code for r in responses] == [302] * 3 + [429] * 7
    assert OutboxMessage.objects.filter(kind="password-reset").count() == 3
    page = responses[-1].content.decode()
    assert "Please try again in about an hour." in page
    assert responses[-1]["Retry-After"] == str(3600 - 5 - 9)


@ON_EACH_CACHE
def test_the_reset_limit_looks_the_same_whether_or_not_the_address_has_an_account(client, alice):
    known = post_each_second(
        client, reverse("accounts:password_reset"), [{"email": alice.email}] * 4
    )
    unknown = post_each_second(
        Client(REMOTE_ADDR="10.9.9.9"),
        reverse("accounts:password_reset"),
        [{"email": "nobody@example.org"}] * 4,
    )
    assert [r.status_code for r in known] == [r.status_code for r in unknown]
    strip = re.compile(r'(name="csrfmiddlewaretoken" value="|nonce="|"X-CSRFToken": ")[^"]+')

    def page(response, typed: str) -> str:
        return strip.sub("", response.content.decode()).replace(typed, "<typed>")

    assert page(known[-1], alice.email) == page(unknown[-1], "nobody@example.org")


@ON_EACH_CACHE
def test_the_reset_limit_counts_every_spelling_of_an_address_together(client, alice):
    spellings = [
        "alice@example.org",
        "ALICE@example.org",
        " Alice@Example.org ",
        "alice@EXAMPLE.org",
    ]
    responses = post_each_second(
        client, reverse("accounts:password_reset"), [{"email": e} for e in spellings]
    )
    assert [r.status_code for r in responses] == [302, 302, 302, 429]


@ON_EACH_CACHE
def test_one_ip_can_ask_for_only_so_many_resets_across_addresses(client, settings):
    settings.RESET_LIMIT_PER_IP = 5
    posts = [{"email": f"someone{i}@example.org"} for i in range(7)]
    responses = post_each_second(client, reverse("accounts:password_reset"), posts)
    assert [r.status_code for r in responses] == [302] * 5 + [429] * 2
    other_ip = Client(REMOTE_ADDR="192.0.2.44")
    assert (
        other_ip.post(reverse("accounts:password_reset"), {"email": "x@example.org"}).status_code
        == 302
    )


@ON_EACH_CACHE
def test_reset_works_again_in_the_next_hour(client, alice):
    post_each_second(client, reverse("accounts:password_reset"), [{"email": alice.email}] * 4)
    with time_machine.travel(START + timedelta(hours=1), tick=False):
        response = client.post(reverse("accounts:password_reset"), {"email": alice.email})
    assert response.status_code == 302


def signup_data(i: int, email: str = "") -> dict:
    return {
        "display_name": f"Person {i}",
        "email": email or f"person{i}@example.org",
        "password": "a long enough sentence",
        "timezone": "UTC",
    }


@ON_EACH_CACHE
def test_sign_up_is_limited_per_ip(settings):
    settings.SIGNUP_LIMIT_PER_IP = 3
    url = reverse("accounts:signup")
    statuses = []
    for i in range(5):
        with time_machine.travel(START + timedelta(seconds=i), tick=False):
            statuses.append(Client().post(url, signup_data(i)).status_code)
    assert statuses == [302, 302, 302, 429, 429]
    from helpwanted.accounts.models import User

    assert User.objects.count() == 3


@ON_EACH_CACHE
def test_sign_up_is_limited_per_address_so_it_cannot_probe_for_accounts(client, alice, settings):
    settings.SIGNUP_LIMIT_PER_EMAIL = 2
    responses = [
        Client(REMOTE_ADDR=f"198.51.100.{i}").post(
            reverse("accounts:signup"), signup_data(i, email="Alice@example.org")
        )
        for i in range(3)
    ]
    assert [r.status_code for r in responses] == [200, 200, 429]
    assert "try again in about" in responses[-1].content.decode()
    assert "already an account" not in responses[-1].content.decode()


@ON_EACH_CACHE
def test_the_rate_limit_counts_atomically_and_answers_the_wait(settings):
    now = 7200.0 + 100
    assert [hit("t", "k", limit=2, window=3600, now=now) for _ in range(3)] == [0, 0, 3500]
    assert hit("t", "other", limit=2, window=3600, now=now) == 0
    assert hit("t", "k", limit=2, window=3600, now=now + 3500) == 0  # a new window


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (1, "about a minute"),
        (60, "about a minute"),
        (61, "about 2 minutes"),
        (3540, "about 59 minutes"),
        (3599, "about an hour"),
        (3601, "about 2 hours"),
        (7200, "about 2 hours"),
    ],
)
def test_waits_are_said_in_rounded_up_words(seconds, words):
    assert wait_words(seconds) == words


# --- The reset link's host comes from SITE_URL ---------------------------------------------------


def test_a_reset_requested_with_a_strangers_host_header_links_to_site_url(client, alice, settings):
    settings.ALLOWED_HOSTS = ["*"]  # as a careless proxy setup might
    settings.SITE_URL = "https://helpwanted.example.org"
    response = client.post(
        reverse("accounts:password_reset"), {"email": alice.email}, HTTP_HOST="evil.example"
    )
    assert response.status_code == 302
    message = OutboxMessage.objects.get(kind="password-reset")
    for body in (message.body_text, message.body_html):
        assert "evil.example" not in body
        links = re.findall(r"https?://[^\s\"<]+/account/reset/[^\s\"<]+", body)
        assert links and all(
            link.startswith(settings.SITE_URL + "/account/reset/") for link in links
        )


# --- Secrets never reach the logs -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "clean"),
    [
        ('"GET /h/abcDEF_123-x/ HTTP/1.1" 200', f'"GET /h/{REDACTED}/ HTTP/1.1" 200'),
        ("Forbidden: /h/tok/answer/yes/", f"Forbidden: /h/{REDACTED}/answer/yes/"),
        ("https://x.org/h/tok?r=2", f"https://x.org/h/{REDACTED}?r=2"),
        ("/u/eyJ1Ijo:1abc:sig/", f"/u/{REDACTED}/"),
        ("/journey/digest/u/val/resubscribe/", f"/journey/digest/u/{REDACTED}/resubscribe/"),
        ("/journey/digest/pause/val/resume/", f"/journey/digest/pause/{REDACTED}/resume/"),
        ("/journey/checkins/reminder/off/val/", f"/journey/checkins/reminder/off/{REDACTED}/"),
        ("/account/reset/MQ/cz8-abc/", f"/account/reset/{REDACTED}/{REDACTED}/"),
        ("/account/reset/sent/", "/account/reset/sent/"),
        ("/account/reset/complete/", "/account/reset/complete/"),
        ("/asks/new/?to=3&token=abc", f"/asks/new/?to=3&token={REDACTED}"),
        ("/helper/asks/3/", "/helper/asks/3/"),
        ("/people/12/edit/", "/people/12/edit/"),
    ],
)
def test_redact_replaces_every_secret_path_segment(line, clean):
    assert redact(line) == clean


def logged_text(caplog) -> str:
    lines = [record.getMessage() for record in caplog.records]
    lines += [record.exc_text or "" for record in caplog.records]
    return "\n".join(lines) + caplog.text


def test_a_helper_link_leaves_no_token_in_any_log(client, bob, caplog):
    from helpwanted.circle.actions import grant_revoke

    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.request")
    assert client.get(f"/h/{bob.token}/").status_code == 200
    grant_revoke(member=bob.member)
    failed = client.post(f"/h/{bob.token}/")
    assert failed.status_code in {403, 404}
    assert client.post(f"/h/{bob.token}x/").status_code in {403, 404}
    text = logged_text(caplog)
    assert re.search(r"(Forbidden|Not Found): /h/\[redacted\]/", text), text  # it was logged
    assert bob.token not in text
    assert bob.token[:12] not in text


def test_a_csrf_refusal_on_a_helper_link_leaves_no_token_in_the_log(bob, caplog):
    caplog.set_level(logging.DEBUG)
    response = Client(enforce_csrf_checks=True).post(f"/h/{bob.token}/")
    assert response.status_code == 403
    text = logged_text(caplog)
    assert "CSRF" in text and "/h/[redacted]/" in text
    assert bob.token not in text


def test_a_crash_on_a_helper_link_leaves_no_token_in_the_error_log(bob, caplog, monkeypatch):
    from helpwanted.circle import views

    def boom(*args, **kwargs):
        raise RuntimeError(f"could not load /h/{bob.token}/")

    monkeypatch.setattr(views, "_dead_link", boom)
    from helpwanted.circle.actions import grant_revoke

    grant_revoke(member=bob.member)
    caplog.set_level(logging.ERROR, logger="django.request")
    response = Client(raise_request_exception=False).get(f"/h/{bob.token}/")
    assert response.status_code == 500
    text = logged_text(caplog)
    assert "Internal Server Error: /h/[redacted]/" in text
    assert "RuntimeError" in text
    assert bob.token not in text


def test_the_dev_server_log_is_redacted_too(caplog):
    caplog.set_level(logging.INFO, logger="django.server")
    logging.getLogger("django.server").info('"%s" %s %s', "GET /h/s3cr3t-tok/ HTTP/1.1", 200, 5)
    assert "s3cr3t-tok" not in logged_text(caplog)
    assert f"/h/{REDACTED}/" in caplog.text


def test_the_gunicorn_access_log_never_holds_a_token(capsys):
    from gunicorn.config import Config

    from helpwanted.lib.gunicornlog import RedactingLogger

    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("access_log_format", '%(h)s "%(r)s" %(s)s %(U)s %(q)s "%(f)s" %({raw_uri}e)s')
    logger = RedactingLogger(cfg)
    token = "Zx9_secret-token-0123456789abcdef"

    class Response:
        status, sent, headers = "403 Forbidden", 10, [("Content-Type", "text/html")]

    environ = {
        "REQUEST_METHOD": "POST",
        "RAW_URI": f"/h/{token}/?r=1",
        "PATH_INFO": f"/h/{token}/",
        "QUERY_STRING": "r=1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.9",
        "HTTP_REFERER": f"https://helpwanted.example.org/h/{token}/",
    }
    logger.access(Response(), [], environ, timedelta(milliseconds=3))
    logger.error("Error handling request /h/%s/", token)
    out = capsys.readouterr()
    written = out.out + out.err
    assert f'"POST /h/{REDACTED}/?r=1 HTTP/1.1" 403 /h/{REDACTED}/ r=1' in written
    assert token not in written


def test_serve_sh_runs_gunicorn_with_the_redacting_logger():
    from pathlib import Path

    script = (Path(__file__).resolve().parent.parent / "scripts" / "serve.sh").read_text()
    assert "--logger-class helpwanted.lib.gunicornlog.RedactingLogger" in script


# --- Private pages are never stored by a browser or proxy ---------------------------------------


def no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


@pytest.mark.parametrize(
    "url", ["home", "accounts:profile", "network:people", "circle:list", "journey:checkins"]
)
def test_a_seekers_pages_say_no_store(alice_client, url):
    response = alice_client.get(reverse(url))
    assert response.status_code == 200
    assert no_store(response)


def test_a_helpers_pages_and_link_say_no_store(client, bob, bob_client):
    assert no_store(client.get(f"/h/{bob.token}/"))
    assert no_store(bob_client.get(reverse("circle:helper_home")))


@pytest.mark.parametrize("url", ["/", "/account/signup/", "/static/css/site.css"])
def test_public_pages_keep_their_caching(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


# --- django-axes behind a reverse proxy ------------------------------------------------------------

PROXY = "10.0.0.5"


def fail_logins(settings, *, remote_addr: str, forwarded_for: list[str]) -> None:
    for forwarded in forwarded_for[: settings.AXES_FAILURE_LIMIT]:
        Client(REMOTE_ADDR=remote_addr, HTTP_X_FORWARDED_FOR=forwarded).post(
            reverse("accounts:login"), {"username": "alice@example.org", "password": "nope x"}
        )


def log_in(remote_addr: str, forwarded: str = "") -> int:
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    client = Client(REMOTE_ADDR=remote_addr, **extra)
    return client.post(
        reverse("accounts:login"), {"username": "alice@example.org", "password": PASSWORD}
    ).status_code


def test_behind_a_trusted_proxy_a_lockout_keys_on_the_client_not_the_proxy(alice, settings):
    from axes.models import AccessAttempt

    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    fail_logins(settings, remote_addr=PROXY, forwarded_for=["203.0.113.7"] * 10)
    assert log_in(PROXY, "203.0.113.7") == 429
    assert log_in(PROXY, "198.51.100.9") == 302  # someone else behind the same proxy
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


def test_a_spoofed_forwarded_for_from_an_untrusted_peer_is_ignored(alice, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    attacker = "198.51.100.66"
    fail_logins(settings, remote_addr=attacker, forwarded_for=[f"192.0.2.{i}" for i in range(10)])
    assert log_in(attacker, "192.0.2.200") == 429


def test_a_client_cannot_prepend_its_own_forwarded_for_behind_a_trusted_proxy(alice, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    real = "203.0.113.7"
    fail_logins(
        settings,
        remote_addr=PROXY,
        forwarded_for=[f"192.0.2.{i}, {real}" for i in range(10)],  # nginx appends the real one
    )
    assert log_in(PROXY, f"192.0.2.250, {real}") == 429


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "client"),
    [
        ("203.0.113.7", "", [], "203.0.113.7"),
        ("203.0.113.7", "1.2.3.4", [], "203.0.113.7"),  # nobody trusted: header ignored
        ("10.0.0.5", "1.2.3.4", [], "10.0.0.5"),
        ("10.0.0.5", "1.2.3.4", ["10.0.0.0/8"], "1.2.3.4"),
        ("10.0.0.5", "9.9.9.9, 1.2.3.4", ["10.0.0.0/8"], "1.2.3.4"),  # rightmost untrusted
        ("10.0.0.5", "1.2.3.4, 10.0.0.9", ["10.0.0.0/8"], "1.2.3.4"),  # two proxies
        ("10.0.0.5", "10.0.0.9", ["10.0.0.0/8"], "10.0.0.9"),  # all trusted: the farthest
        ("10.0.0.5", "", ["10.0.0.0/8"], "10.0.0.5"),
        ("10.0.0.5", "not-an-ip", ["10.0.0.0/8"], "10.0.0.5"),
        ("203.0.113.7", "1.2.3.4", ["10.0.0.5"], "203.0.113.7"),  # peer not trusted
        ("::1", "2001:db8::7", ["::1"], "2001:db8::7"),
        ("10.0.0.5", "2001:db8::7", ["10.0.0.0/8"], "2001:db8::7"),
    ],
)
def test_client_ip_reads_forwarded_for_only_from_trusted_proxies(
    remote, forwarded, trusted, client
):
    assert client_ip(remote, forwarded, parse_networks(trusted)) == client


def test_a_mistyped_trusted_proxy_stops_start_up_with_its_name():
    with pytest.raises(ValueError, match="'10.0.0.300'"):
        parse_networks(["10.0.0.1", "10.0.0.300"])


# --- The demo's SITE_URL follows HELPWANTED_BIND ---------------------------------------------------


@pytest.mark.parametrize(
    ("explicit", "demo", "bind", "site_url"),
    [
        (None, True, None, "http://127.0.0.1:8000"),
        (None, True, "127.0.0.1:8123", "http://127.0.0.1:8123"),
        (None, True, "localhost:9000", "http://localhost:9000"),
        (None, True, "0.0.0.0:8080", "http://127.0.0.1:8080"),
        (None, True, "[::1]:8001", "http://[::1]:8001"),
        (None, True, "[::]:8001", "http://127.0.0.1:8001"),
        (None, True, "::1", "http://[::1]:8000"),
        (None, True, "192.168.1.20", "http://192.168.1.20:8000"),
        (None, True, "tcp://127.0.0.1:8200", "http://127.0.0.1:8200"),
        (None, True, "unix:/run/helpwanted.sock", "http://127.0.0.1:8000"),
        (None, True, "127.0.0.1:x", "http://127.0.0.1:8000"),
        (None, False, "127.0.0.1:8123", "http://127.0.0.1:8000"),  # only the demo follows
        ("https://hw.example.org/", True, "127.0.0.1:8123", "https://hw.example.org"),
        ("https://hw.example.org", False, None, "https://hw.example.org"),
        ("", True, "127.0.0.1:8123", "http://127.0.0.1:8123"),
    ],
)
def test_site_url_follows_the_bind_address_only_in_the_demo(explicit, demo, bind, site_url):
    assert site_url_for(explicit, demo=demo, bind=bind) == site_url


def test_the_settings_use_the_bind_address_in_the_demo():
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "HELPWANTED_PRODUCTION"}}
    env.update(HELPWANTED_DEMO="1", HELPWANTED_BIND="127.0.0.1:8765")
    code = "from django.conf import settings; print(settings.SITE_URL, settings.ALLOWED_HOSTS)"
    finished = subprocess.run(  # noqa: S603 - our own settings
        [sys.executable, "-m", "helpwanted", "shell", "-c", code],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "http://127.0.0.1:8765 " in finished.stdout


def _routes(patterns, prefix: str = ""):
    """Every route in the URLconf as one string, its includes joined ("clubs/join/<str:token>/")."""
    from django.urls import URLPattern, URLResolver

    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


# A string segment that is a name, not a secret, may appear in logs as it is.
NOT_SECRET = {"bounces/<str:esp>/"}


def test_every_string_segment_in_the_urlconf_is_redacted_from_logs():
    """A new URL that carries a token (an invitation, a stop link, a feed) is caught here."""
    from django.urls import get_resolver

    routes = [r for r in _routes(get_resolver().url_patterns) if "<str:" in r]
    assert any(r.startswith("clubs/join/") for r in routes)  # the walk reaches includes
    leaks = []
    for route in routes:
        if route in NOT_SECRET:
            continue
        path = "/" + re.sub(
            r"<str:\w+>", "S3CR3T-value_x", re.sub(r"<(?:int|path):\w+>", "7", route)
        )
        if "S3CR3T" in redact(f'"GET {path} HTTP/1.1" 404'):
            leaks.append(route)
    assert leaks == [], leaks
