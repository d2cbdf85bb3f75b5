"""Encrypted attachments: files are stored as ciphertext under a random name.

An attachment is encrypted with the person's data key exactly like a column value, with the
associated data naming the table, column and row that own it, so crypto-erasing the person
makes their files unreadable too (including copies in backups of the attachments folder).
The storage name is random and carries nothing about the person or the original file name;
the caller keeps the original name and content type, encrypted, on its own row.
"""

from __future__ import annotations

import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from crypto.models import DataKey
from crypto.services import decrypt_bytes, encrypt_bytes

# Sub-folder of MEDIA_ROOT; two levels of random fan-out keep directories small.
_PREFIX = "encrypted"


def _random_name() -> str:
    token = secrets.token_hex(16)
    return f"{_PREFIX}/{token[:2]}/{token[2:4]}/{token}.bin"


def store_encrypted(key: DataKey, data: bytes, *, table: str, column: str, row: str) -> str:
    """Encrypt ``data`` and write it to the default storage; returns the storage name."""
    blob = encrypt_bytes(key, data, table=table, column=column, row=row)
    return default_storage.save(_random_name(), ContentFile(blob))


def read_encrypted(key: DataKey, name: str, *, table: str, column: str, row: str) -> bytes:
    """Read and decrypt a file written by :func:`store_encrypted`.

    Raises ``KeyErased`` when the person was crypto-erased and ``DecryptionError`` when the
    file was altered or belongs to another row or column.
    """
    if not name.startswith(f"{_PREFIX}/"):
        raise ValueError("Not the name of an encrypted attachment.")
    with default_storage.open(name, "rb") as handle:
        blob = handle.read()
    return decrypt_bytes(key, blob, table=table, column=column, row=row)


def delete_encrypted(name: str) -> None:
    """Remove a stored file (for example once its row is deleted); missing files are fine."""
    if not name.startswith(f"{_PREFIX}/"):
        raise ValueError("Not the name of an encrypted attachment.")
    default_storage.delete(name)
