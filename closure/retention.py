"""Retention with crypto-erasure (SPEC C9): a person's identity is erased the pack's
``retention.years_after_follow_up`` after their follow-up ended (or after closure when no
follow-up applied). Erasure destroys the person's data key — every name, narrative and file
encrypted under it becomes unreadable — and deletes their blind indexes; the de-identified
cases (codes, dates, amounts) stay for the statistics. The same service erases on the
person's own request, approved by a supervisor."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.access import Acting, CaseAction, require_case_action
from accounts.roles import Capability
from audit.models import AuditAction
from audit.services import record
from cases.models import Case, CaseStatus
from closure.codes import ClosureStatus
from closure.models import CaseClosure, LegalHold
from people.models import Person
from people.services import person_erase
from policies.deadlines import add_months
from policies.selectors import policy_for_case


@dataclass(frozen=True)
class RetentionCandidate:
    person: Person
    case_codes: tuple[str, ...]
    due_on: datetime.date


def _follow_up_end(case: Case, closure: CaseClosure) -> datetime.date:
    if closure.follow_up_ended_on is not None:
        return closure.follow_up_ended_on
    months = policy_for_case(case).monitoring.after_closure_months.for_person(
        is_minor=case.minor_at_reception
    )
    if months is None or not closure.consent_to_contact:
        return closure.closed_on
    return add_months(closure.closed_on, months)


def retention_due_on(
    person: Person, cases: list[Case], closures: dict[int, CaseClosure]
) -> datetime.date | None:
    """The day the person's identity may be erased; None while any case is open, in
    proceedings, or never closed."""
    due: datetime.date | None = None
    for case in cases:
        closure = closures.get(case.pk)
        if case.status != CaseStatus.CLOSED or case.in_proceedings or closure is None:
            return None
        years = policy_for_case(case).retention.years_after_follow_up
        day = add_months(_follow_up_end(case, closure), 12 * years)
        due = day if due is None or day > due else due
    return due


def retention_candidates(today: datetime.date) -> list[RetentionCandidate]:
    """Persons whose identity is due for erasure today, skipping open cases, ongoing
    proceedings and legal holds."""
    held = LegalHold.objects.filter(lifted_on__isnull=True).values("person_id")
    persons = (
        Person.objects.filter(data_key__erased_at__isnull=True, cases__status=CaseStatus.CLOSED)
        .exclude(pk__in=held)
        .select_related("data_key")
        .distinct()
        .order_by("id")
    )
    candidates = []
    for person in persons:
        cases = list(Case.objects.filter(person=person).order_by("id"))
        closures: dict[int, CaseClosure] = {}
        for closure in CaseClosure.objects.filter(
            case__in=cases, status=ClosureStatus.APPROVED
        ).order_by("closed_on", "id"):
            closures[closure.case_id] = closure
        due = retention_due_on(person, cases, closures)
        if due is not None and due <= today:
            candidates.append(
                RetentionCandidate(
                    person=person, case_codes=tuple(c.code for c in cases), due_on=due
                )
            )
    return candidates


@transaction.atomic
def identity_erase(*, acting_user: object, person: Person, reason: str) -> None:
    """Crypto-erase the person's identity and audit it on each of their cases."""
    cases = list(Case.objects.filter(person=person).select_related("organisation"))
    if any(c.status != CaseStatus.CLOSED for c in cases):
        raise ValidationError({"person": [_("The person has an open case.")]})
    organisation = cases[0].organisation if cases else None
    for case in cases:
        record(
            action=AuditAction.DELETE,
            actor=acting_user,
            organisation=case.organisation,
            target=("people.person", person.pk),
            case_id=case.pk,
            fields=["identity"],
            detail={"operation": "identity_erase", "reason": reason},
        )
    person_erase(acting_user=acting_user, organisation=organisation, person=person, reason=reason)


@transaction.atomic
def identity_erase_on_request(*, acting: Acting, case: Case) -> None:
    """The person asked to be forgotten: a supervisor approves, and the closed case's person
    is erased by the same service as retention. Refused while proceedings are ongoing or a
    legal hold stands."""
    require_case_action(acting, case, CaseAction.VIEW)
    if not acting.can(Capability.PLAN_APPROVE):
        raise PermissionDenied("may not approve erasure")
    errors: dict[str, list[str]] = {}
    if case.status != CaseStatus.CLOSED:
        errors["case"] = [_("Close the case before erasing the person's identity.")]
    if Case.objects.filter(person_id=case.person_id, in_proceedings=True).exists():
        errors["case"] = [_("Criminal proceedings are ongoing: the identity is kept.")]
    if LegalHold.objects.filter(person_id=case.person_id, lifted_on__isnull=True).exists():
        errors["case"] = [_("A legal hold keeps this identity.")]
    if errors:
        raise ValidationError(errors)
    identity_erase(acting_user=acting.user, person=case.person, reason="erasure_request")
