"""Two taps from the email: a button link opens the answer page (GET changes nothing), Send records."""

import pytest
from django.test import Client
from django.urls import reverse

from helpwanted.asks.models import Recipient, RecipientEvent
from helpwanted.circle.models import CircleMember, HelperGrant
from helpwanted.mail.models import OutboxMessage
from helpwanted.network.models import Person
from tests.circle.helpers import REQUEST, links, person, send_ask, token_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(alice):
    priya = person(alice)
    (recipient,) = send_ask(alice, [priya])
    email = OutboxMessage.objects.get(kind="ask")
    return recipient, email


def button(email, answer):
    (path,) = [p for p in links(email) if p.endswith(f"&a={answer}")]
    return path


def snapshot():
    return (
        list(Recipient.objects.values()),
        RecipientEvent.objects.count(),
        list(HelperGrant.objects.values()),
        list(CircleMember.objects.values()),
        Person.objects.count(),
    )


def test_the_ask_email_carries_the_four_answers_as_links_and_a_plain_open_my_page_link(sent):
    recipient, email = sent
    paths = links(email)
    answers = [p.rsplit("&a=", 1)[1] for p in paths if "&a=" in p]
    assert answers == ["yes", "suggest", "not_now", "no"]
    assert paths[-1].endswith(f"?r={recipient.pk}")  # open my page first
    assert len({token_of(p) for p in paths}) == 1  # one link, one grant
    for label in ("Yes, I can", "I can&#x27;t, but I know someone", "Not right now", "No, sorry"):
        assert label in email.body_html or label.replace("&#x27;", "'") in email.body_html


def test_opening_an_answer_link_changes_nothing(sent, client):
    recipient, email = sent
    before = snapshot()
    response = client.get(button(email, "yes"))
    assert response.status_code == 200
    assert snapshot() == before  # mail scanners follow links: a GET records nothing
    assert client.get(reverse("circle:helper_home")).status_code == 403  # and starts no session


def test_the_answer_page_names_the_seeker_and_the_ask_with_the_answer_chosen(sent, client):
    recipient, email = sent
    response = client.get(button(email, "not_now"))
    page = response.content.decode()
    assert "Alice Moreau asked you:" in page
    assert REQUEST in page and "I&#x27;m applying." in page
    assert 'value="not_now" id="id_answer_2" checked' in page or (
        'value="not_now"' in page and "checked" in page.split('value="not_now"')[1][:40]
    )
    assert "Keep me posted on Alice&#x27;s search" in page
    assert "Log in" not in page and "Sign up" not in page
    assert response["Referrer-Policy"] == "strict-origin"


def test_send_records_the_answer_starts_the_session_and_lands_without_the_token(sent, client):
    recipient, email = sent
    path = button(email, "yes")
    client.get(path)
    response = client.post(path, {"answer": "yes", "message": "Happy to help!"})
    assert response.status_code == 303
    assert token_of(path) not in response["Location"]
    assert response["Location"] == reverse("circle:helper_ask", args=[recipient.pk])
    recipient.refresh_from_db()
    assert recipient.status == "offered" and recipient.answer_message == "Happy to help!"
    page = client.get(response["Location"]).content.decode()
    assert "What you sent" in page and "Happy to help!" in page
    assert "Changed your mind?" in page


def test_a_suggestion_shows_on_the_page_afterwards_with_name_email_and_company(sent, client):
    recipient, email = sent
    response = client.post(
        button(email, "suggest"),
        {
            "answer": "suggest",
            "suggest_name": "Jane Ito",
            "suggest_email": "jane@acme.example",
            "suggest_company": "Acme",
        },
    )
    page = client.get(response["Location"]).content.decode()
    assert "Who to try" in page
    assert "Jane Ito, jane@acme.example, Acme" in page


def test_a_unicode_digit_or_junk_in_the_ask_id_is_a_404_never_a_500(sent, client):
    recipient, email = sent
    token = token_of(links(email)[0])
    for query in ("r=²", "r=abc", "r=-1", "r=²&a=yes", "u=²&e=heart", f"r={recipient.pk + 99}"):
        assert client.get(f"/h/{token}/?{query}").status_code == 404, query
        assert client.post(f"/h/{token}/?{query}", {"answer": "yes"}).status_code == 404, query
    recipient.refresh_from_db()
    assert recipient.status == "sent"


def test_an_unknown_answer_in_the_link_just_chooses_nothing(sent, client):
    recipient, email = sent
    token = token_of(links(email)[0])
    assert client.get(f"/h/{token}/?r={recipient.pk}&a=maybe").status_code == 200


def test_another_seekers_helper_cannot_answer_alices_ask_with_their_own_link(sent, charlie):
    recipient, _ = sent
    from helpwanted.circle.actions import circle_add, grant_issue

    member = circle_add(person=person(charlie, "Priya at Charlie's"), audience="supporters")
    _, token = grant_issue(member=member)
    client = Client()
    assert client.get(f"/h/{token}/?r={recipient.pk}&a=yes").status_code == 404
    assert client.post(f"/h/{token}/?r={recipient.pk}&a=yes", {"answer": "yes"}).status_code == 404
    recipient.refresh_from_db()
    assert recipient.status == "sent"


def test_the_answer_post_needs_a_csrf_token(sent):
    recipient, email = sent
    client = Client(enforce_csrf_checks=True)
    assert client.post(button(email, "yes"), {"answer": "yes"}).status_code == 403
    recipient.refresh_from_db()
    assert recipient.status == "sent"


def test_the_plain_link_shows_continue_naming_who_asks_and_what(sent, client):
    recipient, email = sent
    response = client.get(links(email)[-1])
    page = response.content.decode()
    assert "Alice Moreau asked you:" in page and REQUEST in page
    assert "Someone would like you" not in page
    assert "Continue" in page and "Log in" not in page
    response = client.post(links(email)[-1])
    assert response.status_code == 303
    assert response["Location"] == reverse("circle:helper_ask", args=[recipient.pk])


# --- "I can't, but I know someone" is capped ------------------------------------------------


def suggest(client, path, name):
    data = {"answer": "suggest", "suggest_name": name, "message": f"Try {name}"}
    return client.post(path, data, follow=True)


def test_one_answer_can_suggest_at_most_three_new_people(sent, client, alice):
    recipient, email = sent
    path = button(email, "suggest")
    for i in range(3):
        suggest(client, path, f"New Person {i}")
    response = suggest(client, path, "New Person 3")
    assert "already suggested 3 people for this ask" in response.content.decode()
    assert not Person.objects.filter(owner=alice, name="New Person 3").exists()
    assert Person.objects.filter(owner=alice, sources__icontains="suggested").count() == 3
    # Naming someone already in the seeker's people never counts against it.
    assert suggest(client, path, "Priya Shah").status_code == 200


def test_one_helper_can_suggest_at_most_ten_new_people_a_day(alice, client):
    priya = person(alice)
    made = 0
    for i in range(4):
        send_ask(alice, [priya], request=f"Ask number {i}")
        email = OutboxMessage.objects.filter(kind="ask").order_by("-id").first()
        for _ in range(3):
            response = suggest(client, button(email, "suggest"), f"Person {made}")
            made += 1
    assert "You can suggest more people tomorrow" in response.content.decode()
    assert Person.objects.filter(owner=alice, sources__icontains="suggested").count() == 10
