"""The deadline engine: pure functions from a case's events and its pack to due dates.

Nothing here touches the database or the clock. ``compute_deadlines`` returns every
deadline the case has had — met ones with the day they were met — so that the stored work
items double as the record of timeliness (SPEC C12). Due dates depend only on the events and
the rules, never on the day they are computed, which is what lets them be stored on rows and
queried by index instead of recomputed per request (DESIGN "Performance design").
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from policies.schema import Phase, PolicyRules


class EventKind(StrEnum):
    RECEPTION = "reception"
    CASE_MANAGER_ASSIGNED = "case_manager_assigned"
    ASSESSMENT_ASSIGNED = "assessment_assigned"
    ASSESSMENT_COMPLETED = "assessment_completed"
    PLAN_SUBMITTED = "plan_submitted"
    PLAN_APPROVED = "plan_approved"
    # A decision of the approver at any stage (agreed, approved or returned); the plan comes
    # into force later, with PLAN_APPROVED, once it is signed (001 §7.8).
    PLAN_DECIDED = "plan_decided"
    REVIEW_DONE = "review_done"
    PHASE_START = "phase_start"
    MONITORING_CONTACT = "monitoring_contact"
    REFERRAL_SENT = "referral_sent"
    REFERRAL_ANSWERED = "referral_answered"
    EXPENDITURE_REPORTED = "expenditure_reported"
    CLOSURE = "closure"
    REOPENED = "reopened"
    FOLLOW_UP_CONTACT = "follow_up_contact"


class WorkKind(StrEnum):
    ASSESSMENT = "assessment"
    PLAN_DRAFT = "plan_draft"
    PLAN_APPROVAL = "plan_approval"
    PLAN_REVIEW = "plan_review"
    PLAN_TERM_END = "plan_term_end"
    MONITORING_CONTACT = "monitoring_contact"
    REFERRAL_RESPONSE = "referral_response"
    EXPENDITURE_REPORT = "expenditure_report"
    FOLLOW_UP_CONTACT = "follow_up_contact"


@dataclass(frozen=True)
class Event:
    kind: EventKind
    occurred_on: date
    # Ties related events together: the assessment domain, the referral id, the phase key.
    ref: str = ""
    # Who must act on what the event starts, when it is not the case manager, and the
    # organisation they act in when it is not the case's (the fund approving a plan).
    responsible_id: int | None = None
    responsible_organisation_id: int | None = None


@dataclass(frozen=True)
class Deadline:
    kind: WorkKind
    # Unique per case and kind; recurring deadlines are keyed by the date they run from.
    key: str
    due_on: date
    done_on: date | None
    # The pack rule that set the due date, e.g. "plan.review_interval_months".
    rule: str
    # None: the case manager, in the case's organisation.
    responsible_id: int | None = None
    responsible_organisation_id: int | None = None


def add_months(day: date, months: int) -> date:
    """Calendar months later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _dates(events: Iterable[Event], *kinds: EventKind) -> list[date]:
    return sorted({event.occurred_on for event in events if event.kind in kinds})


def _first_on_or_after(days: Sequence[date], start: date) -> date | None:
    return next((day for day in days if day >= start), None)


def _first_after(days: Sequence[date], start: date) -> date | None:
    return next((day for day in days if day > start), None)


@dataclass(frozen=True)
class _PhaseSpan:
    phase: Phase
    starts_on: date
    ends_on: date
    # The phase's position in the pack (its rule path), not the span's in the timeline.
    index: int = 0


def phase_spans(
    rules: PolicyRules, *, reception: date, events: Sequence[Event]
) -> list[_PhaseSpan]:
    """When each programme phase runs (002 L646-725): from its boundary in months after
    reception until a ``phase_start`` event records that the person moved on.

    Recorded transitions are explicit and may skip a phase or return to an earlier one
    (004 SW-80 to SW-84: a setback). After the last recorded transition the pack's schedule
    resumes only forwards: a later phase still starts at its month boundary when that comes
    after the transition; after a return to an earlier phase, that phase lasts until the
    next recorded transition or the end of the programme."""
    phases = rules.monitoring.phases
    if not phases:
        return []
    position = {phase.key: index for index, phase in enumerate(phases)}
    defaults = [add_months(reception, phase.from_month) for phase in phases]
    programme_ends = add_months(reception, phases[-1].to_month)
    recorded = sorted(
        (event.occurred_on, position[event.ref])
        for event in events
        if event.kind == EventKind.PHASE_START and event.ref in position
    )
    # (start, phase index) segments; each runs until the next one starts.
    segments: list[tuple[date, int]] = []
    first_recorded = recorded[0] if recorded else None
    for index, start in enumerate(defaults):
        if first_recorded is not None and (
            index >= first_recorded[1] or start >= first_recorded[0]
        ):
            break
        segments.append((start, index))
    segments += recorded
    if recorded:
        last_start, last_index = recorded[-1]
        for index in range(last_index + 1, len(phases)):
            if defaults[index] <= last_start:
                break
            segments.append((defaults[index], index))
    spans = []
    for position_in_timeline, (start, index) in enumerate(segments):
        if position_in_timeline + 1 < len(segments):
            ends_on = segments[position_in_timeline + 1][0]
        else:
            ends_on = max(programme_ends, start)
        spans.append(_PhaseSpan(phases[index], start, ends_on, index))
    return spans


def phase_on(rules: PolicyRules, *, reception: date, events: Sequence[Event], day: date) -> str:
    """The key of the programme phase ``day`` falls in; empty before, after or without phases."""
    for span in phase_spans(rules, reception=reception, events=events):
        if span.starts_on <= day < span.ends_on:
            return span.phase.key
    return ""


def next_monitoring_contact(
    rules: PolicyRules, *, reception: date, events: Sequence[Event], after: date
) -> tuple[date, str] | None:
    """The next monitoring contact due after a contact (or reception) on ``after``, and the
    rule that sets it. With phases, each phase's frequency runs from the later of ``after``
    and the phase start, so weekly contacts begin one week into phase II even if the last
    contact was in phase I."""
    if not rules.monitoring.phases:
        interval = rules.monitoring.contact_interval_days
        if interval is None:
            return None
        return after + timedelta(days=interval), "monitoring.contact_interval_days"
    candidates: list[tuple[date, str]] = []
    for span in phase_spans(rules, reception=reception, events=events):
        interval = span.phase.contact_interval_days
        if interval is None:
            continue
        runs_from = max(after, span.starts_on)
        if runs_from < span.ends_on:
            candidates.append(
                (
                    runs_from + timedelta(days=interval),
                    f"monitoring.phases.{span.index}.contact_interval_days",
                )
            )
    return min(candidates) if candidates else None


def compute_deadlines(
    *, events: Sequence[Event], rules: PolicyRules, is_minor: bool
) -> list[Deadline]:
    """Every deadline the events and rules give, met or not.

    While the case is closed, unmet deadlines of case work (assessment, plan, monitoring,
    referrals, reports) are not owed and are left out; follow-up contacts run instead.
    """
    # A total order, so that the result never depends on the order events were stored in.
    events = sorted(
        events,
        key=lambda e: (
            e.occurred_on,
            e.kind,
            e.ref,
            e.responsible_id or 0,
            e.responsible_organisation_id or 0,
        ),
    )
    receptions = _dates(events, EventKind.RECEPTION)
    closures = _dates(events, EventKind.CLOSURE)
    reopenings = _dates(events, EventKind.REOPENED)
    last_closure = closures[-1] if closures else None
    closed_on = (
        last_closure if last_closure and not [d for d in reopenings if d >= last_closure] else None
    )

    deadlines: list[Deadline] = []
    if receptions:
        reception = receptions[0]
        deadlines += _assessment(events, rules, reception)
        deadlines += _plan(events, rules, reception, is_minor=is_minor, closed_on=closed_on)
        deadlines += _monitoring(events, rules, reception)
    deadlines += _referrals(events, rules)
    if closed_on is not None:
        # The plan term counts as met at closure (``_plan`` gives it the closure day).
        deadlines = [d for d in deadlines if d.done_on is not None]
        deadlines += _follow_up(events, rules, closed_on, is_minor=is_minor)
    return deadlines


def _assessment(events: Sequence[Event], rules: PolicyRules, reception: date) -> list[Deadline]:
    # 002 L1036: the comprehensive assessment is due a fixed time after reception, for
    # each domain assigned to a specialist (or once, when no domain was assigned).
    days = rules.assessment.comprehensive_due_days
    if days is None:
        return []
    due_on = reception + timedelta(days=days)
    assigned = [e for e in events if e.kind == EventKind.ASSESSMENT_ASSIGNED]
    completed = [e for e in events if e.kind == EventKind.ASSESSMENT_COMPLETED]
    if not assigned:
        done_on = completed[0].occurred_on if completed else None
        return [
            Deadline(
                WorkKind.ASSESSMENT,
                "comprehensive",
                due_on,
                done_on,
                "assessment.comprehensive_due_days",
            )
        ]
    deadlines = []
    for ref in dict.fromkeys(e.ref for e in assigned):
        responsible = [e.responsible_id for e in assigned if e.ref == ref][-1]
        done = [e.occurred_on for e in completed if e.ref == ref]
        deadlines.append(
            Deadline(
                WorkKind.ASSESSMENT,
                f"domain:{ref}" if ref else "comprehensive",
                due_on,
                done[0] if done else None,
                "assessment.comprehensive_due_days",
                responsible,
            )
        )
    return deadlines


def _plan_due_anchor(events: Sequence[Event], due_from: str, reception: date) -> date | None:
    """The day the plan's drafting period counts from: reception, or the day the
    comprehensive assessment was completed (every assigned domain done), None until then."""
    if due_from == "reception":
        return reception
    assigned = list(dict.fromkeys(e.ref for e in events if e.kind == EventKind.ASSESSMENT_ASSIGNED))
    completed = [e for e in events if e.kind == EventKind.ASSESSMENT_COMPLETED]
    if not completed:
        return None
    if not assigned:
        return completed[0].occurred_on
    last: date | None = None
    for ref in assigned:
        done = [e.occurred_on for e in completed if e.ref == ref]
        if not done:
            return None
        last = max(last, done[0]) if last else done[0]
    return last


def _plan(
    events: Sequence[Event],
    rules: PolicyRules,
    reception: date,
    *,
    is_minor: bool,
    closed_on: date | None,
) -> list[Deadline]:
    plan = rules.plan
    submitted = _dates(events, EventKind.PLAN_SUBMITTED)
    approved = _dates(events, EventKind.PLAN_APPROVED)
    decisions = sorted({*_dates(events, EventKind.PLAN_DECIDED), *approved})
    deadlines: list[Deadline] = []

    anchor = _plan_due_anchor(events, plan.due_from, reception)
    if plan.due_days is not None and anchor is not None:
        # 000 L76: the plan is drafted within N days "upon case review, after detailed
        # evaluation" (md-nrs counts from the completed assessment; other packs from reception).
        presented = submitted + approved
        first_presented = min(presented) if presented else None
        deadlines.append(
            Deadline(
                WorkKind.PLAN_DRAFT,
                "initial",
                anchor + timedelta(days=plan.due_days),
                first_presented,
                "plan.due_days",
            )
        )

    if plan.final_approval_by != "none" and plan.approval_due_days is not None:
        # 001 §3.4(b) L40: the plan goes to the approver at each stage; a resubmission
        # replaces a request not yet decided.
        for index, day in enumerate(submitted):
            decided = _first_on_or_after(decisions, day)
            resubmitted = submitted[index + 1] if index + 1 < len(submitted) else None
            if resubmitted is not None and (decided is None or decided >= resubmitted):
                continue
            submission = next(
                e for e in events if e.kind == EventKind.PLAN_SUBMITTED and e.occurred_on == day
            )
            deadlines.append(
                Deadline(
                    WorkKind.PLAN_APPROVAL,
                    f"approval:{day.isoformat()}",
                    day + timedelta(days=plan.approval_due_days),
                    decided,
                    "plan.approval_due_days",
                    submission.responsible_id,
                    submission.responsible_organisation_id,
                )
            )

    # The plan is in force once approved and signed by everyone required (001 §7.8;
    # 002 L1187-L1189): PLAN_APPROVED marks that day, whoever approves.
    in_force = approved
    if not in_force:
        return deadlines
    started = in_force[0]
    # Minor or adult at the signing of the version in force (the event's ref), not at
    # reception: a person who signs a new version at 18 is under the adults' term.
    signed_as = [e.ref for e in events if e.kind == EventKind.PLAN_APPROVED and e.ref]
    if signed_as:
        is_minor = signed_as[-1] == "minor"

    if plan.review_interval_months is not None:
        # 000 L75: revised every N months; a review or a newly approved version restarts
        # the clock.
        anchors = sorted(
            {*in_force, *(d for d in _dates(events, EventKind.REVIEW_DONE) if d >= started)}
        )
        for index, anchor in enumerate(anchors):
            deadlines.append(
                Deadline(
                    WorkKind.PLAN_REVIEW,
                    f"review:{anchor.isoformat()}",
                    add_months(anchor, plan.review_interval_months),
                    anchors[index + 1] if index + 1 < len(anchors) else None,
                    "plan.review_interval_months",
                )
            )

    term = plan.max_term_months.for_person(is_minor=is_minor)
    if term is not None:
        # 001 §7.10 L75: the plan may not run longer than its maximum term.
        deadlines.append(
            Deadline(
                WorkKind.PLAN_TERM_END,
                "term",
                add_months(started, term),
                closed_on,
                f"plan.max_term_months.{'minor' if is_minor else 'adult'}",
            )
        )

    months = rules.reporting.expenditure_report_months
    if months is not None:
        # 001 §7.9 L74: expenditure reported to the fund every N months while the plan runs.
        anchors = [
            started,
            *(d for d in _dates(events, EventKind.EXPENDITURE_REPORTED) if d > started),
        ]
        for index, anchor in enumerate(anchors):
            deadlines.append(
                Deadline(
                    WorkKind.EXPENDITURE_REPORT,
                    f"report:{anchor.isoformat()}",
                    add_months(anchor, months),
                    anchors[index + 1] if index + 1 < len(anchors) else None,
                    "reporting.expenditure_report_months",
                )
            )
    return deadlines


def _monitoring(events: Sequence[Event], rules: PolicyRules, reception: date) -> list[Deadline]:
    contacts = _dates(events, EventKind.MONITORING_CONTACT)
    anchors = sorted({reception, *_dates(events, EventKind.REOPENED), *contacts})
    deadlines = []
    for anchor in anchors:
        upcoming = next_monitoring_contact(rules, reception=reception, events=events, after=anchor)
        if upcoming is None:
            continue
        due_on, rule = upcoming
        deadlines.append(
            Deadline(
                WorkKind.MONITORING_CONTACT,
                f"contact:{anchor.isoformat()}",
                due_on,
                _first_after(contacts, anchor),
                rule,
            )
        )
    return deadlines


def _referrals(events: Sequence[Event], rules: PolicyRules) -> list[Deadline]:
    days = rules.referrals.response_due_days
    if days is None:
        return []
    answered: dict[str, date] = {}
    sent: dict[str, Event] = {}
    for event in events:
        if event.kind == EventKind.REFERRAL_ANSWERED:
            answered.setdefault(event.ref, event.occurred_on)
        elif event.kind == EventKind.REFERRAL_SENT:
            # The answer is due from the first sending; sending again does not restart it.
            sent.setdefault(event.ref, event)
    return [
        Deadline(
            WorkKind.REFERRAL_RESPONSE,
            f"referral:{ref}",
            event.occurred_on + timedelta(days=days),
            answered.get(ref),
            "referrals.response_due_days",
            event.responsible_id,
        )
        for ref, event in sent.items()
    ]


def _follow_up(
    events: Sequence[Event], rules: PolicyRules, closed_on: date, *, is_minor: bool
) -> list[Deadline]:
    # 000 L390 / 002 L720-721: contact continues for a period after closure.
    months = rules.monitoring.after_closure_months.for_person(is_minor=is_minor)
    interval = rules.monitoring.follow_up_interval_days
    if months is None or interval is None:
        return []
    ends_on = add_months(closed_on, months)
    contacts = [d for d in _dates(events, EventKind.FOLLOW_UP_CONTACT) if d > closed_on]
    deadlines = []
    for anchor in [closed_on, *contacts]:
        due_on = anchor + timedelta(days=interval)
        if due_on > ends_on:
            break
        deadlines.append(
            Deadline(
                WorkKind.FOLLOW_UP_CONTACT,
                f"follow_up:{anchor.isoformat()}",
                due_on,
                _first_after(contacts, anchor),
                "monitoring.follow_up_interval_days",
            )
        )
    return deadlines
