"""Printed and exported documents: the acknowledgement sheet the person signs (000 IOM blank
forms) in the person's language, and the monthly expenditure and works report as PDF, CSV
and XLSX (001 §7.9 L74). The report carries pseudonymous case codes only, never a name."""

from __future__ import annotations

import csv
import datetime
import io
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assistance.codes import DeliveredBy, ItemCategory, Provision, ReportStatus, Unit
from assistance.models import ExpenditureReport, LedgerItem
from assistance.selectors import MonthlyReport, ReportLine
from cases.models import Case
from lib.pdf import render_pdf
from plans.codes import PlanDomain


def acknowledgement_sheet_pdf(
    case: Case,
    items: list[LedgerItem],
    *,
    language: str,
    start: datetime.date | None,
    end: datetime.date | None,
) -> bytes:
    groups: dict[str, list[LedgerItem]] = defaultdict(list)
    for item in items:
        groups[item.category].append(item)
    with translation.override(language):
        sections = [
            {
                "label": str(ItemCategory(category).label),
                "rows": [
                    {
                        "given_on": item.given_on,
                        "quantity": item.quantity,
                        "unit": str(Unit(item.unit).label),
                        "amount": item.amount,
                        "currency": item.currency,
                        "description": item.get_plain_or_erased("description") or "",
                        "acknowledged": bool(item.acknowledgement),
                    }
                    for item in rows
                ],
            }
            for category, rows in groups.items()
        ]
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for item in items:
        totals[item.currency] += item.amount
    person = case.person
    return render_pdf(
        "assistance/print/acknowledgement.html",
        {
            "case": case,
            "person_name": None if person.is_erased else person.full_name,
            "organisation": case.organisation,
            "sections": sections,
            "totals": sorted(totals.items()),
            "start": start,
            "end": end,
            "printed_on": timezone.localdate(),
        },
        language=language,
    )


@dataclass(frozen=True)
class ReportDocument:
    """What a report export shows, whether generated now or frozen at submission."""

    organisation: str
    case_manager: str
    month: datetime.date
    recipient: str
    status: str
    lines: list[Any]
    works: list[Any]


def document_from_generated(
    report: MonthlyReport, *, organisation: str, case_manager: str, recipient: str
) -> ReportDocument:
    return ReportDocument(
        organisation=organisation,
        case_manager=case_manager,
        month=report.month,
        recipient=recipient,
        status="draft",
        lines=report.lines,
        works=report.works,
    )


def document_from_report(report: ExpenditureReport, *, with_case_manager: bool) -> ReportDocument:
    """A submitted report. The coordinator's copy names the reporting organisation and the
    month, not the case manager: the cases stay codes and the worker stays out of it."""
    manager = report.case_manager
    return ReportDocument(
        organisation=report.organisation.name,
        case_manager=(manager.get_full_name() or manager.username) if with_case_manager else "",
        month=report.month,
        recipient=report.recipient.name if report.recipient else "",
        status=report.status,
        lines=list(report.lines.all()),
        works=list(report.works.all()),
    )


def _category(code: str) -> str:
    return str(dict(ItemCategory.choices).get(code, code))


def _provision(code: str) -> str:
    return str(dict(Provision.choices).get(code, code))


def _domain(code: str) -> str:
    return str(dict(PlanDomain.choices).get(code, code))


def _delivered(code: str) -> str:
    return str(dict(DeliveredBy.choices).get(code, code)) if code else ""


def line_rows(document: ReportDocument) -> list[dict[str, Any]]:
    return [
        {
            "case_code": line.case_code,
            "category": _category(line.category),
            "provision": _provision(line.provision),
            "funding": line.funding,
            "currency": line.currency,
            "amount": line.amount,
            "items": line.items,
        }
        for line in document.lines
    ]


def work_rows(document: ReportDocument) -> list[dict[str, Any]]:
    return [
        {
            "case_code": work.case_code,
            "domain": _domain(work.domain),
            "delivered_by": _delivered(work.delivered_by),
            "completed_on": work.completed_on,
        }
        for work in document.works
    ]


def totals_of(lines: list[ReportLine] | list[Any]) -> dict[str, list[Any]]:
    paid: dict[str, Decimal] = defaultdict(Decimal)
    in_kind: dict[str, Decimal] = defaultdict(Decimal)
    funding: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for line in lines:
        if line.provision == Provision.PAID:
            paid[line.currency] += line.amount
            funding[(line.funding, line.currency)] += line.amount
        else:
            in_kind[line.currency] += line.amount
    return {
        "paid": sorted(paid.items()),
        "in_kind": sorted(in_kind.items()),
        "funding": [
            (name, currency, amount) for (name, currency), amount in sorted(funding.items())
        ],
    }


def status_label(code: str) -> str:
    if code == "draft":
        return _("Not submitted yet")
    return str(dict(ReportStatus.choices).get(code, code))


def report_pdf(document: ReportDocument, *, language: str) -> bytes:
    with translation.override(language):
        lines = line_rows(document)
        works = work_rows(document)
        status = status_label(document.status)
    return render_pdf(
        "assistance/print/monthly_report.html",
        {
            "document": document,
            "lines": lines,
            "works": works,
            "status": status,
            "totals": totals_of(document.lines),
            "printed_on": timezone.localdate(),
        },
        language=language,
    )


def _headers() -> tuple[list[str], list[str]]:
    return (
        [
            _("Case code"),
            _("Category"),
            _("Provision"),
            _("Funding source"),
            _("Currency"),
            _("Amount"),
            _("Items"),
        ],
        [_("Case code"), _("Domain"), _("Delivered by"), _("Completed on")],
    )


def report_csv(document: ReportDocument) -> bytes:
    """Two tables in one file, separated by a blank line: expenditures, then works."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    spending, works = _headers()
    writer.writerow([_("Monthly expenditure and works report"), document.month.strftime("%Y-%m")])
    writer.writerow(spending)
    for row in line_rows(document):
        writer.writerow(
            [
                row["case_code"],
                row["category"],
                row["provision"],
                row["funding"],
                row["currency"],
                f"{row['amount']:.2f}",
                row["items"],
            ]
        )
    writer.writerow([])
    writer.writerow(works)
    for row in work_rows(document):
        writer.writerow(
            [row["case_code"], row["domain"], row["delivered_by"], row["completed_on"].isoformat()]
        )
    return buffer.getvalue().encode("utf-8-sig")


def report_xlsx(document: ReportDocument) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Expenditures")[:31]
    spending, works = _headers()
    sheet.append(spending)
    for row in line_rows(document):
        sheet.append(
            [
                row["case_code"],
                row["category"],
                row["provision"],
                row["funding"],
                row["currency"],
                row["amount"],
                row["items"],
            ]
        )
    works_sheet = workbook.create_sheet(_("Completed works")[:31])
    works_sheet.append(works)
    for row in work_rows(document):
        works_sheet.append(
            [row["case_code"], row["domain"], row["delivered_by"], row["completed_on"]]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
