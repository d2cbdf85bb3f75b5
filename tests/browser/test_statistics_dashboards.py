"""The supervisor's and the coordinator's dashboards in the browser: charts drawn on the
server (no script), suppressed cells marked, the quarterly report with its downloads;
screenshots in test-artifacts/."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from accounts.access import acting_for
from reports.sections import quarterly_sections

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _population(actors: Any) -> None:
    from cases.models import TraffickingProfile
    from cases.services import CaseInput, case_register, profile_update
    from people.services import PersonInput

    supervisor = acting_for(actors.supervisor, actors.home_org)
    assert supervisor is not None
    today = timezone.localdate()
    plan = [
        ("female", 1999, "MD", ("SexualExploitation",), 0),
        ("female", 2001, "MD", ("SexualExploitation",), 0),
        ("female", 1990, "UA", ("ForcedLabour",), 0),
        ("male", 1985, "MD", ("ForcedLabour",), 0),
        ("male", 1979, "MD", ("ForcedLabour", "ForcedBegging"), 0),
        ("female", 2008, "MD", ("SexualExploitation",), 100),
        ("female", 1996, "RO", ("ForcedLabour",), 200),
        ("male", 1970, "MD", ("ForcedLabour",), 300),
    ]
    for index, (sex, year, country, forms, days_ago) in enumerate(plan * 3):
        case = case_register(
            acting=supervisor,
            person=PersonInput(
                given_name=f"Lucia{index}",
                family_name="Statistica",
                birth_year=year,
                sex=sex,
                citizenships=[country],
            ),
            case=CaseInput(received_at=today - datetime.timedelta(days=days_ago)),
            confirmed_not_duplicate=True,
        )
        version = TraffickingProfile.objects.values_list("version", flat=True).get(case=case)
        profile_update(
            acting=supervisor,
            case=case,
            expected_version=version,
            values={},
            codes={"exploitation": list(forms)},
            texts={},
        )


def test_dashboards_and_quarterly_report(
    page: Any,
    live_server: Any,
    actors: Any,
    make_user: Any,
    browser_login: Any,
    screenshot: Any,
    settings: Any,
) -> None:
    from accounts.models import Organisation, OrganisationType
    from accounts.roles import Role

    settings.REINTEGRA_STATS_MIN_CELL = 3
    _population(actors)
    errors: list[str] = []
    # The browser's own request for /favicon.ico is not the page's doing.
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and "favicon" not in str(m.location)
            else None
        ),
    )

    # The supervisor, on a tablet.
    page.set_viewport_size({"width": 820, "height": 1180})
    browser_login(page, live_server, actors.supervisor)
    page.goto(f"{live_server.url}/reports/dashboard/team/")
    assert page.locator("h1").inner_text() == "Team dashboard"
    assert page.locator("svg.chart").count() == 3
    assert page.locator("svg.chart title").first.text_content() == "Open cases per worker"
    assert "Lucia" not in page.locator("main").inner_text()
    screenshot(page, "statistics-team-dashboard")

    # The coordinator, on a laptop.
    unit = Organisation.objects.create(
        name="Moldovan Coordination Unit",
        type=OrganisationType.STATE_AUTHORITY,
        country="MD",
        policy_pack="md-nrs",
        case_prefix="MCU",
    )
    coordinator = make_user("mira_coordinator", unit, Role.COORDINATOR)
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1366, "height": 900})
    browser_login(page, live_server, coordinator)
    page.goto(f"{live_server.url}/reports/dashboard/national/")
    assert page.locator("h1").inner_text() == "National dashboard"
    assert page.locator("svg.chart polyline").count() >= 1
    text = page.locator("main").inner_text()
    assert "[c]" in text and "Lucia" not in text and "Statistica" not in text
    screenshot(page, "statistics-national-dashboard")

    page.click("text=Full quarterly report")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Quarterly report")
    assert page.locator("section.stats-section").count() == len(quarterly_sections())
    screenshot(page, "statistics-quarterly-report")
    with page.expect_download() as download:
        page.click("a:text('PDF')")
    assert download.value.suggested_filename.endswith(".pdf")
    page.emulate_media(media="print")
    assert page.locator(".stats-filters").is_hidden()
    assert errors == []
