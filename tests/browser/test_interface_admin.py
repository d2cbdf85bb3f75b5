"""A new organisation gets going entirely in the browser: a system administrator creates it
and its administrator, who sets a password from the one-time link, enrols an authenticator,
signs in and creates the organisation's first case worker."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.models import Membership, Organisation, User
from accounts.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "a long phrase only Ioana knows"  # a test account


def test_system_admin_starts_an_organisation_whose_admin_creates_a_case_worker(
    page: Any, live_server: Any, browser_login: Any, make_user: Any, screenshot: Any
) -> None:
    hosting = Organisation.objects.create(
        name="Hosting", type="other", country="MD", policy_pack="default", case_prefix="HST"
    )
    system_admin = make_user("sam_sysadmin", hosting, Role.SYSTEM_ADMIN)
    browser_login(page, live_server, system_admin)

    page.goto(f"{live_server.url}/accounts/organisations/")
    page.click("text=New organisation")
    page.fill("#id_name", "Adăpost Speranța")
    page.fill("#id_short_name", "Speranța")
    page.select_option("#id_type", "shelter")
    page.fill("#id_country", "RO")
    page.select_option("#id_policy_pack", "ro-guide")
    page.fill("#id_case_prefix", "ASP")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "/administrator/" in page.url
    page.fill("#id_username", "ioana.admin")
    page.fill("#id_first_name", "Ioana")
    page.fill("#id_last_name", "Pop")
    page.select_option("#id_language", "en")
    page.click("main button[type=submit]")
    link = page.inner_text("#password-link").strip()
    screenshot(page, "admin-organisation-administrator-link")
    assert "/accounts/set-password/" in link

    # The new administrator, on their own device.
    admin_page = page.context.browser.new_context().new_page()
    admin_page.goto(link)
    admin_page.fill("#id_new_password1", NEW_PASSWORD)
    admin_page.fill("#id_new_password2", NEW_PASSWORD)
    admin_page.click("main button[type=submit]")
    admin_page.wait_for_load_state()
    administrator = User.objects.get(username="ioana.admin")
    browser_login(admin_page, live_server, administrator, password=NEW_PASSWORD)
    admin_page.goto(f"{live_server.url}/accounts/members/new/")
    admin_page.fill("#id_username", "mihai.case")
    admin_page.fill("#id_first_name", "Mihai")
    admin_page.fill("#id_last_name", "Stan")
    admin_page.select_option("#id_role", Role.CASE_MANAGER.value)
    admin_page.select_option("#id_discipline", "social_worker")
    admin_page.select_option("#id_language", "ro")
    admin_page.click("main button[type=submit]")
    assert "/accounts/set-password/" in admin_page.inner_text("#password-link")
    screenshot(admin_page, "admin-first-case-worker-link")
    organisation = Organisation.objects.get(case_prefix="ASP")
    assert Membership.objects.filter(
        user__username="mihai.case", organisation=organisation, role=Role.CASE_MANAGER
    ).exists()
    admin_page.context.close()
