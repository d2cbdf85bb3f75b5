from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backups.services import RestoreError, restore


class Command(BaseCommand):
    help = (
        "Restore an archive written by `backup` into this (empty, migrated) database and "
        "attachments folder. --force replaces whatever they hold."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", metavar="PATH")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace every row of a database that is not empty (the attachments "
            "folder is set aside, not deleted)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        try:
            with path.open("rb") as source:
                summary = restore(source, force=options["force"])
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc
        except RestoreError as exc:
            raise CommandError(f"Restore refused: {exc}", returncode=1) from exc
        rows = sum(summary.tables.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {rows} rows in {len(summary.tables)} tables and {summary.files} "
                f"attachment files; audit chain intact ({summary.audit_entries} entries)."
            )
        )
