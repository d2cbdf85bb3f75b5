"""The (re)integration plan over the API: the same chokepoints, services and audit as the
pages. The owning organisation works under ``/cases/{case_id}/plan``; the approver (a
supervisor, or the coordinating fund) under ``/plan-approvals``, which shows no identity."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from accounts.access import (
    Acting,
    CaseAction,
    get_case_for,
    plans_for_approval,
    require_acting,
)
from accounts.roles import Capability
from api.case_access import stale_answer
from api.schemas import PatchIn, Problem, ValidationProblem
from cases.services import record_case_read
from lib.views import acting_or_403
from plans.codes import PrintLayout
from plans.models import Plan
from plans.presenters import (
    approval_out,
    compare,
    confirmation_out,
    plan_out,
    plan_view,
    review_out,
)
from plans.printing import person_language, plan_pdf, summary_pdf
from plans.selectors import (
    activity_of,
    assessment_of,
    budget_line_of,
    dependant_of,
    objective_of,
    plan_for_approver,
    require_plan,
    settings_for,
    submitted_plans,
    versions_of,
)
from plans.services import (
    StaleEdit,
    activity_add,
    activity_confirm,
    activity_delete,
    activity_progress,
    activity_update,
    budget_line_add,
    budget_line_delete,
    domain_exclusion_set,
    objective_add,
    objective_delete,
    objective_update,
    plan_create,
    plan_decide,
    plan_modification_start,
    plan_print_record,
    plan_review_record,
    plan_settings_update,
    plan_submit,
    plan_update,
    signature_acknowledge,
    signature_record_paper,
)

router = Router(tags=["plans"])


# ---------------------------------------------------------------- schemas


class BudgetLineOut(Schema):
    id: int
    units: str
    amount: str
    currency: str
    funding_organisation_id: int | None
    funding: str


class PlanConfirmationOut(Schema):
    id: int
    provider_id: int | None
    provider: str | None
    referral_id: int | None
    confirmed_on: datetime.date
    note: str


class PlanReviewOut(Schema):
    id: int
    version_number: int
    reviewed_on: datetime.date
    result: str
    time: str
    resources: str
    problems_solved: str
    legal_support: str
    note: str


class PlanStageOut(Schema):
    key: str
    decided_by: str
    done: bool
    current: bool


class PlanMinorOut(Schema):
    is_minor: bool
    basis: str
    age: int | None
    on: datetime.date


class ActivityOut(Schema):
    id: int
    description: str
    responsible_kind: str
    responsible: str
    responsible_user_id: int | None
    responsible_organisation_id: int | None
    starts_on: datetime.date | None
    due_on: datetime.date | None
    review_on: datetime.date | None
    status: str
    not_delivered_reason: str
    version: int
    budget: list[BudgetLineOut]
    confirmations: list[PlanConfirmationOut]


class ObjectiveOut(Schema):
    id: int
    domain: str
    priority: str
    assessment_id: int | None
    dependant_id: int | None
    for_person_in_care: bool
    title: str
    need: str
    anticipated_result: str
    risk_factors: str
    indicator: str
    target: str
    version: int
    activities: list[ActivityOut]


class PlanNeedOut(Schema):
    assessment_id: int
    domain: str
    label: str
    level: str
    completed_on: datetime.date


class AmountOut(Schema):
    currency: str
    amount: str


class SourceAmountOut(AmountOut):
    source: str


class DomainAmountOut(AmountOut):
    domain: str


class CapOut(Schema):
    amount: str
    currency: str
    total: str
    necessary: str
    room_for_desired: str
    exceeded: bool


class BudgetOut(Schema):
    totals: list[AmountOut]
    by_source: list[SourceAmountOut]
    by_domain: list[DomainAmountOut]
    cap: CapOut | None


class DatesOut(Schema):
    draft_due_on: datetime.date | None
    next_review_on: datetime.date | None
    term_ends_on: datetime.date | None
    max_term_months: int | None
    review_interval_months: int | None


class ProgressOut(Schema):
    activities: int
    done: int
    not_delivered: int


class ExclusionOut(Schema):
    domain: str
    reason: str


class PlanOut(Schema):
    id: int
    case_id: int
    status: str
    version_number: int
    version: int
    ultimate_goal: str
    goal_details: str
    notes: str
    child_views: str
    protection_responsible: str
    team_external: str
    reason_for_repatriation: str
    information_methods: str
    conclusions: str
    person_commitments: str
    organisation_commitments: str
    starts_on: datetime.date | None
    layout: str
    approving_organisation_id: int | None
    submitted_at: datetime.datetime | None
    approved_at: datetime.datetime | None
    stage: str
    stages: list[PlanStageOut]
    in_force_since: datetime.date | None
    not_in_force: list[str]
    minor: PlanMinorOut
    child_consulted: bool
    reviews: list[PlanReviewOut]
    is_final: bool
    required_signatures: list[str]
    missing_signatures: list[str]
    dates: DatesOut
    progress: ProgressOut
    needs: list[PlanNeedOut]
    exclusions: list[ExclusionOut]
    objectives: list[ObjectiveOut]
    budget: BudgetOut


class ApprovalOut(Schema):
    """The approver's view: pseudonymous code and age band, never a name or contact."""

    id: int
    code: str
    age_band: str
    policy_pack: str
    status: str
    stage: str
    version_number: int
    version: int
    submitted_at: datetime.datetime | None
    ultimate_goal: str
    needs: list[PlanNeedOut]
    objectives: list[ObjectiveOut]
    budget: BudgetOut


class ApprovalListItem(Schema):
    id: int
    code: str
    status: str
    version_number: int
    submitted_at: datetime.datetime | None


class PlanPatch(PatchIn):
    clearable = frozenset({"goal_details", "notes", "starts_on"})
    expected_version: int
    ultimate_goal: str | None = None
    goal_details: str | None = None
    notes: str | None = None
    child_views: str | None = None
    protection_responsible: str | None = None
    team_external: str | None = None
    reason_for_repatriation: str | None = None
    information_methods: str | None = None
    conclusions: str | None = None
    person_commitments: str | None = None
    organisation_commitments: str | None = None
    starts_on: datetime.date | None = None
    layout: str | None = None


class ObjectiveIn(Schema):
    domain: str
    title: str
    priority: str = "necessary"
    need: str = ""
    anticipated_result: str = ""
    risk_factors: str = ""
    indicator: str = ""
    target: str = ""
    assessment_id: int | None = None
    dependant_id: int | None = None


class ObjectivePatch(PatchIn):
    clearable = frozenset({"need", "anticipated_result", "risk_factors", "indicator", "target"})
    expected_version: int
    domain: str | None = None
    title: str | None = None
    priority: str | None = None
    need: str | None = None
    anticipated_result: str | None = None
    risk_factors: str | None = None
    indicator: str | None = None
    target: str | None = None


class ActivityIn(Schema):
    description: str
    responsible_kind: str
    responsible_user_id: int | None = None
    responsible_organisation_id: int | None = None
    responsible_name: str = ""
    starts_on: datetime.date | None = None
    due_on: datetime.date | None = None
    review_on: datetime.date | None = None


class ActivityPatch(PatchIn):
    clearable = frozenset(
        {
            "responsible_user_id",
            "responsible_organisation_id",
            "responsible_name",
            "starts_on",
            "due_on",
            "review_on",
        }
    )
    expected_version: int
    description: str | None = None
    responsible_kind: str | None = None
    responsible_user_id: int | None = None
    responsible_organisation_id: int | None = None
    responsible_name: str | None = None
    starts_on: datetime.date | None = None
    due_on: datetime.date | None = None
    review_on: datetime.date | None = None


class ProgressIn(Schema):
    expected_version: int
    status: str
    reason: str = ""
    note: str = ""


class BudgetLineIn(Schema):
    amount: str
    currency: str
    units: str = "1"
    funding_organisation_id: int | None = None
    funding_source_name: str = ""


class ExclusionIn(Schema):
    reason: str


class VersionIn(Schema):
    expected_version: int


class PlanDecisionIn(Schema):
    expected_version: int
    decision: str
    comment: str = ""
    # The stage decided; refused when the plan is at another (stages are not skipped).
    stage: str | None = None


class PlanSubmitIn(Schema):
    expected_version: int
    # The stage submitted; refused when the plan is at another (stages are not skipped).
    stage: str | None = None


class PlanConfirmationIn(Schema):
    confirmed_on: datetime.date
    provider_id: int | None = None
    provider_name: str = ""
    referral_id: int | None = None
    note: str = ""


class ModificationIn(Schema):
    expected_version: int
    reason: str
    anticipated_result: str
    requested_by: str


class VersionOut(Schema):
    number: int
    requested_by: str
    reason: str
    anticipated_result: str
    started_at: datetime.datetime
    approved_at: datetime.datetime | None


class PlanChangeOut(Schema):
    kind: str
    entity: str
    label: str
    field: str
    old: str
    new: str


class AcknowledgeIn(Schema):
    role: str
    otp_code: str


class PaperSignatureIn(Schema):
    role: str
    signer_name: str
    signed_on: datetime.date


class SignatureOut(Schema):
    id: int
    role: str
    method: str
    signed_on: datetime.date
    version_number: int


class ReviewIn(Schema):
    reviewed_on: datetime.date
    result: str
    time: str
    resources: str
    problems_solved: str
    legal_support: str = ""
    note: str = ""


class SettingsIO(Schema):
    layout: str
    version: int


# ---------------------------------------------------------------- helpers


def _acting(request: HttpRequest) -> Acting:
    acting = cast(Acting, request.auth)  # type: ignore[attr-defined]  # set by ninja's auth
    request.acting = acting  # type: ignore[attr-defined]  # acting_or_403 reads it
    return acting_or_403(request)


def _worker(request: HttpRequest) -> Acting:
    acting = _acting(request)
    if not acting.sees_identity or not acting.can(Capability.CASE_WORK_TEAM):
        raise Http404
    return acting


def _plan(request: HttpRequest, case_id: int, action: CaseAction) -> tuple[Acting, Plan]:
    acting = _worker(request)
    case = get_case_for(acting, case_id, action=action)
    return acting, require_plan(case)


def _full(plan: Plan) -> dict[str, Any]:
    return plan_out(plan_view(require_plan(plan.case)))


def _organisation(organisation_id: int | None, field: str) -> Any:
    if organisation_id is None:
        return None
    from plans.selectors import organisations_for_choice

    organisation = organisations_for_choice().filter(pk=organisation_id).first()
    if organisation is None:
        raise ValidationError({field: [_("Unknown organisation.")]})
    return organisation


def _staff(plan: Plan, user_id: int | None) -> Any:
    if user_id is None:
        return None
    from plans.selectors import staff_of

    user = staff_of(plan.organisation).filter(pk=user_id).first()
    if user is None:
        raise ValidationError(
            {"responsible_user_id": [_("Choose a member of this organisation's staff.")]}
        )
    return user


def _activity_values(plan: Plan, payload: Schema) -> dict[str, Any]:
    values = payload.changes() if isinstance(payload, PatchIn) else payload.dict(exclude_unset=True)
    if "responsible_user_id" in values:
        values["responsible_user"] = _staff(plan, values.pop("responsible_user_id"))
    if "responsible_organisation_id" in values:
        values["responsible_organisation"] = _organisation(
            values.pop("responsible_organisation_id"), "responsible_organisation_id"
        )
    return values


# ---------------------------------------------------------------- the plan


@router.get(
    "/cases/{case_id}/plan",
    response={200: PlanOut, 404: Problem},
    summary="The case's plan with objectives, activities, budget, limits and signatures",
)
def plan_detail(request: HttpRequest, case_id: int) -> dict[str, Any]:
    acting, plan = _plan(request, case_id, CaseAction.VIEW)
    record_case_read(acting=acting, case=plan.case, section="api:plan")
    return _full(plan)


@router.post(
    "/cases/{case_id}/plan",
    response={201: PlanOut, 403: Problem, 404: Problem, 422: ValidationProblem},
    summary="Start the initial plan (needs consent to assistance)",
)
def plan_start(request: HttpRequest, case_id: int) -> Status[dict[str, Any]]:
    acting = _worker(request)
    case = get_case_for(acting, case_id, action=CaseAction.MANAGE)
    plan = plan_create(acting=acting, case=case)
    return Status(201, _full(plan))


@router.patch(
    "/cases/{case_id}/plan",
    response={200: PlanOut, 404: Problem, 409: PlanOut, 422: ValidationProblem},
    summary="Change the ultimate goal, notes, start or print layout (409 when stale)",
)
def plan_patch(request: HttpRequest, case_id: int, payload: PlanPatch) -> Status[dict[str, Any]]:
    acting, plan = _plan(request, case_id, CaseAction.WORK)
    values = payload.changes()
    try:
        plan = plan_update(
            acting=acting, plan=plan, expected_version=payload.expected_version, values=values
        )
    except StaleEdit:
        return stale_answer(acting, plan.case, _full(plan), section="api:plan")
    return Status(200, _full(plan))


@router.post(
    "/cases/{case_id}/plan/objectives",
    response={201: ObjectiveOut, 404: Problem, 422: ValidationProblem},
    summary="Add an objective",
)
def objective_create(
    request: HttpRequest, case_id: int, payload: ObjectiveIn
) -> Status[dict[str, Any]]:
    acting, plan = _plan(request, case_id, CaseAction.WORK)
    values = payload.dict()
    assessment_id = values.pop("assessment_id")
    dependant_id = values.pop("dependant_id")
    if assessment_id is not None:
        values["assessment"] = assessment_of(plan.case, assessment_id)
        if values["assessment"] is None:
            raise ValidationError({"assessment_id": [_("Choose an assessment of this case.")]})
    if dependant_id is not None:
        values["dependant"] = dependant_of(plan.case, dependant_id)
        if values["dependant"] is None:
            raise ValidationError(
                {"dependant_id": [_("Choose a person in the care of this person.")]}
            )
    objective = objective_add(acting=acting, plan=plan, values=values)
    return Status(201, _objective(plan, objective.pk))


def _objective(plan: Plan, objective_id: int) -> dict[str, Any]:
    out = _full(plan)
    return next(o for o in out["objectives"] if o["id"] == objective_id)


@router.patch(
    "/cases/{case_id}/plan/objectives/{objective_id}",
    response={200: ObjectiveOut, 404: Problem, 409: ObjectiveOut, 422: ValidationProblem},
    summary="Change an objective (409 when stale)",
)
def objective_patch(
    request: HttpRequest, case_id: int, objective_id: int, payload: ObjectivePatch
) -> Status[dict[str, Any]]:
    acting, plan = _plan(request, case_id, CaseAction.WORK)
    objective = objective_of(plan, objective_id)
    values = payload.changes()
    try:
        objective_update(
            acting=acting,
            objective=objective,
            expected_version=payload.expected_version,
            values=values,
        )
    except StaleEdit:
        return stale_answer(acting, plan.case, _objective(plan, objective_id), section="api:plan")
    return Status(200, _objective(plan, objective_id))


@router.delete(
    "/cases/{case_id}/plan/objectives/{objective_id}",
    response={204: None, 404: Problem, 422: ValidationProblem},
)
def objective_remove(request: HttpRequest, case_id: int, objective_id: int) -> Status[None]:
    acting, plan = _plan(request, case_id, CaseAction.WORK)
    objective_delete(acting=acting, objective=objective_of(plan, objective_id))
    return Status(204, None)


@router.post(
    "/cases/{case_id}/plan/objectives/{objective_id}/activities",
    response={201: ActivityOut, 404: Problem, 422: ValidationProblem},
    summary="Add an activity (one action) to an objective",
)
def activity_create(
    request: HttpRequest, case_id: int, objective_id: int, payload: ActivityIn
) -> Status[dict[str, Any]]:
    acting, plan = _plan(request, case_id, CaseAction.WORK)
    objective = objective_of(plan, objective_id)
    activity = activity_add(
        acting=acting, objective=objective, values=_activity_values(plan, payload)
    )
    return Status(201, _activity(plan, activity.pk))


def _activity(plan: Plan, activity_id: int) -> dict[str, Any]:
    for objective in _full(plan)["objectives"]:
        for activity in objective["activities"]:
            if activity["id"] == activity_id:
                return cast(dict[str, Any], activity)
    raise Http404


@router.patch(
    "/cases/{case_id}/plan/activities/{activity_id}",
    response={200: ActivityOut, 404: Problem, 409: ActivityOut, 422: ValidationProblem},
    summary="Change an activity (409 when stale)",
)
def activity_patch(
    request: HttpRequest, case_id: int, activity_id: int, payload: ActivityPatch
) -> Status[dict[str, Any]]:
    acting, plan = _plan(request, case_id, CaseAction.WORK)
    activity = activity_of(plan, activity_id)
    try:
        activity_update(
            acting=acting,
            activity=activity,
            expected_version=payload.expected_version,
            values=_activity_values(plan, payload),
        )
    except StaleEdit:
        return stale_answer(acting, plan.case, _activity(plan, activity_id), section="api:plan")
    return Status(200, _activity(plan, activity_id))


@router.delete(
    "/cases/{case_id}/plan/activities/{activity_id}",
    response={204: None, 404: Problem, 422: ValidationProblem},
)
def activity_remove(request: HttpRequest, case_id: int, activity_id: int) -> Status[None]:
    acting, plan = _plan(request, case_id, CaseAction.WORK)
    activity_delete(acting=acting, activity=activity_of(plan, activity_id))
    return Status(204, None)


@router.post(
    "/cases/{case_id}/plan/activities/{activity_id}/progress",
    response={200: ActivityOut, 404: Problem, 409: ActivityOut, 422: ValidationProblem},
    summary="Record progress; 'not_delivered' needs a reason code",
)
def activity_progress_set(
    request: HttpRequest, case_id: int, activity_id: int, payload: ProgressIn
) -> Status[dict[str, Any]]:
    acting, plan = _plan(request, case_id, CaseAction.WORK)
    activity = activity_of(plan, activity_id)
    try:
        activity_progress(
            acting=acting,
            activity=activity,
            expected_version=payload.expected_version,
            status=payload.status,
            reason=payload.reason,
            note=payload.note,
        )
    except StaleEdit:
        return stale_answer(acting, plan.case, _activity(plan, activity_id), section="api:plan")
    return Status(200, _activity(plan, activity_id))


@router.post(
    "/cases/{case_id}/plan/activities/{activity_id}/budget",
    response={201: BudgetLineOut, 404: Problem, 422: ValidationProblem},
    summary="Add a budget line (units, amount, currency, funding source)",
)
def budget_create(
    request: HttpRequest, case_id: int, activity_id: int, payload: BudgetLineIn
) -> Status[dict[str, Any]]:
    acting, plan = _plan(request, case_id, CaseAction.WORK)
    line = budget_line_add(
        acting=acting,
        activity=activity_of(plan, activity_id),
        amount=payload.amount,
        currency=payload.currency,
        units=payload.units,
        funding_organisation=_organisation(
            payload.funding_organisation_id, "funding_organisation_id"
        ),
        funding_source_name=payload.funding_source_name,
    )
    lines = _activity(plan, activity_id)["budget"]
    return Status(201, next(entry for entry in lines if entry["id"] == line.pk))


@router.delete(
    "/cases/{case_id}/plan/budget/{line_id}",
    response={204: None, 404: Problem, 422: ValidationProblem},
)
def budget_remove(request: HttpRequest, case_id: int, line_id: int) -> Status[None]:
    acting, plan = _plan(request, case_id, CaseAction.WORK)
    budget_line_delete(acting=acting, line=budget_line_of(plan, line_id))
    return Status(204, None)


@router.put(
    "/cases/{case_id}/plan/exclusions/{domain}",
    response={200: PlanOut, 404: Problem, 422: ValidationProblem},
    summary="Why an assessed domain has no objective",
)
def exclusion_put(
    request: HttpRequest, case_id: int, domain: str, payload: ExclusionIn
) -> dict[str, Any]:
    acting, plan = _plan(request, case_id, CaseAction.WORK)
    domain_exclusion_set(acting=acting, plan=plan, domain=domain, reason=payload.reason)
    return _full(plan)


@router.post(
    "/cases/{case_id}/plan/submit",
    response={200: PlanOut, 403: Problem, 404: Problem, 409: PlanOut, 422: ValidationProblem},
    summary="Submit to the approver the pack names (422 names what is missing or the cap)",
)
def plan_submit_endpoint(
    request: HttpRequest, case_id: int, payload: PlanSubmitIn
) -> Status[dict[str, Any]]:
    acting, plan = _plan(request, case_id, CaseAction.MANAGE)
    try:
        plan_submit(
            acting=acting,
            plan=plan,
            expected_version=payload.expected_version,
            stage=payload.stage,
        )
    except StaleEdit:
        return stale_answer(acting, plan.case, _full(plan), section="api:plan")
    return Status(200, _full(plan))


@router.post(
    "/cases/{case_id}/plan/modifications",
    response={201: PlanOut, 403: Problem, 404: Problem, 409: PlanOut, 422: ValidationProblem},
    summary="Open the next version of an approved plan, with its reason",
)
def modification_create(
    request: HttpRequest, case_id: int, payload: ModificationIn
) -> Status[dict[str, Any]]:
    acting, plan = _plan(request, case_id, CaseAction.MANAGE)
    try:
        plan_modification_start(
            acting=acting,
            plan=plan,
            expected_version=payload.expected_version,
            reason=payload.reason,
            anticipated_result=payload.anticipated_result,
            requested_by=payload.requested_by,
        )
    except StaleEdit:
        return stale_answer(acting, plan.case, _full(plan), section="api:plan")
    return Status(201, _full(plan))


@router.get(
    "/cases/{case_id}/plan/versions",
    response={200: list[VersionOut], 404: Problem},
    summary="Versions of the plan with their reasons",
)
def versions(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    acting, plan = _plan(request, case_id, CaseAction.VIEW)
    record_case_read(acting=acting, case=plan.case, section="api:plan_versions")
    return [
        {
            "number": version.number,
            "requested_by": version.requested_by,
            "reason": version.get_plain_or_erased("reason") or "",
            "anticipated_result": version.get_plain_or_erased("anticipated_result") or "",
            "started_at": version.started_at,
            "approved_at": version.approved_at,
        }
        for version in versions_of(plan)
    ]


@router.get(
    "/cases/{case_id}/plan/diff",
    response={200: list[PlanChangeOut], 404: Problem},
    summary="What changed between two versions (to_version omitted: the working copy)",
)
def version_diff(
    request: HttpRequest, case_id: int, from_version: int, to_version: int | None = None
) -> list[dict[str, Any]]:
    acting, plan = _plan(request, case_id, CaseAction.VIEW)
    record_case_read(acting=acting, case=plan.case, section="api:plan_diff")
    return [change.__dict__ for change in compare(plan, from_version, to_version)]


@router.post(
    "/cases/{case_id}/plan/signatures/acknowledge",
    response={201: SignatureOut, 404: Problem, 422: ValidationProblem},
    summary="Sign on screen as staff, confirmed with the current second-factor code",
)
def signature_acknowledge_endpoint(
    request: HttpRequest, case_id: int, payload: AcknowledgeIn
) -> Status[dict[str, Any]]:
    acting, plan = _plan(request, case_id, CaseAction.WORK)
    signature = signature_acknowledge(
        acting=acting, plan=plan, role=payload.role, otp_code=payload.otp_code
    )
    return Status(201, _signature(signature))


def _signature(signature: Any) -> dict[str, Any]:
    return {
        "id": signature.pk,
        "role": signature.role,
        "method": signature.method,
        "signed_on": signature.signed_on,
        "version_number": signature.version_number,
    }


@router.post(
    "/cases/{case_id}/plan/signatures/paper",
    response={201: SignatureOut, 404: Problem, 422: ValidationProblem},
    summary="Record a paper signature (multipart: role, signer_name, signed_on, scan)",
)
def signature_paper_endpoint(
    request: HttpRequest,
    case_id: int,
    payload: Form[PaperSignatureIn],
    scan: File[UploadedFile | None] = None,
) -> Status[dict[str, Any]]:
    acting, plan = _plan(request, case_id, CaseAction.MANAGE)
    signature = signature_record_paper(
        acting=acting,
        plan=plan,
        role=payload.role,
        signer_name=payload.signer_name,
        signed_on=payload.signed_on,
        upload=scan,
    )
    return Status(201, _signature(signature))


@router.post(
    "/cases/{case_id}/plan/reviews",
    response={201: PlanReviewOut, 404: Problem, 422: ValidationProblem},
    summary="Record a review of the plan in force with its success evaluation",
)
def review_create(request: HttpRequest, case_id: int, payload: ReviewIn) -> Status[dict[str, Any]]:
    acting, plan = _plan(request, case_id, CaseAction.MANAGE)
    review = plan_review_record(acting=acting, plan=plan, **payload.dict())
    return Status(201, review_out(review))


@router.post(
    "/cases/{case_id}/plan/activities/{activity_id}/confirmations",
    response={201: PlanConfirmationOut, 404: Problem, 422: ValidationProblem},
    summary="Record a provider's confirmation of an activity's service (two-stage plans)",
)
def confirmation_create(
    request: HttpRequest, case_id: int, activity_id: int, payload: PlanConfirmationIn
) -> Status[dict[str, Any]]:
    acting, plan = _plan(request, case_id, CaseAction.WORK)
    confirmation = activity_confirm(
        acting=acting,
        activity=activity_of(plan, activity_id),
        confirmed_on=payload.confirmed_on,
        provider=_organisation(payload.provider_id, "provider_id"),
        provider_name=payload.provider_name,
        referral_id=payload.referral_id,
        note=payload.note,
    )
    return Status(201, confirmation_out(confirmation, with_identity=True))


@router.get(
    "/cases/{case_id}/plan/pdf",
    response={200: None, 404: Problem, 422: ValidationProblem},
    summary="The printed plan (layout: nrs, iom, undp, tdh or summary; audited)",
)
def plan_pdf_endpoint(
    request: HttpRequest, case_id: int, layout: str = "", language: str = ""
) -> HttpResponse:
    acting, plan = _plan(request, case_id, CaseAction.VIEW)
    layout = layout or plan.layout
    if layout not in [*PrintLayout.values, "summary"]:
        raise ValidationError({"layout": [_("Choose one of the listed values.")]})
    language = language or person_language(plan, acting.user.language)
    plan_print_record(acting=acting, plan=plan, layout=layout, language=language)
    data = (
        summary_pdf(plan, language=language)
        if layout == "summary"
        else plan_pdf(plan, layout=layout, language=language)
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="plan-{plan.case.code}.pdf"'
    return response


# ---------------------------------------------------------------- the approver


class ApprovalListOut(Schema):
    count: int
    items: list[ApprovalListItem]


MAX_LIMIT = 100


@router.get(
    "/plan-approvals",
    response={200: ApprovalListOut, 403: Problem},
    summary="Plans submitted to your organisation for approval (paginated)",
)
def approvals(request: HttpRequest, offset: int = 0, limit: int = 25) -> dict[str, Any]:
    acting = _acting(request)
    queryset = submitted_plans(plans_for_approval(acting).filter(status="submitted"))
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    items = [
        {
            "id": plan.pk,
            "code": plan.case.code,
            "status": plan.status,
            "version_number": plan.version_number,
            "submitted_at": plan.submitted_at,
        }
        for plan in queryset[offset : offset + limit]
    ]
    return {"count": queryset.count(), "items": items}


def _approval(request: HttpRequest, plan_id: int) -> tuple[Acting, Plan]:
    acting = _acting(request)
    return acting, plan_for_approver(plans_for_approval(acting), plan_id)


@router.get(
    "/plan-approvals/{plan_id}",
    response={200: ApprovalOut, 404: Problem},
    summary="What approval needs: plan, budget, code, age band, needs — no identity",
)
def approval_detail(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    acting, plan = _approval(request, plan_id)
    from audit.models import AuditAction
    from audit.services import record

    record(
        action=AuditAction.VIEW,
        actor=acting.user,
        organisation=acting.organisation,
        target=plan,
        case_id=plan.case_id,
        detail={"section": "api:plan_approval"},
    )
    return approval_out(plan_view(plan))


@router.post(
    "/plan-approvals/{plan_id}/decision",
    response={
        200: ApprovalOut,
        403: Problem,
        404: Problem,
        409: ApprovalOut,
        422: ValidationProblem,
    },
    summary="Approve the final plan, or return it with comments",
)
def approval_decide(
    request: HttpRequest, plan_id: int, payload: PlanDecisionIn
) -> Status[dict[str, Any]]:
    acting, plan = _approval(request, plan_id)
    try:
        plan = plan_decide(
            acting=acting,
            plan=plan,
            expected_version=payload.expected_version,
            decision=payload.decision,
            comment=payload.comment,
            stage=payload.stage,
        )
    except StaleEdit:
        return stale_answer(
            acting, plan.case, approval_out(plan_view(plan)), section="api:plan_approval"
        )
    return Status(200, approval_out(plan_view(plan)))


# ---------------------------------------------------------------- organisation settings


@router.get("/plan-settings", response={200: SettingsIO, 403: Problem})
def settings_detail(request: HttpRequest) -> dict[str, Any]:
    acting = _acting(request)
    require_acting(acting, Capability.ORGANISATION_SETTINGS_MANAGE)
    current = settings_for(acting.organisation)
    return {"layout": current.layout, "version": current.version}


@router.put(
    "/plan-settings",
    response={200: SettingsIO, 403: Problem, 409: SettingsIO, 422: ValidationProblem},
    summary="The organisation's print layout for plans",
)
def settings_put(request: HttpRequest, payload: SettingsIO) -> Status[dict[str, Any]]:
    acting = _acting(request)
    require_acting(acting, Capability.ORGANISATION_SETTINGS_MANAGE)
    try:
        current = plan_settings_update(
            acting=acting, expected_version=payload.version, layout=payload.layout
        )
    except StaleEdit:
        current = settings_for(acting.organisation)
        return Status(409, {"layout": current.layout, "version": current.version})
    return Status(200, {"layout": current.layout, "version": current.version})
