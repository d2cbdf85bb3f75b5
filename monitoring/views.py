"""The "Monitoring" section of the case file (SPEC C8): phase, contacts, outcome trajectory
and setbacks. Thin: the chokepoint, a form, a service, a template."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import BadRequest, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import Acting, CaseAction
from accounts.roles import Capability
from assessments.selectors import chosen_print_language, print_language
from cases.models import Case
from cases.views.common import apply_errors, case_for, render_section
from lib.errors import StaleEdit
from lib.views import acting_or_403, capability_required, login_required_verified
from monitoring import selectors
from monitoring.charts import trajectory_svg
from monitoring.codes import REPORT_HEADINGS, ContactReport
from monitoring.forms import (
    ContactForm,
    OutcomeScoresForm,
    PhaseTransitionForm,
    ReportChoiceForm,
    SetbackForm,
)
from monitoring.framework import current_framework
from monitoring.printing import trajectory_pdf
from monitoring.services import (
    NoteInput,
    ScoreInput,
    contact_record,
    contact_update,
    outcome_scores_record,
    phase_transition_record,
    setback_record,
    trajectory_print_record,
)

CONTACTS_PER_PAGE = 20
SECTION = "monitoring"


def _section(
    request: HttpRequest,
    acting: Acting,
    case: Case,
    *,
    phase_form: PhaseTransitionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    summary = selectors.phase_summary(case, today=today)
    page = Paginator(selectors.contacts_of(case), CONTACTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    outcome = selectors.trajectory(case)
    return render_section(
        request,
        "monitoring/section.html",
        acting,
        case,
        SECTION,
        {
            "summary": summary,
            "phase_form": phase_form
            or (PhaseTransitionForm(summary=summary) if summary.choices else None),
            "next_due": selectors.next_contact_due(case),
            "today": today,
            "page": page,
            "trajectory": outcome,
            "chart": trajectory_svg(outcome) if outcome.measurements else None,
            "setbacks": list(selectors.setbacks_of(case)),
        },
        status=status,
    )


@login_required_verified
@require_GET
def monitoring_view(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    return _section(request, acting, case)


@login_required_verified
@require_POST
def phase_transition_view(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.MANAGE)
    summary = selectors.phase_summary(case, today=timezone.localdate())
    form = PhaseTransitionForm(request.POST, summary=summary)
    if form.is_valid():
        try:
            transition = phase_transition_record(acting=acting, case=case, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            # 004 SW-13: a new phase is the moment to look at the person's situation again.
            messages.success(
                request,
                _("%(phase)s recorded from %(day)s. Consider a re-assessment now.")
                % {"phase": transition.phase_label, "day": transition.started_on.isoformat()},
            )
            return redirect(reverse("monitoring:case", args=[case.pk]) + "#phase")
    return _section(request, acting, case, phase_form=form, status=422)


def _report(request: HttpRequest) -> str:
    report = request.GET.get("report") or request.POST.get("report") or ""
    return report if report in ContactReport.values else ContactReport.LONG_TERM


def _notes(form: ContactForm) -> dict[str, NoteInput]:
    return {
        str(heading): NoteInput(
            text=form.cleaned_data.get(f"note_{heading}") or "",
            rating=form.cleaned_data.get(f"rating_{heading}"),
        )
        for heading in REPORT_HEADINGS[form.report]
    }


@login_required_verified
@require_http_methods(["GET", "POST"])
def contact_new_view(request: HttpRequest, case_id: int) -> HttpResponse:
    # The service checks work, or follow-up once the case is closed.
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    report = _report(request)
    # After closure the contact is a follow-up contact (SPEC C9).
    initial = {"purpose": "follow_up"} if case.status == "closed" else None
    form = ContactForm(request.POST or None, report=report, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            contact_record(
                acting=acting,
                case=case,
                occurred_on=form.cleaned_data["occurred_on"],
                mode=form.cleaned_data["mode"],
                purpose=form.cleaned_data["purpose"],
                report=report,
                participants=form.cleaned_data["participants"],
                notes=_notes(form),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Contact recorded; the next one is scheduled."))
            return redirect("monitoring:case", case_id=case.pk)
    return render_section(
        request,
        "monitoring/contact_form.html",
        acting,
        case,
        SECTION,
        {
            "form": form,
            "report_form": ReportChoiceForm(initial={"report": report}),
            "report": report,
            "report_label": ContactReport(report).label,
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required_verified
@require_http_methods(["GET", "POST"])
def contact_detail_view(request: HttpRequest, case_id: int, contact_id: int) -> HttpResponse:
    acting, case = case_for(
        request, case_id, CaseAction.WORK if request.method == "POST" else CaseAction.VIEW
    )
    contact = selectors.contact_of(case, contact_id)
    notes = {note.heading: note for note in contact.notes.all()}
    initial: dict[str, Any] = {
        "occurred_on": contact.occurred_on,
        "mode": contact.mode,
        "purpose": contact.purpose,
        "participants": contact.get_plain_or_erased("participants") or "",
    }
    for heading, note in notes.items():
        initial[f"note_{heading}"] = note.get_plain_or_erased("text") or ""
        initial[f"rating_{heading}"] = note.rating
    form = ContactForm(request.POST or None, report=contact.report, initial=initial)
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            contact_update(
                acting=acting,
                contact=contact,
                expected_version=int(request.POST.get("expected_version", "0")),
                mode=form.cleaned_data["mode"],
                participants=form.cleaned_data["participants"],
                notes=_notes(form),
            )
        except StaleEdit as error:
            stale = True
            contact = selectors.contact_of(case, error.current.pk)
            notes = {note.heading: note for note in contact.notes.all()}
            form.add_error(None, str(error))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Contact updated."))
            return redirect("monitoring:contact", case_id=case.pk, contact_id=contact.pk)
    rows = [(heading, notes.get(heading)) for heading in REPORT_HEADINGS[contact.report]]
    return render_section(
        request,
        "monitoring/contact.html",
        acting,
        case,
        SECTION,
        {
            "contact": contact,
            "rows": rows,
            "form": form,
            "stale": stale,
            "report_label": contact.get_report_display(),
        },
        status=(409 if stale else 422) if request.method == "POST" else 200,
    )


@login_required_verified
@require_http_methods(["GET", "POST"])
def outcomes_new_view(request: HttpRequest, case_id: int) -> HttpResponse:
    # The service checks work, or follow-up once the case is closed.
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    framework = current_framework()
    form = OutcomeScoresForm(request.POST or None, framework=framework)
    if request.method == "POST" and form.is_valid():
        scores = {
            domain.code: ScoreInput(
                worker=form.cleaned_data.get(f"worker_{domain.code}"),
                person=form.cleaned_data.get(f"person_{domain.code}"),
            )
            for domain in framework.domains
        }
        try:
            outcome_scores_record(
                acting=acting,
                case=case,
                occasion=form.cleaned_data["occasion"],
                taken_on=form.cleaned_data["taken_on"],
                scores=scores,
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Outcome scores recorded."))
            return redirect("monitoring:trajectory", case_id=case.pk)
    return render_section(
        request,
        "monitoring/outcomes_form.html",
        acting,
        case,
        SECTION,
        {"form": form, "framework": framework},
        status=422 if request.method == "POST" else 200,
    )


@login_required_verified
@require_GET
def trajectory_view(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    outcome = selectors.trajectory(case)
    return render_section(
        request,
        "monitoring/trajectory.html",
        acting,
        case,
        SECTION,
        {
            "trajectory": outcome,
            "chart": trajectory_svg(outcome) if outcome.measurements else None,
            "print_language": print_language(case, acting.user),
        },
    )


@login_required_verified
@require_GET
def trajectory_print_view(request: HttpRequest, case_id: int) -> HttpResponse:
    """The trajectory as PDF in the person's language (or ?lang=)."""
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    try:
        language = chosen_print_language(case, acting.user, request.GET.get("lang", ""))
    except ValidationError as exc:
        raise BadRequest(exc.messages[0]) from exc
    pdf = trajectory_pdf(case, language=language)
    trajectory_print_record(acting=acting, case=case, language=language)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="outcomes-{case.code}.pdf"'
    return response


@login_required_verified
@require_http_methods(["GET", "POST"])
def setback_new_view(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.WORK)
    summary = selectors.phase_summary(case, today=timezone.localdate())
    form = SetbackForm(request.POST or None, summary=summary)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        values.setdefault("return_to_phase", "")
        try:
            setback_record(acting=acting, case=case, **values)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Setback recorded."))
            return redirect(reverse("monitoring:case", args=[case.pk]) + "#setbacks")
    return render_section(
        request,
        "monitoring/setback_form.html",
        acting,
        case,
        SECTION,
        {"form": form},
        status=422 if request.method == "POST" else 200,
    )


# ---------------------------------------------------------------- work queue fragments
# Loaded by htmx into "My work" and the team page after the page itself, so that neither
# page pays for them.


@capability_required(Capability.WORK_QUEUE)
@require_GET
def next_contacts_view(request: HttpRequest) -> HttpResponse:
    acting = acting_or_403(request)
    return render(
        request,
        "monitoring/_next_contacts.html",
        {"next_contacts": selectors.next_contacts_for(acting, today=timezone.localdate())},
    )


@capability_required(Capability.CASELOAD_VIEW)
@require_GET
def overdue_by_worker_view(request: HttpRequest) -> HttpResponse:
    acting = acting_or_403(request)
    return render(
        request,
        "monitoring/_overdue_by_worker.html",
        {
            "overdue_monitoring": selectors.overdue_monitoring_by_worker(
                acting.organisation, today=timezone.localdate()
            )
        },
    )
