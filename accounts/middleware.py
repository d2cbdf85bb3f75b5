from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.contrib import auth
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import translation

from accounts.access import Acting
from accounts.http import AppRequest
from accounts.models import Membership
from accounts.roles import Role

if TYPE_CHECKING:
    from accounts.models import User

SESSION_STARTED_AT = "reintegra_auth_started_at"
SESSION_TOUCHED_AT = "reintegra_touched_at"
SESSION_ORGANISATION = "reintegra_organisation_id"

# Paths a user who has given the password but not yet the second factor may reach.
_SECOND_FACTOR_OPEN_PREFIXES = ("/static/", "/api/", "/i18n/")
_SECOND_FACTOR_OPEN_NAMES = (
    "accounts:second_factor",
    "accounts:second_factor_setup",
    "accounts:logout",
)


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def second_factor_satisfied(request: HttpRequest) -> bool:
    user = request.user
    if not user.is_authenticated:
        return False
    if settings.DEMO_MODE and getattr(user, "is_demo_account", False):
        return True
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


class AbsoluteSessionTimeoutMiddleware:
    """End a session 12 hours after login whatever the activity, and slide the 30-minute
    idle timeout.

    Sliding the expiry means saving the session; saving it on every request would add a
    database write to every page, so it is saved when at least a minute has passed since the
    last save (the idle timeout is exact to the minute).
    """

    TOUCH_SECONDS = 60

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        now = time.time()
        started = request.session.get(SESSION_STARTED_AT)
        if started is not None and now - float(started) > settings.SESSION_ABSOLUTE_SECONDS:
            request.session.flush()
            if is_api(request):
                return JsonResponse({"detail": "Session expired."}, status=401)
            return HttpResponseRedirect(f"{resolve_url(settings.LOGIN_URL)}?expired=1")
        response = self.get_response(request)
        session = request.session
        if not session.is_empty() and not session.modified:
            touched = session.get(SESSION_TOUCHED_AT)
            if touched is None or now - float(touched) >= self.TOUCH_SECONDS:
                session[SESSION_TOUCHED_AT] = now
        return response


class SecondFactorRequiredMiddleware:
    """A password alone reaches nothing but the second-factor step."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._open_paths: tuple[str, ...] | None = None

    def _open(self) -> tuple[str, ...]:
        if self._open_paths is None:
            self._open_paths = tuple(reverse(name) for name in _SECOND_FACTOR_OPEN_NAMES)
        return self._open_paths

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not second_factor_satisfied(request)
            and not request.path.startswith(_SECOND_FACTOR_OPEN_PREFIXES)
            and request.path not in self._open()
        ):
            return HttpResponseRedirect(reverse("accounts:second_factor"))
        return self.get_response(request)


class ActiveOrganisationMiddleware:
    """Resolve the organisation the request acts in, and the user's roles there.

    One query per request: all active memberships of the user with their organisations.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        app_request = cast(AppRequest, request)
        app_request.acting = None
        app_request.organisations = []
        user = request.user
        if user.is_authenticated and second_factor_satisfied(request) and not is_api(request):
            memberships = list(
                Membership.objects.active().filter(user=user).select_related("organisation")
            )
            organisations = {m.organisation_id: m.organisation for m in memberships}
            app_request.organisations = sorted(organisations.values(), key=lambda o: o.name)
            chosen = request.session.get(SESSION_ORGANISATION)
            if chosen not in organisations and organisations:
                chosen = app_request.organisations[0].pk
                request.session[SESSION_ORGANISATION] = chosen
            if chosen in organisations:
                app_request.acting = Acting(
                    user=cast("User", user),
                    organisation=organisations[chosen],
                    roles=frozenset(
                        Role(m.role) for m in memberships if m.organisation_id == chosen
                    ),
                )
        return self.get_response(request)


class UserLanguageMiddleware:
    """A signed-in user's chosen language wins over the browser's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = (
            getattr(request.user, "language", None) if request.user.is_authenticated else None
        )
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


def start_session_clock(request: HttpRequest) -> None:
    request.session[SESSION_STARTED_AT] = time.time()


def logout_everywhere(request: HttpRequest) -> None:
    auth.logout(request)
