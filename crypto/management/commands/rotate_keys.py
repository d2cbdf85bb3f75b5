from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from crypto.services import (
    BATCH_SIZE,
    DecryptionError,
    UnknownKeyId,
    current_kek_id,
    rotate_keys,
)


class Command(BaseCommand):
    help = (
        "Rewrap every data key under the current master key (the first in "
        "REINTEGRA_MASTER_KEY) without re-encrypting any data. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH_SIZE,
            help=f"Data keys rewrapped per transaction (default {BATCH_SIZE}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size = options["batch_size"]
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.", returncode=2)
        try:
            count = rotate_keys(batch_size=batch_size)
        except UnknownKeyId as exc:
            raise CommandError(f"Nothing was rewrapped. {exc}", returncode=1) from exc
        except DecryptionError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Rewrapped {count} data keys under master key id {current_kek_id()!r}."
            )
        )
