"""Returning persons and late access (004 §2.7, SW-82): a person the organisation already
knows gets a new episode — a new case on the same person record, linked to the previous case
— instead of a duplicate person; each episode records how long after the end of exploitation
(or the return) the first contact came."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import Acting, CaseAction, require_case_action
from accounts.roles import Capability
from cases.models import Case, CaseStatus
from cases.services import CaseInput, case_register
from closure.models import CaseEpisode
from people.services import PersonInput


def days_to_first_contact(
    first_contact_on: datetime.date,
    exploitation_ended_on: datetime.date | None,
    returned_on: datetime.date | None,
) -> int | None:
    starts = [d for d in (exploitation_ended_on, returned_on) if d is not None]
    if not starts:
        return None
    return max(0, (first_contact_on - max(starts)).days)


@transaction.atomic
def episode_open(
    *,
    acting: Acting,
    previous_case: Case,
    received_at: datetime.date,
    first_contact_on: datetime.date | None = None,
    exploitation_ended_on: datetime.date | None = None,
    returned_on: datetime.date | None = None,
) -> Case:
    """Open a new case on the person of ``previous_case`` (same organisation), linked to it."""
    require_case_action(acting, previous_case, CaseAction.VIEW)
    if not acting.can(Capability.CASE_CREATE):
        raise PermissionDenied("may not register cases")
    errors: dict[str, list[str]] = {}
    first = first_contact_on or received_at
    today = timezone.localdate()
    for name, day in (
        ("received_at", received_at),
        ("first_contact_on", first),
        ("exploitation_ended_on", exploitation_ended_on),
        ("returned_on", returned_on),
    ):
        if day is not None and day > today:
            errors[name] = [_("The date cannot be in the future.")]
    for name, day in (
        ("exploitation_ended_on", exploitation_ended_on),
        ("returned_on", returned_on),
    ):
        if day is not None and day > first:
            errors[name] = [_("This date cannot be after the first contact.")]
    if Case.objects.filter(
        person_id=previous_case.person_id,
        organisation=acting.organisation,
        status=CaseStatus.OPEN,
    ).exists():
        errors["previous_case"] = [
            _("The person already has an open case here: continue that one.")
        ]
    if errors:
        raise ValidationError(errors)
    person = previous_case.person
    case = case_register(
        acting=acting,
        # The known person's own details: registration derives minority and nationality
        # from them; no new person record is written.
        person=PersonInput(
            given_name=person.get_plain("given_name") or "-",
            family_name=person.get_plain("family_name") or "",
            date_of_birth=person.date_of_birth,
            birth_year=person.birth_year,
            birth_year_estimated=person.birth_year_estimated,
            sex=person.sex,
            citizenships=[c.country for c in person.citizenships.all()],
        ),
        case=CaseInput(received_at=received_at, first_contact_on=first),
        existing_person=person,
    )
    CaseEpisode.objects.create(
        case=case,
        previous_case=previous_case,
        exploitation_ended_on=exploitation_ended_on,
        returned_on=returned_on,
        days_to_first_contact=days_to_first_contact(first, exploitation_ended_on, returned_on),
    )
    return case
