"""Crypto-erase the identities whose retention period is over (SPEC C9). Run daily from cron;
``--dry-run`` lists counts and case codes only and changes nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from closure.retention import identity_erase, retention_candidates


class Command(BaseCommand):
    help = "Crypto-erase identities whose retention period after follow-up is over."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List, change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        candidates = retention_candidates(timezone.localdate())
        for candidate in candidates:
            # Codes only: never a name, even in a dry run.
            self.stdout.write(", ".join(candidate.case_codes))
            if not options["dry_run"]:
                identity_erase(acting_user=None, person=candidate.person, reason="retention")
        verb = "due for erasure" if options["dry_run"] else "erased"
        self.stdout.write(f"{len(candidates)} persons {verb}.")
