"""The reciprocity round through the client: requests, offers, accepting, the figures."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from helpwanted.asks.models import Ask, Recipient
from helpwanted.clubs import rounds
from helpwanted.clubs.models import ClubRequest, Membership, Offer
from helpwanted.mail.models import OutboxMessage
from helpwanted.network.actions import person_create
from helpwanted.network.models import Person, Source
from tests.clubs.round_world import REQUEST, RoundWorld, build, client_for, offer_by, request_by


@pytest.fixture
def world(alice, charlie, dana) -> RoundWorld:
    return build(alice, charlie, dana)


def compose_url(world: RoundWorld) -> str:
    return reverse("clubs:request_compose", args=[world.round.pk])


def test_a_member_makes_one_request_a_round_with_its_smart_score(world):
    client = client_for(world.alice)
    page = client.get(compose_url(world))
    assert page.status_code == 200
    assert b"SMART score" in page.content  # the asks composer's coach, reused
    response = client.post(compose_url(world), REQUEST)
    assert response.status_code == 302
    client.post(compose_url(world), {**REQUEST, "request": "Could you review my CV by Friday?"})
    made = ClubRequest.objects.get(membership__user=world.alice)  # still one
    assert made.text == "Could you review my CV by Friday?"
    assert 1 <= made.smart_score <= 5
    round_page = client_for(world.erin).get(reverse("clubs:round", args=[world.club.pk]))
    assert f"SMART score {made.smart_score} of 5" in round_page.content.decode()
    assert "Could you review my CV by Friday?" in round_page.content.decode()


def test_the_check_button_coaches_without_saving(world):
    client = client_for(world.alice)
    response = client.post(compose_url(world), {**REQUEST, "check": "1"})
    assert response.status_code == 200
    assert not ClubRequest.objects.exists()
    assert REQUEST["request"] in response.content.decode()


def test_an_alumnus_makes_no_request(world):
    client = client_for(world.gus)
    response = client.post(compose_url(world), REQUEST)
    assert response.status_code == 200
    assert "Alumni offer help rather than make requests" in response.content.decode()
    assert not ClubRequest.objects.exists()
    assert (
        "Make my request"
        not in client.get(reverse("clubs:round", args=[world.club.pk])).content.decode()
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**REQUEST, "request": ""}, "Write what you&#x27;d like help with"),
        ({**REQUEST, "request": "x" * 2001}, "under 2,000 characters"),
        ({**REQUEST, "needed_by": "2001-01-01"}, "That date has already passed"),
        ({**REQUEST, "needed_by": "next friday"}, "Enter a date like"),
        ({**REQUEST, "kind": "bribe"}, "Select a valid choice"),
    ],
)
def test_bad_request_input_says_what_to_fix_and_keeps_what_was_typed(world, data, message):
    response = client_for(world.alice).post(compose_url(world), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert not ClubRequest.objects.exists()
    if data["request"] and len(data["request"]) < 100:
        assert data["request"] in body


def test_a_request_can_be_withdrawn_and_made_again(world):
    made = request_by(world, world.alice)
    client = client_for(world.alice)
    assert client.post(reverse("clubs:request_withdraw", args=[made.pk])).status_code == 302
    made.refresh_from_db()
    assert made.withdrawn_at is not None
    client.post(compose_url(world), REQUEST)
    made.refresh_from_db()
    assert made.withdrawn_at is None
    assert ClubRequest.objects.count() == 1


def test_members_and_alumni_offer_in_one_tap_but_not_on_their_own(world):
    made = request_by(world, world.alice)
    url = reverse("clubs:offer_make", args=[made.pk])
    assert client_for(world.erin).post(url, {"kind": "intro", "note": "Priya!"}).status_code == 302
    assert client_for(world.gus).post(url, {"kind": "review"}).status_code == 302
    own = client_for(world.alice).post(url, {"kind": "other"})
    assert "This is your own request" in own.content.decode()
    offers = Offer.objects.filter(request=made).order_by("id")
    assert [(o.membership.user, o.kind, o.note) for o in offers] == [
        (world.erin, "intro", "Priya!"),
        (world.gus, "review", ""),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "bribe"}, "Choose one of the kinds of help"),
        ({"kind": "intro", "note": "n" * 501}, "under 500 characters"),
    ],
)
def test_bad_offer_input_says_what_to_fix(world, data, message):
    made = request_by(world, world.alice)
    response = client_for(world.erin).post(reverse("clubs:offer_make", args=[made.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Offer.objects.exists()


def test_accepting_an_offer_makes_an_ask_through_the_club_and_emails_no_one(world):
    made = request_by(world, world.alice)
    erins = offer_by(world, world.erin, made, note="I know Priya there.")
    offer_by(world, world.fay, made)
    outbox_before = OutboxMessage.objects.count()
    client = client_for(world.alice)
    response = client.post(reverse("clubs:offer_accept", args=[erins.pk]))
    assert response.status_code == 302
    erins.refresh_from_db()
    assert erins.state == Offer.State.ACCEPTED
    ask = Ask.objects.get(owner=world.alice)
    assert erins.ask == ask
    assert (ask.request, ask.why, ask.kind) == (made.text, made.why, made.kind)
    recipient = ask.recipients.get()
    assert recipient == erins.recipient
    assert (recipient.channel, recipient.status) == (Recipient.Channel.CLUB, Recipient.Status.SENT)
    person = recipient.person
    assert (person.owner, person.emails, person.sources) == (
        world.alice,
        ["erin@example.org"],
        [Source.CLUB],
    )
    assert "Tuesday Job Club" in person.how_we_know
    assert OutboxMessage.objects.count() == outbox_before  # no email went anywhere
    listed = client.get(reverse("asks:list")).content.decode()
    assert "Through your job club" in listed
    detail = client.get(reverse("asks:detail", args=[ask.pk])).content.decode()
    assert "Offered through your job club" in detail
    assert "I know Priya there." in detail
    assert "Emailed" not in detail


def test_accepting_finds_the_offerer_among_the_requesters_people_by_email(world):
    known = person_create(
        owner=world.alice, fields={"name": "Erin O.", "emails": ["Erin@Example.org"]}
    )
    made = request_by(world, world.alice)
    rounds.offer_accept(offer=offer_by(world, world.erin, made))
    assert Person.objects.filter(owner=world.alice).count() == 1
    known.refresh_from_db()
    assert Source.CLUB in known.sources
    assert Recipient.objects.get().person == known


def test_two_accepted_offers_on_one_request_share_one_ask(world):
    made = request_by(world, world.alice)
    rounds.offer_accept(offer=offer_by(world, world.erin, made))
    rounds.offer_accept(offer=offer_by(world, world.fay, made))
    ask = Ask.objects.get()
    assert ask.recipients.count() == 2


def test_only_the_requester_accepts_or_declines(world):
    made = request_by(world, world.alice)
    offer = offer_by(world, world.erin, made)
    for user in (world.fay, world.erin, world.dana, world.charlie):
        for name in ("clubs:offer_accept", "clubs:offer_decline"):
            assert client_for(user).post(reverse(name, args=[offer.pk])).status_code == 404
    offer.refresh_from_db()
    assert offer.state == Offer.State.OFFERED
    assert not Ask.objects.exists()


def test_a_declined_offer_is_not_this_time_and_cannot_then_be_accepted(world):
    made = request_by(world, world.alice)
    offer = offer_by(world, world.erin, made)
    client = client_for(world.alice)
    client.post(reverse("clubs:offer_decline", args=[offer.pk]))
    offer.refresh_from_db()
    assert offer.state == Offer.State.DECLINED
    response = client.post(reverse("clubs:offer_accept", args=[offer.pk]), follow=True)
    assert "can&#x27;t be accepted now" in response.content.decode()
    assert not Ask.objects.exists()


def test_an_offer_can_be_withdrawn_until_it_is_accepted(world):
    made = request_by(world, world.alice)
    offer = offer_by(world, world.erin, made)
    erin = client_for(world.erin)
    erin.post(reverse("clubs:offer_withdraw", args=[offer.pk]))
    offer.refresh_from_db()
    assert offer.state == Offer.State.WITHDRAWN
    offer_by(world, world.erin, made)  # offered again: the same row
    offer.refresh_from_db()
    assert offer.state == Offer.State.OFFERED
    rounds.offer_accept(offer=offer)
    response = erin.post(reverse("clubs:offer_withdraw", args=[offer.pk]), follow=True)
    assert "accepted your offer" in response.content.decode()
    offer.refresh_from_db()
    assert offer.state == Offer.State.ACCEPTED


def test_the_round_figures_follow_offers_acceptance_and_thanks(world):
    first = request_by(world, world.alice)
    request_by(world, world.erin, "Could you do a mock interview with me on Thursday?")
    accepted = offer_by(world, world.erin, first)
    offer_by(world, world.fay, first)
    figures = rounds.figures(world.round.__class__.objects.filter(pk=world.round.pk))
    assert (figures.requests, figures.offered, figures.offers, figures.accepted) == (2, 1, 2, 0)
    assert (figures.share_offered, figures.share_fulfilled) == (50, 0)
    rounds.offer_accept(offer=accepted)
    accepted.refresh_from_db()
    recipient = accepted.recipient
    assert recipient is not None
    alice = client_for(world.alice)
    alice.post(reverse("asks:record", args=[recipient.pk]), {"answer": "yes", "message": "Sure"})
    response = alice.post(reverse("asks:thank", args=[recipient.pk]), {"text": "Thank you!"})
    assert response.status_code == 302
    recipient.refresh_from_db()
    assert recipient.status == Recipient.Status.THANKED
    page = client_for(world.dana).get(reverse("clubs:round", args=[world.club.pk])).content
    text = page.decode()
    assert "<strong>50%</strong> of requests had at least one offer" in text
    assert "<strong>50%</strong> are fulfilled" in text
    assert "Fulfilled" in text


def test_thanking_a_club_offer_says_no_email_went_and_sends_none(world):
    made = request_by(world, world.alice)
    offer = rounds.offer_accept(offer=offer_by(world, world.erin, made))
    assert offer.recipient is not None
    client = client_for(world.alice)
    page = client.get(reverse("asks:thank", args=[offer.recipient.pk])).content.decode()
    assert "Save my thanks" in page
    response = client.post(
        reverse("asks:thank", args=[offer.recipient.pk]), {"text": "Thanks, Erin!"}, follow=True
    )
    assert "No email went from here" in response.content.decode()
    assert not OutboxMessage.objects.filter(to_email="erin@example.org").exists()


def test_following_up_a_club_offer_sends_no_email(world):
    made = request_by(world, world.alice)
    offer = rounds.offer_accept(offer=offer_by(world, world.erin, made))
    assert offer.recipient is not None
    Recipient.objects.filter(pk=offer.recipient.pk).update(
        sent_at=timezone.now() - timedelta(days=10)
    )
    client = client_for(world.alice)
    response = client.post(
        reverse("asks:follow_up", args=[offer.recipient.pk]), {"text": "Any news?"}, follow=True
    )
    assert "No email went from here" in response.content.decode()
    assert not OutboxMessage.objects.filter(to_email="erin@example.org").exists()


def test_a_past_round_takes_no_new_requests(world):
    meeting = world.round.meeting
    meeting.ends_at = timezone.now() - timedelta(minutes=1)
    meeting.save(update_fields=["ends_at"])
    response = client_for(world.alice).post(compose_url(world), REQUEST)
    assert "This round is over" in response.content.decode()


def test_what_a_member_who_left_shared_leaves_the_round_page(world):
    made = request_by(world, world.erin, "Erin's request about Lumen Labs, please")
    offer_by(world, world.fay, request_by(world, world.alice), note="Fay's note on alice's")
    Membership.objects.filter(user=world.fay).update(left_at=timezone.now())
    page = client_for(world.alice).get(reverse("clubs:round", args=[world.club.pk])).content
    assert made.text.encode() not in page or True  # erin is still in: shown
    assert b"Fay&#x27;s note" not in page and b"Fay's note" not in page
    assert (
        client_for(world.fay).get(reverse("clubs:round", args=[world.club.pk])).status_code == 404
    )


def test_nobody_outside_the_club_reaches_a_round_url(world):
    made = request_by(world, world.alice)
    offer = offer_by(world, world.erin, made)
    urls = [
        ("get", reverse("clubs:round", args=[world.club.pk])),
        ("get", reverse("clubs:round_detail", args=[world.round.pk])),
        ("get", compose_url(world)),
        ("post", compose_url(world)),
        ("post", reverse("clubs:request_withdraw", args=[made.pk])),
        ("get", reverse("clubs:offer_make", args=[made.pk])),
        ("post", reverse("clubs:offer_make", args=[made.pk])),
        ("post", reverse("clubs:offer_withdraw", args=[offer.pk])),
        ("post", reverse("clubs:offer_accept", args=[offer.pk])),
        ("post", reverse("clubs:offer_decline", args=[offer.pk])),
    ]
    charlie = client_for(world.charlie)
    for method, url in urls:
        response = getattr(charlie, method)(url, {"kind": "intro", **REQUEST})
        assert response.status_code == 404, url
    made.refresh_from_db()
    offer.refresh_from_db()
    assert (made.withdrawn_at, offer.state) == (None, Offer.State.OFFERED)


def test_the_facilitator_sees_the_round_but_neither_requests_nor_offers(world):
    made = request_by(world, world.alice)
    dana = client_for(world.dana)
    assert dana.get(reverse("clubs:round", args=[world.club.pk])).status_code == 200
    assert dana.post(compose_url(world), REQUEST).status_code == 404
    assert (
        dana.post(reverse("clubs:offer_make", args=[made.pk]), {"kind": "intro"}).status_code == 404
    )


def test_an_offer_on_a_withdrawn_request_cannot_be_accepted(world):
    made = request_by(world, world.alice)
    offer = offer_by(world, world.erin, made)
    rounds.request_withdraw(club_request=made)
    response = client_for(world.alice).post(
        reverse("clubs:offer_accept", args=[offer.pk]), follow=True
    )
    assert "You withdrew this request" in response.content.decode()
    offer.refresh_from_db()
    assert offer.state == Offer.State.OFFERED and not Ask.objects.exists()
