"""Writes of the (re)integration plan (DESIGN rule 1): keyword-only, typed, atomic, audited
in the same transaction. The case arrives already fetched through
``accounts.access.get_case_for``; each function checks the action again so that a caller
forgetting the chokepoint is still refused."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import match_token

from accounts.access import Acting, CaseAction, may_decide_plan
from accounts.access import require_case_action as _check
from accounts.models import Organisation, User
from accounts.roles import Role
from audit.models import AuditAction
from audit.services import record
from audit.services import record_on_case as _audit
from cases.codes import IdentificationStatus
from cases.models import Case
from cases.policy import child_is_consulted, minor_status
from consent.models import ConsentPurpose
from consent.services import current_consent, require_consent
from crypto.files import read_encrypted
from lib.errors import StaleEdit
from lib.formatting import format_date, format_money
from lib.uploads import store_upload
from people.models import RelatedPerson
from plans.codes import (
    STAFF_SIGNATORIES,
    ActivityStatus,
    DecisionKind,
    NotDeliveredReason,
    PlanDomain,
    PlanStage,
    PlanStatus,
    PrintLayout,
    Priority,
    RequestedBy,
    ResponsibleKind,
    ReviewRating,
    Signatory,
    SignatureMethod,
    UltimateGoal,
)
from plans.models import (
    Activity,
    ActivityConfirmation,
    BudgetLine,
    DomainExclusion,
    Objective,
    OrganisationPlanSettings,
    Plan,
    PlanDecision,
    PlanReview,
    PlanSignature,
    PlanVersion,
)
from plans.rules import check_cap, missing_signatories, required_signatories
from plans.selectors import (
    assessed_needs,
    budget_amounts,
    coordinating_fund_for,
    first_member_with_role,
    layout_for,
    objectives_of,
    plan_row_for_update,
    signatures_of,
)
from plans.snapshots import snapshot
from policies.deadlines import add_months
from policies.schema import ApprovalStage
from policies.selectors import policy_for_case
from work.models import MilestoneKind
from work.services import milestone_record

# ---------------------------------------------------------------- helpers


def _editable(plan: Plan) -> Plan:
    """The plan row, locked, if its working copy may change: an approved or submitted plan
    is never edited in place (000 IOM part V: changes are modifications)."""
    locked = plan_row_for_update(plan)
    if not locked.is_editable:
        raise ValidationError(
            {
                "plan": [
                    _(
                        "This plan is %(status)s and cannot be edited in place; "
                        "start a modification to change it."
                    )
                    % {"status": locked.get_status_display().lower()}
                ]
            }
        )
    return locked


def _touch(plan: Plan) -> None:
    """Every change to the working copy moves the plan's version, so a submission or a
    decision made on an older view is refused."""
    Plan.objects.filter(pk=plan.pk).update(version=plan.version + 1, updated_at=timezone.now())
    plan.version += 1


def _choice(errors: dict[str, list[str]], name: str, value: str, allowed: list[str]) -> None:
    if value not in allowed:
        errors[name] = [_("Choose one of the listed values.")]


def _text(value: str | None) -> str:
    return (value or "").strip()


def _set_texts(record_: Any, values: dict[str, Any], names: tuple[str, ...]) -> list[str]:
    changed = []
    for name in names:
        if name in values:
            new = _text(values[name])
            if (record_.get_plain(name) or "") != new:
                changed.append(name)
            record_.set_plain(name, new)
    return changed


def _require_version(current: Any, expected_version: int) -> None:
    if current.version != expected_version:
        raise StaleEdit(current)


# ---------------------------------------------------------------- the plan


@transaction.atomic
def plan_create(*, acting: Acting, case: Case) -> Plan:
    """Start the initial plan with the person (001 §3.4(a)). Reintegration measures rest on
    the person's informed consent to assistance (001 §3.2 L36)."""
    _check(acting, case, CaseAction.MANAGE)
    if Plan.objects.filter(case=case).exists():
        raise ValidationError({"plan": [_("This case already has a plan.")]})
    rules = policy_for_case(case).plan
    # 001 §3.2 L36: where the pack says so, only a written consent to assistance counts.
    require_consent(case, ConsentPurpose.ASSISTANCE, written=rules.assistance_consent_in_writing)
    stages = rules.stages()
    plan = Plan(
        case=case,
        organisation=case.organisation,
        data_key=case.data_key,
        layout=layout_for(case.organisation),
        stage=stages[0].key if stages else "",
        created_by=acting.user,
    )
    plan.save()
    PlanVersion.objects.create(plan=plan, number=1, data_key=case.data_key, started_by=acting.user)
    _audit(acting, AuditAction.CREATE, plan, case, detail={"version": 1})
    return plan


PLAN_TEXT_FIELDS = (
    "goal_details",
    "notes",
    "child_views",
    "protection_responsible",
    "team_external",
    "reason_for_repatriation",
    "information_methods",
    "conclusions",
    "person_commitments",
    "organisation_commitments",
)


@transaction.atomic
def plan_update(
    *, acting: Acting, plan: Plan, expected_version: int, values: dict[str, Any]
) -> Plan:
    """The ultimate goal, its details, notes, start date and print layout."""
    _check(acting, plan.case, CaseAction.WORK)
    locked = _editable(plan)
    _require_version(locked, expected_version)
    errors: dict[str, list[str]] = {}
    if "ultimate_goal" in values:
        _choice(errors, "ultimate_goal", values["ultimate_goal"], [*UltimateGoal.values, ""])
    if "layout" in values:
        _choice(errors, "layout", values["layout"], PrintLayout.values)
    if errors:
        raise ValidationError(errors)
    changed = _set_texts(locked, values, PLAN_TEXT_FIELDS)
    for name in ("ultimate_goal", "layout", "starts_on"):
        if name in values and getattr(locked, name) != values[name]:
            setattr(locked, name, values[name])
            changed.append(name)
    locked.version += 1
    locked.save()
    _audit(acting, AuditAction.UPDATE, locked, locked.case, fields=changed)
    return locked


# ---------------------------------------------------------------- objectives


OBJECTIVE_TEXT_FIELDS = (
    "title",
    "need",
    "anticipated_result",
    "risk_factors",
    "indicator",
    "target",
)


def _objective_values(plan: Plan, values: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    if "domain" in values:
        _choice(errors, "domain", values["domain"], PlanDomain.values)
    if "priority" in values:
        _choice(errors, "priority", values["priority"], Priority.values)
    if "title" in values and not _text(values["title"]):
        errors["title"] = [_("Write the objective.")]
    assessment = values.get("assessment")
    if assessment is not None and assessment.case_id != plan.case_id:
        errors["assessment"] = [_("Choose an assessment of this case.")]
    dependant = values.get("dependant")
    if dependant is not None and (
        not isinstance(dependant, RelatedPerson) or dependant.person_id != plan.case.person_id
    ):
        errors["dependant"] = [_("Choose a person in the care of this person.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def objective_add(*, acting: Acting, plan: Plan, values: dict[str, Any]) -> Objective:
    _check(acting, plan.case, CaseAction.WORK)
    locked = _editable(plan)
    values = {"priority": Priority.NECESSARY, **values}
    if "domain" not in values:
        raise ValidationError({"domain": [_("Choose the domain.")]})
    if "title" not in values:
        raise ValidationError({"title": [_("Write the objective.")]})
    _objective_values(locked, values)
    objective = Objective(
        plan=locked,
        data_key=locked.data_key,
        domain=values["domain"],
        priority=values["priority"],
        assessment=values.get("assessment"),
        dependant=values.get("dependant"),
        position=Objective.objects.filter(plan=locked).count(),
    )
    _set_texts(objective, values, OBJECTIVE_TEXT_FIELDS)
    objective.save()
    _touch(locked)
    _audit(
        acting,
        AuditAction.CREATE,
        objective,
        locked.case,
        fields=[name for name in OBJECTIVE_TEXT_FIELDS if values.get(name)],
        detail={"domain": objective.domain, "priority": objective.priority},
    )
    return objective


@transaction.atomic
def objective_update(
    *, acting: Acting, objective: Objective, expected_version: int, values: dict[str, Any]
) -> Objective:
    plan = objective.plan
    _check(acting, plan.case, CaseAction.WORK)
    locked = _editable(plan)
    current = Objective.objects.select_for_update().select_related("data_key").get(pk=objective.pk)
    _require_version(current, expected_version)
    _objective_values(locked, values)
    changed = _set_texts(current, values, OBJECTIVE_TEXT_FIELDS)
    for name in ("domain", "priority", "assessment", "dependant"):
        if name in values and getattr(current, name) != values[name]:
            setattr(current, name, values[name])
            changed.append(name)
    current.version += 1
    current.save()
    _touch(locked)
    _audit(acting, AuditAction.UPDATE, current, locked.case, fields=changed)
    return current


@transaction.atomic
def objective_delete(*, acting: Acting, objective: Objective) -> None:
    plan = objective.plan
    _check(acting, plan.case, CaseAction.WORK)
    locked = _editable(plan)
    _audit(acting, AuditAction.DELETE, objective, locked.case, detail={"domain": objective.domain})
    objective.delete()
    _touch(locked)


# ---------------------------------------------------------------- activities


ACTIVITY_TEXT_FIELDS = ("description", "responsible_name")


def _activity_values(plan: Plan, values: dict[str, Any], current: Activity | None) -> None:
    errors: dict[str, list[str]] = {}
    if "description" in values and not _text(values["description"]):
        errors["description"] = [_("Describe the action.")]
    kind = values.get("responsible_kind", current.responsible_kind if current else None)
    _choice(errors, "responsible_kind", kind or "", ResponsibleKind.values)
    user = values.get("responsible_user", current.responsible_user if current else None)
    organisation = values.get(
        "responsible_organisation", current.responsible_organisation if current else None
    )
    name = _text(
        values.get(
            "responsible_name",
            current.get_plain_or_erased("responsible_name") if current else "",
        )
    )
    if kind == ResponsibleKind.STAFF:
        if user is None:
            errors["responsible_user"] = [_("Choose the staff member responsible.")]
        elif not plan.organisation.memberships.filter(user=user, is_active=True).exists():
            errors["responsible_user"] = [_("Choose a member of this organisation's staff.")]
    elif kind == ResponsibleKind.ORGANISATION:
        if organisation is None:
            errors["responsible_organisation"] = [_("Choose the organisation responsible.")]
    elif kind == ResponsibleKind.FAMILY_MEMBER and not name:
        errors["responsible_name"] = [_("Name the family member responsible.")]
    starts_on = values.get("starts_on", current.starts_on if current else None)
    due_on = values.get("due_on", current.due_on if current else None)
    if starts_on and due_on and due_on < starts_on:
        errors["due_on"] = [_("The deadline cannot be before the start.")]
    term = plan_term(plan)
    if term.ends_on is not None:
        # 001 §7.10 L75; 000 IOM: the plan may not run longer than its maximum term
        # (the pack lets a child's plan run longer by giving minors no term).
        for name in ("starts_on", "due_on", "review_on"):
            day = values.get(name, getattr(current, name) if current else None)
            if day is not None and day > term.ends_on:
                errors[name] = [
                    _(
                        "The plan runs at most %(months)s months, until %(end)s; this date "
                        "is after the end of its term."
                    )
                    % {"months": term.months, "end": format_date(term.ends_on)}
                ]
    if errors:
        raise ValidationError(errors)


@dataclass(frozen=True)
class PlanTerm:
    months: int | None
    starts_on: datetime.date
    ends_on: datetime.date | None
    is_minor: bool


def plan_term(plan: Plan) -> PlanTerm:
    """The plan's maximum term: from its entry into force (or its planned start while it is
    drafted), for a minor or an adult as the person is at the signing of the current version."""
    rules = policy_for_case(plan.case).plan
    minor = version_minor_status(plan).is_minor
    months = rules.max_term_months.for_person(is_minor=minor)
    start = plan.in_force_since or plan.starts_on or timezone.localdate()
    return PlanTerm(
        months=months,
        starts_on=start,
        ends_on=None if months is None else add_months(start, months),
        is_minor=minor,
    )


@dataclass(frozen=True)
class MinorStatus:
    is_minor: bool
    # cases.policy.BASIS_*: date of birth, (estimated) year of birth, or the case's flag.
    basis: str
    age: int | None
    on: datetime.date


def version_act_date(plan: Plan, version_number: int | None = None) -> datetime.date:
    """The date of the act that decides minor status for a plan version: the person's
    signature on it, or today while they have not signed."""
    number = plan.version_number if version_number is None else version_number
    signed = (
        PlanSignature.objects.filter(plan=plan, version_number=number, role=Signatory.PERSON)
        .values_list("signed_on", flat=True)
        .first()
    )
    return signed or timezone.localdate()


def version_minor_status(plan: Plan, version_number: int | None = None) -> MinorStatus:
    on = version_act_date(plan, version_number)
    minor, basis, age = minor_status(plan.case, on)
    return MinorStatus(is_minor=minor, basis=basis, age=age, on=on)


def _normalise_responsible(values: dict[str, Any]) -> None:
    """Only the field of the chosen kind is kept, so a change of kind leaves no stale name."""
    kind = values.get("responsible_kind")
    if kind is None:
        return
    if kind != ResponsibleKind.STAFF:
        values["responsible_user"] = None
    if kind != ResponsibleKind.ORGANISATION:
        values["responsible_organisation"] = None
    if kind in (ResponsibleKind.STAFF, ResponsibleKind.PERSON):
        values["responsible_name"] = ""


@transaction.atomic
def activity_add(*, acting: Acting, objective: Objective, values: dict[str, Any]) -> Activity:
    plan = objective.plan
    _check(acting, plan.case, CaseAction.WORK)
    locked = _editable(plan)
    if "description" not in values:
        raise ValidationError({"description": [_("Describe the action.")]})
    values = dict(values)
    _normalise_responsible(values)
    _activity_values(locked, values, None)
    activity = Activity(
        objective=objective,
        data_key=locked.data_key,
        responsible_kind=values["responsible_kind"],
        responsible_user=values.get("responsible_user"),
        responsible_organisation=values.get("responsible_organisation"),
        starts_on=values.get("starts_on"),
        due_on=values.get("due_on"),
        review_on=values.get("review_on"),
        position=Activity.objects.filter(objective=objective).count(),
    )
    _set_texts(activity, values, ACTIVITY_TEXT_FIELDS)
    activity.save()
    _touch(locked)
    _audit(
        acting,
        AuditAction.CREATE,
        activity,
        locked.case,
        fields=["description"],
        detail={"responsible_kind": activity.responsible_kind},
    )
    return activity


@transaction.atomic
def activity_update(
    *, acting: Acting, activity: Activity, expected_version: int, values: dict[str, Any]
) -> Activity:
    plan = activity.objective.plan
    _check(acting, plan.case, CaseAction.WORK)
    locked = _editable(plan)
    current = Activity.objects.select_for_update().select_related("data_key").get(pk=activity.pk)
    _require_version(current, expected_version)
    values = dict(values)
    _normalise_responsible(values)
    _activity_values(locked, values, current)
    changed = _set_texts(current, values, ACTIVITY_TEXT_FIELDS)
    for name in (
        "responsible_kind",
        "responsible_user",
        "responsible_organisation",
        "starts_on",
        "due_on",
        "review_on",
    ):
        if name in values and getattr(current, name) != values[name]:
            setattr(current, name, values[name])
            changed.append(name)
    current.version += 1
    current.save()
    _touch(locked)
    _audit(acting, AuditAction.UPDATE, current, locked.case, fields=changed)
    return current


@transaction.atomic
def activity_delete(*, acting: Acting, activity: Activity) -> None:
    plan = activity.objective.plan
    _check(acting, plan.case, CaseAction.WORK)
    locked = _editable(plan)
    _audit(acting, AuditAction.DELETE, activity, locked.case)
    activity.delete()
    _touch(locked)


@transaction.atomic
def activity_progress(
    *,
    acting: Acting,
    activity: Activity,
    expected_version: int,
    status: str,
    reason: str = "",
    note: str = "",
) -> Activity:
    """Progress of an activity while the plan runs (SPEC C5 item 8). Progress is not a change
    of the plan: it is recorded on an approved plan too, and never opens a new version."""
    plan = activity.objective.plan
    _check(acting, plan.case, CaseAction.WORK)
    # Activity work starts when the plan is in force (001 §7.8; 002 L1187-L1189).
    _require_in_force(plan)
    current = Activity.objects.select_for_update().select_related("data_key").get(pk=activity.pk)
    _require_version(current, expected_version)
    errors: dict[str, list[str]] = {}
    _choice(errors, "status", status, ActivityStatus.values)
    if status == ActivityStatus.NOT_DELIVERED:
        _choice(errors, "reason", reason, NotDeliveredReason.values)
    elif reason:
        errors["reason"] = [_("A reason is given only for an activity not delivered.")]
    if errors:
        raise ValidationError(errors)
    previous = current.status
    current.status = status
    current.not_delivered_reason = reason if status == ActivityStatus.NOT_DELIVERED else ""
    current.set_plain("status_note", _text(note))
    current.version += 1
    current.save()
    _audit(
        acting,
        AuditAction.TRANSITION,
        current,
        plan.case,
        fields=["status", "not_delivered_reason", "status_note"],
        detail={"from": previous, "to": status, "reason": current.not_delivered_reason},
    )
    if status == ActivityStatus.NOT_DELIVERED and previous != ActivityStatus.NOT_DELIVERED:
        activity_not_delivered(acting=acting, activity=current, reason=reason, note=_text(note))
    return current


def activity_not_delivered(*, acting: Acting, activity: Activity, reason: str, note: str) -> None:
    """A planned service that could not be delivered feeds the register of services needed
    but not delivered (SPEC C6; 004 §2.9), in the transaction of ``activity_progress``."""
    from services.gaps import unmet_need_record

    objective = activity.objective
    unmet_need_record(
        acting=acting,
        case=objective.plan.case,
        category=DOMAIN_SERVICE_CATEGORY.get(objective.domain, "other"),
        reason=NOT_DELIVERED_TO_UNMET_REASON.get(reason, reason),
        source="plan_activity",
        note=note,
        plan_activity=activity,
    )


# The register counts by service category: the kind of service a plan domain's activities
# usually need.
DOMAIN_SERVICE_CATEGORY: dict[str, str] = {
    PlanDomain.SECURITY: "protection",
    PlanDomain.ACCOMMODATION: "housing",
    PlanDomain.LEGAL: "legal_aid",
    PlanDomain.HEALTH: "medical",
    PlanDomain.EMPLOYMENT: "employment",
    PlanDomain.PSYCHOSOCIAL: "psychological",
    PlanDomain.FAMILY: "family_mediation",
    PlanDomain.EDUCATION: "education",
    PlanDomain.SOCIAL: "social_assistance",
    PlanDomain.FINANCIAL: "material_aid",
    PlanDomain.PRE_DEPARTURE: "repatriation",
    PlanDomain.OTHER: "other",
}
# The plan's reason codes are the register's, spelled once differently.
NOT_DELIVERED_TO_UNMET_REASON = {"not_available_in_area": "not_available"}


# ---------------------------------------------------------------- budget


def _decimal(errors: dict[str, list[str]], name: str, value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors[name] = [_("Enter a number.")]
        return None
    if not number.is_finite():
        errors[name] = [_("Enter a number.")]
        return None
    return number


@transaction.atomic
def budget_line_add(
    *,
    acting: Acting,
    activity: Activity,
    amount: Any,
    currency: str,
    units: Any = 1,
    funding_organisation: Organisation | None = None,
    funding_source_name: str = "",
) -> BudgetLine:
    """Resources for one activity: units, sum and origin of the expense (000 TdH annex 1)."""
    plan = activity.objective.plan
    _check(acting, plan.case, CaseAction.WORK)
    locked = _editable(plan)
    errors: dict[str, list[str]] = {}
    parsed_amount = _decimal(errors, "amount", amount)
    parsed_units = _decimal(errors, "units", units)
    if parsed_amount is not None and parsed_amount < 0:
        errors["amount"] = [_("The amount cannot be negative.")]
    if parsed_amount is not None and parsed_amount >= Decimal("1e10"):
        errors["amount"] = [_("The amount is too large.")]
    if parsed_units is not None and not Decimal(0) < parsed_units < Decimal("1e8"):
        errors["units"] = [_("Enter a number of units above zero.")]
    currency = _text(currency).upper()
    if len(currency) != 3 or not currency.isalpha() or not currency.isascii():
        errors["currency"] = [_("Use a three-letter currency code, e.g. GEL, MDL, EUR.")]
    funding_source_name = _text(funding_source_name)
    if funding_organisation is None and not funding_source_name:
        errors["funding_organisation"] = [_("Say who funds this line.")]
    if errors or parsed_amount is None or parsed_units is None:
        raise ValidationError(errors)
    line = BudgetLine(
        activity=activity,
        data_key=activity.data_key,
        units=parsed_units.quantize(Decimal("0.01")),
        amount=parsed_amount.quantize(Decimal("0.01")),
        currency=currency,
        funding_organisation=funding_organisation,
    )
    line.set_plain(
        "funding_source_name", None if funding_organisation else funding_source_name[:120] or None
    )
    line.save()
    _touch(locked)
    _audit(
        acting,
        AuditAction.CREATE,
        line,
        locked.case,
        fields=["units", "amount", "currency", "funding"],
        detail={"amount": str(line.amount), "currency": currency},
    )
    return line


@transaction.atomic
def budget_line_delete(*, acting: Acting, line: BudgetLine) -> None:
    plan = line.activity.objective.plan
    _check(acting, plan.case, CaseAction.WORK)
    locked = _editable(plan)
    _audit(
        acting,
        AuditAction.DELETE,
        line,
        locked.case,
        detail={"amount": str(line.amount), "currency": line.currency},
    )
    line.delete()
    _touch(locked)


# ---------------------------------------------------------------- domains without objective


@transaction.atomic
def domain_exclusion_set(
    *, acting: Acting, plan: Plan, domain: str, reason: str
) -> DomainExclusion:
    """Why an assessed domain has no objective (002 L1151-L1157: assistance not needed, or
    not provided while the person is with this organisation)."""
    _check(acting, plan.case, CaseAction.WORK)
    locked = _editable(plan)
    errors: dict[str, list[str]] = {}
    _choice(errors, "domain", domain, PlanDomain.values)
    if not _text(reason):
        errors["reason"] = [_("Say why this domain has no objective.")]
    if errors:
        raise ValidationError(errors)
    exclusion = DomainExclusion.objects.filter(plan=locked, domain=domain).first()
    if exclusion is None:
        exclusion = DomainExclusion(plan=locked, domain=domain, data_key=locked.data_key)
    exclusion.set_plain("reason", _text(reason))
    exclusion.save()
    _touch(locked)
    _audit(acting, AuditAction.UPDATE, exclusion, locked.case, fields=["reason"])
    return exclusion


@transaction.atomic
def domain_exclusion_delete(*, acting: Acting, exclusion: DomainExclusion) -> None:
    _check(acting, exclusion.plan.case, CaseAction.WORK)
    locked = _editable(exclusion.plan)
    _audit(acting, AuditAction.DELETE, exclusion, locked.case, detail={"domain": exclusion.domain})
    exclusion.delete()
    _touch(locked)


# ---------------------------------------------------------------- submission and decision


def _money(amount: Decimal, currency: str) -> str:
    return format_money(amount, currency)


def submission_problems(plan: Plan, stage: ApprovalStage | None = None) -> dict[str, list[str]]:
    """Everything that stops the plan from going to the approver (or, where nobody approves
    it, from being final), by field."""
    case = plan.case
    rules = policy_for_case(case).plan
    objectives = objectives_of(plan)
    errors: dict[str, list[str]] = {}
    if rules.requires_statutory_status and (
        case.identification_status != IdentificationStatus.IDENTIFIED
    ):
        # 001 §3.1 L35, §7.2 L68: rehabilitation starts from the status of (statutory) victim.
        errors["identification_status"] = [
            _(
                "The person does not yet have the status “%(status)s”; the policy starts the "
                "plan only from that status (now: %(current)s)."
            )
            % {
                "status": IdentificationStatus.IDENTIFIED.label,
                "current": IdentificationStatus(case.identification_status).label,
            }
        ]
    if rules.assistance_consent_in_writing and (
        current_consent(case, ConsentPurpose.ASSISTANCE, written=True) is None
    ):
        # 001 §3.2 L36: informed, written consent.
        errors["consent"] = [
            _(
                "There is no current written consent to assistance; the policy requires it in "
                "writing, and a consent recorded as oral does not satisfy it."
            )
        ]
    today = timezone.localdate()
    if child_is_consulted(case, today) and not (plan.get_plain_or_erased("child_views") or ""):
        # 000 L357: the plan is coordinated and consulted with the child from this age.
        errors["child_views"] = [
            _("Record the child's own views on the plan: the policy consults children of this age.")
        ]
    if not plan.ultimate_goal:
        errors["ultimate_goal"] = [_("Choose the ultimate goal of the plan.")]
    if not objectives:
        errors["objectives"] = [_("Add at least one objective.")]
    without_activity = [o for o in objectives if not o.activities.all()]
    if without_activity:
        errors["activities"] = [
            _("Every objective needs at least one activity; missing for: %(titles)s.")
            % {"titles": ", ".join(o.get_plain_or_erased("title") or "?" for o in without_activity)}
        ]
    covered = {o.domain for o in objectives}
    excluded = set(plan.exclusions.values_list("domain", flat=True))
    uncovered = [
        need.domain_label
        for need in assessed_needs(case)
        if need.domain in PlanDomain.values
        and need.domain not in covered
        and need.domain not in excluded
    ]
    if uncovered:
        # 002 L1151-L1157.
        errors["exclusions"] = [
            _(
                "These domains have an assessed need but no objective; add one or say why "
                "not: %(domains)s."
            )
            % {"domains": ", ".join(str(label) for label in uncovered)}
        ]
    term = plan_term(plan)
    if term.ends_on is not None:
        late = [
            a
            for o in objectives
            for a in o.activities.all()
            if any(d and d > term.ends_on for d in (a.starts_on, a.due_on, a.review_on))
        ]
        if late:
            errors["term"] = [
                _(
                    "The plan runs at most %(months)s months, until %(end)s; these activities "
                    "are dated after its term: %(activities)s."
                )
                % {
                    "months": term.months,
                    "end": format_date(term.ends_on),
                    "activities": ", ".join(
                        a.get_plain_or_erased("description") or "?" for a in late
                    ),
                }
            ]
    if stage is not None and stage.needs_provider_confirmations:
        unconfirmed = [
            a
            for o in objectives
            for a in o.activities.all()
            if a.responsible_kind == ResponsibleKind.ORGANISATION and not a.confirmations.all()
        ]
        if unconfirmed:
            # 001 §7.5-§7.6: the final plan follows the providers' positive answers.
            errors["confirmations"] = [
                _(
                    "The providers have not confirmed these services yet (a referral they "
                    "accepted or a recorded confirmation): %(activities)s."
                )
                % {
                    "activities": ", ".join(
                        a.get_plain_or_erased("description") or "?" for a in unconfirmed
                    )
                }
            ]
    if rules.budget_cap is not None:
        cap = check_cap(
            budget_amounts(objectives),
            cap=Decimal(rules.budget_cap.amount),
            currency=rules.budget_cap.currency,
        )
        if cap.other_currencies:
            errors["currency"] = [
                _("Budget lines must be in %(currency)s, the currency of the cap; found %(other)s.")
                % {"currency": cap.currency, "other": ", ".join(cap.other_currencies)}
            ]
        if cap.exceeded:
            # 001 §5.6 L56 (cap per beneficiary); §5.3 L53 (necessary services first).
            message = _(
                "The budget total of %(total)s exceeds the cap of %(cap)s per beneficiary."
            ) % {"total": _money(cap.total, cap.currency), "cap": _money(cap.cap, cap.currency)}
            if cap.necessary_exceeds:
                message += " " + _(
                    "The necessary services alone come to %(necessary)s; find another funder "
                    "for part of them."
                ) % {"necessary": _money(cap.necessary, cap.currency)}
            else:
                message += " " + _(
                    "Necessary services come first (%(necessary)s); desired services may use "
                    "at most %(room)s."
                ) % {
                    "necessary": _money(cap.necessary, cap.currency),
                    "room": _money(cap.room_for_desired, cap.currency),
                }
            errors["budget"] = [message]
    return errors


@dataclass(frozen=True)
class Approver:
    organisation: Organisation
    user: User | None


def plan_stages(plan: Plan) -> list[ApprovalStage]:
    """The decisions the case's pack puts the plan through (001 §3.4: two for the Fund)."""
    return policy_for_case(plan.case).plan.stages()


def current_stage(plan: Plan) -> ApprovalStage | None:
    """The stage the plan is being prepared for or is submitted at; None where nobody
    approves plans under the pack."""
    stages = plan_stages(plan)
    for stage in stages:
        if stage.key == plan.stage:
            return stage
    return stages[0] if stages else None


def approver_for(plan: Plan, stage: ApprovalStage) -> Approver:
    """Who decides ``stage`` under the case's pack (001 §3.4(b), §7.5-§7.6)."""
    case = plan.case
    if stage.decided_by == "coordinator":
        fund = coordinating_fund_for(case)
        if fund is None:
            raise ValidationError(
                {
                    "plan": [
                        _(
                            "The policy has the coordinating fund approve plans, but no fund "
                            "works under pack %(pack)s; ask a system administrator."
                        )
                        % {"pack": case.policy_pack}
                    ]
                }
            )
        return Approver(fund, first_member_with_role(fund, Role.COORDINATOR))
    return Approver(case.organisation, first_member_with_role(case.organisation, Role.SUPERVISOR))


def _freeze_version(plan: Plan, approver: User | None) -> PlanVersion:
    version = PlanVersion.objects.select_for_update().get(plan=plan, number=plan.version_number)
    version.set_plain("snapshot", json.dumps(snapshot(plan, objectives_of(plan)), sort_keys=True))
    version.approved_at = timezone.now()
    version.approved_by = approver
    version.save()
    return version


def _stage_refused(expected: ApprovalStage | None) -> ValidationError:
    label = PlanStage(expected.key).label if expected else _("no approval")
    return ValidationError(
        {
            "stage": [
                _("The plan is at the stage “%(stage)s”; stages are not skipped.")
                % {"stage": label}
            ]
        }
    )


@transaction.atomic
def plan_submit(
    *, acting: Acting, plan: Plan, expected_version: int, stage: str | None = None
) -> Plan:
    """Submit the plan to whoever decides its current stage. Refused, with what is wrong by
    field, when the plan is incomplete, its budget exceeds the cap (001 §5.6), the person
    lacks the status or written consent the pack asks for, or ``stage`` names another stage
    than the one the plan is at (a stage is never skipped)."""
    _check(acting, plan.case, CaseAction.MANAGE)
    locked = _editable(plan)
    _require_version(locked, expected_version)
    current = current_stage(locked)
    if stage is not None and (current is None or current.key != stage):
        raise _stage_refused(current)
    errors = submission_problems(locked, current)
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    locked.submitted_at = timezone.now()
    locked.submitted_by = acting.user
    approver: Approver | None = None
    if current is None:
        # Nobody approves plans under this pack: the submitted plan is the final plan, and
        # nobody is recorded as its approver.
        locked.approving_organisation = None
        locked.status = PlanStatus.APPROVED
        locked.approved_at = locked.submitted_at
    else:
        approver = approver_for(locked, current)
        locked.approving_organisation = approver.organisation
        locked.stage = current.key
        locked.status = PlanStatus.SUBMITTED
    locked.version += 1
    locked.save()
    _audit(
        acting,
        AuditAction.TRANSITION,
        locked,
        locked.case,
        fields=["status"],
        detail={
            "to": locked.status,
            "stage": locked.stage,
            "version": locked.version_number,
            "approving_organisation": approver.organisation.pk if approver else None,
        },
    )
    milestone_record(
        case=locked.case,
        kind=MilestoneKind.PLAN_SUBMITTED,
        occurred_on=today,
        actor=acting.user,
        responsible=approver.user if approver else None,
        responsible_organisation=(
            approver.organisation
            if approver and approver.organisation.pk != locked.case.organisation_id
            else None
        ),
        ref=locked.stage,
    )
    if current is None:
        _freeze_version(locked, acting.user)
    return locked


@transaction.atomic
def plan_decide(
    *,
    acting: Acting,
    plan: Plan,
    expected_version: int,
    decision: str,
    comment: str = "",
    stage: str | None = None,
) -> Plan:
    """The approver decides the stage the plan is submitted at (001 §3.4): agrees the
    initial plan, approves the final one, or returns it with comments. Audited either way;
    the final approval freezes the version. The plan comes into force once signed."""
    if not may_decide_plan(acting, plan):
        raise PermissionDenied("may not decide on this plan")
    locked = plan_row_for_update(plan)
    _require_version(locked, expected_version)
    current = current_stage(locked)
    if stage is not None and (current is None or current.key != stage):
        raise _stage_refused(current)
    errors: dict[str, list[str]] = {}
    _choice(errors, "decision", decision, DecisionKind.values)
    if decision == DecisionKind.RETURNED and not _text(comment):
        errors["comment"] = [_("Say what should change before the plan is submitted again.")]
    if errors:
        raise ValidationError(errors)
    stages = plan_stages(locked)
    decided_stage = locked.stage
    entry = PlanDecision(
        plan=locked,
        data_key=locked.data_key,
        version_number=locked.version_number,
        stage=decided_stage,
        decision=decision,
        decided_by=acting.user,
        organisation=acting.organisation,
    )
    entry.set_plain("comment", _text(comment))
    entry.save()
    is_last = not stages or stages[-1].key == decided_stage
    if decision == DecisionKind.RETURNED:
        locked.status = PlanStatus.RETURNED
    elif is_last:
        locked.status = PlanStatus.APPROVED
        locked.approved_at = timezone.now()
    else:
        # 001 §7.5: the initial plan is agreed; the social worker now asks the providers.
        keys: list[str] = [s.key for s in stages]
        locked.status = PlanStatus.AGREED
        locked.stage = keys[keys.index(decided_stage) + 1]
    locked.version += 1
    locked.save()
    record(
        action=AuditAction.TRANSITION,
        actor=acting.user,
        organisation=acting.organisation,
        target=locked,
        case_id=locked.case_id,
        fields=["status", "comment"],
        detail={"decision": decision, "stage": decided_stage, "version": locked.version_number},
    )
    milestone_record(
        case=locked.case,
        kind=MilestoneKind.PLAN_DECIDED,
        occurred_on=timezone.localdate(),
        actor=acting.user,
        ref=decided_stage,
    )
    if locked.status == PlanStatus.APPROVED:
        _freeze_version(locked, acting.user)
    return locked


def _enter_into_force_if_final(acting: Acting, plan: Plan) -> None:
    """The plan comes into force the day it is approved and every required signature of the
    current version is present (001 §7.8; 002 L1187-L1189); its term, reviews and activity
    work run from then. A later version in force restarts the review clock."""
    if not plan_is_final(plan):
        return
    version = PlanVersion.objects.select_for_update().get(plan=plan, number=plan.version_number)
    if version.approved_at is None:
        return
    signed = PlanSignature.objects.filter(plan=plan, version_number=plan.version_number)
    last_signed = max((s.signed_on for s in signed), default=timezone.localdate())
    day = max(last_signed, timezone.localdate(version.approved_at))
    minor = version_minor_status(plan).is_minor
    if plan.in_force_since is None:
        Plan.objects.filter(pk=plan.pk).update(in_force_since=day)
        plan.in_force_since = day
    milestone_record(
        case=plan.case,
        kind=MilestoneKind.PLAN_APPROVED,
        occurred_on=min(day, timezone.localdate()),
        actor=acting.user,
        ref="minor" if minor else "adult",
    )
    _audit(
        acting,
        AuditAction.TRANSITION,
        plan,
        plan.case,
        fields=["in_force_since"],
        detail={"in_force": True, "version": plan.version_number},
    )


def plan_in_force(plan: Plan) -> bool:
    return plan.in_force_since is not None


def _require_in_force(plan: Plan) -> None:
    if not plan_in_force(plan):
        raise ValidationError(
            {
                "plan": [
                    _(
                        "The plan is not in force yet: it must be approved and signed by "
                        "everyone required first."
                    )
                ]
            }
        )


@transaction.atomic
def activity_confirm(
    *,
    acting: Acting,
    activity: Activity,
    confirmed_on: datetime.date,
    provider: Organisation | None = None,
    provider_name: str = "",
    referral_id: int | None = None,
    note: str = "",
) -> ActivityConfirmation:
    """The provider confirms it will deliver the service (001 §7.5-§7.6): through a referral
    of this case that it accepted, or recorded from its answer."""
    plan = activity.objective.plan
    _check(acting, plan.case, CaseAction.WORK)
    locked = _editable(plan)
    errors: dict[str, list[str]] = {}
    if referral_id is not None:
        from referrals.models import Referral

        referral = (
            Referral.objects.filter(pk=referral_id, case=locked.case)
            .select_related("recipient")
            .first()
        )
        if referral is None or referral.status not in ("accepted", "in_progress", "completed"):
            errors["referral"] = [_("Choose a referral of this case that the provider accepted.")]
        else:
            provider = referral.recipient
    provider_name = _text(provider_name)
    if provider is None and not provider_name:
        errors["provider"] = [_("Name the provider that confirmed the service.")]
    if confirmed_on > timezone.localdate():
        errors["confirmed_on"] = [_("The date cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    confirmation = ActivityConfirmation(
        activity=activity,
        data_key=locked.data_key,
        provider=provider,
        referral_id=referral_id,
        confirmed_on=confirmed_on,
        recorded_by=acting.user,
    )
    confirmation.set_plain("provider_name", "" if provider else provider_name[:200])
    confirmation.set_plain("note", _text(note))
    confirmation.save()
    _touch(locked)
    _audit(
        acting,
        AuditAction.CREATE,
        confirmation,
        locked.case,
        fields=["provider", "confirmed_on", "note"],
        detail={"activity": activity.pk, "referral": referral_id},
    )
    return confirmation


# ---------------------------------------------------------------- modifications


@transaction.atomic
def plan_modification_start(
    *,
    acting: Acting,
    plan: Plan,
    expected_version: int,
    reason: str,
    anticipated_result: str,
    requested_by: str,
) -> PlanVersion:
    """Open the next version of an approved plan, with its arguments, anticipated result and
    who asked (000 IOM part V; 001 §3.5). The approved version keeps its frozen snapshot;
    the working copy becomes a draft again and goes through submission and signatures."""
    _check(acting, plan.case, CaseAction.MANAGE)
    locked = plan_row_for_update(plan)
    _require_version(locked, expected_version)
    if locked.status != PlanStatus.APPROVED:
        raise ValidationError(
            {"plan": [_("Only an approved plan is modified; this one can be edited directly.")]}
        )
    errors: dict[str, list[str]] = {}
    if not _text(reason):
        errors["reason"] = [_("Give the reason for the modification.")]
    if not _text(anticipated_result):
        errors["anticipated_result"] = [_("Say what the modification should achieve.")]
    _choice(errors, "requested_by", requested_by, RequestedBy.values)
    if errors:
        raise ValidationError(errors)
    locked.version_number += 1
    locked.status = PlanStatus.DRAFT
    stages = plan_stages(locked)
    # A modification goes through the pack's stages again (001 §3.4-§3.5).
    locked.stage = stages[0].key if stages else ""
    locked.submitted_at = None
    locked.version += 1
    locked.save()
    version = PlanVersion(
        plan=locked,
        number=locked.version_number,
        data_key=locked.data_key,
        requested_by=requested_by,
        started_by=acting.user,
    )
    version.set_plain("reason", _text(reason))
    version.set_plain("anticipated_result", _text(anticipated_result))
    version.save()
    _audit(
        acting,
        AuditAction.CREATE,
        version,
        locked.case,
        fields=["reason", "anticipated_result", "requested_by"],
        detail={"version": version.number, "requested_by": requested_by},
    )
    return version


# ---------------------------------------------------------------- signatures


def signature_state(
    plan: Plan, signatures: list[PlanSignature] | None = None
) -> tuple[list[str], list[str]]:
    """(required, missing) signatories of the plan's current version; ``signatures`` of that
    version when the caller has read them already."""
    case = plan.case
    # Minor or adult on the day the person signs this version, not at reception.
    minor = version_minor_status(plan).is_minor
    required = required_signatories(policy_for_case(case).plan, is_minor=minor)
    if signatures is None:
        signatures = signatures_of(plan, plan.version_number)
    signed = {s.role for s in signatures}
    return required, missing_signatories(required, signed)


def plan_is_final(plan: Plan) -> bool:
    """Approved and signed by everyone the rules require (002 L1187-L1189)."""
    return plan.status == PlanStatus.APPROVED and not signature_state(plan)[1]


def _signature_checks(plan: Plan, role: str) -> None:
    errors: dict[str, list[str]] = {}
    _choice(errors, "role", role, Signatory.values)
    if errors:
        raise ValidationError(errors)
    if plan.status != PlanStatus.APPROVED:
        raise ValidationError(
            {"plan": [_("Signatures are collected once the plan has been approved.")]}
        )
    if PlanSignature.objects.filter(
        plan=plan, version_number=plan.version_number, role=role
    ).exists():
        raise ValidationError({"role": [_("This signature has already been recorded.")]})


@transaction.atomic
def signature_record_paper(
    *,
    acting: Acting,
    plan: Plan,
    role: str,
    signer_name: str,
    signed_on: datetime.date,
    upload: Any,
) -> PlanSignature:
    """A signature on the printed plan: who signed, when, and the scan (encrypted)."""
    _check(acting, plan.case, CaseAction.MANAGE)
    locked = plan_row_for_update(plan)
    _signature_checks(locked, role)
    errors: dict[str, list[str]] = {}
    if not _text(signer_name):
        errors["signer_name"] = [_("Write the name of the person who signed.")]
    if signed_on > timezone.localdate():
        errors["signed_on"] = [_("The date cannot be in the future.")]
    if upload is None:
        errors["scan"] = [_("Attach the scan of the signed page.")]
    if errors:
        raise ValidationError(errors)
    signature = PlanSignature(
        plan=locked,
        data_key=locked.data_key,
        version_number=locked.version_number,
        role=role,
        method=SignatureMethod.PAPER,
        signed_on=signed_on,
        recorded_by=acting.user,
    )
    stored = store_upload(
        upload,
        key=locked.data_key,
        table=PlanSignature._meta.db_table,
        column="scan",
        row=str(signature.uuid),
        field="scan",
    )
    signature.scan_name = stored.name
    signature.scan_content_type = stored.content_type
    signature.set_plain("scan_original_name", stored.original_name)
    signature.set_plain("signer_name", _text(signer_name))
    signature.save()
    _audit(
        acting,
        AuditAction.CREATE,
        signature,
        locked.case,
        fields=["signer_name", "signed_on", "scan"],
        detail={"role": role, "method": SignatureMethod.PAPER, "version": locked.version_number},
    )
    _enter_into_force_if_final(acting, locked)
    return signature


@transaction.atomic
def signature_acknowledge(*, acting: Acting, plan: Plan, role: str, otp_code: str) -> PlanSignature:
    """A staff member signs on screen after re-entering their second factor."""
    _check(acting, plan.case, CaseAction.WORK)
    locked = plan_row_for_update(plan)
    if role not in STAFF_SIGNATORIES:
        raise ValidationError({"role": [_("Only staff sign on screen; record this one on paper.")]})
    if role in (Signatory.CASE_MANAGER, Signatory.SOCIAL_WORKER) and (
        locked.case.case_manager_id != acting.user.pk
    ):
        raise ValidationError({"role": [_("Only the case manager signs as case manager.")]})
    _signature_checks(locked, role)
    device = match_token(acting.user, _text(otp_code))
    if device is None:
        record(
            action=AuditAction.SECOND_FACTOR_FAILED,
            actor=acting.user,
            organisation=acting.organisation,
            target=locked,
            case_id=locked.case_id,
            detail={"purpose": "plan_signature"},
        )
        raise ValidationError({"otp_code": [_("The code is not valid; try the current one.")]})
    signature = PlanSignature(
        plan=locked,
        data_key=locked.data_key,
        version_number=locked.version_number,
        role=role,
        method=SignatureMethod.ON_SCREEN,
        user=acting.user,
        signed_on=timezone.localdate(),
        recorded_by=acting.user,
    )
    signature.set_plain("signer_name", acting.user.get_full_name() or acting.user.username)
    signature.save()
    _audit(
        acting,
        AuditAction.CREATE,
        signature,
        locked.case,
        fields=["signed_on"],
        detail={
            "role": role,
            "method": SignatureMethod.ON_SCREEN,
            "version": locked.version_number,
        },
    )
    _enter_into_force_if_final(acting, locked)
    return signature


@transaction.atomic
def signature_scan_read(*, acting: Acting, signature: PlanSignature) -> bytes:
    _check(acting, signature.plan.case, CaseAction.VIEW)
    data = read_encrypted(
        signature.data_key,
        signature.scan_name,
        table=PlanSignature._meta.db_table,
        column="scan",
        row=str(signature.uuid),
    )
    _audit(acting, AuditAction.DOWNLOAD, signature, signature.plan.case, fields=["scan"])
    return data


# ---------------------------------------------------------------- reviews, printing, settings


REVIEW_RATINGS = ("result", "time", "resources", "problems_solved")


@transaction.atomic
def plan_review_record(
    *,
    acting: Acting,
    plan: Plan,
    reviewed_on: datetime.date,
    result: str,
    time: str,
    resources: str,
    problems_solved: str,
    legal_support: str = "",
    note: str = "",
) -> PlanReview:
    """A review of the plan in force (000 L75: every three months in the NRS) with the
    success evaluation of 000 CPTW: result of the activities, time, resources and the degree
    the person's problems were solved; legal and court support where the person is in
    proceedings."""
    _check(acting, plan.case, CaseAction.MANAGE)
    _require_in_force(plan)
    errors: dict[str, list[str]] = {}
    ratings = {
        "result": result,
        "time": time,
        "resources": resources,
        "problems_solved": problems_solved,
    }
    for name, value in ratings.items():
        _choice(errors, name, value, ReviewRating.values)
    if reviewed_on > timezone.localdate():
        errors["reviewed_on"] = [_("The date cannot be in the future.")]
    elif plan.in_force_since and reviewed_on < plan.in_force_since:
        errors["reviewed_on"] = [_("The review cannot be before the plan came into force.")]
    if errors:
        raise ValidationError(errors)
    review = PlanReview(
        plan=plan,
        data_key=plan.data_key,
        version_number=plan.version_number,
        reviewed_on=reviewed_on,
        recorded_by=acting.user,
        **ratings,
    )
    review.set_plain("legal_support", _text(legal_support))
    review.set_plain("note", _text(note))
    review.save()
    _audit(
        acting,
        AuditAction.CREATE,
        review,
        plan.case,
        fields=[*REVIEW_RATINGS, "legal_support", "note"],
        detail=ratings,
    )
    milestone_record(
        case=plan.case, kind=MilestoneKind.REVIEW_DONE, occurred_on=reviewed_on, actor=acting.user
    )
    return review


def plan_print_record(*, acting: Acting, plan: Plan, layout: str, language: str) -> None:
    record(
        action=AuditAction.PRINT,
        actor=acting.user,
        organisation=acting.organisation,
        target=plan,
        case_id=plan.case_id,
        detail={"layout": layout, "language": language, "version": plan.version_number},
    )


@transaction.atomic
def plan_settings_update(
    *, acting: Acting, expected_version: int, layout: str
) -> OrganisationPlanSettings:
    """The organisation's print layout (000: each seed organisation has its own format)."""
    from accounts.roles import Capability

    if not acting.can(Capability.ORGANISATION_SETTINGS_MANAGE):
        raise PermissionDenied("may not change the organisation's settings")
    if layout not in PrintLayout.values:
        raise ValidationError({"layout": [_("Choose one of the listed values.")]})
    current, _created = OrganisationPlanSettings.objects.select_for_update().get_or_create(
        organisation=acting.organisation
    )
    if not _created:
        _require_version(current, expected_version)
        current.version += 1
    current.layout = layout
    current.save()
    record(
        action=AuditAction.UPDATE,
        actor=acting.user,
        organisation=acting.organisation,
        target=current,
        fields=["layout"],
        detail={"layout": layout},
    )
    return current
