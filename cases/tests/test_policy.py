"""Pure date rules, with fixed dates."""

from __future__ import annotations

import datetime

import pytest

from cases.policy import age_of_majority, age_on, is_minor


@pytest.mark.django_db
def test_age_of_majority_is_18_in_every_shipped_pack(actors) -> None:
    from policies.packs import shipped_packs

    for code in shipped_packs():
        actors.home_org.policy_pack = code
        assert age_of_majority(actors.home_org) == 18


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (datetime.date(2008, 5, 10), datetime.date(2026, 5, 9), 17),
        (datetime.date(2008, 5, 10), datetime.date(2026, 5, 10), 18),
        (datetime.date(2008, 2, 29), datetime.date(2026, 2, 28), 17),
        (datetime.date(2008, 2, 29), datetime.date(2026, 3, 1), 18),
    ],
)
def test_age_on(born: datetime.date, on: datetime.date, age: int) -> None:
    assert age_on(born, on) == age


def test_minor_from_date_of_birth() -> None:
    on = datetime.date(2026, 5, 9)
    assert (
        is_minor(date_of_birth=datetime.date(2008, 5, 10), birth_year=2008, on=on, majority=18)
        is True
    )
    assert (
        is_minor(date_of_birth=datetime.date(2008, 5, 9), birth_year=2008, on=on, majority=18)
        is False
    )


def test_minor_from_year_only_errs_on_the_side_of_the_child() -> None:
    assert (
        is_minor(date_of_birth=None, birth_year=2008, on=datetime.date(2026, 12, 31), majority=18)
        is True
    )
    assert (
        is_minor(date_of_birth=None, birth_year=2008, on=datetime.date(2027, 1, 1), majority=18)
        is False
    )
    assert (
        is_minor(date_of_birth=None, birth_year=None, on=datetime.date(2027, 1, 1), majority=18)
        is None
    )
