"""The world the access matrix walks: alice owns one of everything, four outsiders knock.

Built through the real actions (and the real helper-link POST for helper sessions), so the ids
and signed values are the ones the app itself would put in a link.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from helpwanted.accounts.models import User
from helpwanted.api.tokens import token_create
from helpwanted.asks.actions import (
    ask_create,
    ask_send,
    help_given_add,
    recipient_add,
    recipient_answer,
)
from helpwanted.circle import actions as circle_actions
from helpwanted.circle.unsubscribe import unsubscribe_url
from helpwanted.circle.views import REMOVED_SALT
from helpwanted.clubs import actions as club_actions
from helpwanted.clubs import leads as club_leads
from helpwanted.clubs import meeting as club_meeting
from helpwanted.clubs import rounds as club_rounds
from helpwanted.clubs.emails import unsubscribe_url as club_emails_off_url
from helpwanted.clubs.models import Club, Membership
from helpwanted.elsewhere.feeds import derive_token, feed_rotate
from helpwanted.elsewhere.models import WorkActivity
from helpwanted.journey import digest
from helpwanted.journey.checkins import checkin_save, reminder_off_value
from helpwanted.journey.models import Helper, Interview
from helpwanted.journey.opportunities import (
    opportunity_create,
    opportunity_delete,
    opportunity_helper_add,
)
from helpwanted.journey.updates import reply_post, update_delete, update_post
from helpwanted.mail.models import InboundMessage, OutboxMessage
from helpwanted.network.actions import person_create
from helpwanted.network.models import ImportJob
from helpwanted.network.targets import target_add


@dataclass
class World:
    alice: User
    charlie: User
    ids: dict[str, object]  # URL argument name -> alice's value
    by_pattern: dict[tuple[str, str], object]  # (pattern name, argument) -> alice's value
    form: dict[str, object]  # a filled-in form an intruder would POST: valid for most views
    clients: dict[str, Client] = field(default_factory=dict)  # role -> a logged-in browser
    last_snapshot: dict[str, str] | None = None  # the row hashes after the last request

    def fresh(self) -> "World":
        """The same world with new browsers holding the same cookies (a test may log one out)."""
        clients = {}
        for role, client in self.clients.items():
            clients[role] = Client(enforce_csrf_checks=True, **client.defaults)  # token headers
            for name, morsel in client.cookies.items():
                clients[role].cookies[name] = morsel.value
        return World(self.alice, self.charlie, self.ids, self.by_pattern, self.form, clients)


def csrf_client() -> Client:
    """A browser that enforces CSRF and holds a token, as if it had loaded a form."""
    client = Client(enforce_csrf_checks=True)
    request = RequestFactory().get("/")
    get_token(request)
    client.cookies[settings.CSRF_COOKIE_NAME] = request.META["CSRF_COOKIE"]
    return client


def post(client: Client, url: str, data: dict | None = None):
    """POST with the CSRF token a page's form would carry (read from the browser's cookie)."""
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    return client.post(url, data or {}, HTTP_X_CSRFTOKEN=token)


def _seeker_client(user: User) -> Client:
    client = csrf_client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _token_client(secret: str) -> Client:
    """A script with a personal access token (and, as any client here, a CSRF cookie)."""
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {secret}"})
    client.cookies[settings.CSRF_COOKIE_NAME] = csrf_client().cookies[settings.CSRF_COOKIE_NAME]
    return client


def _helper_client(token: str) -> Client:
    """A browser that pressed Continue on a helper link: the real flow, CSRF and all."""
    client = csrf_client()
    assert client.get(f"/h/{token}/").status_code == 200
    response = post(client, f"/h/{token}/")
    assert response.status_code == 303, response.status_code
    return client


def _last(url: str) -> str:
    """The signed value at the end of a link the app mints for an email."""
    return url.rstrip("/").rsplit("/", 1)[-1]


def _member(owner: User, name: str, email: str, audience: str = "supporters"):
    person = person_create(owner=owner, fields={"name": name, "emails": [email]})
    member = circle_actions.circle_add(person=person, audience=audience)
    _grant, token = circle_actions.grant_issue(member=member)
    return person, member, token


def _email_reply(ask_email: OutboxMessage) -> InboundMessage:
    """bob answers alice's ask by replying to its email (replies by email)."""
    from helpwanted.mail.inbound.compose import reply_bytes
    from helpwanted.mail.inbound.process import inbound_process

    reply_to = ask_email.headers["Reply-To"]
    raw = reply_bytes(
        text="Happy to help!",
        from_address=ask_email.to_email,
        reply_to=reply_to,
        subject=ask_email.subject,
        original_text=ask_email.body_text,
    )
    assert inbound_process(raw, reply_to, ask_email.to_email) == "suggested"
    return InboundMessage.objects.get(rcpt=reply_to)


def build_world() -> World:
    alice = User.objects.create_user(
        email="alice@example.org", password=None, display_name="Alice Moreau"
    )
    charlie = User.objects.create_user(
        email="charlie@example.org", password=None, display_name="Charlie Reyes"
    )

    # alice's people: bob (a helper with a live link), rita (a helper alice switched off),
    # priya (not in the circle), and a same-name pair for the duplicates pages.
    bob, bob_member, bob_token = _member(alice, "Bob Lindqvist", "bob@example.org")
    _rita, rita_member, rita_token = _member(alice, "Rita Alves", "rita@example.org")
    priya = person_create(
        owner=alice,
        fields={"name": "Priya Shah", "emails": ["priya@example.org"], "company": "Lumen Labs"},
    )
    sam = person_create(owner=alice, fields={"name": "Sam Whitfield", "company": "Lumen Labs"})
    sam_again = person_create(owner=alice, fields={"name": "Sam Whitfield", "company": "Acme"})

    target = target_add(owner=alice, company="Lumen Labs", why="Their design team.")
    ask = ask_create(
        owner=alice,
        fields={
            "kind": "introduction",
            "request": "Would you introduce me to someone on the design team at Lumen Labs?",
            "why": "I'm applying for their Senior Product Designer role.",
            "needed_by": timezone.localdate() + timedelta(days=10),
        },
    )
    recipient_add(ask=ask, person=bob)
    recipient_add(ask=ask, person=priya)
    recipients = {r.person_id: r for r in ask_send(ask=ask)}
    help_given_add(owner=alice, who="Ruth", what="A CV review", given_on=timezone.localdate())

    opportunity = opportunity_create(
        owner=alice, fields={"company": "Lumen Labs", "role": "Senior Product Designer"}
    )
    opportunity_helper_add(opportunity=opportunity, person=priya)
    update = update_post(owner=alice, kind="progress", text="Two interviews this week.")
    reply, _ = reply_post(update=update, member=bob_member, kind="encouragement", reaction="heart")
    deleted_opportunity = opportunity_create(owner=alice, fields={"company": "Acme", "role": "UX"})
    opportunity_delete(opportunity=deleted_opportunity)
    deleted_update = update_post(owner=alice, kind="win", text="A second interview!")
    update_delete(update=deleted_update)
    checkin, _ = checkin_save(owner=alice, day=timezone.localdate(), hope=3, energy=3, confidence=3)
    # API tokens: alice's read-only one knocks on writes, charlie's read-write one on her ids.
    alice_token, alice_read_only = token_create(owner=alice, name="spreadsheet")
    _charlie_token, charlie_secret = token_create(owner=charlie, name="script", can_write=True)
    job = ImportJob.objects.create(
        owner=alice,
        filename="contacts.csv",
        format="csv",
        encoding="utf-8",
        data=b"name,email\nNia Okoye,nia@example.org\n",
    )
    outbox = OutboxMessage.objects.filter(user=alice).order_by("pk").first()
    assert outbox is not None
    email_reply = _email_reply(OutboxMessage.objects.get(key=f"ask:{recipients[bob.pk].pk}:sent"))
    helper, _ = Helper.objects.get_or_create(email="bob@example.org")
    # The calendar feed (its token is the credential), a dated interview, a helper's offered
    # time the feed can read, and an activity alice added to her work-search record.
    feed_token = derive_token(feed_rotate(user=alice).nonce)
    interview = Interview.objects.create(opportunity=opportunity, on=timezone.localdate())
    recipient_answer(recipient=recipients[priya.pk], answer="yes", offer_when="tomorrow at 10")
    activity = WorkActivity.objects.create(
        owner=alice, on=timezone.localdate(), employer="Acme", method="job_fair"
    )
    # alice in a club someone else runs (for the club emails' one-click "stop" link).
    fay = User.objects.create_user(email="fay@example.org", password=None, display_name="Fay")
    alice_in_club = Membership.objects.create(
        club=Club.objects.create(name="Tuesday Job Club", facilitator=fay), user=alice
    )
    # alice runs a club too: mo is in it, nia is invited (clubs/views.py).
    own_club = club_actions.club_create(facilitator=alice, fields={"name": "Alice's club"})
    mo = User.objects.create_user(email="mo@example.org", password=None, display_name="Mo")
    mo_invitation, _ = club_actions.invitation_send(club=own_club, email=mo.email, invited_by=alice)
    mo_in_club = club_actions.invitation_accept(invitation_id=mo_invitation.pk, user=mo)
    nia_invitation, nia_token = club_actions.invitation_send(
        club=own_club, email="nia@example.org", invited_by=alice
    )
    # The round in fay's club (clubs/round_views.py): alice's request with gil's offer on it,
    # alice's offer on gil's request, a lead from each, and alice's goal for the week.
    gil = User.objects.create_user(email="gil@example.org", password=None, display_name="Gil")
    gil_in_club = Membership.objects.create(club=alice_in_club.club, user=gil)
    club_round = club_rounds.round_current(alice_in_club.club)
    assert club_round is not None
    wish = {"kind": "review", "text": "Could you review my CV?", "why": "", "needed_by": None}
    alice_request, gil_request = (
        club_rounds.request_post(
            membership=m, round_=club_round, fields=wish, today=timezone.localdate()
        )
        for m in (alice_in_club, gil_in_club)
    )
    gil_offer = club_rounds.offer_make(
        membership=gil_in_club, club_request=alice_request, kind="intro"
    )
    alice_offer = club_rounds.offer_make(
        membership=alice_in_club, club_request=gil_request, kind="review"
    )
    lead_fields = {"company": "Lumen Labs", "role": "Product designer"}
    gil_lead = club_leads.lead_post(giver=gil_in_club, fields=lead_fields)
    alice_lead = club_leads.lead_post(giver=alice_in_club, fields=lead_fields)
    alice_goal = club_meeting.goal_add(
        membership=alice_in_club, meeting=club_round.meeting, text="Two applications"
    )
    own_meeting = own_club.meetings.order_by("starts_at").first()
    assert own_meeting is not None

    # charlie's own circle: dev, whose helper session is "a helper of another seeker".
    _dev, _dev_member, dev_token = _member(charlie, "Dev Patel", "dev@example.org")

    world = World(
        alice=alice,
        charlie=charlie,
        ids={
            "person_id": priya.pk,
            "keep_id": sam.pk,
            "drop_id": sam_again.pk,
            "first_id": sam.pk,
            "second_id": sam_again.pk,
            "member_id": bob_member.pk,
            "ask_id": ask.pk,
            "recipient_id": recipients[bob.pk].pk,
            "opportunity_id": opportunity.pk,
            "update_id": update.pk,
            "reply_id": reply.pk,
            "target_id": target.pk,
            "job_id": job.pk,
            "checkin_id": checkin.pk,
            "token_id": alice_token.pk,
            "interview_id": interview.pk,
            "activity_id": activity.pk,
            "pk": outbox.pk,  # the dev outbox's message id
            "email_reply_id": email_reply.pk,  # bob's reply to the ask, by email
            "club_id": own_club.pk,  # the club alice runs
            "membership_id": mo_in_club.pk,  # mo, in alice's club
            "invitation_id": nia_invitation.pk,  # nia, invited to alice's club
            # The round, leads and meeting pages: alice as a member of fay's club.
            "round_id": club_round.pk,
            "meeting_id": club_round.meeting_id,
            "request_id": alice_request.pk,  # alice's own request
            "offer_id": gil_offer.pk,  # gil's offer on alice's request: alice accepts or declines
            "lead_id": gil_lead.pk,  # gil's lead: alice may take it
            "goal_id": alice_goal.pk,
        },
        by_pattern={
            ("circle:helper_link", "token"): bob_token,
            ("api:not_found", "rest"): "nothing-here",
            ("elsewhere:feed", "token"): feed_token,
            ("elsewhere:offer_ics", "recipient_id"): recipients[priya.pk].pk,
            ("circle:unsubscribe", "value"): _last(unsubscribe_url(bob_member)),
            ("circle:remove_undo", "value"): signing.dumps(
                {"person": bob.pk, "audience": "supporters", "owner": alice.pk},
                salt=REMOVED_SALT,
            ),
            # The restore (undo) views act on what was taken down: point them at such a one.
            ("journey:opportunity_restore", "opportunity_id"): deleted_opportunity.pk,
            ("journey:update_restore", "update_id"): deleted_update.pk,
            ("accounts:password_reset_confirm", "uidb64"): urlsafe_base64_encode(
                force_bytes(alice.pk)
            ),
            ("accounts:password_reset_confirm", "token"): default_token_generator.make_token(alice),
            ("journey:checkin_reminder_off", "value"): reminder_off_value(alice),
            ("journey:digest_unsubscribe", "value"): _last(digest.unsubscribe_url(helper.pk)),
            ("journey:digest_resubscribe", "value"): _last(digest.unsubscribe_url(helper.pk)),
            ("journey:digest_pause", "value"): _last(digest.pause_url(helper.pk)),
            ("journey:digest_resume", "value"): _last(digest.pause_url(helper.pk)),
            ("clubs:emails_off", "value"): _last(club_emails_off_url(alice_in_club)),
            ("clubs:invitation", "token"): nia_token,
            ("clubs:offer_withdraw", "offer_id"): alice_offer.pk,
            ("clubs:lead_withdraw", "lead_id"): alice_lead.pk,
            ("clubs:note_add", "meeting_id"): own_meeting.pk,  # alice facilitates her own club
            # A member's own pages: alice as a member of fay's club.
            **{
                (f"clubs:{name}", "club_id"): alice_in_club.club_id
                for name in (
                    "sharing",
                    "leave",
                    "alumnus",
                    "buddy",
                    "buddy_pick",
                    "buddy_leave",
                    "week_check",
                    "updates",
                )
            },
        },
        form={},
    )

    # Valid values for the common form fields, so a view missing its access check would act (and
    # change a row) rather than stop at "this field is required".
    world.form = {
        **{"kind": "introduction", "request": "Could you introduce Mallory?", "why": "Because."},
        **{"follow_up_days": "7", "personal_line": "Hi from Mallory", "channel": "email"},
        **{"answer": "yes", "message": "Mallory was here", "text": "Mallory was here"},
        **{"reaction": "heart", "led_to": "offer", "outcome": "Mallory", "audience": "inner"},
        **{"email": "mallory@example.org", "name": "Mallory", "company": "Evil Corp"},
        **{"role": "Spy", "stage": "applied", "note": "Mallory", "person": sam.pk},
        **{"keep_me_posted": "yes", "digest_enabled": "on", "news_timing": "right_away"},
        **{"to": [recipients[bob.pk].pk], "send": [recipients[bob.pk].pk], "reopen": "yes"},
    }
    world.clients = {
        "owner": _seeker_client(alice),
        "owner_helper": _helper_client(bob_token),  # bob: the owner on the helper's side
        "other_seeker": _seeker_client(charlie),
        "other_token": _token_client(charlie_secret),
        "owner_read_only_token": _token_client(alice_read_only),
        "other_helper": _helper_client(dev_token),
        "revoked_helper": _helper_client(rita_token),
        "anonymous": csrf_client(),
    }
    circle_actions.grant_revoke(member=rita_member)  # alice switches rita's link off
    return world
