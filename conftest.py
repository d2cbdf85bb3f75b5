"""Shared test actors (DESIGN rule 10).

Two organisations that do case work (``home_org`` and ``other_org``), a coordinating state
fund, and a person for every role. ``login(client, user)`` signs a test client in with both
factors, acting in the given organisation.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

os.environ.setdefault("REINTEGRA_ENV", "development")

from django.test import Client

TEST_PASSWORD = "correct horse battery staple"  # noqa: S105  (test accounts only)


@dataclass
class Actors:
    home_org: object
    other_org: object
    coordinator_org: object
    case_manager: object
    specialist: object
    supervisor: object
    coordinator: object
    analyst: object
    org_admin: object
    system_admin: object
    other_worker: object


@pytest.fixture(autouse=True)
def _english_by_default() -> Any:
    """Each test starts in English: a request in another language (a user's preference)
    leaves that language active in the thread, which would leak into the next test."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_user(db: None) -> Callable[..., object]:
    from accounts.models import Membership, User

    def make(
        username: str, organisation: Any, *roles: str, discipline: str = "", **extra: Any
    ) -> Any:
        user = User.objects.create_user(
            username=username,
            password=TEST_PASSWORD,
            first_name=username.split("_")[0].title(),
            last_name="Tester",
            **extra,
        )
        for role in roles:
            Membership.objects.create(
                user=user, organisation=organisation, role=role, discipline=discipline
            )
        return user

    return make


@pytest.fixture
def actors(db: None, make_user: Callable[..., object]) -> Actors:
    from accounts.models import Organisation, OrganisationType
    from accounts.roles import Discipline, Role

    home = Organisation.objects.create(
        name="Home NGO",
        type=OrganisationType.NGO,
        country="MD",
        policy_pack="md-nrs",
        case_prefix="HOM",
    )
    other = Organisation.objects.create(
        name="Other NGO",
        type=OrganisationType.NGO,
        country="AL",
        policy_pack="al-sop",
        case_prefix="OTH",
    )
    fund = Organisation.objects.create(
        name="State Fund",
        type=OrganisationType.STATE_FUND,
        country="GE",
        policy_pack="ge-fund",
        case_prefix="FND",
    )
    return Actors(
        home_org=home,
        other_org=other,
        coordinator_org=fund,
        case_manager=make_user(
            "cara_manager", home, Role.CASE_MANAGER, discipline=Discipline.SOCIAL_WORKER
        ),
        specialist=make_user(
            "sami_psychologist", home, Role.SPECIALIST, discipline=Discipline.PSYCHOLOGIST
        ),
        supervisor=make_user("suri_supervisor", home, Role.SUPERVISOR),
        coordinator=make_user("cody_coordinator", fund, Role.COORDINATOR),
        analyst=make_user("ana_analyst", fund, Role.ANALYST),
        org_admin=make_user("olli_admin", home, Role.ORGANISATION_ADMIN),
        system_admin=make_user("syd_sysadmin", home, Role.SYSTEM_ADMIN),
        other_worker=make_user("otto_worker", other, Role.CASE_MANAGER),
    )


@pytest.fixture
def login() -> Callable[..., Client]:
    from accounts.testing import verified_login

    def sign_in(client: Client, user: object, organisation: object | None = None) -> Client:
        return verified_login(client, user, organisation)

    return sign_in


@pytest.fixture(autouse=True)
def _api_bodies_match_published_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every JSON body an API test sends and the API accepts must match the body schema the
    published OpenAPI document gives for that operation (issue 15, item 6): a document that
    describes another body than the API takes fails the test that sent it."""
    from api.tests.schema_check import checker

    original = Client.generic

    def generic(
        self: Client, method: str, path: str, data: Any = "", *args: Any, **kwargs: Any
    ) -> Any:
        response = original(self, method, path, data, *args, **kwargs)
        content_type = kwargs.get("content_type") or (args[0] if args else "")
        accepted = response.status_code < 300 or response.status_code == 409
        if accepted and str(content_type).startswith("application/json"):
            errors = checker.errors(method, path, data)
            assert not errors, "request body does not match the published schema:\n" + "\n".join(
                errors
            )
        return response

    monkeypatch.setattr(Client, "generic", generic)
