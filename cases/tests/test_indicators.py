"""The screening list is configurable by system administrators, pages and API."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditEntry
from cases.models import TraffickingIndicator
from cases.selectors import active_indicators

pytestmark = pytest.mark.django_db


def test_shipped_list_is_the_003_default() -> None:
    assert TraffickingIndicator.objects.count() == 13
    assert TraffickingIndicator.objects.filter(code="signs_of_violence").exists()


def test_system_admin_adds_and_retires(client: Client, login: Any, actors: Any) -> None:
    login(client, actors.system_admin, actors.home_org)
    assert client.get(reverse("cases:indicators")).status_code == 200
    response = client.post(reverse("cases:indicators"), {"label": "Works without a contract"})
    assert response.status_code == 302
    added = TraffickingIndicator.objects.get(code="works-without-a-contract")
    assert added in active_indicators()
    assert client.post(reverse("cases:indicator_toggle", args=[added.pk])).status_code == 302
    assert added not in active_indicators()
    assert AuditEntry.objects.filter(object_type="cases.traffickingindicator").count() == 2
    duplicate = client.post(reverse("cases:indicators"), {"label": "Works without a contract"})
    assert "already on the list" in duplicate.content.decode()


def test_indicator_api(client: Client, login: Any, actors: Any) -> None:
    login(client, actors.system_admin, actors.home_org)
    created = client.post(
        "/api/v1/indicators", {"label": "Sleeps at the workplace"}, content_type="application/json"
    )
    assert created.status_code == 201
    retired = client.patch(
        f"/api/v1/indicators/{created.json()['id']}",
        {"is_active": False},
        content_type="application/json",
    )
    assert retired.status_code == 200 and retired.json()["is_active"] is False
    login(client, actors.supervisor, actors.home_org)
    assert (
        client.post(
            "/api/v1/indicators", {"label": "x"}, content_type="application/json"
        ).status_code
        == 403
    )
    codes = [i["code"] for i in client.get("/api/v1/indicators").json()]
    assert "sleeps-at-the-workplace" not in codes


@pytest.mark.parametrize("who", ["supervisor", "case_manager", "analyst"])
def test_others_may_not_configure(client: Client, login: Any, actors: Any, who: str) -> None:
    organisation = actors.coordinator_org if who == "analyst" else actors.home_org
    login(client, getattr(actors, who), organisation)
    assert client.get(reverse("cases:indicators")).status_code == 403
    indicator = TraffickingIndicator.objects.first()
    assert indicator is not None
    assert client.post(reverse("cases:indicator_toggle", args=[indicator.pk])).status_code == 403
