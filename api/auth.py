"""API authentication: personal tokens for machines, the session (with CSRF) for the browser.

Both resolve the same ``Acting`` the web UI uses, so the chokepoints in ``accounts.access``
apply unchanged.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from accounts.access import Acting, acting_for, acting_in
from accounts.middleware import SESSION_ORGANISATION, second_factor_satisfied
from accounts.services import api_token_authenticate


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Acting | None:
        api_token = api_token_authenticate(token)
        if api_token is None:
            return None
        acting = acting_for(api_token.user, api_token.organisation)
        if acting is None:
            # The user lost every role in the token's organisation: the token is dead too.
            return None
        request.user = api_token.user
        request.acting = acting  # type: ignore[attr-defined]  # the API's per-request context
        return acting


class SessionAuth(APIKeyCookie):
    """The browser's session; CSRF is checked on unsafe methods."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None) -> Acting | None:
        if not request.user.is_authenticated or not second_factor_satisfied(request):
            return None
        acting = acting_in(request.user, request.session.get(SESSION_ORGANISATION))
        if acting is None:
            return None
        request.acting = acting  # type: ignore[attr-defined]  # the API's per-request context
        return acting


token_auth = TokenAuth()
session_auth = SessionAuth(csrf=True)
# Token first: a request that carries a token is never asked for a CSRF cookie.
API_AUTH = [token_auth, session_auth]
