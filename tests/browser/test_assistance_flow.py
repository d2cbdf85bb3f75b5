"""On a tablet-sized screen a Georgian case manager records what was done for an activity of
the approved plan (result, evidence, done), gives two items of assistance and records the
person's acknowledgement of each, prints the acknowledgement sheet, and submits and prints
the monthly expenditure report. The PDFs and screenshots land in test-artifacts/."""

from __future__ import annotations

from typing import Any

import pytest

from assistance.models import ExpenditureReport, LedgerItem
from assistance.tests.conftest import funded_case, give  # noqa: F401  (fixtures)
from plans.models import Activity
from plans.tests.conftest import (  # noqa: F401  (fixtures)
    PDF,
    _attachments_in_tmp,
    acting,
    build_plan,
    ge_ngo,
    open_case,
    pdf_upload,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_record_result_ledger_acknowledgements_and_print(
    chromium_browser: Any,
    live_server: Any,
    actors: Any,
    funded_case: Any,  # noqa: F811  (pytest fixture)
    browser_login: Any,
    screenshot: Any,
    tmp_path: Any,
) -> None:
    from tests.browser.conftest import ARTIFACTS

    funded = funded_case()
    activity = funded.activities[0]
    evidence_file = tmp_path / "certificate.pdf"
    evidence_file.write_bytes(PDF)
    scan_file = tmp_path / "signed-receipt.pdf"
    scan_file.write_bytes(PDF)

    context = chromium_browser.new_context(
        viewport={"width": 820, "height": 1180}, locale="en-GB", accept_downloads=True
    )
    page = context.new_page()
    browser_login(page, live_server, funded.case_manager)
    page.goto(f"{live_server.url}/assistance/case/{funded.case.pk}/")
    page.wait_for_selector("h2:has-text('Spending against budget and cap')")

    # The activity's result, its evidence, and done.
    card = page.locator(f"#activity-{activity.pk}")
    card.locator("summary:has-text('Record the implementation')").click()
    prefix = f"#id_i{activity.pk}"
    page.fill(f"{prefix}-actual_start", "2026-04-02")
    page.fill(f"{prefix}-actual_end", "2026-11-20")
    page.fill(f"{prefix}-result", "Finished the course; works in a tailoring workshop")
    page.select_option(f"{prefix}-delivered_by", "person")
    page.fill(f"{prefix}-value_reached", "3")
    card.locator("button:has-text('Save implementation')").click()
    page.wait_for_selector("text=Implementation saved.")
    card = page.locator(f"#activity-{activity.pk}")
    card.locator("summary:has-text('Add evidence')").click()
    page.set_input_files(f"#id_e{activity.pk}-file", str(evidence_file))
    card.locator("button:has-text('Upload')").click()
    page.wait_for_selector("text=Evidence added.")
    card = page.locator(f"#activity-{activity.pk}")
    card.locator("summary:has-text('Change the status')").click()
    page.select_option(f"#t{activity.pk}-status", "done")
    card.locator("button:has-text('Change the status')").click()
    page.wait_for_selector(f"[data-testid=status-{activity.pk}]:has-text('Done')")
    assert Activity.objects.get(pk=activity.pk).status == "done"
    assert page.locator(f"#activity-{activity.pk} a:has-text('certificate.pdf')").count() == 1

    # Two items of assistance, each acknowledged by the person.
    for category, amount, line in (("food_hygiene", "120", 0), ("transport", "35.50", 1)):
        page.click("summary:has-text('Record assistance given')")
        page.select_option("#id_l-category", category)
        page.fill("#id_l-amount", amount)
        page.select_option("#id_l-budget_line", str(funded.lines[line].pk))
        page.fill("#id_l-description", f"{category} for the month")
        page.click("#ledger-add button:has-text('Record')")
        page.wait_for_selector("text=Assistance recorded.")
    items = list(LedgerItem.objects.filter(case=funded.case).order_by("id"))
    assert [str(item.amount) for item in items] == ["120.00", "35.50"]

    first, second = items
    page.click(f"#item-{first.pk} summary:has-text('Record acknowledgement')")
    page.select_option(f"#id_k{first.pk}-method", "on_screen")
    page.click(f"#item-{first.pk} button:has-text('Save')")
    page.wait_for_selector("text=Acknowledgement recorded.")
    page.click(f"#item-{second.pk} summary:has-text('Record acknowledgement')")
    page.select_option(f"#id_k{second.pk}-method", "paper")
    page.set_input_files(f"#id_k{second.pk}-scan", str(scan_file))
    page.click(f"#item-{second.pk} button:has-text('Save')")
    page.wait_for_selector("text=Acknowledgement recorded.")
    assert set(LedgerItem.objects.values_list("acknowledgement", flat=True)) == {
        "on_screen",
        "paper",
    }
    screenshot(page, "assistance-01-implementation-tablet")

    # The acknowledgement sheet for the period, in the person's language (Georgian).
    with page.expect_download() as sheet:
        page.click("button:has-text('Print the acknowledgement sheet (PDF)')")
    ARTIFACTS.mkdir(exist_ok=True)
    sheet_path = ARTIFACTS / "assistance-acknowledgement-sheet.pdf"
    sheet.value.save_as(str(sheet_path))
    assert sheet_path.read_bytes().startswith(b"%PDF")

    # The monthly report: reviewed, submitted, printed.
    page.goto(f"{live_server.url}/assistance/reports/monthly/")
    page.wait_for_selector("[data-testid=report-lines]")
    assert funded.case.code in page.inner_text("[data-testid=report-lines]")
    page.check("#id_reviewed")
    page.click("button:has-text('Submit to the coordinating organisation')")
    page.wait_for_selector("[data-testid=report-status]")
    assert ExpenditureReport.objects.filter(case_manager=funded.case_manager).count() == 1
    screenshot(page, "assistance-02-monthly-report")
    with page.expect_download() as report:
        page.click("a:has-text('PDF')")
    report_path = ARTIFACTS / "assistance-monthly-report.pdf"
    report.value.save_as(str(report_path))
    assert report_path.read_bytes().startswith(b"%PDF")

    # Laptop width: the same section still reads.
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/assistance/case/{funded.case.pk}/")
    screenshot(page, "assistance-03-implementation-laptop")
    context.close()
