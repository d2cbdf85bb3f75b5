from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backups.services import backup


class Command(BaseCommand):
    help = (
        "Write an encrypted, integrity-checked archive of the whole database and the "
        "attachments to PATH (see README, Backup and restore)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", metavar="PATH")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        try:
            # Never overwrite an earlier backup; readable by the service user only.
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError as exc:
            raise CommandError(f"{path} exists; choose a new file name.") from exc
        except OSError as exc:
            raise CommandError(f"Cannot write {path}: {exc.strerror}.") from exc
        try:
            with os.fdopen(descriptor, "wb") as out:
                summary = backup(out)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        rows = sum(summary.tables.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {path}: {rows} rows in {len(summary.tables)} tables "
                f"({summary.audit_entries} audit entries), {summary.files} attachment files."
            )
        )
