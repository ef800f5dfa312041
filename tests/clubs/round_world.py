"""A club for the round, leads and meeting tests: dana runs it; alice, erin and fay are members,
gus is an alumnus; charlie is outside it. Made through the real actions where they exist."""

from dataclasses import dataclass

from django.test import Client
from django.utils import timezone

from helpwanted.accounts.models import User
from helpwanted.clubs import rounds
from helpwanted.clubs.actions import club_create
from helpwanted.clubs.models import Club, ClubRequest, Membership, Offer, Round

REQUEST = {
    "kind": "introduction",
    "request": "Would you introduce me to someone on the design team at Lumen Labs by Friday?",
    "why": "I'm applying for their Senior Product Designer role next week.",
}


@dataclass
class RoundWorld:
    club: Club
    dana: User
    alice: User
    erin: User
    fay: User
    gus: User
    charlie: User
    round: Round

    def m(self, user: User) -> Membership:
        return Membership.objects.select_related("user", "club").get(club=self.club, user=user)


def person(email: str, name: str) -> User:
    return User.objects.create_user(email=email, password=None, display_name=name)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def build(alice: User, charlie: User, dana: User) -> RoundWorld:
    club = club_create(facilitator=dana, fields={"name": "Tuesday Job Club", "timezone": "UTC"})
    erin = person("erin@example.org", "Erin Okafor")
    fay = person("fay@example.org", "Fay Lindgren")
    gus = person("gus@example.org", "Gus Moreno")
    for user in (alice, erin, fay):
        Membership.objects.create(club=club, user=user)
    Membership.objects.create(
        club=club, user=gus, role=Membership.Role.ALUMNUS, landed_at=timezone.now()
    )
    round_ = rounds.round_current(club)
    assert round_ is not None
    return RoundWorld(club, dana, alice, erin, fay, gus, charlie, round_)


def request_by(world: RoundWorld, user: User, text: str = REQUEST["request"]) -> ClubRequest:
    return rounds.request_post(
        membership=world.m(user),
        round_=world.round,
        fields={"kind": "introduction", "text": text, "why": REQUEST["why"], "needed_by": None},
        today=timezone.localdate(),
    )


def offer_by(world: RoundWorld, user: User, club_request: ClubRequest, note: str = "") -> Offer:
    return rounds.offer_make(
        membership=world.m(user), club_request=club_request, kind=Offer.Kind.INTRO, note=note
    )
