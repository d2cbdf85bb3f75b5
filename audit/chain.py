"""The canonical form of an audit entry and its link; shared by sealing and verifying.

Two link versions exist, recorded on each entry as ``chain_version``:

1. ``SHA256``: ``sha256(prev_hash || canonical entry)``, the original chain. Anyone who can
   write to the database can recompute it, so it proves nothing against a database owner who
   disables the append-only triggers. Entries written before the keyed chain began keep it and
   still verify.
2. ``HMAC``: ``HMAC-SHA256(REINTEGRA_AUDIT_KEY, "reintegra-audit-v2" || prev_hash || canonical
   entry)``. The key is not in the database, so a rewritten entry cannot be given a valid link.
   The first keyed link covers the last plain hash, so it also anchors every earlier entry.

Where the plain chain ends is written on the chain head with its own HMAC
(:func:`legacy_boundary_mac`): without it, a forger could turn keyed links back into plain
ones and recompute them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

from django.conf import settings

GENESIS_HASH = "0" * 64


class ChainVersion(IntEnum):
    SHA256 = 1
    HMAC = 2


def canonical_entry(
    *,
    sequence: int,
    occurred_at: datetime,
    actor_id: int | None,
    actor_username: str,
    organisation_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    case_id: int | None,
    fields: list[str],
    detail: dict[str, Any],
    request_id: str,
    ip_address: str | None,
) -> bytes:
    payload = {
        "sequence": sequence,
        "occurred_at": occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "actor_username": actor_username,
        "organisation_id": organisation_id,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "case_id": case_id,
        "fields": fields,
        "detail": detail,
        "request_id": request_id,
        "ip_address": ip_address,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def chain_hash(prev_hash: str, canonical: bytes) -> str:
    """The version 1 (plain SHA-256) link."""
    return hashlib.sha256(prev_hash.encode("ascii") + canonical).hexdigest()


def _mac(message: bytes, key: bytes | None = None) -> str:
    return hmac.new(
        key if key is not None else settings.REINTEGRA_AUDIT_KEY, message, hashlib.sha256
    ).hexdigest()


def chain_hmac(prev_hash: str, canonical: bytes, key: bytes | None = None) -> str:
    """The version 2 (keyed) link; the version prefix keeps the two kinds apart."""
    return _mac(b"reintegra-audit-v2\x00" + prev_hash.encode("ascii") + canonical, key)


def link(version: int, prev_hash: str, canonical: bytes) -> str:
    if version == ChainVersion.SHA256:
        return chain_hash(prev_hash, canonical)
    if version == ChainVersion.HMAC:
        return chain_hmac(prev_hash, canonical)
    raise ValueError(f"unknown audit chain version {version}")


def legacy_boundary_mac(sequence: int, last_hash: str) -> str:
    """Seals where the plain chain ends: entries up to ``sequence`` may carry plain links."""
    return _mac(f"reintegra-audit-legacy\x00{sequence}\x00{last_hash}".encode("ascii"))


def checkpoint_mac(sequence: int, count: int, head_hash: str, taken_at: str) -> str:
    """Seals a checkpoint (``audit_checkpoint``): its head, its count and when it was taken."""
    message = f"reintegra-audit-checkpoint\x00{sequence}\x00{count}\x00{head_hash}\x00{taken_at}"
    return _mac(message.encode())


def macs_equal(left: str, right: str) -> bool:
    return hmac.compare_digest(left.encode("ascii", "replace"), right.encode("ascii", "replace"))


@dataclass(frozen=True)
class ChainBreak:
    sequence: int
    entry_id: int | None
    reason: str
