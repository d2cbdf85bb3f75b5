"""The signed-in user's own settings: language, active organisation, API tokens, recovery codes."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import acting_for, organisations_of
from accounts.forms import ApiTokenForm, LanguageForm, OrganisationSwitchForm
from accounts.middleware import SESSION_ORGANISATION
from accounts.models import Membership, User
from accounts.roles import Capability
from accounts.selectors import api_token_of, api_tokens_of
from accounts.services import (
    api_token_create,
    api_token_revoke,
    language_set,
    organisation_switch_audit,
    recovery_codes_regenerate,
)
from lib.views import acting_or_403, login_required_verified


def _back(request: HttpRequest, *, prefer: str = "POST", referer: bool = True) -> str:
    """A safe same-site address to return to: ``next`` from the form or query, else the
    referring page, else home."""
    target = (request.POST if prefer == "POST" else request.GET).get("next") or ""
    if not target and referer:
        target = request.headers.get("Referer") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("home")


@login_required_verified
@require_GET
def profile_view(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    acting = getattr(request, "acting", None)
    return render(
        request,
        "accounts/profile.html",
        {
            "language_form": LanguageForm(initial={"language": user.language}),
            "token_form": ApiTokenForm(),
            "tokens": api_tokens_of(user),
            "may_create_tokens": bool(acting and acting.can(Capability.API_TOKENS)),
        },
    )


@login_required_verified
@require_POST
def language_view(request: HttpRequest) -> HttpResponse:
    form = LanguageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the offered languages."))
        return redirect(_back(request))
    language_set(user=cast(User, request.user), language=form.cleaned_data["language"])
    translation.activate(form.cleaned_data["language"])
    messages.success(request, _("Language changed."))
    return redirect(_back(request))


@login_required_verified
@require_GET
def choose_organisation_view(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    memberships = Membership.objects.active().filter(user=user).select_related("organisation")
    organisations: dict[int, dict[str, Any]] = {}
    for membership in memberships:
        entry = organisations.setdefault(
            membership.organisation_id, {"organisation": membership.organisation, "roles": []}
        )
        entry["roles"].append(membership.get_role_display())
    return render(
        request,
        "accounts/choose_organisation.html",
        {
            "choices": sorted(organisations.values(), key=lambda e: e["organisation"].name),
            "next": _back(request, prefer="GET"),
        },
    )


@login_required_verified
@require_POST
def switch_organisation_view(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    form = OrganisationSwitchForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an organisation."))
        return redirect("home")
    chosen = next(
        (o for o in organisations_of(user) if o.pk == form.cleaned_data["organisation"]), None
    )
    if chosen is None or acting_for(user, chosen) is None:
        # Not one of the user's organisations: no hint whether it exists.
        raise PermissionDenied
    previous = request.session.get(SESSION_ORGANISATION)
    # A change of privileges: rotate the session key (DESIGN "Sessions").
    request.session.cycle_key()
    request.session[SESSION_ORGANISATION] = chosen.pk
    organisation_switch_audit(user=user, previous_id=previous, organisation=chosen)
    messages.success(
        request, _("You now work in %(organisation)s.") % {"organisation": chosen.name}
    )
    return redirect(_back(request, referer=False))


@login_required_verified
@require_POST
def token_create_view(request: HttpRequest) -> HttpResponse:
    acting = acting_or_403(request, Capability.API_TOKENS)
    form = ApiTokenForm(request.POST)
    user = cast(User, request.user)
    if form.is_valid():
        try:
            token, raw = api_token_create(
                acting_user=user,
                organisation=acting.organisation,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            return render(request, "accounts/token_created.html", {"token": token, "raw": raw})
    else:
        for field, field_errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for field_error in field_errors:
                messages.error(request, f"{label}: {field_error}")
    return redirect("accounts:profile")


@login_required_verified
@require_POST
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    user = cast(User, request.user)
    token = api_token_of(user, token_id)
    api_token_revoke(acting_user=user, token=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("accounts:profile")


@login_required_verified
@require_POST
def recovery_codes_view(request: HttpRequest) -> HttpResponse:
    codes = recovery_codes_regenerate(user=cast(User, request.user))
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": reverse("accounts:profile")},
    )
