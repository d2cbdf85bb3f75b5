"""The form catalogue and the preview: staff who do case work can read every shipped form and
fill one in to check it, in their own language, without anything being saved."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.roles import Capability
from assessments.answers import validate_answers, validate_summary
from assessments.definitions import FormDefinition
from assessments.rendering import answers_from_post, build_form_view, summary_from_post
from assessments.selectors import form_versions, get_form, latest_forms
from lib.views import capability_required


@capability_required(Capability.CASE_WORK_TEAM)
def form_list_view(request: HttpRequest) -> HttpResponse:
    forms = [(form, form_versions(form.code)) for form in latest_forms()]
    return render(request, "assessments/form_list.html", {"forms": forms})


def _definition_or_404(request: HttpRequest, code: str) -> FormDefinition:
    version_text = request.GET.get("version", "")
    if version_text and not version_text.isdigit():
        raise Http404
    definition = get_form(code, int(version_text) if version_text else None)
    if definition is None:
        raise Http404
    return definition


def _context(definition: FormDefinition, **extra: object) -> dict[str, object]:
    query = f"?version={definition.version}"
    return {
        "definition": definition,
        "versions": form_versions(definition.code),
        "action_url": reverse("assessments:preview", args=[definition.code]) + query,
        "refresh_url": reverse("assessments:refresh", args=[definition.code]) + query,
        **extra,
    }


@capability_required(Capability.CASE_WORK_TEAM)
@require_http_methods(["GET", "POST"])
def form_preview_view(request: HttpRequest, code: str) -> HttpResponse:
    definition = _definition_or_404(request, code)
    if request.method == "GET":
        form = build_form_view(definition, {})
        return render(request, "assessments/form_preview.html", _context(definition, form=form))
    answers = answers_from_post(definition, request.POST)
    summary = summary_from_post(definition, request.POST)
    checked = "validate" in request.POST
    errors = (
        validate_answers(definition, answers) + validate_summary(definition, summary)
        if checked
        else []
    )
    form = build_form_view(definition, answers, summary, errors)
    return render(
        request,
        "assessments/form_preview.html",
        _context(definition, form=form, checked=checked, valid=checked and not errors),
        status=422 if errors else 200,
    )


@capability_required(Capability.CASE_WORK_TEAM)
@require_POST
def form_refresh_view(request: HttpRequest, code: str) -> HttpResponse:
    """The form body re-rendered with the posted answers: conditional questions appear or
    disappear and rows are added or removed, without validating (htmx target)."""
    definition = _definition_or_404(request, code)
    answers = answers_from_post(definition, request.POST)
    summary = summary_from_post(definition, request.POST)
    form = build_form_view(definition, answers, summary)
    return render(request, "assessments/partials/form_body.html", _context(definition, form=form))
