"""A print language is one the documents print in; anything else is a clear 4xx."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_unknown_print_language_is_refused_naming_it(
    client: Client, login: Any, actors: Any, make_case: Any
) -> None:
    case = make_case()
    login(client, actors.case_manager, actors.home_org)
    api = client.get(f"/api/v1/cases/{case.pk}/monitoring/outcomes/print?lang=x-y1")
    assert api.status_code == 422
    assert "x-y1" in api.json()["detail"]
    page = client.get(f"/monitoring/cases/{case.pk}/outcomes/print/?lang=zz")
    assert page.status_code == 400
    assert not AuditEntry.objects.filter(action="print", case_id=case.pk).exists()
    assert (
        client.get(f"/api/v1/cases/{case.pk}/monitoring/outcomes/print?lang=sq").status_code == 200
    )
