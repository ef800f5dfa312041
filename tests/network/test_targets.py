"""Targets: the companies a seeker wants to work at, and "who do I know at X?"."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import example, given, settings
from hypothesis import strategies as st

from helpwanted.network.companies import companies_match, company_key
from helpwanted.network.models import Person, Relationship, Target
from helpwanted.network.selectors import (
    matching_company_keys,
    people_at_company,
    target_summaries,
    targets_for_person,
)
from helpwanted.network.targets import target_add, target_remove

pytestmark = pytest.mark.django_db


def person(owner, name, company="", **fields) -> Person:
    return Person.objects.create(
        owner=owner, name=name, company=company, company_key=company_key(company), **fields
    )


def names(people) -> list[str]:
    return [p.name for p in people]


# --------------------------------------------------------------------------- selectors


def test_acme_inc_finds_people_at_acme_corporation_and_acme_but_not_at_acne(alice):
    person(alice, "Ada", "ACME Corporation")
    person(alice, "Ben", "acme")
    person(alice, "Cy", "Acme, Inc")
    person(alice, "Dee", "Acne")
    person(alice, "Eve", "Acme Widgets")
    person(alice, "Fay", "")

    assert sorted(names(people_at_company(alice, "Acme Inc."))) == ["Ada", "Ben", "Cy"]


def test_long_company_names_match_despite_a_typo(alice):
    person(alice, "Ada", "Globex Logistic")
    person(alice, "Ben", "Globex Logistics Ltd")
    person(alice, "Cy", "Globex Robotics")

    assert sorted(names(people_at_company(alice, "Globex Logistics"))) == ["Ada", "Ben"]


def test_archived_people_and_other_seekers_people_are_left_out(alice, charlie):
    person(alice, "Ada", "Acme")
    person(alice, "Ben", "Acme", archived_at=timezone.now())
    person(charlie, "Cy", "Acme")

    assert names(people_at_company(alice, "Acme Inc.")) == ["Ada"]


def test_the_closest_people_come_first_then_by_name_with_unknown_closeness_last(alice):
    person(alice, "Zoe", "Acme", closeness=2)
    person(alice, "Ada", "Acme")
    person(alice, "Max", "Acme", closeness=5)
    person(alice, "Bea", "Acme", closeness=2)

    assert names(people_at_company(alice, "Acme")) == ["Max", "Bea", "Zoe", "Ada"]
    assert names(people_at_company(alice, "Acme", limit=2)) == ["Max", "Bea"]


def test_a_blank_company_matches_nobody(alice):
    person(alice, "Ada", "")
    person(alice, "Ben", "Acme")

    assert people_at_company(alice, "   ") == []


def test_who_do_i_know_at_a_company_takes_two_queries_however_many_people(
    alice, django_assert_max_num_queries
):
    for i in range(40):
        person(alice, f"Person {i}", ["Acme", "Acme Inc", "Initech", f"Company {i}"][i % 4])

    with django_assert_max_num_queries(2):
        found = people_at_company(alice, "ACME Corporation")
    assert len(found) == 20


COMPANY_WORDS = st.sampled_from(
    ["acme", "acne", "globex", "global", "logistics", "logistic", "initech", "the", "and", "2"]
)
SUFFIXES = st.sampled_from(["", " Inc.", " Ltd", " Corporation", " GmbH", " & Co."])
COMPANY_NAMES = st.builds(
    lambda words, suffix: " ".join(words) + suffix,
    st.lists(COMPANY_WORDS, min_size=1, max_size=3),
    SUFFIXES,
)


@settings(max_examples=150, deadline=None, database=None)
@given(company=COMPANY_NAMES, others=st.lists(COMPANY_NAMES, max_size=12))
@example(company="acme", others=["the the acme"])  # keys must be fixed points of normalising
def test_the_fast_key_matcher_agrees_with_companies_match(company, others):
    keys = [company_key(name) for name in others]
    wanted = company_key(company)
    expected = {k for k in keys if k and (k == wanted or companies_match(company, k))}

    assert matching_company_keys(company, keys) == expected


def test_a_person_shows_the_targets_at_their_company(alice, charlie):
    acme = Target.objects.create(owner=alice, company="Acme Inc.", company_key="acme")
    Target.objects.create(owner=alice, company="Initech", company_key="initech")
    Target.objects.create(owner=charlie, company="Acme", company_key="acme")
    ada = person(alice, "Ada", "ACME Corporation")
    nobody = person(alice, "Ben", "")

    assert targets_for_person(ada) == [acme]
    assert targets_for_person(nobody) == []


def test_each_target_counts_the_people_known_there(alice, charlie):
    target_add(owner=alice, company="Acme Inc.")
    target_add(owner=alice, company="Initech")
    target_add(owner=alice, company="Globex Logistics")
    person(alice, "Ada", "ACME Corporation")
    person(alice, "Ben", "acme")
    person(alice, "Cy", "Acne")
    person(alice, "Dee", "Globex Logistic")
    person(alice, "Eve", "Acme", archived_at=timezone.now())
    person(charlie, "Fay", "Initech")

    summary = {t.company: n for t, n in target_summaries(alice)}

    assert summary == {"Acme Inc.": 2, "Initech": 0, "Globex Logistics": 1}


def test_target_summaries_take_the_same_queries_for_one_target_or_twenty(
    alice, django_assert_max_num_queries
):
    for i in range(30):
        person(alice, f"Person {i}", f"Company number {i % 20}")
    target_add(owner=alice, company="Company number 1")
    with django_assert_max_num_queries(2):
        assert [n for _, n in target_summaries(alice)] == [2]

    for i in range(2, 21):
        target_add(owner=alice, company=f"Company number {i}")
    with django_assert_max_num_queries(2):
        summaries = target_summaries(alice)
    assert len(summaries) == 20
    assert sum(n for _, n in summaries) == 28  # "Company number 20" is nobody's


# --------------------------------------------------------------------------- actions


def test_adding_a_target_stores_its_company_key(alice):
    target = target_add(owner=alice, company="  ACME   Corporation ", why="Kind people")

    assert (target.company, target.company_key, target.why) == (
        "ACME Corporation",
        "acme",
        "Kind people",
    )


def test_adding_the_same_company_twice_is_refused_with_a_clear_message(alice, charlie):
    target_add(owner=alice, company="Acme Inc.")

    with pytest.raises(ValidationError) as raised:
        target_add(owner=alice, company="ACME Corporation")

    assert raised.value.message_dict == {
        "company": [
            "ACME Corporation is already on your list (as “Acme Inc.”). You can open it from there."
        ]
    }
    target_add(owner=charlie, company="Acme")  # another seeker's list is separate
    assert Target.objects.filter(company_key="acme").count() == 2


def test_removing_a_target_keeps_the_people_who_work_there(alice):
    target = target_add(owner=alice, company="Acme")
    ada = person(alice, "Ada", "Acme")

    target_remove(target=target)

    assert not Target.objects.filter(owner=alice).exists()
    assert Person.objects.filter(pk=ada.pk).exists()


# --------------------------------------------------------------------------- views


def test_the_targets_page_says_how_many_people_you_know_at_each_company(alice_client, alice):
    target_add(owner=alice, company="Acme Inc.", why="They build tools for teachers")
    target_add(owner=alice, company="Initech")
    person(alice, "Ada", "ACME Corporation")
    person(alice, "Ben", "acme")

    response = alice_client.get(reverse("network:targets"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "2 people you know there" in html
    assert "Nobody you know there yet" in html
    assert "They build tools for teachers" in html


def test_the_targets_page_teaches_the_first_step_when_there_are_none(alice_client):
    response = alice_client.get(reverse("network:targets"))

    assert "No companies yet" in response.content.decode()


def test_the_targets_page_takes_the_same_queries_for_many_targets(
    alice_client, alice, django_assert_max_num_queries
):
    for i in range(15):
        target_add(owner=alice, company=f"Company number {i}")
        person(alice, f"Person {i}", f"Company number {i}")
    # session, user, targets, people per company key: nothing per target.
    with django_assert_max_num_queries(4):
        response = alice_client.get(reverse("network:targets"))
    assert response.content.decode().count("1 person you know there") == 15


def test_adding_a_target_takes_you_to_who_you_know_there(alice_client, alice):
    person(alice, "Ada", "ACME Corporation")

    response = alice_client.post(
        reverse("network:targets"), {"company": "Acme Inc.", "why": "Good mentors"}
    )

    target = Target.objects.get(owner=alice)
    assert response.status_code == 302
    assert response["Location"] == reverse("network:target", args=[target.id])
    assert (target.company, target.why) == ("Acme Inc.", "Good mentors")


def test_adding_a_company_already_on_the_list_shows_why_next_to_the_field(alice_client, alice):
    target_add(owner=alice, company="Acme Inc.")

    response = alice_client.post(reverse("network:targets"), {"company": "acme"})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "company": ["acme is already on your list (as “Acme Inc.”). You can open it from there."]
    }
    assert "field--error" in response.content.decode()
    assert Target.objects.filter(owner=alice).count() == 1


def test_adding_a_target_without_a_name_asks_for_one(alice_client, alice):
    response = alice_client.post(reverse("network:targets"), {"company": "  "})

    assert response.context["form"].errors == {"company": ["Enter the company's name."]}
    assert not Target.objects.exists()


def test_the_target_page_lists_who_you_know_there(alice_client, alice):
    target = target_add(owner=alice, company="Acme Inc.")
    ada = person(
        alice,
        "Ada Lovelace",
        "ACME Corporation",
        position="Head of Engineering",
        relationship=Relationship.FORMER_COLLEAGUE,
    )
    person(alice, "Dee Acne", "Acne")

    response = alice_client.get(reverse("network:target", args=[target.id]))

    html = response.content.decode()
    assert "Who do I know at Acme Inc.?" in html
    assert f'href="{reverse("network:person", args=[ada.id])}"' in html
    assert "Head of Engineering" in html
    assert "Former colleague" in html
    assert "Dee Acne" not in html


def test_the_target_page_takes_the_same_queries_however_many_people_work_there(
    alice_client, alice, django_assert_max_num_queries
):
    target = target_add(owner=alice, company="Acme Inc.")
    for i in range(60):
        person(
            alice,
            f"Person {i:02}",
            ["Acme", "ACME Corp", "Initech"][i % 3],
            closeness=i % 5 or None,
        )
    # session, user, target, the distinct company keys, the people at the matching ones, then
    # the ranked "people to ask there" (candidates, their asks, circle, targets, opportunities).
    with django_assert_max_num_queries(12):
        response = alice_client.get(reverse("network:target", args=[target.id]))
    assert "You know 40 people there." in response.content.decode()
    assert len(response.context["page"]) == 40


def test_the_target_page_suggests_next_steps_when_you_know_nobody_there(alice_client, alice):
    target = target_add(owner=alice, company="Initech")

    response = alice_client.get(reverse("network:target", args=[target.id]))

    html = response.content.decode()
    assert "Nobody you know there yet" in html
    assert reverse("network:import_upload") in html


def test_removing_a_target_asks_first_then_removes_it(alice_client, alice):
    target = target_add(owner=alice, company="Initech")
    url = reverse("network:target_delete", args=[target.id])

    confirm = alice_client.get(url)
    assert "Remove Initech from your list?" in confirm.content.decode()
    assert Target.objects.filter(pk=target.pk).exists()

    response = alice_client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("network:targets")
    assert not Target.objects.filter(pk=target.pk).exists()


@pytest.mark.parametrize("name", ["network:target", "network:target_delete"])
def test_another_seeker_gets_a_404_for_alices_target(charlie_client, alice, name):
    target = target_add(owner=alice, company="Acme")

    assert charlie_client.get(reverse(name, args=[target.id])).status_code == 404
    assert charlie_client.post(reverse(name, args=[target.id])).status_code in (404, 405)
    assert Target.objects.filter(pk=target.pk).exists()


def test_another_seeker_never_sees_alices_targets_in_their_list(charlie_client, alice):
    target_add(owner=alice, company="Acme Secret Project")

    response = charlie_client.get(reverse("network:targets"))

    assert "Acme Secret Project" not in response.content.decode()


@pytest.mark.parametrize("name", ["network:targets", "network:target", "network:target_delete"])
def test_anonymous_visitors_are_sent_to_log_in(client, alice, name):
    target = target_add(owner=alice, company="Acme")
    args = [] if name == "network:targets" else [target.id]

    for method in (client.get, client.post):
        response = method(reverse(name, args=args))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert Target.objects.filter(pk=target.pk).exists()


def test_posting_a_target_without_a_csrf_token_is_refused(csrf_client, alice):
    csrf_client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")

    refused = csrf_client.post(reverse("network:targets"), {"company": "Acme"})
    assert refused.status_code == 403
    assert not Target.objects.exists()

    csrf_client.get(reverse("network:targets"))
    token = csrf_client.cookies[django_settings.CSRF_COOKIE_NAME].value
    accepted = csrf_client.post(
        reverse("network:targets"), {"company": "Acme", "csrfmiddlewaretoken": token}
    )
    assert accepted.status_code == 302
    assert Target.objects.filter(owner=alice, company="Acme").exists()


def test_removing_a_target_without_a_csrf_token_is_refused(csrf_client, alice):
    csrf_client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    target = target_add(owner=alice, company="Acme")

    response = csrf_client.post(reverse("network:target_delete", args=[target.id]))

    assert response.status_code == 403
    assert Target.objects.filter(pk=target.pk).exists()
