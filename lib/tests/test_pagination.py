"""Keyset pages: every row once, in order, forwards and backwards; the last page directly."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from cases.models import Case
from lib.pagination import capped_count, decode_cursor, encode_cursor, keyset_page

ORDER = ("-received_at", "-id")
pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(actors: Any, settings: Any, tmp_path: Any) -> list[int]:
    settings.MEDIA_ROOT = tmp_path
    call_command("generate_synthetic", "--cases", "40", "--seed", "2", stdout=StringIO())
    # Ties on the leading field: the cursor's second field must break them.
    Case.objects.filter(pk__in=list(Case.objects.values_list("pk", flat=True)[:15])).update(
        received_at=datetime.date(2025, 5, 1)
    )
    return list(Case.objects.order_by(*ORDER).values_list("pk", flat=True))


def test_forward_visits_every_row_once_in_order(cases: list[int]) -> None:
    seen: list[int] = []
    after = None
    while True:
        page = keyset_page(Case.objects.all(), ordering=ORDER, size=7, after=after)
        seen += [c.pk for c in page]
        if not page.has_next:
            assert page.is_last
            break
        after = page.next_cursor
    assert seen == cases


def test_backward_from_the_last_page(cases: list[int]) -> None:
    page = keyset_page(Case.objects.all(), ordering=ORDER, size=7, last=True)
    assert [c.pk for c in page] == cases[-7:]
    assert page.has_previous and not page.has_next
    seen = [c.pk for c in page]
    while page.has_previous:
        page = keyset_page(Case.objects.all(), ordering=ORDER, size=7, before=page.previous_cursor)
        seen = [c.pk for c in page] + seen
    assert seen == cases


def test_bad_cursor_gives_the_first_page(cases: list[int]) -> None:
    for cursor in ["x", "2025-13-01~5", "2025-01-01", "2025-01-01~" + "9" * 40]:
        page = keyset_page(Case.objects.all(), ordering=ORDER, size=5, after=cursor)
        assert [c.pk for c in page] == cases[:5]


def test_cursor_round_trip_and_capped_count(cases: list[int]) -> None:
    row = Case.objects.get(pk=cases[3])
    assert decode_cursor(Case, ORDER, encode_cursor(row, ORDER)) == [row.received_at, row.pk]
    assert capped_count(Case.objects.all(), cap=10) == (10, True)
    assert capped_count(Case.objects.all(), cap=1000) == (len(cases), False)
