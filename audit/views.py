from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.roles import Capability
from audit.models import AuditAction
from audit.selectors import entries_for_organisation
from lib.views import acting_or_403, capability_required

PAGE_SIZE = 50


@capability_required(Capability.AUDIT_VIEW)
def audit_log_view(request: HttpRequest) -> HttpResponse:
    acting = acting_or_403(request)
    action = request.GET.get("action", "")
    if action not in AuditAction.values:
        action = ""
    entries = entries_for_organisation(acting.organisation, action=action)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/log.html",
        {"page": page, "actions": AuditAction.choices, "action": action},
    )
