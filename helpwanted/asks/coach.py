"""The composer coach: rule-based, kind advice on an ask, and a SMART score from 0 to 5.

Pure Python (no Django). The coach advises and never blocks: ``review()`` accepts any text and
never raises. Every rule is a heuristic; each piece of advice carries a short, plain explanation
and a suggestion, written in the second person and never guilt-inducing.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

__all__ = ["EXAMPLES", "KINDS", "LONG_WORDS", "Advice", "CoachResult", "review"]

KINDS: dict[str, str] = {
    "introduction": "An introduction",
    "referral": "A referral",
    "job_lead": "Job leads",
    "advice": "Advice or an informational chat",
    "review": "A CV or LinkedIn review",
    "mock_interview": "A mock interview",
    "accountability": "An accountability buddy",
    "emotional_support": "Emotional support",
    "practical_help": "Practical help",
    "other": "Something else",
}

EXAMPLES: dict[str, str] = {
    "introduction": (
        "Would you introduce me to Priya Shah at Lumen Labs? I'm applying for their Senior "
        "Product Designer role and a 15-minute chat with someone on the team would help me "
        "tailor my application. Could you send a short intro email by Friday 12 December?"
    ),
    "referral": (
        "Would you refer me for the Senior Data Analyst role at Northwind "
        "(https://northwind.example/jobs/4821)? I've built the kind of SQL reporting they "
        "describe at Brightside, and a referral from you would help me get past the first "
        "screen. Applications close on Friday 5 December."
    ),
    "job_lead": (
        "Could you forward me any product analyst openings you spot at fintechs in Manchester "
        "before Friday 19 December? I'm moving back there in January, so I can start "
        "interviewing early and line something up before the move."
    ),
    "advice": (
        "Could we have a 20-minute video call before Thursday 11 December, so you can tell me "
        "how you moved from teaching into UX research at Monzo? I'm weighing a similar switch, "
        "and hearing what your first year was really like would help me decide whether to "
        "take the bootcamp place."
    ),
    "review": (
        "Would you read my CV for the Customer Success Lead role at Acme and mark the two or "
        "three weakest lines? You've hired for this kind of role, so your eye would help me "
        "make it sharper before I apply on Monday 8 December. It's two pages; I'll send it as "
        "a PDF today."
    ),
    "mock_interview": (
        "Could you give me a 30-minute mock interview on Wednesday 10 December, playing the "
        "hiring manager for a Backend Engineer role at Stripe? My real interview is on the "
        "12th, and I want to practise system design answers out loud so I can stay calm on "
        "the day."
    ),
    "accountability": (
        "Would you be my accountability buddy for four weeks, starting Monday 1 December? I'm "
        "aiming to send five tailored applications a week, and a two-minute check-in from you "
        "every Friday would help me keep going when it gets discouraging."
    ),
    "emotional_support": (
        "Could we meet for a walk in Victoria Park on Saturday 6 December? The Hartley "
        "rejection hit me harder than I expected, and I'd love an hour with a friend who'll "
        "listen, because talking it through helps me reset before I start applying again."
    ),
    "practical_help": (
        "Could you look after Maya for two hours on Tuesday 9 December, from 1 to 3 pm? I have "
        "a final-round interview at Kingfisher that afternoon, so I can give it my full "
        "attention knowing she's with someone she loves."
    ),
    "other": (
        "Would you lend me your navy interview suit for my panel at the City Council on "
        "Thursday 4 December? Mine no longer fits, and I'd walk in more confident because "
        "it's the kind of place where people dress formally."
    ),
}

LONG_WORDS = 150  # a request longer than this gets "too_long"


@dataclass(frozen=True)
class Advice:
    """One piece of coaching: a stable ``code``, a short title, why it matters, what to try."""

    code: str
    title: str
    explanation: str
    suggestion: str


@dataclass(frozen=True)
class CoachResult:
    """The coach's verdict: the SMART flags, their count as ``score`` (0..5), and advice."""

    score: int
    specific: bool
    meaningful: bool
    action_oriented: bool
    realistic: bool
    time_bound: bool
    advice: tuple[Advice, ...]
    word_count: int


# --- Phrase lists (display form; matched case-insensitively, ignoring punctuation) -----------

VAGUE_PHRASES: tuple[str, ...] = (
    "let me know if you hear of anything",
    "let me know if you hear of something",
    "let me know if you hear anything",
    "let me know if anything comes up",
    "if anything comes up",
    "pick your brain",
    "pick your brains",
    "any help",
    "keep me in mind",
    "bear me in mind",
    "anything you can do",
    "whatever you can do",
    "if you know anyone",
    "if you know of anyone",
    "if you know of anything",
    "keep an eye out",
    "keep your eyes open",
    "keep your ears open",
    "keep your eyes peeled",
    "touch base",
    "put the word out",
    "keep me posted",
    "anything at all",
    "any ideas",
    "any leads",
    "any thoughts",
)

APOLOGY_PHRASES: tuple[str, ...] = (
    "sorry to bother",
    "sorry to ask",
    "sorry to trouble",
    "sorry for bothering",
    "sorry for asking",
    "sorry for the bother",
    "sorry if this is",
    "I'm sorry to",
    "apologies for",
    "I know you're busy",
    "I know you are busy",
    "I know you're really busy",
    "I know you're so busy",
    "I know how busy you are",
    "you must be busy",
    "no pressure",
    "no worries if not",
    "no worries if you can't",
    "I hate to ask",
    "I hate to bother",
    "feel free to ignore",
    "feel free to say no",
    "if it's not too much trouble",
    "if it's not too much to ask",
    "don't feel obliged",
    "totally understand if not",
    "I understand if you can't",
    "I hope this isn't too much",
)

REASON_PHRASES: tuple[str, ...] = (
    "because",
    "so that",
    "so I can",
    "so I could",
    "so I'll",
    "so I'd",
    "so I",
    "as I'm",
    "as I am",
    "as I've",
    "since I",
    "I'm applying",
    "I am applying",
    "I've applied",
    "I applied",
    "I'm interviewing",
    "I have an interview",
    "I've got an interview",
    "I'm preparing",
    "I'm hoping to",
    "I'm trying to",
    "to help me",
    "would help me",
    "will help me",
    "helps me",
    "it would help",
    "that would help",
    "which would help",
    "would really help",
    "would make a big difference",
    "in order to",
    "the reason",
    "it matters",
)

SEVERAL_PHRASES: tuple[str, ...] = (
    "and also",
    "another thing",
    "one more thing",
    "also could you",
    "also would you",
    "also can you",
    "could you also",
    "would you also",
    "can you also",
    "while I have you",
    "on another note",
    "separately",
    "secondly",
    "as well as that",
    "on top of that",
)

_APOSTROPHES = str.maketrans("", "", "'\u2019\u2018\u02bc\u2032`")
_NON_WORD = re.compile(r"[\W_]+")


def _norm(text: str) -> str:
    """Lower-case, drop apostrophes, turn punctuation and runs of space into single spaces.

    The result is padded with a space on each side so that phrases match on word boundaries.
    """
    text = text.casefold().translate(_APOSTROPHES)
    return f" {_NON_WORD.sub(' ', text).strip()} "


def _phrases(display: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((_norm(phrase), phrase) for phrase in display)


_VAGUE = _phrases(VAGUE_PHRASES)
_APOLOGY = _phrases(APOLOGY_PHRASES)
_REASON = _phrases(REASON_PHRASES)
_SEVERAL = _phrases(SEVERAL_PHRASES)


def _found(norm: str, phrases: tuple[tuple[str, str], ...]) -> str | None:
    """The display form of the first phrase that occurs in the normalised text, if any."""
    for needle, display in phrases:
        if needle in norm:
            return display
    return None


def _quote(phrase: str) -> str:
    return f"\u201c{phrase[:1].upper()}{phrase[1:]}\u201d"


# --- Patterns (on normalised text unless noted) -----------------------------------------------

_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_FULL_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
)
_NUMBER_WORDS = (
    "a|an|one|two|three|four|five|six|seven|eight|nine|ten|a few|few|a couple of|couple of|\\d+"
)
_UNITS = "days?|weeks?|months?|hours?|fortnight"

_DATEISH = re.compile(
    "|".join(
        (
            rf" (?:{_WEEKDAYS}) ",
            r" (?:today|tonight|tomorrow|tmrw|fortnight|eod|eow|cob|midday|noon|lunchtime) ",
            r" this (?:week|weekend|month|morning|afternoon|evening|term|quarter|year) ",
            rf" next (?:week|weekend|month|term|quarter|year|(?:(?:{_NUMBER_WORDS}) )?(?:{_UNITS})) ",
            r" end of (?:the )?(?:day|week|month|year|term|quarter) ",
            r" by (?:the )?end ",
            rf" (?:within|in|over) (?:the )?(?:next |coming )?(?:{_NUMBER_WORDS}) (?:{_UNITS}) ",
            r" (?:in|over) the (?:next|coming) (?:days?|weeks?|months?|fortnight) ",
            r" the \d{1,2}(?:st|nd|rd|th) ",
            r" (?:before|by|until|till|on) \d{1,2}(?:st|nd|rd|th) ",
            rf" (?:before|by|until|till|on) (?:the )?\d{{1,2}}(?:st|nd|rd|th)? (?:of )?(?:{_MONTHS}) ",
            rf" \d{{1,2}}(?:st|nd|rd|th)? (?:of )?(?:{_MONTHS}) ",
            rf" (?:{_MONTHS}) \d{{1,2}}(?:st|nd|rd|th)? ",
            rf" (?:by|before|in|until|till|during|early|mid|late|end of|this|next) (?:{_FULL_MONTHS}) ",
            r" (?:before|by|until|till) \d{1,2} ",
        )
    )
)
_NUMERIC_DATE = re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b")  # raw

_URL = re.compile(  # raw text
    r"(?:https?://|www\.)\S+"
    r"|\b\w+\.(?:com|org|net|io|co|uk|dev|jobs|ai|app|careers|eu|de|fr)\b",
    re.IGNORECASE,
)

_ROLE_WORDS = re.compile(
    r" (?:roles?|positions?|jobs?|openings?|vacanc(?:y|ies)|postings?|adverts?|listings?"
    r"|reqs?|requisitions?|job ads?|job ids?) "
)
_JOB_TITLES = re.compile(
    r" (?:engineer|developer|designer|manager|analyst|scientist|consultant|director"
    r"|coordinator|specialist|officer|assistant|administrator|architect|nurse|teacher"
    r"|accountant|intern|internship|researcher|recruiter|technician|executive|associate"
    r"|strategist|marketer|writer|editor|lawyer|paralegal|pharmacist|therapist|producer)s? "
)

_ACTION = re.compile(
    r" (?:introduc\w*|intros?|connect\w*|refer|referr\w*|refers|recommend\w*|vouch\w*"
    r"|endorse\w*|nominat\w*|review\w*|reads?|reading|proofread\w*|critique\w*|feedback"
    r"|look (?:at|over|through|after)|go (?:over|through)|check (?:in|over)|check\w*|edit\w*"
    r"|comment\w*|meet\w*|call\w*|chat\w*|talk\w*|speak\w*|phone\w*|zoom|coffee"
    r"|catch up|share\w*|send\w*|forward\w*|pass (?:on|along)|post\w*|email\w*|message\w*"
    r"|text me|ping\w*|practi[cs]e\w*|practi[cs]ing|rehears\w*|role play|mock"
    r"|interview me|help me|tell me|show me|walk me|explain\w*|advis\w*|suggest\w*"
    r"|join\w*|listen\w*|lend\w*|borrow\w*|drive|babysit\w*|cover\w*|sign(?:s|ed|ing)?|write"
    r"|schedul\w*|book\w*|put me (?:in touch|forward)|reach out|be my) "
)

# Opening words of a separate ask; the text is split at each one into ask clauses.
_ASK_OPENER = re.compile(
    r"(?<= )(?:(?:could|would|can|will|might) (?:you|we)"
    r"|are you (?:able|free|open|around|up for)"
    r"|do you have (?:time|a few minutes|\d+ minutes)"
    r"|if you (?:could|would))(?= )"
)

# Families of actions; two ask clauses with disjoint families are two separate requests.
_FAMILIES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("introduce", r" (?:introduc\w*|intros?|connect\w*|put me in touch) "),
        ("refer", r" (?:refer|referr\w*|refers|recommend\w*|vouch\w*|endorse\w*|put me forward) "),
        (
            "review",
            r" (?:review\w*|reads?|reading|proofread\w*|critique\w*|feedback|look (?:at|over|through)"
            r"|go (?:over|through)|check over|edit\w*|comment\w*) ",
        ),
        ("meet", r" (?:meet\w*|call\w*|chat\w*|talk\w*|speak\w*|phone\w*|zoom|coffee|catch up) "),
        (
            "practise",
            r" (?:practi[cs]e\w*|practi[cs]ing|rehears\w*|role play|mock|interview me) ",
        ),
        ("advise", r" (?:tell me|show me|walk me|explain\w*|advis\w*|advice|tips|suggest\w*) "),
        ("accountability", r" (?:accountab\w*|check in|buddy) "),
        ("support", r" (?:listen\w*|vent\w*|support\w*) "),
        ("practical", r" (?:lend\w*|borrow\w*|drive\w*|babysit\w*|look after|cover\w*) "),
        ("leads", r" (?:leads?|openings?|vacanc\w*) "),
    )
)

_WORD = re.compile(r"\w+(?:['\u2019]\w+)*")
_SENTENCE_END = frozenset(".!?\n")
_NOT_NAMES = frozenset(
    ("i", "im", "id", "ive", "ill", "hi", "hello", "dear", "thanks", "please", "ok")
    + tuple(_WEEKDAYS.split("|"))
    + tuple(_FULL_MONTHS.split("|"))
)


def _word_count(text: str) -> int:
    return sum(1 for _ in _WORD.finditer(text))


def _has_capitalised_name(text: str) -> bool:
    """Whether a capitalised word appears other than at the start of a sentence ("Priya", "Acme")."""
    previous_end = 0
    for index, match in enumerate(_WORD.finditer(text)):
        word = match.group()
        gap = text[previous_end : match.start()]
        previous_end = match.end()
        if not word[:1].isupper():
            continue
        if index == 0 or any(char in _SENTENCE_END for char in gap):
            continue
        if word.casefold().translate(_APOSTROPHES) in _NOT_NAMES:
            continue
        return True
    return False


def _several(norm: str) -> bool:
    """Heuristic: more than one request in the same message."""
    if _found(norm, _SEVERAL):
        return True
    clauses = _ASK_OPENER.split(norm)
    if len(clauses) - 1 >= 3:  # three or more "could you / would you" asks
        return True
    seen: set[str] = set()
    asks = 0
    for clause in clauses[1:]:
        padded = f" {clause.strip()} "
        families = {name for name, pattern in _FAMILIES if pattern.search(padded)}
        if not families:
            continue
        if seen and not (families & seen):
            asks += 1
        elif not seen:
            asks = 1
        seen |= families
    return asks >= 2


def _as_date(value: object) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return None


# --- Advice --------------------------------------------------------------------------------


def _vague(phrase: str) -> Advice:
    return Advice(
        code="vague",
        title="Make it specific",
        explanation=f"{_quote(phrase)} is easy to agree with and hard to act on.",
        suggestion=(
            "Name one thing they could do, like introducing you to one person at one company."
        ),
    )


def _apology(phrase: str) -> Advice:
    return Advice(
        code="apology",
        title="No need to apologise",
        explanation=(
            f"You're offering them a chance to help, and people say yes more often than we "
            f"expect. {_quote(phrase)} makes a yes feel heavier than it is."
        ),
        suggestion="Leave it out and ask warmly and directly; a thank-you at the end is plenty.",
    )


EMPTY = Advice(
    code="empty",
    title="Write your request",
    explanation=(
        "Write what you'd like them to do, why it matters to you, and when it would help by."
    ),
    suggestion="Start with one thing, like \u201cWould you introduce me to \u2026?\u201d",
)
SEVERAL = Advice(
    code="several",
    title="One ask at a time",
    explanation="Several requests in one message make it harder to say yes to any of them.",
    suggestion="Keep the one that matters most now. You can ask for the rest later.",
)
REFERRAL_MISSING_ROLE = Advice(
    code="referral_missing_role",
    title="Name the role",
    explanation="To refer you, they need to know exactly which job you're going for.",
    suggestion="Add the job title, or paste a link to the posting.",
)
NO_WHY = Advice(
    code="no_why",
    title="Say why it matters",
    explanation="People help more readily when they know what it's for and the difference it makes.",
    suggestion=(
        "Add a sentence on why, like \u201cI'm applying for their design role and a chat "
        "would help me tailor my application.\u201d"
    ),
)
NO_DATE = Advice(
    code="no_date",
    title="Add a date",
    explanation="Without a date, a kind yes can slide to the bottom of a busy week.",
    suggestion="Say when it would help by, like \u201cby Friday\u201d, or pick a needed-by date.",
)
DATE_PAST = Advice(
    code="date_past",
    title="Update the date",
    explanation="That date has already passed. Pick a new one so they know when it matters.",
    suggestion="Choose a date a few days or weeks from now.",
)


def _too_long(words: int) -> Advice:
    return Advice(
        code="too_long",
        title="Make it shorter",
        explanation=(
            f"Your request is {words} words. Short asks are easier to read on a phone and "
            "easier to say yes to."
        ),
        suggestion=f"Aim for {LONG_WORDS} words or fewer: what you'd like, why, and by when.",
    )


# --- The coach -----------------------------------------------------------------------------


def review(
    *,
    kind: str,
    request: str,
    why: str = "",
    needed_by: datetime.date | None = None,
    today: datetime.date | None = None,
    role_or_link: str = "",
) -> CoachResult:
    """Coach one ask. Never raises; pass ``today`` (the seeker's local date) for stable results.

    ``why`` counts as a reason when it has at least three words; ``role_or_link`` (a job title
    or a link) satisfies the referral check and counts as something concrete.
    """
    request = request if isinstance(request, str) else ""
    why = why if isinstance(why, str) else ""
    role_or_link = role_or_link if isinstance(role_or_link, str) else ""
    needed = _as_date(needed_by)
    # The caller should pass the seeker's local date; the server's date is only a fallback.
    now = _as_date(today) or datetime.date.today()  # noqa: DTZ011

    words = _word_count(request)
    if words == 0:
        return CoachResult(
            score=0,
            specific=False,
            meaningful=False,
            action_oriented=False,
            realistic=False,
            time_bound=False,
            advice=(EMPTY,),
            word_count=0,
        )

    norm = _norm(request)
    vague = _found(norm, _VAGUE)
    several = _several(norm)
    has_link = bool(_URL.search(request) or _URL.search(role_or_link))
    has_role = bool(_ROLE_WORDS.search(norm) or _JOB_TITLES.search(norm))
    concrete = (
        has_link
        or has_role
        or bool(role_or_link.strip())
        or any(char.isdigit() for char in request)
        or _has_capitalised_name(request)
    )
    has_why = _word_count(why) >= 3 or _found(norm, _REASON) is not None

    without_vague = norm
    for needle, _display in _VAGUE:
        without_vague = without_vague.replace(needle, " ")
    has_action = bool(_ACTION.search(without_vague))

    date_words = bool(_DATEISH.search(norm) or _NUMERIC_DATE.search(request))
    date_ok = needed is not None and needed >= now
    date_past = needed is not None and needed < now
    too_long = words > LONG_WORDS
    apology = _found(norm, _APOLOGY) or _found(_norm(why), _APOLOGY)
    referral_missing = (
        kind == "referral" and not has_link and not has_role and not role_or_link.strip()
    )

    advice: list[Advice] = []
    if vague:
        advice.append(_vague(vague))
    if several:
        advice.append(SEVERAL)
    if referral_missing:
        advice.append(REFERRAL_MISSING_ROLE)
    if not has_why:
        advice.append(NO_WHY)
    if date_past:
        advice.append(DATE_PAST)
    elif needed is None and not date_words:
        advice.append(NO_DATE)
    if apology:
        advice.append(_apology(apology))
    if too_long:
        advice.append(_too_long(words))

    specific = vague is None and concrete and not several
    meaningful = has_why
    action_oriented = has_action
    realistic = not too_long and not several
    time_bound = date_ok or date_words
    flags = (specific, meaningful, action_oriented, realistic, time_bound)
    return CoachResult(
        score=sum(flags),
        specific=specific,
        meaningful=meaningful,
        action_oriented=action_oriented,
        realistic=realistic,
        time_bound=time_bound,
        advice=tuple(advice),
        word_count=words,
    )
