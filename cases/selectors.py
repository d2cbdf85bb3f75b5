"""Reads of the case file. Every function starts from ``accounts.access.cases_visible_to`` or
from a case already returned by ``get_case_for``; pages preload what they show so their query
count does not grow with the data (DESIGN rule 5)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects

from accounts.access import Acting, cases_visible_to
from accounts.models import Membership, Organisation, User
from accounts.roles import Role
from cases.codes import IdentificationStatus, RiskLevel
from cases.duplicates import name_search_condition
from cases.models import (
    Case,
    CaseDocument,
    CaseManagerAssignment,
    CaseManagerChangeRequest,
    CaseNote,
    CaseStatus,
    IdentificationDecision,
    IdentificationInterview,
    Screening,
    TeamMember,
    TraffickingIndicator,
    TraffickingProfile,
)
from crypto.blind_index import dob_index
from people.models import IdentityDocument, Person, PersonAlias, RelatedPerson


@dataclass
class CaseFilters:
    q: str = ""
    status: str = ""
    identification_status: str = ""
    case_manager: int | None = None
    risk_level: str = ""
    minor: bool | None = None
    foreign_national: bool | None = None
    security_alert: bool | None = None
    in_proceedings: bool | None = None


def _parse_date(text: str) -> datetime.date | None:
    for parse in (
        datetime.date.fromisoformat,
        lambda t: datetime.datetime.strptime(t, "%d.%m.%Y").date(),
    ):
        try:
            return parse(text)
        except ValueError:
            continue
    return None


# "<prefix>-<year>-<serial>" (cases.services.next_case_number) and "R-" followed by two
# groups of four characters (new_case_code).
CASE_NUMBER = re.compile(r"[A-Za-z]{1,8}-\d{4}-\d{1,9}")
CASE_CODE = re.compile(r"[Rr]-[0-9A-Za-z]{4}-[0-9A-Za-z]{4}")


def search_condition(query: str) -> Q:
    """Case number or code (exact, case-insensitive), a date of birth (ISO or dd.mm.yyyy) through
    its blind index, or name words through the name index."""
    query = query.strip()
    if not query:
        return Q()
    born = _parse_date(query)
    if born is not None:
        return Q(person__dob_index=dob_index(born))
    # Case numbers and codes have fixed shapes; anything else is a name. Deciding here keeps
    # each search on one index (number, code or name tokens) instead of an OR over all cases.
    if CASE_NUMBER.fullmatch(query):
        return Q(number=query.upper())
    if CASE_CODE.fullmatch(query):
        return Q(code=query.upper())
    return name_search_condition(query)


def case_list(acting: Acting | None, filters: CaseFilters) -> QuerySet[Case]:
    cases = cases_visible_to(acting).select_related(
        "person__data_key", "case_manager", "programme_phase"
    )
    if filters.q:
        cases = cases.filter(search_condition(filters.q))
    if filters.status in CaseStatus.values:
        cases = cases.filter(status=filters.status)
    if filters.identification_status in IdentificationStatus.values:
        cases = cases.filter(identification_status=filters.identification_status)
    if filters.case_manager is not None:
        cases = cases.filter(case_manager_id=filters.case_manager)
    if filters.risk_level and filters.risk_level in RiskLevel.values:
        cases = cases.filter(risk_level=filters.risk_level)
    for flag in ("foreign_national", "security_alert", "in_proceedings"):
        value = getattr(filters, flag)
        if value is not None:
            cases = cases.filter(**{flag: value})
    if filters.minor is not None:
        cases = cases.filter(minor_at_reception=filters.minor)
    return cases.order_by(*CASE_LIST_ORDERING)


# Newest first; served by the index case_org_received_id (organisation, -received_at, -id).
CASE_LIST_ORDERING = ("-received_at", "-id")


def case_managers_of(organisation: Organisation) -> QuerySet[User]:
    return (
        User.objects.filter(
            memberships__in=Membership.objects.active().filter(
                organisation=organisation, role__in=[Role.CASE_MANAGER, Role.SUPERVISOR]
            )
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def organisation_members(organisation: Organisation) -> QuerySet[User]:
    return (
        User.objects.filter(
            memberships__in=Membership.objects.active().filter(organisation=organisation)
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def other_organisations(organisation: Organisation) -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_active=True).exclude(pk=organisation.pk).order_by("name")


def active_indicators() -> QuerySet[TraffickingIndicator]:
    return TraffickingIndicator.objects.filter(is_active=True)


_PERSON_DETAILS = (
    Prefetch("aliases", queryset=PersonAlias.objects.select_related("data_key")),
    "citizenships",
    "languages",
    Prefetch("identity_documents", queryset=IdentityDocument.objects.select_related("data_key")),
    Prefetch("related_people", queryset=RelatedPerson.objects.select_related("data_key")),
)


def person_with_details(case: Case, *, reload: bool = False) -> Person:
    """The person with everything the person section shows, in a constant number of queries.
    ``reload`` reads the person again (after a write); otherwise the person loaded with the
    case is completed."""
    if reload:
        return (
            Person.objects.select_related("data_key")
            .prefetch_related(*_PERSON_DETAILS)
            .get(pk=case.person_id)
        )
    prefetch_related_objects([case.person], *_PERSON_DETAILS)
    return case.person


def case_overview(case: Case) -> Case:
    """Preload on a case from ``get_case_for`` its team, assignment history and change
    requests (three queries, whatever their number)."""
    prefetch_related_objects(
        [case],
        Prefetch(
            "team",
            queryset=TeamMember.objects.filter(removed_at__isnull=True).select_related("user"),
        ),
        Prefetch(
            "assignments",
            queryset=CaseManagerAssignment.objects.select_related("case_manager", "assigned_by"),
        ),
        Prefetch(
            "change_requests",
            queryset=CaseManagerChangeRequest.objects.select_related("data_key", "recorded_by"),
        ),
    )
    return case


def case_reloaded(case_id: int) -> Case:
    """A case already authorised through ``get_case_for``, read again after a write."""
    return case_overview(
        Case.objects.select_related(
            "person__data_key", "data_key", "case_manager", "organisation", "referring_organisation"
        ).get(pk=case_id)
    )


def profile_of(case: Case) -> TraffickingProfile:
    return (
        TraffickingProfile.objects.select_related("data_key")
        .prefetch_related("codes")
        .get(case=case)
    )


def identification_of(case: Case) -> dict[str, object]:
    return {
        "screenings": list(
            Screening.objects.filter(case=case)
            .select_related("data_key", "screened_by")
            .prefetch_related("indicators")
        ),
        "interviews": list(
            IdentificationInterview.objects.filter(case=case)
            .select_related("data_key", "interviewer")
            .prefetch_related("principles")
        ),
        "decisions": list(
            IdentificationDecision.objects.filter(case=case).select_related(
                "data_key", "recorded_by"
            )
        ),
    }


def notes_of(case: Case) -> QuerySet[CaseNote]:
    return (
        CaseNote.objects.filter(case=case)
        .select_related("data_key", "author")
        .order_by("-occurred_at", "-id")
    )


def documents_of(case: Case) -> QuerySet[CaseDocument]:
    return CaseDocument.objects.filter(case=case).select_related("data_key", "uploaded_by")


def document_of(case: Case, document_id: int) -> CaseDocument | None:
    return documents_of(case).filter(pk=document_id).first()


def team_member_of(case: Case, member_id: int) -> TeamMember | None:
    return (
        TeamMember.objects.filter(case=case, pk=member_id, removed_at__isnull=True)
        .select_related("user")
        .first()
    )


def change_request_of(case: Case, request_id: int) -> CaseManagerChangeRequest | None:
    return (
        CaseManagerChangeRequest.objects.filter(case=case, pk=request_id)
        .select_related("data_key")
        .first()
    )


def user_in_organisation(organisation: Organisation, user_id: int | None) -> User | None:
    if user_id is None:
        return None
    return organisation_members(organisation).filter(pk=user_id).first()


def legal_representatives_of(case: Case) -> QuerySet[RelatedPerson]:
    return RelatedPerson.objects.filter(
        person_id=case.person_id, is_legal_representative=True
    ).select_related("data_key")


def related_person_of(case: Case, related_id: int | None) -> RelatedPerson | None:
    if related_id is None:
        return None
    return (
        RelatedPerson.objects.filter(person_id=case.person_id, pk=related_id)
        .select_related("data_key")
        .first()
    )


def identity_document_of(case: Case, document_id: int) -> IdentityDocument | None:
    return IdentityDocument.objects.filter(person_id=case.person_id, pk=document_id).first()
