"""Pages for referrals, the recipient's view, transfers, the register of services not
delivered and the coordinator's gap counts (issue 7 parts 2-7). Access goes through the
chokepoints in ``accounts.access``; reads through ``referrals.selectors``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import (
    Acting,
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
from accounts.roles import Capability
from api.routers.referrals import referral_sheet_pdf
from cases.views.common import apply_errors, case_for, case_worker, render_section
from consent.services import ConsentRequired
from lib.views import login_required_verified
from referrals.forms import (
    AnswerForm,
    ReferralForm,
    TransferDecisionForm,
    TransferForm,
    UnmetNeedForm,
)
from referrals.models import (
    TRANSITIONS,
    Referral,
    ReferralStatus,
    TransferStatus,
)
from referrals.payloads import referral_for_recipient, referral_for_sender
from referrals.selectors import (
    inbox,
    is_on_system,
    outbox,
    overlapping_referrals,
    recipient_choices,
    referral_of_case,
    referrals_of_case,
    retained_document,
    retained_records,
    section_codes,
    services_for_referral,
    shared_content,
    shared_document,
    transfers_listed,
    transfers_of_case,
    unmet_needs_of,
    with_on_system,
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

PAGE_SIZE = 25


def _download(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


def _answer_form(referral: Referral, data: Any = None) -> AnswerForm:
    return AnswerForm(
        data, initial={"version": referral.version}, allowed=TRANSITIONS.get(referral.status, ())
    )


# ---------------------------------------------------------------- the case's referrals


@login_required_verified
def case_referrals_view(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    return render_section(
        request,
        "referrals/case.html",
        acting,
        case,
        "referrals",
        {
            "referrals": list(with_on_system(referrals_of_case(case))),
            "transfers": list(transfers_of_case(case)),
            "unmet_needs": list(unmet_needs_of(case)),
            "unmet_form": UnmetNeedForm(),
        },
    )


@login_required_verified
@require_POST
def unmet_need_add_view(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.WORK)
    form = UnmetNeedForm(request.POST)
    if form.is_valid():
        try:
            unmet_need_record(acting=acting, case=case, source="case_worker", **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Recorded in the register of services not delivered."))
            return redirect("referrals:case", case_id=case.pk)
    return render_section(
        request,
        "referrals/case.html",
        acting,
        case,
        "referrals",
        {
            "referrals": list(with_on_system(referrals_of_case(case))),
            "transfers": list(transfers_of_case(case)),
            "unmet_needs": list(unmet_needs_of(case)),
            "unmet_form": form,
        },
        status=422,
    )


@login_required_verified
@require_http_methods(["GET", "POST"])
def referral_new_view(request: HttpRequest, case_id: int) -> HttpResponse:
    """Choose the recipient and each section explicitly, preview exactly what the recipient
    will see, then send (issue 7 part 2)."""
    acting, case = case_for(request, case_id, CaseAction.MANAGE)
    form = ReferralForm(
        request.POST or None,
        organisations=recipient_choices(case),
        services=services_for_referral(case),
    )
    context: dict[str, Any] = {"form": form}
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sections = list(data["sections"])
        previewed = ",".join(sorted(sections))
        send = request.POST.get("action") == "send"
        if send and request.POST.get("previewed") != previewed:
            # Sections changed after the preview: what leaves must be what was previewed.
            form.add_error(
                "sections",
                _("The sections changed since the preview: check the preview and send again."),
            )
            send = False
        if send:
            try:
                referral = referral_send(acting=acting, case=case, **data)
            except ConsentRequired as missing:
                form.add_error(None, str(missing))
                context["consent_missing"] = True
                status = 403
            except ValidationError as error:
                apply_errors(form, error)
                status = 422
            else:
                messages.success(request, _("Referral sent."))
                return redirect("referrals:detail", case_id=case.pk, referral_id=referral.pk)
        else:
            if not sections:
                form.add_error("sections", _("Choose at least one section to share."))
            else:
                context["preview"] = shared_content(case, sections)
                context["previewed"] = previewed
                context["overlaps"] = overlapping_referrals(case, data["category"])
    elif request.method == "POST":
        status = 422
    return render_section(
        request, "referrals/new.html", acting, case, "referrals", context, status=status
    )


@login_required_verified
@require_http_methods(["GET", "POST"])
def referral_detail_view(request: HttpRequest, case_id: int, referral_id: int) -> HttpResponse:
    """The sender's view; for a recipient not on the system the sender records its answer."""
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    referral = referral_of_case(case, referral_id)
    if referral is None:
        raise Http404
    on_system = is_on_system(referral.recipient)
    form = None
    status = 200
    if not on_system and referral.is_open and referral.sender_id == acting.organisation.pk:
        form = _answer_form(referral, request.POST or None)
        if request.method == "POST":
            answerable = referral_answerable_by(acting, referral.pk)
            status, done = _answer(request, acting, answerable, form)
            if done:
                return redirect("referrals:detail", case_id=case.pk, referral_id=referral.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render_section(
        request,
        "referrals/detail.html",
        acting,
        case,
        "referrals",
        {
            "referral": referral,
            "terms": referral_for_sender(referral),
            "shared": shared_content(case, section_codes(referral)),
            "on_system": on_system,
            "form": form,
        },
        status=status,
    )


def _answer(
    request: HttpRequest, acting: Acting, referral: Referral, form: AnswerForm
) -> tuple[int, bool]:
    if not form.is_valid():
        return 422, False
    try:
        referral_answer(
            acting=acting,
            referral=referral,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
            answer=form.cleaned_data["answer"],
            feedback=form.cleaned_data["feedback"],
            expected_version=form.cleaned_data["version"],
        )
    except StaleReferral:
        form.add_error(
            None, _("Someone changed this referral meanwhile. The current state is shown.")
        )
        return 409, False
    except ValidationError as error:
        apply_errors(form, error)
        return 422, False
    messages.success(request, _("Answer recorded."))
    return 200, True


@login_required_verified
def referral_sheet_view(request: HttpRequest, case_id: int, referral_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    referral = referral_of_case(case, referral_id)
    if referral is None:
        raise Http404
    pdf = referral_sheet_pdf(referral, language=request.GET.get("language", ""))
    referral_sheet_record(acting=acting, referral=referral, sections=section_codes(referral))
    return _download(pdf, "application/pdf", f"referral-{case.code}-{referral.pk}.pdf")


# ---------------------------------------------------------------- inbox and outbox


@login_required_verified
def outbox_view(request: HttpRequest) -> HttpResponse:
    acting = case_worker(request)
    page = Paginator(outbox(acting), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "referrals/list.html",
        {"page": page, "box": "outbox", "today": timezone.localdate(), "sent": ReferralStatus.SENT},
    )


@login_required_verified
def inbox_view(request: HttpRequest) -> HttpResponse:
    acting = case_worker(request)
    page = Paginator(inbox(referrals_received_by(acting)), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "referrals/list.html",
        {"page": page, "box": "inbox", "today": timezone.localdate(), "sent": ReferralStatus.SENT},
    )


# ---------------------------------------------------------------- the recipient


@login_required_verified
@require_http_methods(["GET", "POST"])
def received_view(request: HttpRequest, referral_id: int) -> HttpResponse:
    """What the recipient sees: the referral's terms and exactly the shared sections; each
    read is audited (issue 7 part 3)."""
    acting = case_worker(request)
    referral = referral_for(acting, referral_id)
    form = _answer_form(referral, request.POST or None)
    status = 200
    if request.method == "POST":
        status, done = _answer(request, acting, referral, form)
        if done:
            return redirect("referrals:inbox")
    payload = referral_for_recipient(referral)
    shared_read_record(acting=acting, referral=referral, sections=payload["sections"])
    return render(
        request,
        "referrals/received.html",
        {
            "referral": referral,
            "terms": payload,
            "shared": shared_content(referral.case, payload["sections"]),
            "form": form,
            "document_url_referral": referral.pk,
        },
        status=status,
    )


@login_required_verified
def received_document_view(
    request: HttpRequest, referral_id: int, document_id: int
) -> HttpResponse:
    acting = case_worker(request)
    referral = referral_for(acting, referral_id)
    document = shared_document(referral, document_id)
    if document is None:
        raise Http404
    data = shared_document_read(acting=acting, referral=referral, document=document)
    return _download(data, document.content_type, f"{referral.case.code}-{document.pk}")


# ---------------------------------------------------------------- transfers


@login_required_verified
@require_http_methods(["GET", "POST"])
def transfer_new_view(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.MANAGE)
    form = TransferForm(request.POST or None, organisations=recipient_choices(case))
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                transfer_request(
                    acting=acting,
                    case=case,
                    to_organisation=form.cleaned_data["to_organisation"],
                    handover_note=form.cleaned_data["handover_note"],
                )
            except ConsentRequired as missing:
                form.add_error(None, str(missing))
                status = 403
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Transfer requested."))
                return redirect("referrals:case", case_id=case.pk)
    return render_section(
        request, "referrals/transfer.html", acting, case, "referrals", {"form": form}, status=status
    )


@login_required_verified
def transfers_view(request: HttpRequest) -> HttpResponse:
    acting = case_worker(request)
    page = Paginator(
        transfers_listed(transfers_for(acting)).select_related("data_key"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    readable = handover_notes_readable(acting, list(page))
    handover_notes_read_record(acting=acting, transfers=[t for t in page if t.pk in readable])
    return render(
        request,
        "referrals/transfers.html",
        {
            "page": page,
            "decision_form": TransferDecisionForm(),
            "may_decide": acting.can(Capability.CASE_ASSIGN),
            "readable_notes": readable,
            "pending": TransferStatus.PENDING,
            "accepted": TransferStatus.ACCEPTED,
        },
    )


@login_required_verified
@require_POST
def transfer_decide_view(request: HttpRequest, transfer_id: int) -> HttpResponse:
    acting = case_worker(request)
    transfer = transfer_to_decide(acting, transfer_id)
    form = TransferDecisionForm(request.POST)
    if form.is_valid():
        try:
            transfer_decide(
                acting=acting,
                transfer=transfer,
                accept=form.cleaned_data["accept"],
                answer=form.cleaned_data["answer"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            if form.cleaned_data["accept"]:
                messages.success(request, _("Case accepted: assign a case manager."))
                return redirect("cases:detail", case_id=transfer.case_id)
            messages.success(request, _("Transfer declined."))
    else:
        messages.error(request, _("Choose accept or decline."))
    return redirect("referrals:transfers")


@login_required_verified
@require_POST
def transfer_cancel_view(request: HttpRequest, transfer_id: int) -> HttpResponse:
    """The sending organisation withdraws a transfer still waiting for an answer."""
    acting = case_worker(request)
    transfer = transfer_to_cancel(acting, transfer_id)
    try:
        transfer_cancel(acting=acting, transfer=transfer)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Transfer cancelled."))
    return redirect("referrals:transfers")


@login_required_verified
def transfer_records_view(request: HttpRequest, transfer_id: int) -> HttpResponse:
    acting = case_worker(request)
    transfer = transferred_records_for(acting, transfer_id)
    records = retained_records(transfer)
    retained_read_record(acting=acting, transfer=transfer)
    return render(request, "referrals/retained.html", {"transfer": transfer, **records})


@login_required_verified
def transfer_document_view(
    request: HttpRequest, transfer_id: int, document_id: int
) -> HttpResponse:
    acting = case_worker(request)
    transfer = transferred_records_for(acting, transfer_id)
    document = retained_document(transfer, document_id)
    if document is None:
        raise Http404
    data = retained_document_read(acting=acting, transfer=transfer, document=document)
    return _download(data, document.content_type, f"{transfer.case.code}-{document.pk}")
