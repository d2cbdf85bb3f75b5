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
