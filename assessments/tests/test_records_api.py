"""Assessment records over the API: allow and deny for every endpoint, answers refused by
question with nothing saved, stale saves, the comprehensive round completing, printing."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from assessments.models import Assessment, AssessmentStatus, ComprehensiveAssessment
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def _send(client: Client, method: str, url: str, data: Any = None) -> Any:
    return getattr(client, method)(url, json.dumps(data or {}), content_type="application/json")


def _base(case_id: int) -> str:
    return f"/api/v1/cases/{case_id}"


def _assessment(started: ComprehensiveAssessment, code: str) -> Assessment:
    return started.assessments.get(form_code=code)


def test_start_assign_and_list(
    client: Client, login: Callable[..., Client], team_case: Any, actors: Any, record_forms: Any
) -> None:
    login(client, actors.case_manager, actors.home_org)
    base = _base(team_case.pk)
    started = _send(client, "post", f"{base}/assessments")
    assert started.status_code == 201, started.content
    assert started.json()["round"] == 1 and started.json()["due_on"] is None
    assigned = _send(
        client,
        "post",
        f"{base}/assessments/assign",
        {"form": "sample_psy", "assignee_id": actors.specialist.pk},
    )
    assert assigned.status_code == 201, assigned.content
    assert assigned.json()["domain"] == "psychosocial"
    assert assigned.json()["discipline"] == "psychologist"
    listing = client.get(f"{base}/assessments").json()
    assert listing["count"] == 1 and listing["items"][0]["status"] == "assigned"
    rounds = client.get(f"{base}/assessment-rounds").json()
    assert rounds[0]["domains"] == 1 and rounds[0]["completed_domains"] == 0


def test_assign_refused_by_discipline(
    client: Client, login: Callable[..., Client], started: Any, actors: Any
) -> None:
    started.assessments.filter(form_code="sample_legal").delete()
    login(client, actors.case_manager, actors.home_org)
    response = _send(
        client,
        "post",
        f"{_base(started.case_id)}/assessments/assign",
        {"form": "sample_legal", "assignee_id": actors.specialist.pk},
    )
    assert response.status_code == 422
    assert "assignee" in response.json()["errors"]


def test_writes_denied_to_specialist_and_hidden_from_other_organisations(
    client: Client, login: Callable[..., Client], started: Any, actors: Any
) -> None:
    base = _base(started.case_id)
    login(client, actors.specialist, actors.home_org)
    assert _send(client, "post", f"{base}/assessments").status_code == 403
    assert _send(client, "post", f"{base}/assessments/reassess").status_code == 403
    assert (
        _send(
            client,
            "post",
            f"{base}/assessments/assign",
            {"form": "sample", "assignee_id": actors.case_manager.pk},
        ).status_code
        == 403
    )
    assert (
        _send(
            client, "put", f"{base}/assessment-rounds/{started.pk}", {"version": started.version}
        ).status_code
        == 403
    )
    outsider = Client()
    login(outsider, actors.other_worker, actors.other_org)
    sample = _assessment(started, "sample")
    for url in (
        f"{base}/assessments",
        f"{base}/assessment-rounds",
        f"{base}/needs",
        f"{base}/assessments/{sample.pk}",
        f"{base}/assessments/{sample.pk}/print",
    ):
        assert outsider.get(url).status_code == 404, url
    assert (
        _send(
            outsider, "post", f"{base}/assessments/{sample.pk}/disagreements", {"note": "x"}
        ).status_code
        == 404
    )
    analyst = Client()
    login(analyst, actors.analyst, actors.coordinator_org)
    assert analyst.get(f"{base}/assessments").status_code == 403


def test_bad_answer_refused_naming_the_question_and_nothing_saved(
    client: Client, login: Callable[..., Client], started: Any, actors: Any
) -> None:
    psy = _assessment(started, "sample_psy")
    login(client, actors.specialist, actors.home_org)
    response = _send(
        client,
        "put",
        f"{_base(started.case_id)}/assessments/{psy.pk}/answers",
        {"answers": {"housing": "palace"}, "version": psy.version},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["errors"] == [
        {
            "question": "housing",
            "label": "Where she lives",
            "message": "Choose one of the offered answers.",
        }
    ]
    assert "Where she lives" in body["detail"]
    fresh = Assessment.objects.get(pk=psy.pk)
    assert fresh.answers == {} and fresh.version == psy.version


def test_save_complete_and_the_round_completes(
    client: Client,
    login: Callable[..., Client],
    started: Any,
    actors: Any,
    lawyer: Any,
) -> None:
    base = _base(started.case_id)
    for code, user in (
        ("sample", actors.case_manager),
        ("sample_psy", actors.specialist),
        ("sample_legal", lawyer),
    ):
        member = Client()
        login(member, user, actors.home_org)
        assessment = _assessment(started, code)
        saved = _send(
            member,
            "put",
            f"{base}/assessments/{assessment.pk}/answers",
            {"answers": {"housing": "other", "housing_other": "a friend"}, "version": 1},
        )
        assert saved.status_code == 200, saved.content
        assert saved.json()["answers"]["housing_other"] == "a friend"
        done = _send(
            member,
            "post",
            f"{base}/assessments/{assessment.pk}/complete",
            {
                "answers": {"has_children": False, "housing": "shelter"},
                "summary": {"need_level": "high", "evidence": "seen"},
                "version": saved.json()["version"],
            },
        )
        assert done.status_code == 200, done.content
        assert done.json()["status"] == AssessmentStatus.COMPLETED
    started.refresh_from_db()
    assert started.status == "completed"
    login(client, actors.case_manager, actors.home_org)
    needs = client.get(f"{base}/needs").json()
    assert {(n["domain"], n["level"]) for n in needs} == {
        ("comprehensive", "high"),
        ("psychosocial", "high"),
        ("legal", "high"),
    }
    again = _send(client, "post", f"{base}/assessments/reassess")
    assert again.status_code == 201 and again.json()["round"] == 2


def test_complete_requires_required_answers(
    client: Client, login: Callable[..., Client], started: Any, actors: Any
) -> None:
    sample = _assessment(started, "sample")
    login(client, actors.case_manager, actors.home_org)
    response = _send(
        client,
        "post",
        f"{_base(started.case_id)}/assessments/{sample.pk}/complete",
        {"answers": {}, "summary": {}, "version": sample.version},
    )
    assert response.status_code == 422
    assert {e["question"] for e in response.json()["errors"]} == {
        "has_children",
        "summary.need_level",
    }


def test_stale_save_is_409_with_current_values(
    client: Client, login: Callable[..., Client], started: Any, actors: Any
) -> None:
    sample = _assessment(started, "sample")
    login(client, actors.case_manager, actors.home_org)
    url = f"{_base(started.case_id)}/assessments/{sample.pk}/answers"
    assert (
        _send(client, "put", url, {"answers": {"housing": "shelter"}, "version": 1}).status_code
        == 200
    )
    stale = _send(client, "put", url, {"answers": {"housing": "family"}, "version": 1})
    assert stale.status_code == 409
    assert stale.json()["answers"] == {"housing": "shelter"}


def test_only_the_assignee_saves(
    client: Client, login: Callable[..., Client], started: Any, actors: Any
) -> None:
    psy = _assessment(started, "sample_psy")
    login(client, actors.case_manager, actors.home_org)
    response = _send(
        client,
        "put",
        f"{_base(started.case_id)}/assessments/{psy.pk}/answers",
        {"answers": {}, "version": psy.version},
    )
    assert response.status_code == 403


def test_detail_answers_by_role_and_audited(
    client: Client, login: Callable[..., Client], started: Any, actors: Any
) -> None:
    legal = _assessment(started, "sample_legal")
    login(client, actors.specialist, actors.home_org)
    body = client.get(f"{_base(started.case_id)}/assessments/{legal.pk}").json()
    assert body["answers"] is None and body["evidence"] is None
    manager = Client()
    login(manager, actors.case_manager, actors.home_org)
    body = manager.get(f"{_base(started.case_id)}/assessments/{legal.pk}").json()
    assert body["answers"] == {}
    assert AuditEntry.objects.filter(
        action="view", object_id=str(legal.pk), actor=actors.case_manager
    ).exists()


def test_disagreement_and_print(
    client: Client, login: Callable[..., Client], started: Any, actors: Any
) -> None:
    sample = _assessment(started, "sample")
    base = _base(started.case_id)
    login(client, actors.specialist, actors.home_org)
    assert (
        _send(
            client, "post", f"{base}/assessments/{sample.pk}/disagreements", {"note": " "}
        ).status_code
        == 422
    )
    created = _send(
        client, "post", f"{base}/assessments/{sample.pk}/disagreements", {"note": "Higher need"}
    )
    assert created.status_code == 201 and created.json()["note"] == "Higher need"
    assert client.get(f"{base}/assessments/{sample.pk}/print").status_code == 403
    manager = Client()
    login(manager, actors.case_manager, actors.home_org)
    pdf = manager.get(f"{base}/assessments/{sample.pk}/print", {"lang": "ka"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_round_update_and_stale(
    client: Client, login: Callable[..., Client], started: Any, actors: Any
) -> None:
    login(client, actors.case_manager, actors.home_org)
    url = f"{_base(started.case_id)}/assessment-rounds/{started.pk}"
    payload = {
        "own_view": "I want to study",
        "desired_situation": "At home",
        "problems": [{"domain": "education", "problem": "No diploma"}],
        "version": started.version,
    }
    response = _send(client, "put", url, payload)
    assert response.status_code == 200, response.content
    assert response.json()["problems"] == [
        {"position": 1, "domain": "education", "problem": "No diploma"}
    ]
    assert _send(client, "put", url, payload).status_code == 409


def test_list_query_count_is_constant(
    client: Client,
    login: Callable[..., Client],
    started: Any,
    actors: Any,
    acting: Callable[..., Any],
    django_assert_num_queries: Any,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assessments import services

    login(client, actors.case_manager, actors.home_org)
    url = f"{_base(started.case_id)}/assessments"
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for assessment in started.assessments.all():
        services.disagreement_record(
            acting=acting(actors.specialist, actors.home_org),
            case=started.case,
            assessment=assessment,
            note="another view",
        )
    with django_assert_num_queries(len(before)):
        assert client.get(url).json()["count"] == 3
