"""A referral between two organisations in a real browser under the strict CSP: the sender
previews exactly what will be shared and sends; the recipient sees only that, accepts and
completes with feedback; the sender sees the outcome. Screenshots of both views."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from referrals.models import Referral, ReferralStatus
from referrals.tests.conftest import (
    NOTE_TEXT,
    _attachments_in_tmp,
    acting,
    case,
    home,
    managed_case,
    pdf_upload,
    register,
    shared_case,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The referral fixtures, used here by name.
FIXTURES = (
    _attachments_in_tmp,
    acting,
    case,
    home,
    managed_case,
    pdf_upload,
    register,
    shared_case,
)


def test_send_accept_and_complete_a_referral(
    page, chromium_browser, live_server, actors, shared_case, browser_login, screenshot
):
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    # The sender: choose the sections, preview, send.
    browser_login(page, live_server, actors.case_manager)
    page.goto(f"{live_server.url}/referrals/cases/{shared_case.pk}/new/")
    page.select_option("#id_recipient", label="Other NGO")
    page.select_option("#id_category", "vocational_training")
    page.fill("#id_purpose", "Hairdressing course with a stipend")
    page.fill("#id_options_offered", "Hairdressing course or bakery apprenticeship")
    page.check("#id_chosen_by_person")
    page.check("input[name=sections][value=needs]")
    page.check("input[name=sections][value=notes]")
    page.click("button[value=preview]")
    preview = page.locator("#referral-preview")
    expect(preview).to_contain_text(NOTE_TEXT)
    expect(preview).to_contain_text("shelter tonight")
    assert "Petrenko" not in preview.inner_text()
    screenshot(page, "referral-preview")
    page.click("button[value=send]")
    expect(page.locator("main")).to_contain_text("Referral sent")
    referral = Referral.objects.get()
    screenshot(page, "referral-sender-view")

    # The recipient, in its own browser context.
    other_context = chromium_browser.new_context(
        viewport={"width": 1024, "height": 768}, locale="en-GB"
    )
    other = other_context.new_page()
    other.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    browser_login(other, live_server, actors.other_worker)
    other.click("nav >> text=Referrals")
    other.click(f"text={shared_case.code}")
    shared = other.locator(".shared-sections")
    expect(shared).to_contain_text(NOTE_TEXT)
    assert other.locator("[data-section]").count() == 2
    assert "Petrenko" not in other.locator("main").inner_text()
    screenshot(other, "referral-recipient-view")
    other.select_option("#id_status", "accepted")
    other.fill("#id_answer", "We have a place in the May course")
    other.click("main form button[type=submit]")
    expect(other.locator("main")).to_contain_text("Answer recorded")
    other.click(f"text={shared_case.code}")
    other.select_option("#id_status", "completed")
    other.fill("#id_feedback", "Finished the course with a certificate")
    other.click("main form button[type=submit]")
    expect(other.locator("main")).to_contain_text("Answer recorded")
    expect(other.locator("main")).to_contain_text("Completed")
    screenshot(other, "referral-recipient-inbox")
    other_context.close()

    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED

    # The sender sees the outcome and the feedback.
    page.goto(f"{live_server.url}/referrals/cases/{shared_case.pk}/{referral.pk}/")
    expect(page.locator("main")).to_contain_text("Finished the course with a certificate")
    expect(page.locator("main")).to_contain_text("Completed")
    screenshot(page, "referral-sender-completed")
    # The strict CSP held on every page of the flow (no inline script or style was needed).
    assert not [e for e in errors if "Content Security Policy" in e], errors
