import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from helpwanted.accounts.models import User
from helpwanted.mail.models import OutboxMessage
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def signup(client, **overrides):
    data = {
        "display_name": "Erin Blake",
        "email": "erin@example.org",
        "password": "a long enough sentence",
        "timezone": "Europe/London",
        **overrides,
    }
    return client.post(reverse("accounts:signup"), data)


def test_it_signs_up_a_seeker_with_an_argon2_password_and_logs_them_in(client):
    response = signup(client, email="Erin@Example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    user = User.objects.get(email="erin@example.org")
    assert user.password.startswith("argon2")
    assert user.timezone == "Europe/London"
    home = client.get(reverse("home"))
    assert "Hello, Erin." in home.content.decode()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short pass", "at least 12 characters"),
        ("password1234", "too common"),
        ("123456789012345", "entirely numeric"),
    ],
)
def test_it_refuses_a_weak_password_and_says_why(client, password, message):
    response = signup(client, password=password)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(email="erin@example.org").exists()


def test_it_says_politely_that_an_email_is_taken(client, alice):
    response = signup(client, email="ALICE@example.org")
    body = response.content.decode()
    assert response.status_code == 200
    assert "already an account with this email" in body
    assert User.objects.filter(email__iexact="alice@example.org").count() == 1


def test_it_shows_each_error_next_to_its_field(client):
    response = signup(client, email="not-an-email", display_name="")
    body = response.content.decode()
    assert 'id="id_email_error"' in body
    assert 'id="id_display_name_error"' in body
    assert "There's something to fix" in body


def test_it_logs_in_and_rotates_the_session(client, alice):
    client.get(reverse("accounts:login"))
    client.session["probe"] = 1
    before = client.session.session_key
    response = client.post(
        reverse("accounts:login"), {"username": alice.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session.session_key != before
    assert client.get(reverse("home")).status_code == 200


def test_it_refuses_a_wrong_password_with_a_clear_message(client, alice):
    response = client.post(
        reverse("accounts:login"), {"username": alice.email, "password": "wrong one entirely"}
    )
    assert response.status_code == 200
    assert "don&#x27;t match an account" in response.content.decode()


def test_it_logs_out_only_on_post(alice_client):
    assert alice_client.get(reverse("accounts:logout")).status_code == 405
    response = alice_client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert alice_client.get(reverse("home")).status_code == 302


def test_it_blocks_a_login_brute_force_with_a_429(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": alice.email, "password": "nope x"})
    response = client.post(
        reverse("accounts:login"), {"username": alice.email, "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "paused logins from here for 15 minutes" in response.content.decode()


def test_it_saves_the_profile_and_shows_dates_in_the_seekers_timezone(alice_client, alice):
    response = alice_client.post(
        reverse("accounts:profile"), {"display_name": "Alice M", "timezone": "Asia/Tokyo"}
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.display_name, alice.timezone) == ("Alice M", "Asia/Tokyo")
    with time_machine.travel("2026-03-01 23:30:00+00:00", tick=False):
        OutboxMessage.objects.create(
            key="probe", kind="probe", to_email="x@example.org", subject="Probe", body_text="x"
        )
    # The outbox page is dev-only; it renders dates in the viewer's timezone like every page.
    from django.test import override_settings

    with override_settings(DEMO=True):
        page = alice_client.get(reverse("mail:outbox")).content.decode()
    assert "2 Mar 2026, 08:30" in page


def test_it_refuses_an_unknown_timezone(alice_client, alice):
    response = alice_client.post(
        reverse("accounts:profile"), {"display_name": "Alice", "timezone": "Mars/Olympus"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    alice.refresh_from_db()
    assert alice.timezone == "Europe/Paris"


def test_it_changes_the_password(alice_client, alice):
    response = alice_client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another long sentence",
            "new_password2": "another long sentence",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("another long sentence")


def reset_link(message: OutboxMessage) -> str:
    match = re.search(r"https?://[^/\s]+(/account/reset/[^\s]+/)", message.body_text)
    assert match, message.body_text
    return match.group(1)


def test_it_resets_a_password_through_an_outbox_email(client, alice):
    response = client.post(reverse("accounts:password_reset"), {"email": alice.email})
    assert response.status_code == 302
    message = OutboxMessage.objects.get(kind="password-reset")
    assert message.to_email == alice.email
    assert "one hour" in message.body_text
    assert message.body_html
    form_page = client.get(reset_link(message), follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a brand new sentence", "new_password2": "a brand new sentence"},
    )
    assert done.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("a brand new sentence")


def test_a_reset_for_an_unknown_email_looks_the_same_and_sends_nothing(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert not OutboxMessage.objects.exists()


def test_a_reset_link_stops_working_after_an_hour(client, alice):
    client.post(reverse("accounts:password_reset"), {"email": alice.email})
    link = reset_link(OutboxMessage.objects.get(kind="password-reset"))
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        page = client.get(link, follow=True).content.decode()
    assert "This link has expired" in page


def test_the_reset_timeout_is_at_most_an_hour(settings):
    assert settings.PASSWORD_RESET_TIMEOUT <= 3600


# Issue 10: log in with the email in any case; sign-up keeps one spelling per address.


def test_it_logs_in_whatever_the_case_of_the_email(client, alice):
    response = client.post(
        reverse("accounts:login"), {"username": "  Alice@Example.ORG ", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).wsgi_request.user == alice


def test_it_stores_a_new_email_lowercased_and_refuses_one_differing_only_in_case(client, alice):
    response = signup(client, email="Erin.Blake@Example.org")
    assert response.status_code == 302
    assert User.objects.filter(email="erin.blake@example.org").exists()
    client.post(reverse("accounts:logout"))
    again = signup(client, email="ERIN.BLAKE@example.org")
    assert "already an account with this email" in again.content.decode()
    assert User.objects.filter(email__iexact="erin.blake@example.org").count() == 1


def test_lockouts_count_every_spelling_of_one_email_together(client, alice, settings):
    spellings = [
        "Alice@example.org",
        "ALICE@EXAMPLE.ORG",
        " alice@Example.org",
        "aLiCe@example.org",
    ]
    for spelling in (spellings * 2)[: settings.AXES_FAILURE_LIMIT]:
        client.post(reverse("accounts:login"), {"username": spelling, "password": "nope x"})
    response = client.post(
        reverse("accounts:login"), {"username": "alice@example.org", "password": PASSWORD}
    )
    assert response.status_code == 429


# Issue 10: Delete my account.


def user_rows(user_pk: int) -> dict[str, int]:
    """Every row in every table that points straight at this user."""
    from django.apps import apps

    counts = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.concrete and field.is_relation and field.related_model is User:
                label = f"{model._meta.label}.{field.name}"
                counts[label] = model._default_manager.filter(**{field.name: user_pk}).count()
    return counts


@pytest.fixture
def maya(db):
    from helpwanted.demo.seed import demo_seed

    return demo_seed()


def test_the_profile_page_leads_to_deletion_which_offers_the_export_first(alice_client):
    profile = alice_client.get(reverse("accounts:profile")).content.decode()
    assert f'href="{reverse("elsewhere:delete_account")}"' in profile
    page = alice_client.get(reverse("elsewhere:delete_account")).content.decode()
    assert f'href="{reverse("elsewhere:export")}?format=json"' in page
    assert page.index("Take a copy first") < page.index('type="password"')


def test_deleting_an_account_removes_every_row_that_points_at_the_seeker(maya, charlie):
    from django.test import Client

    from helpwanted.circle.models import CircleMember, HelperGrant
    from helpwanted.network.models import Person

    before = user_rows(maya.pk)
    assert sum(1 for n in before.values() if n) >= 8, before  # the demo touches most tables
    assert HelperGrant.objects.filter(member__owner=maya).exists()
    charlie_person = Person.objects.create(owner=charlie, name="Ines Duarte")
    client = Client()
    client.force_login(maya, backend="django.contrib.auth.backends.ModelBackend")

    response = client.post(reverse("elsewhere:delete_account"), {"password": "not-alone-2026"})

    assert response.status_code == 302
    assert response["Location"] == reverse("elsewhere:goodbye")
    assert not User.objects.filter(pk=maya.pk).exists()
    assert {label: n for label, n in user_rows(maya.pk).items() if n} == {}
    assert not CircleMember.objects.filter(person__owner_id=maya.pk).exists()
    assert not HelperGrant.objects.exists()
    assert Person.objects.filter(pk=charlie_person.pk).exists()
    goodbye = client.get(response["Location"])
    assert "Your account is deleted" in goodbye.content.decode()
    assert client.get(reverse("home")).status_code == 302  # logged out


def test_a_wrong_password_keeps_everything(alice_client, alice, bob):
    before = user_rows(alice.pk)
    response = alice_client.post(
        reverse("elsewhere:delete_account"), {"password": "not my password"}
    )
    assert response.status_code == 200
    assert "Nothing has been deleted" in response.content.decode()
    assert User.objects.filter(pk=alice.pk).exists()
    assert user_rows(alice.pk) == before
    assert alice_client.get(reverse("home")).status_code == 200


def test_a_helpers_link_and_session_stop_working_once_the_seeker_is_gone(
    alice_client, bob, bob_client
):
    from django.test import Client

    assert bob_client.get(reverse("circle:helper_home")).status_code == 200
    alice_client.post(reverse("elsewhere:delete_account"), {"password": PASSWORD})
    assert bob_client.get(reverse("circle:helper_home")).status_code in {403, 404}
    assert Client().get(f"/h/{bob.token}/").status_code in {403, 404}
    assert Client().post(f"/h/{bob.token}/").status_code in {403, 404}


def test_the_delete_page_needs_a_login_and_the_goodbye_page_is_only_for_the_departed(
    client, alice_client
):
    response = client.get(reverse("elsewhere:delete_account"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert (
        client.post(reverse("elsewhere:delete_account"), {"password": PASSWORD}).status_code == 302
    )
    assert User.objects.filter(email="alice@example.org").exists()
    assert client.get(reverse("elsewhere:goodbye"))["Location"] == reverse("landing")
    assert alice_client.get(reverse("elsewhere:goodbye"))["Location"] == reverse("landing")
