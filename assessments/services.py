"""Writes of assessment records: start a round, assign a domain, save progress, complete,
record disagreement, reassess at a review, record the person's own view and the problem
ranking. Each is one transaction with its audit entry; the case was fetched through
``accounts.access.get_case_for`` by the caller, and every service checks what the acting
user may do on it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import Acting, CaseAction, may_on_case
from accounts.roles import Discipline
from assessments.answers import AnswerError, is_empty, validate_answers, validate_summary
from assessments.definitions import AssessmentDomain, FormDefinition
from assessments.models import (
    Assessment,
    AssessmentDisagreement,
    AssessmentStatus,
    ComprehensiveAssessment,
    ProblemRank,
    RoundStatus,
)
from assessments.records import (
    compact_answers,
    comprehensive_due_on,
    progress_errors,
    split_text_answers,
)
from assessments.selectors import (
    definition_of,
    disciplines_on_case,
    eligible_assignees,
    get_form,
    may_read_answers,
)
from audit.models import AuditAction
from audit.services import record
from audit.services import record_on_case as _audit
from cases.models import Case, IdentificationDecision
from cases.policy import child_is_consulted
from cases.services import StaleEdit
from policies.selectors import policy_for_case
from work.models import MilestoneKind
from work.services import milestone_record

__all__ = [
    "AnswersRefused",
    "StaleEdit",
    "assessment_assign",
    "assessment_complete",
    "assessment_print",
    "assessment_read_record",
    "assessment_save",
    "comprehensive_due_on",
    "comprehensive_reassess",
    "comprehensive_start",
    "comprehensive_update",
    "disagreement_record",
]

NOTE_MAX = 20000


class AnswersRefused(Exception):
    """Answers that do not fit the form version; each error names its question."""

    def __init__(self, errors: list[AnswerError]) -> None:
        super().__init__("; ".join(str(error) for error in errors))
        self.errors = errors


# ---------------------------------------------------------------- helpers


def _require(acting: Acting, case: Case, action: CaseAction) -> None:
    if not may_on_case(acting, case, action):
        raise PermissionDenied(f"may not {action.value} this case")


def _locked(assessment: Assessment, case: Case, expected_version: int) -> Assessment:
    if assessment.case_id != case.pk:
        raise PermissionDenied("assessment of another case")
    locked = (
        Assessment.objects.select_for_update()
        .select_related("data_key", "comprehensive")
        .get(pk=assessment.pk)
    )
    if locked.version != expected_version:
        raise StaleEdit(locked)
    return locked


def _require_assignee(acting: Acting, case: Case, assessment: Assessment) -> None:
    # Specialists edit only the domains assigned to them, on cases they can see (the case
    # came through get_case_for, which requires the team or case-manager rule).
    _require(acting, case, CaseAction.WORK)
    if assessment.assigned_to_id != acting.user.pk:
        raise PermissionDenied("only the assigned team member fills in this assessment")


def _text(value: str | None, field: str) -> str:
    text = (value or "").strip()
    if len(text) > NOTE_MAX:
        raise ValidationError(
            {field: [_("Enter at most %(count)d characters.") % {"count": NOTE_MAX}]}
        )
    return text


# ---------------------------------------------------------------- rounds


@transaction.atomic
def comprehensive_start(
    *,
    acting: Acting,
    case: Case,
    identification_decision: IdentificationDecision | None = None,
) -> ComprehensiveAssessment:
    """Open the first round (or the next one, see ``comprehensive_reassess``)."""
    _require(acting, case, CaseAction.MANAGE)
    locked = Case.objects.select_for_update().select_related("data_key").get(pk=case.pk)
    if ComprehensiveAssessment.objects.filter(case=locked, status=RoundStatus.OPEN).exists():
        raise ValidationError({"round": [_("An assessment of this case is already open.")]})
    if identification_decision is not None and identification_decision.case_id != locked.pk:
        raise ValidationError({"identification_decision": [_("Choose a decision of this case.")]})
    last = ComprehensiveAssessment.objects.filter(case=locked).aggregate(last=Max("round"))["last"]
    number = (last or 0) + 1
    today = timezone.localdate()
    # The first round runs from reception (002 L1036); a reassessment from the review.
    starts_on = locked.received_at if number == 1 else today
    comprehensive = ComprehensiveAssessment.objects.create(
        case=locked,
        data_key=locked.data_key,
        round=number,
        started_on=today,
        due_on=comprehensive_due_on(
            starts_on=starts_on,
            due_days=policy_for_case(locked).assessment.comprehensive_due_days,
        ),
        identification_decision=identification_decision,
        started_by=acting.user,
    )
    _audit(
        acting,
        AuditAction.CREATE,
        comprehensive,
        locked,
        fields=["round", "due_on"],
        detail={"round": number},
    )
    return comprehensive


@dataclass(frozen=True)
class RankedProblem:
    domain: str
    problem: str


@transaction.atomic
def comprehensive_update(
    *,
    acting: Acting,
    case: Case,
    comprehensive: ComprehensiveAssessment,
    own_view: str,
    desired_situation: str,
    problems: Sequence[RankedProblem],
    identification_decision: IdentificationDecision | None,
    expected_version: int,
) -> ComprehensiveAssessment:
    """The person's own view and desired situation (000 IOM part II), the ranking of their
    problems (part III) and the formal identification the round relates to."""
    _require(acting, case, CaseAction.MANAGE)
    if comprehensive.case_id != case.pk:
        raise PermissionDenied("assessment of another case")
    locked = (
        ComprehensiveAssessment.objects.select_for_update()
        .select_related("data_key")
        .get(pk=comprehensive.pk)
    )
    if locked.version != expected_version:
        raise StaleEdit(locked)
    if identification_decision is not None and identification_decision.case_id != case.pk:
        raise ValidationError({"identification_decision": [_("Choose a decision of this case.")]})
    ranked = [p for p in problems if p.problem.strip()]
    for index, problem in enumerate(ranked):
        if problem.domain not in AssessmentDomain.values:
            raise ValidationError(
                {f"problems[{index}].domain": [_("Say which domain this problem is in.")]}
            )
        _text(problem.problem, f"problems[{index}].problem")
    locked.set_plain("own_view", _text(own_view, "own_view") or None)
    locked.set_plain("desired_situation", _text(desired_situation, "desired_situation") or None)
    locked.identification_decision = identification_decision
    locked.version += 1
    locked.save()
    locked.problems.all().delete()
    for position, problem in enumerate(ranked, start=1):
        rank = ProblemRank(
            comprehensive=locked,
            data_key=locked.data_key,
            position=position,
            domain=problem.domain,
        )
        rank.set_plain("problem", problem.problem.strip())
        rank.save()
    _audit(
        acting,
        AuditAction.UPDATE,
        locked,
        case,
        fields=["own_view", "desired_situation", "problems", "identification_decision"],
        detail={"problems": len(ranked)},
    )
    return locked


# ---------------------------------------------------------------- domains


@transaction.atomic
def assessment_assign(
    *,
    acting: Acting,
    case: Case,
    comprehensive: ComprehensiveAssessment,
    form_code: str,
    assignee: Any,
) -> Assessment:
    """Add a domain to the open round, to be done by ``assignee`` with the current version
    of the form."""
    _require(acting, case, CaseAction.MANAGE)
    if comprehensive.case_id != case.pk:
        raise PermissionDenied("assessment of another case")
    locked = (
        ComprehensiveAssessment.objects.select_for_update()
        .select_related("data_key")
        .get(pk=comprehensive.pk)
    )
    if locked.status != RoundStatus.OPEN:
        raise ValidationError({"round": [_("This assessment is complete; start a reassessment.")]})
    definition = get_form(form_code)
    if definition is None:
        raise ValidationError({"form": [_("Choose one of the listed forms.")]})
    if locked.assessments.filter(form_code=definition.code).exists():
        raise ValidationError({"form": [_("This form is already part of the assessment.")]})
    fits = {user.pk for user in eligible_assignees(case, definition)}
    if assignee is None or assignee.pk not in fits:
        raise ValidationError(
            {
                "assignee": [
                    _("Choose a team member whose discipline covers this form (%(discipline)s).")
                    % {"discipline": Discipline(definition.discipline).label}
                ]
            }
        )
    held = disciplines_on_case(case, {assignee.pk})[assignee.pk]
    discipline = (
        definition.discipline.value if definition.discipline in held else Discipline.SOCIAL_WORKER
    )
    assessment = Assessment.objects.create(
        case=case,
        comprehensive=locked,
        data_key=locked.data_key,
        form_code=definition.code,
        form_version=definition.version,
        domain=definition.domain,
        assigned_to=assignee,
        discipline=discipline,
        assigned_by=acting.user,
    )
    _audit(
        acting,
        AuditAction.CREATE,
        assessment,
        case,
        fields=["form_code", "form_version", "domain", "assigned_to"],
        detail={"form": definition.code, "version": definition.version, "to": assignee.pk},
    )
    milestone_record(
        case=case,
        kind=MilestoneKind.ASSESSMENT_ASSIGNED,
        occurred_on=timezone.localdate(),
        actor=acting.user,
        responsible=assignee,
        ref=definition.domain,
    )
    return assessment


def _checked(
    definition: FormDefinition,
    answers: dict[str, Any],
    summary: dict[str, Any],
    *,
    completing: bool,
) -> tuple[dict[str, Any], dict[str, Any]]:
    answers = compact_answers(answers)
    errors = validate_answers(definition, answers)
    summary_errors = validate_summary(definition, summary, conclusion_required=completing)
    if not completing:
        errors = progress_errors(errors, answers)
    errors += summary_errors
    if errors:
        raise AnswersRefused(errors)
    return answers, summary


def _store(
    assessment: Assessment,
    definition: FormDefinition,
    answers: dict[str, Any],
    summary: dict[str, Any],
) -> None:
    plain, text = split_text_answers(definition, answers)
    assessment.answers = plain
    assessment.set_plain("text_answers", json.dumps(text, ensure_ascii=False) if text else None)
    category = summary.get("category")
    assessment.conclusion = (
        [] if is_empty(category) else category if isinstance(category, list) else [category]
    )
    assessment.need_level = summary.get("need_level") or ""
    assessment.set_plain("evidence", (summary.get("evidence") or "").strip() or None)
    assessment.set_plain("team_disagreement", (summary.get("disagreement") or "").strip() or None)


@transaction.atomic
def assessment_save(
    *,
    acting: Acting,
    case: Case,
    assessment: Assessment,
    answers: dict[str, Any],
    summary: dict[str, Any],
    expected_version: int,
) -> Assessment:
    """Save progress: every given answer must fit its question; unanswered ones may wait."""
    _require_assignee(acting, case, assessment)
    locked = _locked(assessment, case, expected_version)
    if locked.status == AssessmentStatus.COMPLETED:
        raise ValidationError({"status": [_("This assessment is completed and cannot change.")]})
    definition = definition_of(locked)
    answers, summary = _checked(definition, answers, summary, completing=False)
    _store(locked, definition, answers, summary)
    locked.status = AssessmentStatus.IN_PROGRESS
    locked.author = acting.user
    locked.version += 1
    locked.save()
    _audit(
        acting,
        AuditAction.UPDATE,
        locked,
        case,
        fields=["answers", "conclusion", "need_level", "evidence", "team_disagreement"],
        detail={"answered": len(answers)},
    )
    return locked


@transaction.atomic
def assessment_complete(
    *,
    acting: Acting,
    case: Case,
    assessment: Assessment,
    answers: dict[str, Any],
    summary: dict[str, Any],
    expected_version: int,
) -> Assessment:
    """Complete a domain: required answers and the need level must be given. Completing the
    last open domain completes the round."""
    _require_assignee(acting, case, assessment)
    locked = _locked(assessment, case, expected_version)
    if locked.status == AssessmentStatus.COMPLETED:
        raise ValidationError({"status": [_("This assessment is already completed.")]})
    round_ = ComprehensiveAssessment.objects.select_related("data_key").get(
        pk=locked.comprehensive_id
    )
    last_open = (
        not round_.assessments.exclude(pk=locked.pk)
        .exclude(status=AssessmentStatus.COMPLETED)
        .exists()
    )
    if (
        round_.status == RoundStatus.OPEN
        and last_open
        and not (round_.get_plain_or_erased("own_view") or "")
        and child_is_consulted(case, timezone.localdate())
    ):
        # 000 L357: a child of the pack's age is consulted; their own view is recorded in the
        # round before its last domain is completed.
        raise ValidationError(
            {
                "own_view": [
                    _(
                        "Record the child's own view in this assessment round first: the "
                        "policy consults children of this age."
                    )
                ]
            }
        )
    definition = definition_of(locked)
    answers, summary = _checked(definition, answers, summary, completing=True)
    _store(locked, definition, answers, summary)
    today = timezone.localdate()
    locked.status = AssessmentStatus.COMPLETED
    locked.completed_on = today
    locked.author = acting.user
    locked.version += 1
    locked.save()
    _audit(
        acting,
        AuditAction.TRANSITION,
        locked,
        case,
        fields=["status", "answers", "conclusion", "need_level", "evidence"],
        detail={"to": AssessmentStatus.COMPLETED, "need_level": locked.need_level},
    )
    milestone_record(
        case=case,
        kind=MilestoneKind.ASSESSMENT_COMPLETED,
        occurred_on=today,
        actor=acting.user,
        ref=locked.domain,
    )
    comprehensive = ComprehensiveAssessment.objects.select_for_update().get(
        pk=locked.comprehensive_id
    )
    if (
        comprehensive.status == RoundStatus.OPEN
        and not comprehensive.assessments.exclude(status=AssessmentStatus.COMPLETED).exists()
    ):
        comprehensive.status = RoundStatus.COMPLETED
        comprehensive.completed_on = today
        comprehensive.version += 1
        comprehensive.save()
        _audit(
            acting,
            AuditAction.TRANSITION,
            comprehensive,
            case,
            fields=["status"],
            detail={"to": RoundStatus.COMPLETED, "round": comprehensive.round},
        )
    return locked


@transaction.atomic
def disagreement_record(
    *, acting: Acting, case: Case, assessment: Assessment, note: str
) -> AssessmentDisagreement:
    """A team member records their disagreement with a domain conclusion (002 L1107-L1108)."""
    _require(acting, case, CaseAction.WORK)
    if assessment.case_id != case.pk:
        raise PermissionDenied("assessment of another case")
    text = _text(note, "note")
    if not text:
        raise ValidationError({"note": [_("Say what you disagree with and why.")]})
    disagreement = AssessmentDisagreement(
        assessment=assessment, data_key=assessment.data_key, member=acting.user
    )
    disagreement.set_plain("note", text)
    disagreement.save()
    _audit(acting, AuditAction.CREATE, disagreement, case, fields=["note"])
    return disagreement


@transaction.atomic
def comprehensive_reassess(*, acting: Acting, case: Case) -> ComprehensiveAssessment:
    """At a review: a new round with the previous round's forms (their current versions),
    assigned again to the same people where they still fit the case; the change per domain
    shows once the new conclusions are in (``selectors.round_changes``)."""
    previous = ComprehensiveAssessment.objects.filter(case=case).order_by("-round").first()
    if previous is None:
        raise ValidationError({"round": [_("There is no earlier assessment to repeat.")]})
    if previous.status != RoundStatus.COMPLETED:
        raise ValidationError({"round": [_("Complete the current assessment before reassessing.")]})
    comprehensive = comprehensive_start(acting=acting, case=case)
    for earlier in previous.assessments.select_related("assigned_to").order_by("pk"):
        definition = get_form(earlier.form_code)
        if definition is None:
            continue
        fitting = {user.pk: user for user in eligible_assignees(case, definition)}
        assignee = fitting.get(earlier.assigned_to_id) or fitting.get(case.case_manager_id or 0)
        if assignee is None:
            continue
        assessment_assign(
            acting=acting,
            case=case,
            comprehensive=comprehensive,
            form_code=definition.code,
            assignee=assignee,
        )
    comprehensive.refresh_from_db()
    return comprehensive


@transaction.atomic
def assessment_print(*, acting: Acting, case: Case, assessment: Assessment, language: str) -> bytes:
    """The assessment as PDF in ``language``; printing is audited with the language."""
    from assessments.printing import assessment_pdf

    if not may_read_answers(acting, case, assessment):
        raise PermissionDenied("may not read this assessment's answers")
    pdf = assessment_pdf(case, assessment, language)
    _audit(acting, AuditAction.PRINT, assessment, case, detail={"language": language})
    return pdf


def assessment_read_record(
    *, acting: Acting, case: Case, assessment: Assessment | None = None, section: str
) -> None:
    """Every read of assessment records is audited (SPEC §1.3)."""
    record(
        action=AuditAction.VIEW,
        actor=acting.user,
        organisation=acting.organisation,
        target=assessment if assessment is not None else case,
        case_id=case.pk,
        detail={"section": section},
    )
