"""Suggestions that fit the ask (issue 10): the company an ask names comes first for leads,
partner and family don't take lead places through diversity, nobody appears twice, and
nobody still to answer an ask is suggested for another. Pure: tables and properties."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpwanted.nudges.ranking import (
    CLOSE_RELATIONSHIPS,
    WEAK_KINDS,
    AskContext,
    Candidate,
    mentioned_company_keys,
    rank,
)

TODAY = date(2026, 3, 13)
LEADS = sorted(WEAK_KINDS)
RELATIONSHIPS = [
    "partner",
    "family",
    "friend",
    "former_colleague",
    "classmate",
    "mentor",
    "recruiter",
    "acquaintance",
    "other",
]


def ctx(kind: str = "job_lead", **kwargs) -> AskContext:
    kwargs.setdefault("usual_relationships", frozenset({"friend", "former_colleague"}))
    return AskContext(kind=kind, today=TODAY, **kwargs)


def person(id: int, **kwargs) -> Candidate:
    kwargs.setdefault("name", f"Person {id}")
    kwargs.setdefault("asked", 1)
    return Candidate(id=id, **kwargs)


LUMEN = dict(company="Lumen Labs Ltd.", company_key="lumen labs", relationship="acquaintance")


def maya_like() -> list[Candidate]:
    """The demo's shape: a partner and family, one of each close-ish tie, many acquaintances
    elsewhere, and two Lumen Labs contacts who score no better than anyone else."""
    close = [
        person(1, relationship="partner", closeness=5, audience="inner", asked=0),
        person(2, relationship="family", closeness=5, audience="inner", asked=0),
        person(3, relationship="family", closeness=4, audience="inner", asked=0),
        person(4, relationship="friend", closeness=4, asked=0),
        person(5, relationship="mentor", closeness=3, asked=0),
    ]
    others = [
        person(10 + i, relationship="acquaintance", company="Brightwell", company_key="brightwell")
        for i in range(30)
    ]
    lumen = [person(100, **LUMEN), person(101, **LUMEN, position="Designer")]
    return [*close, *others, *lumen]


# The company an ask names ------------------------------------------------------------------


@pytest.mark.parametrize("kind", LEADS)
def test_for_leads_the_people_at_the_named_company_come_first(kind):
    context = ctx(kind, focus_keys=frozenset({"lumen labs"}), focus_names={"lumen labs": "Lumen"})
    ranking = rank(maya_like(), context)
    assert ranking.ids[:2] == [100, 101] or ranking.ids[:2] == [101, 100]
    assert ranking.people[0].reasons[0] == "Works at Lumen, which your ask mentions."


def test_the_named_company_comes_first_even_for_a_partner_who_works_there():
    partner = person(1, relationship="partner", closeness=5, company_key="acme", company="Acme")
    others = [person(i, relationship="former_colleague", closeness=2) for i in range(2, 15)]
    ranking = rank([*others, partner], ctx("referral", focus_keys=frozenset({"acme"})))
    assert ranking.ids[0] == 1


def test_for_advice_the_named_company_is_a_boost_not_a_rule():
    # someone at Acme who already holds two open asks: for advice, a mentor who said yes before
    # comes first; for a lead, the company the ask names still decides
    there = person(
        1, company_key="acme", company="Acme", relationship="acquaintance", asked=2, open_asks=2
    )
    mentor = person(2, relationship="mentor", closeness=3, asked=1, said_yes=1)
    ranking = rank([there, mentor], ctx("advice", focus_keys=frozenset({"acme"})), limit=None)
    assert ranking.ids == [2, 1]
    with_lead = rank([there, mentor], ctx("job_lead", focus_keys=frozenset({"acme"})), limit=None)
    assert with_lead.ids == [1, 2]


# Partner and family in lead lists ---------------------------------------------------------


@pytest.mark.parametrize("kind", LEADS)
def test_for_leads_partner_and_family_do_not_take_top_ten_places(kind):
    ranking = rank(maya_like(), ctx(kind))
    assert len(ranking.people) == 10
    assert not CLOSE_RELATIONSHIPS & {s.relationship for s in ranking.people}
    assert ranking.wildcard is None or ranking.wildcard.relationship not in CLOSE_RELATIONSHIPS


def test_for_leads_partner_and_family_still_fill_a_short_list():
    people = [person(1, relationship="partner", closeness=5), person(2, relationship="friend")]
    assert rank(people, ctx("job_lead")).ids == [2, 1]


@pytest.mark.parametrize("kind", ["emotional_support", "practical_help", "accountability"])
def test_for_support_partner_and_family_come_first(kind):
    ranking = rank(maya_like(), ctx(kind))
    assert {s.relationship for s in ranking.people[:3]} == {"partner", "family"}


# Each person once -------------------------------------------------------------------------


def test_the_same_person_twice_by_id_appears_once():
    one = person(7, relationship="former_colleague", closeness=2)
    ranking = rank([one, replace(one), person(8)], ctx(), limit=None)
    assert ranking.ids.count(7) == 1 and ranking.considered == 2


def test_the_same_name_at_the_same_company_appears_once_keeping_the_better_record():
    hand = person(1, name="Priya Natarajan", company="Acme", company_key="acme", asked=3)
    imported = person(
        2,
        name="priya  natarajan",
        company="ACME Inc",
        company_key="acme",
        asked=0,
        messages_count=4,
    )
    ranking = rank([hand, imported, person(3)], ctx(), limit=None)
    assert ranking.ids.count(1) + ranking.ids.count(2) == 1
    assert 2 in ranking.ids  # never asked and a looser tie: the better fit for a lead


def test_the_same_name_at_different_companies_is_two_people():
    a = person(1, name="Sam Lee", company_key="acme")
    b = person(2, name="Sam Lee", company_key="globex")
    assert sorted(rank([a, b], ctx(), limit=None).ids) == [1, 2]


def test_someone_opted_out_once_is_out_even_if_listed_twice():
    one = person(7)
    assert rank([one, replace(one, opted_out=True)], ctx(), limit=None).ids == []


def test_a_record_left_out_never_hides_another_record_of_the_same_name():
    listed_twice = person(1, name="Sam Lee", company_key="acme", asked=0)
    other_record = person(2, name="Sam Lee", company_key="acme", asked=3)
    people = [listed_twice, replace(listed_twice, waiting=1), other_record]
    assert rank(people, ctx(), limit=None).ids == [2]


# Still waiting ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["job_lead", "emotional_support", "advice"])
def test_someone_still_to_answer_an_ask_is_never_suggested(kind):
    waiting = person(1, relationship="friend", closeness=4, asked=0, waiting=1)
    others = [person(i) for i in range(2, 5)]
    ranking = rank([waiting, *others], ctx(kind, focus_keys=frozenset()), limit=2)
    assert 1 not in rank([waiting, *others], ctx(kind), limit=None).ids
    assert ranking.wildcard is None or ranking.wildcard.id != 1
    assert ranking.considered == 3


def test_whoever_suggested_someone_is_named_in_their_reasons():
    ines = person(1, name="Ines Ortega", asked=0, suggested_by="Dana Park")
    assert "Dana Park suggested you ask them." in rank([ines], ctx()).people[0].reasons


# Companies named in the words of an ask ---------------------------------------------------

KEYS = {
    "lumen labs",
    "acme",
    "apple",
    "on",
    "next",
    "self employed",
    "freelance",
    "mcdonalds",
    "societe generale",
    "att",
    "ibm",
}


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Would you introduce me to someone on Lumen Labs' design team?", {"lumen labs"}),
        ("Could you refer me at LUMEN LABS LTD?", {"lumen labs"}),
        ("Do you know anyone in Acme's product team?", {"acme"}),
        ("I'd love to work at Apple.", {"apple"}),
        ("I'd love an apple and a chat about what's next.", set()),
        ("Anything on the next opening would help.", set()),
        ("I've been self-employed for years; any freelance leads?", set()),
        ("Anyone at McDonald's HQ?", {"mcdonalds"}),
        ("Anyone at Société Générale?", {"societe generale"}),
        ("Anyone at AT&T or IBM?", {"att", "ibm"}),
        ("", set()),
    ],
)
def test_the_companies_an_ask_names_are_found_loosely(text, found):
    assert mentioned_company_keys(text, KEYS) == found


# Properties -------------------------------------------------------------------------------

COMPANIES = ["", "acme", "globex", "initech"]


@st.composite
def candidates(draw, min_size=0, max_size=30):
    n = draw(st.integers(min_size, max_size))
    ids = draw(st.lists(st.integers(1, 10_000), min_size=n, max_size=n, unique=True))
    people = []
    for i in ids:
        asked = draw(st.integers(0, 3))
        days = draw(st.none() | st.integers(0, 400))
        company = draw(st.sampled_from(COMPANIES))
        people.append(
            Candidate(
                id=i,
                name=draw(st.sampled_from([f"Person {i}", "Sam Lee", "sam  lee", "Ines Ortega"])),
                relationship=draw(st.sampled_from(RELATIONSHIPS)),
                closeness=draw(st.none() | st.integers(1, 5)),
                messages_count=draw(st.sampled_from([0, 0, 1, 3, 10, 80, 500])),
                company=company.title(),
                company_key=company,
                asked=asked,
                said_yes=draw(st.integers(0, asked)),
                last_asked_on=None if not asked or days is None else TODAY - timedelta(days=days),
                open_asks=draw(st.integers(0, min(asked, 3))),
                audience=draw(st.sampled_from(["", "", "inner", "supporters"])),
                opted_out=draw(st.booleans()) and draw(st.booleans()),
                waiting=draw(st.sampled_from([0, 0, 0, 1])),
            )
        )
    # some people reached twice: the same record again, or a copy with other history
    for c in draw(st.lists(st.sampled_from(people), max_size=5)) if people else []:
        people.append(replace(c, asked=draw(st.integers(0, 3))))
    return people


@st.composite
def contexts(draw, kinds=("job_lead", "referral", "introduction", "emotional_support", "advice")):
    return AskContext(
        kind=draw(st.sampled_from(list(kinds))),
        today=TODAY,
        focus_keys=draw(
            st.sampled_from([frozenset(), frozenset({"initech"}), frozenset({"acme"})])
        ),
        usual_relationships=frozenset(draw(st.sets(st.sampled_from(RELATIONSHIPS), max_size=3))),
        open_cap=2,
    )


def _identity(s) -> tuple[str, str]:
    return (" ".join(s.name.casefold().split()), s.company.casefold())


@settings(max_examples=200, deadline=None)
@given(candidates(), contexts(), st.sampled_from([None, 3, 10]))
def test_nobody_appears_twice_by_id_or_by_name_and_company(people, context, limit):
    ranking = rank(people, context, limit=limit)
    shown = list(ranking.people) + ([ranking.wildcard] if ranking.wildcard else [])
    assert len({s.id for s in shown}) == len(shown)
    assert len({_identity(s) for s in shown}) == len(shown)
    assert not {s.id for s in shown} & {c.id for c in people if c.opted_out or c.waiting}


@settings(max_examples=200, deadline=None)
@given(candidates(), contexts(kinds=LEADS))
def test_for_leads_everyone_at_the_named_company_comes_before_everyone_else(people, context):
    ids = rank(people, context, limit=None).ids
    at = {c.id for c in people if c.company_key in context.focus_keys}
    flags = [i in at for i in ids]
    assert flags == sorted(flags, reverse=True)  # all True first, then all False


@settings(max_examples=200, deadline=None)
@given(candidates(min_size=10), contexts(kinds=LEADS))
def test_for_leads_partner_and_family_take_no_top_ten_place_while_others_can(people, context):
    everyone = rank(people, context, limit=None).people
    others = [s for s in everyone if s.relationship not in CLOSE_RELATIONSHIPS]
    at_focus = {c.id for c in people if c.company_key and c.company_key in context.focus_keys}
    top = rank(people, context, limit=10).people
    if len(others) >= 10:
        assert all(s.id in at_focus for s in top if s.relationship in CLOSE_RELATIONSHIPS), (
            "only the company the ask names brings partner or family into a lead list"
        )
