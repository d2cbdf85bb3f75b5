"""Organisation admins manage their users; system admins manage organisations."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.forms import (
    MemberCreateForm,
    OrganisationAdminForm,
    OrganisationForm,
    RoleGrantForm,
)
from accounts.grants import GrantReason, may_decide_grant
from accounts.links import set_password_link
from accounts.models import Organisation, RoleGrantRequest, User
from accounts.roles import Capability, Role
from accounts.selectors import (
    grant_request_for,
    grant_requests_for,
    member_of,
    members_of,
    organisations_all,
)
from accounts.services import (
    StaleEdit,
    organisation_admin_create,
    organisation_create,
    organisation_update,
    role_grant,
    role_grant_approve,
    role_grant_refuse,
    role_revoke,
    second_factor_reset,
    user_create,
)
from lib.views import acting_or_403, capability_required

PAGE_SIZE = 50


def _apply_errors(form: object, error: ValidationError) -> None:
    add_error = getattr(form, "add_error")  # noqa: B009  (Form and ModelForm alike)
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            add_error(field if field in getattr(form, "fields", {}) else None, errors)
    else:
        add_error(None, error.messages)


@capability_required(Capability.ORGANISATION_USERS_MANAGE)
def members_view(request: HttpRequest) -> HttpResponse:
    acting = acting_or_403(request)
    page = Paginator(members_of(acting.organisation), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "accounts/members.html", {"page": page, "organisation": acting.organisation}
    )


@capability_required(Capability.ORGANISATION_USERS_MANAGE)
@require_http_methods(["GET", "POST"])
def member_create_view(request: HttpRequest) -> HttpResponse:
    acting = acting_or_403(request)
    form = MemberCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = user_create(
                acting_user=cast(User, request.user),
                organisation=acting.organisation,
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                role=Role(data["role"]),
                discipline=data["discipline"],
                language=data["language"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return render(
                request,
                "accounts/member_link.html",
                {"member": user, "link": set_password_link(request, user), "created": True},
            )
    return render(request, "accounts/member_form.html", {"form": form})


@capability_required(Capability.ORGANISATION_USERS_MANAGE)
@require_http_methods(["GET", "POST"])
def member_detail_view(request: HttpRequest, user_id: int) -> HttpResponse:
    acting = acting_or_403(request)
    member = member_of(acting.organisation, user_id)
    form = RoleGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = role_grant(
                acting_user=cast(User, request.user),
                organisation=acting.organisation,
                user=member,
                role=Role(form.cleaned_data["role"]),
                discipline=form.cleaned_data["discipline"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if isinstance(outcome, RoleGrantRequest):
                messages.warning(request, _pending_message(outcome))
            else:
                messages.success(request, _("Role granted."))
            return redirect("accounts:member_detail", user_id=member.pk)
    return render(request, "accounts/member_detail.html", {"member": member, "form": form})


def _pending_message(grant: RoleGrantRequest) -> str:
    return _(
        "%(reason)s The role takes effect when a system administrator or another "
        "administrator of the organisation approves it."
    ) % {"reason": GrantReason(grant.reason).label}


@capability_required(Capability.ORGANISATION_USERS_MANAGE)
def grant_requests_view(request: HttpRequest) -> HttpResponse:
    """Role grants awaiting a second administrator (accounts.grants)."""
    acting = acting_or_403(request)
    page = Paginator(grant_requests_for(acting), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "request": grant,
            "reason": GrantReason(grant.reason).label,
            "may_decide": may_decide_grant(request.user, acting.organisation, grant),
        }
        for grant in page
    ]
    return render(request, "accounts/grant_requests.html", {"page": page, "rows": rows})


@capability_required(Capability.ORGANISATION_USERS_MANAGE)
@require_POST
def grant_request_decide_view(request: HttpRequest, request_id: int) -> HttpResponse:
    acting = acting_or_403(request)
    grant = grant_request_for(acting, request_id)
    decide = role_grant_approve if request.POST.get("decision") == "approve" else role_grant_refuse
    try:
        decide(
            acting_user=cast(User, request.user),
            acting_organisation=acting.organisation,
            request=grant,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if decide is role_grant_approve:
            messages.success(request, _("Role granted."))
        else:
            messages.success(request, _("Role grant refused."))
    return redirect("accounts:grant_requests")


@capability_required(Capability.ORGANISATION_USERS_MANAGE)
@require_POST
def member_revoke_view(request: HttpRequest, user_id: int, membership_id: int) -> HttpResponse:
    acting = acting_or_403(request)
    member = member_of(acting.organisation, user_id)
    membership = next((m for m in member.roles_here if m.pk == membership_id), None)  # type: ignore[attr-defined]  # prefetched by members_of
    if membership is None:
        messages.error(request, _("That role does not exist."))
        return redirect("accounts:member_detail", user_id=member.pk)
    try:
        role_revoke(
            acting_user=cast(User, request.user),
            organisation=acting.organisation,
            membership=membership,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Role removed."))
    return redirect("accounts:member_detail", user_id=member.pk)


@capability_required(Capability.ORGANISATION_USERS_MANAGE)
@require_POST
def member_reset_second_factor_view(request: HttpRequest, user_id: int) -> HttpResponse:
    acting = acting_or_403(request)
    member = member_of(acting.organisation, user_id)
    second_factor_reset(
        acting_user=cast(User, request.user), organisation=acting.organisation, user=member
    )
    messages.success(
        request, _("The second factor was reset; the user enrols again at next sign-in.")
    )
    return redirect("accounts:member_detail", user_id=member.pk)


@capability_required(Capability.ORGANISATION_USERS_MANAGE)
@require_POST
def member_password_link_view(request: HttpRequest, user_id: int) -> HttpResponse:
    acting = acting_or_403(request)
    member = member_of(acting.organisation, user_id)
    return render(
        request,
        "accounts/member_link.html",
        {"member": member, "link": set_password_link(request, member), "created": False},
    )


@capability_required(Capability.ORGANISATIONS_MANAGE)
def organisations_view(request: HttpRequest) -> HttpResponse:
    page = Paginator(organisations_all(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/organisations.html", {"page": page})


@capability_required(Capability.ORGANISATIONS_MANAGE)
@require_http_methods(["GET", "POST"])
def organisation_create_view(request: HttpRequest) -> HttpResponse:
    acting = acting_or_403(request)
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            organisation = organisation_create(
                acting_user=cast(User, request.user),
                acting_organisation=acting.organisation,
                **values,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Organisation %(name)s created. Now give it its administrator.")
                % {"name": organisation.name},
            )
            return redirect("accounts:organisation_admin", organisation_id=organisation.pk)
    return render(request, "accounts/organisation_form.html", {"form": form})


@capability_required(Capability.ORGANISATIONS_MANAGE)
@require_http_methods(["GET", "POST"])
def organisation_admin_view(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """A system administrator creates an organisation's administrator and sees the one-time
    set-password link to hand over, as for any other new user."""
    acting = acting_or_403(request)
    organisation = organisations_all().filter(pk=organisation_id).first()
    if organisation is None:
        raise Http404
    form = OrganisationAdminForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = organisation_admin_create(
                acting_user=cast(User, request.user),
                acting_organisation=acting.organisation,
                organisation=organisation,
                **form.cleaned_data,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return render(
                request,
                "accounts/member_link.html",
                {
                    "member": user,
                    "link": set_password_link(request, user),
                    "created": True,
                    "organisation": organisation,
                },
            )
    return render(
        request,
        "accounts/organisation_admin_form.html",
        {"form": form, "organisation": organisation},
    )


@capability_required(Capability.ORGANISATIONS_MANAGE)
@require_http_methods(["GET", "POST"])
def organisation_edit_view(request: HttpRequest, organisation_id: int) -> HttpResponse:
    acting = acting_or_403(request)
    organisation = organisations_all().filter(pk=organisation_id).first()
    if organisation is None:
        raise Http404
    form = OrganisationForm(
        request.POST or None, instance=organisation, initial={"version": organisation.version}
    )
    stale_message = ""
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            organisation_update(
                acting_user=cast(User, request.user),
                acting_organisation=acting.organisation,
                organisation_id=organisation_id,
                expected_version=int(request.POST.get("version") or 0),
                **values,
            )
        except StaleEdit as stale:
            current: Organisation = stale.current
            form = OrganisationForm(instance=current, initial={"version": current.version})
            stale_message = str(stale) + " " + _("The current values are shown below.")
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Organisation saved."))
            return redirect("accounts:organisations")
    return render(
        request,
        "accounts/organisation_form.html",
        {"form": form, "organisation": organisation, "stale_message": stale_message},
    )
