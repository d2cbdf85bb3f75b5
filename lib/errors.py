"""Exceptions that several capabilities' services share."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


class StaleEdit(Exception):
    """The record changed since the form was loaded (optimistic concurrency, DESIGN rule 4).
    ``current`` is the record as it is now, to show instead of the user's stale values."""

    def __init__(self, current: Any) -> None:
        super().__init__(_("Someone else changed this record while you were editing it."))
        self.current = current
