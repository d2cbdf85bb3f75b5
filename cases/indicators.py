"""Configuring the trafficking-indicator screening list (SPEC C2: "003 §5.1 list;
configurable"). The list is instance-wide, like the policy packs, so the system administrators
who manage the packs manage it. Indicators are retired, never deleted: past screenings keep
their answers."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.access import Acting, require_acting
from accounts.roles import Capability
from audit.models import AuditAction
from audit.services import record
from cases.codes import DEFAULT_INDICATORS
from cases.models import TraffickingIndicator


def load_default_indicators(model: Any = TraffickingIndicator) -> None:
    """Put the shipped 003 §5.1 list in place; existing rows are left as configured. The data
    migration calls it with the historical model."""
    for position, (code, label) in enumerate(DEFAULT_INDICATORS, start=1):
        model.objects.get_or_create(code=code, defaults={"label": label, "position": position})


def all_indicators() -> list[TraffickingIndicator]:
    return list(TraffickingIndicator.objects.order_by("position", "id"))


def indicator_of(indicator_id: int) -> TraffickingIndicator | None:
    return TraffickingIndicator.objects.filter(pk=indicator_id).first()


@transaction.atomic
def indicator_create(*, acting: Acting, label: str) -> TraffickingIndicator:
    require_acting(acting, Capability.POLICY_PACKS_MANAGE)
    label = label.strip()
    if not label:
        raise ValidationError({"label": [_("Write the indicator.")]})
    code = slugify(label)[:40] or "indicator"
    if TraffickingIndicator.objects.filter(code=code).exists():
        raise ValidationError({"label": [_("This indicator is already on the list.")]})
    last = TraffickingIndicator.objects.aggregate(last=Max("position"))["last"] or 0
    indicator = TraffickingIndicator.objects.create(code=code, label=label[:200], position=last + 1)
    record(
        action=AuditAction.CREATE,
        actor=acting.user,
        organisation=acting.organisation,
        target=indicator,
        fields=["code", "label"],
    )
    return indicator


@transaction.atomic
def indicator_set_active(
    *, acting: Acting, indicator: TraffickingIndicator, active: bool
) -> TraffickingIndicator:
    require_acting(acting, Capability.POLICY_PACKS_MANAGE)
    if indicator.is_active != active:
        indicator.is_active = active
        indicator.save(update_fields=["is_active"])
        record(
            action=AuditAction.UPDATE,
            actor=acting.user,
            organisation=acting.organisation,
            target=indicator,
            fields=["is_active"],
            detail={"active": active},
        )
    return indicator
