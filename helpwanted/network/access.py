"""The one access check per object type on the seeker's side. Anything else is a 404."""

from django.shortcuts import get_object_or_404

from helpwanted.accounts.http import AuthedRequest
from helpwanted.network.models import ImportJob, Person, Target


def get_person_for_seeker(request: AuthedRequest, person_id: int) -> Person:
    return get_object_or_404(Person, pk=person_id, owner=request.user)


def get_target_for_seeker(request: AuthedRequest, target_id: int) -> Target:
    return get_object_or_404(Target, pk=target_id, owner=request.user)


def get_import_for_seeker(request: AuthedRequest, job_id: int) -> ImportJob:
    # The uploaded file can be 20 MB; progress polls every second and never needs it.
    return get_object_or_404(ImportJob.objects.defer("data"), pk=job_id, owner=request.user)
