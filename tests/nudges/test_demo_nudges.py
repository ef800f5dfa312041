"""The demo shows issues 6 and 10 at work: Maya's recent dip, her next steps, whom to ask
(people at the company an ask names first), her charts."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from helpwanted.asks.models import Ask
from helpwanted.circle.models import Audience, CircleMember
from helpwanted.demo.seed import demo_seed
from helpwanted.network.companies import company_key
from helpwanted.network.models import Person, Target

pytestmark = pytest.mark.django_db


@pytest.fixture
def maya_client():
    maya = demo_seed()
    client = Client()
    client.force_login(maya)
    client.maya = maya
    return client


def test_maya_sees_an_early_ask_for_someone_close_after_her_recent_dip(maya_client):
    response = maya_client.get(reverse("home"))
    card = response.context["early_ask"]

    assert card is not None and "hope" in card.signal.triggers
    assert card.kind == "emotional_support"
    inner = CircleMember.objects.get(owner=maya_client.maya, person_id=card.person_id)
    assert inner.audience == Audience.INNER
    assert f"A good moment to ask {card.name}" in response.content.decode()
    composer = maya_client.get(card.url)
    assert composer.status_code == 200 and card.request in composer.content.decode()


def test_maya_has_next_steps_of_several_kinds(maya_client):
    steps = maya_client.get(reverse("home")).context["next_steps"]

    kinds = {step.kind for step, _url in steps}
    assert len(steps) == 5 and len(kinds) >= 4
    assert {"offer", "thank", "follow-up"} <= kinds


def test_maya_gets_ranked_people_with_reasons_and_a_wildcard(maya_client):
    response = maya_client.get(reverse("nudges:whom"), {"kind": "job_lead"})
    ranking = response.context["suggestions"]

    assert len(ranking.people) == 10 and all(s.reasons for s in ranking.people)
    # leads: her partner and family belong to support asks, however diverse that would look
    assert not {"partner", "family"} & {s.relationship for s in ranking.people}
    assert ranking.wildcard is not None and ranking.wildcard.reasons
    assert "Wildcard" in response.content.decode()
    support = maya_client.get(reverse("nudges:whom"), {"kind": "emotional_support"})
    assert len({s.relationship for s in support.context["suggestions"].people}) >= 3


def test_a_demo_target_page_names_people_to_ask_there_with_reasons(maya_client):
    target = Target.objects.get(owner=maya_client.maya, company="Lumen Labs")
    response = maya_client.get(reverse("network:target", args=[target.pk]))
    ranking = response.context["suggestions"]

    assert ranking is not None and ranking.people
    assert any("Lumen Labs" in s.reason for s in ranking.people)
    assert escape(ranking.people[0].reason) in response.content.decode()


def test_every_insights_chart_has_data_in_the_demo(maya_client):
    response = maya_client.get(reverse("insights:page"))
    body = response.content.decode()

    for chart in ("asks", "rates", "funnel", "checkins", "helpers"):
        assert response.context[chart]["empty"] is False, chart
        assert response.context[chart]["desc"] in body
    assert response.context["checkins"]["asks"] and response.context["checkins"]["rejections"]


@pytest.mark.parametrize("kind", ["introduction", "referral", "job_lead"])
def test_an_ask_that_names_lumen_labs_ranks_the_people_there_first(maya_client, kind):
    """Written in the composer with no target chosen: the words alone name the company."""
    created = maya_client.post(
        reverse("asks:new"),
        {
            "kind": kind,
            "request": "Would you help me reach someone on Lumen Labs' design team?",
            "why": "I'm applying for their Senior Product Designer role.",
            "follow_up_days": 5,
        },
    )
    assert created.status_code == 302
    response = maya_client.get(created.url)
    ranking = response.context["suggestions"]
    lumen = set(
        Person.objects.filter(
            owner=maya_client.maya, company_key=company_key("Lumen Labs")
        ).values_list("id", flat=True)
    )
    assert len(lumen) >= 10  # enough to fill the list
    assert set(ranking.ids) <= lumen
    assert "Works at Lumen Labs" in ranking.people[0].reasons[0]


def test_the_demos_draft_referral_at_lumen_labs_lists_the_people_there_first(maya_client):
    ask = Ask.objects.get(owner=maya_client.maya, kind="referral", target__company="Lumen Labs")
    ranking = maya_client.get(reverse("asks:detail", args=[ask.pk])).context["suggestions"]
    keys = dict(Person.objects.filter(owner=maya_client.maya).values_list("id", "company_key"))
    assert ranking.ids and all(keys[i] == company_key("Lumen Labs") for i in ranking.ids)


def test_maya_is_reminded_to_ask_the_person_a_helper_suggested(maya_client):
    steps = maya_client.get(reverse("home")).context["next_steps"]
    texts = [step.text for step, _url in steps if step.kind == "suggested"]
    assert texts and texts[0].startswith("Ask Jane Holloway, whom ")
