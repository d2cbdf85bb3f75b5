from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from benchmark.synthetic import CaseWorkGenerator
from cases.synthetic import generate


class Command(BaseCommand):
    help = (
        "Create invented persons with cases, staff, assessments, plans, referrals, consents "
        "and notes in bulk (volume tests and benchmarks)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, required=True, help="How many cases to create.")
        parser.add_argument(
            "--seed", type=int, default=None, help="Random seed, for repeatable data."
        )
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["cases"] < 1:
            raise CommandError("--cases must be at least 1.")
        try:
            count = generate(
                cases=options["cases"],
                seed=options["seed"],
                batch_size=max(1, options["batch_size"]),
                progress=lambda done: self.stdout.write(f"  {done} cases…"),
                extend=CaseWorkGenerator(),
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Created {count} synthetic cases."))
