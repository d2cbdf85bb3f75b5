"""Encrypted attachments: round trip, binding to their row, nothing readable on disk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage

from crypto.files import delete_encrypted, read_encrypted, store_encrypted
from crypto.services import DecryptionError, KeyErased, crypto_erase, data_key_create
from crypto.testing import assert_no_plaintext_in_files

pytestmark = pytest.mark.django_db

WHERE = {"table": "people_attachment", "column": "file", "row": "0b7e4a"}
CONTENT = "Declaration of Olena Zorbulescu, born 1990-05-17 in Chișinău.\n".encode() * 50


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_round_trip(tmp_path: Path) -> None:
    key = data_key_create()
    name = store_encrypted(key, CONTENT, **WHERE)
    assert read_encrypted(key, name, **WHERE) == CONTENT
    assert (tmp_path / name).is_file()


def test_nothing_readable_on_disk_and_the_name_is_random(tmp_path: Path) -> None:
    key = data_key_create()
    names = {store_encrypted(key, CONTENT, **WHERE) for _ in range(3)}
    assert len(names) == 3
    for name in names:
        raw = (tmp_path / name).read_bytes()
        assert b"Zorbulescu" not in raw
        assert b"1990-05-17" not in raw
        assert "zorbulescu" not in name.lower()
    assert_no_plaintext_in_files("Zorbulescu", tmp_path)


def test_plaintext_file_scanner_finds_a_leak(tmp_path: Path) -> None:
    (tmp_path / "leak.txt").write_bytes(CONTENT)
    with pytest.raises(AssertionError, match=r"leak\.txt"):
        assert_no_plaintext_in_files("Zorbulescu", tmp_path)


def test_empty_file_round_trip() -> None:
    key = data_key_create()
    name = store_encrypted(key, b"", **WHERE)
    assert read_encrypted(key, name, **WHERE) == b""


def test_file_of_another_row_does_not_decrypt() -> None:
    key = data_key_create()
    name = store_encrypted(key, CONTENT, **WHERE)
    with pytest.raises(DecryptionError):
        read_encrypted(key, name, **{**WHERE, "row": "someone-else"})


def test_altered_file_is_detected(tmp_path: Path) -> None:
    key = data_key_create()
    name = store_encrypted(key, CONTENT, **WHERE)
    path = tmp_path / name
    raw = bytearray(path.read_bytes())
    raw[40] ^= 0xFF
    path.write_bytes(bytes(raw))
    with pytest.raises(DecryptionError):
        read_encrypted(key, name, **WHERE)


def test_erased_person_files_cannot_be_read() -> None:
    key = data_key_create()
    name = store_encrypted(key, CONTENT, **WHERE)
    crypto_erase(key, reason="retention")
    with pytest.raises(KeyErased):
        read_encrypted(key, name, **WHERE)


def test_only_encrypted_attachment_names_are_read_or_deleted() -> None:
    key = data_key_create()
    with pytest.raises(ValueError):
        read_encrypted(key, "../settings.py", **WHERE)
    with pytest.raises(SuspiciousFileOperation):
        read_encrypted(key, "encrypted/../../etc/passwd", **WHERE)
    with pytest.raises(ValueError):
        delete_encrypted("other/file.bin")


def test_delete() -> None:
    key = data_key_create()
    name = store_encrypted(key, CONTENT, **WHERE)
    delete_encrypted(name)
    assert not default_storage.exists(name)
    delete_encrypted(name)
