from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Organisation, User
from policies.tests.factories import make_case
from work.demo import seed_work
from work.models import CaseMilestone, WorkItem

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_demo_cases_a_history_once():
    call_command("seed_demo", stdout=StringIO())
    organisation = Organisation.objects.get(case_prefix="CSP")
    manager = User.objects.filter(
        memberships__organisation=organisation, memberships__role="case_manager"
    ).first()
    cases = [
        make_case(
            organisation, manager=manager, received_at=timezone.localdate() - timedelta(days=days)
        )
        for days in (3, 30, 90, 200)
    ]
    assert seed_work() == 4
    assert CaseMilestone.objects.filter(case__in=cases).count() >= 4
    assert WorkItem.objects.filter(case__in=cases, responsible=manager).exists()
    before = CaseMilestone.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert CaseMilestone.objects.count() == before
