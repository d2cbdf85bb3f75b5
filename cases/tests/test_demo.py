"""seed_demo adds the demo cases once, through the services."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from assistance.demo import DEMO_CASES as ASSISTANCE_DEMO_CASES
from cases.demo import CASES
from cases.models import Case
from consent.models import Consent
from consent.services import require_consent

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_cases_once() -> None:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert 15 <= len(CASES) <= 20
    assert Case.objects.count() == len(CASES) + ASSISTANCE_DEMO_CASES
    assert f"{len(CASES)} demo cases added." in out.getvalue()
    call_command("seed_demo", stdout=StringIO())
    assert Case.objects.count() == len(CASES) + ASSISTANCE_DEMO_CASES
    statuses = set(Case.objects.values_list("identification_status", flat=True))
    assert statuses == {"at_risk", "potential", "identified", "not_victim"}
    assert Case.objects.filter(minor_at_reception=True).count() >= 3
    assert Case.objects.filter(foreign_national=True).exists()
    minor = (
        Case.objects.filter(minor_at_reception=True, case_manager__isnull=False)
        .select_related("person__data_key")
        .first()
    )
    assert minor is not None
    consent = require_consent(minor, "assistance")
    assert isinstance(consent, Consent) and consent.given_by == "legal_representative"
    assert all(c.person.full_name for c in Case.objects.select_related("person__data_key"))
