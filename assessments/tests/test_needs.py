"""The conclusions of completed assessments, as the plan reads them (``needs_for_case``)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from assessments.models import Assessment, AssessmentStatus, ComprehensiveAssessment
from assessments.selectors import AssessedNeed, needs_for_case

pytestmark = pytest.mark.django_db


def _assessment(
    comprehensive: ComprehensiveAssessment,
    *,
    form: str,
    domain: str,
    level: str = "",
    completed_on: datetime.date | None = None,
) -> Assessment:
    return Assessment.objects.create(
        case=comprehensive.case,
        comprehensive=comprehensive,
        data_key=comprehensive.data_key,
        form_code=form,
        form_version=1,
        domain=domain,
        assigned_to=comprehensive.started_by,
        discipline="social_worker",
        assigned_by=comprehensive.started_by,
        status=AssessmentStatus.COMPLETED if completed_on else AssessmentStatus.IN_PROGRESS,
        need_level=level,
        completed_on=completed_on,
    )


def test_latest_completed_conclusion_per_domain(case: Any, actors: Any) -> None:
    first = ComprehensiveAssessment.objects.create(
        case=case,
        data_key=case.data_key,
        started_by=actors.supervisor,
        round=1,
        status="completed",
        completed_on=datetime.date(2026, 3, 10),
    )
    second = ComprehensiveAssessment.objects.create(
        case=case, data_key=case.data_key, started_by=actors.supervisor, round=2
    )
    old = _assessment(
        first,
        form="de_health",
        domain="health",
        level="high",
        completed_on=datetime.date(2026, 3, 10),
    )
    legal = _assessment(
        first,
        form="de_legal",
        domain="legal",
        level="urgent",
        completed_on=datetime.date(2026, 3, 9),
    )
    new = _assessment(
        second,
        form="de_health",
        domain="health",
        level="low",
        completed_on=datetime.date(2026, 6, 1),
    )
    _assessment(second, form="de_legal", domain="legal")  # not completed: the older one stands

    needs = needs_for_case(case)

    assert needs == [
        AssessedNeed(new.pk, "health", "Health", "low", datetime.date(2026, 6, 1)),
        AssessedNeed(legal.pk, "legal", "Legal", "urgent", datetime.date(2026, 3, 9)),
    ]
    assert old.pk not in {need.assessment_id for need in needs}


def test_no_completed_assessment_no_needs(case: Any) -> None:
    assert needs_for_case(case) == []
