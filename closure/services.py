"""Writes of closure, follow-up and reopening (SPEC C9): keyword-only, typed, atomic, audited
in the same transaction. The case arrives through ``accounts.access.get_case_for``; each
function checks the action again.

A closure is proposed with its review by the case manager and approved by a supervisor; the
approval closes the case and records the ``closure`` milestone, from which the deadline
engine plans the follow-up contacts (``monitoring.after_closure_months``). After closure the
access chokepoint refuses every write but follow-up, reopening and erasure.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import Acting, CaseAction
from accounts.access import require_case_action as _check
from accounts.roles import Capability
from audit.models import AuditAction
from audit.services import record_on_case as _audit
from cases.models import Case, CaseStatus
from closure.codes import (
    ClosureReason,
    ClosureStatus,
    ContactChannel,
    ContactFrequency,
    FollowUpEnd,
    ObjectiveResult,
    ReopenReason,
)
from closure.models import CaseClosure, CaseReopening, ClosureObjectiveReview
from lib.errors import StaleEdit
from monitoring.codes import Occasion
from monitoring.models import Setback
from monitoring.services import ScoreInput, outcome_scores_record, phase_transition_record
from plans.codes import ActivityStatus
from plans.models import Activity, Objective
from referrals.models import OPEN_STATUSES, Referral
from work.models import MilestoneKind
from work.services import milestone_record

TEXT_LIMIT = 8000
# An activity is settled for closure when it is done, not delivered or cancelled; any other
# must be handed over explicitly (SPEC C9: never left dangling).
SETTLED_ACTIVITY = (ActivityStatus.DONE, ActivityStatus.NOT_DELIVERED, ActivityStatus.CANCELLED)


def _text(errors: dict[str, list[str]], name: str, value: str | None) -> str:
    text = (value or "").strip()
    if len(text) > TEXT_LIMIT:
        errors[name] = [_("Keep this under %(n)d characters.") % {"n": TEXT_LIMIT}]
    return text


def _day(errors: dict[str, list[str]], name: str, day: datetime.date | None, case: Case) -> None:
    if day is None:
        errors[name] = [_("Give the date.")]
    elif day > timezone.localdate():
        errors[name] = [_("The date cannot be in the future.")]
    elif day < case.received_at:
        errors[name] = [_("The date cannot be before the case was received.")]


def _lock(case: Case) -> None:
    Case.objects.select_for_update().filter(pk=case.pk).first()


def open_activities(case: Case) -> list[Activity]:
    """Activities of the case's plan that are neither done, not delivered nor cancelled."""
    return list(
        Activity.objects.filter(objective__plan__case=case)
        .exclude(status__in=SETTLED_ACTIVITY)
        .order_by("id")
    )


def open_referrals(case: Case) -> list[Referral]:
    return list(Referral.objects.filter(case=case, status__in=OPEN_STATUSES).order_by("id"))


@transaction.atomic
def closure_propose(
    *,
    acting: Acting,
    case: Case,
    reason: str,
    planned: bool,
    closed_on: datetime.date,
    contact_channel: str,
    contact_frequency: str = "",
    consent_to_contact: bool = False,
    objectives: Mapping[int, str] | None = None,
    person_words: str = "",
    worker_assessment: str = "",
    remaining_needs: str = "",
    follow_up_actions: str = "",
    handed_over_activity_ids: Sequence[int] = (),
    handed_over_referral_ids: Sequence[int] = (),
    handover: str = "",
    scores: Mapping[str, ScoreInput] | None = None,
) -> CaseClosure:
    """Propose to close the case with its closure review (002 L1530-L1542, 000 TdH Final
    Note). Refused while plan activities or referrals are open and not handed over."""
    _check(acting, case, CaseAction.MANAGE)
    _lock(case)
    errors: dict[str, list[str]] = {}
    if reason not in ClosureReason.values:
        errors["reason"] = [_("Choose one of the listed values.")]
    if contact_channel not in ContactChannel.values:
        errors["contact_channel"] = [_("Choose one of the listed values.")]
    if contact_frequency and contact_frequency not in ContactFrequency.values:
        errors["contact_frequency"] = [_("Choose one of the listed values.")]
    if consent_to_contact and contact_channel == ContactChannel.NONE:
        errors["contact_channel"] = [_("Name how the person agreed to be contacted.")]
    _day(errors, "closed_on", closed_on, case)
    texts = {
        name: _text(errors, name, value)
        for name, value in (
            ("person_words", person_words),
            ("worker_assessment", worker_assessment),
            ("remaining_needs", remaining_needs),
            ("follow_up_actions", follow_up_actions),
            ("handover", handover),
        )
    }
    plan_objectives = {o.pk: o for o in Objective.objects.filter(plan__case=case)}
    results = dict(objectives or {})
    for objective_id, result in results.items():
        if objective_id not in plan_objectives:
            errors["objectives"] = [_("An objective does not belong to this case's plan.")]
        elif result not in ObjectiveResult.values:
            errors["objectives"] = [_("Choose one of the listed values.")]
    missing = [pk for pk in plan_objectives if pk not in results]
    if missing and "objectives" not in errors:
        errors["objectives"] = [_("Say for each objective of the plan whether it was achieved.")]
    handed_activities = set(handed_over_activity_ids)
    dangling = [a for a in open_activities(case) if a.pk not in handed_activities]
    if dangling:
        errors["activities"] = [
            _(
                "%(n)d plan activities are still open: mark each done or not delivered, "
                "or hand it over."
            )
            % {"n": len(dangling)}
        ]
    handed_referrals = set(handed_over_referral_ids)
    dangling_referrals = [r for r in open_referrals(case) if r.pk not in handed_referrals]
    if dangling_referrals:
        errors["referrals"] = [
            _("%(n)d referrals are still open: close them or hand them over.")
            % {"n": len(dangling_referrals)}
        ]
    if (handed_activities or handed_referrals) and not texts["handover"]:
        errors["handover"] = [_("Say to whom the open work is handed over.")]
    if CaseClosure.objects.filter(case=case, status=ClosureStatus.PROPOSED).exists():
        errors["reason"] = [_("A closure of this case is already waiting for approval.")]
    if errors:
        raise ValidationError(errors)

    measurement = None
    if scores:
        # The closing outcome scores (SPEC C8 occasion "closure").
        measurement = outcome_scores_record(
            acting=acting, case=case, occasion=Occasion.CLOSURE, taken_on=closed_on, scores=scores
        )
    closure = CaseClosure(
        case=case,
        data_key=case.data_key,
        reason=reason,
        planned=planned,
        closed_on=closed_on,
        contact_channel=contact_channel,
        contact_frequency=contact_frequency,
        consent_to_contact=consent_to_contact,
        outcome_measurement=measurement,
        proposed_by=acting.user,
    )
    for name, value in texts.items():
        closure.set_plain(name, value or None)
    closure.save()
    ClosureObjectiveReview.objects.bulk_create(
        [
            ClosureObjectiveReview(closure=closure, objective=plan_objectives[pk], result=result)
            for pk, result in results.items()
        ]
    )
    _audit(
        acting,
        AuditAction.CREATE,
        closure,
        case,
        fields=[name for name, value in texts.items() if value],
        detail={
            "reason": reason,
            "planned": planned,
            "handed_over_activities": sorted(handed_activities),
            "handed_over_referrals": sorted(handed_referrals),
        },
    )
    return closure


@transaction.atomic
def closure_decide(
    *,
    acting: Acting,
    closure: CaseClosure,
    approve: bool,
    expected_version: int,
    note: str = "",
) -> CaseClosure:
    """A supervisor approves or refuses a proposed closure; approval closes the case."""
    case = closure.case
    _check(acting, case, CaseAction.VIEW)
    if not acting.can(Capability.PLAN_APPROVE):
        raise PermissionDenied("may not approve closures")
    _lock(case)
    current = CaseClosure.objects.select_for_update().get(pk=closure.pk)
    if current.version != expected_version:
        raise StaleEdit(current={"status": current.status, "version": current.version})
    errors: dict[str, list[str]] = {}
    note = _text(errors, "note", note)
    if current.status != ClosureStatus.PROPOSED:
        errors["approve"] = [_("This closure has already been decided.")]
    if approve and case.status == CaseStatus.CLOSED:
        errors["approve"] = [_("The case is already closed.")]
    # The work may have moved on since the proposal: the same refusal applies.
    if approve and open_activities(case) and not current.get_plain("handover"):
        errors["activities"] = [_("Plan activities are open and not handed over.")]
    if not approve and not note:
        errors["note"] = [_("Say why the closure is refused.")]
    if errors:
        raise ValidationError(errors)
    current.status = ClosureStatus.APPROVED if approve else ClosureStatus.REFUSED
    current.decided_by = acting.user
    current.decided_at = timezone.now()
    current.set_plain("decision_note", note or None)
    current.version += 1
    current.save()
    _audit(
        acting,
        AuditAction.UPDATE,
        current,
        case,
        fields=["status", *(["decision_note"] if note else [])],
        detail={"status": current.status},
    )
    if approve:
        Case.objects.filter(pk=case.pk).update(
            status=CaseStatus.CLOSED, version=case.version + 1, updated_at=timezone.now()
        )
        case.status = CaseStatus.CLOSED
        case.version += 1
        _audit(acting, AuditAction.UPDATE, case, case, fields=["status"], detail={"to": "closed"})
        # The deadline engine drops what was still due and plans the follow-up contacts.
        milestone_record(
            case=case, kind=MilestoneKind.CLOSURE, occurred_on=current.closed_on, actor=acting.user
        )
    return current


@transaction.atomic
def follow_up_end(
    *,
    acting: Acting,
    closure: CaseClosure,
    ended_on: datetime.date,
    why: str,
    note: str = "",
) -> CaseClosure:
    """Record the end of follow-up: the period is over, or the person withdrew consent to be
    contacted (001 §7.11) — then no further follow-up is planned and the closure says why."""
    case = closure.case
    _check(acting, case, CaseAction.FOLLOW_UP)
    _lock(case)
    current = CaseClosure.objects.select_for_update().get(pk=closure.pk)
    errors: dict[str, list[str]] = {}
    if why not in (FollowUpEnd.PERIOD_COMPLETED, FollowUpEnd.CONSENT_WITHDRAWN):
        errors["why"] = [_("Choose one of the listed values.")]
    _day(errors, "ended_on", ended_on, case)
    if ended_on is not None and ended_on < current.closed_on:
        errors["ended_on"] = [_("Follow-up ends after the closure.")]
    note = _text(errors, "note", note)
    if current.status != ClosureStatus.APPROVED or current.follow_up_ended_on is not None:
        errors["why"] = [_("Follow-up of this closure has already ended.")]
    if errors:
        raise ValidationError(errors)
    current.follow_up_ended_on = ended_on
    current.follow_up_end = why
    if why == FollowUpEnd.CONSENT_WITHDRAWN:
        current.consent_to_contact = False
    current.set_plain("follow_up_end_note", note or None)
    current.version += 1
    current.save()
    from work.models import WorkItem, WorkItemKind

    # No more follow-up contacts are due once follow-up has ended.
    WorkItem.objects.filter(
        case=case, kind=WorkItemKind.FOLLOW_UP_CONTACT, done_on__isnull=True
    ).delete()
    _audit(
        acting,
        AuditAction.UPDATE,
        current,
        case,
        fields=["follow_up_ended_on", "follow_up_end", *(["follow_up_end_note"] if note else [])],
        detail={"why": why},
    )
    return current


@transaction.atomic
def case_reopen(
    *,
    acting: Acting,
    case: Case,
    reason: str,
    reopened_on: datetime.date,
    note: str = "",
    setback: Setback | None = None,
    return_to_phase: str = "",
) -> CaseReopening:
    """Reopen a closed case, keeping its whole history (SPEC C9). A re-entry may go back to
    an earlier programme phase where the pack has phases; re-trafficking names its event."""
    _check(acting, case, CaseAction.REOPEN)
    _lock(case)
    errors: dict[str, list[str]] = {}
    if reason not in ReopenReason.values:
        errors["reason"] = [_("Choose one of the listed values.")]
    _day(errors, "reopened_on", reopened_on, case)
    note = _text(errors, "note", note)
    closure = (
        CaseClosure.objects.filter(case=case, status=ClosureStatus.APPROVED)
        .order_by("-closed_on", "-id")
        .first()
    )
    if closure is None:
        errors["reason"] = [_("The case has no approved closure.")]
    elif reopened_on is not None and reopened_on < closure.closed_on:
        errors["reopened_on"] = [_("A case reopens after its closure.")]
    if setback is not None and setback.case_id != case.pk:
        errors["setback"] = [_("The setback belongs to another case.")]
    if reason == ReopenReason.RE_TRAFFICKING and (setback is None or not setback.re_trafficking):
        errors["setback"] = [_("Name the setback that records the re-trafficking.")]
    if reason in (ReopenReason.SETBACK, ReopenReason.CRISIS) and setback is None and not note:
        errors["note"] = [_("Name the setback or describe what happened.")]
    if errors:
        raise ValidationError(errors)
    assert closure is not None
    reopening = CaseReopening(
        case=case,
        data_key=case.data_key,
        closure=closure,
        reason=reason,
        reopened_on=reopened_on,
        setback=setback,
        recorded_by=acting.user,
    )
    reopening.set_plain("note", note or None)
    reopening.save()
    if closure.follow_up_ended_on is None:
        CaseClosure.objects.filter(pk=closure.pk).update(
            follow_up_ended_on=reopened_on,
            follow_up_end=FollowUpEnd.REOPENED,
            version=closure.version + 1,
        )
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.OPEN, version=case.version + 1, updated_at=timezone.now()
    )
    case.status = CaseStatus.OPEN
    case.version += 1
    _audit(
        acting,
        AuditAction.CREATE,
        reopening,
        case,
        fields=["reason", *(["note"] if note else [])],
        detail={"reason": reason, "setback": setback.pk if setback else None},
    )
    milestone_record(
        case=case, kind=MilestoneKind.REOPENED, occurred_on=reopened_on, actor=acting.user
    )
    if return_to_phase:
        # 004 SW-82: re-entry goes back to an earlier phase where the pack has phases.
        phase_transition_record(
            acting=acting,
            case=case,
            phase=return_to_phase,
            started_on=reopened_on,
            reason=note or str(ReopenReason(reason).label),
        )
    return reopening


def closure_print_record(
    *, acting: Acting, case: Case, closure: CaseClosure, language: str
) -> None:
    """A printed closure review leaves the system: audited like any print of the case file."""
    _check(acting, case, CaseAction.VIEW)
    _audit(acting, AuditAction.PRINT, closure, case, detail={"language": language})
