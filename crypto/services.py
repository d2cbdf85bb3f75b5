"""Envelope encryption: data keys, AES-256-GCM values, master-key rotation, crypto-erasure.

Ciphertext format (values and wrapped keys alike)::

    version byte (0x01) | 12-byte random nonce | AES-256-GCM ciphertext and 16-byte tag

A value's associated data is ``table|column|row``: the ciphertext only decrypts in the row
and column it was written for, so moving or swapping ciphertexts between rows or columns is
detected as tampering. A wrapped data key's associated data names the master key id that
wrapped it.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from audit.models import AuditAction
from audit.services import record
from crypto.models import DataKey

FORMAT_VERSION = 1
_VERSION_BYTE = bytes([FORMAT_VERSION])
NONCE_BYTES = 12
TAG_BYTES = 16
KEY_BYTES = 32
_HEADER_BYTES = 1 + NONCE_BYTES
# Keys per bulk insert and per rotation transaction: large enough to be quick, small enough
# that rotation never holds row locks on the whole table at once.
BATCH_SIZE = 1000


class KeyErased(Exception):
    """The data key was crypto-erased; the value can never be decrypted again."""


class DecryptionError(Exception):
    """The ciphertext was tampered with, belongs to another row or column, or its key is
    wrapped under a master key that is not configured."""


class UnknownKeyId(DecryptionError):
    """A data key is wrapped under a master key id missing from REINTEGRA_MASTER_KEY."""


# --- master keys -------------------------------------------------------------------------


def _master_keys() -> Mapping[str, bytes]:
    keys: Mapping[str, bytes] = settings.REINTEGRA_MASTER_KEYS
    return keys


def current_kek_id() -> str:
    """The id of the master key that wraps new data keys: the first one configured."""
    return next(iter(_master_keys()))


def _kek(kek_id: str) -> bytes:
    try:
        return _master_keys()[kek_id]
    except KeyError:
        raise UnknownKeyId(
            f"Data key is wrapped under master key id {kek_id!r}, which is not configured in "
            "REINTEGRA_MASTER_KEY; add that key (after the current one) to read it."
        ) from None


def _wrap_aad(kek_id: str) -> bytes:
    return b"reintegra-dek|" + kek_id.encode("ascii")


def _seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce = secrets.token_bytes(NONCE_BYTES)
    return _VERSION_BYTE + nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def _open(key: bytes, blob: bytes, aad: bytes) -> bytes:
    if len(blob) < _HEADER_BYTES + TAG_BYTES:
        raise DecryptionError("Ciphertext is too short to be valid.")
    if blob[0] != FORMAT_VERSION:
        raise DecryptionError(f"Unknown ciphertext format version {blob[0]}.")
    nonce = blob[1:_HEADER_BYTES]
    try:
        return AESGCM(key).decrypt(nonce, blob[_HEADER_BYTES:], aad)
    except InvalidTag:
        raise DecryptionError(
            "Ciphertext failed authentication: it was altered or belongs to another "
            "row, column or key."
        ) from None


def _wrap(dek: bytes, kek_id: str) -> bytes:
    return _seal(_kek(kek_id), dek, _wrap_aad(kek_id))


def _unwrap(wrapped: bytes, kek_id: str) -> bytes:
    dek = _open(_kek(kek_id), wrapped, _wrap_aad(kek_id))
    if len(dek) != KEY_BYTES:
        raise DecryptionError("Unwrapped data key has the wrong length.")
    return dek


# --- unwrapped-key cache -----------------------------------------------------------------


class _KeyCache:
    """A small per-process LRU of unwrapped data keys.

    Keyed by (DataKey pk, kek id, wrapped bytes): rewrapping or erasing a key changes the
    wrapped bytes, so a stale entry can never be hit through a freshly loaded DataKey.
    Erasure still evicts the entry at once so that no copy of an erased key lingers in this
    process's memory.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._entries: OrderedDict[tuple[int, str, bytes], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, cache_key: tuple[int, str, bytes]) -> bytes | None:
        with self._lock:
            dek = self._entries.get(cache_key)
            if dek is not None:
                self._entries.move_to_end(cache_key)
            return dek

    def put(self, cache_key: tuple[int, str, bytes], dek: bytes) -> None:
        with self._lock:
            self._entries[cache_key] = dek
            self._entries.move_to_end(cache_key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)

    def evict(self, pk: int) -> None:
        with self._lock:
            for cache_key in [k for k in self._entries if k[0] == pk]:
                del self._entries[cache_key]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


# A page of persons decrypts a few dozen keys; 1024 covers several pages and bulk work.
_cache = _KeyCache(size=1024)


def clear_key_cache() -> None:
    _cache.clear()


def _dek(key: DataKey) -> bytes:
    if key.wrapped_key is None:
        raise KeyErased(f"Data key {key.pk} was crypto-erased.")
    wrapped = bytes(key.wrapped_key)
    if key.pk is None:
        return _unwrap(wrapped, key.kek_id)
    cache_key = (key.pk, key.kek_id, wrapped)
    dek = _cache.get(cache_key)
    if dek is None:
        dek = _unwrap(wrapped, key.kek_id)
        _cache.put(cache_key, dek)
    return dek


# --- data keys ---------------------------------------------------------------------------


def _new_data_key() -> tuple[DataKey, bytes]:
    dek = secrets.token_bytes(KEY_BYTES)
    kek_id = current_kek_id()
    return DataKey(wrapped_key=_wrap(dek, kek_id), kek_id=kek_id), dek


def data_key_create() -> DataKey:
    """A new random data key, wrapped under the current master key and saved."""
    key, dek = _new_data_key()
    key.save(force_insert=True)
    _cache.put((key.pk, key.kek_id, bytes(key.wrapped_key or b"")), dek)
    return key


def data_keys_create_bulk(n: int) -> list[DataKey]:
    """``n`` new data keys in one insert per BATCH_SIZE keys (for synthetic volume)."""
    if n < 0:
        raise ValueError("n must not be negative.")
    if n == 0:
        return []
    pairs = [_new_data_key() for _ in range(n)]
    keys = DataKey.objects.bulk_create([key for key, _ in pairs], batch_size=BATCH_SIZE)
    for key, dek in zip(keys, (dek for _, dek in pairs), strict=True):
        if key.pk is not None:
            _cache.put((key.pk, key.kek_id, bytes(key.wrapped_key or b"")), dek)
    return keys


# --- values ------------------------------------------------------------------------------


def _aad(table: str, column: str, row: str) -> bytes:
    for name, part in (("table", table), ("column", column), ("row", row)):
        if not part:
            raise ValueError(f"Associated data: {name} must not be empty.")
        if "|" in part:
            raise ValueError(f"Associated data: {name} must not contain '|'.")
    return f"{table}|{column}|{row}".encode()


def encrypt_bytes(key: DataKey, data: bytes, *, table: str, column: str, row: str) -> bytes:
    return _seal(_dek(key), bytes(data), _aad(table, column, row))


def decrypt_bytes(
    key: DataKey, blob: bytes | memoryview, *, table: str, column: str, row: str
) -> bytes:
    # PostgreSQL hands BinaryField values back as memoryview.
    return _open(_dek(key), bytes(blob), _aad(table, column, row))


def encrypt_text(
    key: DataKey, plaintext: str | None, *, table: str, column: str, row: str
) -> bytes | None:
    """AES-256-GCM of the UTF-8 text; None stays None so that "unknown" stays visible."""
    if plaintext is None:
        return None
    return encrypt_bytes(key, plaintext.encode("utf-8"), table=table, column=column, row=row)


def decrypt_text(
    key: DataKey, ciphertext: bytes | None, *, table: str, column: str, row: str
) -> str | None:
    if ciphertext is None:
        # An erased key must still say so, even for a column that was empty.
        if key.is_erased:
            raise KeyErased(f"Data key {key.pk} was crypto-erased.")
        return None
    data = decrypt_bytes(key, ciphertext, table=table, column=column, row=row)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise DecryptionError("Decrypted value is not UTF-8 text.") from None


# --- erasure and rotation ----------------------------------------------------------------


@transaction.atomic
def crypto_erase(
    key: DataKey,
    *,
    acting_user: Any = None,
    reason: str,
    organisation: Any = None,
    case_id: int | None = None,
) -> None:
    """Destroy the data key so that everything encrypted under it is unreadable for good.

    ``reason`` is a short non-identifying code (for example ``retention`` or
    ``erasure_request``); it goes into the audit entry. Erasing an erased key does nothing
    and writes no second entry.
    """
    reason = reason.strip()
    if not reason:
        raise ValueError("crypto_erase needs a reason.")
    locked = DataKey.objects.select_for_update().get(pk=key.pk)
    if locked.is_erased:
        key.wrapped_key, key.erased_at = None, locked.erased_at
        _cache.evict(key.pk)
        return
    erased_at = timezone.now()
    DataKey.objects.filter(pk=key.pk).update(wrapped_key=None, erased_at=erased_at)
    key.wrapped_key, key.erased_at = None, erased_at
    _cache.evict(key.pk)
    record(
        action=AuditAction.DELETE,
        actor=acting_user,
        organisation=organisation,
        target=key,
        case_id=case_id,
        fields=["wrapped_key"],
        detail={"operation": "crypto_erase", "reason": reason, "kek_id": locked.kek_id},
    )


def unconfigured_key_ids() -> dict[str, int]:
    """Master key ids that live data keys are wrapped under but that are not configured."""
    rows = (
        DataKey.objects.filter(wrapped_key__isnull=False)
        .exclude(kek_id__in=list(_master_keys()))
        .values("kek_id")
        .annotate(n=Count("id"))
        .order_by("kek_id")
    )
    return {row["kek_id"]: row["n"] for row in rows}


def rotate_keys(*, batch_size: int = BATCH_SIZE, acting_user: Any = None) -> int:
    """Rewrap every live data key not yet under the current master key; returns the count.

    Only the 32-byte data keys are re-encrypted, never the data. Each batch commits in its
    own transaction with its rows locked, so a long rotation does not block the whole
    table, and an interrupted one simply continues where it stopped when run again.
    Refuses to start (UnknownKeyId) if some key is wrapped under a master key id that is
    not configured, since that key could not be rewrapped.
    """
    missing = unconfigured_key_ids()
    if missing:
        listed = ", ".join(f"{kek_id!r} ({n} keys)" for kek_id, n in missing.items())
        raise UnknownKeyId(
            f"Data keys are wrapped under master key ids that are not configured: {listed}. "
            "Add those keys to REINTEGRA_MASTER_KEY after the current one and run again."
        )
    current = current_kek_id()
    rewrapped = 0
    last_pk = 0
    while True:
        with transaction.atomic():
            batch = list(
                DataKey.objects.select_for_update()
                .filter(wrapped_key__isnull=False, pk__gt=last_pk)
                .exclude(kek_id=current)
                .order_by("pk")[:batch_size]
            )
            if not batch:
                break
            now = timezone.now()
            for key in batch:
                try:
                    dek = _unwrap(bytes(key.wrapped_key or b""), key.kek_id)
                except DecryptionError as exc:
                    raise DecryptionError(
                        f"Data key {key.pk} (master key id {key.kek_id!r}) could not be "
                        f"unwrapped: {exc} Its batch was not changed; {rewrapped} data keys "
                        "were rewrapped before it."
                    ) from exc
                _cache.evict(key.pk)
                key.wrapped_key = _wrap(dek, current)
                key.kek_id = current
                key.rewrapped_at = now
            DataKey.objects.bulk_update(batch, ["wrapped_key", "kek_id", "rewrapped_at"])
            rewrapped += len(batch)
            last_pk = batch[-1].pk
    with transaction.atomic():
        record(
            action=AuditAction.UPDATE,
            actor=acting_user,
            target=("crypto.datakey", "*"),
            fields=["wrapped_key", "kek_id"],
            detail={"operation": "rotate_keys", "kek_id": current, "rewrapped": rewrapped},
        )
    return rewrapped
