"""HTCDS 2.0 import into new cases of an organisation (SPEC C12; standards/README.md §1.7-§1.8).

The file is read first and every problem reported with its row and column: unknown columns,
values not on the code list, dates that cannot be read, rows without a name. Cases are then
written through the case and person services (names encrypted, blind indexes, audit), in one
transaction: by default nothing is written unless every row is good; a dry run performs the
whole import and rolls it back, so it reports exactly what a real run would do.

Untidy workbooks are expected: the official template's hidden row of names and its row of
labels, its misspelt header, header spellings of other HTCDS tools, stray spaces, empty rows,
text dates. Numeric dates are read day first (the convention in every country the system
serves); a date that only reads month first is refused rather than guessed.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import Acting
from accounts.models import Membership, Organisation
from accounts.roles import Capability, Role
from audit.models import AuditAction
from audit.services import record
from cases.codes import ProfileCodeList
from cases.duplicates import find_duplicates
from cases.models import Case, TraffickingProfile
from cases.services import (
    CaseInput,
    case_assign_manager,
    case_register,
    case_update,
    identification_transition,
    profile_update,
)
from people.services import PersonInput
from reports.htcds.fields import (
    BY_NAME,
    CODE_LISTS,
    GENDER_TO_SEX,
    TRAFFICKING_STATUS,
    field_for_header,
    match_code,
    normalise,
    split_multiple,
)

MAX_ROWS = 5000
_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
DATE_FIELDS = {"prs_Birthdate", "cas_IncomingReferralDate", "cas_RegistrationDate",
               "cas_OutgoingReferralDate", "cas_ImmediateNeedsMetDate"}  # fmt: skip
COUNTRY_FIELDS = {"prs_Citizenship", "vic_LocationOfRecruitment", "vic_LocationOfExploitation"}
LANGUAGE_FIELDS = {"prs_PrimaryLanguage", "prs_SecondaryLanguage"}


@dataclass
class Problem:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportReport:
    rows: int = 0
    created: list[str] = field(default_factory=list)  # case numbers
    duplicates: list[int] = field(default_factory=list)  # spreadsheet rows
    problems: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)
    dry_run: bool = False
    written: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "created": len(self.created),
            "case_numbers": self.created if self.written else [],
            "duplicates": self.duplicates,
            "problems": [p.as_dict() for p in self.problems],
            "notices": [p.as_dict() for p in self.notices],
            "dry_run": self.dry_run,
            "written": self.written,
        }


@dataclass
class Column:
    index: int
    header: str
    name: str | None  # the HTCDS field, None when unknown

    @property
    def where(self) -> str:
        return (
            f"{_column_letter(self.index)} ({self.header})"
            if self.header
            else _column_letter(self.index)
        )


def _column_letter(index: int) -> str:
    letters = ""
    number = index + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


# ---------------------------------------------------------------- reading the file


def _table_from_upload(name: str, data: bytes) -> list[list[Any]]:
    lower = name.lower()
    if lower.endswith((".xlsx", ".xlsm")) or data[:2] == b"PK":
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds on a damaged file
            raise ValidationError(
                {"file": [_("The workbook cannot be read: %(error)s") % {"error": error}]}
            ) from error
        sheet = (
            workbook["Case Sheet"]
            if "Case Sheet" in workbook.sheetnames
            else workbook.worksheets[0]
        )
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    if lower.endswith(".json") or data.lstrip()[:1] in (b"{", b"["):
        try:
            document = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ValidationError(
                {"file": [_("The JSON file cannot be read: %(error)s") % {"error": error}]}
            ) from error
        records = document.get("records", []) if isinstance(document, dict) else document
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise ValidationError({"file": [_("The JSON file must hold a list of records.")]})
        headers: list[str] = []
        for item in records:
            for key in item:
                if key not in headers:
                    headers.append(key)
        rows: list[list[Any]] = [list(headers)]
        for item in records:
            rows.append(
                [";".join(v) if isinstance(v, list) else v for v in (item.get(h) for h in headers)]
            )
        return rows
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    dialect: type[csv.Dialect] | csv.Dialect = csv.excel
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""), dialect)]
    except csv.Error as exc:
        raise ValidationError(
            {"file": [_("The file cannot be read as CSV: %(problem)s") % {"problem": exc}]}
        ) from exc


def _is_empty(row: list[Any]) -> bool:
    return all(value is None or str(value).strip() == "" for value in row)


def _matches(row: list[Any]) -> int:
    return sum(1 for value in row if field_for_header(value))


def _columns(table: list[list[Any]]) -> tuple[list[Column], int, int]:
    """The header row (the first that names at least two HTCDS fields), the columns it names,
    the header's row number and the index of the first data row. A second header row right
    below (the template's labels under its hidden names) is skipped; an unnamed column takes
    its name from it."""
    header_at = next(
        (i for i, row in enumerate(table[:10]) if _matches(row) >= 2),
        None,
    )
    if header_at is None:
        raise ValidationError(
            {"file": [_("No row of HTCDS column names was found in the first ten rows.")]}
        )
    header = table[header_at]
    below = table[header_at + 1] if header_at + 1 < len(table) else []
    labels_below = (
        _matches(below) >= 2
        and sum(
            1 for value in below if field_for_header(value) and str(value).strip() not in BY_NAME
        )
        >= 2
    )
    columns: list[Column] = []
    width = max(len(header), len(below))
    for index in range(width):
        raw = header[index] if index < len(header) else None
        text = "" if raw is None else str(raw).strip()
        name = field_for_header(text)
        if name is None and labels_below and index < len(below):
            label = below[index]
            if not text and label is not None:
                text = str(label).strip()
                name = field_for_header(text)
        columns.append(Column(index=index, header=text, name=name))
    return columns, header_at + 1, header_at + (2 if labels_below else 1)


def _parse_date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # A spreadsheet serial number (days since 1899-12-30).
        if 1 <= value < 80000:
            return datetime.date(1899, 12, 30) + datetime.timedelta(days=int(value))
        return None
    text = str(value).strip()
    match = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?", text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return _date(year, month, day)
    match = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return _date(year, month, day)
    match = re.fullmatch(r"(\d{1,2})\.?\s+([A-Za-z]{3,})\.?,?\s+(\d{4})", text)
    if match:
        named = _MONTHS.get(match.group(2)[:3].lower())
        return _date(int(match.group(3)), named, int(match.group(1))) if named else None
    match = re.fullmatch(r"([A-Za-z]{3,})\.?\s+(\d{1,2}),?\s+(\d{4})", text)
    if match:
        named = _MONTHS.get(match.group(1)[:3].lower())
        return _date(int(match.group(3)), named, int(match.group(2))) if named else None
    return None


def _date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


# ---------------------------------------------------------------- one row


@dataclass
class RowData:
    number: int
    values: dict[str, Any] = field(default_factory=dict)


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _read_row(number: int, raw: list[Any], columns: list[Column], report: ImportReport) -> RowData:
    row = RowData(number=number)
    unreadable: set[str] = set()
    for column in columns:
        value = _clean(raw[column.index]) if column.index < len(raw) else None
        if value is None or column.name is None:
            continue
        spec = BY_NAME[column.name]
        where = column.where
        if column.name in DATE_FIELDS:
            parsed = _parse_date(value)
            if parsed is None:
                unreadable.add(column.name)
                report.problems.append(
                    Problem(
                        number,
                        where,
                        _(
                            "“%(value)s” is not a date Reintegra can read "
                            "(use 2024-03-31 or 31.03.2024)."
                        )
                        % {"value": value},
                    )
                )
                continue
            value = parsed
        elif column.name in CODE_LISTS:
            parts = split_multiple(str(value)) if spec.multiple else [str(value)]
            matched = []
            for part in parts:
                code = match_code(column.name, part)
                if code is None:
                    report.problems.append(
                        Problem(
                            number,
                            where,
                            _("“%(value)s” is not a value of the HTCDS list %(field)s.")
                            % {"value": part, "field": column.name},
                        )
                    )
                else:
                    matched.append(code)
            value = matched if spec.multiple else (matched[0] if matched else None)
            if value in (None, []):
                continue
        elif column.name in COUNTRY_FIELDS:
            parts = split_multiple(str(value))
            good = [p.upper() for p in parts if re.fullmatch(r"[A-Za-z]{2}", p)]
            for part in parts:
                if not re.fullmatch(r"[A-Za-z]{2}", part):
                    report.problems.append(
                        Problem(
                            number,
                            where,
                            _("“%(value)s” is not a two-letter ISO country code.")
                            % {"value": part},
                        )
                    )
            value = good if spec.multiple else (good[0] if good else None)
            if not value:
                continue
        elif column.name in LANGUAGE_FIELDS:
            text = str(value)
            if not re.fullmatch(r"[A-Za-z]{2,3}", text):
                report.problems.append(
                    Problem(
                        number,
                        where,
                        _("“%(value)s” is not an ISO 639 language code.") % {"value": text},
                    )
                )
                continue
            value = text.lower()
        else:
            value = str(value) if not isinstance(value, str) else value
        if spec.use == "notice":
            report.notices.append(
                Problem(
                    number,
                    where,
                    _(
                        "Recognised but not kept by Reintegra; "
                        "record it in the case file if needed."
                    ),
                )
            )
            continue
        row.values[column.name] = value
    if not row.values.get("prs_FirstName") and not row.values.get("prs_SecondName"):
        report.problems.append(
            Problem(number, "prs_FirstName", _("A case needs at least one name of the person."))
        )
    dates = ("cas_RegistrationDate", "cas_IncomingReferralDate")
    if not any(row.values.get(d) for d in dates) and not unreadable.intersection(dates):
        report.problems.append(
            Problem(
                number,
                "cas_RegistrationDate",
                _(
                    "The date the case was received is missing "
                    "(cas_RegistrationDate or cas_IncomingReferralDate)."
                ),
            )
        )
    if row.values.get("cas_Status") in ("Closed", "ClosedReferred"):
        report.problems.append(
            Problem(
                number,
                "cas_Status",
                _(
                    "Closed cases are not imported; "
                    "import the case as active and close it in Reintegra."
                ),
            )
        )
    return row


# ---------------------------------------------------------------- writing


def _person(values: dict[str, Any]) -> PersonInput:
    gender = values.get("prs_Gender", "")
    address_parts = [
        values.get(name, "")
        for name in (
            "prs_MailingStreet",
            "prs_MailingCity",
            "prs_MailingState",
            "prs_MailingPostalCode",
            "prs_MailingCountry",
        )
    ]
    languages = [values[n] for n in ("prs_PrimaryLanguage", "prs_SecondaryLanguage") if n in values]
    born = values.get("prs_Birthdate")
    return PersonInput(
        given_name=values.get("prs_FirstName", ""),
        family_name=values.get("prs_SecondName", ""),
        date_of_birth=born,
        sex=GENDER_TO_SEX.get(gender, "unknown"),
        gender=gender,
        address=", ".join(p for p in address_parts if p),
        phone=values.get("prs_MobilePhone") or values.get("prs_HomePhone", ""),
        email=values.get("prs_Email", ""),
        education=values.get("prs_HighestLevelOfEducation", ""),
        citizenships=values.get("prs_Citizenship", []),
        languages=languages,
    )


def _provenance_pdf(file_name: str, row: int, acting: Acting) -> ContentFile:
    from lib.pdf import render_pdf

    pdf = render_pdf(
        "reports/print/import_provenance.html",
        {"file_name": file_name, "row": row, "user": acting.user, "on": timezone.localdate()},
        language=getattr(acting.user, "language", "en") or "en",
    )
    return ContentFile(pdf, name=f"htcds-import-row-{row}.pdf")


def _write_row(
    acting: Acting,
    data: RowData,
    *,
    file_name: str,
    referrers: dict[str, Organisation],
    report: ImportReport,
) -> Case:
    values = data.values
    referring = values.get("cas_ReferringOrganisation", "")
    organisation = referrers.get(normalise(referring)) if referring else None
    received: datetime.date = (
        values.get("cas_RegistrationDate") or values["cas_IncomingReferralDate"]
    )
    case = case_register(
        acting=acting,
        person=_person(values),
        case=CaseInput(
            received_at=received,
            referring_organisation=organisation,
            referring_party="" if organisation else referring,
        ),
        confirmed_not_duplicate=True,
    )
    codes = {
        ProfileCodeList.EXPLOITATION: values.get("vic_TypeOfExploitation", []),
        ProfileCodeList.CONTROL: values.get("vic_MethodsOfControl", []),
        ProfileCodeList.RECRUITMENT: values.get("vic_MethodOfRecruitment", []),
        ProfileCodeList.EXPLOITATION_COUNTRY: values.get("vic_LocationOfExploitation", []),
    }
    profile_values = {
        "recruitment_country": values.get("vic_LocationOfRecruitment", ""),
        "relationship_to_trafficker": values.get("vic_RelationshipToTrafficker", ""),
    }
    version = TraffickingProfile.objects.values_list("version", flat=True).get(case=case)
    profile_update(
        acting=acting,
        case=case,
        expected_version=version,
        values=profile_values,
        codes={k: v for k, v in codes.items() if v},
        texts={},
    )
    status = TRAFFICKING_STATUS.get(values.get("vic_TraffickingStatus", ""))
    today = timezone.localdate()
    recorded_here = _("as recorded by the sending organisation (HTCDS import)")
    if status in ("potential", "identified"):
        case.refresh_from_db()
        identification_transition(
            acting=acting,
            case=case,
            to_status="potential",
            decided_on=today,
            reason=recorded_here,
            expected_version=case.version,
        )
    if status == "identified":
        case.refresh_from_db()
        identification_transition(
            acting=acting,
            case=case,
            to_status="identified",
            decided_on=today,
            identifying_body=values.get("vic_TraffickingStatusDecisionMakingOrg") or "Other",
            identifying_authority=recorded_here,
            reason=recorded_here,
            decision_document=_provenance_pdf(file_name, data.number, acting),
            decided_elsewhere=True,
            expected_version=case.version,
        )
    if status == "not_victim":
        case.refresh_from_db()
        identification_transition(
            acting=acting,
            case=case,
            to_status="not_victim",
            decided_on=today,
            referred_to=recorded_here,
            reason=recorded_here,
            expected_version=case.version,
        )
    needs_met = values.get("cas_ImmediateNeedsMetDate")
    if needs_met:
        case.refresh_from_db()
        case_update(
            acting=acting,
            case=case,
            expected_version=case.version,
            values={"immediate_needs_met_on": needs_met},
        )
    owner = values.get("cas_CaseOwner")
    if owner and needs_met:
        member = (
            Membership.objects.active()
            .filter(
                organisation=acting.organisation,
                user__username=owner,
                role__in=[Role.CASE_MANAGER, Role.SUPERVISOR],
            )
            .select_related("user")
            .first()
        )
        case.refresh_from_db()
        if member is None:
            report.notices.append(
                Problem(
                    data.number,
                    "cas_CaseOwner",
                    _("No case manager %(name)s in this organisation; assign one in Reintegra.")
                    % {"name": owner},
                )
            )
        else:
            case_assign_manager(
                acting=acting,
                case=case,
                case_manager=member.user,
                reason="initial",
                expected_version=case.version,
            )
    elif owner:
        report.notices.append(
            Problem(
                data.number,
                "cas_CaseOwner",
                _(
                    "A case manager is assigned once the immediate needs are met "
                    "(cas_ImmediateNeedsMetDate); assign one in Reintegra."
                ),
            )
        )
    return case


class _DryRun(Exception):
    pass


def htcds_import(
    *,
    acting: Acting,
    file_name: str,
    data: bytes,
    dry_run: bool = False,
    all_or_nothing: bool = True,
) -> ImportReport:
    """Import the file into new cases of the acting organisation; see the module docstring."""
    if not (
        acting.sees_identity
        and acting.can(Capability.CASE_CREATE)
        and acting.can(Capability.CASE_ASSIGN)
    ):
        raise PermissionDenied("only the organisation's supervisors import cases")
    report = ImportReport(dry_run=dry_run)
    table = _table_from_upload(file_name, data)
    columns, header_row, first = _columns(table)
    for column in columns:
        has_data = any(
            column.index < len(row) and _clean(row[column.index]) is not None
            for row in table[first:]
        )
        if column.name is None and (column.header or has_data):
            if column.index == 0 and not column.header:
                continue  # the template's row counter
            report.problems.append(
                Problem(
                    header_row if column.header else first + 1,
                    column.where,
                    _("Unknown column: not a field of HTCDS 2.0."),
                )
            )
    rows: list[RowData] = []
    for offset, raw in enumerate(table[first:], start=first + 1):
        if _is_empty(raw) or all(
            _clean(raw[c.index]) is None for c in columns if c.name and c.index < len(raw)
        ):
            continue
        rows.append(_read_row(offset, raw, columns, report))
    report.rows = len(rows)
    if report.rows > MAX_ROWS:
        raise ValidationError(
            {"file": [_("At most %(count)s rows can be imported at once.") % {"count": MAX_ROWS}]}
        )
    bad_rows = {p.row for p in report.problems}
    if report.problems and (all_or_nothing or not [r for r in rows if r.number not in bad_rows]):
        _audit_import(acting, file_name, report)
        return report
    referrers = {normalise(o.name): o for o in Organisation.objects.all()}
    try:
        with transaction.atomic():
            for row in rows:
                if row.number in bad_rows:
                    continue
                names = [row.values.get("prs_FirstName", ""), row.values.get("prs_SecondName", "")]
                found = find_duplicates(
                    organisation_id=acting.organisation.pk,
                    names=[n for n in names if n],
                    date_of_birth=row.values.get("prs_Birthdate"),
                )
                if found.found:
                    report.duplicates.append(row.number)
                    continue
                try:
                    with transaction.atomic():
                        case = _write_row(
                            acting, row, file_name=file_name, referrers=referrers, report=report
                        )
                except ValidationError as error:
                    for name, messages in error.message_dict.items():
                        for message in messages:
                            report.problems.append(Problem(row.number, name, message))
                    if all_or_nothing:
                        raise _DryRun from error
                    continue
                report.created.append(case.number)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    else:
        report.written = bool(report.created)
    if not report.written:
        report.created = report.created if dry_run and not report.problems else []
    _audit_import(acting, file_name, report)
    return report


@transaction.atomic
def _audit_import(acting: Acting, file_name: str, report: ImportReport) -> None:
    record(
        action=AuditAction.CREATE if report.written else AuditAction.VIEW,
        actor=acting.user,
        organisation=acting.organisation,
        target=("reports.htcds_import", file_name[-100:]),
        detail={
            "rows": report.rows,
            "created": len(report.created) if report.written else 0,
            "would_create": len(report.created) if report.dry_run else 0,
            "duplicates": len(report.duplicates),
            "problems": len(report.problems),
            "dry_run": report.dry_run,
        },
    )
