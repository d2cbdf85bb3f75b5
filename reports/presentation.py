"""The report prepared for a page or a printed document: charts rendered to SVG next to the
published tables. Everything here reads tables already suppressed."""

from __future__ import annotations

from typing import Any

from django.utils.safestring import mark_safe

from reports.charts import render_chart
from reports.sections import SectionResult


def section_context(section: SectionResult, *, prefix: str = "") -> dict[str, Any]:
    charts = []
    for index, chart in enumerate(section.charts):
        table = section.table(chart.table)
        chart_id = f"{prefix}{section.key}-{index}"
        # The SVG is built from escaped labels and numbers only (reports.charts).
        charts.append({"svg": mark_safe(render_chart(chart_id, chart, table)), "chart": chart})  # noqa: S308
    return {
        "key": section.key,
        "title": section.title,
        "figures": section.figures,
        "charts": charts,
        "tables": [table.published() for table in section.tables],
        "notes": section.notes,
    }
