from __future__ import annotations

import datetime

import pytest

from services.rules import (
    RENEWAL_NOTICE_DAYS,
    add_months,
    confirmation_due,
    is_stale,
    to_confirm_horizon,
)

D = datetime.date


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 1, 15), 3, D(2026, 4, 15)),
        (D(2026, 11, 30), 3, D(2027, 2, 28)),
        (D(2028, 11, 30), 3, D(2029, 2, 28)),
        (D(2027, 11, 30), 3, D(2028, 2, 29)),
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2026, 12, 1), 12, D(2027, 12, 1)),
    ],
)
def test_add_months_clamps_to_the_month_end(day, months, expected):
    assert add_months(day, months) == expected


def test_confirmation_is_due_a_quarter_later():
    assert confirmation_due(D(2026, 3, 31), 3) == D(2026, 6, 30)


def test_stale_only_after_the_due_day():
    due = D(2026, 6, 30)
    assert not is_stale(due, D(2026, 6, 29))
    assert not is_stale(due, D(2026, 6, 30))
    assert is_stale(due, D(2026, 7, 1))


def test_horizon_is_the_notice_period_or_the_open_round():
    today = D(2026, 5, 1)
    notice = today + datetime.timedelta(days=RENEWAL_NOTICE_DAYS)
    assert to_confirm_horizon(today, None) == notice
    assert to_confirm_horizon(today, D(2026, 6, 1)) == D(2026, 6, 1)
    assert to_confirm_horizon(today, D(2026, 5, 2)) == notice
