"""Stored pack versions: syncing, a case's recorded version, and the audited migration."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEntry
from cases.models import CaseStatus
from cases.policy import age_of_majority
from cases.policy_migration import (
    StalePolicyMigration,
    case_policy_migrate,
    cases_behind_current_pack,
)
from policies.models import PolicyPackVersion
from policies.packs import load_packs
from policies.selectors import pack_for_organisation, policy_for_case
from policies.services import case_policy_assign, sync_policy_packs
from policies.tests.factories import make_case
from work.models import MilestoneKind, WorkItem
from work.services import milestone_record

pytestmark = pytest.mark.django_db


def edited_al_sop(days: int = 10) -> dict:
    packs = load_packs()
    rules = packs["al-sop"].model_copy(
        update={
            "assessment": packs["al-sop"].assessment.model_copy(
                update={"comprehensive_due_days": days}
            )
        }
    )
    return {"al-sop": rules}


def test_migrate_stores_version_one_of_every_shipped_pack():
    stored = {(v.code, v.version) for v in PolicyPackVersion.objects.all()}
    assert stored == {(code, 1) for code in ("md-nrs", "ge-fund", "al-sop", "ro-guide", "default")}


def test_syncing_unchanged_packs_stores_nothing():
    assert sync_policy_packs() == []
    assert PolicyPackVersion.objects.count() == 5


def test_changed_content_makes_a_new_version_and_is_audited():
    created = sync_policy_packs(edited_al_sop())
    assert [(v.code, v.version) for v in created] == [("al-sop", 2)]
    assert created[0].parsed.assessment.comprehensive_due_days == 10
    assert AuditEntry.objects.filter(
        object_type="policies.policypackversion", object_id=str(created[0].pk)
    ).exists()
    # Syncing the same content again changes nothing.
    assert sync_policy_packs(edited_al_sop()) == []


def test_new_case_records_the_organisations_current_version(actors):
    sync_policy_packs(edited_al_sop())
    case = make_case(actors.other_org)
    assert (case.policy_pack, case.policy_pack_version) == ("al-sop", 2)
    assert pack_for_organisation(actors.other_org).version == 2


def test_case_assign_refuses_an_unknown_pack(actors):
    actors.home_org.policy_pack = "xx-none"
    with pytest.raises(ValidationError) as raised:
        make_case(actors.home_org)
    assert "policy_pack" in raised.value.message_dict


def test_age_of_majority_from_case_and_organisation(actors):
    assert age_of_majority(actors.home_org) == 18
    assert age_of_majority(make_case(actors.home_org)) == 18


def test_editing_a_pack_leaves_open_cases_on_their_version_until_migrated(actors, make_user):
    supervisor = make_user("alba_supervisor", actors.other_org, "supervisor")
    case = make_case(actors.other_org, manager=actors.other_worker)
    milestone_record(
        case=case,
        kind=MilestoneKind.RECEPTION,
        occurred_on=date(2026, 1, 10),
        actor=actors.other_worker,
    )
    item = WorkItem.objects.get(case=case, kind="assessment")
    assert item.due_on == date(2026, 1, 24)

    sync_policy_packs(edited_al_sop(10))
    case.refresh_from_db()
    assert case.policy_pack_version == 1
    assert policy_for_case(case).assessment.comprehensive_due_days == 14
    assert list(cases_behind_current_pack(actors.other_org)) == [case]
    # Recording another milestone recomputes under the case's own version, not the new one.
    milestone_record(
        case=case,
        kind=MilestoneKind.MONITORING_CONTACT,
        occurred_on=date(2026, 1, 12),
        actor=actors.other_worker,
    )
    assert WorkItem.objects.get(pk=item.pk).due_on == date(2026, 1, 24)

    migrated = case_policy_migrate(
        acting_user=supervisor, case=case, to_version=2, expected_version=case.version
    )
    assert (migrated.policy_pack_version, migrated.version) == (2, case.version + 1)
    item.refresh_from_db()
    assert (item.due_on, item.source_rule) == (
        date(2026, 1, 20),
        "al-sop@2:assessment.comprehensive_due_days",
    )
    entry = AuditEntry.objects.filter(case_id=case.pk, object_type="cases.case").latest("id")
    assert entry.detail == {
        "from": {"code": "al-sop", "version": 1},
        "to": {"code": "al-sop", "version": 2},
    }
    assert entry.actor_id == supervisor.pk
    assert list(cases_behind_current_pack(actors.other_org)) == []


def test_migration_refusals_change_nothing(actors):
    sync_policy_packs(edited_al_sop())
    case = make_case(actors.home_org, manager=actors.case_manager)
    # Home runs md-nrs, which has only version 1.
    with pytest.raises(ValidationError, match="already runs under"):
        case_policy_migrate(acting_user=actors.supervisor, case=case, to_version=1)
    with pytest.raises(ValidationError, match="does not exist"):
        case_policy_migrate(acting_user=actors.supervisor, case=case, to_version=7)
    with pytest.raises(StalePolicyMigration):
        case_policy_migrate(
            acting_user=actors.supervisor,
            case=case,
            to_version=1,
            expected_version=case.version + 5,
        )
    with pytest.raises(PermissionDenied):
        case_policy_migrate(acting_user=actors.case_manager, case=case, to_version=1)
    case.status = CaseStatus.CLOSED
    case.save()
    with pytest.raises(ValidationError, match="Only open cases"):
        case_policy_migrate(acting_user=actors.supervisor, case=case, to_version=1)
    case.refresh_from_db()
    assert (case.policy_pack, case.policy_pack_version) == ("md-nrs", 1)


def test_case_on_another_code_moves_to_the_organisations_pack(actors):
    case = make_case(actors.home_org, manager=actors.case_manager)
    actors.home_org.policy_pack = "default"
    actors.home_org.save()
    assert list(cases_behind_current_pack(actors.home_org)) == [case]
    migrated = case_policy_migrate(acting_user=actors.supervisor, case=case, to_version=1)
    assert (migrated.policy_pack, migrated.policy_pack_version) == ("default", 1)


def test_case_policy_assign_sets_without_saving(actors):
    from cases.models import Case

    case = Case(organisation=actors.coordinator_org, number="X-1", code="XCODE001")
    version = case_policy_assign(case)
    assert (case.policy_pack, case.policy_pack_version) == ("ge-fund", version.version)
    assert case.pk is None


def test_sync_command_reports_what_it_stored():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("sync_policy_packs", stdout=out)
    assert "Every policy pack is up to date." in out.getvalue()
    PolicyPackVersion.objects.filter(code="ro-guide").delete()
    out = StringIO()
    call_command("sync_policy_packs", stdout=out)
    assert "ro-guide: version 1 stored" in out.getvalue()
