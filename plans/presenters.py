"""The plan as plain data for the pages, the API and the printed layouts. One place decides
what each audience sees: the owning organisation sees the plan with the case file; the
approver sees what approval needs (plan, budget, pseudonymous code, age band, needs) and
never a name, a contact or an address (SPEC C5)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import ComprehensiveAssessment, domain_label
from cases.policy import BASIS_DATE_OF_BIRTH, BASIS_ESTIMATED_YEAR, BASIS_YEAR_OF_BIRTH
from plans.codes import (
    ActivityStatus,
    PlanDomain,
    PlanStage,
    PlanStatus,
    Priority,
    ResponsibleKind,
    ReviewRating,
    Signatory,
)
from plans.models import (
    Activity,
    ActivityConfirmation,
    DomainExclusion,
    Objective,
    Plan,
    PlanReview,
    PlanSignature,
    PlanVersion,
)
from plans.rules import (
    BudgetSummary,
    CapCheck,
    PlanDates,
    age_band,
    check_cap,
    plan_dates,
    summarise,
)
from plans.selectors import (
    assessed_needs,
    budget_amounts,
    decisions_of,
    objectives_of,
    reviews_of,
    signatures_of,
    versions_of,
)
from plans.services import (
    PLAN_TEXT_FIELDS,
    MinorStatus,
    child_is_consulted,
    current_stage,
    plan_stages,
    signature_state,
    version_minor_status,
)
from plans.snapshots import Change, diff, snapshot
from policies.selectors import policy_for_case
from work.models import CaseMilestone, MilestoneKind


def responsible_label(activity: Activity, *, with_identity: bool) -> str:
    """Who does the activity. Without identity, the person and family members are named by
    their role only."""
    user = activity.responsible_user
    if activity.responsible_kind == ResponsibleKind.STAFF and user is not None:
        return user.get_full_name() or user.username
    organisation = activity.responsible_organisation
    if activity.responsible_kind == ResponsibleKind.ORGANISATION and organisation is not None:
        contact = activity.get_plain_or_erased("responsible_name") if with_identity else ""
        return f"{organisation.name} ({contact})" if contact else organisation.name
    if activity.responsible_kind == ResponsibleKind.FAMILY_MEMBER and with_identity:
        name = activity.get_plain_or_erased("responsible_name")
        if name:
            return name
    return str(ResponsibleKind(activity.responsible_kind).label)


@dataclass
class DomainBlock:
    code: str
    label: str
    objectives: list[Objective] = field(default_factory=list)
    exclusion: str = ""


@dataclass
class Progress:
    total: int
    done: int
    not_delivered: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass
class PlanView:
    plan: Plan
    objectives: list[Objective]
    domains: list[DomainBlock]
    budget: BudgetSummary
    cap: CapCheck | None
    dates: PlanDates
    required_signatures: list[str]
    missing_signatures: list[str]
    is_final: bool
    progress: Progress
    needs: list[Any]
    uncovered_needs: list[Any]
    minor: MinorStatus
    # What keeps the plan from being in force, in words (001 §7.8; 002 L1187-L1189).
    not_in_force: list[str] = field(default_factory=list)
    stages: list[dict[str, Any]] = field(default_factory=list)
    child_consulted: bool = False
    reviews: list[PlanReview] = field(default_factory=list)


MINOR_BASIS_LABELS = {
    BASIS_DATE_OF_BIRTH: _("from the date of birth"),
    BASIS_YEAR_OF_BIRTH: _("from the year of birth"),
    BASIS_ESTIMATED_YEAR: _("from the estimated year of birth"),
    "minor_flag": _("from the case's minor flag (no date or year of birth known)"),
}


def _not_in_force(plan: Plan, missing: list[str]) -> list[str]:
    """Why the plan is not in force yet, each reason a sentence the page shows."""
    if plan.in_force_since is not None:
        return []
    reasons: list[str] = []
    if plan.status != PlanStatus.APPROVED:
        stage = current_stage(plan)
        if stage is not None and plan.status == PlanStatus.SUBMITTED:
            reasons.append(
                str(
                    _("Waiting for the decision on the %(stage)s.")
                    % {"stage": str(PlanStage(stage.key).label).lower()}
                )
            )
        else:
            reasons.append(str(_("The plan has not been approved yet.")))
    if missing:
        reasons.append(
            str(
                _("Signatures missing: %(roles)s.")
                % {"roles": ", ".join(str(Signatory(role).label) for role in missing)}
            )
        )
    return reasons


def _stages(plan: Plan) -> list[dict[str, Any]]:
    """The pack's stages with where the plan stands on each."""
    stages = plan_stages(plan)
    keys = [stage.key for stage in stages]
    position = keys.index(plan.stage) if plan.stage in keys else 0
    rows = []
    for index, stage in enumerate(stages):
        done = plan.status == PlanStatus.APPROVED or index < position
        rows.append(
            {
                "key": stage.key,
                "label": PlanStage(stage.key).label,
                "decided_by": stage.decided_by,
                "needs_provider_confirmations": stage.needs_provider_confirmations,
                "done": done,
                "current": not done and index == position,
            }
        )
    return rows


def _domains(
    plan: Plan, objectives: list[Objective], needs: list[Any], excluded: list[DomainExclusion]
) -> list[DomainBlock]:
    exclusions = {
        exclusion.domain: exclusion.get_plain_or_erased("reason") or "" for exclusion in excluded
    }
    blocks = {code: DomainBlock(code, str(label)) for code, label in PlanDomain.choices}
    for objective in objectives:
        blocks[objective.domain].objectives.append(objective)
    for domain, reason in exclusions.items():
        blocks[domain].exclusion = reason
    assessed = {need.domain for need in needs}
    # Domains in the order of the plan's code list (002 Annex X), only those in use.
    return [
        block
        for block in blocks.values()
        if block.objectives or block.exclusion or block.code in assessed
    ]


def plan_view(plan: Plan, signatures: list[PlanSignature] | None = None) -> PlanView:
    """Everything the plan page shows; ``signatures`` of the current version when the
    caller has them already."""
    case = plan.case
    rules = policy_for_case(case).plan
    objectives = objectives_of(plan)
    lines = budget_amounts(objectives)
    needs = assessed_needs(case)
    # One read of the exclusions serves both the domain blocks and the coverage check.
    excluded = list(plan.exclusions.select_related("data_key"))
    covered = {o.domain for o in objectives} | {exclusion.domain for exclusion in excluded}
    last_review = (
        CaseMilestone.objects.filter(case=case, kind=MilestoneKind.REVIEW_DONE)
        .order_by("-occurred_on")
        .values_list("occurred_on", flat=True)
        .first()
    )
    in_force = plan.in_force_since
    required, missing = signature_state(plan, signatures)
    minor = version_minor_status(plan)
    completed_on = (
        ComprehensiveAssessment.objects.filter(case=case, status="completed")
        .order_by("round")
        .values_list("completed_on", flat=True)
        .first()
    )
    activities = [a for o in objectives for a in o.activities.all()]
    return PlanView(
        plan=plan,
        objectives=objectives,
        domains=_domains(plan, objectives, needs, excluded),
        budget=summarise(lines),
        cap=(
            check_cap(
                lines, cap=Decimal(rules.budget_cap.amount), currency=rules.budget_cap.currency
            )
            if rules.budget_cap
            else None
        ),
        dates=plan_dates(
            rules,
            received_on=case.received_at,
            in_force_since=in_force,
            last_review_on=last_review,
            is_minor=minor.is_minor,
            assessment_completed_on=completed_on,
        ),
        required_signatures=required,
        missing_signatures=missing,
        # plan_is_final, from the signatures already read.
        is_final=plan.status == PlanStatus.APPROVED and not missing,
        progress=Progress(
            total=len(activities),
            done=sum(1 for a in activities if a.status == ActivityStatus.DONE),
            not_delivered=sum(1 for a in activities if a.status == ActivityStatus.NOT_DELIVERED),
        ),
        needs=needs,
        uncovered_needs=[
            need
            for need in needs
            if need.domain in PlanDomain.values and need.domain not in covered
        ],
        minor=minor,
        not_in_force=_not_in_force(plan, missing),
        stages=_stages(plan),
        child_consulted=child_is_consulted(case, timezone.localdate()),
        reviews=reviews_of(plan),
    )


def budget_out(view: PlanView) -> dict[str, Any]:
    budget = view.budget
    return {
        "totals": [
            {"currency": currency, "amount": str(amount)}
            for currency, amount in budget.total_by_currency.items()
        ],
        "by_source": [
            {"source": source, "currency": currency, "amount": str(amount)}
            for (source, currency), amount in budget.by_source.items()
        ],
        "by_domain": [
            {"domain": domain, "currency": currency, "amount": str(amount)}
            for (domain, currency), amount in budget.by_domain.items()
        ],
        "cap": (
            {
                "amount": str(view.cap.cap),
                "currency": view.cap.currency,
                "total": str(view.cap.total),
                "necessary": str(view.cap.necessary),
                "room_for_desired": str(view.cap.room_for_desired),
                "exceeded": view.cap.exceeded,
            }
            if view.cap
            else None
        ),
    }


def confirmation_out(confirmation: ActivityConfirmation, *, with_identity: bool) -> dict[str, Any]:
    provider = confirmation.provider
    return {
        "id": confirmation.pk,
        "provider_id": confirmation.provider_id,
        "provider": provider.name
        if provider
        else confirmation.get_plain_or_erased("provider_name"),
        "referral_id": confirmation.referral_id,
        "confirmed_on": confirmation.confirmed_on,
        "note": (confirmation.get_plain_or_erased("note") or "") if with_identity else "",
    }


def review_out(review: PlanReview) -> dict[str, Any]:
    return {
        "id": review.pk,
        "version_number": review.version_number,
        "reviewed_on": review.reviewed_on,
        "result": review.result,
        "time": review.time,
        "resources": review.resources,
        "problems_solved": review.problems_solved,
        "legal_support": review.get_plain_or_erased("legal_support") or "",
        "note": review.get_plain_or_erased("note") or "",
    }


def review_labels(review: PlanReview) -> list[tuple[str, str]]:
    """The four parts of the success evaluation (000 CPTW) with their translated ratings."""
    return [
        (str(_("Result of the activities")), str(ReviewRating(review.result).label)),
        (str(_("Time")), str(ReviewRating(review.time).label)),
        (str(_("Resources")), str(ReviewRating(review.resources).label)),
        (str(_("Problems solved")), str(ReviewRating(review.problems_solved).label)),
    ]


def _activity_out(activity: Activity, *, with_identity: bool) -> dict[str, Any]:
    return {
        "id": activity.pk,
        "description": activity.get_plain_or_erased("description") or "",
        "responsible_kind": activity.responsible_kind,
        "responsible": responsible_label(activity, with_identity=with_identity),
        "responsible_user_id": activity.responsible_user_id,
        "responsible_organisation_id": activity.responsible_organisation_id,
        "starts_on": activity.starts_on,
        "due_on": activity.due_on,
        "review_on": activity.review_on,
        "status": activity.status,
        "not_delivered_reason": activity.not_delivered_reason,
        "version": activity.version,
        "budget": [
            {
                "id": line.pk,
                "units": str(line.units),
                "amount": str(line.amount),
                "currency": line.currency,
                "funding_organisation_id": line.funding_organisation_id,
                "funding": line.funding_label,
            }
            for line in activity.budget_lines.all()
        ],
        "confirmations": [
            confirmation_out(c, with_identity=with_identity) for c in activity.confirmations.all()
        ],
    }


def objective_out(objective: Objective, *, with_identity: bool = True) -> dict[str, Any]:
    return {
        "id": objective.pk,
        "domain": objective.domain,
        "priority": objective.priority,
        "assessment_id": objective.assessment_id,
        "dependant_id": objective.dependant_id if with_identity else None,
        "for_person_in_care": objective.dependant_id is not None,
        "title": objective.get_plain_or_erased("title") or "",
        "need": objective.get_plain_or_erased("need") or "",
        "anticipated_result": objective.get_plain_or_erased("anticipated_result") or "",
        "risk_factors": objective.get_plain_or_erased("risk_factors") or "",
        "indicator": objective.get_plain_or_erased("indicator") or "",
        "target": objective.get_plain_or_erased("target") or "",
        "version": objective.version,
        "activities": [
            _activity_out(activity, with_identity=with_identity)
            for activity in objective.activities.all()
        ],
    }


def _needs_out(view: PlanView) -> list[dict[str, Any]]:
    return [
        {
            "assessment_id": need.assessment_id,
            "domain": need.domain,
            "label": str(need.domain_label),
            "level": need.level,
            "completed_on": need.completed_on,
        }
        for need in view.needs
    ]


def plan_out(view: PlanView) -> dict[str, Any]:
    plan = view.plan
    return {
        "id": plan.pk,
        "case_id": plan.case_id,
        "status": plan.status,
        "version_number": plan.version_number,
        "version": plan.version,
        "ultimate_goal": plan.ultimate_goal,
        "starts_on": plan.starts_on,
        "layout": plan.layout,
        "approving_organisation_id": plan.approving_organisation_id,
        "submitted_at": plan.submitted_at,
        "approved_at": plan.approved_at,
        "stage": plan.stage,
        "stages": [
            {k: row[k] for k in ("key", "decided_by", "done", "current")} for row in view.stages
        ],
        "in_force_since": plan.in_force_since,
        "not_in_force": view.not_in_force,
        "minor": {
            "is_minor": view.minor.is_minor,
            "basis": view.minor.basis,
            "age": view.minor.age,
            "on": view.minor.on,
        },
        "child_consulted": view.child_consulted,
        **{name: plan.get_plain_or_erased(name) or "" for name in PLAN_TEXT_FIELDS},
        "reviews": [review_out(r) for r in view.reviews],
        "is_final": view.is_final,
        "required_signatures": view.required_signatures,
        "missing_signatures": view.missing_signatures,
        "dates": {
            "draft_due_on": view.dates.draft_due_on,
            "next_review_on": view.dates.next_review_on,
            "term_ends_on": view.dates.term_ends_on,
            "max_term_months": view.dates.max_term_months,
            "review_interval_months": view.dates.review_interval_months,
        },
        "progress": {
            "activities": view.progress.total,
            "done": view.progress.done,
            "not_delivered": view.progress.not_delivered,
        },
        "needs": _needs_out(view),
        "exclusions": [
            {"domain": block.code, "reason": block.exclusion}
            for block in view.domains
            if block.exclusion
        ],
        "objectives": [objective_out(o) for o in view.objectives],
        "budget": budget_out(view),
    }


def approval_out(view: PlanView) -> dict[str, Any]:
    """What the approver sees: no name, no contact, no address, no case number."""
    plan = view.plan
    case = plan.case
    return {
        "id": plan.pk,
        "code": case.code,
        "age_band": age_band(case.person.birth_year, on=timezone.localdate()),
        "policy_pack": case.policy_pack,
        "status": plan.status,
        "stage": plan.stage,
        "version_number": plan.version_number,
        "version": plan.version,
        "submitted_at": plan.submitted_at,
        "ultimate_goal": plan.ultimate_goal,
        "needs": _needs_out(view),
        "objectives": [objective_out(o, with_identity=False) for o in view.objectives],
        "budget": budget_out(view),
    }


def version_snapshot(version: PlanVersion) -> dict[str, Any] | None:
    raw = version.get_plain_or_erased("snapshot")
    return json.loads(raw) if raw else None


def compare(plan: Plan, older: int, newer: int | None) -> list[Change]:
    """The changes from version ``older`` to version ``newer``, or to the working copy when
    ``newer`` is None."""
    by_number = {v.number: v for v in versions_of(plan)}
    before = version_snapshot(by_number[older]) if older in by_number else None
    if newer is None:
        after: dict[str, Any] | None = snapshot(plan, objectives_of(plan))
    else:
        after = version_snapshot(by_number[newer]) if newer in by_number else None
    if before is None or after is None:
        return []
    return diff(before, after)


def history(plan: Plan) -> dict[str, Any]:
    return {
        "versions": versions_of(plan),
        "decisions": decisions_of(plan),
        "signatures": signatures_of(plan, plan.version_number),
    }


SIGNATORY_LABELS = dict(Signatory.choices)
PRIORITY_LABELS = dict(Priority.choices)
DOMAIN_LABELS = {**{code: label for code, label in PlanDomain.choices}}


def need_label(domain: str) -> str:
    return str(domain_label(domain))
