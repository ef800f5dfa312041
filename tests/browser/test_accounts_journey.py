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


def test_a_seeker_deletes_their_account_after_being_offered_the_export(page, alice, bob):
    from helpwanted.accounts.models import User
    from helpwanted.circle.models import HelperGrant
    from tests.browser.conftest import log_in

    log_in(page, "Alice@Example.org")  # any case logs in
    page.get_by_role("link", name="Account").click()
    page.get_by_role("link", name="Delete my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete my account")
    expect(page.get_by_role("link", name="download everything as a JSON file")).to_be_visible()
    check_page(page, "account-delete")

    page.get_by_label("Your password").fill("not my password at all")
    page.get_by_role("button", name="Delete my account and everything in it").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing has been deleted")
    check_page(page, "account-delete-wrong-password")
    assert User.objects.filter(pk=alice.pk).exists()

    page.get_by_label("Your password").fill("correct horse battery staple")
    page.get_by_role("button", name="Delete my account and everything in it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is deleted")
    expect(page.get_by_role("link", name="Log in").first).to_be_visible()
    check_page(page, "account-goodbye")
    assert not User.objects.filter(pk=alice.pk).exists()
    assert not HelperGrant.objects.filter(pk=bob.grant.pk).exists()
    response = page.goto(f"/h/{bob.token}/")
    assert response.status in {403, 404}


def test_a_fourth_reset_in_an_hour_is_paused_calmly(page, alice):
    for _ in range(4):
        page.goto("/account/reset/")
        page.get_by_label("Email").fill("alice@example.org")
        page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("alert")).to_contain_text("Please try again in about")
    expect(page.get_by_label("Email")).to_have_value("alice@example.org")
    # Chromium reports the HTTP 429 itself as a console error; that status is the point here.
    assert [e for e in page.console_errors if "429" not in e] == []
    page.console_errors.clear()
    check_page(page, "reset-paused")
