"""Date rules of the directory's renewal, as pure functions (DESIGN rule 7)."""

from __future__ import annotations

import datetime

from policies.deadlines import add_months

# 001 §4.3 L45-L46: providers confirm their services quarterly. The organisation's policy
# pack may set another period (``reporting.service_list_renewal_months``); packs that set
# none get this quarter (``services.services.renewal_period_months``).
RENEWAL_PERIOD_MONTHS = 3
# How long before an entry falls due its provider starts seeing it in "to confirm".
RENEWAL_NOTICE_DAYS = 14
# The default time a renewal round gives providers to answer.
RENEWAL_ROUND_DEFAULT_DAYS = 30


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
