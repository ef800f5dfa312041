"""The one access check for replies by email: only the seeker they were for sees them."""

from django.shortcuts import get_object_or_404

from helpwanted.accounts.http import AuthedRequest
from helpwanted.mail.models import InboundMessage


def get_reply_for_seeker(request: AuthedRequest, reply_id: int) -> InboundMessage:
    return get_object_or_404(
        InboundMessage.objects.select_related(
            "reply_key__member__person", "reply_key__update", "recipient__ask", "person"
        ).exclude(status=InboundMessage.Status.DROPPED),
        pk=reply_id,
        owner=request.user,
    )
