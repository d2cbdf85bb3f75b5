"""Pages of the service directory: search, detail, the provider's own list and confirm list,
create/edit, and the coordinator's renewal dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import Acting
from accounts.roles import Capability
from lib.views import acting_or_403, capability_required, login_required_verified
from services.access import can_add_services_for, can_edit_service, can_manage_directory
from services.forms import RenewalRoundForm, SearchForm, ServiceForm
from services.models import SEX_COLUMNS, STATUS_COLUMNS
from services.selectors import (
    EligibilityProfile,
    open_round_for,
    providers_for,
    renewal_rounds_for,
    renewal_status,
    service_for_edit,
    service_visible,
    services_matching,
    services_of,
    services_to_confirm,
)
from services.services import (
    StaleEdit,
    renewal_round_start,
    service_confirm,
    service_create,
    service_update,
)

PAGE_SIZE = 25


def _apply_errors(form: ServiceForm | RenewalRoundForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _own_list_acting(request: HttpRequest) -> Acting:
    acting = acting_or_403(request)
    if not can_add_services_for(acting, acting.organisation.pk):
        raise PermissionDenied
    return acting


@login_required_verified
def directory_view(request: HttpRequest) -> HttpResponse:
    """Everyone acting in an organisation may search: referring needs the directory."""
    acting_or_403(request)
    form = SearchForm(request.GET or None)
    if form.is_bound and form.is_valid():
        services = services_matching(form.profile(), **form.filters())
    else:
        services = services_matching(EligibilityProfile())
    page = Paginator(services, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "today": timezone.localdate()}
    template = (
        "services/_results.html" if getattr(request, "htmx", False) else "services/directory.html"
    )
    response = render(request, template, context)
    # The same URL answers with a fragment or a page; caches and history must tell them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required_verified
def service_detail_view(request: HttpRequest, service_id: int) -> HttpResponse:
    acting = acting_or_403(request)
    service = service_visible(acting, service_id)
    return render(
        request,
        "services/detail.html",
        {
            "service": service,
            "can_edit": can_edit_service(acting, service),
            "today": timezone.localdate(),
        },
    )


@login_required_verified
@require_http_methods(["GET", "POST"])
def service_create_view(request: HttpRequest) -> HttpResponse:
    acting = acting_or_403(request)
    if not can_add_services_for(acting, acting.organisation.pk) and not can_manage_directory(
        acting
    ):
        raise PermissionDenied
    providers = providers_for(acting)
    form = ServiceForm(
        request.POST or None,
        providers=providers,
        initial={
            "organisation": acting.organisation.pk,
            "sexes": list(SEX_COLUMNS),
            "identification_statuses": list(STATUS_COLUMNS),
            "areas": acting.organisation.country,
            "waiting_days": 0,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            service = service_create(
                acting=acting,
                organisation=form.cleaned_data["organisation"],
                values=form.values(),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Service added to the directory."))
            return redirect("services:detail", service_id=service.pk)
    return render(request, "services/form.html", {"form": form, "service": None})


@login_required_verified
@require_http_methods(["GET", "POST"])
def service_edit_view(request: HttpRequest, service_id: int) -> HttpResponse:
    acting = acting_or_403(request)
    service = service_for_edit(acting, service_id)
    providers = providers_for(acting)
    form = ServiceForm(
        request.POST or None,
        providers=providers,
        editing=True,
        initial=ServiceForm.initial_for(service),
    )
    stale_message = ""
    if request.method == "POST" and form.is_valid():
        try:
            service_update(
                acting=acting,
                service_id=service.pk,
                expected_version=form.cleaned_data.get("version") or 0,
                values=form.values(),
            )
        except StaleEdit:
            current = service_for_edit(acting, service_id)
            form = ServiceForm(
                providers=providers, editing=True, initial=ServiceForm.initial_for(current)
            )
            service = current
            stale_message = _(
                "Someone else changed this service while you were editing it. "
                "The current values are shown below; make your change again."
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Service saved and confirmed."))
            return redirect("services:detail", service_id=service.pk)
    return render(
        request,
        "services/form.html",
        {"form": form, "service": service, "stale_message": stale_message},
    )


@login_required_verified
@require_POST
def service_confirm_view(request: HttpRequest, service_id: int) -> HttpResponse:
    acting = acting_or_403(request)
    service = service_for_edit(acting, service_id)
    try:
        service_confirm(acting=acting, service_id=service.pk)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(name)s confirmed as described.") % {"name": service.name})
    target = request.POST.get("next", "")
    if target in {"to_confirm", "mine"}:
        return redirect(f"services:{target}")
    return redirect("services:detail", service_id=service.pk)


@login_required_verified
def my_services_view(request: HttpRequest) -> HttpResponse:
    acting = _own_list_acting(request)
    page = Paginator(services_of(acting.organisation), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "services/mine.html",
        {"page": page, "organisation": acting.organisation, "today": timezone.localdate()},
    )


@login_required_verified
def to_confirm_view(request: HttpRequest) -> HttpResponse:
    acting = _own_list_acting(request)
    today = timezone.localdate()
    page = Paginator(services_to_confirm(acting.organisation, today), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "services/to_confirm.html",
        {
            "page": page,
            "organisation": acting.organisation,
            "today": today,
            "round": open_round_for(acting.organisation.country, today),
        },
    )


@capability_required(Capability.DIRECTORY_MANAGE)
@require_http_methods(["GET", "POST"])
def renewal_view(request: HttpRequest) -> HttpResponse:
    acting = acting_or_403(request, Capability.DIRECTORY_MANAGE)
    form = RenewalRoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            renewal_round_start(acting=acting, due_on=form.cleaned_data["due_on"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Renewal round started; providers were asked to confirm."))
            return redirect("services:renewal")
    today = timezone.localdate()
    rounds = list(renewal_rounds_for(acting)[:8])
    current = rounds[0] if rounds else None
    return render(
        request,
        "services/renewal.html",
        {
            "form": form,
            "rounds": rounds,
            "current": current,
            "current_open": current is not None and current.due_on >= today,
            "counts": renewal_status(current, today) if current else [],
            "country": acting.organisation.country,
        },
    )
