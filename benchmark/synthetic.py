"""Later stages of case work for invented cases: assessments, plans with activities and
budget lines, referrals with their sharing consents (``generate_synthetic``).

``cases.synthetic.generate`` creates the persons and cases and calls :class:`CaseWorkGenerator`
once per batch, inside the batch's transaction. Everything is bulk-inserted, free text
encrypted with the case's data key through the models' own helpers (``set_plain``), and the
milestones each stage records are handed back so that the deadline engine derives the same
work items the services would have stored.

Shares follow the life of a case: most managed cases are assessed within weeks of reception,
most assessed ones get a plan (approved after a few months, otherwise a draft or waiting for
approval), and about two in five are referred to another organisation — to another case-work
organisation (a shelter place, a partner NGO) or to a service provider in the directory.
"""

from __future__ import annotations

import datetime
import random
import uuid
from collections.abc import Sequence
from decimal import Decimal

from django.utils import timezone

from accounts.models import Membership, Organisation
from accounts.roles import Discipline, Role
from assessments.definitions import AssessmentDomain, NeedLevel
from assessments.models import (
    Assessment,
    AssessmentStatus,
    ComprehensiveAssessment,
    ProblemRank,
    RoundStatus,
)
from assessments.selectors import latest_forms
from cases.synthetic import GeneratedCase
from consent.models import Consent, ConsentGivenBy, ConsentMethod, ConsentPurpose
from plans.codes import (
    ActivityStatus,
    DecisionKind,
    PlanDomain,
    PlanStatus,
    Priority,
    ResponsibleKind,
    UltimateGoal,
)
from plans.models import Activity, BudgetLine, Objective, Plan, PlanDecision, PlanVersion
from plans.selectors import layout_for
from referrals.models import (
    Referral,
    ReferralSection,
    ReferralStatus,
    SharedSection,
    UnmetNeed,
    UnmetReason,
    UnmetSource,
    Urgency,
)
from services.models import Service, ServiceCategory
from work.models import CaseMilestone, MilestoneKind

CURRENCY = {"MD": "MDL", "GE": "GEL", "AL": "ALL", "RO": "RON"}
OBJECTIVES = {
    PlanDomain.SECURITY: "Feel safe at home and on the way to work",
    PlanDomain.ACCOMMODATION: "Move to a rented flat of her own",
    PlanDomain.LEGAL: "Obtain new identity papers and follow the criminal case",
    PlanDomain.HEALTH: "Complete the medical treatment started at the clinic",
    PlanDomain.EMPLOYMENT: "Find stable paid work after a vocational course",
    PlanDomain.PSYCHOSOCIAL: "Reduce anxiety and rebuild confidence",
    PlanDomain.FAMILY: "Restore contact with the family",
    PlanDomain.EDUCATION: "Return to school or finish a course",
    PlanDomain.PRE_DEPARTURE: "Prepare a safe return",
    PlanDomain.OTHER: "Build a support network in the community",
}
ACTIVITIES = [
    "Accompany to the appointment and follow up by phone",
    "Pay the first three months of rent",
    "Enrol in the tailoring course at the vocational school",
    "Weekly counselling sessions with the psychologist",
    "Apply for the identity card at the civil registry",
    "Meet the lawyer before the hearing",
    "Buy school supplies for the child",
    "Family mediation meeting",
]
PROBLEMS = [
    "No income since returning",
    "Afraid of the recruiter who lives nearby",
    "No identity documents",
    "Sleep problems and anxiety",
    "Conflict with the family about the debt",
]
PURPOSES = [
    "Safe accommodation for the coming weeks",
    "Medical examination and treatment",
    "Legal representation in the criminal case",
    "Vocational course and job placement",
    "Psychological counselling",
]
# Where a referral asks for a service, by the recipient organisation's type.
CATEGORY_OF_TYPE = {
    "shelter": ServiceCategory.SHELTER,
    "health": ServiceCategory.MEDICAL,
    "police": ServiceCategory.PROTECTION,
    "state_authority": ServiceCategory.LEGAL_AID,
    "ngo": ServiceCategory.PSYCHOLOGICAL,
}


def _day(
    rng: random.Random, start: datetime.date, low: int, high: int, limit: datetime.date
) -> datetime.date:
    """A day ``low``-``high`` days after ``start``, never after ``limit`` (today, closure)."""
    return min(limit, start + datetime.timedelta(days=rng.randint(low, high)))


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


class CaseWorkGenerator:
    """Called once per batch of new cases; loads the forms, organisations and services once."""

    def __init__(self) -> None:
        by_domain: dict[str, object] = {}
        for form in latest_forms():
            if form.domain != AssessmentDomain.COMPREHENSIVE:
                by_domain.setdefault(form.domain, form)
        self.forms = list(by_domain.values())
        self.organisations = list(Organisation.objects.filter(is_active=True).order_by("pk"))
        working = set(
            Membership.objects.active()
            .filter(role__in=[Role.CASE_MANAGER, Role.SUPERVISOR])
            .values_list("organisation_id", flat=True)
        )
        self.case_work_organisations = [o for o in self.organisations if o.pk in working]
        self.providers = [
            o for o in self.organisations if o.pk not in working and o.type != "other"
        ]
        self.services: dict[int, list[Service]] = {}
        for service in Service.objects.filter(organisation__in=self.organisations).order_by("pk"):
            self.services.setdefault(service.organisation_id, []).append(service)

    def __call__(
        self, rng: random.Random, cases: Sequence[GeneratedCase], today: datetime.date
    ) -> dict[int, list[CaseMilestone]]:
        milestones: dict[int, list[CaseMilestone]] = {item.case.pk: [] for item in cases}
        assessed = self._assessments(rng, cases, today, milestones)
        self._plans(rng, assessed, today, milestones)
        self._referrals(rng, cases, today, milestones)
        return milestones

    # ------------------------------------------------------------ assessments

    def _assessments(
        self,
        rng: random.Random,
        cases: Sequence[GeneratedCase],
        today: datetime.date,
        milestones: dict[int, list[CaseMilestone]],
    ) -> list[tuple[GeneratedCase, list[Assessment]]]:
        rounds: list[tuple[GeneratedCase, ComprehensiveAssessment, list[Assessment]]] = []
        for item in cases:
            case = item.case
            last_day = item.closed_on or today
            if case.case_manager is None or (last_day - case.received_at).days < 14:
                continue
            if rng.random() >= 0.8:
                continue
            started = _day(rng, case.received_at, 2, 10, today)
            complete = (last_day - case.received_at).days >= 45 and rng.random() < 0.92
            comprehensive = ComprehensiveAssessment(
                uuid=uuid.uuid4(),
                case=case,
                data_key=case.data_key,
                status=RoundStatus.COMPLETED if complete else RoundStatus.OPEN,
                started_on=started,
                due_on=case.received_at
                + datetime.timedelta(days=item.rules.assessment.comprehensive_due_days or 14),
                started_by=case.case_manager,
            )
            comprehensive.set_plain("own_view", "Wants to work and live on her own, near family.")
            domains: list[Assessment] = []
            finished = started
            for form in rng.sample(self.forms, k=min(len(self.forms), rng.randint(3, 5))):
                done = complete or rng.random() < 0.4
                completed_on = _day(rng, started, 3, 25, last_day) if done else None
                assessment = Assessment(
                    uuid=uuid.uuid4(),
                    case=case,
                    data_key=case.data_key,
                    form_code=form.code,  # type: ignore[attr-defined]
                    form_version=form.version,  # type: ignore[attr-defined]
                    domain=form.domain,  # type: ignore[attr-defined]
                    assigned_to=case.case_manager,
                    discipline=Discipline.SOCIAL_WORKER,
                    assigned_by=case.case_manager,
                    assigned_on=started,
                    status=AssessmentStatus.COMPLETED if done else AssessmentStatus.ASSIGNED,
                    need_level=rng.choices(NeedLevel.values, weights=[10, 25, 35, 22, 8])[0]
                    if done
                    else "",
                    author=case.case_manager if done else None,
                    completed_on=completed_on,
                )
                if done:
                    assessment.set_plain("evidence", "Interview with the person and the file.")
                    finished = max(finished, completed_on or finished)
                domains.append(assessment)
            if complete:
                comprehensive.completed_on = finished
            rounds.append((item, comprehensive, domains))
        ComprehensiveAssessment.objects.bulk_create([r[1] for r in rounds], batch_size=2000)
        for _item, comprehensive, domains in rounds:
            for assessment in domains:
                assessment.comprehensive = comprehensive
        Assessment.objects.bulk_create([a for r in rounds for a in r[2]], batch_size=2000)
        problems: list[ProblemRank] = []
        for item, comprehensive, domains in rounds:
            case = item.case
            for assessment in domains:
                milestones[case.pk].append(
                    CaseMilestone(
                        case=case,
                        kind=MilestoneKind.ASSESSMENT_ASSIGNED,
                        occurred_on=assessment.assigned_on,
                        ref=assessment.domain,
                        responsible=assessment.assigned_to,
                        recorded_by=case.case_manager,
                    )
                )
                if assessment.completed_on is not None:
                    milestones[case.pk].append(
                        CaseMilestone(
                            case=case,
                            kind=MilestoneKind.ASSESSMENT_COMPLETED,
                            occurred_on=assessment.completed_on,
                            ref=assessment.domain,
                            recorded_by=case.case_manager,
                        )
                    )
            if comprehensive.status == RoundStatus.COMPLETED:
                for position, assessment in enumerate(domains[:3], start=1):
                    problem = ProblemRank(
                        uuid=uuid.uuid4(),
                        comprehensive=comprehensive,
                        data_key=case.data_key,
                        position=position,
                        domain=assessment.domain,
                    )
                    problem.set_plain("problem", rng.choice(PROBLEMS))
                    problems.append(problem)
        ProblemRank.objects.bulk_create(problems, batch_size=2000)
        return [(r[0], r[2]) for r in rounds if r[1].status == RoundStatus.COMPLETED]

    # ------------------------------------------------------------ plans

    def _plans(
        self,
        rng: random.Random,
        assessed: list[tuple[GeneratedCase, list[Assessment]]],
        today: datetime.date,
        milestones: dict[int, list[CaseMilestone]],
    ) -> None:
        layouts: dict[int, str] = {}
        plans: list[tuple[GeneratedCase, Plan, list[Assessment], datetime.date]] = []
        for item, domains in assessed:
            if rng.random() >= 0.85:
                continue
            case = item.case
            last_day = item.closed_on or today
            started = _day(
                rng, max(a.completed_on or case.received_at for a in domains), 1, 14, today
            )
            age = (last_day - case.received_at).days
            status = (
                PlanStatus.APPROVED
                if age >= 90
                else rng.choices([PlanStatus.DRAFT, PlanStatus.SUBMITTED], weights=[70, 30])[0]
            )
            organisation = item.organisation
            if organisation.pk not in layouts:
                layouts[organisation.pk] = layout_for(organisation)
            plan = Plan(
                uuid=uuid.uuid4(),
                case=case,
                organisation=organisation,
                data_key=case.data_key,
                status=status,
                ultimate_goal=rng.choice(UltimateGoal.values),
                starts_on=started,
                layout=layouts[organisation.pk],
                created_by=case.case_manager,
            )
            plan.set_plain("goal_details", "Independent life near her family, with stable work.")
            if status != PlanStatus.DRAFT:
                plan.submitted_at = _at(_day(rng, started, 3, 20, last_day))
                plan.submitted_by = case.case_manager
                if status == PlanStatus.SUBMITTED:
                    plan.approving_organisation = organisation
            if status == PlanStatus.APPROVED and plan.submitted_at is not None:
                plan.approved_at = plan.submitted_at + datetime.timedelta(days=rng.randint(1, 10))
                # Volume stands for signed plans: the term and reviews run from approval.
                plan.in_force_since = timezone.localdate(plan.approved_at)
            plans.append((item, plan, domains, started))
        Plan.objects.bulk_create([p[1] for p in plans], batch_size=2000)
        versions: list[PlanVersion] = []
        decisions: list[PlanDecision] = []
        objectives: list[tuple[Objective, GeneratedCase, datetime.date]] = []
        for item, plan, domains, started in plans:
            case = item.case
            versions.append(
                PlanVersion(
                    uuid=uuid.uuid4(),
                    plan=plan,
                    number=1,
                    data_key=case.data_key,
                    started_by=case.case_manager,
                    started_at=_at(started),
                    approved_at=plan.approved_at,
                    approved_by=item.supervisor if plan.approved_at else None,
                )
            )
            if plan.submitted_at is not None:
                milestones[case.pk].append(
                    CaseMilestone(
                        case=case,
                        kind=MilestoneKind.PLAN_SUBMITTED,
                        occurred_on=timezone.localdate(plan.submitted_at),
                        responsible=item.supervisor,
                        recorded_by=case.case_manager,
                    )
                )
            if plan.approved_at is not None:
                decisions.append(
                    PlanDecision(
                        uuid=uuid.uuid4(),
                        plan=plan,
                        data_key=case.data_key,
                        version_number=1,
                        decision=DecisionKind.APPROVED,
                        decided_by=item.supervisor,
                        organisation=item.organisation,
                        decided_at=plan.approved_at,
                    )
                )
                milestones[case.pk].append(
                    CaseMilestone(
                        case=case,
                        kind=MilestoneKind.PLAN_APPROVED,
                        occurred_on=timezone.localdate(plan.approved_at),
                        recorded_by=item.supervisor,
                    )
                )
            needs = [a for a in domains if a.need_level in ("medium", "high", "urgent")] or domains
            for position, assessment in enumerate(needs[: rng.randint(2, 4)]):
                domain = (
                    PlanDomain(assessment.domain)
                    if assessment.domain in PlanDomain.values
                    else PlanDomain.OTHER
                )
                objective = Objective(
                    uuid=uuid.uuid4(),
                    plan=plan,
                    data_key=case.data_key,
                    domain=domain,
                    assessment=assessment,
                    priority=rng.choices(Priority.values, weights=[75, 25])[0],
                    position=position,
                )
                objective.set_plain("title", OBJECTIVES.get(domain, OBJECTIVES[PlanDomain.OTHER]))
                objective.set_plain("need", rng.choice(PROBLEMS))
                objectives.append((objective, item, started))
        PlanVersion.objects.bulk_create(versions, batch_size=2000)
        PlanDecision.objects.bulk_create(decisions, batch_size=2000)
        Objective.objects.bulk_create([o[0] for o in objectives], batch_size=2000)
        activities: list[tuple[Activity, GeneratedCase]] = []
        for objective, item, started in objectives:
            for position in range(rng.randint(1, 3)):
                starts_on = _day(rng, started, 0, 30, started + datetime.timedelta(days=60))
                due_on = starts_on + datetime.timedelta(days=rng.randint(14, 180))
                past = due_on < (item.closed_on or today)
                activity = Activity(
                    uuid=uuid.uuid4(),
                    objective=objective,
                    data_key=item.case.data_key,
                    responsible_kind=ResponsibleKind.STAFF,
                    responsible_user=item.case.case_manager,
                    starts_on=starts_on,
                    due_on=due_on,
                    status=rng.choices(
                        [ActivityStatus.DONE, ActivityStatus.IN_PROGRESS, ActivityStatus.CANCELLED],
                        weights=[80, 12, 8],
                    )[0]
                    if past
                    else rng.choice([ActivityStatus.PLANNED, ActivityStatus.IN_PROGRESS]),
                    position=position,
                )
                activity.set_plain("description", rng.choice(ACTIVITIES))
                activities.append((activity, item))
        Activity.objects.bulk_create([a[0] for a in activities], batch_size=2000)
        lines: list[BudgetLine] = []
        for activity, item in activities:
            if rng.random() >= 0.45:
                continue
            currency = self._currency(item)
            for _ in range(rng.randint(1, 2)):
                lines.append(
                    BudgetLine(
                        uuid=uuid.uuid4(),
                        activity=activity,
                        data_key=item.case.data_key,
                        units=Decimal(rng.randint(1, 3)),
                        amount=Decimal(rng.randint(5, 60) * 10),
                        currency=currency,
                        funding_organisation=item.organisation,
                    )
                )
        BudgetLine.objects.bulk_create(lines, batch_size=5000)

    @staticmethod
    def _currency(item: GeneratedCase) -> str:
        cap = item.rules.plan.budget_cap
        if cap is not None:
            return str(cap.currency)
        return CURRENCY.get(item.organisation.country, "EUR")

    # ------------------------------------------------------------ referrals

    def _referrals(
        self,
        rng: random.Random,
        cases: Sequence[GeneratedCase],
        today: datetime.date,
        milestones: dict[int, list[CaseMilestone]],
    ) -> None:
        made: list[tuple[Referral, GeneratedCase, list[str]]] = []
        consents: list[Consent] = []
        for item in cases:
            case = item.case
            last_day = item.closed_on or today
            if case.case_manager is None or (last_day - case.received_at).days < 7:
                continue
            if rng.random() >= 0.4:
                continue
            for _ in range(1 if rng.random() < 0.7 else 2):
                recipient = self._recipient(rng, item.organisation)
                if recipient is None:
                    break
                services = self.services.get(recipient.pk, [])
                service = rng.choice(services) if services and rng.random() < 0.8 else None
                category = (
                    service.category
                    if service is not None
                    else CATEGORY_OF_TYPE.get(recipient.type, ServiceCategory.SOCIAL_ASSISTANCE)
                )
                sent_on = _day(rng, case.received_at, 3, 120, last_day)
                consent = Consent(
                    uuid=uuid.uuid4(),
                    case=case,
                    data_key=case.data_key,
                    purpose=ConsentPurpose.SHARING,
                    recipient=recipient,
                    given_by=ConsentGivenBy.PERSON,
                    method=ConsentMethod.ORAL_WITNESSED,
                    given_on=sent_on,
                    recorded_by=case.case_manager,
                )
                consents.append(consent)
                age = (today - sent_on).days
                status = (
                    ReferralStatus.SENT
                    if age < 5 and rng.random() < 0.7
                    else rng.choices(
                        [
                            ReferralStatus.ACCEPTED,
                            ReferralStatus.IN_PROGRESS,
                            ReferralStatus.COMPLETED,
                            ReferralStatus.DECLINED,
                            ReferralStatus.NOT_DELIVERED,
                        ],
                        weights=[10, 15, 60, 8, 7] if age > 60 else [35, 40, 10, 10, 5],
                    )[0]
                )
                answered = (
                    None if status == ReferralStatus.SENT else _day(rng, sent_on, 0, 5, today)
                )
                referral = Referral(
                    uuid=uuid.uuid4(),
                    case=case,
                    data_key=case.data_key,
                    sender=item.organisation,
                    sent_by=case.case_manager,
                    recipient=recipient,
                    service=service,
                    category=category,
                    urgency=rng.choices(Urgency.values, weights=[75, 20, 5])[0],
                    respond_by=sent_on + datetime.timedelta(days=5),
                    chosen_by_person=rng.random() < 0.6,
                    status=status,
                    decline_reason=rng.choice(UnmetReason.values)
                    if status == ReferralStatus.DECLINED
                    else "",
                    sent_at=_at(sent_on),
                    answered_at=_at(answered) if answered else None,
                    ended_at=_at(_day(rng, answered, 10, 90, today))
                    if answered
                    and status
                    in (
                        ReferralStatus.COMPLETED,
                        ReferralStatus.NOT_DELIVERED,
                        ReferralStatus.DECLINED,
                    )
                    else None,
                    answered_by=None,
                )
                referral.set_plain("purpose", rng.choice(PURPOSES))
                if answered:
                    referral.set_plain("answer", "We can receive her; an appointment is set.")
                sections: list[str] = [SharedSection.SUMMARY, SharedSection.NEEDS]
                if rng.random() < 0.5:
                    sections.append(SharedSection.IDENTITY)
                if rng.random() < 0.3:
                    sections.append(SharedSection.CONTACT)
                made.append((referral, item, sections))
                referral.consent = consent
        Consent.objects.bulk_create(consents, batch_size=2000)
        for referral, _item, _sections in made:
            referral.consent_id = referral.consent.pk if referral.consent else None
        Referral.objects.bulk_create([m[0] for m in made], batch_size=2000)
        ReferralSection.objects.bulk_create(
            [
                ReferralSection(referral=referral, section=section)
                for referral, _item, sections in made
                for section in sections
            ],
            batch_size=5000,
        )
        unmet: list[UnmetNeed] = []
        for referral, item, _sections in made:
            case = item.case
            milestones[case.pk].append(
                CaseMilestone(
                    case=case,
                    kind=MilestoneKind.REFERRAL_SENT,
                    occurred_on=timezone.localdate(referral.sent_at),
                    ref=str(referral.pk),
                    recorded_by=case.case_manager,
                )
            )
            if referral.answered_at is not None:
                milestones[case.pk].append(
                    CaseMilestone(
                        case=case,
                        kind=MilestoneKind.REFERRAL_ANSWERED,
                        occurred_on=timezone.localdate(referral.answered_at),
                        ref=str(referral.pk),
                    )
                )
            if referral.status in (ReferralStatus.DECLINED, ReferralStatus.NOT_DELIVERED):
                unmet.append(
                    UnmetNeed(
                        uuid=uuid.uuid4(),
                        case=case,
                        data_key=case.data_key,
                        organisation=item.organisation,
                        category=referral.category,
                        reason=referral.decline_reason or rng.choice(UnmetReason.values),
                        source=UnmetSource.REFERRAL,
                        referral=referral,
                        country=item.organisation.country,
                        recorded_by=case.case_manager,
                        recorded_at=referral.ended_at or referral.sent_at,
                    )
                )
        UnmetNeed.objects.bulk_create(unmet, batch_size=2000)

    def _recipient(self, rng: random.Random, sender: Organisation) -> Organisation | None:
        peers = [o for o in self.case_work_organisations if o.pk != sender.pk]
        if peers and (not self.providers or rng.random() < 0.5):
            return rng.choice(peers)
        return rng.choice(self.providers) if self.providers else None
