"""The demo shows issue 6 at work: Maya's recent dip, her next steps, whom to ask, her charts."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from helpwanted.circle.models import Audience, CircleMember
from helpwanted.demo.seed import demo_seed
from helpwanted.network.models import Target

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
