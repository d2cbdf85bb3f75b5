from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from audit.services import verify_chain


class Command(BaseCommand):
    help = "Recompute the audit hash chain; exit 1 naming the first broken entry."

    def handle(self, *args: Any, **options: Any) -> None:
        checked, broken = verify_chain()
        if broken is not None:
            entry = f" (row id {broken.entry_id})" if broken.entry_id is not None else ""
            raise CommandError(
                f"Audit chain broken at entry #{broken.sequence}{entry}: {broken.reason}. "
                f"{checked} entries before it are intact.",
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {checked} entries verified."))
