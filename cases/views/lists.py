"""The case list and registration."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import Organisation
from accounts.roles import Capability
from cases.codes import IdentificationStatus, RiskLevel
from cases.forms import RegistrationForm
from cases.models import CaseStatus
from cases.selectors import (
    CASE_LIST_ORDERING,
    CaseFilters,
    case_list,
    case_managers_of,
    other_organisations,
)
from cases.services import CaseInput, PossibleDuplicate, case_register, record_case_list_read
from cases.views.common import apply_errors, case_worker
from lib.pagination import keyset_page
from lib.views import acting_or_403, login_required_verified

PAGE_SIZE = 25


def _flag(value: str | None) -> bool | None:
    return {"1": True, "0": False}.get(value or "")


def filters_from(query: dict[str, str]) -> CaseFilters:
    manager = query.get("case_manager") or ""
    return CaseFilters(
        q=(query.get("q") or "")[:200],
        status=query.get("status") or "",
        identification_status=query.get("identification_status") or "",
        case_manager=int(manager) if manager.isdigit() else None,
        risk_level=query.get("risk_level") or "",
        minor=_flag(query.get("minor")),
        foreign_national=_flag(query.get("foreign_national")),
        security_alert=_flag(query.get("security_alert")),
        in_proceedings=_flag(query.get("in_proceedings")),
    )


def _manager_options(organisation: Organisation, chosen: int | None) -> SafeString:
    """The case manager filter's options, written in one pass: an organisation at volume has
    hundreds of case workers, and a template loop over them cost most of the page's time."""
    rows = case_managers_of(organisation).values_list("pk", "first_name", "last_name", "username")
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (pk, " selected" if pk == chosen else "", f"{first} {last}".strip() or username)
            for pk, first, last, username in rows
        ),
    )


@login_required_verified
def case_list_view(request: HttpRequest) -> HttpResponse:
    acting = case_worker(request)
    filters = filters_from(request.GET.dict())
    # Keyset pages (lib.pagination): the last page of 30,000 cases costs what the first does.
    page = keyset_page(
        case_list(acting, filters),
        ordering=CASE_LIST_ORDERING,
        size=PAGE_SIZE,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        last=request.GET.get("page") == "last",
    )
    record_case_list_read(acting=acting, case_ids=[case.pk for case in page])
    context = {
        "page": page,
        "filters": filters,
        "statuses": CaseStatus.choices,
        "identification_statuses": IdentificationStatus.choices,
        "risk_levels": [c for c in RiskLevel.choices if c[0]],
        "case_manager_options": _manager_options(acting.organisation, filters.case_manager),
        "can_register": acting.can(Capability.CASE_CREATE),
    }
    template = "cases/_case_rows.html" if request.headers.get("HX-Request") else "cases/list.html"
    return render(request, template, context)


@login_required_verified
@require_http_methods(["GET", "POST"])
def case_register_view(request: HttpRequest) -> HttpResponse:
    acting = acting_or_403(request, Capability.CASE_CREATE)
    form = RegistrationForm(
        request.POST or None, organisations=other_organisations(acting.organisation)
    )
    duplicates = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = case_register(
                acting=acting,
                person=form.person_input(),
                case=CaseInput(
                    received_at=data["received_at"],
                    referring_organisation=data["referring_organisation"],
                    referring_party=data["referring_party"],
                    risk_level=data["risk_level"],
                    security_alert=data["security_alert"],
                    emergency_needs=data["emergency_needs"],
                    immediate_assistance=data["immediate_assistance"],
                ),
                confirmed_not_duplicate=data["confirm_new_person"],
            )
        except PossibleDuplicate as possible:
            duplicates = possible.report
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Case %(number)s opened.") % {"number": case.number})
            return redirect("cases:identification", case_id=case.pk)
    return render(request, "cases/register.html", {"form": form, "duplicates": duplicates})
