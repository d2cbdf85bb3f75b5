"""Reintegra settings, read from the environment (see .env.example).

``REINTEGRA_ENV=development`` (set by ``make run`` and ``make test``) generates its own
secrets under ``var/`` and allows DEBUG; anything else is production, where every secret
must be given and a missing one stops the start.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from lib.env import (
    ConfigurationError,
    env_bool,
    env_int,
    env_list,
    env_secret,
    env_str,
    parse_database_url,
)
from reintegra.keys import (
    ensure_development_secrets,
    parse_audit_key,
    parse_index_key,
    parse_master_keys,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("REINTEGRA_VAR_DIR", str(BASE_DIR / "var")))

ENVIRONMENT = env_str("REINTEGRA_ENV", "production")
if ENVIRONMENT not in {"development", "production"}:
    raise ConfigurationError("REINTEGRA_ENV must be 'development' or 'production'.")
DEVELOPMENT = ENVIRONMENT == "development"
if DEVELOPMENT:
    ensure_development_secrets(VAR_DIR)

DEBUG = env_bool("DJANGO_DEBUG", default=False)
if DEBUG and not DEVELOPMENT:
    raise ConfigurationError("DJANGO_DEBUG may only be switched on with REINTEGRA_ENV=development.")

# Demo mode relaxes the second factor for the seeded demo accounts only, and every page
# says so in a banner (base.html).
DEMO_MODE = env_bool("REINTEGRA_DEMO", default=False)
if DEMO_MODE and not DEVELOPMENT:
    raise ConfigurationError(
        "REINTEGRA_DEMO may only be switched on with REINTEGRA_ENV=development."
    )

_secret_key = env_secret(
    "DJANGO_SECRET_KEY", fallback_file=VAR_DIR / "secret_key" if DEVELOPMENT else None
)
if not _secret_key:
    raise ConfigurationError("DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE) is required.")
SECRET_KEY = _secret_key

_master_key = env_secret(
    "REINTEGRA_MASTER_KEY", fallback_file=VAR_DIR / "master_key" if DEVELOPMENT else None
)
if not _master_key:
    raise ConfigurationError("REINTEGRA_MASTER_KEY (or REINTEGRA_MASTER_KEY_FILE) is required.")
REINTEGRA_MASTER_KEYS = parse_master_keys(_master_key)

# Keys the blind indexes; never rotated with the master key (see reintegra/keys.py).
_index_key = env_secret(
    "REINTEGRA_INDEX_KEY", fallback_file=VAR_DIR / "index_key" if DEVELOPMENT else None
)
if not _index_key:
    raise ConfigurationError("REINTEGRA_INDEX_KEY (or REINTEGRA_INDEX_KEY_FILE) is required.")
REINTEGRA_INDEX_KEY = parse_index_key(_index_key)

# Keys the audit chain's HMAC links; kept outside the database so that its owner cannot
# recompute the chain after rewriting it (audit/chain.py).
_audit_key = env_secret(
    "REINTEGRA_AUDIT_KEY", fallback_file=VAR_DIR / "audit_key" if DEVELOPMENT else None
)
if not _audit_key:
    raise ConfigurationError("REINTEGRA_AUDIT_KEY (or REINTEGRA_AUDIT_KEY_FILE) is required.")
REINTEGRA_AUDIT_KEY = parse_audit_key(_audit_key)

# Optional key of `manage.py backup` archives; without it the archive key is derived from the
# current master key (backups/archive.py).
_backup_key = env_secret("REINTEGRA_BACKUP_KEY")
REINTEGRA_BACKUP_KEY = (
    parse_index_key(_backup_key, name="REINTEGRA_BACKUP_KEY") if _backup_key else None
)

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if DEVELOPMENT else []
)
if not ALLOWED_HOSTS:
    raise ConfigurationError("ALLOWED_HOSTS is required in production (comma separated).")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_htmx",
    "ninja",
    "accounts",
    "audit",
    "people",
    "cases",
    "crypto",
    "policies",
    "work",
    "services",
    "consent",
    "assessments",
    "referrals",
    "plans",
    "assistance",
    "monitoring",
    "complaints",
    "closure",
    "teamwork",
    "reports",
    "api",
    "lib",
    "backups",
    "benchmark",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "audit.middleware.RequestContextMiddleware",
    "audit.middleware.PrivateResponseHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.AbsoluteSessionTimeoutMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "lib.input_guard.InputGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SecondFactorRequiredMiddleware",
    "accounts.middleware.ActiveOrganisationMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "reintegra.urls"
WSGI_APPLICATION = "reintegra.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "accounts.context_processors.shell",
            ],
        },
    },
]

DATABASES = {
    "default": parse_database_url(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'reintegra.sqlite3'}"), base_dir=BASE_DIR
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out username before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# ASVS 2.1: length and a common-password check; no composition rules, no forced expiry.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout: the sixth attempt after five failures is refused, even with the right password,
# for 15 minutes. Keyed on the username so that rotating IP addresses does not help.
AXES_FAILURE_LIMIT = env_int("REINTEGRA_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("REINTEGRA_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env_int("REINTEGRA_PROXY_COUNT", 0)

# Sessions: database-backed (stateless app servers), 30 minutes idle, 12 hours absolute
# (enforced by accounts.middleware.AbsoluteSessionTimeoutMiddleware).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env_int("REINTEGRA_SESSION_IDLE_MINUTES", 30) * 60
# The expiry slides when the session is saved: accounts.middleware saves it once a minute.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_SECONDS = env_int("REINTEGRA_SESSION_ABSOLUTE_HOURS", 12) * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "reintegra_session"
CSRF_COOKIE_NAME = "reintegra_csrftoken"

_https = env_bool("REINTEGRA_HTTPS", default=not DEVELOPMENT)
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_SSL_REDIRECT = _https and env_bool("REINTEGRA_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = 31536000 if _https else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
SECURE_HSTS_PRELOAD = _https
if env_bool("REINTEGRA_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Strict CSP: nothing inline, nothing from another origin; the htmx script is served
# from our own static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ro", _("Romanian")),
    ("ru", _("Russian")),
    ("ka", _("Georgian")),
    ("sq", _("Albanian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "reintegra_language"
LANGUAGE_COOKIE_SECURE = _https
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "Europe/Chisinau")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or DEVELOPMENT
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("REINTEGRA_ATTACHMENTS_DIR", str(VAR_DIR / "attachments")))

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEVELOPMENT
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "reintegra@localhost")

OTP_TOTP_ISSUER = env_str("REINTEGRA_OTP_ISSUER", "Reintegra")
OTP_TOTP_THROTTLE_FACTOR = 1

# Personal API tokens expire at most this many days after creation.
REINTEGRA_API_TOKEN_MAX_DAYS = env_int("REINTEGRA_API_TOKEN_MAX_DAYS", 90)
# Small-cell suppression: the smallest count any statistic shows (CTDC used k = 11).
REINTEGRA_STATS_MIN_CELL = env_int("REINTEGRA_STATS_MIN_CELL", 11)

# Request bodies (lib/input_guard.py): the whole request, uploads included, and — through
# Django — the part held in memory (JSON and form fields; files stream to disk).
REINTEGRA_MAX_REQUEST_BYTES = env_int("REINTEGRA_MAX_REQUEST_BYTES", 12 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("REINTEGRA_MAX_FORM_BYTES", 1024 * 1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Never log request bodies: they carry case data.
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}
CSRF_FAILURE_VIEW = "reintegra.views.csrf_failure"
# axes.W006 asks to lock by IP address as well. Field offices share one NAT address, so an
# IP lockout would let one mistyping colleague lock out a whole office; the lockout is per
# username, as the security design asks.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
