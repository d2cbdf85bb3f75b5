"""Standard code lists the directory validates against: ISO 3166-1 alpha-2 countries,
ISO 639-1 languages and ISO 4217 currencies, read from Babel's CLDR data (already a
dependency for the translation catalogues) so that names come out in the reader's language."""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError
from babel.numbers import list_currencies
from django.utils.translation import get_language

# CLDR lists regions that are not ISO 3166-1 countries (EU, UN, "unknown region" …) and
# exceptional reservations (Ascension, Tristan da Cunha …) next to the real codes. Kosovo's
# XK stays: it is the code in common use, including in the Albanian partners' documents.
# XA and XB are the pseudo-locales ("Pseudo-Accents", "Pseudo-Bidi") used to test software.
_NOT_COUNTRIES = frozenset(
    {"AC", "CP", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"}
)


@cache
def country_codes() -> frozenset[str]:
    territories = [str(code) for code in Locale("en").territories]
    return frozenset(
        code
        for code in territories
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    )


@cache
def language_codes() -> frozenset[str]:
    languages = [str(code) for code in Locale("en").languages]
    return frozenset(code for code in languages if len(code) == 2 and code.isalpha())


@cache
def currency_codes() -> frozenset[str]:
    return frozenset(code for code in list_currencies() if len(code) == 3 and code.isalpha())


def _locale() -> Locale:
    try:
        return Locale.parse(get_language() or "en", sep="-")
    except (UnknownLocaleError, ValueError):
        return Locale("en")


def country_name(code: str) -> str:
    return str(_locale().territories.get(code, code))


def language_name(code: str) -> str:
    return str(_locale().languages.get(code, code))


def parse_codes(raw: str | list[str] | tuple[str, ...], *, upper: bool) -> list[str]:
    """Split "ro, ru en" (or a list) into normalised, de-duplicated codes in the given order."""
    parts = raw.replace(",", " ").replace(";", " ").split() if isinstance(raw, str) else raw
    seen: list[str] = []
    for part in parts:
        code = part.strip().upper() if upper else part.strip().lower()
        if code and code not in seen:
            seen.append(code)
    return seen
