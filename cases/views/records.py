"""Case notes and contact log (SPEC C7) and the case-file documents (002 L1545-L1594)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import CaseAction
from cases.attachments import attachment_read
from cases.codes import ChecklistItem
from cases.forms import DocumentForm, NoteForm
from cases.selectors import document_of, documents_of, notes_of
from cases.services import document_read, document_upload, note_add
from cases.views.common import apply_errors, case_for, render_section
from lib.views import login_required_verified

NOTES_PAGE_SIZE = 20


@login_required_verified
@require_http_methods(["GET", "POST"])
def notes_view(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(
        request, case_id, CaseAction.VIEW if request.method == "GET" else CaseAction.WORK
    )
    form = NoteForm(request.POST or None)
    saved = False
    if request.method == "POST" and form.is_valid():
        try:
            note_add(acting=acting, case=case, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if not getattr(request, "htmx", False):
                messages.success(request, _("Note saved."))
                return redirect("cases:notes", case_id=case.pk)
            # With htmx the answer is the notes section itself: one round trip, no reload.
            form, saved = NoteForm(), True
    page = Paginator(notes_of(case), NOTES_PAGE_SIZE).get_page(request.GET.get("page"))
    template = "cases/_notes.html" if getattr(request, "htmx", False) else "cases/notes.html"
    return render_section(
        request, template, acting, case, "notes", {"form": form, "page": page, "saved": saved}
    )


@login_required_verified
@require_http_methods(["GET", "POST"])
def documents_view(request: HttpRequest, case_id: int) -> HttpResponse:
    acting, case = case_for(
        request, case_id, CaseAction.VIEW if request.method == "GET" else CaseAction.WORK
    )
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document_upload(
                acting=acting,
                case=case,
                item=form.cleaned_data["item"],
                upload=form.cleaned_data["file"],
                received_on=form.cleaned_data["received_on"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Document stored."))
            return redirect("cases:documents", case_id=case.pk)
    documents = list(documents_of(case))
    by_item: dict[str, list[object]] = {}
    for document in documents:
        by_item.setdefault(document.item, []).append(document)
    checklist = [(value, label, by_item.get(value, [])) for value, label in ChecklistItem.choices]
    return render_section(
        request,
        "cases/documents.html",
        acting,
        case,
        "documents",
        {"form": form, "checklist": checklist},
    )


@login_required_verified
def document_download_view(request: HttpRequest, case_id: int, document_id: int) -> HttpResponse:
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    document = document_of(case, document_id)
    if document is None:
        raise Http404
    data = document_read(acting=acting, case=case, document=document)
    response = HttpResponse(data, content_type=document.content_type)
    # Attachment, never inline: the browser must not render an uploaded file in our origin.
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(
        document.content_type, "bin"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{case.code}-{document.item}-{document.pk}.{extension}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


def file_response(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    # Attachment, never inline: the browser must not render an uploaded file in our origin.
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@login_required_verified
def attachment_download_view(
    request: HttpRequest, case_id: int, kind: str, object_id: int
) -> HttpResponse:
    """Scans kept on consents, identification decisions and legal representatives."""
    acting, case = case_for(request, case_id, CaseAction.VIEW)
    attachment = attachment_read(acting=acting, case=case, kind=kind, object_id=object_id)
    if attachment is None:
        raise Http404
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(
        attachment.content_type, "bin"
    )
    return file_response(
        attachment.data, attachment.content_type, f"{case.code}-{kind}-{object_id}.{extension}"
    )
