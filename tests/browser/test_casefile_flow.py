"""A supervisor registers a person, screens and interviews them, records consent and assigns a
case manager, all through the browser."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from cases.indicators import load_default_indicators
from cases.models import Case
from consent.models import Consent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_screen_interview_consent_assign(
    page: Any,
    live_server: Any,
    actors: Any,
    browser_login: Any,
    screenshot: Any,
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.MEDIA_ROOT = tmp_path
    # Transactional tests flush the database, data migrations included.
    load_default_indicators()
    today = timezone.localdate().isoformat()
    browser_login(page, live_server, actors.supervisor)

    page.click("text=Cases")
    page.click("text=Register a person")
    page.fill("#id_given_name", "Natalia")
    page.fill("#id_family_name", "Ceban")
    page.select_option("#id_sex", "female")
    page.fill("#id_date_of_birth", "2001-07-14")
    page.fill("#id_citizenships", "MD")
    page.fill("#id_languages", "ro, ru")
    page.fill("#id_emergency_needs", "Needs a safe place tonight")
    screenshot(page, "casefile-01-registration")
    page.click("main button:has-text('Register')")
    page.wait_for_selector("text=Trafficking-indicator screening")
    case = Case.objects.get()
    assert case.person.full_name == "Natalia Ceban"

    page.click("text=Record a screening")
    page.check("#id_indicators_0")
    page.check("#id_indicators_3")
    page.fill("#id_notes", "Passport kept by the employer")
    page.click("main button:has-text('Save')")
    page.wait_for_selector("text=Screening recorded.")

    # The interview is recorded only with the person's consent (003 §5.1; SPEC C3).
    page.click("nav.tabs >> text=Consents")
    page.select_option("#id_purpose", "interview")
    page.select_option("#id_given_by", "person")
    page.select_option("#id_method", "oral_witnessed")
    page.click("main button:has-text('Record consent')")
    page.wait_for_selector("text=Consent recorded.")
    page.click("nav.tabs >> text=Identification")

    page.click("text=Record an interview")
    page.fill("#id_language", "ro")
    page.fill("#id_medical_history", "Asthma, uses an inhaler")
    for index in range(4):
        page.check(f"#id_principles_{index}")
    page.click("main button:has-text('Save')")
    page.wait_for_selector("text=Interview recorded.")

    page.click("text=Change status: Potential (presumed) victim")
    page.click("main button:has-text('Save')")
    page.wait_for_selector("text=Identification status changed.")
    screenshot(page, "casefile-02-identification")

    page.click("nav.tabs >> text=Consents")
    page.select_option("#id_purpose", "assistance")
    page.select_option("#id_given_by", "person")
    page.select_option("#id_method", "oral_witnessed")
    page.click("main button:has-text('Record consent')")
    page.wait_for_selector("text=Consent recorded.")
    screenshot(page, "casefile-03-consent")

    page.click("nav.tabs >> text=Overview")
    page.click("text=Edit details, referral and flags")
    page.fill("#id_immediate_needs_met_on", today)
    page.click("main button:has-text('Save')")
    page.wait_for_selector("text=Case details saved.")
    page.click("text=Assign a case manager")
    page.select_option("#id_case_manager", str(actors.case_manager.pk))
    page.select_option("#id_reason", "initial")
    page.click("main button:has-text('Save')")
    page.wait_for_selector("text=Case manager assigned.")
    path = screenshot(page, "casefile-04-assigned")
    assert path.stat().st_size > 10_000

    case.refresh_from_db()
    assert case.case_manager == actors.case_manager
    assert case.identification_status == "potential"
    assert Consent.objects.filter(case=case, purpose="assistance").exists()
    assert case.screenings.count() == 1 and case.interviews.count() == 1
