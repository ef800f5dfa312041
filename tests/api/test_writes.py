"""Writes go through the app's own actions and forms: what they do, and every bad input."""

from datetime import timedelta

import pytest
from django.utils import timezone

from helpwanted.asks.models import Ask, Recipient
from helpwanted.journey.models import CheckIn, Opportunity, StageChange, Update
from helpwanted.mail.models import OutboxMessage
from helpwanted.network.models import Person, Target
from tests.api.conftest import Api


@pytest.fixture
def world(built_world, db):
    return built_world


@pytest.fixture
def alice(world):
    return world.alice


@pytest.fixture
def ids(world):
    return world.ids


@pytest.fixture
def api(world):
    return Api(world.rw)


# (method, url, body, the field the 422 names): one or more for every write.
BAD = [
    ("post", "/api/v1/people", {}, "name"),
    ("post", "/api/v1/people", {"name": ""}, "name"),
    ("post", "/api/v1/people", {"name": "Zoe", "emails": ["not-an-email"]}, "emails"),
    ("post", "/api/v1/people", {"name": "Zoe", "linkedin_url": "https://example.com/zoe"}, "linkedin_url"),
    ("post", "/api/v1/people", {"name": "Zoe", "closeness": 9}, "closeness"),
    ("post", "/api/v1/people", {"name": "Zoe", "relationship": "nemesis"}, "relationship"),
    ("post", "/api/v1/people", {"name": "Zoe", "connected_on": "1700000000"}, "connected_on"),
    ("post", "/api/v1/people", {"name": "x" * 201}, "name"),
    ("patch", "/api/v1/people/{person_id}", {"emails": ["nope"]}, "emails"),
    ("patch", "/api/v1/people/{person_id}", {"name": ""}, "name"),
    ("post", "/api/v1/targets", {"company": ""}, "company"),
    ("post", "/api/v1/targets", {"company": "LUMEN LABS Ltd."}, "company"),
    ("post", "/api/v1/asks", {"request": ""}, "request"),
    ("post", "/api/v1/asks", {"request": "Hi?", "needed_by": "2020-01-01"}, "needed_by"),
    ("post", "/api/v1/asks", {"request": "Hi?", "kind": "bribe"}, "kind"),
    ("post", "/api/v1/asks", {"request": "Hi?", "follow_up_days": 0}, "follow_up_days"),
    ("post", "/api/v1/asks", {"request": "Hi?", "person_ids": [999999]}, "person_ids"),
    ("post", "/api/v1/asks", {"request": "Hi?", "target_id": 999999}, "target_id"),
    ("patch", "/api/v1/asks/{ask_id}", {"request": ""}, "request"),
    ("patch", "/api/v1/asks/{ask_id}", {"needed_by": "2020-01-01"}, "needed_by"),
    ("post", "/api/v1/asks/{ask_id}/recipients", {}, "person_id"),
    ("post", "/api/v1/asks/{ask_id}/recipients", {"person_id": 999999}, "person_id"),
    ("patch", "/api/v1/recipients/{recipient_id}", {"channel": "email"}, "channel"),
    ("patch", "/api/v1/recipients/{recipient_id}", {"channel": "pigeon"}, "channel"),
    ("post", "/api/v1/opportunities", {"company": "Acme"}, "role"),
    ("post", "/api/v1/opportunities", {"company": "Acme", "role": "UX", "link": "not a url"}, "link"),
    ("post", "/api/v1/opportunities", {"company": "Acme", "role": "UX", "stage": "dreaming"}, "stage"),
    ("post", "/api/v1/opportunities", {"company": "Acme", "role": "UX", "referred_by_id": 999999}, "referred_by_id"),
    ("post", "/api/v1/opportunities", {"company": "Acme", "role": "UX", "referred_by_id": "{person_id}"}, "source"),
    ("patch", "/api/v1/opportunities/{opportunity_id}", {"role": ""}, "role"),
    ("patch", "/api/v1/opportunities/{opportunity_id}", {"stage": "offer"}, "stage"),
    ("post", "/api/v1/opportunities/{opportunity_id}/stages", {"stage": "nowhere"}, "stage"),
    ("post", "/api/v1/opportunities/{opportunity_id}/stages", {}, "stage"),
    ("post", "/api/v1/updates", {"kind": "progress", "text": ""}, "text"),
    ("post", "/api/v1/updates", {"kind": "gossip", "text": "Hi"}, "kind"),
    ("post", "/api/v1/updates", {"kind": "progress", "text": "Hi", "audience": "world"}, "audience"),
    ("post", "/api/v1/updates", {"kind": "progress", "text": "x" * 2001}, "text"),
    ("post", "/api/v1/updates", {"kind": "progress", "text": "Hi", "opportunity_id": 999999}, "opportunity_id"),
    ("post", "/api/v1/checkins", {"hope": 6, "energy": 3, "confidence": 3}, "hope"),
    ("post", "/api/v1/checkins", {"energy": 3, "confidence": 3}, "hope"),
    ("post", "/api/v1/checkins", {"hope": 3, "energy": 3, "confidence": 3, "note": "x" * 2001}, "note"),
]  # fmt: skip


def _fill(value, ids):
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    return value


def _rows():
    models = (Person, Target, Ask, Recipient, Opportunity, StageChange, Update, CheckIn)
    return {m.__name__: list(m.objects.order_by("pk").values_list()) for m in models}


@pytest.mark.parametrize(("method", "url", "body", "field"), BAD)
def test_bad_input_is_a_422_naming_the_field_and_changes_nothing(
    api, ids, method, url, body, field
) -> None:
    before = _rows()
    response = getattr(api, method)(url.format(**ids), _fill(body, ids))
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["fields"][field] and all(error["fields"][field])
    assert field in error["message"]
    assert _rows() == before


def test_every_write_operation_has_a_bad_input_case() -> None:
    from tests.api.test_access import BODIES, OPERATIONS

    tested = {(m.upper(), url) for m, url, _, _ in BAD}
    writes = {(m, p) for m, p, op in OPERATIONS if op in BODIES}
    assert writes <= tested


def test_a_person_made_by_api_is_marked_as_typed_by_hand(alice, api) -> None:
    body = {
        "name": "Zoe Adams",
        "emails": ["Zoe@Example.org"],
        "company": "Acme",
        "tags": ["Design"],
    }
    response = api.post("/api/v1/people", body)
    assert response.status_code == 201
    person = Person.objects.get(pk=response.json()["id"])
    assert person.owner == alice
    assert person.emails == ["zoe@example.org"]  # PersonForm's rule, lowercased
    assert person.sources == ["manual"]
    assert set(person.edited_fields) == {"name", "emails", "company"}
    assert response.json()["tags"] == ["design"]


def test_a_patch_changes_only_what_was_sent(alice, api, ids) -> None:
    person = Person.objects.get(pk=ids["person_id"])
    response = api.patch(f"/api/v1/people/{person.pk}", {"position": "Design lead"})
    assert response.status_code == 200
    person.refresh_from_db()
    assert (person.position, person.company, person.emails) == (
        "Design lead",
        "Lumen Labs",
        ["priya@example.org"],
    )
    assert response.json()["tags"] == ["design"]
    api.patch(f"/api/v1/people/{person.pk}", {"archived": True})
    person.refresh_from_db()
    assert person.archived_at is not None
    api.patch(f"/api/v1/people/{person.pk}", {"archived": False})
    person.refresh_from_db()
    assert person.archived_at is None


def test_an_ask_is_made_as_a_draft_and_never_sent(alice, api, ids) -> None:
    body = {
        "kind": "referral",
        "request": "Would you refer me for the designer role?",
        "needed_by": (timezone.localdate() + timedelta(days=7)).isoformat(),
        "target_id": ids["target_id"],
        "person_ids": [ids["person_id"]],
    }
    emails = OutboxMessage.objects.count()
    response = api.post("/api/v1/asks", body)
    assert response.status_code == 201, response.content
    ask = Ask.objects.get(pk=response.json()["id"])
    assert ask.is_draft and ask.target_id == ids["target_id"]
    assert list(ask.recipients.values_list("status", flat=True)) == ["draft"]
    assert OutboxMessage.objects.count() == emails
    recipients = api.get(f"/api/v1/asks/{ask.pk}/recipients").json()["items"]
    assert [r["person_id"] for r in recipients] == [ids["person_id"]]


def test_the_open_ask_cap_holds_for_the_api_too(alice, api, ids, settings) -> None:
    settings.ASK_OPEN_CAP = 1  # priya already has one open ask
    response = api.post("/api/v1/asks", {"request": "Hi?", "person_ids": [ids["person_id"]]})
    assert response.status_code == 422
    assert "open ask" in response.json()["error"]["fields"]["person_ids"][0]


def test_a_sent_recipient_is_kept_as_sent(alice, api, ids) -> None:
    sent = Recipient.objects.exclude(status="draft").get(ask__owner=alice)
    assert api.delete(f"/api/v1/recipients/{sent.pk}").status_code == 409
    response = api.patch(f"/api/v1/recipients/{sent.pk}", {"personal_line": "changed"})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert Recipient.objects.filter(pk=sent.pk, personal_line="").exists()


def test_a_draft_recipient_is_edited_then_removed(alice, api, ids) -> None:
    url = f"/api/v1/recipients/{ids['recipient_id']}"
    response = api.patch(url, {"personal_line": "We met at the meetup.", "channel": "in_person"})
    assert response.status_code == 200
    assert response.json()["personal_line"] == "We met at the meetup."
    assert api.delete(url).status_code == 204
    assert not Recipient.objects.filter(pk=ids["recipient_id"]).exists()


def test_moving_an_opportunity_keeps_its_history(alice, api, ids) -> None:
    url = f"/api/v1/opportunities/{ids['opportunity_id']}/stages"
    moved = api.post(url, {"stage": "applied", "note": "Sent the portfolio"})
    assert moved.status_code == 201
    assert moved.json()["from_stage"] == "idea" and moved.json()["to_stage"] == "applied"
    again = api.post(url, {"stage": "applied"})
    assert again.status_code == 200 and again.json()["id"] == moved.json()["id"]
    history = api.get(url).json()["items"]
    assert [(c["from_stage"], c["to_stage"]) for c in history] == [
        (None, "idea"),
        ("idea", "applied"),
    ]


def test_an_opportunity_with_a_referrer_links_the_target(alice, api, ids) -> None:
    body = {"company": "Lumen Labs Ltd", "role": "UX lead", "source": "referral",
            "referred_by_id": ids["person_id"], "stage": "applied"}  # fmt: skip
    response = api.post("/api/v1/opportunities", body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["target_id"] == ids["target_id"]
    assert data["referred_by_id"] == ids["person_id"] and data["stage"] == "applied"


def test_a_rejection_update_goes_to_the_inner_circle(alice, api, ids) -> None:
    response = api.post("/api/v1/updates", {"kind": "rejection", "text": "No from Acme."})
    assert response.status_code == 201
    assert response.json()["audience"] == "inner"
    again = api.post("/api/v1/updates", {"kind": "rejection", "text": "No from Acme."})
    assert again.json()["id"] == response.json()["id"]  # a double submit is one post


def test_a_second_checkin_today_edits_the_first(alice, api, ids) -> None:
    body = {"hope": 5, "energy": 4, "confidence": 2, "note": "Good call", "shared": True}
    response = api.post("/api/v1/checkins", body)
    assert response.status_code == 200  # the world already checked in today
    checkin = CheckIn.objects.get(owner=alice, day=timezone.localdate())
    assert (checkin.hope, checkin.note, checkin.shared, checkin.share_note) == (
        5,
        "Good call",
        True,
        False,
    )
