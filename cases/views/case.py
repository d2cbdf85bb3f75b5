"""The case overview and the reception, assignment and team actions (SPEC C2)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import CaseAction
from cases.forms import (
    AdmitForm,
    AssignForm,
    CaseEditForm,
    ChangeRequestDecisionForm,
    ChangeRequestForm,
    TeamAddForm,
)
from cases.models import Case
from cases.selectors import (
    case_managers_of,
    case_overview,
    change_request_of,
    organisation_members,
    other_organisations,
    team_member_of,
)
from cases.services import (
    StaleEdit,
    case_admit,
    case_assign_manager,
    case_update,
    change_request_decide,
    change_request_record,
    team_add,
    team_remove,
)
from cases.views.common import apply_errors, case_for, render_section
from lib.views import login_required_verified

STALE = gettext_lazy(
    "Someone changed this case while you were editing it. The current values are "
    "shown; check them and save again."
)


def _overview_context(case: Case) -> dict[str, object]:
    # Only forms without choices from the database: the overview stays at a fixed, small
    # number of queries; team and decisions have their own pages.
    return {
        "admit_form": AdmitForm(initial={"version": case.version}),
        "change_request_form": ChangeRequestForm(),
    }


@login_required_verified
def case_detail_view(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    case = case_overview(case)
    return render_section(
        request, "cases/detail.html", acting, case, "overview", _overview_context(case)
    )


def _case_edit_initial(case: Case) -> dict[str, object]:
    return {
        "version": case.version,
        "received_at": case.received_at,
        "first_contact_on": case.first_contact_on,
        "referring_organisation": case.referring_organisation_id,
        "referring_party": case.referring_party,
        "risk_level": case.risk_level,
        "security_alert": case.security_alert,
        "in_proceedings": case.in_proceedings,
        "emergency_needs": case.get_plain_or_erased("emergency_needs") or "",
        "immediate_assistance": case.get_plain_or_erased("immediate_assistance") or "",
        "immediate_needs_met_on": case.immediate_needs_met_on,
        "minor_at_reception": case.minor_at_reception,
    }


@login_required_verified
@require_http_methods(["GET", "POST"])
def case_edit_view(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.WORK)
    organisations = other_organisations(case.organisation)
    form = CaseEditForm(
        request.POST or None, initial=_case_edit_initial(case), organisations=organisations
    )
    status = 200
    stale: str | None = None
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            case_update(
                acting=acting,
                case=case,
                expected_version=form.cleaned_data["version"],
                values=values,
            )
        except StaleEdit as conflict:
            form = CaseEditForm(
                initial=_case_edit_initial(conflict.current), organisations=organisations
            )
            stale = str(STALE)
            status = 409
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Case details saved."))
            return redirect("cases:detail", case_id=case.pk)
    return render_section(
        request,
        "cases/form.html",
        acting,
        case,
        "overview",
        {"form": form, "title": _("Case details, referral and flags"), "stale": stale},
        status=status,
    )


@login_required_verified
@require_POST
def case_admit_view(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.MANAGE)
    form = AdmitForm(request.POST)
    if form.is_valid():
        try:
            case_admit(
                acting=acting,
                case=case,
                admitted_on=form.cleaned_data["admitted_on"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleEdit:
            messages.error(request, STALE)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Admission recorded."))
    else:
        messages.error(request, _("Enter a valid admission date."))
    return redirect("cases:detail", case_id=case.pk)


@login_required_verified
@require_http_methods(["GET", "POST"])
def case_assign_view(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.ASSIGN)
    managers = case_managers_of(case.organisation)
    form = AssignForm(request.POST or None, initial={"version": case.version}, managers=managers)
    status = 200
    stale: str | None = None
    if request.method == "POST" and form.is_valid():
        try:
            case_assign_manager(
                acting=acting,
                case=case,
                case_manager=form.cleaned_data["case_manager"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleEdit as conflict:
            form = AssignForm(
                initial={
                    "version": conflict.current.version,
                    "case_manager": conflict.current.case_manager_id,
                },
                managers=managers,
            )
            stale = str(STALE)
            status = 409
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Case manager assigned."))
            return redirect("cases:detail", case_id=case.pk)
    return render_section(
        request,
        "cases/form.html",
        acting,
        case,
        "overview",
        {"form": form, "title": _("Assign the case manager"), "stale": stale},
        status=status,
    )


@login_required_verified
@require_http_methods(["GET", "POST"])
def team_add_view(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.MANAGE)
    form = TeamAddForm(request.POST or None, members=organisation_members(case.organisation))
    if request.method == "POST" and form.is_valid():
        try:
            team_add(
                acting=acting,
                case=case,
                user=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Added to the team."))
            return redirect("cases:detail", case_id=case.pk)
    return render_section(
        request,
        "cases/form.html",
        acting,
        case,
        "overview",
        {"form": form, "title": _("Add to the team")},
    )


@login_required_verified
@require_POST
def team_remove_view(request: HttpRequest, case_id: int, member_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.MANAGE)
    member = team_member_of(case, member_id)
    if member is None:
        messages.error(request, _("This person is not on the team."))
    else:
        team_remove(acting=acting, case=case, member=member)
        messages.success(request, _("Removed from the team."))
    return redirect("cases:detail", case_id=case.pk)


@login_required_verified
@require_POST
def change_request_view(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.WORK)
    form = ChangeRequestForm(request.POST)
    if form.is_valid():
        try:
            change_request_record(
                acting=acting,
                case=case,
                requested_on=form.cleaned_data["requested_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The request for another case manager is recorded."))
    else:
        messages.error(request, _("Write down the person's reason in their words."))
    return redirect("cases:detail", case_id=case.pk)


@login_required_verified
@require_http_methods(["GET", "POST"])
def change_request_decide_view(request: HttpRequest, case_id: int, request_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.ASSIGN)
    change_request = change_request_of(case, request_id)
    if change_request is None:
        raise Http404
    form = ChangeRequestDecisionForm(
        request.POST or None, managers=case_managers_of(case.organisation)
    )
    if request.method == "POST" and form.is_valid():
        try:
            change_request_decide(
                acting=acting,
                case=case,
                request=change_request,
                grant=form.cleaned_data["grant"],
                new_case_manager=form.cleaned_data["case_manager"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        except StaleEdit:
            form.add_error(None, str(STALE))
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("cases:detail", case_id=case.pk)
    return render_section(
        request,
        "cases/form.html",
        acting,
        case,
        "overview",
        {
            "form": form,
            "title": _("Request for another case manager"),
            "intro": change_request.get_plain_or_erased("reason") or "",
        },
    )
