from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from audit.chain import GENESIS_HASH, ChainVersion, chain_hash, legacy_boundary_mac
from audit.models import AuditAction, AuditAppendOnlyError, AuditChainHead, AuditEntry
from audit.services import (
    _canonical,
    pending_count,
    record,
    seal_pending,
    take_checkpoint,
    verify_against_checkpoints,
    verify_chain,
)

pytestmark = pytest.mark.django_db


def _entries(count: int = 4) -> list[AuditEntry]:
    for index in range(1, count + 1):
        record(
            action=AuditAction.VIEW,
            target=("cases.case", index),
            case_id=index,
            detail={"n": index},
        )
    seal_pending()
    return list(AuditEntry.objects.order_by("sequence"))


def _raw(sql: str, params: list[int | str]) -> None:
    """Run SQL as the database owner could, bypassing the append-only triggers."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # As a database superuser could: replica mode skips ordinary triggers.
            cursor.execute("SET session_replication_role = replica")
            cursor.execute(sql, params)
            cursor.execute("SET session_replication_role = DEFAULT")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_entry_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS audit_entry_no_delete")
            cursor.execute(sql, params)


def _verify_command(*args: str) -> str:
    out = StringIO()
    call_command("audit_verify", *args, stdout=out)
    return out.getvalue()


def _relink_with_plain_hashes(*, from_sequence: int, version: int) -> None:
    """What a database owner without the audit key can do: rewrite an entry and recompute
    every following link with plain SHA-256, then move the head along."""
    previous = AuditEntry.objects.get(sequence=from_sequence - 1).hash if from_sequence > 1 else ""
    prev_hash = previous or GENESIS_HASH
    for entry in AuditEntry.objects.filter(sequence__gte=from_sequence).order_by("sequence"):
        new_hash = chain_hash(prev_hash, _canonical(entry))
        _raw(
            "UPDATE audit_auditentry SET prev_hash = %s, hash = %s, chain_version = %s "
            "WHERE id = %s",
            [prev_hash, new_hash, int(version), entry.pk],
        )
        prev_hash = new_hash
    AuditChainHead.objects.filter(id=1).update(hash=prev_hash)


def test_entries_are_sealed_in_order_with_keyed_links_and_verify():
    entries = _entries()
    assert [e.sequence for e in entries] == [1, 2, 3, 4]
    assert entries[1].prev_hash == entries[0].hash
    assert {e.chain_version for e in entries} == {ChainVersion.HMAC}
    # A keyed link is not the plain hash of the same content.
    assert entries[0].hash != chain_hash(GENESIS_HASH, _canonical(entries[0]))
    assert verify_chain() == (4, None)
    assert "4 entries verified" in _verify_command()


def test_writing_an_entry_is_one_insert_and_takes_no_lock(django_assert_num_queries):
    with transaction.atomic(), django_assert_num_queries(1) as captured:
        entry = record(action=AuditAction.VIEW, target=("cases.case", 1))
    assert captured.captured_queries[0]["sql"].startswith("INSERT")
    assert "FOR UPDATE" not in " ".join(q["sql"] for q in captured.captured_queries)
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.sequence is None
    assert stored.hash is None
    assert stored.chain_version is None
    assert pending_count() == 1


def test_entries_are_sealed_when_their_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        record(action=AuditAction.VIEW, target=("cases.case", 1))
        record(action=AuditAction.UPDATE, target=("cases.case", 1), fields=["a"])
    # One sealing per transaction, whatever the number of entries.
    assert len(callbacks) == 1
    assert pending_count() == 0
    assert sorted(s or 0 for s in AuditEntry.objects.values_list("sequence", flat=True)) == [1, 2]
    assert verify_chain() == (2, None)


def test_unsealed_entries_are_sealed_by_verify_and_by_audit_seal():
    record(action=AuditAction.VIEW, target=("cases.case", 1))
    out = StringIO()
    call_command("audit_seal", stdout=out)
    assert "Sealed 1 audit entries" in out.getvalue()
    record(action=AuditAction.VIEW, target=("cases.case", 2))
    assert "2 entries verified" in _verify_command()
    assert pending_count() == 0


def test_changed_content_is_detected_and_named():
    entries = _entries()
    _raw("UPDATE audit_auditentry SET object_id = %s WHERE id = %s", ["99", entries[2].pk])
    checked, broken = verify_chain()
    assert checked == 2
    assert broken is not None
    assert broken.sequence == 3
    with pytest.raises(CommandError) as error:
        _verify_command()
    assert error.value.returncode == 1
    assert "entry #3" in str(error.value)


def test_deleted_entry_is_detected():
    entries = _entries()
    _raw("DELETE FROM audit_auditentry WHERE id = %s", [entries[1].pk])
    _checked, broken = verify_chain()
    assert broken is not None
    assert broken.sequence == 2


def test_deleted_last_entry_is_detected_through_the_head():
    entries = _entries()
    _raw("DELETE FROM audit_auditentry WHERE id = %s", [entries[-1].pk])
    _checked, broken = verify_chain()
    assert broken is not None
    assert "removed" in broken.reason


def test_reordered_entries_are_detected():
    entries = _entries()
    # Swap the sequence numbers of two entries (through a free value, for the unique index).
    _raw("UPDATE audit_auditentry SET sequence = %s WHERE id = %s", [1000, entries[1].pk])
    _raw("UPDATE audit_auditentry SET sequence = %s WHERE id = %s", [2, entries[2].pk])
    _raw("UPDATE audit_auditentry SET sequence = %s WHERE id = %s", [3, entries[1].pk])
    _checked, broken = verify_chain()
    assert broken is not None
    assert broken.sequence == 2


@pytest.mark.parametrize("version", [ChainVersion.HMAC, ChainVersion.SHA256])
def test_chain_rewritten_with_recomputed_plain_hashes_is_detected(version, tmp_path):
    """The database owner's attack on the old chain: change an entry, recompute every
    following hash, move the head. Without the audit key the keyed links cannot be redone,
    and labelling the new links as plain ones is refused after the keyed chain began."""
    _entries()
    checkpoint = tmp_path / "checkpoint.json"
    call_command("audit_checkpoint", output=str(checkpoint))
    _raw("UPDATE audit_auditentry SET object_id = %s WHERE sequence = %s", ["forged", 2])
    _relink_with_plain_hashes(from_sequence=2, version=version)
    _checked, broken = verify_chain()
    assert broken is not None
    assert broken.sequence == 2
    with pytest.raises(CommandError) as error:
        _verify_command("--checkpoint", str(checkpoint))
    assert error.value.returncode == 1
    assert "entry #2" in str(error.value)


def test_moving_the_plain_chain_boundary_is_detected():
    _entries()
    _raw("UPDATE audit_auditentry SET object_id = %s WHERE sequence = %s", ["forged", 2])
    _relink_with_plain_hashes(from_sequence=1, version=ChainVersion.SHA256)
    head = AuditChainHead.objects.get(id=1)
    # The forger can say the plain chain runs to the end, but cannot seal that claim.
    AuditChainHead.objects.filter(id=1).update(legacy_sequence=4, legacy_hash=head.hash)
    _checked, broken = verify_chain()
    assert broken is not None
    assert "does not match the audit key" in broken.reason


def test_checkpoint_detects_a_cut_off_tail_the_chain_alone_cannot(tmp_path):
    entries = _entries()
    checkpoint = tmp_path / "checkpoint.json"
    call_command("audit_checkpoint", output=str(checkpoint))
    # Remove the last two entries and move the head back: every remaining link is genuine.
    _raw("DELETE FROM audit_auditentry WHERE sequence > %s", [2])
    AuditChainHead.objects.filter(id=1).update(sequence=2, hash=entries[1].hash)
    assert verify_chain() == (2, None)
    with pytest.raises(CommandError) as error:
        _verify_command("--checkpoint", str(checkpoint))
    assert "vouches for 4 entries" in str(error.value)


def test_log_that_grew_still_extends_its_checkpoint(tmp_path):
    _entries(3)
    checkpoint = tmp_path / "checkpoint.json"
    call_command("audit_checkpoint", output=str(checkpoint))
    written = json.loads(checkpoint.read_text())
    assert (written["sequence"], written["count"]) == (3, 3)
    assert checkpoint.stat().st_mode & 0o077 == 0
    record(action=AuditAction.VIEW, target=("cases.case", 9))
    output = _verify_command("--checkpoint", str(checkpoint))
    assert "extends the checkpoint" in output
    assert "4 entries verified" in output
    with pytest.raises(CommandError, match="exists"):
        call_command("audit_checkpoint", output=str(checkpoint))


def test_checkpoint_to_stdout_can_be_verified(tmp_path):
    _entries(2)
    out = StringIO()
    call_command("audit_checkpoint", stdout=out)
    document = json.loads(out.getvalue())
    assert set(document) == {"format", "sequence", "count", "hash", "taken_at", "mac"}
    assert verify_against_checkpoints([document]) == (2, None)


def test_altered_checkpoint_or_another_key_is_refused(tmp_path, settings):
    _entries(2)
    document = take_checkpoint()
    altered = tmp_path / "altered.json"
    altered.write_text(json.dumps({**document, "sequence": 1}))
    with pytest.raises(CommandError, match="MAC does not match"):
        _verify_command("--checkpoint", str(altered))
    genuine = tmp_path / "genuine.json"
    genuine.write_text(json.dumps(document))
    settings.REINTEGRA_AUDIT_KEY = bytes(32)
    with pytest.raises(CommandError, match="MAC does not match"):
        _verify_command("--checkpoint", str(genuine))


def test_chain_does_not_verify_under_another_key(settings):
    _entries(2)
    settings.REINTEGRA_AUDIT_KEY = bytes(32)
    _checked, broken = verify_chain()
    assert broken is not None
    assert "REINTEGRA_AUDIT_KEY" in broken.reason


def _legacy_chain(count: int) -> list[str]:
    """The state the migration leaves: entries with plain links, the boundary sealed."""
    prev_hash = GENESIS_HASH
    hashes = []
    for index in range(1, count + 1):
        entry = AuditEntry.objects.get(
            pk=record(action=AuditAction.VIEW, target=("cases.case", index)).pk
        )
        entry.sequence = index
        link = chain_hash(prev_hash, _canonical(entry))
        _raw(
            "UPDATE audit_auditentry SET sequence = %s, prev_hash = %s, hash = %s, "
            "chain_version = 1 WHERE id = %s",
            [index, prev_hash, link, entry.pk],
        )
        prev_hash = link
        hashes.append(link)
    AuditChainHead.objects.update_or_create(
        id=1,
        defaults={
            "sequence": count,
            "hash": prev_hash,
            "legacy_sequence": count,
            "legacy_hash": prev_hash,
            "legacy_mac": legacy_boundary_mac(count, prev_hash),
        },
    )
    return hashes


def test_plain_entries_from_before_the_keyed_chain_still_verify_and_are_anchored():
    hashes = _legacy_chain(3)
    record(action=AuditAction.VIEW, target=("cases.case", 4))
    seal_pending()
    first_keyed = AuditEntry.objects.get(sequence=4)
    assert first_keyed.chain_version == ChainVersion.HMAC
    assert first_keyed.prev_hash == hashes[-1]
    assert verify_chain() == (4, None)
    # Rewriting a plain entry and recomputing the plain links behind it now breaks the
    # first keyed link, which covers the last plain hash.
    _raw("UPDATE audit_auditentry SET object_id = %s WHERE sequence = %s", ["forged", 2])
    _relink_with_plain_hashes(from_sequence=2, version=ChainVersion.SHA256)
    _checked, broken = verify_chain()
    assert broken is not None
    assert broken.sequence == 3


def test_model_and_queryset_refuse_changes():
    entry = _entries(1)[0]
    entry.object_id = "x"
    with pytest.raises(AuditAppendOnlyError):
        entry.save()
    with pytest.raises(AuditAppendOnlyError):
        entry.delete()
    with pytest.raises(AuditAppendOnlyError):
        AuditEntry.objects.all().update(object_id="x")
    with pytest.raises(AuditAppendOnlyError):
        AuditEntry.objects.all().delete()


def _refused(sql: str, params: list[int | str]) -> None:
    with (
        pytest.raises(Exception, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)


def test_database_trigger_refuses_raw_update():
    entry = _entries(1)[0]
    _refused("UPDATE audit_auditentry SET object_id = 'x' WHERE id = %s", [entry.pk])
    # A sealed entry's place in the chain cannot be changed either.
    _refused("UPDATE audit_auditentry SET hash = 'x' WHERE id = %s", [entry.pk])
    if connection.vendor == "postgresql":
        _refused("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])


def test_trigger_lets_an_unsealed_entry_be_sealed_once_and_nothing_more():
    entry = record(action=AuditAction.VIEW, target=("cases.case", 1))
    # Sealing must not carry a change of content with it.
    _refused(
        "UPDATE audit_auditentry SET sequence = 1, prev_hash = 'p', hash = 'h', "
        "chain_version = 2, object_id = 'x' WHERE id = %s",
        [entry.pk],
    )
    _refused("UPDATE audit_auditentry SET object_id = 'x' WHERE id = %s", [entry.pk])
    seal_pending()
    assert AuditEntry.objects.get(pk=entry.pk).sequence == 1
    assert verify_chain() == (1, None)


def test_entry_rolls_back_with_its_transaction():
    with pytest.raises(RuntimeError), transaction.atomic():
        record(action=AuditAction.CREATE, target=("x", 1))
        raise RuntimeError("the change failed")
    assert not AuditEntry.objects.exists()
    record(action=AuditAction.CREATE, target=("x", 1))
    seal_pending()
    assert verify_chain() == (1, None)


def test_request_context_is_recorded(client, actors, login):
    login(client, actors.case_manager, actors.home_org)
    client.post("/accounts/profile/language/", {"language": "sq"}, REMOTE_ADDR="10.1.2.3")
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE, fields=["language"]).get()
    assert entry.ip_address == "10.1.2.3"
    assert len(entry.request_id) == 32
    assert entry.actor_id == actors.case_manager.pk


def test_readme_documents_the_checkpoint_commands():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert "audit_checkpoint" in readme
    assert "audit_verify --checkpoint" in readme
