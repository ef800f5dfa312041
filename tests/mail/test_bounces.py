"""Bounces (issue 12, section 5): a signed VERP return path, DSNs read and recorded, and a
bouncing address shown to the seeker and never emailed again until they change it."""

import email
import email.policy
import logging
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path
from types import SimpleNamespace

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from helpwanted.asks.actions import (
    ask_create,
    ask_send,
    recipient_answer,
    recipient_follow_up,
    recipient_thank,
)
from helpwanted.asks.models import Recipient
from helpwanted.circle.actions import circle_add, member_consent
from helpwanted.circle.news import news_recipients
from helpwanted.journey.landed import unsent_thank_yous
from helpwanted.journey.models import ThankYou, Update
from helpwanted.mail import bounces, dsn
from helpwanted.mail.actions import outbox_deliver
from helpwanted.mail.bounces import (
    bounce_from_provider,
    bounce_process,
    verp_address,
    verp_outbox_id,
)
from helpwanted.mail.models import OutboxMessage
from helpwanted.network.actions import person_create
from helpwanted.network.models import Person

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent.parent / "fixtures" / "bounces"
JORDAN = "jordan@example.net"
NOTICE = "Jordan's email address bounced: check it."


def bounce_message(name: str, rcpt: str, to: str = JORDAN) -> EmailMessage:
    """A hand-written bounce from tests/fixtures/bounces, addressed to `rcpt` about `to`."""
    local, _, domain = to.partition("@")
    raw = (FIXTURES / name).read_text()
    for key, value in {"TO": to, "RCPT": rcpt, "TO_LOCAL": local, "TO_DOMAIN": domain}.items():
        raw = raw.replace("{{" + key + "}}", value)
    message = email.message_from_bytes(raw.encode(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def jordan(owner, email: str = JORDAN) -> Person:
    person = person_create(
        owner=owner,
        fields={"name": "Jordan Lee", "emails": [email], "relationship": "former_colleague"},
    )
    circle_add(person=person, audience="supporters")
    return person


def asked(owner, person: Person) -> tuple[Recipient, OutboxMessage]:
    """An ask emailed to `person` and delivered; its recipient and its outbox row."""
    ask = ask_create(
        owner=owner,
        fields={"kind": "advice", "request": "Could we talk for twenty minutes on Thursday?"},
        people=[person],
    )
    (recipient,) = ask_send(ask=ask)
    row = OutboxMessage.objects.get(key=f"ask:{recipient.pk}:sent")
    outbox_deliver()
    return recipient, row


def bounce(name: str, row: OutboxMessage) -> str:
    return bounce_process(
        bounce_message(name, verp_address(row.pk), row.to_email), verp_address(row.pk)
    )


# --- The VERP address ---------------------------------------------------------------------


def test_the_verp_address_names_its_outbox_row_and_fits_a_local_part(settings):
    settings.BOUNCE_LOCAL = "bounce"
    settings.REPLY_DOMAIN = "reply.helpwanted.example"
    address = verp_address(987654321012345678)
    local, _, domain = address.partition("@")
    assert domain == "reply.helpwanted.example"
    assert local.startswith("bounce+987654321012345678-") and len(local) <= 64
    assert verp_outbox_id(address) == 987654321012345678
    assert verp_outbox_id(f"<{address.upper()}>") == 987654321012345678  # case folded in transit


def test_a_tampered_or_foreign_verp_address_names_nothing(settings):
    address = verp_address(42)
    local, _, domain = address.partition("@")
    signature = local.rsplit("-", 1)[1]
    flipped = signature[:-1] + ("0" if signature[-1] != "0" else "1")
    assert verp_outbox_id(address.replace("+42-", "+43-")) is None  # another row, same signature
    assert verp_outbox_id(f"{local.rsplit('-', 1)[0]}-{flipped}@{domain}") is None
    assert verp_outbox_id(address.replace("bounce+", "reply+")) is None
    assert verp_outbox_id("bounce+42@" + domain) is None
    assert verp_outbox_id("") is None and verp_outbox_id("not an address") is None


def test_a_verp_address_signed_with_an_old_key_still_counts(settings):
    address = verp_address(7)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-brand-new-secret-key-for-rotation-0123456789-abcdefghijklmnop"
    assert verp_outbox_id(address) == 7
    settings.SECRET_KEY_FALLBACKS = []
    assert verp_outbox_id(address) is None


@given(st.integers(min_value=1, max_value=10**18 - 1), st.integers(min_value=0, max_value=19))
def test_every_id_round_trips_and_any_changed_signature_character_fails(outbox_id, position):
    address = verp_address(outbox_id)
    assert verp_outbox_id(address) == outbox_id
    local, _, domain = address.partition("@")
    head, signature = local.rsplit("-", 1)
    changed = "0" if signature[position] != "0" else "f"
    tampered = signature[:position] + changed + signature[position + 1 :]
    assert verp_outbox_id(f"{head}-{tampered}@{domain}") is None


# --- Reading bounces ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "status", "outcome", "words"),
    [
        ("postfix-5.1.1.eml", "5.1.1", "permanent", "User unknown in virtual mailbox table"),
        ("gmail-5.1.1.eml", "5.1.1", "permanent", "The email account that you tried to reach"),
        ("outlook-5.1.10.eml", "5.1.10", "permanent", "RESOLVER.ADR.RecipientNotFound"),
        ("exim-5.1.1.eml", "5.1.1", "permanent", "Recipient address rejected: User unknown"),
        ("qmail-5.1.1.eml", "5.1.1", "permanent", "Sorry, no mailbox here by that name"),
        ("postfix-4.2.2-delayed.eml", "4.2.2", "temporary", "Mailbox full"),
        ("postfix-5.4.4.eml", "5.4.4", "temporary", "Host or domain name not found"),
    ],
)
def test_it_reads_the_status_and_the_servers_words_from_each_style(fixture, status, outcome, words):
    found = dsn.parse_bounce(bounce_message(fixture, "bounce+1-x@h.example"), JORDAN)
    assert found is not None
    assert (found.status, found.outcome) == (status, outcome)
    assert words in found.detail and len(found.detail) <= dsn.DETAIL_CAP
    assert not found.detail.lower().startswith("smtp;")


@pytest.mark.parametrize("fixture", ["out-of-office.eml", "delivered-2.0.0.eml"])
def test_an_auto_reply_or_a_success_notice_is_not_a_bounce(fixture):
    assert dsn.parse_bounce(bounce_message(fixture, "bounce+1-x@h.example"), JORDAN) is None


def test_a_report_about_several_recipients_is_read_for_the_one_we_sent_to():
    message = bounce_message("postfix-5.1.1.eml", "bounce+1-x@h.example")
    report = next(p for p in message.walk() if p.get_content_type() == "message/delivery-status")
    other = email.message_from_string(
        "Final-Recipient: rfc822; someone.else@example.org\nAction: failed\nStatus: 5.2.2\n"
    )
    report.get_payload().insert(1, other)
    found = dsn.parse_bounce(message, JORDAN)
    assert found is not None and found.status == "5.1.1" and found.recipient == JORDAN


@pytest.mark.parametrize(
    ("status", "outcome"),
    [("5.1.1", "permanent"), ("5.7.1", "permanent"), ("5.4.4", "temporary"),
     ("4.2.2", "temporary"), ("4.4.7", "temporary"), ("2.0.0", "ignored"), ("", "ignored")],
)  # fmt: skip
def test_it_classifies_status_codes(status, outcome):
    assert dsn.classify(status) == outcome


# --- What a bounce does ---------------------------------------------------------------------


def test_a_5_1_1_marks_the_address_and_the_seeker_sees_it_everywhere(alice, alice_client):
    person = jordan(alice)
    recipient, row = asked(alice, person)
    assert bounce("postfix-5.1.1.eml", row) == "permanent"

    row.refresh_from_db()
    assert row.bounce_status == "5.1.1" and row.bounced_at is not None
    assert "User unknown" in row.bounce_detail
    person.refresh_from_db()
    assert person.email_bouncing and not person.can_email
    assert (person.bounced_email, person.bounce_status) == (JORDAN, "5.1.1")

    ask_page = alice_client.get(reverse("asks:detail", args=[recipient.ask_id])).text
    assert NOTICE in ask_page and "Your ask may not have reached them" in ask_page
    person_page = alice_client.get(reverse("network:person", args=[person.pk])).text
    assert NOTICE in person_page
    assert "there&#x27;s no mailbox at that address" in person_page  # the reason, in plain words
    assert "User unknown in virtual mailbox table" in person_page  # and the server's own
    assert reverse("network:person_edit", args=[person.pk]) in person_page
    home = alice_client.get(reverse("home")).text
    assert "Jordan Lee&#x27;s email address bounced: check it." in home
    assert reverse("network:person", args=[person.pk]) in home


def test_a_4_2_2_is_recorded_on_the_email_but_leaves_the_address_alone(alice, alice_client):
    person = jordan(alice)
    recipient, row = asked(alice, person)
    assert bounce("postfix-4.2.2-delayed.eml", row) == "temporary"
    row.refresh_from_db()
    assert row.bounce_status == "4.2.2" and "Mailbox full" in row.bounce_detail
    person.refresh_from_db()
    assert not person.email_bouncing and person.can_email and person.bounced_at is None
    assert NOTICE not in alice_client.get(reverse("network:person", args=[person.pk])).text
    assert NOTICE not in alice_client.get(reverse("asks:detail", args=[recipient.ask_id])).text


def test_a_5_4_4_counts_as_temporary(alice):
    person = jordan(alice)
    _, row = asked(alice, person)
    assert bounce("postfix-5.4.4.eml", row) == "temporary"
    row.refresh_from_db()
    person.refresh_from_db()
    assert row.bounce_status == "5.4.4" and person.can_email


def test_a_permanent_failure_after_a_temporary_one_still_marks_the_address(alice):
    person = jordan(alice)
    _, row = asked(alice, person)
    assert bounce("postfix-4.2.2-delayed.eml", row) == "temporary"
    assert bounce("gmail-5.1.1.eml", row) == "permanent"
    row.refresh_from_db()
    person.refresh_from_db()
    assert row.bounce_status == "5.1.1" and person.email_bouncing
    assert bounce("postfix-4.2.2-delayed.eml", row) == "temporary"  # a late warning: no change
    row.refresh_from_db()
    assert row.bounce_status == "5.1.1"


@pytest.mark.parametrize("how", ["unknown", "tampered", "pruned", "someone else's"])
def test_a_bounce_for_an_unknown_or_tampered_verp_address_is_ignored(alice, charlie, how):
    person = jordan(alice)
    _, row = asked(alice, person)
    rcpt = {
        "unknown": verp_address(row.pk + 1000),
        "tampered": verp_address(row.pk).replace(f"+{row.pk}-", f"+{row.pk + 1}-"),
        "pruned": verp_address(row.pk),
        "someone else's": "bounce+1-0123456789abcdef0123@helpwanted.localhost",
    }[how]
    if how == "pruned":
        OutboxMessage.objects.filter(pk=row.pk).delete()
    assert bounce_process(bounce_message("postfix-5.1.1.eml", rcpt), rcpt) == "ignored"
    assert not OutboxMessage.objects.filter(bounced_at__isnull=False).exists()
    person.refresh_from_db()
    assert person.can_email and person.bounced_email == ""


def test_the_same_dsn_twice_records_once(alice, caplog):
    person = jordan(alice)
    _, row = asked(alice, person)
    caplog.set_level(logging.INFO, logger="helpwanted.mail")
    assert bounce("outlook-5.1.10.eml", row) == "permanent"
    first = OutboxMessage.objects.get(pk=row.pk).bounced_at
    marked = Person.objects.get(pk=person.pk).bounced_at
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        assert bounce("outlook-5.1.10.eml", row) == "permanent"
    assert OutboxMessage.objects.get(pk=row.pk).bounced_at == first
    assert Person.objects.get(pk=person.pk).bounced_at == marked
    assert sum("bounced" in r.getMessage() for r in caplog.records) == 1


def test_a_bounce_marks_only_that_seekers_person(alice, charlie):
    mine = jordan(alice)
    theirs = jordan(charlie)
    _, row = asked(alice, mine)
    bounce("postfix-5.1.1.eml", row)
    assert Person.objects.get(pk=mine.pk).email_bouncing
    assert not Person.objects.get(pk=theirs.pk).email_bouncing


def test_a_malformed_bounce_to_a_good_address_is_ignored_without_an_exception(alice):
    _, row = asked(alice, jordan(alice))
    rcpt = verp_address(row.pk)
    for raw in [b"", b"\x00\xff\xfe garbage", b"Content-Type: multipart/report\n\n--x", b"From:\n"]:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert bounce_process(message, rcpt) == "ignored"  # type: ignore[arg-type]


# --- A bouncing address gets no email ---------------------------------------------------------


def bounced_jordan(alice) -> tuple[Person, Recipient]:
    person = jordan(alice)
    recipient, row = asked(alice, person)
    assert bounce("postfix-5.1.1.eml", row) == "permanent"
    # As the next request would load them.
    recipient = Recipient.objects.select_related("ask", "person").get(pk=recipient.pk)
    return recipient.person, recipient


def test_a_new_ask_to_a_bouncing_address_goes_to_ask_in_person_honestly(alice, alice_client):
    person, _ = bounced_jordan(alice)
    ask = ask_create(
        owner=alice,
        fields={"kind": "review", "request": "Would you look over my CV by Friday?"},
        people=[person],
    )
    page = alice_client.get(reverse("asks:detail", args=[ask.pk])).text
    assert "No email will go to Jordan Lee: their email address bounced" in page
    assert "Save, I'll ask them myself" in page  # not "Send"
    before = OutboxMessage.objects.count()
    response = alice_client.post(reverse("asks:send", args=[ask.pk]))
    assert response.status_code == 302
    recipient = Recipient.objects.get(ask=ask)
    assert recipient.status == Recipient.Status.TO_ASK and recipient.sent_at is None
    assert OutboxMessage.objects.count() == before


def test_choosing_email_for_a_bouncing_address_is_refused_with_a_reason(alice, alice_client):
    person, _ = bounced_jordan(alice)
    ask = ask_create(
        owner=alice, fields={"kind": "advice", "request": "Coffee next week?"}, people=[person]
    )
    recipient = Recipient.objects.get(ask=ask)
    response = alice_client.post(
        reverse("asks:recipient_update", args=[recipient.pk]),
        {f"channel_{recipient.pk}": "email", f"line_{recipient.pk}": ""},
        follow=True,
    )
    assert "email address bounced" in response.text
    recipient.refresh_from_db()
    assert recipient.channel == Recipient.Channel.IN_PERSON


def test_follow_ups_thank_yous_news_and_landing_thanks_skip_a_bouncing_address(alice):
    person, recipient = bounced_jordan(alice)
    before = OutboxMessage.objects.count()
    assert recipient_follow_up(recipient=recipient, text="Just checking in!") is False
    recipient_answer(recipient=recipient, answer="yes", message="Happy to!")
    recipient.refresh_from_db()
    assert recipient_thank(recipient=recipient, text="Thank you so much.") == "not_emailed"
    member = person.membership
    member_consent(member=member, via="invite")
    update = Update.objects.create(owner=alice, kind="rejection", audience="supporters", text="No.")
    assert member not in news_recipients(update)
    ThankYou.objects.create(owner=alice, person=person, text="Thank you!")
    assert [t.gets_email for t in unsent_thank_yous(alice)] == [False]
    assert OutboxMessage.objects.count() == before


def test_the_digest_leaves_out_a_bouncing_address(alice):
    from helpwanted.journey.digest import _eligible_members

    person, _ = bounced_jordan(alice)
    member_consent(member=person.membership, via="invite")
    other = jordan(alice, "sam@example.net")
    member_consent(member=other.membership, via="invite")
    eligible = _eligible_members(timezone.localdate())
    assert "sam@example.net" in eligible and JORDAN not in eligible


def test_an_invitation_to_the_bouncing_address_is_refused_and_a_new_one_goes(alice, alice_client):
    person, _ = bounced_jordan(alice)
    url = reverse("circle:invite", args=[person.membership.pk])
    before = OutboxMessage.objects.count()
    response = alice_client.post(url, {"email": JORDAN.upper(), "message": ""})
    assert response.status_code == 200 and "Email to this address bounced" in response.text
    assert OutboxMessage.objects.count() == before
    response = alice_client.post(url, {"email": "jordan.lee@example.net", "message": ""})
    assert response.status_code == 302
    assert OutboxMessage.objects.filter(to_email="jordan.lee@example.net").count() == 1
    assert Person.objects.get(pk=person.pk).can_email  # the new address is first now


def test_email_still_queued_to_the_address_is_called_off_when_it_bounces(alice):
    person = jordan(alice)
    recipient, row = asked(alice, person)
    queued = OutboxMessage.objects.create(
        key="later", kind="update-news", user=alice, to_email=JORDAN, subject="s", body_text="t"
    )
    elsewhere = OutboxMessage.objects.create(
        key="other", kind="update-news", user=alice, to_email="sam@example.net", subject="s"
    )
    bounce("postfix-5.1.1.eml", row)
    queued.refresh_from_db()
    elsewhere.refresh_from_db()
    assert queued.status == OutboxMessage.Status.FAILED and "bounced" in queued.last_error
    assert elsewhere.status == OutboxMessage.Status.QUEUED
    assert outbox_deliver() == 1  # only the other address's


# --- Editing the address clears it -----------------------------------------------------------


def edit_email(client, person: Person, emails: str):
    return client.post(
        reverse("network:person_edit", args=[person.pk]),
        {"name": person.name, "relationship": person.relationship, "emails_text": emails},
    )


def test_editing_the_email_clears_the_bounce_and_email_goes_again(alice, alice_client):
    person, _ = bounced_jordan(alice)
    assert edit_email(alice_client, person, "jordan.lee@example.net").status_code == 302
    person.refresh_from_db()
    assert person.can_email and not person.email_bouncing
    assert (person.bounced_email, person.bounced_at, person.bounce_status) == ("", None, "")
    assert NOTICE not in alice_client.get(reverse("network:person", args=[person.pk])).text
    assert "bounced" not in alice_client.get(reverse("home")).text
    ask = ask_create(owner=alice, fields={"kind": "advice", "request": "Coffee?"}, people=[person])
    (recipient,) = ask_send(ask=ask)
    assert recipient.status == Recipient.Status.SENT
    assert OutboxMessage.objects.filter(to_email="jordan.lee@example.net").count() == 1


def test_saving_the_form_unchanged_keeps_the_bounce(alice, alice_client):
    person, _ = bounced_jordan(alice)
    assert edit_email(alice_client, person, JORDAN).status_code == 302
    person.refresh_from_db()
    assert person.email_bouncing


def test_a_bounce_for_an_address_the_seeker_already_changed_marks_nobody(alice):
    person = jordan(alice)
    _, row = asked(alice, person)
    Person.objects.filter(pk=person.pk).update(
        emails=["jordan.lee@example.net"], email_key="jordan.lee@example.net"
    )
    assert bounce("postfix-5.1.1.eml", row) == "permanent"  # recorded on the old email's row
    person.refresh_from_db()
    assert person.can_email and not person.email_bouncing


def test_a_person_bounced_elsewhere_shows_nothing_to_an_outsider(alice, charlie_client):
    person, recipient = bounced_jordan(alice)
    assert charlie_client.get(reverse("network:person", args=[person.pk])).status_code == 404
    assert charlie_client.get(reverse("asks:detail", args=[recipient.ask_id])).status_code == 404


# --- Provider webhooks (django-anymail's tracking signal) -----------------------------------


def provider_event(**fields):
    defaults = {"event_type": "bounced", "recipient": JORDAN, "metadata": {}, "description": ""}
    return SimpleNamespace(**{**defaults, **fields})


def test_a_providers_bounce_event_marks_the_address_like_a_dsn(alice):
    from anymail.signals import tracking

    person = jordan(alice)
    _, row = asked(alice, person)
    event = provider_event(mta_response="550 5.1.1 The email account does not exist")
    tracking.send(sender=object, event=event, esp_name="Postmark")
    row.refresh_from_db()
    person.refresh_from_db()
    assert row.bounce_status == "5.1.1" and "does not exist" in row.bounce_detail
    assert person.email_bouncing


def test_a_providers_soft_or_unknown_event_changes_nothing(alice):
    person = jordan(alice)
    _, row = asked(alice, person)
    assert bounce_from_provider(provider_event(event_type="deferred")) == "ignored"
    assert bounce_from_provider(provider_event(recipient="nobody@example.org")) == "ignored"
    assert bounce_from_provider(provider_event(mta_response="452 4.2.2 full")) == "temporary"
    person.refresh_from_db()
    assert person.can_email


def test_a_providers_event_may_name_the_outbox_row_in_its_metadata(alice):
    person = jordan(alice)
    _, first = asked(alice, person)
    later = OutboxMessage.objects.create(
        key="later", kind="x", user=alice, to_email=JORDAN, subject="s", sent_at=timezone.now()
    )
    event = provider_event(event_type="rejected", metadata={"outbox_id": str(first.pk)})
    assert bounce_from_provider(event) == "permanent"
    assert OutboxMessage.objects.get(pk=first.pk).bounce_status == "5.0.0"
    assert OutboxMessage.objects.get(pk=later.pk).bounced_at is None


def test_a_broken_provider_event_never_fails_the_webhook(alice):
    bounces.on_tracking(sender=object, event=object(), esp_name="Test")  # no attributes at all


# --- The dev outbox ---------------------------------------------------------------------------


def test_the_dev_outbox_shows_the_bounce(alice, client, settings):
    settings.DEBUG = True
    _, row = asked(alice, jordan(alice))
    bounce("postfix-5.1.1.eml", row)
    listing = client.get("/dev/outbox/").text
    assert "bounced (5.1.1)" in listing
    detail = client.get(f"/dev/outbox/{row.pk}/").text
    assert "Bounced" in detail and "User unknown in virtual mailbox table" in detail
    # What the worker adds as it sends: the signed envelope sender and the loop headers.
    assert f"&lt;{verp_address(row.pk)}&gt;" in detail
    assert "Auto-Submitted" in detail and "auto-generated" in detail
    assert "X-Auto-Response-Suppress" in detail


def test_the_dev_outbox_list_reads_bounces_without_a_query_per_row(
    alice, client, settings, django_assert_max_num_queries
):
    settings.DEBUG = True
    _, row = asked(alice, jordan(alice))
    bounce("postfix-5.1.1.eml", row)
    with django_assert_max_num_queries(50) as one:
        client.get("/dev/outbox/")
    for n in range(5):
        OutboxMessage.objects.create(
            key=f"b{n}", kind="x", to_email=f"p{n}@example.org", subject="s",
            bounced_at=timezone.now(), bounce_status="5.1.1",
        )  # fmt: skip
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get("/dev/outbox/").text.count("bounced (5.1.1)") == 6


# --- The next step (pure rules) -----------------------------------------------------------------


def test_the_bounce_step_comes_after_thanks_and_before_follow_ups_and_can_be_snoozed():
    from datetime import date

    from helpwanted.nudges import rules

    today = date(2026, 11, 29)
    data = rules.StepInputs(
        today=today,
        bounced=[rules.Bounced(person_id=7, name="Jordan Lee", bounced_on=date(2026, 11, 28))],
        thankable=[rules.Thankable(recipient_id=3, name="Ruth")],
        waiting=[rules.Waiting(recipient_id=4, name="Tom", sent_on=date(2026, 11, 1),
                               follow_up_days=5)],
    )  # fmt: skip
    kinds = [s.kind for s in rules.next_steps(data)]
    assert kinds.index("thank") < kinds.index("bounced") < kinds.index("follow-up")
    (step,) = [s for s in rules.next_steps(data) if s.kind == "bounced"]
    assert step.key == "bounced:7" and rules.valid_key(step.key)
    assert (step.url_name, step.url_args) == ("network:person", (7,))
    assert step.text.startswith("Jordan Lee's email address bounced: check it.")
    snoozed = rules.StepInputs(today=today, bounced=data.bounced, snoozed=frozenset({"bounced:7"}))
    assert all(s.kind != "bounced" for s in rules.next_steps(snoozed))
