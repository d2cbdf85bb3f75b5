"""Demo mode explains how to sign in: the accounts and their roles on the login page, and a
known authenticator key so that signing a plan on screen can be shown."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp import match_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.demo import ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_KEY_HEX, DEMO_TOTP_SECRET
from accounts.models import User

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")


def test_login_page_lists_demo_accounts_and_roles_in_demo_mode(client, settings):
    settings.DEMO_MODE = True
    body = client.get(LOGIN).content.decode()
    for account in ACCOUNTS:
        assert account.username in body
    assert DEMO_PASSWORD in body and DEMO_TOTP_SECRET in body
    assert "Case manager / social worker, Speranța" in body


def test_login_page_lists_no_account_outside_demo_mode(client, settings):
    settings.DEMO_MODE = False
    body = client.get(LOGIN).content.decode()
    assert "ana.case" not in body and DEMO_PASSWORD not in body


def test_login_error_is_shown_once(client):
    response = client.post(LOGIN, {"username": "nobody", "password": "wrong password!"})
    assert response.content.decode().count("The username or password is not correct.") == 1


def test_demo_accounts_have_the_published_authenticator(settings):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert DEMO_TOTP_SECRET in out.getvalue()
    user = User.objects.get(username="tamar.case")
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    assert device.key == DEMO_TOTP_KEY_HEX
    code = f"{TOTP(device.bin_key, step=30, t0=0, digits=6).token():06d}"
    assert match_token(user, code) is not None
    call_command("seed_demo", stdout=StringIO())
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_favicon_is_served_and_named_by_every_page(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("img/favicon.svg")
    assert 'rel="icon"' in client.get(LOGIN).content.decode()
