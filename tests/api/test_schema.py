"""schemathesis against /api/v1/openapi.json, through the WSGI app, on the test database.

For every operation it generates requests from the schema (valid and invalid ones) and sends
them with alice's read-write token, her real ids in the path: no response is a server error,
and every response (status, content type, headers and body) is one the document promises.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from helpwanted.api.tokens import token_create
from helpwanted.wsgi import application
from tests.api.world import alices_things

# Examples and fuzzing, a few each: the coverage phase's exhaustive boundaries take minutes.
CONFIG = SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": False}}})
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture
def alice_api(alice, settings):
    settings.API_RATE_LIMIT = 100_000  # generated requests come fast; 429 has its own test
    ids = alices_things(alice).ids
    _token, secret = token_create(owner=alice, name="schemathesis", can_write=True)
    # As Django's test client does: the end of a request must not close the test's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield ids, {"Authorization": f"Bearer {secret}"}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_its_schema_says(case, alice_api) -> None:
    ids, headers = alice_api
    meta = case._meta  # which parts schemathesis made invalid on purpose
    if case.path_parameters and not (meta and meta.is_negative_at(ParameterLocation.PATH)):
        for name in case.path_parameters:
            case.path_parameters[name] = ids[name]  # her real things: the views run to the end
    if meta and meta.is_negative_at(ParameterLocation.HEADER):
        headers = {}  # a request it made without the token must get its 401
    case.call_and_validate(headers=headers, checks=CHECKS)
