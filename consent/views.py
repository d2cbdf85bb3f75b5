"""The consent register page of a case (SPEC C3)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import CaseAction
from cases.selectors import legal_representatives_of, other_organisations
from cases.views.common import apply_errors, case_for, render_section
from consent.forms import ConsentForm, OverrideForm, WithdrawForm
from consent.selectors import consent_of, consents_of, overrides_of
from consent.services import StaleConsent, consent_override, consent_record, consent_withdraw
from lib.views import login_required_verified


@login_required_verified
@require_http_methods(["GET", "POST"])
def consents_view(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(
        request, case_id, CaseAction.VIEW if request.method == "GET" else CaseAction.MANAGE
    )
    form = ConsentForm(
        request.POST or None,
        request.FILES or None,
        organisations=other_organisations(case.organisation),
        representatives=legal_representatives_of(case),
    )
    if request.method == "POST" and form.is_valid():
        try:
            consent_record(acting=acting, case=case, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Consent recorded."))
            return redirect("cases:consents", case_id=case.pk)
    consents = list(consents_of(case))
    return render_section(
        request,
        "consent/consents.html",
        acting,
        case,
        "consents",
        {
            "form": form,
            "consents": consents,
            "overrides": list(overrides_of(case)),
        },
    )


@login_required_verified
@require_POST
def consent_withdraw_view(request: HttpRequest, case_id: int, consent_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.WORK)
    consent = consent_of(case, consent_id)
    form = WithdrawForm(request.POST)
    if consent is None:
        messages.error(request, _("This consent does not exist."))
    elif not form.is_valid():
        messages.error(request, _("Enter the date of withdrawal."))
    else:
        try:
            consent_withdraw(
                acting=acting,
                case=case,
                consent=consent,
                withdrawn_on=form.cleaned_data["withdrawn_on"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleConsent:
            messages.error(
                request, _("Someone changed this consent meanwhile; the current state is shown.")
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("Withdrawal recorded: nothing more is shared on this consent.")
            )
    return redirect("cases:consents", case_id=case.pk)


@login_required_verified
@require_http_methods(["GET", "POST"])
def consent_override_view(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.OVERRIDE_CONSENT)
    form = OverrideForm(request.POST or None, organisations=other_organisations(case.organisation))
    if request.method == "POST" and form.is_valid():
        try:
            consent_override(acting=acting, case=case, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.warning(
                request, _("Override recorded. It allows one sharing step and is in the audit log.")
            )
            return redirect("cases:consents", case_id=case.pk)
    return render_section(
        request,
        "cases/form.html",
        acting,
        case,
        "consents",
        {"form": form, "title": _("Override a missing consent")},
    )
