"""The directory in a real browser under the strict CSP: filtering as you type goes through
htmx from static files only, and a provider confirms an entry with one click."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from services.models import Service
from services.services import AreaInput, service_create
from services.tests.conftest import as_acting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def add(actors, organisation, **values):
    base = {"language": "en", "languages": ["ro"], "areas": [AreaInput("MD")]}
    return service_create(
        acting=as_acting(actors.coordinator, actors.coordinator_org),
        organisation=organisation,
        values={**base, **values},
    )


def test_filter_as_you_type_and_confirm(page, live_server, actors, browser_login, screenshot):
    add(actors, actors.other_org, category="legal_aid", name="Legal desk")
    stale = add(actors, actors.home_org, category="shelter", name="Night shelter")
    Service.objects.filter(pk=stale.pk).update(
        confirmation_due_on=timezone.localdate() - datetime.timedelta(days=2)
    )
    errors: list[str] = []

    def keep_errors(message):
        if message.type == "error":
            errors.append(message.text)

    page.on("console", keep_errors)

    browser_login(page, live_server, actors.supervisor)
    page.click("nav >> text=Service directory")
    page.wait_for_url("**/services/")
    assert page.locator("#results tbody tr").count() == 2
    page.fill("#id_q", "shelter")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    assert "Night shelter" in page.locator("#results").inner_text()
    assert "q=shelter" in page.url
    assert page.locator("#results .badge-danger").count() == 1
    screenshot(page, "service-directory")

    page.goto(f"{live_server.url}/services/to-confirm/")
    assert "Night shelter" in page.locator("main").inner_text()
    page.click("main button:has-text('Confirm')")
    page.wait_for_load_state()
    assert "confirmed as described" in page.locator("main").inner_text()
    stale.refresh_from_db()
    assert not stale.is_stale
    screenshot(page, "service-to-confirm")
    assert not [e for e in errors if "Content Security Policy" in e], errors
