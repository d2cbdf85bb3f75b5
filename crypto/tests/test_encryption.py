"""Data keys and AES-256-GCM values: round trips, associated-data binding, tampering."""

from __future__ import annotations

import math
from typing import Any

import pytest
from django.db import connection

from crypto import services
from crypto.models import DataKey
from crypto.services import (
    DecryptionError,
    KeyErased,
    data_key_create,
    data_keys_create_bulk,
    decrypt_bytes,
    decrypt_text,
    encrypt_bytes,
    encrypt_text,
)

pytestmark = pytest.mark.django_db

WHERE = {"table": "people_person", "column": "given_name_enc", "row": "7c9e6679"}


def test_data_key_is_saved_wrapped_under_the_current_master_key(settings: Any) -> None:
    key = data_key_create()
    stored = DataKey.objects.get(pk=key.pk)
    assert stored.kek_id == next(iter(settings.REINTEGRA_MASTER_KEYS))
    assert stored.wrapped_key is not None
    # version byte + nonce + 32-byte key + tag
    assert len(bytes(stored.wrapped_key)) == 1 + 12 + 32 + 16
    assert not stored.is_erased
    assert stored.erased_at is None


def test_each_data_key_is_distinct() -> None:
    first, second = data_key_create(), data_key_create()
    blob = encrypt_text(first, "Olena", **WHERE)
    with pytest.raises(DecryptionError):
        decrypt_text(second, blob, **WHERE)


@pytest.mark.parametrize(
    "plaintext", ["Olena Popescu", "", "Ольга Іванівна", "ნინო ბერიძე", "émoji 🙂", "x" * 10_000]
)
def test_text_round_trip(plaintext: str) -> None:
    key = data_key_create()
    blob = encrypt_text(key, plaintext, **WHERE)
    assert isinstance(blob, bytes)
    assert plaintext.encode() not in blob or plaintext == ""
    assert decrypt_text(key, blob, **WHERE) == plaintext


def test_text_round_trip_through_a_freshly_loaded_key_and_an_empty_cache() -> None:
    key = data_key_create()
    blob = encrypt_text(key, "Ivan", **WHERE)
    services.clear_key_cache()
    assert decrypt_text(DataKey.objects.get(pk=key.pk), blob, **WHERE) == "Ivan"


def test_none_stays_none() -> None:
    key = data_key_create()
    assert encrypt_text(key, None, **WHERE) is None
    assert decrypt_text(key, None, **WHERE) is None


def test_bytes_round_trip_and_memoryview_input() -> None:
    key = data_key_create()
    data = bytes(range(256)) * 4
    blob = encrypt_bytes(key, data, **WHERE)
    assert decrypt_bytes(key, memoryview(blob), **WHERE) == data


def test_same_plaintext_encrypts_differently_each_time() -> None:
    key = data_key_create()
    assert encrypt_text(key, "Olena", **WHERE) != encrypt_text(key, "Olena", **WHERE)


def test_ciphertext_format_is_version_nonce_ciphertext_tag() -> None:
    key = data_key_create()
    blob = encrypt_bytes(key, b"abc", **WHERE)
    assert blob[0] == 1
    assert len(blob) == 1 + 12 + 3 + 16


@pytest.mark.parametrize(
    "moved",
    [
        {"row": "another-row"},
        {"column": "family_name_enc"},
        {"table": "people_alias"},
    ],
    ids=["other row", "other column", "other table"],
)
def test_ciphertext_moved_elsewhere_does_not_decrypt(moved: dict[str, str]) -> None:
    key = data_key_create()
    blob = encrypt_text(key, "Olena", **WHERE)
    with pytest.raises(DecryptionError):
        decrypt_text(key, blob, **{**WHERE, **moved})


def test_associated_data_parts_cannot_be_shifted_across_the_separator() -> None:
    key = data_key_create()
    with pytest.raises(ValueError, match="must not contain"):
        encrypt_text(key, "x", table="a|b", column="c", row="d")
    with pytest.raises(ValueError, match="must not be empty"):
        encrypt_text(key, "x", table="a", column="", row="d")


@pytest.mark.parametrize("position", [0, 1, 12, 13, -1])
def test_any_flipped_byte_is_detected(position: int) -> None:
    key = data_key_create()
    blob = bytearray(encrypt_text(key, "Olena Popescu", **WHERE) or b"")
    blob[position] ^= 0x01
    with pytest.raises(DecryptionError):
        decrypt_text(key, bytes(blob), **WHERE)


def test_truncated_ciphertext_is_refused() -> None:
    key = data_key_create()
    blob = encrypt_text(key, "Olena", **WHERE) or b""
    with pytest.raises(DecryptionError, match="too short"):
        decrypt_text(key, blob[:20], **WHERE)


def test_tampered_wrapped_key_is_detected() -> None:
    key = data_key_create()
    blob = encrypt_text(key, "Olena", **WHERE)
    wrapped = bytearray(bytes(key.wrapped_key or b""))
    wrapped[-1] ^= 0x01
    DataKey.objects.filter(pk=key.pk).update(wrapped_key=bytes(wrapped))
    services.clear_key_cache()
    with pytest.raises(DecryptionError):
        decrypt_text(DataKey.objects.get(pk=key.pk), blob, **WHERE)


def test_wrapped_key_relabelled_with_another_key_id_is_detected(settings: Any) -> None:
    real = settings.REINTEGRA_MASTER_KEYS
    current_id, current_key = next(iter(real.items()))
    settings.REINTEGRA_MASTER_KEYS = {current_id: current_key, "other": current_key}
    key = data_key_create()
    DataKey.objects.filter(pk=key.pk).update(kek_id="other")
    with pytest.raises(DecryptionError):
        decrypt_text(DataKey.objects.get(pk=key.pk), b"\x01" + b"\0" * 40, **WHERE)


def test_key_wrapped_under_an_unconfigured_key_id_gives_a_clear_error() -> None:
    key = data_key_create()
    blob = encrypt_text(key, "Olena", **WHERE)
    DataKey.objects.filter(pk=key.pk).update(kek_id="gone")
    with pytest.raises(DecryptionError, match="'gone', which is not configured"):
        decrypt_text(DataKey.objects.get(pk=key.pk), blob, **WHERE)


def test_erased_key_raises_key_erased_even_for_empty_values() -> None:
    key = data_key_create()
    blob = encrypt_text(key, "Olena", **WHERE)
    DataKey.objects.filter(pk=key.pk).update(wrapped_key=None, erased_at="2026-01-01T00:00Z")
    erased = DataKey.objects.get(pk=key.pk)
    with pytest.raises(KeyErased):
        decrypt_text(erased, blob, **WHERE)
    with pytest.raises(KeyErased):
        decrypt_text(erased, None, **WHERE)
    with pytest.raises(KeyErased):
        encrypt_text(erased, "new", **WHERE)


def test_bulk_creation_is_one_insert_per_batch(django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(1):
        keys = data_keys_create_bulk(50)
    assert len(keys) == 50
    assert len({bytes(k.wrapped_key or b"") for k in keys}) == 50
    assert DataKey.objects.count() == 50


def test_bulk_creation_batches_large_counts(django_assert_num_queries: Any) -> None:
    n = services.BATCH_SIZE * 2 + 1
    # SQLite caps the number of query parameters, so its batches may be smaller.
    fields = [f for f in DataKey._meta.concrete_fields if not f.primary_key]
    per_batch = min(services.BATCH_SIZE, connection.ops.bulk_batch_size(fields, [None] * n))
    with django_assert_num_queries(math.ceil(n / per_batch)):
        keys = data_keys_create_bulk(n)
    assert DataKey.objects.count() == len(keys) == n


def test_bulk_created_keys_encrypt_and_decrypt() -> None:
    keys = data_keys_create_bulk(3)
    services.clear_key_cache()
    for key in DataKey.objects.filter(pk__in=[k.pk for k in keys]):
        blob = encrypt_text(key, f"person {key.pk}", **WHERE)
        assert decrypt_text(key, blob, **WHERE) == f"person {key.pk}"


def test_bulk_creation_of_nothing_makes_no_query(django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0):
        assert data_keys_create_bulk(0) == []
    with pytest.raises(ValueError):
        data_keys_create_bulk(-1)


def test_data_key_never_shows_its_material() -> None:
    key = data_key_create()
    assert str(key) == f"DataKey {key.pk} ({key.kek_id})"
    assert "wrapped" not in repr(key)
