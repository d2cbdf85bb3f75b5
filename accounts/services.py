"""Writes for organisations, users, memberships and tokens. Each one is audited in the same
transaction as the change (DESIGN rule 1)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.access import require
from accounts.grants import grant_rule, may_decide_grant
from accounts.models import (
    ApiToken,
    Membership,
    Organisation,
    RoleGrantRequest,
    RoleGrantStatus,
    User,
)
from accounts.roles import Capability, Discipline, Role
from audit.models import AuditAction
from audit.services import record
from lib.errors import StaleEdit

API_TOKEN_PREFIX = "rtg_"  # noqa: S105  (a public marker that tells a token apart, not a secret)
RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


# ---------------------------------------------------------------- organisations


ORGANISATION_FIELDS = (
    "name",
    "short_name",
    "type",
    "country",
    "policy_pack",
    "case_prefix",
    "is_active",
)


@transaction.atomic
def organisation_create(
    *, acting_user: User, acting_organisation: Organisation, **values: Any
) -> Organisation:
    require(acting_user, Capability.ORGANISATIONS_MANAGE, acting_organisation)
    organisation = Organisation(**{k: v for k, v in values.items() if k in ORGANISATION_FIELDS})
    organisation.full_clean()
    organisation.save()
    record(
        action=AuditAction.CREATE,
        actor=acting_user,
        organisation=acting_organisation,
        target=organisation,
        fields=[k for k in values if k in ORGANISATION_FIELDS],
    )
    return organisation


@transaction.atomic
def organisation_update(
    *,
    acting_user: User,
    acting_organisation: Organisation,
    organisation_id: int,
    expected_version: int,
    **values: Any,
) -> Organisation:
    require(acting_user, Capability.ORGANISATIONS_MANAGE, acting_organisation)
    organisation = Organisation.objects.select_for_update().get(pk=organisation_id)
    if organisation.version != expected_version:
        raise StaleEdit(organisation)
    changed = [
        k for k, v in values.items() if k in ORGANISATION_FIELDS and getattr(organisation, k) != v
    ]
    for field in changed:
        setattr(organisation, field, values[field])
    organisation.full_clean()
    organisation.version += 1
    organisation.save()
    record(
        action=AuditAction.UPDATE,
        actor=acting_user,
        organisation=acting_organisation,
        target=organisation,
        fields=changed,
    )
    return organisation


# ---------------------------------------------------------------- users and roles


def _require_manage_users(acting_user: User, organisation: Organisation) -> None:
    require(acting_user, Capability.ORGANISATION_USERS_MANAGE, organisation)


@transaction.atomic
def user_create(
    *,
    acting_user: User,
    organisation: Organisation,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    role: Role,
    discipline: str = "",
    language: str = settings.LANGUAGE_CODE,
) -> User:
    """Create an account with an unusable password; the admin hands over a set-password link."""
    _require_manage_users(acting_user, organisation)
    if role == Role.SYSTEM_ADMIN:
        # Checked before the account exists; the rest of the grant rule in role_grant.
        require(acting_user, Capability.ORGANISATIONS_MANAGE, organisation)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is already taken.")})
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        language=language,
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    record(
        action=AuditAction.CREATE,
        actor=acting_user,
        organisation=organisation,
        target=user,
        fields=["username", "first_name", "last_name", "email", "language"],
    )
    role_grant(
        acting_user=acting_user,
        organisation=organisation,
        user=user,
        role=role,
        discipline=discipline,
    )
    return user


@transaction.atomic
def organisation_admin_create(
    *,
    acting_user: User,
    acting_organisation: Organisation,
    organisation: Organisation,
    username: str,
    first_name: str,
    last_name: str,
    email: str = "",
    language: str = settings.LANGUAGE_CODE,
) -> User:
    """A system administrator gives an organisation its administrator (typically its first
    one, so that it can create its own users): an account with an unusable password and the
    organisation administrator role, handed over with a one-time set-password link."""
    require(acting_user, Capability.ORGANISATIONS_MANAGE, acting_organisation)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is already taken.")})
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        language=language,
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    membership = Membership.objects.create(
        user=user, organisation=organisation, role=Role.ORGANISATION_ADMIN
    )
    record(
        action=AuditAction.CREATE,
        actor=acting_user,
        organisation=acting_organisation,
        target=user,
        fields=["username", "first_name", "last_name", "email", "language"],
        detail={"administrator_of": organisation.pk},
    )
    record(
        action=AuditAction.ROLE_CHANGE,
        actor=acting_user,
        organisation=organisation,
        target=user,
        detail={"granted": Role.ORGANISATION_ADMIN.value, "membership": membership.pk},
    )
    return user


@transaction.atomic
def role_grant(
    *, acting_user: User, organisation: Organisation, user: User, role: Role, discipline: str = ""
) -> Membership | RoleGrantRequest:
    """Give ``user`` the role, or — where ``accounts.grants`` says a second person must agree —
    file a pending request that another administrator approves (``role_grant_approve``)."""
    _require_manage_users(acting_user, organisation)
    if discipline and discipline not in Discipline.values:
        raise ValidationError({"discipline": _("Unknown discipline.")})
    reason = grant_rule(granter=acting_user, organisation=organisation, grantee=user, role=role)
    if Membership.objects.filter(
        user=user, organisation=organisation, role=role, is_active=True, discipline=discipline
    ).exists():
        raise ValidationError({"role": _("The user already holds this role here.")})
    if reason is None:
        return _membership_activate(
            acting_user=acting_user,
            organisation=organisation,
            user=user,
            role=role,
            discipline=discipline,
            detail={},
        )
    if RoleGrantRequest.objects.filter(
        organisation=organisation, user=user, role=role, status=RoleGrantStatus.PENDING
    ).exists():
        raise ValidationError({"role": _("This role already awaits a second administrator.")})
    request = RoleGrantRequest.objects.create(
        organisation=organisation,
        user=user,
        role=role,
        discipline=discipline,
        reason=reason.value,
        requested_by=acting_user,
    )
    record(
        action=AuditAction.ROLE_CHANGE,
        actor=acting_user,
        organisation=organisation,
        target=user,
        detail={"requested": role.value, "request": request.pk, "reason": reason.value},
    )
    return request


def _membership_activate(
    *,
    acting_user: User,
    organisation: Organisation,
    user: User,
    role: Role,
    discipline: str,
    detail: dict[str, Any],
) -> Membership:
    membership, _created = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=role, defaults={"discipline": discipline}
    )
    membership.is_active = True
    membership.discipline = discipline
    membership.save()
    record(
        action=AuditAction.ROLE_CHANGE,
        actor=acting_user,
        organisation=organisation,
        target=user,
        detail={"granted": role.value, "discipline": discipline, **detail},
    )
    return membership


def _require_second_person(
    acting_user: User, acting_organisation: Organisation, request: RoleGrantRequest
) -> RoleGrantRequest:
    locked = (
        RoleGrantRequest.objects.select_for_update()
        .select_related("organisation", "user")
        .get(pk=request.pk)
    )
    if not may_decide_grant(acting_user, acting_organisation, locked):
        raise PermissionDenied("a second administrator decides this grant")
    if locked.status != RoleGrantStatus.PENDING:
        raise ValidationError(_("This request was already decided."))
    return locked


@transaction.atomic
def role_grant_approve(
    *, acting_user: User, acting_organisation: Organisation, request: RoleGrantRequest
) -> Membership:
    """The second person agrees: the role takes effect, both names in the audit entry."""
    locked = _require_second_person(acting_user, acting_organisation, request)
    locked.status = RoleGrantStatus.APPROVED
    locked.decided_by = acting_user
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    return _membership_activate(
        acting_user=acting_user,
        organisation=locked.organisation,
        user=locked.user,
        role=Role(locked.role),
        discipline=locked.discipline,
        detail={"request": locked.pk, "requested_by": locked.requested_by_id},
    )


@transaction.atomic
def role_grant_refuse(
    *, acting_user: User, acting_organisation: Organisation, request: RoleGrantRequest
) -> RoleGrantRequest:
    locked = _require_second_person(acting_user, acting_organisation, request)
    locked.status = RoleGrantStatus.REFUSED
    locked.decided_by = acting_user
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    record(
        action=AuditAction.ROLE_CHANGE,
        actor=acting_user,
        organisation=locked.organisation,
        target=locked.user,
        detail={"refused": locked.role, "request": locked.pk},
    )
    return locked


@transaction.atomic
def role_revoke(*, acting_user: User, organisation: Organisation, membership: Membership) -> None:
    _require_manage_users(acting_user, organisation)
    if membership.organisation_id != organisation.pk:
        raise ValidationError(_("This role belongs to another organisation."))
    if membership.user_id == acting_user.pk and membership.role in {
        Role.ORGANISATION_ADMIN,
        Role.SYSTEM_ADMIN,
    }:
        # Keeps an organisation from locking itself out of its own user management.
        raise ValidationError(_("You cannot remove your own administrator role."))
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    record(
        action=AuditAction.ROLE_CHANGE,
        actor=acting_user,
        organisation=organisation,
        target=membership.user,
        detail={"revoked": membership.role},
    )


@transaction.atomic
def second_factor_reset(*, acting_user: User, organisation: Organisation, user: User) -> None:
    """For a lost phone: remove the user's devices so they enrol again at next login."""
    _require_manage_users(acting_user, organisation)
    if not Membership.objects.filter(user=user, organisation=organisation).exists():
        raise ValidationError(_("This user is not a member of your organisation."))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    record(
        action=AuditAction.SECOND_FACTOR,
        actor=acting_user,
        organisation=organisation,
        target=user,
        detail={"event": "reset_by_admin"},
    )


@transaction.atomic
def language_set(*, user: User, language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Unknown language.")})
    user.language = language
    user.save(update_fields=["language"])
    record(action=AuditAction.UPDATE, actor=user, target=user, fields=["language"])


def organisation_switch_audit(
    *, user: User, previous_id: int | None, organisation: Organisation
) -> None:
    record(
        action=AuditAction.ORGANISATION_SWITCH,
        actor=user,
        organisation=organisation,
        target=organisation,
        detail={"from": previous_id, "to": organisation.pk},
    )


# ---------------------------------------------------------------- second factor


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """An unconfirmed device for enrolment; replaces any earlier unconfirmed one."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


@transaction.atomic
def totp_device_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the device with a first code; returns fresh recovery codes, or None if wrong."""
    if not device.verify_token(token):
        record(
            action=AuditAction.SECOND_FACTOR_FAILED,
            actor=user,
            target=user,
            detail={"event": "enrolment_code_wrong"},
        )
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_regenerate(user=user)
    record(action=AuditAction.SECOND_FACTOR, actor=user, target=user, detail={"event": "enrolled"})
    return codes


def recovery_codes_regenerate(*, user: User) -> list[str]:
    static, _created = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    static.token_set.all().delete()
    # Ten characters from a 31-letter alphabet without look-alikes (49 bits), grouped for
    # reading aloud; django-otp stores at most 16 characters per token.
    codes = [
        "-".join("".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(5)) for _ in range(2))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes


# ---------------------------------------------------------------- API tokens


def hash_api_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, acting_user: User, organisation: Organisation, name: str, days: int
) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is never stored nor shown again."""
    require(acting_user, Capability.API_TOKENS, organisation)
    maximum = settings.REINTEGRA_API_TOKEN_MAX_DAYS
    if not 1 <= days <= maximum:
        raise ValidationError(
            {"days": _("A token must expire within 1 to %(max)s days.") % {"max": maximum}}
        )
    if not name.strip():
        raise ValidationError({"name": _("Give the token a name.")})
    raw = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=acting_user,
        organisation=organisation,
        name=name.strip()[:100],
        prefix=raw[:12],
        token_hash=hash_api_token(raw),
        expires_at=timezone.now() + timedelta(days=days),
    )
    record(
        action=AuditAction.TOKEN,
        actor=acting_user,
        organisation=organisation,
        target=token,
        detail={"event": "created", "days": days},
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, acting_user: User, token: ApiToken) -> None:
    if token.user_id != acting_user.pk:
        raise ValidationError(_("This is not your token."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(
            action=AuditAction.TOKEN,
            actor=acting_user,
            organisation=token.organisation,
            target=token,
            detail={"event": "revoked"},
        )


def api_token_authenticate(raw: str) -> ApiToken | None:
    """The usable token for ``raw``, or None. Touches ``last_used_at`` at most once a minute."""
    if not raw.startswith(API_TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user", "organisation")
        .filter(token_hash=hash_api_token(raw))
        .first()
    )
    if (
        token is None
        or not token.is_usable
        or not token.user.is_active
        or not token.organisation.is_active
    ):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def password_check(password: str, user: User | None = None) -> None:
    validate_password(password, user)
