"""seed_demo adds the demo referrals once, through the services."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from referrals.models import Referral, UnmetNeed

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_referrals_once() -> None:
    call_command("seed_demo", stdout=StringIO())
    statuses = sorted(Referral.objects.values_list("status", flat=True))
    assert statuses == ["completed", "declined", "sent"]
    assert UnmetNeed.objects.get().reason == "waiting_list"
    call_command("seed_demo", stdout=StringIO())
    assert Referral.objects.count() == 3
