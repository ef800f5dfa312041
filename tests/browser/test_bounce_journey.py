"""A bounced address, in the browser: the person page says so in plain words with a way to fix
it, the ask page and the next steps point there, and fixing the address clears it."""

import pytest
from playwright.sync_api import expect

from helpwanted.network.models import Person
from tests.browser.conftest import check_page, log_in
from tests.mail.test_bounces import asked, bounce, jordan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_seeker_sees_the_bounce_and_fixes_the_address(page, alice):
    person = jordan(alice)
    recipient, row = asked(alice, person)
    assert bounce("postfix-5.1.1.eml", row) == "permanent"
    log_in(page, alice.email)

    page.goto("/home/")
    step = page.get_by_text("Jordan Lee's email address bounced: check it.")
    expect(step).to_be_visible()
    check_page(page)

    page.goto(f"/asks/{recipient.ask_id}/")
    expect(page.get_by_text("Jordan's email address bounced: check it.")).to_be_visible()
    expect(page.get_by_text("Your ask may not have reached them.")).to_be_visible()
    check_page(page)
    page.get_by_role("link", name="See what their mail server said").click()

    expect(page.get_by_role("heading", name="Jordan Lee", level=1)).to_be_visible()
    notice = page.get_by_role("note").filter(has_text="email address bounced")
    expect(notice).to_contain_text("there's no mailbox at that address")
    expect(notice).to_contain_text("User unknown in virtual mailbox table")
    check_page(page, "bounce-person")
    notice.get_by_role("link", name="Check Jordan's email address").click()

    page.get_by_label("Email addresses").fill("jordan.lee@example.net")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Jordan Lee", level=1)).to_be_visible()
    expect(page.get_by_text("email address bounced")).to_have_count(0)
    check_page(page)
    assert Person.objects.get(pk=person.pk).can_email
