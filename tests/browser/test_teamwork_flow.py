"""On a tablet-sized screen a case manager records a crisis intervention and a case meeting
on the case's Teamwork tab, then shares the minutes."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from accounts.access import acting_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_crisis_intervention_and_case_meeting_on_a_tablet(
    chromium_browser: Any,
    live_server: Any,
    actors: Any,
    browser_login: Any,
    screenshot: Any,
) -> None:
    from cases.services import CaseInput, case_register
    from people.services import PersonInput
    from teamwork.models import CaseMeeting, CrisisIntervention

    supervisor = acting_for(actors.supervisor, actors.home_org)
    assert supervisor is not None
    case = case_register(
        acting=supervisor,
        person=PersonInput(
            given_name="Olena", family_name="Petrenko", date_of_birth=datetime.date(1998, 4, 2)
        ),
        case=CaseInput(received_at=datetime.date(2026, 3, 1)),
        confirmed_not_duplicate=True,
    )
    context = chromium_browser.new_context(viewport={"width": 820, "height": 1180})
    page = context.new_page()
    browser_login(page, live_server, actors.supervisor)
    page.goto(f"{live_server.url}/teamwork/case/{case.pk}/")
    page.wait_for_selector("h2:has-text('Crisis interventions')")

    page.click("text=Record a crisis intervention")
    page.fill("#id_c-occurred_at", "2026-03-02T21:30")
    page.fill("#id_c-situation", "Panic attack after a call from the recruiter")
    page.fill("#id_c-immediate_risks", "Wants to leave the shelter tonight")
    page.fill("#id_c-actions", "Calming conversation and a safety plan")
    page.fill("#id_c-responders", "Night worker and the shelter psychologist")
    page.click("details[open] button:has-text('Record')")
    page.wait_for_selector("text=Crisis intervention recorded.")
    assert CrisisIntervention.objects.filter(case=case).count() == 1

    held = timezone.localdate() - datetime.timedelta(days=2)
    page.click("text=Record a case meeting")
    page.fill("#id_g-held_on", held.isoformat())
    page.check(f"input[name=g-participants][value='{actors.supervisor.pk}']")
    page.fill("#id_g-other_participants", "District police officer")
    page.fill("#id_g-purpose", "Safety after the crisis")
    page.fill("#id_g-decisions", "Move to the second shelter; psychologist twice a week")
    page.fill("#id_g-minutes_due_on", (held + datetime.timedelta(days=3)).isoformat())
    page.click("details[open] button:has-text('Record')")
    page.wait_for_selector("text=Case meeting recorded.")
    meeting = CaseMeeting.objects.get(case=case)

    page.click("text=Record and share the minutes")
    page.fill(f"#id_m{meeting.pk}-minutes", "All agreed; next meeting in two weeks")
    page.fill(f"#id_m{meeting.pk}-shared_on", (held + datetime.timedelta(days=1)).isoformat())
    page.click("details[open] button:has-text('Save')")
    page.wait_for_selector("text=Minutes shared.")
    screenshot(page, "teamwork-01-tablet")
    meeting.refresh_from_db()
    assert meeting.minutes_shared_on == held + datetime.timedelta(days=1)
    context.close()
