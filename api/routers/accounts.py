"""The signed-in user, their tokens, the organisation's members, and organisations."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest
from ninja import Router, Status
from ninja.errors import HttpError

from accounts.access import Acting, require_acting
from accounts.grants import GrantReason
from accounts.links import set_password_link
from accounts.models import ApiToken, Membership, Organisation, RoleGrantRequest, User
from accounts.roles import Capability, Role
from accounts.selectors import (
    api_token_of,
    api_tokens_of,
    grant_request_for,
    grant_requests_for,
    member_of,
    members_of,
    organisations_all,
)
from accounts.services import (
    StaleEdit,
    api_token_create,
    api_token_revoke,
    organisation_create,
    organisation_update,
    role_grant,
    role_grant_approve,
    role_grant_refuse,
    role_revoke,
    second_factor_reset,
    user_create,
)
from api.auth import session_auth
from api.schemas import (
    MemberCreatedOut,
    MemberIn,
    MemberOut,
    MeOut,
    OrganisationIn,
    OrganisationOut,
    OrganisationPatch,
    Problem,
    RoleGrantIn,
    RoleGrantRequestOut,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
    ValidationProblem,
)

router = Router(tags=["accounts"])


def acting_of(request: HttpRequest) -> Acting:
    return cast(Acting, request.auth)  # type: ignore[attr-defined]  # set by ninja's auth


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError as exc:
        raise HttpError(
            422, f"role: unknown role {value!r}; use one of {', '.join(Role.values)}"
        ) from exc


def _member_out(user: User) -> dict[str, Any]:
    return {
        "id": user.pk,
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": user.is_active,
        "roles": [
            {"id": m.pk, "role": m.role, "discipline": m.discipline, "is_active": m.is_active}
            for m in user.roles_here  # type: ignore[attr-defined]  # prefetched by members_of
        ],
    }


@router.get("/me", response=MeOut, summary="The signed-in user, active organisation and roles")
def me(request: HttpRequest) -> dict[str, Any]:
    acting = acting_of(request)
    user = acting.user
    memberships = Membership.objects.active().filter(user=user, organisation=acting.organisation)
    return {
        "id": user.pk,
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "language": user.language,
        "organisation": acting.organisation,
        "roles": [
            {"role": m.role, "label": str(m.get_role_display()), "discipline": m.discipline}
            for m in memberships
        ],
        "capabilities": sorted(c.value for c in acting.capabilities),
    }


@router.get("/tokens", response=list[TokenOut], summary="Your personal API tokens")
def tokens(request: HttpRequest) -> list[ApiToken]:
    return list(api_tokens_of(acting_of(request).user))


@router.post(
    "/tokens",
    response={201: TokenCreatedOut, 422: ValidationProblem},
    auth=[session_auth],
    summary="Create a token (browser session only; the secret is returned once)",
)
def token_create(request: HttpRequest, payload: TokenIn) -> Status[dict[str, Any]]:
    acting = acting_of(request)
    token, raw = api_token_create(
        acting_user=acting.user,
        organisation=acting.organisation,
        name=payload.name,
        days=payload.days,
    )
    return Status(201, {**TokenOut.from_orm(token).dict(), "token": raw})


@router.delete("/tokens/{token_id}", response={204: None, 404: Problem}, summary="Revoke a token")
def token_revoke(request: HttpRequest, token_id: int) -> Status[None]:
    acting = acting_of(request)
    api_token_revoke(acting_user=acting.user, token=api_token_of(acting.user, token_id))
    return Status(204, None)


@router.get("/members", response=list[MemberOut], summary="Users of the active organisation")
def members(request: HttpRequest, offset: int = 0, limit: int = 50) -> list[dict[str, Any]]:
    acting = require_acting(acting_of(request), Capability.ORGANISATION_USERS_MANAGE)
    limit = max(1, min(limit, 200))
    return [_member_out(u) for u in members_of(acting.organisation)[offset : offset + limit]]


@router.post(
    "/members", response={201: MemberCreatedOut, 422: ValidationProblem}, summary="Create a user"
)
def member_create(request: HttpRequest, payload: MemberIn) -> Status[dict[str, Any]]:
    acting = require_acting(acting_of(request), Capability.ORGANISATION_USERS_MANAGE)
    user = user_create(
        acting_user=acting.user,
        organisation=acting.organisation,
        username=payload.username,
        first_name=payload.first_name,
        last_name=payload.last_name,
        email=payload.email,
        role=_role(payload.role),
        discipline=payload.discipline,
        language=payload.language,
    )
    link = set_password_link(request, user)
    return Status(
        201, {**_member_out(member_of(acting.organisation, user.pk)), "set_password_link": link}
    )


@router.get("/members/{user_id}", response={200: MemberOut, 404: Problem}, summary="One user")
def member(request: HttpRequest, user_id: int) -> dict[str, Any]:
    acting = require_acting(acting_of(request), Capability.ORGANISATION_USERS_MANAGE)
    return _member_out(member_of(acting.organisation, user_id))


@router.post(
    "/members/{user_id}/roles",
    response={
        201: MemberOut,
        202: RoleGrantRequestOut,
        403: Problem,
        404: Problem,
        422: ValidationProblem,
    },
    summary="Grant a role; 202 with a pending request where a second administrator must "
    "approve (an administrator's case-file role, a coordinator outside a state fund)",
)
def member_role_grant(request: HttpRequest, user_id: int, payload: RoleGrantIn) -> Status[Any]:
    acting = require_acting(acting_of(request), Capability.ORGANISATION_USERS_MANAGE)
    user = member_of(acting.organisation, user_id)
    outcome = role_grant(
        acting_user=acting.user,
        organisation=acting.organisation,
        user=user,
        role=_role(payload.role),
        discipline=payload.discipline,
    )
    if isinstance(outcome, RoleGrantRequest):
        return Status(202, _grant_out(outcome))
    return Status(201, _member_out(member_of(acting.organisation, user_id)))


def _grant_out(grant: RoleGrantRequest) -> dict[str, Any]:
    return {
        **{
            name: getattr(grant, name)
            for name in (
                "id",
                "organisation_id",
                "user_id",
                "role",
                "discipline",
                "reason",
                "status",
                "requested_by_id",
                "requested_at",
                "decided_by_id",
                "decided_at",
            )
        },
        "reason_label": GrantReason(grant.reason).label,
    }


@router.get(
    "/role-grants",
    response=list[RoleGrantRequestOut],
    summary="Role grants awaiting a second administrator",
)
def grant_requests(request: HttpRequest, offset: int = 0, limit: int = 50) -> list[dict[str, Any]]:
    acting = require_acting(acting_of(request), Capability.ORGANISATION_USERS_MANAGE)
    limit = max(1, min(limit, 200))
    return [_grant_out(g) for g in grant_requests_for(acting)[offset : offset + limit]]


@router.post(
    "/role-grants/{request_id}/approve",
    response={200: RoleGrantRequestOut, 403: Problem, 404: Problem, 422: ValidationProblem},
    summary="Approve a role grant (a second administrator: not the requester nor the grantee)",
)
def grant_request_approve(request: HttpRequest, request_id: int) -> dict[str, Any]:
    acting = require_acting(acting_of(request), Capability.ORGANISATION_USERS_MANAGE)
    grant = grant_request_for(acting, request_id)
    role_grant_approve(
        acting_user=acting.user, acting_organisation=acting.organisation, request=grant
    )
    grant.refresh_from_db()
    return _grant_out(grant)


@router.post(
    "/role-grants/{request_id}/refuse",
    response={200: RoleGrantRequestOut, 403: Problem, 404: Problem, 422: ValidationProblem},
    summary="Refuse a role grant",
)
def grant_request_refuse(request: HttpRequest, request_id: int) -> dict[str, Any]:
    acting = require_acting(acting_of(request), Capability.ORGANISATION_USERS_MANAGE)
    grant = grant_request_for(acting, request_id)
    return _grant_out(
        role_grant_refuse(
            acting_user=acting.user, acting_organisation=acting.organisation, request=grant
        )
    )


@router.delete(
    "/members/{user_id}/roles/{membership_id}",
    response={200: MemberOut, 404: Problem, 422: ValidationProblem},
    summary="Remove a role",
)
def member_role_revoke(request: HttpRequest, user_id: int, membership_id: int) -> dict[str, Any]:
    acting = require_acting(acting_of(request), Capability.ORGANISATION_USERS_MANAGE)
    user = member_of(acting.organisation, user_id)
    membership = next((m for m in user.roles_here if m.pk == membership_id), None)  # type: ignore[attr-defined]  # prefetched by members_of
    if membership is None:
        raise HttpError(404, "Not found.")
    role_revoke(acting_user=acting.user, organisation=acting.organisation, membership=membership)
    return _member_out(member_of(acting.organisation, user_id))


@router.delete(
    "/members/{user_id}/second-factor",
    response={204: None, 404: Problem},
    summary="Reset a user's second factor (lost phone)",
)
def member_second_factor_reset(request: HttpRequest, user_id: int) -> Status[None]:
    acting = require_acting(acting_of(request), Capability.ORGANISATION_USERS_MANAGE)
    second_factor_reset(
        acting_user=acting.user,
        organisation=acting.organisation,
        user=member_of(acting.organisation, user_id),
    )
    return Status(204, None)


@router.get(
    "/organisations", response=list[OrganisationOut], summary="All organisations (system admins)"
)
def organisations(request: HttpRequest, offset: int = 0, limit: int = 50) -> list[Organisation]:
    require_acting(acting_of(request), Capability.ORGANISATIONS_MANAGE)
    limit = max(1, min(limit, 200))
    return list(organisations_all()[offset : offset + limit])


@router.post(
    "/organisations",
    response={201: OrganisationOut, 422: ValidationProblem},
    summary="Create an organisation (system admins)",
)
def organisation_create_endpoint(
    request: HttpRequest, payload: OrganisationIn
) -> Status[Organisation]:
    acting = require_acting(acting_of(request), Capability.ORGANISATIONS_MANAGE)
    organisation = organisation_create(
        acting_user=acting.user, acting_organisation=acting.organisation, **payload.dict()
    )
    return Status(201, organisation)


@router.patch(
    "/organisations/{organisation_id}",
    response={200: OrganisationOut, 404: Problem, 409: OrganisationOut, 422: ValidationProblem},
    summary="Change an organisation; `version` must be the one you read (409 if it changed)",
)
def organisation_patch(
    request: HttpRequest, organisation_id: int, payload: OrganisationPatch
) -> Status[Organisation]:
    acting = require_acting(acting_of(request), Capability.ORGANISATIONS_MANAGE)
    if not organisations_all().filter(pk=organisation_id).exists():
        raise HttpError(404, "Not found.")
    values = payload.changes()
    try:
        organisation = organisation_update(
            acting_user=acting.user,
            acting_organisation=acting.organisation,
            organisation_id=organisation_id,
            expected_version=payload.version,
            **values,
        )
    except StaleEdit as stale:
        return Status(409, stale.current)
    return Status(200, organisation)
