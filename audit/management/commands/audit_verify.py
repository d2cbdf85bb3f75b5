from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.services import (
    CheckpointError,
    pending_count,
    read_checkpoint,
    seal_pending,
    verify_against_checkpoints,
    verify_chain,
)


class Command(BaseCommand):
    help = (
        "Seal pending audit entries, then recompute every link of the audit chain; with "
        "--checkpoint, also prove the chain still extends a checkpoint taken earlier. Exit 1 "
        "naming the first broken entry."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoint",
            metavar="FILE",
            action="append",
            default=[],
            help="a file written by audit_checkpoint (may be given more than once)",
        )
        parser.add_argument(
            "--no-seal",
            action="store_true",
            help="do not seal pending entries first (for example on a read-only replica)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        checkpoints = []
        for name in options["checkpoint"]:
            path = Path(name)
            try:
                checkpoints.append((path, read_checkpoint(path.read_text(encoding="utf-8"))))
            except OSError as exc:
                raise CommandError(f"Cannot read {path}: {exc.strerror}.", returncode=2) from exc
            except CheckpointError as exc:
                raise CommandError(f"{path}: {exc}.", returncode=1) from exc
        if not options["no_seal"]:
            seal_pending(wait=True)
        if checkpoints:
            checked, broken = verify_against_checkpoints([c for _, c in checkpoints])
        else:
            checked, broken = verify_chain()
        if broken is None:
            for path, checkpoint in checkpoints:
                self.stdout.write(
                    f"The chain extends the checkpoint {path} "
                    f"(entry #{checkpoint['sequence']} of {checkpoint['taken_at']})."
                )
        if broken is not None:
            entry = f" (row id {broken.entry_id})" if broken.entry_id is not None else ""
            raise CommandError(
                f"Audit chain broken at entry #{broken.sequence}{entry}: {broken.reason}. "
                f"{checked} entries before it are intact.",
                returncode=1,
            )
        pending = pending_count()
        later = f" {pending} entries committed since are not sealed yet." if pending else ""
        self.stdout.write(
            self.style.SUCCESS(f"Audit chain intact: {checked} entries verified.{later}")
        )
