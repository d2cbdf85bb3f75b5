"""The plan's workflow through its services: building, the cap, approval by the approver
the pack names, modifications and versions, signatures."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEntry
from plans.codes import PlanStatus
from plans.models import Plan, PlanVersion
from plans.selectors import objectives_of, versions_of
from plans.services import (
    StaleEdit,
    activity_add,
    activity_progress,
    budget_line_add,
    domain_exclusion_set,
    objective_add,
    objective_update,
    plan_create,
    plan_decide,
    plan_is_final,
    plan_modification_start,
    plan_submit,
    plan_update,
    signature_acknowledge,
    signature_record_paper,
    signature_state,
)
from plans.snapshots import diff, snapshot
from work.models import CaseMilestone, WorkItem

pytestmark = pytest.mark.django_db


def _fresh(plan: Any) -> Plan:
    return Plan.objects.select_related("data_key", "case").get(pk=plan.pk)


def _totp(user: Any) -> str:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or (
        TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    )
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return str(totp.token()).zfill(device.digits)


def test_plan_needs_consent_to_assistance(actors: Any, acting: Any) -> None:
    from cases.services import CaseInput, case_register
    from consent.services import ConsentRequired
    from people.services import PersonInput

    case = case_register(
        acting=acting(actors.supervisor, actors.home_org),
        person=PersonInput(given_name="Ina", family_name="Lupu"),
        case=CaseInput(received_at=datetime.date(2026, 3, 1)),
        confirmed_not_duplicate=True,
    )
    with pytest.raises(ConsentRequired):
        plan_create(acting=acting(actors.supervisor, actors.home_org), case=case)
    assert not Plan.objects.exists()


def test_other_organisation_and_specialist_may_not_create(
    open_case: Any, actors: Any, acting: Any
) -> None:
    case = open_case()
    with pytest.raises(PermissionDenied):
        plan_create(acting=acting(actors.specialist, actors.home_org), case=case)
    with pytest.raises(PermissionDenied):
        plan_create(acting=acting(actors.other_worker, actors.other_org), case=case)


def test_cap_exceeded_is_refused_naming_total_and_cap(
    open_case: Any, ge_ngo: Any, build_plan: Any, acting: Any
) -> None:
    case = open_case(
        organisation=ge_ngo.organisation,
        supervisor=ge_ngo.supervisor,
        case_manager=ge_ngo.case_manager,
        written=True,
        identified=True,
    )
    plan = build_plan(
        case, by=ge_ngo.case_manager, amounts=(("1500", "necessary"), ("800", "desired"))
    )
    with pytest.raises(ValidationError) as refused:
        plan_submit(
            acting=acting(ge_ngo.case_manager, ge_ngo.organisation),
            plan=plan,
            expected_version=plan.version,
        )
    message = refused.value.message_dict["budget"][0]
    assert "GEL\xa02,300.00" in message
    assert "GEL\xa02,000.00" in message
    # Necessary services first (001 §5.3): what is left for desired ones.
    assert "GEL\xa0500.00" in message
    assert _fresh(plan).status == PlanStatus.DRAFT
    assert not CaseMilestone.objects.filter(case=case, kind="plan_submitted").exists()


def test_within_cap_goes_to_the_fund_the_pack_names(
    open_case: Any, ge_ngo: Any, build_plan: Any, acting: Any, actors: Any
) -> None:
    case = open_case(
        organisation=ge_ngo.organisation,
        supervisor=ge_ngo.supervisor,
        case_manager=ge_ngo.case_manager,
        written=True,
        identified=True,
    )
    plan = build_plan(
        case, by=ge_ngo.case_manager, amounts=(("1500", "necessary"), ("500", "desired"))
    )
    submitted = plan_submit(
        acting=acting(ge_ngo.case_manager, ge_ngo.organisation),
        plan=plan,
        expected_version=plan.version,
    )
    assert submitted.status == PlanStatus.SUBMITTED
    assert submitted.approving_organisation == actors.coordinator_org
    item = WorkItem.objects.get(case=case, kind="plan_approval")
    assert item.organisation == actors.coordinator_org
    assert item.responsible == actors.coordinator
    # The owning organisation's supervisor is not the approver under this pack.
    with pytest.raises(PermissionDenied):
        plan_decide(
            acting=acting(ge_ngo.supervisor, ge_ngo.organisation),
            plan=submitted,
            expected_version=submitted.version,
            decision="approved",
        )
    fund = acting(actors.coordinator, actors.coordinator_org)
    agreed = plan_decide(
        acting=fund, plan=submitted, expected_version=submitted.version, decision="approved"
    )
    # 001 §3.4(a): the initial plan is agreed; the final plan goes to the Fund next.
    assert (agreed.status, agreed.stage) == (PlanStatus.AGREED, "final")
    manager = acting(ge_ngo.case_manager, ge_ngo.organisation)
    final = plan_submit(acting=manager, plan=agreed, expected_version=agreed.version)
    approved = plan_decide(
        acting=fund, plan=final, expected_version=final.version, decision="approved"
    )
    assert approved.status == PlanStatus.APPROVED
    assert AuditEntry.objects.filter(
        action="transition", actor=actors.coordinator, case_id=case.pk
    ).exists()
    # In force only once signed (001 §7.8).
    assert not CaseMilestone.objects.filter(case=case, kind="plan_approved").exists()


def test_supervisor_approves_under_the_default_pack_and_may_return(
    open_case: Any, build_plan: Any, acting: Any, supervised: Any
) -> None:
    actors = supervised
    case = open_case()
    plan = build_plan(case, by=actors.case_manager, currency="MDL")
    manager = acting(actors.case_manager, actors.home_org)
    plan = plan_submit(acting=manager, plan=plan, expected_version=plan.version)
    assert plan.approving_organisation == actors.home_org
    supervisor = acting(actors.supervisor, actors.home_org)
    with pytest.raises(ValidationError) as no_comment:
        plan_decide(
            acting=supervisor, plan=plan, expected_version=plan.version, decision="returned"
        )
    assert "comment" in no_comment.value.message_dict
    returned = plan_decide(
        acting=supervisor,
        plan=plan,
        expected_version=plan.version,
        decision="returned",
        comment="Add the family domain",
    )
    assert returned.status == PlanStatus.RETURNED
    # Returned plans are edited and submitted again.
    plan_update(
        acting=manager, plan=returned, expected_version=returned.version, values={"notes": "ok"}
    )
    plan = _fresh(plan)
    plan = plan_submit(acting=manager, plan=plan, expected_version=plan.version)
    approved = plan_decide(
        acting=supervisor, plan=plan, expected_version=plan.version, decision="approved"
    )
    assert approved.status == PlanStatus.APPROVED
    # The coordinator of another organisation has nothing to approve here.
    with pytest.raises(PermissionDenied):
        plan_decide(
            acting=acting(actors.coordinator, actors.coordinator_org),
            plan=approved,
            expected_version=approved.version,
            decision="approved",
        )


def _approved_plan(open_case: Any, build_plan: Any, acting: Any, actors: Any) -> Plan:
    actors.home_org.policy_pack = "default"
    actors.home_org.save(update_fields=["policy_pack"])
    case = open_case()
    plan = build_plan(
        case,
        by=actors.case_manager,
        currency="MDL",
        amounts=(("1000", "necessary"), ("300", "desired")),
    )
    plan = plan_submit(
        acting=acting(actors.case_manager, actors.home_org),
        plan=plan,
        expected_version=plan.version,
    )
    return plan_decide(
        acting=acting(actors.supervisor, actors.home_org),
        plan=plan,
        expected_version=plan.version,
        decision="approved",
    )


def test_approved_plan_is_not_edited_in_place_and_modification_makes_version_2(
    open_case: Any, build_plan: Any, acting: Any, actors: Any
) -> None:
    plan = _approved_plan(open_case, build_plan, acting, actors)
    manager = acting(actors.case_manager, actors.home_org)
    objectives = objectives_of(plan)
    with pytest.raises(ValidationError) as frozen:
        objective_update(
            acting=manager,
            objective=objectives[0],
            expected_version=objectives[0].version,
            values={"title": "Changed"},
        )
    assert "plan" in frozen.value.message_dict
    version_1 = PlanVersion.objects.get(plan=plan, number=1)
    frozen_snapshot = version_1.get_plain("snapshot")

    version = plan_modification_start(
        acting=manager,
        plan=plan,
        expected_version=plan.version,
        reason="Course moved to autumn",
        anticipated_result="She completes the course",
        requested_by="person",
    )
    assert version.number == 2
    plan = _fresh(plan)
    assert plan.status == PlanStatus.DRAFT and plan.version_number == 2
    objectives = objectives_of(plan)
    objective_update(
        acting=manager,
        objective=objectives[0],
        expected_version=objectives[0].version,
        values={"priority": "desired"},
    )
    added = objective_add(
        acting=manager, plan=plan, values={"domain": "family", "title": "Contact with mother"}
    )
    activity = activity_add(
        acting=manager,
        objective=added,
        values={
            "description": "Family mediation",
            "responsible_kind": "staff",
            "responsible_user": actors.specialist,
        },
    )
    budget_line_add(
        acting=manager,
        activity=activity,
        amount="250",
        currency="MDL",
        funding_organisation=actors.home_org,
    )
    plan = _fresh(plan)
    plan = plan_submit(acting=manager, plan=plan, expected_version=plan.version)
    plan = plan_decide(
        acting=acting(actors.supervisor, actors.home_org),
        plan=plan,
        expected_version=plan.version,
        decision="approved",
    )
    versions = versions_of(plan)
    assert [v.number for v in versions] == [1, 2]
    assert versions[1].get_plain("reason") == "Course moved to autumn"
    assert versions[1].requested_by == "person"
    # Version 1 stays exactly as approved.
    assert PlanVersion.objects.get(plan=plan, number=1).get_plain("snapshot") == frozen_snapshot

    import json

    changes = diff(
        json.loads(versions[0].get_plain("snapshot") or "{}"),
        json.loads(versions[1].get_plain("snapshot") or "{}"),
    )
    described = {(c.kind, c.entity, c.label, c.field, c.old, c.new) for c in changes}
    assert described == {
        ("changed", "objective", "Objective 1", "priority", "necessary", "desired"),
        ("added", "objective", "Contact with mother", "", "", ""),
        ("added", "activity", "Family mediation", "", "", ""),
        ("added", "budget", "Family mediation — MDL\xa0250.00", "", "", ""),
    }


def test_diff_shows_changed_amounts(
    open_case: Any, build_plan: Any, acting: Any, actors: Any
) -> None:
    plan = build_plan(open_case(), by=actors.case_manager, currency="MDL")
    before = snapshot(plan, objectives_of(plan))
    line = objectives_of(plan)[0].activities.all()[0].budget_lines.all()[0]
    type(line).objects.filter(pk=line.pk).update(amount=Decimal("1400.00"))
    after = snapshot(plan, objectives_of(plan))
    assert [(c.entity, c.field, c.old, c.new) for c in diff(before, after)] == [
        ("budget", "amount", "1200.00", "1400.00")
    ]


def test_stale_edit_is_refused(open_case: Any, build_plan: Any, acting: Any, actors: Any) -> None:
    plan = build_plan(open_case(), by=actors.case_manager, currency="MDL")
    objective = objectives_of(plan)[0]
    manager = acting(actors.case_manager, actors.home_org)
    objective_update(
        acting=manager,
        objective=objective,
        expected_version=objective.version,
        values={"title": "First"},
    )
    with pytest.raises(StaleEdit):
        objective_update(
            acting=manager,
            objective=objective,
            expected_version=objective.version,
            values={"title": "Second"},
        )


def test_assessed_domain_without_objective_needs_a_reason(
    open_case: Any, build_plan: Any, assess: Any, acting: Any, actors: Any
) -> None:
    case = open_case()
    assess(case, "health", "high")
    assess(case, "education", "none")
    plan = build_plan(case, by=actors.case_manager, currency="MDL")
    manager = acting(actors.case_manager, actors.home_org)
    with pytest.raises(ValidationError) as refused:
        plan_submit(acting=manager, plan=plan, expected_version=plan.version)
    assert "Health" in refused.value.message_dict["exclusions"][0]
    assert "Education" not in refused.value.message_dict["exclusions"][0]
    domain_exclusion_set(
        acting=manager, plan=plan, domain="health", reason="Treated by the state clinic"
    )
    plan = _fresh(plan)
    assert plan_submit(acting=manager, plan=plan, expected_version=plan.version).status == (
        PlanStatus.APPROVED
    )


def test_minor_plan_is_not_final_without_legal_representative(
    open_case: Any, build_plan: Any, acting: Any, supervised: Any, pdf_upload: Any
) -> None:
    actors = supervised
    case = open_case(minor=True, given_name="Ana", family_name="Mica")
    plan = build_plan(case, by=actors.case_manager, currency="MDL")
    manager = acting(actors.case_manager, actors.home_org)
    plan = plan_submit(acting=manager, plan=plan, expected_version=plan.version)
    plan = plan_decide(
        acting=acting(actors.supervisor, actors.home_org),
        plan=plan,
        expected_version=plan.version,
        decision="approved",
    )
    required, _missing = signature_state(plan)
    assert "legal_representative" in required
    signature_record_paper(
        acting=manager,
        plan=plan,
        role="person",
        signer_name="Ana Mica",
        signed_on=datetime.date(2026, 4, 2),
        upload=pdf_upload(),
    )
    with pytest.raises(ValidationError) as bad_code:
        signature_acknowledge(acting=manager, plan=plan, role="case_manager", otp_code="000000")
    assert "otp_code" in bad_code.value.message_dict
    signature_acknowledge(
        acting=manager, plan=plan, role="case_manager", otp_code=_totp(actors.case_manager)
    )
    assert signature_state(plan)[1] == ["legal_representative"]
    assert not plan_is_final(plan)
    signature_record_paper(
        acting=manager,
        plan=plan,
        role="legal_representative",
        signer_name="Maria Mica",
        signed_on=datetime.date(2026, 4, 2),
        upload=pdf_upload(),
    )
    assert plan_is_final(plan)


def test_adult_plan_final_with_person_and_case_manager(
    open_case: Any, build_plan: Any, acting: Any, actors: Any, pdf_upload: Any
) -> None:
    plan = _approved_plan(open_case, build_plan, acting, actors)
    required, _missing = signature_state(plan)
    assert "legal_representative" not in required
    manager = acting(actors.case_manager, actors.home_org)
    with pytest.raises(ValidationError) as no_scan:
        signature_record_paper(
            acting=manager,
            plan=plan,
            role="person",
            signer_name="Olena",
            signed_on=datetime.date(2026, 4, 2),
            upload=None,
        )
    assert "scan" in no_scan.value.message_dict
    signature_record_paper(
        acting=manager,
        plan=plan,
        role="person",
        signer_name="Olena Petrenko",
        signed_on=datetime.date(2026, 4, 2),
        upload=pdf_upload(),
    )
    signature_acknowledge(
        acting=manager, plan=plan, role="case_manager", otp_code=_totp(actors.case_manager)
    )
    assert plan_is_final(plan)


def test_activity_not_delivered_carries_a_reason(
    open_case: Any, build_plan: Any, acting: Any, actors: Any, sign_all: Any
) -> None:
    plan = _approved_plan(open_case, build_plan, acting, actors)
    plan = sign_all(plan, by=actors.case_manager)
    activity = objectives_of(plan)[0].activities.all()[0]
    manager = acting(actors.case_manager, actors.home_org)
    with pytest.raises(ValidationError) as no_reason:
        activity_progress(
            acting=manager,
            activity=activity,
            expected_version=activity.version,
            status="not_delivered",
        )
    assert "reason" in no_reason.value.message_dict
    done = activity_progress(
        acting=manager,
        activity=activity,
        expected_version=activity.version,
        status="not_delivered",
        reason="waiting_list",
    )
    assert done.not_delivered_reason == "waiting_list"
    # It feeds the register of services needed but not delivered (SPEC C6).
    from referrals.models import UnmetNeed

    need = UnmetNeed.objects.get(plan_activity_id=activity.pk)
    assert (need.case_id, need.reason, need.source) == (
        plan.case_id,
        "waiting_list",
        "plan_activity",
    )
    # Progress on an approved plan opens no new version.
    assert _fresh(plan).version_number == 1


def test_nrs_plan_is_in_force_at_submission_and_a_child_s_needs_the_mayor(
    open_case: Any, build_plan: Any, acting: Any, actors: Any
) -> None:
    case = open_case(minor=True, given_name="Ana", family_name="Mica")
    plan = build_plan(case, by=actors.case_manager, currency="MDL")
    plan = plan_submit(
        acting=acting(actors.case_manager, actors.home_org),
        plan=plan,
        expected_version=plan.version,
    )
    # md-nrs names no approver (SPEC C11): the submitted plan is the final plan.
    assert plan.status == PlanStatus.APPROVED
    assert PlanVersion.objects.get(plan=plan, number=1).get_plain("snapshot")
    required, missing = signature_state(plan)
    assert required == ["person", "case_manager", "legal_representative", "mayor"]
    assert missing == required


def test_demo_plans_are_seeded_once(db: Any) -> None:
    import io

    from django.core.management import call_command

    from assistance.demo import DEMO_CASES as ASSISTANCE_DEMO_PLANS

    call_command("seed_demo", stdout=io.StringIO())
    plans = Plan.objects.count()
    assert plans == 3 + ASSISTANCE_DEMO_PLANS
    # One Moldovan plan signed, and the assistance demo's Georgian plans, taken through the
    # Fund's two stages and signed so they are in force (001 §7.8).
    assert Plan.objects.filter(signatures__role="person").count() == 1 + ASSISTANCE_DEMO_PLANS
    in_force = Plan.objects.filter(
        organisation__policy_pack="ge-fund", in_force_since__isnull=False
    )
    assert in_force.count() == ASSISTANCE_DEMO_PLANS
    assert all(plan.status == "approved" for plan in in_force)
    # The Georgian NGO's other plan waits for the State Fund's decision.
    georgian = Plan.objects.select_related("approving_organisation").get(
        organisation__policy_pack="ge-fund", in_force_since__isnull=True
    )
    assert georgian.status == "submitted"
    assert georgian.approving_organisation is not None
    assert georgian.approving_organisation.type == "state_fund"
    call_command("seed_demo", stdout=io.StringIO())
    assert Plan.objects.count() == plans
