"""API: the form catalogue, definitions as JSON, answer validation."""

from __future__ import annotations

import json

import pytest

from accounts.services import api_token_create

pytestmark = pytest.mark.django_db

FORMS = "/api/v1/assessment-forms"


def bearer(user, organisation) -> dict[str, str]:
    _token, raw = api_token_create(acting_user=user, organisation=organisation, name="t", days=1)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def post_json(client, url, body, headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def test_list_allowed(client, actors):
    response = client.get(FORMS, **bearer(actors.specialist, actors.home_org))
    assert response.status_code == 200
    rows = {row["code"]: row for row in response.json()}
    assert rows["risk_assessment"]["title"] == "Risk assessment"
    assert rows["risk_assessment"]["discipline"] == "social_worker"
    assert rows["risk_assessment"]["versions"] == [1]


def test_list_in_another_language(client, actors):
    response = client.get(f"{FORMS}?lang=ro", **bearer(actors.specialist, actors.home_org))
    rows = {row["code"]: row for row in response.json()}
    assert rows["risk_assessment"]["title"] == "Evaluarea riscurilor"


def test_list_denied(client, actors):
    assert client.get(FORMS).status_code == 401
    assert client.get(FORMS, **bearer(actors.analyst, actors.coordinator_org)).status_code == 403
    assert (
        client.get(FORMS, **bearer(actors.coordinator, actors.coordinator_org)).status_code == 403
    )


def test_definition_as_json(client, actors, test_forms):
    headers = bearer(actors.case_manager, actors.home_org)
    latest = client.get(f"{FORMS}/sample", **headers)
    assert latest.status_code == 200
    body = latest.json()
    assert body["version"] == 2
    first = body["sections"][0]["questions"]
    assert first[0]["label"]["ka"] == "ჰყავს შვილები"
    # "in" is a Python keyword; the JSON keeps the definition's own spelling.
    assert body["sections"][1]["questions"][1]["show_if"] == {
        "question": "problems",
        "in": ["sleep"],
    }
    old = client.get(f"{FORMS}/sample?version=1", **headers).json()
    assert old["version"] == 1
    ids = [q["id"] for section in old["sections"] for q in section["questions"]]
    assert "exam_place" not in ids


def test_definition_unknown_is_404(client, actors, test_forms):
    headers = bearer(actors.case_manager, actors.home_org)
    assert client.get(f"{FORMS}/nope", **headers).status_code == 404
    assert client.get(f"{FORMS}/sample?version=7", **headers).status_code == 404


def test_definition_denied(client, actors, test_forms):
    assert client.get(f"{FORMS}/sample").status_code == 401
    headers = bearer(actors.analyst, actors.coordinator_org)
    assert client.get(f"{FORMS}/sample", **headers).status_code == 403


def test_validate_valid(client, actors, test_forms):
    response = post_json(
        client,
        f"{FORMS}/sample/validate",
        {
            "answers": {"has_children": True, "children_count": 3},
            "summary": {"category": "fine", "need_level": "none"},
        },
        bearer(actors.specialist, actors.home_org),
    )
    assert response.status_code == 200
    assert response.json() == {"valid": True, "form": "sample", "version": 2, "errors": []}


def test_validate_invalid_names_the_question(client, actors, test_forms):
    response = post_json(
        client,
        f"{FORMS}/sample/validate?version=1&lang=ru",
        {"answers": {"has_children": "maybe", "exam_place": "x"}, "summary": {"need_level": "?"}},
        bearer(actors.specialist, actors.home_org),
    )
    assert response.status_code == 422
    body = response.json()
    assert body["valid"] is False
    assert body["version"] == 1
    by_question = {error["question"]: error for error in body["errors"]}
    # exam_place exists only in version 2.
    assert set(by_question) == {"exam_place", "has_children", "summary.need_level"}
    assert by_question["has_children"]["label"] == "Есть дети"
    assert by_question["has_children"]["message"] == "Answer yes or no."


def test_validate_with_session_needs_csrf(client, actors, login, test_forms):
    from django.test import Client

    browser = login(Client(enforce_csrf_checks=True), actors.specialist, actors.home_org)
    response = post_json(browser, f"{FORMS}/sample/validate", {"answers": {}}, {})
    assert response.status_code in {401, 403}


def test_validate_denied(client, actors, test_forms):
    body = {"answers": {"has_children": True}}
    assert post_json(client, f"{FORMS}/sample/validate", body, {}).status_code == 401
    headers = bearer(actors.analyst, actors.coordinator_org)
    assert post_json(client, f"{FORMS}/sample/validate", body, headers).status_code == 403


def test_validate_unknown_form_is_404(client, actors, test_forms):
    headers = bearer(actors.specialist, actors.home_org)
    assert post_json(client, f"{FORMS}/nope/validate", {"answers": {}}, headers).status_code == 404


def test_openapi_documents_the_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {FORMS, f"{FORMS}/{{code}}", f"{FORMS}/{{code}}/validate"} <= set(paths)
