"""A small club for the club foundation's tests: dana runs it, alice and charlie are in it."""

from types import SimpleNamespace

from helpwanted.accounts.models import User
from helpwanted.clubs import actions
from helpwanted.clubs.models import Club, Membership

PASSWORD = "correct horse battery staple"


def make_user(name: str) -> User:
    return User.objects.create_user(
        email=f"{name.lower()}@example.org", password=PASSWORD, display_name=name
    )


def join(club: Club, user: User) -> Membership:
    invitation, _token = actions.invitation_send(
        club=club, email=user.email, invited_by=club.facilitator
    )
    return actions.invitation_accept(invitation_id=invitation.pk, user=user)


def small_club(
    facilitator: User, *members: User, name: str = "Tuesday Job Club"
) -> SimpleNamespace:
    club = actions.club_create(facilitator=facilitator, fields={"name": name})
    return SimpleNamespace(club=club, memberships=[join(club, u) for u in members])
