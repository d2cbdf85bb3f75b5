"""The deadline engine with fixed dates: every rule of every shipped pack, adults and minors."""

from __future__ import annotations

from datetime import date

import pytest

from policies.deadlines import (
    Deadline,
    Event,
    EventKind,
    WorkKind,
    add_months,
    compute_deadlines,
    next_monitoring_contact,
    phase_on,
)
from policies.packs import load_packs

PACKS = load_packs()
RECEPTION = date(2026, 1, 10)
E = EventKind


def run(code: str, *events: Event, minor: bool = False) -> dict[tuple[WorkKind, str], Deadline]:
    found = compute_deadlines(events=list(events), rules=PACKS[code], is_minor=minor)
    return {(d.kind, d.key): d for d in found}


def at(kind: EventKind, day: date, ref: str = "", responsible: int | None = None) -> Event:
    return Event(kind, day, ref, responsible)


RECEIVED = at(E.RECEPTION, RECEPTION)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 1, 10), 36, date(2029, 1, 10)),
        (date(2026, 5, 31), 3, date(2026, 8, 31)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(start, months, expected):
    assert add_months(start, months) == expected


def test_no_reception_no_case_deadlines():
    assert run("al-sop") == {}


# ------------------------------------------------------------------ md-nrs (seed 000)


ASSESSED = at(E.ASSESSMENT_COMPLETED, RECEPTION)


def test_md_plan_due_20_days_after_the_assessment_and_met_by_submission():
    # 000 L76: "within 20 days upon case review, after detailed evaluation".
    assert (WorkKind.PLAN_DRAFT, "initial") not in run("md-nrs", RECEIVED)
    items = run("md-nrs", RECEIVED, at(E.ASSESSMENT_COMPLETED, date(2026, 1, 20)))
    plan = items[(WorkKind.PLAN_DRAFT, "initial")]
    assert (plan.due_on, plan.done_on, plan.rule) == (date(2026, 2, 9), None, "plan.due_days")
    items = run("md-nrs", RECEIVED, ASSESSED, at(E.PLAN_SUBMITTED, date(2026, 1, 28)))
    assert items[(WorkKind.PLAN_DRAFT, "initial")].done_on == date(2026, 1, 28)


def test_md_has_no_assessment_deadline_and_no_approval():
    items = run("md-nrs", RECEIVED, at(E.PLAN_SUBMITTED, date(2026, 1, 28)))
    kinds = {kind for kind, _ in items}
    assert WorkKind.ASSESSMENT not in kinds
    assert WorkKind.PLAN_APPROVAL not in kinds


def test_md_review_every_three_months_from_the_plan_and_each_review():
    # The plan is in force once signed (PLAN_APPROVED), not at submission (001 §7.8).
    items = run(
        "md-nrs",
        RECEIVED,
        at(E.PLAN_SUBMITTED, date(2026, 1, 20)),
        at(E.PLAN_APPROVED, date(2026, 1, 28)),
        at(E.REVIEW_DONE, date(2026, 4, 20)),
    )
    first = items[(WorkKind.PLAN_REVIEW, "review:2026-01-28")]
    second = items[(WorkKind.PLAN_REVIEW, "review:2026-04-20")]
    assert (first.due_on, first.done_on) == (date(2026, 4, 28), date(2026, 4, 20))
    assert (second.due_on, second.done_on) == (date(2026, 7, 20), None)
    assert second.rule == "plan.review_interval_months"


def test_md_plan_term_12_months_for_adults_none_for_minors():
    events = (RECEIVED, at(E.PLAN_APPROVED, date(2026, 1, 28)))
    term = run("md-nrs", *events)[(WorkKind.PLAN_TERM_END, "term")]
    assert (term.due_on, term.rule) == (date(2027, 1, 28), "plan.max_term_months.adult")
    assert (WorkKind.PLAN_TERM_END, "term") not in run("md-nrs", *events, minor=True)


def test_md_monitoring_about_every_three_months():
    items = run("md-nrs", RECEIVED, at(E.MONITORING_CONTACT, date(2026, 3, 1)))
    first = items[(WorkKind.MONITORING_CONTACT, "contact:2026-01-10")]
    second = items[(WorkKind.MONITORING_CONTACT, "contact:2026-03-01")]
    assert (first.due_on, first.done_on) == (date(2026, 4, 10), date(2026, 3, 1))
    assert (second.due_on, second.done_on) == (date(2026, 5, 30), None)
    assert second.rule == "monitoring.contact_interval_days"


@pytest.mark.parametrize(
    ("minor", "last_due"), [(False, date(2027, 5, 27)), (True, date(2029, 5, 16))]
)
def test_md_follow_up_one_year_for_adults_three_years_for_children(minor, last_due):
    closed = date(2026, 6, 1)
    contacts: list[Event] = []
    day = closed
    # Keep every follow-up contact on its due day until the follow-up period runs out.
    for _ in range(20):
        items = run("md-nrs", RECEIVED, at(E.CLOSURE, closed), *contacts, minor=minor)
        open_items = [
            d
            for (k, _), d in items.items()
            if k == WorkKind.FOLLOW_UP_CONTACT and d.done_on is None
        ]
        if not open_items:
            break
        day = open_items[0].due_on
        contacts.append(at(E.FOLLOW_UP_CONTACT, day))
    assert day == last_due


def test_md_closure_drops_unmet_case_work_and_keeps_met_work():
    items = run(
        "md-nrs",
        RECEIVED,
        ASSESSED,
        at(E.PLAN_SUBMITTED, date(2026, 1, 28)),
        at(E.PLAN_APPROVED, date(2026, 1, 28)),
        at(E.CLOSURE, date(2026, 3, 1)),
    )
    assert items[(WorkKind.PLAN_DRAFT, "initial")].done_on == date(2026, 1, 28)
    assert (WorkKind.PLAN_REVIEW, "review:2026-01-28") not in items
    assert (WorkKind.MONITORING_CONTACT, "contact:2026-01-10") not in items
    assert items[(WorkKind.PLAN_TERM_END, "term")].done_on == date(2026, 3, 1)
    follow_up = items[(WorkKind.FOLLOW_UP_CONTACT, "follow_up:2026-03-01")]
    assert follow_up.due_on == date(2026, 5, 30)


def test_reopening_stops_follow_up_and_restarts_monitoring():
    items = run(
        "md-nrs",
        RECEIVED,
        at(E.CLOSURE, date(2026, 3, 1)),
        at(E.REOPENED, date(2026, 4, 1)),
    )
    assert not [k for k, _ in items if k == WorkKind.FOLLOW_UP_CONTACT]
    assert items[(WorkKind.MONITORING_CONTACT, "contact:2026-04-01")].due_on == date(2026, 6, 30)


def test_md_referral_response_due_in_a_week_met_by_the_answer():
    items = run(
        "md-nrs",
        RECEIVED,
        at(E.REFERRAL_SENT, date(2026, 2, 1), "17", responsible=5),
        at(E.REFERRAL_SENT, date(2026, 2, 3), "18"),
        at(E.REFERRAL_ANSWERED, date(2026, 2, 5), "17"),
    )
    answered = items[(WorkKind.REFERRAL_RESPONSE, "referral:17")]
    waiting = items[(WorkKind.REFERRAL_RESPONSE, "referral:18")]
    assert (answered.due_on, answered.done_on, answered.responsible_id) == (
        date(2026, 2, 8),
        date(2026, 2, 5),
        5,
    )
    assert (waiting.due_on, waiting.done_on) == (date(2026, 2, 10), None)


# ------------------------------------------------------------------ ge-fund (seed 001)


def test_ge_final_plan_approval_by_the_fund_within_its_period():
    items = run(
        "ge-fund",
        RECEIVED,
        at(E.PLAN_SUBMITTED, date(2026, 2, 1), responsible=9),
        at(E.PLAN_APPROVED, date(2026, 2, 9)),
    )
    approval = items[(WorkKind.PLAN_APPROVAL, "approval:2026-02-01")]
    assert (approval.due_on, approval.done_on, approval.responsible_id) == (
        date(2026, 2, 11),
        date(2026, 2, 9),
        9,
    )
    assert approval.rule == "plan.approval_due_days"


def test_ge_resubmission_replaces_the_undecided_request():
    items = run(
        "ge-fund",
        RECEIVED,
        at(E.PLAN_SUBMITTED, date(2026, 2, 1)),
        at(E.PLAN_SUBMITTED, date(2026, 2, 20)),
    )
    approvals = {key for kind, key in items if kind == WorkKind.PLAN_APPROVAL}
    assert approvals == {"approval:2026-02-20"}
    items = run(
        "ge-fund",
        RECEIVED,
        at(E.PLAN_SUBMITTED, date(2026, 2, 1)),
        at(E.PLAN_SUBMITTED, date(2026, 2, 20)),
        at(E.PLAN_APPROVED, date(2026, 2, 25)),
    )
    approvals = {key for kind, key in items if kind == WorkKind.PLAN_APPROVAL}
    assert approvals == {"approval:2026-02-20"}
    assert items[(WorkKind.PLAN_APPROVAL, "approval:2026-02-20")].done_on == date(2026, 2, 25)


def test_ge_approval_after_an_approved_version_is_a_new_request():
    items = run(
        "ge-fund",
        RECEIVED,
        at(E.PLAN_SUBMITTED, date(2026, 2, 1)),
        at(E.PLAN_APPROVED, date(2026, 2, 5)),
        Event(E.PLAN_SUBMITTED, date(2026, 5, 1), "", 9, 4),
    )
    first = items[(WorkKind.PLAN_APPROVAL, "approval:2026-02-01")]
    modification = items[(WorkKind.PLAN_APPROVAL, "approval:2026-05-01")]
    assert first.done_on == date(2026, 2, 5)
    assert (
        modification.done_on,
        modification.responsible_id,
        modification.responsible_organisation_id,
    ) == (
        None,
        9,
        4,
    )


@pytest.mark.parametrize("minor", [False, True])
def test_ge_plan_term_12_months_for_everyone_and_no_review_cycle(minor):
    items = run(
        "ge-fund",
        RECEIVED,
        at(E.PLAN_SUBMITTED, date(2026, 2, 1)),
        at(E.PLAN_APPROVED, date(2026, 2, 9)),
        minor=minor,
    )
    assert items[(WorkKind.PLAN_TERM_END, "term")].due_on == date(2027, 2, 9)
    assert not [k for k, _ in items if k == WorkKind.PLAN_REVIEW]


def test_ge_plan_not_in_force_before_the_fund_approves():
    items = run("ge-fund", RECEIVED, at(E.PLAN_SUBMITTED, date(2026, 2, 1)))
    kinds = {k for k, _ in items}
    assert WorkKind.PLAN_TERM_END not in kinds
    assert WorkKind.EXPENDITURE_REPORT not in kinds


def test_ge_monthly_expenditure_reports_while_the_plan_runs():
    items = run(
        "ge-fund",
        RECEIVED,
        at(E.PLAN_APPROVED, date(2026, 2, 9)),
        at(E.EXPENDITURE_REPORTED, date(2026, 3, 5)),
    )
    first = items[(WorkKind.EXPENDITURE_REPORT, "report:2026-02-09")]
    second = items[(WorkKind.EXPENDITURE_REPORT, "report:2026-03-05")]
    assert (first.due_on, first.done_on) == (date(2026, 3, 9), date(2026, 3, 5))
    assert (second.due_on, second.done_on) == (date(2026, 4, 5), None)


def test_ge_no_follow_up_schedule_the_contact_is_agreed_with_the_person():
    items = run("ge-fund", RECEIVED, at(E.CLOSURE, date(2026, 6, 1)))
    assert not [k for k, _ in items if k == WorkKind.FOLLOW_UP_CONTACT]


# ------------------------------------------------------------------ al-sop (seed 002)


@pytest.mark.parametrize("minor", [False, True])
def test_al_comprehensive_assessment_due_14_days_after_reception(minor):
    item = run("al-sop", RECEIVED, minor=minor)[(WorkKind.ASSESSMENT, "comprehensive")]
    assert (item.due_on, item.done_on) == (date(2026, 1, 24), None)
    assert item.rule == "assessment.comprehensive_due_days"


def test_al_assessment_per_assigned_domain_for_its_specialist():
    items = run(
        "al-sop",
        RECEIVED,
        at(E.ASSESSMENT_ASSIGNED, date(2026, 1, 11), "health", responsible=3),
        at(E.ASSESSMENT_ASSIGNED, date(2026, 1, 11), "legal", responsible=4),
        at(E.ASSESSMENT_COMPLETED, date(2026, 1, 20), "health"),
    )
    health = items[(WorkKind.ASSESSMENT, "domain:health")]
    legal = items[(WorkKind.ASSESSMENT, "domain:legal")]
    assert (health.due_on, health.done_on, health.responsible_id) == (
        date(2026, 1, 24),
        date(2026, 1, 20),
        3,
    )
    assert (legal.due_on, legal.done_on, legal.responsible_id) == (date(2026, 1, 24), None, 4)


def test_al_phases_0_6_7_12_13_36_months():
    rules = PACKS["al-sop"]
    assert phase_on(rules, reception=RECEPTION, events=[], day=date(2026, 7, 9)) == "crisis"
    assert phase_on(rules, reception=RECEPTION, events=[], day=date(2026, 7, 10)) == "stabilisation"
    assert phase_on(rules, reception=RECEPTION, events=[], day=date(2027, 1, 10)) == "inclusion"
    assert phase_on(rules, reception=RECEPTION, events=[], day=date(2029, 1, 10)) == ""


@pytest.mark.parametrize("minor", [False, True])
def test_al_monitoring_weekly_in_phase_two(minor):
    items = run("al-sop", RECEIVED, at(E.MONITORING_CONTACT, date(2026, 7, 15)), minor=minor)
    first = items[(WorkKind.MONITORING_CONTACT, "contact:2026-01-10")]
    # Nothing is required in phase I; the first weekly contact is due a week into phase II.
    assert (first.due_on, first.done_on) == (date(2026, 7, 17), date(2026, 7, 15))
    assert first.rule == "monitoring.phases.1.contact_interval_days"
    assert items[(WorkKind.MONITORING_CONTACT, "contact:2026-07-15")].due_on == date(2026, 7, 22)


def test_al_monitoring_monthly_in_phase_three():
    items = run("al-sop", RECEIVED, at(E.MONITORING_CONTACT, date(2027, 1, 12)))
    item = items[(WorkKind.MONITORING_CONTACT, "contact:2027-01-12")]
    assert (item.due_on, item.rule) == (
        date(2027, 2, 11),
        "monitoring.phases.2.contact_interval_days",
    )


def test_al_weekly_rhythm_holds_until_phase_two_ends():
    rules = PACKS["al-sop"]
    due = next_monitoring_contact(rules, reception=RECEPTION, events=[], after=date(2027, 1, 8))
    assert due == (date(2027, 1, 15), "monitoring.phases.1.contact_interval_days")


def test_al_recorded_phase_start_moves_the_weekly_rhythm_earlier():
    items = run("al-sop", RECEIVED, at(E.PHASE_START, date(2026, 5, 1), "stabilisation"))
    assert items[(WorkKind.MONITORING_CONTACT, "contact:2026-01-10")].due_on == date(2026, 5, 8)


def test_al_late_recorded_stabilisation_keeps_the_person_in_crisis_until_then():
    rules = PACKS["al-sop"]
    events = [at(E.PHASE_START, date(2026, 9, 1), "stabilisation")]
    assert phase_on(rules, reception=RECEPTION, events=events, day=date(2026, 8, 1)) == "crisis"
    assert (
        phase_on(rules, reception=RECEPTION, events=events, day=date(2026, 9, 1)) == "stabilisation"
    )
    assert phase_on(rules, reception=RECEPTION, events=events, day=date(2027, 1, 10)) == (
        "inclusion"
    )


def test_al_return_to_crisis_lasts_until_the_next_recorded_transition():
    # 004 SW-80 to SW-84: after a setback the person goes back to phase I; the calendar does
    # not move them on again by itself.
    rules = PACKS["al-sop"]
    events = [
        at(E.PHASE_START, date(2026, 7, 10), "stabilisation"),
        at(E.PHASE_START, date(2026, 9, 1), "crisis"),
    ]
    for day in (date(2026, 9, 1), date(2027, 3, 1), date(2028, 1, 1)):
        assert phase_on(rules, reception=RECEPTION, events=events, day=day) == "crisis"
    items = run("al-sop", RECEIVED, *events, at(E.MONITORING_CONTACT, date(2026, 9, 5)))
    # Phase I has no minimum frequency: nothing more is owed after the contact.
    assert (WorkKind.MONITORING_CONTACT, "contact:2026-09-05") not in items
    moved_on = [*events, at(E.PHASE_START, date(2026, 10, 1), "stabilisation")]
    assert phase_on(rules, reception=RECEPTION, events=moved_on, day=date(2026, 10, 2)) == (
        "stabilisation"
    )
    assert phase_on(rules, reception=RECEPTION, events=moved_on, day=date(2027, 1, 10)) == (
        "inclusion"
    )


def test_al_no_monitoring_after_the_programme():
    assert (
        next_monitoring_contact(
            PACKS["al-sop"], reception=RECEPTION, events=[], after=date(2029, 2, 1)
        )
        is None
    )


@pytest.mark.parametrize("minor", [False, True])
def test_al_follow_up_monthly_for_five_years(minor):
    closed = date(2027, 6, 1)
    items = run(
        "al-sop",
        RECEIVED,
        at(E.CLOSURE, closed),
        at(E.FOLLOW_UP_CONTACT, date(2032, 5, 20)),
        minor=minor,
    )
    first = items[(WorkKind.FOLLOW_UP_CONTACT, "follow_up:2027-06-01")]
    assert (first.due_on, first.done_on) == (date(2027, 7, 1), date(2032, 5, 20))
    # The next contact would fall after 1 June 2032, when the five years end.
    assert (WorkKind.FOLLOW_UP_CONTACT, "follow_up:2032-05-20") not in items


def test_al_no_plan_deadlines():
    items = run("al-sop", RECEIVED, at(E.PLAN_SUBMITTED, date(2026, 2, 1)))
    assert not {k for k, _ in items} & {
        WorkKind.PLAN_DRAFT,
        WorkKind.PLAN_APPROVAL,
        WorkKind.PLAN_REVIEW,
        WorkKind.PLAN_TERM_END,
    }


# ------------------------------------------------------------------ ro-guide (seed 003)


@pytest.mark.parametrize("minor", [False, True])
def test_ro_only_referral_responses_are_timed(minor):
    items = run(
        "ro-guide",
        RECEIVED,
        at(E.PLAN_SUBMITTED, date(2026, 2, 1)),
        at(E.REFERRAL_SENT, date(2026, 2, 2), "4"),
        at(E.CLOSURE, date(2026, 9, 1)),
        minor=minor,
    )
    assert set(items) == set()
    items = run("ro-guide", RECEIVED, at(E.REFERRAL_SENT, date(2026, 2, 2), "4"), minor=minor)
    assert set(items) == {(WorkKind.REFERRAL_RESPONSE, "referral:4")}
    assert items[(WorkKind.REFERRAL_RESPONSE, "referral:4")].due_on == date(2026, 2, 9)


# ------------------------------------------------------------------ default pack


def test_default_pack_supervisor_approval_then_reviews():
    items = run(
        "default",
        RECEIVED,
        at(E.ASSESSMENT_COMPLETED, date(2026, 1, 20)),
        at(E.PLAN_SUBMITTED, date(2026, 1, 25)),
        at(E.PLAN_APPROVED, date(2026, 1, 27)),
    )
    assert items[(WorkKind.ASSESSMENT, "comprehensive")].done_on == date(2026, 1, 20)
    assert items[(WorkKind.PLAN_DRAFT, "initial")].due_on == date(2026, 1, 30)
    assert items[(WorkKind.PLAN_APPROVAL, "approval:2026-01-25")].due_on == date(2026, 2, 1)
    assert items[(WorkKind.PLAN_REVIEW, "review:2026-01-27")].due_on == date(2026, 4, 27)
    assert items[(WorkKind.PLAN_TERM_END, "term")].due_on == date(2027, 1, 27)


def test_the_version_signed_as_an_adult_puts_the_plan_under_the_adult_term():
    # Received as a child; the version in force was signed at 18 (issue 14 item 3).
    events = (
        RECEIVED,
        at(E.PLAN_APPROVED, date(2026, 1, 28), ref="minor"),
        at(E.PLAN_APPROVED, date(2026, 6, 1), ref="adult"),
    )
    term = run("md-nrs", *events, minor=True)[(WorkKind.PLAN_TERM_END, "term")]
    assert (term.due_on, term.rule) == (date(2027, 1, 28), "plan.max_term_months.adult")


def test_a_stage_decision_ends_the_approval_item_without_putting_the_plan_in_force():
    events = (
        RECEIVED,
        at(E.PLAN_SUBMITTED, date(2026, 2, 1), ref="initial", responsible=7),
        at(E.PLAN_DECIDED, date(2026, 2, 5), ref="initial"),
    )
    items = run("ge-fund", *events)
    approval = items[(WorkKind.PLAN_APPROVAL, "approval:2026-02-01")]
    assert approval.done_on == date(2026, 2, 5)
    assert not [k for k, _ in items if k in (WorkKind.PLAN_REVIEW, WorkKind.PLAN_TERM_END)]
