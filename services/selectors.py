"""Reads of the service directory. The directory is not case data: every signed-in member of
an organisation may search it (referring needs it); inactive entries are shown only to
those who may edit them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.access import Acting
from accounts.models import Organisation
from services.access import can_edit_service, can_manage_directory, require_service_edit
from services.models import (
    SEX_COLUMNS,
    STATUS_COLUMNS,
    RenewalRound,
    Service,
    ServiceArea,
    ServiceLanguage,
    ServiceNationality,
)
from services.rules import to_confirm_horizon


@dataclass(frozen=True)
class EligibilityProfile:
    """What the directory needs to know about a person to say which services would take
    them. Any part left ``None`` is not checked. The case file builds this from a case."""

    age: int | None = None
    sex: str | None = None
    nationality: str | None = None
    identification_status: str | None = None


@dataclass(frozen=True)
class AreaQuery:
    """A country (ISO 3166-1 alpha-2) and, optionally, a region or municipality in it."""

    country: str
    region: str = ""


def _directory() -> QuerySet[Service]:
    # One query for the page and one per related set, however many rows (DESIGN rule 5).
    return Service.objects.select_related("organisation", "last_confirmed_by").prefetch_related(
        "areas", "languages", "nationalities"
    )


def services_matching(
    profile: EligibilityProfile,
    *,
    category: str | None = None,
    area: AreaQuery | None = None,
    language: str | None = None,
    text: str | None = None,
) -> QuerySet[Service]:
    """Active services that would take a person with ``profile``, narrowed by the filters.

    Each filter is a WHERE clause or an EXISTS subquery (no joins that multiply rows), so the
    result pages cleanly; the index serving each one is named beside it."""
    services = _directory().filter(is_active=True)
    if category:
        services = services.filter(category=category)  # service_category_active
    if area is not None and area.country:
        in_area = ServiceArea.objects.filter(
            service=OuterRef("pk"), country=area.country.upper()
        )  # service_area_country_region
        if area.region:
            # A service for the whole country serves each of its regions.
            in_area = in_area.filter(Q(region="") | Q(region__iexact=area.region.strip()))
        services = services.filter(Exists(in_area))
    if language:
        services = services.filter(
            Exists(
                ServiceLanguage.objects.filter(service=OuterRef("pk"), code=language.lower())
            )  # service_language_code
        )
    if text:
        # The directory holds a few thousand entries at most; a scan of name and
        # description is cheaper than maintaining a full-text index in every language.
        for word in text.split()[:8]:
            services = services.filter(Q(name__icontains=word) | Q(description__icontains=word))
    if profile.age is not None:
        services = services.filter(Q(age_min__isnull=True) | Q(age_min__lte=profile.age))
        services = services.filter(Q(age_max__isnull=True) | Q(age_max__gte=profile.age))
    if profile.sex is not None:
        # An unknown value is a caller's bug; ignoring it would offer services that refuse.
        if profile.sex not in SEX_COLUMNS:
            raise ValueError(f"unknown sex {profile.sex!r}")
        services = services.filter(**{SEX_COLUMNS[profile.sex]: True})
    if profile.identification_status is not None:
        if profile.identification_status not in STATUS_COLUMNS:
            raise ValueError(f"unknown identification status {profile.identification_status!r}")
        services = services.filter(**{STATUS_COLUMNS[profile.identification_status]: True})
    if profile.nationality:
        restricted = ServiceNationality.objects.filter(service=OuterRef("pk"))
        # No restriction means every nationality is welcome.
        services = services.filter(
            ~Exists(restricted)
            | Exists(
                restricted.filter(country=profile.nationality.upper())
            )  # service_nationality_code
        )
    return services.order_by("name", "id")


def service_visible(acting: Acting, service_id: int) -> Service:
    """One directory entry. Inactive entries exist only for those who may edit them."""
    service = _directory().filter(pk=service_id).first()
    if service is None or (not service.is_active and not can_edit_service(acting, service)):
        raise Http404
    return service


def service_for_edit(acting: Acting, service_id: int) -> Service:
    """An entry the acting user may change: 404 when unknown, 403 when someone else's."""
    service = _directory().filter(pk=service_id).first()
    if service is None:
        raise Http404
    require_service_edit(acting, service)
    return service


def services_of(organisation: Organisation) -> QuerySet[Service]:
    """All of an organisation's entries, inactive ones included, for its own list."""
    return _directory().filter(organisation=organisation).order_by("-is_active", "name", "id")


def open_round_for(country: str, today: datetime.date | None = None) -> RenewalRound | None:
    today = today or timezone.localdate()
    return (
        RenewalRound.objects.filter(country=country, due_on__gte=today)
        .select_related("started_by", "organisation")
        .order_by("-started_at")
        .first()
    )


def services_to_confirm(
    organisation: Organisation, today: datetime.date | None = None
) -> QuerySet[Service]:
    """The provider's "to confirm" list: active entries already stale, asked for by an open
    renewal round, or falling due soon (served by service_due_active)."""
    today = today or timezone.localdate()
    current = open_round_for(organisation.country, today)
    horizon = to_confirm_horizon(today, current.due_on if current else None)
    return (
        _directory()
        .filter(organisation=organisation, is_active=True, confirmation_due_on__lte=horizon)
        .order_by("confirmation_due_on", "name", "id")
    )


def renewal_rounds_for(acting: Acting) -> QuerySet[RenewalRound]:
    """Rounds of the coordinator's country, newest first."""
    if not can_manage_directory(acting):
        return RenewalRound.objects.none()
    return (
        RenewalRound.objects.filter(country=acting.organisation.country)
        .select_related("started_by", "organisation")
        .order_by("-started_at", "-id")
    )


def renewal_round_of(acting: Acting, round_id: int) -> RenewalRound:
    renewal = renewal_rounds_for(acting).filter(pk=round_id).first()
    if renewal is None:
        raise Http404
    return renewal


@dataclass(frozen=True)
class RenewalCounts:
    organisation_id: int
    organisation_name: str
    confirmed: int
    pending: int
    stale: int

    @property
    def total(self) -> int:
        return self.confirmed + self.pending + self.stale


def renewal_status(
    renewal: RenewalRound, today: datetime.date | None = None
) -> list[RenewalCounts]:
    """Per provider in the round's country: active entries confirmed since the round began,
    still pending, and stale — counted in one aggregate query."""
    today = today or timezone.localdate()
    active = Q(services__is_active=True)
    confirmed = active & Q(services__last_confirmed_at__gte=renewal.started_at)
    stale = active & Q(services__confirmation_due_on__lt=today) & ~confirmed
    rows = (
        Organisation.objects.filter(
            country=renewal.country, is_active=True, services__is_active=True
        )
        .annotate(
            n_total=Count("services", filter=active),
            n_confirmed=Count("services", filter=confirmed),
            n_stale=Count("services", filter=stale),
        )
        .order_by("name")
        .values("pk", "name", "n_total", "n_confirmed", "n_stale")
    )
    return [
        RenewalCounts(
            organisation_id=row["pk"],
            organisation_name=row["name"],
            confirmed=row["n_confirmed"],
            stale=row["n_stale"],
            pending=row["n_total"] - row["n_confirmed"] - row["n_stale"],
        )
        for row in rows
    ]


def providers_for(acting: Acting) -> QuerySet[Organisation]:
    """Organisations the acting user may add services for."""
    if can_manage_directory(acting):
        return Organisation.objects.filter(is_active=True).order_by("name")
    return Organisation.objects.filter(pk=acting.organisation.pk)


def provider_of(organisation_id: int) -> Organisation:
    """An active organisation a service may be added for; 404 otherwise."""
    organisation = Organisation.objects.filter(pk=organisation_id, is_active=True).first()
    if organisation is None:
        raise Http404
    return organisation
