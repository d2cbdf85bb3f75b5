"""Pages of the statistics (SPEC C12): the quarterly report with its downloads, the two
dashboards, the gap counts, and the HTCDS and CTDC exchanges. No page here shows a case."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.access import Acting
from accounts.roles import Capability
from lib.pdf import render_pdf
from lib.views import acting_or_403, login_required_verified
from referrals.models import UnmetReason
from reports import dashboards
from reports.files import report_csv, report_xlsx
from reports.filters import filter_choices, scope_from
from reports.gaps import GapFilters, gap_counts, gap_total
from reports.presentation import section_context
from reports.quarterly import quarterly_report
from reports.scope import StatisticsScope
from reports.services import statistics_read_record
from services.models import ServiceCategory

STATISTICS = (
    Capability.STATISTICS_NATIONAL,
    Capability.STATISTICS_DEIDENTIFIED,
    Capability.CASELOAD_VIEW,
)


def statistics_user(request: HttpRequest) -> Acting:
    """Any role with statistics: coordinators, analysts, supervisors; 403 for the rest."""
    acting = acting_or_403(request)
    if not any(acting.can(c) for c in STATISTICS):
        raise PermissionDenied
    return acting


def _scope(request: HttpRequest, acting: Acting) -> tuple[StatisticsScope, dict[str, list[str]]]:
    try:
        return scope_from(acting, request.GET), {}
    except ValidationError as error:
        return StatisticsScope(acting), error.message_dict


def _filters(scope: StatisticsScope, errors: dict[str, list[str]], request: HttpRequest) -> dict:
    return {
        "choices": filter_choices(scope),
        "errors": errors,
        "selected": {
            "quarter": str(scope.quarter),
            "organisation": str(scope.organisation_id or ""),
            "country": scope.country,
            "pack": scope.pack,
        },
        "query": request.GET.urlencode(),
    }


def _download(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required_verified
def quarterly_view(request: HttpRequest) -> HttpResponse:
    acting = statistics_user(request)
    scope, errors = _scope(request, acting)
    report = quarterly_report(scope)
    statistics_read_record(acting=acting, report="quarterly", detail=scope.describe())
    return render(
        request,
        "reports/quarterly.html",
        {
            "report": report,
            "sections": [section_context(s) for s in report.sections],
            "scope": scope.describe(),
            **_filters(scope, errors, request),
        },
        status=422 if errors else 200,
    )


FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def quarterly_file(acting: Acting, scope: StatisticsScope, fmt: str) -> tuple[bytes, str, str]:
    """The quarterly report as a file (bytes, content type, file name); audited."""
    report = quarterly_report(scope)
    name = f"reintegra-quarterly-{scope.quarter}.{fmt}"
    title = _("Quarterly report %(quarter)s") % {"quarter": scope.quarter}
    if fmt == "csv":
        data = report_csv(report.published())
    elif fmt == "xlsx":
        data = report_xlsx(report.published(), title=title)
    else:
        language = get_language() or "en"
        data = render_pdf(
            "reports/print/quarterly.html",
            {
                "report": report,
                "sections": [section_context(s, prefix="p-") for s in report.sections],
                "scope": scope.describe(),
                "title": title,
            },
            language=language,
        )
    statistics_read_record(acting=acting, report="quarterly", detail=scope.describe(), download=fmt)
    return data, FORMATS[fmt], name


@login_required_verified
def quarterly_download_view(request: HttpRequest, fmt: str) -> HttpResponse:
    acting = statistics_user(request)
    if fmt not in FORMATS:
        raise PermissionDenied
    try:
        scope = scope_from(acting, request.GET)
    except ValidationError as error:
        return render(
            request,
            "reports/quarterly.html",
            {"sections": [], "errors": error.message_dict, "choices": {}, "selected": {}},
            status=422,
        )
    data, content_type, name = quarterly_file(acting, scope, fmt)
    return _download(data, content_type, name)


@login_required_verified
def supervisor_dashboard_view(request: HttpRequest) -> HttpResponse:
    acting = acting_or_403(request, Capability.CASELOAD_VIEW)
    scope = StatisticsScope.for_organisation(acting)
    data = dashboards.supervisor_dashboard(scope)
    statistics_read_record(acting=acting, report="dashboard_supervisor", detail={})
    return render(
        request,
        "reports/dashboard_supervisor.html",
        {**data, "section": section_context(data["section"])},
    )


@login_required_verified
def coordinator_dashboard_view(request: HttpRequest) -> HttpResponse:
    acting = acting_or_403(request)
    if not (
        acting.can(Capability.STATISTICS_NATIONAL) or acting.can(Capability.STATISTICS_DEIDENTIFIED)
    ):
        raise PermissionDenied
    scope, errors = _scope(request, acting)
    data = dashboards.coordinator_dashboard(scope)
    statistics_read_record(acting=acting, report="dashboard_national", detail=scope.describe())
    return render(
        request,
        "reports/dashboard_coordinator.html",
        {
            "sections": [section_context(s) for s in data["sections"]],
            "k": data["k"],
            "scope": scope.describe(),
            **_filters(scope, errors, request),
        },
        status=422 if errors else 200,
    )


@login_required_verified
def index_view(request: HttpRequest) -> HttpResponse:
    acting = statistics_user(request)
    return render(
        request,
        "reports/index.html",
        {
            "national": acting.can(Capability.STATISTICS_NATIONAL)
            or acting.can(Capability.STATISTICS_DEIDENTIFIED),
            "supervisor": acting.can(Capability.CASELOAD_VIEW),
            "exchange": acting.can(Capability.CASELOAD_VIEW),
        },
    )


@login_required_verified
def gaps_view(request: HttpRequest) -> HttpResponse:
    """The coordinator's gap counts (the page of the referrals app, now suppressed)."""
    from referrals.forms import GapFilterForm

    acting = acting_or_403(request, Capability.STATISTICS_NATIONAL)
    form = GapFilterForm(request.GET or None)
    filters = GapFilters()
    if form.is_valid():
        filters = GapFilters(**form.cleaned_data)
    scope = StatisticsScope(acting)
    categories = dict(ServiceCategory.choices)
    reasons = dict(UnmetReason.choices)
    rows: list[dict[str, Any]] = [
        {
            **row,
            "category_label": categories.get(row["category"], row["category"]),
            "reason_label": reasons.get(row["reason"], row["reason"]),
        }
        for row in gap_counts(scope, filters)
    ]
    statistics_read_record(acting=acting, report="gaps", detail=filters.__dict__)
    return render(
        request,
        "referrals/gaps.html",
        {"form": form, "rows": rows, "total": gap_total(scope, filters)},
    )


# ---------------------------------------------------------------- HTCDS and CTDC exchange

MAX_IMPORT_BYTES = 10 * 1024 * 1024


@login_required_verified
def exchange_view(request: HttpRequest) -> HttpResponse:
    """Export and import for the organisation's supervisors; the CTDC export for every role
    with statistics."""
    from reports.forms import HtcdsExportForm, HtcdsImportForm, StatsExportForm

    acting = statistics_user(request)
    supervisor = acting.can(Capability.CASE_VIEW_ALL_IN_ORGANISATION) and acting.sees_identity
    return render(
        request,
        "reports/exchange.html",
        {
            "supervisor": supervisor,
            "export_form": HtcdsExportForm(),
            "import_form": HtcdsImportForm(),
            "stats_form": StatsExportForm(),
        },
    )


@login_required_verified
def htcds_export_view(request: HttpRequest) -> HttpResponse:
    from reports.forms import HtcdsExportForm, HtcdsImportForm, StatsExportForm
    from reports.htcds.export import htcds_export

    acting = acting_or_403(request, Capability.CASE_VIEW_ALL_IN_ORGANISATION)
    if request.method != "POST" or not acting.sees_identity:
        raise PermissionDenied
    form = HtcdsExportForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "reports/exchange.html",
            {
                "supervisor": True,
                "export_form": form,
                "import_form": HtcdsImportForm(),
                "stats_form": StatsExportForm(),
            },
            status=422,
        )
    fmt = form.cleaned_data["format"]
    try:
        data = htcds_export(
            acting=acting,
            fmt=fmt,
            full=form.cleaned_data["full"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        # The consent gate (or a reason left blank) refuses with the cases named.
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
        return render(
            request,
            "reports/exchange.html",
            {
                "supervisor": True,
                "export_form": form,
                "import_form": HtcdsImportForm(),
                "stats_form": StatsExportForm(),
            },
            status=422,
        )
    types = {"xlsx": FORMATS["xlsx"], "csv": FORMATS["csv"], "json": "application/json"}
    return _download(data, types[fmt], f"htcds-{acting.organisation.case_prefix}.{fmt}")


@login_required_verified
def htcds_import_view(request: HttpRequest) -> HttpResponse:
    from reports.forms import HtcdsExportForm, HtcdsImportForm, StatsExportForm
    from reports.htcds.importer import htcds_import

    acting = acting_or_403(request, Capability.CASE_ASSIGN)
    if request.method != "POST":
        raise PermissionDenied
    form = HtcdsImportForm(request.POST, request.FILES)
    context: dict[str, Any] = {
        "supervisor": True,
        "export_form": HtcdsExportForm(),
        "import_form": form,
        "stats_form": StatsExportForm(),
    }
    if not form.is_valid():
        return render(request, "reports/exchange.html", context, status=422)
    upload = form.cleaned_data["file"]
    if upload.size > MAX_IMPORT_BYTES:
        form.add_error("file", _("The file is larger than 10 MB."))
        return render(request, "reports/exchange.html", context, status=422)
    try:
        report = htcds_import(
            acting=acting,
            file_name=upload.name,
            data=upload.read(),
            dry_run=form.cleaned_data["dry_run"],
            all_or_nothing=not form.cleaned_data["partial"],
        )
    except ValidationError as error:
        for message in error.message_dict.get("file", error.messages):
            form.add_error("file", message)
        return render(request, "reports/exchange.html", context, status=422)
    context["import_report"] = report
    return render(request, "reports/exchange.html", context, status=422 if report.problems else 200)


@login_required_verified
def stats_export_view(request: HttpRequest) -> HttpResponse:
    from reports.ctdc import ctdc_export
    from reports.forms import HtcdsExportForm, HtcdsImportForm, StatsExportForm

    acting = statistics_user(request)
    form = StatsExportForm(request.GET)
    context: dict[str, Any] = {
        "supervisor": acting.can(Capability.CASE_VIEW_ALL_IN_ORGANISATION) and acting.sees_identity,
        "export_form": HtcdsExportForm(),
        "import_form": HtcdsImportForm(),
        "stats_form": form,
    }
    if not form.is_valid():
        return render(request, "reports/exchange.html", context, status=422)
    fmt = form.cleaned_data["format"]
    try:
        data, _summary = ctdc_export(acting=acting, scope=StatisticsScope(acting), fmt=fmt)
    except ValidationError as error:
        context["stats_errors"] = error.messages
        return render(request, "reports/exchange.html", context, status=422)
    return _download(data, FORMATS[fmt], f"ctdc-{acting.organisation.country}.{fmt}")
