import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_page, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_seeker_makes_a_token_uses_it_reads_the_docs_and_revokes_it(page, alice):
    log_in(page, "alice@example.org")
    page.goto("/account/profile/")
    page.get_by_role("link", name="Make an API token").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    check_page(page, "api-tokens-empty")

    page.get_by_role("button", name="Make token").click()  # no name: a clear error, no crash
    expect(page.get_by_role("alert")).to_contain_text("Give it a name")
    page.get_by_label("What is it for?").fill("My spreadsheet script")
    page.get_by_label("Read and write").check()
    page.get_by_role("button", name="Make token").click()
    secret = page.get_by_label("Token (read and write)").input_value()
    assert secret.startswith("hw_pat_")
    expect(page.get_by_text("Copy it now. You won't see it again")).to_be_visible()
    check_page(page, "api-token-new")

    me = page.request.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.ok and me.json()["token"]["name"] == "My spreadsheet script"

    page.goto("/api/tokens/")
    expect(page.get_by_text(secret)).to_have_count(0)  # shown once, never again
    expect(page.get_by_text("Last used")).to_be_visible()
    page.get_by_role("link", name="helpwanted API").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("helpwanted API")
    check_page(page, "api-docs")

    page.goto("/api/tokens/")
    page.get_by_role("button", name="Revoke “My spreadsheet script”").click()
    expect(page.get_by_role("status")).to_contain_text("is revoked")
    gone = page.request.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert gone.status == 401
    check_page(page)
