"""Demo assessment records for ``seed_demo``, written through the services after the demo
cases exist: one case with a completed comprehensive assessment, one in progress, one just
assigned. Running again changes nothing (a case that has an assessment is left alone)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from accounts.access import Acting, acting_for
from accounts.models import User
from assessments import services
from assessments.answers import validate_answers, visible_questions
from assessments.definitions import FormDefinition, Question, QuestionType
from assessments.models import ComprehensiveAssessment
from assessments.selectors import get_form
from cases.models import Case

# (team member's username that marks the demo case, [(form, assignee, need level or "")])
# need level "" leaves the domain in progress; None leaves it assigned.
PLAN: tuple[tuple[str, tuple[tuple[str, str, str | None], ...]], ...] = (
    (
        "maria.doctor",
        (
            ("de_health", "maria.doctor", "medium"),
            ("de_psychosocial_adult", "ion.psych", "high"),
            ("de_accommodation", "ana.case", "low"),
        ),
    ),
    ("victor.lawyer", (("de_legal", "victor.lawyer", ""), ("de_security", "ana.case", None))),
)


def _value(question: Question) -> Any:
    kind = question.type
    if kind == QuestionType.YES_NO:
        return False
    if kind == QuestionType.SINGLE_CHOICE:
        return question.choice_codes[0]
    if kind == QuestionType.MULTIPLE_CHOICE:
        return [question.choice_codes[0]]
    if kind in {QuestionType.SCALE, QuestionType.NUMBER}:
        return int(question.min if question.min is not None else 0)
    if kind == QuestionType.DATE:
        return datetime.date(2026, 1, 15).isoformat()
    if kind == QuestionType.TEXT:
        return "Discussed with the person."
    rows = max(question.min_rows, 1)
    return [
        {
            sub.id: _value(sub)
            for sub in question.questions or []
            if sub.required and not sub.show_if
        }
        for _ in range(rows)
    ]


def demo_answers(definition: FormDefinition) -> dict[str, Any]:
    """Answers to every required question shown, so that the form can be completed."""
    answers: dict[str, Any] = {}
    for _round in range(5):
        shown = visible_questions(definition, answers)
        answers = {key: value for key, value in answers.items() if shown.get(key)}
        for question in definition.questions():
            if shown[question.id] and question.required and question.id not in answers:
                answers[question.id] = _value(question)
        if not validate_answers(definition, answers):
            break
    return answers


def _acting(username: str, case: Case) -> Acting:
    acting = acting_for(User.objects.get(username=username), case.organisation)
    if acting is None:
        raise ValueError(f"{username} has no role at {case.organisation}")
    return acting


@transaction.atomic
def _seed(case: Case, plan: tuple[tuple[str, str, str | None], ...]) -> None:
    manager = _acting("ana.case", case)
    comprehensive = services.comprehensive_start(acting=manager, case=case)
    # Every domain is assigned before any is completed: completing the last open domain
    # completes the round.
    assigned = [
        services.assessment_assign(
            acting=manager,
            case=case,
            comprehensive=comprehensive,
            form_code=code,
            assignee=User.objects.get(username=username),
        )
        for code, username, _level in plan
    ]
    for assessment, (code, username, level) in zip(assigned, plan, strict=True):
        if level is None:
            continue
        definition = get_form(code)
        assert definition is not None
        member = _acting(username, case)
        answers = demo_answers(definition)
        if level:
            services.assessment_complete(
                acting=member,
                case=case,
                assessment=assessment,
                answers=answers,
                summary={"need_level": level, "evidence": "Interview with the person."},
                expected_version=assessment.version,
            )
        else:
            services.assessment_save(
                acting=member,
                case=case,
                assessment=assessment,
                answers=answers,
                summary={},
                expected_version=assessment.version,
            )


def seed_assessments() -> int:
    """Give the demo cases their assessments; returns how many cases got them."""
    seeded = 0
    for marker, plan in PLAN:
        if get_form(plan[0][0]) is None:
            continue
        case = (
            Case.objects.filter(team__user__username=marker, team__removed_at__isnull=True)
            .select_related("data_key", "person__data_key", "case_manager", "organisation")
            .order_by("pk")
            .first()
        )
        if case is None or case.case_manager is None:
            continue
        if ComprehensiveAssessment.objects.filter(case=case).exists():
            continue
        _seed(case, plan)
        seeded += 1
    return seeded
