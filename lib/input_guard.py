"""Refuse input the application cannot store before any view sees it (issue 15, item 5).

One middleware, so that every page and every API operation answers the same clear 4xx and
changes nothing, instead of failing deep in the database or the cipher with a 500:

- a body larger than ``REINTEGRA_MAX_REQUEST_BYTES`` (uploads included) → 413; JSON and form
  bodies are further capped by Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE``;
- a NUL character in a query parameter, a form field or a JSON string → 400 on pages, 422
  in the API (PostgreSQL cannot store NUL in text);
- a lone surrogate in a JSON string → 422 (it has no UTF-8 form, so it can be neither stored
  nor encrypted);
- an integer outside the signed 64-bit range in a query parameter or a JSON body → 422, a
  negative ``offset``, ``limit`` or ``page`` → 422, and a number beyond 64 bits in the path
  → 404 (no such record can exist).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
# Window parameters: slicing a query with a negative bound is an error, not an empty page.
NON_NEGATIVE = frozenset({"offset", "limit", "page"})
_INTEGER = re.compile(r"^[+-]?\d+$")
_PATH_NUMBER = re.compile(r"\d{19,}")


def _text_problem(value: str) -> str | None:
    if "\x00" in value:
        return _("must not contain the NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return _("contains an unpaired surrogate, which is not text")
    return None


def _number_problem(value: int) -> str | None:
    if not INT64_MIN <= value <= INT64_MAX:
        return _("is out of range")
    return None


def _query_problems(request: HttpRequest) -> Iterator[tuple[str, str]]:
    for name, values in request.GET.lists():
        for value in values:
            problem = _text_problem(value)
            if problem is None and _INTEGER.match(value.strip()):
                number = int(value)
                problem = _number_problem(number)
                if problem is None and name in NON_NEGATIVE and number < 0:
                    problem = _("must not be negative")
            if problem is not None:
                yield name, problem


def _json_problems(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        problem = _text_problem(value)
        if problem is not None:
            yield path or "__all__", problem
    elif isinstance(value, bool):
        return
    elif isinstance(value, int):
        problem = _number_problem(value)
        if problem is not None:
            yield path or "__all__", problem
    elif isinstance(value, dict):
        for key, item in value.items():
            key_problem = _text_problem(str(key))
            if key_problem is not None:
                yield path or "__all__", key_problem
                continue
            yield from _json_problems(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_problems(item, f"{path}.{index}" if path else str(index))


def form_problems(data: Any) -> Iterator[tuple[str, str]]:
    """NUL or a lone surrogate in the text fields of a QueryDict (uploads are not text)."""
    for name, values in data.lists():
        for value in values:
            problem = _text_problem(value) if isinstance(value, str) else None
            if problem is not None:
                yield name, problem


def _form_problems(request: HttpRequest) -> Iterator[tuple[str, str]]:
    return form_problems(request.POST)


class InputGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = self._refusal(request)
        return refusal if refusal is not None else self.get_response(request)

    def _refusal(self, request: HttpRequest) -> HttpResponse | None:
        is_api = request.path.startswith("/api/")
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REINTEGRA_MAX_REQUEST_BYTES:
            message = _("The request is too large.")
            if is_api:
                return JsonResponse({"detail": message, "errors": {}}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        if _PATH_NUMBER.search(request.path) and any(
            int(number) > INT64_MAX for number in _PATH_NUMBER.findall(request.path)
        ):
            if is_api:
                return JsonResponse({"detail": "Not found."}, status=404)
            return HttpResponse(_("Not found."), status=404, content_type="text/plain")
        problems = list(_query_problems(request))
        content_type = request.content_type or ""
        if request.method in ("POST", "PUT", "PATCH", "DELETE"):
            if content_type == "application/json" and length:
                if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
                    message = _("The request is too large.")
                    return JsonResponse({"detail": message, "errors": {}}, status=413)
                try:
                    body = json.loads(request.body)
                except ValueError:
                    body = None  # malformed JSON: the API answers it with its own 400
                problems += list(_json_problems(body))
            elif is_api and content_type == "application/x-www-form-urlencoded":
                # Multipart bodies are checked field by field by the API's parser
                # (api.urls.GuardedParser): reading them here would consume the stream.
                problems += list(_form_problems(request))
        if not problems:
            return None
        errors: dict[str, list[str]] = {}
        for field, problem in problems:
            errors.setdefault(field, []).append(problem)
        field, messages = next(iter(errors.items()))
        detail = f"{field}: {messages[0]}"
        if is_api:
            return JsonResponse({"detail": detail, "errors": errors}, status=422)
        return HttpResponseBadRequest(detail, content_type="text/plain; charset=utf-8")
