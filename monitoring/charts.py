"""The outcome trajectory as server-rendered SVG (SPEC C8; DESIGN: no JavaScript chart).

One small chart per domain, on the same 1-5 scale and the same time axis, so a page, a
tablet and a printed sheet read alike: the worker's scores as a solid line with round
markers, the person's own scores as a dashed line with square markers. Only presentation
attributes are used (no ``style``), which the content security policy allows inline, and
every text is escaped.
"""

from __future__ import annotations

import datetime
from xml.sax.saxutils import escape, quoteattr

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from lib.formatting import format_date
from monitoring.selectors import DomainTrajectory, Trajectory

COLUMNS = 3
PANEL_WIDTH = 320
PANEL_HEIGHT = 180
PLOT_LEFT = 34
PLOT_RIGHT = 14
PLOT_TOP = 46
PLOT_BOTTOM = 30
WORKER = "#1f4e79"
PERSON = "#b45309"
GRID = "#d0d5dd"
INK = "#1d2939"
FONT = "DejaVu Sans, Arial, sans-serif"


def _x(day: datetime.date, first: datetime.date, last: datetime.date) -> float:
    width = PANEL_WIDTH - PLOT_LEFT - PLOT_RIGHT
    span = (last - first).days
    if span <= 0:
        return PLOT_LEFT + width / 2
    return PLOT_LEFT + width * (day - first).days / span


def _y(score: int) -> float:
    height = PANEL_HEIGHT - PLOT_TOP - PLOT_BOTTOM
    return PLOT_TOP + height * (5 - score) / 4


def _text(x: float, y: float, content: str, **attributes: str) -> str:
    extra = "".join(
        f" {name.replace('_', '-')}={quoteattr(value)}" for name, value in attributes.items()
    )
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{escape(content)}</text>'


def _series(
    points: list[tuple[datetime.date, int]],
    first: datetime.date,
    last: datetime.date,
    *,
    colour: str,
    dashed: bool,
    square: bool,
) -> list[str]:
    if not points:
        return []
    coordinates = [(_x(day, first, last), _y(score)) for day, score in points]
    parts = []
    if len(coordinates) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates)
        dash = ' stroke-dasharray="5 4"' if dashed else ""
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>'
        )
    for x, y in coordinates:
        if square:
            parts.append(
                f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{colour}"/>'
            )
        else:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>')
    return parts


def _panel(domain: DomainTrajectory, first: datetime.date, last: datetime.date) -> list[str]:
    parts = [
        f'<rect x="0.5" y="0.5" width="{PANEL_WIDTH - 1}" height="{PANEL_HEIGHT - 1}" '
        f'fill="#ffffff" stroke="{GRID}"/>',
        _text(8, 18, domain.label, font_size="13", font_weight="bold", fill=INK),
    ]
    change = domain.change
    if change is not None:
        sign = "+" if change > 0 else ""
        parts.append(
            _text(
                8,
                34,
                _("%(change)s since baseline") % {"change": f"{sign}{change}"},
                font_size="11",
                fill="#b42318" if change < 0 else INK,
            )
        )
    for score in (1, 2, 3, 4, 5):
        y = _y(score)
        parts.append(
            f'<line x1="{PLOT_LEFT}" y1="{y:.1f}" x2="{PANEL_WIDTH - PLOT_RIGHT}" '
            f'y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(
            _text(PLOT_LEFT - 8, y + 4, str(score), font_size="10", text_anchor="end", fill=INK)
        )
    axis_y = PANEL_HEIGHT - PLOT_BOTTOM + 16
    parts.append(_text(PLOT_LEFT, axis_y, format_date(first, "short"), font_size="10", fill=INK))
    if last != first:
        parts.append(
            _text(
                PANEL_WIDTH - PLOT_RIGHT,
                axis_y,
                format_date(last, "short"),
                font_size="10",
                text_anchor="end",
                fill=INK,
            )
        )
    worker = [(p.taken_on, p.worker) for p in domain.points if p.worker is not None]
    person = [(p.taken_on, p.person) for p in domain.points if p.person is not None]
    if not worker and not person:
        parts.append(
            _text(
                PANEL_WIDTH / 2,
                PANEL_HEIGHT / 2 + 10,
                _("not scored yet"),
                font_size="11",
                text_anchor="middle",
                fill=INK,
            )
        )
    parts += _series(person, first, last, colour=PERSON, dashed=True, square=True)
    parts += _series(worker, first, last, colour=WORKER, dashed=False, square=False)
    return parts


def trajectory_svg(trajectory: Trajectory) -> SafeString:
    """The whole chart: a legend and one panel per domain of the framework."""
    first = trajectory.dates[0] if trajectory.dates else timezone.localdate()
    last = trajectory.dates[-1] if trajectory.dates else first
    rows = (len(trajectory.domains) + COLUMNS - 1) // COLUMNS
    legend_height = 30
    width = COLUMNS * PANEL_WIDTH + (COLUMNS - 1) * 10
    height = legend_height + rows * (PANEL_HEIGHT + 10)
    title = _("Outcome scores over time, by domain (1 in crisis to 5 thriving)")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="trajectory-title" '
        f'font-family={quoteattr(FONT)} class="trajectory-chart">',
        f'<title id="trajectory-title">{escape(title)}</title>',
        f'<line x1="0" y1="12" x2="28" y2="12" stroke="{WORKER}" stroke-width="2"/>',
        f'<circle cx="14" cy="12" r="4" fill="{WORKER}"/>',
        _text(36, 16, _("Worker's score"), font_size="12", fill=INK),
        f'<line x1="200" y1="12" x2="228" y2="12" stroke="{PERSON}" stroke-width="2" '
        f'stroke-dasharray="5 4"/>',
        f'<rect x="210.5" y="8.5" width="7" height="7" fill="{PERSON}"/>',
        _text(236, 16, _("The person's own score"), font_size="12", fill=INK),
    ]
    for index, domain in enumerate(trajectory.domains):
        column, row = index % COLUMNS, index // COLUMNS
        x = column * (PANEL_WIDTH + 10)
        y = legend_height + row * (PANEL_HEIGHT + 10)
        parts.append(f'<g transform="translate({x},{y})" data-domain={quoteattr(domain.code)}>')
        parts += _panel(domain, first, last)
        parts.append("</g>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text above is escaped)
