"""Master-key rotation: rewrap data keys, never re-encrypt data; refuse unknown key ids."""

from __future__ import annotations

import base64
import secrets
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError

from audit.models import AuditAction, AuditEntry
from crypto import services
from crypto.models import DataKey
from crypto.services import (
    UnknownKeyId,
    data_key_create,
    data_keys_create_bulk,
    decrypt_text,
    encrypt_text,
    rotate_keys,
)

pytestmark = pytest.mark.django_db


def _where(key: DataKey) -> dict[str, str]:
    return {"table": "people_person", "column": "given_name_enc", "row": f"row-{key.pk}"}


@pytest.fixture
def old_key(settings: Any) -> dict[str, bytes]:
    keys = {"k1": secrets.token_bytes(32)}
    settings.REINTEGRA_MASTER_KEYS = keys
    return keys


def _rotate_to_new_key(settings: Any, old_key: dict[str, bytes]) -> None:
    # As an operator does: the new key first, the old one still readable after it.
    settings.REINTEGRA_MASTER_KEYS = {"k2": secrets.token_bytes(32), **old_key}


def _encrypted_people(n: int) -> list[tuple[DataKey, bytes, str]]:
    people = []
    for i, key in enumerate([data_key_create() for _ in range(n)]):
        name = f"Olena Zorbulescu {i}"
        people.append((key, encrypt_text(key, name, **_where(key)) or b"", name))
    return people


def test_rotation_rewraps_every_key_and_everything_still_decrypts(
    settings: Any, old_key: dict[str, bytes]
) -> None:
    people = _encrypted_people(5)
    wrapped_before = {k.pk: bytes(k.wrapped_key or b"") for k, _, _ in people}
    _rotate_to_new_key(settings, old_key)

    assert rotate_keys() == 5

    services.clear_key_cache()
    for key, blob, name in people:
        fresh = DataKey.objects.get(pk=key.pk)
        assert fresh.kek_id == "k2"
        assert fresh.rewrapped_at is not None
        assert bytes(fresh.wrapped_key or b"") != wrapped_before[key.pk]
        # The data ciphertext is untouched and still decrypts.
        assert decrypt_text(fresh, blob, **_where(fresh)) == name


def test_after_rotation_the_old_master_key_can_be_removed(
    settings: Any, old_key: dict[str, bytes]
) -> None:
    people = _encrypted_people(2)
    _rotate_to_new_key(settings, old_key)
    rotate_keys()
    new_only = {"k2": settings.REINTEGRA_MASTER_KEYS["k2"]}
    settings.REINTEGRA_MASTER_KEYS = new_only
    for key, blob, name in people:
        fresh = DataKey.objects.get(pk=key.pk)
        assert decrypt_text(fresh, blob, **_where(fresh)) == name


def test_rotation_is_idempotent(settings: Any, old_key: dict[str, bytes]) -> None:
    _encrypted_people(3)
    _rotate_to_new_key(settings, old_key)
    assert rotate_keys() == 3
    before = {k.pk: bytes(k.wrapped_key or b"") for k in DataKey.objects.all()}
    assert rotate_keys() == 0
    assert {k.pk: bytes(k.wrapped_key or b"") for k in DataKey.objects.all()} == before


def test_rotation_walks_in_batches(settings: Any, old_key: dict[str, bytes]) -> None:
    data_keys_create_bulk(7)
    _rotate_to_new_key(settings, old_key)
    assert rotate_keys(batch_size=3) == 7
    assert not DataKey.objects.exclude(kek_id="k2").exists()


def test_rotation_leaves_erased_keys_alone(settings: Any, old_key: dict[str, bytes]) -> None:
    live, erased = data_key_create(), data_key_create()
    services.crypto_erase(erased, reason="retention")
    _rotate_to_new_key(settings, old_key)
    assert rotate_keys() == 1
    erased.refresh_from_db()
    assert erased.is_erased
    assert erased.kek_id == "k1"
    live.refresh_from_db()
    assert live.kek_id == "k2"


def test_rotation_is_audited_once_as_a_summary(settings: Any, old_key: dict[str, bytes]) -> None:
    data_keys_create_bulk(4)
    _rotate_to_new_key(settings, old_key)
    rotate_keys(batch_size=2)
    entries = AuditEntry.objects.filter(object_type="crypto.datakey", object_id="*")
    assert entries.count() == 1
    entry = entries.get()
    assert entry.action == AuditAction.UPDATE
    assert entry.detail == {"operation": "rotate_keys", "kek_id": "k2", "rewrapped": 4}


def test_rotation_refuses_a_key_under_an_unconfigured_key_id(
    settings: Any, old_key: dict[str, bytes]
) -> None:
    keys = data_keys_create_bulk(2)
    DataKey.objects.filter(pk=keys[0].pk).update(kek_id="lost")
    _rotate_to_new_key(settings, old_key)
    with pytest.raises(UnknownKeyId, match=r"'lost' \(1 keys\)"):
        rotate_keys()
    # Nothing was rewrapped: the refusal comes before the first batch.
    assert not DataKey.objects.filter(kek_id="k2").exists()


def test_rotation_stops_naming_a_tampered_key_and_keeps_earlier_batches(
    settings: Any, old_key: dict[str, bytes]
) -> None:
    keys = data_keys_create_bulk(3)
    wrapped = bytearray(bytes(keys[2].wrapped_key or b""))
    wrapped[-1] ^= 0x01
    DataKey.objects.filter(pk=keys[2].pk).update(wrapped_key=bytes(wrapped))
    _rotate_to_new_key(settings, old_key)
    with pytest.raises(CommandError, match=f"Data key {keys[2].pk} .* 2 data keys were rewrapped"):
        call_command("rotate_keys", "--batch-size", "2")
    assert set(DataKey.objects.filter(kek_id="k2").values_list("pk", flat=True)) == {
        keys[0].pk,
        keys[1].pk,
    }


def test_command_prints_the_count(settings: Any, old_key: dict[str, bytes]) -> None:
    data_keys_create_bulk(3)
    _rotate_to_new_key(settings, old_key)
    out = StringIO()
    call_command("rotate_keys", stdout=out)
    assert "Rewrapped 3 data keys under master key id 'k2'." in out.getvalue()
    out = StringIO()
    call_command("rotate_keys", "--batch-size", "1", stdout=out)
    assert "Rewrapped 0 data keys" in out.getvalue()


def test_command_fails_clearly_on_an_unconfigured_key_id(
    settings: Any, old_key: dict[str, bytes]
) -> None:
    key = data_key_create()
    DataKey.objects.filter(pk=key.pk).update(kek_id="lost")
    with pytest.raises(CommandError, match="not configured: 'lost'") as excinfo:
        call_command("rotate_keys")
    assert excinfo.value.returncode == 1


def test_command_rejects_a_silly_batch_size() -> None:
    with pytest.raises(CommandError, match="at least 1"):
        call_command("rotate_keys", "--batch-size", "0")


def test_command_line_exits_non_zero_on_an_unconfigured_key_id(
    settings: Any, old_key: dict[str, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    key = data_key_create()
    DataKey.objects.filter(pk=key.pk).update(kek_id="lost")
    with pytest.raises(SystemExit) as excinfo:
        execute_from_command_line(["manage.py", "rotate_keys"])
    assert excinfo.value.code == 1
    assert "REINTEGRA_MASTER_KEY" in capsys.readouterr().err


def test_master_key_setting_parses_rotation_order() -> None:
    from reintegra.keys import parse_master_keys

    k2, k1 = (base64.urlsafe_b64encode(secrets.token_bytes(32)).decode() for _ in range(2))
    assert list(parse_master_keys(f"k2:{k2},k1:{k1}")) == ["k2", "k1"]
