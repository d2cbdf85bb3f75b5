"""Browser tests: Playwright driving Debian's chromium (never a downloaded browser).

``page`` is a fresh browser page; ``browser_login(page, live_server, user)`` signs a user in
through the real login and second-factor pages. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM is used from the
# test body only between browser calls, never concurrently.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("REINTEGRA_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def totp_now(bin_key: bytes, *, steps_ahead: int = 0) -> str:
    from django_otp.oath import TOTP

    totp = TOTP(bin_key, step=30, t0=0, digits=6)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        pytest.fail(
            f"Debian's chromium is required for browser tests and was not found at {CHROMIUM}."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium_browser: Any) -> Iterator[Any]:
    context = chromium_browser.new_context(viewport={"width": 1024, "height": 768}, locale="en-GB")
    browser_page = context.new_page()
    yield browser_page
    context.close()


@pytest.fixture
def screenshot() -> Callable[[Any, str], Path]:
    def take(browser_page: Any, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        browser_page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def browser_login() -> Callable[..., None]:
    """Sign ``user`` in through the UI with password and a TOTP code (enrolling if needed)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from conftest import TEST_PASSWORD

    def sign_in(
        browser_page: Any, live_server: Any, user: Any, password: str = TEST_PASSWORD
    ) -> None:
        browser_page.goto(f"{live_server.url}/accounts/login/")
        browser_page.fill("#id_username", user.username)
        browser_page.fill("#id_password", password)
        browser_page.click("main button[type=submit]")
        browser_page.wait_for_load_state()
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            browser_page.wait_for_selector("#totp-secret")
            pending = TOTPDevice.objects.get(user=user, confirmed=False)
            browser_page.fill("#id_code", totp_now(pending.bin_key))
            browser_page.click("main button[type=submit]")
            browser_page.wait_for_selector("#recovery-codes")
            browser_page.click("text=continue")
        else:
            # A fresh code for the next time step: the device refuses a code used before.
            TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
            browser_page.fill("#id_code", totp_now(device.bin_key))
            browser_page.click("main form button[type=submit]")
        browser_page.wait_for_load_state()

    return sign_in
