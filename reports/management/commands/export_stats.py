"""The CTDC statistics export: one de-identified row per case, suppressed per k.

    python manage.py export_stats --organisation NRS --user nino.coord --format csv \
        --output ctdc.csv [--k 11]

Refuses, writing nothing, when a quasi-identifier combination stays below k.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.ctdc import ctdc_export
from reports.management.commands._acting import command_acting
from reports.scope import StatisticsScope


class Command(BaseCommand):
    help = "Write the CTDC statistics file (de-identified, suppressed per k; audited)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="the user's organisation")
        parser.add_argument("--user", required=True, help="a coordinator, analyst or supervisor")
        parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
        parser.add_argument("--output", required=True)
        parser.add_argument(
            "--k", type=int, default=None, help="smallest combination (default: settings)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        acting = command_acting(options["user"], options["organisation"])
        try:
            scope = StatisticsScope(acting)
            data, summary = ctdc_export(
                acting=acting, scope=scope, fmt=options["format"], k=options["k"]
            )
        except PermissionDenied as error:
            raise CommandError("This user has no statistics.") from error
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        Path(options["output"]).write_bytes(data)
        self.stdout.write(
            self.style.SUCCESS(
                f"Written {options['output']}: {summary['rows']} rows, "
                f"{summary['blanked']} values blanked, k = {summary['k']}."
            )
        )
