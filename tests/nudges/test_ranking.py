"""Whom to ask: the pure ranking, with tables and hypothesis properties."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from helpwanted.nudges.ranking import (
    WILDCARD_ADVICE,
    AskContext,
    Candidate,
    CompanyLink,
    rank,
    score,
    tie_strength,
    usual_relationships,
    words,
)

TODAY = date(2026, 3, 13)  # a Friday
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
    kwargs.setdefault("asked", 1)  # neutral history unless a test says otherwise
    return Candidate(id=id, **kwargs)


CLOSEST = dict(relationship="partner", closeness=5, messages_count=400, audience="inner")
MIDDLE = dict(relationship="former_colleague", closeness=2, messages_count=4)
STRANGER = dict(relationship="acquaintance", closeness=1, messages_count=0)


# Tie strength and fit ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["introduction", "referral", "job_lead"])
def test_leads_prefer_a_moderately_weak_tie_over_the_closest_and_a_stranger(kind):
    people = [person(1, **CLOSEST), person(2, **MIDDLE), person(3, **STRANGER)]
    ranking = rank(people, ctx(kind), limit=None)
    assert ranking.ids[0] == 2
    assert tie_strength(people[2], TODAY) < tie_strength(people[1], TODAY)
    assert tie_strength(people[1], TODAY) < tie_strength(people[0], TODAY)


@pytest.mark.parametrize("kind", ["emotional_support", "practical_help", "accountability"])
def test_support_puts_the_strongest_ties_first(kind):
    people = [person(3, **STRANGER), person(2, **MIDDLE), person(1, **CLOSEST)]
    assert rank(people, ctx(kind), limit=None).ids == [1, 2, 3]


@pytest.mark.parametrize(
    ("strength", "expected_first"),
    [
        # messages exchanged alone, with no closeness given: a handful beats none and hundreds
        ((0, 5, 500), 5),
        ((0, 5), 5),
        ((5, 500), 5),
    ],
)
def test_interaction_intensity_draws_the_inverted_u_for_leads(strength, expected_first):
    people = [person(n + 1, messages_count=n) for n in strength]
    assert rank(people, ctx("referral"), limit=None).ids[0] == expected_first + 1


def test_a_weak_tie_gets_the_reason_about_openings():
    weak = person(
        2,
        name="Priya Shah",
        company="ACME INC",  # as the import spelled it; the reason uses the seeker's "Acme"
        company_key="acme",
        connected_on=TODAY - timedelta(days=2 * 365 + 10),
        asked=0,
    )
    link = CompanyLink(company="Acme", stage="applied", stage_on=date(2026, 3, 10))
    ranking = rank([weak], ctx("job_lead", companies={"acme": link}))
    assert ranking.people[0].reason == (
        "Works at Acme, where you applied on Tuesday. You've never asked Priya Shah. "
        "You connected on LinkedIn 2 years ago: people like this are the ones most likely "
        "to know of openings."
    )


# Relevance --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("link", "sentence"),
    [
        (CompanyLink("Acme", target=True), "Works at Acme, one of your target companies."),
        (CompanyLink("Acme", stage="interviewing"), "Works at Acme, where you're interviewing."),
        (
            CompanyLink("Acme", stage="applied", stage_on=date(2026, 1, 2)),
            "Works at Acme, where you applied on 2 January.",
        ),
        (
            CompanyLink("Acme", stage="applied", stage_on=date(2025, 11, 2)),
            "Works at Acme, where you applied in November 2025.",
        ),
    ],
)
def test_someone_at_a_company_that_matters_ranks_up_and_says_why(link, sentence):
    same = dict(relationship="classmate", messages_count=3)
    there = person(1, company="Acme", company_key="acme", **same)
    elsewhere = person(2, company="Globex", company_key="globex", **same)
    ranking = rank([elsewhere, there], ctx(companies={"acme": link}), limit=None)
    assert ranking.ids == [1, 2]
    assert ranking.people[0].reasons[0] == sentence


def test_the_company_an_ask_is_about_outranks_everything_else():
    there = person(1, company="Acme", company_key="acme", **CLOSEST)
    others = [person(i, **MIDDLE, asked=0) for i in range(2, 6)]
    ranking = rank([*others, there], ctx(focus_keys=frozenset({"acme"}), focus_company="Acme"))
    assert ranking.ids[0] == 1


def test_position_words_matching_the_ask_rank_up():
    designer = person(1, position="Senior Product Designer", **MIDDLE)
    accountant = person(2, position="Accountant", **MIDDLE)
    context = ctx("advice", words=words("Could we talk about product design roles?"))
    ranking = rank([accountant, designer], context, limit=None)
    assert ranking.ids == [1, 2]
    assert "Their role, Senior Product Designer, matches" in ranking.people[0].reason


def test_the_same_field_as_the_roles_sought_ranks_up():
    nurse = person(1, position="Nurse", **MIDDLE)
    teacher = person(2, position="Teacher", **MIDDLE)
    ranking = rank([teacher, nurse], ctx(field_words=words("Staff Nurse")), limit=None)
    assert ranking.ids == [1, 2]
    assert "Works in your field, as Nurse." in ranking.people[0].reasons


# History ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["job_lead", "emotional_support", "advice"])
def test_never_asked_ranks_above_the_same_person_asked_before(kind):
    asked = person(1, **MIDDLE, asked=2, last_asked_on=TODAY - timedelta(days=200))
    never = person(2, **MIDDLE, asked=0)
    ranking = rank([asked, never], ctx(kind), limit=None)
    assert ranking.ids == [2, 1]
    assert "You've never asked Person 2." in ranking.people[0].reasons


def test_said_yes_before_ranks_up():
    yes = person(1, **MIDDLE, asked=1, said_yes=1, last_asked_on=TODAY - timedelta(days=90))
    no = person(2, **MIDDLE, asked=1, last_asked_on=TODAY - timedelta(days=90))
    ranking = rank([no, yes], ctx(), limit=None)
    assert ranking.ids == [1, 2]
    assert "Person 1 said yes when you asked before." in ranking.people[0].reasons


@pytest.mark.parametrize(
    ("history", "demoted"),
    [
        (dict(last_asked_on=TODAY - timedelta(days=29)), True),
        (dict(last_asked_on=TODAY - timedelta(days=30)), False),
        (dict(open_asks=2), True),  # the cap
        (dict(open_asks=1), False),
    ],
)
def test_over_asked_people_are_demoted(history, demoted):
    # the over-asked person would otherwise be first: they work at a target company
    busy = person(1, company_key="acme", company="Acme", **MIDDLE, **history)
    rest = [person(i, **MIDDLE) for i in range(2, 5)]
    context = ctx(companies={"acme": CompanyLink("Acme", target=True)}, open_cap=2)
    ranking = rank([busy, *rest], context, limit=None)
    assert (ranking.ids[-1] == 1) is demoted
    assert (ranking.ids[0] == 1) is not demoted
    assert ranking.people[ranking.ids.index(1)].can_add is (
        "open_asks" not in history or not demoted
    )


def test_opted_out_people_are_never_suggested():
    out = person(1, **MIDDLE, asked=0, opted_out=True, company_key="acme")
    others = [person(i, **STRANGER) for i in range(2, 14)]
    context = ctx(focus_keys=frozenset({"acme"}))
    ranking = rank([out, *others], context)
    assert 1 not in ranking.ids
    assert ranking.wildcard is not None and ranking.wildcard.id != 1
    assert ranking.considered == 12
    assert 1 not in rank([out, *others], context, limit=None).ids


# Wildcard ---------------------------------------------------------------------------------


def test_one_wildcard_outside_the_usual_relationships_with_the_advice():
    colleagues = [person(i, **MIDDLE, asked=0) for i in range(1, 13)]
    recruiter = person(99, relationship="recruiter")
    ranking = rank([*colleagues, recruiter], ctx("job_lead"), limit=3)
    wildcard = ranking.wildcard
    assert wildcard is not None and wildcard.id == 99 and wildcard.wildcard
    assert wildcard.label == "Wildcard"
    assert (
        wildcard.reasons[0] == "Someone you might not think of: you don't usually ask a recruiter."
    )
    assert wildcard.reasons[-1] == WILDCARD_ADVICE
    assert 99 not in ranking.ids
    assert not any(s.wildcard for s in ranking.people)


def test_the_wildcard_falls_back_to_a_weak_tie_never_asked():
    asked = [person(i, relationship="friend", closeness=2, asked=1) for i in range(1, 12)]
    never = [person(i, relationship="friend", closeness=2, asked=0) for i in range(50, 55)]
    ranking = rank([*asked, *never], ctx(usual_relationships=frozenset({"friend"})), limit=3)
    assert ranking.ids == [50, 51, 52]
    assert ranking.wildcard is not None and ranking.wildcard.id == 53
    assert ranking.wildcard.reasons[0] == "Someone you might not think of."


def test_there_is_no_wildcard_when_nobody_is_left():
    people = [person(i, **MIDDLE) for i in range(1, 4)]
    assert rank(people, ctx(), limit=10).wildcard is None


def test_the_wildcard_is_never_someone_opted_out_or_just_asked():
    shown = [person(i, **MIDDLE) for i in range(1, 11)]
    out = person(20, relationship="classmate", opted_out=True, asked=0)
    just_asked = person(21, relationship="recruiter", last_asked_on=TODAY - timedelta(days=3))
    assert rank([*shown, out, just_asked], ctx(), limit=2).wildcard is None
    fine = person(22, relationship="recruiter")
    assert rank([*shown, out, just_asked, fine], ctx(), limit=2).wildcard.id == 22


# Diversity --------------------------------------------------------------------------------


def test_the_top_ten_spans_several_relationships():
    colleagues = [
        person(i, relationship="former_colleague", closeness=2, messages_count=4, asked=0)
        for i in range(1, 21)
    ]
    friends = [person(100 + i, relationship="friend", closeness=2) for i in range(5)]
    classmates = [person(200 + i, relationship="classmate", messages_count=2) for i in range(5)]
    people = [*colleagues, *friends, *classmates]
    assert min(score(c, ctx()) for c in colleagues) > max(
        score(c, ctx()) for c in [*friends, *classmates]
    )
    top = rank(people, ctx(), limit=10).people
    relationships = [s.relationship for s in top]
    assert len(set(relationships)) >= 3
    assert relationships.count("former_colleague") <= 6
    assert relationships[0] == "former_colleague"  # the best still comes first


def test_a_single_relationship_still_fills_the_list():
    people = [person(i, **MIDDLE) for i in range(1, 16)]
    assert len(rank(people, ctx(), limit=10).people) == 10


# Usual relationships ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("asked", "usual"),
    [
        ([], {"partner", "family", "friend"}),
        (["friend"] * 8 + ["classmate"], {"friend"}),
        (
            ["friend"] * 4 + ["former_colleague"] * 4 + ["mentor"] * 2,
            {"friend", "former_colleague", "mentor"},
        ),
    ],
)
def test_usual_relationships_are_the_ones_the_seeker_asks(asked, usual):
    people = [person(i, relationship=r, asked=1) for i, r in enumerate(asked)]
    people.append(person(999, relationship="recruiter", asked=0))
    assert usual_relationships(people) == usual


# Properties -------------------------------------------------------------------------------

KINDS = ["job_lead", "referral", "introduction", "emotional_support", "practical_help", "advice"]
COMPANIES = ["", "acme", "globex", "initech"]
POSITIONS = ["", "Product Designer", "Software Engineer", "Nurse", "Recruiter"]


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
                name=f"Person {i}",
                relationship=draw(st.sampled_from(RELATIONSHIPS)),
                closeness=draw(st.none() | st.integers(1, 5)),
                messages_count=draw(st.sampled_from([0, 0, 1, 3, 10, 80, 500])),
                company=company.title(),
                company_key=company,
                position=draw(st.sampled_from(POSITIONS)),
                connected_on=draw(st.none() | st.dates(date(2005, 1, 1), TODAY)),
                asked=asked,
                said_yes=draw(st.integers(0, asked)),
                last_asked_on=None if not asked or days is None else TODAY - timedelta(days=days),
                open_asks=draw(st.integers(0, min(asked, 3))),
                audience=draw(st.sampled_from(["", "", "inner", "supporters", "network"])),
                opted_out=draw(st.booleans()) and draw(st.booleans()),
            )
        )
    return people


@st.composite
def contexts(draw):
    return AskContext(
        kind=draw(st.sampled_from(KINDS)),
        today=TODAY,
        words=words(draw(st.sampled_from(["", "design roles", "nursing jobs", "engineering"]))),
        field_words=words(draw(st.sampled_from(["", "Software Engineer", "Nurse"]))),
        companies={
            "acme": CompanyLink("Acme", target=True),
            "globex": CompanyLink("Globex", stage="applied", stage_on=TODAY - timedelta(days=3)),
        },
        focus_keys=draw(st.sampled_from([frozenset(), frozenset({"initech"})])),
        usual_relationships=frozenset(draw(st.sets(st.sampled_from(RELATIONSHIPS), max_size=3))),
        open_cap=2,
    )


@settings(max_examples=150, deadline=None)
@given(candidates(), contexts(), st.randoms(use_true_random=False))
def test_ranking_is_deterministic_whatever_the_input_order(people, context, rnd):
    first = rank(people, context)
    shuffled = list(people)
    rnd.shuffle(shuffled)
    again = rank(shuffled, context)
    assert again == first
    assert rank(people, context, limit=None) == rank(shuffled, context, limit=None)


@settings(max_examples=150, deadline=None)
@given(candidates(), contexts(), st.integers(1, 12))
def test_nobody_appears_twice_and_the_short_list_is_the_head_of_the_long_one(
    people, context, limit
):
    full = rank(people, context, limit=None).ids
    short = rank(people, context, limit=limit)
    assert len(full) == len(set(full)) == sum(not c.opted_out for c in people)
    assert short.ids == full[:limit]
    if short.wildcard is not None:
        assert short.wildcard.id not in short.ids
        assert short.wildcard.id in full


@settings(max_examples=200, deadline=None)
@given(candidates(min_size=1), contexts(), st.sampled_from(RELATIONSHIPS), st.data())
def test_adding_an_irrelevant_person_never_changes_the_order_of_the_others(
    people, context, relationship, data
):
    """Irrelevant: no company, no matching role, a stranger asked yesterday and at the cap,
    so they score below everyone; or anyone who opted out."""
    new_id = max(c.id for c in people) + data.draw(st.integers(1, 5))
    irrelevant = Candidate(
        id=new_id,
        name="Nobody Relevant",
        relationship=relationship,
        asked=3,
        last_asked_on=TODAY - timedelta(days=1),
        open_asks=3,
    )
    eligible = [c for c in people if not c.opted_out]
    assume(all(score(irrelevant, context) < score(c, context) for c in eligible))
    before = rank(people, context, limit=None).ids
    position = data.draw(st.integers(0, len(people)))
    after = rank([*people[:position], irrelevant, *people[position:]], context, limit=None).ids
    assert [i for i in after if i != new_id] == before

    opted_out = replace(people[0], id=new_id, opted_out=True, asked=0)
    assert rank([*people, opted_out], context) == rank(people, context)
