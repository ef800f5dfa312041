"""Demo: Maya's job club (issue 11), made through the app's own actions.

"Tuesday Job Club" meets at Hackney Central Library on Tuesdays at 10:00 and is run by Joan
Whitaker, a careers adviser with her own demo login (FACILITATOR_EMAIL, printed by `make demo`).
Maya is one of six members; Rita, who landed a job last month, stayed on as an alumna.

The current round has a request from every member but Lena, with offers in every state: Ben's
offer on Maya's request was accepted and is now an ask in Maya's asks (Ben a person in her
network, from the club); Sofia's waits for Maya's answer; Tomasz withdrew his; Ben's offer on
Amara's request was declined, Maya's was accepted and is fulfilled. Tomasz passed Maya a lead
she took (an opportunity from the club); Rita's lead for Ben was taken; Maya's for Amara not yet.
Last week's goals are checked off, Maya and Sofia are buddies with their week checks written,
Joan has a note for the club and one for herself, and Lena, quiet for two meetings and with no
asks in ten days, is the one name on Joan's "reach out" list.

Seeded once: a second run finds the club and changes nothing.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from helpwanted.accounts.models import User
from helpwanted.asks.actions import recipient_done
from helpwanted.asks.models import Ask, LedTo, Recipient, RecipientEvent
from helpwanted.clubs import jobs, leads, meeting, rounds
from helpwanted.clubs.actions import (
    MEETINGS_AHEAD,
    buddy_pair,
    club_create,
    invitation_accept,
    invitation_send,
    meetings_ensure,
    membership_alumnus,
    week_check_save,
)
from helpwanted.clubs.models import (
    Club,
    ClubRequest,
    Goal,
    Invitation,
    Meeting,
    Membership,
    Offer,
    Round,
)
from helpwanted.demo.login import DEMO_PASSWORD, FACILITATOR_EMAIL
from helpwanted.journey.models import Stage
from helpwanted.journey.opportunities import opportunity_create

CLUB_NAME = "Tuesday Job Club"
FACILITATOR_NAME = "Joan Whitaker"
TZ = ZoneInfo("Europe/London")
STARTED_WEEKS_AGO = 10

# The other members: (name, email, weeks ago they joined).
MEMBERS = [
    ("Sofia Marques", "sofia.marques@members.example", 9),
    ("Ben Carter", "ben.carter@members.example", 9),
    ("Amara Osei", "amara.osei@members.example", 8),
    ("Tomasz Nowak", "tomasz.nowak@members.example", 7),
    ("Lena Fischer", "lena.fischer@members.example", 6),
]
ALUMNA = ("Rita Alvarez", "rita.alvarez@members.example", 10)


def _account(email: str, name: str, *, password: str | None = None) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"display_name": name, "timezone": "Europe/London"}
    )
    if password is not None and (created or not user.check_password(password)):
        user.set_password(password)
        user.save(update_fields=["password"])
    elif created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def facilitator_account() -> User:
    return _account(FACILITATOR_EMAIL, FACILITATOR_NAME, password=DEMO_PASSWORD)


def seed_clubs(seeker: User) -> Club:
    """Maya's club, once. Returns it (the existing one on a second run)."""
    facilitator = facilitator_account()
    found = Club.objects.filter(facilitator=facilitator, name=CLUB_NAME).first()
    if found is not None:
        return found
    with transaction.atomic():
        club = _club(facilitator)
        members = _members(club, facilitator, seeker)
        _buddies(members)
        _last_week(club, members)
        round_ = _round(club, members)
        _in_the_past(round_)
        _leads(members)
        _notes(round_.meeting, facilitator)
        _activity(members)
    jobs.offers_notify()  # Maya's email about the offers on her request, as the tick would
    return club


def _now() -> datetime:
    return timezone.now()


def _club(facilitator: User) -> Club:
    club = club_create(
        facilitator=facilitator,
        fields={
            "name": CLUB_NAME,
            "meeting_weekday": 1,
            "meeting_time": time(10, 0),
            "meeting_minutes": 90,
            "timezone": "Europe/London",
            "place": "Hackney Central Library, meeting room 2",
        },
    )
    started = _now() - timedelta(weeks=STARTED_WEEKS_AGO)
    Club.objects.filter(pk=club.pk).update(created_at=started)
    club.created_at = started
    meetings_ensure(club, _now() + MEETINGS_AHEAD, since=started)  # the weeks that have been
    return club


def _join(club: Club, facilitator: User, user: User, weeks_ago: int) -> Membership:
    invitation, _token = invitation_send(club=club, email=user.email, invited_by=facilitator)
    membership = invitation_accept(invitation_id=invitation.pk, user=user)
    joined = _now() - timedelta(weeks=weeks_ago)
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=joined - timedelta(days=2), accepted_at=joined
    )
    Membership.objects.filter(pk=membership.pk).update(joined_at=joined, last_active_at=joined)
    membership.joined_at = joined
    return membership


def _members(club: Club, facilitator: User, seeker: User) -> dict[str, Membership]:
    members = {"Maya": _join(club, facilitator, seeker, 9)}
    for name, email, weeks in MEMBERS:
        members[name.split()[0]] = _join(club, facilitator, _account(email, name), weeks)
    name, email, weeks = ALUMNA
    rita = _join(club, facilitator, _account(email, name), weeks)
    membership_alumnus(membership=rita)
    landed = _now() - timedelta(days=30)
    Membership.objects.filter(pk=rita.pk).update(landed_at=landed)
    members["Rita"] = rita
    # A little of each member's own search, so the meeting page has their week in one line.
    amara = members["Amara"].user
    for company, role in (("Brightwell Energy", "Data analyst"), ("Kestrel Insurance", "Analyst")):
        opportunity_create(
            owner=amara, fields={"company": company, "role": role}, stage=Stage.APPLIED
        )
    opportunity_create(
        owner=members["Ben"].user,
        fields={"company": "Fernway Logistics", "role": "Warehouse supervisor"},
        stage=Stage.INTERVIEWING,
    )
    return members


def _buddies(members: dict[str, Membership]) -> None:
    buddy_pair(first=members["Maya"], second=members["Sofia"])
    buddy_pair(first=members["Ben"], second=members["Amara"])
    today = timezone.localdate(timezone=TZ)
    for who, last_week, this_week in (
        (
            "Maya",
            "Two applications out and a good chat with Ruth about my portfolio.",
            "Tired, but the mock interview with Tom helped. One step at a time.",
        ),
        (
            "Sofia",
            "Quiet week. I finally rewrote my CV summary.",
            "Better: an interview on Friday at St Mary's!",
        ),
    ):
        week_check_save(membership=members[who], text=last_week, today=today - timedelta(days=7))
        week_check_save(membership=members[who], text=this_week, today=today)


def _last_week(club: Club, members: dict[str, Membership]) -> Meeting:
    """Last meeting's goals, mostly checked off since."""
    last = (
        club.meetings.filter(ends_at__lte=_now(), cancelled_at__isnull=True)
        .order_by("-starts_at")
        .first()
    )
    assert last is not None  # the club started weeks ago
    set_at = last.starts_at + timedelta(hours=1)
    goals = {
        "Maya": [
            ("Send two applications", True),
            ("Ask Ruth about portfolio reviewers", True),
            ("Finish the Northwind case study", False),
        ],
        "Sofia": [("Rewrite my CV summary", True), ("Apply to St Mary's", True)],
        "Ben": [("Call Fernway about the supervisor job", True)],
        "Amara": [("Two analyst applications", True), ("Practise SQL questions", False)],
        "Tomasz": [("Update my LinkedIn headline", True)],
    }
    for who, items in goals.items():
        for n, (text, done) in enumerate(items):
            goal = meeting.goal_add(membership=members[who], meeting=last, text=text)
            if done:
                meeting.goal_done(goal=goal, done=True)
            Goal.objects.filter(pk=goal.pk).update(
                created_at=set_at,
                done_at=(last.starts_at + timedelta(days=2 + n, hours=8)) if done else None,
            )
    return last


def _round(club: Club, members: dict[str, Membership]) -> Round:
    round_ = rounds.round_current(club)
    assert round_ is not None
    today = timezone.localdate(timezone=TZ)
    friday = today + timedelta(days=(4 - today.weekday()) % 7 or 7)
    requests: dict[str, ClubRequest] = {}
    for who, kind, text, why in (
        (
            "Maya",
            "introduction",
            "Could someone introduce me to a product designer at a health-tech company, for a "
            f"20-minute chat about how they hire? By {friday:%A %-d %B}.",
            "I'm applying to Harbour Health and want to understand how their design team works.",
        ),
        (
            "Amara",
            "mock_interview",
            "Would someone run a 30-minute mock interview with me for a data analyst role, "
            "before my interview on Thursday?",
            "It's my first analyst interview in four years.",
        ),
        (
            "Ben",
            "review",
            "Could someone read my cover letter for a logistics coordinator job? One page, "
            f"by {friday:%A}.",
            "",
        ),
        (
            "Sofia",
            "introduction",
            "Does anyone know someone in hospital administration I could ask about NHS "
            "applications?",
            "The NHS forms are nothing like the ones I'm used to.",
        ),
        (
            "Tomasz",
            "practical_help",
            "I'd like one person to practise salary negotiation with me, 20 minutes this week.",
            "",
        ),
    ):
        requests[who] = rounds.request_post(
            membership=members[who],
            round_=round_,
            fields={"kind": kind, "text": text, "why": why, "needed_by": friday},
            today=today,
        )

    def offer(who: str, on: str, kind: str, note: str) -> Offer:
        return rounds.offer_make(
            membership=members[who], club_request=requests[on], kind=kind, note=note
        )

    # On Maya's request: accepted (now an ask of hers), waiting for her, withdrawn.
    bens = offer(
        "Ben", "Maya", "intro", "My cousin Grace designs at Harbour Health: happy to introduce you."
    )
    rounds.offer_accept(offer=bens)
    offer("Sofia", "Maya", "intro", "A friend works on the digital team at St Mary's.")
    toms = offer("Tomasz", "Maya", "intro", "I thought I knew someone at Medway Health.")
    rounds.offer_withdraw(offer=toms)
    # On Amara's: Maya's accepted and fulfilled; Ben's declined ("not this time").
    mayas = offer("Maya", "Amara", "other", "I've done loads of these: Wednesday evening?")
    accepted = rounds.offer_accept(offer=mayas)
    assert accepted.recipient is not None
    recipient_done(
        recipient=accepted.recipient,
        outcome="A practice interview on Wednesday; the STAR answers feel natural now.",
        led_to=LedTo.INTERVIEW,
    )
    rounds.offer_decline(
        offer=offer("Ben", "Amara", "other", "I could ask my brother, he hires analysts.")
    )
    # Still open, for Maya to see and answer: her own offer to Tomasz, Rita's and Amara's.
    offer("Maya", "Tomasz", "other", "Happy to practise with you on Thursday at lunch.")
    offer("Rita", "Ben", "review", "I'll read it tonight and send you notes.")
    offer("Amara", "Sofia", "intro", "My aunt is a ward manager at the Homerton: I'll ask her.")
    return round_


def _in_the_past(round_: Round) -> None:
    """The requests came in after last week's meeting, the offers a little later, the two
    accepted a day on: so Maya's dip in hope this week still stands out (an ask sent since a dip
    quiets her early-ask card), and the asks' stories read in order."""
    now = _now()
    requested, offered, accepted = (now - timedelta(days=d) for d in (4, 3.5, 3))
    ClubRequest.objects.filter(round=round_).update(created_at=requested)
    offers = Offer.objects.filter(request__round=round_)
    offers.update(created_at=offered)
    offers.filter(accepted_at__isnull=False).update(accepted_at=accepted)
    Ask.objects.filter(club_offers__request__round=round_).update(
        created_at=accepted, sent_at=accepted
    )
    Recipient.objects.filter(club_offer__request__round=round_).update(sent_at=accepted)
    RecipientEvent.objects.filter(
        recipient__club_offer__request__round=round_, status=Recipient.Status.SENT
    ).update(at=accepted)


def _leads(members: dict[str, Membership]) -> None:
    for_maya = leads.lead_post(
        giver=members["Tomasz"],
        fields={
            "company": "Harbour Health",
            "role": "Senior product designer",
            "link": "https://jobs.harbourhealth.example/senior-product-designer",
            "note": "Better for someone in design than me: they want booking-flow experience.",
            "for_member": members["Maya"],
        },
    )
    leads.lead_take(lead=for_maya, membership=members["Maya"])
    for_ben = leads.lead_post(
        giver=members["Rita"],
        fields={
            "company": "Fernway Logistics",
            "role": "Operations coordinator",
            "note": "From my new team: they'd love someone with warehouse experience.",
            "for_member": members["Ben"],
        },
    )
    leads.lead_take(lead=for_ben, membership=members["Ben"])
    leads.lead_post(
        giver=members["Maya"],
        fields={
            "company": "Brightwell Energy",
            "role": "Data analyst",
            "note": "They're hiring two; the team lead was lovely when I met her.",
            "for_member": members["Amara"],
        },
    )


def _notes(upcoming: Meeting, facilitator: User) -> None:
    """Joan's notes for the coming meeting: one for the club, one for herself."""
    meeting.note_add(
        meeting=upcoming,
        author=facilitator,
        text="This Tuesday: salary conversations. Bring one question each; Rita will tell us "
        "how she negotiated her offer last month.",
        visibility="club",
    )
    meeting.note_add(
        meeting=upcoming,
        author=facilitator,
        text="Lena missed the last two meetings. Give her a ring before Tuesday, gently.",
        visibility="private",
    )


def _activity(members: dict[str, Membership]) -> None:
    """When each was last active in the club (the quiet-buddy nudge reads it)."""
    now = _now()
    for who, days in (
        ("Maya", 0),
        ("Sofia", 1),
        ("Ben", 0),
        ("Amara", 2),
        ("Tomasz", 1),
        ("Rita", 3),
        ("Lena", 16),
    ):
        Membership.objects.filter(pk=members[who].pk).update(
            last_active_at=now - timedelta(days=days)
        )
