"""The quarterly report's expenditure actuals: paid by funding source, against the approved
plans' budgets and the pack's cap, and the cost per beneficiary from actual spending (paid,
in kind, other organisations' estimated values); suppressed in every output; constant
queries."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assistance.tests.conftest import (  # noqa: F401  (fixtures)
    FundedCase,
    acting,
    build_plan,
    funded_case,
    ge_ngo,
    give,
    open_case,
    pdf_upload,
)

pytestmark = pytest.mark.django_db

QUARTER = {"quarter": "2026-Q4"}


def _section(report: dict[str, Any]) -> dict[str, Any]:
    return next(s for s in report["sections"] if s["key"] == "expenditure")


def _table(report: dict[str, Any], key: str) -> dict[str, Any]:
    return next(t for t in _section(report)["tables"] if t["key"] == key)


def _rows(table: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["code"]: row for row in table["rows"]}


def _figure(report: dict[str, Any], currency: str) -> Any:
    figures = {f["key"]: f["value"] for f in _section(report)["figures"]}
    return figures[f"cost_per_beneficiary_{currency}"]


@pytest.fixture
def spending(
    funded_case: Callable[..., FundedCase],  # noqa: F811  (pytest fixture)
    give: Callable[..., Any],  # noqa: F811  (pytest fixture)
) -> list[FundedCase]:
    """Two Georgian beneficiaries: GEL 1,100 + GEL 200 in kind, and GEL 600 + GEL 500; one
    service of another organisation valued at GEL 400; and an item of the previous quarter."""
    from assistance.models import ActivityImplementation
    from crypto.models import DataKey

    first = funded_case(given_name="Tamar")
    second = funded_case(given_name="Nino")
    give(first, "1100")
    give(first, "200", provision="in_kind")
    give(second, "600")
    give(second, "500", line=1)
    give(second, "90", on=datetime.date(2026, 8, 10))
    # The value of a service another organisation gave (entered by the implementation form;
    # only the plain statistical columns matter here).
    ActivityImplementation.objects.create(
        activity=second.activities[1],
        case=second.case,
        organisation=second.organisation,
        data_key=DataKey.objects.filter(pk=second.case.person.data_key_id).get(),
        actual_end=datetime.date(2026, 11, 20),
        delivered_by="organisation",
        estimated_value=Decimal("400"),
        estimated_currency="GEL",
    )
    return [first, second]


def test_actuals_with_k_one(
    client: Client, login: Any, spending: list[FundedCase], settings: Any
) -> None:
    settings.REINTEGRA_STATS_MIN_CELL = 1
    first = spending[0]
    login(client, first.supervisor, first.organisation)
    report = client.get("/api/v1/reports/quarterly", QUARTER).json()
    assert [s["key"] for s in report["sections"]].index("expenditure") == 4

    paid = _rows(_table(report, "spent_by_source"))
    assert paid["other"]["cells"] == {"GEL": 2}
    assert paid["other"]["amounts"] == {"GEL": 2200.0}

    budget = _rows(_table(report, "spent_against_budget"))
    assert budget["other|budgeted"]["cells"] == {"GEL": 2}
    assert budget["other|budgeted"]["amounts"] == {"GEL": 3800.0}
    # Paid to date on the plans' lines includes the previous quarter's GEL 90.
    assert budget["other|spent"]["amounts"] == {"GEL": 2290.0}

    cap = _rows(_table(report, "spent_against_cap"))
    assert cap["ge-fund"]["cells"] == {"within": 2, "over": 0, "other_currency": 0, "no_cap": 0}

    kinds = _rows(_table(report, "cost_by_kind"))
    assert kinds["paid"]["cells"] == {"GEL": 2}
    assert kinds["in_kind"]["amounts"] == {"GEL": 200.0}
    assert kinds["other_organisation"]["amounts"] == {"GEL": 400.0}
    # (1,100 + 200 + 600 + 500 + 400) / 2 beneficiaries.
    assert _figure(report, "GEL") == 1400.0


def test_over_the_cap(
    client: Client,
    login: Any,
    spending: list[FundedCase],
    give: Callable[..., Any],  # noqa: F811  (pytest fixture)
    settings: Any,
) -> None:
    settings.REINTEGRA_STATS_MIN_CELL = 1
    first = spending[0]
    # A supervisor lets an item pass the cap with a reason (001 §5.6 L56).
    give(
        first,
        "950",
        line=1,
        by=first.supervisor,
        over_budget_reason="Rent rose",
        cap_override_reason="Urgent rent before winter",
    )
    login(client, first.supervisor, first.organisation)
    report = client.get("/api/v1/reports/quarterly", QUARTER).json()
    cap = _rows(_table(report, "spent_against_cap"))
    assert cap["ge-fund"]["cells"]["over"] == 1 and cap["ge-fund"]["cells"]["within"] == 1


def test_small_cells_absent_from_every_output(
    client: Client, login: Any, spending: list[FundedCase], settings: Any
) -> None:
    from openpyxl import load_workbook
    from pypdf import PdfReader

    settings.REINTEGRA_STATS_MIN_CELL = 11
    first = spending[0]
    login(client, first.supervisor, first.organisation)
    report = client.get("/api/v1/reports/quarterly", QUARTER).json()
    paid = _rows(_table(report, "spent_by_source"))
    assert paid["other"]["cells"] == {"GEL": None}
    assert paid["other"]["amounts"] == {"GEL": None}
    assert _figure(report, "GEL") is None
    for key in ("spent_against_budget", "cost_by_kind"):
        for row in _table(report, key)["rows"]:
            assert all(value in (None, 0, 0.0) for value in row["cells"].values()), key
            assert all(value in (None, 0, 0.0) for value in row["amounts"].values()), key

    # None of the amounts (2,200 paid; 1,400 per beneficiary; 3,800 budgeted) in any file.
    secrets = ("2200", "2,200", "1400", "1,400", "3800", "3,800")
    page = client.get("/reports/quarterly/", QUARTER).content.decode()
    assert "Expenditure actuals" in page
    csv_text = client.get("/reports/quarterly/csv/", QUARTER).content.decode("utf-8-sig")
    assert '"Paid in the quarter, by funding source",Other funders,GEL,[c],[c]' in csv_text
    workbook = load_workbook(io.BytesIO(client.get("/reports/quarterly/xlsx/", QUARTER).content))
    cells = " ".join(
        str(c.value) for sheet in workbook for row in sheet.iter_rows() for c in row if c.value
    )
    pdf = client.get("/reports/quarterly/pdf/", QUARTER).content
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Expenditure actuals" in text
    section_text = page[page.index("Expenditure actuals") :]
    for output in (section_text, csv_text, cells, text):
        for secret in secrets:
            assert secret not in output


def test_query_count_constant(
    client: Client,
    login: Any,
    funded_case: Callable[..., FundedCase],  # noqa: F811  (pytest fixture)
    give: Callable[..., Any],  # noqa: F811  (pytest fixture)
) -> None:
    first = funded_case(given_name="Tamar")
    give(first, "100")
    login(client, first.supervisor, first.organisation)

    def count() -> int:
        client.get("/api/v1/reports/quarterly", QUARTER)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/reports/quarterly", QUARTER).status_code == 200
        return len(captured.captured_queries)

    before = count()
    for name in ("Nino", "Ana", "Eka"):
        more = funded_case(given_name=name)
        give(more, "100")
        give(more, "50", provision="in_kind", line=1)
    assert count() == before


def test_expenditure_for_analyst_not_for_case_manager(
    client: Client, login: Any, spending: list[FundedCase]
) -> None:
    first = spending[0]
    login(client, first.case_manager, first.organisation)
    assert client.get("/api/v1/reports/quarterly", QUARTER).status_code == 403
    client.logout()
    assert client.get("/api/v1/reports/quarterly", QUARTER).status_code == 401
