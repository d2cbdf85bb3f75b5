"""Demo monitoring (``seed_demo``): Albanian cases across the three phases with a year of
contacts and outcome scores — improvement in most domains, a setback in one case — and the
three-monthly contacts of two Moldovan cases, all through the services. Organisations whose
cases already have monitoring records are left alone, so running ``seed_demo`` again changes
nothing."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db import transaction
from django.utils import timezone

from accounts.access import Acting, acting_for
from accounts.models import Organisation, User
from cases.models import Case, CaseStatus
from monitoring.framework import current_framework
from monitoring.models import MonitoringContact
from monitoring.services import (
    NoteInput,
    ScoreInput,
    contact_record,
    outcome_scores_record,
    phase_transition_record,
    setback_record,
)

# Invented notes in the shape of the seed's worked example (002 L1512-L1529).
NOTES = (
    {
        "family": NoteInput("Visits her family twice a month; talks to them every day.", 4),
        "employment": NoteInput("Works as a cook assistant; satisfied with the pay.", 4),
        "emotional": NoteInput("Sometimes worried about work, but focused.", 3),
    },
    {
        "interpersonal": NoteInput("Good relations with the friends she lives with.", 4),
        "health": NoteInput("Reports good health.", 4),
        "activities": NoteInput("Plays volleyball with friends once a week.", None),
    },
    {
        "education": NoteInput("Finished high school; now focused on work.", None),
        "legal": NoteInput("No legal issues raised.", None),
        "emotional": NoteInput("Calmer; sleeps better.", 4),
    },
)

# Worker's scores per domain at each scoring of the long case: improvement in most domains,
# a dip after the setback in employment and income, and family relations that worsened.
LONG_CASE_SCORES: dict[str, tuple[int, ...]] = {
    "safe_accommodation": (1, 3, 3, 4, 4, 5),
    "legal_status": (2, 3, 4, 4, 4, 4),
    "employment": (1, 1, 2, 4, 2, 3),
    "education_training": (2, 3, 3, 4, 4, 4),
    "security_safety": (1, 2, 3, 3, 3, 4),
    "physical_health": (2, 3, 4, 4, 4, 4),
    "mental_health": (1, 2, 3, 3, 3, 4),
    "social_relations": (2, 2, 3, 4, 3, 4),
    "family_relationships": (3, 3, 3, 3, 2, 2),
    "economic_wellbeing": (1, 1, 2, 3, 2, 3),
    "legal_proceedings": (2, 3, 3, 4, 4, 4),
    "life_skills": (2, 3, 3, 4, 4, 4),
    "wellbeing_satisfaction": (1, 2, 3, 4, 3, 4),
}
LONG_CASE_OCCASIONS = (
    (10, "baseline"),
    (150, "phase_transition"),
    (240, "review"),
    (330, "phase_transition"),
    (420, "review"),
    (480, "review"),
)


def _days(start: int, stop: int, step: int) -> Iterator[int]:
    yield from range(start, stop, step)


def _scores(index: int, *, person_offset: int = 0) -> dict[str, ScoreInput]:
    return {
        code: ScoreInput(worker=values[index], person=max(1, min(5, values[index] + person_offset)))
        for code, values in LONG_CASE_SCORES.items()
    }


def _contacts(
    worker: Acting, case: Case, offsets: Iterator[int], today: datetime.date, mode: str
) -> None:
    for number, offset in enumerate(offsets):
        day = case.received_at + datetime.timedelta(days=offset)
        if day > today:
            return
        contact_record(
            acting=worker,
            case=case,
            occurred_on=day,
            mode=mode if number % 3 else "home_visit",
            participants="The person and her case manager",
            notes=NOTES[number % len(NOTES)],
        )


def _long_case(worker: Acting, case: Case, today: datetime.date) -> None:
    """Crisis, stabilisation from day 150, social inclusion from day 330; weekly contacts in
    phase II, monthly in phase III; a setback on day 400 (job loss, family conflict)."""
    start = case.received_at
    phase_transition_record(acting=worker, case=case, phase="crisis", started_on=start)
    phase_transition_record(
        acting=worker,
        case=case,
        phase="stabilisation",
        started_on=start + datetime.timedelta(days=150),
    )
    _contacts(worker, case, _days(157, 330, 7), today, "workplace_visit")
    phase_transition_record(
        acting=worker,
        case=case,
        phase="inclusion",
        started_on=start + datetime.timedelta(days=330),
    )
    _contacts(worker, case, _days(340, 600, 30), today, "phone")
    setback_record(
        acting=worker,
        case=case,
        occurred_on=start + datetime.timedelta(days=400),
        triggers=["job_loss", "family_conflict"],
        severity="high",
        description="Lost her job when the restaurant closed; argument with her brother.",
        response="Extra counselling sessions; referred to the employment office.",
        led_to_plan_modification=True,
    )
    for index, (offset, occasion) in enumerate(LONG_CASE_OCCASIONS):
        day = start + datetime.timedelta(days=offset)
        if day <= today:
            outcome_scores_record(
                acting=worker,
                case=case,
                occasion=occasion,
                taken_on=day,
                scores=_scores(index, person_offset=1 if index % 2 else 0),
            )


def _stabilising_case(worker: Acting, case: Case, today: datetime.date) -> None:
    """Crisis, then stabilisation from day 200 with weekly contacts."""
    start = case.received_at
    phase_transition_record(acting=worker, case=case, phase="crisis", started_on=start)
    phase_transition_record(
        acting=worker,
        case=case,
        phase="stabilisation",
        started_on=start + datetime.timedelta(days=200),
    )
    _contacts(worker, case, _days(207, 600, 7), today, "home_visit")
    for index, (offset, occasion) in enumerate(((5, "baseline"), (200, "phase_transition"))):
        day = start + datetime.timedelta(days=offset)
        if day <= today:
            outcome_scores_record(
                acting=worker,
                case=case,
                occasion=occasion,
                taken_on=day,
                scores=_scores(index),
            )


def _crisis_case(worker: Acting, case: Case, today: datetime.date) -> None:
    start = case.received_at
    phase_transition_record(acting=worker, case=case, phase="crisis", started_on=start)
    day = start + datetime.timedelta(days=10)
    if day <= today:
        outcome_scores_record(
            acting=worker, case=case, occasion="baseline", taken_on=day, scores=_scores(0)
        )


def _three_monthly_case(worker: Acting, case: Case, today: datetime.date) -> None:
    """000 L171: impact assessment about once in three months."""
    _contacts(worker, case, _days(85, 800, 90), today, "office")
    for index, offset in enumerate((7, 85)):
        day = case.received_at + datetime.timedelta(days=offset)
        if day <= today:
            outcome_scores_record(
                acting=worker,
                case=case,
                occasion="baseline" if index == 0 else "review",
                taken_on=day,
                scores=_scores(index * 2),
            )


def _worker(case: Case) -> Acting | None:
    manager: User | None = case.case_manager
    return acting_for(manager, case.organisation) if manager else None


@transaction.atomic
def seed_monitoring(organisations: dict[str, Organisation]) -> int:
    """Returns how many cases got monitoring records."""
    today = timezone.localdate()
    seeded = 0
    plans = {
        "ngo_al": (_long_case, _stabilising_case, _crisis_case),
        "ngo_md": (_three_monthly_case, _three_monthly_case),
    }
    for key, builders in plans.items():
        organisation = organisations.get(key)
        if organisation is None:
            continue
        if MonitoringContact.objects.filter(case__organisation=organisation).exists():
            continue
        cases = list(
            Case.objects.filter(
                organisation=organisation, status=CaseStatus.OPEN, case_manager__isnull=False
            )
            .select_related("data_key", "person__data_key", "case_manager", "organisation")
            .order_by("received_at", "id")
        )
        for build, case in zip(builders, cases, strict=False):
            worker = _worker(case)
            if worker is None:
                continue
            build(worker, case, today)
            seeded += 1
    # The framework must load before anything is scored; this also fails the seed loudly
    # if an organisation changed it into something invalid.
    current_framework()
    return seeded
