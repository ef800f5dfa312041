import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

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


def _review(client):
    """The review page, and the form it posts: every note as shown, every box ticked."""
    page = client.get(reverse("journey:thank_you_send_all")).content.decode()
    drafts = ThankYou.objects.filter(sent_at__isnull=True)
    form = {
        "shown": [t.pk for t in drafts],
        "send": [t.pk for t in drafts],
        **{f"text-{t.pk}": t.text for t in drafts},
    }
    return page, form


def test_the_first_click_on_send_all_shows_every_note_and_sends_nothing(
    alice_client, offer, helped
):
    alice_client.post(reverse("journey:landed", args=[offer.pk]))
    thanks_page = alice_client.get(reverse("journey:landed_thanks")).content.decode()
    assert f'href="{reverse("journey:thank_you_send_all")}"' in thanks_page
    page, _ = _review(alice_client)
    for thank_you in ThankYou.objects.select_related("person"):
        assert f"Your note to {thank_you.person.name}" in page
        assert escape(thank_you.text) in page
    assert "It goes by email to bob@example.org." in page
    assert "We have no email for Priya" in page
    alice_client.post(reverse("journey:thank_you_send_all"))  # a bare POST sends nothing either
    assert not OutboxMessage.objects.filter(kind="landed-thanks").exists()
    assert not ThankYou.objects.filter(sent_at__isnull=False).exists()


def test_sending_from_the_review_page_sends_each_note_once_as_edited(
    alice_client, alice, offer, helped, bob
):
    alice_client.post(reverse("journey:landed", args=[offer.pk]))
    _, form = _review(alice_client)
    bobs = ThankYou.objects.get(person=bob.person)
    form[f"text-{bobs.pk}"] = "Bob, you're a star. Thank you!"
    response = alice_client.post(reverse("journey:thank_you_send_all"), form, follow=True)
    page = response.content.decode()
    assert "Your thank-you is on its way to Bob Lindqvist." in page
    assert "We have no email for Priya Shah, so thank them in person" in page
    email = OutboxMessage.objects.get(kind="landed-thanks")
    assert email.key == f"landed-thanks:{bobs.pk}" and email.to_email == "bob@example.org"
    assert "you're a star" in email.body_text
    assert not ThankYou.objects.filter(owner=alice, sent_at__isnull=True).exists()
    alice_client.post(reverse("journey:thank_you_send_all"), form)  # pressed twice
    assert OutboxMessage.objects.filter(kind="landed-thanks").count() == 1
    assert "Pay it forward" in alice_client.get(reverse("journey:landed_thanks")).content.decode()


def test_an_unticked_note_keeps_its_edit_and_waits(alice_client, offer, helped, bob):
    alice_client.post(reverse("journey:landed", args=[offer.pk]))
    _, form = _review(alice_client)
    bobs = ThankYou.objects.get(person=bob.person)
    form["send"] = [pk for pk in form["send"] if pk != bobs.pk]
    form[f"text-{bobs.pk}"] = "Bob, I'll tell you over dinner."
    alice_client.post(reverse("journey:thank_you_send_all"), form)
    bobs.refresh_from_db()
    assert bobs.sent_at is None and bobs.text == "Bob, I'll tell you over dinner."
    assert not OutboxMessage.objects.filter(kind="landed-thanks").exists()


def test_the_drafts_name_the_help_and_greet_by_first_name(alice_client, offer, helped, bob):
    bob.person.nickname = "Bobby"
    bob.person.save(update_fields=["nickname"])
    alice_client.post(reverse("journey:landed", args=[offer.pk]))
    drafts = {t.person.name: t.text for t in ThankYou.objects.select_related("person")}
    assert drafts["Bob Lindqvist"].startswith("Hi Bobby, I got the job")
    assert "Thank you for offering to look over my CV." in drafts["Bob Lindqvist"]
    assert drafts["Priya Shah"].startswith("Hi Priya, ")
    assert "Thank you for referring me to Lumen Labs." in drafts["Priya Shah"]
    assert not any("your help with" in text for text in drafts.values())
    told = OutboxMessage.objects.get(kind="ask-landed", to_email="bob@example.org")
    assert told.body_text.startswith("Hi Bobby,\n") and "Hi Bobby,</p>" in told.body_html


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
    _, form = _review(alice_client)
    form = {**form, **{key: "Charlie was here" for key in form if key.startswith("text-")}}
    assert charlie_client.get(reverse("journey:thank_you_send_all")).status_code == 302
    charlie_client.post(reverse("journey:thank_you_send_all"), form)
    assert not OutboxMessage.objects.filter(kind="landed-thanks").exists()
    assert not ThankYou.objects.filter(text="Charlie was here").exists()
    assert not ThankYou.objects.filter(sent_at__isnull=False).exists()


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
    _, form = _review(alice_client)
    bobs = ThankYou.objects.get(person=bob.person)
    form[f"text-{bobs.pk}"] = "Bob, thank you!"
    alice_client.post(reverse("journey:thank_you_send_all"), form)
    page = bob_client.get(reverse("circle:helper_home")).content.decode()
    assert "Bob, thank you!" in page
    assert "referring me to Lumen Labs" not in page  # priya's note is hers alone


def test_the_thank_you_pages_cost_the_same_queries_for_two_people_or_twenty(
    alice, alice_client, offer
):
    from helpwanted.circle.actions import circle_add

    def add_drafts(start: int, count: int) -> None:
        for i in range(start, start + count):
            person = person_create(
                owner=alice, fields={"name": f"Helper {i:02}", "emails": [f"h{i}@example.org"]}
            )
            if i % 2:
                circle_add(person=person, audience="supporters")
            ThankYou.objects.create(owner=alice, person=person, text=f"Thank you, {i}!")

    add_drafts(0, 2)
    alice_client.get(reverse("journey:landed_thanks"))  # the first visit starts her Search row
    counts = []
    for more in (0, 18):
        add_drafts(2, more)
        with CaptureQueriesContext(connection) as queries:
            for url in ("journey:landed_thanks", "journey:thank_you_send_all"):
                assert alice_client.get(reverse(url)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    page = alice_client.get(reverse("journey:thank_you_send_all")).content.decode()
    assert page.count("It goes by email to") == 10 and page.count("We have no email for") == 10
