"""The service directory over the API: search, detail, create, change (optimistic), confirm,
and the coordinator's renewal rounds."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, cast

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from accounts.access import Acting
from api.schemas import PatchIn, Problem, ValidationProblem
from services.access import require_add_services_for, require_directory_manage
from services.models import IdentificationStatus, RenewalRound, Service, ServiceCategory, Sex
from services.selectors import (
    AreaQuery,
    EligibilityProfile,
    provider_of,
    renewal_round_of,
    renewal_rounds_for,
    renewal_status,
    service_for_edit,
    service_visible,
    services_matching,
    services_to_confirm,
)
from services.services import (
    StaleEdit,
    renewal_round_start,
    service_confirm,
    service_create,
    service_update,
)

router = Router(tags=["services"])
MAX_LIMIT = 200


def acting_of(request: HttpRequest) -> Acting:
    return cast(Acting, request.auth)  # type: ignore[attr-defined]  # set by ninja's auth


class AreaSchema(Schema):
    country: str
    region: str = ""


class ServiceOut(Schema):
    id: int
    organisation_id: int
    organisation_name: str
    category: str
    name: str
    description: str
    language: str
    age_min: int | None
    age_max: int | None
    sexes: list[str]
    nationalities: list[str]
    identification_statuses: list[str]
    areas: list[AreaSchema]
    languages: list[str]
    capacity: int | None
    waiting_days: int
    cost_kind: str
    fee_amount: Decimal | None
    fee_currency: str
    contact_person: str
    phone: str
    email: str
    opening_hours: str
    last_confirmed_at: datetime.datetime | None
    last_confirmed_by: str | None
    confirmation_due_on: datetime.date
    is_stale: bool
    is_active: bool
    version: int


class ServiceIn(Schema):
    organisation_id: int | None = None
    category: str
    name: str
    description: str = ""
    language: str
    age_min: int | None = None
    age_max: int | None = None
    sexes: list[str] | None = None
    nationalities: list[str] = []
    identification_statuses: list[str] | None = None
    areas: list[AreaSchema] | None = None
    languages: list[str] | None = None
    capacity: int | None = None
    waiting_days: int = 0
    cost_kind: str = "free"
    fee_amount: Decimal | None = None
    fee_currency: str = ""
    contact_person: str = ""
    phone: str = ""
    email: str = ""
    opening_hours: str = ""


class ServicePatch(PatchIn):
    # Null clears the optional numbers; any other null is a 422.
    clearable = frozenset({"age_min", "age_max", "capacity", "fee_amount"})
    version: int
    category: str | None = None
    name: str | None = None
    description: str | None = None
    language: str | None = None
    age_min: int | None = None
    age_max: int | None = None
    sexes: list[str] | None = None
    nationalities: list[str] | None = None
    identification_statuses: list[str] | None = None
    areas: list[AreaSchema] | None = None
    languages: list[str] | None = None
    capacity: int | None = None
    waiting_days: int | None = None
    cost_kind: str | None = None
    fee_amount: Decimal | None = None
    fee_currency: str | None = None
    contact_person: str | None = None
    phone: str | None = None
    email: str | None = None
    opening_hours: str | None = None
    is_active: bool | None = None


class SearchFilters(Schema):
    q: str | None = None
    category: ServiceCategory | None = None
    country: str | None = None
    region: str | None = None
    language: str | None = None
    age: int | None = None
    sex: Sex | None = None
    nationality: str | None = None
    status: IdentificationStatus | None = None
    offset: int = 0
    limit: int = 50


class RenewalRoundIn(Schema):
    due_on: datetime.date


class RenewalRoundOut(Schema):
    id: int
    country: str
    organisation_id: int
    started_at: datetime.datetime
    started_by: str
    due_on: datetime.date
    is_open: bool


class RenewalCountsOut(Schema):
    organisation_id: int
    organisation_name: str
    confirmed: int
    pending: int
    stale: int


class RenewalStatusOut(RenewalRoundOut):
    providers: list[RenewalCountsOut]


def _service_out(service: Service, today: datetime.date) -> dict[str, Any]:
    confirmer = service.last_confirmed_by
    return {
        **{
            field: getattr(service, field)
            for field in (
                "id",
                "organisation_id",
                "category",
                "name",
                "description",
                "language",
                "age_min",
                "age_max",
                "capacity",
                "waiting_days",
                "cost_kind",
                "fee_amount",
                "fee_currency",
                "contact_person",
                "phone",
                "email",
                "opening_hours",
                "last_confirmed_at",
                "confirmation_due_on",
                "is_active",
                "version",
            )
        },
        "organisation_name": service.organisation.name,
        "sexes": service.sexes,
        "identification_statuses": service.identification_statuses,
        "nationalities": [n.country for n in service.nationalities.all()],
        "languages": [language.code for language in service.languages.all()],
        "areas": [{"country": a.country, "region": a.region} for a in service.areas.all()],
        "last_confirmed_by": confirmer.get_username() if confirmer else None,
        "is_stale": service.is_stale_on(today),
    }


def _round_out(renewal: RenewalRound, today: datetime.date) -> dict[str, Any]:
    return {
        "id": renewal.pk,
        "country": renewal.country,
        "organisation_id": renewal.organisation_id,
        "started_at": renewal.started_at,
        "started_by": renewal.started_by.get_username(),
        "due_on": renewal.due_on,
        "is_open": renewal.due_on >= today,
    }


def _page(offset: int, limit: int) -> slice:
    offset = max(0, offset)
    return slice(offset, offset + max(1, min(limit, MAX_LIMIT)))


@router.get(
    "/services",
    response=list[ServiceOut],
    summary="Search the directory by category, area, language, words and eligibility",
)
def services_search(request: HttpRequest, filters: Query[SearchFilters]) -> list[dict[str, Any]]:
    acting_of(request)
    profile = EligibilityProfile(
        age=filters.age,
        sex=filters.sex.value if filters.sex else None,
        nationality=filters.nationality,
        identification_status=filters.status.value if filters.status else None,
    )
    services = services_matching(
        profile,
        category=filters.category.value if filters.category else None,
        area=AreaQuery(filters.country, filters.region or "") if filters.country else None,
        language=filters.language,
        text=filters.q,
    )
    today = timezone.localdate()
    return [_service_out(s, today) for s in services[_page(filters.offset, filters.limit)]]


@router.get(
    "/services/to-confirm",
    response=list[ServiceOut],
    summary="Your organisation's entries that need confirming",
)
def services_to_confirm_list(
    request: HttpRequest, offset: int = 0, limit: int = 50
) -> list[dict[str, Any]]:
    acting = acting_of(request)
    require_add_services_for(acting, acting.organisation.pk)
    today = timezone.localdate()
    services = services_to_confirm(acting.organisation, today)
    return [_service_out(s, today) for s in services[_page(offset, limit)]]


@router.get(
    "/services/renewal-rounds",
    response=list[RenewalRoundOut],
    summary="Renewal rounds of your country (coordinators)",
)
def renewal_rounds(request: HttpRequest, offset: int = 0, limit: int = 50) -> list[dict[str, Any]]:
    acting = require_directory_manage(acting_of(request))
    today = timezone.localdate()
    return [_round_out(r, today) for r in renewal_rounds_for(acting)[_page(offset, limit)]]


@router.post(
    "/services/renewal-rounds",
    response={201: RenewalStatusOut, 422: ValidationProblem},
    summary="Start a renewal round: every provider in your country confirms by `due_on`",
)
def renewal_round_create(request: HttpRequest, payload: RenewalRoundIn) -> Status[dict[str, Any]]:
    acting = require_directory_manage(acting_of(request))
    renewal = renewal_round_start(acting=acting, due_on=payload.due_on)
    today = timezone.localdate()
    return Status(
        201,
        {**_round_out(renewal, today), "providers": renewal_status(renewal, today)},
    )


@router.get(
    "/services/renewal-rounds/{round_id}",
    response={200: RenewalStatusOut, 404: Problem},
    summary="A round with confirmed / pending / stale counts per provider",
)
def renewal_round_detail(request: HttpRequest, round_id: int) -> dict[str, Any]:
    acting = require_directory_manage(acting_of(request))
    renewal = renewal_round_of(acting, round_id)
    today = timezone.localdate()
    return {**_round_out(renewal, today), "providers": renewal_status(renewal, today)}


@router.get(
    "/services/{service_id}", response={200: ServiceOut, 404: Problem}, summary="One service"
)
def service_detail(request: HttpRequest, service_id: int) -> dict[str, Any]:
    service = service_visible(acting_of(request), service_id)
    return _service_out(service, timezone.localdate())


@router.post(
    "/services",
    response={201: ServiceOut, 403: Problem, 422: ValidationProblem},
    summary="Add a service (your organisation's; coordinators may name any provider)",
)
def service_add(request: HttpRequest, payload: ServiceIn) -> Status[dict[str, Any]]:
    acting = acting_of(request)
    organisation_id = payload.organisation_id or acting.organisation.pk
    require_add_services_for(acting, organisation_id)
    organisation = provider_of(organisation_id)
    values = payload.dict(exclude={"organisation_id"}, exclude_none=True)
    service = service_create(acting=acting, organisation=organisation, values=values)
    return Status(201, _service_out(service_visible(acting, service.pk), timezone.localdate()))


@router.patch(
    "/services/{service_id}",
    response={200: ServiceOut, 403: Problem, 404: Problem, 409: ServiceOut, 422: ValidationProblem},
    summary="Change a service; `version` must be the one you read (409 with current values)",
)
def service_patch(
    request: HttpRequest, service_id: int, payload: ServicePatch
) -> Status[dict[str, Any]]:
    acting = acting_of(request)
    service = service_for_edit(acting, service_id)
    values = payload.changes()
    today = timezone.localdate()
    try:
        service_update(
            acting=acting, service_id=service.pk, expected_version=payload.version, values=values
        )
    except StaleEdit:
        return Status(409, _service_out(service_for_edit(acting, service_id), today))
    return Status(200, _service_out(service_for_edit(acting, service_id), today))


@router.post(
    "/services/{service_id}/confirm",
    response={200: ServiceOut, 403: Problem, 404: Problem, 422: ValidationProblem},
    summary="Confirm the entry is still as described",
)
def service_confirm_endpoint(request: HttpRequest, service_id: int) -> dict[str, Any]:
    acting = acting_of(request)
    service = service_for_edit(acting, service_id)
    service_confirm(acting=acting, service_id=service.pk)
    return _service_out(service_for_edit(acting, service_id), timezone.localdate())
