"""One person, once: editing keeps every field, and same-name people are reviewed and merged.

In Chromium at desktop and phone widths, with axe-core on every page.
"""

import datetime as dt

import pytest
from playwright.sync_api import expect

from helpwanted.network.actions import person_create
from helpwanted.network.models import Person
from tests.browser.conftest import check_page, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/h3-{}-{}.png"


def shot(page, name: str) -> None:
    page.screenshot(path=SHOTS.format(name, page.viewport_name), full_page=True)


def test_saving_a_person_unchanged_keeps_the_date_they_connected(page, alice):
    priya = person_create(
        owner=alice,
        fields={"name": "Priya Natarajan", "connected_on": dt.date(2017, 4, 20)},
    )
    log_in(page, alice.email)
    page.goto(f"/people/{priya.pk}/edit/")
    expect(page.get_by_label("Connected on")).to_have_value("2017-04-20")
    check_page(page)
    shot(page, "person-edit")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Priya Natarajan")
    priya.refresh_from_db()
    assert priya.connected_on == dt.date(2017, 4, 20)


def test_two_people_with_one_name_are_reviewed_side_by_side_and_merged(page, alice):
    person_create(owner=alice, fields={"name": "Sam Whitfield", "emails": ["sam@example.net"]})
    person_create(
        owner=alice,
        fields={
            "name": "Sam Whitfield",
            "company": "Saltmarsh Media",
            "emails": ["s.whitfield@saltmarsh.example"],
            "linkedin_url": "https://www.linkedin.com/in/sam-whitfield-a-very-long-profile-slug",
        },
        tags=["media"],
    )
    log_in(page, alice.email)
    page.goto("/people/")
    page.get_by_role("link", name="Review possible duplicates").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review possible duplicates")
    expect(page.locator(".dup-card")).to_have_count(2)
    check_page(page)
    shot(page, "duplicates")
    page.get_by_role("link", name="Merge into one…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merge into one person")
    expect(page.get_by_role("main")).to_contain_text("s.whitfield@saltmarsh.example")
    check_page(page)
    shot(page, "merge")
    page.get_by_role("button", name="Merge them").click()
    expect(page.get_by_role("status")).to_contain_text("Sam Whitfield is one person now")
    expect(page.get_by_role("main")).to_contain_text("No possible duplicates")
    sam = Person.objects.get(owner=alice)
    assert sam.emails == ["sam@example.net", "s.whitfield@saltmarsh.example"]
    assert [t.name for t in sam.tags.all()] == ["media"]


def test_an_import_names_who_it_adds_and_leads_to_the_possible_duplicates(page, alice, tmp_path):
    person_create(owner=alice, fields={"name": "Priya Natarajan"})
    person_create(owner=alice, fields={"name": "Sam Lee", "company": "Initech"})
    upload = tmp_path / "Connections.csv"
    upload.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
        "Priya,Natarajan,https://www.linkedin.com/in/priya-natarajan,,Acme,Design lead,"
        "20 Apr 2017\r\n"
        "Sam,Lee,https://www.linkedin.com/in/sam-lee,,Globex,Engineer,\r\n"
        "Ana,Díaz,https://www.linkedin.com/in/ana-diaz,,Acme,Researcher,\r\n"
    )
    log_in(page, alice.email)
    page.goto("/people/imports/")
    page.get_by_label("Your contacts file").set_input_files(str(upload))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Who we'll add")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Sam Lee, Ana Díaz.")
    expect(page.get_by_role("main")).to_contain_text("Priya Natarajan.")
    check_page(page)
    shot(page, "import-preview")
    page.get_by_role("button", name="Import 3 people").click()
    expect(page.get_by_role("main")).to_contain_text("We found 1 pair of people who share a name")
    check_page(page)
    shot(page, "import-report")
    page.get_by_role("link", name="Review possible duplicates").last.click()
    expect(page.locator(".dup-card")).to_have_count(2)
    assert Person.objects.filter(owner=alice, name="Priya Natarajan").count() == 1
