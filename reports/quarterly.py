"""The quarterly report (SPEC C12; 001 §1.2): the sections of ``reports.sections``, every table
suppressed with the installation's k before it is shown, downloaded or returned by the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reports.scope import StatisticsScope
from reports.sections import SectionResult, quarterly_sections
from reports.suppression import minimum_cell


@dataclass
class Report:
    scope: StatisticsScope
    k: int
    sections: list[SectionResult]

    def published(self) -> dict[str, Any]:
        """The report as data: suppressed values are None, never the number."""
        return {
            "scope": {
                key: str(value) if value is not None else None
                for key, value in self.scope.describe().items()
            },
            **published_sections(self.sections, self.k),
        }


def published_sections(sections: list[SectionResult], k: int) -> dict[str, Any]:
    """Sections as data (tables already suppressed): suppressed values are None."""
    return {
        "minimum_cell": k,
        "sections": [
            {
                "key": section.key,
                "title": section.title,
                "figures": [
                    {"key": f.key, "label": f.label, "value": f.value, "unit": f.unit}
                    for f in section.figures
                ],
                "tables": [table.published() for table in section.tables],
                "notes": section.notes,
            }
            for section in sections
        ],
    }


def suppressed(section: SectionResult, k: int) -> SectionResult:
    for table in section.tables:
        table.suppress(k)
    return section


def quarterly_report(scope: StatisticsScope, *, k: int | None = None) -> Report:
    cell = k if k is not None else minimum_cell()
    return Report(
        scope=scope,
        k=cell,
        sections=[suppressed(build(scope, cell), cell) for _key, build in quarterly_sections()],
    )
