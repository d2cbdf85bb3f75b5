from __future__ import annotations

import csv
from collections.abc import Iterator

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Capability
from audit.forms import AuditFilterForm
from audit.models import AuditAction
from audit.selectors import actors_of, entries_for_organisation, entry_rows
from audit.services import record
from lib.formatting import format_datetime
from lib.views import acting_or_403, capability_required

PAGE_SIZE = 50
EXPORT_CHUNK = 500


@capability_required(Capability.AUDIT_VIEW)
def audit_log_view(request: HttpRequest) -> HttpResponse:
    acting = acting_or_403(request)
    form = AuditFilterForm(request.GET or None, actors=actors_of(acting.organisation))
    entries = entries_for_organisation(acting.organisation, filters=form.filters())
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/log.html",
        {
            "page": page,
            "rows": entry_rows(list(page.object_list)),
            "form": form,
            "export_query": query.urlencode(),
        },
    )


class _Echo:
    """A file-like object whose write returns the line, for streaming CSV."""

    def write(self, value: str) -> str:
        return value


@capability_required(Capability.AUDIT_VIEW)
def audit_export_view(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered log as CSV for an auditor. The export itself is recorded, with the
    filters that shaped it."""
    acting = acting_or_403(request)
    form = AuditFilterForm(request.GET or None, actors=actors_of(acting.organisation))
    filters = form.filters()
    entries = entries_for_organisation(acting.organisation, filters=filters)
    record(
        action=AuditAction.EXPORT,
        actor=request.user,
        organisation=acting.organisation,
        target=("audit.auditentry", "csv"),
        detail={
            "filters": {
                key: str(value) for key, value in vars(filters).items() if value not in ("", None)
            }
        },
    )
    writer = csv.writer(_Echo())
    header = [
        _("Sequence"),
        _("When"),
        _("Who"),
        _("Username"),
        _("Action"),
        _("Object"),
        _("Object type"),
        _("Object id"),
        _("Case code"),
        _("Fields"),
        _("Address"),
        _("Request"),
        _("Hash"),
    ]

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(header)  # a BOM: spreadsheets then read UTF-8
        for start in range(0, entries.count(), EXPORT_CHUNK):
            chunk = list(entries[start : start + EXPORT_CHUNK])
            for row in entry_rows(chunk):
                entry = row["entry"]
                yield writer.writerow(
                    [
                        entry.sequence,
                        format_datetime(entry.occurred_at),
                        row["who"],
                        row["username"],
                        entry.get_action_display(),
                        row["object"],
                        entry.object_type,
                        entry.object_id,
                        row["case_code"],
                        "; ".join(row["fields"]),
                        entry.ip_address or "",
                        entry.request_id,
                        entry.hash,
                    ]
                )

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response
