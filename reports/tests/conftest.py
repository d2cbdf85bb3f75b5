"""Actors and a population for the statistics tests: a national coordinating unit in the
same country as the shared ``home_org`` (Moldova), with a coordinator and an analyst, and a
helper that registers cases through the case services."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone


@dataclass
class National:
    unit: Any
    coordinator: Any
    analyst: Any
    supervisor: Any  # acting of the shared supervisor at home_org


@pytest.fixture
def national(actors: Any, make_user: Callable[..., Any]) -> National:
    from accounts.access import acting_for
    from accounts.models import Organisation, OrganisationType
    from accounts.roles import Role

    unit = Organisation.objects.create(
        name="Moldovan Coordination Unit",
        type=OrganisationType.STATE_AUTHORITY,
        country="MD",
        policy_pack="md-nrs",
        case_prefix="MCU",
    )
    return National(
        unit=unit,
        coordinator=make_user("mira_coordinator", unit, Role.COORDINATOR),
        analyst=make_user("andrei_analyst", unit, Role.ANALYST),
        supervisor=acting_for(actors.supervisor, actors.home_org),
    )


@pytest.fixture
def register(db: None) -> Callable[..., Any]:
    """Register a case through the services: ``register(acting, sex="female", ...)``."""
    from cases.models import Case, TraffickingProfile
    from cases.services import CaseInput, case_register, profile_update
    from people.services import PersonInput

    counter = {"n": 0}

    def make(
        acting: Any,
        *,
        sex: str = "female",
        birth_year: int = 1995,
        citizenship: str = "MD",
        received_at: datetime.date | None = None,
        exploitation: tuple[str, ...] = (),
        given_name: str = "",
        family_name: str = "",
        date_of_birth: datetime.date | None = None,
    ) -> Case:
        counter["n"] += 1
        number = counter["n"]
        case = case_register(
            acting=acting,
            person=PersonInput(
                given_name=given_name or f"Ioana{number}",
                family_name=family_name or f"Testescu{number}",
                date_of_birth=date_of_birth,
                birth_year=None if date_of_birth else birth_year,
                sex=sex,
                citizenships=[citizenship],
            ),
            case=CaseInput(received_at=received_at or timezone.localdate()),
            confirmed_not_duplicate=True,
        )
        if exploitation:
            version = TraffickingProfile.objects.values_list("version", flat=True).get(case=case)
            profile_update(
                acting=acting,
                case=case,
                expected_version=version,
                values={},
                codes={"exploitation": list(exploitation)},
                texts={},
            )
        return case

    return make
