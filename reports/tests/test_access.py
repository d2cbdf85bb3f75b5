"""Who sees which statistics: analysts de-identified statistics only (404/403 on every case
page and API), coordinators their country without names or dates of birth, supervisors their
organisation; anonymous users and other roles refused."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from reports.tests.conftest import National

pytestmark = pytest.mark.django_db

STATISTICS_PAGES = [
    "/reports/",
    "/reports/quarterly/",
    "/reports/dashboard/national/",
    "/reports/exchange/",
]
STATISTICS_API = [
    "/api/v1/reports/quarterly",
    "/api/v1/reports/dashboard/national",
]


def _case_routes() -> list[str]:
    """Every page route that names a case, a referral, a plan, a person or a document."""
    routes: list[str] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                if route.startswith(("cases/", "referrals/", "plans/", "assessments/")) and (
                    "<" in route or route in ("cases/", "referrals/inbox/", "referrals/outbox/")
                ):
                    routes.append(route)

    walk(get_resolver().url_patterns, "")
    return routes


def _fill(route: str, ids: dict[str, int]) -> str:
    def value(match: re.Match[str]) -> str:
        converter, name = (match.group(1) or "int"), match.group(2)
        if converter == "str" or converter == "slug":
            return "x"
        return str(ids.get(name, 1))

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


def test_analyst_opens_statistics_but_no_case(
    client: Client, login: Any, national: National, register: Callable[..., Any]
) -> None:
    case = register(national.supervisor, given_name="Zinaida", family_name="Cazacu")
    login(client, national.analyst, national.unit)
    for path in STATISTICS_PAGES + STATISTICS_API:
        assert client.get(path).status_code == 200, path
    assert client.get("/api/v1/exports/ctdc", {"format": "csv"}).status_code in (200, 422)
    ids = {"case_id": case.pk, "pk": case.pk}
    checked = 0
    for route in _case_routes():
        response = client.get(_fill(route, ids))
        assert response.status_code in (403, 404, 405), route
        assert b"Zinaida" not in response.content
        checked += 1
    assert checked > 20
    # Every case-level API path, with the real case id.
    schema = client.get("/api/v1/openapi.json").json()
    api_checked = 0
    for path, operations in schema["paths"].items():
        if "get" not in operations or not re.search(
            r"\{(case_id|referral_id|plan_id)\}|/cases", path
        ):
            continue
        url = "/api/v1" + re.sub(r"\{\w+\}", str(case.pk), path)
        response = client.get(url)
        if path == "/cases":
            assert response.status_code == 200 and response.json()["count"] == 0
        else:
            assert response.status_code in (403, 404, 422), path
        assert b"Zinaida" not in response.content
        api_checked += 1
    assert api_checked > 10
    # Never an HTCDS export, never a team dashboard, never the gap counts of the coordinator.
    assert client.post("/reports/exchange/htcds/export/", {"format": "csv"}).status_code == 403
    assert (
        client.post(
            "/api/v1/exports/htcds", {"format": "csv"}, content_type="application/json"
        ).status_code
        == 403
    )
    assert client.get("/reports/dashboard/team/").status_code == 403
    assert client.get("/api/v1/reports/dashboard/team").status_code == 403


def test_coordinator_views_hold_no_name_or_birth_date(
    client: Client, login: Any, national: National, register: Callable[..., Any], settings: Any
) -> None:
    settings.REINTEGRA_STATS_MIN_CELL = 1
    born = datetime.date(1993, 7, 14)
    for index in range(3):
        register(
            national.supervisor,
            given_name=f"Zinaida{index}",
            family_name="Cazacu",
            date_of_birth=born,
        )
    login(client, national.coordinator, national.unit)
    bodies = [
        client.get(path).content
        for path in [
            *STATISTICS_PAGES,
            *STATISTICS_API,
            "/reports/quarterly/csv/",
            "/api/v1/gaps",
            "/referrals/gaps/",
        ]
    ]
    bodies.append(client.get("/api/v1/exports/ctdc", {"format": "csv"}).content)
    for body in bodies:
        assert b"Zinaida" not in body and b"Cazacu" not in body
        assert (
            b"1993-07-14" not in body and b"14.07.1993" not in body and b"14 Jul 1993" not in body
        )
    # The numbers are there.
    report = client.get("/api/v1/reports/quarterly").json()
    cases = next(s for s in report["sections"] if s["key"] == "cases")
    assert cases["tables"][0]["totals"]["new"] == 3


def test_anonymous_and_roles_without_statistics_are_refused(
    client: Client, login: Any, actors: Any
) -> None:
    for path in STATISTICS_PAGES:
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for path in STATISTICS_API:
        assert client.get(path).status_code == 401
    login(client, actors.case_manager, actors.home_org)
    for path in [*STATISTICS_PAGES, "/reports/dashboard/team/", "/reports/quarterly/pdf/"]:
        assert client.get(path).status_code == 403, path
    for path in [*STATISTICS_API, "/api/v1/reports/dashboard/team", "/api/v1/exports/ctdc"]:
        assert client.get(path).status_code == 403, path
    login(client, actors.org_admin, actors.home_org)
    assert client.get("/reports/quarterly/").status_code == 403
    # A coordinator has no team dashboard and cannot export the organisation's cases.
    login(client, actors.coordinator, actors.coordinator_org)
    assert client.get("/reports/dashboard/team/").status_code == 403
    assert client.post("/reports/exchange/htcds/export/", {"format": "csv"}).status_code == 403
    assert client.post("/api/v1/imports/htcds", {"dry_run": "true"}).status_code in (403, 422)


def test_supervisor_dashboard_and_api(
    client: Client, login: Any, actors: Any, national: National, register: Callable[..., Any]
) -> None:
    register(national.supervisor)
    login(client, actors.supervisor, actors.home_org)
    page = client.get("/reports/dashboard/team/")
    assert page.status_code == 200
    assert b"<svg" in page.content and b"<title" in page.content and b"<desc" in page.content
    assert b"Open cases per worker" in page.content
    data = client.get("/api/v1/reports/dashboard/team").json()
    keys = [t["key"] for t in data["sections"][0]["tables"]]
    assert keys == ["caseloads", "cases_by_status", "referrals_waiting"]
    # The supervisor has no national dashboard.
    assert client.get("/reports/dashboard/national/").status_code == 403
    assert client.get("/api/v1/reports/dashboard/national").status_code == 403


def test_coordinator_dashboard_trends(
    client: Client,
    login: Any,
    national: National,
    register: Callable[..., Any],
    settings: Any,
) -> None:
    from reports.scope import Quarter

    settings.REINTEGRA_STATS_MIN_CELL = 1
    today = datetime.date.today()
    earlier = Quarter.containing(today).previous().previous().start
    register(national.supervisor)
    register(national.supervisor, received_at=earlier)
    login(client, national.coordinator, national.unit)
    data = client.get("/api/v1/reports/dashboard/national").json()
    trends = data["sections"][0]["tables"][0]
    assert len(trends["rows"]) == 8
    new = {row["code"]: row["cells"]["new"] for row in trends["rows"]}
    assert new[str(Quarter.containing(today))] == 1
    assert new[str(Quarter.containing(earlier))] == 1
    page = client.get("/reports/dashboard/national/")
    assert page.status_code == 200 and b"<polyline" in page.content


def test_statistics_reads_are_audited(client: Client, login: Any, national: National) -> None:
    from audit.models import AuditEntry

    login(client, national.coordinator, national.unit)
    client.get("/reports/quarterly/")
    client.get("/reports/quarterly/csv/")
    entries = AuditEntry.objects.filter(object_type="reports.statistics")
    assert {e.action for e in entries} == {"view", "download"}
