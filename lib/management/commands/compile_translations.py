"""Compile the .po catalogues to .mo without GNU gettext (which a fresh machine lacks)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile every locale/*/LC_MESSAGES/*.po into .mo."

    def handle(self, *args: Any, **options: Any) -> None:
        compiled = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                with po_path.open("rb") as handle:
                    try:
                        catalog = read_po(handle, locale=po_path.parts[-3])
                    except Exception as exc:
                        raise CommandError(f"{po_path}: {exc}") from exc
                with po_path.with_suffix(".mo").open("wb") as handle:
                    write_mo(handle, catalog, use_fuzzy=False)
                compiled += 1
        self.stdout.write(f"Compiled {compiled} translation catalogues.")
