"""Assessment records of a case over the API: the same chokepoint, services, access rules and
audit as the pages. Answers are checked against the form version the assessment uses (its
definition is ``GET /assessment-forms/{code}?version=``); a refused answer names its
question and nothing is saved."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from accounts.access import Acting, CaseAction, may_on_case
from api.case_access import case_for as _case
from api.case_access import stale_answer
from api.schemas import Problem, ValidationProblem
from assessments import selectors, services
from assessments.definitions import LANGUAGES
from assessments.models import Assessment, ComprehensiveAssessment
from cases.models import Case
from cases.selectors import user_in_organisation

router = Router(tags=["assessment records"])
MAX_LIMIT = 100


class AnswerProblemOut(Schema):
    question: str = Field(description="Question id; inside a group e.g. dependants[1].age")
    label: str
    message: str


class AnswersProblem(Schema):
    detail: str
    errors: list[AnswerProblemOut]


class DisagreementOut(Schema):
    id: int
    member_id: int
    note: str | None = Field(description="None once the person's data were erased")
    recorded_at: datetime.datetime


class AssessmentOut(Schema):
    id: int
    round_id: int
    round: int
    form: str
    form_version: int
    domain: str
    domain_label: str
    assigned_to_id: int
    discipline: str
    status: str
    need_level: str
    conclusion: list[str]
    assigned_on: datetime.date
    completed_on: datetime.date | None
    author_id: int | None
    version: int
    disagreements: list[DisagreementOut]


class AssessmentDetailOut(AssessmentOut):
    answers: dict[str, Any] | None = Field(
        description="All answers, text decrypted; None where the caller reads the conclusion "
        "only (another team member's domain) or the person's data were erased"
    )
    evidence: str | None
    team_disagreement: str | None


class AssessmentListOut(Schema):
    count: int
    items: list[AssessmentOut]


class AssessmentChangeOut(Schema):
    domain: str
    domain_label: str
    previous_level: str
    current_level: str
    change: str


class ProblemOut(Schema):
    position: int
    domain: str
    problem: str | None


class RoundOut(Schema):
    id: int
    round: int
    status: str
    started_on: datetime.date
    due_on: datetime.date | None
    completed_on: datetime.date | None
    identification_decision_id: int | None
    domains: int
    completed_domains: int
    version: int


class RoundDetailOut(RoundOut):
    own_view: str | None = None
    desired_situation: str | None = None
    problems: list[ProblemOut] = []
    changes: list[AssessmentChangeOut] = Field(
        default_factory=list, description="Per domain, against the previous round"
    )


class AssessmentNeedOut(Schema):
    assessment_id: int
    domain: str
    domain_label: str
    level: str
    completed_on: datetime.date


class StartIn(Schema):
    identification_decision_id: int | None = None


class AssessmentAssignIn(Schema):
    form: str = Field(description="Form code; its current version is used")
    assignee_id: int


class AnswersIn(Schema):
    answers: dict[str, Any] = Field(description="Question id → answer (see the form's types)")
    summary: dict[str, Any] = Field(
        default_factory=dict, description="category, need_level, evidence, disagreement"
    )
    version: int = Field(description="The assessment's version you read")


class DisagreementIn(Schema):
    note: str


class ProblemIn(Schema):
    domain: str
    problem: str


class RoundIn(Schema):
    own_view: str = ""
    desired_situation: str = ""
    problems: list[ProblemIn] = Field(default_factory=list, description="Most pressing first")
    identification_decision_id: int | None = None
    version: int


def _disagreements(assessment: Assessment) -> list[dict[str, Any]]:
    return [
        {
            "id": d.pk,
            "member_id": d.member_id,
            "note": d.get_plain_or_erased("note"),
            "recorded_at": d.recorded_at,
        }
        for d in assessment.disagreements.all()
    ]


def _assessment_out(assessment: Assessment) -> dict[str, Any]:
    return {
        "id": assessment.pk,
        "round_id": assessment.comprehensive_id,
        "round": assessment.comprehensive.round,
        "form": assessment.form_code,
        "form_version": assessment.form_version,
        "domain": assessment.domain,
        "domain_label": assessment.domain_label,
        "assigned_to_id": assessment.assigned_to_id,
        "discipline": assessment.discipline,
        "status": assessment.status,
        "need_level": assessment.need_level,
        "conclusion": list(assessment.conclusion),
        "assigned_on": assessment.assigned_on,
        "completed_on": assessment.completed_on,
        "author_id": assessment.author_id,
        "version": assessment.version,
        "disagreements": _disagreements(assessment),
    }


def _detail(acting: Acting, case: Case, assessment_id: int) -> dict[str, Any]:
    assessment = selectors.assessment_of_case(case, assessment_id)
    body = _assessment_out(assessment)
    readable = selectors.may_read_answers(acting, case, assessment)
    summary = selectors.stored_summary(assessment) if readable else {}
    body["answers"] = selectors.stored_answers(assessment) if readable else None
    body["evidence"] = summary.get("evidence") or None
    body["team_disagreement"] = summary.get("disagreement") or None
    return body


def _round_out(
    comprehensive: ComprehensiveAssessment,
    *,
    previous: ComprehensiveAssessment | None = None,
    private: bool = False,
) -> dict[str, Any]:
    assessments = list(comprehensive.assessments.all())
    body: dict[str, Any] = {
        "id": comprehensive.pk,
        "round": comprehensive.round,
        "status": comprehensive.status,
        "started_on": comprehensive.started_on,
        "due_on": comprehensive.due_on,
        "completed_on": comprehensive.completed_on,
        "identification_decision_id": comprehensive.identification_decision_id,
        "domains": len(assessments),
        "completed_domains": sum(1 for a in assessments if a.status == "completed"),
        "version": comprehensive.version,
        "changes": [vars(change) for change in selectors.round_changes(comprehensive, previous)],
    }
    if private:
        body["own_view"] = comprehensive.get_plain_or_erased("own_view")
        body["desired_situation"] = comprehensive.get_plain_or_erased("desired_situation")
        body["problems"] = [
            {
                "position": p.position,
                "domain": p.domain,
                "problem": p.get_plain_or_erased("problem"),
            }
            for p in comprehensive.problems.all()
        ]
    return body


def _refused(refused: services.AnswersRefused) -> Status[dict[str, Any]]:
    first = refused.errors[0]
    return Status(
        422,
        {
            "detail": f"{first.label}: {first.message}" if first.label else first.message,
            "errors": [error.as_dict() for error in refused.errors],
        },
    )


# ---------------------------------------------------------------- lists and reads


@router.get(
    "/cases/{int:case_id}/assessments",
    response={200: AssessmentListOut, 404: Problem},
    summary="The case's assessments, newest round first (conclusions, not answers)",
)
def assessments_list(
    request: HttpRequest, case_id: int, offset: int = 0, limit: int = 25
) -> dict[str, Any]:
    acting, case = _case(request, case_id, CaseAction.VIEW)
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    everything = selectors.case_assessments(case)
    services.assessment_read_record(acting=acting, case=case, section="assessments")
    return {
        "count": len(everything),
        "items": [_assessment_out(a) for a in everything[offset : offset + limit]],
    }


@router.get(
    "/cases/{int:case_id}/assessment-rounds",
    response={200: list[RoundDetailOut], 404: Problem},
    summary="Comprehensive assessment rounds with progress, due date and change per domain",
)
def rounds_list(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    acting, case = _case(request, case_id, CaseAction.VIEW)
    rounds = selectors.comprehensive_rounds(case)
    private = may_on_case(acting, case, CaseAction.MANAGE)
    services.assessment_read_record(acting=acting, case=case, section="assessment_rounds")
    return [
        _round_out(
            r, previous=rounds[index + 1] if index + 1 < len(rounds) else None, private=private
        )
        for index, r in enumerate(rounds)
    ]


@router.get(
    "/cases/{int:case_id}/needs",
    response={200: list[AssessmentNeedOut], 404: Problem},
    summary="The latest completed conclusion per domain: the needs a plan addresses",
)
def needs_list(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    acting, case = _case(request, case_id, CaseAction.VIEW)
    services.assessment_read_record(acting=acting, case=case, section="needs")
    return [vars(need) for need in selectors.needs_for_case(case)]


@router.get(
    "/cases/{int:case_id}/assessments/{int:assessment_id}",
    response={200: AssessmentDetailOut, 404: Problem},
    summary="One assessment with its answers where the caller may read them",
)
def assessment_detail(request: HttpRequest, case_id: int, assessment_id: int) -> dict[str, Any]:
    acting, case = _case(request, case_id, CaseAction.VIEW)
    body = _detail(acting, case, assessment_id)
    services.assessment_read_record(
        acting=acting,
        case=case,
        assessment=selectors.assessment_of_case(case, assessment_id),
        section="assessment",
    )
    return body


@router.get(
    "/cases/{int:case_id}/assessments/{int:assessment_id}/print",
    response={200: None, 403: Problem, 404: Problem},
    summary="The assessment as PDF in the person's language (or ?lang=)",
)
def assessment_print(
    request: HttpRequest, case_id: int, assessment_id: int, lang: str = ""
) -> HttpResponse:
    acting, case = _case(request, case_id, CaseAction.VIEW)
    assessment = selectors.assessment_of_case(case, assessment_id)
    language = lang if lang in LANGUAGES else selectors.print_language(case, acting.user)
    pdf = services.assessment_print(
        acting=acting, case=case, assessment=assessment, language=language
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="assessment-{case.code}-{assessment.form_code}.pdf"'
    )
    return response


# ---------------------------------------------------------------- writes


@router.post(
    "/cases/{int:case_id}/assessments",
    response={201: RoundDetailOut, 403: Problem, 404: Problem, 422: ValidationProblem},
    summary="Start the comprehensive assessment (due date from the case's policy pack)",
)
def round_start(request: HttpRequest, case_id: int, payload: StartIn) -> Status[dict[str, Any]]:
    acting, case = _case(request, case_id, CaseAction.MANAGE)
    decision = _decision(case, payload.identification_decision_id)
    comprehensive = services.comprehensive_start(
        acting=acting, case=case, identification_decision=decision
    )
    return Status(201, _round_out(comprehensive, private=True))


def _decision(case: Case, decision_id: int | None) -> Any:
    if decision_id is None:
        return None
    for decision in selectors.identification_decisions(case):
        if decision.pk == decision_id:
            return decision
    raise ValidationError({"identification_decision_id": [_("Choose a decision of this case.")]})


@router.put(
    "/cases/{int:case_id}/assessment-rounds/{int:round_id}",
    response={
        200: RoundDetailOut,
        403: Problem,
        404: Problem,
        409: RoundDetailOut,
        422: ValidationProblem,
    },
    summary="The person's own view, desired situation and problem ranking (IOM parts II-III)",
)
def round_update(
    request: HttpRequest, case_id: int, round_id: int, payload: RoundIn
) -> Status[dict[str, Any]]:
    acting, case = _case(request, case_id, CaseAction.MANAGE)
    comprehensive = selectors.comprehensive_of_case(case, round_id)
    try:
        services.comprehensive_update(
            acting=acting,
            case=case,
            comprehensive=comprehensive,
            own_view=payload.own_view,
            desired_situation=payload.desired_situation,
            problems=[services.RankedProblem(p.domain, p.problem) for p in payload.problems],
            identification_decision=_decision(case, payload.identification_decision_id),
            expected_version=payload.version,
        )
    except services.StaleEdit:
        pass
    else:
        return Status(200, _fresh_round(case, round_id))
    return stale_answer(acting, case, _fresh_round(case, round_id), section="api:assessments")


def _fresh_round(case: Case, round_id: int) -> dict[str, Any]:
    rounds = selectors.comprehensive_rounds(case)
    for index, r in enumerate(rounds):
        if r.pk == round_id:
            previous = rounds[index + 1] if index + 1 < len(rounds) else None
            return _round_out(r, previous=previous, private=True)
    raise Http404


@router.post(
    "/cases/{int:case_id}/assessments/assign",
    response={201: AssessmentOut, 403: Problem, 404: Problem, 422: ValidationProblem},
    summary="Add a domain to the open round, assigned by discipline (002 L673-L677)",
)
def assessment_assign(
    request: HttpRequest, case_id: int, payload: AssessmentAssignIn
) -> Status[dict[str, Any]]:
    acting, case = _case(request, case_id, CaseAction.MANAGE)
    current = selectors.open_round(case)
    if current is None:
        raise ValidationError({"round": [_("Start the assessment first.")]})
    assessment = services.assessment_assign(
        acting=acting,
        case=case,
        comprehensive=current,
        form_code=payload.form,
        assignee=user_in_organisation(case.organisation, payload.assignee_id),
    )
    return Status(201, _assessment_out(selectors.assessment_of_case(case, assessment.pk)))


def _write(
    request: HttpRequest, case_id: int, assessment_id: int, payload: AnswersIn, *, complete: bool
) -> Status[dict[str, Any]]:
    acting, case = _case(request, case_id, CaseAction.WORK)
    assessment = selectors.assessment_of_case(case, assessment_id)
    save = services.assessment_complete if complete else services.assessment_save
    try:
        save(
            acting=acting,
            case=case,
            assessment=assessment,
            answers=payload.answers,
            summary=payload.summary,
            expected_version=payload.version,
        )
    except services.AnswersRefused as refused:
        return _refused(refused)
    except services.StaleEdit:
        return stale_answer(
            acting, case, _detail(acting, case, assessment_id), section="api:assessments"
        )
    return Status(200, _detail(acting, case, assessment_id))


@router.put(
    "/cases/{int:case_id}/assessments/{int:assessment_id}/answers",
    response={
        200: AssessmentDetailOut,
        403: Problem,
        404: Problem,
        409: AssessmentDetailOut,
        422: AnswersProblem,
    },
    summary="Save progress (the assigned member); wrong answers are refused by question",
)
def assessment_save(
    request: HttpRequest, case_id: int, assessment_id: int, payload: AnswersIn
) -> Status[dict[str, Any]]:
    return _write(request, case_id, assessment_id, payload, complete=False)


@router.post(
    "/cases/{int:case_id}/assessments/{int:assessment_id}/complete",
    response={
        200: AssessmentDetailOut,
        403: Problem,
        404: Problem,
        409: AssessmentDetailOut,
        422: AnswersProblem,
    },
    summary="Complete a domain: required answers and the need level must be given",
)
def assessment_complete(
    request: HttpRequest, case_id: int, assessment_id: int, payload: AnswersIn
) -> Status[dict[str, Any]]:
    return _write(request, case_id, assessment_id, payload, complete=True)


@router.post(
    "/cases/{int:case_id}/assessments/{int:assessment_id}/disagreements",
    response={201: DisagreementOut, 404: Problem, 422: ValidationProblem},
    summary="Record your disagreement with a domain conclusion (002 L1107-L1108)",
)
def assessment_disagree(
    request: HttpRequest, case_id: int, assessment_id: int, payload: DisagreementIn
) -> Status[dict[str, Any]]:
    acting, case = _case(request, case_id, CaseAction.WORK)
    assessment = selectors.assessment_of_case(case, assessment_id)
    disagreement = services.disagreement_record(
        acting=acting, case=case, assessment=assessment, note=payload.note
    )
    return Status(
        201,
        {
            "id": disagreement.pk,
            "member_id": disagreement.member_id,
            "note": disagreement.get_plain("note"),
            "recorded_at": disagreement.recorded_at,
        },
    )


@router.post(
    "/cases/{int:case_id}/assessments/reassess",
    response={201: RoundDetailOut, 403: Problem, 404: Problem, 422: ValidationProblem},
    summary="At a review: a new round with the last round's domains and assignees",
)
def round_reassess(request: HttpRequest, case_id: int) -> Status[dict[str, Any]]:
    acting, case = _case(request, case_id, CaseAction.MANAGE)
    comprehensive = services.comprehensive_reassess(acting=acting, case=case)
    return Status(201, _fresh_round(case, comprehensive.pk))
