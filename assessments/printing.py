"""An assessment as a printed document (PDF), in the language the person reads."""

from __future__ import annotations

from django.utils import timezone, translation

from assessments import selectors
from assessments.display import answer_sections, summary_lines
from assessments.models import Assessment
from cases.models import Case
from lib.pdf import render_pdf


def assessment_pdf(case: Case, assessment: Assessment, language: str) -> bytes:
    """The PDF of ``assessment`` in ``language``; the caller checked access and audits."""
    definition = selectors.definition_of(assessment)
    with translation.override(language):
        context = {
            "case": case,
            "assessment": assessment,
            "definition": definition,
            "title": definition.title.text(language),
            "sections": answer_sections(definition, selectors.stored_answers(assessment) or {}),
            "summary": summary_lines(definition, selectors.stored_summary(assessment)),
            "disagreements": selectors.disagreements_of(assessment),
            "printed_on": timezone.localdate(),
        }
    return render_pdf("assessments/print.html", context, language=language)
