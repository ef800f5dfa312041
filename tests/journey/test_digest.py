"""The weekly digest: one email a week for each helper, grouped by seeker, sent exactly once."""

import re
import signal
import threading
import zoneinfo
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from helpwanted.asks.models import Ask, Recipient
from helpwanted.circle.actions import circle_add, member_consent
from helpwanted.journey import digest
from helpwanted.journey.digest import digests_enqueue
from helpwanted.journey.models import CheckIn, Helper, Update
from helpwanted.mail.actions import outbox_deliver
from helpwanted.mail.models import OutboxMessage
from helpwanted.network.actions import person_create
from tests import processes
from tests.smtp import SMTPServer

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
# Monday 2 March 2026 (ISO week 10), 08:00 in Paris: alice's helpers' default slot.
MONDAY_8_PARIS = datetime(2026, 3, 2, 8, 0, tzinfo=PARIS)
# An hour later it is 08:00 in UTC too: charlie's helpers' slot (his timezone is UTC).
MONDAY_8_UTC = datetime(2026, 3, 2, 8, 0, tzinfo=zoneinfo.ZoneInfo("UTC"))


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


def post(owner, text, audience="supporters", kind="progress", ago=timedelta(days=1)):
    return Update.objects.create(
        owner=owner, text=text, audience=audience, kind=kind, created_at=timezone.now() - ago
    )


def helper_of(seeker, name, email, audience="supporters", notes="", consent=True):
    """A circle member who accepted the invitation (digests need consent: issue 10)."""
    person = person_create(
        owner=seeker,
        fields={"name": name, "emails": [email], "relationship": "friend", "notes": notes},
    )
    member = circle_add(person=person, audience=audience)
    if consent:
        member_consent(member=member, via="invite")
    return member


@pytest.fixture
def bob(bob):
    """bob accepted alice's invitation, so the digest may go to him."""
    member_consent(member=bob.member, via="invite")
    return bob


def ask_to(member, request, status="sent", closed=False, thanks="", ago=timedelta(days=2)):
    now = timezone.now()
    ask = Ask.objects.create(
        owner=member.owner,
        kind="introduction",
        request=request,
        sent_at=None if status == "draft" else now - ago,
        closed_at=now if closed else None,
    )
    return Recipient.objects.create(
        ask=ask,
        person=member.person,
        status=status,
        sent_at=ask.sent_at,
        thanks_text=thanks,
        thanked_at=now - timedelta(days=1) if thanks else None,
    )


def digests():
    return list(OutboxMessage.objects.filter(kind="digest").order_by("id"))


def section(text: str, name: str) -> str:
    """The part of a digest's text under one seeker's heading."""
    parts = re.split(r"^== (.+) ==$", text, flags=re.MULTILINE)
    sections = dict(zip(parts[1::2], parts[2::2], strict=True))
    return sections[name]


pytestmark = pytest.mark.django_db


# --- What goes in, and when nothing does ----------------------------------------------------


def test_nothing_new_means_no_email_at_all(alice, bob):
    with at(MONDAY_8_PARIS):
        post(alice, "An old update, already told", ago=timedelta(days=10))
        ask_to(bob.member, "An old ask still open", ago=timedelta(days=10))  # open, not new
        assert digests_enqueue() == 0
    assert digests() == []


def test_supporters_get_progress_but_never_inner_circle_feelings(alice, bob):
    with at(MONDAY_8_PARIS):
        post(alice, "Second interview at Acme on Thursday")
        post(alice, "FEELINGS-MARKER some days are hard", audience="inner", kind="feelings")
        assert digests_enqueue() == 1
        (message,) = digests()
        assert message.key == f"digest:{Helper.objects.get(email='bob@example.org').pk}:2026-W10"
        assert message.to_email == "bob@example.org"
        for body in (message.subject, message.body_text, message.body_html):
            assert "FEELINGS-MARKER" not in body
        assert "Second interview at Acme on Thursday" in message.body_text
        assert "Second interview at Acme on Thursday" in message.body_html
        assert message.subject == "This week from Alice Moreau"
        assert outbox_deliver() == 1
    sent = mail.outbox[0]
    assert sent.to == ["bob@example.org"]
    assert sent.alternatives[0].mimetype == "text/html"
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/journey/digest/u/" in sent.extra_headers["List-Unsubscribe"]
    assert "Pause it for 4 weeks: http" in sent.body


def test_open_asks_and_thanks_come_along_but_drafts_and_closed_asks_do_not(alice, bob):
    with at(MONDAY_8_PARIS):
        ask_to(bob.member, "Could you introduce me to Priya at Globex?")
        ask_to(bob.member, "DRAFT-MARKER not sent yet", status="draft")
        ask_to(bob.member, "CLOSED-MARKER no longer needed", closed=True)
        ask_to(
            bob.member, "Thanks for the CV review", status="thanked", thanks="Your notes got me in"
        )
        assert digests_enqueue() == 1
    text = digests()[0].body_text
    assert "Could you introduce me to Priya at Globex?" in text
    assert "Your notes got me in" in text
    assert "DRAFT-MARKER" not in text and "CLOSED-MARKER" not in text


def test_the_link_in_each_section_opens_the_helpers_page_for_that_seeker(alice, bob, client):
    with at(MONDAY_8_PARIS):
        post(alice, "Started a design course")
        digests_enqueue()
        link = re.search(r"http://\S+/h/(\S+)/", digests()[0].body_text)
        response = client.post(f"/h/{link.group(1)}/")
        assert response.status_code in (302, 303)
        assert "Started a design course" in client.get("/helper/").content.decode()


def test_a_helper_of_two_seekers_sees_each_only_what_that_seeker_shared(alice, bob, charlie):
    """bob@example.org helps alice (supporters) and charlie (inner): one email, two sections."""
    with at(MONDAY_8_PARIS):
        bob.person.notes = "ALICE-PERSON-NOTE"
        bob.person.save(update_fields=["notes"])
        by_charlie = helper_of(
            charlie, "Robert CHARLIE-NAME", "Bob@Example.org", "inner", notes="CHARLIE-NOTE"
        )
        other = helper_of(alice, "Erin", "erin@example.org", "inner")
        post(alice, "ALICE-SHARED landed a referral")
        post(alice, "ALICE-INNER cried after the call", audience="inner", kind="feelings")
        post(alice, "ALICE-DELETED oops", ago=timedelta(hours=3)).__class__.objects.filter(
            text__startswith="ALICE-DELETED"
        ).update(deleted_at=timezone.now())
        ask_to(bob.member, "ALICE-ASK intro to Globex")
        ask_to(bob.member, "ALICE-DRAFT not yet", status="draft")
        ask_to(other, "ALICE-ASK-TO-ERIN a mock interview")
        CheckIn.objects.create(
            owner=alice, day=date(2026, 3, 1), hope=2, energy=2, confidence=2,
            note="ALICE-CHECKIN", shared=True, share_note=True,
        )  # fmt: skip
        post(charlie, "CHARLIE-INNER rough week", audience="inner", kind="feelings")
        post(charlie, "CHARLIE-EVERYONE portfolio is live", audience="everyone")
        ask_to(by_charlie, "CHARLIE-ASK a coffee chat")
        ask_to(by_charlie, "CHARLIE-DRAFT later", status="draft")
        assert digests_enqueue() == 2  # bob's one, and erin's
    (message,) = [m for m in digests() if m.to_email == "bob@example.org"]
    assert message.subject == "This week from Alice Moreau and Charlie Reyes"
    alice_part = section(message.body_text, "Alice Moreau")
    charlie_part = section(message.body_text, "Charlie Reyes")
    assert "ALICE-SHARED" in alice_part and "ALICE-ASK intro" in alice_part
    assert "CHARLIE-INNER" in charlie_part and "CHARLIE-EVERYONE" in charlie_part
    assert "CHARLIE-ASK" in charlie_part
    assert "CHARLIE" not in alice_part
    assert "ALICE" not in charlie_part
    for body in (message.subject, message.body_text, message.body_html):
        for secret in (
            "ALICE-INNER", "ALICE-DELETED", "ALICE-DRAFT", "ALICE-ASK-TO-ERIN", "ALICE-CHECKIN",
            "ALICE-PERSON-NOTE", "CHARLIE-NAME", "CHARLIE-NOTE", "CHARLIE-DRAFT",
        ):  # fmt: skip
            assert secret not in body
    # The HTML keeps the same split: everything of charlie's comes after his heading.
    html = message.body_html
    assert html.index("ALICE-SHARED") < html.index("Charlie Reyes</h2>") < html.index("CHARLIE-ASK")


# --- Day and time -----------------------------------------------------------------------------


def test_it_comes_on_monday_at_8_in_the_seekers_timezone_when_the_helpers_is_unknown(alice, bob):
    with at(MONDAY_8_PARIS - timedelta(minutes=1)):
        post(alice, "Applied to three roles")
        assert digests_enqueue() == 0
    with at(MONDAY_8_PARIS):  # 07:00 UTC
        assert digests_enqueue() == 1


def test_it_comes_on_the_helpers_own_day_and_hour_in_their_timezone(alice, bob):
    Helper.objects.create(
        email="bob@example.org", timezone="America/New_York", digest_weekday=2, digest_hour=18
    )
    wednesday_6pm = datetime(2026, 3, 4, 18, 0, tzinfo=zoneinfo.ZoneInfo("America/New_York"))
    with at(MONDAY_8_PARIS):
        post(alice, "Applied to three roles")
        assert digests_enqueue() == 0
    with at(wednesday_6pm - timedelta(minutes=1)):
        assert digests_enqueue() == 0
    with at(wednesday_6pm):
        assert digests_enqueue() == 1
    with at(wednesday_6pm + timedelta(days=2)):  # later in the week: nothing more
        post(alice, "And another one")
        assert digests_enqueue() == 0


def test_a_missed_tick_is_caught_up_within_a_day_but_not_a_week_late(alice, bob):
    with at(MONDAY_8_PARIS + timedelta(hours=20)):
        post(alice, "Applied to three roles")
        assert digests_enqueue() == 1
    with at(MONDAY_8_PARIS + timedelta(days=7, hours=25)):  # next Tuesday, 09:00
        post(alice, "Another week")
        assert digests_enqueue() == 0


# --- Exactly once ----------------------------------------------------------------------------


def test_it_sends_one_digest_a_week_however_many_ticks(alice, bob):
    with at(MONDAY_8_PARIS):
        post(alice, "Week ten news")
        assert digests_enqueue() == 1
        assert digests_enqueue() == 0
    with at(MONDAY_8_PARIS + timedelta(hours=3)):
        post(alice, "Later that Monday", ago=timedelta(hours=1))
        assert digests_enqueue() == 0
    helper = Helper.objects.get(email="bob@example.org")
    assert helper.last_digest_at == MONDAY_8_PARIS
    with at(MONDAY_8_PARIS + timedelta(weeks=1)):
        assert digests_enqueue() == 1
        assert digests_enqueue() == 0
    first, second = digests()
    assert second.key == f"digest:{helper.pk}:2026-W11"
    assert "Later that Monday" in second.body_text  # new since the last digest
    assert "Week ten news" not in second.body_text  # already told


def test_a_crash_part_way_through_a_batch_leaves_the_rest_for_the_next_tick(
    alice, bob, monkeypatch
):
    for i in range(4):
        helper_of(alice, f"Helper {i}", f"h{i}@example.org")
    monkeypatch.setattr(digest, "WRITE_CHUNK", 2)
    real_write = digest._write
    calls = []

    def dies_on_the_second_chunk(chunk, now):
        calls.append(len(chunk))
        if len(calls) == 2:
            raise SystemExit("killed")
        return real_write(chunk, now)

    with at(MONDAY_8_PARIS):
        post(alice, "News for everyone", audience="everyone")
        monkeypatch.setattr(digest, "_write", dies_on_the_second_chunk)
        with pytest.raises(SystemExit):
            digests_enqueue()
        assert len(digests()) == 2
        monkeypatch.setattr(digest, "_write", real_write)
        assert digests_enqueue() == 3
        assert digests_enqueue() == 0
    assert sorted(m.to_email for m in digests()) == sorted(
        ["bob@example.org"] + [f"h{i}@example.org" for i in range(4)]
    )
    # The written chunk marked its helpers; the failed one marked nobody, so nothing was lost.
    assert Helper.objects.filter(last_digest_at=MONDAY_8_PARIS).count() == 5


def test_it_reads_in_a_constant_number_of_queries_however_many_helpers(alice, bob, charlie):
    with at(MONDAY_8_UTC):
        post(alice, "News", audience="everyone")
        post(charlie, "Charlie's news", audience="everyone")
        helper_of(charlie, "Bob again", "bob@example.org")
        with CaptureQueriesContext(connection) as few:
            assert digests_enqueue() == 1
    with at(MONDAY_8_UTC + timedelta(weeks=1)):
        post(alice, "More news", audience="everyone")
        for i in range(30):
            member = helper_of(alice if i % 2 else charlie, f"H{i}", f"h{i}@example.org")
            ask_to(member, f"Ask {i}")
        with CaptureQueriesContext(connection) as many:
            assert digests_enqueue() == 31
    assert len(many) <= len(few) + 3  # + creating the 30 new Helper rows, once
    assert len(many) <= 25


@pytest.mark.django_db(transaction=True)
def test_two_ticks_at_once_queue_each_digest_once(alice, bob):
    for i in range(5):
        helper_of(alice, f"Helper {i}", f"h{i}@example.org")
    results: list[int] = []
    errors: list[BaseException] = []
    with at(MONDAY_8_PARIS):
        post(alice, "News for everyone", audience="everyone")
        barrier = threading.Barrier(2)

        def tick() -> None:
            try:
                barrier.wait()
                results.append(digests_enqueue())
            except BaseException as exc:  # noqa: BLE001  reported below
                errors.append(exc)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=tick) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    assert sorted(results) in ([0, 6], [1, 5], [2, 4], [3, 3])
    assert sum(results) == 6
    assert OutboxMessage.objects.filter(kind="digest").count() == 6
    assert len({m.to_email for m in digests()}) == 6


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_delivery_delivers_each_digest_once(alice, bob):
    # Real time here: the worker's own tick runs too, and must find this week's digests queued.
    now = timezone.now().astimezone(PARIS)
    helpers = [bob.member] + [helper_of(alice, f"H{i}", f"h{i}@example.org") for i in range(5)]
    for member in helpers:
        Helper.objects.update_or_create(
            email=member.person.emails[0],
            defaults={"digest_weekday": now.weekday(), "digest_hour": now.hour},
        )
    post(alice, "News for everyone", audience="everyone")
    assert digests_enqueue() == 6
    with SMTPServer() as smtp:
        processes.kill_worker_mid_delivery(smtp)
        assert OutboxMessage.objects.filter(status="sending").count() == 1
        restarted = processes.start_smtp_worker(smtp.port, pause=0)
        try:
            processes.wait_for(lambda: OutboxMessage.objects.filter(status="sent").count() == 6)
        finally:
            restarted.send_signal(signal.SIGTERM)
            assert restarted.wait(15) == 0
    assert OutboxMessage.objects.count() == 6  # the workers' ticks queued nothing more
    recipients = [rcpt[0] for _, rcpt in smtp.inbox.envelopes]
    assert sorted(recipients) == sorted(m.person.emails[0] for m in helpers)
    ids = [m["Message-ID"] for m in smtp.inbox.messages]
    assert len(set(ids)) == 6


# --- Pause and unsubscribe --------------------------------------------------------------------


def _links(message: OutboxMessage) -> tuple[str, str]:
    unsubscribe = message.headers["List-Unsubscribe"].strip("<>").split("8000", 1)[1]
    pause = re.search(r"Pause it for 4 weeks: http://[^/]+(\S+)", message.body_text).group(1)
    return unsubscribe, pause


def test_one_click_unsubscribe_works_without_csrf_and_twice_is_harmless(alice, bob, csrf_client):
    with at(MONDAY_8_PARIS):
        post(alice, "News")
        digests_enqueue()
    unsubscribe, _ = _links(digests()[0])
    page = csrf_client.get(unsubscribe)
    assert page.status_code == 200 and "Stop the weekly summary?" in page.content.decode()
    helper = Helper.objects.get(email="bob@example.org")
    assert helper.digest_unsubscribed_at is None  # a GET changes nothing: mail scanners follow
    data = {"List-Unsubscribe": "One-Click"}
    first = csrf_client.post(unsubscribe, data)
    assert first.status_code == 200 and "any more" in first.content.decode()
    helper.refresh_from_db()
    stamped = helper.digest_unsubscribed_at
    assert stamped is not None
    again = csrf_client.post(unsubscribe, data)
    assert again.status_code == 200
    helper.refresh_from_db()
    assert helper.digest_unsubscribed_at == stamped
    with at(MONDAY_8_PARIS + timedelta(weeks=1)):
        post(alice, "More news")
        assert digests_enqueue() == 0


def test_a_tampered_link_gets_a_clear_404_and_changes_nothing(alice, bob, client):
    with at(MONDAY_8_PARIS):
        post(alice, "News")
        digests_enqueue()
    unsubscribe, pause = _links(digests()[0])
    for url in (unsubscribe, pause):
        value = url.rstrip("/").rsplit("/", 1)[1]
        broken = url.replace(value, value[:-3] + ("aaa" if not value.endswith("aaa") else "bbb"))
        response = client.post(broken)
        assert response.status_code == 404
        assert "This link doesn't work" in response.content.decode()
    # An unsubscribe value can't be used to pause, nor the other way round.
    assert client.post(unsubscribe.replace("/u/", "/pause/")).status_code == 404
    helper = Helper.objects.get(email="bob@example.org")
    assert helper.digest_unsubscribed_at is None and helper.digest_paused_until is None


def test_pausing_holds_digests_for_four_weeks_then_catches_up(alice, bob, client):
    with at(MONDAY_8_PARIS):
        post(alice, "News")
        digests_enqueue()
    _, pause = _links(digests()[0])
    with at(MONDAY_8_PARIS + timedelta(hours=2)):
        assert "Pause the weekly summary for 4 weeks?" in client.get(pause).content.decode()
        assert Helper.objects.get(email="bob@example.org").digest_paused_until is None
        response = client.post(pause)
        assert "Paused until 30 March 2026" in response.content.decode()
        assert client.post(pause).status_code == 200  # twice is fine
    for week in (1, 2, 3):
        with at(MONDAY_8_PARIS + timedelta(weeks=week)):
            post(alice, f"News of week {week}")
            assert digests_enqueue() == 0
    with at(MONDAY_8_PARIS + timedelta(weeks=4)):
        assert digests_enqueue() == 1
    text = digests()[-1].body_text
    assert all(f"News of week {week}" in text for week in (1, 2, 3))


def test_a_helper_who_paused_or_stepped_out_in_one_circle_still_hears_from_the_other(
    alice, bob, charlie
):
    with at(MONDAY_8_UTC):
        helper_of(charlie, "Bob", "bob@example.org")
        bob.member.digest_paused_until = date(2026, 3, 20)
        bob.member.save(update_fields=["digest_paused_until"])
        post(alice, "ALICE-NEWS")
        post(charlie, "CHARLIE-NEWS")
        assert digests_enqueue() == 1
    text = digests()[0].body_text
    assert "CHARLIE-NEWS" in text and "ALICE-NEWS" not in text


def test_hard_news_already_emailed_right_away_is_not_repeated_in_the_digest(alice, alice_client):
    helper_of(alice, "Hannah Whitlock", "hannah@example.org", audience="inner")
    grace = helper_of(alice, "Grace Okafor", "grace@example.org", audience="inner")
    grace.news_timing = "weekly"
    grace.save(update_fields=["news_timing"])
    with at(MONDAY_8_PARIS - timedelta(days=2)):
        data = {"kind": "rejection", "audience": "inner", "text": "No from Acme, sadly."}
        alice_client.post(reverse("journey:update_new"), data)
    assert [m.to_email for m in OutboxMessage.objects.filter(kind="update-news")] == [
        "hannah@example.org"
    ]
    with at(MONDAY_8_PARIS):
        digests_enqueue()
    digests = {m.to_email: m for m in OutboxMessage.objects.filter(kind="digest")}
    assert "No from Acme, sadly." in digests["grace@example.org"].body_text
    assert "hannah@example.org" not in digests  # nothing else was new for her
