"""What a reply by email becomes, and the seeker's one click on it."""

import pytest
from django.test import Client

from helpwanted.asks.models import Recipient
from helpwanted.circle.actions import circle_add, member_consent
from helpwanted.journey.models import Reply, ThankYou
from helpwanted.journey.updates import update_post
from helpwanted.mail.inbound.compose import reply_bytes
from helpwanted.mail.inbound.process import inbound_process
from helpwanted.mail.models import InboundMessage, OutboxMessage
from helpwanted.network.actions import person_create
from tests.mail.conftest import reply_from

pytestmark = pytest.mark.django_db


def _reply_to(email: OutboxMessage, text: str, sender: str) -> str:
    raw = reply_bytes(
        text=text,
        from_address=sender,
        reply_to=email.headers["Reply-To"],
        subject=email.subject,
        original_text=email.body_text,
    )
    return inbound_process(raw, email.headers["Reply-To"], sender)


def test_the_seeker_confirms_the_suggested_answer_in_one_click(asked, alice_client):
    inbound_process(reply_from(asked, "Happy to! Thursday 4pm?"), asked.reply_to, "bob@example.org")
    reply = InboundMessage.objects.get()
    page = alice_client.get(f"/asks/{asked.ask.pk}/")
    assert "It sounds like Bob Lindqvist said" in page.content.decode()
    response = alice_client.post(f"/replies/{reply.pk}/confirm/", {"answer": "yes"})
    assert response.status_code == 302
    recipient = Recipient.objects.get(pk=asked.recipient.pk)
    assert recipient.status == "offered" and recipient.answer_message == "Happy to! Thursday 4pm?"
    reply.refresh_from_db()
    assert reply.status == "confirmed"
    again = alice_client.post(f"/replies/{reply.pk}/confirm/", {"answer": "no"}, follow=True)
    assert "already settled" in again.content.decode()
    assert Recipient.objects.get(pk=asked.recipient.pk).status == "offered"


def test_the_seeker_may_pick_another_answer_but_not_a_made_up_one(asked, alice_client):
    inbound_process(reply_from(asked, "Hmm, let me think."), asked.reply_to, "bob@example.org")
    reply = InboundMessage.objects.get()
    assert reply.suggested_answer == ""
    bad = alice_client.post(f"/replies/{reply.pk}/confirm/", {"answer": "maybe"}, follow=True)
    assert "Choose one of the answers." in bad.content.decode()
    alice_client.post(f"/replies/{reply.pk}/confirm/", {"answer": "not_now"})
    assert Recipient.objects.get(pk=asked.recipient.pk).status == "not_now"


def test_a_held_reply_is_approved_into_the_record(asked, alice_client):
    raw = reply_from(asked, "Yes, happy to!", from_address="bob.work@corp.example")
    inbound_process(raw, asked.reply_to, "bob.work@corp.example")
    reply = InboundMessage.objects.get()
    page = alice_client.get(f"/asks/{asked.ask.pk}/").content.decode()
    assert "This reply came from an address we don&#x27;t know for Bob Lindqvist" in page or (
        "This reply came from an address we don't know for Bob Lindqvist" in page
    )
    alice_client.post(f"/replies/{reply.pk}/approve/")
    reply.refresh_from_db()
    assert reply.status == "suggested" and reply.suggested_answer == "yes"
    assert Recipient.objects.get(pk=asked.recipient.pk).answer_message == "Yes, happy to!"


def test_a_held_reply_is_discarded_and_nothing_is_kept_on_the_recipient(asked, alice_client):
    raw = reply_from(asked, "Yes!", from_address="mallory@evil.example")
    inbound_process(raw, asked.reply_to, "mallory@evil.example")
    reply = InboundMessage.objects.get()
    alice_client.post(f"/replies/{reply.pk}/discard/")
    alice_client.post(f"/replies/{reply.pk}/approve/")  # too late: discarded stays discarded
    reply.refresh_from_db()
    assert reply.status == "discarded"
    assert Recipient.objects.get(pk=asked.recipient.pk).answer_message == ""


def test_another_seeker_sees_and_changes_nothing(asked, charlie_client):
    inbound_process(reply_from(asked, "Yes!"), asked.reply_to, "bob@example.org")
    reply = InboundMessage.objects.get()
    assert charlie_client.get(f"/replies/{reply.pk}/").status_code == 404
    assert charlie_client.post(f"/replies/{reply.pk}/confirm/", {"answer": "no"}).status_code == (
        404
    )
    assert charlie_client.post(f"/replies/{reply.pk}/discard/").status_code == 404
    assert Client().get(f"/replies/{reply.pk}/").status_code == 302  # to log in
    reply.refresh_from_db()
    assert reply.status == "suggested"


def test_the_whole_email_is_there_for_the_seeker_in_plain_text(asked, alice_client):
    inbound_process(reply_from(asked, "Yes!"), asked.reply_to, "bob@example.org")
    reply = InboundMessage.objects.get()
    page = alice_client.get(f"/replies/{reply.pk}/").content.decode()
    assert "&gt; Would you introduce me" in page  # the quote, in the raw copy only


def test_a_reply_to_a_shared_rejection_becomes_encouragement_on_the_update(alice, alice_client):
    hannah = circle_add(
        person=person_create(
            owner=alice, fields={"name": "Hannah Whitlock", "emails": ["hannah@example.org"]}
        ),
        audience="inner",
    )
    member_consent(member=hannah, via="invite")
    update = update_post(owner=alice, kind="rejection", text="Didn't get the Acme role.")
    news = OutboxMessage.objects.get(kind="update-news")
    assert "Reply-To" in news.headers and "## Reply above this line ##" in news.body_text
    assert _reply_to(news, "So sorry, Alice. Their loss!", "hannah@example.org") == "recorded"
    reply = Reply.objects.get(update=update)
    assert reply.member == hannah and reply.text == "So sorry, Alice. Their loss!"
    home = alice_client.get("/home/").content.decode()
    assert "Their loss!" in home


def test_a_reply_to_a_thank_you_becomes_a_note_on_their_page(asked, alice, alice_client):
    from helpwanted.asks.actions import recipient_answer, recipient_thank

    recipient_answer(recipient=asked.recipient, answer="yes", message="Sure")
    recipient_thank(recipient=asked.recipient, text="Thank you so much, Bob!")
    thanks = OutboxMessage.objects.get(kind="ask-thanks")
    assert _reply_to(thanks, "You're so welcome. Good luck!", "bob@example.org") == "recorded"
    page = alice_client.get(f"/people/{asked.bob.person.pk}/").content.decode()
    assert "replied to your thank-you" in page and "so welcome. Good luck!" in page


def test_a_reply_to_a_landing_thank_you_is_a_note_too(alice, bob, alice_client):
    from helpwanted.journey.landed import thank_you_send

    thank_you = ThankYou.objects.create(owner=alice, person=bob.person, text="Thank you!")
    assert thank_you_send(thank_you=thank_you, text="Thank you, Bob!")
    email = OutboxMessage.objects.get(kind="landed-thanks")
    assert _reply_to(email, "Congratulations!!", "bob@example.org") == "recorded"
    assert InboundMessage.objects.get().reply_key.thank_you == thank_you


def test_the_outbox_reply_as_this_helper_shows_on_the_ask_page_with_the_quote_gone(
    asked, alice_client, settings
):
    settings.DEMO = True
    page = alice_client.get(f"/dev/outbox/{asked.email.pk}/").content.decode()
    assert "Reply as this helper" in page
    response = alice_client.post(
        f"/dev/outbox/{asked.email.pk}/reply/",
        {"text": "Happy to, Thursday 4pm works"},
        follow=True,
    )
    body = response.content.decode()
    assert response.redirect_chain[-1][0].startswith(f"/asks/{asked.ask.pk}/")
    assert "“Happy to, Thursday 4pm works”" in body
    assert "Would you introduce me to someone on the design team" in body  # the ask itself…
    reply = InboundMessage.objects.get()
    assert "Would you introduce" not in reply.text  # …but not the quote
    assert reply.text == "Happy to, Thursday 4pm works"
    empty = alice_client.post(f"/dev/outbox/{asked.email.pk}/reply/", {"text": " "}, follow=True)
    assert "Write the helper" in empty.content.decode()


def test_the_outbox_reply_is_not_there_outside_the_demo(asked, alice_client):
    response = alice_client.post(f"/dev/outbox/{asked.email.pk}/reply/", {"text": "Yes"})
    assert response.status_code == 404
    assert not InboundMessage.objects.exists()


def test_someone_who_replied_by_email_is_not_due_a_follow_up(asked, alice_client):
    import time_machine
    from django.utils import timezone

    from helpwanted.asks.selectors import follow_up_due, recipients_needing_follow_up

    later = timezone.now() + timezone.timedelta(days=asked.ask.follow_up_days + 1)
    with time_machine.travel(later):
        assert follow_up_due(Recipient.objects.select_related("ask").get(pk=asked.recipient.pk))
        inbound_process(reply_from(asked, "Yes, happy to!"), asked.reply_to, "bob@example.org")
        recipient = Recipient.objects.select_related("ask").get(pk=asked.recipient.pk)
        assert not follow_up_due(recipient)
        assert recipients_needing_follow_up(asked.ask.owner) == []
        page = alice_client.get(f"/asks/{asked.ask.pk}/").content.decode()
        assert "Follow up with Bob Lindqvist" not in page


def test_the_whole_email_page_says_it_once(asked, alice_client):
    inbound_process(reply_from(asked, "Yes!"), asked.reply_to, "bob@example.org")
    reply = InboundMessage.objects.get()
    page = alice_client.get(f"/replies/{reply.pk}/").content.decode()
    assert page.count("The whole email, as it arrived") == 1
    assert page.count("<h1>A reply from Bob Lindqvist</h1>") == 1
