"""The trafficking profile (SPEC C1)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.access import CaseAction
from cases.codes import (
    CompensationStatus,
    ExploitationForm,
    MeansOfControl,
    ProceedingsRole,
    ProceedingsStatus,
    ProfileCodeList,
    RecruitmentMethod,
    RelationshipToTrafficker,
)
from cases.forms import ProfileForm, _codes
from cases.models import TraffickingProfile
from cases.selectors import profile_of
from cases.services import PROFILE_FIELDS, StaleEdit, profile_update
from cases.views.common import apply_errors, case_for, render_section
from lib.views import login_required_verified

STALE = gettext_lazy(
    "Someone changed the profile while you were editing it. The current values are "
    "shown; check them and save again."
)
CODE_LISTS = (
    ProfileCodeList.EXPLOITATION,
    ProfileCodeList.CONTROL,
    ProfileCodeList.RECRUITMENT,
    ProfileCodeList.EXPLOITATION_COUNTRY,
    ProfileCodeList.TRANSIT_COUNTRY,
)


def codes_by_list(profile: TraffickingProfile) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {name: [] for name in CODE_LISTS}
    for code in profile.codes.all():
        grouped.setdefault(code.list, []).append(code.code)
    return grouped


@login_required_verified
def profile_view(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    profile = profile_of(case)
    return render_section(
        request,
        "cases/profile.html",
        acting,
        case,
        "profile",
        {
            "profile": profile,
            "codes": codes_by_list(profile),
            "ExploitationForm": ExploitationForm,
            "MeansOfControl": MeansOfControl,
            "RecruitmentMethod": RecruitmentMethod,
            "RelationshipToTrafficker": RelationshipToTrafficker,
            "ProceedingsStatus": ProceedingsStatus,
            "ProceedingsRole": ProceedingsRole,
            "CompensationStatus": CompensationStatus,
        },
    )


def _initial(profile: TraffickingProfile) -> dict[str, Any]:
    codes = codes_by_list(profile)
    initial: dict[str, Any] = {name: getattr(profile, name) for name in PROFILE_FIELDS}
    initial.update(
        {
            "version": profile.version,
            "exploitation": codes[ProfileCodeList.EXPLOITATION],
            "control": codes[ProfileCodeList.CONTROL],
            "recruitment": codes[ProfileCodeList.RECRUITMENT],
            "exploitation_country": ", ".join(codes[ProfileCodeList.EXPLOITATION_COUNTRY]),
            "transit_country": ", ".join(codes[ProfileCodeList.TRANSIT_COUNTRY]),
        }
    )
    for column in TraffickingProfile.ENCRYPTED:
        initial[column] = profile.get_plain_or_erased(column) or ""
    return initial


@login_required_verified
@require_http_methods(["GET", "POST"])
def profile_edit_view(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.WORK)
    profile = profile_of(case)
    form = ProfileForm(request.POST or None, initial=_initial(profile))
    status = 200
    stale: str | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        values = {name: data[name] for name in PROFILE_FIELDS}
        values["recruitment_country"] = (values["recruitment_country"] or "").upper()
        codes: dict[str, list[str]] = {
            ProfileCodeList.EXPLOITATION: data["exploitation"],
            ProfileCodeList.CONTROL: data["control"],
            ProfileCodeList.RECRUITMENT: data["recruitment"],
            ProfileCodeList.EXPLOITATION_COUNTRY: [
                c.upper() for c in _codes(data["exploitation_country"])
            ],
            ProfileCodeList.TRANSIT_COUNTRY: [c.upper() for c in _codes(data["transit_country"])],
        }
        texts = {column: data[column] for column in TraffickingProfile.ENCRYPTED}
        try:
            profile_update(
                acting=acting,
                case=case,
                expected_version=data["version"],
                values=values,
                codes=codes,
                texts=texts,
            )
        except StaleEdit:
            form = ProfileForm(initial=_initial(profile_of(case)))
            stale = str(STALE)
            status = 409
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Trafficking profile saved."))
            return redirect("cases:profile", case_id=case.pk)
    return render_section(
        request,
        "cases/form.html",
        acting,
        case,
        "profile",
        {"form": form, "title": _("Trafficking profile"), "stale": stale},
        status=status,
    )
