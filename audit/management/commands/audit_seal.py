from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from audit.services import pending_count, seal_pending


class Command(BaseCommand):
    help = (
        "Seal every committed audit entry that has no place in the chain yet. Entries are "
        "sealed after each commit anyway; run this from a timer so that none waits for the "
        "next request."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sealed = seal_pending(wait=True)
        self.stdout.write(
            f"Sealed {sealed} audit entries; {pending_count()} committed since are pending."
        )
