"""Plan codes as words: what the plan pages, the approver's page and the version comparison
show instead of stored codes ("in_progress", "independent_living", "submitted")."""

from __future__ import annotations

from typing import Any

from django import template
from django.db import models
from django.utils.translation import gettext_lazy as _

from lib.formatting import format_date, format_money
from plans.codes import (
    ActivityStatus,
    NotDeliveredReason,
    PlanStatus,
    Priority,
    ResponsibleKind,
    UltimateGoal,
)
from plans.snapshots import ENTITY_LABELS, Change

register = template.Library()


def _label(value: Any, choices: type[models.TextChoices]) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return "" if value is None else str(value)


@register.filter
def plan_status_label(value: str) -> str:
    return _label(value, PlanStatus)


@register.filter
def goal_label(value: str) -> str:
    return _label(value, UltimateGoal)


@register.filter
def priority_label(value: str) -> str:
    return _label(value, Priority)


@register.filter
def plan_domain_label(value: str) -> str:
    from assessments.models import domain_label

    return str(domain_label(value)) if value else ""


@register.filter
def need_level_label(value: str) -> str:
    from assessments.definitions import NeedLevel

    return _label(value, NeedLevel)


@register.filter
def activity_status_label(value: str) -> str:
    return _label(value, ActivityStatus)


# Field names of the plan's snapshot (plans/snapshots.py), as a reader names them.
FIELD_LABELS = {
    "ultimate_goal": _("Ultimate goal"),
    "goal_details": _("Goal details"),
    "notes": _("Notes"),
    "starts_on": _("Start"),
    "domain": _("Domain"),
    "priority": _("Priority"),
    "title": _("Objective"),
    "need": _("Need"),
    "anticipated_result": _("Anticipated result"),
    "risk_factors": _("Risk factors"),
    "indicator": _("Indicator"),
    "target": _("Target"),
    "description": _("Activity"),
    "responsible": _("Responsible"),
    "responsible_kind": _("Responsible"),
    "due_on": _("Deadline"),
    "review_on": _("Review"),
    "status": _("Status"),
    "not_delivered_reason": _("Why not delivered"),
    "units": _("Units"),
    "amount": _("Amount"),
    "currency": _("Currency"),
    "funding": _("Funding"),
}

_VALUE_CHOICES: dict[str, type[models.TextChoices]] = {
    "ultimate_goal": UltimateGoal,
    "priority": Priority,
    "status": ActivityStatus,
    "not_delivered_reason": NotDeliveredReason,
    "responsible_kind": ResponsibleKind,
}

_KIND_LABELS = {"added": _("Added"), "removed": _("Removed"), "changed": _("Changed")}


def _value(field: str, value: str) -> str:
    if not value:
        return ""
    if field in _VALUE_CHOICES:
        return _label(value, _VALUE_CHOICES[field])
    if field == "domain":
        return plan_domain_label(value) or value
    if field in {"starts_on", "due_on", "review_on"}:
        return format_date(value)
    return value


@register.simple_tag
def change_shown(change: Change) -> dict[str, str]:
    """One difference between two plan versions in words: ``{% change_shown change as c %}``."""
    label = change.label
    if change.entity == "exclusion":
        label = plan_domain_label(label) or label
    return {
        "kind": str(_KIND_LABELS.get(change.kind, change.kind)),
        "entity": str(ENTITY_LABELS.get(change.entity, change.entity)),
        "label": label,
        "field": str(FIELD_LABELS.get(change.field, change.field)) if change.field else "",
        "old": _value(change.field, change.old),
        "new": _value(change.field, change.new),
    }


@register.filter
def money(line: dict[str, Any]) -> str:
    """A budget line ``{"amount": …, "currency": …}`` as a localised amount."""
    return format_money(line.get("amount"), line.get("currency", ""))
