"""Policy pages: the organisation's effective rules, every pack version (system admins), and
the cases waiting for an explicit move to the current version (supervisors)."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.roles import Capability
from cases.policy_migration import (
    StalePolicyMigration,
    case_for_policy_migration,
    case_policy_migrate,
    cases_behind_current_pack,
)
from lib.views import acting_or_403, capability_required
from policies.display import rule_rows
from policies.selectors import (
    UnknownPolicyPack,
    pack_for_organisation,
    pack_version,
    pack_versions,
)

PAGE_SIZE = 50


@capability_required(Capability.POLICY_VIEW)
def effective_rules_view(request: HttpRequest) -> HttpResponse:
    acting = acting_or_403(request)
    try:
        current = pack_for_organisation(acting.organisation)
    except UnknownPolicyPack:
        current = None
    return render(
        request,
        "policies/effective.html",
        {
            "organisation": acting.organisation,
            "pack": current,
            "rows": rule_rows(current.parsed) if current else [],
            "can_manage_packs": acting.can(Capability.POLICY_PACKS_MANAGE),
            "can_migrate": acting.can(Capability.CASE_POLICY_MIGRATE),
        },
    )


@capability_required(Capability.POLICY_PACKS_MANAGE)
def packs_view(request: HttpRequest) -> HttpResponse:
    page = Paginator(pack_versions(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "policies/packs.html", {"page": page})


@capability_required(Capability.POLICY_PACKS_MANAGE)
def pack_version_view(request: HttpRequest, code: str, version: int) -> HttpResponse:
    try:
        shown = pack_version(code, version)
    except UnknownPolicyPack:
        raise Http404 from None
    rows = rule_rows(shown.parsed)
    changed: set[str] = set()
    if version > 1:
        try:
            before = {
                row.key: row.value for row in rule_rows(pack_version(code, version - 1).parsed)
            }
        except UnknownPolicyPack:
            before = {}
        changed = {row.key for row in rows if before.get(row.key) != row.value}
    return render(
        request,
        "policies/pack_version.html",
        {"pack": shown, "rows": rows, "changed": changed},
    )


@capability_required(Capability.CASE_POLICY_MIGRATE)
def cases_behind_view(request: HttpRequest) -> HttpResponse:
    acting = acting_or_403(request)
    try:
        current = pack_for_organisation(acting.organisation)
    except UnknownPolicyPack:
        messages.error(request, _("The organisation's policy pack is not installed."))
        return redirect("policies:effective")
    page = Paginator(cases_behind_current_pack(acting.organisation), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "policies/cases_behind.html", {"pack": current, "page": page})


@capability_required(Capability.CASE_POLICY_MIGRATE)
@require_POST
def case_migrate_view(request: HttpRequest, case_id: int) -> HttpResponse:
    acting = acting_or_403(request)
    case = case_for_policy_migration(acting, case_id)
    try:
        to_version = int(request.POST.get("to_version", ""))
        expected_version = int(request.POST.get("version", ""))
    except ValueError:
        messages.error(request, _("Version: enter a whole number."))
        return redirect("policies:cases_behind")
    try:
        migrated = case_policy_migrate(
            acting_user=cast(User, request.user),
            case=case,
            to_version=to_version,
            expected_version=expected_version,
        )
    except StalePolicyMigration as stale:
        messages.error(
            request,
            _(
                "Someone changed case %(code)s while you were looking at it; it now runs "
                "under %(pack)s version %(version)s. Nothing was changed."
            )
            % {
                "code": stale.current.code,
                "pack": stale.current.policy_pack,
                "version": stale.current.policy_pack_version,
            },
        )
    except ValidationError as error:
        for field, problems in error.message_dict.items():
            for problem in problems:
                messages.error(request, f"{field}: {problem}")
    else:
        messages.success(
            request,
            _("Case %(code)s now runs under %(pack)s version %(version)s.")
            % {
                "code": migrated.code,
                "pack": migrated.policy_pack,
                "version": migrated.policy_pack_version,
            },
        )
    return redirect("policies:cases_behind")
