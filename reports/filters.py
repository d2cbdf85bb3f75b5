"""Reading the report filters (quarter, organisation, country, pack) from a request, the same
for pages and the API: bad values are refused with a message naming the field."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import Acting
from policies.packs import shipped_packs
from reports.scope import Quarter, StatisticsScope
from services.codes import country_name


def scope_from(acting: Acting, params: Mapping[str, str]) -> StatisticsScope:
    errors: dict[str, list[str]] = {}
    quarter = None
    raw_quarter = (params.get("quarter") or "").strip()
    if raw_quarter:
        try:
            quarter = Quarter.parse(raw_quarter)
        except ValueError:
            errors["quarter"] = [_("Enter a quarter such as 2026-Q3.")]
    organisation_id = None
    raw_organisation = (params.get("organisation") or "").strip()
    if raw_organisation:
        if raw_organisation.isdigit():
            organisation_id = int(raw_organisation)
        else:
            errors["organisation"] = [_("Choose one of the listed organisations.")]
    if errors:
        raise ValidationError(errors)
    return StatisticsScope(
        acting,
        quarter=quarter,
        organisation_id=organisation_id,
        country=(params.get("country") or "").strip(),
        pack=(params.get("pack") or "").strip(),
    )


def quarter_choices(count: int = 12) -> list[tuple[str, str]]:
    current = Quarter.containing(timezone.localdate())
    return [(str(q), str(q)) for q in reversed(current.back(count))]


def filter_choices(scope: StatisticsScope) -> dict[str, list[tuple[str, str]]]:
    return {
        "quarters": quarter_choices(),
        "organisations": [(str(o.pk), o.name) for o in scope.organisations()],
        "countries": [(c, country_name(c)) for c in scope.countries()],
        "packs": sorted(
            ((code, rules.name) for code, rules in shipped_packs().items()), key=lambda c: c[1]
        ),
    }
