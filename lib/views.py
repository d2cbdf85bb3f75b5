"""Small helpers that views share."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from accounts.access import Acting, require_acting
from accounts.middleware import second_factor_satisfied
from accounts.roles import Capability

# Views may stream (a CSV export), so the decorators accept any response.
View = Callable[..., HttpResponseBase]


def login_required_verified(view: View) -> View:
    """Signed in with both factors (the middleware already guards this; the decorator makes
    the intent explicit and keeps the view safe if the middleware order ever changes)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated or not second_factor_satisfied(request):
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return view(request, *args, **kwargs)

    return wrapper


def acting_or_403(request: HttpRequest, capability: Capability | None = None) -> Acting:
    acting: Acting | None = getattr(request, "acting", None)
    if acting is None:
        raise PermissionDenied
    if capability is not None:
        require_acting(acting, capability)
    return acting


def capability_required(capability: Capability) -> Callable[[View], View]:
    """Signed in, acting in an organisation where a role grants ``capability``."""

    def decorator(view: View) -> View:
        @login_required_verified
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            acting_or_403(request, capability)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
