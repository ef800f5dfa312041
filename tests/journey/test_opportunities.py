"""Opportunities: adding them, moving them through stages, the board, the list and one page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from helpwanted.journey.models import Opportunity, Stage, StageChange, Update
from helpwanted.journey.opportunities import UNDO_DAYS, opportunity_create, opportunity_move
from helpwanted.mail.tick import run_tick
from helpwanted.network.actions import person_create
from helpwanted.network.companies import company_key
from helpwanted.network.models import Person
from helpwanted.network.targets import target_add

pytestmark = pytest.mark.django_db

BOARD = reverse("journey:opportunities")
LIST = reverse("journey:opportunity_list")
NEW = reverse("journey:opportunity_new")


def person(owner, name, company="", **fields) -> Person:
    return person_create(owner=owner, fields={"name": name, "company": company, **fields})


def opportunity(owner, company="Lumen Labs", role="Product designer", **kwargs) -> Opportunity:
    return opportunity_create(owner=owner, fields={"company": company, "role": role}, **kwargs)


def url(name: str, opp: Opportunity, *extra) -> str:
    return reverse(f"journey:{name}", args=[opp.pk, *extra])


def moves(opp: Opportunity) -> list[tuple[str, str]]:
    return list(opp.history.values_list("from_stage", "to_stage"))


def html(response) -> str:
    return response.content.decode()


def form(**fields) -> dict[str, str]:
    return {"company": "Lumen Labs", "role": "Product designer", "source": "own_search",
            "stage": "idea", **fields}  # fmt: skip


# --------------------------------------------------------------------------- adding


def test_adding_an_opportunity_saves_it_links_its_target_and_starts_its_history(
    alice, alice_client
):
    target = target_add(owner=alice, company="Lumen Labs Inc.")
    response = alice_client.post(
        NEW,
        form(
            company="LUMEN LABS",
            link="https://lumen.example/jobs/7",
            notes="Met them at a meetup",
            stage="applied",
        ),  # fmt: skip
    )
    opp = Opportunity.objects.get(owner=alice)
    assert response.status_code == 302
    assert response["Location"] == url("opportunity", opp)
    assert (opp.company, opp.role, opp.stage) == ("LUMEN LABS", "Product designer", "applied")
    assert opp.company_key == company_key("Lumen Labs") and opp.target == target
    assert opp.link == "https://lumen.example/jobs/7" and opp.notes == "Met them at a meetup"
    assert moves(opp) == [("", "applied")]
    assert opp.history.get().at == opp.stage_changed_at


def test_a_loosely_matching_company_name_links_the_target_too(alice):
    target = target_add(owner=alice, company="Northwind Traders")
    assert opportunity(alice, company="Northwind Trader").target == target
    assert opportunity(alice, company="Contoso").target is None


def test_another_seekers_target_is_never_linked(alice, charlie):
    target_add(owner=charlie, company="Lumen Labs")
    assert opportunity(alice).target is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"company": ""}, "Enter the company&#x27;s name."),
        ({"company": "   "}, "Enter the company&#x27;s name."),
        ({"role": ""}, "Enter the role, for example “Product designer”."),
        ({"link": "not a web address"}, "Enter the full web address of the job"),
        ({"link": "javascript:alert(1)"}, "Enter the full web address of the job"),
        ({"stage": "hired"}, "Select a valid choice"),
    ],
)
def test_bad_input_says_what_to_fix_keeps_what_was_typed_and_saves_nothing(
    alice_client, fields, message
):
    response = alice_client.post(NEW, form(notes="Keep this note", **fields))
    assert response.status_code == 200
    assert message in html(response)
    assert "There's something to fix" in html(response)
    assert "Keep this note" in html(response)
    assert not Opportunity.objects.exists() and not StageChange.objects.exists()


def test_a_link_without_a_scheme_is_taken_as_https(alice, alice_client):
    alice_client.post(NEW, form(link="lumen.example/jobs/7"))
    assert Opportunity.objects.get(owner=alice).link == "https://lumen.example/jobs/7"


# --------------------------------------------------------------------------- who referred you


def test_a_typed_referrer_name_is_matched_on_the_server(alice, alice_client):
    priya = person(alice, "Priya Shah", "Lumen Labs")
    person(alice, "Priya Shahid")
    alice_client.post(NEW, form(source="referral", referred_by_name="  priya   SHAH "))
    opp = Opportunity.objects.get(owner=alice)
    assert opp.source == "referral" and opp.referred_by == priya


def test_two_people_with_the_typed_name_are_offered_as_choices_and_nothing_is_saved(
    alice, alice_client
):
    one, two = person(alice, "Sam Lee", "Lumen Labs"), person(alice, "Sam Lee", "Contoso")
    response = alice_client.post(NEW, form(source="referral", referred_by_name="Sam Lee"))
    page = html(response)
    assert "You know more than one person called Sam Lee. Pick the one you mean." in page
    assert f'value="{one.pk}"' in page and f'value="{two.pk}"' in page
    assert not Opportunity.objects.exists()

    alice_client.post(
        NEW, form(source="referral", referred_by_name="Sam Lee", referred_by=str(two.pk))
    )
    assert Opportunity.objects.get(owner=alice).referred_by == two


def test_an_unknown_referrer_name_says_so_and_suggests_close_names(alice, alice_client):
    person(alice, "Priya Shah")
    page = html(alice_client.post(NEW, form(source="referral", referred_by_name="Priya")))
    assert "Nobody in your people is called exactly “Priya”. Pick one of these" in page
    assert "Priya Shah" in page
    page = html(alice_client.post(NEW, form(source="referral", referred_by_name="Zed Nobody")))
    assert "Nobody in your people is called “Zed Nobody”. Check the spelling" in page
    assert not Opportunity.objects.exists()


def test_a_referrer_needs_the_referral_source(alice, alice_client):
    person(alice, "Priya Shah")
    page = html(alice_client.post(NEW, form(source="job_board", referred_by_name="Priya Shah")))
    assert "You named Priya Shah as who referred you. Choose “A person&#x27;s referral”" in page
    assert not Opportunity.objects.exists()


def test_another_seekers_person_cannot_be_picked_as_referrer(alice, charlie, alice_client):
    spy = person(charlie, "Priya Shah")
    alice_client.post(
        NEW, form(source="referral", referred_by_name="Priya", referred_by=str(spy.pk))
    )
    assert not Opportunity.objects.exists()


def test_referrer_suggestions_come_only_from_the_seekers_own_people(alice, charlie, alice_client):
    mine = person(alice, "Priya Shah", "Lumen Labs")
    theirs = person(charlie, "Priya Patel")
    response = alice_client.get(
        reverse("journey:opportunity_people"), {"referred_by_name": "priya"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert f'value="{mine.pk}"' in html(response) and "Priya Patel" not in html(response)
    assert f'value="{theirs.pk}"' not in html(response)
    assert "<html" not in html(response)  # a fragment for htmx to swap in


# --------------------------------------------------------------------------- editing, deleting


def test_editing_saves_the_details_and_relinks_the_target_when_the_company_changes(
    alice, alice_client
):
    target = target_add(owner=alice, company="Contoso Ltd")
    opp = opportunity(alice, stage="applied")
    priya = person(alice, "Priya Shah")
    response = alice_client.post(
        url("opportunity_edit", opp),
        {
            "company": "Contoso",
            "role": "Lead designer",
            "source": "referral",
            "referred_by_name": "Priya Shah",
            "link": "",
            "notes": "Call back Friday",
        },  # fmt: skip
    )
    assert response.status_code == 302
    opp.refresh_from_db()
    assert (opp.company, opp.role, opp.target, opp.referred_by) == (
        "Contoso", "Lead designer", target, priya
    )  # fmt: skip
    assert opp.stage == "applied" and moves(opp) == [("", "applied")]  # editing never moves


def test_the_edit_form_shows_the_current_referrer_and_keeps_them_when_saved(alice, alice_client):
    priya = person(alice, "Priya Shah")
    opp = opportunity_create(
        owner=alice,
        fields={"company": "Lumen", "role": "Designer", "source": "referral", "referred_by": priya},
    )
    page = html(alice_client.get(url("opportunity_edit", opp)))
    assert re.search(rf'value="{priya.pk}"\s+checked', page)
    alice_client.post(
        url("opportunity_edit", opp),
        {
            "company": "Lumen",
            "role": "Designer",
            "source": "referral",
            "referred_by_name": "Priya Shah",
            "referred_by": priya.pk,
            "notes": "new",
        },  # fmt: skip
    )
    opp.refresh_from_db()
    assert opp.referred_by == priya and opp.notes == "new"


def _everything_about(opp: Opportunity) -> dict[str, object]:
    """Every stored field of the opportunity, its history, helpers and the updates about it."""
    row = Opportunity.all_objects.filter(pk=opp.pk).values().get()
    row.pop("deleted_at")
    return {
        "row": row,
        "history": list(opp.history.values_list("from_stage", "to_stage", "note", "at")),
        "helpers": sorted(opp.helpers.values_list("pk", flat=True)),
        "updates": sorted(Update.objects.filter(opportunity=opp).values_list("pk", flat=True)),
    }


@pytest.fixture
def full_opp(alice):
    """An opportunity with a referrer, a helper, a moved history and an update about it."""
    priya = person(alice, "Priya Shah")
    opp = opportunity_create(
        owner=alice,
        fields={"company": "Lumen Labs", "role": "Product designer", "source": "referral",
                "referred_by": priya, "notes": "Ask Priya about the team"},
    )  # fmt: skip
    opportunity_move(opportunity=opp, stage="applied", note="Sent the portfolio")
    opp.helpers.add(person(alice, "Tom Reyes"))
    Update.objects.create(owner=alice, text="Applied to Lumen!", opportunity=opp)
    return opp


def test_deleting_asks_first_then_hides_it_everywhere_and_offers_undo(
    alice, alice_client, full_opp
):
    assert "Delete Product designer at Lumen Labs?" in html(
        alice_client.get(url("opportunity_delete", full_opp))
    )
    response = alice_client.post(url("opportunity_delete", full_opp), follow=True)
    page = html(response)
    assert response.redirect_chain[-1][0] == BOARD
    assert "Deleted Product designer at Lumen Labs." in page
    assert f'action="{url("opportunity_restore", full_opp)}"' in page and ">Undo</button>" in page
    assert alice_client.get(url("opportunity", full_opp)).status_code == 404
    for where in (BOARD, LIST, reverse("home"), reverse("journey:updates")):
        assert "Product designer" not in html(alice_client.get(where)), where
    assert "Applied to Lumen!" in html(alice_client.get(reverse("journey:updates")))
    insights = html(alice_client.get(reverse("insights:page")))
    assert "Add the roles you're considering" in insights  # the funnel counts nothing
    assert not Opportunity.objects.filter(owner=alice).exists()
    export = alice_client.get(reverse("elsewhere:export") + "?format=json")
    body = b"".join(export.streaming_content) if export.streaming else export.content
    assert export.status_code == 200 and b'"opportunities"' in body
    assert b"Product designer" not in body


def test_undo_puts_the_opportunity_back_exactly_as_it_was(alice, alice_client, full_opp):
    before = _everything_about(full_opp)
    alice_client.post(url("opportunity_delete", full_opp))
    response = alice_client.post(url("opportunity_restore", full_opp), follow=True)
    assert response.redirect_chain[-1][0] == url("opportunity", full_opp)
    assert "Product designer at Lumen Labs is back, with its history." in html(response)
    assert _everything_about(full_opp) == before
    assert Opportunity.objects.get(pk=full_opp.pk).deleted_at is None
    assert "Product designer" in html(alice_client.get(BOARD))
    # A second Undo finds nothing deleted.
    assert alice_client.post(url("opportunity_restore", full_opp)).status_code == 404


def test_another_seeker_cannot_undo_alices_delete(alice_client, charlie_client, full_opp):
    alice_client.post(url("opportunity_delete", full_opp))
    assert charlie_client.post(url("opportunity_restore", full_opp)).status_code == 404
    assert charlie_client.get(url("opportunity_restore", full_opp)).status_code == 405
    assert alice_client.get(url("opportunity_restore", full_opp)).status_code == 405
    assert Opportunity.all_objects.get(pk=full_opp.pk).deleted_at is not None


def test_the_tick_removes_a_deleted_opportunity_for_good_once_undo_has_passed(
    alice, alice_client, full_opp
):
    kept = opportunity(alice, company="Brightwell")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        alice_client.post(url("opportunity_delete", full_opp))
    with time_machine.travel(start + timedelta(days=UNDO_DAYS) - timedelta(minutes=1)):
        assert run_tick()["opportunities_purge"] == 0
    with time_machine.travel(start + timedelta(days=UNDO_DAYS, minutes=1)):
        assert run_tick()["opportunities_purge"] == 1
    assert list(Opportunity.all_objects.all()) == [kept]
    assert not StageChange.objects.filter(opportunity_id=full_opp.pk).exists()
    assert Update.objects.get(text="Applied to Lumen!").opportunity is None


# --------------------------------------------------------------------------- stage moves


def test_moves_in_order_are_each_recorded_with_their_date_and_note(alice, alice_client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        opp = opportunity(alice)
    for days, stage in ((1, "applied"), (4, "screening"), (9, "interviewing")):
        with time_machine.travel(start + timedelta(days=days), tick=False):
            note = f"day {days}"
            response = alice_client.post(
                url("opportunity_move", opp), {"stage": stage, "note": note}
            )
            assert response.status_code == 302
    opp.refresh_from_db()
    assert moves(opp) == [
        ("", "idea"), ("idea", "applied"), ("applied", "screening"), ("screening", "interviewing")
    ]  # fmt: skip
    history = list(opp.history.all())
    assert [h.note for h in history] == ["", "day 1", "day 4", "day 9"]
    assert [h.at for h in history] == [start + timedelta(days=d) for d in (0, 1, 4, 9)]
    assert opp.stage == "interviewing" and opp.stage_changed_at == start + timedelta(days=9)


def test_moves_out_of_order_are_allowed_and_recorded_truthfully(alice, alice_client):
    opp = opportunity(alice)
    for stage in ("offer", "applied", "withdrawn", "screening"):
        alice_client.post(url("opportunity_move", opp), {"stage": stage})
    opp.refresh_from_db()
    assert moves(opp) == [
        ("", "idea"), ("idea", "offer"), ("offer", "applied"), ("applied", "withdrawn"),
        ("withdrawn", "screening"),
    ]  # fmt: skip
    assert opp.stage == "screening"


def test_moving_to_the_stage_it_is_at_changes_nothing(alice, alice_client):
    opp = opportunity(alice, stage="applied")
    before = opp.stage_changed_at
    response = alice_client.post(url("opportunity_move", opp), {"stage": "applied"}, follow=True)
    assert "is already at applied. Nothing changed." in html(response)
    opp.refresh_from_db()
    assert moves(opp) == [("", "applied")] and opp.stage_changed_at == before
    assert opportunity_move(opportunity=opp, stage="applied") is None


def test_an_unknown_stage_changes_nothing_and_says_so(alice, alice_client):
    opp = opportunity(alice)
    response = alice_client.post(url("opportunity_move", opp), {"stage": "hired"}, follow=True)
    assert "Choose one of the stages to move it to." in html(response)
    opp.refresh_from_db()
    assert opp.stage == "idea" and moves(opp) == [("", "idea")]


def test_moving_to_rejected_offers_to_share_it_with_the_inner_circle(alice, alice_client):
    opp = opportunity(alice, stage="interviewing")
    response = alice_client.post(url("opportunity_move", opp), {"stage": "rejected", "note": "No"})
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("journey:update_new") + f"?kind=rejection&opportunity={opp.pk}"
    )
    assert response["Location"].startswith("/journey/updates/new/?kind=rejection")
    assert moves(opp)[-1] == ("interviewing", "rejected")


@pytest.mark.parametrize(
    ("stage", "expected"),
    [
        ("rejected", reverse("journey:update_new") + "?kind=rejection&opportunity={id}"),
        ("accepted", "/journey/landed/{id}/"),
        ("applied", "/journey/opportunities/{id}/"),
    ],
)
def test_adding_one_straight_at_rejected_or_accepted_takes_the_same_next_step(
    alice, alice_client, stage, expected
):
    response = alice_client.post(NEW, form(stage=stage))
    opp = Opportunity.objects.get(owner=alice)
    assert response["Location"] == expected.format(id=opp.pk)
    assert moves(opp) == [("", stage)]


def test_moving_to_accepted_goes_on_to_i_got_the_job(alice, alice_client):
    opp = opportunity(alice, stage="offer")
    response = alice_client.post(url("opportunity_move", opp), {"stage": "accepted"})
    assert response.status_code == 302
    assert response["Location"] == reverse("journey:landed", args=[opp.pk])
    assert moves(opp)[-1] == ("offer", "accepted")


def test_a_move_goes_back_where_it_came_from_but_never_off_site(alice, alice_client):
    opp = opportunity(alice)
    back = alice_client.post(url("opportunity_move", opp), {"stage": "applied", "next": LIST})
    assert back["Location"] == LIST
    away = alice_client.post(
        url("opportunity_move", opp), {"stage": "screening", "next": "https://evil.example/"}
    )
    assert away["Location"] == url("opportunity", opp)


# --------------------------------------------------------------------------- the board


def test_the_board_has_a_column_for_every_stage_with_alices_cards_and_a_move_form(
    alice, charlie, alice_client
):
    applied = opportunity(alice, company="Lumen Labs", stage="applied")
    rejected = opportunity(alice, company="Contoso", stage="rejected")
    opportunity(charlie, company="Charlies Secret Co")
    page = html(alice_client.get(BOARD))
    for stage in Stage.values:
        assert f'data-stage-column="{stage}"' in page
    applied_column = page.split('data-stage-column="applied"')[1].split("data-stage-column=")[0]
    assert "Lumen Labs" in applied_column and f'data-card="{applied.pk}"' in applied_column
    assert 'data-stage-column="rejected"' in page.split("data-closed")[1]  # the closed area
    assert "Contoso" in page.split("data-closed")[1]
    assert f'action="{url("opportunity_move", rejected)}"' in page
    assert "Charlies Secret Co" not in page


def test_the_board_keeps_working_without_inline_script_or_style(alice, alice_client):
    opportunity(alice)
    response = alice_client.get(BOARD)
    page = html(response)
    nonce = re.search(r'nonce="([^"]+)"', page).group(1)
    assert f'<script src="/static/js/board.js" nonce="{nonce}" defer></script>' in page
    assert nonce in response["Content-Security-Policy"]
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)  # no inline scripts
    assert " style=" not in page and "<style" not in page


def test_an_empty_board_teaches_the_next_step(alice_client):
    page = html(alice_client.get(BOARD))
    assert "Nothing here yet, and that's fine" in page and "Add your first opportunity" in page


def test_list_view_is_also_reachable_from_the_board_url(alice, alice_client):
    opportunity(alice)
    page = html(alice_client.get(BOARD, {"view": "list"}))
    assert "<table" in page and "Lumen Labs" in page


# --------------------------------------------------------------------------- the list


def test_the_list_sorts_by_date_by_default_and_by_stage_on_request(alice, alice_client):
    start = timezone.now() - timedelta(days=30)
    for i, (company, stage) in enumerate(
        [("Alpha", "offer"), ("Bravo", "idea"), ("Charlie Co", "rejected"), ("Delta", "applied")]
    ):
        with time_machine.travel(start + timedelta(days=i), tick=False):
            opportunity(alice, company=company, stage=stage)

    def order(page: str) -> list[str]:
        return re.findall(r"<td><a href=\"[^\"]+\">([^<]+)</a></td>", page)

    assert order(html(alice_client.get(LIST))) == ["Delta", "Charlie Co", "Bravo", "Alpha"]
    assert order(html(alice_client.get(LIST, {"sort": "-date"}))) == [
        "Alpha", "Bravo", "Charlie Co", "Delta"
    ]  # fmt: skip
    by_stage = html(alice_client.get(LIST, {"sort": "stage"}))
    assert order(by_stage) == ["Bravo", "Delta", "Alpha", "Charlie Co"]
    assert 'aria-sort="ascending"' in by_stage
    assert order(html(alice_client.get(LIST, {"sort": "-stage"}))) == [
        "Charlie Co", "Alpha", "Delta", "Bravo"
    ]  # fmt: skip
    assert order(html(alice_client.get(LIST, {"stage": "offer"}))) == ["Alpha"]
    assert order(html(alice_client.get(LIST, {"sort": "nonsense"})))[0] == "Delta"


def test_the_list_shows_company_role_stage_and_last_change_and_only_alices(
    alice, charlie, alice_client
):
    opportunity(alice, stage="screening")
    opportunity(charlie, company="Charlies Secret Co")
    page = html(alice_client.get(LIST))
    for text in ("Lumen Labs", "Product designer", "Screening", "Last change"):
        assert text in page
    assert "Charlies Secret Co" not in page


# --------------------------------------------------------------------------- one opportunity


def test_the_page_shows_details_history_and_who_alice_knows_there(alice, charlie, alice_client):
    target = target_add(owner=alice, company="Lumen Labs")
    priya = person(alice, "Priya Shah", "Lumen Labs Inc.", closeness=4)
    omar = person(alice, "Omar Haddad", "LUMEN LABS")
    person(alice, "Zoe Elsewhere", "Contoso")
    person(charlie, "Charlies Friend", "Lumen Labs")
    opp = opportunity(alice)
    alice_client.post(url("opportunity_move", opp), {"stage": "applied", "note": "Sent the CV"})
    page = html(alice_client.get(url("opportunity", opp)))
    assert "Product designer" in page and "Lumen Labs" in page
    assert "added at idea" in page and "moved from idea to applied" in page
    assert "“Sent the CV”" in page
    assert "Priya Shah" in page and "Omar Haddad" in page
    assert "Zoe Elsewhere" not in page and "Charlies Friend" not in page
    ask = (
        reverse("asks:new")
        + f"?kind=referral&amp;target={target.pk}&amp;to={priya.pk}&amp;to={omar.pk}"
    )
    assert f'href="{ask}"' in page


def test_the_referral_link_works_without_a_target_and_with_nobody_known(alice, alice_client):
    opp = opportunity(alice, company="Contoso")
    page = html(alice_client.get(url("opportunity", opp)))
    assert f'href="{reverse("asks:new")}?kind=referral"' in page
    assert "Nobody in your people works there yet" in page


def test_the_referral_link_prefills_the_asks_composer(alice, alice_client):
    priya = person(alice, "Priya Shah", "Lumen Labs")
    opp = opportunity(alice)
    page = html(alice_client.get(url("opportunity", opp)))
    link = re.search(r'href="(/asks/new/[^"]+)"', page).group(1).replace("&amp;", "&")
    composer = html(alice_client.get(link))
    assert "Priya Shah" in composer and f'value="{priya.pk}"' in composer


def test_people_who_helped_can_be_found_added_and_removed(alice, charlie, alice_client):
    opp = opportunity(alice)
    priya = person(alice, "Priya Shah", "Contoso")
    spy = person(charlie, "Priya Spy")
    found = alice_client.get(
        url("opportunity", opp), {"q": "priya", "partial": "search"}, HTTP_HX_REQUEST="true"
    )
    assert "Priya Shah" in html(found) and "Priya Spy" not in html(found)
    assert "<html" not in html(found)
    alice_client.post(url("opportunity_helper_add", opp), {"person": priya.pk})
    assert list(opp.helpers.all()) == [priya]
    assert (
        alice_client.post(url("opportunity_helper_add", opp), {"person": spy.pk}).status_code == 404
    )
    assert list(opp.helpers.all()) == [priya]
    removed = alice_client.post(url("opportunity_helper_remove", opp, priya.pk), follow=True)
    assert not opp.helpers.exists()
    undo = url("opportunity_helper_restore", opp, priya.pk)
    assert f'action="{undo}"' in html(removed)
    alice_client.post(undo)
    assert list(opp.helpers.all()) == [priya]


# --------------------------------------------------------------------------- who may see what


# Every URL that names an opportunity, with each method. The two a method never serves (a POST
# to the page, a GET to a move) answer 405 before anything is looked up, to alice as to charlie.
OUTSIDER_CASES = [
    ("opportunity", "get", 404),
    ("opportunity", "post", 405),
    ("opportunity_edit", "get", 404),
    ("opportunity_edit", "post", 404),
    ("opportunity_delete", "get", 404),
    ("opportunity_delete", "post", 404),
    ("opportunity_restore", "get", 405),
    ("opportunity_restore", "post", 404),
    ("opportunity_move", "get", 405),
    ("opportunity_move", "post", 404),
    ("opportunity_helper_add", "get", 405),
    ("opportunity_helper_add", "post", 404),
]


@pytest.mark.parametrize(("name", "method", "expected"), OUTSIDER_CASES)
def test_another_seeker_gets_404_on_every_opportunity_url(
    alice, charlie, charlie_client, name, method, expected
):
    opp = opportunity(alice)
    helper = person(alice, "Priya Shah")
    opp.helpers.add(helper)
    data = {"company": "Mine now", "role": "x", "source": "own_search", "stage": "rejected",
            "person": person(charlie, "Charlies Friend").pk}  # fmt: skip
    response = getattr(charlie_client, method)(url(name, opp), data)
    assert response.status_code == expected
    assert "Lumen Labs" not in html(response)
    opp.refresh_from_db()
    assert (opp.company, opp.stage) == ("Lumen Labs", "idea")
    assert moves(opp) == [("", "idea")] and list(opp.helpers.all()) == [helper]


def test_another_seeker_cannot_remove_alices_helpers(alice, charlie_client):
    opp = opportunity(alice)
    helper = person(alice, "Priya Shah")
    opp.helpers.add(helper)
    assert charlie_client.post(url("opportunity_helper_remove", opp, helper.pk)).status_code == 404
    assert list(opp.helpers.all()) == [helper]


def test_another_seeker_cannot_undo_on_alices_opportunity(alice, charlie, charlie_client):
    opp = opportunity(alice)
    helper = person(alice, "Priya Shah")
    undo = url("opportunity_helper_restore", opp, helper.pk)
    assert charlie_client.post(undo).status_code == 404
    assert charlie_client.get(undo).status_code == 405
    theirs = person(charlie, "Charlies Friend")
    assert charlie_client.post(url("opportunity_helper_restore", opp, theirs.pk)).status_code == 404
    assert not opp.helpers.exists()


def test_the_method_check_answers_alike_for_the_owner(alice, alice_client):
    opp = opportunity(alice)
    assert alice_client.post(url("opportunity", opp)).status_code == 405
    assert alice_client.get(url("opportunity_move", opp)).status_code == 405


def test_another_seeker_sees_nothing_of_alices_on_their_board_list_or_search(alice, charlie_client):
    opportunity(alice, company="Alices Secret Co")
    person(alice, "Alices Friend")
    for page in (
        charlie_client.get(BOARD),
        charlie_client.get(LIST),
        charlie_client.get(reverse("journey:opportunity_people"), {"referred_by_name": "Alice"}),
    ):
        assert "Alices Secret Co" not in html(page) and "Alices Friend" not in html(page)


@pytest.mark.parametrize(
    "name",
    [
        "opportunities",
        "opportunity_list",
        "opportunity_new",
        "opportunity_people",
        "opportunity",
        "opportunity_edit",
        "opportunity_delete",
        "opportunity_restore",
        "opportunity_move",
    ],  # fmt: skip
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_anonymous_visitor_is_asked_to_log_in(client, alice, name, method):
    opp = opportunity(alice)
    needs_id = name not in (
        "opportunities",
        "opportunity_list",
        "opportunity_new",
        "opportunity_people",
    )
    target = url(name, opp) if needs_id else reverse(f"journey:{name}")
    response = getattr(client, method)(target, {"stage": "rejected"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    opp.refresh_from_db()
    assert opp.stage == "idea"


def test_every_opportunity_post_needs_a_csrf_token(alice, csrf_client):
    csrf_client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    opp = opportunity(alice)
    helper = person(alice, "Priya Shah")
    opp.helpers.add(helper)
    posts = [
        (NEW, form(company="Forged")),
        (url("opportunity_edit", opp), form(company="Forged")),
        (url("opportunity_move", opp), {"stage": "rejected"}),
        (url("opportunity_helper_add", opp), {"person": helper.pk}),
        (url("opportunity_helper_remove", opp, helper.pk), {}),
        (url("opportunity_helper_restore", opp, helper.pk), {}),
        (url("opportunity_delete", opp), {}),
        (url("opportunity_restore", opp), {}),
    ]
    for target, data in posts:
        assert csrf_client.post(target, data).status_code == 403, target
    opp.refresh_from_db()
    assert Opportunity.objects.count() == 1 and opp.company == "Lumen Labs" and opp.stage == "idea"
    assert list(opp.helpers.all()) == [helper]
    # The page's own token is what the forms (and board.js) send, and it works.
    page = html(csrf_client.get(BOARD))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    moved = csrf_client.post(
        url("opportunity_move", opp), {"stage": "applied", "csrfmiddlewaretoken": token}
    )
    assert moved.status_code == 302
    opp.refresh_from_db()
    assert opp.stage == "applied"


# --------------------------------------------------------------------------- query counts


def many_opportunities(owner, n: int) -> None:
    for i in range(n):
        opp = opportunity(owner, company=f"Company {i}", role=f"Role {i}")
        opportunity_move(opportunity=opp, stage=Stage.values[i % len(Stage.values)])


def count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("path", [BOARD, LIST, LIST + "?sort=stage"])
def test_board_and_list_queries_do_not_grow_with_opportunities(
    alice, alice_client, path, django_assert_max_num_queries
):
    many_opportunities(alice, 1)
    few = count_queries(alice_client, path)
    many_opportunities(alice, 99)
    # session, user, then the board's one query (the list: a count and a page)
    with django_assert_max_num_queries(3 if path == BOARD else 4):
        response = alice_client.get(path)
    assert response.status_code == 200 and "Company 98" in html(response)
    assert count_queries(alice_client, path) == few


def test_the_opportunity_page_queries_do_not_grow_with_people_or_history(
    alice, alice_client, django_assert_max_num_queries
):
    opp = opportunity(alice)
    for i in range(30):
        person(alice, f"Colleague {i}", "Lumen Labs")
        opp.helpers.add(person(alice, f"Helper {i}"))
        opportunity_move(opportunity=opp, stage=Stage.values[(i + 1) % len(Stage.values)])
    # session, user, the opportunity, helpers, company keys, people there, history, its dates
    with django_assert_max_num_queries(8):
        page = html(alice_client.get(url("opportunity", opp)))
    assert page.count("Colleague ") == 10  # limited to the ten closest
    assert "Helper 29" in page
