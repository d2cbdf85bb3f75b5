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


@register.filter
def risk_label(value: str | None) -> str:
    """A risk level code ("high") as its label in the reader's language."""
    from cases.codes import RiskLevel

    return label_of(value, RiskLevel) if value else ""


@register.filter
def proceedings_label(value: str | None) -> str:
    """A criminal proceedings status code as its label in the reader's language."""
    from cases.codes import ProceedingsStatus

    return label_of(value, ProceedingsStatus) if value else ""


@register.filter
def profile_code_label(code: dict[str, str]) -> str:
    """A trafficking profile code ``{"list": …, "code": …}`` as its label: a country's name
    for the country lists, the code list's label otherwise."""
    from cases.codes import PROFILE_CODE_CHOICES

    choices = PROFILE_CODE_CHOICES.get(code.get("list", ""))
    if choices is None:
        return country_names([code.get("code", "")])
    return label_of(code.get("code", ""), choices)


@register.filter
def country_names(codes: Any) -> str:
    """ISO country codes ("GE", or a list of them) as names in the reader's language."""
    from services.codes import country_name

    if not codes:
        return ""
    return ", ".join(country_name(code) for code in ([codes] if isinstance(codes, str) else codes))


@register.filter
def language_names(codes: Any) -> str:
    """ISO language codes ("ka", or a list of them) as names in the reader's language."""
    from services.codes import language_name

    if not codes:
        return ""
    return ", ".join(language_name(code) for code in ([codes] if isinstance(codes, str) else codes))


@register.filter
def team_role_label(value: str) -> str:
    """A team role code ("psychologist") as its label; a role typed in words stays as typed."""
    from cases.codes import TeamRole

    return label_of(value, TeamRole)
