"""Every edit form, loaded and saved unchanged, changes nothing.

The test reads each edit page the way a browser does (html.parser collects what a browser
would submit: an ``<input type=date>`` whose value is not ISO counts as empty, because that
is what browsers show and send), posts it back as is, and compares every field of the
edited object before and after.

A new URL whose name looks like an edit form must be listed in CASES (or, with a reason,
in NOT_EDIT_FORMS), or ``test_it_lists_every_edit_url`` fails.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from helpwanted.accounts.models import User

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
EDITISH = re.compile(r"edit|profile|preferences|audience|reminder$|recipient_update|settings")

# Bookkeeping that an unchanged save may touch without anything the seeker sees changing.
IGNORED = {"updated_at", "stage_changed_at"}


class _Forms(HTMLParser):
    """Every <form> on a page: method, action, and what a browser would submit."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: tuple[str, bool, list[tuple[str, bool]]] | None = None
        self._option: list[str] | None = None
        self._option_selected = False
        self._option_value: str | None = None
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = {
                "method": a.get("method", "get").lower(),
                "action": a.get("action", ""),
                "fields": [],
                "buttons": [],
            }
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        name = a.get("name", "")
        if tag == "input":
            kind = a.get("type", "text").lower()
            value = a.get("value", "")
            if kind in {"submit", "image"}:
                form["buttons"].append((name, value))
            elif kind in {"checkbox", "radio"}:
                if name and "checked" in a:
                    form["fields"].append((name, value or "on"))
            elif kind in {"button", "reset", "file"} or not name:
                return
            else:
                if kind == "date" and value and not ISO.match(value):
                    value = ""  # a browser shows a non-ISO date as empty, and sends ""
                form["fields"].append((name, value))
        elif tag == "button":
            if a.get("type", "submit").lower() == "submit":
                form["buttons"].append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select = (name, "multiple" in a, [])
        elif tag == "option" and self._select is not None:
            self._option_value = a.get("value")
            self._option = []
            self._option_selected = "selected" in a
        elif tag == "textarea" and name:
            self._textarea = (name, [])

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option.append(data)
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self._select is not None and self._option is not None:
            value = self._option_value
            if value is None:  # an option without a value submits its text
                value = " ".join("".join(self._option).split())
            self._select[2].append((value, self._option_selected))
            self._option = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, multiple, options = self._select
            chosen = [v for v, selected in options if selected]
            if not chosen and not multiple and options:
                chosen = [options[0][0]]  # a browser submits the first option
            self._form["fields"].extend((name, v) for v in (chosen if multiple else chosen[-1:]))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, parts = self._textarea
            text = "".join(parts)
            if text.startswith("\n"):
                text = text[1:]  # the HTML parser drops one leading newline
            self._form["fields"].append((name, text))
            self._textarea = None
        elif tag == "form":
            self._form = None


def _submit(client: Client, page: str, action: str) -> Any:
    """Load `page`, find the form posting to `action`, and submit it exactly as shown."""
    response = client.get(page)
    assert response.status_code == 200, (page, response.status_code)
    parser = _Forms()
    parser.feed(response.content.decode())
    forms = [
        f
        for f in parser.forms
        if f["method"] == "post" and (f["action"] or page).split("#")[0] == action
    ]
    assert forms, f"no form on {page} posts to {action}"
    form = forms[0]
    data: dict[str, list[str]] = {}
    for name, value in form["fields"]:
        data.setdefault(name, []).append(value)
    # Press the main button: the first one without a name (named ones are side actions,
    # like "Check my ask"), else the first.
    buttons = form["buttons"]
    unnamed = [b for b in buttons if not b[0]]
    if not unnamed and buttons:
        data.setdefault(buttons[0][0], []).append(buttons[0][1])
    return client.post(action, data)


def _snapshot(obj: models.Model) -> dict[str, Any]:
    obj.refresh_from_db()
    values: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if f.name not in IGNORED:
            values[f.name] = getattr(obj, f.attname)
    for f in obj._meta.many_to_many:
        values[f.name] = sorted(getattr(obj, f.name).values_list("pk", flat=True))
    return values


# --------------------------------------------------------------------------- the objects


def _person(alice: User, **extra: Any) -> Any:
    from helpwanted.network.actions import person_create

    fields = {
        "name": "Priya Natarajan",
        "nickname": "Pri",
        "emails": ["priya@example.org", "p.natarajan@example.com"],
        "phones": ["+44 20 7946 0000"],
        "company": "Acme",
        "position": "Design lead",
        "location": "Leeds",
        "linkedin_url": "https://www.linkedin.com/in/priya-natarajan",
        "relationship": "former_colleague",
        "how_we_know": "We shipped the 2019 redesign together",
        "closeness": 4,
        "connected_on": dt.date(2017, 4, 20),
        "notes": "Likes a short, direct ask.\nPrefers email.",
        **extra,
    }
    return person_create(owner=alice, fields=fields, tags=["design", "ex-acme"])


def case_person(alice: User, client: Client, helper: Any) -> tuple[str, str, models.Model]:
    person = _person(alice)
    url = reverse("network:person_edit", args=[person.pk])
    return url, url, person


def case_ask(alice: User, client: Client, helper: Any) -> tuple[str, str, models.Model]:
    from helpwanted.asks.actions import ask_create
    from helpwanted.network.targets import target_add

    target = target_add(owner=alice, company="Lumen Labs", why="Their design team")
    ask = ask_create(
        owner=alice,
        fields={
            "kind": "introduction",
            "request": "Would you introduce me to someone on the design team at Lumen Labs?",
            "why": "I'm applying for their Senior Product Designer role.",
            "needed_by": timezone.localdate() + dt.timedelta(days=10),
            "target": target,
            "follow_up_days": 7,
        },
    )
    url = reverse("asks:edit", args=[ask.pk])
    return url, url, ask


def case_opportunity(alice: User, client: Client, helper: Any) -> tuple[str, str, models.Model]:
    from helpwanted.journey.opportunities import opportunity_create

    referrer = _person(alice, name="Dana Okafor", emails=["dana@example.net"], linkedin_url="")
    opportunity = opportunity_create(
        owner=alice,
        fields={
            "company": "Lumen Labs",
            "role": "Senior product designer",
            "link": "https://lumen.example/jobs/42",
            "source": "referral",
            "referred_by": referrer,
            "notes": "Salary band on the page.\nAsk about hybrid.",
        },
        stage="applied",
    )
    url = reverse("journey:opportunity_edit", args=[opportunity.pk])
    return url, url, opportunity


def case_profile(alice: User, client: Client, helper: Any) -> tuple[str, str, models.Model]:
    url = reverse("accounts:profile")
    return url, url, alice


def case_checkin(alice: User, client: Client, helper: Any) -> tuple[str, str, models.Model]:
    from helpwanted.journey.checkins import checkin_save

    checkin, _ = checkin_save(
        owner=alice,
        day=timezone.localdate(),
        hope=2,
        energy=4,
        confidence=3,
        note="A slow week.\nThe portfolio review helped.",
        shared=True,
        share_note=False,
    )
    url = reverse("journey:checkins")
    return url, url, checkin


def case_reminder(alice: User, client: Client, helper: Any) -> tuple[str, str, models.Model]:
    from helpwanted.journey.checkins import reminder_settings, reminder_settings_save

    reminder_settings_save(owner=alice, enabled=True, weekday=3, hour=9)
    return (
        reverse("journey:checkins"),
        reverse("journey:checkin_reminder"),
        reminder_settings(alice),
    )


def case_audience(alice: User, client: Client, helper: Any) -> tuple[str, str, models.Model]:
    member = helper.member
    page = reverse("network:person", args=[member.person_id])
    return page, reverse("circle:audience", args=[member.pk]), member


def case_helper_preferences(
    alice: User, client: Client, helper: Any
) -> tuple[str, str, models.Model]:
    member = helper.member
    if hasattr(member, "consented_at"):  # preferences show to members who chose to hear
        type(member).objects.filter(pk=member.pk).update(consented_at=timezone.now())
    # A running pause and the default news timing ("" follows the audience) both survive.
    type(member).objects.filter(pk=member.pk).update(
        digest_paused_until=timezone.localdate() + dt.timedelta(days=9)
    )
    return reverse("circle:helper_home"), reverse("circle:helper_preferences"), member


def case_club(alice: User, client: Client, helper: Any) -> tuple[str, str, models.Model]:
    from helpwanted.clubs.actions import club_create

    club = club_create(
        facilitator=alice,
        fields={
            "name": "Thursday Job Club",
            "meeting_weekday": 3,
            "meeting_time": dt.time(18, 30),
            "meeting_minutes": 75,
            "every_weeks": 2,
            "timezone": "Europe/London",
            "place": "https://meet.example/thursday",
            "size_limit": 9,
        },
    )
    url = reverse("clubs:edit", args=[club.pk])
    return url, url, club


@dataclass
class Case:
    make: Callable[[User, Client, Any], tuple[str, str, models.Model]]
    as_helper: bool = False


# URL name -> how to make a populated object and which page holds its form.
CASES: dict[str, Case] = {
    "network:person_edit": Case(case_person),
    "asks:edit": Case(case_ask),
    "journey:opportunity_edit": Case(case_opportunity),
    "accounts:profile": Case(case_profile),
    "journey:checkins": Case(case_checkin),
    "journey:checkin_reminder": Case(case_reminder),
    "circle:audience": Case(case_audience),
    "circle:helper_preferences": Case(case_helper_preferences, as_helper=True),
    "clubs:edit": Case(case_club),
}

# Names that look like edit forms but are not forms that show saved values.
NOT_EDIT_FORMS = {
    "asks:recipient_update": "saves a typed line from the ask page's send form; tested in asks",
    "journey:checkin_reminder_off": "a one-click unsubscribe button, not a form of values",
}


def _url_names(resolver: URLResolver | None = None, prefix: str = "") -> set[str]:
    resolver = resolver or get_resolver()
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            space = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names |= _url_names(pattern, space)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(prefix + pattern.name)
    return names


def test_it_lists_every_edit_url():
    names = _url_names()
    editish = {n for n in names if EDITISH.search(n.split(":")[-1])}
    missing = editish - set(CASES) - set(NOT_EDIT_FORMS)
    assert not missing, f"add these edit forms to CASES in {__file__}: {sorted(missing)}"
    assert set(CASES) <= names, sorted(set(CASES) - names)


@pytest.mark.parametrize("name", sorted(CASES))
def test_it_saves_every_edit_form_unchanged_without_losing_a_field(name, alice, alice_client, bob):
    from django.test import Client as _Client

    case = CASES[name]
    client = alice_client
    if case.as_helper:
        client = _Client()
        assert client.post(f"/h/{bob.token}/").status_code in {302, 303}
    page, action, obj = case.make(alice, client, bob)
    before = _snapshot(obj)
    response = _submit(client, page, action)
    assert response.status_code in {302, 303}, response.content.decode()[:3000]
    after = _snapshot(obj)
    assert after == before


def test_it_renders_every_date_input_as_an_iso_date(alice, alice_client):
    person = _person(alice)
    pages = [
        reverse("network:person_edit", args=[person.pk]),
        reverse("asks:ledger"),
        reverse("asks:new"),
    ]
    for page in pages:
        html = alice_client.get(page).content.decode()
        dates = re.findall(r'<input[^>]*type="date"[^>]*>', html)
        assert dates, f"no date input on {page}"
        for tag in dates:
            value = re.search(r'value="([^"]*)"', tag)
            assert value is None or ISO.match(value.group(1)), (page, tag)
    html = alice_client.get(pages[0]).content.decode()
    assert 'value="2017-04-20"' in html
    ledger = alice_client.get(pages[1]).content.decode()
    when = re.findall(r'<input[^>]*type="date"[^>]*value="(\d{4}-\d{2}-\d{2})"', ledger)
    assert when, "the ledger's When starts at today, as an ISO date"
