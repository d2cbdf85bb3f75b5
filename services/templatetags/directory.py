from __future__ import annotations

from django import template

from services import codes

register = template.Library()


@register.filter
def country_name(code: str) -> str:
    """ "MD" → "Moldova" in the reader's language."""
    return codes.country_name(code)


@register.filter
def language_name(code: str) -> str:
    """ "ro" → "Romanian" in the reader's language."""
    return codes.language_name(code)
