"""Cases for the policy and work tests: a real (encrypted) person and only the case columns
the deadline engine reads, without the registration flow's milestones."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from cases.models import Case
from people.services import PersonInput, person_create
from policies.services import case_policy_assign

_serial = itertools.count(1)


def make_case(
    organisation: Any,
    *,
    manager: Any = None,
    received_at: date | None = None,
    minor: bool = False,
) -> Case:
    serial = next(_serial)
    person = person_create(data=PersonInput(given_name=f"Person{serial}", family_name="Tester"))
    case = Case(
        organisation=organisation,
        number=f"{organisation.case_prefix}-2026-{serial:05d}",
        code=f"T{serial:07d}",
        case_manager=manager,
        received_at=received_at or date(2026, 1, 10),
        person=person,
        data_key=person.data_key,
        minor_at_reception=minor,
    )
    case_policy_assign(case)
    case.save()
    return case
