"""Import an HTCDS 2.0 file (xlsx, csv or json) into new cases of an organisation.

    python manage.py import_htcds cases.xlsx --organisation CSP --user elena.super [--dry-run]
        [--partial]

Every problem is printed with its row and column; by default nothing is written unless every
row is good (``--partial`` writes the good rows). Exits 1 when nothing could be written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.htcds.importer import htcds_import
from reports.management.commands._acting import command_acting


class Command(BaseCommand):
    help = "Import an HTCDS 2.0 file into new cases of an organisation (audited)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--organisation", required=True, help="case prefix, name or id")
        parser.add_argument("--user", required=True, help="a supervisor of the organisation")
        parser.add_argument("--dry-run", action="store_true", help="report only, write nothing")
        parser.add_argument("--partial", action="store_true", help="write the good rows")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        acting = command_acting(options["user"], options["organisation"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        try:
            report = htcds_import(
                acting=acting,
                file_name=path.name,
                data=path.read_bytes(),
                dry_run=options["dry_run"],
                all_or_nothing=not options["partial"],
            )
        except PermissionDenied as error:
            raise CommandError("Only a supervisor of the organisation may import cases.") from error
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            for problem in report.problems:
                self.stdout.write(f"row {problem.row}, {problem.column}: {problem.message}")
            for notice in report.notices:
                self.stdout.write(f"row {notice.row}, {notice.column}: (not kept) {notice.message}")
            for row in report.duplicates:
                self.stdout.write(f"row {row}: possible duplicate of a known person, not imported")
            verb = "would create" if report.dry_run else "created"
            count = len(report.created) if (report.written or report.dry_run) else 0
            self.stdout.write(f"{report.rows} rows read; {verb} {count} cases.")
        if report.problems and not report.written:
            raise CommandError("Nothing was written.")
