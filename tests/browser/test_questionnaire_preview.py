# Named to run after test_casefile_flow: that test reads indicator rows written by a data
# migration, which the flush after any earlier transactional test removes.
"""The assessment form preview in a real browser under the strict CSP: a conditional question
appears through htmx (static files only, no inline script), rows of a repeating group are
added in place, and checking the answers names the questions that need attention."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_conditional_question_appears_and_answers_are_checked(
    page, live_server, actors, browser_login, screenshot
):
    problems: list[str] = []

    def keep_errors(message):
        if message.type == "error":
            problems.append(message.text)

    page.on("console", keep_errors)

    browser_login(page, live_server, actors.case_manager)
    page.click("nav >> text=Assessment forms")
    page.wait_for_url("**/assessments/forms/")
    page.click("main >> text=Risk assessment")
    page.wait_for_url("**/assessments/forms/risk_assessment/")

    follow_up = page.locator("textarea[name=q-changes_since_last]")
    expect(follow_up).to_have_count(0)
    page.check("#field-q-stage-periodic_review")
    expect(follow_up).to_be_visible()
    # The swap keeps the answer just given.
    expect(page.locator("#field-q-stage-periodic_review")).to_be_checked()
    follow_up.fill("The trafficker was released on bail.")

    page.click("button[name=add_row][value=risks]")
    expect(page.locator("[name=q-risks-0-risk]")).to_be_visible()
    page.fill("[name=q-risks-0-risk]", "Retaliation after the release")
    screenshot(page, "assessment-preview-conditional")

    page.click("button[name=validate]")
    page.wait_for_load_state()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    assert "Who contributed to this assessment?: This question is required." in (
        summary.inner_text()
    )
    # What was typed survives the round trip.
    expect(page.locator("textarea[name=q-changes_since_last]")).to_have_value(
        "The trafficker was released on bail."
    )
    screenshot(page, "assessment-preview-errors")
    assert not [text for text in problems if "Content Security Policy" in text], problems


def test_form_in_georgian_after_choosing_the_language(
    page, live_server, actors, browser_login, screenshot
):
    browser_login(page, live_server, actors.specialist)
    # The language on the account decides, from the next page on.
    actors.specialist.language = "ka"
    actors.specialist.save()
    page.goto(f"{live_server.url}/assessments/forms/de_psychosocial_adult/")
    expect(page.locator("h1")).to_have_text("ფსიქოსოციალური საჭიროებების შეფასება (ზრდასრული)")
    describe = page.locator("textarea[name=q-insomnia_describe]")
    expect(describe).to_have_count(0)
    page.check("#field-q-insomnia-yes")
    expect(describe).to_be_visible()
    expect(page.locator("label[for=field-q-insomnia_describe]")).to_have_text("თუ კი, აღწერეთ")
    screenshot(page, "assessment-preview-georgian")
