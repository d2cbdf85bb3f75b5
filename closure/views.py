"""The "Closure" section of the case file (SPEC C9): the closure review and its approval,
follow-up after closure, reopening, and the printable closure review / Final Note. Thin: the
chokepoint, a form, a service, a template."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import Acting, CaseAction
from accounts.roles import Capability
from assessments.selectors import print_language
from cases.models import Case
from cases.views.common import apply_errors, case_for, render_section
from closure import selectors
from closure.codes import ClosureStatus
from closure.forms import (
    ClosedCaseFilterForm,
    ClosureDecisionForm,
    ClosureForm,
    FollowUpEndForm,
    ReopenForm,
)
from closure.printing import closure_pdf
from closure.services import (
    case_reopen,
    closure_decide,
    closure_print_record,
    closure_propose,
    follow_up_end,
    open_activities,
    open_referrals,
)
from lib.errors import StaleEdit
from lib.views import acting_or_403, capability_required, login_required_verified
from monitoring.codes import phase_label
from monitoring.selectors import setbacks_of
from plans.models import Objective
from policies.selectors import policy_for_case

SECTION = "closure"


def _closure_form(case: Case, data: Any = None) -> ClosureForm:
    objectives = [
        (o.pk, o.get_plain_or_erased("title") or o.get_domain_display())
        for o in Objective.objects.filter(plan__case=case).select_related("data_key")
    ]
    activities = [
        (a.pk, a.get_plain_or_erased("description") or _("Activity")) for a in open_activities(case)
    ]
    referrals = [(r.pk, str(r.get_category_display())) for r in open_referrals(case)]
    return ClosureForm(data, objectives=objectives, activities=activities, referrals=referrals)


def _reopen_form(case: Case, data: Any = None) -> ReopenForm:
    setbacks = [(s.pk, s.occurred_on.isoformat()) for s in setbacks_of(case)[:50]]
    phases = [(p.key, phase_label(p.key)) for p in policy_for_case(case).monitoring.phases]
    return ReopenForm(data, setbacks=setbacks, phases=phases)


def _section(
    request: HttpRequest,
    acting: Acting,
    case: Case,
    *,
    closure_form: ClosureForm | None = None,
    decision_form: ClosureDecisionForm | None = None,
    end_form: FollowUpEndForm | None = None,
    reopen_form: ReopenForm | None = None,
    status: int = 200,
) -> HttpResponse:
    closures = selectors.closures_of(case)
    proposed = next((c for c in closures if c.status == ClosureStatus.PROPOSED), None)
    current = next((c for c in closures if c.status == ClosureStatus.APPROVED), None)
    closed = case.status == "closed"
    can_manage = not closed and proposed is None and acting.can(Capability.CASE_WORK_OWN)
    return render_section(
        request,
        "closure/section.html",
        acting,
        case,
        SECTION,
        {
            "closures": closures,
            "proposed": proposed,
            "current": current if closed else None,
            "reopenings": selectors.reopenings_of(case),
            "follow_ups": selectors.follow_ups_of(case) if closed else [],
            "today": timezone.localdate(),
            "closure_form": closure_form or (_closure_form(case) if can_manage else None),
            "decision_form": decision_form
            or (
                ClosureDecisionForm(initial={"version": proposed.version})
                if proposed and acting.can(Capability.PLAN_APPROVE)
                else None
            ),
            "end_form": end_form
            or (
                FollowUpEndForm()
                if closed and current and current.follow_up_ended_on is None
                else None
            ),
            "reopen_form": reopen_form or (_reopen_form(case) if closed else None),
        },
        status=status,
    )


def _back(case: Case, anchor: str) -> HttpResponse:
    return redirect(reverse("closure:case", args=[case.pk]) + anchor)


@login_required_verified
@require_GET
def closure_view(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    return _section(request, acting, case)


@login_required_verified
@require_POST
def closure_propose_view(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.MANAGE)
    form = _closure_form(case, request.POST)
    if form.is_valid():
        try:
            closure_propose(acting=acting, case=case, **form.service_values())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The closure is proposed and waits for approval."))
            return _back(case, "#closures")
    return _section(request, acting, case, closure_form=form, status=422)


@login_required_verified
@require_POST
def closure_decide_view(request: HttpRequest, case_id: int, closure_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    closure = selectors.closure_of(case, closure_id)
    form = ClosureDecisionForm(request.POST)
    if form.is_valid():
        try:
            closure_decide(
                acting=acting,
                closure=closure,
                approve=form.cleaned_data["approve"],
                expected_version=form.cleaned_data["version"],
                note=form.cleaned_data["note"],
            )
        except StaleEdit as stale:
            form.add_error(None, str(stale))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The decision is recorded."))
            return _back(case, "#closures")
    return _section(request, acting, case, decision_form=form, status=422)


@login_required_verified
@require_POST
def follow_up_end_view(request: HttpRequest, case_id: int, closure_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.FOLLOW_UP)
    closure = selectors.closure_of(case, closure_id)
    form = FollowUpEndForm(request.POST)
    if form.is_valid():
        try:
            follow_up_end(acting=acting, closure=closure, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The end of follow-up is recorded."))
            return _back(case, "#follow-up")
    return _section(request, acting, case, end_form=form, status=422)


@login_required_verified
@require_POST
def reopen_view(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.REOPEN)
    form = _reopen_form(case, request.POST)
    if form.is_valid():
        values = dict(form.cleaned_data)
        setback_id = values.pop("setback")
        setback = setbacks_of(case).filter(pk=setback_id).first() if setback_id else None
        try:
            case_reopen(acting=acting, case=case, setback=setback, **values)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The case is open again."))
            return _back(case, "#reopenings")
    return _section(request, acting, case, reopen_form=form, status=422)


@login_required_verified
@require_GET
def closure_print_view(request: HttpRequest, case_id: int, closure_id: int) -> HttpResponse:
    """The closure review / Final Note as PDF in the person's language (or ?lang=)."""
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    closure = next((c for c in selectors.closures_of(case) if c.pk == closure_id), None)
    if closure is None:
        raise Http404
    language = request.GET.get("lang") or print_language(case, acting.user)
    pdf = closure_pdf(case, closure, language=language)
    closure_print_record(acting=acting, case=case, closure=closure, language=language)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="final-note-{case.code}.pdf"'
    return response


# Loaded by htmx into "My work" after the page itself.
FOLLOW_UPS_SHOWN = 50
CLOSED_PER_PAGE = 25


@capability_required(Capability.WORK_QUEUE)
@require_GET
def follow_ups_due_view(request: HttpRequest) -> HttpResponse:
    acting = acting_or_403(request)
    today = timezone.localdate()
    items = list(selectors.follow_ups_due_for(acting)[:FOLLOW_UPS_SHOWN])
    return render(request, "closure/_follow_ups_due.html", {"items": items, "today": today})


@login_required_verified
@require_GET
def closed_cases_view(request: HttpRequest) -> HttpResponse:
    """The closed cases the user may see, filtered by closure reason, planned or not, and
    whether follow-up is still running."""
    acting = acting_or_403(request, Capability.CASE_WORK_TEAM)
    form = ClosedCaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.closed_cases_for(acting, **{k: v for k, v in filters.items() if v})
    page = Paginator(rows, CLOSED_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "closure/closed_cases.html", {"form": form, "page": page})
