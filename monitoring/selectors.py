"""Reads of monitoring. Every list is preloaded so that a page costs the same number of
queries whatever the number of contacts, scores or setbacks (DESIGN rule 5)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Min, Prefetch, QuerySet
from django.http import Http404

from cases.models import Case
from monitoring.codes import phase_label
from monitoring.framework import Framework, current_framework, framework_for
from monitoring.models import (
    CasePhase,
    ContactNote,
    MonitoringContact,
    OutcomeMeasurement,
    OutcomeScore,
    PhaseTransition,
    Setback,
)
from policies.deadlines import Event, EventKind, phase_on
from policies.schema import PolicyRules
from policies.selectors import policy_for_case
from work.models import WorkItem, WorkItemKind

if TYPE_CHECKING:
    from accounts.access import Acting
    from accounts.models import Organisation

MONITORING_KINDS = (WorkItemKind.MONITORING_CONTACT, WorkItemKind.FOLLOW_UP_CONTACT)


# ---------------------------------------------------------------- phases


def transitions_of(case: Case) -> QuerySet[PhaseTransition]:
    return (
        PhaseTransition.objects.filter(case=case)
        .select_related("data_key", "decided_by", "setback")
        .order_by("started_on", "id")
    )


def _events(transitions: Sequence[PhaseTransition]) -> list[Event]:
    return [Event(EventKind.PHASE_START, t.started_on, t.phase) for t in transitions]


def phase_on_day(case: Case, day: datetime.date) -> str:
    """The programme phase on ``day``: the recorded transitions, and the pack's calendar
    where none was recorded yet (the same engine that schedules the contacts)."""
    rules = policy_for_case(case)
    if not rules.monitoring.phases:
        return ""
    transitions = list(PhaseTransition.objects.filter(case=case).only("phase", "started_on"))
    return phase_on(rules, reception=case.received_at, events=_events(transitions), day=day)


def phase_position(
    case: Case, rules: PolicyRules, *, day: datetime.date, last: PhaseTransition | None
) -> tuple[int, bool]:
    """The index of the current phase in the pack and whether it was recorded (-1: none)."""
    keys = [p.key for p in rules.monitoring.phases]
    if last is not None and last.phase in keys:
        return keys.index(last.phase), True
    expected = phase_on(rules, reception=case.received_at, events=[], day=day)
    return (keys.index(expected) if expected in keys else -1), False


@dataclass(frozen=True)
class PhaseChoice:
    key: str
    label: str
    in_order: bool
    contact_interval_days: int | None


@dataclass(frozen=True)
class PhaseSummary:
    has_phases: bool
    key: str
    label: str
    started_on: datetime.date | None
    recorded: bool
    contact_interval_days: int | None
    choices: list[PhaseChoice]
    transitions: list[PhaseTransition]


def phase_summary(case: Case, *, today: datetime.date) -> PhaseSummary:
    """The phase shown on the monitoring section: the recorded one, or the one the pack's
    calendar gives while none is recorded, with the phases one may move to next."""
    rules = policy_for_case(case)
    phases = rules.monitoring.phases
    transitions = list(transitions_of(case))
    if not phases:
        return PhaseSummary(
            False, "", "", None, False, rules.monitoring.contact_interval_days, [], transitions
        )
    last = transitions[-1] if transitions else None
    current, recorded = phase_position(case, rules, day=today, last=last)
    key = phases[current].key if current >= 0 else ""
    choices = []
    for index, phase in enumerate(phases):
        if recorded and index == current:
            continue
        in_order = index == current + 1 if recorded else index in (current, current + 1)
        choices.append(
            PhaseChoice(phase.key, phase_label(phase.key), in_order, phase.contact_interval_days)
        )
    return PhaseSummary(
        True,
        key,
        phase_label(key),
        last.started_on if recorded and last else None,
        recorded,
        phases[current].contact_interval_days if current >= 0 else None,
        choices,
        transitions,
    )


def current_phase(case: Case) -> CasePhase | None:
    return CasePhase.objects.filter(case=case).first()


# ---------------------------------------------------------------- contacts


def contacts_of(case: Case) -> QuerySet[MonitoringContact]:
    """A case's contacts, newest first, with their notes (two queries per page)."""
    return (
        MonitoringContact.objects.filter(case=case)
        .select_related("data_key", "recorded_by")
        .prefetch_related(
            Prefetch("notes", queryset=ContactNote.objects.select_related("data_key"))
        )
        .order_by("-occurred_on", "-id")
    )


def contact_of(case: Case, contact_id: int) -> MonitoringContact:
    contact = contacts_of(case).filter(pk=contact_id).first()
    if contact is None:
        raise Http404
    return contact


def next_contact_due(case: Case) -> WorkItem | None:
    """The open monitoring or follow-up contact that falls due first."""
    return (
        WorkItem.objects.filter(case=case, kind__in=MONITORING_KINDS, done_on__isnull=True)
        .order_by("due_on", "id")
        .first()
    )


# ---------------------------------------------------------------- outcomes


def measurements_of(case: Case) -> QuerySet[OutcomeMeasurement]:
    return (
        OutcomeMeasurement.objects.filter(case=case)
        .select_related("data_key", "recorded_by")
        .prefetch_related(Prefetch("scores", queryset=OutcomeScore.objects.order_by("id")))
        .order_by("taken_on", "id")
    )


@dataclass(frozen=True)
class Point:
    taken_on: datetime.date
    occasion: str
    worker: int | None
    person: int | None


@dataclass
class DomainTrajectory:
    code: str
    label: str
    points: list[Point] = field(default_factory=list)
    baseline: int | None = None
    latest: int | None = None
    person_baseline: int | None = None
    person_latest: int | None = None

    @property
    def change(self) -> int | None:
        if self.baseline is None or self.latest is None:
            return None
        return self.latest - self.baseline

    @property
    def person_change(self) -> int | None:
        if self.person_baseline is None or self.person_latest is None:
            return None
        return self.person_latest - self.person_baseline

    @property
    def worsened(self) -> bool:
        return (self.change is not None and self.change < 0) or (
            self.person_change is not None and self.person_change < 0
        )


@dataclass(frozen=True)
class Trajectory:
    framework: Framework
    domains: list[DomainTrajectory]
    dates: list[datetime.date]
    measurements: list[OutcomeMeasurement]

    @property
    def worsened(self) -> list[DomainTrajectory]:
        return [d for d in self.domains if d.worsened]

    @property
    def improved(self) -> list[DomainTrajectory]:
        return [d for d in self.domains if (d.change or 0) > 0]


def trajectory(case: Case, *, language: str | None = None) -> Trajectory:
    """Every domain's scores over time, the change since baseline and the domains that
    worsened (a lower latest score than at baseline, in the worker's or the person's view)."""
    measurements = list(measurements_of(case))
    framework = (
        framework_for(measurements[-1].framework_code, measurements[-1].framework_version)
        if measurements
        else current_framework()
    )
    domains = {d.code: DomainTrajectory(d.code, d.label.text(language)) for d in framework.domains}
    for measurement in measurements:
        for score in measurement.scores.all():
            domain = domains.get(score.domain)
            if domain is None:
                continue
            domain.points.append(
                Point(
                    measurement.taken_on,
                    measurement.occasion,
                    score.worker_score,
                    score.person_score,
                )
            )
            if score.worker_score is not None:
                if domain.baseline is None:
                    domain.baseline = score.worker_score
                domain.latest = score.worker_score
            if score.person_score is not None:
                if domain.person_baseline is None:
                    domain.person_baseline = score.person_score
                domain.person_latest = score.person_score
    return Trajectory(
        framework,
        list(domains.values()),
        sorted({m.taken_on for m in measurements}),
        measurements,
    )


# ---------------------------------------------------------------- setbacks


def setbacks_of(case: Case) -> QuerySet[Setback]:
    return (
        Setback.objects.filter(case=case)
        .select_related("data_key", "phase_transition", "recorded_by")
        .prefetch_related("triggers")
        .order_by("-occurred_on", "-id")
    )


# ---------------------------------------------------------------- work queue


@dataclass(frozen=True)
class NextContact:
    case_id: int
    code: str
    due_on: datetime.date
    overdue: bool


def next_contacts_for(
    acting: Acting, *, today: datetime.date, limit: int = 50
) -> list[NextContact]:
    """ "My work": the next monitoring or follow-up contact due on each of the user's cases,
    soonest first, in one grouped query over the open work items."""
    rows = (
        WorkItem.objects.filter(
            responsible=acting.user,
            organisation=acting.organisation,
            kind__in=MONITORING_KINDS,
            done_on__isnull=True,
        )
        .values("case_id", "case__code")
        .annotate(due_on=Min("due_on"))
        .order_by("due_on", "case_id")[:limit]
    )
    return [
        NextContact(row["case_id"], row["case__code"], row["due_on"], row["due_on"] < today)
        for row in rows
    ]


@dataclass(frozen=True)
class OverdueByWorker:
    worker_id: int | None
    name: str
    overdue: int
    oldest: datetime.date


def overdue_monitoring_by_worker(
    organisation: Organisation, *, today: datetime.date
) -> list[OverdueByWorker]:
    """Supervisors: overdue monitoring contacts per worker, most first (one query)."""
    rows = (
        WorkItem.objects.filter(
            organisation=organisation,
            kind__in=MONITORING_KINDS,
            done_on__isnull=True,
            due_on__lt=today,
        )
        .values(
            "responsible_id",
            "responsible__first_name",
            "responsible__last_name",
            "responsible__username",
        )
        .annotate(overdue=Count("id"), oldest=Min("due_on"))
        .order_by("-overdue", "oldest")
    )
    return [
        OverdueByWorker(
            row["responsible_id"],
            " ".join(
                part
                for part in (row["responsible__first_name"], row["responsible__last_name"])
                if part
            )
            or (row["responsible__username"] or ""),
            row["overdue"],
            row["oldest"],
        )
        for row in rows
    ]


def record_counts(case: Case) -> dict[str, int]:
    """How many contacts, outcome measurements and setbacks the case holds."""
    return {
        "contacts": MonitoringContact.objects.filter(case=case).count(),
        "measurements": OutcomeMeasurement.objects.filter(case=case).count(),
        "setbacks": Setback.objects.filter(case=case).count(),
    }
