"""Whom to ask: rank the seeker's people for one kind of ask, with a plain reason for each.

Pure Python, no Django: plain dataclasses in, ranked suggestions out. The selector
(nudges/selectors.py) loads the data; this module only scores, orders and explains.

How a person scores (higher is better):

- **Tie strength** (0 to 1) from closeness (1-5, when the seeker gave one), the relationship,
  LinkedIn messages exchanged, being in the circle, and having been asked in the last year.
- **Fit for the kind of ask.** For introductions, referrals and job leads, moderately weak ties
  fit best: an inverted U that peaks at `WEAK_PEAK`, so someone the seeker rarely talks to beats
  both the closest ties and total strangers (Rajkumar et al., Science 2022, 20 million LinkedIn
  users). For emotional support, practical help and accountability, the stronger the better.
  Anything else prefers ties in the middle, mildly.
- **Relevance**: works at the company this ask is about, at a target company or where an
  application is under way (loose company matching is done by the selector), position words
  matching the ask, position words matching the roles the seeker is going for.
- **History**: never asked is boosted, said yes before is boosted; asked in the last 30 days,
  or already holding the cap of open asks, is demoted. Opted out, or still to answer an ask
  (or still to be asked in person), is excluded: nobody is asked again while an ask waits.
- **Tiers for leads.** For introductions, referrals and job leads, the people at a company
  the ask is about come first, whoever they are; partner and family come last (they belong to
  support asks), so they only fill the list when there aren't enough others.
- **Diversity**: the k-th best person of a relationship (within a tier) loses
  `DIVERSITY_STEP * k` (up to `DIVERSITY_MAX_STEPS`), so the top of the list spans several
  relationships, not ten former colleagues. Because it only depends on rank within a
  relationship, a person who scores below everyone else never changes the relative order of
  the others.
- **Each person once**: the same id twice, or two records with the same name at the same
  company, are one person (the better-scoring record is kept).
- **One wildcard**, outside the list shown: a weak tie whose relationship is outside the
  seeker's usual ones (falling back to a weak tie never asked), labelled "Wildcard". For leads
  it is never partner or family.
"""

from __future__ import annotations

import heapq
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

__all__ = [
    "STRONG_KINDS",
    "CLOSE_RELATIONSHIPS",
    "WEAK_KINDS",
    "WILDCARD_ADVICE",
    "AskContext",
    "Candidate",
    "CompanyLink",
    "Ranking",
    "Suggestion",
    "mentioned_company_keys",
    "rank",
    "score",
    "tie_strength",
    "usual_relationships",
    "words",
]

# Kinds of ask (asks.models.Kind values) and which ties suit them.
WEAK_KINDS = frozenset({"introduction", "referral", "job_lead"})
STRONG_KINDS = frozenset({"emotional_support", "practical_help", "accountability"})
# The closest ties: for leads they come after everyone else (they belong to support asks).
CLOSE_RELATIONSHIPS = frozenset({"partner", "family"})

# Tie strength of a relationship when nothing else is known (closeness, messages).
RELATIONSHIP_STRENGTH = {
    "partner": 1.0,
    "family": 0.9,
    "friend": 0.75,
    "mentor": 0.6,
    "former_colleague": 0.45,
    "classmate": 0.4,
    "other": 0.25,
    "recruiter": 0.2,
    "acquaintance": 0.2,
}
RELATIONSHIP_LABEL = {
    "partner": "your partner",
    "family": "family",
    "friend": "a friend",
    "mentor": "a mentor",
    "former_colleague": "a former colleague",
    "classmate": "a classmate",
    "recruiter": "a recruiter",
    "acquaintance": "an acquaintance",
    "other": "someone you know",
}
AUDIENCE_BONUS = {"inner": 0.2, "supporters": 0.1}
MESSAGES_FOR_FULL = 50  # this many LinkedIn messages or more is as strong as messages get
_LOG_MESSAGES_FULL = math.log1p(MESSAGES_FOR_FULL)

WEAK_PEAK = 0.3  # the tie strength that fits leads and referrals best
WEAK_TIE_MAX = 0.45  # below this a tie counts as weak (for reasons and the wildcard)
STRONG_TIE_MIN = 0.6

TIE_WEIGHT = 3.0
FOCUS_BOOST = 4.0  # works at the company this ask (or page) is about
COMPANY_BOOST = 1.5  # works at a target company, or where an application is under way
BOTH_COMPANY_BOOST = 2.0  # both of those
WORD_BOOST = 0.75  # per position word matching the ask, up to MAX_WORD_MATCHES
MAX_WORD_MATCHES = 2
FIELD_BOOST = 0.5  # position matches a role the seeker is going for
NEVER_ASKED_BOOST = 0.8
SAID_YES_BOOST = 1.0
RECENT_DAYS = 30
RECENT_PENALTY = 3.0
AT_CAP_PENALTY = 4.0
RECENT_CONTACT_DAYS = 365
RECENT_CONTACT_BONUS = 0.1
DIVERSITY_STEP = 0.5
DIVERSITY_MAX_STEPS = 10

WILDCARD_LABEL = "Wildcard"
WILDCARD_ADVICE = "Don't make assumptions about what they might add."

_STAGE_PHRASE = {
    "idea": "which is on your list",
    "screening": "where you're in screening",
    "interviewing": "where you're interviewing",
    "offer": "where you have an offer",
}
_MONTHS = (
    "January February March April May June July August September October November December"
).split()
_WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
_WORD_RE = re.compile(r"[^\W\d_]{3,}")
_STOPWORDS = frozenset(
    """about after again all also and any anyone are ask asking away back based been before
    being but call can chat coffee could did does doing down each even every few for from get
    give going good great had has have hear heard help her here him his how into its job jobs
    just know let like look looking make many may might more most much need needs new next not
    now off one only open opening openings other our out over please quick really role roles
    said same say see she should some someone something such take talk team than thank thanks
    that the their them then there these they thing think this those through time too two very
    want was way week weeks well were what when where which while who why will with work
    working would year years you your yours minutes minute senior junior lead head principal
    staff chief intern associate assistant introduce introduction referral refer lead leads
    advice company companies people person""".split()
)
_SUFFIXES = ("ing", "ers", "er", "s")


def _stem(word: str) -> str:
    for _ in range(2):
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                word = word[: -len(suffix)]
                break
        else:
            break
    return word


def words(text: str) -> frozenset[str]:
    """The meaningful words of a text, lower-cased and roughly stemmed ("designers" = "design")."""
    return frozenset(_stem(w) for w in _WORD_RE.findall(text.casefold()) if w not in _STOPWORDS)


# Companies named in an ask ------------------------------------------------------------------

MAX_COMPANY_TOKENS = 6  # longer company keys are not looked for in the text
# Values people put in a "company" field that are not an employer anyone could be asked about.
NOT_COMPANIES = frozenset(
    {
        "self employed",
        "selfemployed",
        "freelance",
        "freelancer",
        "independent",
        "independent consultant",
        "retired",
        "student",
        "unemployed",
        "none",
        "n a",
        "na",
        "various",
        "stealth",
        "stealth startup",
        "confidential",
        "private",
        "home",
        "homemaker",
        "career break",
    }
)
_APOSTROPHES = "'\u2019\u02bc\u2018`\u00b4"
_TOKEN_RE = re.compile(r"[^\W_]+")
_AMPERSAND_RE = re.compile(r"\s+&\s+")


def _fold_tokens(text: str, apostrophe: str) -> list[str]:
    """Tokens as network.companies folds a company name (accents and punctuation gone, "&"
    between words is "and"), keeping case. `apostrophe` replaces apostrophes: "" joins
    ("McDonald's" -> "McDonalds", as company keys spell it), " " splits ("Acme's" -> "Acme s")."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _AMPERSAND_RE.sub(" and ", text)
    text = text.translate({ord(a): apostrophe for a in _APOSTROPHES}).replace("&", "")
    return _TOKEN_RE.findall(text)


def mentioned_company_keys(text: str, keys: Iterable[str]) -> frozenset[str]:
    """The company keys (network.companies.company_key values) that `text` names.

    Pure and fast: the text's word sequences are folded the way company keys are, once, and
    each key is looked up in them. A one-word key must be three letters or more, not a common
    word, and written with a capital in the text ("Apple", not "an apple"), so "On" or "Next"
    never match every ask. Values like "Self-employed" or "Freelance" are never companies.
    """
    if not text:
        return frozenset()
    phrases: set[str] = set()
    capitalised: set[str] = set()
    for apostrophe in ("", " "):
        tokens = _fold_tokens(text, apostrophe)
        lower = [t.casefold() for t in tokens]
        for i, token in enumerate(tokens):
            if token[0].isupper() or token[0].isdigit():
                capitalised.add(lower[i])
            for n in range(1, MAX_COMPANY_TOKENS + 1):
                if i + n > len(lower):
                    break
                phrases.add(" ".join(lower[i : i + n]))
    found = set()
    for key in keys:
        if not key or key not in phrases or key in NOT_COMPANIES:
            continue
        if " " not in key and (len(key) < 3 or key in _STOPWORDS or key not in capitalised):
            continue
        found.add(key)
    return frozenset(found)


@dataclass(slots=True)
class Candidate:
    """One of the seeker's people, with the little history that matters for asking."""

    id: int
    name: str
    relationship: str = "acquaintance"
    closeness: int | None = None
    messages_count: int = 0
    company: str = ""
    company_key: str = ""
    position: str = ""
    connected_on: date | None = None
    asked: int = 0  # asks sent to them, ever
    said_yes: int = 0  # of those, how many they said yes to (or helped with)
    last_asked_on: date | None = None
    open_asks: int = 0  # open asks holding them right now
    waiting: int = 0  # open asks they haven't answered yet (or still to ask): never suggested
    audience: str = ""  # their circle audience, "" if not in the circle
    opted_out: bool = False  # unsubscribed or left the circle: never suggested
    suggested_by: str = ""  # the name of who suggested them ("I can't, but try …")


@dataclass(frozen=True, slots=True)
class CompanyLink:
    """Why a company matters to the seeker: a target, an application, or both."""

    company: str
    target: bool = False
    stage: str = ""  # the most advanced active opportunity there, if any
    stage_on: date | None = None


@dataclass(frozen=True, slots=True)
class AskContext:
    kind: str
    today: date
    words: frozenset[str] = frozenset()  # words(the ask's request)
    field_words: frozenset[str] = frozenset()  # words(the roles the seeker is going for)
    companies: Mapping[str, CompanyLink] = field(default_factory=dict)  # by company_key
    focus_keys: frozenset[str] = frozenset()  # company keys this ask (or page) is about
    focus_company: str = ""  # the target's name, when the focus is a target
    focus_names: Mapping[str, str] = field(default_factory=dict)  # key -> name, as written
    usual_relationships: frozenset[str] = frozenset()
    open_cap: int = 2

    @property
    def strategy(self) -> str:
        if self.kind in WEAK_KINDS:
            return "weak"
        if self.kind in STRONG_KINDS:
            return "strong"
        return "balanced"


@dataclass(frozen=True, slots=True)
class Suggestion:
    id: int
    name: str
    company: str
    position: str
    relationship: str
    score: float
    reasons: tuple[str, ...]
    wildcard: bool = False
    can_add: bool = True  # False when they already hold the cap of open asks

    @property
    def reason(self) -> str:
        return " ".join(self.reasons)

    @property
    def label(self) -> str:
        return WILDCARD_LABEL if self.wildcard else ""


@dataclass(frozen=True, slots=True)
class Ranking:
    people: list[Suggestion]
    wildcard: Suggestion | None
    considered: int  # how many people were eligible

    @property
    def ids(self) -> list[int]:
        return [s.id for s in self.people]


def tie_strength(c: Candidate, today: date) -> float:
    """0 (a stranger) to 1 (the closest tie)."""
    rel = RELATIONSHIP_STRENGTH.get(c.relationship, 0.25)
    m = c.messages_count
    msg = min(1.0, math.log1p(m) / _LOG_MESSAGES_FULL) if m > 0 else 0.0
    if c.closeness is not None:
        closeness = (min(max(c.closeness, 1), 5) - 1) / 4
        s = 0.6 * closeness + 0.25 * rel + 0.15 * msg
    else:
        s = 0.6 * rel + 0.4 * msg
    s += AUDIENCE_BONUS.get(c.audience, 0.0)
    if c.last_asked_on is not None and (today - c.last_asked_on).days <= RECENT_CONTACT_DAYS:
        s += RECENT_CONTACT_BONUS
    return min(s, 1.0)


def _fit(strategy: str, s: float) -> float:
    """How well a tie of strength s suits the kind of ask, 0 to 1."""
    if strategy == "weak":  # inverted U
        if s <= WEAK_PEAK:
            return 0.35 + 0.65 * s / WEAK_PEAK
        return 1.0 - 0.85 * (s - WEAK_PEAK) / (1.0 - WEAK_PEAK)
    if strategy == "strong":
        return 0.1 + 0.9 * s
    return 1.0 - abs(s - 0.5)


class _Scorer:
    """Scores one candidate; caches per position string and per tie (relationship,
    closeness, messages, audience, last asked), which repeat a lot across 30,000 people."""

    def __init__(self, ctx: AskContext) -> None:
        self.ctx = ctx
        self.strategy = ctx.strategy
        self.relevance = 0.25 if self.strategy == "strong" else 1.0
        self._positions: dict[str, tuple[int, bool]] = {}
        self._ties: dict[tuple[object, ...], tuple[float, float]] = {}

    def position_match(self, position: str) -> tuple[int, bool]:
        hit = self._positions.get(position)
        if hit is None:
            found = words(position) if position else frozenset()
            hit = (len(found & self.ctx.words), bool(found & self.ctx.field_words))
            self._positions[position] = hit
        return hit

    def __call__(self, c: Candidate) -> tuple[float, float]:
        """(base score, tie strength)."""
        ctx = self.ctx
        tie = (c.relationship, c.closeness, c.messages_count, c.audience, c.last_asked_on)
        hit = self._ties.get(tie)
        if hit is None:
            strength = tie_strength(c, ctx.today)
            hit = (strength, TIE_WEIGHT * _fit(self.strategy, strength))
            self._ties[tie] = hit
        s, total = hit
        relevance = 0.0
        key = c.company_key
        if key:
            if key in ctx.focus_keys:
                relevance += FOCUS_BOOST
            link = ctx.companies.get(key)
            if link is not None:
                both = link.target and link.stage
                relevance += BOTH_COMPANY_BOOST if both else COMPANY_BOOST
        if c.position:
            matches, same_field = self.position_match(c.position)
            relevance += WORD_BOOST * min(matches, MAX_WORD_MATCHES)
            if same_field:
                relevance += FIELD_BOOST
        total += self.relevance * relevance
        if c.asked == 0:
            total += NEVER_ASKED_BOOST
        if c.said_yes:
            total += SAID_YES_BOOST
        if c.last_asked_on is not None and (ctx.today - c.last_asked_on).days < RECENT_DAYS:
            total -= RECENT_PENALTY
        if c.open_asks >= ctx.open_cap:
            total -= AT_CAP_PENALTY
        return total, s


# (base score, -id, tie strength, candidate): sorts best first, ties by id, never compares c.
type _Entry = tuple[float, int, float, Candidate]


def score(c: Candidate, ctx: AskContext) -> float:
    """The base score of one person for this ask, before diversity."""
    return _Scorer(ctx)(c)[0]


def usual_relationships(candidates: Iterable[Candidate]) -> frozenset[str]:
    """The relationships the seeker usually asks: each one that holds 20% or more of the
    people they have asked. Before any ask, the ones people think of first."""
    counts: dict[str, int] = {}
    for c in candidates:
        if c.asked:
            counts[c.relationship] = counts.get(c.relationship, 0) + 1
    total = sum(counts.values())
    if not total:
        return frozenset({"partner", "family", "friend"})
    return frozenset(rel for rel, n in counts.items() if n * 5 >= total)


def _better(a: _Entry, b: _Entry) -> bool:
    """Whether entry a beats entry b for the same person: higher score, then lower id, then
    the fuller record, so the choice never depends on input order."""
    if a[:3] != b[:3]:
        return a[:3] > b[:3]
    ca, cb = a[3], b[3]
    return (ca.company, ca.position, ca.relationship, ca.name) > (
        cb.company,
        cb.position,
        cb.relationship,
        cb.name,
    )


def _keep_best(entries: Iterable[_Entry], key: Callable[[_Entry], object]) -> list[_Entry]:
    best: dict[object, _Entry] = {}
    for entry in entries:
        k = key(entry)
        current = best.get(k)
        if current is None or _better(entry, current):
            best[k] = entry
    return list(best.values())


def rank(
    candidates: Sequence[Candidate] | Iterable[Candidate],
    ctx: AskContext,
    *,
    limit: int | None = 10,
) -> Ranking:
    """The best `limit` people for this ask (all of them if None), plus one wildcard.

    Deterministic: ties are broken by id. `rank(..., limit=n).people` is always the first n
    of `rank(..., limit=None).people`. The wildcard is only chosen when there is a limit: it
    is someone beyond the list. Each person appears once.
    """
    if not isinstance(candidates, Sequence):
        candidates = list(candidates)  # read twice in a rare case below
    scorer = _Scorer(ctx)
    weak = ctx.strategy == "weak"
    # Each person once, in the same pass: the best entry for each name (ignoring case and
    # doubled spaces) at each company, since two such records are the same person to the
    # seeker (one added by hand, one imported, say). The rare cases are settled after the loop.
    excluded: set[int] = set()
    best: dict[tuple[str, str], _Entry] = {}
    for c in candidates:
        if c.opted_out or c.waiting > 0:
            excluded.add(c.id)
            continue
        base, s = scorer(c)
        entry = (base, -c.id, s, c)
        name = c.name.casefold()
        if "  " in name:
            name = " ".join(name.split())
        identity = (name, c.company_key)
        current = best.get(identity)
        if current is None or _better(entry, current):
            best[identity] = entry
    entries = list(best.values())
    if excluded and not excluded.isdisjoint([-e[1] for e in entries]):
        # someone listed twice, once opted out or waiting: out is out, and rank the rest again
        return rank([c for c in candidates if c.id not in excluded], ctx, limit=limit)
    if len({e[1] for e in entries}) != len(entries):  # one id under two names
        entries = _keep_best(entries, lambda e: e[1])
    groups: dict[tuple[int, str], list[_Entry]] = {}
    focus = ctx.focus_keys
    for entry in entries:
        c = entry[3]
        tier = 1  # for leads: 0 at a company the ask is about, 2 partner and family
        if weak:
            if c.company_key and c.company_key in focus:
                tier = 0
            elif c.relationship in CLOSE_RELATIONSHIPS:
                tier = 2
        key = (tier, c.relationship)
        group = groups.get(key)
        if group is None:
            groups[key] = [entry]
        else:
            group.append(entry)
    considered = len(entries)

    # Within a tier and relationship, adjusted order equals base order, so only the first
    # `limit` of each group can reach the top `limit`.
    adjusted: list[tuple[int, float, int, float, Candidate]] = []
    for (tier, _relationship), group in groups.items():
        top = heapq.nlargest(limit, group) if limit is not None else sorted(group, reverse=True)
        for index, (base, neg_id, _s, c) in enumerate(top):
            penalty = DIVERSITY_STEP * min(index, DIVERSITY_MAX_STEPS)
            adjusted.append((tier, base - penalty, neg_id, base, c))
    adjusted.sort(key=lambda row: (row[0], -row[1], -row[2]))
    if limit is not None:
        adjusted = adjusted[:limit]
    people = [_suggest(c, base, ctx, scorer) for _, _, _, base, c in adjusted]
    wildcard = None
    if limit is not None:
        shown = {c.id for *_, c in adjusted}
        wildcard = _wildcard(groups, shown, ctx, scorer)
    return Ranking(people=people, wildcard=wildcard, considered=considered)


def _wildcard(
    groups: Mapping[tuple[int, str], list[_Entry]],
    shown: set[int],
    ctx: AskContext,
    scorer: _Scorer,
) -> Suggestion | None:
    """A weak tie outside the usual relationships; failing that, a weak tie never asked.
    For leads, never partner or family."""
    outside: _Entry | None = None
    never_asked: _Entry | None = None
    weak = ctx.strategy == "weak"
    for (_, relationship), group in groups.items():
        if weak and relationship in CLOSE_RELATIONSHIPS:
            continue
        usual = relationship in ctx.usual_relationships
        for entry in group:
            c = entry[3]
            if c.id in shown or c.open_asks >= ctx.open_cap:
                continue
            if c.last_asked_on is not None and (ctx.today - c.last_asked_on).days < RECENT_DAYS:
                continue
            if entry[2] >= WEAK_TIE_MAX:
                continue
            if not usual:
                if outside is None or entry[:2] > outside[:2]:
                    outside = entry
            elif c.asked == 0 and (never_asked is None or entry[:2] > never_asked[:2]):
                never_asked = entry
    chosen = outside or never_asked
    if chosen is None:
        return None
    return _suggest(chosen[3], chosen[0], ctx, scorer, wildcard=True, outside=outside is not None)


# Reasons ---------------------------------------------------------------------------------


def _ago(days: int) -> str:
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    if days < 60:
        return f"{days // 7} weeks ago"
    if days < 365:
        return f"{days // 30} months ago"
    years = days // 365
    return "a year ago" if years == 1 else f"{years} years ago"


def _on(day: date, today: date) -> str:
    days = (today - day).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if 1 < days < 7:
        return f"on {_WEEKDAYS[day.weekday()]}"
    if day.year == today.year:
        return f"on {day.day} {_MONTHS[day.month - 1]}"
    return f"in {_MONTHS[day.month - 1]} {day.year}"


def _company_sentence(c: Candidate, ctx: AskContext) -> str:
    link = ctx.companies.get(c.company_key) if c.company_key else None
    # The seeker's own spelling (their target or application), not the import's "ACME LTD".
    company = link.company if link else c.company
    if link is not None and link.stage:
        if link.stage == "applied":
            when = f" {_on(link.stage_on, ctx.today)}" if link.stage_on else ""
            return f"Works at {company}, where you applied{when}."
        return f"Works at {company}, {_STAGE_PHRASE.get(link.stage, 'which is on your list')}."
    if link is not None and link.target:
        return f"Works at {company}, one of your target companies."
    if c.company_key and c.company_key in ctx.focus_keys:
        named = ctx.focus_names.get(c.company_key)
        if named:
            return f"Works at {named}, which your ask mentions."
        return f"Works at {ctx.focus_company or company}."
    return ""


def _tie_sentence(c: Candidate, s: float, ctx: AskContext, strategy: str) -> str:
    label = RELATIONSHIP_LABEL.get(c.relationship, "someone you know")
    linkedin = ""
    if c.connected_on is not None:
        linkedin = f"You connected on LinkedIn {_ago((ctx.today - c.connected_on).days)}"
        if c.messages_count:
            n = c.messages_count
            linkedin += f" and have exchanged {n} message{'s' if n != 1 else ''}"
    elif c.messages_count:
        n = c.messages_count
        linkedin = f"You've exchanged {n} LinkedIn message{'s' if n != 1 else ''}"
    if strategy == "weak":
        if s < WEAK_TIE_MAX:
            lead = linkedin or f"{label[0].upper()}{label[1:]}, not a close tie"
            return f"{lead}: people like this are the ones most likely to know of openings."
        if s >= STRONG_TIE_MIN:
            return (
                "You're close, so they may hear of the same openings you do: ask a looser tie too."
            )
        return f"{label[0].upper()}{label[1:]}: close enough to ask, loose enough to know of other openings."
    if strategy == "strong":
        if s >= STRONG_TIE_MIN:
            return f"{label[0].upper()}{label[1:]}, and close to you: the people who know you best are the ones to lean on."
        if s >= WEAK_TIE_MAX:
            return f"{label[0].upper()}{label[1:]} you know well enough to ask."
        return "You don't know each other well yet, so keep the ask small."
    return f"{linkedin}." if linkedin else f"{label[0].upper()}{label[1:]}."


def _suggest(
    c: Candidate,
    base: float,
    ctx: AskContext,
    scorer: _Scorer,
    *,
    wildcard: bool = False,
    outside: bool = False,
) -> Suggestion:
    reasons: list[str] = []
    company = _company_sentence(c, ctx)
    if company:
        reasons.append(company)
    if c.suggested_by:
        reasons.append(f"{c.suggested_by} suggested you ask them.")
    if c.position:
        matches, same_field = scorer.position_match(c.position)
        if matches:
            reasons.append(f"Their role, {c.position}, matches what you're asking about.")
        elif same_field:
            reasons.append(f"Works in your field, as {c.position}.")
    if c.asked == 0:
        reasons.append(f"You've never asked {c.name}.")
    elif c.said_yes:
        reasons.append(f"{c.name} said yes when you asked before.")
    if c.last_asked_on is not None and (ctx.today - c.last_asked_on).days < RECENT_DAYS:
        reasons.append(
            f"You asked them {_ago((ctx.today - c.last_asked_on).days)}: give them a little room."
        )
    at_cap = c.open_asks >= ctx.open_cap
    if at_cap:
        reasons.append(
            f"They already have {c.open_asks} open asks from you: close or thank one first."
        )
    s = tie_strength(c, ctx.today)
    reasons.append(_tie_sentence(c, s, ctx, ctx.strategy))
    if wildcard:
        label = RELATIONSHIP_LABEL.get(c.relationship, "someone you know")
        why = "Someone you might not think of"
        why += f": you don't usually ask {label}." if outside else "."
        reasons.insert(0, why)
        reasons.append(WILDCARD_ADVICE)
    return Suggestion(
        id=c.id,
        name=c.name,
        company=c.company,
        position=c.position,
        relationship=c.relationship,
        score=round(base, 3),
        reasons=tuple(reasons),
        wildcard=wildcard,
        can_add=not at_cap,
    )
