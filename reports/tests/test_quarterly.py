"""The quarterly report: the acceptance test of small-cell suppression on every output (page,
CSV, XLSX, PDF, API), with k = 11 and k = 1; filters; constant query counts."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from reports.tests.conftest import National

pytestmark = pytest.mark.django_db


@pytest.fixture
def population(national: National, register: Callable[..., Any]) -> National:
    """12 women and 3 men received this quarter: the men's cell is below k = 11, and the
    total (15) would give it away unless a second cell is hidden too."""
    for _ in range(12):
        register(national.supervisor, sex="female")
    for _ in range(3):
        register(national.supervisor, sex="male")
    return national


def _sex_table(report: dict[str, Any]) -> dict[str, Any]:
    section = next(s for s in report["sections"] if s["key"] == "cases")
    return next(t for t in section["tables"] if t["key"] == "cases_by_sex")


def _cells(table: dict[str, Any], column: str) -> dict[str, Any]:
    return {row["code"]: row["cells"][column] for row in table["rows"]}


def _not_derivable(table: dict[str, Any], column: str) -> None:
    """The men's 3 cannot be worked out: either the total is hidden, or the women's 12 (the
    only other cell that is not zero) is hidden with it."""
    cells = _cells(table, column)
    assert cells["male"] is None
    assert table["totals"][column] is None or cells["female"] is None


def test_small_cell_absent_from_every_output(
    client: Client, login: Any, population: National, settings: Any
) -> None:
    from pypdf import PdfReader

    settings.REINTEGRA_STATS_MIN_CELL = 11
    login(client, population.coordinator, population.unit)

    report = client.get("/api/v1/reports/quarterly").json()
    table = _sex_table(report)
    assert report["minimum_cell"] == 11
    assert _cells(table, "new")["male"] is None
    _not_derivable(table, "new")
    _not_derivable(table, "active")
    assert table["totals"]["new"] == 15

    page = client.get("/reports/quarterly/")
    assert page.status_code == 200
    body = page.content.decode()
    male_row = body[body.index('<th scope="row">Male</th>') :].split("</tr>")[0]
    female_row = body[body.index('<th scope="row">Female</th>') :].split("</tr>")[0]
    assert "[c]" in male_row and ">3<" not in male_row
    assert "[c]" in female_row and ">12<" not in female_row

    lines = list(
        csv.reader(io.StringIO(client.get("/reports/quarterly/csv/").content.decode("utf-8-sig")))
    )
    sex_lines = {(line[2], line[3]): line[4] for line in lines if line[1] == "Cases by sex"}
    assert sex_lines[("Male", "New")] == "[c]"
    assert sex_lines[("Female", "New")] == "[c]"
    assert sex_lines[("Total", "New")] == "15"

    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(client.get("/reports/quarterly/xlsx/").content))
    sheet = workbook["New, active and closed cases"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    start = next(i for i, row in enumerate(values) if row[0] == "Cases by sex")
    by_label = {row[0]: row for row in values[start + 2 : start + 7]}
    assert by_label["Male"][1] == "[c]" and by_label["Female"][1] == "[c]"
    assert by_label["Total"][1] == 15

    pdf = client.get("/reports/quarterly/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    male_line = next(line for line in text.splitlines() if line.startswith("Male"))
    assert "[c]" in male_line and "3" not in male_line.replace("[c]", "")

    api_file = client.get("/api/v1/reports/quarterly/file", {"format": "csv"})
    assert api_file.status_code == 200 and b"[c]" in api_file.content


def test_with_k_one_the_same_cell_shows(
    client: Client, login: Any, population: National, settings: Any
) -> None:
    settings.REINTEGRA_STATS_MIN_CELL = 1
    login(client, population.coordinator, population.unit)
    table = _sex_table(client.get("/api/v1/reports/quarterly").json())
    assert _cells(table, "new") == {"female": 12, "male": 3, "other": 0, "unknown": 0}
    body = client.get("/reports/quarterly/").content.decode()
    male_row = body[body.index('<th scope="row">Male</th>') :].split("</tr>")[0]
    assert ">3<" in male_row
    lines = client.get("/reports/quarterly/csv/").content.decode("utf-8-sig")
    assert "Cases by sex,Male,New,3," in lines


def test_filters_and_scope(
    client: Client, login: Any, population: National, actors: Any, settings: Any
) -> None:
    settings.REINTEGRA_STATS_MIN_CELL = 1
    login(client, population.coordinator, population.unit)
    by_org = client.get(
        "/api/v1/reports/quarterly", {"organisation": actors.home_org.pk, "pack": "md-nrs"}
    ).json()
    assert _sex_table(by_org)["totals"]["new"] == 15
    other_pack = client.get("/api/v1/reports/quarterly", {"pack": "al-sop"}).json()
    assert _sex_table(other_pack)["totals"]["new"] == 0
    last_year = client.get("/api/v1/reports/quarterly", {"quarter": "2020-Q1"}).json()
    assert _sex_table(last_year)["totals"]["new"] == 0
    # An organisation outside the coordinator's country is refused by name.
    refused = client.get("/api/v1/reports/quarterly", {"organisation": actors.other_org.pk})
    assert refused.status_code == 422 and "organisation" in refused.json()["errors"]
    bad = client.get("/api/v1/reports/quarterly", {"quarter": "2026-Q7"})
    assert bad.status_code == 422 and "quarter" in bad.json()["errors"]
    assert client.get("/reports/quarterly/", {"quarter": "nonsense"}).status_code == 422
    # The Albanian organisation's supervisor sees only its own (empty) organisation.
    login(client, actors.other_worker, actors.other_org)
    assert client.get("/api/v1/reports/quarterly").status_code == 403


def test_supervisor_sees_own_organisation(
    client: Client, login: Any, population: National, actors: Any, settings: Any
) -> None:
    settings.REINTEGRA_STATS_MIN_CELL = 1
    login(client, actors.supervisor, actors.home_org)
    report = client.get("/api/v1/reports/quarterly").json()
    assert report["scope"]["level"] == "organisation"
    assert _sex_table(report)["totals"]["new"] == 15
    refused = client.get("/api/v1/reports/quarterly", {"organisation": population.unit.pk})
    assert refused.status_code == 422


def test_every_section_present(client: Client, login: Any, population: National) -> None:
    login(client, population.coordinator, population.unit)
    keys = [s["key"] for s in client.get("/api/v1/reports/quarterly").json()["sections"]]
    assert keys == [
        "cases",
        "services",
        "referrals",
        "budget",
        "expenditure",
        "timeliness",
        "outcomes",
        "first_access",
        "caseloads",
    ]


def _count(client: Client, path: str) -> int:
    client.get(path)  # warm the per-process caches (policy packs, translations)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_query_count_does_not_grow_with_cases(
    client: Client, login: Any, national: National, register: Callable[..., Any]
) -> None:
    login(client, national.coordinator, national.unit)
    for _ in range(2):
        register(national.supervisor, exploitation=("ForcedLabour",))
    first = {
        path: _count(client, path)
        for path in (
            "/reports/quarterly/",
            "/api/v1/reports/quarterly",
            "/reports/dashboard/national/",
        )
    }
    for index in range(4):
        register(national.supervisor, sex="male", citizenship=["UA", "RO"][index % 2])
    for path, queries in first.items():
        assert _count(client, path) == queries, path
