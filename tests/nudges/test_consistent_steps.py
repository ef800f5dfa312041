"""Consistent next steps (issue 10), through the client with time frozen: nobody is thanked
twice, the person a helper suggested is the next one to ask, nobody is asked again while an
ask waits, and an accepted offer ends the referral steps."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.urls import reverse

from helpwanted.asks.actions import (
    ask_create,
    ask_send,
    recipient_add,
    recipient_answer,
    recipient_record_answer,
)
from helpwanted.asks.models import Recipient
from helpwanted.circle.actions import circle_add
from helpwanted.journey.checkins import checkin_save
from helpwanted.journey.models import Search, ThankYou
from helpwanted.journey.opportunities import opportunity_create
from helpwanted.network.actions import person_create
from helpwanted.network.models import Person
from helpwanted.network.targets import target_add

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 11, 9, 0, tzinfo=dt.UTC)  # a Wednesday


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def dana(clock, alice) -> Person:
    alice.date_joined = START - dt.timedelta(days=60)
    alice.save(update_fields=["date_joined"])
    return person_create(
        owner=alice,
        fields={"name": "Dana Park", "emails": ["dana@example.org"], "relationship": "friend"},
    )


def home_steps(client) -> dict[str, tuple[str, str]]:
    """key -> (text, url) of the home page's next steps."""
    response = client.get(reverse("home"))
    assert response.status_code == 200
    steps = response.context.get("next_steps", [])  # none at all before any people
    return {step.key: (step.text, url) for step, url in steps}


def send(owner, person, kind="advice", request="Could you spare 15 minutes for a chat?", **f):
    ask = ask_create(owner=owner, fields={"kind": kind, "request": request, **f})
    recipient = recipient_add(ask=ask, person=person)
    ask_send(ask=ask)
    recipient.refresh_from_db()
    return recipient


def whom(client, kind="job_lead") -> list[int]:
    return client.get(reverse("nudges:whom"), {"kind": kind}).context["suggestions"].ids


# Thanks -----------------------------------------------------------------------------------


def test_a_helper_thanked_for_one_yes_is_not_suggested_for_thanks_again(
    alice_client, alice, dana, clock
):
    first = send(alice, dana)
    second = send(alice, dana, request="Would you look over my portfolio this week?")
    recipient_record_answer(recipient=first, answer="yes")
    recipient_record_answer(recipient=second, answer="yes")
    assert {f"thank:{first.pk}", f"thank:{second.pk}"} <= home_steps(alice_client).keys()

    clock.shift(dt.timedelta(hours=1))
    thanked = alice_client.post(
        reverse("asks:thank", args=[first.pk]), {"text": "Thank you for both, Dana."}
    )
    assert thanked.status_code == 302

    steps = home_steps(alice_client)
    assert not any(key.startswith("thank:") for key in steps)
    # help given after the thanks earns a step of its own
    clock.shift(dt.timedelta(days=1))
    third = send(alice, dana, request="Could you be a reference for me?")
    recipient_record_answer(recipient=third, answer="yes")
    assert [k for k in home_steps(alice_client) if k.startswith("thank:")] == [f"thank:{third.pk}"]


def test_the_i_got_the_job_thank_you_counts_as_thanks(alice_client, alice, dana, clock):
    recipient = send(alice, dana)
    recipient_record_answer(recipient=recipient, answer="yes")
    opportunity = opportunity_create(owner=alice, fields={"company": "Acme", "role": "Designer"})
    clock.shift(dt.timedelta(days=2))
    landed = alice_client.post(reverse("journey:landed", args=[opportunity.pk]))
    assert landed.status_code == 302
    assert f"thank:{recipient.pk}" in home_steps(alice_client)  # the note isn't sent yet

    note = ThankYou.objects.get(owner=alice, person=dana)
    sent = alice_client.post(
        reverse("journey:thank_you_send_all"),
        {"shown": [note.pk], "send": [note.pk], f"text-{note.pk}": "Thank you, Dana."},
    )
    assert sent.status_code == 302
    note.refresh_from_db()
    assert note.sent_at is not None
    assert f"thank:{recipient.pk}" not in home_steps(alice_client)


# The person a helper suggested ------------------------------------------------------------


def suggest(recipient, name="Ines Ortega", company="Lumen Labs", email="ines@example.org"):
    recipient_answer(
        recipient=recipient,
        answer="suggest",
        message="I can't, but try Ines.",
        suggestion={"name": name, "email": email, "company": company},
    )
    recipient.refresh_from_db()
    assert recipient.suggested_person is not None
    return recipient.suggested_person


def test_the_person_a_helper_suggested_is_the_next_one_to_ask(alice_client, alice, dana):
    asked = send(alice, dana, kind="introduction", request="Would you introduce me at Lumen?")
    ines = suggest(asked)

    steps = home_steps(alice_client)
    key = f"suggested:{asked.pk}"
    assert key in steps
    text, url = steps[key]
    assert text.startswith("Ask Ines Ortega, whom Dana Park suggested.")
    query = parse_qs(urlsplit(url).query)
    assert query["kind"] == ["introduction"] and query["to"] == [str(ines.pk)]
    composer = alice_client.get(url)
    assert composer.status_code == 200
    assert composer.context["form"].initial["kind"] == "introduction"
    assert (
        composer.context["form"]
        .initial["request"]
        .startswith("Hi Ines, Dana Park suggested I get in touch.")
    )
    assert [p.pk for p in composer.context["to"]] == [ines.pk]

    # whom to ask agrees: Ines, with who sent her; Dana said she can't, which isn't a yes
    ranking = alice_client.get(reverse("nudges:whom"), {"kind": "advice"}).context["suggestions"]
    ines_row = next(s for s in ranking.people if s.id == ines.pk)
    assert "Dana Park suggested you ask them." in ines_row.reasons
    dana_row = next((s for s in ranking.people if s.id == dana.pk), None)
    assert dana_row is None or "Dana Park said yes when you asked before." not in dana_row.reasons

    # asking Ines (a draft is enough: the seeker is on it) ends the step
    created = alice_client.post(
        reverse("asks:new"),
        {
            "kind": "introduction",
            "request": "Hi Ines, could we talk?",
            "to": [ines.pk],
            "follow_up_days": 5,
        },
    )
    assert created.status_code == 302, created.context["form"].errors
    assert key not in home_steps(alice_client)


def test_the_suggested_step_keeps_the_target_only_when_they_work_there(alice_client, alice, dana):
    lumen = target_add(owner=alice, company="Lumen Labs")
    asked = send(alice, dana, kind="referral", request="Would you refer me?", target=lumen)
    there = suggest(asked, name="Ines Ortega", company="Lumen Labs Ltd.")
    _, url = home_steps(alice_client)[f"suggested:{asked.pk}"]
    assert parse_qs(urlsplit(url).query)["target"] == [str(lumen.pk)]

    other = person_create(
        owner=alice, fields={"name": "Omar Other", "emails": ["omar@example.org"]}
    )
    asked_omar = send(alice, other, kind="referral", request="Would you refer me?", target=lumen)
    suggest(asked_omar, name="Jane Holloway", company="Brightwell", email="jane@example.org")
    _, url = home_steps(alice_client)[f"suggested:{asked_omar.pk}"]
    assert "target" not in parse_qs(urlsplit(url).query)
    assert there.pk != asked_omar.suggested_person_id


def test_no_suggested_step_for_someone_already_waiting_on_an_ask(alice_client, alice, dana, clock):
    ines = person_create(
        owner=alice, fields={"name": "Ines Ortega", "emails": ["ines@example.org"]}
    )
    send(alice, ines, request="Could we have coffee next week?")  # Ines hasn't answered yet
    clock.shift(dt.timedelta(hours=1))
    asked = send(alice, dana, kind="introduction", request="Would you introduce me at Lumen?")
    assert suggest(asked).pk == ines.pk
    assert f"suggested:{asked.pk}" not in home_steps(alice_client)


def test_charlie_never_sees_alices_suggested_people(charlie_client, alice, dana):
    suggest(send(alice, dana, kind="introduction", request="An introduction at Lumen?"))
    assert not any(k.startswith("suggested:") for k in home_steps(charlie_client))
    assert "Ines" not in charlie_client.get(reverse("home")).content.decode()


# Nobody is asked again while an ask waits --------------------------------------------------


def test_someone_with_an_unanswered_ask_is_not_suggested_until_they_answer(
    alice_client, alice, dana
):
    assert dana.pk in whom(alice_client)
    recipient = send(alice, dana)
    assert dana.pk not in whom(alice_client)
    assert dana.pk not in whom(alice_client, "emotional_support")
    recipient_record_answer(recipient=recipient, answer="not_now")
    assert dana.pk in whom(alice_client)


def test_someone_still_to_ask_in_person_is_not_suggested_nor_followed_up(
    alice_client, alice, dana, clock
):
    no_email = person_create(owner=alice, fields={"name": "Pat Inperson"})
    recipient = send(alice, no_email)
    assert recipient.status == Recipient.Status.TO_ASK
    assert no_email.pk not in whom(alice_client)
    clock.shift(dt.timedelta(days=8))
    assert f"follow-up:{recipient.pk}" not in home_steps(alice_client)


def test_the_early_ask_passes_over_someone_close_who_hasnt_answered_yet(
    alice_client, alice, dana, clock
):
    nora = person_create(
        owner=alice,
        fields={"name": "Nora Inner", "emails": ["nora@example.org"], "closeness": 5},
    )
    circle_add(person=nora, audience="inner")
    circle_add(person=dana, audience="inner")
    checkin_save(owner=alice, day=dt.date(2026, 3, 1), hope=4, energy=3, confidence=3)
    checkin_save(owner=alice, day=dt.date(2026, 3, 11), hope=2, energy=3, confidence=3)
    assert alice_client.get(reverse("home")).context["early_ask"].name == "Nora Inner"

    clock.move_to(START - dt.timedelta(days=40))  # long enough ago not to count as "lately"
    send(alice, nora, kind="practical_help", request="Could you help me move a sofa?")
    clock.move_to(START)
    card = alice_client.get(reverse("home")).context["early_ask"]
    assert card is not None and card.name == "Dana Park"


# An accepted offer ends the referral steps ------------------------------------------------


@pytest.fixture
def acme_referral(alice, dana):
    acme = target_add(owner=alice, company="Acme")
    person_create(owner=alice, fields={"name": "Ada Acme", "company": "Acme Inc."})
    return f"referral:{acme.pk}"


def test_moving_an_opportunity_to_accepted_ends_referral_steps(alice_client, alice, acme_referral):
    assert acme_referral in home_steps(alice_client)
    opportunity = opportunity_create(owner=alice, fields={"company": "Globex", "role": "Designer"})
    moved = alice_client.post(
        reverse("journey:opportunity_move", args=[opportunity.pk]), {"stage": "offer"}
    )
    assert moved.status_code == 302
    assert acme_referral in home_steps(alice_client)  # an offer in hand isn't accepted yet
    alice_client.post(
        reverse("journey:opportunity_move", args=[opportunity.pk]), {"stage": "accepted"}
    )
    assert acme_referral not in home_steps(alice_client)


def test_i_got_the_job_ends_referral_steps_until_the_search_reopens(
    alice_client, alice, acme_referral
):
    opportunity = opportunity_create(owner=alice, fields={"company": "Globex", "role": "Designer"})
    alice_client.post(reverse("journey:landed", args=[opportunity.pk]))
    assert Search.objects.get(owner=alice).landed_at is not None
    assert acme_referral not in home_steps(alice_client)
    reopened = alice_client.post(reverse("journey:search_reopen"))
    assert reopened.status_code == 302
    assert acme_referral in home_steps(alice_client)


# The home page costs the same however much there is ---------------------------------------


def test_the_home_page_query_count_stays_the_same_with_more_thanks_and_suggestions(
    alice_client, alice, dana, clock, django_assert_max_num_queries
):
    def count() -> int:
        with django_assert_max_num_queries(80) as captured:
            assert alice_client.get(reverse("home")).status_code == 200
        return len(captured)

    def grow(tag: str, n: int) -> None:
        for i in range(n):
            helper = person_create(
                owner=alice, fields={"name": f"Helper {tag}{i}", "emails": [f"h{tag}{i}@x.org"]}
            )
            suggest(
                send(alice, helper, kind="introduction", request="An introduction?"),
                name=f"Lead {tag}{i}",
                email=f"l{tag}{i}@x.org",
            )
            yes = send(alice, helper)
            recipient_record_answer(recipient=yes, answer="yes")
            if i % 2:
                alice_client.post(reverse("asks:thank", args=[yes.pk]), {"text": "Thanks!"})
            else:
                ThankYou.objects.create(owner=alice, person=helper, text="Thanks", sent_at=START)

    grow("a", 1)
    before = count()
    grow("b", 6)
    assert sum(k.startswith("suggested:") for k in home_steps(alice_client)) >= 1
    assert count() == before
