"""An assessment filled in on a case in a real browser under the strict CSP: the
conditional question appears through htmx without a reload, progress is saved, and the
assessment prints as a PDF (kept under test-artifacts/)."""

from __future__ import annotations

import datetime
import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _case_with_risk_assessment(actors):
    from accounts.access import acting_for
    from assessments.services import assessment_assign, comprehensive_start
    from cases.models import Case
    from cases.services import CaseInput, case_assign_manager, case_register, case_update
    from people.services import PersonInput

    supervisor = acting_for(actors.supervisor, actors.home_org)
    manager = acting_for(actors.case_manager, actors.home_org)
    assert supervisor is not None and manager is not None
    case = case_register(
        acting=supervisor,
        person=PersonInput(
            given_name="Olena", family_name="Petrenko", date_of_birth=datetime.date(1998, 4, 2)
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
    fresh = Case.objects.select_related("data_key", "person__data_key").get(pk=case.pk)
    case_assign_manager(
        acting=supervisor,
        case=fresh,
        case_manager=actors.case_manager,
        reason="initial",
        expected_version=fresh.version,
    )
    fresh = Case.objects.select_related("data_key", "person__data_key", "case_manager").get(
        pk=case.pk
    )
    comprehensive = comprehensive_start(acting=manager, case=fresh)
    assessment_assign(
        acting=manager,
        case=fresh,
        comprehensive=comprehensive,
        form_code="risk_assessment",
        assignee=actors.case_manager,
    )
    return fresh


def test_fill_in_a_conditional_assessment_on_a_case_and_print_it(
    page, live_server, actors, browser_login, screenshot
):
    from assessments.models import Assessment
    from tests.browser.conftest import ARTIFACTS

    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    case = _case_with_risk_assessment(actors)

    browser_login(page, live_server, actors.case_manager)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.click("nav.tabs >> text=Assessments")
    page.wait_for_url(f"**/assessments/cases/{case.pk}/")
    page.click("main >> text=Fill in")

    follow_up = page.locator("textarea[name=q-changes_since_last]")
    expect(follow_up).to_have_count(0)
    page.check("#field-q-stage-periodic_review")
    expect(follow_up).to_be_visible()
    follow_up.fill("The trafficker was released on bail.")
    screenshot(page, "assessment-record-conditional")

    page.click("button[name=save]")
    page.wait_for_load_state()
    expect(page.locator("body")).to_contain_text("Progress saved.")
    expect(page.locator("textarea[name=q-changes_since_last]")).to_have_value(
        "The trafficker was released on bail."
    )
    assessment = Assessment.objects.get(case=case)
    assert assessment.status == "in_progress"
    assert assessment.answers["stage"] == "periodic_review"

    response = page.request.get(
        f"{live_server.url}/assessments/cases/{case.pk}/{assessment.pk}/print/"
    )
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = response.body()
    (ARTIFACTS / "assessment-record.pdf").write_bytes(pdf)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "The trafficker was released on bail." in text
    assert not [t for t in problems if "Content Security Policy" in t], problems
