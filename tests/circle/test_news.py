"""A shared rejection reaches the members who chose "right away" within one tick, never twice."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from helpwanted.circle.actions import circle_add, member_consent
from helpwanted.journey.models import Reply
from helpwanted.mail.actions import outbox_deliver
from helpwanted.mail.models import OutboxMessage
from helpwanted.mail.tick import run_tick
from tests.circle.helpers import person

pytestmark = pytest.mark.django_db


def member(alice, name, email, audience, consent=True, news_timing=""):
    m = circle_add(person=person(alice, name, email), audience=audience)
    if consent:
        member_consent(member=m, via="invite")
    if news_timing:
        m.news_timing = news_timing
        m.save(update_fields=["news_timing"])
    return m


def share(alice_client, kind="rejection", audience="inner", text="Didn't get the Acme role."):
    data = {"kind": kind, "audience": audience, "text": text}
    return alice_client.post(reverse("journey:update_new"), data)


def worker_loop():
    """What the worker does each time round: the tick, then delivery."""
    run_tick()
    outbox_deliver()


def news_emails():
    return OutboxMessage.objects.filter(kind="update-news")


def test_a_rejection_shared_with_the_inner_circle_reaches_a_right_away_member_in_one_tick(
    alice, alice_client
):
    hannah = member(alice, "Hannah Whitlock", "hannah@example.org", "inner")  # default: right away
    member(alice, "Grace Okafor", "grace@example.org", "inner", news_timing="weekly")
    member(alice, "Ifeoma Okafor", "ifeoma@example.org", "inner", consent=False)
    member(alice, "Tom Reyes", "tom@example.org", "supporters", news_timing="right_away")
    share(alice_client)
    (row,) = news_emails()
    assert row.to_email == "hannah@example.org"
    assert row.key.startswith("update:") and row.key.endswith(f":{hannah.pk}")
    assert row.subject == "Alice shared some hard news with you"
    assert "Didn't get the Acme role." in row.body_text
    worker_loop()
    assert [m.to for m in mail.outbox] == [["hannah@example.org"]]
    worker_loop()
    share(alice_client)  # the same words again at once are the same post: nothing new
    worker_loop()
    assert len(mail.outbox) == 1 and news_emails().count() == 1


def test_a_supporter_who_chose_right_away_hears_news_shared_with_supporters(alice, alice_client):
    member(alice, "Tom Reyes", "tom@example.org", "supporters", news_timing="right_away")
    member(alice, "Ruth Adeyemi", "ruth@example.org", "supporters")  # default: weekly
    share(alice_client, kind="setback", audience="supporters", text="The Acme role was pulled.")
    assert [m.to_email for m in news_emails()] == ["tom@example.org"]


def test_progress_and_wins_wait_for_the_weekly_summary(alice, alice_client):
    member(alice, "Hannah Whitlock", "hannah@example.org", "inner")
    share(alice_client, kind="progress", text="Applied to three roles.")
    share(alice_client, kind="win", text="Second interview!")
    assert not news_emails().exists()


def encourage_links(message):
    return re.findall(r"https?://[^/\s]+(/h/[\w-]+/\?u=\d+&e=\w*)", message.body_text)


def test_the_news_email_offers_encouragement_in_two_taps(alice, alice_client):
    hannah = member(alice, "Hannah Whitlock", "hannah@example.org", "inner")
    share(alice_client)
    paths = encourage_links(news_emails().get())
    assert [p.rsplit("e=", 1)[1] for p in paths] == ["heart", "strong", "here", ""]
    client = Client()
    page = client.get(paths[1])
    assert page.status_code == 200 and "Didn&#x27;t get the Acme role." in page.content.decode()
    assert not Reply.objects.exists()  # the GET changed nothing
    response = client.post(paths[1], {"reaction": "strong"})
    assert response.status_code == 303 and "/h/" not in response["Location"]
    (reply,) = Reply.objects.all()
    assert (reply.member, reply.reaction) == (hannah, "strong")
    client.post(paths[1], {"reaction": "strong"})
    assert Reply.objects.count() == 1  # twice is once
    assert client.get(reverse("circle:helper_home")).status_code == 200


def test_an_encouragement_link_for_an_update_the_member_cannot_see_is_a_404(alice, alice_client):
    member(alice, "Hannah Whitlock", "hannah@example.org", "inner")
    tom = member(alice, "Tom Reyes", "tom@example.org", "supporters", news_timing="right_away")
    share(alice_client)
    from helpwanted.circle.actions import grant_issue

    _, token = grant_issue(member=tom)
    update_id = re.search(r"u=(\d+)", news_emails().get().body_text).group(1)
    assert Client().get(f"/h/{token}/?u={update_id}&e=heart").status_code == 404
    assert (
        Client().post(f"/h/{token}/?u={update_id}&e=heart", {"reaction": "heart"}).status_code
        == 404
    )
    assert not Reply.objects.exists()


def test_a_member_changes_when_they_hear_hard_news_and_the_seeker_sees_it(
    alice, alice_client, bob, bob_client
):
    member_consent(member=bob.member, via="invite")
    page = bob_client.get(reverse("circle:helper_home")).content.decode()
    assert "When they share a rejection or hard news, tell me" in page
    bob_client.post(
        reverse("circle:helper_preferences"), {"digest_enabled": "on", "news_timing": "right_away"}
    )
    bob.member.refresh_from_db()
    assert bob.member.news_right_away
    assert "Hard news right away" in alice_client.get(reverse("circle:list")).content.decode()
    share(alice_client, kind="rejection", audience="supporters")
    assert [m.to_email for m in news_emails()] == ["bob@example.org"]
