"""Login with a password, then the second factor (TOTP or a recovery code), then work."""

from __future__ import annotations

import base64
from io import BytesIO
from typing import Any, cast

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlencode, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.access import organisations_of
from accounts.demo import demo_sign_in
from accounts.forms import EnrolmentForm, LoginForm, SecondFactorForm
from accounts.middleware import second_factor_satisfied, start_session_clock
from accounts.models import User
from accounts.services import totp_device_confirm, totp_device_start
from audit.models import AuditAction
from audit.services import record


def lockout_response(
    request: HttpRequest, credentials: Any, *args: Any, **kwargs: Any
) -> HttpResponse:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form = LoginForm()
    return render(
        request,
        "accounts/login.html",
        {"form": form, "locked_out": True, "minutes": minutes},
        status=429,
    )


def _safe_next(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _signed_in(request: HttpRequest, user: Any) -> HttpResponse:
    """Where a fully signed-in user goes: to choose the organisation to act for when they
    work for several, otherwise where they were heading."""
    next_url = _safe_next(request)
    if len(organisations_of(user)) > 1:
        return redirect(
            f"{reverse('accounts:choose_organisation')}?{urlencode({'next': next_url})}"
        )
    return redirect(next_url)


def _has_confirmed_totp(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@never_cache
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and second_factor_satisfied(request):
        return redirect(_safe_next(request))
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if user is not None:
            login(request, user)  # rotates the session key
            start_session_clock(request)
            if second_factor_satisfied(request):
                return _signed_in(request, user)
            target = (
                "accounts:second_factor"
                if _has_confirmed_totp(user)
                else "accounts:second_factor_setup"
            )
            return redirect(f"{reverse(target)}?{urlencode({'next': _safe_next(request)})}")
        # One message whatever was wrong, so the form does not reveal which usernames exist.
        form.add_error(None, _("The username or password is not correct."))
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "expired": request.GET.get("expired") == "1",
            "next": request.GET.get("next", ""),
            "demo": demo_sign_in() if settings.DEMO_MODE else None,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def second_factor_view(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    if second_factor_satisfied(request):
        return redirect(_safe_next(request))
    if not _has_confirmed_totp(request.user):
        return redirect("accounts:second_factor_setup")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            request.session.cycle_key()
            record(
                action=AuditAction.SECOND_FACTOR,
                actor=request.user,
                target=request.user,
                detail={"event": "verified", "device": device.__class__.__name__},
            )
            return _signed_in(request, request.user)
        record(
            action=AuditAction.SECOND_FACTOR_FAILED,
            actor=request.user,
            target=request.user,
            detail={"event": "code_wrong"},
        )
        form.add_error(
            "code", _("This code is not valid. Check the time on your phone and try again.")
        )
    return render(
        request, "accounts/second_factor.html", {"form": form, "next": _safe_next(request)}
    )


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@never_cache
@require_http_methods(["GET", "POST"])
def second_factor_setup_view(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app. Reachable with a password alone only while the account
    has no confirmed device; replacing a device needs a verified session."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    user = cast(User, request.user)
    verified = bool(getattr(user, "is_verified", lambda: False)())
    if _has_confirmed_totp(user) and not verified:
        return redirect("accounts:second_factor")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = totp_device_start(user=user)
    form = EnrolmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = totp_device_confirm(user=user, device=device, token=form.cleaned_data["code"])
        if codes is not None:
            otp_login(request, device)
            request.session.cycle_key()
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": _safe_next(request)},
            )
        form.add_error(
            "code", _("This code is not valid. Check the time on your phone and try again.")
        )
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "accounts/second_factor_setup.html",
        {
            "form": form,
            "qr_code": _qr_svg(device.config_url),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": _safe_next(request),
        },
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("accounts:login")


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def set_password_view(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The link an administrator hands to a new user (or one who lost their password)."""
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "accounts/set_password.html", {"invalid": True}, status=400)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        record(action=AuditAction.UPDATE, actor=user, target=user, fields=["password"])
        messages.success(request, _("Your password is set. Sign in to enrol your second factor."))
        return HttpResponseRedirect(reverse("accounts:login"))
    return render(request, "accounts/set_password.html", {"form": form})
