"""The request as Reintegra's middleware leaves it, for type checking."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from accounts.access import Acting
    from accounts.models import Organisation


class AppRequest(HttpRequest):
    # Set by accounts.middleware.ActiveOrganisationMiddleware (web) or api.auth (API).
    acting: Acting | None
    organisations: list[Organisation]
