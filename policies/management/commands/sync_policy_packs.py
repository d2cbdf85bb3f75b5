from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from policies.services import sync_policy_packs


class Command(BaseCommand):
    help = "Validate policies/packs/*.yaml and store a new version of every pack that changed."

    def handle(self, *args: Any, **options: Any) -> None:
        created = sync_policy_packs()
        for version in created:
            self.stdout.write(f"{version.code}: version {version.version} stored")
        if not created:
            self.stdout.write("Every policy pack is up to date.")
