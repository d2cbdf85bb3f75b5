"""The home page and the error pages. Error pages reveal nothing about the request."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone

from cases.services import record_case_list_read
from lib.views import login_required_verified
from work.home import day_for


@login_required_verified
def home_view(request: HttpRequest) -> HttpResponse:
    """The start of the day: each role's waiting work (``work.home``)."""
    acting = getattr(request, "acting", None)
    today = timezone.localdate()
    day = day_for(acting, today=today) if acting is not None else None
    if acting is not None and day is not None and day.recent_cases:
        # The recently opened cases show their numbers: a list read like the case list's.
        record_case_list_read(acting=acting, case_ids=[case.pk for case in day.recent_cases])
    return render(request, "home.html", {"day": day, "today": today})


def favicon_view(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico where a page names no icon (a PDF, a download). The static
    URL is resolved per request: the production manifest exists only after collectstatic."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


def error_400(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def error_403(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
