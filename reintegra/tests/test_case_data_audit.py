"""The read chokepoint (issue 15, item 4): every page and every API route that answers with
case data writes its view entry in the audit log.

The test walks every URL pattern and every API GET route, fills their parameters from the
demo data, and requests each as the supervisor of the organisation that owns the case (who
may see all of it). A response carries case data when it holds the case number, the
person's name, or is a file (PDF, attachment); each such response must have written an
audit entry (view, print, download or export) naming the case — by ``case_id`` or in a
list entry's ``cases``. A route whose parameters the test cannot fill must be named in
``NOT_WALKED`` with the reason, so a new route cannot slip past unseen.
"""

from __future__ import annotations

import datetime
import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import Organisation, User
from api.urls import api
from audit.models import AuditAction, AuditEntry
from cases.models import Case

pytestmark = pytest.mark.django_db

READ_ACTIONS = {AuditAction.VIEW, AuditAction.PRINT, AuditAction.DOWNLOAD, AuditAction.EXPORT}

# Routes the walk does not request, and why. Everything else is requested.
NOT_WALKED = {
    # Signing in and out, and the language switch: no case data, and they end the session.
    "accounts/logout/": "ends the session",
    "accounts/set-password/<str:uidb64>/<str:token>/": "one-time link",
    "i18n/setlang/": "language switch (POST)",
    # Records another organisation's user reaches (the recipient, the receiving or the
    # sending organisation after a transfer); their audit is tested in referrals/tests.
    "referrals/received/<int:referral_id>/": "the recipient's view",
    "referrals/received/<int:referral_id>/documents/<int:document_id>/": "the recipient's view",
    "referrals/transfers/<int:transfer_id>/decide/": "the receiving organisation's view",
    "referrals/transfers/<int:transfer_id>/records/": "the sender's view after a transfer",
    "referrals/transfers/<int:transfer_id>/records/documents/<int:document_id>/": "same",
    "/referrals/{referral_id}": "the recipient's view",
    "/referrals/{referral_id}/documents/{document_id}": "the recipient's view",
    "/transfers/{transfer_id}/records": "the sender's view after a transfer",
    "/transfers/{transfer_id}/records/documents/{document_id}": "same",
    # Approvals are the approver's view; the approvals chokepoint belongs to plans/.
    "plans/approvals/<int:plan_id>/": "the approver's view",
    "/plan-approvals/{plan_id}": "the approver's view",
    # Records the walk's demo data does not hold yet; each app's own tests check that reading
    # them writes its audit entry. The walk is to learn to create them.
    "referrals/transfers/<int:transfer_id>/cancel/": "POST only (cancel a pending transfer)",
    "assistance/case/<int:case_id>/evidence/<int:evidence_id>/": "no evidence in the walk data",
    "assistance/case/<int:case_id>/ledger/<int:item_id>/": "no ledger item in the walk data",
    "assistance/case/<int:case_id>/ledger/<int:item_id>/acknowledgement/": "no ledger item",
    "assistance/case/<int:case_id>/ledger/<int:item_id>/scan/": "no ledger item",
    "assistance/reports/monthly/<str:fmt>/": "no monthly report in the walk data",
    "assistance/reports/<int:report_id>/<str:fmt>/": "no monthly report in the walk data",
    "assistance/reports/received/<int:report_id>/": "the Fund's view (another organisation)",
    "assistance/reports/received/<int:report_id>/<str:fmt>/": "the Fund's view",
    "monitoring/cases/<int:case_id>/contacts/<int:contact_id>/": "no contact in the walk data",
    "closure/cases/<int:case_id>/<int:closure_id>/decision/": "no closure in the walk data",
    "closure/cases/<int:case_id>/<int:closure_id>/follow-up-end/": "no closure in the walk data",
    "closure/cases/<int:case_id>/<int:closure_id>/print/": "no closure in the walk data",
    "complaints/<int:complaint_id>/": "kept apart from case files; complaints officer",
    "complaints/<int:complaint_id>/link/": "kept apart from case files; complaints officer",
    "teamwork/case/<int:case_id>/meetings/<int:meeting_id>/minutes/": "no meeting in the data",
    "reports/quarterly/<str:fmt>/": "statistics only, no case data",
    "/cases/{case_id}/implementation/evidence/{evidence_id}": "no evidence in the walk data",
    "/expenditure-reports/received/{report_id}": "the Fund's view (another organisation)",
    "/expenditure-reports/received/{report_id}/export": "the Fund's view",
    "/cases/{case_id}/monitoring/contacts/{contact_id}": "no contact in the walk data",
    "/complaints/{complaint_id}": "kept apart from case files; complaints officer",
    "/expenditure-reports/monthly/export": "codes only; audited as an export of the report",
    "/reports/quarterly/file": "statistics only, no case data",
}


def _ui_routes() -> list[str]:
    routes: list[str] = []

    def walk(resolver: URLResolver, prefix: str) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                full = prefix + str(pattern.pattern)
                if not full.startswith("api/"):
                    routes.append(full)

    walk(get_resolver(), "")
    return routes


def _api_routes() -> list[str]:
    return [
        path.replace("{int:", "{")
        for _prefix, router in api._routers
        for path, view in router.path_operations.items()
        if any("GET" in operation.methods for operation in view.operations)
    ]


def _first_pk(queryset: Any) -> int | None:
    return queryset.values_list("pk", flat=True).first()


def _values(case: Case, supervisor: User) -> dict[str, Any]:
    """One real record per parameter name: of the case for case records, of the supervisor
    and their organisation otherwise."""
    from assessments.models import Assessment
    from cases.models import CaseDocument, CaseManagerChangeRequest, TeamMember
    from consent.models import Consent
    from people.models import RelatedPerson
    from plans.models import Activity, BudgetLine, Objective, PlanSignature
    from services.models import Service

    plan = getattr(case, "plan", None)
    assessment = Assessment.objects.filter(comprehensive__case=case).first()
    authority = _first_pk(
        RelatedPerson.objects.filter(person=case.person).exclude(authority_file="")
    )
    consent_file = _first_pk(Consent.objects.filter(case=case).exclude(document_file=""))
    values: dict[str, Any] = {
        "case_id": case.pk,
        "plan_id": getattr(plan, "pk", None),
        "objective_id": _first_pk(Objective.objects.filter(plan=plan)),
        "activity_id": _first_pk(Activity.objects.filter(objective__plan=plan)),
        "line_id": _first_pk(BudgetLine.objects.filter(activity__objective__plan=plan)),
        "signature_id": _first_pk(PlanSignature.objects.filter(plan=plan)),
        "assessment_id": getattr(assessment, "pk", None),
        "round_id": getattr(assessment, "comprehensive_id", None),
        "document_id": _first_pk(CaseDocument.objects.filter(case=case)),
        "consent_id": _first_pk(Consent.objects.filter(case=case)),
        "member_id": _first_pk(TeamMember.objects.filter(case=case)),
        "related_id": _first_pk(RelatedPerson.objects.filter(person=case.person)),
        "referral_id": _first_pk(case.referrals.all()),
        "kind": "authority" if authority else "consent" if consent_file else None,
        "object_id": authority or consent_file,
        "version": 1,
        "code": case.organisation.policy_pack,
        # Not case records: the supervisor's own, or none that exists (a refusal is fine).
        "user_id": supervisor.pk,
        "organisation_id": case.organisation_id,
        "service_id": _first_pk(Service.objects.all()),
        "token_id": 1,
        "request_id": _first_pk(CaseManagerChangeRequest.objects.filter(case=case)) or 1,
        "membership_id": 1,
        "indicator_id": 1,
    }
    return {name: value for name, value in values.items() if value is not None}


def _fill(route: str, values: dict[str, Any]) -> str | None:
    names = re.findall(r"<(?:\w+:)?(\w+)>|\{(\w+)\}", route)
    path = route
    for angle, brace in names:
        name = angle or brace
        if name not in values:
            return None
        path = re.sub(r"<(?:\w+:)?" + name + r">|\{" + name + r"\}", str(values[name]), path)
    return path


def _names(case: Case) -> list[str]:
    # The family name and the case number: a given name alone ("Ion") also names staff and
    # service contacts in the demo.
    person = case.person
    return [text for text in (case.number, person.get_plain("family_name")) if text]


def _body(response: Any) -> str:
    """The text of a response, streamed (a CSV export) or not."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def _carries_case_data(response: Any, markers: list[str]) -> bool:
    content_type = response.get("Content-Type", "")
    if response.status_code != 200:
        return False
    if not content_type.startswith(("text/", "application/json")):
        return True  # a file: a PDF, an attachment
    body = _body(response)
    response.walked_body = body
    return any(marker in body for marker in markers)


def _audited(case: Case, since: int) -> bool:
    for entry in AuditEntry.objects.filter(pk__gt=since, action__in=READ_ACTIONS):
        if entry.case_id == case.pk or case.pk in (entry.detail or {}).get("cases", []):
            return True
    return False


@pytest.fixture
def demo_cases(settings: Any, tmp_path: Any) -> tuple[list[Case], User]:
    """The demo organisation's cases, those with the most records first, and a document
    and a change request the demo does not have."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.access import acting_for
    from cases.services import change_request_record, document_upload
    from cases.tests.conftest import PDF

    settings.MEDIA_ROOT = tmp_path / "attachments"
    call_command("seed_demo", stdout=StringIO())
    supervisor = User.objects.get(username="elena.super")
    organisation = Organisation.objects.get(memberships__user=supervisor)
    cases = list(Case.objects.filter(organisation=organisation).select_related("person"))
    cases.sort(key=lambda c: (hasattr(c, "plan"), c.referrals.count()), reverse=True)
    acting = acting_for(supervisor, organisation)
    assert acting is not None
    document_upload(
        acting=acting,
        case=cases[0],
        item="medical_file",
        upload=SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf"),
        received_on=datetime.date(2026, 3, 3),
    )
    change_request_record(
        acting=acting, case=cases[0], requested_on=datetime.date(2026, 3, 3), reason="Asked"
    )
    return cases, supervisor


def test_every_response_with_case_data_writes_its_view_entry(
    client: Client, login: Any, demo_cases: tuple[list[Case], User]
) -> None:
    cases, supervisor = demo_cases
    login(client, supervisor, cases[0].organisation)
    per_case = [(case, _values(case, supervisor), _names(case)) for case in cases]
    routes = [("/" + route, route) for route in _ui_routes()] + [
        ("/api/v1" + route, route) for route in _api_routes()
    ]
    unaudited, unfilled, carried = [], [], []
    for prefix_path, route in routes:
        if route in NOT_WALKED:
            continue
        filled = [
            (case, path, markers)
            for case, values, markers in per_case
            if (path := _fill(prefix_path, values)) is not None
        ]
        if not filled:
            unfilled.append(route)
            continue
        case, path, markers = filled[0]
        since = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        response = client.get(path)
        if _carries_case_data(response, markers):
            carried.append(route)
            if not _audited(case, since):
                body = getattr(response, "walked_body", "")
                found = [m for m in markers if m in body]
                unaudited.append(f"{path} ({response.status_code}) {found}")
    assert unfilled == [], "\n".join(unfilled)
    assert unaudited == [], "\n".join(unaudited)
    # The walk saw the case file, not only refusals.
    assert len(carried) >= 30
