"""Backup and restore of the whole database content and the encrypted attachments (SPEC §4).

The archive (backups/archive.py) holds, compressed and then encrypted:

* every row of every table Django manages — all apps, parents before children
  (``serializers.sort_dependencies``), many-to-many tables last — column by column as stored,
  so ciphertext, wrapped data keys, blind indexes and audit links are copied byte for byte;
* every file of the attachments folder (``MEDIA_ROOT``), which already holds ciphertext only.

Sessions are left out: a restored system signs everyone out.

Restoring needs the same keys as the system that made the backup — the master key ids that
wrap the data keys, ``REINTEGRA_INDEX_KEY`` and ``REINTEGRA_AUDIT_KEY`` — and a database
migrated to the same code version. It runs in one transaction: it checks those keys and
that the restored audit chain verifies before it commits, and changes nothing otherwise.
"""

from __future__ import annotations

import base64
import datetime
import decimal
import hashlib
import json
import os
import shutil
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.duration import duration_string

from backups.archive import ArchiveError, ArchiveWriter, decrypted_chunks, read_header

# Written by ``migrate`` itself (content types, permissions, the shipped policy packs and
# trafficking indicators, the audit chain head): a database holding only these is empty.
MIGRATION_DATA = frozenset(
    {
        "contenttypes.contenttype",
        "auth.permission",
        "audit.auditchainhead",
        "cases.traffickingindicator",
        "policies.policypackversion",
    }
)
LEFT_OUT = frozenset({"sessions.session"})
_FILE_PIECE = 3 * (1 << 18)


class RestoreError(RuntimeError):
    """The restore was refused; nothing was changed."""


@dataclass
class Summary:
    tables: dict[str, int] = field(default_factory=dict)
    files: int = 0
    audit_entries: int = 0


def archive_secret(header_key: dict[str, Any] | None = None) -> tuple[bytes, dict[str, Any]]:
    """The secret the archive key is derived from, and how the header names it.

    ``REINTEGRA_BACKUP_KEY`` when set; otherwise the current master key, named by its id so
    that a restore after a master-key rotation still finds it while the old key is kept.
    """
    wanted = header_key or {}
    backup_key: bytes | None = settings.REINTEGRA_BACKUP_KEY
    if header_key is None:
        if backup_key is not None:
            return backup_key, {"source": "backup_key"}
        key_id, master = next(iter(settings.REINTEGRA_MASTER_KEYS.items()))
        return master, {"source": "master_key", "key_id": key_id}
    if wanted.get("source") == "backup_key":
        if backup_key is None:
            raise RestoreError(
                "The archive was encrypted with REINTEGRA_BACKUP_KEY, which is not set."
            )
        return backup_key, wanted
    key_id = str(wanted.get("key_id", ""))
    master_keys: dict[str, bytes] = settings.REINTEGRA_MASTER_KEYS
    if key_id not in master_keys:
        raise RestoreError(
            f"The archive was encrypted with master key {key_id!r}, which is not in "
            "REINTEGRA_MASTER_KEY."
        )
    return master_keys[key_id], wanted


def _models_in_order() -> list[type[models.Model]]:
    app_list = [(config, None) for config in apps.get_app_configs()]
    ordered = [
        model
        for model in serializers.sort_dependencies(app_list, allow_cycles=True)
        if model._meta.managed and not model._meta.proxy
    ]
    through = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.auto_created and model._meta.managed and model not in ordered
    ]
    return [m for m in ordered + through if m._meta.label_lower not in LEFT_OUT]


def _columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if not getattr(f, "generated", False)  # computed by the database
    ]


def _plain(value: Any) -> Any:
    """A column value as JSON; ``Field.to_python`` reads every form back."""
    if isinstance(value, memoryview | bytes | bytearray):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return duration_string(value)
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def _applied_migrations() -> list[str]:
    recorder = MigrationRecorder(connection)
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file())


def _lines(writer: Any, records: Iterator[Any]) -> None:
    compressor = zlib.compressobj(6)
    for record in records:
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
        writer.write(compressor.compress(line.encode()))
    writer.write(compressor.flush())


def backup(out: IO[bytes]) -> Summary:
    """Write an encrypted archive of the database and the attachments to ``out``.

    The backup is recorded in the audit log first and every entry is sealed, so the archive
    carries a complete chain. The rows are read in one transaction — on PostgreSQL a
    repeatable-read snapshot — so the archive is consistent while the system keeps running.
    """
    from audit.models import AuditAction
    from audit.services import record, seal_pending

    record(
        action=AuditAction.EXPORT,
        actor_username="system",
        target=("database", "backup"),
        detail={"what": "backup"},
    )
    seal_pending(wait=True)
    secret, key_header = archive_secret()
    summary = Summary()
    media_root = Path(settings.MEDIA_ROOT)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        header = {
            "format": 1,
            "created_at": timezone.now().isoformat(timespec="seconds"),
            "database": connection.vendor,
            "migrations": _applied_migrations(),
            "key": key_header,
        }
        writer = ArchiveWriter(out, secret=secret, header=header)

        def records() -> Iterator[Any]:
            for model in _models_in_order():
                columns = _columns(model)
                label = model._meta.label_lower
                yield {"table": label, "columns": [c.attname for c in columns]}
                count = 0
                rows = (
                    model._base_manager.order_by("pk")
                    .values_list(*[c.attname for c in columns])
                    .iterator(chunk_size=2000)
                )
                for row in rows:
                    count += 1
                    yield [_plain(value) for value in row]
                summary.tables[label] = count
                yield {"end_table": label, "rows": count}
            for path in _media_files(media_root):
                data = path.read_bytes()
                name = path.relative_to(media_root).as_posix()
                yield {"file": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                for start in range(0, len(data), _FILE_PIECE):
                    yield {"data": base64.b64encode(data[start : start + _FILE_PIECE]).decode()}
                yield {"end_file": name}
                summary.files += 1
            yield {"end": True, "tables": summary.tables, "files": summary.files}

        _lines(writer, records())
        writer.close()
    summary.audit_entries = summary.tables.get("audit.auditentry", 0)
    return summary


def database_is_empty() -> bool:
    """Nothing but what ``migrate`` writes itself (``MIGRATION_DATA``)."""
    for model in _models_in_order():
        if model._meta.label_lower in MIGRATION_DATA:
            continue
        if model._base_manager.exists():
            return False
    return True


def _decoded_records(chunks: Iterator[bytes]) -> Iterator[Any]:
    decompressor = zlib.decompressobj()
    pending = b""
    for chunk in chunks:
        pending += decompressor.decompress(chunk)
        *complete, pending = pending.split(b"\n")
        for line in complete:
            yield json.loads(line)
    pending += decompressor.flush()
    if pending.strip():
        yield json.loads(pending)


def _flush_all() -> None:
    tables = [m._meta.db_table for m in apps.get_models(include_auto_created=True)]
    tables = [t for t in tables if t in connection.introspection.table_names()]
    with connection.cursor() as cursor:
        # PostgreSQL: TRUNCATE, which row triggers (the audit log's) do not see; the restore
        # runs as the database owner, the application role may not truncate (README).
        for statement in connection.ops.sql_flush(no_style(), tables, allow_cascade=True):
            cursor.execute(statement)


def _insert(model: type[models.Model], columns: list[Any], rows: list[list[Any]]) -> None:
    objects = []
    for row in rows:
        instance = model.__new__(model)
        instance._state = models.base.ModelState()
        instance._state.adding = False
        for column, value in zip(columns, row, strict=True):
            setattr(instance, column.attname, None if value is None else column.to_python(value))
        objects.append(instance)
    batch = max(1, connection.ops.bulk_batch_size(columns, objects))
    for start in range(0, len(objects), batch):
        # raw: values go in as they were stored (no auto_now, no save() overrides).
        model._base_manager._insert(  # type: ignore[attr-defined]
            objects[start : start + batch], fields=columns, raw=True, using=connection.alias
        )


def _check_keys() -> None:
    from crypto.models import DataKey

    needed = set(
        DataKey.objects.filter(wrapped_key__isnull=False)
        .values_list("kek_id", flat=True)
        .distinct()
    )
    missing = sorted(needed - set(settings.REINTEGRA_MASTER_KEYS))
    if missing:
        raise RestoreError(
            "The restored data keys are wrapped by master key(s) "
            + ", ".join(repr(k) for k in missing)
            + ", not in REINTEGRA_MASTER_KEY: every identity would be unreadable."
        )


def restore(source: IO[bytes], *, force: bool = False) -> Summary:
    """Restore an archive written by :func:`backup` into this database and attachments folder.

    Refuses (``RestoreError``, nothing changed) when the database holds data and ``force``
    is not given, when its migrations differ from the archive's, when the archive fails to
    decrypt or authenticate, when a needed master key is missing, and when the restored
    audit chain does not verify (another ``REINTEGRA_AUDIT_KEY``).
    """
    from audit.services import verify_chain

    try:
        header, header_bytes = read_header(source)
    except ArchiveError as exc:
        raise RestoreError(f"{exc}.") from exc
    secret, _key = archive_secret(header.get("key") or {"source": "master_key"})
    if header.get("migrations") != _applied_migrations():
        raise RestoreError(
            "The database is not migrated to the same version as the archive: run migrate "
            "with the code version that made the backup, then restore."
        )
    if not force and not database_is_empty():
        raise RestoreError(
            "The database is not empty. Restore into an empty, migrated database, or give "
            "--force to replace everything in it."
        )
    media_root = Path(settings.MEDIA_ROOT)
    if not force and _media_files(media_root):
        raise RestoreError(
            f"The attachments folder {media_root} is not empty; give --force to set it aside."
        )
    staging = media_root.parent / f".restore-{uuid.uuid4().hex}"
    summary = Summary()
    by_label = {m._meta.label_lower: m for m in apps.get_models(include_auto_created=True)}
    try:
        with transaction.atomic():
            _flush_all()
            chunks = decrypted_chunks(
                source, secret=secret, header=header, header_bytes=header_bytes
            )
            model: type[models.Model] | None = None
            columns: list[Any] = []
            rows: list[list[Any]] = []
            handle: IO[bytes] | None = None
            digest = hashlib.sha256()
            ended = False
            for record in _decoded_records(chunks):
                if isinstance(record, list):
                    if model is None:
                        raise RestoreError("The archive holds a row outside a table.")
                    rows.append(record)
                    if len(rows) >= 2000:
                        _insert(model, columns, rows)
                        rows = []
                elif "table" in record:
                    model = by_label.get(record["table"])
                    if model is None:
                        raise RestoreError(f"This version has no table {record['table']!r}.")
                    by_attname = {c.attname: c for c in _columns(model)}
                    if set(record["columns"]) != set(by_attname):
                        raise RestoreError(
                            f"The columns of {record['table']} differ from this version's."
                        )
                    columns = [by_attname[name] for name in record["columns"]]
                elif "end_table" in record:
                    if model is not None and rows:
                        _insert(model, columns, rows)
                    summary.tables[record["end_table"]] = record["rows"]
                    model, rows = None, []
                elif "file" in record:
                    target = (staging / record["file"]).resolve()
                    if not target.is_relative_to(staging.resolve()):
                        raise RestoreError("The archive names a file outside the attachments.")
                    target.parent.mkdir(parents=True, exist_ok=True)
                    handle = target.open("wb")
                    digest = hashlib.sha256()
                    expected = record["sha256"]
                elif "data" in record and handle is not None:
                    piece = base64.b64decode(record["data"])
                    digest.update(piece)
                    handle.write(piece)
                elif "end_file" in record and handle is not None:
                    handle.close()
                    handle = None
                    if digest.hexdigest() != expected:
                        raise RestoreError(f"The file {record['end_file']} does not match.")
                    summary.files += 1
                elif record.get("end"):
                    if record["tables"] != summary.tables or record["files"] != summary.files:
                        raise RestoreError("The archive's contents do not match its summary.")
                    ended = True
            if not ended:
                raise RestoreError("The archive ends before its summary.")
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    for statement in connection.ops.sequence_reset_sql(
                        no_style(), list(by_label.values())
                    ):
                        cursor.execute(statement)
            connection.check_constraints()
            _check_keys()
            checked, broken = verify_chain()
            if broken is not None:
                raise RestoreError(
                    f"The restored audit chain does not verify at entry #{broken.sequence}: "
                    f"{broken.reason}. Is REINTEGRA_AUDIT_KEY the key of the system that "
                    "made the backup?"
                )
            summary.audit_entries = checked
    except ArchiveError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise RestoreError(f"{exc}. Nothing was restored.") from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _clear_caches()
    _move_attachments(staging, media_root)
    return summary


def _move_attachments(staging: Path, media_root: Path) -> None:
    if not staging.exists():
        staging.mkdir(parents=True)
    if media_root.exists():
        if any(media_root.iterdir()):
            stamp = timezone.now().strftime("%Y%m%d%H%M%S")
            media_root.rename(media_root.with_name(f"{media_root.name}.before-restore-{stamp}"))
        else:
            media_root.rmdir()
    os.replace(staging, media_root)


def _clear_caches() -> None:
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
