"""Drop cached key material when tests override the keys it was derived from."""

from __future__ import annotations

from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver


@receiver(setting_changed)
def _keys_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == "REINTEGRA_MASTER_KEYS":
        from crypto.services import clear_key_cache

        clear_key_cache()
    elif setting == "REINTEGRA_INDEX_KEY":
        from crypto.blind_index import clear_index_key_cache

        clear_index_key_cache()
