"""Reads for accounts: always scoped to what the acting user may see."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from accounts.access import Acting
from accounts.models import (
    ApiToken,
    Membership,
    Organisation,
    RoleGrantRequest,
    RoleGrantStatus,
    User,
)
from accounts.roles import Capability


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).select_related("organisation")


def api_token_of(user: User, token_id: int) -> ApiToken:
    """One of the user's own tokens; another user's token is a 404, not a 403."""
    token = api_tokens_of(user).filter(pk=token_id).first()
    if token is None:
        raise Http404
    return token


def members_of(organisation: Organisation) -> QuerySet[User]:
    """Users with a role here, or a role here that awaits a second administrator."""
    pending = RoleGrantRequest.objects.filter(
        organisation=organisation, status=RoleGrantStatus.PENDING
    )
    return (
        User.objects.filter(
            Q(memberships__organisation=organisation) | Q(role_grant_requests__in=pending)
        )
        .distinct()
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(organisation=organisation).order_by("role"),
                to_attr="roles_here",
            ),
            Prefetch(
                "role_grant_requests",
                queryset=pending.select_related("requested_by"),
                to_attr="pending_here",
            ),
        )
        .order_by("last_name", "first_name", "username")
    )


def member_of(organisation: Organisation, user_id: int) -> User:
    """A user of this organisation; anyone else is a 404."""
    user = members_of(organisation).filter(pk=user_id).first()
    if user is None:
        raise Http404
    return user


def organisations_all() -> QuerySet[Organisation]:
    return Organisation.objects.order_by("name")


def grant_requests_for(acting: Acting) -> QuerySet[RoleGrantRequest]:
    """Pending role grants the acting administrator sees: every organisation's for a system
    administrator, their own organisation's for an organisation administrator."""
    pending = RoleGrantRequest.objects.filter(status=RoleGrantStatus.PENDING).select_related(
        "organisation", "user", "requested_by"
    )
    if acting.can(Capability.ORGANISATIONS_MANAGE):
        return pending
    if acting.can(Capability.ORGANISATION_USERS_MANAGE):
        return pending.filter(organisation=acting.organisation)
    return pending.none()


def grant_request_for(acting: Acting, request_id: int) -> RoleGrantRequest:
    request = grant_requests_for(acting).filter(pk=request_id).first()
    if request is None:
        raise Http404
    return request
