import pytest
from django.urls import reverse

from helpwanted.asks.actions import ask_create, ask_send, recipient_add, recipient_answer
from helpwanted.asks.models import Ask
from helpwanted.journey.models import Opportunity, Search, StageChange, ThankYou, Update
from helpwanted.mail.models import OutboxMessage
from helpwanted.network.actions import person_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(alice):
    return Opportunity.objects.create(
        owner=alice, company="Lumen Labs", role="Senior Product Designer", stage="offer"
    )


@pytest.fixture
def helped(alice, bob, offer):
    """bob said yes to an ask; priya referred alice; quinn hasn't answered another ask."""
    priya = person_create(
        owner=alice, fields={"name": "Priya Shah", "emails": ["priya@example.org"]}
    )
    quinn = person_create(
        owner=alice, fields={"name": "Quinn Adams", "emails": ["quinn@example.org"]}
    )
    offer.referred_by = priya
    offer.save(update_fields=["referred_by"])
    first = ask_create(owner=alice, fields={"kind": "review", "request": "Read my CV?"})
    recipient_add(ask=first, person=bob.person)
    ask_send(ask=first)
    recipient_answer(recipient=first.recipients.get(), answer="yes")
    second = ask_create(owner=alice, fields={"kind": "advice", "request": "A call?"})
    recipient_add(ask=second, person=quinn)
    ask_send(ask=second)
    return {"priya": priya, "quinn": quinn, "asks": [first, second]}


def test_the_landing_page_says_what_will_happen_and_changes_nothing_on_get(alice_client, offer):
    page = alice_client.get(reverse("journey:landed", args=[offer.pk])).content.decode()
    assert "close your open asks kindly" in page and "Nothing is deleted" in page
    offer.refresh_from_db()
    assert offer.stage == "offer"


def test_landing_closes_asks_kindly_posts_a_win_and_drafts_thanks(
    alice_client, alice, offer, helped, bob
):
    response = alice_client.post(reverse("journey:landed", args=[offer.pk]))
    assert response["Location"] == reverse("journey:landed_thanks")
    offer.refresh_from_db()
    assert offer.stage == "accepted"
    assert StageChange.objects.filter(opportunity=offer, to_stage="accepted").count() == 1
    assert Search.objects.get(owner=alice).landed_at is not None
    assert not Ask.objects.filter(owner=alice, closed_at__isnull=True).exists()
    told = sorted(
        OutboxMessage.objects.filter(kind="ask-landed").values_list("to_email", flat=True)
    )
    assert told == ["bob@example.org", "quinn@example.org"]
    assert "no need any more" in OutboxMessage.objects.filter(kind="ask-landed").first().body_text
    win = Update.objects.get(owner=alice, kind="win")
    assert win.audience == "everyone" and "Lumen Labs" in win.text
    drafts = {t.person.name: t.text for t in ThankYou.objects.filter(owner=alice)}
    assert set(drafts) == {"Bob Lindqvist", "Priya Shah"}
    assert "referring me to Lumen Labs" in drafts["Priya Shah"]


def test_landing_twice_sends_nothing_twice(alice_client, offer, helped):
    for _ in range(2):
        alice_client.post(reverse("journey:landed", args=[offer.pk]))
    assert OutboxMessage.objects.filter(kind="ask-landed").count() == 2
    assert Update.objects.filter(kind="win").count() == 1


def test_thank_yous_are_sent_one_by_one_or_all_at_once(alice_client, alice, offer, helped):
    alice_client.post(reverse("journey:landed", args=[offer.pk]))
    bobs = ThankYou.objects.get(person__name="Bob Lindqvist")
    alice_client.post(
        reverse("journey:thank_you_send", args=[bobs.pk]),
        {"text": "Bob, you're a star. Thank you!"},
    )
    email = OutboxMessage.objects.get(kind="landed-thanks")
    assert email.to_email == "bob@example.org" and "you're a star" in email.body_text
    alice_client.post(reverse("journey:thank_you_send_all"))
    assert (
        OutboxMessage.objects.filter(kind="landed-thanks").count() == 1
    )  # priya isn't in the circle
    assert not ThankYou.objects.filter(owner=alice, sent_at__isnull=True).exists()
    page = alice_client.get(reverse("journey:landed_thanks")).content.decode()
    assert "Pay it forward" in page


def test_reopening_the_search_deletes_nothing(alice_client, alice, offer, helped):
    alice_client.post(reverse("journey:landed", args=[offer.pk]))
    alice_client.post(reverse("journey:search_reopen"))
    assert Search.objects.get(owner=alice).landed_at is None
    assert ThankYou.objects.filter(owner=alice).count() == 2
    assert Update.objects.filter(owner=alice, kind="win").exists()


def test_another_seeker_cannot_land_on_alices_offer_or_send_her_thanks(
    charlie_client, alice_client, offer, helped
):
    assert charlie_client.get(reverse("journey:landed", args=[offer.pk])).status_code == 404
    assert charlie_client.post(reverse("journey:landed", args=[offer.pk])).status_code == 404
    alice_client.post(reverse("journey:landed", args=[offer.pk]))
    thank_you = ThankYou.objects.first()
    assert (
        charlie_client.post(reverse("journey:thank_you_send", args=[thank_you.pk])).status_code
        == 404
    )
    assert not OutboxMessage.objects.filter(kind="landed-thanks").exists()


def test_landing_pages_need_a_login_and_a_csrf_token(client, csrf_client, alice, offer):
    assert client.get(reverse("journey:landed", args=[offer.pk])).status_code == 302
    assert client.get(reverse("journey:landed_thanks")).status_code == 302
    csrf_client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    assert csrf_client.post(reverse("journey:landed", args=[offer.pk])).status_code == 403
    assert csrf_client.post(reverse("journey:search_reopen")).status_code == 403
    offer.refresh_from_db()
    assert offer.stage == "offer"


def test_each_helper_sees_their_own_landing_thank_you(alice_client, offer, helped, bob, bob_client):
    alice_client.post(reverse("journey:landed", args=[offer.pk]))
    bobs = ThankYou.objects.get(person=bob.person)
    alice_client.post(
        reverse("journey:thank_you_send", args=[bobs.pk]), {"text": "Bob, thank you!"}
    )
    page = bob_client.get(reverse("circle:helper_home")).content.decode()
    assert "Bob, thank you!" in page
    assert "referring me to Lumen Labs" not in page  # priya's note is hers alone
