"""What goes in and out of the API, typed: the OpenAPI document is built from these.

Enumerations are the models' own choices, so the schema lists exactly what the app accepts.
Schemas check shapes and sizes; the app's rules (a valid email, a LinkedIn address, a date not
yet passed…) are the forms' and actions', applied by the views (helpwanted/api/validation.py).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import BeforeValidator, ConfigDict

from helpwanted.asks.models import Kind, LedTo, Recipient
from helpwanted.circle.models import Audience, Consent
from helpwanted.journey.models import OpportunitySource, Stage, UpdateAudience, UpdateKind
from helpwanted.network.models import Relationship


def _iso_only(value: object) -> object:
    """Dates and times in ISO 8601 only: pydantic would read 0.5 or "1700000000" as a Unix time."""
    if isinstance(value, bool | int | float) or (
        isinstance(value, str) and re.fullmatch(r"[\d.eE+-]+", value.strip()) and "-" not in value
    ):
        raise ValueError("Use an ISO 8601 date, like 2026-11-29 (or 2026-11-29T09:00:00Z).")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_only)]
IsoDateTime = Annotated[datetime, BeforeValidator(_iso_only)]


class In(Schema):
    """What a client sends: an unknown field is a 422 (a typo, or a field that isn't writable
    here, like an opportunity's stage), never silently dropped."""

    model_config = ConfigDict(extra="forbid")


Text = Annotated[str, Field(max_length=200)]
LongText = Annotated[str, Field(max_length=5000)]
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


# --- people --------------------------------------------------------------------------------


class PersonOut(Schema):
    id: int
    name: str
    nickname: str
    emails: list[str]
    phones: list[str]
    company: str
    position: str
    location: str
    linkedin_url: str
    relationship: Relationship
    how_we_know: str
    closeness: int | None
    tags: list[str]
    notes: str
    sources: list[str]
    connected_on: date | None
    archived: bool
    circle_member_id: int | None
    created_at: datetime
    updated_at: datetime


class PersonIn(In):
    name: Annotated[str, Field(max_length=200)]
    nickname: Annotated[str, Field(max_length=60)] = ""
    emails: Annotated[list[Annotated[str, Field(max_length=254)]], Field(max_length=20)] = []
    phones: Annotated[list[Annotated[str, Field(max_length=50)]], Field(max_length=20)] = []
    company: Text = ""
    position: Text = ""
    location: Text = ""
    linkedin_url: Annotated[str, Field(max_length=300)] = ""
    relationship: Relationship = Relationship.ACQUAINTANCE
    how_we_know: Annotated[str, Field(max_length=300)] = ""
    closeness: Annotated[int, Field(ge=1, le=5)] | None = None
    tags: Annotated[list[Annotated[str, Field(max_length=60)]], Field(max_length=20)] = []
    notes: LongText = ""
    connected_on: IsoDate | None = None


class PersonPatch(In):
    """Only the fields sent change. `archived` archives the person, or brings them back."""

    name: Annotated[str, Field(max_length=200)] | None = None
    nickname: Annotated[str, Field(max_length=60)] | None = None
    emails: Annotated[list[Annotated[str, Field(max_length=254)]], Field(max_length=20)] | None = (
        None
    )
    phones: Annotated[list[Annotated[str, Field(max_length=50)]], Field(max_length=20)] | None = (
        None
    )
    company: Text | None = None
    position: Text | None = None
    location: Text | None = None
    linkedin_url: Annotated[str, Field(max_length=300)] | None = None
    relationship: Relationship | None = None
    how_we_know: Annotated[str, Field(max_length=300)] | None = None
    closeness: Annotated[int, Field(ge=1, le=5)] | None = None
    tags: Annotated[list[Annotated[str, Field(max_length=60)]], Field(max_length=20)] | None = None
    notes: LongText | None = None
    connected_on: IsoDate | None = None
    archived: bool | None = None


# --- targets and circle --------------------------------------------------------------------


class TargetOut(Schema):
    id: int
    company: str
    why: str
    notes: str
    created_at: datetime


class TargetIn(In):
    company: Annotated[str, Field(max_length=200)]
    why: Annotated[str, Field(max_length=300)] = ""


class MemberOut(Schema):
    id: int
    person_id: int
    name: str
    audience: Audience
    consented: bool
    consent_via: Consent | None
    invited_at: datetime | None
    left_at: datetime | None
    unsubscribed: bool
    link_switched_off: bool
    created_at: datetime


# --- asks ----------------------------------------------------------------------------------


class AskOut(Schema):
    id: int
    kind: Kind
    request: str
    why: str
    needed_by: date | None
    target_id: int | None
    follow_up_days: int
    is_draft: bool
    created_at: datetime
    sent_at: datetime | None
    closed_at: datetime | None


class AskIn(In):
    """A new ask is a draft: sending it (one email each) is done on its page in the app."""

    kind: Kind = Kind.ADVICE
    request: Annotated[str, Field(max_length=5000)]
    why: LongText = ""
    needed_by: IsoDate | None = None
    target_id: Id | None = None
    follow_up_days: Annotated[int, Field(ge=1, le=30)] = 5
    person_ids: Annotated[list[Id], Field(max_length=50)] = []


class AskPatch(In):
    kind: Kind | None = None
    request: Annotated[str, Field(max_length=5000)] | None = None
    why: LongText | None = None
    needed_by: IsoDate | None = None
    target_id: Id | None = None
    follow_up_days: Annotated[int, Field(ge=1, le=30)] | None = None


class RecipientOut(Schema):
    id: int
    ask_id: int
    person_id: int
    person_name: str
    personal_line: str
    channel: Recipient.Channel
    status: Recipient.Status
    answer_message: str
    offer_when: str
    suggested_person_id: int | None
    outcome: str
    led_to: LedTo | None
    sent_at: datetime | None
    opened_at: datetime | None
    answered_at: datetime | None
    followed_up_at: datetime | None
    done_at: datetime | None
    thanked_at: datetime | None


class RecipientIn(In):
    person_id: Id
    personal_line: Annotated[str, Field(max_length=500)] = ""


class RecipientPatch(In):
    personal_line: Annotated[str, Field(max_length=500)] | None = None
    channel: Recipient.Channel | None = None


# --- the journey ---------------------------------------------------------------------------


class OpportunityOut(Schema):
    id: int
    company: str
    role: str
    link: str
    source: OpportunitySource
    referred_by_id: int | None
    target_id: int | None
    helper_ids: list[int]
    notes: str
    stage: Stage
    stage_changed_at: datetime
    created_at: datetime


class OpportunityIn(In):
    company: Annotated[str, Field(max_length=200)]
    role: Annotated[str, Field(max_length=200)]
    link: Annotated[str, Field(max_length=500)] = ""
    source: OpportunitySource = OpportunitySource.OWN_SEARCH
    referred_by_id: Id | None = None
    stage: Stage = Stage.IDEA
    notes: LongText = ""


class OpportunityPatch(In):
    """Stages never change here: POST to the opportunity's stages, so the history is kept."""

    company: Annotated[str, Field(max_length=200)] | None = None
    role: Annotated[str, Field(max_length=200)] | None = None
    link: Annotated[str, Field(max_length=500)] | None = None
    source: OpportunitySource | None = None
    referred_by_id: Id | None = None
    notes: LongText | None = None


class StageChangeOut(Schema):
    id: int
    opportunity_id: int
    from_stage: Stage | None
    to_stage: Stage
    note: str
    at: datetime


class StageMoveIn(In):
    stage: Stage
    note: Annotated[str, Field(max_length=500)] = ""


class ReplyOut(Schema):
    id: int
    kind: str
    reaction: str
    text: str
    from_name: str
    accepted: bool
    created_at: datetime


class UpdateOut(Schema):
    id: int
    kind: UpdateKind
    audience: UpdateAudience
    text: str
    opportunity_id: int | None
    created_at: datetime
    replies: list[ReplyOut]


class UpdateIn(In):
    """Posting shares it with its audience; hard news goes out right away to those who chose it."""

    kind: UpdateKind
    text: Annotated[str, Field(max_length=2000)]
    audience: UpdateAudience | None = None
    opportunity_id: Id | None = None


class CheckInOut(Schema):
    id: int
    day: date
    hope: int
    energy: int
    confidence: int
    note: str
    shared: bool
    share_note: bool
    created_at: datetime
    updated_at: datetime


class CheckInIn(In):
    """Today's check-in (in your timezone): a second one the same day edits the first."""

    hope: Annotated[int, Field(ge=1, le=5)]
    energy: Annotated[int, Field(ge=1, le=5)]
    confidence: Annotated[int, Field(ge=1, le=5)]
    note: Annotated[str, Field(max_length=2000)] = ""
    shared: bool = False
    share_note: bool = False


# --- you -----------------------------------------------------------------------------------


class TokenInfo(Schema):
    name: str
    can_write: bool
    expires_at: datetime | None


class MeOut(Schema):
    email: str
    display_name: str
    timezone: str
    token: TokenInfo | None


# --- pages ---------------------------------------------------------------------------------


class PeoplePage(Schema):
    items: list[PersonOut]
    next_cursor: str | None


class TargetPage(Schema):
    items: list[TargetOut]
    next_cursor: str | None


class MemberPage(Schema):
    items: list[MemberOut]
    next_cursor: str | None


class AskPage(Schema):
    items: list[AskOut]
    next_cursor: str | None


class RecipientPage(Schema):
    items: list[RecipientOut]
    next_cursor: str | None


class OpportunityPage(Schema):
    items: list[OpportunityOut]
    next_cursor: str | None


class StageChangePage(Schema):
    items: list[StageChangeOut]
    next_cursor: str | None


class UpdatePage(Schema):
    items: list[UpdateOut]
    next_cursor: str | None


class CheckInPage(Schema):
    items: list[CheckInOut]
    next_cursor: str | None
