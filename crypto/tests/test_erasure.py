"""Crypto-erasure: destroying the data key makes every value under it unreadable for good."""

from __future__ import annotations

from typing import Any

import pytest

from audit.models import AuditAction, AuditEntry
from crypto import services
from crypto.models import DataKey
from crypto.services import KeyErased, crypto_erase, data_key_create, decrypt_text, encrypt_text

pytestmark = pytest.mark.django_db

WHERE = {"table": "people_person", "column": "given_name_enc", "row": "r1"}


def test_erased_values_cannot_be_decrypted_any_more(actors: Any) -> None:
    key = data_key_create()
    blob = encrypt_text(key, "Olena Zorbulescu", **WHERE)
    assert decrypt_text(key, blob, **WHERE) == "Olena Zorbulescu"  # warms the cache

    crypto_erase(key, acting_user=actors.case_manager, reason="retention")

    # Through the same instance, a freshly loaded one, and with an empty cache.
    with pytest.raises(KeyErased):
        decrypt_text(key, blob, **WHERE)
    fresh = DataKey.objects.get(pk=key.pk)
    assert fresh.is_erased
    assert fresh.wrapped_key is None
    assert fresh.erased_at is not None
    with pytest.raises(KeyErased):
        decrypt_text(fresh, blob, **WHERE)


def test_erasure_evicts_the_unwrapped_key_from_the_cache() -> None:
    key = data_key_create()
    encrypt_text(key, "x", **WHERE)
    assert any(k[0] == key.pk for k in services._cache._entries)
    crypto_erase(key, reason="retention")
    assert not any(k[0] == key.pk for k in services._cache._entries)


def test_an_instance_loaded_before_erasure_still_cannot_decrypt_after_a_reload() -> None:
    key = data_key_create()
    blob = encrypt_text(key, "Olena", **WHERE)
    stale = DataKey.objects.get(pk=key.pk)
    crypto_erase(key, reason="retention")
    stale.refresh_from_db()
    with pytest.raises(KeyErased):
        decrypt_text(stale, blob, **WHERE)


def test_erasure_is_audited_with_actor_and_reason_but_no_key_material(actors: Any) -> None:
    key = data_key_create()
    crypto_erase(
        key,
        acting_user=actors.case_manager,
        reason="erasure_request",
        organisation=actors.home_org,
        case_id=42,
    )
    entry = AuditEntry.objects.get(object_type="crypto.datakey", object_id=str(key.pk))
    assert entry.action == AuditAction.DELETE
    assert entry.actor == actors.case_manager
    assert entry.organisation == actors.home_org
    assert entry.case_id == 42
    assert entry.fields == ["wrapped_key"]
    assert entry.detail == {
        "operation": "crypto_erase",
        "reason": "erasure_request",
        "kek_id": key.kek_id,
    }


def test_erasing_twice_changes_nothing_and_is_audited_once() -> None:
    key = data_key_create()
    crypto_erase(key, reason="retention")
    first = DataKey.objects.get(pk=key.pk).erased_at
    crypto_erase(DataKey.objects.get(pk=key.pk), reason="retention")
    assert DataKey.objects.get(pk=key.pk).erased_at == first
    assert AuditEntry.objects.filter(object_type="crypto.datakey").count() == 1


def test_erasure_needs_a_reason() -> None:
    key = data_key_create()
    with pytest.raises(ValueError, match="reason"):
        crypto_erase(key, reason="  ")
    assert not DataKey.objects.get(pk=key.pk).is_erased


def test_erasing_one_person_leaves_the_others_readable() -> None:
    erased, kept = data_key_create(), data_key_create()
    blob = encrypt_text(kept, "Ivan", **WHERE)
    crypto_erase(erased, reason="retention")
    assert decrypt_text(DataKey.objects.get(pk=kept.pk), blob, **WHERE) == "Ivan"


def test_database_refuses_a_half_erased_key() -> None:
    from django.db import IntegrityError, transaction

    key = data_key_create()
    with pytest.raises(IntegrityError), transaction.atomic():
        DataKey.objects.filter(pk=key.pk).update(wrapped_key=None)
