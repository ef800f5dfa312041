"""Whom to ask, through the client: the ask page, the target page, the nudges page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from helpwanted.asks.actions import ask_create, ask_send, recipient_add, recipient_record_answer
from helpwanted.asks.models import Recipient
from helpwanted.circle.actions import circle_add
from helpwanted.journey.models import Opportunity
from helpwanted.network.actions import person_create
from helpwanted.network.models import Person
from helpwanted.network.targets import target_add

pytestmark = pytest.mark.django_db


def people(owner, n: int, prefix: str = "Pat", **fields) -> list[Person]:
    return [
        person_create(owner=owner, fields={"name": f"{prefix} {i}", **fields}) for i in range(n)
    ]


@pytest.fixture
def acme_people(alice):
    """Three people at Acme: a close friend, a rarely-messaged former colleague, a stranger."""
    make = lambda **f: person_create(owner=alice, fields={"company": "Acme Inc.", **f})  # noqa: E731
    return {
        "close": make(name="Chloé Close", relationship="friend", closeness=5, messages_count=300),
        "weak": make(
            name="Wendell Weak",
            relationship="former_colleague",
            closeness=2,
            messages_count=4,
            position="Product Designer",
        ),
        "stranger": make(name="Sam Stranger", relationship="acquaintance", closeness=1),
    }


@pytest.fixture
def acme(alice):
    return target_add(owner=alice, company="ACME Corporation", why="Design tools I use daily.")


def test_the_target_page_ranks_the_people_there_with_reasons(alice_client, acme, acme_people):
    response = alice_client.get(reverse("network:target", args=[acme.pk]))
    ranking = response.context["suggestions"]
    assert ranking.ids[0] == acme_people["weak"].pk
    assert set(ranking.ids) == {p.pk for p in acme_people.values()}
    body = response.content.decode()
    assert "Who to ask first at ACME Corporation" in body
    assert "Works at ACME Corporation, one of your target companies." in body
    assert "You&#x27;ve never asked Wendell Weak." in body
    assert f"to={acme_people['weak'].pk}&amp;kind=referral&amp;target={acme.pk}" in body


def test_the_ask_page_suggests_people_for_its_kind_and_adds_one_with_one_click(
    alice_client, alice, acme, acme_people
):
    Opportunity.objects.create(
        owner=alice,
        company="Acme",
        company_key="acme",
        role="Product Designer",
        stage="applied",
        stage_changed_at=timezone.now() - timedelta(days=2),
    )
    ask = ask_create(
        owner=alice,
        fields={"kind": "referral", "request": "Would you refer me for the product designer role?"},
    )
    response = alice_client.get(reverse("asks:detail", args=[ask.pk]))
    body = response.content.decode()
    assert "Suggest people" in body
    first = response.context["suggestions"].people[0]
    assert first.id == acme_people["weak"].pk
    # the company as the seeker wrote it on their application, not the contact's "Acme Inc."
    assert first.reasons[0].startswith("Works at Acme, where you applied ")
    assert "Their role, Product Designer, matches what you&#x27;re asking about." in body

    added = alice_client.post(
        reverse("asks:recipient_add", args=[ask.pk]), {"person": acme_people["weak"].pk}
    )
    assert added.status_code == 302
    assert list(ask.recipients.values_list("person_id", flat=True)) == [acme_people["weak"].pk]
    after = alice_client.get(reverse("asks:detail", args=[ask.pk])).context["suggestions"]
    assert acme_people["weak"].pk not in after.ids


def test_support_asks_suggest_the_closest_first_and_skip_opted_out_people(
    alice_client, alice, acme_people
):
    out = person_create(owner=alice, fields={"name": "Olive Optedout", "relationship": "partner"})
    member = circle_add(person=out, audience="inner")
    member.unsubscribed_at = timezone.now()
    member.save(update_fields=["unsubscribed_at"])
    ask = ask_create(owner=alice, fields={"kind": "emotional_support", "request": "A walk?"})
    ranking = alice_client.get(reverse("asks:detail", args=[ask.pk])).context["suggestions"]
    assert ranking.ids[0] == acme_people["close"].pk
    assert out.pk not in ranking.ids
    assert ranking.wildcard is None or ranking.wildcard.id != out.pk


def test_someone_asked_recently_is_demoted(alice_client, alice, acme_people):
    earlier = ask_create(owner=alice, fields={"kind": "job_lead", "request": "Any leads?"})
    recipient = recipient_add(ask=earlier, person=acme_people["weak"])
    ask_send(ask=earlier)
    recipient.refresh_from_db()
    recipient_record_answer(recipient=recipient, answer="not_now")  # answered: not waiting
    ask = ask_create(owner=alice, fields={"kind": "job_lead", "request": "Any design leads?"})
    ranking = alice_client.get(reverse("asks:detail", args=[ask.pk])).context["suggestions"]
    assert ranking.ids[-1] == acme_people["weak"].pk
    assert "You asked them today: give them a little room." in ranking.people[-1].reasons


def test_the_nudges_page_ranks_for_the_chosen_kind(alice_client, acme_people):
    response = alice_client.get(reverse("nudges:whom"), {"kind": "emotional_support"})
    assert response.status_code == 200
    assert response.context["suggestions"].ids[0] == acme_people["close"].pk
    leads = alice_client.get(reverse("nudges:whom"), {"kind": "nonsense"})
    assert leads.context["kind"] == "job_lead"
    assert leads.context["suggestions"].ids[0] == acme_people["weak"].pk


def test_whom_to_ask_is_linked_from_home_and_the_asks_page(alice_client, acme_people):
    whom = reverse("nudges:whom")
    assert f'href="{whom}"' in alice_client.get(reverse("home")).content.decode()
    assert f'href="{whom}"' in alice_client.get(reverse("asks:list")).content.decode()


def test_the_nudges_page_needs_a_login(client):
    response = client.get(reverse("nudges:whom"))
    assert response.status_code == 302


def test_charlie_sees_none_of_alices_people(charlie_client, charlie, alice, acme_people, acme):
    response = charlie_client.get(reverse("nudges:whom"))
    assert response.context["suggestions"].ids == []
    assert "Wendell" not in response.content.decode()
    assert charlie_client.get(reverse("network:target", args=[acme.pk])).status_code == 404
    ask = ask_create(owner=alice, fields={"kind": "referral", "request": "Refer me?"})
    assert charlie_client.get(reverse("asks:detail", args=[ask.pk])).status_code == 404
    own = ask_create(owner=charlie, fields={"kind": "referral", "request": "Refer me?"})
    ranking = charlie_client.get(reverse("asks:detail", args=[own.pk])).context["suggestions"]
    assert ranking.ids == [] and ranking.wildcard is None
    denied = charlie_client.post(
        reverse("asks:recipient_add", args=[own.pk]), {"person": acme_people["weak"].pk}
    )
    assert denied.status_code == 404
    assert not Recipient.objects.filter(ask=own).exists()


def _queries(client, url, django_assert_max_num_queries, n):
    with django_assert_max_num_queries(n) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_query_count_does_not_grow_with_people(
    alice_client, alice, acme, django_assert_max_num_queries
):
    ask = ask_create(owner=alice, fields={"kind": "job_lead", "request": "Any design leads?"})
    urls = [
        reverse("asks:detail", args=[ask.pk]),
        reverse("network:target", args=[acme.pk]),
        reverse("nudges:whom"),
    ]
    people(alice, 3, company="Acme", relationship="friend")
    before = [_queries(alice_client, url, django_assert_max_num_queries, 40) for url in urls]
    some = people(alice, 30, company="Acme", relationship="classmate", prefix="Kim")
    people(alice, 30, company="Globex", relationship="former_colleague", prefix="Lee")
    circle_add(person=some[0], audience="inner")
    earlier = ask_create(owner=alice, fields={"kind": "advice", "request": "A chat?"})
    for p in some[:5]:
        recipient_add(ask=earlier, person=p)
    ask_send(ask=earlier)
    after = [_queries(alice_client, url, django_assert_max_num_queries, 40) for url in urls]
    assert after == before
