import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_seeker_signs_up_logs_out_logs_in_and_resets_a_forgotten_password(page):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your job search, not alone.")
    check_page(page, "landing")

    page.get_by_role("link", name="Start your circle").click()
    check_page(page)
    page.get_by_role("button", name="Create my account").click()  # empty: errors, no crash
    expect(page.get_by_role("alert")).to_contain_text("There's something to fix")
    check_page(page, "signup-errors")
    page.get_by_label("Your name").fill("Erin Blake")
    page.get_by_label("Email address").fill("erin@example.org")
    page.get_by_label("Password").fill("a long enough sentence")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Erin.")
    expect(page.get_by_role("heading", name="Who is in your corner?")).to_be_visible()
    check_page(page, "home")

    page.get_by_role("button", name="Log out").click()
    page.get_by_role("link", name="Log in").first.click()
    page.get_by_label("Email address").fill("erin@example.org")
    page.get_by_label("Password").fill("not my password at all")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("don't match an account")
    check_page(page)
    page.get_by_label("Password").fill("a long enough sentence")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Erin.")
    page.get_by_role("button", name="Log out").click()

    page.goto("/account/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    check_page(page)
    page.get_by_label("Email").fill("erin@example.org")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    check_page(page)

    page.get_by_role("link", name="Outbox (demo)").click()
    check_page(page, "outbox")
    page.get_by_role("link", name="Reset your helpwanted password").click()
    check_page(page)
    page.locator("a[href*='/account/reset/']").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    check_page(page)
    page.get_by_label("New password", exact=True).fill("my fresh new sentence")
    page.get_by_label("New password confirmation").fill("my fresh new sentence")
    page.get_by_role("button", name="Save my new password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Password saved")
    check_page(page)
