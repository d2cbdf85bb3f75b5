"""Date rules of the directory's renewal, as pure functions (DESIGN rule 7)."""

from __future__ import annotations

import calendar
import datetime

# 001 §4.3 L45-L46: providers confirm their services quarterly. Jurisdiction policy packs
# (issue 3) will supply this as ``service_list_renewal``; until they do, every organisation
# works to the quarter the Georgian order sets.
RENEWAL_PERIOD_MONTHS = 3
# How long before an entry falls due its provider starts seeing it in "to confirm".
RENEWAL_NOTICE_DAYS = 14
# The default time a renewal round gives providers to answer.
RENEWAL_ROUND_DEFAULT_DAYS = 30


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, clamped to the month's end (31 Jan + 1 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last_day))


def confirmation_due(confirmed_on: datetime.date, period_months: int) -> datetime.date:
    """The last day an entry confirmed on ``confirmed_on`` counts as current."""
    return add_months(confirmed_on, period_months)


def is_stale(confirmation_due_on: datetime.date, today: datetime.date) -> bool:
    return confirmation_due_on < today


def to_confirm_horizon(
    today: datetime.date, open_round_due_on: datetime.date | None
) -> datetime.date:
    """Entries due on or before this day are on the provider's "to confirm" list: everything
    an open renewal round asks for, and anything falling due within the notice period."""
    notice = today + datetime.timedelta(days=RENEWAL_NOTICE_DAYS)
    if open_round_due_on is None:
        return notice
    return max(notice, open_round_due_on)
