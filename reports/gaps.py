"""Counts of services needed but not delivered, by category, reason and area (issue 7 part 5;
004 §2.9), moved here from the referrals so that they pass through the same small-cell
suppression as every other statistic. Only the four codes and a count leave the query."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count

from referrals.models import UnmetNeed
from reports.scope import StatisticsScope
from reports.suppression import Table, minimum_cell


@dataclass(frozen=True)
class GapFilters:
    country: str = ""
    category: str = ""
    reason: str = ""


def gap_table(scope: StatisticsScope, filters: GapFilters, *, k: int | None = None) -> Table:
    """The counts as one suppressed list with its total (a cell below k, and whatever would
    let it be worked out from the total, is hidden)."""
    rows = UnmetNeed.objects.filter(scope.case_condition("case__"))
    if filters.country:
        rows = rows.filter(country=filters.country.upper())
    if filters.category:
        rows = rows.filter(category=filters.category)
    if filters.reason:
        rows = rows.filter(reason=filters.reason)
    grouped = (
        rows.values("category", "reason", "country", "region")
        .annotate(count=Count("id"))
        .order_by("category", "reason", "country", "region")
    )
    keys: list[tuple[str, str]] = []
    counts: dict[tuple[str, str], int] = {}
    for row in grouped:
        key = "|".join((row["category"], row["reason"], row["country"], row["region"]))
        keys.append((key, key))
        counts[(key, "n")] = row["count"]
    table = Table(
        key="gaps",
        title="gaps",
        row_label="area",
        rows=keys,
        columns=[("n", "n")],
        counts=counts,
    )
    return table.suppress(k if k is not None else minimum_cell())


def gap_counts(
    scope: StatisticsScope, filters: GapFilters, *, k: int | None = None
) -> list[dict[str, Any]]:
    """One dict per category, reason and area; ``count`` is None where suppressed."""
    table = gap_table(scope, filters, k=k)
    out = []
    for key, _label in table.rows:
        category, reason, country, region = key.split("|", 3)
        out.append(
            {
                "category": category,
                "reason": reason,
                "country": country,
                "region": region,
                "count": table.shown(key, "n"),
            }
        )
    return out


def gap_total(scope: StatisticsScope, filters: GapFilters, *, k: int | None = None) -> int | None:
    table = gap_table(scope, filters, k=k)
    return table.shown(Table.ROW_TOTAL, "n")
