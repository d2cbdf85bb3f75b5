"""Reads of the consent register, always for a case already fetched through the chokepoint."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Organisation
from cases.models import Case
from consent.models import Consent, ConsentOverride


def consents_of(case: Case) -> QuerySet[Consent]:
    return Consent.objects.filter(case=case).select_related(
        "data_key", "recipient", "legal_representative__data_key", "recorded_by"
    )


def consent_of(case: Case, consent_id: int) -> Consent | None:
    return consents_of(case).filter(pk=consent_id).first()


def overrides_of(case: Case) -> QuerySet[ConsentOverride]:
    return ConsentOverride.objects.filter(case=case).select_related(
        "data_key", "recipient", "supervisor"
    )


def organisation_by_id(organisation_id: int | None) -> Organisation | None:
    if organisation_id is None:
        return None
    return Organisation.objects.filter(pk=organisation_id, is_active=True).first()
