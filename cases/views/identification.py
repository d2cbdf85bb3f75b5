"""Identification and intake (SPEC C2): screening, the interview, status decisions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import CaseAction
from cases.codes import IdentificationStatus, InterviewPrinciple
from cases.forms import DecisionForm, InterviewForm, ScreeningForm
from cases.selectors import active_indicators, identification_of
from cases.services import (
    ALLOWED_TRANSITIONS,
    StaleEdit,
    identification_transition,
    interview_record,
    screening_record,
)
from cases.views.common import apply_errors, case_for, render_section
from consent.services import ConsentRequired
from lib.views import login_required_verified


@login_required_verified
def identification_view(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    context = identification_of(case)
    context["next_statuses"] = sorted(ALLOWED_TRANSITIONS[case.identification_status])
    context["InterviewPrinciple"] = InterviewPrinciple
    context["identification_status_choices"] = IdentificationStatus
    return render_section(
        request, "cases/identification.html", acting, case, "identification", context
    )


@login_required_verified
@require_http_methods(["GET", "POST"])
def screening_create_view(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.WORK)
    form = ScreeningForm(request.POST or None, indicators=active_indicators())
    if request.method == "POST" and form.is_valid():
        try:
            screening_record(
                acting=acting,
                case=case,
                screened_on=form.cleaned_data["screened_on"],
                indicator_ids=[i.pk for i in form.cleaned_data["indicators"]],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Screening recorded."))
            return redirect("cases:identification", case_id=case.pk)
    return render_section(
        request,
        "cases/form.html",
        acting,
        case,
        "identification",
        {"form": form, "title": _("Trafficking-indicator screening")},
    )


@login_required_verified
@require_http_methods(["GET", "POST"])
def interview_create_view(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.WORK)
    form = InterviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            interview_record(acting=acting, case=case, **form.cleaned_data)
        except ConsentRequired as missing:
            form.add_error(None, str(missing))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Interview recorded."))
            return redirect("cases:identification", case_id=case.pk)
    return render_section(
        request,
        "cases/form.html",
        acting,
        case,
        "identification",
        {
            "form": form,
            "title": _("Initial identification interview"),
            # 003 §5.1: emergency needs come before the interview.
            "intro": _("Meet emergency needs before the interview."),
        },
    )


@login_required_verified
@require_http_methods(["GET", "POST"])
def decision_create_view(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.MANAGE)
    initial: dict[str, object] = {"version": case.version}
    if request.GET.get("to"):
        initial["to_status"] = request.GET["to"]
    form = DecisionForm(request.POST or None, request.FILES or None, initial=initial)
    status = 200
    stale: str | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            identification_transition(
                acting=acting,
                case=case,
                to_status=data["to_status"],
                decided_on=data["decided_on"],
                identifying_body=data["identifying_body"],
                identifying_authority=data["identifying_authority"],
                referred_to=data["referred_to"],
                reason=data["reason"],
                decision_document=data["decision_document"],
                expected_version=data["version"],
            )
        except StaleEdit as stale_case:
            form = DecisionForm(initial={"version": stale_case.current.version})
            stale = _("Someone changed this case meanwhile; its status is now “%(status)s”.") % {
                "status": stale_case.current.get_identification_status_display()
            }
            status = 409
        except ConsentRequired as missing:
            form.add_error(None, str(missing))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Identification status changed."))
            return redirect("cases:identification", case_id=case.pk)
    return render_section(
        request,
        "cases/form.html",
        acting,
        case,
        "identification",
        {
            "form": form,
            "title": _("Change the identification status"),
            "multipart": True,
            "stale": stale,
        },
        status=status,
    )
