"""Job clubs: seekers who help each other, with a facilitator (docs/how-it-works.md, "Job clubs").

Nothing here copies a member's private data: the club sees counts and what a member chose to share,
computed from their own records at read time and filtered by their Membership's share settings.
"""

import uuid
from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone as dj_timezone

from helpwanted.asks.models import Kind as AskKind


class Club(models.Model):
    """A small group that meets regularly, run by a facilitator (any account)."""

    name = models.CharField(max_length=120)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clubs_run"
    )
    # The meeting rhythm: weekly by default, on this weekday (0 is Monday) at this local time.
    meeting_weekday = models.PositiveSmallIntegerField(default=1, help_text="0 is Monday.")
    meeting_time = models.TimeField(default=time(10, 0))
    meeting_minutes = models.PositiveSmallIntegerField(default=90)
    every_weeks = models.PositiveSmallIntegerField(default=1)
    timezone = models.CharField(max_length=64, default="UTC")
    place = models.CharField(
        "place or video link", max_length=300, blank=True, help_text="An address or a video link."
    )
    size_limit = models.PositiveSmallIntegerField(default=12)
    created_at = models.DateTimeField(default=dj_timezone.now)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A seeker in a club. Leaving sets left_at: club pages show only current members' things."""

    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        # Landed a job and stayed on: offers help, makes no requests.
        ALUMNUS = "alumnus", "Alumnus"

    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="club_memberships"
    )
    role = models.CharField(max_length=10, choices=Role, default=Role.MEMBER)
    joined_at = models.DateTimeField(default=dj_timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)
    landed_at = models.DateTimeField(null=True, blank=True)
    # Buddies point at each other; the actions that pair and unpair keep both sides in step.
    buddy = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Members pick each other: A asks for B here; when B asks for A too, they are paired.
    buddy_wanted = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the club sees of this member's week (the defaults are the issue's; docs say who sees what).
    share_asks = models.BooleanField("counts of asks sent and answered", default=True)
    share_applications = models.BooleanField("how many applications", default=True)
    share_interviews = models.BooleanField("how many interviews", default=True)
    share_checkins = models.BooleanField("check-in scores (never the notes)", default=False)
    # Club emails (meeting reminders, the weekly club summary, offers on your request).
    club_emails = models.BooleanField(default=True)
    last_active_at = models.DateTimeField(default=dj_timezone.now)
    # The Monday of the last week whose club summary this member got, in whichever weekly email
    # carried it (their own, the check-in reminder or the helpers' digest): one a week at most.
    weekly_sent_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["club", "user"], name="club_membership_unique"),
        ]
        indexes = [models.Index(fields=["user", "left_at"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.club}"

    @property
    def is_current(self) -> bool:
        return self.left_at is None


CURRENT = Q(left_at__isnull=True)


class Invitation(models.Model):
    """An emailed invitation to join a club. Only the token's SHA-256 is stored."""

    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=dj_timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.email} to {self.club}"


def _meeting_uid() -> str:
    return f"{uuid.uuid4()}@helpwanted"


class Meeting(models.Model):
    """One meeting of a club. The uid is stable for calendars; sequence rises on every change."""

    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField(max_length=300, blank=True)
    uid = models.CharField(max_length=100, unique=True, default=_meeting_uid)
    sequence = models.PositiveIntegerField(default=0)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["club", "starts_at"], name="club_meeting_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.club} at {self.starts_at:%Y-%m-%d %H:%M}"


class Round(models.Model):
    """The reciprocity round of one meeting: each member may make one request, others offer."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="round")
    opened_at = models.DateTimeField(default=dj_timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Round of {self.meeting}"


class ClubRequest(models.Model):
    """A member's one request in a round, written with the coach; its SMART score is shown."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="requests")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="requests")
    kind = models.CharField(max_length=20, choices=AskKind, default=AskKind.ADVICE)
    text = models.TextField("what you'd like help with", max_length=2000)
    why = models.TextField("why it matters", max_length=2000, blank=True)
    needed_by = models.DateField(null=True, blank=True)
    smart_score = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=dj_timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    # Not stored: clubs.rounds.round_requests and the round page set these for their templates.
    shown_offers: list["Offer"]
    mine: bool
    my_offer: "Offer | None"

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "membership"], name="club_one_request_a_round"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Offer(models.Model):
    """A fellow member's (or alumnus's) offer on a request. Accepted, it becomes a normal ask."""

    class Kind(models.TextChoices):
        INTRO = "intro", "I can introduce you to someone"
        REVIEW = "review", "I'll review it"
        LEAD = "lead", "I have a lead"
        RESOURCE = "resource", "I have a resource"
        OTHER = "other", "Something else"

    class State(models.TextChoices):
        OFFERED = "offered", "Offered"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Not this time"
        WITHDRAWN = "withdrawn", "Withdrawn"

    request = models.ForeignKey(ClubRequest, on_delete=models.CASCADE, related_name="offers")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="offers")
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.OTHER)
    note = models.CharField(max_length=500, blank=True)
    state = models.CharField(max_length=10, choices=State, default=State.OFFERED)
    created_at = models.DateTimeField(default=dj_timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    # Set on acceptance: the requester's ask and its one recipient (the offerer, as a Person in the
    # requester's network). "Fulfilled" is read from the recipient's status, never stored twice.
    ask = models.ForeignKey(
        "asks.Ask", null=True, blank=True, on_delete=models.SET_NULL, related_name="club_offers"
    )
    recipient = models.OneToOneField(
        "asks.Recipient",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="club_offer",
    )
    # When the requester was told of this offer (offers are batched like answers).
    notified_at = models.DateTimeField(null=True, blank=True)

    # Not stored: clubs.rounds.round_requests sets it (accepted, and its recipient done or thanked).
    fulfilled: bool

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "membership"], name="club_one_offer_each"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.request}"


class Lead(models.Model):
    """A job lead a member passes on (Azrin's lead list), optionally for a named member."""

    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="leads")
    giver = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="leads_given")
    for_member = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="leads_for"
    )
    company = models.CharField(max_length=200)
    role = models.CharField(max_length=200)
    link = models.URLField(max_length=500, blank=True)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=dj_timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    # Not stored: clubs.leads.club_leads sets it (and `taken_by`), among current members.
    taker_ids: list[int]

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.role} at {self.company}"


class LeadTaken(models.Model):
    """A member added a lead to their opportunities (provenance kept on both sides)."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="takers")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="leads_taken")
    opportunity = models.ForeignKey(
        "journey.Opportunity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="club_leads",
    )
    taken_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lead", "membership"], name="club_lead_taken_once"),
        ]

    def __str__(self) -> str:
        return f"{self.lead} taken"


class Goal(models.Model):
    """One of a member's 1 to 3 goals for the week after a meeting, checked off at the next."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="goals")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(max_length=200)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text


class WeekCheck(models.Model):
    """A member's short weekly check for their buddy: "How did your week go?"."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="checks")
    week_of = models.DateField(help_text="The Monday of the week it is about.")
    text = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        ordering = ["-week_of", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["membership", "week_of"], name="club_one_check_a_week"),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class FacilitatorNote(models.Model):
    """The facilitator's notes on a meeting: for the club, or for themself only."""

    class Visibility(models.TextChoices):
        CLUB = "club", "The club sees this"
        PRIVATE = "private", "Only you"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(max_length=4000)
    visibility = models.CharField(max_length=10, choices=Visibility, default=Visibility.PRIVATE)
    created_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class SharedUpdate(models.Model):
    """An update the member chose to share with a club (their circle audiences are separate)."""

    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="shared_updates")
    update = models.ForeignKey(
        "journey.Update", on_delete=models.CASCADE, related_name="club_shares"
    )
    shared_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        ordering = ["-shared_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["club", "update"], name="club_update_shared_once"),
        ]

    def __str__(self) -> str:
        return f"{self.update} shared with {self.club}"
