"""Reads for accounts: always scoped to what the acting user may see."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from accounts.models import ApiToken, Membership, Organisation, User


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).select_related("organisation")


def api_token_of(user: User, token_id: int) -> ApiToken:
    """One of the user's own tokens; another user's token is a 404, not a 403."""
    token = api_tokens_of(user).filter(pk=token_id).first()
    if token is None:
        raise Http404
    return token


def members_of(organisation: Organisation) -> QuerySet[User]:
    return (
        User.objects.filter(memberships__organisation=organisation)
        .distinct()
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(organisation=organisation).order_by("role"),
                to_attr="roles_here",
            )
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
