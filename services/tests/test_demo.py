from __future__ import annotations

import pytest
from django.core.management import call_command

from accounts.models import Organisation
from services.demo import PROVIDERS, SERVICES
from services.models import Service

pytestmark = pytest.mark.django_db


def test_seed_demo_loads_the_directory_once(capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    capsys.readouterr()
    assert Service.objects.count() == len(SERVICES) >= 25
    for provider in PROVIDERS:
        assert Organisation.objects.get(name=provider.name).services.exists()
    stale = [service for service in Service.objects.all() if service.is_stale]
    assert 0 < len(stale) < len(SERVICES)
    assert {s.organisation.country for s in Service.objects.select_related("organisation")} == {
        "MD",
        "GE",
        "AL",
        "RO",
    }
