from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_enrol_second_factor_log_in_and_see_home(
    page, live_server, actors, browser_login, screenshot
):
    user = actors.case_manager
    # First sign-in: the password leads to enrolment, which shows a QR code and a key.
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    browser_login(page, live_server, user)
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
    assert page.locator("h1").inner_text().startswith("Welcome")
    assert "Home NGO" in page.content()

    # Sign out, then in again: this time the second-factor step asks for a code.
    page.click("text=Sign out")
    page.wait_for_url("**/accounts/login/")
    page.fill("#id_username", user.username)
    from conftest import TEST_PASSWORD

    page.fill("#id_password", TEST_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/second-factor/**")
    page.goto(f"{live_server.url}/accounts/profile/")
    assert "/accounts/second-factor/" in page.url, "a password alone must not reach the profile"
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    from tests.browser.conftest import totp_now

    page.fill("#id_code", totp_now(device.bin_key))
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Welcome")
    # Keyboard users reach the skip link first.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    path = screenshot(page, "home")
    assert path.stat().st_size > 10_000
