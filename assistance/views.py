"""Pages of implementation and assistance (SPEC C7): the case's "Implementation" section
(activities with their progress, the ledger, spending against budget and cap), the
acknowledgement sheet, the case manager's monthly report and the coordinator's inbox.
Forms post and redirect; a refused form re-renders the section with its errors by field."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import Acting, CaseAction, may_on_case
from accounts.roles import Capability
from assistance.access import (
    may_override_cap,
    report_for_coordinator,
    reports_received_by,
    reports_visible_to,
    require_reporter,
)
from assistance.codes import DeliveredBy, ReportStatus
from assistance.exports import (
    ReportDocument,
    acknowledgement_sheet_pdf,
    document_from_generated,
    document_from_report,
    line_rows,
    report_csv,
    report_pdf,
    report_xlsx,
    totals_of,
    work_rows,
)
from assistance.forms import (
    AcknowledgeForm,
    EvidenceForm,
    ImplementationForm,
    LedgerEditForm,
    LedgerItemForm,
    ReportAcknowledgeForm,
    ReportSubmitForm,
    SheetForm,
    TransitionForm,
)
from assistance.models import ActivityImplementation, LedgerItem
from assistance.rules import allowed_transitions, measurable_target, month_start, parse_month
from assistance.selectors import (
    activities_of,
    activity_of,
    cost_per_beneficiary,
    delivering_referrals,
    evidence_of,
    ledger_for_period,
    ledger_item_of,
    ledger_page,
    monthly_report,
    own_reports,
    person_language,
    plan_of,
    progress_of,
    report_detail,
    report_of_month,
    spending_of,
)
from assistance.services import (
    acknowledgement_scan_read,
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
from cases.views.common import apply_errors, case_for, render_section
from lib.errors import StaleEdit
from lib.uploads import sniff_content_type
from lib.views import acting_or_403, login_required_verified
from plans.codes import ActivityStatus
from plans.selectors import organisations_for_choice, staff_of

EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def _file(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    # Attachment, never inline: the browser must not render an uploaded file in our origin.
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


STALE = gettext_lazy(
    "Someone changed this record while you were editing it; the current values are shown."
)
REPORTS_PAGE_SIZE = 25


# ---------------------------------------------------------------- the implementation section


def _choices(case: Case) -> dict[str, list[tuple[int, str]]]:
    return {
        "staff": [
            (user.pk, user.get_full_name() or user.username) for user in staff_of(case.organisation)
        ],
        "referrals": [
            (
                referral.pk,
                f"{referral.recipient.name} — {referral.get_category_display()}",
            )
            for referral in delivering_referrals(case)
        ],
        "organisations": [(org.pk, org.name) for org in organisations_for_choice()],
    }


def _implementation_initial(implementation: Any) -> dict[str, Any]:
    if implementation is None:
        return {"expected_version": 0}
    return {
        "expected_version": implementation.version,
        "actual_start": implementation.actual_start,
        "actual_end": implementation.actual_end,
        "delivered_by": implementation.delivered_by,
        "delivered_by_user": implementation.delivered_by_user_id,
        "referral": implementation.referral_id,
        "delivered_by_name": implementation.get_plain_or_erased("delivered_by_name") or "",
        "result": implementation.get_plain_or_erased("result") or "",
        "value_reached": implementation.value_reached,
        "estimated_value": implementation.estimated_value,
        "estimated_currency": implementation.estimated_currency,
    }


def _implementation_of(activity: Any) -> Any:
    try:
        return activity.implementation
    except ActivityImplementation.DoesNotExist:
        return None


def _section_context(
    request: HttpRequest, acting: Acting, case: Case, bound: dict[str, Any] | None = None
) -> dict[str, Any]:
    bound = bound or {}
    plan = plan_of(case)
    activities = activities_of(plan) if plan else []
    choices = _choices(case)
    spending = spending_of(
        case,
        plan,
        lines=[line for activity in activities for line in activity.budget_lines.all()],
    )
    line_choices = [
        (row.line.pk, f"{row.domain}: {row.label} ({row.line.currency})") for row in spending.lines
    ]
    rows = []
    for activity in activities:
        implementation = _implementation_of(activity)
        target_text = activity.objective.get_plain_or_erased("target") or ""
        rows.append(
            {
                "activity": activity,
                "implementation": implementation,
                "description": activity.get_plain_or_erased("description") or "",
                "objective": activity.objective.get_plain_or_erased("title") or "",
                "domain": activity.objective.get_domain_display(),
                "target": target_text,
                "target_value": measurable_target(target_text),
                "result": implementation.get_plain_or_erased("result") if implementation else "",
                "delivered_by_label": _delivered_label(implementation),
                "evidence": [
                    {"id": e.pk, "name": e.get_plain_or_erased("file_name") or _("file")}
                    for e in (implementation.evidence.all() if implementation else [])
                ],
                "form": bound.get(
                    f"implementation-{activity.pk}",
                    ImplementationForm(
                        prefix=f"i{activity.pk}",
                        staff=choices["staff"],
                        referrals=choices["referrals"],
                        initial=_implementation_initial(implementation),
                    ),
                ),
                "transition_form": bound.get(
                    f"transition-{activity.pk}",
                    TransitionForm(
                        prefix=f"t{activity.pk}", initial={"expected_version": activity.version}
                    ),
                ),
                "transitions": [
                    (status, ActivityStatus(status).label)
                    for status in allowed_transitions(activity.status)
                ],
                "evidence_form": bound.get(
                    f"evidence-{activity.pk}", EvidenceForm(prefix=f"e{activity.pk}")
                ),
            }
        )
    page = ledger_page(case, request.GET.get("page"))
    items = []
    for item in page.object_list:
        line = item.budget_line
        items.append(
            {
                "item": item,
                "description": item.get_plain_or_erased("description") or "",
                "line": line.activity.get_plain_or_erased("description") if line else "",
                "off_plan_reason": item.get_plain_or_erased("off_plan_reason") or "",
                "ack_form": bound.get(
                    f"ack-{item.pk}",
                    AcknowledgeForm(
                        prefix=f"k{item.pk}",
                        initial={
                            "expected_version": item.version,
                            "acknowledged_on": item.given_on,
                        },
                    ),
                ),
            }
        )
    today = timezone.localdate()
    language = person_language(case, acting.user.language)
    return {
        "plan": plan,
        "rows": rows,
        "progress": progress_of(activities),
        "page": page,
        "items": items,
        "spending": spending,
        "costs": cost_per_beneficiary(case, plan),
        "ledger_form": bound.get(
            "ledger",
            LedgerItemForm(
                prefix="l",
                lines=line_choices,
                organisations=choices["organisations"],
                initial={"given_on": today, "currency": _default_currency(spending)},
            ),
        ),
        "may_work": may_on_case(acting, case, CaseAction.WORK),
        "may_override": may_override_cap(acting),
        "sheet_form": SheetForm(
            initial={
                "start": month_start(today),
                "end": today,
                "language": language,
            }
        ),
        "language": language,
    }


def _default_currency(spending: Any) -> str:
    if spending.cap is not None:
        return str(spending.cap.currency)
    if spending.lines:
        return str(spending.lines[0].line.currency)
    return ""


def _delivered_label(implementation: Any) -> str:
    if implementation is None or not implementation.delivered_by:
        return ""
    if implementation.delivered_by == DeliveredBy.STAFF and implementation.delivered_by_user:
        user = implementation.delivered_by_user
        return str(user.get_full_name() or user.username)
    if implementation.delivered_by == DeliveredBy.ORGANISATION and implementation.referral:
        return str(implementation.referral.recipient.name)
    if implementation.delivered_by == DeliveredBy.FAMILY_MEMBER:
        return implementation.get_plain_or_erased("delivered_by_name") or ""
    return str(DeliveredBy(implementation.delivered_by).label)


def _section(
    request: HttpRequest,
    acting: Acting,
    case: Case,
    *,
    bound: dict[str, Any] | None = None,
    status: int = 200,
    audit: bool = True,
) -> HttpResponse:
    return render_section(
        request,
        "assistance/implementation.html",
        acting,
        case,
        "implementation",
        _section_context(request, acting, case, bound),
        status=status,
        audit=audit,
    )


def _back(case: Case, anchor: str = "") -> HttpResponse:
    response = redirect("assistance:implementation", case_id=case.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


@login_required_verified
@require_GET
def implementation(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    return _section(request, acting, case)


@login_required_verified
@require_POST
def implementation_save(request: HttpRequest, case_id: int, activity_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.WORK)
    activity = activity_of(case, activity_id)
    choices = _choices(case)
    form = ImplementationForm(
        request.POST,
        prefix=f"i{activity_id}",
        staff=choices["staff"],
        referrals=choices["referrals"],
    )
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("expected_version")
        data["delivered_by_user"] = staff_member(case, data["delivered_by_user"])
        data["referral"] = referral_of(case, data["referral"])
        try:
            implementation_record(
                acting=acting, activity=activity, expected_version=version, values=data
            )
        except StaleEdit:
            messages.error(request, str(STALE))
            return _back(case, f"activity-{activity_id}")
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Implementation saved."))
            return _back(case, f"activity-{activity_id}")
    return _section(
        request, acting, case, bound={f"implementation-{activity_id}": form}, status=422
    )


@login_required_verified
@require_POST
def transition(request: HttpRequest, case_id: int, activity_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.WORK)
    activity = activity_of(case, activity_id)
    form = TransitionForm(request.POST, prefix=f"t{activity_id}")
    if form.is_valid():
        try:
            implementation_transition(
                acting=acting,
                activity=activity,
                expected_version=form.cleaned_data["expected_version"],
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except StaleEdit:
            messages.error(request, str(STALE))
            return _back(case, f"activity-{activity_id}")
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Status changed."))
            return _back(case, f"activity-{activity_id}")
    return _section(request, acting, case, bound={f"transition-{activity_id}": form}, status=422)


@login_required_verified
@require_POST
def evidence_upload(request: HttpRequest, case_id: int, activity_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.WORK)
    activity = activity_of(case, activity_id)
    form = EvidenceForm(request.POST, request.FILES, prefix=f"e{activity_id}")
    if form.is_valid():
        try:
            evidence_add(acting=acting, activity=activity, upload=form.cleaned_data["file"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Evidence added."))
            return _back(case, f"activity-{activity_id}")
    return _section(request, acting, case, bound={f"evidence-{activity_id}": form}, status=422)


@login_required_verified
@require_GET
def evidence_download(request: HttpRequest, case_id: int, evidence_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    evidence = evidence_of(case, evidence_id)
    data = evidence_read(acting=acting, evidence=evidence, case=case)
    content_type = sniff_content_type(data) or "application/octet-stream"
    extension = EXTENSIONS.get(content_type, "bin")
    return _file(data, content_type, f"{case.code}-evidence-{evidence.pk}.{extension}")


# ---------------------------------------------------------------- the ledger


def _ledger_values(case: Case, data: dict[str, Any]) -> dict[str, Any]:
    from assistance.selectors import budget_line_of

    values = {
        name: data[name]
        for name in (
            "category",
            "given_on",
            "quantity",
            "unit",
            "amount",
            "currency",
            "provision",
            "funding_source_name",
        )
    }
    values["budget_line"] = budget_line_of(case, data["budget_line"])
    funder = data["funding_organisation"]
    values["funding_organisation"] = (
        organisations_for_choice().filter(pk=funder).first() if funder else None
    )
    return values


def _ledger_form_choices(case: Case) -> dict[str, Any]:
    plan = plan_of(case)
    spending = spending_of(case, plan)
    return {
        "lines": [
            (row.line.pk, f"{row.domain}: {row.label} ({row.line.currency})")
            for row in spending.lines
        ],
        "organisations": _choices(case)["organisations"],
    }


@login_required_verified
@require_POST
def ledger_add(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.WORK)
    form = LedgerItemForm(request.POST, prefix="l", **_ledger_form_choices(case))
    if form.is_valid():
        data = form.cleaned_data
        try:
            ledger_item_record(
                acting=acting,
                case=case,
                values=_ledger_values(case, data),
                description=data["description"],
                off_plan_reason=data["off_plan_reason"],
                over_budget_reason=data["over_budget_reason"],
                cap_override_reason=data["cap_override_reason"],
            )
        except PermissionDenied:
            form.add_error(
                "cap_override_reason", _("Only a supervisor may let an item exceed the cap.")
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Assistance recorded."))
            return _back(case, "ledger")
    return _section(request, acting, case, bound={"ledger": form}, status=422)


@login_required_verified
@require_http_methods(["GET", "POST"])
def ledger_edit(request: HttpRequest, case_id: int, item_id: int) -> HttpResponse:
    action = CaseAction.VIEW if request.method == "GET" else CaseAction.WORK
    acting, case = case_for(request, case_id, action)
    item = ledger_item_of(case, item_id)
    choices = _ledger_form_choices(case)
    if request.method == "POST":
        form = LedgerEditForm(request.POST, prefix="l", **choices)
        if form.is_valid():
            data = form.cleaned_data
            try:
                ledger_item_update(
                    acting=acting,
                    item=item,
                    expected_version=data["expected_version"],
                    values=_ledger_values(case, data),
                    description=data["description"],
                    off_plan_reason=data["off_plan_reason"],
                    over_budget_reason=data["over_budget_reason"],
                    cap_override_reason=data["cap_override_reason"],
                )
            except StaleEdit:
                messages.error(request, str(STALE))
                return redirect("assistance:ledger_edit", case_id=case.pk, item_id=item.pk)
            except PermissionDenied:
                form.add_error(
                    "cap_override_reason", _("Only a supervisor may let an item exceed the cap.")
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Item corrected."))
                return _back(case, "ledger")
        status = 422
    else:
        form = LedgerEditForm(prefix="l", initial=_item_initial(item), **choices)
        status = 200
    return render_section(
        request,
        "assistance/ledger_edit.html",
        acting,
        case,
        "implementation",
        {"form": form, "item": item},
        status=status,
    )


def _item_initial(item: LedgerItem) -> dict[str, Any]:
    return {
        "expected_version": item.version,
        "category": item.category,
        "given_on": item.given_on,
        "quantity": item.quantity,
        "unit": item.unit,
        "amount": item.amount,
        "currency": item.currency,
        "provision": item.provision,
        "budget_line": item.budget_line_id,
        "funding_organisation": item.funding_organisation_id,
        "funding_source_name": item.funding_source_name,
        "description": item.get_plain_or_erased("description") or "",
        "off_plan_reason": item.get_plain_or_erased("off_plan_reason") or "",
        "over_budget_reason": item.get_plain_or_erased("over_budget_reason") or "",
    }


@login_required_verified
@require_POST
def ledger_ack(request: HttpRequest, case_id: int, item_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.WORK)
    item = ledger_item_of(case, item_id)
    form = AcknowledgeForm(request.POST, request.FILES, prefix=f"k{item_id}")
    if form.is_valid():
        try:
            ledger_acknowledge(
                acting=acting,
                item=item,
                expected_version=form.cleaned_data["expected_version"],
                method=form.cleaned_data["method"],
                acknowledged_on=form.cleaned_data["acknowledged_on"],
                upload=form.cleaned_data["scan"],
            )
        except StaleEdit:
            messages.error(request, str(STALE))
            return _back(case, "ledger")
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Acknowledgement recorded."))
            return _back(case, "ledger")
    return _section(request, acting, case, bound={f"ack-{item_id}": form}, status=422)


@login_required_verified
@require_GET
def ledger_scan(request: HttpRequest, case_id: int, item_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    item = ledger_item_of(case, item_id)
    if not item.scan:
        raise Http404
    data = acknowledgement_scan_read(acting=acting, item=item)
    content_type = sniff_content_type(data) or "application/octet-stream"
    extension = EXTENSIONS.get(content_type, "bin")
    return _file(data, content_type, f"{case.code}-acknowledgement-{item.pk}.{extension}")


@login_required_verified
@require_GET
def acknowledgement_sheet(request: HttpRequest, case_id: int) -> HttpResponse:
    """The sheet the person signs, for one item or a period, in the person's language."""
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    form = SheetForm(request.GET)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.values()))
        return _back(case, "ledger")
    data = form.cleaned_data
    start: datetime.date | None = data["start"]
    end: datetime.date | None = data["end"]
    if data["item"]:
        items = [ledger_item_of(case, data["item"])]
        start = end = None
    else:
        today = timezone.localdate()
        start = start or month_start(today)
        end = end or today
        if end < start:
            messages.error(request, _("The end of the period cannot be before its start."))
            return _back(case, "ledger")
        items = list(ledger_for_period(case, start=start, end=end))
    language = data["language"]
    acknowledgement_sheet_print_record(
        acting=acting, case=case, language=language, items=[item.pk for item in items]
    )
    pdf = acknowledgement_sheet_pdf(case, items, language=language, start=start, end=end)
    return _file(pdf, "application/pdf", f"acknowledgement-{case.code}.pdf")


# ---------------------------------------------------------------- the monthly report


def _case_manager_name(acting: Acting) -> str:
    return str(acting.user.get_full_name() or acting.user.username)


@login_required_verified
@require_http_methods(["GET", "POST"])
def monthly(request: HttpRequest) -> HttpResponse:
    """The case manager's monthly report: generated from the ledger and the activities
    done, reviewed, and submitted to the coordinating organisation (001 §7.9 L74)."""
    acting = require_reporter(acting_or_403(request))
    today = timezone.localdate()
    month = parse_month(request.POST.get("month") or request.GET.get("month"), default=today)
    form = ReportSubmitForm(request.POST or None, initial={"month": month.strftime("%Y-%m")})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            expenditure_report_submit(
                acting=acting, month=month, reviewed=form.cleaned_data["reviewed"]
            )
        except ValidationError as error:
            apply_errors(form, error)
            status = 422
        else:
            messages.success(request, _("Report submitted to the coordinating organisation."))
            return redirect(f"{request.path}?month={month:%Y-%m}")
    submitted = report_of_month(acting.organisation.pk, acting.user, month)
    generated = monthly_report(
        organisation_id=acting.organisation.pk, case_manager=acting.user, month=month
    )
    document: ReportDocument = (
        document_from_report(submitted, with_case_manager=True)
        if submitted
        else document_from_generated(
            generated,
            organisation=acting.organisation.name,
            case_manager=_case_manager_name(acting),
            recipient="",
        )
    )
    previous = month_start(month - datetime.timedelta(days=1))
    following = month_start(month + datetime.timedelta(days=32))
    return render(
        request,
        "assistance/monthly.html",
        {
            "month": month,
            "previous": previous,
            "following": following if following <= month_start(today) else None,
            "submitted": submitted,
            "document": document,
            "lines": line_rows(document),
            "works": work_rows(document),
            "totals": totals_of(document.lines),
            "form": form,
            "reports": own_reports(acting)[:12],
        },
        status=status,
    )


def _export(document: ReportDocument, fmt: str, language: str, stem: str) -> HttpResponse:
    if fmt == "pdf":
        return _file(report_pdf(document, language=language), "application/pdf", f"{stem}.pdf")
    if fmt == "csv":
        return _file(report_csv(document), "text/csv; charset=utf-8", f"{stem}.csv")
    if fmt == "xlsx":
        return _file(
            report_xlsx(document),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"{stem}.xlsx",
        )
    raise Http404


@login_required_verified
@require_GET
def monthly_export(request: HttpRequest, fmt: str) -> HttpResponse:
    acting = require_reporter(acting_or_403(request))
    month = parse_month(request.GET.get("month"), default=timezone.localdate())
    submitted = report_of_month(acting.organisation.pk, acting.user, month)
    if submitted is not None:
        document = document_from_report(submitted, with_case_manager=True)
    else:
        document = document_from_generated(
            monthly_report(
                organisation_id=acting.organisation.pk, case_manager=acting.user, month=month
            ),
            organisation=acting.organisation.name,
            case_manager=_case_manager_name(acting),
            recipient="",
        )
    expenditure_report_export_record(acting=acting, report=submitted, month=month, fmt=fmt)
    return _export(document, fmt, acting.user.language, f"expenditure-{month:%Y-%m}")


@login_required_verified
@require_GET
def report_export(request: HttpRequest, report_id: int, fmt: str) -> HttpResponse:
    """A submitted report, for its case manager or a supervisor of the organisation."""
    acting = acting_or_403(request)
    report = report_detail(report_id, reports_visible_to(acting))
    expenditure_report_export_record(acting=acting, report=report, month=report.month, fmt=fmt)
    return _export(
        document_from_report(report, with_case_manager=True),
        fmt,
        acting.user.language,
        f"expenditure-{report.month:%Y-%m}",
    )


# ---------------------------------------------------------------- the coordinator


def _coordinator(request: HttpRequest) -> Acting:
    acting = acting_or_403(request, Capability.PLAN_APPROVE_FUNDED)
    return acting


@login_required_verified
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    acting = _coordinator(request)
    reports = (
        reports_received_by(acting).select_related("organisation").order_by("-submitted_at", "-id")
    )
    page = Paginator(reports, REPORTS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "assistance/inbox.html", {"page": page})


@login_required_verified
@require_http_methods(["GET", "POST"])
def received(request: HttpRequest, report_id: int) -> HttpResponse:
    acting = _coordinator(request)
    report = report_for_coordinator(acting, report_id)
    form = ReportAcknowledgeForm(request.POST or None, initial={"expected_version": report.version})
    if request.method == "POST" and form.is_valid():
        try:
            expenditure_report_acknowledge(
                acting=acting, report=report, expected_version=form.cleaned_data["expected_version"]
            )
        except StaleEdit:
            messages.error(request, str(STALE))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Report acknowledged."))
        return redirect("assistance:received", report_id=report.pk)
    document = document_from_report(report, with_case_manager=False)
    return render(
        request,
        "assistance/received.html",
        {
            "report": report,
            "document": document,
            "lines": line_rows(document),
            "works": work_rows(document),
            "totals": totals_of(document.lines),
            "form": form,
            "acknowledged": report.status == ReportStatus.ACKNOWLEDGED,
        },
    )


@login_required_verified
@require_GET
def received_export(request: HttpRequest, report_id: int, fmt: str) -> HttpResponse:
    acting = _coordinator(request)
    report = report_for_coordinator(acting, report_id)
    expenditure_report_export_record(acting=acting, report=report, month=report.month, fmt=fmt)
    return _export(
        document_from_report(report, with_case_manager=False),
        fmt,
        acting.user.language,
        f"expenditure-{report.month:%Y-%m}",
    )
