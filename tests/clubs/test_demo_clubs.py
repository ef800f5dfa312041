"""The demo shows the job club without setup, to Maya and to her club's facilitator (issue 11)."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from helpwanted.asks.models import Recipient
from helpwanted.clubs import selectors
from helpwanted.clubs.models import (
    Club,
    ClubRequest,
    FacilitatorNote,
    Goal,
    Lead,
    LeadTaken,
    Membership,
    Offer,
    WeekCheck,
)
from helpwanted.demo.login import DEMO_EMAIL, DEMO_PASSWORD, FACILITATOR_EMAIL, banner
from helpwanted.demo.seed import demo_seed
from helpwanted.journey.models import Opportunity, OpportunitySource
from helpwanted.mail.models import OutboxMessage
from helpwanted.network.models import Source

pytestmark = pytest.mark.django_db

PRIVATE_NOTE = "Lena missed the last two meetings"


def logged_in(email: str) -> Client:
    """Through the real login form, with the password `make demo` prints."""
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": email, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302, f"{email} could not log in"
    return client


def page(client: Client, name: str, *args: int) -> str:
    """The page's words, as a reader sees them (tags gone, entities read, spaces collapsed)."""
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200, (name, response.status_code)
    words = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(words).split())


@pytest.fixture
def club() -> Club:
    demo_seed()
    return Club.objects.get(name="Tuesday Job Club")


def test_make_demo_prints_the_facilitators_login_next_to_mayas():
    printed = banner()
    assert f"Demo login: {DEMO_EMAIL} / {DEMO_PASSWORD}" in printed
    assert f"Job club facilitator's login: {FACILITATOR_EMAIL} / {DEMO_PASSWORD}" in printed


def test_the_club_has_what_the_issue_promises(club):
    members = Membership.objects.filter(club=club, left_at__isnull=True).select_related("user")
    roles = {m.user.display_name: m.role for m in members}
    assert club.facilitator.email == FACILITATOR_EMAIL
    assert roles.pop("Maya Okafor") == "member"
    assert roles.pop("Rita Alvarez") == "alumnus"
    assert list(roles.values()) == ["member"] * 5  # five other members
    rita = members.get(role="alumnus")
    assert 25 <= (timezone.now() - rita.landed_at).days <= 35  # landed last month
    # Offers in every state, on this round's requests; one fulfilled.
    states = set(
        Offer.objects.filter(request__round__meeting__club=club).values_list("state", flat=True)
    )
    assert states == {"offered", "accepted", "declined", "withdrawn"}
    assert Offer.objects.filter(recipient__status__in=["done", "thanked"]).count() == 1
    # One accepted offer is an ask of Maya's, to Ben as a person in her network, from the club.
    maya = members.get(user__email=DEMO_EMAIL)
    (recipient,) = Recipient.objects.filter(ask__owner=maya.user, channel=Recipient.Channel.CLUB)
    assert recipient.person.name == "Ben Carter" and Source.CLUB in recipient.person.sources
    assert recipient.club_offer.request.membership == maya
    # Shared leads, one taken by Maya into her opportunities, from the club.
    taken = LeadTaken.objects.get(membership=maya)
    assert taken.opportunity is not None and taken.opportunity.source == OpportunitySource.CLUB
    assert Lead.objects.filter(club=club).count() == 3
    # Last week's goals checked off, buddies, week checks, both kinds of notes.
    assert Goal.objects.filter(membership=maya, done_at__isnull=False).count() == 2
    assert maya.buddy is not None and maya.buddy.buddy_id == maya.pk
    assert WeekCheck.objects.filter(membership__in=[maya, maya.buddy]).count() == 4
    assert set(FacilitatorNote.objects.values_list("visibility", flat=True)) == {"club", "private"}
    # Exactly one member on the facilitator's reach-out list, by the facilitator's own rules.
    (reach,) = selectors.reach_out_list(club, now=timezone.now())
    assert reach.membership.user.display_name == "Lena Fischer"
    # The offers on Maya's request came to her by email, batched, with the stop link.
    (offers_email,) = OutboxMessage.objects.filter(kind="club-offers", to_email=DEMO_EMAIL)
    assert "Sofia Marques" in offers_email.body_text
    assert offers_email.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_maya_sees_her_club_its_round_her_ask_leads_goals_and_buddy(club):
    maya = logged_in(DEMO_EMAIL)
    home = page(maya, "home")
    assert "Tuesday Job Club" in home and "Sofia Marques" in home
    detail = page(maya, "clubs:detail", club.pk)
    for name in ("Rita Alvarez", "Lena Fischer", "Joan Whitaker"):
        assert name in detail
    round_page = page(maya, "clubs:round", club.pk)
    for state in ("Accepted", "Offered", "Not this time", "Fulfilled"):
        assert state in round_page, state
    assert "My cousin Grace designs at Harbour Health" in round_page
    mine = ClubRequest.objects.get(membership__user__email=DEMO_EMAIL)
    assert mine.text in page(maya, "asks:list")
    leads = page(maya, "clubs:leads", club.pk)
    assert "Senior product designer at Harbour Health" in leads
    assert "in your opportunities" in leads
    last = FacilitatorNote.objects.get(visibility="club").meeting
    meeting = page(maya, "clubs:meeting", last.pk)
    assert "Send two applications (done)" in meeting
    assert "salary conversations" in meeting
    assert PRIVATE_NOTE not in meeting  # the facilitator's own note is hers alone
    buddy = page(maya, "clubs:buddy", club.pk)
    assert "Better: an interview on Friday" in buddy  # Sofia's week check
    board = Opportunity.objects.get(owner__email=DEMO_EMAIL, source=OpportunitySource.CLUB)
    assert board.company == "Harbour Health"


def test_the_facilitator_sees_one_member_to_reach_out_to_her_notes_and_the_outcomes(club):
    joan = logged_in(FACILITATOR_EMAIL)
    assert "Tuesday Job Club" in page(joan, "home")
    view = page(joan, "clubs:facilitator", club.pk)
    reach = view.split("Reach out", 1)[1].split("Members", 1)[0]
    names = [n for n in ("Maya", "Sofia", "Ben", "Amara", "Tomasz", "Lena", "Rita") if n in reach]
    assert names == ["Lena"]
    assert "Requests fulfilled" in view
    last = FacilitatorNote.objects.get(visibility="private").meeting
    meeting = page(joan, "clubs:meeting", last.pk)
    assert PRIVATE_NOTE in meeting and "salary conversations" in meeting
    assert "Finish the Northwind case study" in meeting  # goals, as the club sees them
    # Nothing of Maya's private life: her check-in notes and her people's notes stay hers.
    assert "Sending a hug" not in view + meeting


def test_seeding_twice_changes_nothing(club):
    counts = [m.objects.count() for m in (Club, Membership, ClubRequest, Offer, Lead, Goal)]
    demo_seed()
    assert [m.objects.count() for m in (Club, Membership, ClubRequest, Offer, Lead, Goal)] == counts
