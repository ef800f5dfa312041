"""Shared leads: passed on, taken once into the taker's opportunities, the giver sees it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from helpwanted.clubs import leads
from helpwanted.clubs.actions import club_create
from helpwanted.clubs.models import Lead, LeadTaken, Membership
from helpwanted.journey.models import Opportunity, OpportunitySource
from tests.clubs.round_world import RoundWorld, build, client_for

LEAD = {"company": "Lumen Labs", "role": "Product designer", "link": "https://lumen.example/jobs/1"}


@pytest.fixture
def world(alice, charlie, dana) -> RoundWorld:
    return build(alice, charlie, dana)


def leads_url(world: RoundWorld) -> str:
    return reverse("clubs:leads", args=[world.club.pk])


def test_a_member_passes_on_a_lead_for_a_named_member(world):
    fay = world.m(world.fay)
    data = {**LEAD, "note": "Better for a designer than me", "for_member": fay.pk}
    response = client_for(world.erin).post(leads_url(world), data)
    assert response.status_code == 302
    lead = Lead.objects.get()
    assert (lead.giver.user, lead.for_member, lead.company) == (world.erin, fay, "Lumen Labs")
    page = client_for(world.fay).get(leads_url(world)).content.decode()
    assert "Product designer at Lumen Labs" in page
    assert "for you" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**LEAD, "company": ""}, "Which company is it at?"),
        ({**LEAD, "role": ""}, "What&#x27;s the role?"),
        ({**LEAD, "link": "not a link at all"}, "doesn&#x27;t look like a web address"),
        ({**LEAD, "note": "n" * 501}, "under 500 characters"),
        ({**LEAD, "for_member": "999999"}, "Choose someone who is in this club"),
    ],
)
def test_bad_lead_input_says_what_to_fix_and_keeps_what_was_typed(world, data, message):
    response = client_for(world.erin).post(leads_url(world), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert not Lead.objects.exists()
    if data["company"]:
        assert data["company"] in body


def test_a_lead_cannot_be_for_someone_outside_the_club_or_the_giver(world):
    outsider = Membership.objects.create(
        club=club_create(facilitator=world.charlie, fields={"name": "Other"}),
        user=world.charlie,
    )
    for who in (outsider, world.m(world.erin)):
        response = client_for(world.erin).post(leads_url(world), {**LEAD, "for_member": who.pk})
        assert "Choose someone who is in this club" in response.content.decode()
    assert not Lead.objects.exists()


def test_taking_a_lead_adds_it_to_opportunities_once_and_the_giver_sees_it(world):
    lead = leads.lead_post(giver=world.m(world.erin), fields={**LEAD, "note": "Apply by Friday"})
    fay = client_for(world.fay)
    url = reverse("clubs:lead_take", args=[lead.pk])
    assert fay.post(url).status_code == 302
    again = fay.post(url, follow=True)
    assert "already in your opportunities" in again.content.decode()
    opportunity = Opportunity.objects.get(owner=world.fay)
    assert (opportunity.company, opportunity.role, opportunity.source) == (
        "Lumen Labs",
        "Product designer",
        OpportunitySource.CLUB,
    )
    assert "Erin Okafor" in opportunity.notes and "Apply by Friday" in opportunity.notes
    taken = LeadTaken.objects.get()
    assert (taken.membership.user, taken.opportunity) == (world.fay, opportunity)
    giver_page = client_for(world.erin).get(leads_url(world)).content.decode()
    assert "Taken by Fay Lindgren" in giver_page
    assert "It's in your opportunities" in fay.get(leads_url(world)).content.decode()


def test_the_giver_cannot_take_their_own_lead(world):
    lead = leads.lead_post(giver=world.m(world.erin), fields=LEAD)
    response = client_for(world.erin).post(reverse("clubs:lead_take", args=[lead.pk]), follow=True)
    assert "for someone else" in response.content.decode()
    assert not Opportunity.objects.exists()


def test_a_withdrawn_lead_leaves_the_page_and_cannot_be_taken(world):
    lead = leads.lead_post(giver=world.m(world.erin), fields=LEAD)
    assert (
        client_for(world.fay).post(reverse("clubs:lead_withdraw", args=[lead.pk])).status_code
        == 404
    )
    client_for(world.erin).post(reverse("clubs:lead_withdraw", args=[lead.pk]))
    assert b"Lumen Labs" not in client_for(world.fay).get(leads_url(world)).content
    client_for(world.fay).post(reverse("clubs:lead_take", args=[lead.pk]))
    assert not Opportunity.objects.exists()


def test_a_lead_from_a_member_who_left_is_gone_from_the_page(world):
    leads.lead_post(giver=world.m(world.erin), fields=LEAD)
    Membership.objects.filter(user=world.erin).update(left_at=timezone.now())
    assert b"Lumen Labs" not in client_for(world.fay).get(leads_url(world)).content


def test_nobody_outside_the_club_reaches_the_leads(world):
    lead = leads.lead_post(giver=world.m(world.erin), fields=LEAD)
    charlie = client_for(world.charlie)
    assert charlie.get(leads_url(world)).status_code == 404
    assert charlie.post(leads_url(world), LEAD).status_code == 404
    assert charlie.post(reverse("clubs:lead_take", args=[lead.pk])).status_code == 404
    assert charlie.post(reverse("clubs:lead_withdraw", args=[lead.pk])).status_code == 404
    assert Lead.objects.count() == 1 and not LeadTaken.objects.exists()
    # The facilitator sees the leads but does not post any: they are not a member.
    dana = client_for(world.dana)
    assert dana.get(leads_url(world)).status_code == 200
    assert dana.post(leads_url(world), LEAD).status_code == 404
