"""The demo's long Albanian case on a tablet and a laptop: the monitoring section shows the
phase, the contacts and the outcome chart; the trajectory page draws every domain's baseline
and later scores as server-rendered SVG; a phase change and a contact are recorded through
the forms. Screenshots land in test-artifacts/."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from monitoring.demo import _long_case
from monitoring.models import MonitoringContact
from monitoring.tests.conftest import acting, albania, make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

__all__ = ["acting", "albania", "make_case"]


def test_monitoring_section_and_trajectory_chart(
    page: Any,
    live_server: Any,
    albania: Any,
    make_case: Any,
    acting: Any,
    browser_login: Any,
    screenshot: Any,
) -> None:
    today = timezone.localdate()
    case = make_case(
        organisation=albania.organisation,
        supervisor=albania.supervisor,
        case_manager=albania.case_manager,
        received=today - datetime.timedelta(days=500),
        given_name="Klea",
    )
    worker = acting(albania.case_manager, albania.organisation)
    _long_case(worker, case, today)
    browser_login(page, live_server, albania.case_manager)

    page.set_viewport_size({"width": 820, "height": 1180})
    page.goto(f"{live_server.url}/monitoring/cases/{case.pk}/")
    page.wait_for_selector("h2:has-text('Programme phase')")
    assert "Social inclusion" in page.inner_text(".monitoring-phase")
    assert page.locator("#contacts tbody tr").count() == 20  # one page of contacts
    screenshot(page, "monitoring-01-section-tablet")

    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/monitoring/cases/{case.pk}/outcomes/")
    chart = page.locator("#trajectory-chart svg")
    chart.wait_for()
    assert chart.locator("g[data-domain]").count() == 13
    # Baseline and five later scorings: six points per domain, on a line.
    employment = chart.locator("g[data-domain='employment']")
    assert employment.locator("circle").count() == 6
    assert employment.locator("polyline").count() == 2
    box = chart.bounding_box()
    assert box is not None and box["width"] > 900 and box["height"] > 800
    assert "Family relationships" in page.inner_text(".message-warning")
    screenshot(page, "monitoring-02-trajectory-laptop")

    page.goto(f"{live_server.url}/monitoring/cases/{case.pk}/contacts/new/")
    screenshot(page, "monitoring-03-contact-form")
    page.fill("#id_occurred_on", today.isoformat())
    page.select_option("#id_mode", "phone")
    page.fill("#id_note_family", "Called her mother on Sunday")
    page.select_option("#id_rating_family", "4")
    page.click("main button:has-text('Record the contact')")
    page.wait_for_selector("text=Contact recorded; the next one is scheduled.")
    assert MonitoringContact.objects.filter(case=case, occurred_on=today).exists()
    screenshot(page, "monitoring-04-contact-recorded")
