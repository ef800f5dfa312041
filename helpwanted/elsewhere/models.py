"""The calendar feed's secret, what the feed last emitted, and activities added by hand."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeed(models.Model):
    """A seeker's one secret feed URL. Only the SHA-256 of its token is stored.

    The token is derived from the nonce with a key made from SECRET_KEY (as helper links are),
    so the account page can show it again without ever storing it. Rotating makes a new nonce;
    revoking deletes the row. Either way the old URL answers 404 on its next fetch.
    """

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    nonce = models.CharField(max_length=64)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Calendar feed of {self.owner_id}"


class EmittedEvent(models.Model):
    """What the feed last said about one event, so a change bumps its SEQUENCE.

    `data` is the event as last emitted (summary, start, end, ...), kept so that an event whose
    source is gone (a deleted interview, an answered follow-up) is still sent, as CANCELLED.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="emitted_events"
    )
    uid = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)
    sequence = models.PositiveIntegerField(default=0)
    data = models.JSONField(default=dict)
    cancelled = models.BooleanField(default=False)
    changed_at = models.DateTimeField(default=timezone.now)
    # The VEVENT as last serialised (by the icalendar library), so a steady fetch only joins
    # stored text instead of serialising thousands of events again.
    vevent = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "uid"], name="emitted_event_once_per_uid")
        ]

    def __str__(self) -> str:
        return f"{self.uid} #{self.sequence}"


class ActivityMethod(models.TextChoices):
    APPLICATION = "application", "Application"
    NETWORKING = "networking", "Networking ask"
    INTERVIEW = "interview", "Interview"
    JOB_FAIR = "job_fair", "Job fair"
    CLUB_MEETING = "club_meeting", "Club meeting"
    OTHER = "other", "Other"


class WorkActivity(models.Model):
    """A work-search activity the seeker did outside helpwanted (a job fair, a walk-in)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="work_activities"
    )
    on = models.DateField("date")
    method = models.CharField(
        "what you did", max_length=16, choices=ActivityMethod, default=ActivityMethod.APPLICATION
    )
    employer = models.CharField("employer or organiser", max_length=200)
    employer_contact = models.CharField(
        "employer's website, address or phone", max_length=300, blank=True
    )
    position = models.CharField("position", max_length=200, blank=True)
    contact = models.CharField("person you contacted", max_length=200, blank=True)
    result = models.CharField("result", max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "id"]
        verbose_name_plural = "work activities"

    def __str__(self) -> str:
        return f"{self.get_method_display()} at {self.employer} on {self.on}"


class WorkSearchSettings(models.Model):
    """The seeker's choice for the record: name the people contacted, or leave them out."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="work_search_settings"
    )
    include_contacts = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"Work-search settings of {self.owner_id}"
