"""Reads of referrals, transfers and the register. Access has already been decided by a
chokepoint in ``accounts.access``; these functions shape what the page or the API shows and
preload it so that lists cost a constant number of queries (DESIGN rule 5)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from accounts.access import Acting, cases_visible_to
from accounts.models import Membership, Organisation
from cases.models import Case, CaseDocument, CaseNote, TraffickingProfile
from people.models import Person
from referrals.models import (
    OPEN_STATUSES,
    CaseTransfer,
    Referral,
    SharedSection,
    UnmetNeed,
)
from services.models import Service
from services.selectors import EligibilityProfile, services_matching

# ---------------------------------------------------------------- what the recipient sees


@dataclass(frozen=True)
class SharedNote:
    id: int
    kind: str
    kind_label: str
    occurred_at: Any
    text: str | None


@dataclass(frozen=True)
class SharedDocument:
    id: int
    item: str
    item_label: str
    file_name: str | None
    content_type: str
    size: int
    received_on: Any


def _person(case: Case) -> Person:
    return (
        Person.objects.select_related("data_key")
        .prefetch_related("citizenships", "languages")
        .get(pk=case.person_id)
    )


def shared_content(case: Case, sections: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """Exactly what a recipient sees for ``sections`` of ``case``: one key per chosen section
    and nothing else. The preview, the recipient's page, the API and the printed sheet all
    read this, so what the sender previews is what leaves."""
    chosen = [s for s in SharedSection.values if s in sections]
    content: dict[str, Any] = {"code": case.code}
    person = _person(case) if {"identity", "contact"} & set(chosen) else None
    for section in chosen:
        if section == SharedSection.SUMMARY:
            content["summary"] = {
                "identification_status": case.identification_status,
                "identification_status_label": case.get_identification_status_display(),
                "risk_level": case.risk_level,
                "security_alert": case.security_alert,
                "minor_at_reception": case.minor_at_reception,
                "foreign_national": case.foreign_national,
                "in_proceedings": case.in_proceedings,
            }
        elif section == SharedSection.IDENTITY and person is not None:
            born = person.date_of_birth
            content["identity"] = {
                "given_name": person.get_plain_or_erased("given_name"),
                "family_name": person.get_plain_or_erased("family_name"),
                "sex": person.sex,
                "sex_label": person.get_sex_display(),
                "date_of_birth": born.isoformat() if born else None,
                "birth_year": person.birth_year,
                "citizenships": [c.country for c in person.citizenships.all()],
                "languages": [lang.language for lang in person.languages.all()],
            }
        elif section == SharedSection.CONTACT and person is not None:
            content["contact"] = {
                "address": person.get_plain_or_erased("address"),
                "phone": person.get_plain_or_erased("phone"),
                "email": person.get_plain_or_erased("email"),
            }
        elif section == SharedSection.NEEDS:
            content["needs"] = {
                "emergency_needs": case.get_plain_or_erased("emergency_needs"),
                "immediate_assistance": case.get_plain_or_erased("immediate_assistance"),
                "immediate_needs_met_on": (
                    case.immediate_needs_met_on.isoformat() if case.immediate_needs_met_on else None
                ),
            }
        elif section == SharedSection.PROFILE:
            profile = TraffickingProfile.objects.prefetch_related("codes").filter(case=case).first()
            content["profile"] = (
                {
                    "recruitment_country": profile.recruitment_country,
                    "exploitation_started_on": (
                        profile.exploitation_started_on.isoformat()
                        if profile.exploitation_started_on
                        else None
                    ),
                    "exploitation_ended_on": (
                        profile.exploitation_ended_on.isoformat()
                        if profile.exploitation_ended_on
                        else None
                    ),
                    "codes": [{"list": c.list, "code": c.code} for c in profile.codes.all()],
                    "criminal_proceedings": profile.criminal_proceedings,
                }
                if profile is not None
                else None
            )
        elif section == SharedSection.NOTES:
            content["notes"] = [
                SharedNote(
                    id=note.pk,
                    kind=note.kind,
                    kind_label=note.get_kind_display(),
                    occurred_at=note.occurred_at,
                    text=note.get_plain_or_erased("text"),
                )
                for note in CaseNote.objects.filter(case=case)
                .select_related("data_key")
                .order_by("-occurred_at", "-id")
            ]
        elif section == SharedSection.DOCUMENTS:
            content["documents"] = [
                SharedDocument(
                    id=doc.pk,
                    item=doc.item,
                    item_label=doc.get_item_display(),
                    file_name=doc.get_plain_or_erased("file_name"),
                    content_type=doc.content_type,
                    size=doc.size,
                    received_on=doc.received_on,
                )
                for doc in CaseDocument.objects.filter(case=case).select_related("data_key")
            ]
    return content


def shared_document(referral: Referral, document_id: int) -> CaseDocument | None:
    """A document of the referred case, only when the documents section was shared."""
    if SharedSection.DOCUMENTS not in section_codes(referral):
        return None
    return (
        CaseDocument.objects.select_related("data_key")
        .filter(case_id=referral.case_id, pk=document_id)
        .first()
    )


def section_codes(referral: Referral) -> list[str]:
    return [s.section for s in referral.sections.all()]


# ---------------------------------------------------------------- lists


def _listed(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    return referrals.select_related("case", "sender", "recipient", "service").order_by(
        "-sent_at", "-id"
    )


def inbox(received: QuerySet[Referral]) -> QuerySet[Referral]:
    return _listed(received)


def outbox(acting: Acting) -> QuerySet[Referral]:
    """Referrals the acting organisation sent for cases the user can see."""
    return _listed(
        Referral.objects.filter(sender=acting.organisation, case__in=cases_visible_to(acting))
    )


def referrals_of_case(case: Case) -> QuerySet[Referral]:
    return _listed(Referral.objects.filter(case=case)).prefetch_related("sections")


def referral_of_case(case: Case, referral_id: int) -> Referral | None:
    return (
        Referral.objects.select_related("case__data_key", "data_key", "recipient", "service")
        .select_related("sender", "sent_by", "answered_by")
        .prefetch_related("sections")
        .filter(case=case, pk=referral_id)
        .first()
    )


def overlapping_referrals(case: Case, category: str) -> list[Referral]:
    """Open referrals of the case for the same kind of service (SPEC C6: warn on overlap)."""
    return list(
        Referral.objects.select_related("case", "sender", "recipient", "service")
        .filter(case=case, category=category, status__in=OPEN_STATUSES)
        .order_by("-sent_at")
    )


def recipient_choices(case: Case) -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_active=True).exclude(pk=case.organisation_id)


def organisation_by_id(organisation_id: int | None) -> Organisation | None:
    if organisation_id is None:
        return None
    return Organisation.objects.filter(pk=organisation_id, is_active=True).first()


def service_by_id(service_id: int | None) -> Service | None:
    if service_id is None:
        return None
    return (
        Service.objects.select_related("organisation").filter(pk=service_id, is_active=True).first()
    )


def is_on_system(organisation: Organisation) -> bool:
    """Whether anyone can act for the organisation here; otherwise it gets a printed sheet."""
    return Membership.objects.active().filter(organisation=organisation).exists()


def with_on_system(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    return referrals.annotate(
        recipient_on_system=Exists(
            Membership.objects.active().filter(organisation=OuterRef("recipient"))
        )
    )


# ---------------------------------------------------------------- transfers


def transfers_listed(transfers: QuerySet[CaseTransfer]) -> QuerySet[CaseTransfer]:
    return transfers.select_related("case", "from_organisation", "to_organisation").order_by(
        "-requested_at", "-id"
    )


def transfers_of_case(case: Case) -> QuerySet[CaseTransfer]:
    return transfers_listed(CaseTransfer.objects.filter(case=case))


def retained_records(transfer: CaseTransfer) -> dict[str, list[Any]]:
    return {
        "notes": list(
            transfer.retained_notes.select_related("data_key", "author").order_by(
                "-occurred_at", "-id"
            )
        ),
        "documents": list(transfer.retained_documents.select_related("data_key", "uploaded_by")),
    }


def retained_document(transfer: CaseTransfer, document_id: int) -> CaseDocument | None:
    return transfer.retained_documents.select_related("data_key").filter(pk=document_id).first()


# ---------------------------------------------------------------- the register and the gaps


def unmet_needs_of(case: Case) -> QuerySet[UnmetNeed]:
    return (
        UnmetNeed.objects.filter(case=case)
        .select_related("data_key", "referral__recipient", "recorded_by")
        .order_by("-recorded_at", "-id")
    )


_SEX = {"female": "female", "male": "male", "other": "other"}
_STATUS = {"at_risk": "at_risk", "potential": "potential_victim", "identified": "identified"}


def eligibility_of(case: Case, *, on: datetime.date | None = None) -> EligibilityProfile:
    """What the directory needs to know to list only services that would take the person
    (services/README.md); what is not recorded is left unchecked."""
    today = on or timezone.localdate()
    person = _person(case)
    born = person.date_of_birth
    if born is not None:
        age: int | None = (
            today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        )
    elif person.birth_year is not None:
        age = today.year - person.birth_year
    else:
        age = None
    citizenships = [c.country for c in person.citizenships.all()]
    return EligibilityProfile(
        age=age,
        sex=_SEX.get(person.sex),
        nationality=citizenships[0] if citizenships else None,
        identification_status=_STATUS.get(case.identification_status),
    )


def services_for_referral(case: Case) -> QuerySet[Service]:
    """Services of other organisations that would take the person."""
    return (
        services_matching(eligibility_of(case))
        .exclude(organisation_id=case.organisation_id)
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )
