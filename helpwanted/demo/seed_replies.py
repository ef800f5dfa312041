"""Demo: replies by email (issue 12).

Maya asked two people she knows from the Open Design meetup whether they'd look over her
portfolio's main case study. Sofia Brandt pressed Reply in her mail client and wrote back; her
reply came in through the same `inbound_process` as real mail, with Maya's email quoted below
it, and the ask page shows only Sofia's words and a suggested "Yes, I can" for Maya to confirm
with one click. Daniel Osei answered from his work address, which isn't the one Maya has for
him, so his reply is held: "This reply came from an address we don't know for Daniel Osei".
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from helpwanted.accounts.models import User
from helpwanted.asks.actions import ask_create, ask_send
from helpwanted.asks.models import Ask, Recipient, RecipientEvent
from helpwanted.mail.inbound.compose import reply_bytes
from helpwanted.mail.inbound.process import inbound_process
from helpwanted.mail.models import InboundMessage, OutboxMessage
from helpwanted.network.actions import person_create
from helpwanted.network.models import Person

SOFIA, DANIEL = "Sofia Brandt", "Daniel Osei"
SOFIA_REPLY = (
    "Hi Maya! Happy to. Send me the link and I'll look at it on Thursday evening, "
    "then we can talk it through on Friday if that suits you.\n\nSofia"
)
DANIEL_REPLY = "Yes, gladly. I'll have a look this weekend and send you notes."


def _reply(recipient: Recipient, text: str, sender: str) -> None:
    email = OutboxMessage.objects.get(key=f"ask:{recipient.pk}:sent")
    reply_to = email.headers["Reply-To"]
    raw = reply_bytes(
        text=text,
        from_address=sender,
        reply_to=reply_to,
        subject=email.subject,
        original_text=email.body_text,
        original_message_id=email.headers.get("Message-ID", ""),
        html=True,
    )
    inbound_process(raw, reply_to, sender)


def seed_replies(seeker: User) -> None:
    """Once: if Sofia is already there, a second seed changes nothing."""
    if Person.objects.filter(owner=seeker, name=SOFIA).exists():
        return
    with transaction.atomic():
        people = [
            person_create(
                owner=seeker,
                source="brainstorm",
                fields={
                    "name": name,
                    "relationship": "acquaintance",
                    "closeness": 2,
                    "how_we_know": "The Open Design meetup",
                    "company": company,
                    "position": "Design lead",
                    "emails": [address],
                },
            )
            for name, company, address in (
                (SOFIA, "Fernway", "sofia.brandt@example.net"),
                (DANIEL, "Halden & Co", "daniel.osei@example.net"),
            )
        ]
        ask = ask_create(
            owner=seeker,
            fields={
                "kind": "review",
                "request": (
                    "Would you look over the main case study in my portfolio and tell me the one "
                    "thing you'd change? It's the council housing-repairs service."
                ),
                "why": "It's the piece every interviewer asks about, and I've stared at it "
                "too long to see it fresh.",
            },
            people=people,
        )
        sofia, daniel = sorted(ask_send(ask=ask), key=lambda r: r.person.name != SOFIA)
    # Before Maya's latest dip in hope: an ask sent after it would quiet the home page's early ask.
    sent = timezone.now() - timedelta(days=3, hours=3)
    Ask.objects.filter(pk=ask.pk).update(created_at=sent, sent_at=sent)
    Recipient.objects.filter(ask=ask).update(sent_at=sent)
    RecipientEvent.objects.filter(recipient__ask=ask).update(at=sent)
    OutboxMessage.objects.filter(key__in=[f"ask:{r.pk}:sent" for r in (sofia, daniel)]).update(
        status=OutboxMessage.Status.SENT, sent_at=sent, created_at=sent
    )
    _reply(sofia, SOFIA_REPLY, "sofia.brandt@example.net")
    _reply(daniel, DANIEL_REPLY, "d.osei@halden.example")  # not the address Maya has
    replied = sent + timedelta(hours=2)
    InboundMessage.objects.filter(recipient__ask=ask).update(received_at=replied)
    # Maya heard about Sofia's answer back then; the tick shouldn't email it as new.
    Recipient.objects.filter(pk=sofia.pk).update(answered_at=replied, answer_notified_at=replied)
    RecipientEvent.objects.filter(recipient=sofia, note="replied by email").update(at=replied)
