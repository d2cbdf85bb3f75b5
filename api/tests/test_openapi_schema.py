"""The published OpenAPI document describes the bodies the API takes (issue 15, item 6)."""

from __future__ import annotations

from typing import Any

from api.tests.schema_check import checker, component_name_collisions


def test_component_names_are_unique() -> None:
    # django-ninja keeps the last of two schemas with one name: the document would describe
    # the transfer decision with the plan decision's body.
    assert component_name_collisions() == {}


def _body(method: str, path: str) -> dict[str, Any]:
    schema = checker.body_schema(method, path)
    assert schema is not None
    return schema


def test_transfer_decision_and_case_manager_assignment_publish_their_own_bodies() -> None:
    assert checker.errors("POST", "/api/v1/transfers/1/decision", b'{"accept": true}') == []
    assert (
        checker.errors(
            "PUT",
            "/api/v1/cases/1/case-manager",
            b'{"version": 1, "case_manager_id": 2, "reason": "workload"}',
        )
        == []
    )
    assert (
        checker.errors(
            "POST", "/api/v1/plan-approvals/1/decision", b'{"expected_version": 1, "decision": "x"}'
        )
        == []
    )
    # A body of another operation is refused by the published schema.
    assert checker.errors("POST", "/api/v1/transfers/1/decision", b'{"decision": "approve"}')
    assert _body("PUT", "/api/v1/cases/1/case-manager") != _body(
        "POST", "/api/v1/cases/1/assessments/assign"
    )
