"""The demo's asks: Maya's search shows every state of an ask without any setup."""

from collections import Counter
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from helpwanted.asks.actions import answers_notify
from helpwanted.asks.models import Ask, HelpGiven, Recipient
from helpwanted.asks.selectors import recipients_needing_follow_up
from helpwanted.demo.seed import demo_seed
from helpwanted.mail.models import OutboxMessage
from helpwanted.network.companies import company_key
from helpwanted.network.models import Person, Source, Target
from tests.asks.conftest import helper_client_for

pytestmark = pytest.mark.django_db
Status = Recipient.Status


@pytest.fixture
def maya():
    return demo_seed()


def recipients(maya) -> list[Recipient]:
    return list(
        Recipient.objects.filter(ask__owner=maya).select_related(
            "ask", "person", "suggested_person"
        )
    )


def test_the_demo_has_a_recipient_in_every_state_from_draft_to_thanked(maya):
    statuses = Counter(r.status for r in recipients(maya))

    assert set(statuses) == set(Status.values)


def test_the_demo_has_an_ask_of_many_kinds_and_two_help_given_entries(maya):
    kinds = set(Ask.objects.filter(owner=maya).values_list("kind", flat=True))

    assert {"introduction", "review", "emotional_support", "referral", "job_lead"} <= kinds
    assert HelpGiven.objects.filter(owner=maya).count() == 2


def test_an_i_cant_but_try_answer_left_a_lead_at_brightwell_with_its_provenance(maya):
    [suggester] = [r for r in recipients(maya) if r.status == Status.SUGGESTED]
    lead = suggester.suggested_person

    assert suggester.ask.kind == "introduction"
    assert lead.owner == maya
    assert lead.suggested_by == suggester.person
    assert Source.SUGGESTED in lead.sources
    assert lead.how_we_know == f"Suggested by {suggester.person.name}"
    brightwell = Target.objects.get(owner=maya, company_key=company_key("Brightwell Energy"))
    assert lead.company_key == brightwell.company_key


def test_the_introduction_went_to_three_lumen_people_and_one_is_due_a_follow_up(maya):
    # Her job club's accepted offer is an introduction too, through the club: not this one.
    intro = Ask.objects.exclude(recipients__channel="club").get(owner=maya, kind="introduction")
    asked = intro.recipients.select_related("person")

    assert {r.person.company_key for r in asked} == {company_key("Lumen Labs")}
    assert sorted(r.status for r in asked) == ["offered", "sent", "suggested"]
    quiet = asked.get(status=Status.SENT)
    assert timezone.now() - quiet.sent_at > timedelta(days=intro.follow_up_days)
    assert recipients_needing_follow_up(maya) == [quiet]


def test_ruth_was_thanked_with_the_impact_and_sees_it_through_her_email_link(maya):
    ruth = Recipient.objects.get(ask__owner=maya, person__name="Ruth Adeyemi")
    assert (ruth.status, ruth.led_to) == (Status.THANKED, "interview")
    assert ruth.ask.closed_at is not None

    email = OutboxMessage.objects.get(key=f"ask:{ruth.pk}:thanks")
    page = helper_client_for(email).get(reverse("circle:helper_home")).content.decode()

    assert email.to_email == ruth.person.emails[0]
    assert "interview" in ruth.thanks_text
    assert escape(ruth.thanks_text) in page


def test_a_quiet_lumen_contact_can_answer_from_the_demo_email(maya):
    quiet = Recipient.objects.exclude(channel="club").get(
        ask__owner=maya, ask__kind="introduction", status=Status.SENT
    )
    helper = helper_client_for(OutboxMessage.objects.get(key=f"ask:{quiet.pk}:sent"))

    response = helper.post(
        reverse("circle:helper_ask", args=[quiet.pk]), {"answer": "yes", "message": "Sure!"}
    )

    quiet.refresh_from_db()
    assert response.status_code in (302, 303)
    assert (quiet.status, quiet.answer_message) == (Status.OFFERED, "Sure!")


def test_every_emailed_ask_is_in_the_outbox_and_nothing_went_to_draft_or_in_person(maya):
    everyone = recipients(maya)
    emailed = [r for r in everyone if r.channel == "email" and r.status != Status.DRAFT]
    in_person = [r for r in everyone if r.channel == "in_person"]
    [draft] = [r for r in everyone if r.status == Status.DRAFT]

    outbox = dict(
        OutboxMessage.objects.filter(kind="ask").values_list("key", "to_email").order_by("key")
    )
    assert outbox == {f"ask:{r.pk}:sent": r.person.emails[0] for r in emailed}
    assert in_person and all(not r.person.emails for r in in_person)
    to_ask = [r for r in in_person if r.status == Status.TO_ASK]
    assert [r.person.phones != [] for r in to_ask] == [True]  # one still to ask, by phone
    assert all(r.has_answered for r in in_person if r not in to_ask)  # tracked by hand
    assert draft.ask.sent_at is None and draft.ask.kind == "referral"
    assert draft.ask.recipients.count() == 1


def test_ifeoma_said_not_right_now_then_changed_her_mind(maya):
    ifeoma = Recipient.objects.get(ask__owner=maya, person__name="Ifeoma Okafor")

    history = list(ifeoma.events.values_list("status", "note"))

    assert [status for status, _ in history] == ["sent", "opened", "not_now", "offered"]
    assert history[-1][1] == "changed their answer"
    assert ifeoma.offer_when


def test_the_story_reads_in_order_and_happened_in_the_past(maya):
    now = timezone.now()
    for r in recipients(maya):
        times = list(r.events.values_list("at", flat=True))
        assert times == sorted(times), r
        assert all(t <= now for t in times)
        if r.sent_at:
            assert r.ask.created_at <= r.sent_at == times[0]
        for field in ("opened_at", "answered_at", "done_at", "thanked_at"):
            stamp = getattr(r, field)
            assert stamp is None or r.sent_at <= stamp <= now, (r, field)


def test_nobody_in_the_demo_has_more_open_asks_than_the_cap(maya):
    open_asks = Counter(
        Recipient.objects.filter(
            ask__owner=maya, status__in=Recipient.OPEN, ask__closed_at__isnull=True
        ).values_list("person_id", flat=True)
    )

    assert open_asks
    assert max(open_asks.values()) <= settings.ASK_OPEN_CAP


def test_the_tick_does_not_email_maya_old_answers_as_new(maya):
    assert answers_notify() == 0
    assert not OutboxMessage.objects.filter(kind="answers").exists()


def test_the_suggested_lead_is_not_duplicated_by_a_second_seed(maya):
    demo_seed()

    suggested = [p for p in Person.objects.filter(owner=maya) if Source.SUGGESTED in p.sources]
    assert [p.name for p in suggested] == [
        Recipient.objects.get(ask__owner=maya, status=Status.SUGGESTED).suggested_person.name
    ]
