"""Typed helpers that read settings from the environment and fail loudly.

A setting that is missing or malformed stops the process with a message naming the
variable, instead of starting with a silently wrong configuration.
"""

from __future__ import annotations

import os
from pathlib import Path


class ConfigurationError(RuntimeError):
    """A required environment variable is missing or malformed."""


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ConfigurationError(f"Environment variable {name} is required but not set.")
        return default
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigurationError(
        f"Environment variable {name} must be one of 1/0, true/false, yes/no, on/off; "
        f"got {value!r}."
    )


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ConfigurationError(
            f"Environment variable {name} must be an integer; got {value!r}."
        ) from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_secret(name: str, *, fallback_file: Path | None = None) -> str | None:
    """A secret from ``NAME`` or from the file named by ``NAME_FILE``.

    The ``_FILE`` variant lets deployments mount secrets (Docker/Kubernetes secrets,
    systemd credentials) without putting them in the process environment.
    ``fallback_file`` is used only by the demo/development setup, which generates its own
    secrets into ``var/``.
    """
    value = os.environ.get(name)
    file_name = os.environ.get(f"{name}_FILE")
    if value and file_name:
        raise ConfigurationError(f"Set either {name} or {name}_FILE, not both.")
    if value:
        return value.strip()
    if file_name:
        path = Path(file_name)
        if not path.is_file():
            raise ConfigurationError(
                f"{name}_FILE points to {file_name}, which is not a readable file."
            )
        content = path.read_text(encoding="utf-8").strip()
        if not content:
            raise ConfigurationError(f"{name}_FILE points to {file_name}, which is empty.")
        return content
    if fallback_file is not None and fallback_file.is_file():
        return fallback_file.read_text(encoding="utf-8").strip()
    return None


def parse_database_url(url: str, *, base_dir: Path) -> dict[str, object]:
    """Translate ``DATABASE_URL`` into a Django ``DATABASES['default']`` entry.

    Supported: ``sqlite:///relative/or/absolute/path`` and
    ``postgres://user:password@host:port/name`` (also ``postgresql://``).
    """
    from urllib.parse import parse_qs, unquote, urlparse

    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        raw_path = unquote(url[len("sqlite://") :])
        if raw_path.startswith("/") and not raw_path.startswith("//"):
            raw_path = raw_path[1:]
        path = Path(raw_path)
        if not path.is_absolute():
            path = base_dir / path
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    if parsed.scheme in {"postgres", "postgresql"}:
        if not parsed.path or parsed.path == "/":
            raise ConfigurationError("DATABASE_URL for PostgreSQL must name a database.")
        options: dict[str, object] = {}
        query = parse_qs(parsed.query)
        if "sslmode" in query:
            options["sslmode"] = query["sslmode"][0]
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path[1:]),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ConfigurationError(
        f"DATABASE_URL scheme {parsed.scheme!r} is not supported; use sqlite:/// or postgres://."
    )
