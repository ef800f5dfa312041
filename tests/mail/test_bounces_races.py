"""The same bounce delivered twice at once (two inbound servers, two connections) records once."""

import logging

import pytest

from helpwanted.mail.bounces import bounce_process, verp_address
from helpwanted.mail.models import OutboxMessage
from helpwanted.network.models import Person
from tests.concurrency import at_once, twice
from tests.mail.test_bounces import asked, bounce_message, jordan

pytestmark = pytest.mark.django_db(transaction=True)

ATTEMPTS = 4


def _process(fixture: str, rcpt: str, to: str) -> str:
    return bounce_process(bounce_message(fixture, rcpt, to), rcpt)


def test_one_dsn_delivered_twice_at_once_is_recorded_once(alice, caplog):
    caplog.set_level(logging.INFO, logger="helpwanted.mail")
    for attempt in range(ATTEMPTS):
        person = jordan(alice, f"jordan-{attempt}@example.net")
        _, row = asked(alice, person)
        rcpt = verp_address(row.pk)
        caplog.clear()
        assert twice(_process, "postfix-5.1.1.eml", rcpt, row.to_email) == ["permanent"] * 2
        assert sum(f"email {row.pk} bounced" in r.getMessage() for r in caplog.records) == 1
        assert OutboxMessage.objects.get(pk=row.pk).bounce_status == "5.1.1"
        assert Person.objects.get(pk=person.pk).email_bouncing


def test_a_warning_and_a_failure_at_once_end_as_the_failure(alice):
    for attempt in range(ATTEMPTS):
        person = jordan(alice, f"sam-{attempt}@example.net")
        _, row = asked(alice, person)
        rcpt = verp_address(row.pk)
        results = at_once(
            lambda: _process("postfix-4.2.2-delayed.eml", rcpt, row.to_email),  # noqa: B023
            lambda: _process("outlook-5.1.10.eml", rcpt, row.to_email),  # noqa: B023
        )
        assert results == ["temporary", "permanent"]
        assert OutboxMessage.objects.get(pk=row.pk).bounce_status == "5.1.10"
        assert Person.objects.get(pk=person.pk).email_bouncing
