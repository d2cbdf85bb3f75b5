"""Dates and numbers follow each language's CLDR formats."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from lib import formatting

FEB_5 = dt.date(2027, 2, 5)


def _in(language: str, func, *args, **kwargs) -> str:
    with translation.override(language):
        return func(*args, **kwargs)


def test_russian_months_are_in_the_genitive():
    assert "февраля" in _in("ru", formatting.format_date, FEB_5, "long")
    assert "Февраль" not in _in("ru", formatting.format_date, FEB_5, "long")


@pytest.mark.parametrize(("language", "month"), [("ro", "februarie"), ("sq", "shkurt")])
def test_romanian_and_albanian_months_are_lower_case(language, month):
    assert month in _in(language, formatting.format_date, FEB_5, "long")


def test_english_and_georgian_dates():
    assert _in("en", formatting.format_date, FEB_5) == "Feb 5, 2027"
    assert "2027" in _in("ka", formatting.format_date, FEB_5)
    assert "Feb" not in _in("ka", formatting.format_date, FEB_5)


def test_datetime_is_local_and_to_the_minute():
    moment = dt.datetime(2026, 12, 5, 7, 13, 59, tzinfo=ZoneInfo("UTC"))
    shown = _in("en", formatting.format_datetime, moment)
    # Europe/Chisinau is UTC+2 in December; seconds are never shown.
    assert "9:13" in shown and ":59" not in shown and "Dec 5, 2026" in shown


def test_numbers_and_money_follow_the_language():
    assert _in("en", formatting.format_number, Decimal("1234.5")) == "1,234.5"
    assert _in("ru", formatting.format_number, Decimal("1234.5")) == "1\xa0234,5"
    assert _in("en", formatting.format_money, Decimal("2000"), "GEL") == "GEL\xa02,000.00"
    assert _in("ro", formatting.format_money, Decimal("2000"), "MDL") == "2.000,00\xa0MDL"


def test_filters_render_and_tolerate_empty_values():
    template = Template(
        "{% load reintegra %}{{ d|ldate:'long' }}|{{ none|ldate }}|{{ n|lnumber }}|"
        "{{ a|lmoney:'MDL' }}"
    )
    with translation.override("ru"):
        shown = template.render(Context({"d": FEB_5, "none": None, "n": 1500, "a": 10}))
    parts = shown.split("|")
    assert "февраля" in parts[0]
    assert parts[1] == ""
    assert parts[2] == "1\xa0500"
    assert "MDL" in parts[3] and "10,00" in parts[3]
