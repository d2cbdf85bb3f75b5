from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from audit.models import AuditAction, AuditAppendOnlyError, AuditEntry
from audit.services import record, verify_chain

pytestmark = pytest.mark.django_db


def _entries(count: int = 4) -> list[AuditEntry]:
    return [
        record(
            action=AuditAction.VIEW,
            target=("cases.case", index),
            case_id=index,
            detail={"n": index},
        )
        for index in range(1, count + 1)
    ]


def _raw(sql: str, params: list[int | str]) -> None:
    """Run SQL as someone with direct database access would, bypassing the triggers."""
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


def _verify_command() -> str:
    from io import StringIO

    out = StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def test_entries_chain_and_verify():
    entries = _entries()
    assert [e.sequence for e in entries] == [1, 2, 3, 4]
    assert entries[1].prev_hash == entries[0].hash
    assert verify_chain() == (4, None)
    assert "4 entries verified" in _verify_command()


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


def test_rehashed_forgery_is_detected_by_the_next_link():
    """Changing a row and recomputing its own hash still breaks the next entry's link."""
    from audit.chain import chain_hash
    from audit.services import _canonical

    entries = _entries()
    forged = AuditEntry.objects.get(pk=entries[1].pk)
    forged.object_id = "forged"
    new_hash = chain_hash(forged.prev_hash, _canonical(forged))
    _raw(
        "UPDATE audit_auditentry SET object_id = %s, hash = %s WHERE id = %s",
        ["forged", new_hash, forged.pk],
    )
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


def test_database_trigger_refuses_raw_update():
    entry = _entries(1)[0]
    with (
        pytest.raises(Exception, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditentry SET object_id = 'x' WHERE id = %s", [entry.pk])
    if connection.vendor == "postgresql":
        with (
            pytest.raises(Exception, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])


def test_entry_rolls_back_with_its_transaction():
    with pytest.raises(RuntimeError), transaction.atomic():
        record(action=AuditAction.CREATE, target=("x", 1))
        raise RuntimeError("the change failed")
    assert not AuditEntry.objects.exists()
    record(action=AuditAction.CREATE, target=("x", 1))
    assert verify_chain() == (1, None)


def test_request_context_is_recorded(client, actors, login):
    login(client, actors.case_manager, actors.home_org)
    client.post("/accounts/profile/language/", {"language": "sq"}, REMOTE_ADDR="10.1.2.3")
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE, fields=["language"]).get()
    assert entry.ip_address == "10.1.2.3"
    assert len(entry.request_id) == 32
    assert entry.actor_id == actors.case_manager.pk
