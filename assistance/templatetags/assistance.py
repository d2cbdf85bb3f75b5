"""Template tags of the assistance pages and the disbursement part of the TdH annex."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django import template
from django.utils.translation import gettext as _

from assistance.codes import Provision
from assistance.models import LedgerItem
from assistance.rules import disbursement_part
from assistance.selectors import budget_lines_of, plan_start
from plans.models import Plan
from policies.selectors import policy_for_case

register = template.Library()


@register.simple_tag
def disbursement_parts(plan: Plan) -> dict[str, Any]:
    """The TdH financial annex, Parts I-III (000 TdH annex 1, L168): per budget line what
    was budgeted and what the ledger shows given in each third of the plan's term; items
    given outside the plan on a line of their own. Two queries."""
    case = plan.case
    start = plan_start(plan)
    term = policy_for_case(case).plan.max_term_months.for_person(is_minor=case.minor_at_reception)
    months = term or 12
    lines = budget_lines_of(plan)
    spent: dict[Any, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 3)
    off_plan: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 3)
    items = LedgerItem.objects.filter(case=case, provision=Provision.PAID).values_list(
        "budget_line_id", "currency", "given_on", "amount"
    )
    for line_id, currency, given_on, amount in items:
        part = disbursement_part(given_on, start=start, term_months=months) or 1
        bucket = spent[line_id] if line_id is not None else off_plan[currency]
        bucket[part - 1] += amount
    rows: list[dict[str, Any]] = [
        {
            "label": line.activity.get_plain_or_erased("description") or "",
            "currency": line.currency,
            "budgeted": line.amount,
            "parts": spent[line.pk],
        }
        for line in lines
    ]
    rows += [
        {
            "label": _("Outside the plan (emergency aid)"),
            "currency": currency,
            "budgeted": Decimal(0),
            "parts": parts,
        }
        for currency, parts in sorted(off_plan.items())
    ]
    totals: dict[str, dict[str, Any]] = {}
    for row in rows:
        total = totals.setdefault(
            row["currency"],
            {"currency": row["currency"], "budgeted": Decimal(0), "parts": [Decimal(0)] * 3},
        )
        total["budgeted"] += row["budgeted"]
        total["parts"] = [a + b for a, b in zip(total["parts"], row["parts"], strict=True)]
    return {
        "rows": rows,
        "totals": list(totals.values()),
        "start": start,
        "part_months": max(1, -(-months // 3)),
    }


@register.filter
def lmonth(value: Any) -> str:
    """``{{ month|lmonth }}`` — "December 2026" in the active language."""
    if not value:
        return ""
    from babel.dates import format_skeleton

    from lib.formatting import active_locale

    return str(format_skeleton("yMMMM", value, locale=active_locale()))


@register.filter
def percent_of(part: Any, whole: Any) -> int:
    """``{{ spent|percent_of:budget }}`` — a bar's width, 0 to 100."""
    try:
        part_value, whole_value = Decimal(part), Decimal(whole)
    except (TypeError, ValueError, ArithmeticError):
        return 0
    if whole_value <= 0:
        return 100 if part_value > 0 else 0
    return max(0, min(100, int(part_value * 100 / whole_value)))
