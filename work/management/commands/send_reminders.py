from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from work.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "E-mail each user one digest of their overdue work and work due in the next seven "
        "days. Run it every morning; running it again the same day sends nothing twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--day", help="The digest day as YYYY-MM-DD (default: today).")

    def handle(self, *args: Any, **options: Any) -> None:
        day = timezone.localdate()
        if options["day"]:
            try:
                day = date.fromisoformat(options["day"])
            except ValueError as error:
                raise CommandError("--day: use the form YYYY-MM-DD") from error
        run = send_reminders(day=day)
        self.stdout.write(
            f"{run.sent} digest(s) sent for {day.isoformat()}; "
            f"{run.already_claimed} already sent by another run."
        )
