"""Table tests for the next-step rules and the early-ask triggers, with plain dates."""

from datetime import date, timedelta

import pytest

from helpwanted.nudges import rules
from helpwanted.nudges.rules import (
    Answered,
    CheckInPoint,
    Offer,
    StepInputs,
    TargetCount,
    Thankable,
    Thresholds,
    Waiting,
    early_ask,
    next_steps,
)

TODAY = date(2026, 3, 11)  # a Wednesday
T = Thresholds()
# A seeker with nothing to suggest: asked yesterday, updated yesterday, checked in today.
QUIET = {
    "last_ask_on": TODAY - timedelta(days=1),
    "last_update_on": TODAY - timedelta(days=1),
    "checkins": (CheckInPoint(TODAY, 3),),
    "started_on": TODAY - timedelta(days=100),
    "last_login_on": TODAY,
}


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def inputs(**kwargs) -> StepInputs:
    return StepInputs(today=TODAY, **{**QUIET, **kwargs})


def kinds(data: StepInputs) -> list[str]:
    return [s.kind for s in next_steps(data)]


def test_a_seeker_with_nothing_due_gets_no_steps():
    assert next_steps(inputs()) == []


@pytest.mark.parametrize(("days", "due"), [(4, False), (5, True), (6, True)])
def test_it_suggests_a_follow_up_once_the_asks_follow_up_days_have_passed(days, due):
    data = inputs(waiting=[Waiting(7, "Bob", ago(days), follow_up_days=5)])
    steps = next_steps(data)
    assert [s.key for s in steps] == (["follow-up:7"] if due else [])
    if due:
        assert steps[0].url_name == "asks:follow_up" and steps[0].url_args == (7,)
        assert "Bob" in steps[0].text


def test_it_never_suggests_a_second_follow_up():
    data = inputs(waiting=[Waiting(7, "Bob", ago(30), follow_up_days=5, followed_up=True)])
    assert next_steps(data) == []


def test_it_suggests_thanking_everyone_who_said_yes():
    data = inputs(thankable=[Thankable(3, "Ana", ago(2)), Thankable(4, "Bo", ago(5))])
    steps = next_steps(data)
    assert [s.key for s in steps] == ["thank:4", "thank:3"]  # the oldest first
    assert steps[0].url_name == "asks:thank" and steps[0].button == "Thank Bo"


@pytest.mark.parametrize(("days", "due"), [(13, False), (14, True), (15, True), (None, True)])
def test_it_suggests_an_update_after_14_quiet_days(days, due):
    data = inputs(last_update_on=None if days is None else ago(days))
    assert ("update" in kinds(data)) is due


@pytest.mark.parametrize(
    ("last_checkin", "due"),
    [
        (ago(0), False),  # today, Wednesday
        (ago(2), False),  # Monday of this week
        (ago(3), True),  # last Sunday: a new week has started
        (None, True),
    ],
)
def test_it_suggests_a_check_in_when_there_is_none_this_week(last_checkin, due):
    checkins = () if last_checkin is None else (CheckInPoint(last_checkin, 3),)
    steps = next_steps(inputs(checkins=checkins))
    assert ("checkin:2026-W11" in [s.key for s in steps]) is due


@pytest.mark.parametrize(("days", "due"), [(6, False), (7, True), (8, True), (None, True)])
def test_it_suggests_asking_someone_new_after_a_week_without_an_ask(days, due):
    data = inputs(last_ask_on=None if days is None else ago(days))
    steps = {s.key: s for s in next_steps(data)}
    assert ("ask-new:2026-W11" in steps) is due
    if due:
        assert steps["ask-new:2026-W11"].url_name == "nudges:whom"


def test_it_doesnt_suggest_asks_once_the_search_is_over():
    assert "ask-new" not in kinds(inputs(last_ask_on=None, search_active=False))


def test_it_suggests_a_referral_where_the_seeker_knows_most_people():
    data = inputs(
        targets=[
            TargetCount(1, "Acme", people=2),
            TargetCount(2, "Globex", people=5),
            TargetCount(3, "Initech", people=0),
        ]
    )
    (step,) = next_steps(data)
    assert step.key == "referral:2" and "5 people at Globex" in step.text
    assert step.url_name == "network:target" and step.url_args == (2,)


@pytest.mark.parametrize(("days", "due"), [(29, False), (30, True), (31, True)])
def test_a_recent_referral_ask_at_a_target_counts_as_done(days, due):
    data = inputs(targets=[TargetCount(1, "Acme", people=1, asked_on=ago(days))])
    assert ("referral" in kinds(data)) is due


def test_it_suggests_replying_to_an_offer_with_a_button_that_accepts_it():
    (step,) = next_steps(inputs(offers=[Offer(9, "Cleo", ago(1))]))
    assert step.key == "offer:9" and step.post
    assert step.url_name == "journey:reply_accept" and step.url_args == (9,)


@pytest.mark.parametrize(
    ("quiet_days", "answered_days_ago", "due"),
    [
        (89, 1, False),
        (90, 1, True),
        (91, 1, True),
        (120, 13, True),  # answered 13 days ago: still recent
        (120, 14, False),  # 14 days ago: too long ago to welcome back
    ],
)
def test_it_suggests_welcoming_back_a_helper_who_answered_after_a_quiet_spell(
    quiet_days, answered_days_ago, due
):
    answered_on = ago(answered_days_ago)
    data = inputs(
        answered=[Answered(5, 50, "Dee", answered_on, answered_on - timedelta(days=quiet_days))]
    )
    assert ("welcome:5" in [s.key for s in next_steps(data)]) is due


def test_a_first_answer_is_not_a_welcome_back():
    assert next_steps(inputs(answered=[Answered(5, 50, "Dee", ago(1), None)])) == []


def test_snoozed_steps_are_left_out():
    data = inputs(thankable=[Thankable(3, "Ana")], snoozed=frozenset({"thank:3"}))
    assert next_steps(data) == []


def test_there_are_at_most_five_steps_ordered_by_value():
    data = StepInputs(
        today=TODAY,
        offers=[Offer(1, "A", ago(1))],
        thankable=[Thankable(i, f"T{i}") for i in range(10)],
        waiting=[Waiting(i, f"W{i}", ago(10), 5) for i in range(10)],
        targets=[TargetCount(1, "Acme", 3)],
        started_on=ago(100),
    )
    steps = next_steps(data)
    assert len(steps) == rules.MAX_STEPS
    assert [s.value for s in steps] == sorted((s.value for s in steps), reverse=True)
    # every kind gets its first step before any kind gets a second
    assert [s.kind for s in steps] == ["offer", "thank", "follow-up", "referral", "ask-new"]


def test_every_step_key_is_valid_and_unique():
    data = StepInputs(
        today=TODAY,
        offers=[Offer(1, "A", ago(1))],
        thankable=[Thankable(2, "B")],
        waiting=[Waiting(3, "C", ago(10), 5)],
        answered=[Answered(4, 40, "D", ago(1), ago(200))],
        targets=[TargetCount(5, "Acme", 3)],
    )
    steps = next_steps(data, limit=20)
    assert len({s.key for s in steps}) == len(steps) == 8
    assert all(rules.valid_key(s.key) for s in steps)


@pytest.mark.parametrize("key", ["", "thank", "thank:", "nope:1", "thank:1;drop", "x" * 200])
def test_unknown_keys_are_not_valid(key):
    assert not rules.valid_key(key)


# The early-ask signal ---------------------------------------------------------------------


def triggers(**kwargs) -> tuple[str, ...]:
    signal = early_ask(inputs(**kwargs), T)
    return () if signal is None else signal.triggers


def test_no_signal_when_all_is_well():
    assert early_ask(inputs(), T) is None


@pytest.mark.parametrize(("days", "fires"), [(12, True), (13, True), (14, False)])
def test_hope_down_by_two_within_14_days_triggers_it(days, fires):
    checkins = (CheckInPoint(ago(days), 4), CheckInPoint(TODAY, 2))
    assert ("hope" in triggers(checkins=checkins)) is fires


@pytest.mark.parametrize(("drop", "fires"), [(1, False), (2, True), (3, True)])
def test_hope_must_drop_by_at_least_two(drop, fires):
    checkins = (CheckInPoint(ago(5), 5), CheckInPoint(TODAY, 5 - drop))
    assert ("hope" in triggers(checkins=checkins)) is fires


@pytest.mark.parametrize(("asked", "fires"), [(4, True), (3, False), (0, False)])
def test_an_ask_sent_once_the_dip_began_quiets_it(asked, fires):
    # hope 5 six days ago, 3 three days ago (the dip begins), still 3 today
    checkins = (CheckInPoint(ago(6), 5), CheckInPoint(ago(3), 3), CheckInPoint(TODAY, 3))
    assert ("hope" in triggers(checkins=checkins, last_ask_on=ago(asked))) is fires


def test_a_new_dip_after_recovering_brings_it_back():
    checkins = (
        CheckInPoint(ago(10), 5),
        CheckInPoint(ago(8), 3),  # the first dip, answered by the ask seven days ago
        CheckInPoint(ago(4), 5),
        CheckInPoint(TODAY, 2),  # a second dip
    )
    assert "hope" in triggers(checkins=checkins, last_ask_on=ago(7))


def test_rising_hope_does_not_trigger_it():
    checkins = (CheckInPoint(ago(5), 1), CheckInPoint(TODAY, 5))
    assert triggers(checkins=checkins) == ()


@pytest.mark.parametrize(
    ("days", "fires"),
    [
        ((0, 5, 12), True),
        ((0, 5, 13), True),  # the third 13 days ago: within 14 days
        ((0, 5, 14), False),  # 14 days ago: outside
        ((0, 5), False),  # only two
    ],
)
def test_three_rejections_within_14_days_trigger_it(days, fires):
    assert ("rejections" in triggers(rejections=[ago(d) for d in days])) is fires


@pytest.mark.parametrize(("asked", "fires"), [(3, True), (2, False), (1, False)])
def test_an_ask_sent_after_the_latest_rejection_quiets_it(asked, fires):
    rejections = [ago(8), ago(5), ago(2)]
    assert ("rejections" in triggers(rejections=rejections, last_ask_on=ago(asked))) is fires


@pytest.mark.parametrize(("days", "fires"), [(9, False), (10, True), (11, True)])
def test_ten_days_without_an_ask_triggers_it(days, fires):
    assert ("no-ask" in triggers(last_ask_on=ago(days))) is fires


@pytest.mark.parametrize(("days", "fires"), [(9, False), (10, True)])
def test_a_seeker_who_never_asked_counts_from_joining(days, fires):
    assert ("no-ask" in triggers(last_ask_on=None, started_on=ago(days))) is fires


def test_no_ask_does_not_trigger_it_once_the_search_is_over():
    assert triggers(last_ask_on=ago(30), search_active=False) == ()


@pytest.mark.parametrize(
    ("days", "waiting", "fires"),
    [(9, 1, False), (10, 1, True), (11, 1, True), (30, 0, False)],
)
def test_ten_days_away_while_answers_wait_triggers_it(days, waiting, fires):
    data = {"last_login_on": ago(days), "answers_waiting": waiting}
    assert ("away" in triggers(**data)) is fires


def test_thresholds_come_from_the_caller():
    data = inputs(last_ask_on=ago(5))
    assert early_ask(data, T) is None
    assert early_ask(data, Thresholds(no_ask_days=5)).triggers == ("no-ask",)


@pytest.mark.parametrize(
    ("found", "kind"),
    [
        (("hope",), "emotional_support"),
        (("rejections", "no-ask"), "emotional_support"),
        (("no-ask",), "practical_help"),
        (("away",), "practical_help"),
    ],
)
def test_a_dip_or_rejections_suggest_support_and_the_rest_practical_help(found, kind):
    assert rules.early_ask_kind(found) == kind


def test_not_now_on_the_suggestion_hides_it_while_snoozed():
    data = {"last_ask_on": ago(30)}
    assert triggers(**data) == ("no-ask",)
    assert triggers(**data, snoozed=frozenset({rules.EARLY_ASK_KEY})) == ()
    assert rules.valid_key(rules.EARLY_ASK_KEY) and rules.snooze_days(rules.EARLY_ASK_KEY) == 7


def test_the_prefilled_ask_is_small_specific_and_addressed():
    text = rules.early_ask_text("emotional_support", "Bob Lindqvist")
    assert text.startswith("Hi Bob,") and "20-minute" in text
    query = rules.early_ask_query("practical_help", 4, "Bob")
    assert query.startswith("kind=practical_help&to=4&request=Hi+Bob")


# Consistent steps (issue 10) --------------------------------------------------------------


def test_it_suggests_asking_whom_a_helper_suggested_with_the_composer_prefilled():
    ines = rules.Suggested(
        recipient_id=9, person_id=42, name="Ines Ortega", by="Dana Park", kind="referral"
    )
    [step] = next_steps(inputs(suggested=[ines]))
    assert step.key == "suggested:9" and step.url_name == "asks:new"
    assert step.text.startswith("Ask Ines Ortega, whom Dana Park suggested.")
    assert step.button == "Ask Ines Ortega"
    assert step.query == (
        "kind=referral&to=42&request=Hi+Ines%2C+Dana+Park+suggested+I+get+in+touch."
    )
    with_target = rules.Suggested(9, 42, "Ines Ortega", "Dana Park", "referral", target_id=3)
    assert next_steps(inputs(suggested=[with_target]))[0].query.endswith("&target=3")


@pytest.mark.parametrize(
    ("state", "shown"),
    [
        ({}, {"suggested", "referral"}),
        ({"offer_accepted": True}, {"suggested"}),
        ({"search_active": False}, set()),
    ],
)
def test_an_accepted_offer_ends_referral_steps_and_landing_ends_new_asks(state, shown):
    data = inputs(
        suggested=[rules.Suggested(9, 42, "Ines Ortega", "Dana Park", "introduction")],
        targets=[TargetCount(1, "Acme", people=3)],
        **state,
    )
    assert set(kinds(data)) == shown
