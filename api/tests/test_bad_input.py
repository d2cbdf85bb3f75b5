"""Bad input is a clear 4xx that changes nothing (issue 15, item 5; lib/input_guard.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from cases.models import Case, CaseNote
from people.models import Person

pytestmark = pytest.mark.django_db

BEYOND_64_BITS = str(2**70)


@pytest.fixture
def worker(client: Client, actors: Any, login: Callable[..., Client]) -> Client:
    return login(client, actors.case_manager, actors.home_org)


def _json(client: Client, method: str, url: str, body: Any) -> Any:
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/cases?offset={BEYOND_64_BITS}",
        "/api/v1/cases?offset=-1",
        f"/api/v1/cases?limit={BEYOND_64_BITS}",
        f"/api/v1/cases?case_manager={BEYOND_64_BITS}",
        f"/api/v1/services?offset={BEYOND_64_BITS}",
        f"/api/v1/work?offset={BEYOND_64_BITS}",
    ],
)
def test_numbers_beyond_64_bits_and_negative_offsets_are_422(worker: Client, url: str) -> None:
    response = worker.get(url)
    assert response.status_code == 422
    name = url.split("?")[1].split("=")[0]
    assert response.json()["detail"].startswith(f"{name}:")


def test_ids_beyond_64_bits_are_404(worker: Client) -> None:
    assert worker.get(f"/api/v1/cases/{BEYOND_64_BITS}").status_code == 404
    assert worker.get(f"/cases/{BEYOND_64_BITS}/").status_code == 404


def test_nul_in_text_is_422_and_changes_nothing(
    worker: Client, open_case: Callable[..., Case]
) -> None:
    case = open_case()
    url = f"/api/v1/cases/{case.pk}/person"
    before = worker.get(url).json()
    response = _json(
        worker, "patch", url, {"version": before["version"], "place_of_birth": "A\x00"}
    )
    assert response.status_code == 422
    assert response.json()["detail"].startswith("place_of_birth:")
    assert Person.objects.get(pk=case.person_id).version == before["version"]


def test_nul_in_a_query_is_refused_on_pages_and_api(worker: Client) -> None:
    assert worker.get("/cases/?status=open%00").status_code == 400
    response = worker.get("/api/v1/cases?status=open%00")
    assert response.status_code == 422
    assert response.json()["detail"].startswith("status:")


def test_lone_surrogate_in_encrypted_text_is_422(
    worker: Client, open_case: Callable[..., Case]
) -> None:
    case = open_case()
    body = '{"kind": "visit", "occurred_at": "2026-03-02T09:00:00Z", "text": "met \\ud800 here"}'
    response = worker.post(f"/api/v1/cases/{case.pk}/notes", body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"].startswith("text:")
    assert not CaseNote.objects.filter(case=case).exists()


def test_nul_in_a_multipart_field_is_422(worker: Client, open_case: Callable[..., Case]) -> None:
    case = open_case()
    response = worker.post(
        f"/api/v1/cases/{case.pk}/person/related",
        {"relationship": "sibling\x00", "name": "Ion"},
    )
    assert response.status_code == 422
    assert "relationship" in response.json()["detail"]


def test_request_body_is_capped(worker: Client, settings: Any, open_case: Any) -> None:
    case = open_case()
    url = f"/api/v1/cases/{case.pk}/notes"
    note = {"kind": "visit", "occurred_at": "2026-03-02T09:00:00Z"}
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = _json(worker, "post", url, {**note, "text": "x" * 20_000})
    assert response.status_code == 413
    settings.REINTEGRA_MAX_REQUEST_BYTES = 5_000
    response = worker.post(url, {"text": "y" * 6_000})
    assert response.status_code == 413
    assert not CaseNote.objects.filter(case=case).exists()
