import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from helpwanted.asks.models import Recipient
from helpwanted.network.actions import person_create
from helpwanted.network.models import Person
from tests.browser.conftest import check_page, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HELPERS = {
    "Bob Lindqvist": "bob@example.org",
    "Cleo Diaz": "cleo@example.org",
    "Dev Patel": "dev@example.org",
}
VAGUE = "Let me know if you hear of anything!"
REQUEST = (
    "Would you introduce me to someone on the design team at Acme? "
    "I'm applying for their Senior Product Designer role."
)
WHY = (
    "I've spent six years designing health apps, and a word from someone inside "
    "would help me get past the first screen."
)


def helper_link_for(page, name: str, check: bool = False) -> str:
    """In the seeker's browser: open the ask email to this helper and read its personal link."""
    page.goto("/dev/outbox/")
    row = page.get_by_role("row").filter(has_text=HELPERS[name])
    expect(row).to_have_count(1)
    row.get_by_role("link", name=re.compile("would love your help")).click()
    body = page.locator(".email-body")
    expect(body).to_contain_text(f"Hi {name.split()[0]},")  # by first name (issue 10)
    expect(body).to_contain_text(REQUEST)
    for other in HELPERS.keys() - {name}:
        expect(body).not_to_contain_text(other.split()[0])  # no co-recipients, ever
    if check:  # the same page for each helper: axe it once
        check_page(page, "ask-email")
    # The plain "open your page first" link (the answer buttons come before it: issue 10).
    return page.locator(".email-body a[href*='/h/']").last.get_attribute("href")


def open_on_phone(page, link: str, name: str):
    """A helper opens their link on their own phone: a fresh 375px browser, no account."""
    context = page.context.browser.new_context(
        viewport={"width": 375, "height": 740}, base_url=page.url.split("/dev/")[0]
    )
    phone = context.new_page()
    phone.console_errors = []
    phone.on("console", lambda msg: msg.type == "error" and phone.console_errors.append(msg.text))
    phone.viewport_name = f"{page.viewport_name}-{name}"
    phone.goto(link)
    expect(phone.get_by_role("button", name="Continue")).to_be_visible()
    return phone


def answer_on_phone(phone, shot: str = "") -> None:
    if shot:
        check_page(phone, "helper-continue")
    phone.get_by_role("button", name="Continue").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Alice Moreau asks:")
    assert "/h/" not in phone.url
    expect(phone.locator(".ask-text")).to_contain_text(REQUEST)
    check_page(phone, shot)


def test_a_seeker_asks_three_people_one_helps_one_suggests_one_is_followed_up_and_thanked(
    page, alice
):
    for name, email in HELPERS.items():
        person_create(owner=alice, fields={"name": name, "emails": [email]})

    # 1. A vague ask, the coach's advice, a specific ask, three people, one message each.
    log_in(page, alice.email)
    page.get_by_role("link", name="Asks", exact=True).click()
    check_page(page, "asks-empty")
    page.get_by_role("link", name="Ask for something").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask for something")
    page.get_by_label("What kind of help?").select_option("job_lead")
    page.get_by_label("What would you like them to do?").fill(VAGUE)
    page.get_by_role("button", name="Check my ask").click()  # a plain POST: works without JS
    coach = page.locator("#coach")
    expect(coach).to_contain_text("SMART score: 1 of 5")
    expect(coach.get_by_role("heading", name="Make it specific")).to_be_visible()
    expect(coach.get_by_role("heading", name="Say why it matters")).to_be_visible()
    expect(coach.get_by_role("heading", name="Add a date")).to_be_visible()
    expect(page.get_by_label("What would you like them to do?")).to_have_value(VAGUE)
    check_page(page, "compose-vague")

    needed_by = timezone.localdate() + timedelta(days=14)
    page.get_by_label("What kind of help?").select_option("introduction")
    page.get_by_label("What would you like them to do?").fill(REQUEST)
    page.get_by_label("Why it matters to you").fill(WHY)
    page.get_by_label("When do you need it by? (optional)").fill(needed_by.isoformat())
    # The coach rereads the ask as it is typed (htmx), without a round trip of the whole page.
    expect(coach).to_contain_text("SMART score: 5 of 5", timeout=10_000)
    expect(coach).to_contain_text("This is clear, kind and easy to say yes to.")
    expect(coach.get_by_role("heading", name="Make it specific")).to_have_count(0)
    check_page(page, "compose-specific")
    page.get_by_role("button", name="Next: choose who to ask").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("An introduction")
    expect(page.locator(".ask-text")).to_contain_text(REQUEST)
    expect(page.get_by_role("heading", name="How it reads: 5 of 5")).to_be_visible()
    check_page(page, "ask-draft")
    search = page.get_by_label("Add someone: search your people by name or company")
    for name in HELPERS:
        search.fill(name.split()[0])  # live results (htmx); the Search button works without JS
        page.get_by_role("button", name=f"Add {name}").click()
        expect(page.locator(".recipient").filter(has_text=name)).to_contain_text("Not sent yet")
    check_page(page, "ask-recipients")
    page.get_by_role("button", name="Send, one personal message each").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Emailed Bob Lindqvist, Cleo Diaz and Dev Patel, each their own message."
    )
    expect(page.locator(".recipient .pill")).to_have_text(["Sent", "Sent", "Sent"])
    expect(page.get_by_role("button", name="Send, one personal message each")).to_have_count(0)
    check_page(page, "ask-sent")
    ask_url = page.url

    # 2. Each helper gets their own email; they answer from a phone, without an account.
    page.get_by_role("link", name="Outbox (demo)").click()
    check_page(page, "asks-outbox")
    bob = open_on_phone(page, helper_link_for(page, "Bob Lindqvist", check=True), "bob")
    answer_on_phone(bob, "helper-ask")
    bob.get_by_role("radio", name="Yes, I can").check()
    bob.get_by_label("A message for them (optional)").fill("Happy to! I know their design lead.")
    bob.get_by_role("button", name="Send my answer").click()
    expect(bob.get_by_role("status")).to_contain_text("Alice will see your answer straight away")
    expect(bob.get_by_text("You answered:")).to_contain_text("Yes, I can")
    check_page(bob, "helper-answered")

    cleo = open_on_phone(page, helper_link_for(page, "Cleo Diaz"), "cleo")
    answer_on_phone(cleo)
    cleo.get_by_role("radio", name="I can't, but I know someone").check()
    cleo.get_by_text("If you know someone who could help").click()
    cleo.get_by_label("Who should they try?").fill("Jane Ito")
    cleo.get_by_label("Where they work (optional)").fill("Acme")
    cleo.get_by_label("A message for them (optional)").fill("Jane runs design hiring there.")
    cleo.get_by_role("button", name="Send my answer").click()
    expect(cleo.get_by_role("status")).to_contain_text("Alice will see your answer straight away")
    check_page(cleo)
    cleo.context.close()

    # Dev's link is followed (as a mail scanner would), but he never presses Continue or answers.
    dev = open_on_phone(page, helper_link_for(page, "Dev Patel"), "dev")
    dev.context.close()

    page.goto(ask_url)
    bob_card = page.locator(".recipient").filter(has_text="Bob Lindqvist")
    cleo_card = page.locator(".recipient").filter(has_text="Cleo Diaz")
    dev_card = page.locator(".recipient").filter(has_text="Dev Patel")
    expect(bob_card.locator(".pill")).to_have_text("Yes, I can")
    expect(bob_card).to_contain_text("Happy to! I know their design lead.")
    expect(cleo_card.locator(".pill")).to_have_text("Can't, but suggested someone")
    expect(cleo_card).to_contain_text("Suggested you try Jane Ito at Acme.")
    expect(dev_card.locator(".pill")).to_have_text("Sent")  # a GET on the link changes nothing
    expect(page.get_by_role("link", name=re.compile("^Follow up with"))).to_have_count(0)
    check_page(page, "ask-answered")
    cleo_card.get_by_role("link", name="Jane Ito").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jane Ito")
    expect(page.get_by_text("Suggested by Cleo Diaz", exact=True)).to_be_visible()  # how we know
    expect(page.locator(".summary")).to_contain_text(
        "Suggested by Cleo Diaz, who knows them"
    )  # came from
    expect(page.locator(".summary").get_by_role("link", name="Cleo Diaz")).to_be_visible()
    check_page(page, "suggested-person")
    jane = Person.objects.get(owner=alice, name="Jane Ito")
    assert (jane.company, jane.suggested_by.name) == ("Acme", "Cleo Diaz")

    # 3. Five days on, Dev hasn't answered: one gentle follow-up is suggested.
    with time_machine.travel(timezone.now() + timedelta(days=5, minutes=1), tick=True):
        page.goto(ask_url)
        follow_up = page.get_by_role("link", name="Follow up with Dev Patel")
        expect(follow_up).to_be_visible()
        expect(page.get_by_role("link", name=re.compile("^Follow up with"))).to_have_count(1)
        check_page(page, "ask-follow-up-due")
        follow_up.click()
        expect(page.get_by_label("Your follow-up")).to_contain_text(REQUEST)
        check_page(page, "follow-up")
        page.get_by_role("button", name="Send the follow-up").click()
        expect(page.get_by_role("status")).to_contain_text("Follow-up sent to Dev Patel.")
        expect(page.get_by_role("link", name="Follow up with Dev Patel")).to_have_count(0)

        # 4. The outcome of Bob's help, and a thank-you that names it; Bob sees it.
        page.get_by_role("link", name="Record what came of it with Bob Lindqvist").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "What came of asking Bob Lindqvist?"
        )
        page.get_by_role("radio", name="An interview").check()
        page.get_by_label("What happened? (optional)").fill("I meet their design lead on Monday.")
        check_page(page, "outcome")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("status")).to_contain_text("lovely moment to thank Bob Lindqvist")
        expect(bob_card).to_contain_text("Outcome: An interview. I meet their design lead")
        page.get_by_role("link", name="Thank Bob Lindqvist").click()
        thanks = page.get_by_label("Your thank-you")
        expect(thanks).to_have_value(re.compile(r"^Thank you, Bob, .*It led to an interview!"))
        check_page(page, "thank")
        page.get_by_role("button", name="Send my thanks").click()
        expect(page.get_by_role("status")).to_contain_text("Thank-you sent to Bob Lindqvist.")
        expect(bob_card.locator(".pill")).to_have_text("Thanked")
        check_page(page, "ask-thanked")

        bob.reload()
        expect(bob.locator(".thanks")).to_contain_text("It led to an interview!")
        expect(bob.get_by_text("This ask is finished.")).to_be_visible()
        check_page(bob, "helper-thanked")
        bob.get_by_role("link", name="← Your page").click()
        notes = bob.get_by_role("region", name="Thank you notes")
        expect(notes).to_contain_text("Thank you, Bob,")
        expect(notes).to_contain_text("It led to an interview!")
        check_page(bob, "helper-home-thanked")
        bob.context.close()

    statuses = dict(Recipient.objects.values_list("person__name", "status"))
    assert statuses == {"Bob Lindqvist": "thanked", "Cleo Diaz": "suggested", "Dev Patel": "sent"}
