"""The demo seeker and their world. Idempotent: seeding twice gives the same data.

Maya Okafor, a product designer laid off in the autumn, has exported her LinkedIn connections
(about 300 people), brainstormed her family and friends, put six of them in her circle and
invited them, and listed two companies she'd love to work at. Then she asked for help: asks in
every state, sent through the real actions so the outbox holds each personal email and its
working helper link, with their times moved into the past so the story reads like three weeks
of a real search (one Lumen Labs contact has been quiet for six days: a follow-up is due).

Around the asks sits three months of her journey: fifteen applications in every stage with their
dated history, updates to the circle (two rejections shared with her inner circle, and the warm
replies that came back), check-ins that dip in the middle and recover, this week's digest in the
outbox, and her husband having opened his page from it.
"""

import csv
import io
import random
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from faker import Faker

from helpwanted.accounts.models import User
from helpwanted.asks.actions import (
    ask_close,
    ask_create,
    ask_send,
    help_given_add,
    helper_opened,
    recipient_add,
    recipient_answer,
    recipient_done,
    recipient_mark_asked,
    recipient_record_answer,
    recipient_thank,
)
from helpwanted.asks.models import Ask, Recipient, RecipientEvent
from helpwanted.circle.actions import (
    circle_add,
    circle_invite,
    grant_exchange,
    grant_revoke,
    member_consent,
)
from helpwanted.circle.models import CircleMember, HelperGrant
from helpwanted.demo.login import DEMO_EMAIL, DEMO_PASSWORD
from helpwanted.demo.seed_api import seed_api
from helpwanted.demo.seed_bounces import seed_bounces
from helpwanted.demo.seed_clubs import seed_clubs
from helpwanted.demo.seed_elsewhere import seed_elsewhere
from helpwanted.demo.seed_replies import seed_replies
from helpwanted.journey.checkins import checkin_save, reminder_settings_save
from helpwanted.journey.digest import digests_enqueue
from helpwanted.journey.models import CheckIn, Opportunity, Reply, StageChange, Update
from helpwanted.journey.opportunities import (
    opportunity_create,
    opportunity_helper_add,
    opportunity_move,
)
from helpwanted.journey.updates import reply_post, update_post
from helpwanted.mail.models import OutboxMessage
from helpwanted.network.actions import person_create
from helpwanted.network.companies import company_key
from helpwanted.network.imports import import_file
from helpwanted.network.models import Person, Target
from helpwanted.network.targets import target_add

SEED = 2026
TZ = ZoneInfo("Europe/London")  # Maya's timezone, for the times of day in her story
CONNECTIONS = 300
COMPANIES = [
    "Lumen Labs Ltd.",
    "LUMEN LABS",
    "Brightwell Energy plc",
    "Brightwell Energy",
    "Harbour & Co",
    "Northwind Health",
    "Tallis Bank",
    "Kestrel Logistics",
    "Oakridge Council",
    "Fernhill University",
    "Quayside Studio",
    "Marlow Insurance",
    "Pennant Games",
    "Ashdown Retail Group",
    "Vireo Software GmbH",
    "Copperleaf Foods",
    "Halcyon Travel",
    "Ridgeway NHS Trust",
    "Saltmarsh Media",
    "Greyfriars Consulting",
]
POSITIONS = [
    "Product Designer",
    "Senior Product Designer",
    "UX Researcher",
    "Design Manager",
    "Frontend Engineer",
    "Product Manager",
    "Head of Design",
    "Content Designer",
    "Engineering Manager",
    "Talent Partner",
    "Service Designer",
    "Data Analyst",
    "Customer Success Lead",
    "Recruiter",
    "Marketing Manager",
    "Founder",
]
PREAMBLE = (
    'Notes:\r\n"When exporting your connection data, you may notice that some of the email '
    "addresses are missing. You will only see email addresses for connections who have allowed "
    'their connections to see or download their email address."\r\n\r\n'
)
INNER_PEOPLE = [
    # name, relationship, audience, closeness, how we know each other
    ("Daniel Okafor", "partner", "inner", 5, "My husband"),
    ("Grace Okafor", "family", "inner", 5, "My mum"),
    ("Ifeoma Okafor", "family", "inner", 4, "My sister"),
    ("Hannah Whitlock", "friend", "inner", 5, "Best friend since university"),
    ("Tom Reyes", "former_colleague", "supporters", 3, "My old design lead at Quayside"),
    ("Ruth Adeyemi", "mentor", "supporters", 4, "Mentor from the design mentoring scheme"),
]


def linkedin_export() -> bytes:
    """A realistic Connections.csv: preamble, CRLF, some emails missing, 12 Mar 2024 dates."""
    fake = Faker("en_GB")
    fake.seed_instance(SEED)
    rng = random.Random(SEED)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
    )
    for i in range(CONNECTIONS):
        first, last = fake.first_name(), fake.last_name()
        slug = f"{first}-{last}-{i:03d}".lower().replace("'", "")
        connected = date(2014, 1, 1) + timedelta(days=rng.randrange(0, 4000))
        writer.writerow(
            [
                first,
                last,
                f"https://www.linkedin.com/in/{slug}",
                f"{first}.{last}@example.com".lower().replace("'", "")
                if rng.random() < 0.2
                else "",
                rng.choice(COMPANIES),
                rng.choice(POSITIONS),
                connected.strftime("%d %b %Y"),
            ]
        )
    return (PREAMBLE + out.getvalue()).encode("utf-8-sig")


def demo_seed() -> User:
    with transaction.atomic():
        seeker, created = User.objects.get_or_create(
            email=DEMO_EMAIL,
            defaults={"display_name": "Maya Okafor", "timezone": "Europe/London"},
        )
        if created or not seeker.check_password(DEMO_PASSWORD):
            seeker.set_password(DEMO_PASSWORD)
            seeker.save(update_fields=["password"])
    import_file(owner=seeker, data=linkedin_export(), filename="Connections.csv", fmt="linkedin")
    _seed_circle(seeker)
    _seed_targets(seeker)
    _seed_possible_duplicate(seeker)
    _seed_asks(seeker)
    _seed_journey(seeker)
    seed_bounces(seeker)
    seed_elsewhere(seeker)
    seed_replies(seeker)
    seed_clubs(seeker)
    seed_api(seeker)
    return seeker


def _seed_circle(seeker: User) -> None:
    for name, relationship, audience, closeness, how in INNER_PEOPLE:
        person = Person.objects.filter(owner=seeker, name=name).first()
        if person is None:
            email = name.lower().replace(" ", ".") + "@example.net"
            person = person_create(
                owner=seeker,
                source="brainstorm",
                fields={
                    "name": name,
                    "relationship": relationship,
                    "closeness": closeness,
                    "how_we_know": how,
                    "emails": [email],
                },
            )
        member = circle_add(person=person, audience=audience)
        if member.invited_at is None:
            circle_invite(
                member=member,
                email=person.emails[0],
                message="I'd love you in my corner while I look for my next role.",
            )
            # Each said "Yes, keep me posted" on the invitation (consent: issue 10). Hannah
            # chose hard news right away (the inner circle's default too); her mum, Grace,
            # would rather read it in the weekly summary.
            member_consent(member=member, via="invite")
            news = {"Hannah Whitlock": "right_away", "Grace Okafor": "weekly"}.get(name)
            if news:
                CircleMember.objects.filter(pk=member.pk).update(news_timing=news)


def _seed_targets(seeker: User) -> None:
    for company, why in (
        ("Lumen Labs", "They build tools for public services; my kind of design work."),
        ("Brightwell Energy", "A design team that works on the energy transition."),
    ):
        if not Target.objects.filter(owner=seeker, company_key=company_key(company)).exists():
            target_add(owner=seeker, company=company, why=why)


def _seed_possible_duplicate(seeker: User) -> None:
    """Two Sam Whitfields with different emails: the review page has a pair to show."""
    if Person.objects.filter(owner=seeker, name="Sam Whitfield").exists():
        return
    for fields in (
        {"emails": ["sam.whitfield@example.net"], "how_we_know": "From the Saturday running club"},
        {"emails": ["s.whitfield@saltmarsh.example"], "company": "Saltmarsh Media"},
    ):
        person_create(owner=seeker, source="brainstorm", fields={"name": "Sam Whitfield", **fields})


# --------------------------------------------------------------------------- asks
#
# The actions stamp everything with timezone.now(); after each step the rows it touched are
# moved back to when it happened in the story, so the app's follow-up and thanks suggestions
# work on the demo straight away.


def _ago(days: int, hour: int, minute: int = 0) -> datetime:
    """`days` ago at a plausible time of day on Maya's clock (never later than now)."""
    day = timezone.localdate(timezone=TZ) - timedelta(days=days)
    when = datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)
    return min(when, timezone.now())


def _person(seeker: User, name: str) -> Person:
    return Person.objects.get(owner=seeker, name=name)


def _people_at(
    seeker: User, company: str, *, emailed: bool, count: int, role: str = ""
) -> list[Person]:
    """Connections at a company, picked the same way each run (the import is seeded)."""
    people = Person.objects.filter(
        owner=seeker, company_key=company_key(company), position__icontains=role
    )
    people = people.exclude(email_key="") if emailed else people.filter(email_key="")
    return list(people.order_by("name", "id")[:count])


def _new_ask(seeker: User, days_ago: int, **fields: object) -> Ask:
    """Composed in the evening, like most of Maya's asks."""
    ask = ask_create(owner=seeker, fields=fields)
    Ask.objects.filter(pk=ask.pk).update(created_at=_ago(days_ago, 20, 30))
    return ask


def _send(ask: Ask, people: list[Person], days_ago: int, hour: int) -> list[Recipient]:
    for person in people:
        recipient_add(ask=ask, person=person)
    recipients = ask_send(ask=ask)
    when = _ago(days_ago, hour)
    Ask.objects.filter(pk=ask.pk).update(sent_at=when)
    for recipient in recipients:  # no email went to those "to ask in person": no sent_at
        _rewind(recipient, when, *(["sent_at"] if recipient.sent_at else []))
    return recipients


def _rewind(recipient: Recipient, when: datetime, *fields: str) -> None:
    """Move the step just taken (its timestamps and its history event) back to `when`."""
    Recipient.objects.filter(pk=recipient.pk).update(**dict.fromkeys(fields, when))
    event = RecipientEvent.objects.filter(recipient=recipient).order_by("-id").first()
    if event is not None:
        RecipientEvent.objects.filter(pk=event.pk).update(at=when)
    recipient.refresh_from_db()  # the next action must not save stale times back


def _open(recipient: Recipient, days_ago: int, hour: int) -> None:
    """The helper pressed Continue on the link in their email."""
    helper_opened(member=CircleMember.objects.get(person=recipient.person))
    _rewind(recipient, _ago(days_ago, hour), "opened_at")


def _answer(
    recipient: Recipient,
    days_ago: int,
    hour: int,
    *,
    answer: str,
    message: str = "",
    offer_when: str = "",
    suggestion: dict[str, str] | None = None,
) -> None:
    recipient_answer(
        recipient=recipient,
        answer=answer,
        message=message,
        offer_when=offer_when,
        suggestion=suggestion,
    )
    # Maya heard about it back then; the tick shouldn't email her old news as new.
    _rewind(recipient, _ago(days_ago, hour), "answered_at", "answer_notified_at")


def _seed_asks(seeker: User) -> None:
    """Asks in every state, once: if Maya already has asks, a second seed changes nothing."""
    if Ask.objects.filter(owner=seeker).exists():
        return
    with transaction.atomic():
        today = timezone.localdate(timezone=TZ)
        lumen = Target.objects.get(owner=seeker, company_key=company_key("Lumen Labs"))
        brightwell = Target.objects.get(owner=seeker, company_key=company_key("Brightwell Energy"))
        _ask_ruth_for_a_cv_review(seeker, today, lumen)
        _ask_tom_for_a_mock_interview(seeker, today)
        _ask_northwind_for_a_chat(seeker, today)
        lumen_yes = _ask_lumen_for_an_introduction(seeker, today, lumen)
        _ask_in_person_at_brightwell(seeker, today, brightwell)
        _ask_ifeoma_for_a_walk(seeker, today)
        _ask_hannah_to_be_a_buddy(seeker, today)
        _draft_a_referral(seeker, today, lumen, lumen_yes)
        help_given_add(
            owner=seeker,
            who="Kemi Adebayo",
            what="Went through her portfolio with her before her UX bootcamp interviews",
            given_on=today - timedelta(days=16),
        )
        help_given_add(
            owner=seeker,
            who="Leo Marsh",
            what="Introduced him to my old team at Quayside Studio for their junior designer role",
            given_on=today - timedelta(days=41),
        )


def _ask_ruth_for_a_cv_review(seeker: User, today: date, lumen: Target) -> None:
    """Done, thanked with its impact, and closed: Ruth sees the thanks on her page."""
    ask = _new_ask(
        seeker,
        21,
        kind="review",
        request=(
            "Would you read my two-page CV and tell me the three things you'd change before I "
            "apply to Lumen Labs? Half an hour of your eyes on it would be plenty."
        ),
        why=(
            "Their Senior Product Designer role closes soon, and I want my CV to show my service "
            "design work, not just screens."
        ),
        needed_by=today - timedelta(days=14),
        target=lumen,
    )
    [ruth] = _send(ask, [_person(seeker, "Ruth Adeyemi")], 20, 9)
    _open(ruth, 20, 12)
    _answer(
        ruth,
        19,
        8,
        answer="yes",
        message="Of course. Send it over and I'll mark it up properly, with comments.",
        offer_when="Within three days",
    )
    recipient_done(
        recipient=ruth,
        outcome=(
            "Ruth's three changes: lead with the council booking service, cut the tools list, "
            "and put numbers on the results. Lumen Labs invited me to a first interview."
        ),
        led_to="interview",
    )
    _rewind(ruth, _ago(10, 17), "done_at")
    recipient_thank(
        recipient=ruth,
        text=(
            "Thank you, Ruth, for reading my CV so carefully. Leading with the council booking "
            "service was exactly right: Lumen Labs invited me to a first interview the week "
            "after I sent it. I owe you a very good coffee."
        ),
    )
    _rewind(ruth, _ago(9, 10), "thanked_at")
    ask_close(ask=ask)
    Ask.objects.filter(pk=ask.pk).update(closed_at=_ago(9, 10, 5))


def _ask_tom_for_a_mock_interview(seeker: User, today: date) -> None:
    """Done, with the thanks still to send: the app suggests thanking Tom."""
    ask = _new_ask(
        seeker,
        14,
        kind="mock_interview",
        request=(
            "Would you give me a 45-minute mock interview on video, playing a tough hiring "
            "manager, with five minutes of honest feedback at the end?"
        ),
        why="My first interview at Lumen Labs is in ten days, and I ramble about my portfolio.",
        needed_by=today - timedelta(days=5),
    )
    [tom] = _send(ask, [_person(seeker, "Tom Reyes")], 13, 9)
    _open(tom, 13, 12)
    _answer(
        tom,
        13,
        13,
        answer="yes",
        message="Yes! I'll be properly tough on the portfolio questions. Bring your case study.",
        offer_when="Tuesday at 7pm, on video",
    )
    recipient_done(
        recipient=tom,
        outcome=(
            "We ran the full 45 minutes. I now open with the booking service case study and keep "
            "each answer under two minutes."
        ),
        led_to="conversation",
    )
    _rewind(tom, _ago(8, 18), "done_at")


def _ask_northwind_for_a_chat(seeker: User, today: date) -> None:
    """Two weak ties in health tech: one 'not right now', one kind 'no'."""
    people = _people_at(seeker, "Northwind Health", emailed=True, count=2)
    ask = _new_ask(
        seeker,
        11,
        kind="advice",
        request=(
            "Could we have a 20-minute video call in the next two weeks about how Northwind's "
            "design team works with clinicians?"
        ),
        why="I'm looking at design roles in health tech and want to understand the work first.",
        needed_by=today + timedelta(days=3),
    )
    answers = [
        {
            "answer": "not_now",
            "message": (
                "We're launching a new patient app until the end of the month. Ask me again "
                "after that and I'd be glad to."
            ),
        },
        {
            "answer": "no",
            "message": (
                "I'm leaving Northwind next week, so I'm not the right person any more. Your "
                "work looks great, and I hope it goes well."
            ),
        },
    ]
    for day, (recipient, answer) in enumerate(
        zip(_send(ask, people, 10, 10), answers, strict=False), start=8
    ):
        _open(recipient, day, 11)
        _answer(recipient, day, 12, answer=answer["answer"], message=answer["message"])
        if answer["answer"] == "no":
            # He's leaving Northwind, so Maya switched his link off: no email carries it now.
            grant_revoke(member=CircleMember.objects.get(person=recipient.person))


def _ask_lumen_for_an_introduction(seeker: User, today: date, lumen: Target) -> Recipient | None:
    """Sent to three: a yes, an 'I can't, but try …' lead, and six days of quiet."""
    people = _people_at(seeker, "Lumen Labs", emailed=True, count=3)
    ask = _new_ask(
        seeker,
        7,
        kind="introduction",
        request=(
            "Would you introduce me by email to someone on Lumen Labs' design team, ideally "
            "whoever leads the public services work? Two lines from you would be plenty."
        ),
        why=(
            "I'm applying for their Senior Product Designer role, and I'd love to understand "
            "the team before my first interview."
        ),
        needed_by=today + timedelta(days=7),
        target=lumen,
    )
    recipients = _send(ask, people, 6, 9)
    yes = recipients[0] if recipients else None
    if yes is not None:
        _open(yes, 6, 11)
        _answer(
            yes,
            5,
            8,
            answer="yes",
            message=(
                "Happy to! I sit next to the design team most days. Let's have a quick call "
                "first so I can describe your work properly, then I'll email their lead."
            ),
            offer_when="Thursday after 4pm",
        )
        # She ticked "Keep me posted on Maya's search" with her answer (consent: issue 10).
        member = CircleMember.objects.get(person=yes.person)
        member_consent(member=member, via="keep_me_posted")
        CircleMember.objects.filter(pk=member.pk).update(consented_at=_ago(5, 8))
    if len(recipients) > 1:
        _open(recipients[1], 5, 13)
        _answer(
            recipients[1],
            5,
            14,
            answer="suggest",
            message=(
                "I've only been here a few months and barely know the design team. But my old "
                "colleague Jane runs service design at Brightwell Energy and they're hiring. "
                "Tell her I sent you!"
            ),
            suggestion={
                "name": "Jane Holloway",
                "email": "jane.holloway@example.com",
                "company": "Brightwell Energy",
                "note": "Head of Service Design. We worked together at Fernhill for three years.",
            },
        )
    return yes


def _ask_in_person_at_brightwell(seeker: User, today: date, brightwell: Target) -> None:
    """No email on file for either: Maya asked one at a meetup and tracks the answer by hand;
    the other, whose phone number she has, is still to ask in person."""
    people = _people_at(seeker, "Brightwell Energy", emailed=False, count=2, role="design")
    if len(people) > 1:
        Person.objects.filter(pk=people[1].pk).update(phones=["+44 7700 900461"])
    ask = _new_ask(
        seeker,
        5,
        kind="job_lead",
        request=(
            "Would you tell me when Brightwell's design team next advertises a product or "
            "service design role, before it goes on the jobs board if you can?"
        ),
        why="Brightwell is one of two companies I'd most love to work at.",
        needed_by=today + timedelta(days=30),
        target=brightwell,
    )
    met, *_ = _send(ask, people, 4, 19)
    recipient_mark_asked(recipient=met)
    _rewind(met, _ago(4, 19), "sent_at")
    recipient_record_answer(
        recipient=met,
        answer="yes",
        message="Promised at the meetup to send me the job spec as soon as it's written.",
    )
    _rewind(met, _ago(4, 19, 30), "answered_at", "answer_notified_at")


def _ask_ifeoma_for_a_walk(seeker: User, today: date) -> None:
    """Her sister said 'not right now', then changed her mind."""
    ask = _new_ask(
        seeker,
        4,
        kind="emotional_support",
        request=(
            "Could we go for a long walk on Sunday afternoon? I'd love to talk through this "
            "week with someone who knows me."
        ),
        why="Two rejections in one week have knocked me more than I expected.",
        needed_by=today + timedelta(days=3),
    )
    [ifeoma] = _send(ask, [_person(seeker, "Ifeoma Okafor")], 3, 8)
    _open(ifeoma, 3, 9)
    _answer(
        ifeoma,
        3,
        10,
        answer="not_now",
        message="Sunday's packed with Tobi's birthday, sorry! Can we find an evening instead?",
    )
    _answer(
        ifeoma,
        2,
        19,
        answer="yes",
        message="Actually, I've moved things around. I'll bring the coffee. Love you.",
        offer_when="Sunday at 3pm, Victoria Park",
    )


def _ask_hannah_to_be_a_buddy(seeker: User, today: date) -> None:
    """Opened yesterday, no answer yet."""
    ask = _new_ask(
        seeker,
        2,
        kind="accountability",
        request=(
            "Would you be my accountability buddy for the next six weeks: a 15-minute call "
            "every Friday at 5, where I tell you the three things I did and the three I'll do?"
        ),
        why="I do far more when someone I love is expecting to hear about it.",
        needed_by=today + timedelta(days=4),
    )
    [hannah] = _send(ask, [_person(seeker, "Hannah Whitlock")], 2, 21)
    _open(hannah, 1, 7)


def _draft_a_referral(seeker: User, today: date, lumen: Target, helper: Recipient | None) -> None:
    """Not sent yet: the next step after the yes to an introduction."""
    ask = _new_ask(
        seeker,
        0,
        kind="referral",
        request=(
            "Would you refer me for the Senior Product Designer role at Lumen Labs "
            "(https://lumenlabs.example/jobs/senior-product-designer) through your internal "
            "referral form? I've attached my CV and a three-line summary you can paste."
        ),
        why="A referral gets my application read by a person, and I think I'm a strong fit.",
        needed_by=today + timedelta(days=9),
        target=lumen,
    )
    if helper is not None:
        recipient_add(
            ask=ask,
            person=helper.person,
            personal_line="Thank you again for the introduction. This would mean a lot.",
        )


# --------------------------------------------------------------------------- the journey
#
# Three months of Maya's search around the asks above: applications and their stage history,
# updates to her circle and the replies that came back, check-ins, her weekly reminder, this
# week's digest to her helpers, and Daniel opening his page from it. Written through the real
# actions, then moved back to when each thing happened, like the asks.

# company, role, source, link, notes, history: (days ago, hour, stage, note), oldest first.
# The first entry is where it started; its note-free row is written by opportunity_create.
Move = tuple[int, int, str, str]
OPPORTUNITIES: list[tuple[str, str, str, str, str, list[Move]]] = [
    (
        "Greyfriars Consulting",
        "Design Manager",
        "recruiter",
        "",
        "A recruiter called about it. A stretch, but worth a go.",
        [(76, 10, "applied", ""), (72, 9, "rejected", "An automated email, four days later.")],
    ),
    (
        "Brightwell Energy",
        "Product Designer, Smart Tariffs",
        "job_board",
        "https://brightwell.example/careers/product-designer-smart-tariffs",
        "",
        [
            (74, 21, "applied", ""),
            (61, 11, "rejected", "No interview: they wanted energy-sector experience."),
        ],
    ),
    (
        "Pennant Games",
        "UX Designer",
        "own_search",
        "https://pennant.example/jobs/ux-designer",
        "",
        [
            (73, 20, "applied", ""),
            (67, 14, "screening", "Phone screen with their talent partner."),
            (60, 16, "rejected", "After the screen: they want a games portfolio."),
        ],
    ),
    (
        "Harbour & Co",
        "Product Designer",
        "job_board",
        "",
        "",
        [
            (66, 19, "applied", ""),
            (58, 15, "screening", "Recruiter call: mostly marketing pages, five days in Leeds."),
            (55, 9, "withdrawn", "Not the work I'm after, and three hours of commuting a day."),
        ],
    ),
    (
        "Vireo Software GmbH",
        "Product Designer (remote, UK)",
        "job_board",
        "https://vireo.example/careers/product-designer",
        "No reply yet. Chase once, then let it go.",
        [(57, 20, "applied", "")],
    ),
    (
        "Quayside Studio",
        "Freelance UX audit (six weeks)",
        "referral",
        "",
        "Tom says they need help auditing their booking flows.",
        [
            (53, 12, "idea", ""),
            (50, 17, "offer", "Three days a week for six weeks."),
            (48, 10, "accepted", "Signed. Money coming in while I look for a permanent role."),
        ],
    ),
    (
        "Tallis Bank",
        "Senior Product Designer",
        "recruiter",
        "",
        "Final round is a 90-minute case study presentation.",
        [
            (47, 11, "applied", ""),
            (41, 15, "screening", "Calls with the recruiter, then the design lead."),
            (34, 10, "interviewing", "First interview: portfolio review."),
            (7, 16, "rejected", "After the final round: they went with fintech experience."),
        ],
    ),
    (
        "Kestrel Logistics",
        "Product Designer",
        "recruiter",
        "",
        "Warehouse and driver apps. Good team, a bit far from public services.",
        [
            (44, 14, "applied", ""),
            (37, 11, "screening", "Screening call with their talent partner."),
            (23, 15, "interviewing", "Interview loop: design exercise, then a team chat."),
            (2, 17, "offer", "A little below what I hoped. Asked for a week to decide."),
        ],
    ),
    (
        "Ridgeway NHS Trust",
        "Service Designer",
        "job_board",
        "https://ridgeway-nhs.example/vacancies/service-designer",
        "",
        [
            (33, 21, "applied", ""),
            (25, 10, "screening", "Phone screen."),
            (14, 13, "interviewing", "Panel interview at the Trust."),
            (5, 12, "rejected", "Kind feedback: strong research, less work with clinicians."),
        ],
    ),
    (
        "Lumen Labs",
        "Senior Product Designer",
        "job_board",
        "https://lumenlabs.example/jobs/senior-product-designer",
        "Public services tools. My first choice.",
        [
            (26, 20, "idea", ""),
            (17, 9, "applied", "Applied with the CV Ruth helped me rewrite."),
            (11, 15, "screening", "Invited to a first interview."),
            (4, 11, "interviewing", "First interview with the design lead. Portfolio next."),
        ],
    ),
    (
        "Oakridge Council",
        "Service Designer, Digital Services",
        "referral",
        "https://oakridge.example/jobs/service-designer",
        "Referred through their internal scheme by a connection on the digital team.",
        [(20, 19, "applied", ""), (6, 10, "screening", "Phone screen booked for next week.")],
    ),
    (
        "Fernhill University",
        "UX Researcher",
        "own_search",
        "",
        "More research than design. Worth a conversation with Ruth first.",
        [(15, 18, "idea", "")],
    ),
    (
        "Northwind Health",
        "Senior UX Designer, Clinical Tools",
        "job_board",
        "https://northwind.example/careers/senior-ux-designer",
        "",
        [
            (12, 21, "idea", ""),
            (9, 20, "applied", "Applied after reading up on their patient app."),
        ],
    ),
    (
        "Brightwell Energy",
        "Senior Service Designer",
        "referral",
        "",
        "Heard about it through my Lumen Labs introduction ask: Jane Holloway leads the team.",
        [(5, 15, "idea", ""), (1, 20, "applied", "Applied, mentioning Jane as suggested.")],
    ),
    (
        "Saltmarsh Media",
        "Product Designer, Newsroom Tools",
        "job_board",
        "https://saltmarsh.example/jobs/product-designer",
        "",
        [(1, 9, "idea", "")],
    ),
]

# days ago, hope, energy, confidence, note, shared with the inner circle, note shared too
CHECKINS: list[tuple[int, int, int, int, str, bool, bool]] = [
    (76, 4, 4, 3, "First proper week of looking. Lists, coffee and a plan.", False, False),
    (73, 4, 3, 3, "", False, False),
    (72, 3, 3, 2, "First rejection: an automated email, four days after I applied.", False, False),
    (69, 3, 3, 3, "", False, False),
    (66, 3, 3, 3, "", False, False),
    (63, 3, 2, 3, "", False, False),
    (61, 2, 2, 2, "Brightwell said no without an interview. That one hurt.", False, False),
    (58, 2, 3, 2, "Pennant too. I need a better story about my research.", False, False),
    (55, 3, 3, 2, "", False, False),
    (52, 3, 3, 3, "Tom called about freelance work at Quayside.", False, False),
    (48, 4, 4, 3, "Contract signed! Three days a week of real work.", True, True),
    (45, 3, 3, 3, "", False, False),
    (42, 2, 2, 3, "", False, False),
    (40, 2, 2, 2, "Couldn't face the laptop today. Walked by the river instead.", False, False),
    (39, 1, 2, 2, "Low. Not sleeping, and everything feels like a no.", True, False),
    (36, 2, 2, 2, "", False, False),
    (34, 3, 3, 3, "Tallis want me in for interviews, and Kestrel want a call.", False, False),
    (31, 3, 3, 3, "", False, False),
    (28, 3, 4, 3, "", False, False),
    (25, 3, 3, 3, "", False, False),
    (22, 4, 3, 3, "", False, False),
    (20, 4, 4, 3, "Ruth is reading my CV.", False, False),
    (17, 4, 4, 4, "Applied to Lumen Labs.", False, False),
    (14, 4, 3, 4, "", False, False),
    (11, 5, 4, 4, "Lumen Labs want to meet me!", False, False),
    (8, 4, 4, 4, "", False, False),
    (7, 3, 2, 3, "Tallis said no after the final round.", False, False),
    (5, 3, 2, 2, "Ridgeway too. Two in one week. So tired.", False, False),
    (3, 5, 4, 4, "The Lumen interview went really well. They laughed at my jokes!", False, False),
    # Hope falls from 5 to 3 after her last ask went out: the home page suggests an early ask.
    (
        1,
        3,
        2,
        3,
        "Flat, even with an offer to think about. A walk with Ifeoma on Sunday will help.",
        True,
        True,
    ),
]

DIGEST_LINK = re.compile(r"/h/([\w-]+)/")


def _seed_journey(seeker: User) -> None:
    """Once: if Maya already has opportunities, a second seed changes nothing."""
    if Opportunity.objects.filter(owner=seeker).exists():
        return
    with transaction.atomic():
        _circle_from_the_start(seeker)
        opportunities = _seed_opportunities(seeker)
        _seed_updates(seeker, opportunities)
        _news_sent_back_then(seeker)
        _seed_checkins(seeker)
        reminder_settings_save(owner=seeker, enabled=True, weekday=6, hour=18)
        _seed_digest(seeker)


def _circle_from_the_start(seeker: User) -> None:
    """Maya built her circle before anything else, three months ago (links still work)."""
    names = [name for name, *_ in INNER_PEOPLE]
    joined, invited = _ago(89, 20), _ago(89, 20, 15)
    members = CircleMember.objects.filter(owner=seeker, person__name__in=names)
    members.update(created_at=joined, invited_at=invited, consented_at=invited + timedelta(hours=2))
    HelperGrant.objects.filter(member__in=members).update(created_at=invited)
    OutboxMessage.objects.filter(user=seeker, kind="circle-invite").update(
        created_at=invited, next_attempt_at=invited
    )


def _news_sent_back_then(seeker: User) -> None:
    """Hard news went to those who chose "right away" when it was shared, not today."""
    for message in OutboxMessage.objects.filter(user=seeker, kind="update-news"):
        update = Update.objects.filter(pk=int(message.key.split(":")[1])).first()
        if update is not None:
            when = update.created_at
            OutboxMessage.objects.filter(pk=message.pk).update(
                status=OutboxMessage.Status.SENT,
                created_at=when,
                next_attempt_at=when,
                sent_at=when,
            )


def _seed_opportunities(seeker: User) -> dict[tuple[str, str], Opportunity]:
    answered = Recipient.objects.filter(ask__owner=seeker, ask__kind="introduction")
    lumen_yes = answered.filter(status=Recipient.Status.OFFERED).first()
    suggester = answered.filter(status=Recipient.Status.SUGGESTED).first()
    oakridge = _people_at(seeker, "Oakridge Council", emailed=False, count=1)
    referrers = {
        "Quayside Studio": _person(seeker, "Tom Reyes"),
        "Oakridge Council": oakridge[0] if oakridge else None,
        "Brightwell Energy": suggester.person if suggester else None,
    }
    helpers = {
        "Lumen Labs": ["Ruth Adeyemi", "Tom Reyes"],
        "Tallis Bank": ["Hannah Whitlock"],
        "Kestrel Logistics": ["Daniel Okafor"],
        "Ridgeway NHS Trust": ["Ruth Adeyemi"],
    }
    made = {}
    for company, role, source, link, notes, history in OPPORTUNITIES:
        referred_by = referrers.get(company) if source == "referral" else None
        if source == "referral" and referred_by is None:
            source = "own_search"  # only if the import ever stops giving her someone there
        days, hour, stage, _ = history[0]
        opportunity = opportunity_create(
            owner=seeker,
            fields={
                "company": company,
                "role": role,
                "source": source,
                "link": link,
                "notes": notes,
                "referred_by": referred_by,
            },
            stage=stage,
        )
        started = _ago(days, hour)
        Opportunity.objects.filter(pk=opportunity.pk).update(
            created_at=started, stage_changed_at=started
        )
        StageChange.objects.filter(opportunity=opportunity).update(at=started)
        for days, hour, stage, note in history[1:]:
            change = opportunity_move(opportunity=opportunity, stage=stage, note=note)
            assert change is not None, f"{company}: each step of the history is a new stage"
            when = _ago(days, hour)
            StageChange.objects.filter(pk=change.pk).update(at=when)
            Opportunity.objects.filter(pk=opportunity.pk).update(stage_changed_at=when)
        for name in helpers.get(company, []):
            opportunity_helper_add(opportunity=opportunity, person=_person(seeker, name))
        if company == "Lumen Labs" and lumen_yes is not None:
            opportunity_helper_add(opportunity=opportunity, person=lumen_yes.person)
        made[company, role] = opportunity
    return made


def _post(
    seeker: User,
    when: datetime,
    kind: str,
    audience: str,
    text: str,
    opportunity: Opportunity | None = None,
) -> Update:
    update = update_post(
        owner=seeker, kind=kind, audience=audience, text=text, opportunity=opportunity
    )
    Update.objects.filter(pk=update.pk).update(created_at=when)
    update.created_at = when
    return update


def _reply(update: Update, name: str, when: datetime, text: str = "", **kw: str) -> None:
    member = CircleMember.objects.get(owner_id=update.owner_id, person__name=name)
    kind = kw.get("kind", Reply.Kind.ENCOURAGEMENT)
    reply, _ = reply_post(
        update=update, member=member, kind=kind, reaction=kw.get("reaction", ""), text=text
    )
    Reply.objects.filter(pk=reply.pk).update(created_at=max(when, update.created_at))


def _seed_updates(seeker: User, opps: dict[tuple[str, str], Opportunity]) -> None:
    """A dozen updates, each with a sensible audience, and the replies they drew."""
    start = _post(
        seeker,
        _ago(86, 19, 30),
        "progress",
        "supporters",
        "Properly starting my search this week. I'm looking for a product or service design "
        "role where the work matters: public services, health or energy. Thank you for being "
        "in my corner; I'll keep you posted here.",
    )
    _reply(
        start,
        "Ruth Adeyemi",
        _ago(86, 21),
        "Delighted to be in your corner. Public services need designers like you. Let's have "
        "a call once you've got your list of companies.",
    )
    _reply(start, "Grace Okafor", _ago(86, 21, 30), reaction="heart")

    first_no = _post(
        seeker,
        _ago(72, 20, 15),
        "feelings",
        "inner",
        "My first rejection came in today: an automated email from Greyfriars, four days after "
        "I applied. I know it's not personal. It still stung, and I'd rather tell you than "
        "pretend it didn't.",
    )
    _reply(
        first_no,
        "Hannah Whitlock",
        _ago(72, 21, 5),
        "Four days means a filter read it, not a person. Your work has never once been the "
        "problem. Drinks on Friday?",
    )
    _reply(first_no, "Daniel Okafor", _ago(72, 21, 30), reaction="here")

    who_knows = _post(
        seeker,
        _ago(64, 10),
        "ideas",
        "everyone",
        "Does anyone know someone in design at Lumen Labs or Brightwell Energy? They're top of "
        "my list, and I'd love to understand how their teams work before I apply again.",
    )
    _reply(
        who_knows,
        "Tom Reyes",
        _ago(63, 8, 30),
        "Not directly, but half of Quayside's alumni seem to end up at Lumen. I'll ask around.",
    )

    pennant = _post(
        seeker,
        _ago(60, 18),
        "setback",
        "supporters",
        "Pennant Games said no after the screening call: they want a games portfolio. Two "
        "months in, the lesson is that I need a sharper story about my research work, not "
        "more applications.",
        opps["Pennant Games", "UX Designer"],
    )
    _reply(
        pennant,
        "Ruth Adeyemi",
        _ago(59, 9),
        "That's a wise lesson to take from a no. Write the research story as three short case "
        "studies and send me the first one.",
    )

    freelance = _post(
        seeker,
        _ago(48, 12, 30),
        "win",
        "supporters",
        "Some good news: I've signed a six-week freelance audit at Quayside Studio, three days a "
        "week, thanks to Tom. Money coming in, and my hands back on real work while I keep "
        "looking.",
        opps["Quayside Studio", "Freelance UX audit (six weeks)"],
    )
    _reply(
        freelance,
        "Tom Reyes",
        _ago(48, 13, 10),
        "They're lucky to have you back, even for six weeks. Coffee's on me on your first day.",
    )
    _reply(freelance, "Grace Okafor", _ago(48, 18), reaction="proud")

    low = _post(
        seeker,
        _ago(40, 21, 40),
        "feelings",
        "inner",
        "Honestly, a low week. Lots of applying, very little coming back, and I've been sleeping "
        "badly. I'm not asking for anything; I just didn't want to pretend to you.",
    )
    _reply(
        low,
        "Hannah Whitlock",
        _ago(40, 22, 15),
        "Thank you for telling us. Come for dinner on Thursday: no job talk unless you want it, "
        "and I'll make the lasagne.",
    )
    _reply(low, "Daniel Okafor", _ago(40, 22, 30), reaction="here")
    _reply(
        low,
        "Grace Okafor",
        _ago(39, 8),
        "I'm proud of you for saying it out loud. Rest this weekend, my darling. The search "
        "will still be there on Monday, and so will we.",
    )

    moving = _post(
        seeker,
        _ago(34, 17, 30),
        "progress",
        "supporters",
        "Things are moving: Tallis Bank want me in for interviews, and Kestrel Logistics have "
        "asked for a screening call.",
    )
    _reply(moving, "Tom Reyes", _ago(34, 19), reaction="strong")

    lumen = opps["Lumen Labs", "Senior Product Designer"]
    invited = _post(
        seeker,
        _ago(10, 18, 30),
        "progress",
        "supporters",
        "Lumen Labs have invited me to a first interview! Ruth's changes to my CV made the "
        "difference: I now lead with the council booking service.",
        lumen,
    )
    _reply(
        invited,
        "Ruth Adeyemi",
        _ago(10, 19),
        "Wonderful! It wasn't the CV, it was you. The CV just stopped getting in the way.",
    )
    _reply(invited, "Ifeoma Okafor", _ago(10, 20), reaction="proud")

    tallis = _post(
        seeker,
        _ago(7, 18, 45),
        "rejection",
        "inner",
        "Didn't get the Senior Product Designer role at Tallis Bank, after the final round. "
        "They went with someone with fintech experience. Disappointed, still going.",
        opps["Tallis Bank", "Senior Product Designer"],
    )
    _reply(
        tallis,
        "Daniel Okafor",
        _ago(7, 19, 10),
        "I watched you prepare for that final round every evening for a week, and you were "
        "brilliant. Their loss. I'm making your favourite jollof tonight, and tomorrow we go "
        "again.",
    )
    _reply(
        tallis,
        "Grace Okafor",
        _ago(6, 8, 15),
        "My darling, a no from one bank is not a no from the world. You reached the final "
        "round out of everyone who applied. That takes real talent, and they saw it.",
    )
    _reply(tallis, "Hannah Whitlock", _ago(6, 12, 30), reaction="strong")
    _reply(
        tallis,
        "Hannah Whitlock",
        _ago(6, 12, 31),
        "You practised that case study until you could give it in your sleep, and it showed. "
        "Drinks on Friday, I'm buying.",
    )

    ridgeway = _post(
        seeker,
        _ago(5, 13),
        "rejection",
        "inner",
        "Didn't get the Service Designer role at Ridgeway NHS Trust either. That's two in one "
        "week. Their feedback was kind: strong research, less evidence of working with "
        "clinicians. Disappointed, still going.",
        opps["Ridgeway NHS Trust", "Service Designer"],
    )
    _reply(ridgeway, "Daniel Okafor", _ago(5, 13, 30), reaction="heart")
    _reply(
        ridgeway,
        "Ifeoma Okafor",
        _ago(5, 14, 20),
        "Sending you the biggest hug. Remember when their website took you four tries to book "
        "Mum's appointment? You'd have fixed that for them. Their loss, truly.",
    )
    _reply(ridgeway, "Grace Okafor", _ago(5, 16), reaction="here")
    _reply(
        ridgeway,
        "Hannah Whitlock",
        _ago(5, 19),
        "Two in a week is rubbish, and it's allowed to feel rubbish. But look at the list: two "
        "final rounds, and Lumen coming up. You're closer than it feels.",
    )

    portfolio = _post(
        seeker,
        _ago(3, 20),
        "ideas",
        "supporters",
        "The first interview at Lumen Labs went well, I think! They want a portfolio "
        "walk-through next. Which would you show a public-services team: the council booking "
        "service, or the clinic check-in kiosk?",
        lumen,
    )
    _reply(
        portfolio,
        "Tom Reyes",
        _ago(3, 21, 15),
        "The booking service, every time. It shows research, service thinking and numbers, "
        "which is exactly what Lumen care about.",
    )
    _reply(
        portfolio,
        "Ruth Adeyemi",
        _ago(2, 8),
        "Agree with Tom. Open with the problem residents had, not with the screens.",
    )

    offer = _post(
        seeker,
        _ago(2, 18),
        "win",
        "supporters",
        "An offer from Kestrel Logistics! It's a little below what I hoped, so I've asked for a "
        "week to think, but an offer is an offer. Thank you all for carrying me through the "
        "last few weeks.",
        opps["Kestrel Logistics", "Product Designer"],
    )
    _reply(offer, "Daniel Okafor", _ago(2, 18, 20), reaction="proud")
    _reply(
        offer,
        "Ruth Adeyemi",
        _ago(2, 19, 30),
        "Congratulations! Before you answer, let me help you negotiate: I think there's room. "
        "Thirty minutes on video on Wednesday evening?",
        kind=Reply.Kind.OFFER,
    )
    _reply(
        offer,
        "Tom Reyes",
        _ago(1, 9),
        "Brilliant news. Whatever you decide, you've earned this.",
    )

    mixed_week = _post(
        seeker,
        _ago(1, 21),
        "feelings",
        "inner",
        "A mixed week: an offer to think about, two more no's, and I'm tired. A walk with "
        "Ifeoma on Sunday will help. Thank you for sticking with me through the wobbly bits.",
    )
    _reply(mixed_week, "Grace Okafor", _ago(1, 21, 40), reaction="heart")
    _reply(
        mixed_week,
        "Hannah Whitlock",
        _ago(0, 7, 45),
        "Sending a hug. Is our Friday call still on? I want to hear everything.",
    )


def _seed_checkins(seeker: User) -> None:
    today = timezone.localdate(timezone=TZ)
    for days, hope, energy, confidence, note, shared, share_note in CHECKINS:
        checkin, _ = checkin_save(
            owner=seeker,
            day=today - timedelta(days=days),
            hope=hope,
            energy=energy,
            confidence=confidence,
            note=note,
            shared=shared,
            share_note=share_note,
        )
        when = _ago(days, 21, 30)
        CheckIn.objects.filter(pk=checkin.pk).update(created_at=when, updated_at=when)


def _digest_moment() -> datetime:
    """Just after this week's digest went out (Monday 08:00 on Maya's clock, the default).

    If this week's hasn't come yet (early on a Monday), last week's.
    """
    now = timezone.now()
    today = now.astimezone(TZ).date()
    monday = today - timedelta(days=today.weekday())
    slot = datetime(monday.year, monday.month, monday.day, 8, tzinfo=TZ)
    if slot > now:
        slot -= timedelta(weeks=1)
    return min(slot + timedelta(minutes=5), now)


def _seed_digest(seeker: User) -> None:
    """This week's digest for each of Maya's helpers, and Daniel opening his page from it."""
    moment = _digest_moment()
    before = timezone.now()
    digests_enqueue(now=moment)
    HelperGrant.objects.filter(member__owner=seeker, created_at__gte=before).update(
        created_at=moment
    )
    OutboxMessage.objects.filter(kind="digest", created_at__gte=before).update(
        created_at=moment, next_attempt_at=moment
    )
    daniel = _person(seeker, "Daniel Okafor")
    email = OutboxMessage.objects.filter(kind="digest", to_email=daniel.emails[0]).first()
    match = DIGEST_LINK.search(email.body_text) if email else None
    grant = grant_exchange(token=match.group(1)) if match else None
    if grant is not None:
        read = min(moment + timedelta(hours=1, minutes=20), timezone.now())
        HelperGrant.objects.filter(pk=grant.pk).update(last_used_at=read)
