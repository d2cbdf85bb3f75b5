"""Writes of monitoring (DESIGN rule 1): keyword-only, typed, atomic, audited in the same
transaction. The case arrives already fetched through ``accounts.access.get_case_for``; each
function checks the action again so that a caller forgetting the chokepoint is still refused.

Stable names for other capabilities (closure, follow-up, reopening; see README.md):
``phase_transition_record``, ``contact_record``, ``contact_update``,
``outcome_scores_record`` and ``setback_record``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import Acting, CaseAction
from accounts.access import require_case_action as _check
from accounts.models import User
from audit.models import AuditAction
from audit.services import record_on_case as _audit
from cases.models import Case, CaseStatus
from lib.errors import StaleEdit
from monitoring.codes import (
    REPORT_HEADINGS,
    ContactMode,
    ContactPurpose,
    ContactReport,
    Occasion,
    SetbackTrigger,
    Severity,
    phase_label,
)
from monitoring.framework import current_framework
from monitoring.models import (
    CasePhase,
    ContactNote,
    MonitoringContact,
    OutcomeMeasurement,
    OutcomeScore,
    PhaseTransition,
    Setback,
    SetbackTriggerRow,
)
from monitoring.selectors import phase_on_day, phase_position
from policies.selectors import policy_for_case
from work.models import MilestoneKind
from work.services import milestone_record

TEXT_LIMIT = 8000


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


def _choice(errors: dict[str, list[str]], name: str, value: str, allowed: Iterable[str]) -> None:
    if value not in list(allowed):
        errors[name] = [_("Choose one of the listed values.")]


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


# ---------------------------------------------------------------- phases


@transaction.atomic
def phase_transition_record(
    *,
    acting: Acting,
    case: Case,
    phase: str,
    started_on: datetime.date,
    reason: str = "",
    decided_by: User | None = None,
) -> PhaseTransition:
    """Record that the person moved to ``phase`` on ``started_on``. The next phase in the
    pack's order needs no reason; skipping a phase or returning to an earlier one does
    (004 SW-80 to SW-84). Re-plans the monitoring work items through the deadline engine."""
    _check(acting, case, CaseAction.MANAGE)
    rules = policy_for_case(case)
    keys = [p.key for p in rules.monitoring.phases]
    errors: dict[str, list[str]] = {}
    if not keys:
        raise ValidationError({"phase": [_("The policy of this case has no programme phases.")]})
    _choice(errors, "phase", phase, keys)
    _day(errors, "started_on", started_on, case)
    reason = _text(errors, "reason", reason)
    _raise(errors)

    # The case row lock serialises transitions of one case (milestone_record takes it too).
    Case.objects.select_for_update().filter(pk=case.pk).first()
    last = PhaseTransition.objects.filter(case=case).order_by("-started_on", "-id").first()
    if last is not None and started_on <= last.started_on:
        raise ValidationError(
            {
                "started_on": [
                    _("The last transition was on %(day)s; a new one must come after it.")
                    % {"day": last.started_on.isoformat()}
                ]
            }
        )
    current, recorded = phase_position(case, rules, day=started_on, last=last)
    target = keys.index(phase)
    if recorded and current == target:
        raise ValidationError({"phase": [_("The person is already in this phase.")]})
    # In order: the next phase after the recorded one; without a recorded phase, the phase
    # the pack's calendar gives for the day, or the one after it.
    in_order = target == current + 1 if recorded else target in (current, current + 1)
    if not in_order and not reason:
        raise ValidationError(
            {
                "reason": [
                    _(
                        "Moving from %(current)s to %(target)s skips or reverses the "
                        "programme's order: give the reason."
                    )
                    % {
                        "current": phase_label(keys[current]) if current >= 0 else _("no phase"),
                        "target": phase_label(phase),
                    }
                ]
            }
        )
    transition = PhaseTransition(
        case=case,
        data_key=case.data_key,
        phase=phase,
        previous_phase=keys[current] if current >= 0 else "",
        started_on=started_on,
        out_of_order=not in_order,
        decided_by=decided_by or acting.user,
        recorded_by=acting.user,
    )
    transition.set_plain("reason", reason or None)
    transition.save()
    state = CasePhase.objects.filter(case=case).first()
    if state is None:
        CasePhase.objects.create(
            case=case, phase=phase, started_on=started_on, transition=transition
        )
    else:
        CasePhase.objects.filter(pk=state.pk).update(
            phase=phase,
            started_on=started_on,
            transition=transition,
            version=state.version + 1,
            updated_at=timezone.now(),
        )
    _audit(
        acting,
        AuditAction.CREATE,
        transition,
        case,
        fields=["phase", "started_on", *(["reason"] if reason else [])],
        detail={
            "phase": phase,
            "previous": transition.previous_phase,
            "out_of_order": not in_order,
        },
    )
    milestone_record(
        case=case,
        kind=MilestoneKind.PHASE_START,
        occurred_on=started_on,
        actor=acting.user,
        ref=phase,
    )
    return transition


# ---------------------------------------------------------------- contacts


@dataclass(frozen=True)
class NoteInput:
    text: str = ""
    rating: int | None = None


def _notes(
    errors: dict[str, list[str]], report: str, notes: Mapping[str, NoteInput]
) -> dict[str, NoteInput]:
    headings = [str(h) for h in REPORT_HEADINGS.get(report, ())]
    cleaned: dict[str, NoteInput] = {}
    for heading, note in notes.items():
        field = f"notes.{heading}"
        if heading not in headings:
            errors[field] = [_("This heading is not part of the chosen report.")]
            continue
        text = _text(errors, field, note.text)
        if note.rating is not None and not 1 <= note.rating <= 5:
            errors[f"{field}.rating"] = [_("A rating is a whole number from 1 to 5.")]
            continue
        if text or note.rating is not None:
            cleaned[heading] = NoteInput(text=text, rating=note.rating)
    return cleaned


def _milestone_kind(purpose: str) -> MilestoneKind:
    return (
        MilestoneKind.FOLLOW_UP_CONTACT
        if purpose == ContactPurpose.FOLLOW_UP
        else MilestoneKind.MONITORING_CONTACT
    )


@transaction.atomic
def contact_record(
    *,
    acting: Acting,
    case: Case,
    occurred_on: datetime.date,
    mode: str,
    purpose: str = ContactPurpose.MONITORING,
    report: str = ContactReport.LONG_TERM,
    participants: str = "",
    notes: Mapping[str, NoteInput] | None = None,
) -> MonitoringContact:
    """Record a monitoring contact or visit (or, after closure, a follow-up contact). It meets
    the contact that was due and schedules the next from the phase's frequency."""
    # After closure a follow-up contact is one of the few writes a closed case accepts.
    _check(
        acting,
        case,
        CaseAction.FOLLOW_UP if case.status == CaseStatus.CLOSED else CaseAction.WORK,
    )
    errors: dict[str, list[str]] = {}
    _day(errors, "occurred_on", occurred_on, case)
    _choice(errors, "mode", mode, ContactMode.values)
    _choice(errors, "purpose", purpose, ContactPurpose.values)
    _choice(errors, "report", report, ContactReport.values)
    participants = _text(errors, "participants", participants)
    cleaned = _notes(errors, report, notes or {})
    if purpose == ContactPurpose.FOLLOW_UP and case.status != CaseStatus.CLOSED:
        errors["purpose"] = [_("Follow-up contacts are recorded after the case is closed.")]
    if purpose == ContactPurpose.MONITORING and case.status == CaseStatus.CLOSED:
        errors["purpose"] = [_("The case is closed: record a follow-up contact.")]
    _raise(errors)
    contact = MonitoringContact(
        case=case,
        data_key=case.data_key,
        purpose=purpose,
        occurred_on=occurred_on,
        mode=mode,
        report=report,
        phase=phase_on_day(case, occurred_on),
        recorded_by=acting.user,
    )
    contact.set_plain("participants", participants or None)
    contact.save()
    _save_notes(contact, cleaned)
    _audit(
        acting,
        AuditAction.CREATE,
        contact,
        case,
        fields=["occurred_on", "mode", "participants", *(f"notes.{h}" for h in cleaned)],
        detail={"purpose": purpose},
    )
    milestone_record(
        case=case, kind=_milestone_kind(purpose), occurred_on=occurred_on, actor=acting.user
    )
    return contact


def _save_notes(contact: MonitoringContact, notes: Mapping[str, NoteInput]) -> None:
    rows = []
    for heading, note in notes.items():
        row = ContactNote(
            contact=contact, data_key=contact.data_key, heading=heading, rating=note.rating
        )
        row.set_plain("text", note.text or None)
        rows.append(row)
    ContactNote.objects.bulk_create(rows)


@transaction.atomic
def contact_update(
    *,
    acting: Acting,
    contact: MonitoringContact,
    expected_version: int,
    mode: str | None = None,
    participants: str | None = None,
    notes: Mapping[str, NoteInput] | None = None,
) -> MonitoringContact:
    """Correct what a contact says (not its date or purpose, which carry the deadlines).
    ``notes`` replaces every heading's note."""
    case = contact.case
    _check(acting, case, CaseAction.WORK)
    locked = (
        MonitoringContact.objects.select_for_update().select_related("data_key").get(pk=contact.pk)
    )
    if locked.version != expected_version:
        raise StaleEdit(locked)
    errors: dict[str, list[str]] = {}
    changed = []
    if mode is not None:
        _choice(errors, "mode", mode, ContactMode.values)
        if mode != locked.mode:
            locked.mode = mode
            changed.append("mode")
    if participants is not None:
        text = _text(errors, "participants", participants)
        if text != (locked.get_plain("participants") or ""):
            locked.set_plain("participants", text or None)
            changed.append("participants")
    cleaned = _notes(errors, locked.report, notes) if notes is not None else None
    _raise(errors)
    if cleaned is not None:
        locked.notes.all().delete()
        _save_notes(locked, cleaned)
        changed.append("notes")
    locked.version += 1
    locked.save()
    _audit(acting, AuditAction.UPDATE, locked, case, fields=changed)
    return locked


# ---------------------------------------------------------------- outcomes


@dataclass(frozen=True)
class ScoreInput:
    worker: int | None = None
    person: int | None = None


@transaction.atomic
def outcome_scores_record(
    *,
    acting: Acting,
    case: Case,
    occasion: str,
    taken_on: datetime.date,
    scores: Mapping[str, ScoreInput],
    notes: str = "",
    contact: MonitoringContact | None = None,
) -> OutcomeMeasurement:
    """Score the outcome domains with the person: the worker's score and the person's own,
    side by side (SPEC C8). Occasions: baseline (once), review, phase transition, closure and
    follow-up."""
    _check(
        acting,
        case,
        CaseAction.FOLLOW_UP if case.status == CaseStatus.CLOSED else CaseAction.WORK,
    )
    if case.status == CaseStatus.CLOSED and occasion != Occasion.FOLLOW_UP:
        raise ValidationError({"occasion": [_("The case is closed: score a follow-up.")]})
    framework = current_framework()
    errors: dict[str, list[str]] = {}
    _choice(errors, "occasion", occasion, Occasion.values)
    _day(errors, "taken_on", taken_on, case)
    notes = _text(errors, "notes", notes)
    given: dict[str, ScoreInput] = {}
    for domain, score in scores.items():
        if framework.domain(domain) is None:
            errors[f"scores.{domain}"] = [_("Unknown outcome domain.")]
            continue
        for value in (score.worker, score.person):
            if value is not None and value not in (1, 2, 3, 4, 5):
                errors[f"scores.{domain}"] = [_("A score is a whole number from 1 to 5.")]
        if score.worker is not None or score.person is not None:
            given[domain] = score
    if not given and not errors:
        errors["scores"] = [_("Score at least one domain.")]
    if contact is not None and contact.case_id != case.pk:
        errors["contact"] = [_("The contact belongs to another case.")]
    if (
        occasion == Occasion.BASELINE
        and OutcomeMeasurement.objects.filter(case=case, occasion=Occasion.BASELINE).exists()
    ):
        errors["occasion"] = [_("This case already has a baseline; choose another occasion.")]
    elif (
        occasion != Occasion.BASELINE
        and not OutcomeMeasurement.objects.filter(case=case, occasion=Occasion.BASELINE).exists()
    ):
        errors["occasion"] = [_("Take the baseline first: change is measured from it.")]
    _raise(errors)
    measurement = OutcomeMeasurement(
        case=case,
        data_key=case.data_key,
        occasion=occasion,
        taken_on=taken_on,
        framework_code=framework.code,
        framework_version=framework.version,
        phase=phase_on_day(case, taken_on),
        contact=contact,
        recorded_by=acting.user,
    )
    measurement.set_plain("notes", notes or None)
    measurement.save()
    OutcomeScore.objects.bulk_create(
        [
            OutcomeScore(
                measurement=measurement,
                case=case,
                domain=domain,
                worker_score=score.worker,
                person_score=score.person,
            )
            for domain, score in given.items()
        ]
    )
    _audit(
        acting,
        AuditAction.CREATE,
        measurement,
        case,
        fields=["scores", *(["notes"] if notes else [])],
        detail={"occasion": occasion, "domains": len(given)},
    )
    return measurement


# ---------------------------------------------------------------- setbacks


@transaction.atomic
def setback_record(
    *,
    acting: Acting,
    case: Case,
    occurred_on: datetime.date,
    triggers: Iterable[str],
    severity: str,
    description: str = "",
    response: str = "",
    led_to_reassessment: bool = False,
    led_to_plan_modification: bool = False,
    return_to_phase: str = "",
    re_trafficking: bool = False,
    re_trafficked_on: datetime.date | None = None,
    circumstances: str = "",
) -> Setback:
    """Record a setback or crisis (004 §3.4, SW-80 to SW-84). ``return_to_phase`` records the
    return to an earlier phase as a transition with the setback as its reason."""
    _check(acting, case, CaseAction.WORK)
    errors: dict[str, list[str]] = {}
    _day(errors, "occurred_on", occurred_on, case)
    triggers = list(dict.fromkeys(triggers))
    if not triggers:
        errors["triggers"] = [_("Choose at least one trigger.")]
    elif any(t not in SetbackTrigger.values for t in triggers):
        errors["triggers"] = [_("Choose one of the listed values.")]
    _choice(errors, "severity", severity, Severity.values)
    description = _text(errors, "description", description)
    response = _text(errors, "response", response)
    circumstances = _text(errors, "circumstances", circumstances)
    if re_trafficking:
        if re_trafficked_on is None:
            errors["re_trafficked_on"] = [_("Give the date of the re-trafficking.")]
        elif re_trafficked_on > timezone.localdate():
            errors["re_trafficked_on"] = [_("The date cannot be in the future.")]
    else:
        re_trafficked_on = None
        if circumstances:
            errors["circumstances"] = [
                _(
                    "Circumstances are recorded for re-trafficking only; "
                    "tick it or leave this empty."
                )
            ]
    if return_to_phase and not description:
        errors["description"] = [_("Describe the setback: it is the reason for the return.")]
    _raise(errors)
    transition = None
    if return_to_phase:
        transition = phase_transition_record(
            acting=acting,
            case=case,
            phase=return_to_phase,
            started_on=occurred_on,
            reason=description,
        )
    setback = Setback(
        case=case,
        data_key=case.data_key,
        occurred_on=occurred_on,
        severity=severity,
        led_to_reassessment=led_to_reassessment,
        led_to_plan_modification=led_to_plan_modification,
        phase_transition=transition,
        re_trafficking=re_trafficking,
        re_trafficked_on=re_trafficked_on,
        recorded_by=acting.user,
    )
    setback.set_plain("description", description or None)
    setback.set_plain("response", response or None)
    setback.set_plain("circumstances", circumstances or None)
    setback.save()
    SetbackTriggerRow.objects.bulk_create(
        [SetbackTriggerRow(setback=setback, trigger=t) for t in triggers]
    )
    _audit(
        acting,
        AuditAction.CREATE,
        setback,
        case,
        fields=[
            "occurred_on",
            "triggers",
            "severity",
            *(
                name
                for name, value in (
                    ("description", description),
                    ("response", response),
                    ("circumstances", circumstances),
                )
                if value
            ),
        ],
        detail={"re_trafficking": re_trafficking, "severity": severity},
    )
    return setback


@transaction.atomic
def trajectory_print_record(*, acting: Acting, case: Case, language: str) -> None:
    """A printed trajectory leaves the system: audited like any print of the case file."""
    _check(acting, case, CaseAction.VIEW)
    _audit(
        acting,
        AuditAction.PRINT,
        ("monitoring.trajectory", case.pk),
        case,
        detail={"language": language},
    )
