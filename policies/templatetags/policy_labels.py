from __future__ import annotations

from django import template

from policies.display import rule_label as _rule_label

register = template.Library()


@register.filter
def rule_label(source_rule: str) -> str:
    """``{{ item.source_rule|rule_label }}`` — the rule's name, never its key."""
    return _rule_label(source_rule)


@register.filter
def pack_name(code: str) -> str:
    """A policy pack code ("md-nrs") as the pack's name, read from the shipped packs (no
    query); a pack that is not shipped any more keeps its code."""
    from policies.packs import shipped_packs

    pack = shipped_packs().get(code)
    return pack.name if pack is not None else code
