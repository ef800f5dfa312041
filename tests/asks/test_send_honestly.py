"""Sending tells the truth: who got an email, who is still to ask in person, and nothing typed
on the send screen is lost."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from helpwanted.asks.actions import ask_create, ask_send, recipient_add
from helpwanted.asks.models import Ask, Recipient
from helpwanted.asks.selectors import follow_up_due
from helpwanted.circle.models import CircleMember
from helpwanted.mail.models import OutboxMessage
from helpwanted.network.actions import person_create

pytestmark = pytest.mark.django_db
Status = Recipient.Status


@pytest.fixture
def sam(alice):
    """Someone alice only has a phone number for."""
    return person_create(owner=alice, fields={"name": "Sam Okoro", "phones": ["+44 7700 900123"]})


def send(client, ask, data=None):
    return client.post(reverse("asks:send", args=[ask.pk]), data or {}, follow=True)


def flash(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


# --------------------------------------------------------------------------- no false "Sent"


def test_the_send_screen_says_who_gets_an_email_and_who_to_ask_in_person(
    alice_client, ask, priya, sam
):
    recipient_add(ask=ask, person=priya)
    recipient_add(ask=ask, person=sam)

    page = alice_client.get(reverse("asks:detail", args=[ask.pk])).content.decode()

    assert "We'll email <strong>Priya Shah</strong>" in page
    assert "No email will go to <strong>Sam Okoro</strong>" in page
    assert "there&#x27;s no email address on their record" in page
    assert "+44 7700 900123" in page  # how to reach them instead


def test_someone_without_email_is_to_ask_in_person_and_the_flash_names_only_real_emails(
    alice_client, ask, priya, sam
):
    recipient_add(ask=ask, person=priya)
    recipient_add(ask=ask, person=sam)

    response = send(alice_client, ask)

    message = flash(response)
    assert message.startswith("Emailed Priya Shah")
    assert "Ask Sam Okoro in person or by phone" in message
    assert "Sent" not in message
    assert list(OutboxMessage.objects.filter(kind="ask").values_list("to_email", flat=True)) == [
        "priya@example.org"
    ]
    to_ask = Recipient.objects.get(ask=ask, person=sam)
    assert (to_ask.status, to_ask.sent_at) == (Status.TO_ASK, None)
    assert Recipient.objects.get(ask=ask, person=priya).status == Status.SENT
    page = response.content.decode()
    assert "To ask in person" in page and "I&#x27;ve asked them" in page
    sam.refresh_from_db()
    assert sam.asks_count == 0  # not asked yet


def test_when_nobody_gets_an_email_the_flash_never_says_sent(alice_client, ask, sam):
    recipient_add(ask=ask, person=sam)

    message = flash(send(alice_client, ask))

    assert message.startswith("No email went out. Ask Sam Okoro in person or by phone")
    assert "Sent" not in message and "Emailed" not in message
    assert not OutboxMessage.objects.exists()


def test_an_unsubscribed_helper_is_to_ask_in_person_not_sent(alice_client, ask, bob):
    recipient_add(ask=ask, person=bob.person)
    CircleMember.objects.filter(pk=bob.member.pk).update(unsubscribed_at=timezone.now())

    page = alice_client.get(reverse("asks:detail", args=[ask.pk])).content.decode()
    message = flash(send(alice_client, ask))

    assert "they asked for no more emails" in page
    assert "Emailed" not in message and "Ask Bob Lindqvist in person" in message
    assert Recipient.objects.get(ask=ask).status == Status.TO_ASK
    assert not OutboxMessage.objects.filter(kind="ask").exists()


def test_ive_asked_them_makes_it_sent_and_then_the_answer_is_recorded_as_usual(
    alice_client, ask, sam
):
    recipient_add(ask=ask, person=sam)
    send(alice_client, ask)
    recipient = Recipient.objects.get(ask=ask)

    response = alice_client.post(reverse("asks:asked", args=[recipient.pk]), follow=True)
    again = alice_client.post(reverse("asks:asked", args=[recipient.pk]), follow=True)

    recipient.refresh_from_db()
    assert recipient.status == Status.SENT and recipient.sent_at is not None
    assert "Noted: you asked Sam Okoro." in flash(response)
    assert "already has this ask" in flash(again)
    assert list(recipient.events.values_list("status", "note")) == [
        ("to_ask", ""),
        ("sent", "asked in person"),
    ]
    assert "Asked in person" in response.content.decode()
    alice_client.post(reverse("asks:record", args=[recipient.pk]), {"answer": "yes"})
    recipient.refresh_from_db()
    assert recipient.status == Status.OFFERED


def test_recording_an_answer_for_someone_still_to_ask_records_that_they_were_asked(
    alice_client, ask, sam
):
    recipient_add(ask=ask, person=sam)
    send(alice_client, ask)
    recipient = Recipient.objects.get(ask=ask)

    alice_client.post(reverse("asks:record", args=[recipient.pk]), {"answer": "no"})

    recipient.refresh_from_db()
    assert recipient.status == Status.DECLINED and recipient.sent_at is not None
    assert [s for (s,) in recipient.events.values_list("status")] == ["to_ask", "sent", "declined"]


def test_someone_still_to_ask_counts_towards_the_cap_but_is_never_due_a_follow_up(
    alice, sam, settings
):
    settings.ASK_OPEN_CAP = 1
    first = ask_create(owner=alice, fields={"kind": "advice", "request": "A call?"})
    recipient_add(ask=first, person=sam)
    [recipient] = ask_send(ask=first)
    second = ask_create(owner=alice, fields={"kind": "advice", "request": "Another?"})

    with pytest.raises(Exception, match="already has 1 open asks"):
        recipient_add(ask=second, person=sam)
    with time_machine.travel(timezone.now() + timedelta(days=30)):
        recipient.refresh_from_db()
        assert not follow_up_due(recipient)


def test_a_helper_never_sees_an_ask_still_to_be_put_to_them(alice_client, client, ask, bob):
    recipient = recipient_add(ask=ask, person=bob.person)
    alice_client.post(
        reverse("asks:recipient_update", args=[recipient.pk]), {"channel": "in_person"}
    )
    send(alice_client, ask)
    assert Recipient.objects.get(pk=recipient.pk).status == Status.TO_ASK

    assert client.post(reverse("circle:helper_link", args=[bob.token])).status_code == 303
    home = client.get(reverse("circle:helper_home")).content.decode()
    assert "Would you introduce me" not in home
    assert client.get(reverse("circle:helper_ask", args=[recipient.pk])).status_code == 404


def test_the_asks_list_counts_people_still_to_ask_in_person(alice_client, ask, priya, sam):
    recipient_add(ask=ask, person=priya)
    recipient_add(ask=ask, person=sam)
    send(alice_client, ask)

    page = alice_client.get(reverse("asks:list")).content.decode()

    assert "1 to ask in person" in page


def test_an_ask_nobody_was_emailed_is_not_called_sent_or_answered(alice_client, ask, sam):
    recipient_add(ask=ask, person=sam)
    send(alice_client, ask)

    asks = alice_client.get(reverse("asks:list")).content.decode()
    home = alice_client.get(reverse("home")).content.decode()

    assert "no email went out; 1 to ask in person" in asks and "Sent " not in asks
    assert ": 1 to ask in person" in home and "everyone has answered" not in home


# --------------------------------------------------------------------------- nothing typed is lost


def test_the_personal_line_typed_on_the_send_screen_goes_out_without_saving_the_row(
    alice_client, ask, priya
):
    recipient = recipient_add(ask=ask, person=priya)
    page = alice_client.get(reverse("asks:detail", args=[ask.pk])).content.decode()
    assert f'name="line_{recipient.pk}" form="send-form"' in page  # part of the send form
    assert 'id="send-form"' in page

    send(alice_client, ask, {f"line_{recipient.pk}": "I loved your talk on design systems."})

    email = OutboxMessage.objects.get(kind="ask")
    assert "I loved your talk on design systems." in email.body_text
    recipient.refresh_from_db()
    assert recipient.personal_line == "I loved your talk on design systems."


def test_saving_one_row_keeps_the_lines_typed_in_the_others(alice_client, ask, priya, sam):
    first = recipient_add(ask=ask, person=priya)
    second = recipient_add(ask=ask, person=sam)

    alice_client.post(
        reverse("asks:recipient_update", args=[first.pk]),
        {f"line_{first.pk}": "Hello Priya", f"line_{second.pk}": "Hello Sam"},
    )

    assert dict(ask.recipients.values_list("person__name", "personal_line")) == {
        "Priya Shah": "Hello Priya",
        "Sam Okoro": "Hello Sam",
    }


def test_lines_sent_for_another_seekers_recipient_change_nothing(alice_client, ask, priya, charlie):
    recipient = recipient_add(ask=ask, person=priya)
    theirs = ask_create(owner=charlie, fields={"kind": "advice", "request": "Hi"})
    stranger = recipient_add(
        ask=theirs, person=person_create(owner=charlie, fields={"name": "Zed Ito"})
    )

    send(alice_client, ask, {f"line_{stranger.pk}": "Hijacked", f"line_{recipient.pk}": "Hi"})

    stranger.refresh_from_db()
    assert (stranger.personal_line, stranger.status) == ("", Status.DRAFT)


def test_add_without_javascript_returns_to_where_you_pressed_it(alice_client, ask, priya, sam):
    url = reverse("asks:recipient_add", args=[ask.pk])

    from_search = alice_client.post(url, {"person": priya.pk, "from": "search", "q": "Pri"})
    from_suggestions = alice_client.post(url, {"person": sam.pk})

    detail = reverse("asks:detail", args=[ask.pk])
    assert from_search["Location"] == f"{detail}?q=Pri#add-someone"
    assert from_suggestions["Location"] == f"{detail}#suggest"


def test_add_with_htmx_redraws_only_the_people_part_and_keeps_the_lines_typed(
    alice_client, ask, priya, sam
):
    first = recipient_add(ask=ask, person=priya)

    response = alice_client.post(
        reverse("asks:recipient_add", args=[ask.pk]),
        {"person": sam.pk, f"line_{first.pk}": "Typed, never saved"},
        HTTP_HX_REQUEST="true",
    )

    page = response.content.decode()
    assert page.lstrip().startswith('<div id="people">')
    assert "Added Sam Okoro." in page and "Typed, never saved" in page
    first.refresh_from_db()
    assert first.personal_line == "Typed, never saved"


# --------------------------------------------------------------------------- the channel is checked


def test_a_channel_outside_the_choices_is_refused_and_nothing_is_stored(alice_client, ask, priya):
    recipient = recipient_add(ask=ask, person=priya)

    response = alice_client.post(
        reverse("asks:recipient_update", args=[recipient.pk]),
        {"personal_line": "Hi", "channel": "x" * 3000},
        follow=True,
    )

    assert response.status_code == 200
    assert "Choose how you&#x27;ll ask Priya Shah" in response.content.decode()
    recipient.refresh_from_db()
    assert recipient.channel == "email"


def test_a_bad_channel_on_the_send_form_sends_nothing(alice_client, ask, priya):
    recipient = recipient_add(ask=ask, person=priya)

    response = send(alice_client, ask, {f"channel_{recipient.pk}": "pigeon"})

    assert "Choose how you&#x27;ll ask Priya Shah" in response.content.decode()
    recipient.refresh_from_db()
    assert (recipient.status, recipient.channel) == (Status.DRAFT, "email")
    assert not OutboxMessage.objects.exists()


# --------------------------------------------------------------------------- check, then write


def test_a_new_ask_to_someone_at_the_cap_writes_nothing_and_keeps_what_was_typed(
    alice_client, priya, settings
):
    settings.ASK_OPEN_CAP = 0
    response = alice_client.post(
        reverse("asks:new"),
        {
            "kind": "advice",
            "request": "Could we have a call about design roles?",
            "follow_up_days": "5",
            "to": [str(priya.pk)],
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Priya Shah already has 0 open asks from you." in page
    assert "Could we have a call about design roles?" in page
    assert f'name="to" value="{priya.pk}"' in page
    assert not Ask.objects.exists() and not Recipient.objects.exists()


def test_a_new_ask_to_another_seekers_person_writes_nothing(alice_client, charlie):
    theirs = person_create(owner=charlie, fields={"name": "Zed Ito"})

    response = alice_client.post(
        reverse("asks:new"),
        {"kind": "advice", "request": "A call?", "follow_up_days": "5", "to": [str(theirs.pk)]},
    )

    assert response.status_code == 200
    assert "You can only ask people from your own list." in response.content.decode()
    assert not Ask.objects.exists()


def test_a_new_ask_with_its_people_is_written_in_one_go(alice_client, alice, priya, sam):
    alice_client.post(
        reverse("asks:new"),
        {
            "kind": "advice",
            "request": "A call?",
            "follow_up_days": "5",
            "to": [str(priya.pk), str(sam.pk)],
        },
    )

    ask = Ask.objects.get(owner=alice)
    assert sorted(ask.recipients.values_list("person__name", flat=True)) == [
        "Priya Shah",
        "Sam Okoro",
    ]


# --------------------------------------------------------------------------- links in asks


def test_links_in_an_ask_are_safe_links_that_wrap(alice_client, alice):
    ask = ask_create(
        owner=alice,
        fields={
            "kind": "review",
            "request": "Would you read https://example.org/a/very/long/path?x=1&y=2 "
            "<script>alert(1)</script> javascript:alert(1)",
        },
    )

    page = alice_client.get(reverse("asks:detail", args=[ask.pk])).content.decode()

    assert '<a href="https://example.org/a/very/long/path?x=1&amp;y=2" rel="nofollow' in page
    assert "<script>alert(1)" not in page and 'href="javascript' not in page
