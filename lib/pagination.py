"""Keyset pagination with a capped count, for lists that grow with the case load (SPEC §5).

``Paginator`` answers page N with ``OFFSET (N-1)*size`` (the database reads and drops every
row before the page) and a full ``COUNT(*)``; at 100,000 cases the last page of a large
organisation costs hundreds of milliseconds. Here a page is addressed by the sort key of the
row next to it (``?after=`` / ``?before=``, or ``?page=last``), which the index serving the
sort reaches directly, and the total is counted only up to ``count_cap`` rows ("more than
1,000"). The first, next, previous and last pages all cost the same whatever their depth.

The ordering must end with a unique field (``("-received_at", "-id")``) so that every row has
one place; the cursor is the row's values of the ordering fields, readable in the URL (the
same values the page shows).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet

T = TypeVar("T", bound=Model)

COUNT_CAP = 1000
SEPARATOR = "~"


@dataclass
class KeysetPage(Generic[T]):
    items: list[T]
    has_next: bool
    has_previous: bool
    next_cursor: str
    previous_cursor: str
    # Rows in the whole list, counted up to ``count_cap``; ``count_capped`` when there are more.
    count: int
    count_capped: bool
    is_last: bool = False

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def object_list(self) -> list[T]:
        """The rows of the page, as Django's ``Page`` names them."""
        return self.items

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous


def capped_count(queryset: QuerySet[Any], cap: int = COUNT_CAP) -> tuple[int, bool]:
    """The number of rows up to ``cap``, and whether there are more: the database stops
    counting at ``cap + 1`` instead of visiting every match."""
    counted = queryset.order_by().values("pk")[: cap + 1].count()
    return min(counted, cap), counted > cap


def _fields(ordering: Sequence[str]) -> list[tuple[str, bool]]:
    return [(name.lstrip("-"), name.startswith("-")) for name in ordering]


def encode_cursor(row: Model, ordering: Sequence[str]) -> str:
    values = []
    for name, _descending in _fields(ordering):
        value = getattr(row, name)
        values.append(value.isoformat() if hasattr(value, "isoformat") else str(value))
    return SEPARATOR.join(values)


def decode_cursor(model: type[Model], ordering: Sequence[str], cursor: str) -> list[Any] | None:
    """The ordering values in ``cursor``, or None when it is not one this list produced."""
    parts = cursor.split(SEPARATOR)
    fields = _fields(ordering)
    if len(parts) != len(fields):
        return None
    values = []
    for (name, _descending), part in zip(fields, parts, strict=True):
        field = model._meta.get_field("id" if name == "pk" else name)
        try:
            value = field.to_python(part)  # type: ignore[union-attr]
        except (ValidationError, ValueError, OverflowError):
            return None
        if isinstance(value, int) and not -(2**63) <= value < 2**63:
            return None  # beyond any database integer: not a row of this list
        values.append(value)
    return values


def _beyond(ordering: Sequence[str], values: list[Any], *, forward: bool) -> Q:
    """Rows after (``forward``) or before the cursor in ``ordering``: a bound on the leading
    field that its index can seek to, and the exact tuple comparison for ties."""
    fields = _fields(ordering)
    condition = Q()
    for depth in range(len(fields) - 1, -1, -1):
        name, descending = fields[depth]
        strict = "lt" if descending == forward else "gt"
        step = Q(**{f"{name}__{strict}": values[depth]})
        if depth < len(fields) - 1:
            step |= Q(**{name: values[depth]}) & condition
        condition = step
    lead, descending = fields[0]
    seek = Q(**{f"{lead}__{'lte' if descending == forward else 'gte'}": values[0]})
    return seek & condition


def _reverse(ordering: Sequence[str]) -> list[str]:
    return [name[1:] if name.startswith("-") else f"-{name}" for name in ordering]


def keyset_page(
    queryset: QuerySet[T],
    *,
    ordering: Sequence[str],
    size: int,
    after: str | None = None,
    before: str | None = None,
    last: bool = False,
    count_cap: int = COUNT_CAP,
) -> KeysetPage[T]:
    """One page of ``queryset`` in ``ordering``: the first, the one after/before a cursor, or
    the last. An unreadable cursor gives the first page."""
    model = queryset.model
    count, count_capped = capped_count(queryset, count_cap)
    after_values = decode_cursor(model, ordering, after) if after else None
    before_values = decode_cursor(model, ordering, before) if before else None
    if before_values is not None or last:
        rows = queryset
        if before_values is not None:
            rows = rows.filter(_beyond(ordering, before_values, forward=False))
        items = list(rows.order_by(*_reverse(ordering))[: size + 1])
        has_previous = len(items) > size
        items = list(reversed(items[:size]))
        has_next = before_values is not None
        is_last = before_values is None
    else:
        rows = queryset
        if after_values is not None:
            rows = rows.filter(_beyond(ordering, after_values, forward=True))
        items = list(rows.order_by(*ordering)[: size + 1])
        has_next = len(items) > size
        items = items[:size]
        has_previous = after_values is not None
        is_last = not has_next
    return KeysetPage(
        items=items,
        has_next=has_next,
        has_previous=has_previous,
        next_cursor=encode_cursor(items[-1], ordering) if items and has_next else "",
        previous_cursor=encode_cursor(items[0], ordering) if items and has_previous else "",
        count=count,
        count_capped=count_capped,
        is_last=is_last,
    )
