"""Monitoring volume for ``generate_synthetic``: phases, contacts and outcome scores for a
realistic share of freshly bulk-created cases, in a few bulk statements per batch. The
milestones go into the caller's map so that the work items derive from them in the same pass
(``work.services.milestones_bulk_seed``)."""

from __future__ import annotations

import datetime
import random

from cases.models import Case, CaseStatus
from monitoring.framework import current_framework
from monitoring.models import (
    CasePhase,
    MonitoringContact,
    OutcomeMeasurement,
    OutcomeScore,
    PhaseTransition,
)
from policies.deadlines import Event, EventKind, add_months, phase_on
from policies.schema import PolicyRules
from policies.selectors import pack_version
from work.models import CaseMilestone, MilestoneKind

# Share of open cases older than a month that have monitoring records, and of those that
# have outcome scores (not every organisation scores outcomes yet).
MONITORED_SHARE = 0.6
SCORED_SHARE = 0.4
MAX_CONTACTS = 26
MODES = ["home_visit", "workplace_visit", "phone", "office", "online"]


def _transitions(
    rng: random.Random, rules: PolicyRules, received: datetime.date, today: datetime.date
) -> list[tuple[str, datetime.date]]:
    moves = []
    for phase in rules.monitoring.phases:
        start = add_months(received, phase.from_month)
        if phase.from_month:
            start += datetime.timedelta(days=rng.randint(-30, 30))
        if start > today:
            break
        moves.append((phase.key, start))
    return moves


def _contact_days(
    rng: random.Random,
    rules: PolicyRules,
    received: datetime.date,
    moves: list[tuple[str, datetime.date]],
    today: datetime.date,
) -> list[datetime.date]:
    events = [Event(EventKind.PHASE_START, day, key) for key, day in moves]
    intervals = {p.key: p.contact_interval_days for p in rules.monitoring.phases}
    days: list[datetime.date] = []
    day = received
    while len(days) < MAX_CONTACTS:
        if rules.monitoring.phases:
            phase = phase_on(rules, reception=received, events=events, day=day)
            if not phase:
                break
            interval = intervals[phase]
            if interval is None:
                # No minimum in this phase: move on to the next phase's start.
                later = [d for _, d in moves if d > day]
                if not later:
                    break
                day = later[0]
                continue
        else:
            interval = rules.monitoring.contact_interval_days
            if interval is None:
                break
        day = day + datetime.timedelta(days=interval + rng.randint(-2, 3))
        if day > today:
            break
        days.append(day)
    return days


def _author(case: Case) -> int:
    author = case.case_manager_id or case.registered_by_id
    assert author is not None  # synthetic cases always have a registering worker
    return author


def add_monitoring(
    rng: random.Random,
    cases: list[Case],
    milestones: dict[int, list[CaseMilestone]],
    today: datetime.date,
) -> None:
    framework = current_framework()
    packs: dict[tuple[str, int], PolicyRules] = {}
    transitions: list[PhaseTransition] = []
    contacts: list[MonitoringContact] = []
    measurements: list[tuple[OutcomeMeasurement, list[int]]] = []
    for case in cases:
        if case.status != CaseStatus.OPEN or (today - case.received_at).days < 30:
            continue
        if rng.random() > MONITORED_SHARE:
            continue
        identity = (case.policy_pack, case.policy_pack_version)
        if identity not in packs:
            packs[identity] = pack_version(*identity).parsed
        rules = packs[identity]
        moves = _transitions(rng, rules, case.received_at, today)
        previous = ""
        for key, day in moves:
            transitions.append(
                PhaseTransition(
                    case=case,
                    data_key_id=case.data_key_id,
                    phase=key,
                    previous_phase=previous,
                    started_on=day,
                    decided_by_id=_author(case),
                    recorded_by_id=_author(case),
                )
            )
            previous = key
            milestones.setdefault(case.pk, []).append(
                CaseMilestone(case=case, kind=MilestoneKind.PHASE_START, occurred_on=day, ref=key)
            )
        events = [Event(EventKind.PHASE_START, day, key) for key, day in moves]
        for day in _contact_days(rng, rules, case.received_at, moves, today):
            contacts.append(
                MonitoringContact(
                    case=case,
                    data_key_id=case.data_key_id,
                    occurred_on=day,
                    mode=rng.choice(MODES),
                    phase=phase_on(rules, reception=case.received_at, events=events, day=day)
                    if rules.monitoring.phases
                    else "",
                    recorded_by_id=_author(case),
                )
            )
            milestones.setdefault(case.pk, []).append(
                CaseMilestone(case=case, kind=MilestoneKind.MONITORING_CONTACT, occurred_on=day)
            )
        if rng.random() > SCORED_SHARE:
            continue
        level = [rng.randint(1, 3) for _ in framework.domains]
        for index in range(3):
            day = case.received_at + datetime.timedelta(days=10 + 90 * index)
            if day > today:
                break
            measurement = OutcomeMeasurement(
                case=case,
                data_key_id=case.data_key_id,
                occasion="baseline" if index == 0 else "review",
                taken_on=day,
                framework_code=framework.code,
                framework_version=framework.version,
                recorded_by_id=_author(case),
            )
            measurements.append((measurement, list(level)))
            # Most domains improve a little between scorings; some slip back.
            level = [
                max(1, min(5, value + rng.choices([-1, 0, 1], weights=[15, 45, 40])[0]))
                for value in level
            ]
    PhaseTransition.objects.bulk_create(transitions, batch_size=5000)
    current: dict[int, PhaseTransition] = {}
    for transition in transitions:
        current[transition.case_id] = transition
    CasePhase.objects.bulk_create(
        [
            CasePhase(case_id=case_id, phase=t.phase, started_on=t.started_on, transition=t)
            for case_id, t in current.items()
        ],
        batch_size=5000,
    )
    MonitoringContact.objects.bulk_create(contacts, batch_size=5000)
    OutcomeMeasurement.objects.bulk_create([m for m, _ in measurements], batch_size=5000)
    OutcomeScore.objects.bulk_create(
        [
            OutcomeScore(
                measurement=measurement,
                case_id=measurement.case_id,
                domain=domain.code,
                worker_score=value,
                person_score=value if index % 3 else None,
            )
            for measurement, levels in measurements
            for index, (domain, value) in enumerate(zip(framework.domains, levels, strict=True))
        ],
        batch_size=5000,
    )
