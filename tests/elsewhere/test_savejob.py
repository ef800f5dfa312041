"""Save a job from any page: the prefilled form, "you already saved this job", the manifest."""

from __future__ import annotations

import json
import re
from urllib.parse import unquote

import pytest
from django.urls import reverse

from helpwanted.elsewhere.savejob import bookmarklet
from helpwanted.journey.models import Opportunity
from tests.elsewhere.world import opportunity

pytestmark = pytest.mark.django_db

NEW = reverse("journey:opportunity_new")
LEVER = "https://jobs.lever.co/lumen-labs/0a1b2c3d-1234-4abc-8def-0123456789ab"


def test_a_job_board_url_fills_in_the_company_link_role_and_notes(alice_client) -> None:
    response = alice_client.get(
        NEW,
        {
            "url": LEVER + "?lever-source=LinkedIn",
            "title": "Lumen Labs - Senior Product Designer",
            "text": "Design tools for people who build things.",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Lumen Labs"' in html
    assert 'value="Senior Product Designer"' in html
    assert f'value="{LEVER}?lever-source=LinkedIn"' in html
    assert "Design tools for people who build things." in html
    assert "A Lever job" in html
    assert re.search(r'<input[^>]*value="job_board"[^>]*checked', html)


def test_android_shares_the_link_inside_the_text(alice_client) -> None:
    html = alice_client.get(
        NEW, {"title": "Designer at Acme", "text": "Look at this https://example.com/jobs/7"}
    ).content.decode()
    assert 'value="https://example.com/jobs/7"' in html
    assert 'value="Acme"' in html and 'value="Designer"' in html


def test_a_page_address_that_isnt_a_web_link_is_left_out_with_a_word(alice_client) -> None:
    html = alice_client.get(
        NEW, {"url": "javascript:alert(1)", "title": "Designer at Acme"}
    ).content.decode()
    assert "isn't a web link" in html
    assert 'value="javascript:alert(1)"' not in html
    assert 'value="Acme"' in html


def test_huge_query_values_are_cut_down_not_a_crash(alice_client) -> None:
    response = alice_client.get(NEW, {"url": "https://e.com/" + "a" * 5000, "title": "t" * 5000})
    assert response.status_code == 200


def test_a_second_save_of_the_same_job_is_caught(alice, alice_client) -> None:
    first = opportunity(alice, "Lumen Labs", "Senior Product Designer", link=LEVER)
    page = alice_client.get(NEW, {"url": LEVER + "/apply?lever-source=x", "title": "x"})
    assert "You already saved this job" in page.content.decode()
    assert reverse("journey:opportunity", args=[first.pk]) in page.content.decode()
    data = {
        "company": "Lumen Labs",
        "role": "Senior Product Designer",
        "link": LEVER + "/apply",
        "source": "job_board",
        "stage": "idea",
    }
    response = alice_client.post(NEW, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "You already saved this job" in html
    assert "Save it again anyway" in html
    assert 'value="Senior Product Designer"' in html  # what was typed is kept
    assert Opportunity.objects.filter(owner=alice).count() == 1
    response = alice_client.post(NEW, {**data, "save_again": "1"})
    assert response.status_code == 302
    assert Opportunity.objects.filter(owner=alice).count() == 2


def test_another_seekers_saved_job_is_not_a_duplicate(alice, charlie_client, charlie) -> None:
    opportunity(alice, link=LEVER)
    html = charlie_client.get(NEW, {"url": LEVER}).content.decode()
    assert "You already saved this job" not in html
    data = {"company": "Lumen", "role": "Designer", "link": LEVER, "source": "job_board"}
    assert charlie_client.post(NEW, {**data, "stage": "idea"}).status_code == 302


@pytest.mark.parametrize(
    ("link", "message"),
    [
        ("not a url", "Enter the full web address"),
        ("javascript:alert(1)", "Enter the full web address"),
        ("https://" + "a" * 600 + ".com", "at most 500"),
    ],
)
def test_a_bad_link_says_what_to_fix(alice, alice_client, link, message) -> None:
    data = {"company": "Acme", "role": "Designer", "link": link, "source": "job_board"}
    response = alice_client.post(NEW, {**data, "stage": "idea"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Opportunity.objects.exists()


def test_the_bookmarklet_only_navigates_to_our_form(settings) -> None:
    settings.SITE_URL = "https://helpwanted.example"
    code = unquote(bookmarklet())
    assert code.startswith("javascript:")
    assert "location.href='https://helpwanted.example/journey/opportunities/new/?url='" in code
    for forbidden in ("fetch(", "XMLHttpRequest", "createElement", "document.write", "eval("):
        assert forbidden not in code


def test_the_opportunities_page_offers_the_bookmarklet(alice_client) -> None:
    html = alice_client.get(reverse("journey:opportunities")).content.decode()
    assert 'id="bookmarklet"' in html and "javascript:" in html
    assert reverse("elsewhere:worklog") in html


def test_the_manifest_has_a_get_share_target_on_the_new_opportunity_form(client) -> None:
    response = client.get(reverse("elsewhere:manifest"))
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["share_target"] == {
        "action": NEW,
        "method": "GET",
        "params": {"title": "title", "text": "text", "url": "url"},
    }
    assert manifest["name"] and manifest["start_url"] and manifest["icons"]
    home = client.get(reverse("landing")).content.decode()
    assert f'<link rel="manifest" href="{reverse("elsewhere:manifest")}">' in home
