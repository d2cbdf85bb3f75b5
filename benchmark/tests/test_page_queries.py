"""Pages that grow with the case load keep a constant number of queries (SPEC §5: <= 12,
deep pages included), measured on generated volume."""

from __future__ import annotations

import uuid
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from benchmark.scene import build_scene
from cases.models import Case, TeamMember
from plans.models import Activity, BudgetLine, Objective

pytestmark = pytest.mark.django_db


def _queries(client: Client, path: str) -> int:
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    control = ("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT", "ROLLBACK")
    return sum(1 for q in captured.captured_queries if not q["sql"].startswith(control))


@pytest.fixture
def scene(actors: Any, settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    call_command("generate_synthetic", "--cases", "120", "--seed", "5", stdout=StringIO())
    return build_scene()


def test_case_manager_list_deep_pages_and_search_stay_constant(scene: Any, login: Any) -> None:
    manager, organisation = scene.actors["case_manager"]
    client = login(Client(), manager, organisation)
    paths = ["/cases/", "/cases/?page=last", f"/cases/?q={scene.values['common_name']}"]
    before = [_queries(client, path) for path in paths]
    # The case manager takes over every other case of the organisation, on their team too.
    others = Case.objects.filter(organisation=organisation).exclude(case_manager=manager)
    TeamMember.objects.bulk_create(
        [TeamMember(case=c, user=manager, role="case manager", added_by=manager) for c in others]
    )
    others.update(case_manager=manager)
    after = [_queries(client, path) for path in paths]
    assert after == before
    assert max(after) <= 12


def test_supervisor_last_page_and_next_page_stay_constant(scene: Any, login: Any) -> None:
    supervisor, organisation = scene.actors["supervisor"]
    client = login(Client(), supervisor, organisation)
    first = client.get("/cases/")
    assert first.status_code == 200
    cursor = first.context["page"].next_cursor
    assert cursor
    paths = ["/cases/?page=last", f"/cases/?after={cursor}", f"/cases/?before={cursor}"]
    counts = [_queries(client, path) for path in paths]
    assert max(counts) <= 12
    assert len(set(counts)) == 1


def test_plan_page_query_count_does_not_grow_with_the_plan(scene: Any, login: Any) -> None:
    manager, organisation = scene.actors["case_manager"]
    client = login(Client(), manager, organisation)
    path = f"/plans/case/{scene.values['plan_case']}/"
    before = _queries(client, path)
    objective = Objective.objects.filter(plan__case_id=scene.values["plan_case"]).first()
    assert objective is not None
    for _ in range(3):
        copy = Objective.objects.create(
            plan=objective.plan,
            uuid=uuid.uuid4(),
            data_key=objective.data_key,
            domain=objective.domain,
            priority=objective.priority,
        )
        activity = Activity.objects.create(
            objective=copy,
            uuid=uuid.uuid4(),
            data_key=objective.data_key,
            responsible_kind="person",
        )
        BudgetLine.objects.create(
            activity=activity, data_key=objective.data_key, amount=100, currency="MDL"
        )
    assert _queries(client, path) == before
