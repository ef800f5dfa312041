"""Maya's dates, calendar feed and work-search record (idempotent: a second run adds nothing)."""

from __future__ import annotations

from datetime import time, timedelta

from django.utils import timezone

from helpwanted.accounts.models import User
from helpwanted.elsewhere.feeds import feed_for, feed_rotate
from helpwanted.elsewhere.models import ActivityMethod, WorkActivity
from helpwanted.journey.models import Interview, Opportunity

# (company, kind, days from today, time or None, minutes): her interviews past and coming.
DATES = [
    ("Pennant Games", "screening", -67, time(14, 0), 30),
    ("Tallis Bank", "interview", -34, time(10, 0), 60),
    ("Ridgeway NHS Trust", "interview", -14, time(13, 0), 60),
    ("Lumen Labs", "interview", -4, time(11, 0), 45),
    ("Lumen Labs", "interview", 3, time(14, 0), 90),  # the portfolio presentation
    ("Oakridge Council", "screening", 5, time(10, 30), 30),
    ("Kestrel Logistics", "offer_deadline", 5, None, 60),
]


def seed_elsewhere(seeker: User) -> None:
    today = timezone.now().astimezone(seeker.zoneinfo).date()
    if not Interview.objects.filter(opportunity__owner=seeker).exists():
        by_company = {o.company: o for o in Opportunity.objects.filter(owner=seeker)}
        for company, kind, days, at, minutes in DATES:
            if company in by_company:
                Interview.objects.create(
                    opportunity=by_company[company],
                    kind=kind,
                    on=today + timedelta(days=days),
                    at=at,
                    minutes=minutes,
                )
    if not WorkActivity.objects.filter(owner=seeker).exists():
        WorkActivity.objects.create(
            owner=seeker,
            on=today - timedelta(days=9),
            method=ActivityMethod.JOB_FAIR,
            employer="Digital Careers Fair",
            employer_contact="Manchester Central",
            contact="",
            result="Spoke to four employers; two asked for my portfolio",
        )
    if feed_for(seeker) is None:
        feed_rotate(user=seeker)
