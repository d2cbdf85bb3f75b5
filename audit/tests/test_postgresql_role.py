"""The application's PostgreSQL role (README, Deployment): it appends to the audit log and
seals entries, but can neither change nor remove them, nor switch the triggers off.

PostgreSQL only; CI runs it in its PostgreSQL pass.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction

from audit.models import AuditAction, AuditEntry
from audit.services import record, seal_pending, verify_chain

ROOT = Path(__file__).resolve().parents[2]
GRANTS = ROOT / "audit" / "sql" / "app_role.sql"

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL roles")


def _statements(sql: str) -> list[str]:
    without_comments = re.sub(r"--[^\n]*", "", sql)
    return [part.strip() for part in without_comments.split(";") if part.strip()]


@pytest.fixture
def app_role() -> Iterator[str]:
    """A role with exactly the README's grants; the connection acts as it (SET ROLE).

    Roles are created inside the test's transaction, so they vanish with its rollback.
    """
    role = f"reintegra_app_test_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")
        for statement in _statements(GRANTS.read_text(encoding="utf-8")):
            cursor.execute(statement.replace("reintegra_app", role))
        cursor.execute(f"SET ROLE {role}")
    try:
        yield role
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


def _refused(sql: str, params: list[int | str] | None = None) -> str:
    with pytest.raises(DatabaseError) as error, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params or [])
    return str(error.value)


def test_readme_carries_the_exact_grants():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for statement in _statements(GRANTS.read_text(encoding="utf-8")):
        assert statement + ";" in readme, statement


@postgresql_only
@pytest.mark.django_db
def test_application_role_appends_and_seals_but_cannot_rewrite_the_audit_log(app_role):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == app_role
    entry = record(action=AuditAction.VIEW, target=("cases.case", 1), case_id=1)
    record(action=AuditAction.UPDATE, target=("cases.case", 1), case_id=1, fields=["x"])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    assert seal_pending() == 2
    assert verify_chain() == (2, None)

    denied = "permission denied"
    assert denied in _refused(
        "UPDATE audit_auditentry SET object_id = 'x' WHERE id = %s", [entry.pk]
    )
    assert denied in _refused("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    assert denied in _refused("TRUNCATE audit_auditentry")
    # The seal columns it may write cannot touch an entry that already has its place.
    assert "append-only" in _refused(
        "UPDATE audit_auditentry SET hash = 'x' WHERE id = %s", [entry.pk]
    )
    # Switching the protection off needs the table's owner or a superuser.
    owner = "must be owner"
    assert owner in _refused("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_no_update")
    assert owner in _refused("ALTER TABLE audit_auditentry DISABLE TRIGGER ALL")
    assert owner in _refused("DROP TRIGGER audit_entry_no_update ON audit_auditentry")
    assert owner in _refused("DROP FUNCTION audit_entry_append_only()")
    assert denied in _refused("SET session_replication_role = replica")
    assert denied in _refused(
        "INSERT INTO django_migrations (app, name, applied) VALUES ('x', 'y', now())"
    )
    assert verify_chain() == (2, None)
