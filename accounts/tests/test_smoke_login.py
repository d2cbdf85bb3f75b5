from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_home_requires_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.django_db
def test_verified_user_sees_home(client, actors, login):
    login(client, actors.case_manager, actors.home_org)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Home NGO" in response.content.decode()
