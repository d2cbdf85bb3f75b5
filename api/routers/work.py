"""The work queue: "my work" and, for supervisors, the team's caseloads and overdue work."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError

from accounts.access import Acting, require_acting
from accounts.roles import Capability
from api.schemas import Problem
from policies.selectors import UnknownPolicyPack, pack_for_organisation
from work.models import WorkItem, WorkItemKind
from work.selectors import (
    bucket_of,
    case_links,
    caseloads,
    my_open_items,
    summarise,
    team_overdue_items,
    week_end,
)

router = Router(tags=["work"])


class KindCountOut(Schema):
    kind: str
    label: str
    count: int


class PersonRefOut(Schema):
    id: int
    username: str
    name: str


class WorkItemOut(Schema):
    id: int
    kind: str
    kind_label: str
    case_id: int
    case_code: str
    case_url: str
    due_on: date
    bucket: str
    source_rule: str
    responsible: PersonRefOut | None


class MyWorkOut(Schema):
    today: date
    until: date
    overdue: int
    due_today: int
    this_week: int
    by_kind: list[KindCountOut]
    count: int
    items: list[WorkItemOut]


class CaseloadOut(Schema):
    worker: PersonRefOut
    open_cases: int
    overdue: int
    over_threshold: bool


class TeamWorkOut(Schema):
    today: date
    threshold: int
    caseloads: list[CaseloadOut]
    overdue_count: int
    overdue: list[WorkItemOut]


def _acting(request: HttpRequest) -> Acting:
    return cast(Acting, request.auth)  # type: ignore[attr-defined]  # set by ninja's auth


def _person(user: Any) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "username": user.username, "name": user.get_full_name() or user.username}


def _items_out(
    items: list[WorkItem], today: date, *, with_responsible: bool
) -> list[dict[str, Any]]:
    links = case_links(item.case_id for item in items)
    labels = dict(WorkItemKind.choices)
    return [
        {
            "id": item.pk,
            "kind": item.kind,
            "kind_label": str(labels[item.kind]),
            "case_id": item.case_id,
            "case_code": item.case.code,
            "case_url": links[item.case_id],
            "due_on": item.due_on,
            "bucket": bucket_of(item.due_on, today),
            "source_rule": item.source_rule,
            "responsible": _person(item.responsible) if with_responsible else None,
        }
        for item in items
    ]


def _window(offset: int, limit: int) -> tuple[int, int]:
    return max(0, offset), max(1, min(limit, 200))


@router.get(
    "/work",
    response={200: MyWorkOut, 403: Problem, 422: Problem},
    summary="Your open work: overdue, due today and in the next seven days",
)
def my_work(
    request: HttpRequest, kind: str = "", offset: int = 0, limit: int = 50
) -> dict[str, Any]:
    acting = require_acting(_acting(request), Capability.WORK_QUEUE)
    today = timezone.localdate()
    items = my_open_items(acting, today=today)
    summary = summarise(items, today=today)
    if kind:
        if kind not in WorkItemKind.values:
            raise HttpError(
                422, f"kind: unknown kind {kind!r}; use one of {', '.join(WorkItemKind.values)}"
            )
        items = items.filter(kind=kind)
    offset, limit = _window(offset, limit)
    page = list(items[offset : offset + limit])
    counts = {code: count for code, _, count in summary.by_kind}
    return {
        "today": today,
        "until": week_end(today),
        "overdue": summary.overdue,
        "due_today": summary.today,
        "this_week": summary.week,
        "by_kind": [{"kind": k, "label": label, "count": n} for k, label, n in summary.by_kind],
        "count": counts.get(kind, 0) if kind else summary.overdue + summary.today + summary.week,
        "items": _items_out(page, today, with_responsible=False),
    }


@router.get(
    "/work/team",
    response={200: TeamWorkOut, 403: Problem},
    summary="Supervisors: caseload per worker against the pack's threshold, and overdue work",
)
def team_work(request: HttpRequest, offset: int = 0, limit: int = 50) -> dict[str, Any]:
    acting = require_acting(_acting(request), Capability.CASELOAD_VIEW)
    today = timezone.localdate()
    try:
        threshold = pack_for_organisation(
            acting.organisation
        ).parsed.caseload.max_open_cases_per_worker
    except UnknownPolicyPack as error:
        raise HttpError(
            409, "policy_pack: the organisation's policy pack is not installed"
        ) from error
    overdue = team_overdue_items(acting.organisation, today=today)
    offset, limit = _window(offset, limit)
    return {
        "today": today,
        "threshold": threshold,
        "caseloads": [
            {
                "worker": _person(load.worker),
                "open_cases": load.open_cases,
                "overdue": load.overdue,
                "over_threshold": load.over_threshold,
            }
            for load in caseloads(acting.organisation, today=today, threshold=threshold)
        ],
        "overdue_count": overdue.count(),
        "overdue": _items_out(list(overdue[offset : offset + limit]), today, with_responsible=True),
    }
