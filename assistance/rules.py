"""Pure rules of implementation and assistance: the cap per beneficiary against actual
spending, months of the report, programme phases of a cost, the parts of the TdH financial
annex, measurable targets. No database access; tested with fixed values."""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from lib.formatting import format_money
from plans.codes import ActivityStatus
from policies.deadlines import add_months
from policies.schema import Phase

# planned → in progress → done / not delivered / cancelled (SPEC C7). A planned activity may
# end without ever being "in progress" (a one-off service); an ended one may be reopened to
# in progress when the record was wrong, never silently to another end.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    ActivityStatus.PLANNED: (
        ActivityStatus.IN_PROGRESS,
        ActivityStatus.DONE,
        ActivityStatus.NOT_DELIVERED,
        ActivityStatus.CANCELLED,
    ),
    ActivityStatus.IN_PROGRESS: (
        ActivityStatus.DONE,
        ActivityStatus.NOT_DELIVERED,
        ActivityStatus.CANCELLED,
    ),
    ActivityStatus.DONE: (ActivityStatus.IN_PROGRESS,),
    ActivityStatus.NOT_DELIVERED: (ActivityStatus.IN_PROGRESS,),
    ActivityStatus.CANCELLED: (ActivityStatus.PLANNED,),
}


def allowed_transitions(status: str) -> tuple[str, ...]:
    return TRANSITIONS.get(status, ())


_NUMBER = re.compile(r"(\d+(?:[.,]\d+)?)")


def measurable_target(target: str) -> Decimal | None:
    """The number in an indicator's target ("3 months in the same job" → 3), or None when
    the target is not measurable ("within six months" stays words)."""
    found = _NUMBER.search(target or "")
    if found is None:
        return None
    return Decimal(found.group(1).replace(",", "."))


@dataclass(frozen=True)
class CapState:
    """Actual spending against the pack's cap per beneficiary (001 §5.6 L56)."""

    cap: Decimal
    currency: str
    spent: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.cap - self.spent

    @property
    def percent(self) -> int:
        if self.cap <= 0:
            return 100
        return min(100, int(self.spent * 100 / self.cap))

    def exceeded_by(self, amount: Decimal) -> bool:
        return self.spent + amount > self.cap


def cap_refusal(state: CapState, amount: Decimal) -> str:
    """The refusal names the cap, the spent total and the item (issue 10 acceptance)."""
    return _(
        "This item would take spending over the cap of %(cap)s per beneficiary: "
        "%(spent)s already spent, this item %(item)s. A supervisor may record an override "
        "with a reason."
    ) % {
        "cap": format_money(state.cap, state.currency),
        "spent": format_money(state.spent, state.currency),
        "item": format_money(amount, state.currency),
    }


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def parse_month(value: str | None, *, default: datetime.date) -> datetime.date:
    """ "2026-04" → 1 April 2026; anything else → the month of ``default``."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", (value or "").strip())
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12 and 2000 <= year <= 2100:
            return datetime.date(year, month, 1)
    return month_start(default)


def phase_of(
    day: datetime.date,
    *,
    received_on: datetime.date,
    phases: list[Phase],
    plan_start: datetime.date | None,
    plan_end: datetime.date | None,
) -> str:
    """The programme phase a cost falls in. Under a pack with phases (002 L646-L725: 0-6,
    7-12, 13-36 months after reception) it is the phase's key; otherwise the plan's dates
    decide: before the plan, while it runs, after its term."""
    if phases:
        for phase in phases:
            if (
                add_months(received_on, phase.from_month)
                <= day
                < add_months(received_on, phase.to_month)
            ):
                return phase.key
        return "after_phases"
    if plan_start is None or day < plan_start:
        return "before_plan"
    if plan_end is not None and day >= plan_end:
        return "after_plan"
    return "during_plan"


def phase_label(key: str) -> str:
    labels = {
        "before_plan": _("Before the plan"),
        "during_plan": _("While the plan runs"),
        "after_plan": _("After the plan's term"),
        "after_phases": _("After the programme phases"),
        "crisis": _("Crisis intervention"),
        "stabilisation": _("Stabilisation"),
        "inclusion": _("Social inclusion"),
    }
    return str(labels.get(key, key.replace("_", " ").capitalize()))


def disbursement_part(
    day: datetime.date, *, start: datetime.date | None, term_months: int | None
) -> int | None:
    """Part I, II or III of the TdH financial annex (000 TdH annex 1, L168): the plan's term
    cut in three equal periods; items before the start count in Part I, after the term in
    Part III."""
    if start is None:
        return None
    months = term_months or 12
    part_length = max(1, -(-months // 3))
    if day < add_months(start, part_length):
        return 1
    if day < add_months(start, 2 * part_length):
        return 2
    return 3
