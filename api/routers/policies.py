"""Policy packs: the organisation's effective rules, every stored version (system admins),
and the explicit, audited move of a case to another version (supervisors)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from accounts.access import Acting, require_acting
from accounts.models import User
from accounts.roles import Capability
from api.case_access import stale_answer
from api.schemas import Problem, ValidationProblem
from cases.policy_migration import (
    StalePolicyMigration,
    case_for_policy_migration,
    case_policy_migrate,
)
from policies.display import rule_rows
from policies.models import PolicyPackVersion
from policies.selectors import (
    UnknownPolicyPack,
    pack_for_organisation,
    pack_version,
    pack_versions,
)

router = Router(tags=["policies"])


class RuleRowOut(Schema):
    key: str
    label: str
    value: str


class PackVersionOut(Schema):
    code: str
    version: int
    name: str
    content_hash: str
    created_at: datetime


class PackRulesOut(PackVersionOut):
    rules: dict[str, Any]
    rows: list[RuleRowOut]


class CasePolicyOut(Schema):
    case_id: int
    case_code: str
    policy_pack: str
    policy_pack_version: int
    version: int


class CasePolicyMigrateIn(Schema):
    to_version: int
    # The case's ``version`` as you read it; 409 with the current values if it changed.
    version: int


def _acting(request: HttpRequest) -> Acting:
    return cast(Acting, request.auth)  # type: ignore[attr-defined]  # set by ninja's auth


def _rules_out(pack: PolicyPackVersion) -> dict[str, Any]:
    return {
        "code": pack.code,
        "version": pack.version,
        "name": pack.name,
        "content_hash": pack.content_hash,
        "created_at": pack.created_at,
        "rules": pack.rules,
        "rows": [row.__dict__ for row in rule_rows(pack.parsed)],
    }


def _case_out(case: Any) -> dict[str, Any]:
    return {
        "case_id": case.pk,
        "case_code": case.code,
        "policy_pack": case.policy_pack,
        "policy_pack_version": case.policy_pack_version,
        "version": case.version,
    }


@router.get(
    "/policies/effective",
    response={200: PackRulesOut, 403: Problem, 409: Problem},
    summary="The current policy pack version of your organisation, with labelled rules",
)
def effective(request: HttpRequest) -> dict[str, Any]:
    acting = require_acting(_acting(request), Capability.POLICY_VIEW)
    try:
        return _rules_out(pack_for_organisation(acting.organisation))
    except UnknownPolicyPack as error:
        raise HttpError(
            409, "policy_pack: the organisation's policy pack is not installed"
        ) from error


@router.get(
    "/policies/packs",
    response={200: list[PackVersionOut], 403: Problem},
    summary="Every stored pack version (system admins)",
)
def packs(request: HttpRequest, offset: int = 0, limit: int = 50) -> list[PolicyPackVersion]:
    require_acting(_acting(request), Capability.POLICY_PACKS_MANAGE)
    offset, limit = max(0, offset), max(1, min(limit, 200))
    return list(pack_versions()[offset : offset + limit])


@router.get(
    "/policies/packs/{code}/{version}",
    response={200: PackRulesOut, 403: Problem, 404: Problem},
    summary="One stored pack version with its rules (system admins)",
)
def pack(request: HttpRequest, code: str, version: int) -> dict[str, Any]:
    require_acting(_acting(request), Capability.POLICY_PACKS_MANAGE)
    try:
        return _rules_out(pack_version(code, version))
    except UnknownPolicyPack as error:
        raise HttpError(404, "Not found.") from error


@router.post(
    "/cases/{case_id}/policy-migration",
    response={
        200: CasePolicyOut,
        403: Problem,
        404: Problem,
        409: CasePolicyOut,
        422: ValidationProblem,
    },
    summary="Move an open case to a version of its organisation's current pack (supervisors)",
)
def case_policy_migration(
    request: HttpRequest, case_id: int, payload: CasePolicyMigrateIn
) -> Status[dict[str, Any]]:
    acting = require_acting(_acting(request), Capability.CASE_POLICY_MIGRATE)
    case = case_for_policy_migration(acting, case_id)
    try:
        migrated = case_policy_migrate(
            acting_user=cast(User, acting.user),
            case=case,
            to_version=payload.to_version,
            expected_version=payload.version,
        )
    except StalePolicyMigration as stale:
        return stale_answer(acting, case, _case_out(stale.current), section="api:policy")
    return Status(200, _case_out(migrated))
