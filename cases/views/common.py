"""What every case-file view shares: the chokepoint, the audit of reads, the permissions the
templates need and the way a service's ValidationError lands on a form."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.access import Acting, CaseAction, get_case_for, may_on_case
from accounts.roles import Capability
from cases.models import Case
from cases.services import record_case_read
from lib.views import acting_or_403


def case_worker(request: HttpRequest) -> Acting:
    """Acting in an organisation with a role that does case work; others get 403 (analysts,
    coordinators and administrators never open the case file)."""
    acting = acting_or_403(request)
    if not acting.sees_identity or not acting.can(Capability.CASE_WORK_TEAM):
        raise PermissionDenied
    return acting


def case_for(request: HttpRequest, case_id: int, action: CaseAction) -> tuple[Acting, Case]:
    acting = case_worker(request)
    return acting, get_case_for(acting, case_id, action=action)


def permissions(acting: Acting, case: Case) -> dict[str, bool]:
    return {action.value: may_on_case(acting, case, action) for action in CaseAction}


def apply_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def render_section(
    request: HttpRequest,
    template: str,
    acting: Acting,
    case: Case,
    section: str,
    context: dict[str, Any],
    *,
    status: int = 200,
    audit: bool = True,
) -> HttpResponse:
    """Render a case-file page; its read is audited (SPEC §1.3)."""
    if audit:
        record_case_read(acting=acting, case=case, section=section)
    return render(
        request,
        template,
        {"case": case, "section": section, "can": permissions(acting, case), **context},
        status=status,
    )
