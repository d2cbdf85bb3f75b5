"""Property-based fuzzing of the whole published OpenAPI document with schemathesis
(issue 15, item 5): every operation, valid and invalid inputs, 0 server errors.

The requests go in-process to Django's WSGI application (no server), authenticated with a
supervisor's personal API token; path parameters named ``case_id`` point at a real case
half of the time, so that bodies reach the services and not only the 404 of an unknown id.
Bounded and deterministic: a fixed number of examples per operation, derandomised. It runs
once per ``make test`` on whichever database the suite uses (two to three minutes).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from accounts.access import acting_for
from accounts.models import ApiToken
from accounts.services import API_TOKEN_PREFIX, hash_api_token
from api.urls import api

pytestmark = pytest.mark.django_db

# The supervisor reaches the case file; the system administrator the accounts, organisations,
# indicators and policy packs.
EXAMPLES = {"supervisor": 4, "system_admin": 2}


@pytest.fixture
def keep_test_transaction() -> Iterator[None]:
    """Django's WSGI handler closes the connection at each request; inside the test's
    transaction that would end it. The test client does the same as this."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _schema() -> Any:
    document = json.loads(json.dumps(api.get_openapi_schema()))
    return schemathesis.openapi.from_dict(document)


@pytest.mark.parametrize("actor", sorted(EXAMPLES))
def test_no_operation_answers_a_server_error(
    actors: Any, open_case: Any, keep_test_transaction: None, actor: str
) -> None:
    case = open_case()
    user = getattr(actors, actor)
    # Made directly: a system administrator holds no token capability in the UI, but the
    # API's rules must hold for any authenticated caller.
    raw = API_TOKEN_PREFIX + "fuzz-" + actor
    token = ApiToken.objects.create(
        user=user,
        organisation=actors.home_org,
        name="fuzz",
        prefix=raw[:12],
        token_hash=hash_api_token(raw),
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    assert acting_for(user, actors.home_org) is not None
    statuses: list[int] = []
    application = WSGIHandler()
    headers = {"Authorization": f"Bearer {raw}", "Host": "testserver"}
    failures: list[str] = []
    operations = [result.ok() for result in _schema().get_all_operations()]
    assert len(operations) > 100

    for operation in operations:
        strategies = [
            operation.as_strategy(generation_mode=mode)
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        ]

        @settings(
            max_examples=EXAMPLES[actor],
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(generated=st.one_of(*strategies), real_case=st.booleans())
        def fuzz(generated: Any, real_case: bool) -> None:
            parameters = generated.path_parameters or {}
            if real_case and "case_id" in parameters:
                parameters["case_id"] = case.pk
            if "token_id" in parameters and parameters["token_id"] == token.pk:
                # Revoking the fuzzer's own token would end the run in 401s.
                parameters["token_id"] = token.pk + 1
            # Fuzz as a signed-in supervisor: the generated credentials are replaced.
            for name, value in headers.items():
                generated.headers[name] = value
            generated.cookies = {}
            response = generated.call(app=application)
            statuses.append(response.status_code)
            if response.status_code >= 500:
                failures.append(
                    f"{generated.method} {generated.formatted_path} -> "
                    f"{response.status_code}: {generated.as_curl_command()}"
                )

        fuzz()
    assert failures == []
    # The run reached the services, not only the authentication: a fuzzer locked out by a
    # revoked token or a CSRF refusal would pass with nothing tested.
    assert sum(200 <= status < 300 for status in statuses) >= 10
    assert statuses.count(401) == 0
