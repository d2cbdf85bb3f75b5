"""Teamwork pages: a case's crisis interventions, case meetings and the fund's information
requests (case workers), and the coordinator's own requests."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import (
    Acting,
    CaseAction,
    cases_funded_by,
    funded_case_for,
    information_requests_for,
    may_on_case,
)
from accounts.roles import Capability
from audit.models import AuditAction
from audit.services import record
from cases.models import Case
from cases.views.common import apply_errors, case_for, render_section
from lib.errors import StaleEdit
from lib.views import acting_or_403, login_required_verified
from teamwork.forms import AnswerForm, CrisisForm, InformationRequestForm, MeetingForm, MinutesForm
from teamwork.selectors import (
    crises_of,
    meeting_of,
    meetings_of,
    request_of,
    requests_listed,
    staff_choices,
)
from teamwork.services import (
    crisis_record,
    information_request_answer,
    information_request_create,
    meeting_minutes_share,
    meeting_record,
)

PAGE_SIZE = 20
STALE = gettext_lazy(
    "Someone changed this record while you were editing it; the current version is shown."
)


def _case_page(
    request: HttpRequest,
    acting: Acting,
    case: Case,
    *,
    bound: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    bound = bound or {}
    crises = Paginator(crises_of(case), PAGE_SIZE).get_page(request.GET.get("crises"))
    meetings = Paginator(meetings_of(case), PAGE_SIZE).get_page(request.GET.get("meetings"))
    requests = Paginator(
        requests_listed(information_requests_for(acting).filter(case=case)), PAGE_SIZE
    ).get_page(request.GET.get("requests"))
    for meeting in meetings:
        meeting.minutes_form = bound.get(  # type: ignore[attr-defined]  # page-only attribute
            f"minutes-{meeting.pk}",
            MinutesForm(
                prefix=f"m{meeting.pk}",
                initial={
                    "expected_version": meeting.version,
                    "minutes": meeting.get_plain_or_erased("minutes"),
                },
            ),
        )
    for item in requests:
        item.answer_form = bound.get(  # type: ignore[attr-defined]  # page-only attribute
            f"answer-{item.pk}",
            AnswerForm(prefix=f"a{item.pk}", initial={"expected_version": item.version}),
        )
    return render_section(
        request,
        "teamwork/case.html",  # the section read is audited by render_section
        acting,
        case,
        "teamwork",
        {
            "crises": crises,
            "meetings": meetings,
            "requests": requests,
            "crisis_form": bound.get("crisis", CrisisForm(prefix="c")),
            "meeting_form": bound.get(
                "meeting", MeetingForm(prefix="g", staff=staff_choices(case))
            ),
            "manages": may_on_case(acting, case, CaseAction.MANAGE),
        },
        status=status,
    )


@login_required_verified
@require_http_methods(["GET"])
def case_view(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    return _case_page(request, acting, case)


@login_required_verified
@require_POST
def crisis_create(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.WORK)
    form = CrisisForm(request.POST, prefix="c")
    if form.is_valid():
        try:
            crisis_record(acting=acting, case=case, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Crisis intervention recorded."))
            return redirect("teamwork:case", case_id=case.pk)
    return _case_page(request, acting, case, bound={"crisis": form}, status=422)


@login_required_verified
@require_POST
def meeting_create(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.WORK)
    form = MeetingForm(request.POST, prefix="g", staff=staff_choices(case))
    if form.is_valid():
        data = form.cleaned_data
        try:
            meeting_record(
                acting=acting,
                case=case,
                held_on=data["held_on"],
                participants=list(data["participants"]),
                minutes_due_on=data["minutes_due_on"],
                purpose=data["purpose"],
                decisions=data["decisions"],
                other_participants=data["other_participants"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Case meeting recorded."))
            return redirect("teamwork:case", case_id=case.pk)
    return _case_page(request, acting, case, bound={"meeting": form}, status=422)


@login_required_verified
@require_POST
def minutes_share(request: HttpRequest, case_id: int, meeting_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.WORK)
    meeting = meeting_of(case, meeting_id)
    form = MinutesForm(request.POST, prefix=f"m{meeting.pk}")
    if form.is_valid():
        try:
            meeting_minutes_share(acting=acting, meeting=meeting, **form.cleaned_data)
        except StaleEdit:
            form.add_error(None, STALE)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Minutes shared."))
            return redirect("teamwork:case", case_id=case.pk)
    return _case_page(request, acting, case, bound={f"minutes-{meeting.pk}": form}, status=422)


@login_required_verified
@require_POST
def request_answer(request: HttpRequest, case_id: int, request_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.MANAGE)
    item = request_of(information_requests_for(acting).filter(case=case), request_id)
    form = AnswerForm(request.POST, prefix=f"a{item.pk}")
    if form.is_valid():
        try:
            information_request_answer(acting=acting, request=item, **form.cleaned_data)
        except StaleEdit:
            form.add_error(None, STALE)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Answer sent to the fund."))
            return redirect("teamwork:case", case_id=case.pk)
    return _case_page(request, acting, case, bound={f"answer-{item.pk}": form}, status=422)


# ---------------------------------------------------------------- the coordinator


def _coordinator(request: HttpRequest) -> Acting:
    acting = acting_or_403(request)
    if not acting.can(Capability.PLAN_APPROVE_FUNDED):
        raise PermissionDenied
    return acting


@login_required_verified
@require_http_methods(["GET", "POST"])
def requests_view(request: HttpRequest) -> HttpResponse:
    """The fund's information requests on the cases it funds (001 §8.2): codes, questions and
    answers, never the case file."""
    acting = _coordinator(request)
    funded = list(cases_funded_by(acting).order_by("code")[:500])
    form = InformationRequestForm(request.POST or None, cases=funded)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            case = funded_case_for(acting, int(form.cleaned_data["case"]))
            try:
                information_request_create(
                    acting=acting,
                    case=case,
                    question=form.cleaned_data["question"],
                    answer_by=form.cleaned_data["answer_by"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Request sent to the case manager."))
                return redirect("teamwork:requests")
        status = 422
    page = Paginator(
        requests_listed(information_requests_for(acting).filter(organisation=acting.organisation)),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    # Each question and answer shown is case data: one audited read per request.
    for item in page:
        record(
            action=AuditAction.VIEW,
            actor=acting.user,
            organisation=acting.organisation,
            target=item,
            case_id=item.case_id,
            fields=["question", "answer"],
        )
    return render(request, "teamwork/requests.html", {"page": page, "form": form}, status=status)
