from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the layout needs on every page: who acts where, and whether this is the demo."""
    return {
        "demo_mode": settings.DEMO_MODE,
        "acting": getattr(request, "acting", None),
        "user_organisations": getattr(request, "organisations", []),
    }
