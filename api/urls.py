from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError as SchemaValidationError
from ninja.parser import Parser

from api.auth import API_AUTH
from api.routers import (
    accounts,
    assessment_records,
    assessments,
    assistance,
    audit,
    cases,
    closure,
    complaints,
    monitoring,
    plans,
    policies,
    referrals,
    reports,
    services,
    teamwork,
    work,
)
from consent.services import ConsentRequired
from lib.input_guard import form_problems


class GuardedParser(Parser):
    """Multipart form fields with NUL or a lone surrogate are a 422 naming the field
    (lib.input_guard checks query strings and JSON bodies before the API)."""

    def parse_querydict(self, data: Any, list_fields: list[str], request: HttpRequest) -> Any:
        problems = [
            {"loc": ["form", name], "msg": problem, "type": "text"}
            for name, problem in form_problems(data)
        ]
        if problems:
            raise SchemaValidationError(problems)
        return super().parse_querydict(data, list_fields, request)


api = NinjaAPI(
    title="Reintegra API",
    version="1",
    description=(
        "Case management for the identification, assistance and re/integration of victims of "
        "human trafficking. Authenticate with a personal token (`Authorization: Bearer rtg_…`) "
        "or, from the browser, with the session cookie and the CSRF token."
    ),
    auth=API_AUTH,
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url=None,
    parser=GuardedParser(),
)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": "You may not do this."}, status=403)


@api.exception_handler(ConsentRequired)
def consent_required(request: HttpRequest, exc: ConsentRequired) -> HttpResponse:
    # The gate's message names the missing consent (SPEC C3); it holds no case data.
    return api.create_response(request, {"detail": str(exc)}, status=403)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    first = next(iter(errors.items()))
    return api.create_response(
        request,
        {"detail": f"{first[0]}: {first[1][0]}", "errors": errors},
        status=422,
    )


@api.exception_handler(SchemaValidationError)
def invalid_body(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
    """A body or parameter that does not match the schema: 422 naming each field, in the same
    shape as the services' errors (``ValidationProblem``)."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        location = [
            str(part) for part in error.get("loc", ()) if part not in ("body", "payload", "form")
        ]
        errors.setdefault(".".join(location) or "__all__", []).append(str(error.get("msg", "")))
    first = next(iter(errors.items()), ("__all__", [""]))
    return api.create_response(
        request, {"detail": f"{first[0]}: {first[1][0]}", "errors": errors}, status=422
    )


api.add_router("", accounts.router)
api.add_router("", audit.router)
api.add_router("", cases.router)
api.add_router("", work.router)
api.add_router("", policies.router)
api.add_router("", services.router)
api.add_router("", assessments.router)
api.add_router("", assessment_records.router)
api.add_router("", referrals.router)
api.add_router("", plans.router)
api.add_router("", assistance.router)
api.add_router("", monitoring.router)
api.add_router("", complaints.router)
api.add_router("", teamwork.router)
api.add_router("", reports.router)
api.add_router("", closure.router)
