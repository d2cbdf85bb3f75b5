"""The append-only, hash-chained audit log (DESIGN "Security design")."""

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
    # A gap-free sequence; the chain is verified in this order.
    sequence = models.PositiveBigIntegerField(unique=True)
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
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]
        indexes = [
            # Serves the audit trail of one case, newest first.
            models.Index(fields=["case_id", "-sequence"], name="audit_case_seq"),
            models.Index(fields=["actor", "-sequence"], name="audit_actor_seq"),
            models.Index(fields=["organisation", "-sequence"], name="audit_org_seq"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=AuditAction.values), name="audit_action_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AuditAppendOnlyError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditAppendOnlyError("Audit entries cannot be deleted.")


class AuditChainHead(models.Model):
    """One row holding the last sequence and hash.

    Appending locks this row (SELECT … FOR UPDATE), so concurrent transactions append one
    after another and the chain never forks.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_head_single")]

    def __str__(self) -> str:
        return f"audit head #{self.sequence}"
