"""Rules of the case's jurisdiction policy pack that the case file needs, and the pure date
rules built on them (DESIGN rule 6: typed, pure, tested with fixed dates)."""

from __future__ import annotations

import datetime
from typing import Any


def age_of_majority(case_or_organisation: Any) -> int:
    """The age of majority under the case's recorded pack version, or the organisation's
    current pack (SPEC C11 table "minor age")."""
    from cases.models import Case
    from policies.selectors import pack_for_organisation, policy_for_case

    if isinstance(case_or_organisation, Case):
        return policy_for_case(case_or_organisation).person.age_of_majority
    return pack_for_organisation(case_or_organisation).parsed.person.age_of_majority


def age_on(date_of_birth: datetime.date, on: datetime.date) -> int:
    """Completed years on ``on`` (a person born on 29 February turns a year older on 1 March
    in non-leap years)."""
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def is_minor(
    *,
    date_of_birth: datetime.date | None,
    birth_year: int | None,
    on: datetime.date,
    majority: int,
) -> bool | None:
    """Minor status on ``on``; None when neither the date nor the year of birth is known.

    With only an (estimated) year of birth the person is treated as a minor until the end of
    the year in which they come of age: protection errs on the side of the child.
    """
    if date_of_birth is not None:
        return age_on(date_of_birth, on) < majority
    if birth_year is not None:
        return on.year - birth_year <= majority
    return None
