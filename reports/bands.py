"""Age bands and other derived codes computed in SQL from plain columns."""

from __future__ import annotations

from django.db.models import Case, CharField, F, Q, Value, When
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

# CTDC ageBroad bands (standards/README.md §4.2); the code is the CTDC value.
AGE_BANDS: list[tuple[str, int, int | None]] = [
    ("0--8", 0, 8),
    ("09--17", 9, 17),
    ("18--20", 18, 20),
    ("21--23", 21, 23),
    ("24--26", 24, 26),
    ("27--29", 27, 29),
    ("30--38", 30, 38),
    ("39--47", 39, 47),
    ("48+", 48, None),
]
UNKNOWN = "unknown"


def age_band_label(code: str) -> str:
    if code == UNKNOWN:
        return str(_("Not known"))
    for band, low, high in AGE_BANDS:
        if band == code:
            return f"{low}-{high}" if high is not None else f"{low}+"
    return code


def age_band_choices() -> list[tuple[str, str]]:
    return [(code, age_band_label(code)) for code, _, _ in AGE_BANDS] + [
        (UNKNOWN, age_band_label(UNKNOWN))
    ]


def age_annotation(case_prefix: str = "") -> CombinedExpression:
    """Age at registration: the year of reception minus the year of birth (annotate it as
    ``_age`` before ``age_band_expression``)."""
    p = case_prefix
    return ExtractYear(f"{p}received_at") - F(f"{p}person__birth_year")


def age_band_expression(case_prefix: str = "") -> Case:
    """The CTDC band of the annotated ``_age``; "unknown" without a year of birth."""
    whens = [When(Q(**{f"{case_prefix}person__birth_year__isnull": True}), then=Value(UNKNOWN))]
    for code, low, high in AGE_BANDS:
        if high is None:
            whens.append(When(Q(_age__gte=low), then=Value(code)))
        else:
            whens.append(When(Q(_age__gte=low, _age__lte=high), then=Value(code)))
    return Case(*whens, default=Value(UNKNOWN), output_field=CharField())


def age_band_of(age: int | None) -> str:
    """The CTDC band of an age in years; "unknown" for no age."""
    if age is None or age < 0:
        return UNKNOWN
    for code, low, high in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return code
    return UNKNOWN
