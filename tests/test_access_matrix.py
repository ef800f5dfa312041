"""The access matrix: every URL pattern, every role, GET and POST, with alice's ids.

For each pattern in the URLconf (walked, includes and namespaces and all) the outsiders (another
seeker, a helper of another seeker, a helper whose link alice switched off, a stranger, and the
other side of alice's own account) knock with alice's ids and a valid CSRF token. None may get a
2xx, and no row in any table may change. A new view is covered by this test as soon as it is in
the URLconf: if the walker cannot fill one of its parameters, the test fails and says what to add.
"""

import hashlib
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import (
    IntConverter,
    PathConverter,
    SlugConverter,
    StringConverter,
    UUIDConverter,
)

from helpwanted.accounts.models import User
from helpwanted.asks.models import Recipient, RecipientEvent
from helpwanted.network.actions import person_create
from tests.access_world import World, build_world, post

# Pages anyone may open. Each says why. Their GET must still change no row.
PUBLIC = {
    "landing": "the front page",
    "healthz": "the load balancer's health check",
    "accounts:signup": "sign-up is for people without an account",
    "accounts:login": "log in is for people without a session",
    "accounts:logout": "logging out ends only the caller's own session",
    "elsewhere:goodbye": "the page after deleting an account, when there is no account left",
    "accounts:password_reset": "the reset form, for people who can't log in",
    "accounts:password_reset_done": "'check your email', after the reset form",
    "accounts:password_reset_complete": "'your password is set', after a reset",
    "elsewhere:manifest": "the web app manifest: the browser fetches it without cookies",
    "mail:outbox": "dev-only outbox: answers 404 unless HELPWANTED_DEMO or DEBUG (off here)",
    "mail:outbox_detail": "dev-only outbox: answers 404 unless HELPWANTED_DEMO or DEBUG",
    "mail:outbox_html": "dev-only outbox: answers 404 unless HELPWANTED_DEMO or DEBUG",
    "api:docs": "the API reference, read from the OpenAPI document: nobody's data",
    "api:v1:openapi-json": "the OpenAPI document: nobody's data",
    "api:v1:api-root": "/api/v1/ says where the docs are",
    "api:not_found": "the API's JSON 404 for an address it doesn't have",
    "mail:outbox_reply": "dev-only outbox: answers 404 unless HELPWANTED_DEMO or DEBUG",
}

# Public by token: the secret in the path is the credential, by design, so whoever holds it may
# act (an email is forwarded; a mail client POSTs one-click unsubscribe with no session). Only
# GET is checked for them: mail scanners follow links, so a GET must change nothing.
BEARER = {
    "circle:helper_link": "a helper's personal link: whoever holds it is that helper",
    "circle:unsubscribe": "one-click unsubscribe (RFC 8058) from a helper's email",
    "accounts:password_reset_confirm": "the reset link from the email is the proof of identity",
    "journey:checkin_reminder_off": "one-click 'no more reminders' from the reminder email",
    "journey:digest_unsubscribe": "one-click digest unsubscribe (RFC 8058)",
    "elsewhere:feed": "the calendar feed: calendar apps send no cookie, the secret URL is the key",
    "journey:digest_resubscribe": "undo of the digest unsubscribe, from the same link",
    "journey:digest_pause": "'pause for 4 weeks' from the digest email",
    "journey:digest_resume": "undo of the pause, from the same link",
    "clubs:invitation": "the club invitation's link: its POST joins (or signs up on the way)",
    "clubs:emails_off": "one-click 'stop club emails' (RFC 8058) from a club email",
}

# Query strings a bearer link carries in emails; its GET must change nothing with each of them.
BEARER_QUERIES = {
    "circle:helper_link": [
        "",
        "?r={recipient_id}",
        "?r={recipient_id}&a=yes",  # tap 1 of the two-tap answer
        "?u={update_id}&e=heart",  # tap 1 of a word of encouragement
        "?join=1",  # the invitation's "keep me posted"
    ],
}

# Roles that are API clients with a personal access token, not browsers (tests/access_world.py).
TOKEN_ROLES = ("other_token", "owner_read_only_token")

# Pages a helper session acts on (no account; the grant in the session is the owner's side).
# Everything else is the seeker's side, where the owner is alice logged in.
HELPER_SIDE = {
    "circle:helper_home",
    "circle:helper_ask",
    "circle:helper_preferences",
    "circle:helper_consent",
    "circle:helper_leave",
    "journey:update_reply",
}

# Pages without ids whose first GET makes the caller's own row (lazily), by design.
OWN_GET_WRITES = {
    "journey:landed_thanks": ("journey.Search", "the first visit makes the caller's Search row"),
}

# Holes the matrix found and the lead has yet to close: {(pattern, role): one-line reason}.
# Each makes exactly that pattern and role an expected failure, strictly: once it is fixed, the
# test fails until its entry is removed.
KNOWN_HOLES: dict[tuple[str, str], str] = {}

# Tables left out of the row snapshot: bookkeeping, not anybody's data.
BOOKKEEPING = {
    "sessions.Session": "a session row changes on every request that logs in, out or flashes",
    "axes.AccessAttempt": "django-axes counts login attempts, whoever makes them",
    "axes.AccessFailureLog": "django-axes logs failed logins",
    "axes.AccessAttemptExpiration": "django-axes' lockout expiry for those attempts",
    "axes.AccessLog": "django-axes logs every login and logout",
    "elsewhere.EmittedEvent": "what the calendar feed last sent, so a changed event's SEQUENCE "
    "goes up: the feed's GET writes it by design, and it holds nothing but what the feed showed",
    "api.PersonalAccessToken": "a token's last-used time moves when it is used, whoever's it is",
}

KNOWN_CONVERTERS = (IntConverter, StringConverter, SlugConverter, UUIDConverter, PathConverter)


@dataclass(frozen=True)
class Route:
    name: str
    route: str
    named: bool
    converters: tuple[tuple[str, object], ...]  # (argument, converter), in path order

    def __str__(self) -> str:
        return self.name


def walk(patterns: list, prefix: str = "", namespace: str = "", converters: tuple = ()):
    """Every URLPattern under the resolver, with its full name and the converters on its path."""
    for entry in patterns:
        here = tuple(getattr(entry.pattern, "converters", {}).items())
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from walk(
                entry.url_patterns, prefix + str(entry.pattern), inner, converters + here
            )
        elif isinstance(entry, URLPattern):
            regex_args = tuple(
                (arg, None)
                for arg in entry.pattern.regex.groupindex
                if arg not in dict(converters + here)
            )
            name = f"{namespace}:{entry.name}" if namespace else (entry.name or "")
            route = prefix + str(entry.pattern)
            yield Route(name or route, route, bool(entry.name), converters + here + regex_args)


ROUTES = sorted(walk(get_resolver().url_patterns), key=lambda r: r.name)


def _tables() -> list[tuple[str, str, str]]:
    """(label, quoted table, quoted primary key) for each table but bookkeeping."""
    quote = connection.ops.quote_name
    return [
        (m._meta.label, quote(m._meta.db_table), quote(m._meta.pk.column))
        for m in apps.get_models()
        if m._meta.label not in BOOKKEEPING and m._meta.managed
    ]


def snapshot() -> dict[str, str]:
    """A hash of every row of every table (but bookkeeping), ordered by primary key."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One round trip: the server hashes each table's rows, in primary-key order.
            cursor.execute(
                " UNION ALL ".join(
                    f"SELECT '{label}', (SELECT md5(coalesce(string_agg(CAST(t AS text), '|' "
                    f"ORDER BY t.{pk}), '')) FROM {table} t)"
                    for label, table, pk in _tables()
                )
            )
            return dict(cursor.fetchall())
        hashes = {}
        for label, table, pk in _tables():
            cursor.execute(f"SELECT * FROM {table} ORDER BY {pk}")  # noqa: S608 (our own names)
            rows = [
                tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
                for row in cursor.fetchall()
            ]
            hashes[label] = hashlib.sha256(repr(rows).encode()).hexdigest()
        return hashes


def _path_to_user(model, depth: int = 0) -> str | None:
    """The lookup from a model to the user who owns its rows ("owner", "ask__owner", ...)."""
    if model is User:
        return "pk"
    fks = [
        f
        for f in model._meta.get_fields()
        if f.concrete and (f.many_to_one or f.one_to_one) and f.related_model is not None
    ]
    for f in sorted(fks, key=lambda f: f.name != "owner"):
        if f.related_model is User:
            return f.name
    for f in fks if depth < 3 else []:
        if (rest := _path_to_user(f.related_model, depth + 1)) is not None:
            return f"{f.name}__{rest}".removesuffix("__pk")
    return None


def alice_rows(world: World) -> dict[str, str]:
    """A hash of alice's own rows in every table that leads to an owner."""
    hashes = {}
    for model in apps.get_models():
        path = _path_to_user(model)
        if path is not None and model._meta.label not in BOOKKEEPING:
            rows = model._base_manager.filter(**{path: world.alice.pk}).order_by("pk")
            text = repr(list(rows.values_list()))
            hashes[model._meta.label] = hashlib.sha256(text.encode()).hexdigest()
    return hashes


def changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(label for label in before if before[label] != after[label])


def url_for(route: Route, world: World) -> str:
    """The route's URL filled with alice's ids; fails with how to teach it when it can't."""
    if not route.named:
        pytest.fail(f"{route.route} has no name: name it, so the matrix can report it.")
    kwargs = {}
    for arg, converter in route.converters:
        if converter is None or not isinstance(converter, KNOWN_CONVERTERS):
            pytest.fail(
                f"{route.name}: the matrix can't fill <{arg}> (converter {converter!r}). Use a "
                "standard path converter, or teach tests/test_access_matrix.py how to fill it."
            )
        key = (route.name, arg)
        if key in world.by_pattern:
            kwargs[arg] = world.by_pattern[key]
        elif arg in world.ids and isinstance(converter, IntConverter):
            kwargs[arg] = world.ids[arg]
        else:
            pytest.fail(
                f"{route.name}: the matrix doesn't know alice's <{arg}>. Teach it in "
                "tests/access_world.py build_world(): add "
                + (
                    f"'{arg}': <alice's object>.pk to `ids`"
                    if isinstance(converter, IntConverter)
                    else f'("{route.name}", "{arg}"): <the value the app mints for alice> '
                    "to `by_pattern`"
                )
                + "."
            )
    return reverse(route.name, kwargs=kwargs)


def knock(world: World, role: str, url: str, methods: tuple[str, ...]) -> tuple[list, list]:
    """Request the URL as the role; return the statuses and the tables whose rows changed.

    "POST" sends an empty form, "POST+form" a filled one. Rows are hashed after every request,
    so a second request can't hide what the first changed (close, then reopen); each hash is
    the next request's "before" (nothing runs in between).
    """
    client = world.clients[role]
    statuses, rows = [], set()
    for method in methods:
        before = world.last_snapshot or snapshot()
        if method == "GET":
            response = client.get(url)
        else:
            response = post(client, url, world.form if method == "POST+form" else None)
        statuses.append((method, response.status_code, response.get("Location", "")))
        world.last_snapshot = snapshot()
        rows.update(changed(before, world.last_snapshot))
    return statuses, sorted(rows)


@pytest.fixture(scope="module")
def built_world(django_db_setup, django_db_blocker):
    """alice's world, built once for the module inside a transaction rolled back at the end.

    Each test runs in its own savepoint inside it (pytest-django's `db`), so what one test's
    requests change is gone before the next, as with Django's setUpTestData.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(built_world: World, db) -> World:
    return built_world.fresh()


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_no_one_but_the_owner_gets_in_or_changes_a_row(route: Route, world: World) -> None:
    url = url_for(route, world)
    helper_side = route.name in HELPER_SIDE
    owner, own_scope = (
        ("owner_helper", "other_helper") if helper_side else ("owner", "other_seeker")
    )
    outsiders = ["other_seeker", "other_helper", "revoked_helper", "anonymous"]
    outsiders.append("owner" if helper_side else "owner_helper")  # the other side of alice's
    public = route.name in PUBLIC or route.name in BEARER
    has_ids = bool(route.converters)
    failures: dict[str, list[str]] = {}

    def fail(role: str, message: str) -> None:
        failures.setdefault(role, []).append(f"{role}: {message}")

    if public:
        # Anyone may open it; nobody's GET changes a row. Plain public forms get an empty POST too.
        methods = ("GET",) if route.name in BEARER else ("GET", "POST")
        for role in [role for role in world.clients if role not in TOKEN_ROLES]:
            statuses, rows = [], []
            for query in BEARER_QUERIES.get(route.name, [""]):
                more, more_rows = knock(world, role, url + query.format(**world.ids), methods)
                statuses += more
                rows += more_rows
            if rows:
                fail(role, f"{statuses} changed rows in {rows}")
            if any(status >= 500 for _, status, _ in statuses):
                fail(role, f"{statuses} is a server error")
    else:
        if not has_ids:
            # Nothing of alice's in the URL: the page acts on the caller's own account (or own
            # helper grant), so that caller may open it; a GET must still change nothing.
            outsiders.remove(own_scope)
            statuses, rows = knock(world, own_scope, url, ("GET",))
            allowed = OWN_GET_WRITES.get(route.name, ("", ""))[0]
            if [row for row in rows if row != allowed]:
                fail(own_scope, f"{statuses} changed rows in {rows} on a GET")
            # Its POSTs may change the caller's own rows, never alice's (the form names hers).
            before = alice_rows(world)
            statuses, _ = knock(world, own_scope, url, ("POST", "POST+form"))
            if theirs := changed(before, alice_rows(world)):
                fail(own_scope, f"{statuses} changed alice's rows in {theirs}")
        if route.name.startswith("api:v1:"):
            # The API by token: charlie's reaches none of alice's ids; alice's read-only one
            # writes nothing (a browser session never writes: the outsiders above get 401).
            if has_ids:
                outsiders.append("other_token")
            statuses, rows = knock(world, "owner_read_only_token", url, ("POST", "POST+form"))
            if any(200 <= status < 300 or status >= 500 for _, status, _ in statuses) or rows:
                fail("owner_read_only_token", f"got {statuses}, changed rows in {rows}")
        for role in outsiders:
            statuses, rows = knock(world, role, url, ("GET", "POST", "POST+form"))
            if any(200 <= status < 300 or status >= 500 for _, status, _ in statuses):
                fail(role, f"got {statuses}")
            if rows:
                fail(role, f"{statuses} changed rows in {rows}")
        if has_ids:
            # Last, the owner: proves the ids reach a real object (else all the 404s prove nothing).
            statuses, _ = knock(world, owner, url, ("GET", "POST"))
            reached = [status for _, status, _ in statuses if status != 405]
            if not reached or all(status == 404 for status in reached):
                fail(owner, f"the owner gets {statuses}: are alice's ids right for {route.name}?")
            if any(status >= 500 for _, status, _ in statuses):
                fail(owner, f"{statuses} is a server error")

    _report(route, failures)


def _report(route: Route, failures: dict[str, list[str]]) -> None:
    holes = {role: reason for (name, role), reason in KNOWN_HOLES.items() if name == route.name}
    unexpected = [msg for role, msgs in failures.items() if role not in holes for msg in msgs]
    fixed = [role for role in holes if role not in failures]
    if unexpected:
        hint = ""
        if not route.converters and route.name not in HELPER_SIDE:
            hint = "\n(A helper's page? Add it to HELPER_SIDE. Public? Add it to PUBLIC, with why.)"
        pytest.fail(f"{route.name} ({route.route}):\n  " + "\n  ".join(unexpected) + hint)
    if fixed:
        pytest.fail(f"{route.name}: KNOWN_HOLES for {fixed} no longer fail; remove the entries.")
    if holes:
        pytest.xfail("; ".join(f"{role}: {reason}" for role, reason in holes.items()))


def test_every_known_hole_and_exception_names_a_real_pattern() -> None:
    names = {route.name for route in ROUTES}
    listed = set(PUBLIC) | set(BEARER) | HELPER_SIDE | set(OWN_GET_WRITES) | set(BEARER_QUERIES)
    listed |= {name for name, _ in KNOWN_HOLES}
    assert listed - names == set()
    assert set(PUBLIC) & set(BEARER) == set()


def test_a_pattern_it_cannot_fill_fails_and_says_how_to_teach_it(world: World) -> None:
    new_view = Route(
        "network:mystery", "people/<int:mystery_id>/", True, (("mystery_id", IntConverter()),)
    )
    with pytest.raises(
        pytest.fail.Exception, match="add 'mystery_id': <alice's object>.pk to `ids`"
    ):
        url_for(new_view, world)
    signed = Route("circle:secret", "s/<str:value>/", True, (("value", StringConverter()),))
    with pytest.raises(pytest.fail.Exception, match=r'\("circle:secret", "value"\)'):
        url_for(signed, world)


def test_a_known_hole_fails_only_its_role_and_fails_once_fixed(monkeypatch) -> None:
    route = next(route for route in ROUTES if route.name == "asks:detail")
    monkeypatch.setitem(KNOWN_HOLES, ("asks:detail", "other_seeker"), "pretend it leaks")
    with pytest.raises(pytest.xfail.Exception, match="pretend it leaks"):
        _report(route, {"other_seeker": ["other_seeker: got 200"]})
    with pytest.raises(pytest.fail.Exception, match="anonymous: got 200"):
        _report(
            route, {"other_seeker": ["other_seeker: got 200"], "anonymous": ["anonymous: got 200"]}
        )
    with pytest.raises(pytest.fail.Exception, match="no longer fail"):
        _report(route, {})


def test_alice_rows_see_a_change_to_hers_and_not_to_charlies(world: World) -> None:
    before = alice_rows(world)
    person_create(owner=world.charlie, fields={"name": "Mallory Charlie"})
    assert changed(before, alice_rows(world)) == []
    recipient = Recipient.objects.get(pk=world.ids["recipient_id"])
    RecipientEvent.objects.create(recipient=recipient, status="opened")
    assert changed(before, alice_rows(world)) == ["asks.RecipientEvent"]
