"""Demo: one bounced address (issue 12, bounces).

Jordan Pike, who worked with Maya at Quayside Studio, is in her circle with his old work
address. Maya asked him three days ago how Lumen Labs hires; the email went, and Quayside's
mail server sent back a delivery status notification (550 5.1.1, no such user: he left in the
summer). It came to the email's VERP return path and went through the same function a real one
does, so the ask page, Jordan's page and the next steps all say "Jordan's email address
bounced: check it", and nothing more is emailed to that address until Maya changes it.
"""

import email
import email.policy
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

from django.db import transaction
from django.utils import timezone

from helpwanted.accounts.models import User
from helpwanted.asks.actions import ask_create, ask_send
from helpwanted.asks.models import Ask, Recipient, RecipientEvent
from helpwanted.circle.actions import circle_add
from helpwanted.mail.bounces import bounce_process, verp_address
from helpwanted.mail.models import OutboxMessage
from helpwanted.network.actions import person_create
from helpwanted.network.models import Person

NAME = "Jordan Pike"
ADDRESS = "jordan.pike@quayside-studio.example"


REPORT = """\
From: MAILER-DAEMON@mx.quayside-studio.example (Mail Delivery System)
To: {rcpt}
Subject: Undelivered Mail Returned to Sender
Date: {date}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="QS.report"

--QS.report
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.quayside-studio.example.

I'm sorry to have to inform you that your message could not be delivered.

<{to}>: host mx.quayside-studio.example said: {words}

--QS.report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.quayside-studio.example

Final-Recipient: rfc822; {to}
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; {words}

--QS.report--
"""


def delivery_report(*, rcpt: str, to: str, when: datetime) -> EmailMessage:
    """A Postfix-style RFC 3464 report: "550 5.1.1 ... User unknown"."""
    words = f"550 5.1.1 <{to}>: Recipient address rejected: User unknown in virtual mailbox table"
    raw = REPORT.format(rcpt=rcpt, to=to, words=words, date=format_datetime(when))
    report = email.message_from_string(raw, policy=email.policy.default)
    assert isinstance(report, EmailMessage)  # the default policy's message class
    return report


def seed_bounces(seeker: User) -> None:
    """Once: if Jordan is already there, a second seed changes nothing."""
    if Person.objects.filter(owner=seeker, name=NAME).exists():
        return
    with transaction.atomic():
        jordan = person_create(
            owner=seeker,
            source="brainstorm",
            fields={
                "name": NAME,
                "relationship": "former_colleague",
                "closeness": 3,
                "how_we_know": "We worked together at Quayside Studio",
                "company": "Quayside Studio",
                "position": "Senior product designer",
                "emails": [ADDRESS],
            },
        )
        circle_add(person=jordan, audience="network")
        ask = ask_create(
            owner=seeker,
            fields={
                "kind": "advice",
                "request": (
                    "Could you tell me how the design team at Lumen Labs hires? You mentioned "
                    "a friend there: twenty minutes on the phone any evening this week would "
                    "help me a lot."
                ),
                "why": "I'm applying there next week and want my portfolio to fit what they "
                "look for.",
            },
            people=[jordan],
        )
        (recipient,) = ask_send(ask=ask)
    when = timezone.now() - timedelta(days=3, hours=2)
    Ask.objects.filter(pk=ask.pk).update(created_at=when, sent_at=when)
    Recipient.objects.filter(pk=recipient.pk).update(sent_at=when)
    RecipientEvent.objects.filter(recipient=recipient).update(at=when)
    # The email went (the demo's mailer keeps it here), then came back a minute later.
    row = OutboxMessage.objects.get(key=f"ask:{recipient.pk}:sent")
    OutboxMessage.objects.filter(pk=row.pk).update(
        status=OutboxMessage.Status.SENT, sent_at=when, created_at=when
    )
    rcpt = verp_address(row.pk)
    bounced = when + timedelta(minutes=1)
    bounce_process(delivery_report(rcpt=rcpt, to=ADDRESS, when=bounced), rcpt)
    OutboxMessage.objects.filter(pk=row.pk).update(bounced_at=bounced)
    Person.objects.filter(pk=jordan.pk).update(bounced_at=bounced)
