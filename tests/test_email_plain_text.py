"""Email subjects and text parts are plain text: a name is written as the seeker typed it."""

from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.urls import reverse

from helpwanted.accounts.models import User
from helpwanted.asks.actions import ask_create, ask_send, recipient_add
from helpwanted.journey.models import Opportunity
from helpwanted.mail.actions import render_email
from helpwanted.mail.models import OutboxMessage

NAME = 'Siobhán O\'Neill & <Sons> "Jr"'
ESCAPES = ("&#x27;", "&#39;", "&amp;", "&lt;", "&gt;", "&quot;")
EMAILS = Path(settings.BASE_DIR) / "templates" / "emails"
SUBJECTS = sorted(p.name.removesuffix("-subject.html") for p in EMAILS.glob("*-subject.html"))


def _context() -> dict[str, object]:
    """Every name any email template reads, all spelled NAME."""
    seeker = SimpleNamespace(first_name=NAME, display_name=NAME, email="seeker@example.org")
    person = SimpleNamespace(name=NAME, greeting_name=NAME, emails=["p@example.org"])
    recipient = SimpleNamespace(person=person, get_status_display="Yes, I can")
    return {
        "seeker": seeker,
        "seekers": [seeker, seeker],
        "user": seeker,
        "person": person,
        "recipient": recipient,
        "answers": [recipient],
        "card": SimpleNamespace(name=NAME, signal=SimpleNamespace(reasons=[])),
        "link": "https://example.org/h/x/",
        "look_link": "https://example.org/h/x/",
        "protocol": "https",
        "domain": "example.org",
        "uid": "MQ",
        "token": "abc-123",
        # Job-club emails (clubs/emails.py)
        "club": SimpleNamespace(name=NAME),
        "inviter_name": NAME,
        "buddy_name": NAME,
        "offers": [SimpleNamespace(name=NAME)],
        "club_weeks": [SimpleNamespace(club_name=NAME)],
    }


def test_there_are_subject_templates_to_check():
    assert {"ask", "ask-landed", "landed-thanks", "password-reset"} <= set(SUBJECTS)


@pytest.mark.parametrize("template", SUBJECTS)
def test_it_writes_every_subject_as_plain_text(template):
    subject = " ".join(
        (EMAILS / f"{template}-subject.html").read_text().split()
    )  # the template's source
    rendered, _, _ = render_email(template, _context())
    assert not any(escape in rendered for escape in ESCAPES), rendered
    if "{{" in subject:
        assert 'O\'Neill & <Sons> "Jr"' in rendered or "seeker@example.org" in rendered, rendered


def test_the_html_part_stays_escaped():
    _, text, html = render_email("ask-landed", {**_context(), "opportunity": None})
    assert "O'Neill & <Sons>" in text
    assert "<Sons>" not in html and "&lt;Sons&gt;" in html


@pytest.mark.django_db
def test_an_email_sent_by_the_app_names_the_seeker_as_typed(client, bob_factory):
    seeker, bob = bob_factory
    offer = Opportunity.objects.create(owner=seeker, company="Lumen Labs", role="Designer")
    ask = ask_create(owner=seeker, fields={"kind": "advice", "request": "A call?"})
    recipient_add(ask=ask, person=bob)
    ask_send(ask=ask)
    client.force_login(seeker, backend="django.contrib.auth.backends.ModelBackend")
    client.post(reverse("journey:landed", args=[offer.pk]))
    landed = OutboxMessage.objects.get(kind="ask-landed")
    assert landed.subject == "Good news from D'Arcy: no need any more"


@pytest.fixture
def bob_factory(db):
    from helpwanted.circle.actions import circle_add
    from helpwanted.network.actions import person_create

    seeker = User.objects.create_user(
        email="darcy@example.org", password="x" * 20, display_name="D'Arcy O'Neill"
    )
    bob = person_create(
        owner=seeker, fields={"name": "Bob Lindqvist", "emails": ["bob@example.org"]}
    )
    circle_add(person=bob, audience="supporters")
    return seeker, bob
