"""The case chokepoints: who sees which case, and 404 versus 403."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.access import CaseAction, cases_visible_to, get_case_for
from cases.services import team_add

pytestmark = pytest.mark.django_db


def test_supervisor_sees_every_case_of_the_organisation(
    case: Any, actors: Any, acting: Any
) -> None:
    assert list(cases_visible_to(acting(actors.supervisor, actors.home_org))) == [case]


def test_case_manager_sees_own_cases_only(
    managed_case: Any, register: Any, actors: Any, acting: Any
) -> None:
    unassigned = register("Maria", "Ionescu", date_of_birth=None)
    visible = set(cases_visible_to(acting(actors.case_manager, actors.home_org)))
    assert managed_case in visible
    assert unassigned not in visible


def test_specialist_sees_a_case_only_once_on_the_team(case: Any, actors: Any, acting: Any) -> None:
    specialist = acting(actors.specialist, actors.home_org)
    assert list(cases_visible_to(specialist)) == []
    team_add(
        acting=acting(actors.supervisor, actors.home_org),
        case=case,
        user=actors.specialist,
        role="psychologist",
    )
    assert list(cases_visible_to(specialist)) == [case]
    assert get_case_for(specialist, case.pk, action=CaseAction.WORK) == case
    with pytest.raises(PermissionDenied):
        get_case_for(specialist, case.pk, action=CaseAction.ASSIGN)


@pytest.mark.parametrize("who", ["analyst", "coordinator", "org_admin", "system_admin"])
def test_roles_without_identity_see_no_case(case: Any, actors: Any, acting: Any, who: str) -> None:
    user = getattr(actors, who)
    organisation = actors.coordinator_org if who in ("analyst", "coordinator") else actors.home_org
    assert list(cases_visible_to(acting(user, organisation))) == []
    with pytest.raises(Http404):
        get_case_for(acting(user, organisation), case.pk, action=CaseAction.VIEW)


def test_other_organisation_gets_404(case: Any, actors: Any, acting: Any) -> None:
    with pytest.raises(Http404):
        get_case_for(acting(actors.other_worker, actors.other_org), case.pk, action=CaseAction.VIEW)


def test_known_case_but_forbidden_action_is_403(
    managed_case: Any, actors: Any, acting: Any
) -> None:
    manager = acting(actors.case_manager, actors.home_org)
    assert get_case_for(manager, managed_case.pk, action=CaseAction.MANAGE) == managed_case
    with pytest.raises(PermissionDenied):
        get_case_for(manager, managed_case.pk, action=CaseAction.OVERRIDE_CONSENT)


def test_nobody_acting_sees_nothing(case: Any) -> None:
    assert list(cases_visible_to(None)) == []
    with pytest.raises(Http404):
        get_case_for(None, case.pk, action=CaseAction.VIEW)
