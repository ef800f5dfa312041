"""Two requests at once on the round (two real connections, tests/concurrency.py)."""

from functools import partial

import pytest

from helpwanted.asks.models import Ask, Recipient, RecipientEvent
from helpwanted.clubs import leads, rounds
from helpwanted.clubs.models import ClubRequest, LeadTaken, Offer
from helpwanted.journey.models import Opportunity
from tests.clubs.round_world import build, offer_by, request_by
from tests.concurrency import at_once, twice

pytestmark = pytest.mark.django_db(transaction=True)


def test_accepting_one_offer_twice_at_once_makes_one_ask(alice, charlie, dana):
    world = build(alice, charlie, dana)
    offer = offer_by(world, world.erin, request_by(world, world.alice))
    results = twice(_accept, offer.pk)
    assert all(r.state == Offer.State.ACCEPTED for r in results)
    assert Ask.objects.count() == 1
    assert Recipient.objects.count() == 1
    assert RecipientEvent.objects.count() == 1
    offer.refresh_from_db()
    assert offer.ask == Ask.objects.get() and offer.recipient == Recipient.objects.get()


def test_accepting_two_offers_on_one_request_at_once_shares_one_ask(alice, charlie, dana):
    world = build(alice, charlie, dana)
    made = request_by(world, world.alice)
    first, second = offer_by(world, world.erin, made), offer_by(world, world.fay, made)
    at_once(lambda: _accept(first.pk), lambda: _accept(second.pk))
    assert Ask.objects.count() == 1
    assert Recipient.objects.filter(ask=Ask.objects.get()).count() == 2


def test_taking_a_lead_twice_at_once_adds_one_opportunity(alice, charlie, dana):
    world = build(alice, charlie, dana)
    lead = leads.lead_post(
        giver=world.m(world.erin), fields={"company": "Lumen Labs", "role": "Designer"}
    )
    fay = world.m(world.fay)
    take = partial(leads.lead_take, lead=lead, membership=fay)
    results = at_once(take, take, expected=(leads.LeadError,))
    assert sum(isinstance(r, leads.LeadError) for r in results) == 1
    assert LeadTaken.objects.count() == 1
    assert Opportunity.objects.filter(owner=world.fay).count() == 1


def test_posting_a_request_twice_at_once_makes_one(alice, charlie, dana):
    world = build(alice, charlie, dana)
    twice(request_by, world, world.alice)
    assert ClubRequest.objects.count() == 1


def _accept(offer_id: int) -> Offer:
    return rounds.offer_accept(offer=Offer.objects.get(pk=offer_id))
