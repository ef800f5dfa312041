from django.conf import settings
from django.db import models
from django.utils import timezone

from helpwanted.network.companies import company_key
from helpwanted.network.parsing import first_name, normalise_name


class Relationship(models.TextChoices):
    PARTNER = "partner", "Partner"
    FAMILY = "family", "Family"
    FRIEND = "friend", "Friend"
    FORMER_COLLEAGUE = "former_colleague", "Former colleague"
    CLASSMATE = "classmate", "Classmate"
    MENTOR = "mentor", "Mentor"
    RECRUITER = "recruiter", "Recruiter"
    ACQUAINTANCE = "acquaintance", "Acquaintance"
    OTHER = "other", "Other"


class Source(models.TextChoices):
    MANUAL = "manual", "Added by hand"
    BRAINSTORM = "brainstorm", "Brainstorm"
    LINKEDIN = "linkedin", "LinkedIn connections"
    LINKEDIN_MESSAGES = "linkedin-messages", "LinkedIn messages"
    GOOGLE = "google", "Google Contacts"
    VCARD = "vcard", "vCard"
    SUGGESTED = "suggested", "Suggested by a helper"
    CLUB = "club", "A fellow job-club member"


# Fields an import may fill. Once the seeker edits one by hand, imports leave it alone.
IMPORTABLE_FIELDS = (
    "name",
    "emails",
    "phones",
    "company",
    "position",
    "location",
    "linkedin_url",
    "connected_on",
    "notes",
)


class Tag(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=60)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="tag_unique_name")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """Someone the seeker knows. Only the seeker sees this record."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="people"
    )
    name = models.CharField(max_length=200)
    # What the seeker calls them; emails greet them by it ("Hi Jo"), else by first name.
    nickname = models.CharField("what you call them", max_length=60, blank=True)
    emails = models.JSONField(default=list, blank=True)
    phones = models.JSONField(default=list, blank=True)
    company = models.CharField(max_length=200, blank=True)
    position = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=200, blank=True)
    linkedin_url = models.CharField("LinkedIn URL", max_length=300, blank=True)
    relationship = models.CharField(
        max_length=20, choices=Relationship, default=Relationship.ACQUAINTANCE
    )
    how_we_know = models.CharField("how you know each other", max_length=300, blank=True)
    closeness = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Your own sense of how close you are, 1 to 5."
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="people")
    notes = models.TextField(blank=True)
    sources = models.JSONField(default=list, blank=True)
    connected_on = models.DateField(null=True, blank=True)
    # Interaction counts, kept beside closeness: LinkedIn messages now, asks and answers later.
    messages_count = models.PositiveIntegerField(default=0)
    asks_count = models.PositiveIntegerField(default=0)
    answers_count = models.PositiveIntegerField(default=0)
    edited_fields = models.JSONField(default=list, blank=True)
    suggested_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Matching keys, kept in step with name/company/email by the actions that write them.
    name_key = models.CharField(max_length=200, db_index=True, blank=True)
    company_key = models.CharField(max_length=200, db_index=True, blank=True)
    email_key = models.CharField(max_length=254, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # The address a delivery status notification said is dead (a permanent failure, 5.x.x), with
    # when, its status and the server's words (helpwanted/mail/bounces.py). It counts only while
    # it is still their first address (email_key): once the seeker edits that address, the new
    # one is emailed again. See `email_bouncing`.
    bounced_email = models.CharField(max_length=254, blank=True)
    bounced_at = models.DateTimeField(null=True, blank=True)
    bounce_status = models.CharField(max_length=12, blank=True)
    bounce_detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["owner", "archived_at", "name"]),
            models.Index(fields=["owner", "linkedin_url"]),
            models.Index(fields=["owner", "company_key"]),
            models.Index(fields=["owner", "email_key"]),
        ]

    def __str__(self) -> str:
        return self.name

    def refresh_keys(self) -> list[str]:
        """Recompute the matching keys; returns the names of the fields it set."""
        self.name_key = normalise_name(self.name)
        self.company_key = company_key(self.company)
        self.email_key = self.emails[0].lower() if self.emails else ""
        return ["name_key", "company_key", "email_key"]

    @property
    def greeting_name(self) -> str:
        """The name an email greets them by: the nickname, else the first word of their name."""
        return self.nickname.strip() or first_name(self.name)

    @property
    def source_labels(self) -> list[str]:
        labels = dict(Source.choices)
        return [labels.get(s, s) for s in self.sources]

    @property
    def email(self) -> str:
        return self.emails[0] if self.emails else ""

    @property
    def email_bouncing(self) -> bool:
        """Their address bounced for good, and the seeker hasn't changed it since."""
        return bool(self.bounced_email) and self.bounced_email == self.email_key

    @property
    def bounce_reason(self) -> str:
        """Why their address bounced, in plain words ("there's no mailbox at that address")."""
        from helpwanted.mail.dsn import plain_reason

        return plain_reason(self.bounce_status)

    @property
    def can_email(self) -> bool:
        """The one rule for whether helpwanted may email this person at all: they have an
        address and it isn't bouncing. Consent and unsubscribing are the circle member's, and
        each sender checks those beside this."""
        return bool(self.emails) and not self.email_bouncing

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class NotSamePerson(models.Model):
    """Two of the seeker's people with one name whom the seeker said are not the same person.

    Stored once per pair, ``first`` being the lower id. The duplicates review and imports never
    list this pair again.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    first = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="not_same_person_once"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="not_same_person_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} is not {self.second_id}"


class Target(models.Model):
    """A company the seeker would like to work at."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="targets"
    )
    company = models.CharField(max_length=200)
    company_key = models.CharField(max_length=200, db_index=True)
    why = models.CharField("why this company", max_length=300, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["company", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "company_key"], name="target_unique_company")
        ]

    def __str__(self) -> str:
        return self.company


class ImportJob(models.Model):
    """One uploaded contacts file: previewed, then imported inline or in the background."""

    class Status(models.TextChoices):
        PREVIEW = "preview", "Waiting for you to confirm"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Importing"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs"
    )
    filename = models.CharField(max_length=255)
    format = models.CharField(max_length=20)
    encoding = models.CharField(max_length=20)
    data = models.BinaryField(help_text="The uploaded file, dropped once the import is done.")
    status = models.CharField(max_length=10, choices=Status, default=Status.PREVIEW)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    possible_duplicates = models.PositiveIntegerField(
        default=0, help_text="Pairs of people with one name the import left for you to review."
    )
    errors = models.JSONField(default=list, blank=True)
    preview = models.JSONField(default=dict, blank=True)
    failure = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the job was last queued, claimed or made progress; the tick takes back "
        "a queued or running job that has been quiet for too long.",
    )
    stalls = models.PositiveSmallIntegerField(
        default=0, help_text="How many times the tick took this job back after it stalled."
    )
    task_id = models.CharField(
        max_length=255, blank=True, help_text="The background task last queued to run it."
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        return int(100 * self.processed / self.total) if self.total else 0
