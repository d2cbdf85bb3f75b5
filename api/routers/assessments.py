"""Assessment form definitions: the catalogue, each form as JSON, and answer validation.

Every client (the web pages, a tablet application, an integration) reads the same
definitions and gets the same answer checks, so a form filled in anywhere is held to one
standard.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils import translation
from ninja import Field, Router, Schema
from ninja.responses import Status

from accounts.access import require_acting
from accounts.roles import Capability
from api.routers.accounts import acting_of
from assessments.answers import validate_answers, validate_summary
from assessments.definitions import LANGUAGES, FormDefinition
from assessments.selectors import form_versions, get_form, latest_forms

router = Router(tags=["assessment forms"])


class FormSummaryOut(Schema):
    code: str
    version: int
    versions: list[int]
    domain: str
    discipline: str
    title: str = Field(description="In the requested language")


class AnswerErrorOut(Schema):
    question: str = Field(description="Question id; inside a group e.g. dependants[1].age")
    label: str = Field(description="The question's label in the requested language")
    message: str


class ValidateIn(Schema):
    answers: dict[str, Any] = Field(description="Question id → answer (see the form's types)")
    summary: dict[str, Any] | None = Field(
        default=None, description="category, need_level, evidence, disagreement"
    )


class ValidateOut(Schema):
    valid: bool
    form: str
    version: int
    errors: list[AnswerErrorOut]


def _definition(code: str, version: int | None) -> FormDefinition:
    definition = get_form(code, version)
    if definition is None:
        raise Http404
    return definition


def _language(request: HttpRequest, lang: str) -> str:
    return lang if lang in LANGUAGES else translation.get_language() or "en"


@router.get(
    "/assessment-forms",
    response=list[FormSummaryOut],
    summary="The assessment forms, latest versions",
)
def assessment_forms(request: HttpRequest, lang: str = "") -> list[dict[str, Any]]:
    require_acting(acting_of(request), Capability.CASE_WORK_TEAM)
    language = _language(request, lang)
    return [
        {
            "code": form.code,
            "version": form.version,
            "versions": form_versions(form.code),
            "domain": form.domain.value,
            "discipline": form.discipline.value,
            "title": form.title.text(language),
        }
        for form in latest_forms()
    ]


@router.get(
    "/assessment-forms/{code}",
    response=FormDefinition,
    summary="One form definition (latest, or ?version=)",
    by_alias=True,
    exclude_none=True,
)
def assessment_form(request: HttpRequest, code: str, version: int | None = None) -> FormDefinition:
    require_acting(acting_of(request), Capability.CASE_WORK_TEAM)
    return _definition(code, version)


@router.post(
    "/assessment-forms/{code}/validate",
    response={200: ValidateOut, 422: ValidateOut},
    summary="Check answers against a form version; nothing is saved",
)
def assessment_form_validate(
    request: HttpRequest, code: str, payload: ValidateIn, version: int | None = None, lang: str = ""
) -> Status[dict[str, Any]]:
    require_acting(acting_of(request), Capability.CASE_WORK_TEAM)
    definition = _definition(code, version)
    with translation.override(_language(request, lang)):
        errors = validate_answers(definition, payload.answers)
        if payload.summary is not None:
            errors += validate_summary(definition, payload.summary)
        body = {
            "valid": not errors,
            "form": definition.code,
            "version": definition.version,
            "errors": [error.as_dict() for error in errors],
        }
    return Status(422 if errors else 200, body)
