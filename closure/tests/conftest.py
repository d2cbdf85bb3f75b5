"""Fixtures of the closure tests: registered cases with a case manager in the Moldovan
(md-nrs) and the Albanian (al-sop) organisations of the shared actors."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from accounts.access import Acting, acting_for


@pytest.fixture
def acting() -> Callable[[Any, Any], Acting]:
    def make(user: Any, organisation: Any) -> Acting:
        resolved = acting_for(user, organisation)
        assert resolved is not None
        return resolved

    return make


@dataclass
class Albania:
    organisation: Any
    case_manager: Any
    supervisor: Any
    officer: Any


@pytest.fixture
def albania(actors: Any, make_user: Callable[..., Any]) -> Albania:
    from accounts.roles import Role

    return Albania(
        organisation=actors.other_org,
        case_manager=actors.other_worker,
        supervisor=make_user("besa_supervisor", actors.other_org, Role.SUPERVISOR),
        officer=make_user("arta_officer", actors.other_org, Role.COMPLAINTS_OFFICER),
    )


@pytest.fixture
def make_case(actors: Any, acting: Callable[[Any, Any], Acting]) -> Callable[..., Any]:
    """A registered case with its case manager assigned, received on ``received``."""
    from cases.models import Case
    from cases.services import CaseInput, case_assign_manager, case_register, case_update
    from people.services import PersonInput

    def make(
        *,
        organisation: Any = None,
        supervisor: Any = None,
        case_manager: Any = None,
        received: datetime.date = datetime.date(2026, 1, 10),
        given_name: str = "Olena",
        languages: tuple[str, ...] = (),
    ) -> Any:
        organisation = organisation or actors.home_org
        boss = acting(supervisor or actors.supervisor, organisation)
        case = case_register(
            acting=boss,
            person=PersonInput(
                given_name=given_name,
                family_name="Petrenko",
                date_of_birth=datetime.date(1998, 4, 2),
                languages=list(languages),
            ),
            case=CaseInput(received_at=received),
            confirmed_not_duplicate=True,
        )
        case_update(
            acting=boss,
            case=case,
            expected_version=case.version,
            values={"immediate_needs_met_on": received},
        )
        fresh = Case.objects.select_related("data_key", "person__data_key").get(pk=case.pk)
        case_assign_manager(
            acting=boss,
            case=fresh,
            case_manager=case_manager or actors.case_manager,
            reason="initial",
            expected_version=fresh.version,
        )
        return Case.objects.select_related("data_key", "person__data_key", "case_manager").get(
            pk=case.pk
        )

    return make
