"""The plan as plain data, for the encrypted snapshot of each approved version and for the
readable diff between any two versions (000 IOM part V; 001 §3.5)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from lib.formatting import format_money
from plans.models import Activity, BudgetLine, Objective, Plan

SNAPSHOT_FORMAT = 1


def _budget(line: BudgetLine) -> dict[str, Any]:
    return {
        "id": line.pk,
        "units": str(line.units),
        "amount": str(line.amount),
        "currency": line.currency,
        "funding": line.funding_label,
    }


def _responsible(activity: Activity) -> str:
    user = activity.responsible_user
    if user is not None:
        return user.get_full_name() or user.username
    if activity.responsible_organisation is not None:
        name = activity.get_plain_or_erased("responsible_name") or ""
        org = activity.responsible_organisation.name
        return f"{org} ({name})" if name else org
    return activity.get_plain_or_erased("responsible_name") or str(
        activity.get_responsible_kind_display()
    )


def _activity(activity: Activity) -> dict[str, Any]:
    return {
        "id": activity.pk,
        "description": activity.get_plain_or_erased("description") or "",
        "responsible_kind": activity.responsible_kind,
        "responsible": _responsible(activity),
        "starts_on": activity.starts_on.isoformat() if activity.starts_on else "",
        "due_on": activity.due_on.isoformat() if activity.due_on else "",
        "review_on": activity.review_on.isoformat() if activity.review_on else "",
        "status": activity.status,
        "not_delivered_reason": activity.not_delivered_reason,
        "budget": [_budget(line) for line in activity.budget_lines.all()],
    }


def _objective(objective: Objective) -> dict[str, Any]:
    return {
        "id": objective.pk,
        "domain": objective.domain,
        "priority": objective.priority,
        "dependant_id": objective.dependant_id,
        "title": objective.get_plain_or_erased("title") or "",
        "need": objective.get_plain_or_erased("need") or "",
        "anticipated_result": objective.get_plain_or_erased("anticipated_result") or "",
        "risk_factors": objective.get_plain_or_erased("risk_factors") or "",
        "indicator": objective.get_plain_or_erased("indicator") or "",
        "target": objective.get_plain_or_erased("target") or "",
        "activities": [_activity(activity) for activity in objective.activities.all()],
    }


def snapshot(plan: Plan, objectives: list[Objective]) -> dict[str, Any]:
    """``objectives`` loaded by ``plans.selectors.objectives_of`` (activities, budget lines
    and responsible parties preloaded)."""
    return {
        "format": SNAPSHOT_FORMAT,
        "plan": {
            "ultimate_goal": plan.ultimate_goal,
            "goal_details": plan.get_plain_or_erased("goal_details") or "",
            "notes": plan.get_plain_or_erased("notes") or "",
            "starts_on": plan.starts_on.isoformat() if plan.starts_on else "",
        },
        "objectives": [_objective(objective) for objective in objectives],
        "exclusions": {
            exclusion.domain: exclusion.get_plain_or_erased("reason") or ""
            for exclusion in plan.exclusions.all()
        },
    }


@dataclass(frozen=True)
class Change:
    """One difference between two versions, in words a reader follows."""

    kind: str  # "added", "removed", "changed"
    entity: str  # "plan", "objective", "activity", "budget"
    label: str  # which objective / activity / line
    field: str = ""
    old: str = ""
    new: str = ""


ENTITY_LABELS = {
    "plan": _("Plan"),
    "objective": _("Objective"),
    "activity": _("Activity"),
    "budget": _("Budget line"),
    "exclusion": _("Domain without objective"),
}

_OBJECTIVE_FIELDS = (
    "domain",
    "priority",
    "title",
    "need",
    "anticipated_result",
    "risk_factors",
    "indicator",
    "target",
)
_ACTIVITY_FIELDS = (
    "description",
    "responsible",
    "starts_on",
    "due_on",
    "review_on",
    "status",
    "not_delivered_reason",
)
_BUDGET_FIELDS = ("units", "amount", "currency", "funding")


def _fields(
    changes: list[Change], entity: str, label: str, old: dict[str, Any], new: dict[str, Any]
) -> None:
    names = {
        "objective": _OBJECTIVE_FIELDS,
        "activity": _ACTIVITY_FIELDS,
        "budget": _BUDGET_FIELDS,
        "plan": ("ultimate_goal", "goal_details", "notes", "starts_on"),
    }[entity]
    for name in names:
        if old.get(name, "") != new.get(name, ""):
            changes.append(
                Change("changed", entity, label, name, str(old.get(name, "")), str(new.get(name)))
            )


def _budget_label(activity_label: str, line: dict[str, Any]) -> str:
    return f"{activity_label} — {format_money(line['amount'], line['currency'])}"


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Exactly what changed between two snapshots: objectives, activities and budget lines
    matched by identity, so an edit reads as a change, not as a removal and an addition."""
    changes: list[Change] = []
    _fields(changes, "plan", str(ENTITY_LABELS["plan"]), old["plan"], new["plan"])
    old_objectives = {o["id"]: o for o in old["objectives"]}
    new_objectives = {o["id"]: o for o in new["objectives"]}
    for key, objective in old_objectives.items():
        if key not in new_objectives:
            changes.append(Change("removed", "objective", objective["title"]))
    for key, objective in new_objectives.items():
        before = old_objectives.get(key)
        if before is None:
            changes.append(Change("added", "objective", objective["title"]))
            for activity in objective["activities"]:
                changes.append(Change("added", "activity", activity["description"]))
                for line in activity["budget"]:
                    changes.append(
                        Change("added", "budget", _budget_label(activity["description"], line))
                    )
            continue
        _fields(changes, "objective", objective["title"], before, objective)
        _diff_activities(changes, before["activities"], objective["activities"])
    old_exclusions, new_exclusions = old.get("exclusions", {}), new.get("exclusions", {})
    for domain in sorted(set(old_exclusions) | set(new_exclusions)):
        if old_exclusions.get(domain) != new_exclusions.get(domain):
            kind = (
                "added"
                if domain not in old_exclusions
                else "removed"
                if domain not in new_exclusions
                else "changed"
            )
            changes.append(
                Change(
                    kind,
                    "exclusion",
                    domain,
                    "reason",
                    old_exclusions.get(domain, ""),
                    new_exclusions.get(domain, ""),
                )
            )
    return changes


def _diff_activities(
    changes: list[Change], old: list[dict[str, Any]], new: list[dict[str, Any]]
) -> None:
    old_by_id = {a["id"]: a for a in old}
    new_by_id = {a["id"]: a for a in new}
    for key, activity in old_by_id.items():
        if key not in new_by_id:
            changes.append(Change("removed", "activity", activity["description"]))
    for key, activity in new_by_id.items():
        before = old_by_id.get(key)
        if before is None:
            changes.append(Change("added", "activity", activity["description"]))
            for line in activity["budget"]:
                changes.append(
                    Change("added", "budget", _budget_label(activity["description"], line))
                )
            continue
        _fields(changes, "activity", activity["description"], before, activity)
        old_lines = {line["id"]: line for line in before["budget"]}
        new_lines = {line["id"]: line for line in activity["budget"]}
        for line_id, line in old_lines.items():
            if line_id not in new_lines:
                changes.append(
                    Change("removed", "budget", _budget_label(activity["description"], line))
                )
        for line_id, line in new_lines.items():
            previous = old_lines.get(line_id)
            if previous is None:
                changes.append(
                    Change("added", "budget", _budget_label(activity["description"], line))
                )
            else:
                _fields(changes, "budget", activity["description"], previous, line)
