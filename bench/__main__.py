"""`make bench`: seed a large account and print its figures, one `name: value` a line.

Every timing that has a target is a ratio against a baseline measured in this same run:

- import_ratio: importing a 30,000-row LinkedIn Connections.csv into an empty account, over
  a raw sqlite3 `executemany` of the same rows (read with the csv module) into a fresh table
  with the same columns and indexes as network_person, in one transaction;
- reimport_ratio: importing the same file again (everything unchanged), over the same raw insert;
- people_page_ms against bare_view_ms: the median server time of /people/ for the 30,000-person
  account against a bare Django view returning "ok", through the same test client. The other
  *_page_ms lines (asks, ask, helper, home, board, insights) are measured the same way, each
  with its query count, which stays constant however much data the account holds;
- home_early_ask_ms: the home page while the early-ask card shows (its inner-circle ranking
  included);
- ranking_ratio: ranking the 30,000 people for one ask, over just loading their needed fields.

It runs against a temporary SQLite file under a temporary HELPWANTED_VAR_DIR, never var/.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
import types
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse
    from django.test import Client

    from helpwanted.accounts.models import User

ROWS = 30_000
ROUNDS = 3
PAGE_REQUESTS = 20

FIRST = """James Mary John Patricia Robert Jennifer Michael Linda William Elizabeth David Barbara
Richard Susan Joseph Jessica Thomas Sarah Charles Karen Aisha Mohammed Wei Li Priya Arjun Sofía José
Zoë Björn Ólafur Marie-Claire Hannah Kwame Fatima Chloé Łukasz Yuki Aiko Carlos Lucía Noah Emma
Liam Olivia Ahmed Elena Ivan Grace Siobhán Mateo Ngozi Anders Ines Tomasz Mei Rahul Amara""".split()
LAST = """Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez
Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin O'Connor Müller Schmidt Dubois Natarajan
Khan Mensah Tanaka Petrova Al-Sayed Ångström Jónsson Kowalski Nguyen Kim Park Silva Santos Rossi
Bianchi Novak Horvat Cohen Levi Okafor Van der Berg García-López Ó'Briain Nakamura Ivanova""".split()
STEMS = """Acme Globex Initech Umbrella Stark Wayne Hooli Vandelay Soylent Tyrell Cyberdyne Wonka
Gringotts Aperture Oscorp Virtucon Gekko Rekall Nakatomi Bluth Prestige Sterling Monarch Kessler
Halcyon Meridian Northwind Contoso Fabrikam Tailspin Litware Adventure Proseware Lucerne Fourth
Coffee Alpine Blue Yonder Wide World Trey Woodgrove Humongous Margie Graphic Datum Relecloud""".split()
SECTORS = ["", " Bank", " Health", " Energy", " Digital", " Logistics", " Studios", " Labs",
           " Consulting", " Foods", " Software", " Insurance", " Media", " Robotics"]  # fmt: skip
SUFFIXES = ["", " Inc.", " Ltd", " GmbH", " Corporation", " LLC", " plc", " S.A.", " & Co. KG"]
POSITIONS = """Software Engineer|Senior Software Engineer|Product Manager|Data Scientist|Designer|
Recruiter|Talent Partner|Engineering Manager|Head of Data|Director, Talent Acquisition|Analyst|
Account Executive|Customer Success Manager|Consultant|Founder|CTO|Nurse|Teacher|"Chief" Officer|
Operations Lead|UX Researcher|Marketing Manager|Sales Director|HR Business Partner""".replace(
    "\n", ""
).split("|")
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
PREAMBLE = (
    'Notes:\r\n"When exporting your connection data, you may notice that some of the email '
    "addresses are missing.\r\nYou will only see email addresses for connections who have "
    "allowed their connections to see or download their email address using this setting "
    "https://www.linkedin.com/psettings/privacy/email.\r\nYou can learn more about this here: "
    'https://www.linkedin.com/help/linkedin/answer/261"\r\n\r\n'
)
HEADER = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]


ASKS = 3000


def connections_csv(rows: int = ROWS, seed: int = 2026) -> bytes:
    """A realistic LinkedIn Connections.csv: BOM, Notes preamble, CRLF, quoting, accents.

    Companies follow a long tail (a few big employers, thousands of small ones, some blank),
    about one connection in eight shares an email, and slugs are unique like LinkedIn's.
    """
    rnd = random.Random(seed)
    companies = [s + x + y for s in STEMS for x in SECTORS for y in SUFFIXES[:5]]
    rnd.shuffle(companies)
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(companies))]
    out = io.StringIO()
    out.write("\ufeff" + PREAMBLE)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    picked = rnd.choices(companies, weights, k=rows)
    for i in range(rows):
        first, last = rnd.choice(FIRST), rnd.choice(LAST)
        slug = f"{first}-{last}".lower().encode("ascii", "ignore").decode().replace("'", "")
        slug = f"{slug}-{i:05x}{rnd.randrange(16**3):03x}"
        email = f"{first}.{last}{i}@example.com".lower() if rnd.random() < 0.12 else ""
        company = picked[i] if rnd.random() < 0.93 else ""
        day = dt.date(2010, 1, 1) + dt.timedelta(days=rnd.randrange(5400))
        connected = f"{day.day:02d} {MONTHS[day.month - 1]} {day.year}"
        url = f"https://www.linkedin.com/in/{slug}"
        writer.writerow([first, last, url, email, company, rnd.choice(POSITIONS), connected])
    return out.getvalue().encode("utf-8")


def setup_django(tmp: Path) -> None:
    os.environ["HELPWANTED_VAR_DIR"] = str(tmp)
    (tmp / "static").mkdir()  # whitenoise expects collected static files to exist
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.pop("DEBUG", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpwanted.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def raw_insert_seconds(data: bytes, db_path: Path, ddl: list[str]) -> float:
    """The baseline: csv module + one executemany into a fresh table like network_person."""
    if db_path.exists():
        db_path.unlink()
    con = sqlite3.connect(db_path, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    for statement in ddl:
        con.execute(statement)
    columns = [row[1] for row in con.execute("PRAGMA table_info(network_person)")][1:]
    sql = "INSERT INTO network_person ({}) VALUES ({})".format(
        ", ".join(columns), ", ".join("?" * len(columns))
    )
    started = time.perf_counter()
    lines = data.decode("utf-8-sig").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("First Name,"))
    now = dt.datetime.now(dt.UTC).isoformat(sep=" ")
    params = []
    for first, last, url, email, company, position, connected in csv.reader(lines[start + 1 :]):
        name = f"{first} {last}"
        row = {
            "name": name,
            "nickname": "",
            "emails": json.dumps([email] if email else []),
            "phones": "[]",
            "company": company,
            "position": position,
            "location": "",
            "linkedin_url": url,
            "relationship": "acquaintance",
            "how_we_know": "",
            "closeness": None,
            "notes": "",
            "sources": '["linkedin"]',
            "connected_on": connected,
            "messages_count": 0,
            "asks_count": 0,
            "answers_count": 0,
            "edited_fields": "[]",
            "name_key": name.lower(),
            "company_key": company.lower(),
            "email_key": email,
            "archived_at": None,
            "created_at": now,
            "updated_at": now,
            "owner_id": 1,
            "suggested_by_id": None,
        }
        params.append([row[column] for column in columns])
    con.execute("BEGIN")
    con.executemany(sql, params)
    con.execute("COMMIT")
    elapsed = time.perf_counter() - started
    con.close()
    return elapsed


def bare_view(request: HttpRequest) -> HttpResponse:
    from django.http import HttpResponse

    return HttpResponse("ok")


def install_bench_urls() -> None:
    """The real URLs plus /bench/bare/, for this process only."""
    from django.conf import settings
    from django.urls import clear_url_caches, include, path

    module = types.ModuleType("bench_urls")
    module.urlpatterns = [  # type: ignore[attr-defined]  # a module made at run time
        path("bench/bare/", bare_view),
        path("", include("helpwanted.urls")),
    ]
    sys.modules["bench_urls"] = module
    settings.ROOT_URLCONF = "bench_urls"
    clear_url_caches()


def median_ms(client: Client, url: str) -> float:
    for _ in range(3):  # warm up templates, caches and the connection
        client.get(url)
    times = []
    for _ in range(PAGE_REQUESTS):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times) * 1000


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="helpwanted-bench-"))
    setup_django(tmp)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from helpwanted.accounts.models import User
    from helpwanted.network.imports import import_file

    data = connections_csv()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'network_person' AND sql IS NOT NULL"
        )
        ddl = [row[0] for row in cursor.fetchall()]

    # The machine may be busy: each round times the baseline right before the import it is
    # compared with, and the figures printed are medians over the rounds.
    def raw_insert() -> float:
        return raw_insert_seconds(data, tmp / "raw.sqlite3", ddl)

    def timed_import(owner: User, expected: str) -> float:
        started = time.perf_counter()
        report = import_file(owner=owner, data=data, filename="Connections.csv")
        elapsed = time.perf_counter() - started
        assert getattr(report, expected) == ROWS, report.as_json()
        return elapsed

    raws, imports, reimports, import_ratios, reimport_ratios = [], [], [], [], []
    owners = []
    for round_ in range(ROUNDS):
        owner = User.objects.create_user(email=f"bench{round_}@example.org", password="x" * 16)
        owners.append(owner)
        raws.append(raw_insert())
        imports.append(timed_import(owner, "created"))
        import_ratios.append(imports[-1] / raws[-1])
    owner = owners[0]
    for _ in range(ROUNDS):
        raws.append(raw_insert())
        reimports.append(timed_import(owner, "unchanged"))
        reimport_ratios.append(reimports[-1] / raws[-1])
    raw = statistics.median(raws)
    imported, reimported = statistics.median(imports), statistics.median(reimports)

    # Peak memory: tracemalloc's peak of Python allocations during a whole import (parse and
    # merge) into another empty account. Measured in its own run because tracing slows it down.
    other = User.objects.create_user(email="bench-memory@example.org", password="x" * 16)
    tracemalloc.start()
    import_file(owner=other, data=data, filename="Connections.csv")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    print(f"import_rows: {ROWS}")
    print(f"raw_insert_s: {raw:.3f}")
    print(f"import_s: {imported:.3f}")
    print(f"import_ratio: {statistics.median(import_ratios):.2f}")
    print(f"reimport_s: {reimported:.3f}")
    print(f"reimport_ratio: {statistics.median(reimport_ratios):.2f}")
    print(f"import_peak_mb: {peak / 1024 / 1024:.1f}")
    sys.stdout.flush()

    install_bench_urls()
    client = Client()
    client.force_login(owner, backend="django.contrib.auth.backends.ModelBackend")
    people_ms = median_ms(client, "/people/")
    bare_ms = median_ms(client, "/bench/bare/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/people/")
    print(f"people_page_ms: {people_ms:.1f}")
    print(f"bare_view_ms: {bare_ms:.1f}")
    print(f"people_page_queries: {len(queries)}")
    sys.stdout.flush()
    bench_asks(owner, client)
    bench_journey(owner, client)
    bench_insights(owner, client)
    __import__("bench.calendar", fromlist=["bench_calendar"]).bench_calendar(owner, client)
    __import__("bench.api", fromlist=["bench_api"]).bench_api(owner, client)
    __import__("bench.club_round", fromlist=["bench_club_round"]).bench_club_round()
    __import__("bench.clubs", fromlist=["bench_clubs"]).bench_clubs()
    bench_ranking(owner)
    __import__("bench.digest", fromlist=["bench_digest"]).bench_digest()
    __import__("bench.inbound", fromlist=["bench_inbound"]).bench_inbound()


def bench_insights(owner: User, client: Client) -> None:
    """The insights page over the large account seeded above (people, asks, journey)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    print(f"insights_page_ms: {median_ms(client, '/insights/'):.1f}")
    with CaptureQueriesContext(connection) as queries:
        client.get("/insights/")
    print(f"insights_page_queries: {len(queries)}")
    sys.stdout.flush()


def seed_asks(owner: User) -> tuple[int, str]:
    """3,000 asks, three recipients each, in a spread of states; returns an ask id and a token."""
    from datetime import timedelta

    from django.utils import timezone

    from helpwanted.asks.models import Ask, Recipient
    from helpwanted.circle.actions import circle_add, grant_issue
    from helpwanted.network.models import Person

    people = list(Person.objects.filter(owner=owner).order_by("id")[:1500])
    now = timezone.now()
    statuses = ["sent", "opened", "offered", "suggested", "not_now", "declined", "done", "thanked"]
    asks = Ask.objects.bulk_create(
        Ask(
            owner=owner,
            kind="advice",
            request=f"Could we talk about design roles? ({i})",
            why="I'm changing field.",
            created_at=now - timedelta(hours=i),
            sent_at=now - timedelta(hours=i),
            closed_at=None if i % 3 else now,
        )
        for i in range(ASKS)
    )
    Recipient.objects.bulk_create(
        Recipient(
            ask=ask,
            person=people[(i * 3 + j) % len(people)],
            status=statuses[(i + j) % len(statuses)],
            sent_at=ask.sent_at,
            answered_at=ask.sent_at if (i + j) % len(statuses) > 1 else None,
        )
        for i, ask in enumerate(asks)
        for j in range(3)
    )
    helper = people[0]
    _, token = grant_issue(member=circle_add(person=helper, audience="supporters"))
    return asks[-1].pk, token


def bench_asks(owner: User, client: Client) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    ask_id, token = seed_asks(owner)
    pages = {"asks_page": "/asks/", "ask_page": f"/asks/{ask_id}/"}
    helper = Client()
    helper.post(f"/h/{token}/")
    for name, url in pages.items():
        print(f"{name}_ms: {median_ms(client, url):.1f}")
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        print(f"{name}_queries: {len(queries)}")
    print(f"helper_page_ms: {median_ms(helper, '/helper/'):.1f}")
    with CaptureQueriesContext(connection) as queries:
        helper.get("/helper/")
    print(f"helper_page_queries: {len(queries)}")


UPDATES = 500
CHECKIN_DAYS = 730  # two years, with a few days skipped: about 700 check-ins
OPPORTUNITIES = 400
CIRCLE = 40  # circle members who reply to updates (people with no email: no digests)


def seed_journey(owner: User) -> None:
    """500 updates with replies, ~700 check-ins over 2 years, 400 opportunities with history."""
    from datetime import timedelta

    from django.utils import timezone

    from helpwanted.circle.models import CircleMember
    from helpwanted.journey.models import (
        CheckIn,
        Opportunity,
        Reply,
        StageChange,
        Update,
    )
    from helpwanted.network.models import Person

    rnd = random.Random(2026)
    now = timezone.now()
    today = timezone.localdate()
    people = list(
        Person.objects.filter(owner=owner, email_key="", membership__isnull=True).order_by("id")[
            :CIRCLE
        ]
    )
    audiences = ["inner", "supporters", "supporters", "network"]
    members = CircleMember.objects.bulk_create(
        CircleMember(owner=owner, person=p, audience=audiences[i % 4], invited_at=now)
        for i, p in enumerate(people)
    )
    repliers = [m for m in members if m.audience != "network"]

    opp_stages = ["idea", "applied", "screening", "interviewing", "offer"]
    ends = ["rejected", "rejected", "withdrawn", None, None]
    opportunities, paths = [], []
    for _ in range(OPPORTUNITIES):
        path = opp_stages[: rnd.randint(1, len(opp_stages))]
        end = rnd.choice(ends)
        if end:
            path = [*path, end]
        started = now - timedelta(days=rnd.randrange(730), hours=rnd.randrange(24))
        paths.append((started, path))
        company = rnd.choice(STEMS) + rnd.choice(SECTORS)
        opportunities.append(
            Opportunity(
                owner=owner,
                company=company,
                company_key=company.lower(),
                role=rnd.choice(POSITIONS).strip('"'),
                source=rnd.choice(["referral", "job_board", "recruiter", "own_search"]),
                stage=path[-1],
                stage_changed_at=started + timedelta(days=4 * (len(path) - 1)),
                created_at=started,
            )
        )
    opportunities = Opportunity.objects.bulk_create(opportunities, batch_size=500)
    StageChange.objects.bulk_create(
        (
            StageChange(
                opportunity=o,
                from_stage=path[k - 1] if k else "",
                to_stage=stage,
                at=started + timedelta(days=4 * k),
                note="Heard back by email." if k % 3 == 2 else "",
            )
            for o, (started, path) in zip(opportunities, paths, strict=True)
            for k, stage in enumerate(path)
        ),
        batch_size=1000,
    )
    rejected = [o for o in opportunities if o.stage == "rejected"]

    kinds = [("progress", "supporters"), ("win", "everyone"), ("setback", "supporters"),
             ("rejection", "inner"), ("feelings", "inner"), ("ideas", "everyone")]  # fmt: skip
    updates = []
    for i in range(UPDATES):
        kind, audience = kinds[i % len(kinds)]
        updates.append(
            Update(
                owner=owner,
                kind=kind,
                audience=audience,
                text=f"Week {i}: two applications out, one screening call booked.",
                opportunity=rejected[i % len(rejected)] if kind == "rejection" else None,
                created_at=now - timedelta(hours=35 * i),
                deleted_at=now if i % 97 == 96 else None,
            )
        )
    updates = Update.objects.bulk_create(updates, batch_size=500)
    reactions = ["heart", "strong", "proud", "here"]
    Reply.objects.bulk_create(
        (
            Reply(
                update=u,
                member=repliers[(i + j) % len(repliers)],
                reaction=reactions[(i + j) % 4] if j % 2 == 0 else "",
                text="" if j % 2 == 0 else "Rooting for you. Coffee this week?",
                kind="offer" if (i + j) % 17 == 0 else "encouragement",
                created_at=u.created_at + timedelta(hours=2 + j),
            )
            for i, u in enumerate(updates)
            if i % 3 != 2  # some updates get no reply
            for j in range(1 + i % 3)
        ),
        batch_size=1000,
    )

    days = [today - timedelta(days=d) for d in range(CHECKIN_DAYS) if d % 25 != 24]
    CheckIn.objects.bulk_create(
        (
            CheckIn(
                owner=owner,
                day=day,
                hope=rnd.randint(1, 5),
                energy=rnd.randint(1, 5),
                confidence=rnd.randint(1, 5),
                note="Slow week." if day.day % 5 == 0 else "",
                shared=day.day % 2 == 0,
            )
            for day in days
        ),
        batch_size=1000,
    )


def bench_journey(owner: User, client: Client) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    seed_journey(owner)
    for name, url, queries_name in (
        ("home_page", "/home/", "home_page_queries"),
        ("board_page", "/journey/opportunities/", "board_page_queries"),
    ):
        print(f"{name}_ms: {median_ms(client, url):.1f}")
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        print(f"{queries_name}: {len(queries)}")
    sys.stdout.flush()
    bench_home_early_ask(owner, client)


def bench_home_early_ask(owner: User, client: Client) -> None:
    """The home page while the early-ask card shows: hope fell from 5 yesterday to 1 today,
    and no ask has gone out since (today's asks move back a day), so the inner circle is
    ranked for emotional support on every view."""
    from django.db import connection
    from django.db.models import F
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from helpwanted.asks.models import Ask
    from helpwanted.journey.models import CheckIn

    today = timezone.localdate()
    since = timezone.now() - dt.timedelta(days=1)
    Ask.objects.filter(owner=owner, sent_at__gte=since).update(
        sent_at=F("sent_at") - dt.timedelta(days=1)
    )
    CheckIn.objects.filter(owner=owner, day=today).update(hope=1)
    CheckIn.objects.filter(owner=owner, day=today - dt.timedelta(days=1)).update(hope=5)
    assert "A good moment to ask" in client.get("/home/").content.decode()
    print(f"home_early_ask_ms: {median_ms(client, '/home/'):.1f}")
    with CaptureQueriesContext(connection) as queries:
        client.get("/home/")
    print(f"home_early_ask_queries: {len(queries)}")
    sys.stdout.flush()


RANKING_ROUNDS = 7


def bench_ranking(owner: User) -> None:
    """Whom to ask, for one job-lead ask about a target company, over the 30,000 people.

    ranking_load_s: just loading the people's needed fields (nudges.selectors.PERSON_FIELDS)
    with values_list. ranking_s: the whole suggestions_for_ask call, end to end: those rows
    plus ask history, circle, targets and opportunities, company matching, building the
    candidates and ranking them. ranking_pure_s: ranking.rank() alone on loaded candidates.
    Medians over RANKING_ROUNDS; the ratio is taken within each round.
    """
    from helpwanted.asks.models import Ask
    from helpwanted.network.models import Person
    from helpwanted.network.targets import target_add
    from helpwanted.nudges import ranking, selectors

    people = Person.objects.filter(owner=owner, archived_at__isnull=True).order_by()
    company = people.exclude(company="").values_list("company", flat=True)[0]
    ask = Ask.objects.create(
        owner=owner,
        kind="job_lead",
        request="Have you heard of product designer openings?",
        target=target_add(owner=owner, company=company),
    )
    loads, ranks, pures, ratios = [], [], [], []
    for _ in range(RANKING_ROUNDS):
        started = time.perf_counter()
        rows = list(people.values_list(*selectors.PERSON_FIELDS))
        loads.append(time.perf_counter() - started)
        started = time.perf_counter()
        result = selectors.suggestions_for_ask(ask, owner=owner)
        ranks.append(time.perf_counter() - started)
        ratios.append(ranks[-1] / loads[-1])
        candidates = selectors.load_candidates(owner)
        context = ranking.AskContext(kind="job_lead", today=dt.date.today())
        started = time.perf_counter()
        ranking.rank(candidates, context)
        pures.append(time.perf_counter() - started)
    assert len(rows) >= ROWS and len(result.people) == 10 and result.wildcard is not None
    print(f"ranking_people: {result.considered}")
    print(f"ranking_load_s: {statistics.median(loads):.3f}")
    print(f"ranking_s: {statistics.median(ranks):.3f}")
    print(f"ranking_pure_s: {statistics.median(pures):.3f}")
    print(f"ranking_ratio: {statistics.median(ratios):.2f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
