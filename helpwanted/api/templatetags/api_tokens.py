"""{% live_tokens user as tokens %}: the account page lists tokens without its view knowing."""

from django import template
from django.db.models import QuerySet

from helpwanted.accounts.models import User
from helpwanted.api.models import PersonalAccessToken

register = template.Library()


@register.simple_tag
def live_tokens(user: User) -> QuerySet[PersonalAccessToken]:
    return PersonalAccessToken.objects.filter(owner=user, revoked_at__isnull=True)
