import re
import signal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from helpwanted.circle.models import CircleMember
from helpwanted.network.models import Person
from helpwanted.network.parsing import parse
from tests import processes
from tests.browser.conftest import check_page, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CONNECTIONS = Path(__file__).resolve().parents[1] / "fixtures/imports/linkedin_connections.csv"


def add_to_circle(page, name: str, audience: str, email: str) -> None:
    page.get_by_role("link", name="People", exact=True).click()
    page.get_by_label("Search by name, company, position or tag").fill(name)
    page.get_by_role("button", name="Show people").click()
    page.get_by_role("link", name=name).click()
    check_page(page)
    page.get_by_role("radio", name=re.compile(f"^{audience}:")).check()
    page.get_by_role("button", name="Add to my circle").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Invite {name}")
    check_page(page)
    page.get_by_label("Their email address").fill(email)
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text(f"Invitation on its way to {name}")).to_be_visible()


def test_a_seeker_brainstorms_imports_builds_a_circle_and_a_helper_opens_their_link(
    page, alice, settings
):
    settings.IMPORT_BACKGROUND_ROWS = 5  # so this small file goes through the worker
    worker = processes.start_worker()
    try:
        log_in(page, alice.email)
        page.get_by_role("link", name="Start with names").click()
        check_page(page, "brainstorm")
        page.get_by_label("Name 1", exact=True).fill("Grace Moreau")
        page.get_by_label("Relationship 1", exact=True).select_option("family")
        page.get_by_label("Name 2", exact=True).fill("Hannah Fox")
        page.get_by_label("Relationship 2", exact=True).select_option("friend")
        page.get_by_role("button", name=re.compile("^Save and go to")).click()
        expect(page.get_by_text("Added Grace Moreau, Hannah Fox.")).to_be_visible()

        page.get_by_role("link", name="People", exact=True).click()
        page.get_by_role("link", name="Import contacts").first.click()
        check_page(page, "import")
        page.get_by_label("Your contacts file").set_input_files(CONNECTIONS)
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Here's what will happen")
        check_page(page, "import-preview")
        page.get_by_role("button", name=re.compile("^Import")).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Importing")
        check_page(page, "import-progress")
        expect(page.locator(".import-done")).to_be_visible(timeout=30_000)
        check_page(page, "import-done")
        imported = Person.objects.filter(owner=alice, sources__icontains="linkedin").count()
        assert imported == len(parse(CONNECTIONS.read_bytes()).contacts)

        add_to_circle(page, "Grace Moreau", "Inner circle", "grace@example.net")
        add_to_circle(page, "Jane Doe", "Supporters", "jane.doe@example.com")
        page.get_by_role("link", name="Circle", exact=True).click()
        check_page(page, "circle")

        page.get_by_role("link", name="Outbox (demo)").click()
        page.get_by_role("link", name="Alice Moreau would like you in their corner").first.click()
        check_page(page)
        link = page.locator("a[href*='/h/']").first.get_attribute("href")
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(15)

    helper = page.context.browser.new_context(
        viewport={"width": 375, "height": 740}, base_url=page.url.split("/dev/")[0]
    )
    phone = helper.new_page()
    phone.console_errors = []
    phone.viewport_name = "helper"
    phone.goto(link)
    # The invitation names who is asking, and saying yes is the helper's own choice (issue 10).
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        "Alice Moreau would like you in their corner"
    )
    expect(phone.get_by_role("link", name="Log in")).to_have_count(0)
    check_page(phone, "helper-continue")
    assert not CircleMember.objects.filter(consented_at__isnull=False).exists()
    phone.get_by_role("button", name="Yes, keep me posted").click()
    expect(phone.get_by_role("status")).to_contain_text("You'll hear how it's going.")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Alice Moreau")
    assert "/h/" not in phone.url
    check_page(phone, "helper-home")
    helper.close()
    assert CircleMember.objects.filter(consent_via="invite").count() == 1
