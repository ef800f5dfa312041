"""The demo seeker and their world. Idempotent: seeding twice gives the same data.

Maya Okafor, a product designer laid off in the autumn, has exported her LinkedIn connections
(about 300 people), brainstormed her family and friends, put six of them in her circle and
invited them, and listed two companies she'd love to work at. Then she asked for help: asks in
every state, sent through the real actions so the outbox holds each personal email and its
working helper link, with their times moved into the past so the story reads like three weeks
of a real search (one Lumen Labs contact has been quiet for six days: a follow-up is due).
"""

import csv
import io
import random
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
    recipient_record_answer,
    recipient_thank,
)
from helpwanted.asks.models import Ask, Recipient, RecipientEvent
from helpwanted.circle.actions import circle_add, circle_invite
from helpwanted.circle.models import CircleMember
from helpwanted.demo.login import DEMO_EMAIL, DEMO_PASSWORD
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
    _seed_asks(seeker)
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


def _seed_targets(seeker: User) -> None:
    for company, why in (
        ("Lumen Labs", "They build tools for public services; my kind of design work."),
        ("Brightwell Energy", "A design team that works on the energy transition."),
    ):
        if not Target.objects.filter(owner=seeker, company_key=company_key(company)).exists():
            target_add(owner=seeker, company=company, why=why)


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
    for recipient in recipients:
        _rewind(recipient, when, "sent_at")
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


def _answer(recipient: Recipient, days_ago: int, hour: int, **answer: object) -> None:
    recipient_answer(recipient=recipient, **answer)  # type: ignore[arg-type]
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
        _answer(recipient, day, 12, **answer)


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
    """Asked at a meetup, no email on file: Maya tracks the answer by hand."""
    people = _people_at(seeker, "Brightwell Energy", emailed=False, count=1, role="design")
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
    [met] = _send(ask, people, 4, 19)
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
