from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend


class StoreOnlyBackend(BaseEmailBackend):
    """For the demo: the outbox row is the stored copy, so delivering means doing nothing."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        return len(email_messages)
