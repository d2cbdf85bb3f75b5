"""Referrals, the recipient's view, transfers and the register of services not delivered over
the API (issue 7 parts 2-7). The recipient's endpoints go through ``referral_for`` only and
return exactly the shared sections."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from accounts.access import (
    CaseAction,
    handover_notes_readable,
    referral_answerable_by,
    referral_for,
    referrals_received_by,
    transfer_to_cancel,
    transfer_to_decide,
    transferred_records_for,
    transfers_for,
)
from api.case_access import case_for as _case
from api.case_access import case_worker as _worker
from api.schemas import Problem, ValidationProblem
from cases.services import record_case_read
from consent.services import ConsentRequired
from lib.pdf import render_pdf
from referrals.models import CaseTransfer, Referral, UnmetNeed, Urgency
from referrals.payloads import (
    referral_for_recipient,
    referral_for_sender,
    referral_row,
    shared_payload,
)
from referrals.selectors import (
    inbox,
    organisation_by_id,
    outbox,
    overlapping_referrals,
    referral_of_case,
    referrals_of_case,
    retained_document,
    retained_records,
    section_codes,
    service_by_id,
    shared_content,
    shared_document,
    transfers_listed,
    unmet_needs_of,
)
from referrals.services import (
    StaleReferral,
    handover_notes_read_record,
    referral_answer,
    referral_send,
    referral_sheet_record,
    retained_document_read,
    retained_read_record,
    shared_document_read,
    shared_read_record,
    transfer_cancel,
    transfer_decide,
    transfer_request,
    unmet_need_record,
)

router = Router(tags=["referrals"])
MAX_LIMIT = 100


def _download(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


class Page(Schema):
    limit: int = 50
    offset: int = 0


def _page(rows: Any, page: Page) -> list[Any]:
    limit = max(1, min(page.limit, MAX_LIMIT))
    return list(rows[max(0, page.offset) : max(0, page.offset) + limit])


class ReferralRow(Schema):
    id: int
    case_id: int
    case_code: str
    sender_id: int
    sender_name: str
    recipient_id: int
    recipient_name: str
    service_id: int | None
    service_name: str
    category: str
    urgency: str
    status: str
    respond_by: datetime.date
    sent_at: datetime.datetime
    answered_at: datetime.datetime | None
    ended_at: datetime.datetime | None
    version: int


class ReferralTerms(ReferralRow):
    purpose: str | None
    contact_person: str
    responsibilities: str | None
    monitoring: str | None
    decline_reason: str
    answer: str | None
    feedback: str | None
    sections: list[str]


class ReferralOut(ReferralTerms):
    options_offered: str | None
    chosen_by_person: bool
    consent_override: bool


class SharedOut(ReferralTerms):
    shared: dict[str, Any]


class ReferralIn(Schema):
    recipient_id: int | None = None
    service_id: int | None = None
    category: str
    purpose: str
    sections: list[str]
    urgency: str = Urgency.ROUTINE
    respond_by: datetime.date | None = None
    contact_person: str = ""
    options_offered: str = ""
    chosen_by_person: bool = False
    responsibilities: str = ""
    monitoring: str = ""


class PreviewIn(Schema):
    sections: list[str]
    category: str = ""


class AnswerIn(Schema):
    status: str
    version: int
    reason: str = ""
    answer: str = ""
    feedback: str = ""


class ConsentProblem(Schema):
    detail: str


# ---------------------------------------------------------------- the sender


@router.get(
    "/cases/{case_id}/referrals",
    response={200: list[ReferralOut], 404: Problem},
    summary="The case's referrals (audited read)",
)
def case_referrals(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    acting, case = _case(request, case_id, CaseAction.VIEW)
    record_case_read(acting=acting, case=case, section="referrals")
    return [referral_for_sender(r) for r in referrals_of_case(case).select_related("data_key")]


@router.post(
    "/cases/{case_id}/referrals/preview",
    response={200: dict[str, Any], 404: Problem, 422: ValidationProblem},
    summary="Exactly what the recipient would see, and open referrals for the same service",
)
def referral_preview(request: HttpRequest, case_id: int, payload: PreviewIn) -> dict[str, Any]:
    acting, case = _case(request, case_id, CaseAction.MANAGE)
    record_case_read(acting=acting, case=case, section="referral_preview")
    overlaps = overlapping_referrals(case, payload.category) if payload.category else []
    return {
        "shared": shared_payload(shared_content(case, payload.sections)),
        # Open referrals of the case for the same service: overlapping services (SPEC C6).
        "overlaps": [referral_row(r) for r in overlaps],
    }


@router.post(
    "/cases/{case_id}/referrals",
    response={201: ReferralOut, 403: ConsentProblem, 404: Problem, 422: ValidationProblem},
    summary="Send a referral (403 without a current consent for the recipient)",
)
def referral_create(
    request: HttpRequest, case_id: int, payload: ReferralIn
) -> Status[dict[str, Any]]:
    acting, case = _case(request, case_id, CaseAction.MANAGE)
    recipient = organisation_by_id(payload.recipient_id)
    if payload.recipient_id is not None and recipient is None:
        raise ValidationError({"recipient_id": [_("Unknown organisation.")]})
    service = service_by_id(payload.service_id)
    if payload.service_id is not None and service is None:
        raise ValidationError({"service_id": [_("Unknown service.")]})
    values = payload.dict(exclude={"recipient_id", "service_id"})
    try:
        referral = referral_send(
            acting=acting, case=case, recipient=recipient, service=service, **values
        )
    except ConsentRequired as missing:
        return Status(403, {"detail": str(missing)})
    found = referral_of_case(case, referral.pk)
    assert found is not None
    return Status(201, referral_for_sender(found))


@router.get(
    "/cases/{case_id}/referrals/{referral_id}",
    response={200: ReferralOut, 404: Problem},
    summary="A referral of the case, as its sender sees it (audited read)",
)
def case_referral(request: HttpRequest, case_id: int, referral_id: int) -> dict[str, Any]:
    acting, case = _case(request, case_id, CaseAction.VIEW)
    referral = referral_of_case(case, referral_id)
    if referral is None:
        raise Http404
    record_case_read(acting=acting, case=case, section="referrals")
    return referral_for_sender(referral)


@router.get(
    "/cases/{case_id}/referrals/{referral_id}/sheet",
    response={200: None, 404: Problem},
    summary="The printable referral sheet (PDF, only the shared sections; logged)",
)
def referral_sheet(request: HttpRequest, case_id: int, referral_id: int) -> HttpResponse:
    acting, case = _case(request, case_id, CaseAction.VIEW)
    referral = referral_of_case(case, referral_id)
    if referral is None:
        raise Http404
    sections = section_codes(referral)
    pdf = referral_sheet_pdf(referral, language=request.GET.get("language", ""))
    referral_sheet_record(acting=acting, referral=referral, sections=sections)
    return _download(pdf, "application/pdf", f"referral-{case.code}-{referral.pk}.pdf")


def referral_sheet_pdf(referral: Referral, *, language: str) -> bytes:
    sections = section_codes(referral)
    return render_pdf(
        "referrals/print/sheet.html",
        {
            "referral": referral,
            "terms": referral_for_sender(referral),
            "shared": shared_content(referral.case, sections),
        },
        language=language or referral.sent_by.language,
    )


@router.get("/referrals/outbox", response=list[ReferralRow], summary="Referrals sent")
def referrals_outbox(request: HttpRequest, page: Query[Page]) -> list[dict[str, Any]]:
    acting = _worker(request)
    return [referral_row(r) for r in _page(outbox(acting), page)]


# ---------------------------------------------------------------- the recipient


@router.get("/referrals/inbox", response=list[ReferralRow], summary="Referrals received")
def referrals_inbox(request: HttpRequest, page: Query[Page]) -> list[dict[str, Any]]:
    acting = _worker(request)
    return [referral_row(r) for r in _page(inbox(referrals_received_by(acting)), page)]


@router.get(
    "/referrals/{referral_id}",
    response={200: SharedOut, 404: Problem},
    summary="A referral received: its terms and exactly the shared sections (audited)",
)
def referral_received(request: HttpRequest, referral_id: int) -> dict[str, Any]:
    acting = _worker(request)
    referral = referral_for(acting, referral_id)
    payload = referral_for_recipient(referral)
    shared_read_record(acting=acting, referral=referral, sections=payload["sections"])
    return payload


@router.get(
    "/referrals/{referral_id}/documents/{document_id}",
    response={200: None, 404: Problem},
    summary="A shared document (decrypted; audited)",
)
def referral_document(request: HttpRequest, referral_id: int, document_id: int) -> HttpResponse:
    acting = _worker(request)
    referral = referral_for(acting, referral_id)
    document = shared_document(referral, document_id)
    if document is None:
        raise Http404
    data = shared_document_read(acting=acting, referral=referral, document=document)
    return _download(data, document.content_type, f"{referral.case.code}-{document.pk}")


@router.post(
    "/referrals/{referral_id}/answer",
    response={200: ReferralRow, 404: Problem, 409: ReferralRow, 422: ValidationProblem},
    summary="Accept, decline (with reason), in progress, completed or not delivered",
)
def referral_answer_api(
    request: HttpRequest, referral_id: int, payload: AnswerIn
) -> Status[dict[str, Any]]:
    acting = _worker(request)
    try:
        referral = referral_for(acting, referral_id)
    except Http404:
        referral = referral_answerable_by(acting, referral_id)
    try:
        answered = referral_answer(
            acting=acting,
            referral=referral,
            status=payload.status,
            reason=payload.reason,
            answer=payload.answer,
            feedback=payload.feedback,
            expected_version=payload.version,
        )
    except StaleReferral as stale:
        return Status(409, referral_row(stale.current))
    return Status(200, referral_row(answered))


# ---------------------------------------------------------------- the register and gaps


class UnmetIn(Schema):
    category: str
    reason: str
    note: str = ""
    region: str = ""


class UnmetOut(Schema):
    id: int
    category: str
    reason: str
    source: str
    referral_id: int | None
    plan_activity_id: int | None
    country: str
    region: str
    note: str | None
    recorded_at: datetime.datetime


def unmet_out(need: UnmetNeed) -> dict[str, Any]:
    return {
        "id": need.pk,
        "category": need.category,
        "reason": need.reason,
        "source": need.source,
        "referral_id": need.referral_id,
        "plan_activity_id": need.plan_activity_id,
        "country": need.country,
        "region": need.region,
        "note": need.get_plain_or_erased("note"),
        "recorded_at": need.recorded_at,
    }


@router.get(
    "/cases/{case_id}/unmet-needs",
    response={200: list[UnmetOut], 404: Problem},
    summary="The case's register of services needed but not delivered (audited read)",
)
def case_unmet_needs(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    acting, case = _case(request, case_id, CaseAction.VIEW)
    record_case_read(acting=acting, case=case, section="unmet_needs")
    return [unmet_out(n) for n in unmet_needs_of(case)]


@router.post(
    "/cases/{case_id}/unmet-needs",
    response={201: UnmetOut, 404: Problem, 422: ValidationProblem},
    summary="Record a service needed but not delivered",
)
def case_unmet_need_create(
    request: HttpRequest, case_id: int, payload: UnmetIn
) -> Status[dict[str, Any]]:
    acting, case = _case(request, case_id, CaseAction.WORK)
    need = unmet_need_record(
        acting=acting,
        case=case,
        category=payload.category,
        reason=payload.reason,
        source="case_worker",
        note=payload.note,
        region=payload.region,
    )
    return Status(201, unmet_out(need))


# ---------------------------------------------------------------- transfers


class TransferIn(Schema):
    to_organisation_id: int
    handover_note: str


class TransferOut(Schema):
    id: int
    case_id: int
    case_code: str
    from_organisation_id: int
    from_organisation_name: str
    to_organisation_id: int
    to_organisation_name: str
    status: str
    requested_at: datetime.datetime
    decided_at: datetime.datetime | None
    handover_note: str | None


class TransferDecisionIn(Schema):
    accept: bool
    answer: str = ""


def transfer_out(transfer: CaseTransfer, *, with_note: bool) -> dict[str, Any]:
    return {
        "id": transfer.pk,
        "case_id": transfer.case_id,
        "case_code": transfer.case.code,
        "from_organisation_id": transfer.from_organisation_id,
        "from_organisation_name": transfer.from_organisation.name,
        "to_organisation_id": transfer.to_organisation_id,
        "to_organisation_name": transfer.to_organisation.name,
        "status": transfer.status,
        "requested_at": transfer.requested_at,
        "decided_at": transfer.decided_at,
        "handover_note": transfer.get_plain_or_erased("handover_note") if with_note else None,
    }


@router.post(
    "/cases/{case_id}/transfers",
    response={201: TransferOut, 403: ConsentProblem, 404: Problem, 422: ValidationProblem},
    summary="Ask another organisation to take the case over (consent and a handover note)",
)
def transfer_create(
    request: HttpRequest, case_id: int, payload: TransferIn
) -> Status[dict[str, Any]]:
    acting, case = _case(request, case_id, CaseAction.MANAGE)
    to_organisation = organisation_by_id(payload.to_organisation_id)
    try:
        transfer = transfer_request(
            acting=acting,
            case=case,
            to_organisation=to_organisation,
            handover_note=payload.handover_note,
        )
    except ConsentRequired as missing:
        return Status(403, {"detail": str(missing)})
    return Status(201, transfer_out(transfer, with_note=True))


@router.get("/transfers", response=list[TransferOut], summary="Transfers into or out of us")
def transfers(request: HttpRequest, page: Query[Page]) -> list[dict[str, Any]]:
    acting = _worker(request)
    rows = list(_page(transfers_listed(transfers_for(acting)).select_related("data_key"), page))
    readable = handover_notes_readable(acting, rows)
    shown = [(t, t.pk in readable) for t in rows]
    handover_notes_read_record(acting=acting, transfers=[t for t, note in shown if note])
    return [transfer_out(t, with_note=note) for t, note in shown]


@router.post(
    "/transfers/{transfer_id}/decision",
    response={200: TransferOut, 403: Problem, 404: Problem, 422: ValidationProblem},
    summary="The receiving organisation accepts or declines a transfer",
)
def transfer_decision(
    request: HttpRequest, transfer_id: int, payload: TransferDecisionIn
) -> dict[str, Any]:
    acting = _worker(request)
    transfer = transfer_decide(
        acting=acting,
        transfer=transfer_to_decide(acting, transfer_id),
        accept=payload.accept,
        answer=payload.answer,
    )
    return transfer_out(transfer, with_note=False)


@router.post(
    "/transfers/{transfer_id}/cancel",
    response={200: TransferOut, 403: Problem, 404: Problem, 422: ValidationProblem},
    summary="The sending organisation cancels a transfer still waiting for an answer",
)
def transfer_cancellation(request: HttpRequest, transfer_id: int) -> dict[str, Any]:
    acting = _worker(request)
    transfer = transfer_cancel(acting=acting, transfer=transfer_to_cancel(acting, transfer_id))
    return transfer_out(transfer, with_note=False)


class RetainedNote(Schema):
    id: int
    kind: str
    occurred_at: datetime.datetime
    text: str | None


class RetainedDocument(Schema):
    id: int
    item: str
    file_name: str | None
    received_on: datetime.date


class RetainedOut(Schema):
    transfer_id: int
    case_code: str
    notes: list[RetainedNote]
    documents: list[RetainedDocument]


@router.get(
    "/transfers/{transfer_id}/records",
    response={200: RetainedOut, 404: Problem},
    summary="After a transfer: what the sending organisation wrote before it (audited)",
)
def transfer_records(request: HttpRequest, transfer_id: int) -> dict[str, Any]:
    acting = _worker(request)
    transfer = transferred_records_for(acting, transfer_id)
    records = retained_records(transfer)
    retained_read_record(acting=acting, transfer=transfer)
    return {
        "transfer_id": transfer.pk,
        "case_code": transfer.case.code,
        "notes": [
            {
                "id": n.pk,
                "kind": n.kind,
                "occurred_at": n.occurred_at,
                "text": n.get_plain_or_erased("text"),
            }
            for n in records["notes"]
        ],
        "documents": [
            {
                "id": d.pk,
                "item": d.item,
                "file_name": d.get_plain_or_erased("file_name"),
                "received_on": d.received_on,
            }
            for d in records["documents"]
        ],
    }


@router.get(
    "/transfers/{transfer_id}/records/documents/{document_id}",
    response={200: None, 404: Problem},
    summary="A document the sending organisation uploaded before the transfer (audited)",
)
def transfer_document(request: HttpRequest, transfer_id: int, document_id: int) -> HttpResponse:
    acting = _worker(request)
    transfer = transferred_records_for(acting, transfer_id)
    document = retained_document(transfer, document_id)
    if document is None:
        raise Http404
    data = retained_document_read(acting=acting, transfer=transfer, document=document)
    return _download(data, document.content_type, f"{transfer.case.code}-{document.pk}")
