"""Demo plans (``seed_demo``): two cases of the demo NGO in Moldova get a plan drafted,
budgeted and submitted through the services, one of them signed on paper. Cases that
already have a plan, or no consent to assistance, are left alone, so running ``seed_demo``
again changes nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.access import Acting, acting_for
from accounts.models import Organisation
from cases.models import Case, CaseStatus
from consent.models import ConsentPurpose
from consent.services import current_consent
from plans.codes import PlanDomain, PlanStatus, ResponsibleKind
from plans.models import Activity, Plan
from plans.selectors import assessed_needs
from plans.services import (
    activity_add,
    activity_confirm,
    budget_line_add,
    domain_exclusion_set,
    objective_add,
    plan_create,
    plan_decide,
    plan_submit,
    plan_update,
    signature_record_paper,
    signature_state,
)

DEMO_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PLANS_PER_ORGANISATION = 2

# (domain, priority, objective, need, activity, responsible kind, amount in MDL); other
# currencies give their own amounts in ORGANISATION_PLANS.
OBJECTIVES = (
    (
        "employment",
        "necessary",
        "Stable income from work",
        "No income and no vocational qualification",
        "Tailoring course at the vocational school",
        "person",
        Decimal("3500"),
    ),
    (
        "psychosocial",
        "necessary",
        "Sleeps through the night without nightmares",
        "Sleep disturbed since return",
        "Weekly counselling sessions",
        "staff",
        Decimal("0"),
    ),
    (
        "family",
        "desired",
        "Regular contact with her mother",
        "Relationship with the family broken",
        "Family mediation meeting in the home village",
        "family_member",
        Decimal("600"),
    ),
)


# Per demo organisation: plans to draft, the budget currency, the amount of each objective in
# OBJECTIVES, and whether the first plan is signed on paper at once. The Georgian amounts stay
# under the State Fund's cap of GEL 2,000, and its plans are signed after the fund approves
# them (ge-fund), so the demo leaves that to the fund's coordinator.
ORGANISATION_PLANS = {
    "ngo_md": (
        PLANS_PER_ORGANISATION,
        "MDL",
        (Decimal("3500"), Decimal("0"), Decimal("600")),
        True,
    ),
    "ngo_ge": (1, "GEL", (Decimal("1200"), Decimal("0"), Decimal("300")), False),
}


@transaction.atomic
def seed_plans(organisations: dict[str, Organisation]) -> int:
    created = 0
    for key, (wanted, currency, amounts, sign) in ORGANISATION_PLANS.items():
        organisation = organisations.get(key)
        if organisation is not None:
            created += _seed_organisation_plans(organisation, wanted, currency, amounts, sign)
    return created


def _seed_organisation_plans(
    organisation: Organisation,
    wanted: int,
    currency: str,
    amounts: tuple[Decimal, ...],
    sign: bool,
) -> int:
    created = 0
    candidates = (
        Case.objects.filter(
            organisation=organisation, status=CaseStatus.OPEN, case_manager__isnull=False
        )
        .select_related("data_key", "person__data_key", "case_manager")
        .order_by("pk")
    )
    for case in candidates:
        if created >= wanted:
            break
        if Plan.objects.filter(case=case).exists():
            created += 1
            continue
        if current_consent(case, ConsentPurpose.ASSISTANCE) is None:
            continue
        _plan_for(
            case, organisation, signed=sign and created == 0, currency=currency, amounts=amounts
        )
        created += 1
    return created


def _plan_for(
    case: Case,
    organisation: Organisation,
    *,
    signed: bool,
    currency: str,
    amounts: tuple[Decimal, ...],
) -> None:
    acting = acting_for(case.case_manager, organisation)
    if acting is None:
        return
    today = timezone.localdate()
    plan = plan_create(acting=acting, case=case)
    plan = plan_update(
        acting=acting,
        plan=plan,
        expected_version=plan.version,
        values={
            "ultimate_goal": "family",
            "goal_details": "Return home and live from her own work",
            "starts_on": today,
        },
    )
    for (domain, priority, title, need, action, kind, _mdl), amount in zip(
        OBJECTIVES, amounts, strict=True
    ):
        objective = objective_add(
            acting=acting,
            plan=plan,
            values={
                "domain": domain,
                "priority": priority,
                "title": title,
                "need": need,
                "anticipated_result": title,
                "indicator": title,
                "target": "within six months",
            },
        )
        activity = activity_add(
            acting=acting,
            objective=objective,
            values={
                "description": action,
                "responsible_kind": kind,
                "responsible_user": case.case_manager if kind == "staff" else None,
                "responsible_name": "Her mother" if kind == "family_member" else "",
                "starts_on": today,
                "due_on": today + datetime.timedelta(days=120),
            },
        )
        if amount:
            budget_line_add(
                acting=acting,
                activity=activity,
                amount=amount,
                currency=currency,
                funding_organisation=organisation,
            )
    covered = {domain for domain, *_rest in OBJECTIVES}
    for assessed in assessed_needs(case):
        if assessed.domain in PlanDomain.values and assessed.domain not in covered:
            # 002 L1151-L1157: an assessed domain left out of the plan says why.
            domain_exclusion_set(
                acting=acting,
                plan=plan,
                domain=assessed.domain,
                reason="Provided by the state service outside this plan",
            )
    plan = Plan.objects.select_related("data_key", "case").get(pk=plan.pk)
    plan = plan_submit(acting=acting, plan=plan, expected_version=plan.version)
    if signed:
        signature_record_paper(
            acting=acting,
            plan=plan,
            role="person",
            signer_name=case.person.full_name or "",
            signed_on=today,
            upload=SimpleUploadedFile("signed-plan.pdf", DEMO_PDF, content_type="application/pdf"),
        )
        # The case manager's signature too: the plan is then in force (001 §7.8); the other
        # demo plan stays approved but unsigned, so the page shows what is missing.
        signature_record_paper(
            acting=acting,
            plan=plan,
            role="case_manager",
            signer_name=acting.user.get_full_name() or acting.user.username,
            signed_on=today,
            upload=SimpleUploadedFile("signed-plan.pdf", DEMO_PDF, content_type="application/pdf"),
        )


def _reloaded(plan: Plan) -> Plan:
    return Plan.objects.select_related("data_key", "case").get(pk=plan.pk)


def plan_through_approval(
    plan: Plan,
    *,
    worker: Acting,
    approver: Acting,
    confirmed_on: datetime.date,
) -> Plan:
    """Take a drafted plan through every stage its pack names, through the services: under
    ge-fund the Fund agrees the initial plan, the providers of activities other
    organisations deliver confirm them, and the Fund approves the final plan (001 §3.4,
    §7.3-§7.6). Under a pack where nobody approves, the submission makes the plan final."""
    plan = _reloaded(plan)
    while plan.status != PlanStatus.APPROVED:
        if plan.status == PlanStatus.AGREED:
            unconfirmed = (
                Activity.objects.filter(
                    objective__plan=plan,
                    responsible_kind=ResponsibleKind.ORGANISATION,
                    confirmations__isnull=True,
                )
                .select_related("objective__plan__case", "responsible_organisation")
                .order_by("pk")
            )
            for activity in unconfirmed:
                # 001 §7.5-§7.6: the provider's positive answer, recorded from its letter.
                activity_confirm(
                    acting=worker,
                    activity=activity,
                    confirmed_on=confirmed_on,
                    provider=activity.responsible_organisation,
                    provider_name=""
                    if activity.responsible_organisation
                    else activity.get_plain_or_erased("responsible_name") or "Provider",
                    note="Confirmed in writing by the provider",
                )
            plan = _reloaded(plan)
        plan = plan_submit(acting=worker, plan=plan, expected_version=plan.version)
        if plan.status != PlanStatus.APPROVED:
            plan = plan_decide(
                acting=approver, plan=plan, expected_version=plan.version, decision="approved"
            )
        plan = _reloaded(plan)
    return plan


def plan_sign_on_paper(plan: Plan, *, acting: Acting, signed_on: datetime.date) -> Plan:
    """Record every missing signature of the approved version on paper, so the plan comes
    into force (001 §7.8; 002 L1187-L1189)."""
    plan = _reloaded(plan)
    for role in list(signature_state(plan)[1]):
        signature_record_paper(
            acting=acting,
            plan=plan,
            role=role,
            signer_name=(
                (plan.case.person.full_name or "")
                if role == "person"
                else acting.user.get_full_name() or acting.user.username
            )
            if role in ("person", "case_manager")
            else f"Signatory ({role})",
            signed_on=signed_on,
            upload=SimpleUploadedFile("signed-plan.pdf", DEMO_PDF, content_type="application/pdf"),
        )
        plan = _reloaded(plan)
    return plan
