"""Save a job from another site with the bookmarklet, then see the work-search record printed
and the calendar feed on the account page: in Chromium, axe on each page, at both widths."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import icalendar
import pytest
from playwright.sync_api import expect

from helpwanted.elsewhere.models import WorkActivity
from helpwanted.journey.models import Opportunity
from tests.browser.conftest import check_page, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOB_URL = "https://jobs.lever.co/lumen-labs/0a1b2c3d-1234-4abc-8def-0123456789ab?lever-source=x"
JOB_PAGE = """<!doctype html><html lang="en"><head><title>Lumen Labs - Senior Product Designer
</title></head><body><h1>Senior Product Designer</h1><p id="pitch">Design tools for people who
build things.</p></body></html>"""
# The job board's own page forbids every script and every connection: the bookmarklet must only
# navigate away.
JOB_CSP = "default-src 'none'; script-src 'none'; connect-src 'none'"


def serve_job_page(page) -> list[str]:
    """The "job board": a local page answered by the browser itself, under a strict CSP."""
    requests: list[str] = []
    page.route(
        "https://jobs.lever.co/**",
        lambda route: route.fulfill(
            status=200,
            content_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": JOB_CSP},
            body=JOB_PAGE,
        ),
    )
    page.on("request", lambda request: requests.append(request.url))
    return requests


def run_bookmarklet(page, href: str) -> None:
    """What clicking the bookmark does: run its code in the job page."""
    assert href.startswith("javascript:")
    page.evaluate(unquote(href.removeprefix("javascript:")))


def test_a_job_saved_from_another_site_is_prefilled_and_a_second_save_is_caught(
    page, live_server, alice
) -> None:
    log_in(page, alice.email)
    page.goto("/journey/opportunities/")
    check_page(page, "opportunities-bookmarklet")
    href = page.locator("#bookmarklet").get_attribute("href")
    assert href is not None

    requests = serve_job_page(page)
    page.goto(JOB_URL)
    page.get_by_text("Design tools for people").select_text()
    requests.clear()
    run_bookmarklet(page, href)
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an opportunity")
    assert page.url.startswith(live_server.url)
    # The bookmarklet's one request was the navigation to our form; then only our own assets.
    assert requests[0].startswith(f"{live_server.url}/journey/opportunities/new/?url=")
    assert {urlsplit(url).hostname for url in requests} == {urlsplit(live_server.url).hostname}
    expect(page.get_by_label("Company")).to_have_value("Lumen Labs")
    expect(page.get_by_label("Role")).to_have_value("Senior Product Designer")
    expect(page.get_by_label("Link to the job (optional)")).to_have_value(JOB_URL)
    expect(page.get_by_label("Notes (optional)")).to_have_value(
        "Design tools for people who build things."
    )
    expect(page.get_by_text("A Lever job")).to_be_visible()
    check_page(page, "save-a-job-prefilled")
    page.get_by_role("button", name="Add it").click()
    expect(page.get_by_role("status").first).to_contain_text("Added Senior Product Designer")
    assert Opportunity.objects.filter(owner=alice).count() == 1

    page.goto(JOB_URL)
    run_bookmarklet(page, href)
    expect(page.get_by_role("heading", name="You already saved this job")).to_be_visible()
    page.get_by_role("button", name="Add it").click()
    expect(page.get_by_label("Save it again anyway, as a second opportunity")).to_be_visible()
    check_page(page, "save-a-job-duplicate")
    assert Opportunity.objects.filter(owner=alice).count() == 1


def test_the_work_search_record_prints_one_table_and_the_feed_is_on_the_account_page(
    page, live_server, alice
) -> None:
    log_in(page, alice.email)
    page.goto("/work-search/add/")
    check_page(page)
    page.get_by_label("Employer or organiser").fill("City job fair")
    page.get_by_label("What you did").select_option(label="Job fair")
    page.get_by_role("button", name="Add it").click()
    expect(page.get_by_role("cell", name="City job fair")).to_be_visible()
    assert WorkActivity.objects.filter(owner=alice).count() == 1
    check_page(page, "work-search-record")

    page.get_by_role("link", name="Printable page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Work-search record")
    expect(page.get_by_text("Alice Moreau")).to_be_visible()
    expect(page.locator("table")).to_have_count(1)
    check_page(page, "work-search-print")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator("table")).to_be_visible()
    page.emulate_media(media="screen")

    page.goto("/account/profile/")
    page.get_by_role("button", name="Make my calendar address").click()
    address = page.get_by_label("Your private calendar address").input_value()
    assert "/cal/" in address and address.endswith(".ics")
    check_page(page, "account-calendar-feed")
    response = page.context.request.get(address.replace(live_server.url, ""))
    assert response.status == 200
    assert icalendar.Calendar.from_ical(response.body())["X-WR-CALNAME"]
