"""Reports as files: CSV (one line per published cell) and XLSX (a sheet per section).
Suppressed values are written as the suppression mark, never as a number."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from reports.suppression import SUPPRESSED


def _value(value: Any) -> Any:
    return SUPPRESSED if value is None else value


def published_cells(report: dict[str, Any]) -> Iterable[list[Any]]:
    """section, table, row, column, value, amount — one line per published cell and total."""
    total = str(_("Total"))
    for section in report["sections"]:
        for figure in section["figures"]:
            yield [
                section["title"],
                figure["label"],
                "",
                figure["unit"],
                _value(figure["value"]),
                "",
            ]
        for table in section["tables"]:
            columns = table["columns"]
            for row in table["rows"]:
                for column in columns:
                    amount = row.get("amounts", {}).get(column["code"]) if "amounts" in row else ""
                    yield [
                        section["title"],
                        table["title"],
                        row["label"],
                        column["label"],
                        _value(row["cells"][column["code"]]),
                        _value(amount) if "amounts" in row else "",
                    ]
                if "total" in row:
                    yield [
                        section["title"],
                        table["title"],
                        row["label"],
                        total,
                        _value(row["total"]),
                        "",
                    ]
            if "totals" in table:
                for column in columns:
                    yield [
                        section["title"],
                        table["title"],
                        total,
                        column["label"],
                        _value(table["totals"][column["code"]]),
                        "",
                    ]
                if "grand_total" in table:
                    yield [
                        section["title"],
                        table["title"],
                        total,
                        total,
                        _value(table["grand_total"]),
                        "",
                    ]


def header() -> list[str]:
    return [
        str(_("Section")),
        str(_("Table")),
        str(_("Row")),
        str(_("Column")),
        str(_("Value")),
        str(_("Amount")),
    ]


def report_csv(report: dict[str, Any]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header())
    for line in published_cells(report):
        writer.writerow(line)
    return buffer.getvalue().encode("utf-8-sig")


def _sheet_title(title: str, used: set[str]) -> str:
    cleaned = "".join(ch for ch in title if ch not in "[]:*?/\\")[:28] or "Sheet"
    name, counter = cleaned, 2
    while name in used:
        name = f"{cleaned[:25]} {counter}"
        counter += 1
    used.add(name)
    return name


def report_xlsx(report: dict[str, Any], *, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    summary = workbook.active
    assert summary is not None
    summary.title = _sheet_title(str(_("Report")), set())
    used = {summary.title}
    bold = Font(bold=True)
    summary.append([title])
    summary["A1"].font = bold
    for key, value in report["scope"].items():
        summary.append([key, value or ""])
    summary.append([str(_("Smallest count shown")), report["minimum_cell"]])
    summary.append([SUPPRESSED, str(_("Not shown: too few cases, or it would reveal such a cell"))])
    for section in report["sections"]:
        sheet = workbook.create_sheet(_sheet_title(section["title"], used))
        sheet.append([section["title"]])
        sheet["A1"].font = bold
        for figure in section["figures"]:
            sheet.append([figure["label"], _value(figure["value"]), figure["unit"]])
        for table in section["tables"]:
            sheet.append([])
            sheet.append([table["title"]])
            sheet.cell(row=sheet.max_row, column=1).font = bold
            columns = table["columns"]
            with_totals = any("total" in row for row in table["rows"])
            head = [table["row_label"], *(c["label"] for c in columns)]
            if with_totals:
                head.append(str(_("Total")))
            sheet.append(head)
            for row in table["rows"]:
                line = [row["label"], *(_value(row["cells"][c["code"]]) for c in columns)]
                if with_totals:
                    line.append(_value(row.get("total")))
                sheet.append(line)
                if "amounts" in row:
                    sheet.append(
                        [str(_("Amount")), *(_value(row["amounts"][c["code"]]) for c in columns)]
                    )
            if "totals" in table:
                line = [str(_("Total")), *(_value(table["totals"][c["code"]]) for c in columns)]
                if with_totals:
                    line.append(_value(table.get("grand_total")))
                sheet.append(line)
            if table["note"]:
                sheet.append([table["note"]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
