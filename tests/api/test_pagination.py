"""Cursor pages: every row once, in id order, in the same number of queries on every page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helpwanted.api.pagination import encode
from helpwanted.network.actions import person_create
from helpwanted.network.models import Person, Tag


def _walk(api, url, limit, **params):
    ids, pages, queries, cursor = [], 0, [], None
    while True:
        query = {"limit": limit, **params, **({"cursor": cursor} if cursor else {})}
        with CaptureQueriesContext(connection) as captured:
            response = api.get(url, **query)
        assert response.status_code == 200, response.content
        body = response.json()
        ids += [item["id"] for item in body["items"]]
        queries.append(len(captured))
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return ids, pages, queries


def _people(owner, n):
    people = [Person(owner=owner, name=f"Person {i:03d}", company="Acme") for i in range(n)]
    for person in people:
        person.refresh_keys()
    Person.objects.bulk_create(people)
    tag = Tag.objects.create(owner=owner, name="design")
    for person in Person.objects.filter(owner=owner)[::3]:
        person.tags.add(tag)


def test_walking_every_page_returns_every_person_once_in_id_order(alice, charlie, api) -> None:
    _people(alice, 125)
    person_create(owner=charlie, fields={"name": "Not alice's"})
    ids, pages, _ = _walk(api, "/api/v1/people", 20)
    assert ids == list(
        Person.objects.filter(owner=alice).order_by("pk").values_list("pk", flat=True)
    )
    assert len(ids) == len(set(ids)) == 125
    assert pages == 7


def test_a_row_added_mid_walk_is_neither_skipped_nor_repeated(alice, api) -> None:
    _people(alice, 30)
    first = api.get("/api/v1/people", limit=10).json()
    person_create(owner=alice, fields={"name": "Latecomer"})
    rest, _, _ = _walk(api, "/api/v1/people", 10, cursor=first["next_cursor"])
    seen = [item["id"] for item in first["items"]] + rest
    assert len(seen) == len(set(seen)) == 31


def test_every_page_costs_the_same_queries_however_many_people(alice, api) -> None:
    _people(alice, 200)
    _, _, queries = _walk(api, "/api/v1/people", 50)
    assert len(queries) == 4
    # token lookup, the page, its tags; the first request also notes the token's last use.
    assert queries[1:] == [3, 3, 3]
    assert queries[0] <= 4


@pytest.mark.parametrize(
    "url",
    ["/api/v1/targets", "/api/v1/circle", "/api/v1/asks", "/api/v1/opportunities",
     "/api/v1/updates", "/api/v1/checkins"],
)  # fmt: skip
def test_every_list_costs_the_same_queries_for_one_row_or_many(alice, api, url) -> None:
    from tests.api.world import alices_things

    alices_things(alice)
    alices_things(alice, copy=" again")  # two of everything
    api.get("/api/v1/me")  # the token's first use is noted, once
    with CaptureQueriesContext(connection) as one:
        assert len(api.get(url, limit=1).json()["items"]) == 1
    with CaptureQueriesContext(connection) as every:
        assert len(api.get(url, limit=200).json()["items"]) >= 2
    assert len(one) == len(every) <= 3


def test_filters_narrow_the_list_and_keep_paging(alice, api) -> None:
    _people(alice, 60)
    ids, _, _ = _walk(api, "/api/v1/people", 7, tag="design")
    assert len(ids) == 20
    assert api.get("/api/v1/people", q="Person 01").json()["items"][0]["name"] == "Person 010"


@pytest.mark.parametrize("cursor", ["junk", "WyJwZW9wbGUiLDFd:1:2", ""])
def test_a_made_up_cursor_is_a_400_bad_cursor(alice, api, cursor) -> None:
    response = api.get("/api/v1/people", cursor=cursor or encode("targets", 1))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_cursor"


@pytest.mark.parametrize("limit", [0, 201, -1, "many"])
def test_limit_is_1_to_200(alice, api, limit) -> None:
    response = api.get("/api/v1/people", limit=limit)
    assert response.status_code == 422
    assert "limit" in response.json()["error"]["fields"]
