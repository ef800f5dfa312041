"""No duplicates, and a way to merge: name matches on import, the review page, merge, not-same."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpwanted.asks.models import Ask, HelpGiven, Recipient, RecipientEvent
from helpwanted.circle.actions import grant_issue
from helpwanted.circle.models import CircleMember, HelperGrant
from helpwanted.journey.models import Opportunity, ThankYou
from helpwanted.network.actions import person_create
from helpwanted.network.duplicates import (
    RELATIONS,
    duplicate_pairs,
    person_merge,
    person_relations,
    relation_label,
)
from helpwanted.network.imports import import_file, import_job_create
from helpwanted.network.models import NotSamePerson, Person, Tag

pytestmark = pytest.mark.django_db

HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"


def linkedin(*rows: str) -> bytes:
    return ("\r\n".join([HEADER, *rows]) + "\r\n").encode()


def run(owner, data: bytes):
    return import_file(owner=owner, data=data, filename="Connections.csv")


PRIYA_ROW = (
    "Priya,Natarajan,https://www.linkedin.com/in/priya-natarajan,,Acme,Design lead,20 Apr 2017"
)


# --------------------------------------------------------------------------- imports


def test_a_person_added_by_hand_and_then_imported_is_one_person_with_the_fields_filled(alice):
    hand = person_create(owner=alice, fields={"name": "Priya Natarajan", "relationship": "friend"})
    report = run(alice, linkedin(PRIYA_ROW))
    assert (report.created, report.updated, report.possible_duplicates) == (0, 1, 0)
    priya = Person.objects.get(owner=alice)
    assert priya.pk == hand.pk
    assert (priya.company, priya.position, priya.relationship) == ("Acme", "Design lead", "friend")
    assert priya.linkedin_url == "https://www.linkedin.com/in/priya-natarajan"
    assert priya.connected_on == dt.date(2017, 4, 20)
    assert priya.sources == ["manual", "linkedin"]
    assert priya.company_key == "acme"
    assert run(alice, linkedin(PRIYA_ROW)).unchanged == 1


def test_a_name_match_fills_empty_fields_but_never_replaces_what_the_seeker_typed(alice):
    person_create(owner=alice, fields={"name": "Priya Natarajan", "position": "My old mentor"})
    run(alice, linkedin(PRIYA_ROW))
    priya = Person.objects.get(owner=alice)
    assert (priya.position, priya.company) == ("My old mentor", "Acme")


def test_an_imported_person_with_no_details_joins_the_one_already_there(alice):
    run(alice, linkedin(PRIYA_ROW))
    report = import_file(
        owner=alice,
        data=b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Priya Natarajan\r\nTEL:+44 113 496 0000\r\n"
        b"END:VCARD\r\n",
        filename="contacts.vcf",
    )
    assert (report.created, report.updated) == (0, 1)
    priya = Person.objects.get(owner=alice)
    assert priya.phones == ["+44 113 496 0000"]
    assert priya.company == "Acme"


@pytest.mark.parametrize(
    ("hand", "row"),
    [
        ({"company": "Globex"}, PRIYA_ROW),
        ({"emails": ["priya@globex.example"]}, PRIYA_ROW.replace(",,Acme", ",p@acme.example,Acme")),
        (
            {"linkedin_url": "https://www.linkedin.com/in/priya-n-2"},
            PRIYA_ROW,
        ),
    ],
    ids=["different companies", "different emails", "different profiles"],
)
def test_two_people_with_one_name_and_different_details_stay_two_and_are_listed(
    alice, alice_client, hand, row
):
    person_create(owner=alice, fields={"name": "Priya Natarajan", **hand})
    report = run(alice, linkedin(row))
    assert (report.created, report.possible_duplicates) == (1, 1)
    assert Person.objects.filter(owner=alice).count() == 2
    page = alice_client.get(reverse("network:duplicates")).content.decode()
    assert page.count('class="dup-card"') == 2
    assert "Acme" in page and "Not the same person" in page


def test_a_name_shared_by_two_people_at_different_companies_in_one_file_makes_two(alice):
    report = run(
        alice,
        linkedin(
            "Sam,Lee,,,Acme,Engineer,",
            "Sam,Lee,,,Globex,Designer,",
        ),
    )
    assert (report.created, report.possible_duplicates) == (2, 1)


names = st.sampled_from(["Sam Lee", "Sam  lee", "Priya Natarajan", "Ana Díaz"])
companies = st.sampled_from(["", "Acme", "Acme Inc.", "Globex"])
emails = st.sampled_from(["", "sam@acme.example", "priya@globex.example"])
urls = st.sampled_from(["", "https://www.linkedin.com/in/a", "https://www.linkedin.com/in/b"])


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.tuples(names, companies, emails, urls), min_size=1, max_size=8))
def test_importing_a_file_twice_never_adds_anyone_the_second_time(alice, rows):
    Person.objects.filter(owner=alice).delete()
    lines = []
    for name, company, email, url in rows:
        first, _, last = name.partition(" ")
        lines.append(f"{first},{last.strip()},{url},{email},{company},,")
    data = linkedin(*lines)
    first_report = run(alice, data)
    count = Person.objects.filter(owner=alice).count()
    assert count == first_report.created
    again = run(alice, data)
    assert again.created == 0
    assert Person.objects.filter(owner=alice).count() == count


# --------------------------------------------------------------------------- the review page


def _pair(alice):
    a = person_create(owner=alice, fields={"name": "Priya Natarajan", "company": "Globex"})
    b = person_create(
        owner=alice,
        fields={
            "name": "Priya Natarajan",
            "company": "Acme",
            "emails": ["priya@acme.example"],
            "phones": ["+44 20 7946 0000"],
            "notes": "Met at the design meetup.",
        },
        tags=["design"],
    )
    return a, b


def test_the_people_list_links_to_the_review_page(alice_client):
    page = alice_client.get(reverse("network:people")).content.decode()
    assert reverse("network:duplicates") in page


def test_the_review_page_keeps_to_a_few_queries_however_many_pairs(
    alice, alice_client, django_assert_max_num_queries
):
    for i in range(30):
        for company in ("Acme", "Globex", "Initech"):
            person_create(owner=alice, fields={"name": f"Person {i}", "company": company})
    with django_assert_max_num_queries(12):
        response = alice_client.get(reverse("network:duplicates"))
    assert response.content.decode().count('class="dup-pair"') == 50
    assert "90 pairs of people share a name" in response.content.decode()


def test_not_the_same_person_is_remembered_across_re_imports(alice, alice_client):
    rows = linkedin(
        "Sam,Lee,https://www.linkedin.com/in/sam-1,,Acme,Engineer,",
        "Sam,Lee,https://www.linkedin.com/in/sam-2,,Globex,Designer,",
    )
    assert run(alice, rows).possible_duplicates == 1
    first, second = Person.objects.filter(owner=alice).order_by("pk")
    response = alice_client.post(reverse("network:duplicates_not_same", args=[second.pk, first.pk]))
    assert response.status_code == 302
    assert NotSamePerson.objects.filter(owner=alice, first=first, second=second).exists()
    again = run(alice, rows)
    assert (again.created, again.possible_duplicates) == (0, 0)
    assert Person.objects.filter(owner=alice).count() == 2
    page = alice_client.get(reverse("network:duplicates")).content.decode()
    assert 'class="dup-pair"' not in page
    assert "No possible duplicates" in page


def test_the_import_preview_names_who_it_will_add_and_the_report_links_to_the_review(
    alice, alice_client
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    person_create(owner=alice, fields={"name": "Sam Lee", "company": "Initech"})
    data = linkedin(PRIYA_ROW, "Sam,Lee,,,Acme,Engineer,")
    job = import_job_create(owner=alice, upload=SimpleUploadedFile("Connections.csv", data))
    preview = alice_client.get(reverse("network:import_preview", args=[job.pk])).content.decode()
    assert "Priya Natarajan, Sam Lee." in preview
    alice_client.post(reverse("network:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.possible_duplicates == 1
    done = alice_client.get(reverse("network:import_progress", args=[job.pk])).content.decode()
    assert "We found 1 pair of people who share a name" in done
    assert reverse("network:duplicates") in done


# --------------------------------------------------------------------------- merging


def test_every_relation_to_a_person_is_handled_by_the_merge():
    labels = {relation_label(rel) for rel in person_relations()}
    missing = labels - set(RELATIONS)
    assert not missing, f"say in network/duplicates.RELATIONS how a merge moves {missing}"


def test_the_merge_page_says_what_will_happen_and_changes_nothing(alice, alice_client):
    keep, drop = _pair(alice)
    url = reverse("network:duplicates_merge", args=[keep.pk, drop.pk])
    page = alice_client.get(url).content.decode()
    assert "priya@acme.example" in page and "1 tag" in page and "Merge them" in page
    assert Person.objects.filter(owner=alice).count() == 2


def test_merging_moves_asks_circle_membership_tags_and_history_to_the_kept_person(
    alice, alice_client
):
    keep, drop = _pair(alice)
    keep.tags.add(Tag.objects.create(owner=alice, name="ex-globex"))
    Person.objects.filter(pk=drop.pk).update(messages_count=3, asks_count=2)
    now = timezone.now()
    shared = Ask.objects.create(owner=alice, request="Coffee?", sent_at=now)
    only_drop = Ask.objects.create(owner=alice, request="A referral?", sent_at=now)
    mine = Recipient.objects.create(ask=shared, person=keep, status="sent", sent_at=now)
    theirs = Recipient.objects.create(
        ask=shared, person=drop, status="offered", sent_at=now, answer_message="Happy to!"
    )
    RecipientEvent.objects.create(recipient=mine, status="sent", note="kept's history")
    RecipientEvent.objects.create(recipient=theirs, status="offered", note="drop's history")
    other = Recipient.objects.create(ask=only_drop, person=drop, status="sent", sent_at=now)
    member = CircleMember.objects.create(owner=alice, person=drop, audience="inner")
    _, token = grant_issue(member=member)
    opportunity = Opportunity.objects.create(
        owner=alice, company="Acme", role="Designer", referred_by=drop
    )
    opportunity.helpers.add(drop, keep)
    ThankYou.objects.create(owner=alice, person=drop, text="Thank you!")
    HelpGiven.objects.create(owner=alice, person=drop, who="Priya", what="A CV review")
    suggested = person_create(owner=alice, fields={"name": "Ines Berg"})
    Person.objects.filter(pk=suggested.pk).update(suggested_by=drop)

    response = alice_client.post(reverse("network:duplicates_merge", args=[keep.pk, drop.pk]))
    assert response.status_code == 302

    assert not Person.objects.filter(pk=drop.pk).exists()
    keep.refresh_from_db()
    assert keep.emails == ["priya@acme.example"] and keep.phones == ["+44 20 7946 0000"]
    assert keep.company == "Globex"  # the kept person's own company stays
    assert "Met at the design meetup." in keep.notes
    assert (keep.messages_count, keep.asks_count) == (3, 2)
    assert sorted(t.name for t in keep.tags.all()) == ["design", "ex-globex"]
    # One row per ask: the more advanced answer wins and both histories are kept.
    rows = Recipient.objects.filter(person=keep).order_by("ask_id")
    assert [(r.ask_id, r.status) for r in rows] == [(shared.pk, "offered"), (only_drop.pk, "sent")]
    assert rows[0].pk == theirs.pk and rows[1].pk == other.pk
    assert sorted(e.note for e in rows[0].events.all()) == ["drop's history", "kept's history"]
    # Circle membership and its link follow.
    member.refresh_from_db()
    assert member.person_id == keep.pk
    assert HelperGrant.objects.filter(member=member).count() >= 1
    assert alice_client.get(f"/h/{token}/").status_code == 200
    opportunity.refresh_from_db()
    assert opportunity.referred_by_id == keep.pk
    assert list(opportunity.helpers.values_list("pk", flat=True)) == [keep.pk]
    assert ThankYou.objects.get(owner=alice).person_id == keep.pk
    assert HelpGiven.objects.get(owner=alice).person_id == keep.pk
    assert Person.objects.get(pk=suggested.pk).suggested_by_id == keep.pk
    assert duplicate_pairs(alice) == ([], 0)


def test_when_both_are_in_the_circle_the_member_with_consent_is_kept(alice):
    keep, drop = _pair(alice)
    CircleMember.objects.create(owner=alice, person=keep, audience="network")
    theirs = CircleMember.objects.create(
        owner=alice, person=drop, audience="inner", consented_at=timezone.now()
    )
    person_merge(keep=keep, drop=drop)
    member = CircleMember.objects.get(owner=alice)
    assert (member.pk, member.person_id, member.audience) == (theirs.pk, keep.pk, "inner")


def test_a_not_same_pair_follows_the_kept_person(alice):
    keep, drop = _pair(alice)
    third = person_create(owner=alice, fields={"name": "Priya Natarajan", "company": "Initech"})
    NotSamePerson.objects.create(
        owner=alice, first_id=min(drop.pk, third.pk), second_id=max(drop.pk, third.pk)
    )
    person_merge(keep=keep, drop=drop)
    pair = NotSamePerson.objects.get(owner=alice)
    assert {pair.first_id, pair.second_id} == {keep.pk, third.pk}
    assert duplicate_pairs(alice) == ([], 0)


# --------------------------------------------------------------------------- outsiders


def test_another_seeker_sees_none_of_the_pairs_and_cannot_merge_or_set_apart(alice, charlie_client):
    keep, drop = _pair(alice)
    page = charlie_client.get(reverse("network:duplicates")).content.decode()
    assert "Priya" not in page
    merge = reverse("network:duplicates_merge", args=[keep.pk, drop.pk])
    assert charlie_client.get(merge).status_code == 404
    assert charlie_client.post(merge).status_code == 404
    not_same = reverse("network:duplicates_not_same", args=[keep.pk, drop.pk])
    assert charlie_client.post(not_same).status_code == 404
    assert Person.objects.filter(owner=alice).count() == 2
    assert not NotSamePerson.objects.exists()


def test_merging_someone_with_themselves_is_a_404(alice, alice_client):
    keep, _ = _pair(alice)
    url = reverse("network:duplicates_merge", args=[keep.pk, keep.pk])
    assert alice_client.post(url).status_code == 404
    assert Person.objects.filter(pk=keep.pk).exists()


def test_the_review_pages_need_a_login(client):
    assert client.get(reverse("network:duplicates")).status_code == 302


@given(
    ids=st.lists(st.integers(-5, 30), unique=True, max_size=12),
    touched=st.one_of(st.none(), st.sets(st.integers(-5, 30))),
    dismissed=st.sets(st.tuples(st.integers(-5, 30), st.integers(-5, 30)).map(sorted).map(tuple)),
)
def test_pair_count_matches_counting_every_pair_by_hand(ids, touched, dismissed):
    from helpwanted.network.duplicates import pair_count

    dismissed = {(a, b) for a, b in dismissed if a != b}
    expected = sum(
        1
        for i, a in enumerate(ids)
        for b in ids[i + 1 :]
        if (min(a, b), max(a, b)) not in dismissed
        and (touched is None or a in touched or b in touched)
    )
    assert pair_count(ids, touched, dismissed) == expected


def test_a_person_page_points_to_the_other_person_with_their_name_until_set_apart(
    alice, alice_client
):
    keep, drop = _pair(alice)
    url = reverse("network:person", args=[keep.pk])
    merge = reverse("network:duplicates_merge", args=[keep.pk, drop.pk])
    page = alice_client.get(url).content.decode()
    assert "You have another Priya Natarajan at Acme" in page and merge in page
    alice_client.post(reverse("network:duplicates_not_same", args=[keep.pk, drop.pk]))
    assert merge not in alice_client.get(url).content.decode()


def test_the_demo_has_a_pair_of_possible_duplicates_to_review():
    from helpwanted.demo.seed import demo_seed

    seeker = demo_seed()
    pairs, total = duplicate_pairs(seeker)
    assert total >= 1
    assert any(p.first.name == "Sam Whitfield" == p.second.name for p in pairs)


def test_a_merge_moves_an_opportunity_waiting_for_undo_too(alice):
    keep, drop = _pair(alice)
    opportunity = Opportunity.objects.create(
        owner=alice, company="Acme", role="Designer", referred_by=drop
    )
    opportunity.helpers.add(drop)
    Opportunity.all_objects.filter(pk=opportunity.pk).update(deleted_at=timezone.now())
    person_merge(keep=keep, drop=drop)
    hidden = Opportunity.all_objects.get(pk=opportunity.pk)
    assert hidden.referred_by_id == keep.pk
    assert list(hidden.helpers.values_list("pk", flat=True)) == [keep.pk]
