"""The demo seeker and their world. Idempotent: seeding twice gives the same data.

Maya Okafor, a product designer laid off in the autumn, has exported her LinkedIn connections
(about 300 people), brainstormed her family and friends, put six of them in her circle and
invited them, and listed two companies she'd love to work at.
"""

import csv
import io
import random
from datetime import date, timedelta

from django.db import transaction
from faker import Faker

from helpwanted.accounts.models import User
from helpwanted.circle.actions import circle_add, circle_invite
from helpwanted.demo.login import DEMO_EMAIL, DEMO_PASSWORD
from helpwanted.network.actions import person_create
from helpwanted.network.companies import company_key
from helpwanted.network.imports import import_file
from helpwanted.network.models import Person, Target
from helpwanted.network.targets import target_add

SEED = 2026
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
