"""Two requests at once give the result of one (issue 14, "close the races at their root").

Each test releases two threads together, each with its own database connection, a few times
over: on PostgreSQL they really overlap; on SQLite IMMEDIATE transactions take turns. Either
way the second request must see what the first wrote.
"""

from functools import partial

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from helpwanted.asks.actions import (
    AskError,
    ask_create,
    ask_send,
    helper_opened,
    recipient_answer,
    recipient_done,
    recipient_follow_up,
    recipient_let_go,
    recipient_mark_asked,
    recipient_remove,
    recipient_thank,
)
from helpwanted.asks.models import Recipient, RecipientEvent
from helpwanted.circle.actions import (
    circle_add,
    circle_invite,
    grant_issue,
    grant_lookup,
    grant_revoke,
    grant_revoke_undo,
    member_consent,
)
from helpwanted.circle.models import CircleMember, HelperGrant
from helpwanted.journey.landed import search_land, thank_yous_send
from helpwanted.journey.models import Opportunity, Search, StageChange, ThankYou, Update
from helpwanted.journey.opportunities import opportunity_create, opportunity_delete
from helpwanted.journey.updates import update_delete, update_post, update_restore
from helpwanted.mail.models import OutboxMessage
from helpwanted.network.actions import person_create
from helpwanted.network.imports import import_job_confirm, import_job_create
from helpwanted.network.models import ImportJob, Person
from tests.concurrency import at_once, twice

pytestmark = pytest.mark.django_db(transaction=True)

ATTEMPTS = 5  # one overlap is enough to double a write; five make missing it unlikely
Status = Recipient.Status


def _person(owner, tag: str) -> Person:
    return person_create(
        owner=owner,
        fields={"name": f"Helper {tag}", "emails": [f"helper-{tag}@example.org"]},
    )


def _ask(owner, people=()):
    return ask_create(
        owner=owner,
        fields={"kind": "advice", "request": "Could we talk for twenty minutes about design?"},
        people=people,
    )


def _recipient(owner, tag: str, status: str, **fields) -> Recipient:
    """A recipient of a fresh ask, already at `status`, whose person is in the circle."""
    person = _person(owner, tag)
    circle_add(person=person, audience="network")
    return Recipient.objects.create(
        ask=_ask(owner), person=person, status=status, sent_at=timezone.now(), **fields
    )


def _load(pk: int) -> Recipient:
    """What a request would load: the row as it is now, read on the thread's own connection."""
    return Recipient.objects.select_related("ask", "person").get(pk=pk)


def _member_now(pk: int) -> CircleMember:
    return CircleMember.objects.select_related("person", "owner").get(pk=pk)


def _events(recipient: Recipient, status: str, note: str | None = None) -> int:
    events = RecipientEvent.objects.filter(recipient=recipient, status=status)
    return (events if note is None else events.filter(note=note)).count()


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _answer_yes(pk: int) -> bool:
    return recipient_answer(recipient=_load(pk), answer="yes", message="Happy to help!")


def _follow_up(pk: int) -> None:
    recipient_follow_up(recipient=_load(pk), text="Just checking in!")


def _outcome(pk: int) -> None:
    recipient_done(recipient=_load(pk), outcome="We had coffee.", led_to="conversation")


def _invite(pk: int, email: str) -> HelperGrant:
    return circle_invite(member=_member_now(pk), email=email, message="Hello!")


def _send_thank_yous(owner, texts: dict[int, str]):
    return thank_yous_send(owner=owner, texts=texts, chosen=set(texts))


def test_two_sends_of_one_ask_at_once_send_it_once(alice):
    clients = [_client(alice), _client(alice)]
    for attempt in range(ATTEMPTS):
        people = [_person(alice, f"send-{attempt}-{i}") for i in range(3)]
        ask = _ask(alice, people)
        url = reverse("asks:send", args=[ask.pk])
        responses = at_once(*[partial(c.post, url) for c in clients])
        assert [r.status_code for r in responses] == [302, 302]
        for person in people:
            recipient = Recipient.objects.get(ask=ask, person=person)
            assert recipient.status == Status.SENT
            assert _events(recipient, Status.SENT) == 1
            assert Person.objects.get(pk=person.pk).asks_count == 1
            assert HelperGrant.objects.filter(member__person=person).count() == 1
            assert OutboxMessage.objects.filter(to_email=person.emails[0]).count() == 1


def test_a_second_send_just_says_the_ask_has_gone_out(alice):
    ask = _ask(alice, [_person(alice, "again")])
    client = _client(alice)
    client.post(reverse("asks:send", args=[ask.pk]))
    page = client.post(reverse("asks:send", args=[ask.pk]), follow=True).content.decode()
    assert "This ask has gone out." in page
    assert "Choose at least one person" not in page
    assert OutboxMessage.objects.count() == 1


def test_two_continue_presses_at_once_open_each_ask_once(alice):
    for attempt in range(ATTEMPTS):
        first = _recipient(alice, f"open-{attempt}", Status.SENT)
        member = CircleMember.objects.get(person=first.person)
        others = [
            Recipient.objects.create(
                ask=_ask(alice), person=first.person, status=Status.SENT, sent_at=timezone.now()
            )
            for _ in range(3)
        ]
        assert sum(twice(lambda pk: helper_opened(member=_member_now(pk)), member.pk)) == 4
        for recipient in [first, *others]:
            assert _events(recipient, Status.OPENED) == 1
            assert Recipient.objects.get(pk=recipient.pk).status == Status.OPENED


def test_the_same_answer_sent_twice_at_once_is_one_answer(alice):
    for attempt in range(ATTEMPTS):
        recipient = _recipient(alice, f"answer-{attempt}", Status.OPENED)
        assert sorted(twice(_answer_yes, recipient.pk)) == [False, True]
        assert _events(recipient, Status.OFFERED) == 1
        assert Person.objects.get(pk=recipient.person_id).answers_count == 1


def test_two_follow_ups_at_once_send_one(alice):
    for attempt in range(ATTEMPTS):
        recipient = _recipient(alice, f"follow-{attempt}", Status.SENT)
        results = twice(_follow_up, recipient.pk, expected=(AskError,))
        assert sum(isinstance(r, AskError) for r in results) == 1
        assert "already followed up" in str(next(r for r in results if r is not None))
        assert _events(recipient, Status.SENT, "followed up") == 1
        assert OutboxMessage.objects.filter(key__startswith=f"ask:{recipient.pk}:").count() == 1


def test_two_thank_yous_at_once_thank_once(alice):
    for attempt in range(ATTEMPTS):
        recipient = _recipient(alice, f"thank-{attempt}", Status.DONE, done_at=timezone.now())
        twice(
            lambda pk: recipient_thank(recipient=_load(pk), text="Thank you so much!"), recipient.pk
        )
        assert _events(recipient, Status.THANKED) == 1
        assert OutboxMessage.objects.filter(key=f"ask:{recipient.pk}:thanks").count() == 1


def test_marking_someone_asked_twice_at_once_counts_one_ask(alice):
    for attempt in range(ATTEMPTS):
        recipient = _recipient(
            alice, f"asked-{attempt}", Status.TO_ASK, channel=Recipient.Channel.IN_PERSON
        )
        twice(
            lambda pk: recipient_mark_asked(recipient=_load(pk)), recipient.pk, expected=(AskError,)
        )
        assert _events(recipient, Status.SENT) == 1
        assert Person.objects.get(pk=recipient.person_id).asks_count == 1


def test_the_same_outcome_twice_at_once_is_one_outcome(alice):
    for attempt in range(ATTEMPTS):
        recipient = _recipient(alice, f"done-{attempt}", Status.OFFERED)
        twice(_outcome, recipient.pk)
        assert _events(recipient, Status.DONE) == 1


def test_letting_go_twice_at_once_is_noted_once(alice):
    for attempt in range(ATTEMPTS):
        recipient = _recipient(alice, f"let-{attempt}", Status.SENT)
        twice(lambda pk: recipient_let_go(recipient=_load(pk)), recipient.pk)
        assert _events(recipient, Status.SENT, "let it go") == 1


def test_a_preview_confirmed_twice_at_once_imports_once(alice):
    header = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"
    for attempt in range(ATTEMPTS):
        rows = [f"P{attempt}x{i},Q,,p{attempt}x{i}@example.org,Acme,Engineer," for i in range(5)]
        data = ("\r\n".join([header, *rows]) + "\r\n").encode()
        job = import_job_create(owner=alice, upload=SimpleUploadedFile("Connections.csv", data))
        twice(lambda pk: import_job_confirm(job=ImportJob.objects.get(pk=pk)), job.pk)
        job.refresh_from_db()
        assert (job.status, job.created) == (ImportJob.Status.DONE, 5)
        assert Person.objects.filter(owner=alice, name__startswith=f"P{attempt}x").count() == 5


def _member(owner, tag: str) -> CircleMember:
    return circle_add(person=_person(owner, tag), audience="supporters")


def test_two_yeses_at_once_record_consent_once(alice):
    for attempt in range(ATTEMPTS):
        member = _member(alice, f"yes-{attempt}")
        yes = twice(lambda pk: member_consent(member=_member_now(pk), via="invite"), member.pk)
        assert sorted(yes) == [False, True]


def test_undo_after_switching_a_link_off_twice_at_once_turns_it_back_on(alice):
    for attempt in range(ATTEMPTS):
        member = _member(alice, f"off-{attempt}")
        _, token = grant_issue(member=member)
        off = twice(lambda pk: grant_revoke(member=_member_now(pk)), member.pk)
        assert sorted(off) == [0, 1]
        assert grant_lookup(token=token) is None
        assert grant_revoke_undo(member=CircleMember.objects.get(pk=member.pk))
        assert grant_lookup(token=token) is not None


def test_the_same_invitation_pressed_again_and_again_is_one_email_with_a_working_link(alice):
    for attempt in range(ATTEMPTS):
        member = _member(alice, f"invite-{attempt}")
        email = member.person.emails[0]
        grants = [
            *twice(_invite, member.pk, email),
            _invite(member.pk, email),  # and a third press just after
        ]
        assert grants[0].pk == grants[1].pk == grants[2].pk
        invites = OutboxMessage.objects.filter(key__startswith=f"invite:{member.pk}:")
        assert invites.count() == 1
        assert invites.get().key == f"invite:{member.pk}:{grants[0].pk}"
        assert HelperGrant.objects.get(pk=grants[0].pk).is_usable


def test_a_changed_invitation_right_after_the_first_still_goes(alice):
    member = _member(alice, "resend")
    circle_invite(member=member, email=member.person.emails[0], message="Hello!")
    circle_invite(member=member, email=member.person.emails[0], message="Hello again, fixed!")
    circle_invite(member=member, email="another@example.org", message="Hello again, fixed!")
    assert OutboxMessage.objects.filter(key__startswith=f"invite:{member.pk}:").count() == 3


def test_sending_the_landing_thank_yous_twice_at_once_sends_each_once(alice):
    for attempt in range(ATTEMPTS):
        people = [_member(alice, f"landed-{attempt}-{i}").person for i in range(3)]
        notes = [ThankYou.objects.create(owner=alice, person=p, text="Thank you!") for p in people]
        texts = {note.pk: "Thank you for everything!" for note in notes}
        results = twice(_send_thank_yous, alice, texts)
        assert sorted(len(r.emailed) for r in results) == [0, 3]
        for note in notes:
            assert OutboxMessage.objects.filter(key=f"landed-thanks:{note.pk}").count() == 1


def _land(owner, pk: int) -> Search:
    return search_land(owner=owner, opportunity=Opportunity.objects.get(pk=pk))


def test_i_got_the_job_pressed_twice_at_once_lands_once(alice):
    for attempt in range(ATTEMPTS):
        Search.objects.filter(owner=alice).update(landed_at=None)
        offer = opportunity_create(
            owner=alice, fields={"company": f"Acme {attempt}", "role": "Designer"}, stage="offer"
        )
        twice(_land, alice, offer.pk)
        accepted = StageChange.objects.filter(opportunity=offer, to_stage="accepted")
        assert accepted.count() == 1
        assert Update.objects.filter(owner=alice, opportunity=offer, kind="win").count() == 1


def _send(pk: int) -> object:
    from helpwanted.asks.models import Ask

    return ask_send(ask=Ask.objects.get(pk=pk))


def test_removing_a_draft_while_send_runs_either_sends_to_them_or_not_at_all(alice):
    for attempt in range(ATTEMPTS):
        people = [_person(alice, f"remove-{attempt}-{i}") for i in range(2)]
        ask = _ask(alice, people)
        leaving = Recipient.objects.get(ask=ask, person=people[1])
        at_once(
            partial(_send, ask.pk),
            lambda pk=leaving.pk: recipient_remove(recipient=_load(pk)),
            expected=(AskError,),
        )
        kept = Recipient.objects.filter(pk=leaving.pk).first()
        emailed = OutboxMessage.objects.filter(to_email=people[1].emails[0]).count()
        assert emailed == Person.objects.get(pk=people[1].pk).asks_count
        assert emailed == (1 if kept is not None else 0)
        if kept is not None:
            assert (kept.status, _events(kept, Status.SENT)) == (Status.SENT, 1)


def _post(owner) -> Update:
    return update_post(owner=owner, kind="progress", text="Two interviews this week!")


def test_the_same_update_posted_twice_at_once_is_one_post(alice):
    for _ in range(ATTEMPTS):
        Update.objects.filter(owner=alice).delete()
        posts = twice(_post, alice)
        assert posts[0].pk == posts[1].pk
        assert Update.objects.filter(owner=alice).count() == 1


def _take_down(pk: int) -> bool:
    return update_delete(update=Update.objects.get(pk=pk))


def _put_back(pk: int) -> bool:
    return update_restore(update=Update.objects.get(pk=pk))


def test_deleting_and_undoing_twice_at_once_change_things_once(alice):
    for attempt in range(ATTEMPTS):
        post = update_post(owner=alice, kind="win", text=f"An offer, number {attempt}!")
        assert sorted(twice(_take_down, post.pk)) == [False, True]
        assert sorted(twice(_put_back, post.pk)) == [False, True]
        assert Update.objects.get(pk=post.pk).deleted_at is None
        offer = opportunity_create(owner=alice, fields={"company": f"Zed {attempt}"})
        twice(
            lambda pk: opportunity_delete(opportunity=Opportunity.all_objects.get(pk=pk)), offer.pk
        )
        assert Opportunity.all_objects.get(pk=offer.pk).deleted_at is not None
