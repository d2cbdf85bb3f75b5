from __future__ import annotations

import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.middleware import SESSION_STARTED_AT
from audit.models import AuditAction, AuditEntry
from conftest import TEST_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
HOME = reverse("home")


def totp_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def password_login(client, user, password=TEST_PASSWORD):
    return client.post(LOGIN, {"username": user.username, "password": password})


def test_login_page_renders(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert b'name="username"' in response.content


def test_wrong_password_is_refused_without_saying_which_part(client, actors):
    response = password_login(client, actors.case_manager, "not the password at all")
    assert response.status_code == 200
    assert "The username or password is not correct." in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(
        action=AuditAction.LOGIN_FAILED, actor_username=actors.case_manager.username
    ).exists()


def test_password_alone_reaches_only_the_second_factor_step(client, actors):
    TOTPDevice.objects.create(user=actors.case_manager, name="phone", confirmed=True)
    response = password_login(client, actors.case_manager)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:second_factor"))
    for url in [HOME, reverse("accounts:profile"), reverse("accounts:members")]:
        blocked = client.get(url)
        assert blocked.status_code == 302
        assert blocked["Location"] == reverse("accounts:second_factor")
    assert client.get(reverse("api:me")).status_code == 401


def test_account_without_device_is_sent_to_enrolment_and_enrols(client, actors):
    response = password_login(client, actors.case_manager)
    assert response["Location"].startswith(reverse("accounts:second_factor_setup"))
    page = client.get(reverse("accounts:second_factor_setup"))
    assert page.status_code == 200
    assert b"data:image/svg+xml;base64," in page.content
    device = TOTPDevice.objects.get(user=actors.case_manager, confirmed=False)
    wrong = client.post(reverse("accounts:second_factor_setup"), {"code": "000000"})
    assert "This code is not valid" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    # A failure throttles the device for a second; let that pass without sleeping.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    done = client.post(reverse("accounts:second_factor_setup"), {"code": totp_code(device)})
    assert done.status_code == 200
    assert done.content.decode().count("<li>") == 10  # the recovery codes
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(HOME).status_code == 200


def test_enrolment_is_closed_to_a_password_alone_once_a_device_exists(client, actors):
    TOTPDevice.objects.create(user=actors.case_manager, name="phone", confirmed=True)
    password_login(client, actors.case_manager)
    response = client.get(reverse("accounts:second_factor_setup"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:second_factor")


def test_second_factor_code_signs_in_and_wrong_code_does_not(client, actors):
    device = TOTPDevice.objects.create(user=actors.case_manager, name="phone", confirmed=True)
    password_login(client, actors.case_manager)
    wrong = client.post(reverse("accounts:second_factor"), {"code": "123456"})
    assert wrong.status_code == 200
    assert AuditEntry.objects.filter(action=AuditAction.SECOND_FACTOR_FAILED).exists()
    assert client.get(HOME).status_code == 302
    # The device throttles after a failure; a later step's code is accepted once allowed.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    ok = client.post(reverse("accounts:second_factor"), {"code": totp_code(device)})
    assert ok.status_code == 302
    assert client.get(HOME).status_code == 200


def test_recovery_code_works_once(client, actors):
    from accounts.services import recovery_codes_regenerate

    TOTPDevice.objects.create(user=actors.case_manager, name="phone", confirmed=True)
    codes = recovery_codes_regenerate(user=actors.case_manager)
    password_login(client, actors.case_manager)
    assert client.post(reverse("accounts:second_factor"), {"code": codes[0]}).status_code == 302
    assert client.get(HOME).status_code == 200
    assert not StaticToken.objects.filter(token=codes[0]).exists()


def test_session_key_rotates_at_login(client, actors):
    client.get(LOGIN)
    client.session["probe"] = 1
    session = client.session
    session.save()
    before = session.session_key
    password_login(client, actors.case_manager)
    assert client.session.session_key != before


def test_sixth_attempt_is_refused_even_with_the_right_password(client, actors):
    for _ in range(5):
        password_login(client, actors.case_manager, "wrong password number")
    response = password_login(client, actors.case_manager)
    assert response.status_code == 429
    assert "locked" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action=AuditAction.LOCKOUT).exists()


def test_lockout_is_per_username(client, actors):
    for _ in range(5):
        password_login(client, actors.case_manager, "wrong password number")
    response = password_login(client, actors.supervisor)
    assert response.status_code == 302


def test_idle_timeout_is_thirty_minutes(client, actors, login):
    login(client, actors.case_manager, actors.home_org)
    client.get(HOME)
    assert client.session.get_expiry_age() == 30 * 60
    assert client.session.get_expire_at_browser_close()


def test_absolute_timeout_ends_the_session_after_twelve_hours(client, actors, login):
    login(client, actors.case_manager, actors.home_org)
    session = client.session
    session[SESSION_STARTED_AT] = time.time() - 12 * 3600 - 1
    session.save()
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?expired=1"
    assert client.get(HOME).status_code == 302


def test_demo_mode_relaxes_the_second_factor_only_for_demo_accounts(client, actors, settings):
    settings.DEMO_MODE = True
    demo_user = actors.case_manager
    demo_user.is_demo_account = True
    demo_user.save()
    password_login(client, demo_user)
    page = client.get(HOME)
    assert page.status_code == 200
    assert "second factor is not required" in page.content.decode()
    other = type(client)()
    password_login(other, actors.supervisor)
    assert other.get(HOME).status_code == 302


def test_logout_requires_post_and_ends_the_session(client, actors, login):
    login(client, actors.case_manager, actors.home_org)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(HOME).status_code == 302
    assert AuditEntry.objects.filter(action=AuditAction.LOGOUT).exists()


def test_set_password_link(client, actors):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = actors.specialist
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    url = reverse("accounts:set_password", args=[uid, default_token_generator.make_token(user)])
    short = client.post(url, {"new_password1": "short", "new_password2": "short"})
    assert "at least 12 characters" in short.content.decode()
    common = client.post(url, {"new_password1": "password1234", "new_password2": "password1234"})
    assert "too common" in common.content.decode()
    good = "a long river flows north"
    assert client.post(url, {"new_password1": good, "new_password2": good}).status_code == 302
    user.refresh_from_db()
    assert user.check_password(good)
    # The link works once.
    assert client.get(url).status_code == 400


def test_invalid_set_password_link(client):
    response = client.get(reverse("accounts:set_password", args=["MQ", "bad-token"]))
    assert response.status_code == 400


def test_login_rejects_open_redirect(client, actors):
    TOTPDevice.objects.create(user=actors.case_manager, name="phone", confirmed=True)
    response = client.post(
        LOGIN,
        {
            "username": actors.case_manager.username,
            "password": TEST_PASSWORD,
            "next": "https://evil.example/",
        },
    )
    assert "evil.example" not in response["Location"]


def _expiry(client):
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_idle_expiry_slides_at_most_once_a_minute(client, actors, login):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from accounts.middleware import SESSION_TOUCHED_AT

    login(client, actors.case_manager, actors.home_org)
    client.get(HOME)
    soon = timezone.now() + timedelta(minutes=5)
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=soon)
    client.get(HOME)
    # Touched less than a minute ago: no write, the expiry stays where it was.
    assert _expiry(client) == soon
    session = client.session
    session[SESSION_TOUCHED_AT] = time.time() - 61
    session.save()
    Session.objects.filter(session_key=session.session_key).update(expire_date=soon)
    client.get(HOME)
    assert _expiry(client) > timezone.now() + timedelta(minutes=29)
