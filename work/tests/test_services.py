"""Recording milestones keeps the stored work items in step (SPEC C10)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from policies.tests.factories import make_case
from work.models import CaseMilestone, MilestoneKind, WorkItem
from work.services import milestone_record, work_items_recompute

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _fixed_today():
    with time_machine.travel("2026-03-02 09:00:00+02:00", tick=False):
        yield


def record(case, kind, day, actor, **extra):
    return milestone_record(case=case, kind=kind, occurred_on=day, actor=actor, **extra)


def test_reception_creates_the_albanian_assessment_item_for_the_case_manager(actors):
    case = make_case(actors.other_org, manager=actors.other_worker)
    milestone = record(case, MilestoneKind.RECEPTION, date(2026, 1, 10), actors.other_worker)
    item = WorkItem.objects.get(case=case, kind="assessment")
    assert (item.due_on, item.done_on, item.responsible, item.organisation) == (
        date(2026, 1, 24),
        None,
        actors.other_worker,
        actors.other_org,
    )
    assert item.source_rule == "al-sop@1:assessment.comprehensive_due_days"
    entry = AuditEntry.objects.get(object_type="work.casemilestone", object_id=str(milestone.pk))
    assert (entry.case_id, entry.actor_id, entry.detail) == (
        case.pk,
        actors.other_worker.pk,
        {"kind": "reception"},
    )


def test_completion_marks_the_item_done_and_keeps_it(actors):
    case = make_case(actors.other_org, manager=actors.other_worker)
    record(case, MilestoneKind.RECEPTION, date(2026, 1, 10), actors.other_worker)
    record(case, MilestoneKind.ASSESSMENT_COMPLETED, date(2026, 1, 22), actors.other_worker)
    item = WorkItem.objects.get(case=case, kind="assessment")
    assert item.done_on == date(2026, 1, 22)


def test_assigned_assessment_goes_to_the_specialist(actors, make_user):
    specialist = make_user("lena_lawyer", actors.other_org, "specialist")
    case = make_case(actors.other_org, manager=actors.other_worker)
    record(case, MilestoneKind.RECEPTION, date(2026, 1, 10), actors.other_worker)
    record(
        case,
        MilestoneKind.ASSESSMENT_ASSIGNED,
        date(2026, 1, 11),
        actors.other_worker,
        responsible=specialist,
        ref="legal",
    )
    items = {i.key: i for i in WorkItem.objects.filter(case=case, kind="assessment")}
    assert set(items) == {"domain:legal"}
    assert items["domain:legal"].responsible == specialist


def test_georgian_approval_item_goes_to_the_named_approver(actors):
    case = make_case(actors.coordinator_org)
    record(case, MilestoneKind.RECEPTION, date(2026, 1, 10), None)
    record(
        case, MilestoneKind.PLAN_SUBMITTED, date(2026, 2, 20), None, responsible=actors.coordinator
    )
    item = WorkItem.objects.get(case=case, kind="plan_approval")
    assert (item.due_on, item.responsible, item.source_rule) == (
        date(2026, 3, 2),
        actors.coordinator,
        "ge-fund@1:plan.approval_due_days",
    )


def test_closure_removes_unmet_items(actors):
    case = make_case(actors.home_org, manager=actors.case_manager)
    record(case, MilestoneKind.RECEPTION, date(2026, 1, 10), actors.case_manager)
    # md-nrs: the plan is due 20 days after the detailed evaluation (000 L76).
    record(case, MilestoneKind.ASSESSMENT_COMPLETED, date(2026, 1, 12), actors.case_manager)
    assert WorkItem.objects.filter(case=case, done_on__isnull=True).count() == 2  # plan, monitoring
    record(case, MilestoneKind.CLOSURE, date(2026, 3, 1), actors.case_manager)
    open_kinds = set(
        WorkItem.objects.filter(case=case, done_on__isnull=True).values_list("kind", flat=True)
    )
    assert open_kinds == {"follow_up_contact"}


def test_a_new_case_manager_takes_over_open_items(actors, make_user):
    successor = make_user("nora_manager", actors.home_org, "case_manager")
    case = make_case(actors.home_org, manager=actors.case_manager)
    record(case, MilestoneKind.RECEPTION, date(2026, 1, 10), actors.case_manager)
    case.case_manager = successor
    case.save()
    record(case, MilestoneKind.CASE_MANAGER_ASSIGNED, date(2026, 3, 1), actors.supervisor)
    assert set(WorkItem.objects.filter(case=case).values_list("responsible", flat=True)) == {
        successor.pk
    }


@pytest.mark.parametrize(
    ("kind", "day", "field"),
    [
        ("made_up", date(2026, 1, 10), "kind"),
        (MilestoneKind.RECEPTION, date(2026, 3, 3), "occurred_on"),
        (MilestoneKind.REFERRAL_SENT, date(2026, 2, 3), "ref"),
    ],
)
def test_bad_milestones_are_refused_and_change_nothing(actors, kind, day, field):
    case = make_case(actors.home_org, manager=actors.case_manager)
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as raised:
        record(case, kind, day, actors.case_manager)
    assert field in raised.value.message_dict
    assert not CaseMilestone.objects.filter(case=case).exists()
    assert not WorkItem.objects.filter(case=case).exists()
    assert AuditEntry.objects.count() == before


def test_recompute_is_idempotent(actors):
    case = make_case(actors.home_org, manager=actors.case_manager)
    record(case, MilestoneKind.RECEPTION, date(2026, 1, 10), actors.case_manager)
    result = work_items_recompute(case=case)
    assert (result.created, result.updated, result.removed) == (0, 0, 0)
