"""The append-only, HMAC-chained audit log (DESIGN "Security design", audit/chain.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    VIEW = "view", _("View")
    CREATE = "create", _("Create")
    UPDATE = "update", _("Update")
    DELETE = "delete", _("Delete")
    EXPORT = "export", _("Export")
    PRINT = "print", _("Print")
    DOWNLOAD = "download", _("Download")
    LOGIN = "login", _("Login")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOCKOUT = "lockout", _("Lockout")
    LOGOUT = "logout", _("Logout")
    SECOND_FACTOR = "second_factor", _("Second factor")
    SECOND_FACTOR_FAILED = "second_factor_failed", _("Failed second factor")
    ROLE_CHANGE = "role_change", _("Role change")
    ORGANISATION_SWITCH = "organisation_switch", _("Organisation switch")
    TOKEN = "token", _("API token")
    CONSENT_OVERRIDE = "consent_override", _("Consent override")
    BREAK_GLASS = "break_glass", _("Break-glass access")
    TRANSITION = "transition", _("Status change")


class AuditAppendOnlyError(RuntimeError):
    """Raised when code tries to change or remove an audit entry."""


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AuditAppendOnlyError("Audit entries cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditAppendOnlyError("Audit entries cannot be deleted.")


class AuditEntry(models.Model):
    # The place in the chain, given when the entry is sealed (audit.services.seal_pending),
    # not when it is written: writing takes no lock, so requests append in parallel. An
    # unsealed entry has no sequence, no links and no chain version (CHECK below).
    sequence = models.PositiveBigIntegerField(unique=True, null=True, blank=True)
    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Kept as text as well, so that an entry stays readable if a user is renamed.
    actor_username = models.CharField(max_length=150, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=32, choices=AuditAction.choices)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    # The case the entry concerns, by primary key; a plain integer so that the audit app
    # depends on no domain app and so that a case can never be deleted out from under it.
    case_id = models.BigIntegerField(null=True, blank=True)
    # Names of changed fields only — never values of encrypted fields.
    fields = models.JSONField(default=list, blank=True)
    # Non-identifying context: reason of an override, old/new role, outcome of a check.
    detail = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # How ``hash`` links the entry (audit.chain.ChainVersion): 1 plain SHA-256 (entries
    # written before the keyed chain), 2 HMAC-SHA256 under REINTEGRA_AUDIT_KEY.
    chain_version = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        # Newest first by row id: the id is given at insert, the sequence only when sealed.
        ordering = ["-id"]
        indexes = [
            # Serves the audit trail of one case, newest first.
            models.Index(fields=["case_id", "-id"], name="audit_case_id"),
            models.Index(fields=["actor", "-id"], name="audit_actor_id"),
            models.Index(fields=["organisation", "-id"], name="audit_org_id"),
            # The sealer's queue: tiny, because entries are sealed right after they commit.
            models.Index(
                fields=["id"], condition=models.Q(sequence__isnull=True), name="audit_unsealed"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=AuditAction.values), name="audit_action_valid"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        sequence__isnull=True,
                        hash__isnull=True,
                        chain_version__isnull=True,
                        prev_hash="",
                    )
                    | models.Q(sequence__isnull=False, hash__isnull=False, chain_version__in=[1, 2])
                ),
                name="audit_sealed_complete",
            ),
        ]

    def __str__(self) -> str:
        place = f"#{self.sequence}" if self.sequence is not None else f"(unsealed {self.pk})"
        return f"{place} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AuditAppendOnlyError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditAppendOnlyError("Audit entries cannot be deleted.")


class AuditChainHead(models.Model):
    """One row holding the last sealed sequence and link.

    Only the sealer locks this row, for the few milliseconds it takes to seal a batch; writing
    an entry never touches it. ``legacy_sequence`` and ``legacy_hash`` say where the plain
    SHA-256 chain ends (0 and the genesis hash when it never existed) and ``legacy_mac`` seals
    them under the audit key, so that keyed links cannot be passed off as plain ones.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)
    legacy_sequence = models.PositiveBigIntegerField(default=0)
    legacy_hash = models.CharField(max_length=64, blank=True)
    legacy_mac = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_head_single")]

    def __str__(self) -> str:
        return f"audit head #{self.sequence}"
