"""Table tests and properties for the composer coach (a pure module: no database)."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpwanted.asks.coach import EXAMPLES, KINDS, Advice, CoachResult, review

TODAY = dt.date(2025, 11, 20)
NEXT_WEEK = TODAY + dt.timedelta(days=7)

# A good ask that gets no advice; each table row changes one thing about it.
GOOD = (
    "Would you introduce me to Priya Shah at Lumen Labs? I'm applying for their designer role "
    "and a chat would help me tailor my application. Could you send an intro by Friday?"
)
GOOD_REFERRAL = (
    "Would you refer me for the Senior Analyst role at Northwind? A referral from you would "
    "help me get past the first screen before applications close on Friday."
)
WHY = "I'm applying there and it would help me."
GOOD_WORDS = 32


def codes(result: CoachResult) -> list[str]:
    return [advice.code for advice in result.advice]


def coach(request, kind="introduction", **kwargs):
    kwargs.setdefault("today", TODAY)
    return review(kind=kind, request=request, **kwargs)


CASES = [
    # (id, keyword arguments for review(), expected advice codes in order)
    ("good", {"request": GOOD}, []),
    ("good with a date field", {"request": GOOD, "needed_by": NEXT_WEEK}, []),
    ("due today is fine", {"request": GOOD, "needed_by": TODAY}, []),
    # vague
    (
        "vague: hear of anything",
        {"request": "Let me know if you hear of anything!"},
        ["vague", "no_why", "no_date"],
    ),
    (
        "vague: pick your brain, curly quote and spaces",
        {
            "request": "Could I PICK  your\u2019 brain over coffee?",
            "why": WHY,
            "needed_by": NEXT_WEEK,
        },
        ["vague"],
    ),
    ("vague: any help", {"request": "Any help would be great. " + GOOD}, ["vague"]),
    ("vague: keep me in mind", {"request": GOOD + " Keep me in mind!"}, ["vague"]),
    ("vague: anything you can do", {"request": "Anything you can do! " + GOOD}, ["vague"]),
    ("vague: if you know anyone", {"request": "If you know anyone, " + GOOD}, ["vague"]),
    ("vague: keep an eye out", {"request": GOOD + " Keep an eye out too."}, ["vague"]),
    ("vague: touch base", {"request": GOOD + " Let's touch base."}, ["vague"]),
    # no why
    (
        "no why",
        {"request": "Would you introduce me to Priya Shah at Lumen Labs by Friday?"},
        ["no_why"],
    ),
    (
        "a very short why is no why",
        {"request": "Would you introduce me to Priya Shah by Friday?", "why": "jobs"},
        ["no_why"],
    ),
    (
        "the why field counts",
        {"request": "Would you introduce me to Priya Shah by Friday?", "why": WHY},
        [],
    ),
    *(
        (
            f"reason in the request: {reason}",
            {"request": f"Would you introduce me to Priya Shah by Friday, {reason} apply?"},
            [],
        )
        for reason in ("because I want to", "so that I can", "so I can", "as I'm about to")
    ),
    (
        "reason: I'm applying",
        {"request": "I'm applying at Acme. Would you introduce me to Priya by Friday?"},
        [],
    ),
    (
        "reason: to help me",
        {"request": "Would you review my CV by Friday to help me apply to Acme?"},
        [],
    ),
    # no date / date past
    (
        "no date",
        {"request": "Would you introduce me to Priya Shah? " + WHY},
        ["no_date"],
    ),
    *(
        (
            f"date words: {words}",
            {"request": f"Would you introduce me to Priya Shah {words}? {WHY}"},
            [],
        )
        for words in (
            "by Friday",
            "this week",
            "before the 12th",
            "by 5 December",
            "next Tuesday",
            "by December 5th",
            "by the end of the month",
            "within two weeks",
            "in the next few days",
            "before 2025-12-05",
            "by 12/12",
            "tomorrow",
            "by mid-January",
        )
    ),
    (
        "may the verb is not a date",
        {"request": "Would you introduce me to Priya Shah? You may know her. " + WHY},
        ["no_date"],
    ),
    (
        "date in the past",
        {
            "request": "Would you introduce me to Priya Shah? " + WHY,
            "needed_by": TODAY.replace(day=1),
        },
        ["date_past"],
    ),
    (
        "date in the past with date words still says so",
        {"request": GOOD, "needed_by": TODAY - dt.timedelta(days=1)},
        ["date_past"],
    ),
    # apologies and disclaimers
    *(
        (f"apology: {phrase}", {"request": f"{phrase}, {GOOD}"}, ["apology"])
        for phrase in (
            "Sorry to bother you",
            "Sorry to ask",
            "I know you're busy",
            "I know you\u2019re busy",
            "No pressure but",
            "No worries if not",
            "I hate to ask",
            "Feel free to ignore this",
        )
    ),
    (
        "apology in the why",
        {"request": GOOD, "why": "Sorry to bother you, I need a job."},
        ["apology"],
    ),
    # too long
    ("151 words", {"request": GOOD + " Really" * (151 - GOOD_WORDS)}, ["too_long"]),
    ("150 words is fine", {"request": GOOD + " Really" * (150 - GOOD_WORDS)}, []),
    # several requests
    (
        "several: two separate questions",
        {
            "request": "Could you review my CV for the Acme designer role? Would you introduce "
            "me to Sam Lee? " + WHY + " By Friday."
        },
        ["several"],
    ),
    ("several: and also", {"request": GOOD + " And also, could you read my CV?"}, ["several"]),
    ("several: another thing", {"request": GOOD + " Another thing: my CV."}, ["several"]),
    ("several: also, could you", {"request": GOOD + " Also, could you call Sam?"}, ["several"]),
    (
        "several: three could-you clauses",
        {
            "request": "Could you introduce me to Priya? Could you introduce me to Sam? Could "
            "you introduce me to Lee? " + WHY + " By Friday."
        },
        ["several"],
    ),
    # referral
    (
        "referral without a role",
        {"kind": "referral", "request": "Would you refer me at Northwind by Friday? " + WHY},
        ["referral_missing_role"],
    ),
    ("referral with a role", {"kind": "referral", "request": GOOD_REFERRAL}, []),
    *(
        (
            f"referral: {word}",
            {"kind": "referral", "request": f"Would you refer me for the {word} by Friday? {WHY}"},
            [],
        )
        for word in ("position", "job", "opening", "vacancy", "posting")
    ),
    (
        "referral with a link in the request",
        {
            "kind": "referral",
            "request": "Would you refer me for https://northwind.example/j/48 by Friday? " + WHY,
        },
        [],
    ),
    (
        "referral with role_or_link",
        {
            "kind": "referral",
            "request": "Would you refer me at Northwind by Friday? " + WHY,
            "role_or_link": "https://northwind.example/j/48",
        },
        [],
    ),
    (
        "only referrals need a role",
        {"kind": "introduction", "request": "Would you refer me at Northwind by Friday? " + WHY},
        [],
    ),
    # empty
    ("empty", {"request": ""}, ["empty"]),
    ("blank", {"request": "   \n\t ", "why": WHY, "needed_by": TODAY}, ["empty"]),
    ("punctuation only", {"request": "?!\u2026", "kind": "referral"}, ["empty"]),
]


@pytest.mark.parametrize(("kwargs", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_advice_table(kwargs, expected):
    kwargs = dict(kwargs)
    result = coach(kwargs.pop("request"), **kwargs)
    assert codes(result) == expected
    assert result.score == sum(
        (
            result.specific,
            result.meaningful,
            result.action_oriented,
            result.realistic,
            result.time_bound,
        )
    )


def test_every_piece_of_advice_is_plain_and_complete():
    seen: dict[str, Advice] = {}
    for _id, kwargs, _expected in CASES:
        kwargs = dict(kwargs)
        for advice in coach(kwargs.pop("request"), **kwargs).advice:
            seen[advice.code] = advice
    assert set(seen) == {
        "vague",
        "no_why",
        "no_date",
        "date_past",
        "apology",
        "too_long",
        "several",
        "referral_missing_role",
        "empty",
    }
    for advice in seen.values():
        assert advice.title and advice.explanation and advice.suggestion
        assert "should" not in (advice.explanation + advice.suggestion).lower()
    assert seen["date_past"].explanation == (
        "That date has already passed. Pick a new one so they know when it matters."
    )
    assert seen["apology"].explanation.startswith("You're offering them a chance to help")


def test_word_count():
    assert coach(GOOD).word_count == GOOD_WORDS
    assert coach("I'm   applying’s — co-founder, 15-minute!").word_count == 6


def test_the_vague_example():
    result = coach("Let me know if you hear of anything!", kind="job_lead")
    assert {"vague", "no_why", "no_date"} <= set(codes(result))
    assert result.score <= 1
    assert result.advice[0].explanation == (
        "\u201cLet me know if you hear of anything\u201d is easy to agree with and hard to act on."
    )


def test_empty_scores_zero_with_only_the_empty_advice():
    result = coach("", needed_by=NEXT_WEEK, why=WHY)
    assert result.score == 0 and result.word_count == 0
    assert codes(result) == ["empty"]
    assert result.advice[0].explanation.startswith("Write what you'd like them to do")


def test_kinds_and_examples_cover_the_same_kinds():
    assert list(KINDS) == [
        "introduction",
        "referral",
        "job_lead",
        "advice",
        "review",
        "mock_interview",
        "accountability",
        "emotional_support",
        "practical_help",
        "other",
    ]
    assert KINDS["job_lead"] == "Job leads"
    assert set(EXAMPLES) == set(KINDS)


@pytest.mark.parametrize("kind", list(EXAMPLES))
@pytest.mark.parametrize("needed_by", [NEXT_WEEK, None], ids=["with a date", "date in the text"])
def test_every_example_scores_five_with_no_advice(kind, needed_by):
    result = coach(EXAMPLES[kind], kind=kind, needed_by=needed_by)
    assert codes(result) == []
    assert result.score == 5


def test_smart_flags():
    vague = coach("Keep me in mind if anything comes up.")
    assert not vague.specific and not vague.action_oriented and not vague.time_bound
    assert vague.realistic and vague.word_count == 8

    several = coach(GOOD + " And also, could you read my CV?")
    assert not several.specific and not several.realistic
    assert several.meaningful and several.action_oriented and several.time_bound

    lowercase = coach("could you read my cv by friday? it would help me.")
    assert not lowercase.specific and lowercase.score == 4

    past = coach(GOOD.replace(" by Friday", ""), needed_by=TODAY - dt.timedelta(days=3))
    assert not past.time_bound and past.score == 4


def test_today_defaults_to_the_current_date():
    assert coach(GOOD, today=None, needed_by=dt.date(2000, 1, 1)).advice[0].code == "date_past"


def test_datetimes_are_accepted_for_dates():
    when = dt.datetime(2025, 11, 19, 12, 0)
    assert codes(coach(GOOD, needed_by=when)) == ["date_past"]


def test_a_huge_request_is_fast_and_fine():
    result = coach("Could you introduce me to a.b.c.d " * 3000 + "?")
    assert "too_long" in codes(result)
    assert 0 <= result.score <= 5


TEXT = st.text(max_size=400) | st.lists(
    st.sampled_from(
        [
            "Could you",
            "would you",
            "introduce me to",
            "Priya",
            "by Friday",
            "because",
            "?",
            ".",
            "sorry to bother you",
            "any help",
            "and also",
            "role",
            "https://x.io",
            "\u2019",
            "  ",
            "\n",
            "12th",
        ]
    ),
    max_size=40,
).map(" ".join)
DATES = st.none() | st.dates()


@settings(max_examples=150, deadline=None)
@given(
    kind=st.sampled_from([*KINDS, "", "nonsense"]),
    request=TEXT,
    why=TEXT,
    role_or_link=st.text(max_size=40),
    needed_by=DATES,
    today=DATES,
)
def test_review_never_raises_and_scores_zero_to_five(
    kind, request, why, role_or_link, needed_by, today
):
    result = review(
        kind=kind,
        request=request,
        why=why,
        needed_by=needed_by,
        today=today,
        role_or_link=role_or_link,
    )
    assert 0 <= result.score <= 5
    assert result.score == sum(
        (
            result.specific,
            result.meaningful,
            result.action_oriented,
            result.realistic,
            result.time_bound,
        )
    )
    assert len({advice.code for advice in result.advice}) == len(result.advice)
    if result.word_count == 0:
        assert codes(result) == ["empty"] and result.score == 0


@settings(max_examples=150, deadline=None)
@given(
    kind=st.sampled_from(list(KINDS)),
    request=TEXT,
    why=TEXT,
    today=st.dates(max_value=dt.date(9000, 1, 1)),
    days=st.integers(min_value=0, max_value=3650),
)
def test_a_future_needed_by_never_lowers_the_score(kind, request, why, today, days):
    without = review(kind=kind, request=request, why=why, today=today)
    needed_by = today + dt.timedelta(days=days)
    with_date = review(kind=kind, request=request, why=why, today=today, needed_by=needed_by)
    assert with_date.score >= without.score
    assert "no_date" not in codes(with_date) and "date_past" not in codes(with_date)
