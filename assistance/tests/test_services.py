"""Services of implementation and assistance: the cap against actual spending and its
override, budget lines, off-plan aid, acknowledgements, activity transitions and results,
evidence, the monthly report's sums and the work items it meets."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from assistance.models import ActivityImplementation, ExpenditureReport, LedgerItem
from assistance.rules import disbursement_part, measurable_target, phase_of
from assistance.selectors import cost_per_beneficiary, monthly_report, spending_of
from assistance.services import (
    evidence_add,
    expenditure_report_acknowledge,
    expenditure_report_submit,
    implementation_record,
    implementation_transition,
    ledger_acknowledge,
    ledger_item_update,
)
from audit.models import AuditEntry
from lib.errors import StaleEdit
from plans.models import Activity
from referrals.models import UnmetNeed
from work.models import WorkItem, WorkItemKind
from work.selectors import my_open_items, team_overdue_items

pytestmark = pytest.mark.django_db


def _spend_1900(funded: Any, give: Any) -> None:
    give(funded, "1200", line=0)
    give(funded, "700", line=1, category="transport")


def test_cap_refuses_an_item_naming_cap_spent_total_and_item(funded_case: Any, give: Any) -> None:
    funded = funded_case()
    _spend_1900(funded, give)
    with pytest.raises(ValidationError) as refused:
        give(funded, "150", line=None, off_plan_reason="Emergency medicine")
    message = refused.value.message_dict["amount"][0]
    assert "GEL" in message and "2,000.00" in message
    assert "1,900.00" in message
    assert "150.00" in message
    assert LedgerItem.objects.filter(case=funded.case).count() == 2


def test_supervisor_override_lets_the_item_through_and_is_audited(
    funded_case: Any, give: Any
) -> None:
    funded = funded_case()
    _spend_1900(funded, give)
    with pytest.raises(PermissionDenied):
        give(
            funded,
            "150",
            line=None,
            off_plan_reason="Emergency medicine",
            cap_override_reason="Medicine after a relapse",
        )
    item = give(
        funded,
        "150",
        line=None,
        by=funded.supervisor,
        off_plan_reason="Emergency medicine",
        cap_override_reason="Medicine after a relapse",
    )
    assert item.cap_override_by == funded.supervisor
    assert item.get_plain("cap_override_reason") == "Medicine after a relapse"
    entry = AuditEntry.objects.get(
        object_type="assistance.ledgeritem",
        object_id=str(item.pk),
        detail__override="budget_cap",
    )
    assert entry.detail["cap"] == "2000.00"
    assert entry.detail["spent"] == "1900.00"
    assert entry.actor_id == funded.supervisor.pk
    spending = spending_of(funded.case, funded.plan)
    assert spending.cap is not None and spending.cap.spent == Decimal("2050.00")


def test_in_kind_items_do_not_count_against_the_cap(funded_case: Any, give: Any) -> None:
    funded = funded_case()
    _spend_1900(funded, give)
    give(funded, "400", line=None, provision="in_kind", off_plan_reason="Donated clothes")
    costs = cost_per_beneficiary(funded.case, funded.plan)
    assert costs.totals == [("GEL", Decimal("2300.00"))]


def test_over_spending_a_budget_line_needs_a_reason(funded_case: Any, give: Any) -> None:
    funded = funded_case()
    give(funded, "600", line=1)
    with pytest.raises(ValidationError) as refused:
        give(funded, "150", line=1)
    assert "over_budget_reason" in refused.value.message_dict
    assert "700.00" in refused.value.message_dict["over_budget_reason"][0]
    item = give(funded, "150", line=1, over_budget_reason="Prices rose in winter")
    assert item.get_plain("over_budget_reason") == "Prices rose in winter"
    line = next(
        row
        for row in spending_of(funded.case, funded.plan).lines
        if row.line.pk == funded.lines[1].pk
    )
    assert line.over and line.spent == Decimal("750.00")


def test_off_plan_aid_says_why_and_the_budget_line_sets_currency_and_funding(
    funded_case: Any, give: Any, acting: Any
) -> None:
    funded = funded_case()
    with pytest.raises(ValidationError) as refused:
        give(funded, "20", line=None)
    assert "off_plan_reason" in refused.value.message_dict
    from assistance.services import ledger_item_record

    with pytest.raises(ValidationError) as wrong_currency:
        ledger_item_record(
            acting=acting(funded.case_manager, funded.organisation),
            case=funded.case,
            values={
                "category": "rent",
                "given_on": datetime.date(2026, 11, 3),
                "amount": Decimal("10"),
                "currency": "USD",
                "budget_line": funded.lines[0],
            },
        )
    assert "GEL" in wrong_currency.value.message_dict["currency"][0]
    item = give(funded, "20", line=0)
    assert item.funding_label == "State Fund"
    assert item.domain == "employment"


def test_ledger_edit_is_version_checked(funded_case: Any, give: Any, acting: Any) -> None:
    funded = funded_case()
    item = give(funded, "100", line=0)
    worker = acting(funded.case_manager, funded.organisation)
    updated = ledger_item_update(
        acting=worker,
        item=item,
        expected_version=item.version,
        values={"amount": Decimal("120")},
        description="Winter package",
    )
    assert updated.amount == Decimal("120") and updated.version == 2
    with pytest.raises(StaleEdit) as stale:
        ledger_item_update(
            acting=worker, item=item, expected_version=1, values={"amount": Decimal("5")}
        )
    assert stale.value.current.amount == Decimal("120.00")
    assert LedgerItem.objects.get(pk=item.pk).amount == Decimal("120.00")


def test_acknowledgement_on_paper_needs_the_scan(
    funded_case: Any, give: Any, acting: Any, pdf_upload: Any
) -> None:
    funded = funded_case()
    item = give(funded, "100", line=0)
    worker = acting(funded.case_manager, funded.organisation)
    with pytest.raises(ValidationError) as refused:
        ledger_acknowledge(
            acting=worker,
            item=item,
            expected_version=item.version,
            method="paper",
            acknowledged_on=datetime.date(2026, 11, 10),
        )
    assert "scan" in refused.value.message_dict
    signed = ledger_acknowledge(
        acting=worker,
        item=item,
        expected_version=item.version,
        method="paper",
        acknowledged_on=datetime.date(2026, 11, 10),
        upload=pdf_upload("signed-receipt.pdf"),
    )
    assert signed.scan and signed.acknowledgement == "paper"
    assert signed.get_plain("scan_name") == "signed-receipt.pdf"


def test_activity_transitions_dates_result_value_and_register(
    funded_case: Any, acting: Any
) -> None:
    funded = funded_case()
    worker = acting(funded.case_manager, funded.organisation)
    first, second = funded.activities
    with pytest.raises(ValidationError) as refused:
        implementation_transition(
            acting=worker, activity=first, expected_version=first.version, status="done"
        )
    assert "actual_end" in refused.value.message_dict
    record = implementation_record(
        acting=worker,
        activity=first,
        expected_version=0,
        values={
            "actual_start": datetime.date(2026, 4, 2),
            "actual_end": datetime.date(2026, 11, 20),
            "result": "Certificate of the tailoring course",
            "delivered_by": "person",
        },
    )
    with pytest.raises(StaleEdit):
        implementation_record(
            acting=worker, activity=first, expected_version=0, values={"result": "x"}
        )
    # The objective's target "3 months in the job" is measurable: the value is required.
    with pytest.raises(ValidationError) as needs_value:
        implementation_transition(
            acting=worker, activity=first, expected_version=first.version, status="done"
        )
    assert "value_reached" in needs_value.value.message_dict
    implementation_record(
        acting=worker,
        activity=first,
        expected_version=record.version,
        values={"value_reached": "3"},
    )
    done = implementation_transition(
        acting=worker, activity=first, expected_version=first.version, status="done"
    )
    assert done.status == "done"
    with pytest.raises(ValidationError):
        implementation_transition(
            acting=worker, activity=done, expected_version=done.version, status="cancelled"
        )
    not_delivered = implementation_transition(
        acting=worker,
        activity=second,
        expected_version=second.version,
        status="not_delivered",
        reason="waiting_list",
    )
    assert not_delivered.not_delivered_reason == "waiting_list"
    assert UnmetNeed.objects.filter(case=funded.case, plan_activity_id=second.pk).exists()
    assert Activity.objects.get(pk=first.pk).implementation.get_plain("result") == (
        "Certificate of the tailoring course"
    )


def test_delivery_by_another_organisation_needs_an_accepted_referral(
    funded_case: Any, acting: Any
) -> None:
    funded = funded_case()
    worker = acting(funded.case_manager, funded.organisation)
    with pytest.raises(ValidationError) as refused:
        implementation_record(
            acting=worker,
            activity=funded.activities[0],
            expected_version=0,
            values={"delivered_by": "organisation"},
        )
    assert "referral" in refused.value.message_dict


def test_evidence_follows_the_upload_rules(funded_case: Any, acting: Any, pdf_upload: Any) -> None:
    funded = funded_case()
    worker = acting(funded.case_manager, funded.organisation)
    with pytest.raises(ValidationError) as refused:
        evidence_add(
            acting=worker,
            activity=funded.activities[0],
            upload=SimpleUploadedFile("virus.pdf", b"MZ\x90\x00binary"),
        )
    assert "file" in refused.value.message_dict
    evidence = evidence_add(
        acting=worker, activity=funded.activities[0], upload=pdf_upload("certificate.pdf")
    )
    assert evidence.content_type == "application/pdf"
    assert evidence.get_plain("file_name") == "certificate.pdf"


def test_monthly_report_sums_exactly_the_month_of_the_case_managers_cases(
    funded_case: Any, give: Any, acting: Any, make_user: Any
) -> None:
    from accounts.roles import Role

    funded = funded_case()
    second = funded_case(given_name="Nana")
    colleague = make_user("lela_manager", funded.organisation, Role.CASE_MANAGER)
    others = funded_case(given_name="Keti", case_manager=colleague)
    give(funded, "100.50", line=0, on=datetime.date(2026, 11, 1))
    give(funded, "40", line=0, on=datetime.date(2026, 11, 30))
    give(funded, "30", line=1, on=datetime.date(2026, 11, 15), category="transport")
    give(second, "25.25", line=0, on=datetime.date(2026, 11, 5))
    give(funded, "999", line=0, on=datetime.date(2026, 10, 31))  # another month
    give(others, "555", line=0, on=datetime.date(2026, 11, 5))  # another case manager
    worker = acting(funded.case_manager, funded.organisation)
    implementation_record(
        acting=worker,
        activity=funded.activities[0],
        expected_version=0,
        values={"actual_end": datetime.date(2026, 11, 12), "value_reached": "3"},
    )
    implementation_transition(
        acting=worker,
        activity=funded.activities[0],
        expected_version=funded.activities[0].version,
        status="done",
    )
    report = monthly_report(
        organisation_id=funded.organisation.pk,
        case_manager=funded.case_manager,
        month=datetime.date(2026, 11, 1),
    )
    assert report.totals == [("GEL", Decimal("195.75"))]
    by_case = {(line.case_code, line.category): line.amount for line in report.lines}
    assert by_case == {
        (funded.case.code, "food_hygiene"): Decimal("140.50"),
        (funded.case.code, "transport"): Decimal("30.00"),
        (second.case.code, "food_hygiene"): Decimal("25.25"),
    }
    assert [(work.case_code, work.completed_on) for work in report.works] == [
        (funded.case.code, datetime.date(2026, 11, 12))
    ]
    assert others.case.code not in {line.case_code for line in report.lines}


def test_submitting_meets_the_work_item_and_a_missing_month_is_overdue(
    funded_case: Any, give: Any, acting: Any, actors: Any
) -> None:
    funded = funded_case()
    worker = acting(funded.case_manager, funded.organisation)
    item = WorkItem.objects.get(case=funded.case, kind=WorkItemKind.EXPENDITURE_REPORT)
    assert item.done_on is None and item.responsible_id == funded.case_manager.pk
    # A month later without a report: overdue for the case manager and the supervisor.
    late = item.due_on + datetime.timedelta(days=3)
    with time_machine.travel(datetime.datetime.combine(late, datetime.time(10)), tick=False):
        assert my_open_items(worker, today=late).filter(pk=item.pk, due_on__lt=late).exists()
        assert team_overdue_items(funded.organisation, today=late).filter(pk=item.pk).exists()
        report = expenditure_report_submit(
            acting=worker, month=datetime.date(late.year, late.month, 1), reviewed=True
        )
    assert report.recipient == actors.coordinator_org
    item.refresh_from_db()
    assert item.done_on == late
    following = WorkItem.objects.get(
        case=funded.case, kind=WorkItemKind.EXPENDITURE_REPORT, done_on__isnull=True
    )
    assert following.key == f"report:{late.isoformat()}"
    again = datetime.datetime.combine(late, datetime.time(11))
    with pytest.raises(ValidationError) as twice, time_machine.travel(again, tick=False):
        expenditure_report_submit(
            acting=worker, month=datetime.date(late.year, late.month, 1), reviewed=True
        )
    assert "month" in twice.value.message_dict


def test_submission_needs_the_review_and_the_coordinator_acknowledges(
    funded_case: Any, give: Any, acting: Any, actors: Any
) -> None:
    funded = funded_case()
    worker = acting(funded.case_manager, funded.organisation)
    with pytest.raises(ValidationError) as refused:
        expenditure_report_submit(acting=worker, month=datetime.date(2026, 11, 1), reviewed=False)
    assert "reviewed" in refused.value.message_dict
    give(funded, "80", line=0)
    report = expenditure_report_submit(
        acting=worker, month=datetime.date(2026, 11, 1), reviewed=True
    )
    assert [line.amount for line in report.lines.all()] == [Decimal("80.00")]
    with pytest.raises(PermissionDenied):
        expenditure_report_acknowledge(acting=worker, report=report, expected_version=1)
    coordinator = acting(actors.coordinator, actors.coordinator_org)
    with pytest.raises(StaleEdit):
        expenditure_report_acknowledge(acting=coordinator, report=report, expected_version=7)
    done = expenditure_report_acknowledge(acting=coordinator, report=report, expected_version=1)
    assert done.status == "acknowledged"
    assert ExpenditureReport.objects.get(pk=report.pk).acknowledged_by == actors.coordinator


def test_pure_rules() -> None:
    assert measurable_target("3 months in the same job") == Decimal("3")
    assert measurable_target("income of 450,50 GEL") == Decimal("450.50")
    assert measurable_target("within six months") is None
    start = datetime.date(2026, 1, 1)
    assert disbursement_part(datetime.date(2026, 2, 1), start=start, term_months=12) == 1
    assert disbursement_part(datetime.date(2026, 6, 1), start=start, term_months=12) == 2
    assert disbursement_part(datetime.date(2026, 12, 1), start=start, term_months=12) == 3
    assert (
        phase_of(
            datetime.date(2026, 3, 1),
            received_on=start,
            phases=[],
            plan_start=datetime.date(2026, 4, 1),
            plan_end=None,
        )
        == "before_plan"
    )


def test_synthetic_ledger_items_for_a_share_of_cases(actors: Any) -> None:
    import random

    from assistance.synthetic import ledger_items_bulk_seed
    from cases.models import Case
    from crypto.services import data_key_create

    cases = []
    for index in range(40):
        key = data_key_create()
        from people.models import Person

        person = Person.objects.create(data_key=key)
        cases.append(
            Case.objects.create(
                organisation=actors.home_org,
                person=person,
                data_key=key,
                number=f"HOM-2026-{index}",
                code=f"R-TEST-{index:04d}",
                case_manager=actors.case_manager,
                registered_by=actors.supervisor,
                received_at=datetime.date(2026, 1, 1),
                policy_pack="md-nrs",
                policy_pack_version=1,
            )
        )
    created = ledger_items_bulk_seed(random.Random(3), cases, datetime.date(2026, 11, 1))
    assert created == LedgerItem.objects.count() > 0
    with_items = LedgerItem.objects.values("case").distinct().count()
    assert 5 < with_items < 35
    assert set(LedgerItem.objects.values_list("currency", flat=True)) == {"MDL"}


def test_seed_demo_shows_the_georgian_ledger_and_a_submitted_report() -> None:
    import io

    from django.core.management import call_command

    from assistance.selectors import cap_state

    call_command("seed_demo", stdout=io.StringIO())
    item = LedgerItem.objects.select_related("case").filter(provision="paid").first()
    assert item is not None and item.case.policy_pack == "ge-fund"
    state = cap_state(item.case)
    assert state is not None and state.spent == Decimal("1900")
    report = ExpenditureReport.objects.get()
    assert report.recipient is not None and report.recipient.type == "state_fund"
    assert report.lines.exists()
    call_command("seed_demo", stdout=io.StringIO())
    assert ExpenditureReport.objects.count() == 1
    assert LedgerItem.objects.count() == 4


def test_service_of_another_organisation_through_an_accepted_referral_counts_at_its_value(
    funded_case: Any, acting: Any, actors: Any
) -> None:
    from referrals.models import Referral

    funded = funded_case()
    worker = acting(funded.case_manager, funded.organisation)
    sent = Referral.objects.create(
        case=funded.case,
        data_key=funded.case.data_key,
        sender=funded.organisation,
        sent_by=funded.case_manager,
        recipient=actors.other_org,
        category="employment",
        respond_by=datetime.date(2026, 4, 10),
    )
    with pytest.raises(ValidationError) as not_accepted:
        implementation_record(
            acting=worker,
            activity=funded.activities[0],
            expected_version=0,
            values={"delivered_by": "organisation", "referral": sent},
        )
    assert "referral" in not_accepted.value.message_dict
    Referral.objects.filter(pk=sent.pk).update(status="accepted")
    sent.refresh_from_db()
    record = implementation_record(
        acting=worker,
        activity=funded.activities[0],
        expected_version=0,
        values={
            "delivered_by": "organisation",
            "referral": sent,
            "actual_start": datetime.date(2026, 5, 4),
            "actual_end": datetime.date(2026, 6, 30),
            "estimated_value": "300",
            "estimated_currency": "gel",
        },
    )
    assert record.referral == sent and record.estimated_currency == "GEL"
    costs = cost_per_beneficiary(funded.case, funded.plan)
    assert costs.totals == [("GEL", Decimal("300.00"))]
    assert [(row.source, row.funding) for row in costs.rows] == [
        ("Service of another organisation", "Other NGO")
    ]
    assert costs.by_phase == [("While the plan runs", "GEL", Decimal("300.00"))]


def test_a_family_member_who_delivered_is_named(funded_case: Any, acting: Any) -> None:
    funded = funded_case()
    worker = acting(funded.case_manager, funded.organisation)
    activity = funded.activities[1]
    with pytest.raises(ValidationError) as unnamed:
        implementation_record(
            acting=worker,
            activity=activity,
            expected_version=0,
            values={"delivered_by": "family_member"},
        )
    assert "delivered_by_name" in unnamed.value.message_dict
    record = implementation_record(
        acting=worker,
        activity=activity,
        expected_version=0,
        values={"delivered_by": "family_member", "delivered_by_name": "Her aunt Nana"},
    )
    assert record.get_plain("delivered_by_name") == "Her aunt Nana"
    again = implementation_record(
        acting=worker, activity=activity, expected_version=1, values={"result": "Room found"}
    )
    assert again.get_plain("delivered_by_name") == "Her aunt Nana"


# ---------------------------------------------------------------- plan approved, not in force


def test_implementation_waits_until_the_approved_plan_is_signed(
    funded_case: Any, give: Any, acting: Any, pdf_upload: Any
) -> None:
    """001 §7.8; 002 L1187-L1189: an approved plan missing signatures is not in force, so its
    activities are not implemented and its budget is not spent yet; emergency aid outside the
    plan is still recorded."""
    from plans.demo import plan_sign_on_paper
    from plans.models import Plan
    from plans.services import plan_in_force, signature_state

    funded = funded_case(sign=False)
    assert funded.plan.status == "approved" and not plan_in_force(funded.plan)
    assert signature_state(funded.plan)[1]
    worker = acting(funded.case_manager, funded.organisation)
    activity = funded.activities[0]
    for attempt in (
        lambda: implementation_record(
            acting=worker,
            activity=activity,
            expected_version=0,
            values={"actual_start": datetime.date(2026, 11, 2)},
        ),
        lambda: implementation_transition(
            acting=worker,
            activity=activity,
            expected_version=activity.version,
            status="in_progress",
        ),
        lambda: evidence_add(acting=worker, activity=activity, upload=pdf_upload()),
    ):
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert "not in force" in refused.value.message_dict["plan"][0]
    with pytest.raises(ValidationError) as on_budget:
        give(funded, "100", line=0)
    assert "not in force" in on_budget.value.message_dict["budget_line"][0]
    assert not ActivityImplementation.objects.filter(activity=activity).exists()
    assert Activity.objects.get(pk=activity.pk).status == "planned"
    assert not LedgerItem.objects.filter(case=funded.case).exists()
    # Emergency aid outside the plan does not wait for the plan.
    give(funded, "30", line=None, off_plan_reason="Medicine on the day of admission")

    plan = plan_sign_on_paper(funded.plan, acting=worker, signed_on=datetime.date(2026, 11, 1))
    assert plan_in_force(Plan.objects.get(pk=plan.pk))
    implementation_transition(
        acting=worker, activity=activity, expected_version=activity.version, status="in_progress"
    )
    assert give(funded, "100", line=0).budget_line_id == funded.lines[0].pk


# ---------------------------------------------------------------- the funder's name


def test_other_funders_name_is_encrypted_and_read_back_but_never_grouped(
    funded_case: Any, give: Any, acting: Any
) -> None:
    from django.db import connection

    funded = funded_case()
    give(funded, "10", line=None, off_plan_reason="Winter coat", on=datetime.date(2026, 11, 3))
    give(funded, "15", line=None, off_plan_reason="Boots", on=datetime.date(2026, 11, 4))
    item = LedgerItem.objects.select_related("data_key").filter(case=funded.case).first()
    assert item is not None and item.funding_source_name == "State Fund"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT funding_source_name_enc FROM assistance_ledgeritem WHERE id = %s", [item.pk]
        )
        stored = bytes(cursor.fetchone()[0])
    assert b"State Fund" not in stored
    # The case's costs name the funder, summed across items (each ciphertext differs).
    costs = cost_per_beneficiary(funded.case, funded.plan)
    named = [row for row in costs.rows if row.funding == "State Fund"]
    assert [row.amount for row in named] == [Decimal("25.00")]
    # The report to the coordinator counts it as another funder, never by its name.
    report = monthly_report(
        organisation_id=funded.organisation.pk,
        case_manager=funded.case_manager,
        month=datetime.date(2026, 11, 1),
    )
    assert [(line.funding, line.amount) for line in report.lines] == [
        ("Other funders", Decimal("25.00"))
    ]
    # Editing the name re-encrypts it.
    updated = ledger_item_update(
        acting=acting(funded.case_manager, funded.organisation),
        item=item,
        expected_version=item.version,
        values={"funding_source_name": "Her aunt Nino"},
    )
    fresh = LedgerItem.objects.select_related("data_key").get(pk=updated.pk)
    assert fresh.funding_label == "Her aunt Nino"
