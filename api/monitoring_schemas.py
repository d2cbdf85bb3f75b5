"""Schemas of the monitoring API (``api/routers/monitoring.py``); names are prefixed with
their domain so that they stay unique across the whole API."""

from __future__ import annotations

import datetime

from ninja import Schema

from api.schemas import PatchIn
from monitoring.codes import ContactPurpose, ContactReport


class MonitoringDueOut(Schema):
    kind: str
    due_on: datetime.date
    rule: str


class MonitoringPhaseChoiceOut(Schema):
    phase: str
    label: str
    in_order: bool
    contact_interval_days: int | None


class MonitoringPhaseTransitionOut(Schema):
    id: int
    phase: str
    label: str
    previous_phase: str
    started_on: datetime.date
    out_of_order: bool
    reason: str
    decided_by_id: int


class MonitoringPhaseOut(Schema):
    has_phases: bool
    phase: str
    label: str
    started_on: datetime.date | None
    recorded: bool
    contact_interval_days: int | None
    choices: list[MonitoringPhaseChoiceOut]
    transitions: list[MonitoringPhaseTransitionOut]


class MonitoringSummaryOut(Schema):
    case_id: int
    phase: MonitoringPhaseOut
    next_due: MonitoringDueOut | None
    contacts: int
    measurements: int
    setbacks: int


class MonitoringPhaseTransitionIn(Schema):
    phase: str
    started_on: datetime.date
    reason: str = ""


class MonitoringPhaseTransitionCreatedOut(MonitoringPhaseTransitionOut):
    # 004 SW-13: a new phase is the moment to re-assess; the client offers it.
    reassessment_offered: bool
    reassessment_path: str
    next_due: MonitoringDueOut | None


class MonitoringNoteIO(Schema):
    heading: str
    text: str = ""
    rating: int | None = None


class MonitoringContactIn(Schema):
    occurred_on: datetime.date
    mode: str
    purpose: str = ContactPurpose.MONITORING.value
    report: str = ContactReport.LONG_TERM.value
    participants: str = ""
    notes: list[MonitoringNoteIO] = []


class MonitoringContactPatch(PatchIn):
    """Only the fields sent change; none of them may be ``null``."""

    expected_version: int
    mode: str | None = None
    participants: str | None = None
    notes: list[MonitoringNoteIO] | None = None


class MonitoringContactOut(Schema):
    id: int
    case_id: int
    purpose: str
    occurred_on: datetime.date
    mode: str
    report: str
    phase: str
    participants: str
    notes: list[MonitoringNoteIO]
    version: int


class MonitoringContactCreatedOut(MonitoringContactOut):
    next_due: MonitoringDueOut | None


class MonitoringContactPage(Schema):
    count: int
    page: int
    pages: int
    items: list[MonitoringContactOut]


class OutcomeScoreIO(Schema):
    domain: str
    worker_score: int | None = None
    person_score: int | None = None


class OutcomeMeasurementIn(Schema):
    occasion: str
    taken_on: datetime.date
    scores: list[OutcomeScoreIO]
    notes: str = ""
    contact_id: int | None = None


class OutcomeMeasurementOut(Schema):
    id: int
    occasion: str
    taken_on: datetime.date
    framework_code: str
    framework_version: int
    phase: str
    notes: str
    scores: list[OutcomeScoreIO]


class OutcomePointOut(Schema):
    taken_on: datetime.date
    occasion: str
    worker_score: int | None
    person_score: int | None


class OutcomeDomainTrajectoryOut(Schema):
    domain: str
    label: str
    baseline: int | None
    latest: int | None
    change: int | None
    person_baseline: int | None
    person_latest: int | None
    person_change: int | None
    worsened: bool
    points: list[OutcomePointOut]


class OutcomeTrajectoryOut(Schema):
    framework_code: str
    framework_version: int
    domains: list[OutcomeDomainTrajectoryOut]
    worsened: list[str]


class OutcomeLevelOut(Schema):
    score: int
    label: str
    description: str


class OutcomeDomainOut(Schema):
    code: str
    label: str
    indicators: list[str]


class OutcomeFrameworkOut(Schema):
    code: str
    version: int
    title: str
    levels: list[OutcomeLevelOut]
    domains: list[OutcomeDomainOut]


class SetbackIn(Schema):
    occurred_on: datetime.date
    triggers: list[str]
    severity: str
    description: str = ""
    response: str = ""
    led_to_reassessment: bool = False
    led_to_plan_modification: bool = False
    return_to_phase: str = ""
    re_trafficking: bool = False
    re_trafficked_on: datetime.date | None = None
    circumstances: str = ""


class SetbackOut(Schema):
    id: int
    occurred_on: datetime.date
    triggers: list[str]
    severity: str
    description: str
    response: str
    led_to_reassessment: bool
    led_to_plan_modification: bool
    returned_to_phase: str
    re_trafficking: bool
    re_trafficked_on: datetime.date | None
    circumstances: str


class MonitoringNextContactOut(Schema):
    case_id: int
    code: str
    due_on: datetime.date
    overdue: bool


class MonitoringOverdueWorkerOut(Schema):
    worker_id: int | None
    name: str
    overdue: int
    oldest: datetime.date
