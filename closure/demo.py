"""Demo closures (``seed_demo``): in the Moldovan organisation, one case closed with its
objectives achieved and follow-up ended, one closed after contact was lost, one in follow-up
with a contact recorded, and one reopened after a setback — all through the services. An
organisation that already has closures is left alone, so running ``seed_demo`` again changes
nothing."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.access import Acting, acting_for
from accounts.models import Membership, Organisation
from accounts.roles import Role
from cases.models import Case, CaseStatus
from closure.models import CaseClosure
from closure.services import (
    case_reopen,
    closure_decide,
    closure_propose,
    follow_up_end,
    open_activities,
    open_referrals,
)
from monitoring.models import MonitoringContact
from monitoring.services import contact_record, setback_record
from plans.models import Objective

HANDOVER = "Handed over to the community social worker of the district."


def _close(
    worker: Acting,
    supervisor: Acting,
    case: Case,
    *,
    reason: str,
    planned: bool,
    result: str,
    closed_on: datetime.date,
    consent: bool,
) -> CaseClosure:
    activities = [a.pk for a in open_activities(case)]
    referrals = [r.pk for r in open_referrals(case)]
    closure = closure_propose(
        acting=worker,
        case=case,
        reason=reason,
        planned=planned,
        closed_on=closed_on,
        contact_channel="phone" if consent else "none",
        contact_frequency="quarterly" if consent else "",
        consent_to_contact=consent,
        objectives={o.pk: result for o in Objective.objects.filter(plan__case=case)},
        person_words="I feel ready to manage on my own." if consent else "",
        worker_assessment=(
            "Stable work and housing; family support in place."
            if consent
            else "No answer to calls or visits for three months."
        ),
        remaining_needs="Occasional counselling." if consent else "",
        follow_up_actions="Quarterly phone call." if consent else "",
        handed_over_activity_ids=activities,
        handed_over_referral_ids=referrals,
        handover=HANDOVER if activities or referrals else "",
    )
    return closure_decide(
        acting=supervisor, closure=closure, approve=True, expected_version=closure.version
    )


@transaction.atomic
def seed_closures(organisations: dict[str, Organisation]) -> int:
    """Returns how many demo cases were closed."""
    organisation = organisations.get("ngo_md")
    if organisation is None or CaseClosure.objects.filter(case__organisation=organisation).exists():
        return 0
    membership = (
        Membership.objects.active()
        .filter(organisation=organisation, role=Role.SUPERVISOR)
        .select_related("user")
        .first()
    )
    supervisor = acting_for(membership.user, organisation) if membership else None
    if supervisor is None:
        return 0
    today = timezone.localdate()
    with_contacts = MonitoringContact.objects.filter(case__organisation=organisation).values(
        "case_id"
    )
    cases = list(
        Case.objects.filter(
            organisation=organisation,
            status=CaseStatus.OPEN,
            case_manager__isnull=False,
            received_at__lte=today - datetime.timedelta(days=200),
        )
        .exclude(pk__in=with_contacts)
        .select_related("data_key", "person__data_key", "case_manager", "organisation")
        .order_by("received_at", "id")[:4]
    )
    closed = 0
    for index, case in enumerate(cases):
        worker = acting_for(case.case_manager, organisation)
        if worker is None:
            continue
        if index == 0:
            # Objectives achieved; she then asked not to be called any more.
            closure = _close(
                worker,
                supervisor,
                case,
                reason="objectives_achieved",
                planned=True,
                result="achieved",
                closed_on=today - datetime.timedelta(days=150),
                consent=True,
            )
            follow_up_end(
                acting=worker,
                closure=closure,
                ended_on=today - datetime.timedelta(days=5),
                why="consent_withdrawn",
                note="She said she no longer needs the calls.",
            )
        elif index == 1:
            _close(
                worker,
                supervisor,
                case,
                reason="lost_contact",
                planned=False,
                result="partly",
                closed_on=today - datetime.timedelta(days=60),
                consent=False,
            )
        elif index == 2:
            # In follow-up: one contact recorded, the next due.
            _close(
                worker,
                supervisor,
                case,
                reason="plan_term_ended",
                planned=True,
                result="partly",
                closed_on=today - datetime.timedelta(days=120),
                consent=True,
            )
            case.refresh_from_db()
            contact_record(
                acting=worker,
                case=case,
                occurred_on=today - datetime.timedelta(days=30),
                mode="phone",
                purpose="follow_up",
                participants="The person",
            )
        else:
            _close(
                worker,
                supervisor,
                case,
                reason="objectives_achieved",
                planned=True,
                result="achieved",
                closed_on=today - datetime.timedelta(days=90),
                consent=True,
            )
            case.refresh_from_db()
            reopened_on = today - datetime.timedelta(days=20)
            case_reopen(
                acting=worker,
                case=case,
                reason="setback",
                reopened_on=reopened_on,
                note="Lost her job and had to leave the flat.",
            )
            case.refresh_from_db()
            setback_record(
                acting=worker,
                case=case,
                occurred_on=reopened_on,
                triggers=["job_loss"],
                severity="high",
                description="Lost her job and had to leave the flat.",
                response="Case reopened; emergency accommodation arranged.",
                led_to_plan_modification=True,
            )
        closed += 1
    return closed
