"""The complaints register pages (002 L1468-L1478)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import Acting
from accounts.roles import Capability
from audit.models import AuditAction
from audit.services import record
from cases.views.common import apply_errors
from complaints.codes import Status
from complaints.forms import AnswerForm, ComplaintForm, LinkForm
from complaints.models import Complaint
from complaints.selectors import case_id_by_number, complaint_for, complaint_list, handlers_of
from complaints.services import complaint_answer, complaint_link_case, complaint_record, may_record
from lib.errors import StaleEdit
from lib.views import acting_or_403, capability_required, login_required_verified

PAGE_SIZE = 50


@capability_required(Capability.COMPLAINTS_HANDLE)
def list_view(request: HttpRequest) -> HttpResponse:
    acting = acting_or_403(request)
    status = request.GET.get("status", "")
    if status not in Status.values:
        status = ""
    page = Paginator(complaint_list(acting, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    record(
        action=AuditAction.VIEW,
        actor=acting.user,
        organisation=acting.organisation,
        target=("complaints.list", ""),
        detail={"complaints": [c.pk for c in page]},
    )
    return render(
        request,
        "complaints/list.html",
        {"page": page, "status": status, "statuses": Status.choices, "today": timezone.localdate()},
    )


def _recorder(request: HttpRequest) -> Acting:
    acting = acting_or_403(request)
    if not may_record(acting):
        raise PermissionDenied
    return acting


@login_required_verified
@require_http_methods(["GET", "POST"])
def new_view(request: HttpRequest) -> HttpResponse:
    acting = _recorder(request)
    form = ComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        number = values.pop("case_number")
        case_id = case_id_by_number(acting, number) if number else None
        if number and case_id is None:
            form.add_error("case_number", _("No case you can see has this number or code."))
        else:
            try:
                complaint = complaint_record(acting=acting, case_id=case_id, **values)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "The complaint is recorded and goes to the organisation's "
                        "complaints handlers."
                    ),
                )
                if acting.can(Capability.COMPLAINTS_HANDLE):
                    return redirect("complaints:detail", complaint_id=complaint.pk)
                return redirect("complaints:new")
    return render(
        request,
        "complaints/new.html",
        {"form": form},
        status=422 if request.method == "POST" else 200,
    )


def _detail(
    request: HttpRequest,
    acting: Acting,
    complaint: Complaint,
    *,
    answer_form: AnswerForm | None = None,
    link_form: LinkForm | None = None,
    status: int = 200,
) -> HttpResponse:
    handlers = list(handlers_of(acting))
    record(
        action=AuditAction.VIEW,
        actor=acting.user,
        organisation=acting.organisation,
        target=complaint,
        case_id=complaint.case_id,
    )
    initial: dict[str, Any] = {
        "handler": str(complaint.handler_id or ""),
        "response": complaint.get_plain_or_erased("response") or "",
        "responded_on": complaint.responded_on,
        "outcome": complaint.outcome,
    }
    return render(
        request,
        "complaints/detail.html",
        {
            "complaint": complaint,
            "answer_form": answer_form or AnswerForm(initial=initial, handlers=handlers),
            "link_form": link_form or LinkForm(),
            "today": timezone.localdate(),
        },
        status=status,
    )


@capability_required(Capability.COMPLAINTS_HANDLE)
@require_http_methods(["GET", "POST"])
def detail_view(request: HttpRequest, complaint_id: int) -> HttpResponse:
    acting = acting_or_403(request)
    complaint = complaint_for(acting, complaint_id)
    if request.method == "GET":
        return _detail(request, acting, complaint)
    form = AnswerForm(request.POST, handlers=list(handlers_of(acting)))
    if form.is_valid():
        try:
            complaint_answer(
                acting=acting,
                complaint=complaint,
                expected_version=int(request.POST.get("expected_version", "0")),
                handler=form.handlers.get(form.cleaned_data["handler"]),
                response=form.cleaned_data["response"],
                responded_on=form.cleaned_data["responded_on"],
                outcome=form.cleaned_data["outcome"],
            )
        except StaleEdit as error:
            form.add_error(None, str(error))
            return _detail(
                request, acting, complaint_for(acting, complaint_id), answer_form=form, status=409
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Complaint saved."))
            return redirect("complaints:detail", complaint_id=complaint.pk)
    return _detail(request, acting, complaint, answer_form=form, status=422)


@capability_required(Capability.COMPLAINTS_HANDLE)
@require_POST
def link_view(request: HttpRequest, complaint_id: int) -> HttpResponse:
    acting = acting_or_403(request)
    complaint = complaint_for(acting, complaint_id)
    form = LinkForm(request.POST)
    if form.is_valid():
        case_id = case_id_by_number(acting, form.cleaned_data["case_number"])
        if case_id is None:
            form.add_error("case_number", _("No case you can see has this number or code."))
        else:
            try:
                complaint_link_case(
                    acting=acting,
                    complaint=complaint,
                    expected_version=int(request.POST.get("expected_version", "0")),
                    case_id=case_id,
                )
            except StaleEdit as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Linked to the case at the person's request."))
                return redirect("complaints:detail", complaint_id=complaint.pk)
    return _detail(request, acting, complaint, link_form=form, status=422)
