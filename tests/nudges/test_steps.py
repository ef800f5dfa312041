"""Next steps and the early-ask card on the home page, through the client, with time frozen."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from helpwanted.asks.actions import ask_create, ask_send, recipient_add, recipient_record_answer
from helpwanted.circle.actions import circle_add
from helpwanted.journey.checkins import checkin_save
from helpwanted.journey.models import Opportunity, Search, Update
from helpwanted.journey.opportunities import opportunity_create, opportunity_move
from helpwanted.mail.actions import outbox_deliver
from helpwanted.mail.models import OutboxMessage
from helpwanted.network.actions import person_create
from helpwanted.network.targets import target_add
from helpwanted.nudges import rules
from helpwanted.nudges.models import Snooze
from helpwanted.nudges.steps import early_ask_emails_send, early_ask_key, step_inputs, thresholds

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 11, 9, 0, tzinfo=dt.UTC)  # a Wednesday


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def seeker(clock, alice):
    """alice, with an inner-circle friend, who asked and updated recently and checked in."""
    alice.date_joined = START - dt.timedelta(days=60)
    alice.save(update_fields=["date_joined"])
    friend = person_create(
        owner=alice,
        fields={
            "name": "Nora Inner",
            "emails": ["nora@example.org"],
            "relationship": "friend",
            "closeness": 5,
        },
    )
    circle_add(person=friend, audience="inner")
    return friend


def steps_of(client) -> list[str]:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return [step.key for step, _url in response.context["next_steps"]]


def send_ask(owner, person, request="Could you spare 15 minutes for a chat?"):
    ask = ask_create(owner=owner, fields={"kind": "advice", "request": request})
    recipient = recipient_add(ask=ask, person=person)
    ask_send(ask=ask)
    recipient.refresh_from_db()
    return recipient


def test_home_shows_at_most_five_steps_each_with_a_button_and_not_now(alice_client, alice, seeker):
    for i in range(8):
        person = person_create(
            owner=alice, fields={"name": f"Pat {i}", "emails": [f"pat{i}@example.org"]}
        )
        send_ask(alice, person)
    target_add(owner=alice, company="Acme")
    person_create(owner=alice, fields={"name": "Ada Acme", "company": "Acme"})
    response = alice_client.get(reverse("home"))
    keys = [step.key for step, _ in response.context["next_steps"]]
    assert 1 <= len(keys) <= 5
    body = response.content.decode()
    assert body.count('name="key"') == len(keys)
    assert body.count("Not now") == len(keys)


def test_a_follow_up_step_appears_on_schedule_and_not_now_hides_it_for_a_while(
    alice_client, alice, seeker, clock
):
    recipient = send_ask(alice, seeker)
    assert f"follow-up:{recipient.pk}" not in steps_of(alice_client)
    clock.shift(dt.timedelta(days=5))
    assert f"follow-up:{recipient.pk}" in steps_of(alice_client)
    response = alice_client.post(
        reverse("nudges:step_snooze"), {"key": f"follow-up:{recipient.pk}"}
    )
    assert response.status_code == 302
    assert Snooze.objects.filter(owner=alice, key=f"follow-up:{recipient.pk}").exists()
    assert f"follow-up:{recipient.pk}" not in steps_of(alice_client)
    clock.shift(dt.timedelta(days=2, hours=23))
    assert f"follow-up:{recipient.pk}" not in steps_of(alice_client)
    clock.shift(dt.timedelta(hours=2))  # the 3-day snooze is over, and it's still worth doing
    assert f"follow-up:{recipient.pk}" in steps_of(alice_client)


def test_a_done_step_goes_away(alice_client, alice, seeker, clock):
    recipient = send_ask(alice, seeker)
    recipient_record_answer(recipient=recipient, answer="yes", message="Happy to!")
    assert f"thank:{recipient.pk}" in steps_of(alice_client)
    response = alice_client.post(
        reverse("asks:thank", args=[recipient.pk]), {"text": "Thank you so much, Nora."}
    )
    assert response.status_code == 302
    assert f"thank:{recipient.pk}" not in steps_of(alice_client)


def test_sharing_an_update_removes_the_update_step(alice_client, alice, seeker):
    assert "update:share" in steps_of(alice_client)
    Update.objects.create(owner=alice, text="Two interviews this week.")
    assert "update:share" not in steps_of(alice_client)


def test_an_outsider_snoozes_only_their_own_steps(
    alice_client, charlie_client, alice, charlie, seeker
):
    recipient = send_ask(alice, seeker)
    recipient_record_answer(recipient=recipient, answer="yes")
    key = f"thank:{recipient.pk}"
    assert charlie_client.post(reverse("nudges:step_snooze"), {"key": key}).status_code == 302
    assert not Snooze.objects.filter(owner=alice).exists()
    assert Snooze.objects.filter(owner=charlie, key=key).exists()
    assert key in steps_of(alice_client)


def test_snoozing_needs_a_login_a_post_a_known_key_and_csrf(
    client, alice_client, csrf_client, alice, seeker
):
    url = reverse("nudges:step_snooze")
    assert client.post(url, {"key": "update:share"}).status_code == 302  # to the login page
    assert alice_client.get(url).status_code == 405
    assert alice_client.post(url, {"key": "delete:everything"}).status_code == 400
    csrf_client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    assert csrf_client.post(url, {"key": "update:share"}).status_code == 403
    assert not Snooze.objects.exists()


def test_a_dip_in_hope_shows_the_early_ask_card_linking_to_a_prefilled_composer(
    alice_client, alice, seeker, clock
):
    clock.move_to(START - dt.timedelta(days=2))
    asked = send_ask(alice, seeker)  # asked lately: "no ask for 10 days" is not what fires
    recipient_record_answer(recipient=asked, answer="not_now")  # and she answered
    clock.move_to(START)
    checkin_save(owner=alice, day=dt.date(2026, 3, 1), hope=4, energy=3, confidence=3)
    assert alice_client.get(reverse("home")).context["early_ask"] is None
    checkin_save(owner=alice, day=dt.date(2026, 3, 11), hope=2, energy=3, confidence=3)
    response = alice_client.get(reverse("home"))
    card = response.context["early_ask"]
    assert card is not None and card.signal.triggers == ("hope",)
    assert card.person_id == seeker.pk and card.kind == "emotional_support"
    body = response.content.decode()
    assert "A good moment to ask Nora Inner" in body
    query = parse_qs(urlsplit(card.url).query)
    assert query["kind"] == ["emotional_support"] and query["to"] == [str(seeker.pk)]
    composer = alice_client.get(card.url)
    assert composer.status_code == 200
    assert composer.context["form"].initial["request"] == card.request
    assert card.request in composer.content.decode()
    assert "Nora Inner" in composer.content.decode()


def test_not_now_hides_the_early_ask_card_for_a_week(alice_client, alice, seeker, clock):
    # alice joined 60 days ago and has never asked: "no ask for 10 days" fires
    assert alice_client.get(reverse("home")).context["early_ask"] is not None
    response = alice_client.post(
        reverse("nudges:step_snooze"), {"key": "early-ask:card"}, follow=True
    )
    assert "That suggestion will stay away for 7 days." in response.content.decode()
    assert response.context["early_ask"] is None
    clock.shift(dt.timedelta(days=6, hours=23))
    assert alice_client.get(reverse("home")).context["early_ask"] is None
    clock.shift(dt.timedelta(hours=2))
    assert alice_client.get(reverse("home")).context["early_ask"] is not None


def test_the_early_ask_card_only_suggests_the_inner_circle(alice_client, alice, clock):
    alice.date_joined = START - dt.timedelta(days=60)
    alice.save(update_fields=["date_joined"])
    outer = person_create(owner=alice, fields={"name": "Sam Supporter", "relationship": "friend"})
    circle_add(person=outer, audience="supporters")
    for i in range(3):
        Opportunity.objects.create(
            owner=alice, company=f"Co {i}", role="Designer", stage="rejected"
        )
    assert alice_client.get(reverse("home")).context["early_ask"] is None
    circle_add(person=person_create(owner=alice, fields={"name": "Ivy Inner"}), audience="inner")
    card = alice_client.get(reverse("home")).context["early_ask"]
    assert card.name == "Ivy Inner" and "rejections" in card.signal.triggers


def test_the_weekly_early_ask_email_goes_once_and_only_to_those_who_opted_in(
    alice, charlie, seeker, clock
):
    # alice has not asked anyone in 60 days; charlie has the same but no reminder opt-in.
    circle_add(person=person_create(owner=charlie, fields={"name": "Cal Close"}), audience="inner")
    Search.objects.create(owner=alice, reminder_enabled=True)
    Search.objects.create(owner=charlie, reminder_enabled=False)
    assert early_ask_emails_send() == 1
    assert early_ask_emails_send() == 0
    message = OutboxMessage.objects.get()
    assert (
        message.key
        == early_ask_key(alice, dt.date(2026, 3, 11))
        == (f"early-ask:{alice.pk}:2026-W11")
    )
    assert message.to_email == alice.email and "Nora Inner" in message.body_text
    assert "List-Unsubscribe" in message.headers
    outbox_deliver()
    assert len(mail.outbox) == 1
    clock.shift(dt.timedelta(days=7))
    assert early_ask_emails_send() == 1  # a new week


def test_the_home_page_query_count_stays_constant_as_data_grows(
    alice_client, alice, seeker, clock, django_assert_max_num_queries
):
    def count() -> int:
        with django_assert_max_num_queries(80) as captured:
            assert alice_client.get(reverse("home")).status_code == 200
        return len(captured)

    def grow(n: int, tag: str) -> None:
        target_add(owner=alice, company=f"Target {tag}")
        for i in range(n):
            person = person_create(
                owner=alice,
                fields={
                    "name": f"P{tag}{i}",
                    "emails": [f"p{tag}{i}@example.org"],
                    "company": f"Target {tag}",
                },
            )
            clock.move_to(START - dt.timedelta(days=1))  # asked before today's rejections
            recipient = send_ask(alice, person)
            if i % 2:
                recipient_record_answer(recipient=recipient, answer="yes")
            clock.move_to(START)
            Opportunity.objects.create(
                owner=alice, company=f"Co {tag}{i}", role="Designer", stage="rejected"
            )
            Update.objects.create(owner=alice, text=f"News {tag}{i}")
        checkin_save(
            owner=alice,
            day=timezone.localdate() - dt.timedelta(days=n),
            hope=5,
            energy=3,
            confidence=3,
        )

    grow(3, "a")  # three rejections: the early-ask card shows from the start
    before = count()
    grow(8, "b")
    assert alice_client.get(reverse("home")).context["early_ask"] is not None
    assert count() == before


# Every time-based rule through the database, with the clock moved by time-machine, at its
# threshold and a day either side. The pure tables (test_rules.py) cover the arithmetic; these
# cover the dates as step_inputs reads them, in the seeker's own time zone (alice: Paris).


def early_triggers(owner) -> tuple[str, ...]:
    signal = rules.early_ask(step_inputs(owner), thresholds())
    return () if signal is None else signal.triggers


def has_step(client, prefix: str) -> bool:
    return any(key.startswith(prefix) for key in steps_of(client))


@pytest.mark.parametrize(("days", "due"), [(13, False), (14, True), (15, True)])
def test_the_update_step_comes_after_14_quiet_days(alice_client, alice, seeker, clock, days, due):
    Update.objects.create(owner=alice, text="Two interviews this week.")
    clock.shift(dt.timedelta(days=days))
    assert has_step(alice_client, "update:") is due


@pytest.mark.parametrize(("days", "due"), [(6, False), (7, True), (8, True)])
def test_ask_someone_new_comes_a_week_after_the_last_ask(
    alice_client, alice, seeker, clock, days, due
):
    send_ask(alice, seeker)
    clock.shift(dt.timedelta(days=days))
    assert has_step(alice_client, "ask-new:") is due


@pytest.mark.parametrize(
    ("when", "due"),
    [
        (dt.datetime(2026, 3, 15, 22, 30, tzinfo=dt.UTC), False),  # Sunday 23:30 in Paris
        (dt.datetime(2026, 3, 15, 23, 30, tzinfo=dt.UTC), True),  # Monday 00:30 in Paris
        (dt.datetime(2026, 3, 17, 9, 0, tzinfo=dt.UTC), True),
    ],
)
def test_the_check_in_step_comes_back_each_monday_in_the_seekers_time_zone(
    alice_client, alice, seeker, clock, when, due
):
    checkin_save(owner=alice, day=dt.date(2026, 3, 9), hope=3, energy=3, confidence=3)
    assert not has_step(alice_client, "checkin:")
    clock.move_to(when)
    assert has_step(alice_client, "checkin:") is due


@pytest.mark.parametrize(("days", "due"), [(29, False), (30, True), (31, True)])
def test_a_referral_step_returns_30_days_after_a_referral_ask_there(
    alice_client, alice, seeker, clock, days, due
):
    acme = target_add(owner=alice, company="Acme")
    person_create(owner=alice, fields={"name": "Ada Acme", "company": "Acme Inc."})
    assert f"referral:{acme.pk}" in steps_of(alice_client)
    ask_create(owner=alice, fields={"kind": "referral", "request": "A referral?", "target": acme})
    assert f"referral:{acme.pk}" not in steps_of(alice_client)
    clock.shift(dt.timedelta(days=days))
    assert (f"referral:{acme.pk}" in steps_of(alice_client)) is due


@pytest.mark.parametrize(("quiet", "due"), [(89, False), (90, True), (91, True)])
def test_welcome_back_a_helper_who_answers_after_90_quiet_days(
    alice_client, alice, seeker, clock, quiet, due
):
    recipient_record_answer(recipient=send_ask(alice, seeker), answer="yes")
    clock.shift(dt.timedelta(days=quiet))
    again = send_ask(alice, seeker, request="Could you look at my portfolio this week?")
    recipient_record_answer(recipient=again, answer="yes")
    assert (f"welcome:{again.pk}" in steps_of(alice_client)) is due


@pytest.mark.parametrize(("days", "shown"), [(13, True), (14, False)])
def test_welcome_back_lasts_14_days(alice_client, alice, seeker, clock, days, shown):
    recipient_record_answer(recipient=send_ask(alice, seeker), answer="yes")
    clock.shift(dt.timedelta(days=120))
    again = send_ask(alice, seeker, request="Could you look at my portfolio this week?")
    recipient_record_answer(recipient=again, answer="yes")
    clock.shift(dt.timedelta(days=days))
    assert (f"welcome:{again.pk}" in steps_of(alice_client)) is shown


@pytest.mark.parametrize(("days", "fires"), [(0, True), (13, True), (14, False)])
def test_three_rejections_trigger_the_early_ask_for_14_days(alice, seeker, clock, days, fires):
    for company in ("Acme", "Globex", "Initech"):
        opportunity = opportunity_create(
            owner=alice, fields={"company": company, "role": "Designer"}
        )
        opportunity_move(opportunity=opportunity, stage="rejected")
    clock.shift(dt.timedelta(days=days))
    assert ("rejections" in early_triggers(alice)) is fires


@pytest.mark.parametrize(("days", "fires"), [(9, False), (10, True), (11, True)])
def test_ten_days_without_an_ask_trigger_the_early_ask(alice, seeker, clock, days, fires):
    send_ask(alice, seeker)
    clock.shift(dt.timedelta(days=days))
    assert ("no-ask" in early_triggers(alice)) is fires


@pytest.mark.parametrize(("days", "fires"), [(9, False), (10, True), (11, True)])
def test_ten_days_away_while_answers_wait_trigger_the_early_ask(alice, seeker, clock, days, fires):
    recipient = send_ask(alice, seeker)
    alice.last_login = timezone.now()
    alice.save(update_fields=["last_login"])
    clock.shift(dt.timedelta(hours=1))
    recipient_record_answer(recipient=recipient, answer="yes")
    clock.shift(dt.timedelta(days=days))
    assert ("away" in early_triggers(alice)) is fires


@pytest.mark.parametrize(("days", "fires"), [(0, True), (1, False)])
def test_a_hope_dip_counts_while_both_check_ins_are_within_14_days(
    alice, seeker, clock, days, fires
):
    checkin_save(owner=alice, day=dt.date(2026, 2, 26), hope=4, energy=3, confidence=3)
    checkin_save(owner=alice, day=dt.date(2026, 3, 11), hope=2, energy=3, confidence=3)
    clock.shift(dt.timedelta(days=days))  # after one day, the high point is 14 days back
    assert ("hope" in early_triggers(alice)) is fires
