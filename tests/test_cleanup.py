"""Tables that used to only grow stay bounded: the cleanup tick jobs (helpwanted/mail/cleanup.py)."""

import re
import threading
import zoneinfo
from datetime import datetime, timedelta

import pytest
import time_machine
from axes.models import AccessLog
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from helpwanted.circle.actions import (
    circle_add,
    circle_invite,
    grant_lookup,
    grant_revoke,
    grant_revoke_undo,
    member_consent,
)
from helpwanted.circle.models import HelperGrant, hash_token
from helpwanted.journey.updates import update_post
from helpwanted.mail import cleanup
from helpwanted.mail.models import OutboxMessage
from helpwanted.mail.tick import run_tick
from helpwanted.network.actions import person_create
from helpwanted.network.imports import import_job_confirm, import_job_create
from helpwanted.network.models import ImportJob
from tests.conftest import PASSWORD

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
# Monday 2 March 2026, 07:00 in Paris: alice's helpers' digests go out at 08:00.
MONDAY = datetime(2026, 3, 2, 7, 0, tzinfo=PARIS)
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"

pytestmark = pytest.mark.django_db


def log_in(email: str = "alice@example.org") -> Client:
    """A new browser logging in through the real login page (a session row, an axes log row)."""
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": email, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    return client


def helper(seeker, name: str, email: str, *, consent: bool = True):
    person = person_create(
        owner=seeker, fields={"name": name, "emails": [email], "relationship": "friend"}
    )
    member = circle_add(person=person, audience="supporters")
    if consent:
        member_consent(member=member, via="invite")
    return member


def press_continue(link: str) -> Client:
    """The helper taps the link in their email, then Continue (a helper session row)."""
    client = Client()
    path = link.removeprefix("http://127.0.0.1:8000")
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 303
    return client


def links_in(message: OutboxMessage) -> list[str]:
    return re.findall(r"https?://\S+/h/[\w-]+/", message.body_text)


def background_import(owner, settings, rows: int = 3) -> ImportJob:
    settings.IMPORT_BACKGROUND_ROWS = 1
    lines = [f"P{i},Q,,p{i}@example.org,Acme,Engineer,12 Mar 2024" for i in range(rows)]
    data = ("\r\n".join([HEADER, *lines]) + "\r\n").encode()
    job = import_job_create(owner=owner, upload=SimpleUploadedFile("Connections.csv", data))
    job = import_job_confirm(job=job)
    assert job.status == "queued" and job.task_id
    return job


# --- A simulated year ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_year_of_weekly_digests_logins_and_helper_visits_leaves_every_table_bounded(
    alice, settings
):
    """52 weeks: alice logs in and posts, re-sends a quiet friend's invitation, imports a file in
    the background; the worker ticks and delivers the digests to her two consenting helpers,
    who tap their link and press Continue. The rows these leave behind must not pile up."""
    # 52 real logins: a quick hasher, or argon2 alone takes most of a minute.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    alice.set_password(PASSWORD)
    alice.save(update_fields=["password"])
    bob = helper(alice, "Bob Lindqvist", "bob@example.org")
    erin = helper(alice, "Erin Osei", "erin@example.org")
    dave = helper(alice, "Dave Quiet", "dave@example.org", consent=False)
    counts: list[dict[str, int]] = []
    visits = 0
    for week in range(52):
        monday = MONDAY + timedelta(weeks=week)
        with time_machine.travel(monday, tick=False):
            log_in()
            update_post(owner=alice, kind="progress", text=f"Week {week}: two applications out")
            circle_invite(member=dave, email="dave@example.org", message="Still keen to hear!")
            background_import(alice, settings)
        with time_machine.travel(monday + timedelta(hours=1), tick=False):
            call_command("worker", "--once")  # the real loop: tick, deliver, one task
            for member in (bob, erin):
                digest = OutboxMessage.objects.get(
                    kind="digest", to_email=member.person.emails[0], created_at=timezone.now()
                )
                assert digest.status == "sent"
                press_continue(links_in(digest)[0])
                visits += 1
        counts.append(
            {
                "sessions": Session.objects.count(),
                "grants": HelperGrant.objects.count(),
                "login logs": AccessLog.objects.count(),
                "task results": DBTaskResult.objects.count(),
            }
        )
    assert visits == 2 * 52  # every week, both digests went out and both helpers came by
    settled = counts[8:]  # past the longest keep time (30 days) plus a couple of weeks
    # Each kind stays within a few weeks' worth, however long the year runs.
    assert max(c["sessions"] for c in settled) <= 3 * 3  # 3 a week, kept for 14 days
    assert max(c["grants"] for c in settled) <= 3 + 5  # one live each, dave's last 30 days
    assert max(c["login logs"] for c in settled) <= 5  # 30 days of weekly logins
    assert max(c["task results"] for c in settled) <= 2  # finished ones: 7 days
    # And still in use: the live links work, the newest rows are there.
    for member in (bob, erin):
        assert HelperGrant.objects.filter(member=member, revoked_at=None).count() == 1
    assert min(c["sessions"] for c in settled) >= 3
    assert min(c["login logs"] for c in settled) >= 4


# --- Sessions ----------------------------------------------------------------------------------


def test_expired_sessions_are_cleared_and_a_live_one_keeps_working(alice, settings):
    with time_machine.travel(MONDAY, tick=False):
        log_in()
    with time_machine.travel(MONDAY + timedelta(days=10), tick=False):
        recent = log_in()
    assert Session.objects.count() == 2
    with time_machine.travel(MONDAY + timedelta(days=15), tick=False):
        assert run_tick()["sessions_clear"] == 1
        assert Session.objects.count() == 1
        assert recent.get(reverse("home")).status_code == 200
        assert cleanup.sessions_clear() == 0  # nothing left to do: idempotent


def test_a_big_backlog_is_deleted_in_chunks_and_spread_over_ticks(monkeypatch):
    expired = timezone.now() - timedelta(days=1)
    Session.objects.bulk_create(
        Session(session_key=f"k{i:038d}", session_data="x", expire_date=expired) for i in range(25)
    )
    monkeypatch.setattr(cleanup, "CHUNK", 10)
    monkeypatch.setattr(cleanup, "MAX_CHUNKS", 2)
    with CaptureQueriesContext(connection) as queries:
        assert cleanup.sessions_clear() == 20
    deletes = [q for q in queries if q["sql"].startswith("DELETE")]
    assert len(deletes) == 2  # one short DELETE per chunk, never one big one
    assert Session.objects.count() == 5
    assert cleanup.sessions_clear() == 5
    assert not Session.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_ticks_at_once_delete_each_row_once_and_fail_nothing(monkeypatch):
    expired = timezone.now() - timedelta(days=1)
    Session.objects.bulk_create(
        Session(session_key=f"k{i:038d}", session_data="x", expire_date=expired) for i in range(300)
    )
    monkeypatch.setattr(cleanup, "CHUNK", 20)
    results: list[int] = []
    start = threading.Barrier(2)

    def tick() -> None:
        try:
            start.wait()
            results.append(cleanup.sessions_clear())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == 300 and len(results) == 2
    assert not Session.objects.exists()


# --- Helper links ------------------------------------------------------------------------------


def test_a_live_link_is_kept_however_long_it_goes_unused(alice, bob):
    with time_machine.travel(timezone.now() + timedelta(days=80)):  # 90-day links
        assert cleanup.helper_grants_clear() == 0
        assert grant_lookup(token=bob.token) is not None


def test_links_replaced_by_a_new_invitation_go_after_the_keep_days(alice, bob, settings):
    old = bob.grant
    circle_invite(member=bob.member, email="bob@example.org")
    live = HelperGrant.objects.get(member=bob.member, revoked_at=None)
    with time_machine.travel(timezone.now() + timedelta(days=settings.HELPER_GRANT_KEEP_DAYS - 1)):
        assert cleanup.helper_grants_clear() == 0
    with time_machine.travel(timezone.now() + timedelta(days=settings.HELPER_GRANT_KEEP_DAYS + 1)):
        assert run_tick()["helper_grants_clear"] == 1
    assert list(HelperGrant.objects.values_list("pk", flat=True)) == [live.pk]
    assert not HelperGrant.objects.filter(pk=old.pk).exists()


def test_an_expired_link_from_before_links_were_reused_goes_too(alice, bob, settings):
    legacy = HelperGrant.objects.create(
        member=bob.member,
        token_hash=hash_token("legacy"),
        nonce="",
        expires_at=timezone.now() + timedelta(days=settings.HELPER_LINK_DAYS),
    )
    later = timedelta(days=settings.HELPER_LINK_DAYS + settings.HELPER_GRANT_KEEP_DAYS + 1)
    with time_machine.travel(timezone.now() + later):
        assert cleanup.helper_grants_clear() == 2  # the legacy one and bob's expired one
    assert not HelperGrant.objects.filter(pk__in=[legacy.pk, bob.grant.pk]).exists()


def test_a_switched_off_link_stays_off_and_can_still_be_switched_back_on(alice, bob, settings):
    grant_revoke(member=bob.member)
    with time_machine.travel(timezone.now() + timedelta(days=settings.HELPER_GRANT_KEEP_DAYS + 5)):
        assert cleanup.helper_grants_clear() == 0
        bob.member.refresh_from_db()
        assert bob.member.links_off_at is not None
        assert grant_lookup(token=bob.token) is None
        assert grant_revoke_undo(member=bob.member)
        assert grant_lookup(token=bob.token) is not None


# --- Login logs (django-axes) ------------------------------------------------------------------


def test_login_logs_are_kept_for_30_days(alice, settings):
    with time_machine.travel(MONDAY, tick=False):
        log_in()
    with time_machine.travel(MONDAY + timedelta(days=20), tick=False):
        log_in()
    with time_machine.travel(MONDAY + timedelta(days=settings.LOGIN_LOG_KEEP_DAYS + 1)):
        assert run_tick()["axes_logs_clear"] == 1
    assert list(AccessLog.objects.values_list("attempt_time", flat=True)) == [
        MONDAY + timedelta(days=20)
    ]


# --- Background task rows ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # the real worker closes its connection each round
def test_finished_task_rows_go_after_7_days_and_waiting_ones_stay(alice, settings):
    with time_machine.travel(MONDAY, tick=False):
        done = background_import(alice, settings)
        call_command("worker", "--once")
        done.refresh_from_db()
        assert done.status == "done"
        waiting = background_import(alice, settings, rows=4)
    with time_machine.travel(MONDAY + timedelta(days=6), tick=False):
        assert cleanup.task_results_clear() == 0
    with time_machine.travel(MONDAY + timedelta(days=8), tick=False):
        assert cleanup.task_results_clear() == 1
    left = [(str(pk), status) for pk, status in DBTaskResult.objects.values_list("id", "status")]
    assert left == [(str(waiting.task_id), "READY")]


def test_a_killed_imports_running_task_row_is_marked_failed_when_the_tick_takes_it_back(
    alice, settings
):
    with time_machine.travel(MONDAY, tick=False):
        job = background_import(alice, settings)
        # What a worker killed mid-import leaves: its task row RUNNING, the job claimed.
        DBTaskResult.objects.filter(id=job.task_id).update(status="RUNNING", started_at=MONDAY)
        ImportJob.objects.filter(pk=job.pk).update(status="running", heartbeat_at=MONDAY)
    with time_machine.travel(MONDAY + timedelta(minutes=11), tick=False):
        assert run_tick()["import_jobs_resume"] == 1
    dead = DBTaskResult.objects.get(id=job.task_id)
    assert dead.status == "FAILED"
    assert dead.finished_at == MONDAY + timedelta(minutes=11)
    assert dead.exception_class_path == "helpwanted.mail.cleanup.WorkerDied"
    assert not DBTaskResult.objects.filter(status="RUNNING").exists()
    # And, being finished, it is cleared with the others a week later.
    with time_machine.travel(MONDAY + timedelta(days=8), tick=False):
        assert cleanup.task_results_clear() == 1
