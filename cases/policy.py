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


# How the minor status of a person on a given day was established; shown on the page
# (issue 14 item 3), so a worker knows whether a date, an estimate or the flag decided.
BASIS_DATE_OF_BIRTH = "date_of_birth"
BASIS_YEAR_OF_BIRTH = "year_of_birth"
BASIS_ESTIMATED_YEAR = "estimated_year"
BASIS_MINOR_FLAG = "minor_flag"


def age_in_years(
    *, date_of_birth: datetime.date | None, birth_year: int | None, on: datetime.date
) -> int | None:
    """Completed years on ``on``; with only a year of birth, the age reached during that
    year's birthday (the lower bound), so a child is never counted older than they are."""
    if date_of_birth is not None:
        return age_on(date_of_birth, on)
    if birth_year is not None:
        return on.year - birth_year - 1
    return None


def minor_status(case: Any, on: datetime.date) -> tuple[bool, str, int | None]:
    """Whether the person of ``case`` is a minor on ``on`` (the date of the act: a plan
    version's signing, an assessment, a consent) under the case's pack, how that was
    established, and the age in years when it is known.

    Without a date or year of birth the case's minor flag (set at reception) decides."""
    person = case.person
    dob = person.date_of_birth
    year = person.birth_year
    minor = is_minor(date_of_birth=dob, birth_year=year, on=on, majority=age_of_majority(case))
    if minor is None:
        return bool(case.minor_at_reception), BASIS_MINOR_FLAG, None
    if dob is not None:
        basis = BASIS_DATE_OF_BIRTH
    elif person.birth_year_estimated:
        basis = BASIS_ESTIMATED_YEAR
    else:
        basis = BASIS_YEAR_OF_BIRTH
    return minor, basis, age_in_years(date_of_birth=dob, birth_year=year, on=on)


def child_is_consulted(case: Any, on: datetime.date) -> bool:
    """Whether the pack asks for the child's own views on ``on`` (000 L357: the plan is
    consulted with the child from 10 years old in the NRS): a minor of that age or older."""
    from policies.selectors import policy_for_case

    from_age = policy_for_case(case).person.consult_child_from_age
    if from_age is None:
        return False
    minor, _basis, age = minor_status(case, on)
    return minor and age is not None and age >= from_age
