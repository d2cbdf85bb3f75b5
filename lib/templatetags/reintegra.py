from __future__ import annotations

from typing import Any

from django import template

from lib import formatting

register = template.Library()

STYLES = ("short", "medium", "long", "full")


@register.simple_tag(takes_context=True)
def page_url(context: dict[str, Any], number: int) -> str:
    """The current URL's query with ``page`` replaced, so filters survive paging."""
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()


@register.simple_tag(takes_context=True)
def cursor_url(context: dict[str, Any], **cursor: str) -> str:
    """The current URL's query with the keyset cursor (``after``, ``before`` or ``page``)
    replaced, so filters survive paging (``lib.pagination``)."""
    query = context["request"].GET.copy()
    for name in ("after", "before", "page"):
        query.pop(name, None)
    for name, value in cursor.items():
        if value:
            query[name] = value
    return "?" + query.urlencode()


@register.filter
def ldate(value: Any, style: str = "medium") -> str:
    """``{{ when|ldate }}`` — a date in the active language (``|ldate:"long"`` spells months)."""
    return formatting.format_date(
        value,
        style if style in STYLES else "medium",  # type: ignore[arg-type]  # narrowed by STYLES
        keep_together=True,
    )


@register.filter
def ldatetime(value: Any, style: str = "medium") -> str:
    """``{{ moment|ldatetime }}`` — local date and time to the minute in the active language."""
    return formatting.format_datetime(
        value,
        style if style in STYLES else "medium",  # type: ignore[arg-type]  # narrowed by STYLES
        keep_together=True,
    )


@register.filter
def lnumber(value: Any) -> str:
    """``{{ count|lnumber }}`` — grouping and decimal signs of the active language."""
    return formatting.format_number(value)


@register.filter
def lmoney(value: Any, currency: str) -> str:
    """``{{ amount|lmoney:line.currency }}`` — an amount with its currency, localised."""
    return formatting.format_money(value, currency)
