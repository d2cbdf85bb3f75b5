"""Outcome scores, the trajectory and setbacks, through the API and the services."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from monitoring.models import OutcomeMeasurement, OutcomeScore, Setback

pytestmark = pytest.mark.django_db


def _post(client: Client, url: str, data: Any) -> Any:
    return client.post(url, data, content_type="application/json")


def _scores(url: str, client: Client, occasion: str, day: str, **scores: tuple[int, int]) -> Any:
    return _post(
        client,
        url,
        {
            "occasion": occasion,
            "taken_on": day,
            "scores": [
                {"domain": domain, "worker_score": worker, "person_score": person}
                for domain, (worker, person) in scores.items()
            ],
        },
    )


def test_scores_side_by_side_change_since_baseline_and_worsened(
    client: Client, login: Any, actors: Any, make_case: Any
) -> None:
    case = make_case()
    login(client, actors.case_manager, actors.home_org)
    url = f"/api/v1/cases/{case.pk}/monitoring/outcomes"
    review_first = _scores(url, client, "review", "2026-02-01", employment=(2, 2))
    assert review_first.status_code == 422
    assert "occasion" in review_first.json()["errors"]
    baseline = _scores(
        url, client, "baseline", "2026-01-15", employment=(1, 2), family_relationships=(4, 3)
    )
    assert baseline.status_code == 201, baseline.content
    assert baseline.json()["framework_code"] == "reintegration"
    again = _scores(url, client, "baseline", "2026-02-01", employment=(2, 2))
    assert again.status_code == 422
    assert (
        _scores(
            url, client, "review", "2026-04-15", employment=(4, 4), family_relationships=(2, 3)
        ).status_code
        == 201
    )
    trajectory = client.get(url).json()
    domains = {d["domain"]: d for d in trajectory["domains"]}
    assert len(domains) == 13
    assert (domains["employment"]["baseline"], domains["employment"]["latest"]) == (1, 4)
    assert domains["employment"]["change"] == 3
    assert domains["family_relationships"]["change"] == -2
    assert domains["family_relationships"]["person_change"] == 0
    assert trajectory["worsened"] == ["family_relationships"]
    assert [p["worker_score"] for p in domains["employment"]["points"]] == [1, 4]
    assert [p["person_score"] for p in domains["employment"]["points"]] == [2, 4]
    assert OutcomeScore.objects.filter(case=case).count() == 4


@pytest.mark.parametrize(
    ("scores", "field"),
    [
        ([{"domain": "employment", "worker_score": 6}], "scores.employment"),
        ([{"domain": "happiness", "worker_score": 3}], "scores.happiness"),
        ([{"domain": "employment"}], "scores"),
    ],
)
def test_bad_scores_are_refused_by_field_and_change_nothing(
    client: Client, login: Any, actors: Any, make_case: Any, scores: Any, field: str
) -> None:
    case = make_case()
    login(client, actors.case_manager, actors.home_org)
    response = _post(
        client,
        f"/api/v1/cases/{case.pk}/monitoring/outcomes",
        {"occasion": "baseline", "taken_on": "2026-01-15", "scores": scores},
    )
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not OutcomeMeasurement.objects.filter(case=case).exists()


def test_outcomes_allow_and_deny(client: Client, login: Any, actors: Any, make_case: Any) -> None:
    case = make_case()
    url = f"/api/v1/cases/{case.pk}/monitoring/outcomes"
    login(client, actors.other_worker, actors.other_org)
    assert client.get(url).status_code == 404
    assert _scores(url, client, "baseline", "2026-01-15", employment=(1, 1)).status_code == 404
    client.logout()
    # An analyst never opens a case file.
    login(client, actors.analyst, actors.coordinator_org)
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 401
    login(client, actors.supervisor, actors.home_org)
    assert client.get(url).status_code == 200
    assert client.get(f"{url}/chart.svg").status_code == 200
    assert client.get("/api/v1/outcome-framework").json()["levels"][0]["label"] == "In crisis"


def test_setback_with_retrafficking_and_return_to_an_earlier_phase(
    client: Client, login: Any, albania: Any, make_case: Any
) -> None:
    received = datetime.date(2026, 1, 10)
    case = make_case(
        organisation=albania.organisation,
        supervisor=albania.supervisor,
        case_manager=albania.case_manager,
        received=received,
    )
    login(client, albania.case_manager, albania.organisation)
    assert (
        _post(
            client,
            f"/api/v1/cases/{case.pk}/monitoring/phase-transitions",
            {"phase": "stabilisation", "started_on": "2026-02-01"},
        ).status_code
        == 201
    )
    url = f"/api/v1/cases/{case.pk}/monitoring/setbacks"
    undated = _post(
        client,
        url,
        {
            "occurred_on": "2026-03-01",
            "triggers": ["trafficker_contact"],
            "severity": "critical",
            "re_trafficking": True,
        },
    )
    assert undated.status_code == 422
    assert "re_trafficked_on" in undated.json()["errors"]
    response = _post(
        client,
        url,
        {
            "occurred_on": "2026-03-01",
            "triggers": ["trafficker_contact", "job_loss"],
            "severity": "critical",
            "description": "Recruiter contacted her again after she lost her job",
            "response": "Moved back to the shelter; police informed",
            "led_to_reassessment": True,
            "return_to_phase": "crisis",
            "re_trafficking": True,
            "re_trafficked_on": "2026-02-25",
            "circumstances": "Offered work abroad by the same recruiter",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["triggers"] == ["trafficker_contact", "job_loss"]
    assert body["returned_to_phase"] == "crisis"
    assert body["circumstances"] == "Offered work abroad by the same recruiter"
    setback = Setback.objects.get(pk=body["id"])
    assert b"recruiter" not in bytes(setback.circumstances_enc or b"")
    assert setback.phase_transition is not None and setback.phase_transition.out_of_order
    assert client.get(f"/api/v1/cases/{case.pk}/monitoring").json()["phase"]["phase"] == "crisis"
    listed = client.get(url).json()
    assert [s["id"] for s in listed] == [body["id"]]


def test_setbacks_deny(client: Client, login: Any, actors: Any, make_case: Any) -> None:
    case = make_case()
    url = f"/api/v1/cases/{case.pk}/monitoring/setbacks"
    login(client, actors.other_worker, actors.other_org)
    assert client.get(url).status_code == 404
    client.logout()
    login(client, actors.org_admin, actors.home_org)
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 401


def test_contacts_allow_deny_and_stale_edit(
    client: Client, login: Any, actors: Any, make_case: Any
) -> None:
    case = make_case()
    url = f"/api/v1/cases/{case.pk}/monitoring/contacts"
    login(client, actors.other_worker, actors.other_org)
    assert client.get(url).status_code == 404
    assert _post(client, url, {"occurred_on": "2026-02-01", "mode": "phone"}).status_code == 404
    client.logout()
    login(client, actors.case_manager, actors.home_org)
    bad = _post(client, url, {"occurred_on": "2026-02-01", "mode": "pigeon"})
    assert bad.status_code == 422 and "mode" in bad.json()["errors"]
    wrong_heading = _post(
        client,
        url,
        {
            "occurred_on": "2026-02-01",
            "mode": "phone",
            "report": "study_visit",
            "notes": [{"heading": "employment", "text": "x"}],
        },
    )
    assert wrong_heading.status_code == 422
    follow_up = _post(
        client, url, {"occurred_on": "2026-02-01", "mode": "phone", "purpose": "follow_up"}
    )
    assert follow_up.status_code == 422 and "purpose" in follow_up.json()["errors"]
    created = _post(
        client,
        url,
        {
            "occurred_on": "2026-02-01",
            "mode": "phone",
            "report": "study_visit",
            "notes": [{"heading": "conclusions", "text": "Doing well", "rating": 4}],
        },
    )
    assert created.status_code == 201, created.content
    contact = created.json()
    detail = f"{url}/{contact['id']}"
    patched = client.patch(
        detail,
        {"expected_version": contact["version"], "participants": "Olena and her aunt"},
        content_type="application/json",
    )
    assert patched.status_code == 200
    assert patched.json()["participants"] == "Olena and her aunt"
    stale = client.patch(
        detail,
        {"expected_version": contact["version"], "participants": "Someone else"},
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert stale.json()["participants"] == "Olena and her aunt"
    listed = client.get(url).json()
    assert listed["count"] == 1 and listed["items"][0]["notes"][0]["rating"] == 4


def test_work_queue_endpoints(client: Client, login: Any, actors: Any, make_case: Any) -> None:
    case = make_case()
    login(client, actors.case_manager, actors.home_org)
    rows = client.get("/api/v1/monitoring/next-contacts").json()
    assert [(r["code"], r["due_on"]) for r in rows] == [(case.code, "2026-04-10")]
    assert client.get("/api/v1/monitoring/overdue-by-worker").status_code == 403
    client.logout()
    login(client, actors.supervisor, actors.home_org)
    overdue = client.get("/api/v1/monitoring/overdue-by-worker").json()
    assert overdue == [
        {
            "worker_id": actors.case_manager.pk,
            "name": "Cara Tester",
            "overdue": 1,
            "oldest": "2026-04-10",
        }
    ]
    client.logout()
    login(client, actors.other_worker, actors.other_org)
    assert client.get("/api/v1/monitoring/next-contacts").json() == []
