"""Writes for the work queue: recording milestones and keeping a case's work items in step
with them (SPEC C10). Other capabilities call ``milestone_record`` from their own services
(reception, assignment, assessments, plans, referrals, closure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import record
from cases.models import Case
from policies.deadlines import Deadline, Event, EventKind, compute_deadlines
from policies.schema import PolicyRules
from policies.selectors import pack_version
from work.models import CaseMilestone, MilestoneKind, WorkItem

if TYPE_CHECKING:
    from accounts.models import Organisation, User


# Milestones that only mean something for one referral or one programme phase.
REF_REQUIRED = frozenset(
    {MilestoneKind.REFERRAL_SENT, MilestoneKind.REFERRAL_ANSWERED, MilestoneKind.PHASE_START}
)


def case_is_minor(case: Case) -> bool:
    """Whether the minors' rules apply: the person was a child when the case was received
    (derived from the date of birth and the pack's age of majority at registration). The
    children's periods (e.g. three years of monitoring, 000) follow a child assisted as a
    child even after they come of age."""
    return case.minor_at_reception


@transaction.atomic
def milestone_record(
    *,
    case: Case,
    kind: MilestoneKind | EventKind | str,
    occurred_on: date,
    actor: User | None,
    responsible: User | None = None,
    responsible_organisation: Organisation | None = None,
    ref: str = "",
) -> CaseMilestone:
    """Record that something happened on a case and recompute its work items, in one
    transaction with the audit entry. The caller has already checked that ``actor`` may do
    the thing the milestone records.

    ``responsible`` names who must act on what the milestone starts when that is not the
    case manager (the specialist assigned an assessment, the approver of a submitted plan);
    ``responsible_organisation`` the organisation they act in when it is not the case's
    (the state fund approving a final plan, 001 §3.4)."""
    if kind not in MilestoneKind.values:
        raise ValidationError({"kind": _("Unknown milestone kind.")})
    if kind in REF_REQUIRED and not ref:
        raise ValidationError({"ref": _("Name the referral or phase this milestone belongs to.")})
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("A milestone cannot be in the future.")})
    # The row lock serialises recomputations of one case, so two milestones recorded at
    # once cannot each overwrite the other's work items.
    locked = Case.objects.select_for_update().get(pk=case.pk)
    milestone = CaseMilestone.objects.create(
        case=locked,
        kind=str(kind),
        occurred_on=occurred_on,
        ref=ref,
        responsible=responsible,
        responsible_organisation=responsible_organisation,
        recorded_by=actor,
    )
    record(
        action=AuditAction.CREATE,
        actor=actor,
        organisation=locked.organisation_id,
        target=milestone,
        case_id=locked.pk,
        fields=["kind", "occurred_on"],
        detail={"kind": str(kind)},
    )
    work_items_recompute(case=locked)
    return milestone


@dataclass(frozen=True)
class RecomputeResult:
    created: int
    updated: int
    removed: int


def _item_values(case: Case, deadline: Deadline, prefix: str) -> dict[str, object]:
    """The stored columns of a work item for ``deadline`` (owner defaults: the case's
    organisation and case manager)."""
    return {
        "organisation_id": deadline.responsible_organisation_id or case.organisation_id,
        "responsible_id": deadline.responsible_id or case.case_manager_id,
        "due_on": deadline.due_on,
        "done_on": deadline.done_on,
        "source_rule": prefix + deadline.rule,
    }


def _events(case: Case) -> list[Event]:
    return [
        Event(
            kind=EventKind(milestone.kind),
            occurred_on=milestone.occurred_on,
            ref=milestone.ref,
            responsible_id=milestone.responsible_id,
            responsible_organisation_id=milestone.responsible_organisation_id,
        )
        for milestone in CaseMilestone.objects.filter(case=case).order_by("occurred_on", "id")
    ]


@transaction.atomic
def work_items_recompute(*, case: Case) -> RecomputeResult:
    """Bring the case's stored work items in line with its milestones, pack version and
    case manager. Met items stay as the record of timeliness; unmet items that no longer
    apply (the case closed, a resubmission replaced a request) are removed."""
    pack = pack_version(case.policy_pack, case.policy_pack_version)
    deadlines = compute_deadlines(
        events=_events(case), rules=pack.parsed, is_minor=case_is_minor(case)
    )
    wanted: dict[tuple[str, str], Deadline] = {(str(d.kind), d.key): d for d in deadlines}
    existing = {(item.kind, item.key): item for item in WorkItem.objects.filter(case=case)}
    prefix = f"{pack.code}@{pack.version}:"

    to_create, to_update = [], []
    for identity, deadline in wanted.items():
        values = _item_values(case, deadline, prefix)
        item = existing.get(identity)
        if item is None:
            to_create.append(
                WorkItem(
                    case=case,
                    kind=identity[0],
                    key=identity[1],
                    **values,
                )
            )
        elif any(getattr(item, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(item, field, value)
            to_update.append(item)
    stale = [
        item.pk
        for identity, item in existing.items()
        if identity not in wanted and item.done_on is None
    ]
    WorkItem.objects.bulk_create(to_create)
    if to_update:
        now = timezone.now()
        for item in to_update:
            item.updated_at = now
        WorkItem.objects.bulk_update(
            to_update,
            ["organisation_id", "responsible_id", "due_on", "done_on", "source_rule", "updated_at"],
        )
    if stale:
        WorkItem.objects.filter(pk__in=stale).delete()
    return RecomputeResult(created=len(to_create), updated=len(to_update), removed=len(stale))


def milestones_bulk_seed(cases: list[Case], *, milestones: dict[int, list[CaseMilestone]]) -> int:
    """Record the milestones of freshly bulk-created cases and their work items in a few
    statements (``generate_synthetic``): the same engine as ``work_items_recompute``, without
    a query per case. The cases must have no work items yet. Returns the items created."""
    CaseMilestone.objects.bulk_create(
        [milestone for case in cases for milestone in milestones.get(case.pk, [])],
        batch_size=5000,
    )
    items: list[WorkItem] = []
    packs: dict[tuple[str, int], tuple[str, PolicyRules]] = {}
    for case in cases:
        identity = (case.policy_pack, case.policy_pack_version)
        if identity not in packs:
            pack = pack_version(*identity)
            packs[identity] = (f"{pack.code}@{pack.version}:", pack.parsed)
        prefix, rules = packs[identity]
        events = [
            Event(
                kind=EventKind(m.kind),
                occurred_on=m.occurred_on,
                ref=m.ref,
                responsible_id=m.responsible_id,
                responsible_organisation_id=m.responsible_organisation_id,
            )
            for m in sorted(milestones.get(case.pk, []), key=lambda m: m.occurred_on)
        ]
        for deadline in compute_deadlines(events=events, rules=rules, is_minor=case_is_minor(case)):
            items.append(
                WorkItem(
                    case=case,
                    kind=str(deadline.kind),
                    key=deadline.key,
                    **_item_values(case, deadline, prefix),
                )
            )
    WorkItem.objects.bulk_create(items, batch_size=5000)
    return len(items)
