from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from accounts.access import Acting, acting_for
from assessments import loader, selectors
from assessments.definitions import FormDefinition
from assessments.loader import FormRegistry

TEST_FORMS = Path(__file__).resolve().parent / "forms"


@pytest.fixture
def test_forms() -> Iterator[FormRegistry]:
    """The registry holds the test forms (sample v1 and v2) instead of the shipped ones."""
    registry = selectors.load_forms(TEST_FORMS)
    yield registry
    selectors.load_forms(loader.FORMS_DIRECTORY)


@pytest.fixture
def sample(test_forms: FormRegistry) -> FormDefinition:
    definition = test_forms.get("sample", 1)
    assert definition is not None
    return definition


@pytest.fixture(autouse=True)
def _attachments_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "attachments"


@pytest.fixture
def acting() -> Callable[[Any, Any], Acting]:
    def make(user: Any, organisation: Any) -> Acting:
        resolved = acting_for(user, organisation)
        assert resolved is not None
        return resolved

    return make


@pytest.fixture
def register(actors: Any, acting: Callable[[Any, Any], Acting]) -> Callable[..., Any]:
    """Register a case through the case file's service, by default as the home supervisor."""
    from cases.services import CaseInput, case_register
    from people.services import PersonInput

    def make(
        *,
        by: Any = None,
        organisation: Any = None,
        received_at: datetime.date = datetime.date(2026, 3, 1),
    ) -> Any:
        user = by or actors.supervisor
        return case_register(
            acting=acting(user, organisation or actors.home_org),
            person=PersonInput(
                given_name="Olena",
                family_name="Petrenko",
                date_of_birth=datetime.date(1998, 4, 2),
            ),
            case=CaseInput(received_at=received_at),
            confirmed_not_duplicate=True,
        )

    return make


@pytest.fixture
def case(register: Callable[..., Any]) -> Any:
    from cases.models import Case

    registered = register()
    return Case.objects.select_related("data_key", "person__data_key").get(pk=registered.pk)


RECORD_FORMS = Path(__file__).resolve().parent / "record_forms"


@pytest.fixture
def record_forms() -> Iterator[FormRegistry]:
    """The sample form as a social-work, a psycho-social and a legal form."""
    registry = selectors.load_forms(RECORD_FORMS)
    yield registry
    selectors.load_forms(loader.FORMS_DIRECTORY)


@pytest.fixture
def lawyer(actors: Any, make_user: Callable[..., Any]) -> Any:
    from accounts.roles import Discipline, Role

    return make_user("lena_lawyer", actors.home_org, Role.SPECIALIST, discipline=Discipline.LAWYER)


@pytest.fixture
def team_case(case: Any, actors: Any, lawyer: Any, acting: Callable[[Any, Any], Acting]) -> Any:
    """The case with its case manager assigned and the psychologist and the lawyer on the
    team (through the case file's services)."""
    from cases.models import Case
    from cases.services import case_assign_manager, case_update, team_add

    supervisor = acting(actors.supervisor, actors.home_org)
    case_update(
        acting=supervisor,
        case=case,
        expected_version=case.version,
        values={"immediate_needs_met_on": datetime.date(2026, 3, 2)},
    )
    fresh = Case.objects.select_related("data_key", "person__data_key").get(pk=case.pk)
    case_assign_manager(
        acting=supervisor,
        case=fresh,
        case_manager=actors.case_manager,
        reason="initial",
        expected_version=fresh.version,
    )
    team_add(acting=supervisor, case=fresh, user=actors.specialist, role="psychologist")
    team_add(acting=supervisor, case=fresh, user=lawyer, role="lawyer")
    return Case.objects.select_related("data_key", "person__data_key", "case_manager").get(
        pk=case.pk
    )


@pytest.fixture
def started(
    team_case: Any,
    actors: Any,
    lawyer: Any,
    acting: Callable[[Any, Any], Acting],
    record_forms: Any,
) -> Any:
    """An open round with the three sample forms assigned to the case manager, the
    psychologist and the lawyer."""
    from assessments.services import assessment_assign, comprehensive_start

    manager = acting(actors.case_manager, actors.home_org)
    comprehensive = comprehensive_start(acting=manager, case=team_case)
    for code, user in (
        ("sample", actors.case_manager),
        ("sample_psy", actors.specialist),
        ("sample_legal", lawyer),
    ):
        assessment_assign(
            acting=manager,
            case=team_case,
            comprehensive=comprehensive,
            form_code=code,
            assignee=user,
        )
    return comprehensive
