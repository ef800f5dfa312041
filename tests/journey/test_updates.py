"""Updates to the circle, the rejection share step, helpers' replies, and accepting an offer."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from helpwanted.asks.models import Ask, Recipient
from helpwanted.circle.actions import circle_add, grant_issue
from helpwanted.journey.models import Opportunity, Reply, Update
from helpwanted.journey.updates import update_delete, updates_visible_to
from helpwanted.network.actions import person_create

pytestmark = pytest.mark.django_db

NEW = "/journey/updates/new/"


def helper(owner, name: str, email: str, audience: str) -> SimpleNamespace:
    """A person in owner's circle with the given audience, and a client that pressed Continue."""
    person = person_create(
        owner=owner, fields={"name": name, "emails": [email], "relationship": "friend"}
    )
    member = circle_add(person=person, audience=audience)
    _, token = grant_issue(member=member)
    client = Client()
    assert client.post(f"/h/{token}/").status_code == 303
    return SimpleNamespace(person=person, member=member, client=client, token=token)


def post(owner, text: str, *, kind: str = "progress", audience: str = "supporters", **extra):
    """Share through the real action, as the composer does."""
    from helpwanted.journey.updates import update_post

    return update_post(owner=owner, kind=kind, audience=audience, text=text, **extra)


def helper_page(client: Client) -> str:
    response = client.get(reverse("circle:helper_home"))
    assert response.status_code == 200
    return response.content.decode()


def reply(client: Client, update: Update, **data) -> object:
    return client.post(reverse("journey:update_reply", args=[update.pk]), data)


@pytest.fixture
def acme(alice) -> Opportunity:
    return Opportunity.objects.create(
        owner=alice, company="Acme Robotics", role="Product Designer", stage="rejected"
    )


# --- The composer --------------------------------------------------------------------------


def test_the_composer_lives_at_its_url_name():
    assert reverse("journey:update_new") == NEW
    assert reverse("journey:updates") == "/journey/updates/"


def test_a_seeker_shares_an_update_with_the_audience_they_chose(alice, alice_client):
    response = alice_client.post(
        NEW, {"kind": "win", "audience": "everyone", "text": "  Second interview booked!  "}
    )
    update = Update.objects.get(owner=alice)
    assert response.status_code == 302
    assert response["Location"] == reverse("journey:update", args=[update.pk])
    assert (update.kind, update.audience, update.text) == (
        "win",
        "everyone",
        "Second interview booked!",
    )
    page = alice_client.get(response["Location"]).content.decode()
    assert "Second interview booked!" in page and "Everyone in my circle" in page


def test_a_feelings_post_defaults_to_the_inner_circle_and_the_composer_says_so(alice_client):
    page = alice_client.get(NEW + "?kind=feelings").content.decode()
    assert 'name="audience" value="inner" id="id_audience_0" checked' in page
    assert 'value="supporters" id="id_audience_1" checked' not in page
    assert "Feelings posts go to your inner circle by default" in page


def test_a_feelings_post_with_no_audience_chosen_goes_to_the_inner_circle(alice, alice_client):
    alice_client.post(NEW, {"kind": "feelings", "text": "Low week, honestly."})
    assert Update.objects.get(owner=alice).audience == "inner"


def test_a_progress_post_with_no_audience_chosen_goes_to_supporters(alice, alice_client):
    alice_client.post(NEW, {"kind": "progress", "text": "Three applications out."})
    assert Update.objects.get(owner=alice).audience == "supporters"


def test_the_plain_composer_leaves_the_audience_unchosen_so_feelings_stay_close(alice_client):
    page = alice_client.get(NEW).content.decode()
    audience_inputs = [chunk for chunk in page.split("<input") if 'name="audience"' in chunk]
    assert len(audience_inputs) == 3
    assert not any("checked" in chunk.split(">")[0] for chunk in audience_inputs)
    assert "feelings and rejections go to your inner circle only" in page


def test_a_double_submitted_update_is_shared_once(alice, alice_client):
    data = {"kind": "progress", "audience": "supporters", "text": "Portfolio refreshed."}
    first = alice_client.post(NEW, data)
    second = alice_client.post(NEW, data)
    assert Update.objects.filter(owner=alice).count() == 1
    assert first["Location"] == second["Location"]


def test_the_same_words_later_on_are_a_new_update(alice, alice_client):
    data = {"kind": "progress", "audience": "supporters", "text": "Still applying."}
    alice_client.post(NEW, data)
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        alice_client.post(NEW, data)
    assert Update.objects.filter(owner=alice).count() == 2


@pytest.mark.parametrize("text", ["", "   \n  "])
def test_an_update_with_no_text_gets_a_clear_message(alice, alice_client, text):
    response = alice_client.post(NEW, {"kind": "progress", "audience": "inner", "text": text})
    assert response.status_code == 200
    assert "Write a line or two for your circle." in response.content.decode()
    assert not Update.objects.exists()


def test_an_overlong_update_gets_a_clear_message_and_keeps_the_words(alice, alice_client):
    text = "word " * 400 + "x"  # 2,001 characters
    response = alice_client.post(NEW, {"kind": "progress", "audience": "inner", "text": text})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Please keep it under 2,000 characters (it&#x27;s 2001 now)." in page
    assert "word word word" in page  # nothing typed is lost
    assert not Update.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "gloating", "audience": "inner"}, "Choose one of the kinds of update listed."),
        ({"kind": "progress", "audience": "the-world"}, "Choose one of the groups listed."),
        ({"audience": "inner"}, "Choose what kind of update this is."),
    ],
)
def test_an_unknown_kind_or_audience_gets_a_clear_message(alice, alice_client, data, message):
    response = alice_client.post(NEW, {**data, "text": "Hello"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Update.objects.exists()


def test_an_unknown_kind_in_the_link_falls_back_to_progress(alice_client):
    page = alice_client.get(NEW + "?kind=nonsense&opportunity=abc").content.decode()
    assert "Share an update" in page


def test_the_composer_needs_a_login(client):
    response = client.get(NEW)
    assert response.status_code == 302 and "login" in response["Location"]
    assert client.post(NEW, {"kind": "progress", "text": "x"}).status_code == 302
    assert not Update.objects.exists()


def test_sharing_needs_a_csrf_token(alice, csrf_client):
    csrf_client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    data = {"kind": "progress", "audience": "inner", "text": "Hello"}
    assert csrf_client.post(NEW, data).status_code == 403
    assert not Update.objects.exists()
    csrf_client.get(NEW)
    token = csrf_client.cookies[django_settings.CSRF_COOKIE_NAME].value
    assert csrf_client.post(NEW, {**data, "csrfmiddlewaretoken": token}).status_code == 302
    assert Update.objects.filter(owner=alice).count() == 1


# --- The rejection flow --------------------------------------------------------------------


def test_the_rejection_step_prepares_editable_words_for_the_inner_circle(alice_client, acme):
    response = alice_client.get(f"{NEW}?kind=rejection&opportunity={acme.pk}")
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "Didn&#x27;t get the Product Designer role at Acme Robotics. Disappointed, still going."
        in page
    )
    assert "<textarea" in page  # editable
    assert "Share with my inner circle" in page and "Skip for now" in page
    assert 'name="audience" value="inner"' in page


def test_sharing_a_rejection_is_one_tap_and_links_the_opportunity(alice, alice_client, acme):
    alice_client.post(
        f"{NEW}?kind=rejection&opportunity={acme.pk}",
        {
            "opportunity": acme.pk,
            "kind": "rejection",
            "audience": "inner",
            "text": "Didn't get the Product Designer role at Acme Robotics. Gutted, still going.",
        },
    )
    update = Update.objects.get(owner=alice)
    assert (update.kind, update.audience, update.opportunity) == ("rejection", "inner", acme)
    assert "Gutted" in update.text  # the seeker's edit is what's shared


def test_skipping_shares_nothing_and_goes_back_to_the_opportunity(alice_client, acme):
    response = alice_client.post(
        f"{NEW}?kind=rejection&opportunity={acme.pk}",
        {"opportunity": acme.pk, "skip": "1", "text": "Didn't get it."},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/journey/opportunities/{acme.pk}/"
    assert not Update.objects.exists()


def test_skipping_with_no_opportunity_goes_back_to_the_updates(alice_client):
    response = alice_client.post(NEW, {"skip": "1"})
    assert response["Location"] == reverse("journey:updates")
    assert not Update.objects.exists()


def test_a_rejection_can_be_logged_directly_and_goes_to_the_inner_circle(alice, alice_client):
    page = alice_client.get(NEW + "?kind=rejection").content.decode()
    assert "Log a rejection" in page and "Disappointed, still going." in page
    alice_client.post(NEW, {"kind": "rejection", "text": "No luck with Globex."})
    update = Update.objects.get(owner=alice)
    assert (update.kind, update.audience, update.opportunity) == ("rejection", "inner", None)


def test_the_rejection_step_is_404_for_someone_elses_opportunity(charlie_client, acme):
    assert charlie_client.get(f"{NEW}?kind=rejection&opportunity={acme.pk}").status_code == 404
    response = charlie_client.post(
        NEW, {"opportunity": acme.pk, "kind": "rejection", "audience": "inner", "text": "x"}
    )
    assert response.status_code == 404
    assert not Update.objects.exists()


def test_the_seeker_sees_a_kind_count_of_rejections_and_encouragement(
    alice, alice_client, bob, bob_client
):
    first = post(alice, "No from Initech.", kind="rejection", audience="supporters")
    post(alice, "No from Globex.", kind="rejection", audience="supporters")
    post(alice, "Good chat with a recruiter.", kind="progress")
    reply(bob_client, first, kind="encouragement", reaction="strong")
    reply(bob_client, first, kind="encouragement", text="Their loss.")
    reply(bob_client, first, kind="offer", text="I can look at your portfolio.")
    page = alice_client.get(reverse("journey:updates")).content.decode()
    assert "You've shared 2 rejections and received 2 encouragements." in page


def test_the_kind_count_stays_away_until_there_is_a_rejection(alice, alice_client):
    post(alice, "Good chat with a recruiter.")
    assert "You've shared" not in alice_client.get(reverse("journey:updates")).content.decode()


# --- The seeker's list and update page ------------------------------------------------------


def test_the_list_is_in_time_order_with_replies_grouped_per_helper(
    alice, alice_client, bob, bob_client
):
    carol = helper(alice, "Carol Nakamura", "carol@example.org", "inner")
    with time_machine.travel(timezone.now() - timedelta(days=2)):
        older = post(alice, "OLDER-UPDATE went out.")
    newer = post(alice, "NEWER-UPDATE went out.")
    reply(bob_client, newer, kind="encouragement", reaction="heart")
    reply(carol.client, newer, kind="encouragement", text="CAROL-WORDS")
    reply(bob_client, newer, kind="encouragement", text="BOB-WORDS")
    reply(bob_client, older, kind="encouragement", reaction="proud")
    page = alice_client.get(reverse("journey:updates")).content.decode()
    assert page.index("NEWER-UPDATE") < page.index("OLDER-UPDATE")
    newer_card = page[page.index(f'id="update-{newer.pk}"') : page.index(f'id="update-{older.pk}"')]
    assert newer_card.count("Bob Lindqvist") == 1  # both of bob's replies sit in one group
    bob_group = newer_card[newer_card.index("Bob Lindqvist") : newer_card.index("Carol Nakamura")]
    assert "Sending love" in bob_group and "BOB-WORDS" in bob_group
    assert "CAROL-WORDS" in newer_card[newer_card.index("Carol Nakamura") :]


def test_an_empty_list_teaches_the_next_step(alice_client):
    page = alice_client.get(reverse("journey:updates")).content.decode()
    assert "Nothing shared yet" in page and NEW in page


def test_deleting_an_update_hides_it_from_the_seeker_and_helpers(
    alice, alice_client, bob, bob_client
):
    update = post(alice, "DELETE-ME-MARKER")
    assert "DELETE-ME-MARKER" in helper_page(bob_client)
    confirm = alice_client.get(reverse("journey:update_delete", args=[update.pk]))
    assert confirm.status_code == 200 and "Take this update down?" in confirm.content.decode()
    update.refresh_from_db()
    assert update.deleted_at is None  # a GET changes nothing
    response = alice_client.post(reverse("journey:update_delete", args=[update.pk]))
    assert response["Location"] == reverse("journey:updates")
    update.refresh_from_db()
    assert update.deleted_at is not None
    assert "DELETE-ME-MARKER" not in alice_client.get(reverse("journey:updates")).content.decode()
    assert "DELETE-ME-MARKER" not in helper_page(bob_client)
    assert alice_client.get(reverse("journey:update", args=[update.pk])).status_code == 404
    assert alice_client.post(reverse("journey:update_delete", args=[update.pk])).status_code == 404


def test_taking_an_update_down_offers_undo_which_puts_it_back_with_its_replies(
    alice, alice_client, bob, bob_client
):
    update = post(alice, "UNDO-ME-MARKER")
    reply(bob_client, update, kind="encouragement", text="Go you!")
    response = alice_client.post(reverse("journey:update_delete", args=[update.pk]), follow=True)
    undo = reverse("journey:update_restore", args=[update.pk])
    assert f'action="{undo}"' in response.content.decode()
    assert "UNDO-ME-MARKER" not in helper_page(bob_client)
    restored = alice_client.post(undo)
    assert restored["Location"] == reverse("journey:update", args=[update.pk])
    update.refresh_from_db()
    assert update.deleted_at is None
    assert "UNDO-ME-MARKER" in helper_page(bob_client)
    page = alice_client.get(reverse("journey:update", args=[update.pk])).content.decode()
    assert "Go you!" in page
    assert alice_client.post(undo).status_code == 404  # nothing left to undo


def test_an_outsider_cannot_undo_someone_elses_take_down(alice, alice_client, charlie_client):
    update = post(alice, "Alice only.")
    alice_client.post(reverse("journey:update_delete", args=[update.pk]))
    undo = reverse("journey:update_restore", args=[update.pk])
    assert charlie_client.post(undo).status_code == 404
    assert charlie_client.get(undo).status_code == 405
    update.refresh_from_db()
    assert update.deleted_at is not None


def test_a_reply_to_a_deleted_update_gets_a_clear_message(alice, alice_client, bob, bob_client):
    update = post(alice, "Soon gone.")
    alice_client.post(reverse("journey:update_delete", args=[update.pk]))
    response = reply(bob_client, update, kind="encouragement", text="Go you!")
    assert response.status_code == 302
    page = bob_client.get(response["Location"]).content.decode()
    assert "Alice has taken this update down, so it can&#x27;t take replies now." in page
    assert not Reply.objects.exists()


def test_an_outsider_gets_404_on_someone_elses_update(alice, charlie_client):
    update = post(alice, "Alice only.")
    assert charlie_client.get(reverse("journey:update", args=[update.pk])).status_code == 404
    assert charlie_client.get(reverse("journey:update_delete", args=[update.pk])).status_code == 404
    assert (
        charlie_client.post(reverse("journey:update_delete", args=[update.pk])).status_code == 404
    )
    update.refresh_from_db()
    assert update.deleted_at is None


def test_seeker_pages_need_a_login(client, alice):
    update = post(alice, "Alice only.")
    for url in (
        reverse("journey:updates"),
        reverse("journey:update", args=[update.pk]),
        reverse("journey:update_delete", args=[update.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_deleting_needs_a_csrf_token(alice, csrf_client):
    update = post(alice, "Alice only.")
    csrf_client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    assert csrf_client.post(reverse("journey:update_delete", args=[update.pk])).status_code == 403
    update.refresh_from_db()
    assert update.deleted_at is None


def test_undoing_a_take_down_needs_a_login_and_a_csrf_token(alice, client, csrf_client):
    update = post(alice, "Alice only.")
    update_delete(update=update)
    undo = reverse("journey:update_restore", args=[update.pk])
    response = client.post(undo)
    assert response.status_code == 302 and "login" in response["Location"]
    csrf_client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    assert csrf_client.post(undo).status_code == 403
    update.refresh_from_db()
    assert update.deleted_at is not None


# --- What helpers see ----------------------------------------------------------------------


def test_a_supporter_sees_supporter_and_everyone_updates_newest_first(alice, bob, bob_client):
    with time_machine.travel(timezone.now() - timedelta(days=1)):
        post(alice, "FOR-SUPPORTERS", audience="supporters")
    post(alice, "FOR-EVERYONE", audience="everyone")
    post(alice, "INNER-ONLY", audience="inner")
    post(alice, "A-FEELING", kind="feelings", audience="inner")
    page = helper_page(bob_client)
    assert page.index("FOR-EVERYONE") < page.index("FOR-SUPPORTERS")
    assert "INNER-ONLY" not in page and "A-FEELING" not in page


def test_a_feelings_post_from_the_composer_never_reaches_a_supporter(
    alice, alice_client, bob, bob_client
):
    alice_client.post(NEW, {"kind": "feelings", "text": "COMPOSED-FEELING"})
    assert "COMPOSED-FEELING" not in helper_page(bob_client)


def test_a_network_helper_sees_only_updates_for_everyone(alice):
    nina = helper(alice, "Nina Ortiz", "nina@example.org", "network")
    post(alice, "FOR-EVERYONE", audience="everyone")
    post(alice, "FOR-SUPPORTERS", audience="supporters")
    post(alice, "INNER-ONLY", audience="inner")
    page = helper_page(nina.client)
    assert "FOR-EVERYONE" in page
    assert "FOR-SUPPORTERS" not in page and "INNER-ONLY" not in page
    assert "shares updates with a smaller group" in page


def test_the_inner_circle_sees_every_audience(alice):
    ines = helper(alice, "Ines Varga", "ines@example.org", "inner")
    for audience in ("inner", "supporters", "everyone"):
        post(alice, f"AUDIENCE-{audience}", audience=audience)
    page = helper_page(ines.client)
    assert all(f"AUDIENCE-{a}" in page for a in ("inner", "supporters", "everyone"))


def test_a_helper_sees_a_kind_empty_state(bob_client):
    assert "No updates yet." in helper_page(bob_client)


def test_updates_visible_to_is_the_rule_for_the_digest_too(alice, charlie, bob):
    post(alice, "old", audience="supporters")
    cutoff = timezone.now()
    with time_machine.travel(cutoff + timedelta(minutes=5)):
        new = post(alice, "new", audience="everyone")
    post(alice, "inner", audience="inner")
    post(charlie, "charlie's", audience="everyone")
    assert list(updates_visible_to(bob.member, since=cutoff)) == [new]
    bob.member.left_at = timezone.now()
    assert list(updates_visible_to(bob.member)) == []


def test_a_helper_of_alice_never_sees_charlies_updates_even_with_the_same_email(
    alice, charlie, bob, bob_client
):
    charlies_bob = helper(charlie, "Bob Lindqvist", "bob@example.org", "inner")
    post(alice, "ALICE-SHARED", audience="everyone")
    post(charlie, "CHARLIE-SHARED", audience="everyone")
    post(charlie, "CHARLIE-INNER", audience="inner")
    alice_side = helper_page(bob_client)
    assert "ALICE-SHARED" in alice_side
    assert "CHARLIE-SHARED" not in alice_side and "CHARLIE-INNER" not in alice_side
    charlie_side = helper_page(charlies_bob.client)
    assert "CHARLIE-SHARED" in charlie_side and "ALICE-SHARED" not in charlie_side


def test_no_private_marker_reaches_a_supporters_helper_page(alice, charlie, bob, bob_client):
    carol = helper(alice, "Carol Nakamura", "carol@example.org", "inner")
    opportunity = Opportunity.objects.create(
        owner=alice,
        company="MARKER-OPP-COMPANY",
        role="MARKER-OPP-ROLE",
        notes="MARKER-OPP-NOTES",
        link="https://example.org/MARKER-OPP-LINK",
    )
    shared = post(alice, "Shared progress.", audience="supporters", opportunity=opportunity)
    post(alice, "MARKER-INNER-TEXT", audience="inner")
    post(alice, "MARKER-FEELINGS-TEXT", kind="feelings", audience="inner")
    post(alice, "MARKER-REJECTION-INNER", kind="rejection", audience="inner")
    gone = post(alice, "MARKER-DELETED-TEXT", audience="everyone")
    alice_client = Client()
    alice_client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    alice_client.post(reverse("journey:update_delete", args=[gone.pk]))
    reply(carol.client, shared, kind="encouragement", text="MARKER-CAROL-REPLY")
    reply(carol.client, shared, kind="offer", text="MARKER-CAROL-OFFER")
    post(charlie, "MARKER-CHARLIE-TEXT", audience="everyone")
    person_create(owner=alice, fields={"name": "MARKER-PRIVATE-PERSON", "notes": "MARKER-NOTE"})
    page = helper_page(bob_client)
    assert "Shared progress." in page
    markers = [
        "MARKER-OPP-COMPANY",
        "MARKER-OPP-ROLE",
        "MARKER-OPP-NOTES",
        "MARKER-OPP-LINK",
        "MARKER-INNER-TEXT",
        "MARKER-FEELINGS-TEXT",
        "MARKER-REJECTION-INNER",
        "MARKER-DELETED-TEXT",
        "MARKER-CAROL-REPLY",
        "MARKER-CAROL-OFFER",
        "MARKER-CHARLIE-TEXT",
        "MARKER-PRIVATE-PERSON",
        "MARKER-NOTE",
        "Carol Nakamura",
        "alice@example.org",
    ]
    assert [m for m in markers if m in page] == []


# --- Helpers reply -------------------------------------------------------------------------


def test_a_helper_sends_a_warm_reaction_in_one_tap(alice, bob, bob_client):
    update = post(alice, "Got a callback!", kind="win")
    response = reply(bob_client, update, kind="encouragement", reaction="proud")
    assert response.status_code == 302
    assert response["Location"] == reverse("circle:helper_home") + f"#update-{update.pk}"
    saved = Reply.objects.get()
    assert (saved.update, saved.member, saved.kind, saved.reaction) == (
        update,
        bob.member,
        "encouragement",
        "proud",
    )
    page = helper_page(bob_client)
    assert "Sent. Alice will see it" in page
    assert (
        'value="proud" class="button button--secondary reaction reaction--sent">Proud of you<span class="visually-hidden"> (sent)</span>'
        in page
    )


def test_the_same_reaction_twice_is_one_reply(alice, bob, bob_client):
    update = post(alice, "Got a callback!", kind="win")
    reply(bob_client, update, kind="encouragement", reaction="heart")
    second = reply(bob_client, update, kind="encouragement", reaction="heart")
    assert second.status_code == 302
    assert Reply.objects.count() == 1
    assert "already has that from you" in bob_client.get(second["Location"]).content.decode()


def test_a_helper_sends_a_message_and_an_offer(alice, bob, bob_client):
    update = post(alice, "Any ideas for fintech roles?", kind="ideas")
    reply(bob_client, update, kind="encouragement", text="  You'll find it.  ")
    reply(bob_client, update, kind="offer", text="I know someone at Monzo.")
    reply(bob_client, update, kind="offer", text="I know someone at Monzo.")  # double tap
    assert list(Reply.objects.values_list("kind", "text")) == [
        ("encouragement", "You'll find it."),
        ("offer", "I know someone at Monzo."),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"kind": "encouragement", "text": "   "},
            "Write a few words, or tap one of the reactions.",
        ),
        ({"kind": "encouragement", "text": "x" * 501}, "Please keep it under 500 characters"),
        ({"kind": "offer", "text": ""}, "Say what you could help with"),
        ({"kind": "offer", "text": "x" * 2001}, "Please keep it under 2,000 characters"),
        (
            {"kind": "encouragement", "reaction": "thumbs"},
            "Choose one of the reactions on the page.",
        ),
        ({"kind": "gossip", "text": "hi"}, "Choose encouragement or an offer of help."),
        ({}, "Choose encouragement or an offer of help."),
    ],
)
def test_a_bad_reply_gets_a_clear_message_and_saves_nothing(alice, bob, bob_client, data, message):
    update = post(alice, "Update.")
    response = reply(bob_client, update, **data)
    assert response.status_code == 302
    assert message in bob_client.get(response["Location"]).content.decode()
    assert not Reply.objects.exists()


def test_a_supporter_cannot_reply_to_an_inner_update(alice, bob, bob_client):
    update = post(alice, "Inner only.", audience="inner")
    assert reply(bob_client, update, kind="encouragement", reaction="heart").status_code == 404
    assert not Reply.objects.exists()


def test_a_helper_cannot_reply_to_another_seekers_update(charlie, bob, bob_client):
    charlie_update = post(charlie, "Charlie's news.", audience="everyone")
    assert (
        reply(bob_client, charlie_update, kind="encouragement", reaction="heart").status_code == 404
    )
    assert not Reply.objects.exists()


def test_replying_needs_a_helper_session(client, alice_client, alice):
    update = post(alice, "Update.")
    assert reply(client, update, kind="encouragement", reaction="heart").status_code == 403
    # A seeker's login is not a helper session either.
    assert reply(alice_client, update, kind="encouragement", reaction="heart").status_code == 403
    assert not Reply.objects.exists()


def test_replying_is_a_post(alice, bob, bob_client):
    update = post(alice, "Update.")
    assert bob_client.get(reverse("journey:update_reply", args=[update.pk])).status_code == 405


def test_replying_needs_a_csrf_token(alice, bob, csrf_client):
    update = post(alice, "Update.")
    csrf_client.get(f"/h/{bob.token}/")
    token = csrf_client.cookies[django_settings.CSRF_COOKIE_NAME].value
    assert csrf_client.post(f"/h/{bob.token}/", {"csrfmiddlewaretoken": token}).status_code == 303
    refused = reply(csrf_client, update, kind="encouragement", reaction="heart")
    assert refused.status_code == 403
    assert not Reply.objects.exists()
    token = csrf_client.cookies[django_settings.CSRF_COOKIE_NAME].value
    accepted = reply(
        csrf_client, update, kind="encouragement", reaction="heart", csrfmiddlewaretoken=token
    )
    assert accepted.status_code == 302
    assert Reply.objects.count() == 1


def test_a_revoked_link_cannot_reply(alice, alice_client, bob, bob_client):
    update = post(alice, "Update.")
    alice_client.post(reverse("circle:revoke", args=[bob.member.pk]))
    assert reply(bob_client, update, kind="encouragement", reaction="heart").status_code == 403
    assert not Reply.objects.exists()


# --- Accepting an offer --------------------------------------------------------------------


@pytest.fixture
def offer(alice, bob, bob_client) -> Reply:
    update = post(alice, "Any ideas for fintech roles?", kind="ideas")
    reply(bob_client, update, kind="offer", text="I can introduce you to my old manager at Monzo.")
    return Reply.objects.get(kind="offer")


def test_the_seeker_sees_an_offer_and_accepts_it_as_an_ask(alice, alice_client, bob, offer):
    page = alice_client.get(reverse("journey:update", args=[offer.update_id])).content.decode()
    assert "Offered to help:" in page and "Accept Bob Lindqvist's offer" in page
    response = alice_client.post(reverse("journey:reply_accept", args=[offer.pk]))
    ask = Ask.objects.get(owner=alice)
    assert response["Location"] == reverse("asks:detail", args=[ask.pk])
    assert (ask.kind, ask.request) == ("other", "I can introduce you to my old manager at Monzo.")
    assert ask.sent_at is not None
    recipient = Recipient.objects.get(ask=ask)
    assert recipient.person == bob.person
    assert recipient.status == Recipient.Status.OFFERED
    assert recipient.answer_message == offer.text
    offer.refresh_from_db()
    assert offer.accepted_at is not None
    ask_page = alice_client.get(response["Location"]).content.decode()
    assert "I can introduce you to my old manager at Monzo." in ask_page
    assert "Yes, I can" in ask_page
    update_page = alice_client.get(
        reverse("journey:update", args=[offer.update_id])
    ).content.decode()
    assert "You accepted this on" in update_page


def test_the_helper_can_open_the_thread_an_accepted_offer_became(alice_client, bob_client, offer):
    alice_client.post(reverse("journey:reply_accept", args=[offer.pk]))
    recipient = Recipient.objects.get()
    response = bob_client.get(reverse("circle:helper_ask", args=[recipient.pk]))
    assert response.status_code == 200
    assert "Monzo" in response.content.decode()


def test_accepting_twice_makes_one_ask_and_lands_on_it(alice, alice_client, offer):
    first = alice_client.post(reverse("journey:reply_accept", args=[offer.pk]))
    second = alice_client.post(reverse("journey:reply_accept", args=[offer.pk]))
    assert Ask.objects.filter(owner=alice).count() == 1
    assert second["Location"] == first["Location"]


def test_encouragement_cannot_be_accepted(alice, alice_client, bob_client):
    update = post(alice, "Update.")
    reply(bob_client, update, kind="encouragement", text="Go!")
    encouragement = Reply.objects.get()
    response = alice_client.post(reverse("journey:reply_accept", args=[encouragement.pk]))
    assert response["Location"] == reverse("journey:update", args=[update.pk])
    assert (
        "Only an offer of help can be accepted."
        in alice_client.get(response["Location"]).content.decode()
    )
    assert not Ask.objects.exists()


def test_an_outsider_cannot_accept_an_offer(charlie_client, offer):
    assert charlie_client.post(reverse("journey:reply_accept", args=[offer.pk])).status_code == 404
    offer.refresh_from_db()
    assert offer.accepted_at is None and not Ask.objects.exists()


def test_accepting_needs_a_post_and_a_csrf_token(alice, alice_client, csrf_client, offer):
    assert alice_client.get(reverse("journey:reply_accept", args=[offer.pk])).status_code == 405
    csrf_client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    assert csrf_client.post(reverse("journey:reply_accept", args=[offer.pk])).status_code == 403
    assert not Ask.objects.exists()


# --- Query counts --------------------------------------------------------------------------


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _fill(alice, helpers: list[SimpleNamespace], n: int) -> None:
    for i in range(n):
        update = post(alice, f"Update number {i}", audience="everyone")
        for h in helpers:
            Reply.objects.create(update=update, member=h.member, reaction="heart")
            Reply.objects.create(update=update, member=h.member, text=f"Go {i}")


def test_the_updates_list_keeps_a_constant_number_of_queries(alice, alice_client, bob, bob_client):
    helpers = [bob, helper(alice, "Carol Nakamura", "carol@example.org", "inner")]
    _fill(alice, helpers, 1)
    few = _queries(alice_client, reverse("journey:updates"))
    _fill(alice, helpers, 49)  # 50 updates, 200 replies
    many = _queries(alice_client, reverse("journey:updates"))
    assert many == few
    # session, user, page count, page of updates, their replies with people, the kind count
    assert many <= 6


def test_the_helper_page_keeps_a_constant_number_of_queries(alice, bob, bob_client):
    helpers = [bob, helper(alice, "Carol Nakamura", "carol@example.org", "inner")]
    _fill(alice, helpers, 1)
    few = _queries(bob_client, reverse("circle:helper_home"))
    _fill(alice, helpers, 49)
    many = _queries(bob_client, reverse("circle:helper_home"))
    assert many == few
    # session, grant (with member, person, seeker), asks, updates, this helper's replies,
    # landing thank-yous (and, for the inner circle only, the latest shared check-in)
    assert many <= 7
