"""Writes to the service directory. Each checks who may do it, validates everything before
touching a row, and is audited in the same transaction (DESIGN rule 1)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import Acting
from accounts.models import Organisation
from accounts.services import StaleEdit
from audit.models import AuditAction
from audit.services import record
from lib.formatting import format_date
from policies.selectors import pack_for_organisation
from services.access import (
    require_add_services_for,
    require_directory_manage,
    require_service_edit,
)
from services.codes import country_codes, currency_codes, language_codes, parse_codes
from services.models import (
    SEX_COLUMNS,
    STATUS_COLUMNS,
    CostKind,
    RenewalRound,
    Service,
    ServiceArea,
    ServiceLanguage,
    ServiceNationality,
)
from services.rules import RENEWAL_PERIOD_MONTHS, confirmation_due

__all__ = [
    "SCALAR_FIELDS",
    "AreaInput",
    "StaleEdit",
    "renewal_round_start",
    "service_confirm",
    "service_create",
    "service_update",
]

SCALAR_FIELDS = (
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
    "is_active",
)
LIST_FIELDS = ("sexes", "identification_statuses", "languages", "nationalities", "areas")


@dataclass(frozen=True)
class AreaInput:
    country: str
    region: str = ""


@dataclass
class _Related:
    languages: list[str] | None = None
    nationalities: list[str] | None = None
    areas: list[AreaInput] | None = None


def renewal_period_months(organisation: Organisation) -> int:
    """How long a provider's confirmation lasts: the organisation's policy pack
    (``reporting.service_list_renewal_months``; ge-fund sets the quarter of 001 §4.3 L45).
    A pack that sets no period still gets a renewal: the directory is only useful while it
    is current, so the quarter applies."""
    months = pack_for_organisation(organisation).parsed.reporting.service_list_renewal_months
    return months or RENEWAL_PERIOD_MONTHS


def _unknown_keys(values: Mapping[str, Any]) -> None:
    unknown = sorted(set(values) - set(SCALAR_FIELDS) - set(LIST_FIELDS))
    if unknown:
        raise ValidationError({unknown[0]: [_("This field cannot be set.")]})


def _set_choice_columns(
    service: Service,
    chosen: Iterable[str],
    columns: Mapping[str, str],
    field: str,
    errors: dict[str, list[str]],
) -> list[str]:
    chosen = list(chosen)
    unknown = [value for value in chosen if value not in columns]
    if unknown:
        errors[field] = [_("Unknown value: %(value)s.") % {"value": unknown[0]}]
        return []
    if not chosen:
        errors[field] = [_("Choose at least one.")]
        return []
    changed = []
    for value, column in columns.items():
        accepted = value in chosen
        if getattr(service, column) != accepted:
            setattr(service, column, accepted)
            changed.append(column)
    return changed


def _codes(
    raw: Any, *, known: frozenset[str], upper: bool, field: str, errors: dict[str, list[str]]
) -> list[str]:
    if not isinstance(raw, (str, list, tuple)):
        errors[field] = [_("Enter a list of codes.")]
        return []
    codes = parse_codes(raw, upper=upper)
    unknown = [code for code in codes if code not in known]
    if unknown:
        errors[field] = [_("Unknown code: %(code)s.") % {"code": unknown[0]}]
    return codes


def _areas(raw: Any, errors: dict[str, list[str]]) -> list[AreaInput]:
    areas: list[AreaInput] = []
    for item in raw or []:
        if isinstance(item, AreaInput):
            area = item
        elif isinstance(item, Mapping):
            area = AreaInput(str(item.get("country", "")), str(item.get("region", "") or ""))
        else:
            area = AreaInput(str(getattr(item, "country", "")), str(getattr(item, "region", "")))
        area = AreaInput(area.country.strip().upper(), " ".join(area.region.split()))
        if area.country not in country_codes():
            errors["areas"] = [_("Unknown country code: %(code)s.") % {"code": area.country}]
            return []
        if len(area.region) > 100:
            errors["areas"] = [_("A region name has at most 100 characters.")]
            return []
        if area not in areas:
            areas.append(area)
    if not areas:
        errors["areas"] = [_("Name at least one country or region where the service is offered.")]
    return areas


def _apply(service: Service, values: Mapping[str, Any]) -> tuple[list[str], _Related]:
    """Copy ``values`` onto ``service`` and validate the result. Raises ``ValidationError``
    naming each bad field before anything is written."""
    _unknown_keys(values)
    errors: dict[str, list[str]] = {}
    changed: list[str] = []
    for field in SCALAR_FIELDS:
        if field not in values:
            continue
        value = values[field]
        if field in {"name", "description", "contact_person", "phone", "email", "opening_hours"}:
            value = (value or "").strip()
        elif field == "language":
            value = (value or "").strip().lower()
        elif field == "fee_currency":
            value = (value or "").strip().upper()
        elif field == "fee_amount" and value is not None and not isinstance(value, Decimal):
            try:
                value = Decimal(str(value))
            except InvalidOperation:
                errors["fee_amount"] = [_("Enter the fee as a number.")]
                continue
        if getattr(service, field) != value:
            setattr(service, field, value)
            changed.append(field)
    # Free and funded services carry no fee; clearing it keeps the constraint honest.
    if service.cost_kind != CostKind.FEE:
        for field, empty in (("fee_amount", None), ("fee_currency", "")):
            if getattr(service, field) != empty:
                setattr(service, field, empty)
                changed.append(field)
    if "sexes" in values:
        changed += _set_choice_columns(service, values["sexes"], SEX_COLUMNS, "sexes", errors)
    if "identification_statuses" in values:
        changed += _set_choice_columns(
            service,
            values["identification_statuses"],
            STATUS_COLUMNS,
            "identification_statuses",
            errors,
        )
    related = _Related()
    if "languages" in values:
        related.languages = _codes(
            values["languages"],
            known=language_codes(),
            upper=False,
            field="languages",
            errors=errors,
        )
        if not related.languages and "languages" not in errors:
            errors["languages"] = [_("Name at least one language the service is offered in.")]
    if "nationalities" in values:
        related.nationalities = _codes(
            values["nationalities"],
            known=country_codes(),
            upper=True,
            field="nationalities",
            errors=errors,
        )
    if "areas" in values:
        related.areas = _areas(values["areas"], errors)

    try:
        # The table's check constraints are re-stated below with messages that name the field;
        # Django's generic "constraint violated" would name none.
        service.full_clean(
            exclude=["organisation", "last_confirmed_by", "confirmation_due_on"],
            validate_constraints=False,
        )
    except ValidationError as invalid:
        for field, messages in invalid.message_dict.items():
            errors.setdefault(field, messages)
    if service.language and service.language not in language_codes():
        errors.setdefault(
            "language", [_("Unknown language code: %(code)s.") % {"code": service.language}]
        )
    if (
        service.age_min is not None
        and service.age_max is not None
        and service.age_min > service.age_max
    ):
        errors.setdefault("age_min", [_("The minimum age cannot be above the maximum age.")])
    if service.cost_kind == CostKind.FEE:
        if service.fee_amount is None:
            errors.setdefault("fee_amount", [_("A fee needs an amount.")])
        elif service.fee_amount < 0:
            errors.setdefault("fee_amount", [_("The fee cannot be negative.")])
        if not service.fee_currency:
            errors.setdefault("fee_currency", [_("A fee needs a currency.")])
        elif service.fee_currency not in currency_codes():
            errors.setdefault(
                "fee_currency",
                [_("Unknown currency code: %(code)s.") % {"code": service.fee_currency}],
            )
    if errors:
        raise ValidationError(errors)
    return changed, related


def _replace_related(service: Service, related: _Related) -> list[str]:
    """Swap the service's languages, nationalities and areas for the given sets; returns the
    names of the sets that really changed."""
    changed: list[str] = []
    if related.languages is not None:
        current = sorted(service.languages.values_list("code", flat=True))
        if current != sorted(related.languages):
            service.languages.all().delete()
            ServiceLanguage.objects.bulk_create(
                ServiceLanguage(service=service, code=code) for code in related.languages
            )
            changed.append("languages")
    if related.nationalities is not None:
        current = sorted(service.nationalities.values_list("country", flat=True))
        if current != sorted(related.nationalities):
            service.nationalities.all().delete()
            ServiceNationality.objects.bulk_create(
                ServiceNationality(service=service, country=code) for code in related.nationalities
            )
            changed.append("nationalities")
    if related.areas is not None:
        current_areas = sorted(service.areas.values_list("country", "region"))
        wanted = sorted((area.country, area.region) for area in related.areas)
        if current_areas != wanted:
            service.areas.all().delete()
            ServiceArea.objects.bulk_create(
                ServiceArea(service=service, country=area.country, region=area.region)
                for area in related.areas
            )
            changed.append("areas")
    return changed


def _mark_confirmed(service: Service, acting: Acting, now: datetime.datetime) -> None:
    service.last_confirmed_at = now
    service.last_confirmed_by = acting.user
    service.confirmation_due_on = confirmation_due(
        timezone.localdate(now), renewal_period_months(service.organisation)
    )


@transaction.atomic
def service_create(
    *, acting: Acting, organisation: Organisation, values: Mapping[str, Any]
) -> Service:
    """Add a service to the directory. Whoever enters it vouches for it: it starts confirmed."""
    require_add_services_for(acting, organisation.pk)
    missing = [field for field in ("category", "name", "language") if not values.get(field)]
    if missing:
        raise ValidationError({field: [_("This field is required.")] for field in missing})
    service = Service(organisation=organisation)
    values = {
        "sexes": list(SEX_COLUMNS),
        "identification_statuses": list(STATUS_COLUMNS),
        "languages": [values["language"]],
        "areas": [AreaInput(organisation.country)],
        **values,
    }
    _changed, related = _apply(service, values)
    _mark_confirmed(service, acting, timezone.now())
    service.save()
    _replace_related(service, related)
    record(
        action=AuditAction.CREATE,
        actor=acting.user,
        organisation=acting.organisation,
        target=service,
        fields=[field for field in values if field in SCALAR_FIELDS or field in LIST_FIELDS],
        detail={"provider": organisation.pk},
    )
    return service


@transaction.atomic
def service_update(
    *,
    acting: Acting,
    service_id: int,
    expected_version: int,
    values: Mapping[str, Any],
) -> Service:
    """Change a service. A stale ``expected_version`` raises ``StaleEdit`` carrying the
    current record. Saving an entry also confirms it: the editor has just checked it."""
    service = (
        Service.objects.select_for_update()
        .select_related("organisation")
        .filter(pk=service_id)
        .first()
    )
    if service is None:
        raise Service.DoesNotExist
    require_service_edit(acting, service)
    if service.version != expected_version:
        raise StaleEdit(service)
    changed, related = _apply(service, values)
    changed += _replace_related(service, related)
    _mark_confirmed(service, acting, timezone.now())
    service.version += 1
    service.save()
    record(
        action=AuditAction.UPDATE,
        actor=acting.user,
        organisation=acting.organisation,
        target=service,
        fields=sorted(set(changed)),
        detail={"provider": service.organisation_id, "version": service.version},
    )
    return service


@transaction.atomic
def service_confirm(*, acting: Acting, service_id: int) -> Service:
    """The provider's one-click "still as described" (001 §4.3 L45-L46). The version stays:
    nothing a reader sees changed except the date, so an open edit form is not invalidated."""
    service = (
        Service.objects.select_for_update()
        .select_related("organisation")
        .filter(pk=service_id)
        .first()
    )
    if service is None:
        raise Service.DoesNotExist
    require_service_edit(acting, service)
    if not service.is_active:
        raise ValidationError({"is_active": [_("An inactive service cannot be confirmed.")]})
    _mark_confirmed(service, acting, timezone.now())
    service.save(
        update_fields=[
            "last_confirmed_at",
            "last_confirmed_by",
            "confirmation_due_on",
            "updated_at",
        ]
    )
    record(
        action=AuditAction.UPDATE,
        actor=acting.user,
        organisation=acting.organisation,
        target=service,
        fields=["last_confirmed_at", "last_confirmed_by", "confirmation_due_on"],
        detail={"provider": service.organisation_id, "confirmed": True},
    )
    return service


@transaction.atomic
def renewal_round_start(*, acting: Acting, due_on: datetime.date) -> RenewalRound:
    """Ask every provider in the coordinator's country to confirm or update each active
    service by ``due_on`` (001 §4.3 L45-L46). Entries not confirmed by then turn stale."""
    require_directory_manage(acting)
    today = timezone.localdate()
    if due_on <= today:
        raise ValidationError({"due_on": [_("The date to confirm by must be in the future.")]})
    if due_on > today + datetime.timedelta(days=366):
        raise ValidationError({"due_on": [_("The date to confirm by must be within a year.")]})
    country = acting.organisation.country
    # Lock the country's rounds so two coordinators starting one at once cannot both pass
    # the "already open" check.
    open_round = (
        RenewalRound.objects.select_for_update()
        .filter(country=country, due_on__gte=today)
        .order_by("-started_at")
        .first()
    )
    if open_round is not None:
        raise ValidationError(
            {
                "due_on": [
                    _("A renewal round for this country is open until %(day)s.")
                    % {"day": format_date(open_round.due_on)}
                ]
            }
        )
    renewal = RenewalRound.objects.create(
        country=country,
        organisation=acting.organisation,
        started_by=acting.user,
        due_on=due_on,
    )
    # Everything must be confirmed again by the round's date, whatever its earlier due date.
    asked = Service.objects.filter(
        organisation__country=country, is_active=True, confirmation_due_on__gt=due_on
    ).update(confirmation_due_on=due_on)
    record(
        action=AuditAction.CREATE,
        actor=acting.user,
        organisation=acting.organisation,
        target=renewal,
        fields=["country", "due_on"],
        detail={"services_asked": asked},
    )
    return renewal
