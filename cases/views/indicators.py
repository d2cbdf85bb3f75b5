"""The screening-indicator list, for system administrators."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.roles import Capability
from cases.indicators import all_indicators, indicator_create, indicator_of, indicator_set_active
from cases.views.common import apply_errors
from lib.views import acting_or_403, capability_required


class IndicatorForm(forms.Form):
    label = forms.CharField(label=gettext_lazy("New indicator"), max_length=200)


@capability_required(Capability.POLICY_PACKS_MANAGE)
@require_http_methods(["GET", "POST"])
def indicators_view(request: HttpRequest) -> HttpResponse:
    acting = acting_or_403(request, Capability.POLICY_PACKS_MANAGE)
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            indicator_create(acting=acting, label=form.cleaned_data["label"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Indicator added."))
            return redirect("cases:indicators")
    return render(request, "cases/indicators.html", {"form": form, "indicators": all_indicators()})


@capability_required(Capability.POLICY_PACKS_MANAGE)
@require_POST
def indicator_toggle_view(request: HttpRequest, indicator_id: int) -> HttpResponse:
    acting = acting_or_403(request, Capability.POLICY_PACKS_MANAGE)
    indicator = indicator_of(indicator_id)
    if indicator is None:
        raise Http404
    indicator_set_active(acting=acting, indicator=indicator, active=not indicator.is_active)
    messages.success(request, _("Indicator updated."))
    return redirect("cases:indicators")
