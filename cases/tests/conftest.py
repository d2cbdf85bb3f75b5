"""Fixtures of the case-file tests: registered cases for the shared actors."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from accounts.access import Acting, acting_for


@pytest.fixture(autouse=True)
def _attachments_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "attachments"


@pytest.fixture(autouse=True)
def _shipped_indicators(request: Any) -> None:
    """The indicator list comes from a data migration, which a transactional test elsewhere in
    the same (parallel) worker may have flushed away; put it back for database tests."""
    if request.node.get_closest_marker("django_db") is None and "db" not in request.fixturenames:
        return
    request.getfixturevalue("db")
    from cases.indicators import load_default_indicators

    load_default_indicators()


@pytest.fixture
def acting() -> Callable[[Any, Any], Acting]:
    def make(user: Any, organisation: Any) -> Acting:
        resolved = acting_for(user, organisation)
        assert resolved is not None
        return resolved

    return make


@pytest.fixture
def register(actors: Any, acting: Callable[[Any, Any], Acting]) -> Callable[..., Any]:
    """Register a case through the service, by default as the home supervisor."""
    from cases.services import CaseInput, case_register
    from people.services import PersonInput

    def make(
        given_name: str = "Olena",
        family_name: str = "Petrenko",
        *,
        by: Any = None,
        organisation: Any = None,
        date_of_birth: datetime.date | None = datetime.date(1998, 4, 2),
        confirmed: bool = True,
        **person: Any,
    ) -> Any:
        user = by or actors.supervisor
        return case_register(
            acting=acting(user, organisation or actors.home_org),
            person=PersonInput(
                given_name=given_name,
                family_name=family_name,
                date_of_birth=date_of_birth,
                **person,
            ),
            case=CaseInput(
                received_at=datetime.date(2026, 3, 1), emergency_needs="shelter tonight"
            ),
            confirmed_not_duplicate=confirmed,
        )

    return make


@pytest.fixture
def case(register: Callable[..., Any]) -> Any:
    return register()


@pytest.fixture
def managed_case(case: Any, actors: Any, acting: Callable[[Any, Any], Acting]) -> Any:
    """The case with immediate needs met and the home case manager assigned."""
    from cases.models import Case
    from cases.services import case_assign_manager, case_update

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
    return Case.objects.select_related("data_key", "person__data_key", "case_manager").get(
        pk=case.pk
    )


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def pdf_upload() -> Callable[[str], Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    def make(name: str = "decision.pdf", content: bytes = PDF) -> Any:
        return SimpleUploadedFile(name, content, content_type="application/pdf")

    return make
