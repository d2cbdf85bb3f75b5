"""A returning person: registration offers the known person; a new episode opens on the same
person, linked, with the time from the end of exploitation to the first contact."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from cases.models import Case
from closure.models import CaseEpisode
from people.models import Person

pytestmark = pytest.mark.django_db


def _register(client: Client) -> Any:
    return client.post(
        "/api/v1/cases",
        {
            "person": {
                "given_name": "Olena",
                "family_name": "Petrenko",
                "date_of_birth": "1998-04-02",
            },
            "received_at": "2026-03-01",
        },
        content_type="application/json",
    )


def test_returning_person_opens_a_second_episode_on_the_known_person(
    client: Client, login: Any, actors: Any, make_case: Any
) -> None:
    first = make_case(received=datetime.date(2025, 1, 10))
    Case.objects.filter(pk=first.pk).update(status="closed")
    persons = Person.objects.count()
    login(client, actors.case_manager, actors.home_org)
    response = _register(client)
    assert response.status_code == 409, response.content
    offered = [c["id"] for c in response.json()["same_organisation"]]
    assert offered == [first.pk]
    response = client.post(
        f"/api/v1/cases/{first.pk}/episodes",
        {
            "received_at": "2026-03-01",
            "first_contact_on": "2026-02-20",
            "exploitation_ended_on": "2025-12-22",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["days_to_first_contact"] == 60
    second = Case.objects.get(pk=body["case_id"])
    assert second.person_id == first.person_id
    assert Person.objects.count() == persons
    assert CaseEpisode.objects.get(case=second).previous_case_id == first.pk
    # An open episode now exists: a third is refused.
    response = client.post(
        f"/api/v1/cases/{first.pk}/episodes",
        {"received_at": "2026-03-01"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "previous_case" in response.json()["errors"]


@pytest.mark.parametrize("who", ["other_worker", "specialist", "anonymous"])
def test_episode_refused_to_others(
    client: Client, login: Any, actors: Any, make_case: Any, who: str
) -> None:
    from cases.models import TeamMember

    first = make_case(received=datetime.date(2025, 1, 10))
    Case.objects.filter(pk=first.pk).update(status="closed")
    if who == "other_worker":
        login(client, actors.other_worker, actors.other_org)
    elif who == "specialist":
        TeamMember.objects.create(
            case=first, user=actors.specialist, role="psychologist", added_by=actors.supervisor
        )
        login(client, actors.specialist, actors.home_org)
    response = client.post(
        f"/api/v1/cases/{first.pk}/episodes",
        {"received_at": "2026-03-01"},
        content_type="application/json",
    )
    assert response.status_code == {"other_worker": 404, "specialist": 403, "anonymous": 401}[who]
    assert Case.objects.filter(person_id=first.person_id).count() == 1
