"""Implementation and assistance over the API (SPEC C7): the same chokepoints, services and
audit as the pages. Case work under ``/cases/{case_id}/implementation``, ``/ledger``,
``/spending`` and ``/cost-per-beneficiary``; the case manager's monthly report under
``/expenditure-reports``; the coordinator's inbox under ``/expenditure-reports/received``,
which carries case codes and never a name, contact or date of birth."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from accounts.access import Acting, CaseAction
from accounts.roles import Capability
from api.case_access import case_for
from api.schemas import PatchIn, Problem, ValidationProblem
from assistance.access import report_for_coordinator, reports_received_by, require_reporter
from assistance.exports import (
    ReportDocument,
    acknowledgement_sheet_pdf,
    document_from_generated,
    document_from_report,
    report_csv,
    report_pdf,
    report_xlsx,
    totals_of,
)
from assistance.models import ActivityImplementation, ExpenditureReport, LedgerItem
from assistance.rules import measurable_target, month_start, parse_month
from assistance.selectors import (
    LEDGER_PAGE_SIZE,
    CostPerBeneficiary,
    Spending,
    activities_of,
    activity_of,
    budget_line_of,
    cost_per_beneficiary,
    evidence_of,
    ledger_for_period,
    ledger_item_of,
    ledger_items,
    monthly_report,
    person_language,
    plan_of,
    progress_of,
    report_of_month,
    spending_of,
)
from assistance.services import (
    acknowledgement_sheet_print_record,
    evidence_add,
    evidence_read,
    expenditure_report_acknowledge,
    expenditure_report_export_record,
    expenditure_report_submit,
    implementation_record,
    implementation_transition,
    ledger_acknowledge,
    ledger_item_record,
    ledger_item_update,
    referral_of,
    staff_member,
)
from cases.models import Case
from cases.services import record_case_read
from lib.errors import StaleEdit
from lib.uploads import sniff_content_type
from lib.views import acting_or_403
from plans.models import Activity
from plans.selectors import organisations_for_choice

router = Router(tags=["assistance"])


# ---------------------------------------------------------------- schemas


class AssistanceEvidenceOut(Schema):
    id: int
    file_name: str
    content_type: str
    size: int
    uploaded_at: datetime.datetime


class AssistanceActivityOut(Schema):
    id: int
    objective_id: int
    domain: str
    description: str
    status: str
    not_delivered_reason: str
    version: int
    planned_start: datetime.date | None
    planned_end: datetime.date | None
    actual_start: datetime.date | None
    actual_end: datetime.date | None
    result: str
    delivered_by: str
    delivered_by_user_id: int | None
    referral_id: int | None
    delivered_by_name: str
    target: str
    target_value: str | None
    value_reached: str | None
    estimated_value: str | None
    estimated_currency: str
    implementation_version: int
    evidence: list[AssistanceEvidenceOut]


class AssistanceProgressOut(Schema):
    total: int
    done: int
    in_progress: int
    not_delivered: int
    cancelled: int
    percent: int


class AssistanceLineOut(Schema):
    budget_line_id: int
    activity: str
    domain: str
    funding: str
    currency: str
    budgeted: str
    spent: str
    remaining: str
    over: bool


class AssistanceBucketOut(Schema):
    key: str
    currency: str
    budgeted: str
    spent: str
    remaining: str


class AssistanceCapOut(Schema):
    cap: str
    currency: str
    spent: str
    remaining: str
    percent: int


class AssistanceAmountOut(Schema):
    currency: str
    amount: str


class AssistanceSpendingOut(Schema):
    lines: list[AssistanceLineOut]
    by_domain: list[AssistanceBucketOut]
    by_funding_source: list[AssistanceBucketOut]
    off_plan: list[AssistanceAmountOut]
    cap: AssistanceCapOut | None


class AssistanceCostRowOut(Schema):
    source: str
    category: str
    funding: str
    phase: str
    currency: str
    amount: str


class AssistanceKeyedAmountOut(Schema):
    key: str
    currency: str
    amount: str


class AssistanceCostOut(Schema):
    totals: list[AssistanceAmountOut]
    by_phase: list[AssistanceKeyedAmountOut]
    by_category: list[AssistanceKeyedAmountOut]
    by_funding_source: list[AssistanceKeyedAmountOut]
    rows: list[AssistanceCostRowOut]


class AssistanceImplementationOut(Schema):
    case_id: int
    plan_id: int | None
    progress: AssistanceProgressOut
    activities: list[AssistanceActivityOut]
    spending: AssistanceSpendingOut


class AssistanceImplementationIn(Schema):
    expected_version: int
    actual_start: datetime.date | None = None
    actual_end: datetime.date | None = None
    result: str | None = None
    delivered_by: str | None = None
    delivered_by_user_id: int | None = None
    referral_id: int | None = None
    delivered_by_name: str | None = None
    value_reached: str | None = None
    estimated_value: str | None = None
    estimated_currency: str | None = None


class AssistanceTransitionIn(Schema):
    expected_version: int
    status: str
    reason: str = ""
    note: str = ""


class LedgerItemOut(Schema):
    id: int
    category: str
    given_on: datetime.date
    quantity: str
    unit: str
    amount: str
    currency: str
    provision: str
    funding_organisation_id: int | None
    funding: str
    budget_line_id: int | None
    domain: str
    description: str
    off_plan_reason: str
    over_budget_reason: str
    cap_overridden: bool
    acknowledgement: str
    acknowledged_on: datetime.date | None
    has_scan: bool
    recorded_by_id: int
    version: int


class LedgerPageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[LedgerItemOut]


class LedgerItemIn(Schema):
    category: str
    given_on: datetime.date
    amount: str
    currency: str
    quantity: str = "1"
    unit: str = "piece"
    provision: str = "paid"
    budget_line_id: int | None = None
    funding_organisation_id: int | None = None
    funding_source_name: str = ""
    description: str = ""
    off_plan_reason: str = ""
    over_budget_reason: str = ""
    cap_override_reason: str = ""


class LedgerItemPatch(PatchIn):
    """Only the fields sent change; ``null`` unlinks the budget line or the funder, or
    clears the description or the other funder's name."""

    clearable = frozenset(
        {"budget_line_id", "funding_organisation_id", "funding_source_name", "description"}
    )

    expected_version: int
    category: str | None = None
    given_on: datetime.date | None = None
    amount: str | None = None
    currency: str | None = None
    quantity: str | None = None
    unit: str | None = None
    provision: str | None = None
    budget_line_id: int | None = None
    funding_organisation_id: int | None = None
    funding_source_name: str | None = None
    description: str | None = None
    off_plan_reason: str = ""
    over_budget_reason: str = ""
    cap_override_reason: str = ""


class LedgerAcknowledgementIn(Schema):
    expected_version: int
    method: str
    acknowledged_on: datetime.date


class ExpenditureLineOut(Schema):
    case_code: str
    category: str
    provision: str
    funding: str
    currency: str
    amount: str
    items: int


class ExpenditureWorkOut(Schema):
    case_code: str
    domain: str
    delivered_by: str
    completed_on: datetime.date


class ExpenditureMonthOut(Schema):
    """The case manager's report for a month: generated now, or as submitted."""

    month: str
    report_id: int | None
    status: str
    recipient: str
    lines: list[ExpenditureLineOut]
    works: list[ExpenditureWorkOut]
    totals: list[AssistanceAmountOut]
    in_kind_totals: list[AssistanceAmountOut]


class ExpenditureReportOut(Schema):
    """A submitted report as the coordinator sees it: codes, never identities."""

    id: int
    organisation: str
    month: str
    status: str
    submitted_at: datetime.datetime
    acknowledged_at: datetime.datetime | None
    version: int
    lines: list[ExpenditureLineOut]
    works: list[ExpenditureWorkOut]
    totals: list[AssistanceAmountOut]
    in_kind_totals: list[AssistanceAmountOut]


class ExpenditureReportListItem(Schema):
    id: int
    organisation: str
    month: str
    status: str
    submitted_at: datetime.datetime


class ExpenditureSubmitIn(Schema):
    month: str
    reviewed: bool


class ExpenditureAcknowledgeIn(Schema):
    expected_version: int


# ---------------------------------------------------------------- helpers


def _money(value: Any) -> str | None:
    return None if value is None else f"{value:.2f}"


def _activity_out(
    activity: Activity, implementation: ActivityImplementation | None
) -> dict[str, Any]:
    target = activity.objective.get_plain_or_erased("target") or ""
    target_value = measurable_target(target)
    evidence = list(implementation.evidence.all()) if implementation is not None else []
    return {
        "id": activity.pk,
        "objective_id": activity.objective_id,
        "domain": activity.objective.domain,
        "description": activity.get_plain_or_erased("description") or "",
        "status": activity.status,
        "not_delivered_reason": activity.not_delivered_reason,
        "version": activity.version,
        "planned_start": activity.starts_on,
        "planned_end": activity.due_on,
        "actual_start": implementation.actual_start if implementation else None,
        "actual_end": implementation.actual_end if implementation else None,
        "result": (implementation.get_plain_or_erased("result") or "") if implementation else "",
        "delivered_by": implementation.delivered_by if implementation else "",
        "delivered_by_user_id": implementation.delivered_by_user_id if implementation else None,
        "referral_id": implementation.referral_id if implementation else None,
        "delivered_by_name": (implementation.get_plain_or_erased("delivered_by_name") or "")
        if implementation
        else "",
        "target": target,
        "target_value": _money(target_value),
        "value_reached": _money(implementation.value_reached) if implementation else None,
        "estimated_value": _money(implementation.estimated_value) if implementation else None,
        "estimated_currency": implementation.estimated_currency if implementation else "",
        "implementation_version": implementation.version if implementation else 0,
        "evidence": [
            {
                "id": item.pk,
                "file_name": item.get_plain_or_erased("file_name") or "",
                "content_type": item.content_type,
                "size": item.size,
                "uploaded_at": item.uploaded_at,
            }
            for item in evidence
        ],
    }


def _implementation(activity: Activity) -> ActivityImplementation | None:
    try:
        return activity.implementation
    except ActivityImplementation.DoesNotExist:
        return None


def _spending_out(spending: Spending) -> dict[str, Any]:
    def bucket(item: Any) -> dict[str, Any]:
        return {
            "key": item.key,
            "currency": item.currency,
            "budgeted": _money(item.budgeted),
            "spent": _money(item.spent),
            "remaining": _money(item.remaining),
        }

    cap = spending.cap
    return {
        "lines": [
            {
                "budget_line_id": row.line.pk,
                "activity": row.label,
                "domain": row.line.activity.objective.domain,
                "funding": row.funding,
                "currency": row.line.currency,
                "budgeted": _money(row.budgeted),
                "spent": _money(row.spent),
                "remaining": _money(row.remaining),
                "over": row.over,
            }
            for row in spending.lines
        ],
        "by_domain": [bucket(item) for item in spending.by_domain],
        "by_funding_source": [bucket(item) for item in spending.by_source],
        "off_plan": [
            {"currency": currency, "amount": _money(amount)}
            for currency, amount in sorted(spending.off_plan.items())
        ],
        "cap": None
        if cap is None
        else {
            "cap": _money(cap.cap),
            "currency": cap.currency,
            "spent": _money(cap.spent),
            "remaining": _money(cap.remaining),
            "percent": cap.percent,
        },
    }


def _costs_out(costs: CostPerBeneficiary) -> dict[str, Any]:
    def keyed(rows: list[tuple[str, str, Any]]) -> list[dict[str, Any]]:
        return [
            {"key": key, "currency": currency, "amount": _money(amount)}
            for key, currency, amount in rows
        ]

    sums: dict[tuple[str, str], Any] = {}
    for row in costs.rows:
        sums[(row.category, row.currency)] = sums.get((row.category, row.currency), 0) + row.amount
    return {
        "totals": [
            {"currency": currency, "amount": _money(amount)} for currency, amount in costs.totals
        ],
        "by_phase": keyed(
            [(row.phase, row.currency, row.amount) for row in _merge(costs.rows, "phase")]
        ),
        "by_category": keyed([(key, currency, amount) for (key, currency), amount in sums.items()]),
        "by_funding_source": keyed(costs.by_funding),
        "rows": [
            {
                "source": row.source,
                "category": row.category,
                "funding": row.funding,
                "phase": row.phase,
                "currency": row.currency,
                "amount": _money(row.amount),
            }
            for row in costs.rows
        ],
    }


def _merge(rows: list[Any], attribute: str) -> list[Any]:
    from dataclasses import replace

    merged: dict[tuple[str, str], Any] = {}
    for row in rows:
        key = (getattr(row, attribute), row.currency)
        merged[key] = (
            replace(merged[key], amount=merged[key].amount + row.amount) if key in merged else row
        )
    return list(merged.values())


def _item_out(item: LedgerItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "category": item.category,
        "given_on": item.given_on,
        "quantity": _money(item.quantity),
        "unit": item.unit,
        "amount": _money(item.amount),
        "currency": item.currency,
        "provision": item.provision,
        "funding_organisation_id": item.funding_organisation_id,
        "funding": item.funding_label,
        "budget_line_id": item.budget_line_id,
        "domain": item.domain,
        "description": item.get_plain_or_erased("description") or "",
        "off_plan_reason": item.get_plain_or_erased("off_plan_reason") or "",
        "over_budget_reason": item.get_plain_or_erased("over_budget_reason") or "",
        "cap_overridden": item.cap_override_by_id is not None,
        "acknowledgement": item.acknowledgement,
        "acknowledged_on": item.acknowledged_on,
        "has_scan": bool(item.scan),
        "recorded_by_id": item.recorded_by_id,
        "version": item.version,
    }


def _activity_response(case: Case, activity_id: int) -> dict[str, Any]:
    activity = activity_of(case, activity_id)
    plan = activity.objective.plan
    for row in activities_of(plan):
        if row.pk == activity_id:
            return _activity_out(row, _implementation(row))
    return _activity_out(activity, None)


def _file(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


def _ledger_values(case: Case, payload: Schema) -> dict[str, Any]:
    values = payload.dict(exclude_unset=True)
    for name in (
        "expected_version",
        "description",
        "off_plan_reason",
        "over_budget_reason",
        "cap_override_reason",
    ):
        values.pop(name, None)
    if "budget_line_id" in values:
        line_id = values.pop("budget_line_id")
        values["budget_line"] = budget_line_of(case, line_id)
        if line_id is not None and values["budget_line"] is None:
            raise ValidationError(
                {"budget_line_id": [_("Choose a budget line of this case's plan.")]}
            )
    if "funding_organisation_id" in values:
        funder_id = values.pop("funding_organisation_id")
        values["funding_organisation"] = (
            organisations_for_choice().filter(pk=funder_id).first() if funder_id else None
        )
        if funder_id and values["funding_organisation"] is None:
            raise ValidationError({"funding_organisation_id": [_("Unknown organisation.")]})
    return values


# ---------------------------------------------------------------- implementation


@router.get(
    "/cases/{case_id}/implementation",
    response={200: AssistanceImplementationOut, 403: Problem, 404: Problem},
    summary="Activities of the plan with their implementation, and spending against budget and cap",
)
def implementation_detail(request: HttpRequest, case_id: int) -> dict[str, Any]:
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    plan = plan_of(case)
    activities = activities_of(plan) if plan else []
    progress = progress_of(activities)
    record_case_read(acting=acting, case=case, section="implementation")
    return {
        "case_id": case.pk,
        "plan_id": plan.pk if plan else None,
        "progress": {**progress.__dict__, "percent": progress.percent},
        "activities": [_activity_out(a, _implementation(a)) for a in activities],
        "spending": _spending_out(spending_of(case, plan)),
    }


@router.put(
    "/cases/{case_id}/implementation/activities/{activity_id}",
    response={
        200: AssistanceActivityOut,
        403: Problem,
        404: Problem,
        409: AssistanceActivityOut,
        422: ValidationProblem,
    },
    summary="Record actual dates, result, who delivered it and the value reached (409 when stale)",
)
def implementation_put(
    request: HttpRequest, case_id: int, activity_id: int, payload: AssistanceImplementationIn
) -> Status[dict[str, Any]]:
    acting, case = case_for(request, case_id, CaseAction.WORK)
    activity = activity_of(case, activity_id)
    values = payload.dict(exclude_unset=True)
    values.pop("expected_version")
    if "delivered_by_user_id" in values:
        user_id = values.pop("delivered_by_user_id")
        values["delivered_by_user"] = staff_member(case, user_id)
        if user_id is not None and values["delivered_by_user"] is None:
            raise ValidationError(
                {"delivered_by_user_id": [_("Choose a member of this organisation's staff.")]}
            )
    if "referral_id" in values:
        referral_id = values.pop("referral_id")
        values["referral"] = referral_of(case, referral_id)
        if referral_id is not None and values["referral"] is None:
            raise ValidationError(
                {"referral_id": [_("Choose a referral of this case that was accepted.")]}
            )
    try:
        implementation_record(
            acting=acting,
            activity=activity,
            expected_version=payload.expected_version,
            values=values,
        )
    except StaleEdit:
        return Status(409, _activity_response(case, activity_id))
    return Status(200, _activity_response(case, activity_id))


@router.post(
    "/cases/{case_id}/implementation/activities/{activity_id}/status",
    response={
        200: AssistanceActivityOut,
        403: Problem,
        404: Problem,
        409: AssistanceActivityOut,
        422: ValidationProblem,
    },
    summary="planned → in_progress → done / not_delivered (with a reason code) / cancelled",
)
def implementation_status(
    request: HttpRequest, case_id: int, activity_id: int, payload: AssistanceTransitionIn
) -> Status[dict[str, Any]]:
    acting, case = case_for(request, case_id, CaseAction.WORK)
    activity = activity_of(case, activity_id)
    try:
        implementation_transition(
            acting=acting,
            activity=activity,
            expected_version=payload.expected_version,
            status=payload.status,
            reason=payload.reason,
            note=payload.note,
        )
    except StaleEdit:
        return Status(409, _activity_response(case, activity_id))
    return Status(200, _activity_response(case, activity_id))


@router.post(
    "/cases/{case_id}/implementation/activities/{activity_id}/evidence",
    response={201: AssistanceEvidenceOut, 403: Problem, 404: Problem, 422: ValidationProblem},
    summary="Attach evidence (multipart: file; PDF, JPEG or PNG up to 10 MB)",
)
def evidence_create(
    request: HttpRequest, case_id: int, activity_id: int, file: File[UploadedFile]
) -> Status[dict[str, Any]]:
    acting, case = case_for(request, case_id, CaseAction.WORK)
    activity = activity_of(case, activity_id)
    evidence = evidence_add(acting=acting, activity=activity, upload=file)
    return Status(
        201,
        {
            "id": evidence.pk,
            "file_name": evidence.get_plain_or_erased("file_name") or "",
            "content_type": evidence.content_type,
            "size": evidence.size,
            "uploaded_at": evidence.uploaded_at,
        },
    )


@router.get(
    "/cases/{case_id}/implementation/evidence/{evidence_id}",
    response={200: None, 403: Problem, 404: Problem},
    summary="Download evidence (decrypted, audited)",
)
def evidence_download(request: HttpRequest, case_id: int, evidence_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    evidence = evidence_of(case, evidence_id)
    data = evidence_read(acting=acting, evidence=evidence, case=case)
    return _file(
        data, sniff_content_type(data) or "application/octet-stream", f"evidence-{evidence.pk}"
    )


# ---------------------------------------------------------------- ledger


@router.get(
    "/cases/{case_id}/ledger",
    response={200: LedgerPageOut, 403: Problem, 404: Problem},
    summary="The assistance ledger, newest first, 25 items a page",
)
def ledger_list(request: HttpRequest, case_id: int, page: int = 1) -> dict[str, Any]:
    from django.core.paginator import Paginator

    acting, case = case_for(request, case_id, CaseAction.VIEW)
    paginator = Paginator(ledger_items(case).order_by("-given_on", "-id"), LEDGER_PAGE_SIZE)
    current = paginator.get_page(page)
    record_case_read(acting=acting, case=case, section="ledger")
    return {
        "count": paginator.count,
        "page": current.number,
        "pages": paginator.num_pages,
        "items": [_item_out(item) for item in current.object_list],
    }


@router.post(
    "/cases/{case_id}/ledger",
    response={201: LedgerItemOut, 403: Problem, 404: Problem, 422: ValidationProblem},
    summary="Record an item of assistance; refused over the cap unless a supervisor overrides",
)
def ledger_create(
    request: HttpRequest, case_id: int, payload: LedgerItemIn
) -> Status[dict[str, Any]]:
    acting, case = case_for(request, case_id, CaseAction.WORK)
    item = ledger_item_record(
        acting=acting,
        case=case,
        values=_ledger_values(case, payload),
        description=payload.description,
        off_plan_reason=payload.off_plan_reason,
        over_budget_reason=payload.over_budget_reason,
        cap_override_reason=payload.cap_override_reason,
    )
    return Status(201, _item_out(ledger_item_of(case, item.pk)))


@router.patch(
    "/cases/{case_id}/ledger/{item_id}",
    response={
        200: LedgerItemOut,
        403: Problem,
        404: Problem,
        409: LedgerItemOut,
        422: ValidationProblem,
    },
    summary="Correct an item (409 with the current values when stale)",
)
def ledger_patch(
    request: HttpRequest, case_id: int, item_id: int, payload: LedgerItemPatch
) -> Status[dict[str, Any]]:
    acting, case = case_for(request, case_id, CaseAction.WORK)
    item = ledger_item_of(case, item_id)
    try:
        ledger_item_update(
            acting=acting,
            item=item,
            expected_version=payload.expected_version,
            values=_ledger_values(case, payload),
            description=payload.description,
            off_plan_reason=payload.off_plan_reason,
            over_budget_reason=payload.over_budget_reason,
            cap_override_reason=payload.cap_override_reason,
        )
    except StaleEdit:
        return Status(409, _item_out(ledger_item_of(case, item_id)))
    return Status(200, _item_out(ledger_item_of(case, item_id)))


@router.post(
    "/cases/{case_id}/ledger/{item_id}/acknowledgement",
    response={
        200: LedgerItemOut,
        403: Problem,
        404: Problem,
        409: LedgerItemOut,
        422: ValidationProblem,
    },
    summary="The person's acknowledgement (multipart: method paper with scan, or on_screen)",
)
def ledger_acknowledgement(
    request: HttpRequest,
    case_id: int,
    item_id: int,
    payload: Form[LedgerAcknowledgementIn],
    scan: File[UploadedFile | None] = None,
) -> Status[dict[str, Any]]:
    acting, case = case_for(request, case_id, CaseAction.WORK)
    item = ledger_item_of(case, item_id)
    try:
        ledger_acknowledge(
            acting=acting,
            item=item,
            expected_version=payload.expected_version,
            method=payload.method,
            acknowledged_on=payload.acknowledged_on,
            upload=scan,
        )
    except StaleEdit:
        return Status(409, _item_out(ledger_item_of(case, item_id)))
    return Status(200, _item_out(ledger_item_of(case, item_id)))


@router.get(
    "/cases/{case_id}/acknowledgement-sheet",
    response={200: None, 403: Problem, 404: Problem, 422: ValidationProblem},
    summary="The acknowledgement sheet as PDF, for one item or a period, in the person's language",
)
def acknowledgement_sheet(
    request: HttpRequest,
    case_id: int,
    item: int | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    language: str | None = None,
) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    chosen = language or person_language(case, acting.user.language)
    if item is not None:
        items = [ledger_item_of(case, item)]
        start = end = None
    else:
        today = timezone.localdate()
        start = start or month_start(today)
        end = end or today
        if end < start:
            raise ValidationError({"end": [_("The end of the period cannot be before its start.")]})
        items = list(ledger_for_period(case, start=start, end=end))
    acknowledgement_sheet_print_record(
        acting=acting, case=case, language=chosen, items=[row.pk for row in items]
    )
    pdf = acknowledgement_sheet_pdf(case, items, language=chosen, start=start, end=end)
    return _file(pdf, "application/pdf", f"acknowledgement-{case.code}.pdf")


@router.get(
    "/cases/{case_id}/spending",
    response={200: AssistanceSpendingOut, 403: Problem, 404: Problem},
    summary="Budgeted vs spent per budget line, domain and funding source; the cap",
)
def spending(request: HttpRequest, case_id: int) -> dict[str, Any]:
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    record_case_read(acting=acting, case=case, section="spending")
    return _spending_out(spending_of(case, plan_of(case)))


@router.get(
    "/cases/{case_id}/cost-per-beneficiary",
    response={200: AssistanceCostOut, 403: Problem, 404: Problem},
    summary="Every cost of the case by phase, service category and funding source",
)
def costs(request: HttpRequest, case_id: int) -> dict[str, Any]:
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    record_case_read(acting=acting, case=case, section="cost_per_beneficiary")
    return _costs_out(cost_per_beneficiary(case, plan_of(case)))


# ---------------------------------------------------------------- monthly reports


def _acting(request: HttpRequest) -> Acting:
    acting = cast(Acting, request.auth)  # type: ignore[attr-defined]  # set by ninja's auth
    request.acting = acting  # type: ignore[attr-defined]  # acting_or_403 reads it
    return acting_or_403(request)


def _lines_out(document: ReportDocument) -> dict[str, Any]:
    totals = totals_of(document.lines)
    return {
        "lines": [
            {
                "case_code": line.case_code,
                "category": line.category,
                "provision": line.provision,
                "funding": line.funding,
                "currency": line.currency,
                "amount": _money(line.amount),
                "items": line.items,
            }
            for line in document.lines
        ],
        "works": [
            {
                "case_code": work.case_code,
                "domain": work.domain,
                "delivered_by": work.delivered_by,
                "completed_on": work.completed_on,
            }
            for work in document.works
        ],
        "totals": [{"currency": c, "amount": _money(a)} for c, a in totals["paid"]],
        "in_kind_totals": [{"currency": c, "amount": _money(a)} for c, a in totals["in_kind"]],
    }


def _report_out(report: ExpenditureReport) -> dict[str, Any]:
    document = document_from_report(report, with_case_manager=False)
    return {
        "id": report.pk,
        "organisation": report.organisation.name,
        "month": report.month.strftime("%Y-%m"),
        "status": report.status,
        "submitted_at": report.submitted_at,
        "acknowledged_at": report.acknowledged_at,
        "version": report.version,
        **_lines_out(document),
    }


def _month_document(acting: Acting, month: datetime.date) -> tuple[ReportDocument, Any]:
    submitted = report_of_month(acting.organisation.pk, acting.user, month)
    if submitted is not None:
        return document_from_report(submitted, with_case_manager=True), submitted
    generated = monthly_report(
        organisation_id=acting.organisation.pk, case_manager=acting.user, month=month
    )
    return (
        document_from_generated(
            generated,
            organisation=acting.organisation.name,
            case_manager=acting.user.get_full_name() or acting.user.username,
            recipient="",
        ),
        None,
    )


@router.get(
    "/expenditure-reports/monthly",
    response={200: ExpenditureMonthOut, 403: Problem},
    summary="The case manager's report for a month (YYYY-MM): generated, or as submitted",
)
def monthly(request: HttpRequest, month: str | None = None) -> dict[str, Any]:
    acting = require_reporter(_acting(request))
    chosen = parse_month(month, default=timezone.localdate())
    document, submitted = _month_document(acting, chosen)
    return {
        "month": chosen.strftime("%Y-%m"),
        "report_id": submitted.pk if submitted else None,
        "status": submitted.status if submitted else "draft",
        "recipient": document.recipient,
        **_lines_out(document),
    }


@router.post(
    "/expenditure-reports",
    response={201: ExpenditureReportOut, 403: Problem, 422: ValidationProblem},
    summary="Submit the month's report to the coordinating organisation the pack names",
)
def submit(request: HttpRequest, payload: ExpenditureSubmitIn) -> Status[dict[str, Any]]:
    acting = require_reporter(_acting(request))
    if parse_month(payload.month, default=datetime.date(1900, 1, 1)).year == 1900:
        raise ValidationError({"month": [_("Give the month as YYYY-MM.")]})
    report = expenditure_report_submit(
        acting=acting,
        month=parse_month(payload.month, default=timezone.localdate()),
        reviewed=payload.reviewed,
    )
    fresh = ExpenditureReport.objects.select_related("organisation", "recipient").get(pk=report.pk)
    return Status(201, _report_out(fresh))


def _export(document: ReportDocument, fmt: str, language: str, stem: str) -> HttpResponse:
    if fmt == "pdf":
        return _file(report_pdf(document, language=language), "application/pdf", f"{stem}.pdf")
    if fmt == "csv":
        return _file(report_csv(document), "text/csv; charset=utf-8", f"{stem}.csv")
    return _file(
        report_xlsx(document),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"{stem}.xlsx",
    )


def _format(fmt: str) -> str:
    if fmt not in ("pdf", "csv", "xlsx"):
        raise ValidationError({"format": [_("Choose pdf, csv or xlsx.")]})
    return fmt


@router.get(
    "/expenditure-reports/monthly/export",
    response={200: None, 403: Problem, 422: ValidationProblem},
    summary="The month's report as pdf, csv or xlsx",
)
def monthly_export(
    request: HttpRequest, month: str | None = None, format: str = "pdf"
) -> HttpResponse:
    acting = require_reporter(_acting(request))
    fmt = _format(format)
    chosen = parse_month(month, default=timezone.localdate())
    document, submitted = _month_document(acting, chosen)
    expenditure_report_export_record(acting=acting, report=submitted, month=chosen, fmt=fmt)
    return _export(document, fmt, acting.user.language, f"expenditure-{chosen:%Y-%m}")


@router.get(
    "/expenditure-reports/received",
    response={200: list[ExpenditureReportListItem], 403: Problem},
    summary="The coordinator's inbox of submitted reports, newest first (50 a page)",
)
def inbox(request: HttpRequest, page: int = 1) -> list[dict[str, Any]]:
    acting = _acting(request)
    if not acting.can(Capability.PLAN_APPROVE_FUNDED):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    page = max(1, page)
    reports = (
        reports_received_by(acting)
        .select_related("organisation")
        .order_by("-submitted_at", "-id")[(page - 1) * 50 : page * 50]
    )
    return [
        {
            "id": report.pk,
            "organisation": report.organisation.name,
            "month": report.month.strftime("%Y-%m"),
            "status": report.status,
            "submitted_at": report.submitted_at,
        }
        for report in reports
    ]


@router.get(
    "/expenditure-reports/received/{report_id}",
    response={200: ExpenditureReportOut, 403: Problem, 404: Problem},
    summary="A submitted report: case codes, expenditures and works, never an identity",
)
def received(request: HttpRequest, report_id: int) -> dict[str, Any]:
    acting = _acting(request)
    return _report_out(report_for_coordinator(acting, report_id))


@router.post(
    "/expenditure-reports/received/{report_id}/acknowledge",
    response={
        200: ExpenditureReportOut,
        403: Problem,
        404: Problem,
        409: ExpenditureReportOut,
        422: ValidationProblem,
    },
    summary="Acknowledge receipt of a report (409 when stale)",
)
def acknowledge(
    request: HttpRequest, report_id: int, payload: ExpenditureAcknowledgeIn
) -> Status[dict[str, Any]]:
    acting = _acting(request)
    report = report_for_coordinator(acting, report_id)
    try:
        expenditure_report_acknowledge(
            acting=acting, report=report, expected_version=payload.expected_version
        )
    except StaleEdit:
        return Status(409, _report_out(report_for_coordinator(acting, report_id)))
    return Status(200, _report_out(report_for_coordinator(acting, report_id)))


@router.get(
    "/expenditure-reports/received/{report_id}/export",
    response={200: None, 403: Problem, 404: Problem, 422: ValidationProblem},
    summary="A submitted report as pdf, csv or xlsx, without identities",
)
def received_export(request: HttpRequest, report_id: int, format: str = "pdf") -> HttpResponse:
    acting = _acting(request)
    fmt = _format(format)
    report = report_for_coordinator(acting, report_id)
    expenditure_report_export_record(acting=acting, report=report, month=report.month, fmt=fmt)
    return _export(
        document_from_report(report, with_case_manager=False),
        fmt,
        acting.user.language,
        f"expenditure-{report.month:%Y-%m}",
    )
