"""Template helpers for the case file: decrypt one field for display, or say it was erased."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def plain(record: Any, column: str) -> str:
    """The decrypted value of ``column``; "" when empty, a marker when the identity is erased."""
    if record is None:
        return ""
    if record.data_key.is_erased:
        return _("[erased]")
    return record.get_plain(column) or ""


@register.filter
def label_of(value: str, choices: Any) -> str:
    """The display label of a code from a TextChoices class passed in the context."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value
