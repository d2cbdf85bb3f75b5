"""Export an organisation's cases to HTCDS 2.0 (xlsx, csv or json).

    python manage.py export_htcds --organisation CSP --user elena.super --format xlsx \
        --output cases.xlsx [--full --reason "transfer to the national database"]
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.htcds.export import FORMATS, htcds_export
from reports.management.commands._acting import command_acting


class Command(BaseCommand):
    help = "Export an organisation's cases in the HTCDS 2.0 layout (audited)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="case prefix, name or id")
        parser.add_argument("--user", required=True, help="a supervisor of the organisation")
        parser.add_argument("--format", choices=FORMATS, default="xlsx")
        parser.add_argument("--output", required=True)
        parser.add_argument("--full", action="store_true", help="include identifying fields")
        parser.add_argument("--reason", default="", help="required with --full")

    def handle(self, *args: Any, **options: Any) -> None:
        acting = command_acting(options["user"], options["organisation"])
        try:
            data = htcds_export(
                acting=acting, fmt=options["format"], full=options["full"], reason=options["reason"]
            )
        except PermissionDenied as error:
            raise CommandError(
                "Only a supervisor of the organisation may export its cases."
            ) from error
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        Path(options["output"]).write_bytes(data)
        self.stdout.write(self.style.SUCCESS(f"Written {options['output']}."))
