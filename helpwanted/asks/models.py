from django.conf import settings
from django.db import models
from django.utils import timezone

from helpwanted.network.models import Person, Target


class Kind(models.TextChoices):
    INTRODUCTION = "introduction", "An introduction"
    REFERRAL = "referral", "A referral"
    JOB_LEAD = "job_lead", "Job leads"
    ADVICE = "advice", "Advice or an informational chat"
    REVIEW = "review", "A CV or LinkedIn review"
    MOCK_INTERVIEW = "mock_interview", "A mock interview"
    ACCOUNTABILITY = "accountability", "An accountability buddy"
    EMOTIONAL_SUPPORT = "emotional_support", "Emotional support"
    PRACTICAL_HELP = "practical_help", "Practical help"
    OTHER = "other", "Something else"


class LedTo(models.TextChoices):
    NOTHING_YET = "nothing_yet", "Nothing yet"
    CONVERSATION = "conversation", "A conversation"
    INTRODUCTION = "introduction", "An introduction"
    APPLICATION = "application", "An application"
    INTERVIEW = "interview", "An interview"
    OFFER = "offer", "An offer"


class Ask(models.Model):
    """One specific request, sent to each recipient personally."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="asks"
    )
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.ADVICE)
    request = models.TextField("what you'd like them to do")
    why = models.TextField("why it matters", blank=True)
    needed_by = models.DateField("needed by", null=True, blank=True)
    target = models.ForeignKey(
        Target, null=True, blank=True, on_delete=models.SET_NULL, related_name="asks"
    )
    follow_up_days = models.PositiveSmallIntegerField(default=5)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "closed_at", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.request[:40]}"

    @property
    def is_draft(self) -> bool:
        return self.sent_at is None


class Recipient(models.Model):
    """One person an ask went to, and where they stand."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Not sent yet"
        # No email went to them (no address, unsubscribed, or the seeker chose in person): the
        # seeker asks them face to face or by phone, then presses "I've asked them" (→ sent).
        TO_ASK = "to_ask", "To ask in person"
        SENT = "sent", "Sent"
        OPENED = "opened", "Opened"
        OFFERED = "offered", "Yes, I can"
        SUGGESTED = "suggested", "Can't, but suggested someone"
        NOT_NOW = "not_now", "Not right now"
        DECLINED = "declined", "Said no, kindly"
        DONE = "done", "Done"
        THANKED = "thanked", "Thanked"

    class Channel(models.TextChoices):
        EMAIL = "email", "By email, through helpwanted"
        IN_PERSON = "in_person", "In person, by phone or another way"
        # An offer from a fellow job-club member, accepted by the seeker: no email goes out.
        CLUB = "club", "Through your job club"

    WAITING = (Status.SENT, Status.OPENED)
    ANSWERED = (Status.OFFERED, Status.SUGGESTED, Status.NOT_NOW, Status.DECLINED)
    # Open asks count towards the cap that protects a helper from being over-asked.
    OPEN = (Status.SENT, Status.OPENED, Status.OFFERED)
    # The cap also counts the people the seeker still has to ask in person: they are spoken for.
    CAPPED = (*OPEN, Status.TO_ASK)
    # Not yet put to the person: the helper's side never shows these.
    UNSENT = (Status.DRAFT, Status.TO_ASK)

    ask = models.ForeignKey(Ask, on_delete=models.CASCADE, related_name="recipients")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="ask_recipients")
    personal_line = models.CharField(max_length=500, blank=True)
    channel = models.CharField(max_length=10, choices=Channel, default=Channel.EMAIL)
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    answer_message = models.TextField(blank=True)
    offer_when = models.CharField(max_length=200, blank=True)
    suggested_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.TextField(blank=True)
    led_to = models.CharField(max_length=20, choices=LedTo, blank=True)
    thanks_text = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_notified_at = models.DateTimeField(null=True, blank=True)
    followed_up_at = models.DateTimeField(null=True, blank=True)
    let_go_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    thanked_at = models.DateTimeField(null=True, blank=True)

    # Not stored: asks.views.ask_detail sets these for its template.
    follow_up_due: bool
    let_go_due: bool
    # Not stored: asks.selectors.ask_recipients sets it on drafts (would Send email them?).
    gets_email: bool
    no_email_reason: str

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["ask", "person"], name="recipient_once_per_ask")
        ]
        indexes = [
            models.Index(fields=["person", "status"]),
            models.Index(fields=["status", "answered_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_status_display()}"

    @property
    def is_waiting(self) -> bool:
        # answered_at without an answer's status: they replied by email and the seeker has yet
        # to note it (mail/inbound). They have answered: no follow-up, no "let it go".
        return self.status in self.WAITING and self.answered_at is None

    @property
    def has_answered(self) -> bool:
        return self.status in self.ANSWERED or self.answered_at is not None

    @property
    def can_answer(self) -> bool:
        """A helper may change their mind until the seeker marks it done."""
        return self.status not in (*self.UNSENT, self.Status.DONE, self.Status.THANKED) and (
            self.ask.closed_at is None
        )


class RecipientEvent(models.Model):
    """Every change to a recipient, timestamped: the ask's history."""

    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=10, choices=Recipient.Status)
    note = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.status} at {self.at:%Y-%m-%d %H:%M}"


class HelpGiven(models.Model):
    """Help the seeker gave someone else: the other side of the reciprocity ledger."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="help_given"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    who = models.CharField("who you helped", max_length=200)
    what = models.CharField("what you did", max_length=500)
    given_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["-given_on", "-id"]

    def __str__(self) -> str:
        return f"{self.what} for {self.who}"
