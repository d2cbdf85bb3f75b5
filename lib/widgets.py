"""Form widgets that render long option lists without a template per option.

Django's ``Select`` renders every ``<option>`` through its own template include: a list of
250 countries costs thousands of template nodes per page, most of a page's server time
(SPEC §5: the service directory within 50 ms). ``LongSelect`` writes the same markup —
escaped, with the same attributes — in one pass.
"""

from __future__ import annotations

from html import escape
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


class LongSelect(forms.Select):
    """A single-choice ``<select>`` for long flat lists (no option groups)."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        selected = {str(v) for v in self.format_value(value)}
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        # html.escape on plain strings: the same escaping as conditional_escape, without its
        # per-call dispatch (this loop runs for every option on every page).
        options = "".join(
            f'<option value="{escape(str(code))}"'
            f"{' selected' if str(code) in selected else ''}>{escape(str(label))}</option>"
            for code, label in self.choices
        )
        return format_html("<select{}>{}</select>", flatatt(final), mark_safe(options))  # noqa: S308  (every value escaped above)
