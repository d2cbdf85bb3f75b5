"""Reads of plans. Views and the API fetch the case through ``accounts.access.get_case_for``
(or the approver's rule ``plans_for_approval``) first and then read its plan here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from accounts.models import Membership, Organisation, OrganisationType, User
from accounts.roles import Role
from assessments.definitions import NeedLevel
from assessments.models import Assessment
from assessments.selectors import AssessedNeed, needs_for_case
from people.models import RelatedPerson
from plans.codes import PlanDomain
from plans.models import (
    Activity,
    ActivityConfirmation,
    BudgetLine,
    Objective,
    OrganisationPlanSettings,
    Plan,
    PlanDecision,
    PlanReview,
    PlanSignature,
    PlanVersion,
)
from plans.rules import LineAmount

if TYPE_CHECKING:
    from accounts.access import Acting
    from cases.models import Case


def plan_of(case: Case) -> Plan | None:
    return (
        Plan.objects.select_related("data_key", "approving_organisation", "case")
        .filter(case=case)
        .first()
    )


def require_plan(case: Case) -> Plan:
    plan = plan_of(case)
    if plan is None:
        raise Http404
    return plan


def objectives_of(plan: Plan) -> list[Objective]:
    """Objectives with their activities, responsible parties, budget lines and provider
    confirmations: four queries whatever the size of the plan."""
    activities = Activity.objects.select_related(
        "data_key", "responsible_user", "responsible_organisation"
    ).prefetch_related(
        Prefetch(
            "budget_lines",
            queryset=BudgetLine.objects.select_related("funding_organisation", "data_key"),
        ),
        Prefetch(
            "confirmations",
            queryset=ActivityConfirmation.objects.select_related("data_key", "provider"),
        ),
    )
    return list(
        Objective.objects.filter(plan=plan)
        .select_related("data_key", "dependant")
        .prefetch_related(Prefetch("activities", queryset=activities))
    )


def budget_amounts(objectives: list[Objective]) -> list[LineAmount]:
    return [
        LineAmount(
            amount=line.amount,
            currency=line.currency,
            priority=objective.priority,
            domain=objective.domain,
            funding=line.funding_label,
        )
        for objective in objectives
        for activity in objective.activities.all()
        for line in activity.budget_lines.all()
    ]


def objective_of(plan: Plan, objective_id: int) -> Objective:
    objective = (
        Objective.objects.select_related("data_key").filter(plan=plan, pk=objective_id).first()
    )
    if objective is None:
        raise Http404
    return objective


def activity_of(plan: Plan, activity_id: int) -> Activity:
    activity = (
        Activity.objects.select_related("data_key", "objective")
        .filter(objective__plan=plan, pk=activity_id)
        .first()
    )
    if activity is None:
        raise Http404
    return activity


def budget_line_of(plan: Plan, line_id: int) -> BudgetLine:
    line = (
        BudgetLine.objects.select_related("activity")
        .filter(activity__objective__plan=plan, pk=line_id)
        .first()
    )
    if line is None:
        raise Http404
    return line


def versions_of(plan: Plan) -> list[PlanVersion]:
    return list(
        PlanVersion.objects.filter(plan=plan).select_related(
            "data_key", "started_by", "approved_by"
        )
    )


def version_of(plan: Plan, number: int) -> PlanVersion:
    version = (
        PlanVersion.objects.select_related("data_key").filter(plan=plan, number=number).first()
    )
    if version is None:
        raise Http404
    return version


def signatures_of(plan: Plan, version_number: int) -> list[PlanSignature]:
    return list(
        PlanSignature.objects.filter(plan=plan, version_number=version_number).select_related(
            "data_key", "user"
        )
    )


def signature_of(plan: Plan, signature_id: int) -> PlanSignature:
    signature = (
        PlanSignature.objects.select_related("data_key").filter(plan=plan, pk=signature_id).first()
    )
    if signature is None:
        raise Http404
    return signature


def decisions_of(plan: Plan) -> list[PlanDecision]:
    return list(
        PlanDecision.objects.filter(plan=plan).select_related(
            "data_key", "decided_by", "organisation"
        )
    )


def coordinating_fund_for(case: Case) -> Organisation | None:
    """The state fund that approves final plans under the case's pack (001 §3.4(b)): an
    active state-fund organisation working under the same pack, in the case's country first."""
    funds = Organisation.objects.filter(
        type=OrganisationType.STATE_FUND, policy_pack=case.policy_pack, is_active=True
    )
    return (
        funds.filter(country=case.organisation.country).order_by("pk").first()
        or funds.order_by("pk").first()
    )


def first_member_with_role(organisation: Organisation, role: Role) -> User | None:
    """Whose "my work" the approval item lands in; any holder of the role may decide."""
    membership = (
        Membership.objects.active()
        .filter(organisation=organisation, role=role)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def staff_of(organisation: Organisation) -> QuerySet[User]:
    """Staff who may be named responsible for an activity."""
    return (
        User.objects.filter(
            memberships__in=Membership.objects.active().filter(
                organisation=organisation,
                role__in=[Role.CASE_MANAGER, Role.SPECIALIST, Role.SUPERVISOR],
            )
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


def organisations_for_choice() -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_active=True).order_by("name")


def layout_for(organisation: Organisation) -> str:
    settings_row = OrganisationPlanSettings.objects.filter(organisation=organisation).first()
    return settings_row.layout if settings_row else OrganisationPlanSettings().layout


def settings_for(organisation: Organisation) -> OrganisationPlanSettings:
    return OrganisationPlanSettings.objects.filter(
        organisation=organisation
    ).first() or OrganisationPlanSettings(organisation=organisation)


def assessed_needs(case: Case) -> list[AssessedNeed]:
    """The domains where the latest completed assessment concluded a need (level above
    "none"); each must get an objective or a reason why not (002 L1151-L1157)."""
    return [need for need in needs_for_case(case) if need.level != NeedLevel.NONE]


def plan_domain_for(assessment_domain: str) -> str:
    """Assessment domains are plan domains, except the comprehensive forms, whose
    conclusions the worker files under the domain they choose."""
    return assessment_domain if assessment_domain in PlanDomain.values else PlanDomain.OTHER


def submitted_plans(queryset: QuerySet[Plan]) -> QuerySet[Plan]:
    return queryset.select_related("case", "case__person", "organisation", "data_key").order_by(
        "submitted_at", "pk"
    )


def plan_for_approver(queryset: QuerySet[Plan], plan_id: int) -> Plan:
    plan = (
        queryset.select_related("case", "case__person", "organisation", "data_key")
        .filter(pk=plan_id)
        .first()
    )
    if plan is None:
        raise Http404
    return plan


def plan_row_for_update(plan: Plan) -> Plan:
    return Plan.objects.select_for_update().select_related("data_key", "case").get(pk=plan.pk)


def acting_approves(acting: Acting, plan: Plan) -> bool:
    from accounts.access import may_decide_plan

    return may_decide_plan(acting, plan)


def dependants_of(case: Case) -> list[RelatedPerson]:
    """Persons in the care of the person (000 annex: they get their own objectives)."""
    return list(
        RelatedPerson.objects.filter(person_id=case.person_id, is_dependant=True).select_related(
            "data_key"
        )
    )


def dependant_of(case: Case, dependant_id: int | None) -> RelatedPerson | None:
    if dependant_id is None:
        return None
    return (
        RelatedPerson.objects.filter(person_id=case.person_id, is_dependant=True, pk=dependant_id)
        .select_related("data_key")
        .first()
    )


def assessment_of(case: Case, assessment_id: int | None) -> Assessment | None:
    if assessment_id is None:
        return None
    return Assessment.objects.filter(case=case, pk=assessment_id).first()


def reviews_of(plan: Plan) -> list[PlanReview]:
    """The plan's reviews with their success evaluation, newest first (one query)."""
    return list(PlanReview.objects.filter(plan=plan).select_related("data_key", "recorded_by"))


def latest_own_view(case: Case) -> Any:
    """The person's own view from the latest assessment round that recorded one (000 IOM
    parts II-III), with its problem ranking; None when none was recorded."""
    from assessments.models import ComprehensiveAssessment, ProblemRank

    return (
        ComprehensiveAssessment.objects.filter(case=case)
        .select_related("data_key")
        .prefetch_related(
            Prefetch("problems", queryset=ProblemRank.objects.select_related("data_key"))
        )
        .order_by("-round")
        .first()
    )


def accepted_referrals_of(case: Case) -> list[tuple[int, str]]:
    """The case's referrals a provider accepted (or is delivering), as choices for a provider
    confirmation (001 §7.5-§7.6): recipient, service category and date, no case data."""
    from referrals.models import Referral

    referrals = (
        Referral.objects.filter(case=case, status__in=("accepted", "in_progress", "completed"))
        .select_related("recipient")
        .order_by("-sent_at", "-id")[:100]
    )
    return [
        (referral.pk, f"{referral.recipient.name} — {referral.get_category_display()}")
        for referral in referrals
    ]
