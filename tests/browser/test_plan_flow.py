"""A case manager drafts the plan from an assessment on a tablet-sized screen (objectives,
activities and budget added in place), submits the initial plan to the fund the Georgian pack
names, the fund's coordinator agrees it without seeing who the person is, the final plan goes
to the fund and is approved, the page says the plan is not in force until it is signed, and
the printed plan is saved as a PDF."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from accounts.access import acting_for
from plans.models import Plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _georgian_case(actors: Any, make_user: Any) -> tuple[Any, Any, Any]:
    from accounts.models import Organisation, OrganisationType
    from accounts.roles import Discipline, Role
    from assessments.models import Assessment, ComprehensiveAssessment
    from cases.models import Case
    from cases.services import CaseInput, case_assign_manager, case_register, case_update
    from consent.services import consent_record
    from people.services import PersonInput

    ngo = Organisation.objects.create(
        name="Tbilisi NGO",
        type=OrganisationType.NGO,
        country="GE",
        policy_pack="ge-fund",
        case_prefix="TBN",
    )
    manager = make_user("nino_manager", ngo, Role.CASE_MANAGER, discipline=Discipline.SOCIAL_WORKER)
    supervisor = acting_for(make_user("giorgi_supervisor", ngo, Role.SUPERVISOR), ngo)
    assert supervisor is not None
    case = case_register(
        acting=supervisor,
        person=PersonInput(
            given_name="Tamar", family_name="Beridze", date_of_birth=datetime.date(1996, 5, 4)
        ),
        case=CaseInput(received_at=datetime.date(2026, 3, 1)),
        confirmed_not_duplicate=True,
    )
    case_update(
        acting=supervisor,
        case=case,
        expected_version=case.version,
        values={"immediate_needs_met_on": datetime.date(2026, 3, 2)},
    )
    case = Case.objects.select_related("data_key", "person__data_key").get(pk=case.pk)
    case_assign_manager(
        acting=supervisor,
        case=case,
        case_manager=manager,
        reason="initial",
        expected_version=case.version,
    )
    case = Case.objects.select_related("data_key", "person__data_key").get(pk=case.pk)
    from django.core.files.uploadedfile import SimpleUploadedFile

    # 001 §3.2: written consent; 001 §3.1: the (statutory) victim status.
    consent_record(
        acting=supervisor,
        case=case,
        purpose="assistance",
        given_by="person",
        method="signed_paper",
        given_on=datetime.date(2026, 3, 2),
        document=SimpleUploadedFile("consent.pdf", PDF, content_type="application/pdf"),
    )
    Case.objects.filter(pk=case.pk).update(identification_status="identified")
    comprehensive = ComprehensiveAssessment.objects.create(
        case=case, data_key=case.data_key, started_by=manager
    )
    assessment = Assessment.objects.create(
        case=case,
        comprehensive=comprehensive,
        data_key=case.data_key,
        form_code="de_vocational",
        form_version=1,
        domain="employment",
        assigned_to=manager,
        discipline="social_worker",
        assigned_by=manager,
        status="completed",
        need_level="high",
        completed_on=datetime.date(2026, 3, 10),
    )
    return case, manager, assessment


def test_draft_from_assessment_submit_approve_and_print(
    page: Any,
    chromium_browser: Any,
    live_server: Any,
    actors: Any,
    make_user: Any,
    browser_login: Any,
    screenshot: Any,
    settings: Any,
    tmp_path: Any,
) -> None:
    from tests.browser.conftest import ARTIFACTS

    settings.MEDIA_ROOT = tmp_path
    case, manager, assessment = _georgian_case(actors, make_user)
    browser_login(page, live_server, manager)
    page.goto(f"{live_server.url}/plans/case/{case.pk}/")
    page.click("main button:has-text('Start the plan')")
    page.wait_for_selector("text=Assessed needs without an objective")

    page.select_option("#id_ultimate_goal", "independent_living")
    page.fill("#id_goal_details", "A job and a flat of her own")
    page.click("main button:has-text('Save')")
    page.wait_for_selector("text=Plan saved.")

    page.select_option("#id_o-domain", "employment")
    page.select_option("#id_o-assessment", str(assessment.pk))
    page.fill("#id_o-title", "Stable income from work")
    page.fill("#id_o-need", "No income, no vocational training")
    page.fill("#id_o-indicator", "Employed")
    page.fill("#id_o-target", "Three months in the same job")
    page.click("main button:has-text('Add objective')")
    page.wait_for_selector("h3:has-text('Stable income from work')")
    objective = Plan.objects.get(case=case).objectives.get()

    page.click("text=Add an activity")
    prefix = f"#id_a{objective.pk}"
    page.fill(f"{prefix}-description", "Tailoring course")
    page.select_option(f"{prefix}-responsible_kind", "person")
    page.fill(f"{prefix}-starts_on", "2026-04-01")
    page.fill(f"{prefix}-due_on", "2026-06-30")
    page.click("main button:has-text('Add activity')")
    page.wait_for_selector("td:has-text('Tailoring course')")
    activity = objective.activities.get()

    page.click("text=Add a budget line")
    page.fill(f"#id_b{activity.pk}-amount", "1500")
    page.select_option(f"#id_b{activity.pk}-currency", "GEL")
    page.fill(f"#id_b{activity.pk}-funding_source_name", "State Fund")
    page.click(f"#activity-{activity.pk} button:has-text('Add')")
    # Amounts are written the language's way (CLDR): "GEL 1,500.00" in English.
    page.wait_for_selector("text=GEL\u00a01,500.00")
    screenshot(page, "plan-01-drafted")

    page.click("main button:has-text('Submit the initial plan for approval')")
    page.wait_for_selector("[data-testid=plan-status]:has-text('Submitted for approval')")
    assert Plan.objects.get(case=case).approving_organisation == actors.coordinator_org

    context = chromium_browser.new_context(viewport={"width": 1024, "height": 768})
    fund_page = context.new_page()
    browser_login(fund_page, live_server, actors.coordinator)
    for stage in ("Initial plan", "Final plan with budget"):
        fund_page.goto(f"{live_server.url}/plans/approvals/")
        fund_page.click(f"text={case.code}")
        fund_page.wait_for_selector(f"[data-testid=approval-stage]:has-text('{stage}')")
        content = fund_page.content()
        assert "Tamar" not in content and "Beridze" not in content and case.number not in content
        fund_page.select_option("#id_decision", "approved")
        screenshot(fund_page, f"plan-02-approval-{stage.split()[0].lower()}")
        fund_page.click("main button:has-text('Record the decision')")
        fund_page.wait_for_selector("text=Decision recorded.")
        if stage == "Initial plan":
            assert Plan.objects.get(case=case).status == "agreed"
            # The social worker drafts the final plan and submits it (001 §7.6).
            page.goto(f"{live_server.url}/plans/case/{case.pk}/")
            page.wait_for_selector("[data-testid=plan-stages]")
            page.click("main button:has-text('Submit the final plan with budget for approval')")
            page.wait_for_selector("[data-testid=plan-status]:has-text('Submitted for approval')")
    context.close()
    assert Plan.objects.get(case=case).status == "approved"

    page.goto(f"{live_server.url}/plans/case/{case.pk}/")
    page.wait_for_selector("[data-testid=plan-status]:has-text('Approved')")
    # Approved but not signed: not in force, and the page says what is missing (001 §7.8).
    page.wait_for_selector("[data-testid=plan-not-in-force]:has-text('Signatures missing')")
    page.select_option("#id_layout", "tdh")
    page.select_option("#id_language", "en")
    with page.expect_download() as download:
        page.click("main button:has-text('Print (PDF)')")
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "plan-tdh.pdf"
    download.value.save_as(str(target))
    assert target.read_bytes().startswith(b"%PDF")
    screenshot(page, "plan-03-approved")
