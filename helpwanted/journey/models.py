from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone

from helpwanted.circle.models import CircleMember
from helpwanted.network.models import Person, Target

if TYPE_CHECKING:
    from helpwanted.journey.updates import ReplyGroup


class Stage(models.TextChoices):
    IDEA = "idea", "Idea"
    APPLIED = "applied", "Applied"
    SCREENING = "screening", "Screening"
    INTERVIEWING = "interviewing", "Interviewing"
    OFFER = "offer", "Offer"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


ACTIVE_STAGES = (Stage.IDEA, Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER)


class OpportunitySource(models.TextChoices):
    REFERRAL = "referral", "A person's referral"
    JOB_BOARD = "job_board", "A job board"
    RECRUITER = "recruiter", "A recruiter"
    OWN_SEARCH = "own_search", "My own search"
    CLUB = "club", "A lead from my job club"


class LiveOpportunities(models.Manager["Opportunity"]):
    """Opportunities that are not deleted: the default manager, so every read leaves out one
    the seeker deleted while its Undo is still on offer (journey.opportunities)."""

    def get_queryset(self) -> models.QuerySet["Opportunity"]:
        return super().get_queryset().filter(deleted_at__isnull=True)


class Opportunity(models.Model):
    """A role the seeker is considering or pursuing."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="opportunities"
    )
    company = models.CharField(max_length=200)
    company_key = models.CharField(max_length=200, blank=True, db_index=True)
    target = models.ForeignKey(
        Target, null=True, blank=True, on_delete=models.SET_NULL, related_name="opportunities"
    )
    role = models.CharField(max_length=200)
    link = models.URLField(max_length=500, blank=True)
    source = models.CharField(
        max_length=12, choices=OpportunitySource, default=OpportunitySource.OWN_SEARCH
    )
    referred_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    helpers = models.ManyToManyField(Person, blank=True, related_name="opportunities_helped")
    notes = models.TextField(blank=True)
    stage = models.CharField(max_length=12, choices=Stage, default=Stage.IDEA)
    stage_changed_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)
    # Deleted, and hidden everywhere, until Undo restores it or the tick removes it for good.
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = LiveOpportunities()
    # Deleted ones too: only the undo and the purge use it. (Not a field: ruff takes it for one.)
    all_objects = models.Manager()  # noqa: DJ012

    class Meta:
        ordering = ["-stage_changed_at", "-id"]
        indexes = [models.Index(fields=["owner", "stage"])]

    def __str__(self) -> str:
        return f"{self.role} at {self.company}"


class StageChange(models.Model):
    """The dated history of an opportunity: every move is kept, in or out of order."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="history")
    from_stage = models.CharField(max_length=12, choices=Stage, blank=True)
    to_stage = models.CharField(max_length=12, choices=Stage)
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_stage or 'new'} → {self.to_stage}"


class UpdateKind(models.TextChoices):
    PROGRESS = "progress", "Progress"
    WIN = "win", "A win"
    SETBACK = "setback", "A setback"
    REJECTION = "rejection", "A rejection"
    FEELINGS = "feelings", "How I'm feeling"
    IDEAS = "ideas", "Asking for ideas"


class UpdateAudience(models.TextChoices):
    INNER = "inner", "Inner circle only"
    SUPPORTERS = "supporters", "Inner circle and supporters"
    EVERYONE = "everyone", "Everyone in my circle"


# Which update audiences each circle audience may see.
VISIBLE_TO = {
    "inner": (UpdateAudience.INNER, UpdateAudience.SUPPORTERS, UpdateAudience.EVERYONE),
    "supporters": (UpdateAudience.SUPPORTERS, UpdateAudience.EVERYONE),
    "network": (UpdateAudience.EVERYONE,),
}


class Update(models.Model):
    """A short post to the circle. Every update has an audience."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="updates"
    )
    kind = models.CharField(max_length=10, choices=UpdateKind, default=UpdateKind.PROGRESS)
    audience = models.CharField(
        max_length=10, choices=UpdateAudience, default=UpdateAudience.SUPPORTERS
    )
    text = models.TextField(max_length=2000)
    opportunity = models.ForeignKey(
        Opportunity, null=True, blank=True, on_delete=models.SET_NULL, related_name="updates"
    )
    created_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)

    # Not stored: journey.updates fills these in for the templates.
    reply_groups: list["ReplyGroup"]
    my_reactions: set[str]

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:40]}"


class Reaction(models.TextChoices):
    HEART = "heart", "Sending love"
    STRONG = "strong", "You've got this"
    PROUD = "proud", "Proud of you"
    HERE = "here", "I'm here for you"


class Reply(models.Model):
    """A helper's answer to an update: encouragement, a warm reaction, or an offer of help."""

    class Kind(models.TextChoices):
        ENCOURAGEMENT = "encouragement", "Encouragement"
        OFFER = "offer", "An offer of help"

    update = models.ForeignKey(Update, on_delete=models.CASCADE, related_name="replies")
    member = models.ForeignKey(CircleMember, on_delete=models.CASCADE, related_name="replies")
    kind = models.CharField(max_length=14, choices=Kind, default=Kind.ENCOURAGEMENT)
    reaction = models.CharField(max_length=10, choices=Reaction, blank=True)
    text = models.TextField(max_length=2000, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.member.person}"


class CheckIn(models.Model):
    """Hope, energy and confidence, 1–5. Private unless the seeker shares it."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkins"
    )
    day = models.DateField()
    hope = models.PositiveSmallIntegerField()
    energy = models.PositiveSmallIntegerField()
    confidence = models.PositiveSmallIntegerField()
    note = models.TextField(blank=True, max_length=2000)
    shared = models.BooleanField(default=False, help_text="Share with the inner circle.")
    share_note = models.BooleanField(default=False, help_text="Include the note when sharing.")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "day"], name="one_checkin_a_day"),
            models.CheckConstraint(
                condition=models.Q(
                    hope__gte=1,
                    hope__lte=5,
                    energy__gte=1,
                    energy__lte=5,
                    confidence__gte=1,
                    confidence__lte=5,
                ),
                name="checkin_scores_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"Check-in {self.day}"


class Search(models.Model):
    """The seeker's search as a whole: reminders, and whether they've landed."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="search"
    )
    reminder_enabled = models.BooleanField(default=False)
    reminder_weekday = models.PositiveSmallIntegerField(default=0, help_text="0 is Monday.")
    reminder_hour = models.PositiveSmallIntegerField(default=9)
    landed_at = models.DateTimeField(null=True, blank=True)
    landed_opportunity = models.ForeignKey(
        Opportunity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Search of {self.owner}"

    @property
    def is_active(self) -> bool:
        return self.landed_at is None


class Helper(models.Model):
    """A helper across every seeker they help, known by email. Holds digest preferences."""

    email = models.EmailField(unique=True)
    timezone = models.CharField(max_length=64, blank=True)
    digest_weekday = models.PositiveSmallIntegerField(default=0, help_text="0 is Monday.")
    digest_hour = models.PositiveSmallIntegerField(default=8)
    digest_paused_until = models.DateField(null=True, blank=True)
    digest_unsubscribed_at = models.DateTimeField(null=True, blank=True)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.email


class ThankYou(models.Model):
    """A personal thank-you sent when the seeker lands, to someone who helped along the way."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thank_yous"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="thank_yous")
    text = models.TextField(max_length=2000)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    # Not stored: journey.landed.unsent_thank_yous sets it (will Send email them?).
    gets_email: bool

    class Meta:
        ordering = ["person__name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "person"], name="one_landing_thanks_each")
        ]

    def __str__(self) -> str:
        return f"Thanks to {self.person}"


class Interview(models.Model):
    """A dated step of an opportunity (an interview, a screening call, an offer deadline).

    With a time it is an event in the seeker's timezone; without one, an all-day event. It is
    what the calendar feed (elsewhere.calendar) shows for the opportunity; deleting it makes the
    feed mark its event cancelled rather than drop it.
    """

    class Kind(models.TextChoices):
        INTERVIEW = "interview", "Interview"
        SCREENING = "screening", "Screening call"
        ASSESSMENT = "assessment", "Assessment or task"
        OFFER_DEADLINE = "offer_deadline", "Offer deadline"
        START = "start", "First day"
        OTHER = "other", "Something else"

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="interviews"
    )
    kind = models.CharField(max_length=16, choices=Kind, default=Kind.INTERVIEW)
    on = models.DateField("date")
    at = models.TimeField("time", null=True, blank=True)
    minutes = models.PositiveSmallIntegerField("how long (minutes)", default=60)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.on}"
