"""Statistics and data interchange (SPEC C12, C13): the quarterly report as JSON and as files,
the two dashboards, the gap counts, the HTCDS 2.0 export and import and the CTDC statistics
export. Same access rules and audit as the pages (``reports.views``); no endpoint here returns
a case."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from accounts.access import Acting
from accounts.roles import Capability
from api.schemas import Problem, ValidationProblem
from reports import dashboards
from reports.ctdc import ctdc_export
from reports.filters import scope_from
from reports.gaps import GapFilters, gap_counts
from reports.htcds.export import htcds_export
from reports.htcds.importer import htcds_import
from reports.quarterly import published_sections, quarterly_report
from reports.scope import StatisticsScope
from reports.sections import SectionResult
from reports.services import statistics_read_record
from reports.views import FORMATS, MAX_IMPORT_BYTES, quarterly_file

router = Router(tags=["reports"])


def _acting(request: HttpRequest) -> Acting:
    return cast(Acting, request.auth)  # type: ignore[attr-defined]  # set by ninja's auth


def _statistics(request: HttpRequest) -> Acting:
    acting = _acting(request)
    if not any(
        acting.can(c)
        for c in (
            Capability.STATISTICS_NATIONAL,
            Capability.STATISTICS_DEIDENTIFIED,
            Capability.CASELOAD_VIEW,
        )
    ):
        raise PermissionDenied
    return acting


def _file(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class StatsFilterIn(Schema):
    quarter: str = ""
    organisation: str = ""
    country: str = ""
    pack: str = ""


class StatsColumnOut(Schema):
    code: str
    label: str


class StatsRowOut(Schema):
    code: str
    label: str
    cells: dict[str, int | None]
    total: int | None = None
    amounts: dict[str, float | None] | None = None


class StatsTableOut(Schema):
    key: str
    title: str
    row_label: str
    columns: list[StatsColumnOut]
    rows: list[StatsRowOut]
    totals: dict[str, int | None] | None = None
    grand_total: int | None = None
    total_amounts: dict[str, float | None] | None = None
    note: str


class StatsFigureOut(Schema):
    key: str
    label: str
    value: float | None
    unit: str


class StatsSectionOut(Schema):
    key: str
    title: str
    figures: list[StatsFigureOut]
    tables: list[StatsTableOut]
    notes: list[str]


class StatsScopeOut(Schema):
    quarter: str
    start: str
    end: str
    level: str
    organisation: str
    country: str
    pack: str


class StatsReportOut(Schema):
    scope: StatsScopeOut
    minimum_cell: int
    sections: list[StatsSectionOut]


class StatsDashboardOut(Schema):
    minimum_cell: int
    sections: list[StatsSectionOut]


def _sections(sections: list[SectionResult], k: int) -> dict[str, Any]:
    return published_sections(sections, k)


@router.get(
    "/reports/quarterly",
    response={200: StatsReportOut, 403: Problem, 422: ValidationProblem},
    summary="The quarterly report: every table suppressed per k (suppressed values are null)",
)
def quarterly(request: HttpRequest, filters: Query[StatsFilterIn]) -> dict[str, Any]:
    acting = _statistics(request)
    scope = scope_from(acting, filters.dict())
    report = quarterly_report(scope)
    statistics_read_record(
        acting=acting, report="quarterly", detail=scope.describe(), download="json"
    )
    return report.published()


@router.get(
    "/reports/quarterly/file",
    response={200: None, 403: Problem, 422: ValidationProblem},
    summary="The quarterly report as a file: format=csv, xlsx or pdf",
)
def quarterly_download(
    request: HttpRequest, filters: Query[StatsFilterIn], format: str = "pdf"
) -> HttpResponse:
    acting = _statistics(request)
    if format not in FORMATS:
        from django.core.exceptions import ValidationError

        raise ValidationError({"format": ["csv, xlsx, pdf"]})
    scope = scope_from(acting, filters.dict())
    data, content_type, name = quarterly_file(acting, scope, format)
    return _file(data, content_type, name)


@router.get(
    "/reports/dashboard/team",
    response={200: StatsDashboardOut, 403: Problem},
    summary="The supervisor's dashboard: caseloads, overdue work, cases and referrals waiting",
)
def dashboard_team(request: HttpRequest) -> dict[str, Any]:
    acting = _acting(request)
    if not acting.can(Capability.CASELOAD_VIEW):
        raise PermissionDenied
    data = dashboards.supervisor_dashboard(StatisticsScope.for_organisation(acting))
    statistics_read_record(acting=acting, report="dashboard_supervisor", detail={}, download="json")
    return _sections([data["section"]], data["k"])


@router.get(
    "/reports/dashboard/national",
    response={200: StatsDashboardOut, 403: Problem, 422: ValidationProblem},
    summary="The coordinator's dashboard: the quarter and the trend over eight quarters",
)
def dashboard_national(request: HttpRequest, filters: Query[StatsFilterIn]) -> dict[str, Any]:
    acting = _acting(request)
    if not (
        acting.can(Capability.STATISTICS_NATIONAL) or acting.can(Capability.STATISTICS_DEIDENTIFIED)
    ):
        raise PermissionDenied
    scope = scope_from(acting, filters.dict())
    data = dashboards.coordinator_dashboard(scope)
    statistics_read_record(
        acting=acting, report="dashboard_national", detail=scope.describe(), download="json"
    )
    return _sections(data["sections"], data["k"])


class StatsGapFilterIn(Schema):
    country: str = ""
    category: str = ""
    reason: str = ""


class StatsGapOut(Schema):
    category: str
    reason: str
    country: str
    region: str
    count: int | None


@router.get(
    "/gaps",
    response={200: list[StatsGapOut], 403: Problem},
    summary="Services needed but not delivered: counts by category, reason and area "
    "(suppressed per k: null where too small)",
)
def gaps(request: HttpRequest, filters: Query[StatsGapFilterIn]) -> list[dict[str, Any]]:
    acting = _acting(request)
    if not acting.can(Capability.STATISTICS_NATIONAL):
        raise PermissionDenied
    chosen = GapFilters(country=filters.country, category=filters.category, reason=filters.reason)
    statistics_read_record(acting=acting, report="gaps", detail=chosen.__dict__, download="json")
    return gap_counts(StatisticsScope(acting), chosen)


class HtcdsExportIn(Schema):
    format: str = "xlsx"
    full: bool = False
    reason: str = ""


@router.post(
    "/exports/htcds",
    response={200: None, 403: Problem, 422: ValidationProblem},
    summary="HTCDS 2.0 export of the organisation's cases (supervisors; full needs a reason)",
)
def export_htcds(request: HttpRequest, payload: HtcdsExportIn) -> HttpResponse:
    acting = _acting(request)
    data = htcds_export(acting=acting, fmt=payload.format, full=payload.full, reason=payload.reason)
    types = {"xlsx": FORMATS["xlsx"], "csv": FORMATS["csv"], "json": "application/json"}
    return _file(
        data, types[payload.format], f"htcds-{acting.organisation.case_prefix}.{payload.format}"
    )


class HtcdsImportIn(Schema):
    dry_run: bool = False
    partial: bool = False


class HtcdsProblemOut(Schema):
    row: int
    column: str
    message: str


class HtcdsImportOut(Schema):
    rows: int
    created: int
    case_numbers: list[str]
    duplicates: list[int]
    problems: list[HtcdsProblemOut]
    notices: list[HtcdsProblemOut]
    dry_run: bool
    written: bool


@router.post(
    "/imports/htcds",
    response={200: HtcdsImportOut, 403: Problem, 422: HtcdsImportOut | ValidationProblem},
    summary="Import an HTCDS 2.0 file into new cases (all or nothing unless partial; dry_run "
    "writes nothing); problems by row and column",
)
def import_htcds(
    request: HttpRequest, options: Form[HtcdsImportIn], file: File[UploadedFile]
) -> Status[dict[str, Any]]:
    acting = _acting(request)
    if file.size and file.size > MAX_IMPORT_BYTES:
        from django.core.exceptions import ValidationError

        raise ValidationError({"file": ["10 MB"]})
    report = htcds_import(
        acting=acting,
        file_name=file.name or "upload",
        data=file.read(),
        dry_run=options.dry_run,
        all_or_nothing=not options.partial,
    )
    return Status(422 if report.problems else 200, report.as_dict())


@router.get(
    "/exports/ctdc",
    response={200: None, 403: Problem, 422: ValidationProblem},
    summary="CTDC statistics: one de-identified row per case, suppressed per k; refused (422) "
    "when a combination stays below k",
)
def export_ctdc(request: HttpRequest, format: str = "csv") -> HttpResponse:
    acting = _statistics(request)
    data, _summary = ctdc_export(acting=acting, scope=StatisticsScope(acting), fmt=format)
    return _file(data, FORMATS[format], f"ctdc-{acting.organisation.country}.{format}")
