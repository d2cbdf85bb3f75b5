"""The demo assessments: seeded through the services, in several states, idempotent."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from assessments.answers import validate_answers
from assessments.definitions import FormDefinition
from assessments.demo import demo_answers, seed_assessments
from assessments.models import Assessment, ComprehensiveAssessment
from assessments.selectors import latest_forms


def test_demo_answers_complete_every_shipped_form() -> None:
    forms: list[FormDefinition] = latest_forms()
    assert forms
    for definition in forms:
        assert validate_answers(definition, demo_answers(definition)) == [], definition.code


@pytest.mark.django_db
def test_seed_demo_gives_cases_assessments_in_several_states() -> None:
    call_command("seed_demo", stdout=None)
    statuses = set(Assessment.objects.values_list("status", flat=True))
    assert statuses == {"assigned", "in_progress", "completed"}
    assert ComprehensiveAssessment.objects.filter(status="completed").count() == 1
    before = Assessment.objects.count()
    assert seed_assessments() == 0
    assert Assessment.objects.count() == before
