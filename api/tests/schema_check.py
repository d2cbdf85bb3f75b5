"""The published OpenAPI document checked against the API itself (issue 15, item 6).

``component_name_collisions`` builds the document and names every component that two
different schemas tried to publish under one name (django-ninja keeps the last one silently,
so the document would describe the wrong body). ``RequestBodyChecker`` validates a JSON
request body the API accepted against the body schema the document publishes for that
operation; the test suite runs it on every API request its tests make.
"""

from __future__ import annotations

import json
import re
from functools import cached_property
from typing import Any, cast

from jsonschema import Draft202012Validator
from ninja.openapi import schema as ninja_schema

from api.urls import api


def component_name_collisions() -> dict[str, int]:
    """Component names published by more than one different schema, with the count."""
    collisions: dict[str, int] = {}
    original = ninja_schema.OpenAPISchema.add_schema_definitions

    def add_checked(self: ninja_schema.OpenAPISchema, definitions: dict[str, Any]) -> None:
        for name, definition in definitions.items():
            if name in self.schemas and self.schemas[name] != definition:
                collisions[name] = collisions.get(name, 1) + 1
        original(self, definitions)

    ninja_schema.OpenAPISchema.add_schema_definitions = add_checked  # type: ignore[method-assign]
    try:
        api.get_openapi_schema()
    finally:
        ninja_schema.OpenAPISchema.add_schema_definitions = original  # type: ignore[method-assign]
    return collisions


class RequestBodyChecker:
    """Validates JSON request bodies against the published document's operations."""

    prefix = "/api/v1"

    @cached_property
    def document(self) -> dict[str, Any]:
        # As published: through JSON, as a client reads it.
        return cast(dict[str, Any], json.loads(json.dumps(api.get_openapi_schema())))

    @cached_property
    def operations(self) -> list[tuple[re.Pattern[str], str, dict[str, Any]]]:
        routes = []
        for template, methods in self.document["paths"].items():
            pattern = re.compile("^" + re.sub(r"\{[^/]+\}", "[^/]+", template) + "$")
            for method, operation in methods.items():
                routes.append((pattern, method.lower(), operation))
        return routes

    def body_schema(self, method: str, path: str) -> dict[str, Any] | None:
        """The JSON body schema of the operation at ``path``; None when it takes none."""
        for pattern, operation_method, operation in self.operations:
            if operation_method == method.lower() and pattern.match(path):
                content = operation.get("requestBody", {}).get("content", {})
                return content.get("application/json", {}).get("schema")
        return None

    def errors(self, method: str, path: str, body: bytes | str) -> list[str]:
        """Why ``body`` does not match the published schema (empty when it does)."""
        path = path.split("?", 1)[0]
        if not path.startswith(self.prefix):
            return []
        schema = self.body_schema(method, path)
        if schema is None:
            return []
        try:
            instance = json.loads(body or "null")
        except ValueError:
            return []
        root = {**schema, "components": self.document["components"]}
        validator = Draft202012Validator(root)
        return [
            f"{method} {path}: {'/'.join(map(str, e.absolute_path)) or '(body)'}: {e.message}"
            for e in validator.iter_errors(instance)
        ]


checker = RequestBodyChecker()
