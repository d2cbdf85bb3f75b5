"""Reads of form definitions and assessment records.

Form definitions are files in the repository, loaded and validated once at start-up
(``AssessmentsConfig.ready``) and read-only afterwards."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from assessments.definitions import FormDefinition
from assessments.loader import FORMS_DIRECTORY, FormRegistry, load_directory
from assessments.models import Assessment, AssessmentStatus, domain_label

if TYPE_CHECKING:
    from cases.models import Case

_loaded: dict[str, FormRegistry] = {"forms": FormRegistry()}


def load_forms(directory: Path = FORMS_DIRECTORY) -> FormRegistry:
    _loaded["forms"] = load_directory(directory)
    return _loaded["forms"]


def form_registry() -> FormRegistry:
    return _loaded["forms"]


def latest_forms() -> list[FormDefinition]:
    """The current version of every form, in the order staff meet them: by domain, then code."""
    forms = [form for code in form_registry().codes() if (form := form_registry().latest(code))]
    return sorted(forms, key=lambda form: (form.domain, form.code))


def get_form(code: str, version: int | None = None) -> FormDefinition | None:
    return form_registry().get(code, version)


def form_versions(code: str) -> list[int]:
    return form_registry().versions(code)


# ---------------------------------------------------------------- assessment records


@dataclass(frozen=True)
class AssessedNeed:
    """A domain conclusion the plan builds on (issue 6): the latest completed assessment of
    the domain and the level of need it concluded."""

    assessment_id: int
    domain: str
    domain_label: str
    level: str
    completed_on: datetime.date


def needs_for_case(case: Case) -> list[AssessedNeed]:
    """The latest completed conclusion per domain of ``case``, in domain order. The caller
    has already checked that the acting user may see the case."""
    completed = (
        Assessment.objects.filter(case=case, status=AssessmentStatus.COMPLETED)
        .order_by("domain", "-completed_on", "-id")
        .only("id", "domain", "need_level", "completed_on")
    )
    needs: dict[str, AssessedNeed] = {}
    for assessment in completed:
        if assessment.domain in needs or assessment.completed_on is None:
            continue
        needs[assessment.domain] = AssessedNeed(
            assessment_id=assessment.pk,
            domain=assessment.domain,
            domain_label=domain_label(assessment.domain),
            level=assessment.need_level,
            completed_on=assessment.completed_on,
        )
    return list(needs.values())
