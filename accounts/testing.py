"""Sign a Django test client in with both factors, for the test suite and the benchmark."""

from __future__ import annotations

import time
from typing import Any

from django.test import Client


def verified_login(client: Client, user: Any, organisation: Any | None = None) -> Client:
    """Sign ``client`` in as ``user`` with a confirmed TOTP device, acting in ``organisation``."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.middleware import SESSION_ORGANISATION, SESSION_STARTED_AT

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[SESSION_STARTED_AT] = time.time()
    if organisation is not None:
        session[SESSION_ORGANISATION] = organisation.pk
    session.save()
    return client
