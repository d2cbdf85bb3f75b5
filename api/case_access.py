"""The case chokepoints for API routers: who may do case work through the API, and the case."""

from __future__ import annotations

from typing import Any, cast

from django.http import Http404, HttpRequest
from ninja import Status

from accounts.access import Acting, CaseAction, get_case_for
from accounts.roles import Capability
from cases.models import Case
from cases.services import record_case_read
from lib.views import acting_or_403


def case_worker(request: HttpRequest) -> Acting:
    """The acting user, when their role does case work and sees identity; roles that never
    see the case file (analysts, coordinators, administrators) get 404, as in the UI."""
    acting = cast(Acting, request.auth)  # type: ignore[attr-defined]  # set by ninja's auth
    request.acting = acting  # type: ignore[attr-defined]  # acting_or_403 reads it
    acting = acting_or_403(request, Capability.CASE_WORK_TEAM)
    if not acting.sees_identity:
        raise Http404
    return acting


def case_for(request: HttpRequest, case_id: int, action: CaseAction) -> tuple[Acting, Case]:
    acting = case_worker(request)
    return acting, get_case_for(acting, case_id, action=action)


def stale_answer(acting: Acting, case: Case, current: Any, *, section: str) -> Status[Any]:
    """A 409 answer carries the current record so the client can redo its edit: that is a
    read of the case file, audited like any other (issue 15, item 4)."""
    record_case_read(acting=acting, case=case, section=f"{section}:conflict")
    return Status(409, current)
