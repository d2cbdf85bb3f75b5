"""The outcome trajectory as a printed document (PDF), in the language the person reads."""

from __future__ import annotations

from django.utils import timezone, translation

from cases.models import Case
from lib.pdf import render_pdf
from monitoring.charts import trajectory_svg
from monitoring.selectors import trajectory


def trajectory_pdf(case: Case, *, language: str) -> bytes:
    """The chart, the change since baseline per domain and the domains that worsened; the
    caller checked access and audits the print."""
    with translation.override(language):
        outcome = trajectory(case, language=language)
        context = {
            "case": case,
            "trajectory": outcome,
            "chart": trajectory_svg(outcome),
            "title": outcome.framework.title.text(language),
            "levels": [
                (level.score, level.label.text(language), level.description.text(language))
                for level in outcome.framework.levels
            ],
            "printed_on": timezone.localdate(),
        }
    return render_pdf("monitoring/print_trajectory.html", context, language=language)
