from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.services import CheckpointError, take_checkpoint


class Command(BaseCommand):
    help = (
        "Seal pending audit entries, verify the chain and print a checkpoint (head sequence, "
        "count, link and an HMAC over them) to keep outside the database; "
        "`audit_verify --checkpoint FILE` later proves the log still extends it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            metavar="FILE",
            help="write the checkpoint to FILE (refuses to overwrite) instead of stdout",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            checkpoint = take_checkpoint()
        except CheckpointError as exc:
            raise CommandError(f"No checkpoint taken: {exc}.", returncode=1) from exc
        text = json.dumps(checkpoint, indent=2, sort_keys=True) + "\n"
        output = options.get("output")
        if not output:
            self.stdout.write(text, ending="")
            return
        path = Path(output)
        try:
            # O_EXCL: an earlier checkpoint is evidence and is never overwritten.
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError as exc:
            raise CommandError(f"{path} exists; choose a new file name.") from exc
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        self.stderr.write(
            f"Checkpoint at entry #{checkpoint['sequence']} written to {path}; keep a copy "
            "outside this server and its database backups."
        )
