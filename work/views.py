"""The "My work" page and the supervisor's team page (SPEC C10)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.roles import Capability
from lib.views import acting_or_403, capability_required
from policies.selectors import UnknownPolicyPack, pack_for_organisation
from work.models import WorkItemKind
from work.selectors import (
    bucket_of,
    case_links,
    caseloads,
    my_due_count,
    my_open_items,
    summarise,
    team_overdue_items,
    week_end,
)

PAGE_SIZE = 50


@capability_required(Capability.WORK_QUEUE)
def my_work_view(request: HttpRequest) -> HttpResponse:
    acting = acting_or_403(request)
    today = timezone.localdate()
    items = my_open_items(acting, today=today)
    summary = summarise(items, today=today)
    kind = request.GET.get("kind", "")
    if kind in WorkItemKind.values:
        items = items.filter(kind=kind)
    else:
        kind = ""
    paginator = Paginator(items, PAGE_SIZE)
    # The summary has counted these items already: no second COUNT for the pages.
    paginator.count = summary.count(kind)
    page = paginator.get_page(request.GET.get("page"))
    links = case_links(item.case_id for item in page)
    rows = [
        {"item": item, "bucket": bucket_of(item.due_on, today), "link": links[item.case_id]}
        for item in page
    ]
    return render(
        request,
        "work/my_work.html",
        {
            "today": today,
            "week_end": week_end(today),
            "summary": summary,
            "page": page,
            "rows": rows,
            "kind": kind,
            "can_see_team": acting.can(Capability.CASELOAD_VIEW),
        },
    )


@capability_required(Capability.WORK_QUEUE)
def badge_view(request: HttpRequest) -> HttpResponse:
    """The in-app notice: loaded by htmx into the navigation after the page, so that no page
    pays for the count."""
    acting = acting_or_403(request)
    return render(
        request,
        "work/_badge.html",
        {"count": my_due_count(acting, today=timezone.localdate())},
    )


@capability_required(Capability.CASELOAD_VIEW)
def team_view(request: HttpRequest) -> HttpResponse:
    acting = acting_or_403(request)
    today = timezone.localdate()
    try:
        threshold: int | None = pack_for_organisation(
            acting.organisation
        ).parsed.caseload.max_open_cases_per_worker
    except UnknownPolicyPack:
        threshold = None
    loads = (
        caseloads(acting.organisation, today=today, threshold=threshold or 0) if threshold else []
    )
    page = Paginator(team_overdue_items(acting.organisation, today=today), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    links = case_links(item.case_id for item in page)
    rows = [{"item": item, "link": links[item.case_id]} for item in page]
    return render(
        request,
        "work/team.html",
        {
            "today": today,
            "threshold": threshold,
            "caseloads": loads,
            "page": page,
            "rows": rows,
        },
    )
