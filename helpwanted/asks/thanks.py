"""The words of a thank-you: what someone did for the seeker, in plain words.

"Thank you for introducing me to Dana at Lumen Labs", not "for your help with an introduction".
It uses what is known: the kind of ask, its target company, the request, the helper's answer
(the person they suggested, when they offered) and what it led to. Pure: no Django, so the
whole table is tested directly (tests/asks/test_thanks_words.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class Help:
    """What is known about one person's help with one ask. Values are the models' choice keys."""

    kind: str
    status: str
    company: str = ""  # the ask's target company
    request: str = ""
    suggested: str = ""  # the person they pointed the seeker to
    suggested_company: str = ""
    offer_when: str = ""
    led_to: str = ""
    outcome: str = ""

    @classmethod
    def of(cls, recipient: Any) -> Help:
        """From an asks.Recipient (with its ask, the ask's target and suggested_person)."""
        ask = recipient.ask
        suggested = recipient.suggested_person
        return cls(
            kind=ask.kind,
            status=recipient.status,
            company=ask.target.company if ask.target_id else "",
            request=ask.request,
            suggested=suggested.name if suggested else "",
            suggested_company=suggested.company if suggested else "",
            offer_when=recipient.offer_when,
            led_to=recipient.led_to,
            outcome=recipient.outcome,
        )


IMPACT: dict[str, str] = {
    "conversation": "It led to a really useful conversation.",
    "introduction": "It led to an introduction.",
    "application": "It helped me put in a strong application.",
    "interview": "It led to an interview!",
    "offer": "It led to a job offer!",
}

# Answers that were not the help asked for, but still deserve thanks.
NOT_THIS_TIME = ("not_now", "declined")
# Put to them, no answer yet.
NO_ANSWER = ("draft", "to_ask", "sent", "opened")


def _at(company: str) -> str:
    return f" at {company}" if company.strip() else ""


def _named(name: str, company: str) -> str:
    return f"{name.strip()}{_at(company)}"


def _reviewed(request: str) -> str:
    words = set(re.findall(r"[a-zé]+", request.casefold()))
    cv = bool(words & {"cv", "resume", "résumé", "cvs"})
    linkedin = "linkedin" in words
    if linkedin and not cv:
        return "my LinkedIn profile"
    if linkedin and cv:
        return "my CV and LinkedIn profile"
    if "portfolio" in words and not cv:
        return "my portfolio"
    return "my CV"


def _phrases(help: Help) -> tuple[str, str]:
    """(what they did, what they offered to do) for the help the ask was for."""
    company = help.company.strip()
    if help.kind == "introduction":
        if help.suggested:
            who = _named(help.suggested, help.suggested_company)
        else:
            who = f"someone at {company}" if company else "someone who could help"
        return f"introducing me to {who}", f"introduce me to {who}"
    if help.kind == "referral":
        to = f" to {company}" if company else ""
        return f"referring me{to}", f"refer me{to}"
    if help.kind == "job_lead":
        return f"passing on job leads{_at(company)}", f"keep an eye out for jobs{_at(company)}"
    if help.kind == "advice":
        about = f" about {company}" if company else ""
        return f"making time to talk with me{about}", f"make time to talk with me{about}"
    if help.kind == "review":
        what = _reviewed(help.request)
        return f"looking over {what}", f"look over {what}"
    if help.kind == "mock_interview":
        ready = f" to get me ready for {company}" if company else ""
        return f"giving me a mock interview{ready}", f"give me a mock interview{ready}"
    if help.kind == "accountability":
        return "being my accountability buddy", "be my accountability buddy"
    if help.kind == "emotional_support":
        return "being there for me", "be there for me"
    if help.kind == "practical_help":
        return "giving me a hand", "give me a hand"
    return "helping me", "help me"


def _tidy(help: Help) -> Help:
    """Every text with its spaces collapsed, so a blank name counts as no name."""
    texts = ("company", "request", "suggested", "suggested_company", "offer_when", "outcome")
    return replace(help, **{name: " ".join(getattr(help, name).split()) for name in texts})


def help_words(help: Help) -> str:
    """What they did, to follow "Thank you for": "introducing me to Dana at Lumen Labs"."""
    help = _tidy(help)
    if help.status in NOT_THIS_TIME:
        return "getting back to me"
    if help.status in NO_ANSWER:
        return "thinking about my ask"
    if help.status == "suggested" or (help.suggested and help.kind != "introduction"):
        if help.suggested:
            return f"pointing me to {_named(help.suggested, help.suggested_company)}"
        return "pointing me to someone who could help"
    did, offered = _phrases(help)
    if help.status == "offered":
        return f"offering to {offered}"
    return did


def _sentence(text: str) -> str:
    text = " ".join(text.split()).rstrip(".")
    return f"{text[:1].upper()}{text[1:]}." if text else ""


def thanks_message(first_name: str, help: Help) -> str:
    """A ready-to-send thank-you for one answer, which the seeker can change before sending."""
    name = f", {first_name.strip()}," if first_name.strip() else ""
    parts = [f"Thank you{name} for {help_words(help)}."]
    if help.status == "offered" and help.offer_when.strip():
        parts.append(_sentence(f"{help.offer_when.strip()} works for me"))
    parts.append(IMPACT.get(help.led_to, ""))
    parts.append(help.outcome.strip())
    return " ".join(part for part in parts if part)


def join_reasons(reasons: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(reasons) <= 1:
        return "".join(reasons)
    return ", ".join(reasons[:-1]) + " and " + reasons[-1]
