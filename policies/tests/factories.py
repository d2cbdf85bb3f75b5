"""Cases for the policy and work tests. The case file builds the real registration; these
tests need only the columns the deadline engine reads."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from cases.models import Case
from policies.services import case_policy_assign

_serial = itertools.count(1)


def make_case(organisation: Any, *, manager: Any = None, received_at: date | None = None) -> Case:
    serial = next(_serial)
    case = Case(
        organisation=organisation,
        number=f"{organisation.case_prefix}-2026-{serial:05d}",
        code=f"T{serial:07d}",
        case_manager=manager,
        received_at=received_at or date(2026, 1, 10),
    )
    case_policy_assign(case)
    case.save()
    return case
