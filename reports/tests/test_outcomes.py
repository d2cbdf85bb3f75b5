"""The quarterly report's outcomes: domain score change from the baseline by entry cohort
(worker's score, the person's own beside it), contacts on time from the work items, and
follow-up contacts made; suppressed per k; constant queries."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from monitoring.tests.conftest import acting, make_case  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

QUARTER = {"quarter": "2026-Q4"}


def _table(report: dict[str, Any], key: str) -> dict[str, Any]:
    section = next(s for s in report["sections"] if s["key"] == "outcomes")
    return next(t for t in section["tables"] if t["key"] == key)


def _cells(table: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["code"]: row["cells"] for row in table["rows"]}


def _score(
    acting_user: Any, case: Any, occasion: str, on: datetime.date, worker: int, person: int | None
) -> None:
    from monitoring.framework import current_framework
    from monitoring.services import ScoreInput, outcome_scores_record

    domain = current_framework().codes[0]
    outcome_scores_record(
        acting=acting_user,
        case=case,
        occasion=occasion,
        taken_on=on,
        scores={domain: ScoreInput(worker=worker, person=person)},
    )


@pytest.fixture
def scored(
    actors: Any,
    acting: Callable[[Any, Any], Any],  # noqa: F811  (pytest fixture)
    make_case: Callable[..., Any],  # noqa: F811  (pytest fixture)
) -> dict[str, Any]:
    """Three people who entered in 2026-Q1, scored at baseline in February and again in
    November: improved (2 → 4; her own 3 → 3), declined (3 → 2), unchanged (3 → 3). One
    monitoring contact by phone in November; the third case closed and followed up at home."""
    from cases.models import Case, CaseStatus
    from monitoring.services import contact_record

    worker = acting(actors.case_manager, actors.home_org)
    cases = [make_case(given_name=name) for name in ("Olena", "Iryna", "Maria")]
    for case, (before, after, own) in zip(
        cases, [(2, 4, 3), (3, 2, None), (3, 3, None)], strict=True
    ):
        _score(worker, case, "baseline", datetime.date(2026, 2, 1), before, own)
        _score(worker, case, "review", datetime.date(2026, 11, 1), after, own)
    contact_record(
        acting=worker, case=cases[0], occurred_on=datetime.date(2026, 11, 5), mode="phone"
    )
    # Closure is recorded by the closure capability; only the status matters here.
    Case.objects.filter(pk=cases[2].pk).update(status=CaseStatus.CLOSED)
    closed = Case.objects.select_related("data_key").get(pk=cases[2].pk)
    contact_record(
        acting=worker,
        case=closed,
        occurred_on=datetime.date(2026, 11, 20),
        mode="home_visit",
        purpose="follow_up",
    )
    return {"cases": cases, "worker": worker}


def test_outcomes_with_k_one(
    client: Client, login: Any, actors: Any, scored: dict[str, Any], settings: Any
) -> None:
    settings.REINTEGRA_STATS_MIN_CELL = 1
    login(client, actors.supervisor, actors.home_org)
    report = client.get("/api/v1/reports/quarterly", QUARTER).json()
    cohort = _cells(_table(report, "outcome_change_by_cohort"))
    assert cohort == {"2026-Q1": {"improved": 1, "unchanged": 1, "declined": 1}}
    assert _table(report, "outcome_change_by_cohort")["totals"]["improved"] == 1
    # Only the first person gave her own score, the same both times.
    own = _cells(_table(report, "outcome_change_by_cohort_person"))
    assert own == {"2026-Q1": {"improved": 0, "unchanged": 1, "declined": 0}}
    by_domain = _table(report, "outcome_change_by_domain")["rows"][0]["cells"]
    assert by_domain == {"improved": 1, "unchanged": 1, "declined": 1}
    made = _cells(_table(report, "contacts_made"))
    assert made["phone"] == {"monitoring": 1, "follow_up": 0}
    assert made["home_visit"] == {"monitoring": 0, "follow_up": 1}
    on_time = _table(report, "contacts_on_time")
    assert [row["code"] for row in on_time["rows"]] == ["monitoring_contact", "follow_up_contact"]
    # Scores of another quarter are not this quarter's change.
    other = client.get("/api/v1/reports/quarterly", {"quarter": "2026-Q1"}).json()
    assert _table(other, "outcome_change_by_cohort")["rows"] == []


def test_outcomes_suppressed(
    client: Client, login: Any, actors: Any, scored: dict[str, Any], settings: Any
) -> None:
    settings.REINTEGRA_STATS_MIN_CELL = 11
    login(client, actors.supervisor, actors.home_org)
    report = client.get("/api/v1/reports/quarterly", QUARTER).json()
    cohort = _table(report, "outcome_change_by_cohort")
    assert _cells(cohort)["2026-Q1"] == {"improved": None, "unchanged": None, "declined": None}
    assert cohort["totals"] == {"improved": None, "unchanged": None, "declined": None}
    made = _cells(_table(report, "contacts_made"))
    assert made["phone"]["monitoring"] is None and made["home_visit"]["follow_up"] is None
    lines = client.get("/reports/quarterly/csv/", QUARTER).content.decode("utf-8-sig")
    outcome_lines = [line for line in lines.splitlines() if line.startswith("Outcomes")]
    assert outcome_lines and any("2026-Q1,Improved,[c]" in line for line in outcome_lines)
    assert not any(line.endswith(",1,") for line in outcome_lines)
    page = client.get("/reports/quarterly/", QUARTER).content.decode()
    section = page[page.index("Outcomes and follow-up") :]
    assert "[c]" in section


def test_outcomes_query_count_constant(
    client: Client,
    login: Any,
    actors: Any,
    acting: Callable[[Any, Any], Any],  # noqa: F811  (pytest fixture)
    make_case: Callable[..., Any],  # noqa: F811  (pytest fixture)
) -> None:
    worker = acting(actors.case_manager, actors.home_org)
    login(client, actors.supervisor, actors.home_org)

    def count() -> int:
        client.get("/api/v1/reports/quarterly", QUARTER)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/reports/quarterly", QUARTER).status_code == 200
        return len(captured.captured_queries)

    before = count()
    for name in ("Olena", "Iryna", "Maria"):
        case = make_case(given_name=name)
        _score(worker, case, "baseline", datetime.date(2026, 2, 1), 2, 2)
        _score(worker, case, "review", datetime.date(2026, 11, 1), 3, 4)
    assert count() == before


def test_outcomes_not_for_case_workers(client: Client, login: Any, actors: Any) -> None:
    login(client, actors.case_manager, actors.home_org)
    assert client.get("/api/v1/reports/quarterly", QUARTER).status_code == 403
    assert client.get("/reports/quarterly/", QUARTER).status_code == 403
