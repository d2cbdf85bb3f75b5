"""Small-cell suppression: primary cells, and no hidden value recoverable from the margins."""

from __future__ import annotations

import itertools
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from reports.suppression import Table, suppress_grid


def _with_margins(body: list[list[int]]) -> list[list[int]]:
    rows = [[*row, sum(row)] for row in body]
    totals = [sum(column) for column in zip(*rows, strict=True)]
    return [*rows, totals]


def _determined(grid: list[list[int]], hidden: list[list[bool]]) -> set[tuple[int, int]]:
    """Hidden cells whose value follows from the published cells, by exact linear algebra on
    every row and column equation of the table with its margins."""
    rows, cols = len(grid), len(grid[0])
    unknowns = [(r, c) for r in range(rows) for c in range(cols) if hidden[r][c]]
    if not unknowns:
        return set()
    index = {cell: i for i, cell in enumerate(unknowns)}
    equations: list[list[Fraction]] = []

    def sign(r: int, c: int) -> int:
        # Body +1, margins -1, grand total +1: every row and column then sums to zero.
        return -1 if (r == rows - 1) != (c == cols - 1) else 1

    lines = [[(r, c) for c in range(cols)] for r in range(rows)]
    lines += [[(r, c) for r in range(rows)] for c in range(cols)]
    for line in lines:
        coefficients = [Fraction(0)] * (len(unknowns) + 1)
        for r, c in line:
            if hidden[r][c]:
                coefficients[index[(r, c)]] += sign(r, c)
            else:
                coefficients[-1] -= sign(r, c) * grid[r][c]
        equations.append(coefficients)
    # Row-reduce; a variable is determined when a reduced row has it as its only unknown.
    pivot_rows: list[list[Fraction]] = []
    for column in range(len(unknowns)):
        pivot = next((e for e in equations if e[column] != 0), None)
        if pivot is None:
            continue
        equations.remove(pivot)
        pivot = [value / pivot[column] for value in pivot]
        equations = [[a - e[column] * b for a, b in zip(e, pivot, strict=True)] for e in equations]
        pivot_rows = [
            [a - p[column] * b for a, b in zip(p, pivot, strict=True)] for p in pivot_rows
        ]
        pivot_rows.append(pivot)
    determined = set()
    for row in pivot_rows:
        nonzero = [i for i, value in enumerate(row[:-1]) if value != 0]
        if len(nonzero) == 1:
            determined.add(unknowns[nonzero[0]])
    return determined


def test_a_small_cell_is_hidden_with_a_complement() -> None:
    grid = _with_margins([[12, 3], [20, 25]])
    hidden = suppress_grid(grid, 11)
    assert hidden[0][1]
    assert sum(hidden[0]) >= 2 and sum(row[1] for row in hidden) >= 2
    assert _determined(grid, hidden) == set()


def test_nothing_hidden_when_every_cell_reaches_k() -> None:
    grid = _with_margins([[12, 30], [20, 25]])
    assert not any(itertools.chain.from_iterable(suppress_grid(grid, 11)))


def test_k_one_hides_nothing() -> None:
    grid = _with_margins([[1, 2], [3, 0]])
    assert not any(itertools.chain.from_iterable(suppress_grid(grid, 1)))


def test_zero_is_published() -> None:
    grid = _with_margins([[0, 40], [20, 25]])
    assert not any(itertools.chain.from_iterable(suppress_grid(grid, 11)))


def test_one_dimensional_list_with_total() -> None:
    table = Table(
        key="t",
        title="t",
        row_label="r",
        rows=[("a", "a"), ("b", "b"), ("c", "c")],
        columns=[("n", "n")],
        counts={("a", "n"): 3, ("b", "n"): 40, ("c", "n"): 50},
    ).suppress(11)
    assert table.shown("a", "n") is None
    # The total minus the others would give a: one more value goes.
    shown = [table.shown(r, "n") for r in ("b", "c", Table.ROW_TOTAL)]
    assert shown.count(None) >= 1


@settings(max_examples=150, deadline=None)
@given(
    st.integers(min_value=2, max_value=5).flatmap(
        lambda rows: st.integers(min_value=2, max_value=5).flatmap(
            lambda cols: st.lists(
                st.lists(st.integers(min_value=0, max_value=30), min_size=cols, max_size=cols),
                min_size=rows,
                max_size=rows,
            )
        )
    ),
    st.integers(min_value=2, max_value=15),
)
def test_no_hidden_cell_can_be_worked_out(body: list[list[int]], k: int) -> None:
    grid = _with_margins(body)
    hidden = suppress_grid(grid, k)
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if 0 < value < k:
                assert hidden[r][c], (r, c)
    assert _determined(grid, hidden) == set()
