"""Thank-you drafts name the help in plain words, for every kind of ask and every answer."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from helpwanted.asks.actions import ask_create, ask_send, recipient_add, recipient_answer
from helpwanted.asks.models import Kind, LedTo, Recipient
from helpwanted.asks.thanks import IMPACT, Help, help_words, thanks_message
from helpwanted.network.actions import person_create
from helpwanted.network.models import Target

Status = Recipient.Status

# What they did (the seeker marked it done), and what they offered ("Yes, I can"): about an
# ask whose target is Lumen Labs, and one with no company.
DID = {
    Kind.INTRODUCTION: (
        "introducing me to someone at Lumen Labs",
        "introducing me to someone who could help",
    ),
    Kind.REFERRAL: ("referring me to Lumen Labs", "referring me"),
    Kind.JOB_LEAD: ("passing on job leads at Lumen Labs", "passing on job leads"),
    Kind.ADVICE: ("making time to talk with me about Lumen Labs", "making time to talk with me"),
    Kind.REVIEW: ("looking over my CV", "looking over my CV"),
    Kind.MOCK_INTERVIEW: (
        "giving me a mock interview to get me ready for Lumen Labs",
        "giving me a mock interview",
    ),
    Kind.ACCOUNTABILITY: ("being my accountability buddy", "being my accountability buddy"),
    Kind.EMOTIONAL_SUPPORT: ("being there for me", "being there for me"),
    Kind.PRACTICAL_HELP: ("giving me a hand", "giving me a hand"),
    Kind.OTHER: ("helping me", "helping me"),
}
OFFERED = {
    Kind.INTRODUCTION: "offering to introduce me to someone at Lumen Labs",
    Kind.REFERRAL: "offering to refer me to Lumen Labs",
    Kind.JOB_LEAD: "offering to keep an eye out for jobs at Lumen Labs",
    Kind.ADVICE: "offering to make time to talk with me about Lumen Labs",
    Kind.REVIEW: "offering to look over my CV",
    Kind.MOCK_INTERVIEW: "offering to give me a mock interview to get me ready for Lumen Labs",
    Kind.ACCOUNTABILITY: "offering to be my accountability buddy",
    Kind.EMOTIONAL_SUPPORT: "offering to be there for me",
    Kind.PRACTICAL_HELP: "offering to give me a hand",
    Kind.OTHER: "offering to help me",
}
# Every answer that is not "yes" or "done", whatever the kind.
OTHER_ANSWERS = {
    Status.DRAFT: "thinking about my ask",
    Status.TO_ASK: "thinking about my ask",
    Status.SENT: "thinking about my ask",
    Status.OPENED: "thinking about my ask",
    Status.SUGGESTED: "pointing me to someone who could help",
    Status.NOT_NOW: "getting back to me",
    Status.DECLINED: "getting back to me",
}


def test_the_tables_cover_every_kind_and_every_status():
    assert set(DID) == set(OFFERED) == set(Kind.values)
    assert set(OTHER_ANSWERS) | {Status.OFFERED, Status.DONE, Status.THANKED} == set(Status.values)
    assert set(IMPACT) | {LedTo.NOTHING_YET} == set(LedTo.values)


@pytest.mark.parametrize("kind", Kind.values)
@pytest.mark.parametrize("status", Status.values)
def test_it_names_the_help_for_each_kind_and_answer(kind, status):
    at_lumen = help_words(Help(kind=kind, status=status, company="Lumen Labs"))
    nowhere = help_words(Help(kind=kind, status=status))
    if status in (Status.DONE, Status.THANKED):
        assert (at_lumen, nowhere) == DID[kind]
    elif status == Status.OFFERED:
        assert at_lumen == OFFERED[kind]
    else:
        assert at_lumen == nowhere == OTHER_ANSWERS[status]


@pytest.mark.parametrize(
    ("help", "words"),
    [
        (
            Help(
                kind="introduction",
                status="done",
                company="Lumen Labs",
                suggested="Dana Whitfield",
                suggested_company="Lumen Labs",
            ),
            "introducing me to Dana Whitfield at Lumen Labs",
        ),
        (
            Help(kind="introduction", status="suggested", suggested="Ines Duarte"),
            "pointing me to Ines Duarte",
        ),
        (
            Help(
                kind="advice",
                status="suggested",
                suggested="Jane Holloway",
                suggested_company="Brightwell Energy",
            ),
            "pointing me to Jane Holloway at Brightwell Energy",
        ),
        (
            Help(kind="review", status="done", request="Could you look at my LinkedIn?"),
            "looking over my LinkedIn profile",
        ),
        (
            Help(kind="review", status="done", request="My CV and my LinkedIn, please"),
            "looking over my CV and LinkedIn profile",
        ),
        (
            Help(kind="review", status="done", request="Would you read my portfolio?"),
            "looking over my portfolio",
        ),
    ],
)
def test_it_names_the_person_they_pointed_to_and_what_they_read(help, words):
    assert help_words(help) == words


def test_the_message_greets_by_name_and_adds_when_and_what_it_led_to():
    offered = Help(kind="mock_interview", status="offered", offer_when="Tuesday at 7pm, on video")
    assert thanks_message("Tom", offered) == (
        "Thank you, Tom, for offering to give me a mock interview. "
        "Tuesday at 7pm, on video works for me."
    )
    done = Help(kind="review", status="done", led_to="interview", outcome="Lumen called me!")
    assert thanks_message("Ruthie", done) == (
        "Thank you, Ruthie, for looking over my CV. It led to an interview! Lumen called me!"
    )
    assert thanks_message("", Help(kind="other", status="done")) == "Thank you for helping me."


@given(
    kind=st.sampled_from(Kind.values),
    status=st.sampled_from(Status.values),
    company=st.text(max_size=30),
    suggested=st.text(max_size=30),
)
def test_the_words_never_read_as_a_kind_label(kind, status, company, suggested):
    words = help_words(Help(kind=kind, status=status, company=company, suggested=suggested))
    assert words and "your help with" not in words and words == words.strip()


# --- through the app ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_thank_you_page_drafts_the_help_in_plain_words(alice, alice_client):
    lumen = Target.objects.create(owner=alice, company="Lumen Labs", company_key="lumen labs")
    jordan = person_create(
        owner=alice,
        fields={"name": "Jordan Rivera", "nickname": "Jo", "emails": ["jordan@example.org"]},
    )
    ask = ask_create(
        owner=alice,
        fields={"kind": "introduction", "request": "Introduce me to Lumen?", "target": lumen},
    )
    recipient_add(ask=ask, person=jordan)
    ask_send(ask=ask)
    recipient = ask.recipients.get()
    recipient_answer(recipient=recipient, answer="yes", offer_when="Thursday after 4pm")
    page = alice_client.get(reverse("asks:thank", args=[recipient.pk])).content.decode()
    assert (
        "Thank you, Jo, for offering to introduce me to someone at Lumen Labs. "
        "Thursday after 4pm works for me."
    ) in page
    assert "your help with" not in page
