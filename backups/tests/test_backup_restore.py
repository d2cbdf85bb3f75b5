"""backup → restore round trip on the demo data, table by table (SPEC §4, §5 Reliability)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from audit.services import verify_chain
from backups.services import _flush_all, _models_in_order

pytestmark = pytest.mark.django_db(transaction=True)


def _snapshot() -> dict[str, list[tuple[Any, ...]]]:
    tables = {}
    for model in _models_in_order():
        rows = model._base_manager.order_by("pk").values_list()
        tables[model._meta.label_lower] = [
            tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in rows
        ]
    return tables


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _wipe() -> None:
    with transaction.atomic():
        _flush_all()


def _restore(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("restore", str(path), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # Small parts, so that the demo archive has many and reordering them can be tested.
    monkeypatch.setattr("backups.archive.CHUNK_BYTES", 4096)
    settings.MEDIA_ROOT = tmp_path / "attachments"
    call_command("seed_demo", stdout=StringIO())
    archive = tmp_path / "demo.rtgbak"
    call_command("backup", str(archive), stdout=StringIO())
    return archive


def _first_person_name() -> str | None:
    from people.models import Person

    person = Person.objects.order_by("pk").first()
    assert person is not None
    return person.get_plain("family_name")


def test_round_trip_restores_every_table_and_attachment(demo: Path, settings: Any, tmp_path: Path):
    before = _snapshot()
    files_before = _files(Path(settings.MEDIA_ROOT))
    name_before = _first_person_name()
    assert files_before, "the demo data should include attachments"
    assert before["cases.case"] and before["audit.auditentry"] and before["crypto.datakey"]
    assert all(row[1] is not None for row in before["audit.auditentry"])  # all sealed

    _wipe()
    for path in Path(settings.MEDIA_ROOT).iterdir():
        path.rename(tmp_path / f"old-{path.name}")
    out = _restore(demo)
    assert "audit chain intact" in out

    after = _snapshot()
    assert after.keys() == before.keys()
    for table in before:
        assert after[table] == before[table], table
    assert _files(Path(settings.MEDIA_ROOT)) == files_before
    assert _first_person_name() == name_before
    checked, broken = verify_chain()
    assert broken is None
    assert checked == len(before["audit.auditentry"])


def _parts(data: bytes) -> tuple[bytes, list[bytes]]:
    """The archive's header and its encrypted parts (length prefix included)."""
    header_end = 8 + 4 + int.from_bytes(data[8:12], "big")
    parts, offset = [], header_end
    while offset < len(data):
        length = int.from_bytes(data[offset : offset + 4], "big")
        parts.append(data[offset : offset + 4 + length])
        offset += 4 + length
    return data[:header_end], parts


def test_damaged_cut_off_or_foreign_archives_change_nothing(
    demo: Path, settings: Any, tmp_path: Path
):
    data = demo.read_bytes()
    header, parts = _parts(data)
    assert len(parts) > 3
    _wipe()
    settings.MEDIA_ROOT = tmp_path / "empty-attachments"
    middle = len(data) // 2
    forged = {
        "flipped": data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1 :],
        "reordered": header + parts[0] + parts[2] + parts[1] + b"".join(parts[3:]),
        "cut": header + b"".join(parts[:-1]),
        "extended": data + parts[-1],
        "header": data.replace(b'"database"', b'"Database"', 1),
    }
    messages = {
        "flipped": "does not decrypt",
        "reordered": "does not decrypt",
        "cut": "cut off",
        "extended": "after its final part",
        "header": "does not decrypt",
    }
    for name, content in forged.items():
        archive = demo.with_name(f"{name}.rtgbak")
        archive.write_bytes(content)
        with pytest.raises(CommandError, match=messages[name]):
            _restore(archive)
        assert _snapshot()["cases.case"] == [], name
        assert not Path(settings.MEDIA_ROOT).exists()
    # Made under the master key: a configured backup key does not open it, and neither does
    # another master key.
    original = settings.REINTEGRA_MASTER_KEYS
    key_id = next(iter(original))
    settings.REINTEGRA_MASTER_KEYS = {"other": bytes(32)}
    with pytest.raises(CommandError, match="not in REINTEGRA_MASTER_KEY"):
        _restore(demo)
    settings.REINTEGRA_MASTER_KEYS = {key_id: bytes(32)}
    with pytest.raises(CommandError, match="does not decrypt"):
        _restore(demo)
    settings.REINTEGRA_MASTER_KEYS = original
    settings.REINTEGRA_AUDIT_KEY = bytes(32)
    with pytest.raises(CommandError, match="audit chain does not verify"):
        _restore(demo)
    assert _snapshot()["cases.case"] == []


def test_restore_refuses_a_database_that_is_not_empty_without_force(demo: Path, settings: Any):
    before = _snapshot()
    with pytest.raises(CommandError, match="not empty"):
        _restore(demo)
    assert _snapshot() == before
    from accounts.models import User

    # A change after the backup that the forced restore must undo.
    User.objects.create_user("after_the_backup", password="a long enough password 1")
    _restore(demo, "--force")
    after = _snapshot()
    for table in before:
        assert after[table] == before[table], table
    assert any(
        p.name.startswith("attachments.before-restore-")
        for p in Path(settings.MEDIA_ROOT).parent.iterdir()
    )


def test_backup_never_overwrites_a_file(tmp_path: Path):
    existing = tmp_path / "exists.rtgbak"
    existing.write_bytes(b"earlier backup")
    with pytest.raises(CommandError, match="exists"):
        call_command("backup", str(existing), stdout=StringIO())
    assert existing.read_bytes() == b"earlier backup"
