"""Dates, times, numbers and amounts in the active language's own formats (CLDR via Babel).

One place decides how a date looks, so a page, a PDF and an e-mail in the same language agree:
Russian months in the genitive ("5 февраля 2027"), Romanian and Albanian months in lower
case, Georgian with its own abbreviations. Templates use the filters in
``lib/templatetags/reintegra.py`` (``ldate``, ``ldatetime``, ``lnumber``, ``lmoney``).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Literal

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_time as babel_format_time
from babel.numbers import format_currency as babel_format_currency
from babel.numbers import format_decimal as babel_format_decimal
from django.utils import timezone, translation

DateStyle = Literal["short", "medium", "long", "full"]


def active_locale() -> str:
    """The Babel locale of the active language (Django's codes are CLDR's for our five)."""
    return (translation.get_language() or "en").split("-")[0]


NBSP = "\u00a0"


def _unbroken(text: str, keep_together: bool) -> str:
    # On a page a date must not wrap in the middle ("Feb 5," / "2027"): its spaces become
    # no-break spaces. PDFs and e-mails keep ordinary spaces.
    return text.replace(" ", NBSP) if keep_together else text


def format_date(
    value: dt.date | dt.datetime | str | None,
    style: DateStyle = "medium",
    *,
    keep_together: bool = False,
) -> str:
    """A calendar date; a datetime is shown as the local date it falls on."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        # Dates kept as ISO text (the sections a referral shares are frozen as JSON).
        value = dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return _unbroken(babel_format_date(value, format=style, locale=active_locale()), keep_together)


def format_datetime(
    value: dt.datetime | None, style: DateStyle = "medium", *, keep_together: bool = False
) -> str:
    """A moment in local time: the date in ``style`` and the time to the minute (the date and
    the time each kept on one line when ``keep_together``)."""
    if value is None or value == "":
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    locale = Locale.parse(active_locale())
    pattern = locale.datetime_formats.get(style) or locale.datetime_formats["medium"]
    return str(pattern).format(
        _unbroken(babel_format_time(local.time(), format="short", locale=locale), keep_together),
        _unbroken(babel_format_date(local.date(), format=style, locale=locale), keep_together),
    )


def format_number(value: int | float | Decimal | None) -> str:
    """A number with the language's grouping and decimal signs."""
    if value is None:
        return ""
    return babel_format_decimal(value, locale=active_locale())


def format_money(value: int | float | Decimal | None, currency: str) -> str:
    """An amount with its ISO 4217 currency, placed and signed as the language writes it."""
    if value is None:
        return ""
    shown = babel_format_currency(value, currency, locale=active_locale())
    # CLDR's currency spacing: a currency written in letters ("GEL") is kept apart from the
    # digits by a no-break space, which Babel leaves out ("GEL2,000.00").
    return re.sub(r"^([A-Z]{3})(?=[-\d])", "\\1" + NBSP, shown)
