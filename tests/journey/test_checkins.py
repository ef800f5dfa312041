"""Check-ins: one a day, private by default, gently shared with the inner circle, a kind reminder."""

import datetime as dt
import re

import pytest
import time_machine
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from helpwanted.circle.actions import circle_add
from helpwanted.journey.checkins import (
    CheckInError,
    checkin_reminders_send,
    checkin_save,
    checkin_summary_for_helper,
    reminder_off_value,
)
from helpwanted.journey.models import CheckIn, Search
from helpwanted.mail.models import OutboxMessage
from helpwanted.mail.tick import run_tick
from helpwanted.network.actions import person_create

pytestmark = pytest.mark.django_db
UTC = dt.UTC
URL = "/journey/checkins/"
REMINDER_URL = "/journey/checkins/reminder/"
# Monday 10 March 2025 is in ISO week 11. Paris is UTC+1 then.
MONDAY = dt.date(2025, 3, 10)


def post(client, **overrides):
    data = {"hope": "3", "energy": "2", "confidence": "4", "note": "", **overrides}
    return client.post(URL, {k: v for k, v in data.items() if v is not None})


def save(owner, day, hope=3, energy=3, confidence=3, **kwargs):
    return checkin_save(
        owner=owner, day=day, hope=hope, energy=energy, confidence=confidence, **kwargs
    )[0]


@pytest.fixture
def nina(alice):
    """alice's sister, in her inner circle."""
    person = person_create(
        owner=alice, fields={"name": "Nina Moreau", "emails": ["nina@example.org"]}
    )
    return circle_add(person=person, audience="inner")


def test_the_urls_are_named_in_the_journey_namespace():
    assert reverse("journey:checkins") == URL
    assert reverse("journey:checkin_reminder") == REMINDER_URL


# --- Checking in ----------------------------------------------------------------------------


def test_a_check_in_is_saved_for_today_and_private_by_default(alice_client, alice):
    response = post(alice_client, note="Tired but ok")
    assert response.status_code == 302 and response["Location"] == URL
    checkin = CheckIn.objects.get(owner=alice)
    assert (checkin.hope, checkin.energy, checkin.confidence) == (3, 2, 4)
    assert checkin.day == timezone.localdate(timezone=alice.zoneinfo)
    assert checkin.note == "Tired but ok"
    assert checkin.shared is False and checkin.share_note is False
    page = alice_client.get(URL).content.decode()
    assert "Thanks for checking in." in page


def test_a_second_check_in_the_same_day_edits_the_first_and_says_so(alice_client, alice):
    post(alice_client, hope="2")
    page = alice_client.get(URL).content.decode()
    assert "You've already checked in today. Saving again updates today's check-in" in page
    assert "Update today's check-in" in page
    assert 'value="2" name="hope"' in page or 'name="hope" value="2"' in page  # prefilled

    response = post(alice_client, hope="5", shared="on")
    assert response.status_code == 302
    assert CheckIn.objects.filter(owner=alice).count() == 1
    checkin = CheckIn.objects.get(owner=alice)
    assert checkin.hope == 5 and checkin.shared is True
    assert "Today&#x27;s check-in is updated." in alice_client.get(URL).content.decode()


def test_the_day_is_the_seekers_own_day(alice_client, alice):
    # 23:30 UTC on Monday is already 00:30 on Tuesday in Paris.
    with time_machine.travel(dt.datetime(2025, 3, 10, 23, 30, tzinfo=UTC), tick=False):
        post(alice_client)
    with time_machine.travel(dt.datetime(2025, 3, 11, 9, 0, tzinfo=UTC), tick=False):
        post(alice_client, hope="4")
    assert list(CheckIn.objects.filter(owner=alice).values_list("day", "hope")) == [
        (dt.date(2025, 3, 11), 4)
    ]


@pytest.mark.parametrize("bad", ["0", "6", "x", "", "3.5", "-1"])
@pytest.mark.parametrize("field", ["hope", "energy", "confidence"])
def test_out_of_range_scores_get_a_clear_message_and_nothing_is_saved(
    alice_client, alice, field, bad
):
    response = post(alice_client, **{field: bad})
    assert response.status_code == 200
    body = response.content.decode()
    assert "There's something to fix" in body
    assert f"Choose a number from 1 to 5 for {field}." in body
    assert not CheckIn.objects.filter(owner=alice).exists()


def test_a_bad_value_never_overwrites_the_saved_check_in(alice_client, alice):
    post(alice_client, hope="4")
    post(alice_client, hope="9", energy="5")
    checkin = CheckIn.objects.get(owner=alice)
    assert (checkin.hope, checkin.energy) == (4, 2)


@pytest.mark.parametrize("bad", [0, 6, "3", None, True])
def test_the_action_refuses_out_of_range_scores_too(alice, bad):
    with pytest.raises(CheckInError, match="from 1 to 5 for energy"):
        checkin_save(owner=alice, day=MONDAY, hope=3, energy=bad, confidence=3)
    assert not CheckIn.objects.exists()


def test_a_note_is_only_shared_with_a_shared_check_in(alice_client, alice):
    post(alice_client, note="Rough week", share_note="on")
    checkin = CheckIn.objects.get(owner=alice)
    assert checkin.shared is False and checkin.share_note is False


def test_a_too_long_note_is_refused_kindly(alice_client, alice):
    body = post(alice_client, note="x" * 2001).content.decode()
    assert "Please keep your note under 2,000 characters." in body
    assert not CheckIn.objects.exists()


# --- The trend ------------------------------------------------------------------------------


def test_an_empty_trend_teaches_the_next_step(alice_client):
    body = alice_client.get(URL).content.decode()
    assert "Your trend will appear here after your first check-in." in body
    assert '<svg class="chart"' not in body
    for unkind in ("missed", "streak", "behind", "you haven"):
        assert unkind not in body.lower()


def chart_numbers(body: str) -> set[tuple[str, str, str]]:
    svg = body[
        body.index('<svg class="chart"') : body.index("</svg>", body.index('<svg class="chart"'))
    ]
    return set(re.findall(r"<title>(\w+), week of ([^:]+): ([\d.]+)</title>", svg))


def table_numbers(body: str) -> set[tuple[str, str, str]]:
    table = body[body.index("<table>") : body.index("</table>")]
    out = set()
    for week, *cells in re.findall(
        r'<th scope="row">([^<]+)</th>\s*<td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td>', table
    ):
        for name, value in zip(("Hope", "Energy", "Confidence"), cells, strict=True):
            if value != "–":
                out.add((name, week, value))
    return out


def test_the_trend_is_an_accessible_svg_with_a_table_of_the_same_numbers(alice_client, alice):
    with time_machine.travel(dt.datetime(2025, 3, 26, 10, 0, tzinfo=UTC), tick=False):
        save(alice, dt.date(2025, 3, 3), hope=2, energy=1, confidence=2)
        save(alice, dt.date(2025, 3, 5), hope=3, energy=2, confidence=2)
        # the week of 10 March is a gap
        save(alice, dt.date(2025, 3, 17), hope=4, energy=3, confidence=3)
        save(alice, dt.date(2025, 3, 25), hope=5, energy=4, confidence=4)
        save(alice, dt.date(2024, 12, 1), hope=1, energy=1, confidence=1)  # older than 12 weeks
        body = alice_client.get(URL).content.decode()

    assert 'role="img"' in body
    assert 'aria-labelledby="checkin-trend-title checkin-trend-desc"' in body
    assert (
        '<title id="checkin-trend-title">Hope, energy and confidence over the last 12 weeks</title>'
        in body
    )
    assert (
        '<desc id="checkin-trend-desc">Weekly averages out of 5, from the week of 3 Mar to the '
        "week of 24 Mar: hope from 2.5 to 5.0, energy from 1.5 to 4.0, confidence from 2.0 to 4.0."
        "</desc>"
    ) in body
    assert "<details" in body and "Weekly averages of your check-ins, out of 5</caption>" in body
    assert 'stroke-dasharray="10 6"' in body and 'stroke-dasharray="2 5"' in body
    assert "style=" not in body[body.index("<main") :]

    expected = {
        ("Hope", "3 Mar", "2.5"), ("Energy", "3 Mar", "1.5"), ("Confidence", "3 Mar", "2.0"),
        ("Hope", "17 Mar", "4.0"), ("Energy", "17 Mar", "3.0"), ("Confidence", "17 Mar", "3.0"),
        ("Hope", "24 Mar", "5.0"), ("Energy", "24 Mar", "4.0"), ("Confidence", "24 Mar", "4.0"),
    }  # fmt: skip
    assert chart_numbers(body) == expected
    assert table_numbers(body) == expected
    # The gap week is a row of dashes, and the hope line breaks there rather than bridging it.
    assert re.search(r'<th scope="row">10 Mar</th>\s*<td>–</td><td>–</td><td>–</td>', body)
    hope = body[body.index("chart__line--hope") : body.index("chart__line--energy")]
    assert hope.count("<path d=") == 1  # 17 and 24 Mar joined; 3 Mar stands alone


def test_the_trend_description_names_a_single_week(alice_client, alice):
    save(alice, timezone.localdate(timezone=alice.zoneinfo), hope=4, energy=2, confidence=3)
    body = alice_client.get(URL).content.decode()
    assert "One week with check-ins" in body and "hope 4.0, energy 2.0, confidence 3.0" in body


def test_the_page_query_count_does_not_grow_with_twelve_weeks_of_data(
    alice_client, alice, django_assert_max_num_queries
):
    today = timezone.localdate(timezone=alice.zoneinfo)
    for i in range(84):
        save(alice, today - dt.timedelta(days=i), hope=1 + i % 5, energy=2, confidence=3)
    Search.objects.create(owner=alice, reminder_enabled=True)
    with django_assert_max_num_queries(5):  # session, user, today's check-in, reminder, trend
        response = alice_client.get(URL)
    assert response.status_code == 200
    assert len(table_numbers(response.content.decode())) == 36  # 12 weeks × 3 scores


# --- Reminder settings ----------------------------------------------------------------------


def test_reminder_settings_are_saved_in_the_seekers_timezone(alice_client, alice):
    body = alice_client.get(URL).content.decode()
    assert "In your timezone, Europe/Paris." in body
    response = alice_client.post(
        REMINDER_URL,
        {"reminder_enabled": "on", "reminder_weekday": "2", "reminder_hour": "18"},
        follow=True,
    )
    assert (
        "We&#x27;ll send you a gentle reminder on Wednesdays at 18:00." in response.content.decode()
    )
    search = Search.objects.get(owner=alice)
    assert (search.reminder_enabled, search.reminder_weekday, search.reminder_hour) == (True, 2, 18)

    alice_client.post(REMINDER_URL, {"reminder_weekday": "2", "reminder_hour": "18"})
    search.refresh_from_db()
    assert search.reminder_enabled is False


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reminder_weekday": "7", "reminder_hour": "9"}, "Choose a day of the week."),
        ({"reminder_weekday": "0", "reminder_hour": "24"}, "Choose an hour from 00:00 to 23:00."),
        ({"reminder_weekday": "x", "reminder_hour": "9"}, "Choose a day of the week."),
    ],
)
def test_bad_reminder_settings_say_what_to_fix(alice_client, alice, data, message):
    response = alice_client.post(REMINDER_URL, {"reminder_enabled": "on", **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Search.objects.filter(owner=alice).exists()


# --- The weekly reminder --------------------------------------------------------------------


@pytest.fixture
def wednesday_evenings(alice):
    """alice asked for a reminder on Wednesdays at 18:00, Paris time (17:00 UTC in March)."""
    return Search.objects.create(
        owner=alice, reminder_enabled=True, reminder_weekday=2, reminder_hour=18
    )


def at(*args):
    return time_machine.travel(dt.datetime(*args, tzinfo=UTC), tick=False)


def reminders():
    return list(OutboxMessage.objects.filter(kind="checkin-reminder").order_by("id"))


def test_the_reminder_fires_once_a_week_at_the_chosen_time_in_her_timezone(
    alice, wednesday_evenings
):
    with at(2025, 3, 12, 16, 59):  # 17:59 in Paris: not yet
        assert checkin_reminders_send() == 0
    with at(2025, 3, 12, 17, 0):  # 18:00 in Paris
        assert checkin_reminders_send() == 1
        assert checkin_reminders_send() == 0  # a second tick sends nothing
    with at(2025, 3, 14, 8, 0):  # later that week
        assert run_tick()["checkin_reminders_send"] == 0
    (message,) = reminders()
    assert message.key == f"checkin-reminder:{alice.pk}:2025-W11"
    assert message.to_email == "alice@example.org" and message.user == alice

    with at(2025, 3, 19, 17, 5):  # the next Wednesday
        assert checkin_reminders_send() == 1
    assert [m.key for m in reminders()][-1] == f"checkin-reminder:{alice.pk}:2025-W12"


def test_the_reminder_is_late_rather_than_never_when_the_worker_was_down(alice, wednesday_evenings):
    with at(2025, 3, 15, 10, 0):  # Saturday, the tick missed Wednesday
        assert checkin_reminders_send() == 1


def test_the_reminder_follows_each_seekers_own_timezone(alice, charlie, wednesday_evenings):
    charlie.timezone = "America/New_York"
    charlie.save(update_fields=["timezone"])
    Search.objects.create(
        owner=charlie, reminder_enabled=True, reminder_weekday=2, reminder_hour=18
    )
    with at(2025, 3, 12, 17, 30):  # 18:30 in Paris, 13:30 in New York
        checkin_reminders_send()
    assert [m.to_email for m in reminders()] == ["alice@example.org"]
    with at(2025, 3, 12, 22, 0):  # 18:00 in New York (EDT, UTC-4)
        checkin_reminders_send()
    assert [m.to_email for m in reminders()] == ["alice@example.org", "charlie@example.org"]


def test_no_reminder_when_she_already_checked_in_that_week(alice, wednesday_evenings):
    save(alice, MONDAY)
    with at(2025, 3, 12, 18, 0):
        assert checkin_reminders_send() == 0
    assert reminders() == []


def test_last_weeks_check_in_does_not_count_for_this_week(alice, wednesday_evenings):
    save(alice, MONDAY - dt.timedelta(days=1))  # Sunday of the week before
    with at(2025, 3, 12, 18, 0):
        assert checkin_reminders_send() == 1


def test_no_reminder_after_she_landed_or_turned_it_off(alice, charlie, wednesday_evenings):
    wednesday_evenings.landed_at = dt.datetime(2025, 3, 1, tzinfo=UTC)
    wednesday_evenings.save(update_fields=["landed_at"])
    Search.objects.create(owner=charlie, reminder_enabled=False, reminder_weekday=0)
    with at(2025, 3, 12, 18, 0):
        assert checkin_reminders_send() == 0
    assert reminders() == []


def test_the_reminder_is_kind_and_has_a_one_click_way_out(
    client, csrf_client, alice, wednesday_evenings
):
    with at(2025, 3, 12, 18, 0):
        checkin_reminders_send()
    (message,) = reminders()
    assert message.subject == "A minute to check in?"
    for part in (message.body_text, message.body_html):
        assert "How are you doing this week? A minute to check in." in part
        assert "http://" in part or "https://" in part
        for unkind in ("missed", "streak", "behind", "haven't", "forgot"):
            assert unkind not in part.lower()
    assert "Hi Alice," in message.body_text
    assert URL in message.body_text
    assert message.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    off_url = message.headers["List-Unsubscribe"].strip("<>")
    off_path = off_url[off_url.index("/journey/") :]

    assert client.get(off_path).status_code == 200  # a GET only asks (mail scanners follow links)
    wednesday_evenings.refresh_from_db()
    assert wednesday_evenings.reminder_enabled is True
    response = csrf_client.post(off_path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "Reminders are off" in response.content.decode()
    wednesday_evenings.refresh_from_db()
    assert wednesday_evenings.reminder_enabled is False
    assert csrf_client.post(off_path).status_code == 200  # twice is fine


def test_a_forged_reminder_off_link_changes_nothing(client, alice, wednesday_evenings):
    value = reminder_off_value(alice)
    response = client.post(f"/journey/checkins/reminder/off/{value[:-2]}xx/")
    assert response.status_code == 404
    wednesday_evenings.refresh_from_db()
    assert wednesday_evenings.reminder_enabled is True


# --- Sharing with the inner circle ----------------------------------------------------------


def test_a_supporter_never_sees_a_check_in_even_a_shared_one(alice, bob):
    save(alice, MONDAY, hope=5, note="MARKER-NOTE", shared=True, share_note=True)
    assert bob.member.audience == "supporters"
    assert checkin_summary_for_helper(bob.member) is None
    html = render_to_string(
        "journey/helper/_checkins.html",
        {"checkin_summary": checkin_summary_for_helper(bob.member), "seeker": alice},
    )
    assert html.strip() == ""


def test_the_inner_circle_sees_nothing_of_a_private_check_in(alice, nina):
    save(alice, MONDAY, hope=1, note="MARKER-PRIVATE")
    assert checkin_summary_for_helper(nina) is None


def test_the_inner_circle_sees_a_gentle_summary_of_the_latest_shared_check_in(alice, nina):
    save(alice, MONDAY, hope=5, energy=2, confidence=3, shared=True, note="MARKER-UNSHARED-NOTE")
    save(
        alice, MONDAY + dt.timedelta(days=1), hope=1, energy=1, confidence=1, note="MARKER-PRIVATE"
    )
    with at(2025, 3, 12, 12, 0):
        summary = checkin_summary_for_helper(nina)
    assert summary is not None
    assert summary["text"] == "Feeling hopeful, energy is low and confidence is steady this week."
    assert summary["day"] == MONDAY
    assert summary["note"] == ""
    html = render_to_string(
        "journey/helper/_checkins.html", {"checkin_summary": summary, "seeker": alice}
    )
    assert "How Alice is feeling" in html and "Feeling hopeful, energy is low" in html
    assert "MARKER" not in html
    for number in ("5", "2", "3"):
        assert f">{number}<" not in html  # words, never scores


def test_the_note_is_shared_only_when_she_included_it(alice, nina):
    save(
        alice,
        MONDAY,
        hope=3,
        energy=3,
        confidence=4,
        note="MARKER-SHARED-NOTE",
        shared=True,
        share_note=True,
    )
    with at(2025, 3, 20, 12, 0):
        summary = checkin_summary_for_helper(nina)
    assert summary["note"] == "MARKER-SHARED-NOTE"
    assert summary["when"] == "last week"
    html = render_to_string(
        "journey/helper/_checkins.html", {"checkin_summary": summary, "seeker": alice}
    )
    assert "MARKER-SHARED-NOTE" in html


def test_a_helper_who_left_or_another_seekers_check_ins_show_nothing(alice, charlie, nina):
    save(charlie, MONDAY, hope=5, shared=True)  # charlie's check-ins are never alice's
    assert checkin_summary_for_helper(nina) is None
    save(alice, MONDAY, hope=5, shared=True)
    nina.left_at = timezone.now()
    nina.save(update_fields=["left_at"])
    assert checkin_summary_for_helper(nina) is None


# --- Access ---------------------------------------------------------------------------------


def test_an_outsider_sees_and_changes_none_of_alices_check_ins(alice, charlie_client, charlie):
    save(alice, timezone.localdate(timezone=alice.zoneinfo), hope=1, note="MARKER-ALICE")
    Search.objects.create(owner=alice, reminder_enabled=True, reminder_weekday=4, reminder_hour=7)
    body = charlie_client.get(URL).content.decode()
    assert "MARKER-ALICE" not in body and "already checked in today" not in body
    assert "Your trend will appear here after your first check-in." in body
    post(charlie_client, hope="5")
    charlie_client.post(REMINDER_URL, {"reminder_weekday": "0", "reminder_hour": "9"})
    alices = CheckIn.objects.get(owner=alice)
    assert alices.hope == 1 and alices.note == "MARKER-ALICE"
    assert CheckIn.objects.get(owner=charlie).hope == 5
    assert Search.objects.get(owner=alice).reminder_enabled is True


@pytest.mark.parametrize("path", [URL, REMINDER_URL])
def test_anonymous_visitors_and_helpers_are_sent_to_log_in(client, bob_client, path):
    for visitor in (client, bob_client):
        response = visitor.post(path, {"hope": "3", "energy": "3", "confidence": "3"})
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.get(URL).status_code == 302
    assert not CheckIn.objects.exists() and not Search.objects.exists()


def test_the_reminder_settings_only_accept_posts(alice_client):
    assert alice_client.get(REMINDER_URL).status_code == 405


def test_posts_without_a_csrf_token_are_refused(csrf_client, alice):
    csrf_client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    assert post(csrf_client).status_code == 403
    response = csrf_client.post(
        REMINDER_URL, {"reminder_enabled": "on", "reminder_weekday": "0", "reminder_hour": "9"}
    )
    assert response.status_code == 403
    assert not CheckIn.objects.exists() and not Search.objects.exists()
