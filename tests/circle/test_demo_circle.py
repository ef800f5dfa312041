"""The demo shows issue 10's helper side: consent both ways, the only-asked, right-away news,
a switched-off link, and an ask email with the answer buttons."""

import re

import pytest
from django.test import Client

from helpwanted.circle.models import CircleMember, HelperGrant
from helpwanted.demo.seed import demo_seed
from helpwanted.mail.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def maya():
    return demo_seed()


@pytest.fixture
def members(maya):
    return CircleMember.objects.filter(owner=maya).select_related("person")


def test_the_demo_circle_has_consent_by_invite_by_keep_me_posted_and_people_only_asked(members):
    vias = {m.consent_via for m in members}
    assert {"invite", "keep_me_posted", ""} <= vias
    only_asked = [m for m in members if m.consented_at is None]
    assert only_asked and all(m.audience == "network" for m in only_asked)
    digested = set(OutboxMessage.objects.filter(kind="digest").values_list("to_email", flat=True))
    assert not {m.person.emails[0] for m in only_asked if m.person.emails} & digested


def test_hannah_hears_hard_news_right_away_and_her_mum_weekly(members):
    by_name = {m.person.name: m for m in members}
    assert by_name["Hannah Whitlock"].news_right_away
    assert not by_name["Grace Okafor"].news_right_away
    news = OutboxMessage.objects.filter(kind="update-news")
    assert "hannah.whitlock@example.net" in set(news.values_list("to_email", flat=True))
    assert "grace.okafor@example.net" not in set(news.values_list("to_email", flat=True))


def test_one_member_has_a_switched_off_link_that_stays_off(members):
    (off,) = [m for m in members if m.links_off_at is not None]
    assert not HelperGrant.objects.filter(member=off, revoked_at=None).exists()
    for grant in HelperGrant.objects.filter(member=off):
        assert grant.revoked_at is not None


def test_the_demo_outbox_shows_an_ask_email_with_the_answer_buttons(maya):
    email = OutboxMessage.objects.filter(kind="ask", user=maya).first()
    for label in ("Yes, I can", "I can&#x27;t, but I know someone", "Not right now", "No, sorry"):
        assert label in email.body_html or label.replace("&#x27;", "'") in email.body_html
    path = re.search(r"https?://[^/\s]+(/h/[\w-]+/\?r=\d+&a=yes)", email.body_text).group(1)
    assert Client().get(path).status_code in (200, 403)  # 403 only if that ask's link was off


def test_each_member_has_at_most_one_live_link(members):
    for member in members:
        assert (
            HelperGrant.objects.filter(member=member, revoked_at=None).exclude(nonce="").count()
            <= 1
        )
