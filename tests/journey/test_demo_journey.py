"""The demo's journey: three months of Maya's search, readable without any setup."""

import re
from collections import Counter
from datetime import datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from helpwanted.circle.models import CircleMember, HelperGrant
from helpwanted.circle.news import news_key
from helpwanted.demo.seed import TZ, demo_seed
from helpwanted.journey.checkins import checkin_trend
from helpwanted.journey.digest import digests_enqueue
from helpwanted.journey.models import (
    VISIBLE_TO,
    CheckIn,
    Helper,
    Opportunity,
    Reply,
    Search,
    Stage,
    StageChange,
    Update,
    UpdateKind,
)
from helpwanted.mail.models import OutboxMessage

pytestmark = pytest.mark.django_db
INNER = ("Daniel Okafor", "Grace Okafor", "Ifeoma Okafor", "Hannah Whitlock")


@pytest.fixture
def maya():
    return demo_seed()


def digest_to(maya, name: str) -> OutboxMessage:
    person = CircleMember.objects.get(owner=maya, person__name=name).person
    return OutboxMessage.objects.get(kind="digest", to_email=person.emails[0])


def test_fifteen_applications_cover_every_stage_at_many_companies(maya):
    opportunities = list(Opportunity.objects.filter(owner=maya))

    assert 12 <= len(opportunities) <= 16
    assert {o.stage for o in opportunities} == set(Stage.values)
    companies = Counter(o.company for o in opportunities)
    assert {"Lumen Labs", "Brightwell Energy", "Northwind Health"} <= set(companies)
    assert len(companies) >= 12
    lumen = next(o for o in opportunities if o.company == "Lumen Labs")
    assert lumen.target is not None and lumen.target.company == "Lumen Labs"
    assert lumen.stage == Stage.INTERVIEWING


def test_some_were_referred_by_her_people_and_some_had_helpers(maya):
    referred = Opportunity.objects.filter(owner=maya, referred_by__isnull=False)
    helped = Opportunity.objects.filter(owner=maya, helpers__isnull=False).distinct()

    assert referred.count() >= 2
    assert all(o.source == "referral" and o.referred_by.owner == maya for o in referred)
    assert "Tom Reyes" in {o.referred_by.name for o in referred}
    assert helped.count() >= 3
    lumen = Opportunity.objects.get(owner=maya, company="Lumen Labs")
    assert {"Ruth Adeyemi", "Tom Reyes"} <= {p.name for p in lumen.helpers.all()}


def test_each_stage_history_is_dated_in_order_over_three_months(maya):
    now = timezone.now()
    for opportunity in Opportunity.objects.filter(owner=maya):
        history = list(opportunity.history.all())
        times = [change.at for change in history]
        assert history[0].from_stage == "", opportunity
        assert [c.from_stage for c in history[1:]] == [c.to_stage for c in history[:-1]]
        assert history[-1].to_stage == opportunity.stage
        assert times == sorted(times) and times[-1] == opportunity.stage_changed_at
        assert opportunity.created_at == times[0] <= now
        assert now - opportunity.created_at < timedelta(days=95)
    oldest = Opportunity.objects.filter(owner=maya).order_by("created_at").first()
    assert now - oldest.created_at > timedelta(days=60)


def test_two_rejections_were_shared_with_the_inner_circle_and_met_with_encouragement(maya):
    rejections = list(Update.objects.filter(owner=maya, kind=UpdateKind.REJECTION))

    assert len(rejections) == 2
    for update in rejections:
        assert update.audience == "inner"
        assert update.opportunity.stage == Stage.REJECTED
        replies = list(update.replies.select_related("member__person"))
        words = [r for r in replies if r.text]
        assert len(words) >= 2
        assert {r.member.audience for r in replies} == {"inner"}
        assert {r.kind for r in replies} == {Reply.Kind.ENCOURAGEMENT}
        assert all(r.created_at >= update.created_at for r in replies)


def test_updates_of_every_kind_go_to_a_sensible_audience(maya):
    updates = list(Update.objects.filter(owner=maya))

    assert {u.kind for u in updates} == set(UpdateKind.values)
    for update in updates:
        if update.kind in (UpdateKind.FEELINGS, UpdateKind.REJECTION):
            assert update.audience == "inner", update
        else:
            assert update.audience in ("supporters", "everyone"), update
    spread = max(u.created_at for u in updates) - min(u.created_at for u in updates)
    assert spread > timedelta(days=70)


def test_every_reply_came_from_someone_allowed_to_see_the_update(maya):
    replies = Reply.objects.filter(update__owner=maya).select_related("update", "member")

    assert replies.count() >= 20
    for reply in replies:
        assert reply.update.audience in VISIBLE_TO[reply.member.audience]
        assert reply.update.created_at <= reply.created_at <= timezone.now()
    offer = replies.get(kind=Reply.Kind.OFFER)
    assert offer.accepted_at is None  # waiting for Maya to accept it


def test_check_ins_dip_in_the_middle_recover_and_dip_again_lately(maya):
    checkins = list(CheckIn.objects.filter(owner=maya).order_by("day"))
    today = timezone.localdate(timezone=TZ)

    assert len(checkins) >= 25
    assert (checkins[-1].day - checkins[0].day).days >= 70
    assert all((b.day - a.day).days <= 4 for a, b in zip(checkins, checkins[1:], strict=False))
    assert checkins[-1].day < today
    lowest = min(checkins, key=lambda c: (c.hope, c.day))
    assert lowest.hope == 1 and checkins[0].hope >= 4
    assert checkins[0].day < lowest.day < checkins[-1].day
    fortnight = [c for c in checkins if (today - c.day).days < 14]
    assert max(c.hope for c in fortnight) - checkins[-1].hope >= 2  # the early-ask dip
    shared = [c for c in checkins if c.shared]
    assert 2 <= len(shared) <= 4
    assert sum(1 for c in checkins if c.note) >= 5
    trend = checkin_trend(maya, today=today)
    assert sum(1 for week in trend if week.count) >= 10


def test_her_circle_was_there_from_the_start_and_their_links_still_work(maya):
    members = CircleMember.objects.filter(owner=maya, audience__in=["inner", "supporters"])
    first_update = Update.objects.filter(owner=maya).order_by("created_at").first()

    assert members.count() == 6
    for member in members:
        assert member.invited_at < first_update.created_at
        assert member.grants.filter(expires_at__gt=timezone.now()).exists()


def test_maya_has_a_weekly_check_in_reminder(maya):
    search = Search.objects.get(owner=maya)

    assert search.reminder_enabled and search.is_active
    assert search.reminder_weekday in range(7) and search.reminder_hour in range(24)


def test_a_digest_went_to_every_helper_once_and_a_tick_adds_none(maya):
    digests = OutboxMessage.objects.filter(kind="digest")
    circle = CircleMember.objects.filter(owner=maya, audience__in=["inner", "supporters"])
    emails = {m.person.emails[0] for m in circle.select_related("person")}

    assert emails <= set(digests.values_list("to_email", flat=True))
    keys = list(digests.values_list("key", flat=True))
    assert len(keys) == len(set(keys))
    week = {re.sub(r"^digest:\d+:", "", key) for key in keys}
    assert len(week) == 1
    assert all(h.last_digest_at for h in Helper.objects.filter(email__in=emails))
    assert all(d.created_at <= timezone.now() for d in digests)

    count = digests.count()
    digests_enqueue()
    assert OutboxMessage.objects.filter(kind="digest").count() == count


def test_each_digest_holds_the_week_s_updates_for_that_helper_s_audience_only(maya):
    notes = list(CheckIn.objects.filter(owner=maya).exclude(note="").values_list("note", flat=True))
    updates = list(Update.objects.filter(owner=maya))
    for name in ("Daniel Okafor", "Hannah Whitlock", "Ruth Adeyemi", "Tom Reyes"):
        member = CircleMember.objects.get(owner=maya, person__name=name)
        body = digest_to(maya, name).body_text
        sent = Helper.objects.get(email=member.person.emails[0]).last_digest_at
        week = [u for u in updates if sent - timedelta(days=7) < u.created_at <= sent]
        assert week, name
        # Hard news a member had right away isn't repeated in their digest.
        had = set(
            OutboxMessage.objects.filter(
                kind="update-news", to_email=member.person.emails[0]
            ).values_list("key", flat=True)
        )
        for update in updates:
            expected = (
                update in week
                and update.audience in VISIBLE_TO[member.audience]
                and news_key(update.pk, member.pk) not in had
            )
            assert (update.text in body) == expected, (name, update)
        assert not any(note in body for note in notes)
    # The two shared rejections reach Daniel (inner circle, right away) by email, each once.
    daniel = CircleMember.objects.get(owner=maya, person__name="Daniel Okafor")
    for rejection in Update.objects.filter(owner=maya, kind=UpdateKind.REJECTION):
        news = OutboxMessage.objects.filter(key=news_key(rejection.pk, daniel.pk))
        assert news.count() == 1 and rejection.text in news.get().body_text


def test_daniel_opened_his_page_from_the_digest(maya):
    daniel = CircleMember.objects.get(owner=maya, person__name="Daniel Okafor")
    used = HelperGrant.objects.filter(last_used_at__isnull=False).select_related("member")
    digest = digest_to(maya, "Daniel Okafor")

    assert [g.member for g in used] == [daniel]
    assert digest.created_at <= used[0].last_used_at <= timezone.now()
    # ... and the link in his digest still takes him there.
    helper = Client()
    token = re.search(r"/h/([\w-]+)/", digest.body_text).group(1)
    response = helper.post(reverse("circle:helper_link", args=[token]))
    assert response.status_code == 303
    page = helper.get(reverse("circle:helper_home")).content.decode()
    tallis = Update.objects.get(owner=maya, kind="rejection", opportunity__company="Tallis Bank")
    assert escape(tallis.text) in page


def test_the_home_page_shows_news_asks_applications_and_the_last_check_in(maya):
    client = Client()
    client.force_login(maya, backend="django.contrib.auth.backends.ModelBackend")

    response = client.get("/", follow=True)
    page = response.content.decode()

    assert response.redirect_chain[-1][0] == reverse("home")
    assert response.status_code == 200
    assert "answered your ask" in page
    assert "replied to your update" in page
    newest = Reply.objects.filter(update__owner=maya).exclude(text="").latest("created_at")
    assert escape(newest.text) in page
    assert "still to answer" in page and "(draft)" in page
    for company in ("Kestrel Logistics", "Lumen Labs"):
        assert company in page
    assert ": offer</li>" in page and ": interviewing</li>" in page
    last = CheckIn.objects.filter(owner=maya).first()
    assert f"Last check-in {last.day.day} {last.day:%b}" in page


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 11, 23, 7, 30),  # a Monday, before this week's digest time
        datetime(2026, 11, 23, 8, 2),  # a Monday, just as the digests go out
        datetime(2026, 11, 29, 23, 50),  # a Sunday night
        datetime(2026, 3, 30, 8, 30),  # the Monday after the clocks go forward
    ],
)
def test_the_demo_reads_right_whenever_it_is_seeded(moment):
    with time_machine.travel(moment.replace(tzinfo=TZ), tick=False):
        maya = demo_seed()
        now = timezone.now()
        helpers = CircleMember.objects.filter(owner=maya, audience__in=["inner", "supporters"])
        digests = OutboxMessage.objects.filter(kind="digest")

        assert {m.person.emails[0] for m in helpers} <= set(
            digests.values_list("to_email", flat=True)
        )
        assert all(d.created_at <= now for d in digests)
        [used] = HelperGrant.objects.filter(last_used_at__isnull=False)
        assert used.member.person.name == "Daniel Okafor" and used.last_used_at <= now
        for model, field in (
            (Update, "created_at"),
            (Reply, "created_at"),
            (CheckIn, "created_at"),
        ):
            assert not model.objects.filter(**{f"{field}__gt": now}).exists(), model
        assert not StageChange.objects.filter(at__gt=now).exists()
        checkins = list(CheckIn.objects.filter(owner=maya).order_by("day"))
        assert checkins[-1].day < timezone.localdate(timezone=TZ)
