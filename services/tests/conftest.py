from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from accounts.access import Acting, acting_for
from services.models import Service
from services.services import AreaInput, service_create


def as_acting(user: Any, organisation: Any) -> Acting:
    acting = acting_for(user, organisation)
    assert acting is not None
    return acting


VALID = {
    "category": "legal_aid",
    "name": "Free legal advice",
    "description": "Lawyers advise on criminal and civil proceedings.",
    "language": "en",
    "languages": ["ro", "ru"],
    "areas": [AreaInput("MD", "Chișinău")],
}


@pytest.fixture
def make_service(actors: Any) -> Callable[..., Service]:
    """A service of ``organisation`` (the home organisation by default), entered by the
    coordinator, who may add services for any provider."""

    def make(organisation: Any = None, **values: Any) -> Service:
        return service_create(
            acting=as_acting(actors.coordinator, actors.coordinator_org),
            organisation=organisation or actors.home_org,
            values={**VALID, **values},
        )

    return make
