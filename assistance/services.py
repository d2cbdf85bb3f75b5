"""Writes of implementation and assistance (DESIGN rule 1): keyword-only, typed, atomic,
audited in the same transaction. The case arrives already fetched through
``accounts.access.get_case_for``; each function checks the action again."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import Acting, CaseAction
from accounts.access import require_case_action as _check
from accounts.models import Organisation, User
from assistance.access import may_override_cap, require_reporter
from assistance.codes import (
    AcknowledgementMethod,
    DeliveredBy,
    ItemCategory,
    Provision,
    ReportStatus,
    Unit,
)
from assistance.models import (
    ActivityEvidence,
    ActivityImplementation,
    ExpenditureReport,
    ExpenditureReportLine,
    ExpenditureReportWork,
    LedgerItem,
)
from assistance.rules import (
    allowed_transitions,
    cap_refusal,
    measurable_target,
    month_start,
)
from assistance.selectors import (
    DELIVERING_REFERRAL_STATUSES,
    cap_state,
    monthly_report,
    spent_on_line,
)
from audit.models import AuditAction
from audit.services import record
from audit.services import record_on_case as _audit
from cases.models import Case
from crypto.files import read_encrypted
from lib.errors import StaleEdit
from lib.formatting import format_money
from lib.uploads import store_upload
from plans.codes import ActivityStatus
from plans.models import Activity, BudgetLine, Plan
from plans.selectors import coordinating_fund_for
from plans.services import activity_progress, plan_in_force
from policies.selectors import policy_for_case
from referrals.models import Referral
from work.models import MilestoneKind, WorkItem, WorkItemKind
from work.services import milestone_record


def _text(value: Any) -> str:
    return str(value or "").strip()


def _decimal(errors: dict[str, list[str]], name: str, value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError):
        errors[name] = [_("Enter a number.")]
        return None
    if not number.is_finite() or number < 0:
        errors[name] = [_("Enter a number that is not negative.")]
        return None
    if number >= Decimal("10000000000"):
        errors[name] = [_("Enter a smaller number.")]
        return None
    return number.quantize(Decimal("0.01"))


def _currency(errors: dict[str, list[str]], name: str, value: Any) -> str:
    code = _text(value).upper()
    if len(code) != 3 or not code.isalpha() or not code.isascii():
        errors[name] = [_("Enter a three-letter currency code, such as GEL or MDL.")]
    return code


def _not_future(errors: dict[str, list[str]], name: str, day: datetime.date | None) -> None:
    if day is not None and day > timezone.localdate():
        errors[name] = [_("The date cannot be in the future.")]


# ---------------------------------------------------------------- activity implementation


def _not_in_force_message() -> str:
    return _(
        "The plan is not in force yet: it must be approved and signed by everyone required first."
    )


def _require_in_force(activity: Activity) -> None:
    """Implementation starts when the plan is in force: approved and signed by everyone
    required (001 §7.8; 002 L1187-L1189), as ``plans.services.activity_progress`` requires."""
    plan = Plan.objects.only("in_force_since").get(pk=activity.objective.plan_id)
    if not plan_in_force(plan):
        raise ValidationError({"plan": [_not_in_force_message()]})


def _implementation_row(activity: Activity) -> ActivityImplementation | None:
    return (
        ActivityImplementation.objects.select_for_update(of=("self",))
        .select_related("data_key")
        .filter(activity=activity)
        .first()
    )


@transaction.atomic
def implementation_record(
    *,
    acting: Acting,
    activity: Activity,
    expected_version: int,
    values: dict[str, Any],
) -> ActivityImplementation:
    """Actual dates, the result, who delivered it, the value reached and, for a service of
    another organisation, its estimated value (SPEC C7; 004 SW-130). ``expected_version``
    is 0 for the first record of an activity."""
    case = activity.objective.plan.case
    _check(acting, case, CaseAction.WORK)
    _require_in_force(activity)
    current = _implementation_row(activity)
    if (current.version if current else 0) != expected_version:
        raise StaleEdit(current)
    implementation = current or ActivityImplementation(
        activity=activity,
        case=case,
        organisation=case.organisation,
        data_key=case.data_key,
    )
    errors: dict[str, list[str]] = {}
    merged = {
        "actual_start": implementation.actual_start,
        "actual_end": implementation.actual_end,
        "delivered_by": implementation.delivered_by,
        "delivered_by_user": implementation.delivered_by_user,
        "referral": implementation.referral,
        "value_reached": implementation.value_reached,
        "estimated_value": implementation.estimated_value,
        "estimated_currency": implementation.estimated_currency,
        **values,
    }
    start, end = merged["actual_start"], merged["actual_end"]
    _not_future(errors, "actual_start", start)
    _not_future(errors, "actual_end", end)
    if start and end and end < start:
        errors["actual_end"] = [_("The end cannot be before the start.")]
    delivered_by = merged["delivered_by"] or ""
    if delivered_by not in [*DeliveredBy.values, ""]:
        errors["delivered_by"] = [_("Choose one of the listed values.")]
    user = merged["delivered_by_user"] if delivered_by == DeliveredBy.STAFF else None
    referral = merged["referral"] if delivered_by == DeliveredBy.ORGANISATION else None
    name = _text(values.get("delivered_by_name"))
    if delivered_by == DeliveredBy.STAFF:
        if user is None:
            errors["delivered_by_user"] = [_("Choose the staff member who delivered it.")]
        elif not case.organisation.memberships.filter(user=user, is_active=True).exists():
            errors["delivered_by_user"] = [_("Choose a member of this organisation's staff.")]
    elif delivered_by == DeliveredBy.ORGANISATION:
        if referral is None:
            errors["referral"] = [_("Choose the accepted referral through which it was given.")]
        elif referral.case_id != case.pk or referral.status not in DELIVERING_REFERRAL_STATUSES:
            errors["referral"] = [_("Choose a referral of this case that was accepted.")]
    elif delivered_by == DeliveredBy.FAMILY_MEMBER:
        # The name given now, or the one already recorded when the form leaves it out.
        recorded = (current.get_plain_or_erased("delivered_by_name") or "") if current else ""
        if not (name if "delivered_by_name" in values else recorded):
            errors["delivered_by_name"] = [_("Name the family member who delivered it.")]
    value_reached = _decimal(errors, "value_reached", merged["value_reached"])
    estimate = _decimal(errors, "estimated_value", merged["estimated_value"])
    estimate_currency = ""
    if estimate is not None:
        estimate_currency = _currency(errors, "estimated_currency", merged["estimated_currency"])
    if errors:
        raise ValidationError(errors)
    changed = []
    for field_name, new in (
        ("actual_start", start),
        ("actual_end", end),
        ("delivered_by", delivered_by),
        ("delivered_by_user", user),
        ("referral", referral),
        ("value_reached", value_reached),
        ("estimated_value", estimate),
        ("estimated_currency", estimate_currency),
    ):
        if getattr(implementation, field_name) != new:
            setattr(implementation, field_name, new)
            changed.append(field_name)
    if "result" in values:
        implementation.set_plain("result", _text(values["result"]))
        changed.append("result")
    if delivered_by == DeliveredBy.FAMILY_MEMBER:
        if "delivered_by_name" in values:
            implementation.set_plain("delivered_by_name", name)
            changed.append("delivered_by_name")
    elif implementation.delivered_by_name_enc is not None:
        implementation.delivered_by_name_enc = None
        changed.append("delivered_by_name")
    implementation.updated_by = acting.user
    if current is not None:
        implementation.version += 1
    implementation.save()
    _audit(
        acting,
        AuditAction.CREATE if current is None else AuditAction.UPDATE,
        implementation,
        case,
        fields=changed,
        detail={"activity": activity.pk},
    )
    return implementation


@transaction.atomic
def implementation_transition(
    *,
    acting: Acting,
    activity: Activity,
    expected_version: int,
    status: str,
    reason: str = "",
    note: str = "",
) -> Activity:
    """planned → in progress → done / not delivered / cancelled (SPEC C7). Done needs the
    actual end date and, when the objective's target is measurable, the value reached; not
    delivered carries a reason code of the register and feeds it through
    ``plans.services.activity_progress``."""
    case = activity.objective.plan.case
    _check(acting, case, CaseAction.WORK)
    _require_in_force(activity)
    fresh = Activity.objects.select_related("objective__data_key").get(pk=activity.pk)
    if fresh.version != expected_version:
        raise StaleEdit(fresh)
    if status not in allowed_transitions(fresh.status):
        raise ValidationError(
            {
                "status": [
                    _("An activity that is %(current)s cannot become %(new)s.")
                    % {
                        "current": fresh.get_status_display().lower(),
                        "new": str(dict(ActivityStatus.choices).get(status, status)).lower(),
                    }
                ]
            }
        )
    implementation = _implementation_row(fresh)
    today = timezone.localdate()
    if status == ActivityStatus.IN_PROGRESS and (
        implementation is None or implementation.actual_start is None
    ):
        implementation = implementation or ActivityImplementation(
            activity=fresh, case=case, organisation=case.organisation, data_key=case.data_key
        )
        implementation.actual_start = today
        implementation.updated_by = acting.user
        implementation.save()
    if status == ActivityStatus.DONE:
        if implementation is None or implementation.actual_end is None:
            raise ValidationError(
                {"actual_end": [_("Record the actual end date before marking it done.")]}
            )
        target = measurable_target(fresh.objective.get_plain_or_erased("target") or "")
        if target is not None and implementation.value_reached is None:
            raise ValidationError(
                {
                    "value_reached": [
                        _(
                            "The objective's target is measurable (%(target)s): record "
                            "the value reached before marking it done."
                        )
                        % {"target": target}
                    ]
                }
            )
    return activity_progress(
        acting=acting,
        activity=fresh,
        expected_version=expected_version,
        status=status,
        reason=reason,
        note=note,
    )


@transaction.atomic
def evidence_add(*, acting: Acting, activity: Activity, upload: Any) -> ActivityEvidence:
    """A certificate, receipt or attendance list, under the case documents' upload rules
    (PDF, JPEG or PNG up to 10 MB, recognised by content, encrypted at rest)."""
    case = activity.objective.plan.case
    _check(acting, case, CaseAction.WORK)
    _require_in_force(activity)
    implementation = _implementation_row(activity)
    if implementation is None:
        implementation = ActivityImplementation.objects.create(
            activity=activity,
            case=case,
            organisation=case.organisation,
            data_key=case.data_key,
            updated_by=acting.user,
        )
    evidence = ActivityEvidence(
        implementation=implementation,
        case=case,
        data_key=case.data_key,
        uploaded_by=acting.user,
    )
    stored = store_upload(
        upload,
        key=case.data_key,
        table=ActivityEvidence._meta.db_table,
        column="file",
        row=str(evidence.uuid),
    )
    evidence.file = stored.name
    evidence.content_type = stored.content_type
    evidence.size = stored.size
    evidence.set_plain("file_name", stored.original_name)
    evidence.save()
    _audit(acting, AuditAction.CREATE, evidence, case, fields=["file"])
    return evidence


@transaction.atomic
def evidence_read(*, acting: Acting, evidence: ActivityEvidence, case: Case) -> bytes:
    _check(acting, case, CaseAction.VIEW)
    data = read_encrypted(
        evidence.data_key,
        evidence.file,
        table=ActivityEvidence._meta.db_table,
        column="file",
        row=str(evidence.uuid),
    )
    _audit(acting, AuditAction.DOWNLOAD, evidence, case, fields=["file"])
    return data


# ---------------------------------------------------------------- the ledger


LEDGER_FIELDS = (
    "category",
    "given_on",
    "quantity",
    "unit",
    "amount",
    "currency",
    "provision",
    "funding_organisation",
    "funding_source_name",
    "budget_line",
)


# Free text among the ledger fields: stored under the person's key, not as a column.
ENCRYPTED_LEDGER_FIELDS = frozenset({"funding_source_name"})


def _set_funding_source_name(item: LedgerItem, name: str) -> None:
    # A funder outside the system can be a private person (see ``LedgerItem``).
    item.set_plain("funding_source_name", name or None)


def _ledger_values(
    case: Case, values: dict[str, Any], current: LedgerItem | None
) -> dict[str, Any]:
    """The item's plain columns, checked; ValidationError naming each bad field."""
    errors: dict[str, list[str]] = {}
    merged = {name: getattr(current, name) for name in LEDGER_FIELDS} if current else {}
    merged.update({name: values[name] for name in LEDGER_FIELDS if name in values})
    clean: dict[str, Any] = {}
    if merged.get("category") not in ItemCategory.values:
        errors["category"] = [_("Choose one of the listed values.")]
    clean["category"] = merged.get("category")
    unit = merged.get("unit") or Unit.PIECE
    if unit not in Unit.values:
        errors["unit"] = [_("Choose one of the listed values.")]
    clean["unit"] = unit
    provision = merged.get("provision") or Provision.PAID
    if provision not in Provision.values:
        errors["provision"] = [_("Choose one of the listed values.")]
    clean["provision"] = provision
    given_on = merged.get("given_on")
    if not isinstance(given_on, datetime.date):
        errors["given_on"] = [_("Enter the date the item was given.")]
    else:
        _not_future(errors, "given_on", given_on)
    clean["given_on"] = given_on
    quantity = _decimal(errors, "quantity", merged.get("quantity", 1))
    if quantity is not None and quantity <= 0:
        errors["quantity"] = [_("Enter a quantity above zero.")]
    clean["quantity"] = quantity if quantity is not None else Decimal(1)
    amount = _decimal(errors, "amount", merged.get("amount"))
    if amount is None and "amount" not in errors:
        errors["amount"] = [_("Enter the amount.")]
    clean["amount"] = amount
    clean["currency"] = _currency(errors, "currency", merged.get("currency"))
    line = merged.get("budget_line")
    if line is not None and (
        not isinstance(line, BudgetLine) or line.activity.objective.plan.case_id != case.pk
    ):
        errors["budget_line"] = [_("Choose a budget line of this case's plan.")]
        line = None
    if (
        line is not None
        and not Plan.objects.filter(
            pk=line.activity.objective.plan_id, in_force_since__isnull=False
        ).exists()
    ):
        # Spending on the plan's budget is implementation: it starts when the plan is in
        # force (001 §7.8). Emergency aid outside the plan is recorded at any time.
        errors["budget_line"] = [_not_in_force_message()]
    if line is not None and "currency" not in errors and line.currency != clean["currency"]:
        errors["currency"] = [
            _("The budget line is in %(currency)s; record the item in the same currency.")
            % {"currency": line.currency}
        ]
    clean["budget_line"] = line
    funder = merged.get("funding_organisation")
    source_name = _text(merged.get("funding_source_name"))
    if funder is None and not source_name and line is not None:
        # The budget line's funding source, unless the item names another.
        funder, source_name = line.funding_organisation, line.funding_source_name
    if funder is not None and not isinstance(funder, Organisation):
        errors["funding_organisation"] = [_("Unknown organisation.")]
    if funder is None and not source_name:
        errors["funding_source_name"] = [_("Name the funding source.")]
    clean["funding_organisation"] = funder
    clean["funding_source_name"] = "" if funder is not None else source_name[:120]
    if errors:
        raise ValidationError(errors)
    return clean


def _spending_checks(
    *,
    acting: Acting,
    case: Case,
    clean: dict[str, Any],
    item_id: int | None,
    off_plan_reason: str,
    over_budget_reason: str,
    cap_override_reason: str,
) -> dict[str, Any]:
    """Off-plan items say why; an over-spent budget line says why; the cap per beneficiary
    refuses unless a supervisor overrides with a reason (SPEC C7; 001 §5.6 L56)."""
    errors: dict[str, list[str]] = {}
    line: BudgetLine | None = clean["budget_line"]
    if line is None and not off_plan_reason:
        errors["off_plan_reason"] = [
            _("Choose the budget line the item draws on, or say why it is given outside the plan.")
        ]
    outcome: dict[str, Any] = {"over_budget": False, "cap_override": False}
    paid = clean["provision"] == Provision.PAID
    state = cap_state(case, exclude_item=item_id) if paid else None
    over_cap = (
        state is not None
        and clean["currency"] == state.currency
        and state.exceeded_by(clean["amount"])
    )
    if over_cap and state is not None and not cap_override_reason:
        errors["amount"] = [cap_refusal(state, clean["amount"])]
    if paid and line is not None:
        spent = spent_on_line(line, exclude_item=item_id)
        if spent + clean["amount"] > line.amount:
            outcome["over_budget"] = True
            if not over_budget_reason:
                errors["over_budget_reason"] = [
                    _(
                        "This item takes the budget line over its %(budget)s "
                        "(%(spent)s spent so far): say why."
                    )
                    % {
                        "budget": format_money(line.amount, line.currency),
                        "spent": format_money(spent, line.currency),
                    }
                ]
    if errors:
        raise ValidationError(errors)
    if over_cap:
        if not may_override_cap(acting):
            raise PermissionDenied("only a supervisor may override the cap")
        outcome["cap_override"] = True
        outcome["cap"] = state
    return outcome


@transaction.atomic
def ledger_item_record(
    *,
    acting: Acting,
    case: Case,
    values: dict[str, Any],
    description: str = "",
    off_plan_reason: str = "",
    over_budget_reason: str = "",
    cap_override_reason: str = "",
) -> LedgerItem:
    """One item of direct assistance (000 IOM blank forms), checked against the plan's
    budget line and the pack's cap per beneficiary."""
    _check(acting, case, CaseAction.WORK)
    # Two items recorded at once for one person must not both pass the cap.
    Case.objects.select_for_update().filter(pk=case.pk).first()
    clean = _ledger_values(case, values, None)
    outcome = _spending_checks(
        acting=acting,
        case=case,
        clean=clean,
        item_id=None,
        off_plan_reason=_text(off_plan_reason),
        over_budget_reason=_text(over_budget_reason),
        cap_override_reason=_text(cap_override_reason),
    )
    line = clean["budget_line"]
    item = LedgerItem(
        case=case,
        organisation=case.organisation,
        data_key=case.data_key,
        recorded_by=acting.user,
        domain=line.activity.objective.domain if line is not None else "",
        **{name: value for name, value in clean.items() if name not in ENCRYPTED_LEDGER_FIELDS},
    )
    _set_funding_source_name(item, clean["funding_source_name"])
    item.set_plain("description", _text(description))
    if line is None:
        item.set_plain("off_plan_reason", _text(off_plan_reason))
    if outcome["over_budget"]:
        item.set_plain("over_budget_reason", _text(over_budget_reason))
    if outcome["cap_override"]:
        item.cap_override_by = acting.user
        item.set_plain("cap_override_reason", _text(cap_override_reason))
    item.save()
    _audit_item(acting, AuditAction.CREATE, item, case, sorted(clean), outcome)
    return item


def _audit_item(
    acting: Acting,
    action: AuditAction,
    item: LedgerItem,
    case: Case,
    fields: list[str],
    outcome: dict[str, Any],
) -> None:
    detail: dict[str, Any] = {
        "category": item.category,
        "amount": str(item.amount),
        "currency": item.currency,
    }
    if outcome["over_budget"]:
        detail["over_budget_line"] = item.budget_line_id
    _audit(acting, action, item, case, fields=fields, detail=detail)
    if outcome["cap_override"]:
        state = outcome["cap"]
        # The override is its own audit entry, so the log lists every cap overridden.
        record(
            action=AuditAction.UPDATE,
            actor=acting.user,
            organisation=acting.organisation,
            target=item,
            case_id=case.pk,
            fields=["cap_override_reason"],
            detail={
                "override": "budget_cap",
                "cap": f"{state.cap:.2f}",
                "spent": f"{state.spent:.2f}",
                "amount": str(item.amount),
                "currency": state.currency,
            },
        )


@transaction.atomic
def ledger_item_update(
    *,
    acting: Acting,
    item: LedgerItem,
    expected_version: int,
    values: dict[str, Any],
    description: str | None = None,
    off_plan_reason: str = "",
    over_budget_reason: str = "",
    cap_override_reason: str = "",
) -> LedgerItem:
    """Correct an item: the same checks as recording it, the item itself left out of the
    totals it is checked against. A stale edit is refused with the current values."""
    case = item.case
    _check(acting, case, CaseAction.WORK)
    Case.objects.select_for_update().filter(pk=case.pk).first()
    current = (
        LedgerItem.objects.select_for_update(of=("self",))
        .select_related("data_key", "budget_line__activity__objective__plan")
        .get(pk=item.pk)
    )
    if current.version != expected_version:
        raise StaleEdit(current)
    clean = _ledger_values(case, values, current)
    existing_reason = current.get_plain_or_erased("off_plan_reason") or ""
    outcome = _spending_checks(
        acting=acting,
        case=case,
        clean=clean,
        item_id=current.pk,
        off_plan_reason=_text(off_plan_reason) or existing_reason,
        over_budget_reason=_text(over_budget_reason)
        or (current.get_plain_or_erased("over_budget_reason") or ""),
        cap_override_reason=_text(cap_override_reason),
    )
    changed = [name for name in LEDGER_FIELDS if getattr(current, name) != clean[name]]
    for name, value in clean.items():
        if name not in ENCRYPTED_LEDGER_FIELDS:
            setattr(current, name, value)
    if "funding_source_name" in changed:
        _set_funding_source_name(current, clean["funding_source_name"])
    line = clean["budget_line"]
    current.domain = line.activity.objective.domain if line is not None else ""
    if description is not None:
        current.set_plain("description", _text(description))
        changed.append("description")
    if line is None and off_plan_reason:
        current.set_plain("off_plan_reason", _text(off_plan_reason))
        changed.append("off_plan_reason")
    if outcome["over_budget"] and over_budget_reason:
        current.set_plain("over_budget_reason", _text(over_budget_reason))
        changed.append("over_budget_reason")
    if outcome["cap_override"]:
        current.cap_override_by = acting.user
        current.set_plain("cap_override_reason", _text(cap_override_reason))
    current.version += 1
    current.save()
    _audit_item(acting, AuditAction.UPDATE, current, case, changed, outcome)
    return current


@transaction.atomic
def ledger_acknowledge(
    *,
    acting: Acting,
    item: LedgerItem,
    expected_version: int,
    method: str,
    acknowledged_on: datetime.date,
    upload: Any = None,
) -> LedgerItem:
    """The person's acknowledgement of an item: signed on paper (with the scan) or
    confirmed on screen (000 IOM blank forms: "Beneficiary's signature")."""
    case = item.case
    _check(acting, case, CaseAction.WORK)
    current = LedgerItem.objects.select_for_update().select_related("data_key").get(pk=item.pk)
    if current.version != expected_version:
        raise StaleEdit(current)
    errors: dict[str, list[str]] = {}
    if method not in AcknowledgementMethod.values:
        errors["method"] = [_("Choose one of the listed values.")]
    _not_future(errors, "acknowledged_on", acknowledged_on)
    if acknowledged_on < current.given_on:
        errors["acknowledged_on"] = [_("The acknowledgement cannot be before the item was given.")]
    if method == AcknowledgementMethod.PAPER and upload is None:
        errors["scan"] = [_("Attach the scan of the signed acknowledgement.")]
    if errors:
        raise ValidationError(errors)
    fields = ["acknowledgement", "acknowledged_on"]
    if method == AcknowledgementMethod.PAPER:
        stored = store_upload(
            upload,
            key=current.data_key,
            table=LedgerItem._meta.db_table,
            column="scan",
            row=str(current.uuid),
            field="scan",
        )
        current.scan = stored.name
        current.scan_content_type = stored.content_type
        current.set_plain("scan_name", stored.original_name)
        fields.append("scan")
    current.acknowledgement = method
    current.acknowledged_on = acknowledged_on
    current.version += 1
    current.save()
    _audit(acting, AuditAction.UPDATE, current, case, fields=fields, detail={"method": method})
    return current


@transaction.atomic
def acknowledgement_scan_read(*, acting: Acting, item: LedgerItem) -> bytes:
    _check(acting, item.case, CaseAction.VIEW)
    data = read_encrypted(
        item.data_key, item.scan, table=LedgerItem._meta.db_table, column="scan", row=str(item.uuid)
    )
    _audit(acting, AuditAction.DOWNLOAD, item, item.case, fields=["scan"])
    return data


@transaction.atomic
def acknowledgement_sheet_print_record(
    *, acting: Acting, case: Case, language: str, items: list[int]
) -> None:
    _check(acting, case, CaseAction.VIEW)
    _audit(
        acting,
        AuditAction.PRINT,
        ("assistance.acknowledgement_sheet", case.pk),
        case,
        detail={"language": language, "items": items},
    )


# ---------------------------------------------------------------- the monthly report


def _recipient_for(acting: Acting) -> Organisation | None:
    """The coordinating organisation the pack names: the state fund under the same pack."""
    probe = Case(organisation=acting.organisation, policy_pack=acting.organisation.policy_pack)
    return coordinating_fund_for(probe)


@transaction.atomic
def expenditure_report_submit(
    *, acting: Acting, month: datetime.date, reviewed: bool
) -> ExpenditureReport:
    """Freeze the month's expenditures and completed works of the case manager's cases and
    submit them to the coordinating organisation (001 §7.9 L74). Submitting meets the
    expenditure-report work item of each case reported on."""
    require_reporter(acting)
    month = month_start(month)
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if not reviewed:
        errors["reviewed"] = [_("Confirm that you reviewed the figures before submitting.")]
    if month > month_start(today):
        errors["month"] = [_("A month that has not started cannot be reported.")]
    recipient = _recipient_for(acting)
    if recipient is None:
        errors["month"] = [
            _("The organisation's policy names no coordinating organisation to report to.")
        ]
    if errors:
        raise ValidationError(errors)
    generated = monthly_report(
        organisation_id=acting.organisation.pk, case_manager=acting.user, month=month
    )
    try:
        with transaction.atomic():
            report = ExpenditureReport.objects.create(
                organisation=acting.organisation,
                case_manager=acting.user,
                month=month,
                recipient=recipient,
            )
    except IntegrityError as error:
        raise ValidationError(
            {"month": [_("The report for this month has already been submitted.")]}
        ) from error
    ExpenditureReportLine.objects.bulk_create(
        [
            ExpenditureReportLine(
                report=report,
                case_id=line.case_id,
                case_code=line.case_code,
                category=line.category,
                provision=line.provision,
                funding=line.funding[:200],
                currency=line.currency,
                amount=line.amount,
                items=line.items,
            )
            for line in generated.lines
        ]
    )
    ExpenditureReportWork.objects.bulk_create(
        [
            ExpenditureReportWork(
                report=report,
                case_id=work.case_id,
                case_code=work.case_code,
                domain=work.domain,
                delivered_by=work.delivered_by,
                completed_on=work.completed_on,
            )
            for work in generated.works
        ]
    )
    record(
        action=AuditAction.CREATE,
        actor=acting.user,
        organisation=acting.organisation,
        target=report,
        detail={
            "month": month.isoformat(),
            "recipient": recipient.pk if recipient else None,
            "cases": generated.case_ids,
        },
    )
    _meet_work_items(acting, generated.case_ids, today)
    return report


def _meet_work_items(acting: Acting, reported_case_ids: list[int], today: datetime.date) -> None:
    """Each case of the case manager with an open expenditure-report item gets the
    milestone that meets it; the deadline engine then starts the next month's."""
    open_items = WorkItem.objects.filter(
        organisation=acting.organisation,
        kind=WorkItemKind.EXPENDITURE_REPORT,
        done_on__isnull=True,
        case__case_manager=acting.user,
    ).values_list("case_id", flat=True)
    case_ids = sorted(set(open_items))
    for case in Case.objects.filter(pk__in=case_ids).order_by("pk"):
        if policy_for_case(case).reporting.expenditure_report_months is None:
            continue
        milestone_record(
            case=case,
            kind=MilestoneKind.EXPENDITURE_REPORTED,
            occurred_on=today,
            actor=acting.user,
        )


@transaction.atomic
def expenditure_report_acknowledge(
    *, acting: Acting, report: ExpenditureReport, expected_version: int
) -> ExpenditureReport:
    """The coordinator acknowledges receipt (001 §7.9)."""
    current = ExpenditureReport.objects.select_for_update().get(pk=report.pk)
    if current.recipient_id != acting.organisation.pk:
        raise PermissionDenied("not addressed to this organisation")
    if current.version != expected_version:
        raise StaleEdit(current)
    if current.status == ReportStatus.ACKNOWLEDGED:
        raise ValidationError({"status": [_("This report has already been acknowledged.")]})
    current.status = ReportStatus.ACKNOWLEDGED
    current.acknowledged_at = timezone.now()
    current.acknowledged_by = acting.user
    current.version += 1
    current.save()
    record(
        action=AuditAction.TRANSITION,
        actor=acting.user,
        organisation=acting.organisation,
        target=current,
        fields=["status"],
        detail={"to": ReportStatus.ACKNOWLEDGED},
    )
    return current


def expenditure_report_export_record(
    *, acting: Acting, report: ExpenditureReport | None, month: datetime.date, fmt: str
) -> None:
    """Exports are audited (DESIGN "Exports")."""
    record(
        action=AuditAction.EXPORT,
        actor=acting.user,
        organisation=acting.organisation,
        target=report if report is not None else ("assistance.monthly_report", month.isoformat()),
        detail={"format": fmt, "month": month.isoformat()},
    )


def staff_member(case: Case, user_id: int | None) -> User | None:
    if user_id is None:
        return None
    return User.objects.filter(
        pk=user_id, memberships__organisation=case.organisation, memberships__is_active=True
    ).first()


def referral_of(case: Case, referral_id: int | None) -> Referral | None:
    if referral_id is None:
        return None
    return Referral.objects.filter(case=case, pk=referral_id).first()
