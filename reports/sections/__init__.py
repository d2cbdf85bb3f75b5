"""The quarterly report as a list of sections (SPEC C12), one module each.

A section computes its tables from plain columns and codes in a handful of grouped queries and
returns them unsuppressed; ``reports.quarterly`` suppresses every table with the same k before
anything leaves the server. A capability that adds data (closures) adds one module here and
one line to ``QUARTERLY_SECTIONS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reports.suppression import Table

if TYPE_CHECKING:
    from reports.scope import StatisticsScope


@dataclass
class Chart:
    """A chart drawn from a published table: ``bar`` (one column), ``stacked`` (several
    columns per row) or ``line`` (rows are periods)."""

    kind: str
    table: str
    title: str
    description: str
    columns: list[str] | None = None


@dataclass
class Figure:
    """A single published number (a mean, a ratio), shown only when it rests on k or more
    cases; ``value`` is None otherwise."""

    key: str
    label: str
    value: float | None
    unit: str = ""
    basis: int = 0


@dataclass
class SectionResult:
    key: str
    title: str
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


SectionBuilder = Callable[["StatisticsScope", int], SectionResult]


def quarterly_sections() -> list[tuple[str, SectionBuilder]]:
    """The sections in report order. Imported late: each module imports the models it reads."""
    from reports.sections import (
        access,
        budget,
        caseloads,
        cases,
        expenditure,
        outcomes,
        referrals,
        services,
        timeliness,
    )

    return [
        ("cases", cases.build),
        ("services", services.build),
        ("referrals", referrals.build),
        ("budget", budget.build),
        ("expenditure", expenditure.build),
        ("timeliness", timeliness.build),
        ("outcomes", outcomes.build),
        ("first_access", access.build),
        ("caseloads", caseloads.build),
    ]


def figure_if_enough(
    key: str, label: str, value: float | None, *, basis: int, k: int, unit: str = ""
) -> Figure:
    """A mean or ratio over fewer than k cases is withheld like a small cell."""
    # A zero count says nobody, which reveals no one.
    shown = value if value is not None and (basis >= k or (basis == 0 and value == 0)) else None
    return Figure(key=key, label=label, value=shown, unit=unit, basis=basis if shown else 0)
