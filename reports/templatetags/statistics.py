from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from lib import formatting
from reports.suppression import SUPPRESSED

register = template.Library()


@register.filter
def cell(value: Any) -> SafeString | str:
    """A published count, or the mark of a suppressed one."""
    if value is None:
        return format_html(
            '<abbr class="suppressed" title="{}">{}</abbr>',
            _("Not shown: too few cases, or it would reveal such a cell"),
            SUPPRESSED,
        )
    return formatting.format_number(value)


@register.filter
def amount_cell(value: Any, currency: str) -> SafeString | str:
    if value is None:
        return cell(None)
    return formatting.format_money(value, currency)


@register.filter
def lookup(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key) if isinstance(mapping, dict) else None
