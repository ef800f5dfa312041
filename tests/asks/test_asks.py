from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from helpwanted.asks.actions import AskError, answers_notify, ask_create, recipient_add
from helpwanted.asks.models import Ask, Recipient, RecipientEvent
from helpwanted.circle.models import CircleMember
from helpwanted.mail.models import OutboxMessage
from helpwanted.network.actions import person_create
from tests.asks.conftest import helper_client_for, link_in

pytestmark = pytest.mark.django_db
Status = Recipient.Status


def test_the_composer_saves_a_draft_and_prefills_the_people_chosen(alice_client, alice, priya):
    response = alice_client.post(
        reverse("asks:new"),
        {
            "kind": "advice",
            "request": "Could we have a 20-minute call about design roles in health tech?",
            "why": "I'm moving into health tech.",
            "follow_up_days": "5",
            "to": [str(priya.pk)],
        },
    )
    ask = Ask.objects.get(owner=alice)
    assert response["Location"] == reverse("asks:detail", args=[ask.pk])
    assert ask.is_draft and ask.kind == "advice"
    assert list(ask.recipients.values_list("person__name", "status")) == [("Priya Shah", "draft")]


def test_the_coach_advises_live_and_never_blocks(alice_client):
    response = alice_client.post(
        reverse("asks:coach"),
        {
            "kind": "job_lead",
            "request": "Sorry to bother you, let me know if you hear of anything!",
        },
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="coach"')
    assert "SMART score" in body
    assert "Make it specific" in body or "specific" in body.lower()
    saved = alice_client.post(
        reverse("asks:new"),
        {
            "kind": "job_lead",
            "request": "Let me know if you hear of anything!",
            "follow_up_days": "5",
        },
    )
    assert saved.status_code == 302  # advice only: a vague ask can still be saved and sent


def test_check_my_ask_shows_advice_without_saving(alice_client, alice):
    response = alice_client.post(
        reverse("asks:new"),
        {
            "kind": "advice",
            "request": "Can I pick your brain?",
            "follow_up_days": "5",
            "check": "1",
        },
    )
    assert response.status_code == 200
    assert "SMART score" in response.content.decode()
    assert not Ask.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"request": ""}, "Write what you&#x27;d like them to do"),
        ({"request": "Read my CV?", "needed_by": "2020-01-01"}, "That date has already passed"),
        ({"request": "Read my CV?", "follow_up_days": "99"}, "between 1 and 30 days"),
    ],
)
def test_a_bad_ask_says_what_to_fix_and_saves_nothing(alice_client, data, message):
    response = alice_client.post(
        reverse("asks:new"), {"kind": "review", "follow_up_days": "5", **data}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Ask.objects.exists()


def test_sending_with_no_recipients_says_so(alice_client, ask):
    response = alice_client.post(reverse("asks:send", args=[ask.pk]), follow=True)
    assert "Choose at least one person to ask." in response.content.decode()
    ask.refresh_from_db()
    assert ask.is_draft


def test_each_recipient_gets_their_own_message_and_nobody_sees_co_recipients(
    alice_client, ask, bob, priya
):
    for person in (bob.person, priya):
        alice_client.post(reverse("asks:recipient_add", args=[ask.pk]), {"person": person.pk})
    alice_client.post(reverse("asks:send", args=[ask.pk]))
    emails = OutboxMessage.objects.filter(kind="ask").order_by("to_email")
    assert [e.to_email for e in emails] == ["bob@example.org", "priya@example.org"]
    assert "Hi Bob," in emails[0].body_text and "Priya" not in emails[0].body_text
    assert "Hi Priya," in emails[1].body_text and "Bob" not in emails[1].body_text
    assert all(e.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click" for e in emails)
    assert set(Recipient.objects.values_list("status", flat=True)) == {"sent"}
    # Someone asked personally joins the circle as network: they see only their own asks.
    assert CircleMember.objects.get(person=priya).audience == "network"
    priya.refresh_from_db()
    assert priya.asks_count == 1


def test_a_person_without_email_is_asked_in_person_and_the_answer_tracked_by_hand(
    alice_client, alice, ask
):
    sam = person_create(owner=alice, fields={"name": "Sam Okoro"})
    recipient = recipient_add(ask=ask, person=sam)
    assert recipient.channel == "in_person"
    alice_client.post(reverse("asks:send", args=[ask.pk]))
    assert not OutboxMessage.objects.filter(kind="ask").exists()
    alice_client.post(
        reverse("asks:record", args=[recipient.pk]), {"answer": "yes", "message": "Over coffee"}
    )
    recipient.refresh_from_db()
    assert (recipient.status, recipient.answer_message) == ("offered", "Over coffee")


def test_choosing_email_for_someone_without_one_is_refused_kindly(alice_client, alice, ask):
    sam = person_create(owner=alice, fields={"name": "Sam Okoro"})
    recipient = recipient_add(ask=ask, person=sam)
    response = alice_client.post(
        reverse("asks:recipient_update", args=[recipient.pk]), {"channel": "email"}, follow=True
    )
    assert "We don&#x27;t have an email for Sam Okoro" in response.content.decode()


def test_nobody_gets_more_than_two_open_asks_at_once(alice, bob, settings):
    for i in range(settings.ASK_OPEN_CAP):
        earlier = ask_create(owner=alice, fields={"kind": "advice", "request": f"Ask {i}"})
        recipient_add(ask=earlier, person=bob.person)
        from helpwanted.asks.actions import ask_send

        ask_send(ask=earlier)
    third = ask_create(owner=alice, fields={"kind": "advice", "request": "One more"})
    with pytest.raises(AskError, match="already has 2 open asks from you"):
        recipient_add(ask=third, person=bob.person)


def test_the_seeker_is_told_kindly_when_someone_is_at_the_cap(alice_client, alice, bob, settings):
    settings.ASK_OPEN_CAP = 0
    ask = ask_create(owner=alice, fields={"kind": "advice", "request": "Hello"})
    response = alice_client.post(
        reverse("asks:recipient_add", args=[ask.pk]), {"person": bob.person.pk}, follow=True
    )
    assert "Giving people room keeps them glad to help" in response.content.decode()
    assert not ask.recipients.exists()


def test_a_helper_opens_their_link_and_the_ask_shows_opened(sent_ask, bob):
    email = OutboxMessage.objects.get(kind="ask", to_email="bob@example.org")
    client = helper_client_for(email)
    recipient = Recipient.objects.get(ask=sent_ask, person=bob.person)
    assert recipient.status == "opened" and recipient.opened_at is not None
    page = client.get(reverse("circle:helper_ask", args=[recipient.pk])).content.decode()
    assert "Would you introduce me" in page and "Yes, I can" in page


def test_a_get_on_the_link_changes_nothing(client, sent_ask, bob):
    email = OutboxMessage.objects.get(kind="ask", to_email="bob@example.org")
    assert client.get(link_in(email)).status_code == 200
    assert Recipient.objects.get(ask=sent_ask, person=bob.person).status == "sent"


def test_a_helper_says_yes_in_one_post_and_the_seeker_sees_it_at_once(alice_client, sent_ask, bob):
    email = OutboxMessage.objects.get(kind="ask", to_email="bob@example.org")
    client = helper_client_for(email)
    recipient = Recipient.objects.get(ask=sent_ask, person=bob.person)
    client.post(
        reverse("circle:helper_ask", args=[recipient.pk]),
        {"answer": "yes", "message": "Happy to!", "offer_when": "Thursday afternoon"},
    )
    recipient.refresh_from_db()
    assert (recipient.status, recipient.answer_message, recipient.offer_when) == (
        "offered",
        "Happy to!",
        "Thursday afternoon",
    )
    page = alice_client.get(reverse("asks:detail", args=[sent_ask.pk])).content.decode()
    assert "Happy to!" in page and "Yes, I can" in page


def test_i_cant_but_try_creates_a_second_degree_lead_with_its_provenance(sent_ask, bob, alice):
    email = OutboxMessage.objects.get(kind="ask", to_email="bob@example.org")
    client = helper_client_for(email)
    recipient = Recipient.objects.get(ask=sent_ask, person=bob.person)
    client.post(
        reverse("circle:helper_ask", args=[recipient.pk]),
        {
            "answer": "suggest",
            "suggest_name": "Jane Ito",
            "suggest_company": "Acme",
            "suggest_email": "jane@acme.example",
            "message": "She's lovely",
        },
    )
    recipient.refresh_from_db()
    jane = recipient.suggested_person
    assert recipient.status == "suggested"
    assert (jane.owner, jane.name, jane.company, jane.emails) == (
        alice,
        "Jane Ito",
        "Acme",
        ["jane@acme.example"],
    )
    assert jane.suggested_by == bob.person and jane.sources == ["suggested"]
    assert jane.how_we_know == "Suggested by Bob Lindqvist"


def test_i_cant_but_try_needs_a_name(sent_ask, bob):
    email = OutboxMessage.objects.get(kind="ask", to_email="bob@example.org")
    client = helper_client_for(email)
    recipient = Recipient.objects.get(ask=sent_ask, person=bob.person)
    response = client.post(reverse("circle:helper_ask", args=[recipient.pk]), {"answer": "suggest"})
    assert "Tell them who to try" in response.content.decode()
    recipient.refresh_from_db()
    assert recipient.status == "opened"


def test_a_double_submitted_answer_is_recorded_once(sent_ask, bob):
    email = OutboxMessage.objects.get(kind="ask", to_email="bob@example.org")
    client = helper_client_for(email)
    recipient = Recipient.objects.get(ask=sent_ask, person=bob.person)
    for _ in range(2):
        client.post(reverse("circle:helper_ask", args=[recipient.pk]), {"answer": "not_now"})
    assert RecipientEvent.objects.filter(recipient=recipient, status="not_now").count() == 1
    bob.person.refresh_from_db()
    assert bob.person.answers_count == 1


def test_a_helper_can_change_their_mind_until_the_ask_is_done(alice_client, sent_ask, bob):
    email = OutboxMessage.objects.get(kind="ask", to_email="bob@example.org")
    client = helper_client_for(email)
    recipient = Recipient.objects.get(ask=sent_ask, person=bob.person)
    url = reverse("circle:helper_ask", args=[recipient.pk])
    client.post(url, {"answer": "not_now"})
    client.post(url, {"answer": "yes"})
    recipient.refresh_from_db()
    assert recipient.status == "offered"
    alice_client.post(
        reverse("asks:outcome", args=[recipient.pk]), {"led_to": "interview", "outcome": ""}
    )
    response = client.post(url, {"answer": "no"}, follow=True)
    assert (
        "answers are closed" in response.content.decode() or "finished" in response.content.decode()
    )
    recipient.refresh_from_db()
    assert recipient.status == "done"


def test_a_very_long_helper_message_is_refused_with_a_reason(sent_ask, bob):
    email = OutboxMessage.objects.get(kind="ask", to_email="bob@example.org")
    client = helper_client_for(email)
    recipient = Recipient.objects.get(ask=sent_ask, person=bob.person)
    response = client.post(
        reverse("circle:helper_ask", args=[recipient.pk]),
        {"answer": "yes", "message": "x" * 10_000},
    )
    assert "under 2,000 characters" in response.content.decode()
    recipient.refresh_from_db()
    assert recipient.status == "opened"


def test_no_answer_after_five_days_suggests_one_gentle_follow_up_then_letting_go(
    alice_client, sent_ask, priya
):
    recipient = Recipient.objects.get(ask=sent_ask, person=priya)
    detail = reverse("asks:detail", args=[sent_ask.pk])
    assert "Follow up with Priya Shah" not in alice_client.get(detail).content.decode()
    with time_machine.travel(timezone.now() + timedelta(days=5, minutes=1)):
        page = alice_client.get(detail).content.decode()
        assert "Follow up with Priya Shah" in page
        form = alice_client.get(reverse("asks:follow_up", args=[recipient.pk])).content.decode()
        assert "bringing this back to the top of your inbox" in form
        alice_client.post(
            reverse("asks:follow_up", args=[recipient.pk]), {"text": "Hi Priya, a nudge."}
        )
        second = alice_client.post(
            reverse("asks:follow_up", args=[recipient.pk]), {"text": "Again?"}, follow=True
        )
        assert "It&#x27;s kind to let it go now" in second.content.decode()
    assert OutboxMessage.objects.filter(kind="ask-follow-up").count() == 1
    with time_machine.travel(timezone.now() + timedelta(days=11)):
        page = alice_client.get(detail).content.decode()
        assert "Let it go" in page and "Follow up with Priya Shah" not in page
        alice_client.post(reverse("asks:let_go", args=[recipient.pk]))
    recipient.refresh_from_db()
    assert recipient.let_go_at is not None


def test_the_seeker_records_the_outcome_and_thanks_with_the_impact(alice_client, sent_ask, bob):
    email = OutboxMessage.objects.get(kind="ask", to_email="bob@example.org")
    helper = helper_client_for(email)
    recipient = Recipient.objects.get(ask=sent_ask, person=bob.person)
    helper.post(reverse("circle:helper_ask", args=[recipient.pk]), {"answer": "yes"})
    alice_client.post(
        reverse("asks:outcome", args=[recipient.pk]),
        {"led_to": "interview", "outcome": "Priya's team invited me in."},
    )
    prepared = alice_client.get(reverse("asks:thank", args=[recipient.pk])).content.decode()
    assert "It led to an interview!" in prepared
    alice_client.post(
        reverse("asks:thank", args=[recipient.pk]),
        {"text": "Thank you, Bob. Your intro led to an interview!"},
    )
    recipient.refresh_from_db()
    assert recipient.status == "thanked" and recipient.thanked_at is not None
    thanks = OutboxMessage.objects.get(kind="ask-thanks")
    assert thanks.to_email == "bob@example.org" and "led to an interview" in thanks.body_text
    page = helper.get(reverse("circle:helper_home")).content.decode()
    assert "Your intro led to an interview!" in page


def test_an_empty_thank_you_is_refused_kindly(alice_client, sent_ask, bob):
    recipient = Recipient.objects.get(ask=sent_ask, person=bob.person)
    response = alice_client.post(reverse("asks:thank", args=[recipient.pk]), {"text": "  "})
    assert "Write a line or two of thanks" in response.content.decode()


def test_answers_are_emailed_to_the_seeker_at_most_once_per_15_minutes(sent_ask, bob, priya):
    from helpwanted.asks.actions import recipient_answer

    start = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    with time_machine.travel(start, tick=False):
        recipient_answer(recipient=Recipient.objects.get(person=bob.person), answer="yes")
        assert answers_notify() == 1
        recipient_answer(recipient=Recipient.objects.get(person=priya), answer="not_now")
        assert answers_notify() == 0  # same window: this one waits
    assert OutboxMessage.objects.filter(kind="answers").count() == 1
    with time_machine.travel(start + timedelta(minutes=15), tick=False):
        assert answers_notify() == 1
    emails = OutboxMessage.objects.filter(kind="answers").order_by("id")
    assert "Bob Lindqvist answered your ask" == emails[0].subject
    assert "Priya Shah" in emails[1].body_text


def test_the_ledger_shows_help_received_thanks_owed_and_help_given(alice_client, sent_ask, bob):
    from helpwanted.asks.actions import recipient_answer

    recipient_answer(recipient=Recipient.objects.get(person=bob.person), answer="yes")
    page = alice_client.get(reverse("asks:ledger")).content.decode()
    assert "Thank-yous you might like to send" in page and "Bob Lindqvist" in page
    alice_client.post(
        reverse("asks:ledger"),
        {"who": "Tom", "what": "Read his CV", "given_on": timezone.localdate().isoformat()},
    )
    assert "Read his CV for Tom" in alice_client.get(reverse("asks:ledger")).content.decode()


def test_help_given_in_the_future_is_refused(alice_client):
    tomorrow = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = alice_client.post(
        reverse("asks:ledger"), {"who": "Tom", "what": "CV", "given_on": tomorrow}
    )
    assert "That date is in the future" in response.content.decode()


def test_the_asks_list_and_page_keep_a_constant_number_of_queries(
    alice_client, alice, django_assert_max_num_queries
):
    from helpwanted.asks.actions import ask_send

    people = [
        person_create(owner=alice, fields={"name": f"P{i}", "emails": [f"p{i}@example.org"]})
        for i in range(24)
    ]
    asks = []
    for i in range(6):
        ask = ask_create(owner=alice, fields={"kind": "advice", "request": f"Ask {i}"})
        for person in people[2 * i : 2 * i + 2]:
            recipient_add(ask=ask, person=person)
        ask_send(ask=ask)
        asks.append(ask)
    with django_assert_max_num_queries(10):
        alice_client.get(reverse("asks:list"))
    with django_assert_max_num_queries(12):
        alice_client.get(reverse("asks:detail", args=[asks[0].pk]))
    big = ask_create(owner=alice, fields={"kind": "advice", "request": "Big"})
    for person in people[12:]:
        recipient_add(ask=big, person=person)
    ask_send(ask=big)
    with django_assert_max_num_queries(12):
        alice_client.get(reverse("asks:detail", args=[big.pk]))
