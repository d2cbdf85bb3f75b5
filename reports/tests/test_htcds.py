"""HTCDS 2.0 export and import: the round trip of the demo cases through an emptied database,
duplicates on a second import, a bad file that writes nothing and says where, the official
template filled untidily, and the access rules of both directions."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from accounts.access import Acting, acting_for
from reports.htcds.export import htcds_export
from reports.htcds.importer import htcds_import
from reports.tests.conftest import National

pytestmark = pytest.mark.django_db

TEMPLATE = Path(__file__).parent / "data" / "htcds-spreadsheet-2.0.xlsx"


def _records(data: bytes) -> list[dict[str, Any]]:
    document = json.loads(data)
    assert document["htcds_version"] == "2.0"
    records: list[dict[str, Any]] = document["records"]
    return sorted(records, key=lambda r: (r["cas_RegistrationDate"], r["prs_SecondName"]))


def _empty_case_data() -> None:
    """The second database: every case and person removed (a flush of the case data, valid on
    SQLite and PostgreSQL alike), the organisations and accounts kept."""
    from cases.models import Case
    from people.models import Person

    Case.objects.all().delete()
    Person.objects.all().delete()


def _consent(acting: Acting, case: Any) -> None:
    from consent.services import consent_override, consent_record
    from work.services import case_is_minor

    if case_is_minor(case):
        # A child's consent comes from the legal representative, whom the HTCDS file does
        # not carry: until one is on record, a supervisor's audited override covers it.
        consent_override(
            acting=acting,
            case=case,
            purpose="data_processing",
            reason="legal representative not yet on record after the import",
        )
        return
    consent_record(
        acting=acting,
        case=case,
        purpose="data_processing",
        given_by="person",
        method="oral_witnessed",
        given_on=case.received_at,
    )


def test_round_trip_of_the_demo_cases_and_duplicates_on_the_second_import() -> None:
    from accounts.demo import seed_accounts
    from accounts.models import User
    from cases.demo import seed_cases
    from cases.models import Case

    organisations = seed_accounts()
    seed_cases(organisations)
    organisation = organisations["ngo_md"]
    acting = acting_for(User.objects.get(username="elena.super"), organisation)
    assert acting is not None
    exported = _records(
        htcds_export(acting=acting, fmt="json", full=True, reason="round trip test")
    )
    workbook = htcds_export(acting=acting, fmt="xlsx", full=True, reason="round trip test")
    names_before = sorted(
        c.person.full_name or "" for c in Case.objects.filter(organisation=organisation)
    )
    assert len(exported) == len(names_before) >= 5
    # The identifying fields are there, and the codes of the standard.
    assert {r["prs_FirstName"] for r in exported} >= {"Natalia", "Ion"}
    assert "ActualVictimOfTrafficking" in {r["vic_TraffickingStatus"] for r in exported}

    _empty_case_data()
    assert not Case.objects.exists()
    report = htcds_import(acting=acting, file_name="demo.xlsx", data=workbook)
    assert report.problems == [], report.problems
    assert report.written and len(report.created) == len(exported)

    # The receiving organisation records each person's consent before a full export again.
    for case in Case.objects.filter(organisation=organisation):
        _consent(acting, case)
    reimported = _records(
        htcds_export(acting=acting, fmt="json", full=True, reason="round trip test")
    )
    assert reimported == exported
    # Names compared after decryption, straight from the people.
    names_after = sorted(
        c.person.full_name or "" for c in Case.objects.filter(organisation=organisation)
    )
    assert names_after == names_before

    again = htcds_import(acting=acting, file_name="demo.xlsx", data=workbook)
    assert not again.written and again.created == []
    assert len(again.duplicates) == len(exported)
    assert Case.objects.filter(organisation=organisation).count() == len(exported)


def _csv(rows: list[list[str]]) -> bytes:
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return text.getvalue().encode()


def test_bad_import_writes_nothing_and_says_where(national: National) -> None:
    from cases.models import Case

    data = _csv(
        [
            ["prs_FirstName", "prs_SecondName", "prs_Gender", "cas_RegistrationDate", "prs_Colour"],
            ["Ana", "Good", "Feminine", "2026-01-10", ""],
            ["Ion", "Unknown-code", "Purple", "2026-01-11", ""],
            ["Eva", "Bad-date", "Feminine", "31/31/2026", ""],
            ["Dan", "Extra", "Masculine", "2026-01-12", "blue"],
        ]
    )
    report = htcds_import(acting=national.supervisor, file_name="bad.csv", data=data)
    assert not report.written and not Case.objects.exists()
    problems = {(p.row, p.column.split(" ")[0]): p.message for p in report.problems}
    assert (
        (1, "E") in problems
        and len(report.problems) == 3
        and "Unknown column" in problems[(1, "E")]
    )
    assert (3, "C") in problems and "Purple" in problems[(3, "C")]
    assert (4, "D") in problems and "31/31/2026" in problems[(4, "D")]
    # The dry run and the partial import behave as promised.
    dry = htcds_import(
        acting=national.supervisor,
        file_name="bad.csv",
        data=data,
        all_or_nothing=False,
        dry_run=True,
    )
    assert not dry.written and not Case.objects.exists()


def test_dry_run_reports_and_writes_nothing(national: National) -> None:
    from audit.models import AuditEntry
    from cases.models import Case

    data = _csv(
        [
            ["prs_FirstName", "prs_SecondName", "cas_RegistrationDate"],
            ["Ana", "Dry", "2026-01-10"],
            ["Ion", "Run", "10.01.2026"],
        ]
    )
    report = htcds_import(acting=national.supervisor, file_name="dry.csv", data=data, dry_run=True)
    assert report.problems == [] and len(report.created) == 2 and not report.written
    assert not Case.objects.exists()
    assert AuditEntry.objects.filter(object_type="reports.htcds_import").exists()
    written = htcds_import(acting=national.supervisor, file_name="dry.csv", data=data)
    assert written.written and Case.objects.count() == 2


def test_official_template_filled_untidily(national: National) -> None:
    """The template's hidden row of names and row of labels, its misspelt header, labels
    instead of value names, stray spaces, text dates, empty rows."""
    from openpyxl import load_workbook

    from cases.models import Case

    workbook = load_workbook(TEMPLATE)
    sheet = workbook.active
    assert sheet is not None
    names = [cell.value for cell in sheet[1]]
    column = {name: index + 1 for index, name in enumerate(names) if name}
    rows = [
        {
            "prs_FirstName": "  Mariana ",
            "prs_SecondName": "Rusu",
            "prs_Gender": " feminine",
            "prs_Birthdate": "1 March 1999",
            "prs_Citizenship": "md; ua",
            "vic_TraffickingStatus": "Possible victim of trafficking",
            "vic_TypeOfExploitation": "Forced labour; sexual exploitation",
            "vic_MethodsOfControl": "DebtBondage ",
            "cas_IncomingReferralDate": "15.02.2026",
        },
        {
            "prs_FirstName": "Petru",
            "prs_SecondName": "Ciobanu",
            "prs_Gender": "Male",
            "cas_IncomingReferralDate": "2026/02/20",
            "vic_TraffickinStatusDecisionMakingOrg": "Police",
            "vic_TraffickingStatus": "ActualVictimOfTrafficking",
        },
    ]
    # Row 3 stays empty; data in rows 4 and 6.
    for row_number, values in zip((4, 6), rows, strict=True):
        for name, value in values.items():
            sheet.cell(row=row_number, column=column[name], value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = htcds_import(
        acting=national.supervisor, file_name="template.xlsx", data=buffer.getvalue()
    )
    assert report.problems == [], report.problems
    assert report.written and len(report.created) == 2
    mariana = Case.objects.select_related("person__data_key").get(received_at="2026-02-15")
    assert mariana.person.full_name == "Mariana Rusu"
    assert mariana.person.sex == "female" and mariana.identification_status == "potential"
    assert sorted(c.country for c in mariana.person.citizenships.all()) == ["MD", "UA"]
    codes = sorted(mariana.profile.codes.values_list("code", flat=True))
    assert codes == ["DebtBondage", "ForcedLabour", "SexualExploitation"]
    petru = Case.objects.get(received_at="2026-02-20")
    assert petru.identification_status == "identified"
    assert petru.identification_decisions.filter(identifying_body="Police").exists()


def test_month_first_dates_are_refused_not_guessed(national: National) -> None:
    data = _csv(
        [
            ["prs_FirstName", "cas_RegistrationDate", "prs_Birthdate"],
            ["Ana", "03/25/2026", "1990-02-30"],
        ]
    )
    report = htcds_import(acting=national.supervisor, file_name="us.csv", data=data)
    assert {p.column.split(" ")[0] for p in report.problems} == {"B", "C"}


def test_export_without_full_holds_no_identity(
    national: National, register: Callable[..., Any]
) -> None:
    case = register(national.supervisor, given_name="Zinaida", family_name="Cazacu")
    data = htcds_export(acting=national.supervisor, fmt="csv")
    assert b"Zinaida" not in data and b"prs_FirstName" not in data
    assert b"vic_TraffickingStatus" in data
    with pytest.raises(ValidationError):
        htcds_export(acting=national.supervisor, fmt="csv", full=True, reason=" ")
    _consent(national.supervisor, case)
    full = htcds_export(acting=national.supervisor, fmt="csv", full=True, reason="transfer")
    assert b"Zinaida" in full


def test_export_and_import_refused_to_other_roles(
    national: National, actors: Any, register: Callable[..., Any]
) -> None:
    analyst = acting_for(national.analyst, national.unit)
    coordinator = acting_for(national.coordinator, national.unit)
    manager = acting_for(actors.case_manager, actors.home_org)
    for acting in (analyst, coordinator, manager):
        assert isinstance(acting, Acting)
        with pytest.raises(PermissionDenied):
            htcds_export(acting=acting, fmt="csv")
        with pytest.raises(PermissionDenied):
            htcds_import(acting=acting, file_name="x.csv", data=b"prs_FirstName\nAna\n")


def test_full_export_is_audited_with_its_reason(national: National) -> None:
    from audit.models import AuditEntry

    htcds_export(acting=national.supervisor, fmt="json", full=True, reason="national database")
    entry = AuditEntry.objects.get(object_type="reports.htcds_export")
    assert entry.action == "export"
    assert entry.detail["full"] is True and entry.detail["reason"] == "national database"


def test_ui_and_api(client: Client, login: Any, actors: Any, national: National) -> None:
    login(client, actors.supervisor, actors.home_org)
    page = client.get("/reports/exchange/")
    assert page.status_code == 200 and b"HTCDS 2.0 import" in page.content
    missing_reason = client.post("/reports/exchange/htcds/export/", {"format": "csv", "full": "on"})
    assert missing_reason.status_code == 422 and b"Say why" in missing_reason.content
    exported = client.post("/reports/exchange/htcds/export/", {"format": "xlsx"})
    assert exported.status_code == 200 and exported.content[:2] == b"PK"
    api = client.post(
        "/api/v1/exports/htcds",
        {"format": "json", "full": True, "reason": "check"},
        content_type="application/json",
    )
    assert api.status_code == 200 and api.json()["htcds_version"] == "2.0"
    bad = io.BytesIO(_csv([["prs_FirstName", "cas_RegistrationDate"], ["Ana", "yesterday"]]))
    bad.name = "bad.csv"
    response = client.post("/api/v1/imports/htcds", {"file": bad, "dry_run": "false"})
    assert response.status_code == 422
    assert response.json()["problems"][0]["row"] == 2
    good = io.BytesIO(_csv([["prs_FirstName", "cas_RegistrationDate"], ["Ana", "2026-01-02"]]))
    good.name = "good.csv"
    page = client.post("/reports/exchange/htcds/import/", {"file": good, "dry_run": "on"})
    assert page.status_code == 200 and b"1 case would be created" in page.content


def test_csv_with_old_line_endings_or_an_unreadable_field_is_reported(national: National) -> None:
    from django.core.exceptions import ValidationError

    from cases.models import Case

    header = "prs_FirstName,prs_SecondName,prs_Gender,cas_RegistrationDate"
    report = htcds_import(
        acting=national.supervisor,
        file_name="mac.csv",
        data=f"{header}\rAna,Good,Feminine,2026-01-10\r".encode(),
        dry_run=True,
    )
    assert not report.problems
    huge = f'{header}\nAna,"{"x" * 200_000}",Feminine,2026-01-10\n'.encode()
    with pytest.raises(ValidationError) as refused:
        htcds_import(acting=national.supervisor, file_name="huge.csv", data=huge)
    assert "file" in refused.value.message_dict
    assert not Case.objects.exists()


def test_full_export_refused_naming_the_cases_without_consent(
    client: Client, login: Any, actors: Any, national: National, register: Callable[..., Any]
) -> None:
    """The consent gate, case by case: one person without a current consent to the
    processing of personal data (nor an override) refuses the whole full export, naming
    every such case; nothing is written or audited as exported, and an override taken for
    another case is given back. The de-identified export is not gated."""
    from audit.models import AuditEntry
    from consent.models import ConsentOverride
    from consent.services import consent_override, consent_withdraw

    supervisor = national.supervisor
    consented = register(supervisor, given_name="Zinaida")
    _consent(supervisor, consented)
    lacking = register(supervisor, given_name="Vera")
    withdrawn = register(supervisor, given_name="Lidia")
    _consent(supervisor, withdrawn)
    consent = withdrawn.consents.get(purpose="data_processing")
    consent_withdraw(
        acting=supervisor,
        case=withdrawn,
        consent=consent,
        withdrawn_on=consent.given_on,
        expected_version=consent.version,
    )
    overridden = register(supervisor, given_name="Olga")
    consent_override(
        acting=supervisor,
        case=overridden,
        purpose="data_processing",
        reason="transfer to the national database ordered by the court",
    )

    with pytest.raises(ValidationError) as refused:
        htcds_export(acting=supervisor, fmt="json", full=True, reason="national database")
    message = refused.value.message_dict["full"][0]
    assert lacking.code in message and withdrawn.code in message
    assert consented.code not in message and overridden.code not in message
    assert "2 cases" in message
    assert not AuditEntry.objects.filter(object_type="reports.htcds_export").exists()
    assert ConsentOverride.objects.get(case=overridden).used_at is None
    # Without identifying fields the export is not gated.
    assert b"Vera" not in htcds_export(acting=supervisor, fmt="csv")

    login(client, actors.supervisor, actors.home_org)
    api = client.post(
        "/api/v1/exports/htcds",
        {"format": "json", "full": True, "reason": "national database"},
        content_type="application/json",
    )
    assert api.status_code == 422 and lacking.code in str(api.json())
    page = client.post(
        "/reports/exchange/htcds/export/",
        {"format": "csv", "full": "on", "reason": "national database"},
    )
    assert page.status_code == 422 and lacking.code in page.content.decode()

    # With every case covered the full export goes through and uses the override.
    _consent(supervisor, lacking)
    _consent(supervisor, withdrawn)
    records = json.loads(
        htcds_export(acting=supervisor, fmt="json", full=True, reason="national database")
    )["records"]
    assert {r["prs_FirstName"] for r in records} == {"Zinaida", "Vera", "Lidia", "Olga"}
    assert ConsentOverride.objects.get(case=overridden).used_at is not None
