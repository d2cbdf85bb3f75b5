"""Charts drawn on the server as SVG (SPEC C12): bar, stacked bar and line. No script: the
SVG carries a title and a description for screen readers, each chart sits next to the table
with the same numbers, and it prints. Suppressed values are not drawn; a mark says so."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django.utils.translation import gettext as _

from lib.formatting import format_number
from reports.sections import Chart
from reports.suppression import SUPPRESSED, Table

# Colour-blind safe palette (Okabe-Ito), dark enough for labels on white.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
WIDTH = 640
LABEL_WIDTH = 200
ROW_HEIGHT = 22
LEGEND_HEIGHT = 24


@dataclass
class Series:
    code: str
    label: str
    colour: str


def _series(table: Table, columns: list[str] | None) -> list[Series]:
    wanted = columns or [code for code, _label in table.columns]
    labels = dict(table.columns)
    return [
        Series(str(code), str(labels.get(code, code)), PALETTE[i % len(PALETTE)])
        for i, code in enumerate(wanted)
    ]


def _open(chart_id: str, title: str, description: str, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]


def _legend(series: list[Series], y: int) -> list[str]:
    parts = []
    x = LABEL_WIDTH
    for s in series:
        parts.append(f'<rect x="{x}" y="{y}" width="12" height="12" fill="{s.colour}"/>')
        parts.append(
            f'<text x="{x + 16}" y="{y + 11}" font-size="12" fill="#1c2430">'
            f"{escape(s.label)}</text>"
        )
        x += 24 + 7 * len(s.label)
    return parts


def _rows_with_data(table: Table, series: list[Series]) -> list[tuple[str, str]]:
    return [
        (code, label)
        for code, label in table.rows
        if any(table.shown(code, s.code) not in (0,) for s in series)
    ]


def bar_chart(chart_id: str, chart: Chart, table: Table) -> str:
    """Horizontal bars (stacked when the chart names several columns)."""
    series = _series(table, chart.columns)
    rows = _rows_with_data(table, series)
    height = LEGEND_HEIGHT + max(1, len(rows)) * ROW_HEIGHT + 10
    parts = _open(chart_id, chart.title, chart.description, height)
    if len(series) > 1:
        parts += _legend(series, 4)
    totals = [sum(table.shown(code, s.code) or 0 for s in series) for code, _label in rows]
    top = max(totals, default=0) or 1
    span = WIDTH - LABEL_WIDTH - 60
    for index, (code, label) in enumerate(rows):
        y = LEGEND_HEIGHT + index * ROW_HEIGHT
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" font-size="12" text-anchor="end" '
            f'fill="#1c2430">{escape(label[:32])}</text>'
        )
        x = float(LABEL_WIDTH)
        hidden = False
        for s in series:
            value = table.shown(code, s.code)
            if value is None:
                hidden = True
                continue
            width = span * value / top
            if width > 0:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y + 3}" width="{width:.1f}" height="{ROW_HEIGHT - 6}" '
                    f'fill="{s.colour}"><title>{escape(s.label)}: {format_number(value)}</title>'
                    "</rect>"
                )
            x += width
        shown_total = sum(table.shown(code, s.code) or 0 for s in series)
        text = format_number(shown_total) + (f" {SUPPRESSED}" if hidden else "")
        if hidden and shown_total == 0:
            text = SUPPRESSED
        parts.append(
            f'<text x="{x + 4:.1f}" y="{y + 15}" font-size="12" fill="#1c2430">'
            f"{escape(text)}</text>"
        )
    if not rows:
        parts.append(
            f'<text x="{LABEL_WIDTH}" y="{LEGEND_HEIGHT + 15}" font-size="12" fill="#4a5564">'
            f"{escape(_('Nothing to show'))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def line_chart(chart_id: str, chart: Chart, table: Table) -> str:
    """One line per column over the rows (periods); a suppressed point breaks the line."""
    series = _series(table, chart.columns)
    height = 260
    left, right, top_margin, bottom = 50, 20, LEGEND_HEIGHT + 10, 40
    parts = _open(chart_id, chart.title, chart.description, height)
    parts += _legend(series, 4)
    values = [table.shown(code, s.code) for code, _l in table.rows for s in series]
    peak = max((v for v in values if v is not None), default=0) or 1
    plot_w = WIDTH - left - right
    plot_h = height - top_margin - bottom
    count = max(1, len(table.rows) - 1)
    parts.append(
        f'<line x1="{left}" y1="{top_margin + plot_h}" x2="{WIDTH - right}" '
        f'y2="{top_margin + plot_h}" stroke="#4a5564"/>'
    )
    parts.append(
        f'<text x="{left - 6}" y="{top_margin + 4}" font-size="11" text-anchor="end" '
        f'fill="#4a5564">{escape(format_number(peak))}</text>'
    )
    for index, (_code, label) in enumerate(table.rows):
        x = left + plot_w * index / count
        parts.append(
            f'<text x="{x:.1f}" y="{height - 18}" font-size="11" text-anchor="middle" '
            f'fill="#1c2430">{escape(label)}</text>'
        )
    for s in series:
        segment: list[str] = []
        for index, (code, _label) in enumerate(table.rows):
            value = table.shown(code, s.code)
            x = left + plot_w * index / count
            if value is None:
                if len(segment) > 1:
                    parts.append(
                        f'<polyline fill="none" stroke="{s.colour}" stroke-width="2" '
                        f'points="{" ".join(segment)}"/>'
                    )
                segment = []
                continue
            y = top_margin + plot_h - plot_h * value / peak
            segment.append(f"{x:.1f},{y:.1f}")
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{s.colour}">'
                f"<title>{escape(s.label)} {escape(str(_label))}: {format_number(value)}</title>"
                "</circle>"
            )
        if len(segment) > 1:
            parts.append(
                f'<polyline fill="none" stroke="{s.colour}" stroke-width="2" '
                f'points="{" ".join(segment)}"/>'
            )
    parts.append("</svg>")
    return "".join(parts)


def render_chart(chart_id: str, chart: Chart, table: Table) -> str:
    if chart.kind == "line":
        return line_chart(chart_id, chart, table)
    return bar_chart(chart_id, chart, table)
