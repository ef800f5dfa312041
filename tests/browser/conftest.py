"""Real-browser journeys: Debian's Chromium driven by Playwright, with axe-core on every page."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.conftest import CHROMIUM, PASSWORD

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
# test itself (never by the live server) are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def page(request, browser, live_server, settings) -> Iterator[object]:
    settings.DEMO = True  # the journeys read email at the dev outbox, as a demo user would
    settings.SITE_URL = live_server.url  # links in emails point at this server
    context = browser.new_context(viewport=VIEWPORTS[request.param], base_url=live_server.url)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.viewport_name = request.param
    yield page
    context.close()


WIDEST = """[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 || e.scrollWidth > e.clientWidth + 1)
  .slice(-3).map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').slice(0, 40))"""


def check_page(page, name: str = "") -> None:
    """axe-core finds nothing, the page fits the screen, and the console is clean (CSP too)."""
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        culprits = page.evaluate(WIDEST)
        page.screenshot(path=ARTIFACTS / "overflow.png", full_page=True)
        raise AssertionError(f"{page.url} scrolls sideways by {overflow}px: {culprits}")
    assert page.console_errors == [], page.console_errors
    if name:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"{name}-{page.viewport_name}.png", full_page=True)


def log_in(page, email: str) -> None:
    from playwright.sync_api import expect

    page.goto("/account/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
