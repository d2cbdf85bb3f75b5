"""The closure review in the layout of the TdH Final Note (000 L198-L199), printed in the
language the person reads."""

from __future__ import annotations

from django.utils import timezone, translation

from cases.models import Case
from closure.models import CaseClosure
from lib.pdf import render_pdf


def closure_pdf(case: Case, closure: CaseClosure, *, language: str) -> bytes:
    """The caller checked access and audits the print."""
    with translation.override(language):
        text = closure.get_plain_or_erased
        context = {
            "case": case,
            "closure": closure,
            "person_name": case.person.full_name,
            "objectives": [
                (
                    row.objective.get_plain_or_erased("title")
                    or row.objective.get_domain_display(),
                    row.get_result_display(),
                )
                for row in closure.objectives.all()
            ],
            "person_words": text("person_words") or "",
            "worker_assessment": text("worker_assessment") or "",
            "remaining_needs": text("remaining_needs") or "",
            "follow_up_actions": text("follow_up_actions") or "",
            "printed_on": timezone.localdate(),
        }
    return render_pdf("closure/print_final_note.html", context, language=language)
