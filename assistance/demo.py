"""Demo implementation and assistance (``seed_demo``): a Georgian NGO under the fund's pack
(reused when one exists), one case whose plan the fund approved, its activities carried out,
GEL 1,900 of assistance in the ledger — so a GEL 150 item shows the cap refusal — and the
case manager's report for last month submitted to the fund. Everything goes through the
services; running ``seed_demo`` again changes nothing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.access import Acting, acting_for
from accounts.demo import DEMO_PASSWORD
from accounts.models import Membership, Organisation, OrganisationType, User
from accounts.roles import Discipline, Role
from assistance.models import ExpenditureReport, LedgerItem
from assistance.rules import month_start
from assistance.services import (
    evidence_add,
    expenditure_report_submit,
    implementation_record,
    implementation_transition,
    ledger_acknowledge,
    ledger_item_record,
)
from cases.models import Case
from cases.services import (
    CaseInput,
    case_assign_manager,
    case_register,
    case_update,
    identification_transition,
)
from consent.services import consent_record
from people.services import PersonInput
from plans.demo import plan_sign_on_paper, plan_through_approval
from plans.models import Activity, BudgetLine, Plan
from plans.services import (
    activity_add,
    budget_line_add,
    objective_add,
    plan_create,
    plan_update,
)

DEMO_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# One case, with its plan, in the Georgian NGO.
DEMO_CASES = 1


@dataclass(frozen=True)
class DemoGeorgianAccount:
    username: str
    first_name: str
    last_name: str
    role: Role
    description: str


ACCOUNTS = (
    DemoGeorgianAccount(
        "tamar.case", "Tamar", "Kapanadze", Role.CASE_MANAGER, "case manager in Georgia (ge-fund)"
    ),
    DemoGeorgianAccount(
        "giorgi.super", "Giorgi", "Lomidze", Role.SUPERVISOR, "supervisor in Georgia (ge-fund)"
    ),
)


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf")


def _georgian_ngo() -> Organisation:
    """A ge-fund NGO already seeded by the demo, or a minimal one of our own."""
    existing = (
        Organisation.objects.filter(
            policy_pack="ge-fund",
            is_active=True,
            type__in=[OrganisationType.NGO, OrganisationType.SHELTER],
        )
        .order_by("pk")
        .first()
    )
    if existing is not None:
        return existing
    organisation, _created = Organisation.objects.get_or_create(
        name="Tbilisi Hope Centre (demo NGO)",
        defaults={
            "short_name": "Hope Centre",
            "type": OrganisationType.NGO,
            "country": "GE",
            "policy_pack": "ge-fund",
            "case_prefix": "THC",
        },
    )
    return organisation


def _member(organisation: Organisation, role: Role) -> User:
    """Someone holding ``role`` in the organisation: the existing one, or our demo account."""
    membership = (
        Membership.objects.active()
        .filter(organisation=organisation, role=role)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if membership is not None:
        return membership.user
    spec = next(account for account in ACCOUNTS if account.role == role)
    user, created = User.objects.get_or_create(
        username=spec.username,
        defaults={
            "first_name": spec.first_name,
            "last_name": spec.last_name,
            "language": "ka",
            "email": f"{spec.username}@demo.invalid",
            "is_demo_account": True,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(
        user=user,
        organisation=organisation,
        role=role,
        defaults={"discipline": Discipline.SOCIAL_WORKER if role == Role.CASE_MANAGER else ""},
    )
    return user


def _acting(user: User, organisation: Organisation) -> Acting:
    acting = acting_for(user, organisation)
    if acting is None:
        raise ValueError(f"{user} has no role at {organisation}")
    return acting


def _fresh(case: Case) -> Case:
    return Case.objects.select_related(
        "data_key", "person__data_key", "case_manager", "organisation"
    ).get(pk=case.pk)


@transaction.atomic
def seed_assistance(organisations: dict[str, Organisation]) -> int:
    """Returns the number of ledger items added (0 when already seeded)."""
    fund = organisations.get("fund_ge")
    if fund is None:
        return 0
    ngo = _georgian_ngo()
    if LedgerItem.objects.filter(organisation=ngo).exists():
        return 0
    manager = _member(ngo, Role.CASE_MANAGER)
    supervisor = _member(ngo, Role.SUPERVISOR)
    coordinator = (
        Membership.objects.active()
        .filter(organisation=fund, role=Role.COORDINATOR)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if coordinator is None:
        return 0
    today = timezone.localdate()
    boss = _acting(supervisor, ngo)
    worker = _acting(manager, ngo)
    received = today - datetime.timedelta(days=150)
    case = case_register(
        acting=boss,
        person=PersonInput(
            given_name="მარიამ",
            family_name="გელაშვილი",
            sex="female",
            date_of_birth=received.replace(year=received.year - 24),
            citizenships=["GE"],
            languages=["ka", "ru"],
        ),
        case=CaseInput(received_at=received, emergency_needs="Shelter and medical care."),
        confirmed_not_duplicate=True,
    )
    case = _fresh(case)
    case_update(
        acting=boss,
        case=case,
        expected_version=case.version,
        values={"immediate_needs_met_on": received + datetime.timedelta(days=1)},
    )
    case = _fresh(case)
    case_assign_manager(
        acting=boss,
        case=case,
        case_manager=manager,
        reason="initial",
        expected_version=case.version,
    )
    case = _fresh(case)
    # 001 §3.2 L36: the Fund's pack asks for the consent to assistance in writing.
    consent_record(
        acting=boss,
        case=case,
        purpose="assistance",
        given_by="person",
        method="signed_paper",
        given_on=received,
        document=_pdf("consent.pdf"),
    )
    _identify_formally(boss, case, received)
    plan = _plan_in_force(worker, _acting(coordinator.user, fund), _fresh(case), received)
    return _ledger_and_report(worker, case, plan, today)


def _identify_formally(boss: Acting, case: Case, received: datetime.date) -> None:
    """001 §3.1 L35, §7.2 L68: the Fund's plan starts from the (statutory) victim status, so
    the person is first a presumed victim, then formally identified, with their consent to
    the referral to formal identification (002 Step 2)."""
    consent_record(
        acting=boss,
        case=_fresh(case),
        purpose="formal_identification",
        given_by="person",
        method="signed_paper",
        given_on=received,
        document=_pdf("consent-identification.pdf"),
    )
    case = _fresh(case)
    identification_transition(
        acting=boss,
        case=case,
        to_status="potential",
        decided_on=received,
        expected_version=case.version,
    )
    case = _fresh(case)
    identification_transition(
        acting=boss,
        case=case,
        to_status="identified",
        decided_on=received + datetime.timedelta(days=5),
        identifying_body="Police",
        identifying_authority="Permanent group for the identification of victims",
        decision_document=_pdf("identification-decision.pdf"),
        expected_version=case.version,
    )


def _plan_in_force(worker: Acting, fund: Acting, case: Case, received: datetime.date) -> Plan:
    """A plan taken through the Fund's two stages and signed by everyone required, so it is
    in force (001 §3.4, §7.3-§7.8) before any activity work or spending is recorded."""
    starts = received + datetime.timedelta(days=20)
    plan = plan_create(acting=worker, case=case)
    plan = plan_update(
        acting=worker,
        plan=plan,
        expected_version=plan.version,
        values={
            "ultimate_goal": "independent_living",
            "goal_details": "A job in Kutaisi and a room of her own",
            "starts_on": starts,
        },
    )
    for domain, priority, title, target, action, amount in (
        (
            "employment",
            "necessary",
            "Qualified work as a seamstress",
            "3 months in the same job",
            "Sewing course at the vocational college",
            Decimal("1200"),
        ),
        (
            "accommodation",
            "desired",
            "A safe room of her own",
            "Rent paid for 2 months",
            "Rent of a room in Kutaisi",
            Decimal("700"),
        ),
    ):
        objective = objective_add(
            acting=worker,
            plan=plan,
            values={
                "domain": domain,
                "priority": priority,
                "title": title,
                "need": title,
                "anticipated_result": title,
                "indicator": title,
                "target": target,
            },
        )
        activity = activity_add(
            acting=worker,
            objective=objective,
            values={
                "description": action,
                "responsible_kind": "person",
                "starts_on": starts,
                "due_on": starts + datetime.timedelta(days=180),
            },
        )
        budget_line_add(
            acting=worker,
            activity=activity,
            amount=amount,
            currency="GEL",
            funding_organisation=fund.organisation,
        )
    today = timezone.localdate()
    plan = plan_through_approval(plan, worker=worker, approver=fund, confirmed_on=today)
    return plan_sign_on_paper(plan, acting=worker, signed_on=today)


def _ledger_and_report(worker: Acting, case: Case, plan: Plan, today: datetime.date) -> int:
    lines = list(
        BudgetLine.objects.filter(activity__objective__plan=plan)
        .select_related("activity__objective__plan__case", "funding_organisation")
        .order_by("id")
    )
    course, rent = lines
    last_month = month_start(month_start(today) - datetime.timedelta(days=1))
    items = [
        (course, "scholarship", "lump_sum", Decimal("1200"), last_month, "Course fee"),
        (rent, "rent", "month", Decimal("350"), last_month + datetime.timedelta(days=4), ""),
        (
            rent,
            "rent",
            "month",
            Decimal("350"),
            month_start(today),
            "Second month of the room",
        ),
    ]
    recorded = []
    for line, category, unit, amount, given_on, description in items:
        recorded.append(
            ledger_item_record(
                acting=worker,
                case=case,
                values={
                    "category": category,
                    "given_on": given_on,
                    "quantity": Decimal(1),
                    "unit": unit,
                    "amount": amount,
                    "currency": "GEL",
                    "budget_line": line,
                },
                description=description,
            )
        )
    recorded.append(
        ledger_item_record(
            acting=worker,
            case=case,
            values={
                "category": "clothing",
                "given_on": last_month + datetime.timedelta(days=9),
                "quantity": Decimal(2),
                "unit": "package",
                "amount": Decimal("80"),
                "currency": "GEL",
                "provision": "in_kind",
                "funding_source_name": "Donation of a local shop",
            },
            description="Winter clothes",
            off_plan_reason="Winter clothes donated in kind",
        )
    )
    for index, item in enumerate(recorded):
        ledger_acknowledge(
            acting=worker,
            item=item,
            expected_version=item.version,
            method="paper" if index == 0 else "on_screen",
            acknowledged_on=item.given_on,
            upload=_pdf("receipt-signed.pdf") if index == 0 else None,
        )
    activity = (
        Activity.objects.select_related("objective__plan__case", "data_key")
        .filter(pk=course.activity_id)
        .get()
    )
    implementation_record(
        acting=worker,
        activity=activity,
        expected_version=0,
        values={
            "actual_start": last_month,
            "actual_end": last_month + datetime.timedelta(days=20),
            "result": "Finished the course with a certificate; works at a tailoring workshop",
            "delivered_by": "person",
            "value_reached": "3",
        },
    )
    evidence_add(acting=worker, activity=activity, upload=_pdf("certificate.pdf"))
    implementation_transition(
        acting=worker, activity=activity, expected_version=activity.version, status="done"
    )
    rent_activity = Activity.objects.select_related("objective__plan__case").get(
        pk=rent.activity_id
    )
    implementation_transition(
        acting=worker,
        activity=rent_activity,
        expected_version=rent_activity.version,
        status="in_progress",
    )
    if not ExpenditureReport.objects.filter(
        organisation=worker.organisation, case_manager=worker.user, month=last_month
    ).exists():
        expenditure_report_submit(acting=worker, month=last_month, reviewed=True)
    return len(recorded)
