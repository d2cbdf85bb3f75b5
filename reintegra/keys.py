"""Parsing and development generation of the master key and the blind-index key.

``REINTEGRA_MASTER_KEY`` holds one or more keys, comma separated, each ``key_id:base64``.
The first is the current key used to wrap new data keys; the others stay readable so that
``rotate_keys`` can rewrap data keys that are still wrapped under them. A bare base64 value
is read as key id ``k1``.

``REINTEGRA_INDEX_KEY`` (base64 of 32 bytes) keys the HMAC blind indexes used for name and
date-of-birth search and duplicate detection. It is deliberately separate from both the
master key and ``SECRET_KEY``: the master key rotates (``rotate_keys``) and ``SECRET_KEY``
rotates with sessions, but changing the index key makes every stored blind index stale, so
search and duplicate detection stop finding existing persons until every index is rebuilt.
Back it up together with the master key — a restore without it leaves the data readable but
unsearchable — and never rotate it casually.
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
from pathlib import Path

from lib.env import ConfigurationError

KEY_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
KEY_BYTES = 32


def parse_master_keys(raw: str) -> dict[str, bytes]:
    keys: dict[str, bytes] = {}
    for part in (item.strip() for item in raw.split(",")):
        if not part:
            continue
        key_id, sep, encoded = part.partition(":")
        if not sep:
            key_id, encoded = "k1", part
        if not KEY_ID_PATTERN.match(key_id):
            raise ConfigurationError(
                f"REINTEGRA_MASTER_KEY: key id {key_id!r} must be 1-32 letters, digits, _ or -."
            )
        try:
            key = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        except (binascii.Error, ValueError) as exc:
            raise ConfigurationError(
                f"REINTEGRA_MASTER_KEY: key {key_id!r} is not valid base64."
            ) from exc
        if len(key) != KEY_BYTES:
            raise ConfigurationError(
                f"REINTEGRA_MASTER_KEY: key {key_id!r} must decode to {KEY_BYTES} bytes, "
                f"got {len(key)}."
            )
        if key_id in keys:
            raise ConfigurationError(f"REINTEGRA_MASTER_KEY: key id {key_id!r} appears twice.")
        keys[key_id] = key
    if not keys:
        raise ConfigurationError("REINTEGRA_MASTER_KEY is empty.")
    return keys


def parse_index_key(raw: str, *, name: str = "REINTEGRA_INDEX_KEY") -> bytes:
    """A 32-byte key from its base64 form (the blind-index key, the audit key); exactly 32
    bytes or a clear error naming the setting."""
    # Standard or URL-safe alphabet, padding optional; anything else is refused rather than
    # silently skipped, so a mangled key cannot decode to some other 32 bytes.
    value = raw.strip().replace("-", "+").replace("_", "/")
    try:
        key = base64.b64decode(value + "=" * (-len(value) % 4), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ConfigurationError(f"{name} is not valid base64.") from exc
    if len(key) != KEY_BYTES:
        raise ConfigurationError(f"{name} must decode to {KEY_BYTES} bytes, got {len(key)}.")
    return key


def parse_audit_key(raw: str) -> bytes:
    """The key of the audit chain's HMAC links (``audit/chain.py``).

    It lives outside the database on purpose: whoever owns the database can disable the
    append-only triggers and rewrite rows, but cannot recompute a link without this key. It
    is not rotated: every link since the keyed chain began is checked with it.
    """
    return parse_index_key(raw, name="REINTEGRA_AUDIT_KEY")


def new_index_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode().rstrip("=")


def new_master_key(key_id: str) -> str:
    encoded = base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode().rstrip("=")
    return f"{key_id}:{encoded}"


def ensure_development_secrets(var_dir: Path) -> None:
    """Create the development secrets under ``var/`` once; never used in production."""
    var_dir.mkdir(parents=True, exist_ok=True)
    (var_dir / "static").mkdir(exist_ok=True)
    secret_key_file = var_dir / "secret_key"
    if not secret_key_file.exists():
        secret_key_file.write_text(secrets.token_urlsafe(64), encoding="utf-8")
        secret_key_file.chmod(0o600)
    master_key_file = var_dir / "master_key"
    if not master_key_file.exists():
        master_key_file.write_text(new_master_key("dev1"), encoding="utf-8")
        master_key_file.chmod(0o600)
    index_key_file = var_dir / "index_key"
    if not index_key_file.exists():
        index_key_file.write_text(new_index_key(), encoding="utf-8")
        index_key_file.chmod(0o600)
    audit_key_file = var_dir / "audit_key"
    if not audit_key_file.exists():
        audit_key_file.write_text(new_index_key(), encoding="utf-8")
        audit_key_file.chmod(0o600)
