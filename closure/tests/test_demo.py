"""The demo closures: achieved, lost contact, in follow-up and reopened after a setback,
through the services; a second run changes nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine

from cases.models import Case
from closure.demo import seed_closures
from closure.models import CaseClosure, CaseReopening
from monitoring.models import MonitoringContact, Setback

pytestmark = pytest.mark.django_db


def test_seed_closures_once(actors: Any, make_case: Any) -> None:
    with time_machine.travel("2026-06-01 10:00:00+03:00", tick=False):
        cases = [
            make_case(received=datetime.date(2025, 6, 1) + datetime.timedelta(days=n))
            for n in range(4)
        ]
        assert seed_closures({"ngo_md": actors.home_org}) == 4
        assert seed_closures({"ngo_md": actors.home_org}) == 0
    statuses = dict(Case.objects.filter(pk__in=[c.pk for c in cases]).values_list("pk", "status"))
    assert [statuses[c.pk] for c in cases] == ["closed", "closed", "closed", "open"]
    reasons = [CaseClosure.objects.get(case=c).reason for c in cases]
    assert reasons == [
        "objectives_achieved",
        "lost_contact",
        "plan_term_ended",
        "objectives_achieved",
    ]
    assert MonitoringContact.objects.filter(case=cases[2], purpose="follow_up").count() == 1
    assert CaseReopening.objects.filter(case=cases[3], reason="setback").exists()
    assert Setback.objects.filter(case=cases[3]).exists()
