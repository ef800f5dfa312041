"""Timeouts and health: PostgreSQL gives up on a hung server, /healthz answers JSON a load balancer
can read, and an outage shows a calm 503 page logged once a minute."""

import logging
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.db.utils import ConnectionHandler
from django.test import Client
from django.urls import reverse

from helpwanted.lib import outage
from helpwanted.lib.env import database_config, postgres_options
from tests.processes import database_url

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
ON_POSTGRES = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").split(":")[0] not in {"postgres", "postgresql"},
    reason="PostgreSQL only: set DATABASE_URL (CI runs the suite on both databases)",
)


# --- Timeouts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("connect", "statement", "options"),
    [
        (5, 30, {"connect_timeout": 5, "options": "-c statement_timeout=30000"}),
        (2, 1, {"connect_timeout": 2, "options": "-c statement_timeout=1000"}),
        (5, 0, {"connect_timeout": 5}),  # commands: no statement timeout
    ],
)
def test_postgres_gets_a_connect_and_a_statement_timeout(connect, statement, options):
    assert postgres_options(connect, statement) == options


def test_the_database_url_gets_the_timeouts_and_its_own_options_win():
    config = database_config(
        "postgres://u@db.example:5432/hw?connect_timeout=9", connect_timeout=5, statement_timeout=30
    )
    assert config["OPTIONS"] == {"connect_timeout": 9, "options": "-c statement_timeout=30000"}
    assert config["CONN_HEALTH_CHECKS"] is True
    assert config["CONN_MAX_AGE"] == 60


def test_sqlite_keeps_its_own_options():
    config = database_config("sqlite:////tmp/x.sqlite3", connect_timeout=5, statement_timeout=30)
    assert "connect_timeout" not in str(config.get("OPTIONS"))
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        assert "busy_timeout=5000" in settings.DATABASES["default"]["OPTIONS"]["init_command"]


def test_a_hung_postgres_server_fails_the_connection_instead_of_holding_it():
    """A server that takes the TCP connection and never answers, as a hung PostgreSQL does."""
    hung = socket.socket()
    hung.bind(("127.0.0.1", 0))
    hung.listen(8)
    port = hung.getsockname()[1]
    config = database_config(
        f"postgres://postgres@127.0.0.1:{port}/h8", connect_timeout=1, statement_timeout=30
    )
    conn = ConnectionHandler({"default": config})["default"]
    outcome: list[BaseException] = []

    def connect() -> None:
        try:
            conn.ensure_connection()
        except BaseException as exc:  # noqa: BLE001 - recorded for the assertion
            outcome.append(exc)

    thread = threading.Thread(target=connect, daemon=True)
    thread.start()
    thread.join(60)  # a bound for a broken build, not a timing assertion
    hung.close()
    assert not thread.is_alive(), "the connection waited on the hung server"
    assert len(outcome) == 1
    assert isinstance(outcome[0], OperationalError)


@ON_POSTGRES
def test_a_web_request_runs_under_the_statement_timeout(client):
    seen = []

    def show(**kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            seen.append(cursor.fetchone()[0])

    from django.core.signals import request_finished

    request_finished.connect(show)
    try:
        assert client.get(reverse("landing")).status_code == 200
    finally:
        request_finished.disconnect(show)
    assert seen == ["30s"]


@ON_POSTGRES
def test_the_worker_and_other_commands_run_without_a_statement_timeout():
    code = (
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('SHOW statement_timeout'); print(c.fetchone()[0])"
    )
    env = {k: v for k, v in os.environ.items() if k != "HELPWANTED_DB_STATEMENT_TIMEOUT"}
    finished = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "helpwanted", "shell", "-c", code],
        cwd=ROOT,
        env={**env, "DATABASE_URL": database_url()},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert finished.stdout.strip().splitlines()[-1] == "0"


# --- /healthz ----------------------------------------------------------------------------------


@pytest.fixture
def fresh_outage_log():
    outage.outage_log.last = None
    outage.outage_log.held_back = 0
    yield
    outage.outage_log.last = None


@pytest.fixture
def take_database_down(monkeypatch, fresh_outage_log):
    """From the call on, every query fails as it does when PostgreSQL refuses connections."""

    def refuse(*args, **kwargs):
        raise OperationalError(
            'connection to server at "127.0.0.1", port 5432 failed: Connection refused'
        )

    return lambda: monkeypatch.setattr(connection, "cursor", refuse)


@pytest.fixture
def database_down(take_database_down):
    take_database_down()


def test_healthz_says_ok_in_json_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_in_json_when_the_database_is_down(client, database_down, caplog):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "unavailable", "database": "OperationalError"}
    assert response["Retry-After"] == "30"


# --- The outage page ---------------------------------------------------------------------------


def logged_in(alice) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_an_outage_shows_a_calm_page_with_503_and_retry_after(alice, take_database_down):
    """Here the session is read by a middleware: Django's 500 handler answers the calm page."""
    client = logged_in(alice)
    take_database_down()
    response = client.get(reverse("home"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "We&#x27;ll be back shortly" in page or "We'll be back shortly" in page
    assert "everything you had already saved is safe" in page
    assert "Traceback" not in page and "OperationalError" not in page
    assert "Something went wrong" not in page


def test_an_outage_escaping_a_view_is_answered_by_the_middleware(alice, database_down):
    # The default test client re-raises any exception Django saw as a crash: none here.
    response = Client().post(
        reverse("accounts:login"), {"username": alice.email, "password": "whatever it is"}
    )
    assert response.status_code == 503
    assert "We'll be back shortly" in response.content.decode()


def test_an_outage_is_logged_once_a_minute_not_once_a_request(alice, take_database_down, caplog):
    caplog.set_level(logging.INFO)
    client = logged_in(alice)
    take_database_down()
    assert [client.get(reverse("home")).status_code for _ in range(2)] == [503, 503]
    assert client.get("/healthz").status_code == 503
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert errors[0].name == "helpwanted.outage"
    assert "Database unavailable: OperationalError" in errors[0].getMessage()


def test_the_outage_log_speaks_again_after_a_minute_and_counts_what_it_held_back(caplog):
    now = [1000.0]
    log = outage.ThrottledLog(logging.getLogger("helpwanted.outage"), clock=lambda: now[0])
    error = OperationalError("server closed the connection unexpectedly")
    caplog.set_level(logging.ERROR, logger="helpwanted.outage")
    said = []
    for at in [0, 10, 59, 60, 61]:
        now[0] = 1000.0 + at
        said.append(log.error("Database", error))
    assert said == [True, False, False, True, False]
    assert "(2 more since the last line" in caplog.records[1].getMessage()


def test_other_crashes_still_get_the_500_page(alice, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("helpwanted.journey.home.home_summary", crash)
    response = logged_in(alice).get(reverse("home"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
