"""The CTDC statistics export, the command-line exports and imports, the gap counts behind
the suppression, and the printed quarterly report in two languages."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from reports.ctdc import COLUMNS, BelowMinimum, ctdc_export, suppress_rows
from reports.scope import StatisticsScope
from reports.tests.conftest import National

pytestmark = pytest.mark.django_db


def test_ctdc_rows_have_the_ctdc_variables(
    national: National, register: Callable[..., Any]
) -> None:
    from accounts.access import acting_for

    for _ in range(3):
        register(national.supervisor, birth_year=2000, exploitation=("ForcedLabour",))
    analyst = acting_for(national.analyst, national.unit)
    assert analyst is not None
    data, summary = ctdc_export(acting=analyst, scope=StatisticsScope(analyst), fmt="csv", k=3)
    rows = list(csv.DictReader(io.StringIO(data.decode())))
    assert list(rows[0]) == COLUMNS and len(COLUMNS) == 27
    assert summary == {"rows": 3, "blanked": 0, "k": 3}
    row = rows[0]
    assert row["gender"] == "Woman" and row["citizenship"] == "MDA"
    assert row["CountryOfExploitation"] == "MDA"
    assert row["isForcedLabour"] == "1" and row["isSexualExploit"] == ""
    assert row["ageBroad"] in ("24--26", "21--23", "27--29")
    assert b"Ioana" not in data and b"Testescu" not in data


def test_ctdc_suppression_blanks_rare_combinations_then_refuses() -> None:
    base = dict.fromkeys(COLUMNS)
    common = {**base, "yearOfRegistration": 2026, "gender": "Woman", "ageBroad": "18--20",
              "citizenship": "MDA", "CountryOfExploitation": "MDA"}  # fmt: skip
    ukrainian = {**common, "citizenship": "UKR", "gender": "Man"}
    romanian = {**common, "citizenship": "ROU", "gender": "Man"}
    rows, blanked = suppress_rows(
        [dict(common) for _ in range(4)] + [dict(ukrainian), dict(romanian)], 2
    )
    # The two rare rows lost their country of exploitation, then their citizenship, and then
    # formed a pair; the common rows kept everything.
    assert blanked == 4
    assert rows[0]["citizenship"] == "MDA"
    assert [r["citizenship"] for r in rows[4:]] == [None, None]
    assert [r["gender"] for r in rows[4:]] == ["Man", "Man"]
    with pytest.raises(BelowMinimum):
        suppress_rows([dict(common) for _ in range(4)] + [dict(ukrainian)], 2)


def test_ctdc_refusal_writes_nothing(
    client: Client, login: Any, national: National, register: Callable[..., Any], tmp_path: Path
) -> None:
    register(national.supervisor)
    login(client, national.coordinator, national.unit)
    response = client.get("/api/v1/exports/ctdc", {"format": "csv"})
    assert response.status_code == 422 and "k" in response.json()["errors"]
    page = client.get("/reports/exchange/ctdc/", {"format": "xlsx"})
    assert page.status_code == 422 and b"nothing was written" in page.content
    output = tmp_path / "ctdc.csv"
    with pytest.raises(CommandError):
        call_command(
            "export_stats",
            organisation="MCU",
            user="mira_coordinator",
            output=str(output),
        )
    assert not output.exists()
    call_command(
        "export_stats", organisation="MCU", user="mira_coordinator", output=str(output), k=1
    )
    assert output.read_text().startswith("yearOfRegistration,gender,ageBroad")


def test_htcds_commands(national: National, register: Callable[..., Any], tmp_path: Path) -> None:
    from cases.models import Case
    from consent.services import consent_record

    case = register(national.supervisor, given_name="Lidia", family_name="Ursu")
    output = tmp_path / "cases.xlsx"
    with pytest.raises(CommandError):
        call_command(
            "export_htcds",
            organisation="HOM",
            user="suri_supervisor",
            output=str(output),
            full=True,
        )
    # The consent gate names the case without consent to the processing of personal data.
    with pytest.raises(CommandError, match=case.code):
        call_command(
            "export_htcds",
            organisation="HOM",
            user="suri_supervisor",
            output=str(output),
            full=True,
            reason="test",
        )
    assert not output.exists()
    consent_record(
        acting=national.supervisor,
        case=case,
        purpose="data_processing",
        given_by="person",
        method="oral_witnessed",
        given_on=case.received_at,
    )
    call_command(
        "export_htcds",
        organisation="HOM",
        user="suri_supervisor",
        output=str(output),
        full=True,
        reason="test",
    )
    assert output.read_bytes()[:2] == b"PK"
    with pytest.raises(CommandError):
        call_command("export_htcds", organisation="HOM", user="cara_manager", output=str(output))
    out = io.StringIO()
    # The person is already known: reported as a duplicate, nothing new written.
    call_command(
        "import_htcds", str(output), organisation="HOM", user="suri_supervisor", stdout=out
    )
    assert "row 3: possible duplicate" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text("prs_FirstName,cas_RegistrationDate,prs_Hobby\nAna,2026-13-01,chess\n")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_htcds", str(bad), organisation="HOM", user="suri_supervisor", stdout=out
        )
    assert "row 2, B (cas_RegistrationDate)" in out.getvalue()
    assert "row 1, C (prs_Hobby)" in out.getvalue()
    assert Case.objects.count() == 1


def test_gap_counts_are_suppressed(
    client: Client, login: Any, national: National, register: Callable[..., Any], settings: Any
) -> None:
    from referrals.services import unmet_need_record

    settings.REINTEGRA_STATS_MIN_CELL = 11
    case = register(national.supervisor)
    for _ in range(2):
        unmet_need_record(
            acting=national.supervisor,
            case=case,
            category="legal_aid",
            reason="cost",
            source="case_worker",
        )
    login(client, national.coordinator, national.unit)
    rows = client.get("/api/v1/gaps").json()
    assert rows == [
        {"category": "legal_aid", "reason": "cost", "country": "MD", "region": "", "count": None}
    ]
    page = client.get("/referrals/gaps/")
    assert page.status_code == 200 and b"[c]" in page.content and b"<td>2</td>" not in page.content
    assert client.get("/reports/gaps/").status_code == 200


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Quarterly report"), ("ro", "Raport trimestrial")],
)
def test_quarterly_pdf_in_two_languages(
    client: Client,
    login: Any,
    national: National,
    register: Callable[..., Any],
    language: str,
    expected: str,
) -> None:
    from pypdf import PdfReader

    register(national.supervisor)
    national.coordinator.language = language
    national.coordinator.save(update_fields=["language"])
    login(client, national.coordinator, national.unit)
    response = client.get("/reports/quarterly/pdf/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert expected in text
    assert "Ioana" not in text and "Testescu" not in text
