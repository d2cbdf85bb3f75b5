"""Who sees which statistics, and the filters every report takes (SPEC C12).

Coordinators and analysts see the organisations of their own country (the national programme
the coordinating body runs); an organisation's supervisors see their own organisation. Every
figure is an aggregate, suppressed per k; nobody gets a case from here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import Acting
from accounts.models import Organisation
from accounts.roles import Capability
from policies.packs import shipped_packs


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int  # 1-4

    @classmethod
    def containing(cls, day: datetime.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """ "2026-Q3" (or "2026Q3", "2026-3")."""
        cleaned = text.strip().upper().replace("Q", "-").replace("--", "-")
        parts = [p for p in cleaned.split("-") if p]
        if len(parts) != 2 or not all(p.isdigit() for p in parts):
            raise ValueError(text)
        year, number = int(parts[0]), int(parts[1])
        if not 1 <= number <= 4 or not 2000 <= year <= 2100:
            raise ValueError(text)
        return cls(year, number)

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 3 * (self.number - 1) + 1, 1)

    @property
    def end(self) -> datetime.date:
        following = self.next()
        return following.start - datetime.timedelta(days=1)

    def next(self) -> Quarter:
        return Quarter(self.year + (self.number == 4), self.number % 4 + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - (self.number == 1), (self.number - 2) % 4 + 1)

    def back(self, count: int) -> list[Quarter]:
        """This quarter and the ``count - 1`` before it, oldest first."""
        quarters = [self]
        while len(quarters) < count:
            quarters.append(quarters[-1].previous())
        return list(reversed(quarters))

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"


class StatisticsScope:
    """The organisations whose cases a user's statistics count, and the filters chosen."""

    NATIONAL = "national"
    ORGANISATION = "organisation"

    def __init__(
        self,
        acting: Acting,
        *,
        quarter: Quarter | None = None,
        organisation_id: int | None = None,
        country: str = "",
        pack: str = "",
    ) -> None:
        self.acting = acting
        if acting.can(Capability.STATISTICS_NATIONAL) or acting.can(
            Capability.STATISTICS_DEIDENTIFIED
        ):
            self.level = self.NATIONAL
        elif acting.can(Capability.CASELOAD_VIEW):
            self.level = self.ORGANISATION
        else:
            raise PermissionDenied("no statistics for this role")
        self.quarter = quarter or Quarter.containing(timezone.localdate())
        errors: dict[str, list[str]] = {}
        allowed = self.organisations()
        if organisation_id is not None and not allowed.filter(pk=organisation_id).exists():
            errors["organisation"] = [_("Choose one of the listed organisations.")]
        country = country.strip().upper()
        if country and country not in self.countries():
            errors["country"] = [_("Choose one of the listed countries.")]
        if pack and pack not in shipped_packs():
            errors["pack"] = [_("Choose one of the listed policy packs.")]
        if errors:
            raise ValidationError(errors)
        self.organisation_id = organisation_id
        self.country = country
        self.pack = pack

    @classmethod
    def for_organisation(cls, acting: Acting) -> StatisticsScope:
        """The acting organisation alone, whatever wider scope the user also has."""
        scope = cls(acting)
        scope.level = cls.ORGANISATION
        return scope

    def organisations(self) -> QuerySet[Organisation]:
        """Every organisation this user may count (the filter's choices)."""
        if self.level == self.ORGANISATION:
            return Organisation.objects.filter(pk=self.acting.organisation.pk)
        return Organisation.objects.filter(country=self.acting.organisation.country).order_by(
            "name"
        )

    def countries(self) -> list[str]:
        return [self.acting.organisation.country]

    def case_condition(self, prefix: str = "") -> Q:
        """The condition on cases (through ``prefix``, e.g. "case__") counted by the scope."""
        p = prefix
        if self.level == self.ORGANISATION:
            condition = Q(**{f"{p}organisation_id": self.acting.organisation.pk})
        else:
            condition = Q(**{f"{p}organisation__country": self.acting.organisation.country})
        if self.organisation_id is not None:
            condition &= Q(**{f"{p}organisation_id": self.organisation_id})
        if self.country:
            condition &= Q(**{f"{p}organisation__country": self.country})
        if self.pack:
            condition &= Q(**{f"{p}policy_pack": self.pack})
        return condition

    def organisation_condition(self, field: str) -> Q:
        """The same scope on an organisation foreign key ``field`` (e.g. "sender")."""
        if self.level == self.ORGANISATION:
            condition = Q(**{f"{field}_id": self.acting.organisation.pk})
        else:
            condition = Q(**{f"{field}__country": self.acting.organisation.country})
        if self.organisation_id is not None:
            condition &= Q(**{f"{field}_id": self.organisation_id})
        if self.country:
            condition &= Q(**{f"{field}__country": self.country})
        if self.pack:
            condition &= Q(**{f"{field}__policy_pack": self.pack})
        return condition

    def describe_plain(self) -> dict[str, str]:
        return {key: str(value) for key, value in self.describe().items()}

    def describe(self) -> dict[str, object]:
        organisation = (
            self.organisations().filter(pk=self.organisation_id).first()
            if self.organisation_id is not None
            else None
        )
        return {
            "quarter": str(self.quarter),
            "start": self.quarter.start,
            "end": self.quarter.end,
            "level": self.level,
            "organisation": organisation.name if organisation else "",
            "country": self.country or self.acting.organisation.country,
            "pack": self.pack,
        }
