from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import Capability, Discipline, Role


class OrganisationType(models.TextChoices):
    STATE_AUTHORITY = "state_authority", _("State authority")
    STATE_FUND = "state_fund", _("State fund / national coordinator")
    NGO = "ngo", _("Non-governmental organisation")
    INTERNATIONAL = "international", _("International organisation")
    SHELTER = "shelter", _("Shelter")
    POLICE = "police", _("Police")
    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    type = models.CharField(_("type"), max_length=32, choices=OrganisationType.choices)
    # ISO 3166-1 alpha-2.
    country = models.CharField(_("country"), max_length=2)
    # The code of the jurisdiction policy pack (policies/packs/<code>.yaml) the
    # organisation works under.
    policy_pack = models.CharField(_("policy pack"), max_length=32, default="default")
    # Used in case numbers (e.g. "LS-2026-0042").
    case_prefix = models.CharField(_("case number prefix"), max_length=8)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["case_prefix"], name="organisation_case_prefix_unique"),
            models.CheckConstraint(
                condition=Q(type__in=OrganisationType.values), name="organisation_type_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # Imported here: the policies app builds on accounts, not the other way round.
        from policies.packs import shipped_packs

        if self.policy_pack not in shipped_packs():
            raise ValidationError(
                {
                    "policy_pack": _("Unknown policy pack %(code)s; use one of: %(codes)s.")
                    % {"code": self.policy_pack, "codes": ", ".join(sorted(shipped_packs()))}
                }
            )


class User(AbstractUser):
    """A person who uses the system. Roles live on memberships, never on the user."""

    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # Accounts seeded by ``seed_demo``; only these may skip the second factor, and only in
    # demo mode.
    is_demo_account = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> MembershipQuerySet:
        return self.filter(is_active=True, organisation__is_active=True, user__is_active=True)


class Membership(models.Model):
    """A role a user holds in an organisation. A user may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    discipline = models.CharField(
        _("discipline"), max_length=32, choices=Discipline.choices, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]
        indexes = [
            # Serves the per-request lookup of the active organisation's roles.
            models.Index(fields=["user", "organisation"], name="membership_user_org"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} @ {self.organisation}"

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def capabilities(self) -> frozenset[Capability]:
        return self.role_enum.capabilities


class ApiToken(models.Model):
    """A personal API token: shown once, stored as a SHA-256 hash, bound to one organisation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    # The first characters of the token, shown in lists so the owner can tell them apart.
    prefix = models.CharField(max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class RoleGrantStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting a second administrator")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class RoleGrantRequest(models.Model):
    """A role grant that needs a second person before it takes effect (accounts.grants).

    The requester, the person who decides and the person who receives the role are three
    different accounts: the constraints below hold even against a bug in a service."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="role_grant_requests"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grant_requests")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    discipline = models.CharField(
        _("discipline"), max_length=32, choices=Discipline.choices, blank=True
    )
    # Why a second person is needed (a GrantReason code from accounts.grants).
    reason = models.CharField(_("reason"), max_length=32)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RoleGrantStatus.choices,
        default=RoleGrantStatus.PENDING,
    )
    requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="role_grants_requested"
    )
    requested_at = models.DateTimeField(default=timezone.now, editable=False)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="role_grants_decided"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(requested_by=models.F("user")), name="rolegrant_not_to_self"
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True)
                | (~Q(decided_by=models.F("requested_by")) & ~Q(decided_by=models.F("user"))),
                name="rolegrant_second_person",
            ),
            models.CheckConstraint(
                condition=Q(status__in=RoleGrantStatus.values), name="rolegrant_status_valid"
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="rolegrant_role_valid"),
            # One open request per role and person in an organisation.
            models.UniqueConstraint(
                fields=["organisation", "user", "role"],
                condition=Q(status="pending"),
                name="rolegrant_one_pending",
            ),
        ]
        indexes = [
            # Serves the list of pending requests of an organisation.
            models.Index(fields=["organisation", "status"], name="rolegrant_org_status"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} @ {self.organisation} ({self.status})"
