"""Small-cell suppression (SPEC C12; standards/README.md §2.4: k = 11 as CTDC used).

A table is published with its margins: a value for each row and column and, where they add
up, row totals, column totals and the grand total. A cell with 1 to k-1 cases is suppressed
(primary suppression). Suppressing it alone is not enough: with the totals published, a single
hidden cell in a row is the total minus the others. So cells are suppressed until no hidden
value can be worked out from the published ones (secondary suppression).

The test for "can be worked out" is exact. Write the table with its margins as a grid and
negate the margins (the grand total keeps its sign): then every row and every column of the
grid sums to zero. The hidden cells are the unknowns; seen as edges of the bipartite graph of
rows and columns, their values are fixed by the published ones exactly when the edge lies on
no cycle (the solutions differ by circulations, and circulations live on cycles). So the
hidden cells are made safe by removing every bridge of that graph: a bridge gets a rectangle
of three more hidden cells, chosen as small as possible, which puts it on a cycle. Adding
hidden cells never makes another hidden cell recoverable, so this ends.

Zero cells are published: a zero says that nobody has the property and reveals no one. They
are not used to protect other cells either, unless nothing else is left.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings

# Shown in place of a suppressed value in every output.
SUPPRESSED = "[c]"


def minimum_cell() -> int:
    """k: the smallest count published, from settings (REINTEGRA_STATS_MIN_CELL)."""
    return max(1, int(getattr(settings, "REINTEGRA_STATS_MIN_CELL", 11)))


def _primary(value: int, k: int) -> bool:
    return 0 < value < k


def _bridges(nodes: int, edges: list[tuple[int, int]]) -> set[int]:
    """Indexes of the edges that lie on no cycle (Tarjan, iterative; parallel-edge safe)."""
    adjacency: list[list[tuple[int, int]]] = [[] for _ in range(nodes)]
    for index, (a, b) in enumerate(edges):
        adjacency[a].append((b, index))
        adjacency[b].append((a, index))
    order = [-1] * nodes
    low = [0] * nodes
    bridges: set[int] = set()
    counter = 0
    for root in range(nodes):
        if order[root] != -1:
            continue
        order[root] = low[root] = counter
        counter += 1
        stack: list[tuple[int, int, int]] = [(root, -1, 0)]
        while stack:
            node, via, position = stack[-1]
            if position < len(adjacency[node]):
                stack[-1] = (node, via, position + 1)
                neighbour, edge = adjacency[node][position]
                if edge == via:
                    continue
                if order[neighbour] == -1:
                    order[neighbour] = low[neighbour] = counter
                    counter += 1
                    stack.append((neighbour, edge, 0))
                else:
                    low[node] = min(low[node], order[neighbour])
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        bridges.add(via)
    return bridges


def suppress_grid(grid: Sequence[Sequence[int]], k: int) -> list[list[bool]]:
    """The hidden cells of ``grid``, which includes its margins: the last column holds the
    row totals, the last row the column totals and the grand total is at the bottom right.
    Every row and column of the body must add up to its margin."""
    rows = len(grid)
    cols = len(grid[0]) if rows else 0
    hidden = [[_primary(grid[r][c], k) for c in range(cols)] for r in range(rows)]
    if k <= 1 or rows < 2 or cols < 2:
        return hidden

    def cost(r: int, c: int) -> tuple[int, int]:
        # Prefer body cells over margins, then the smallest value: the least information lost.
        # A zero is the last resort: hiding it protects little, since a reader who knows the
        # category is rare will assume it is still zero.
        if grid[r][c] == 0:
            return (4, 0)
        margin = (r == rows - 1) + (c == cols - 1)
        return (margin, grid[r][c])

    while True:
        edges = [(r, rows + c) for r in range(rows) for c in range(cols) if hidden[r][c]]
        bridges = _bridges(rows + cols, edges)
        if not bridges:
            return hidden
        r, c = edges[min(bridges)][0], edges[min(bridges)][1] - rows
        best: tuple[tuple[int, int], int, int] | None = None
        for r2 in range(rows):
            if r2 == r:
                continue
            for c2 in range(cols):
                if c2 == c:
                    continue
                extra = [(r, c2), (r2, c), (r2, c2)]
                score = (0, 0)
                for cell in extra:
                    if not hidden[cell[0]][cell[1]]:
                        part = cost(*cell)
                        score = (score[0] + part[0], score[1] + part[1])
                if best is None or score < best[0]:
                    best = (score, r2, c2)
        assert best is not None
        _, r2, c2 = best
        hidden[r][c2] = hidden[r2][c] = hidden[r2][c2] = True


@dataclass
class Table:
    """One published table: labelled rows and columns of counts, with margins where they add
    up. ``additive_rows`` says the columns of a row add up to a row total (mutually exclusive
    columns); ``additive_columns`` that the rows add up to a column total (each case in one
    row). Tables whose rows overlap (a case with two forms of exploitation) publish no
    column totals, and their cells are suppressed on their own."""

    key: str
    title: str
    row_label: str
    rows: list[tuple[str, str]]  # (code, label)
    columns: list[tuple[str, str]]
    counts: dict[tuple[str, str], int]
    additive_rows: bool = True
    additive_columns: bool = True
    # Amounts (sums of money) that share the suppression of the counts of the same cell.
    amounts: dict[tuple[str, str], float] = field(default_factory=dict)
    note: str = ""
    # Filled by ``suppress``.
    hidden: set[tuple[str, str]] = field(default_factory=set)
    k: int = 0

    ROW_TOTAL = "__total__"

    def value(self, row: str, column: str) -> int:
        if row == self.ROW_TOTAL and column == self.ROW_TOTAL:
            return sum(self.counts.get((r, c), 0) for r, _ in self.rows for c, _ in self.columns)
        if row == self.ROW_TOTAL:
            return sum(self.counts.get((r, column), 0) for r, _ in self.rows)
        if column == self.ROW_TOTAL:
            return sum(self.counts.get((row, c), 0) for c, _ in self.columns)
        return self.counts.get((row, column), 0)

    def suppress(self, k: int) -> Table:
        """Decide the hidden cells (primary and secondary) for ``k``; returns self."""
        self.k = k
        self.hidden = set()
        row_keys = [r for r, _ in self.rows]
        col_keys = [c for c, _ in self.columns]
        if self.additive_rows and self.additive_columns:
            self._suppress_block(row_keys, col_keys, k, both=True)
        elif self.additive_columns:
            # Each column with its total is a table of its own.
            for column in col_keys:
                self._suppress_block(row_keys, [column], k, both=False)
        elif self.additive_rows:
            for row in row_keys:
                self._suppress_block([row], col_keys, k, both=False, transpose=True)
        else:
            for r in row_keys:
                for c in col_keys:
                    if _primary(self.value(r, c), k):
                        self.hidden.add((r, c))
        return self

    def _suppress_block(
        self,
        row_keys: list[str],
        col_keys: list[str],
        k: int,
        *,
        both: bool,
        transpose: bool = False,
    ) -> None:
        total = self.ROW_TOTAL
        if both:
            grid_rows = [*row_keys, total]
            grid_cols = [*col_keys, total]
        elif transpose:
            # One row with its row total: as a column of cells with the total below it, and
            # the same numbers again beside it (a one-column table's row totals).
            grid_rows = [*col_keys, total]
            grid_cols = ["v", "t"]
        else:
            grid_rows = [*row_keys, total]
            grid_cols = ["v", "t"]

        def at(r: str, c: str) -> int:
            if both:
                return self.value(r, c)
            if transpose:
                return self.value(row_keys[0], r)
            return self.value(r, col_keys[0])

        grid = [[at(r, c) for c in grid_cols] for r in grid_rows]
        mask = suppress_grid(grid, k)
        for i, r in enumerate(grid_rows):
            for j, c in enumerate(grid_cols):
                if not mask[i][j]:
                    continue
                if both:
                    self.hidden.add((r, c))
                elif transpose:
                    self.hidden.add((row_keys[0], r))
                else:
                    self.hidden.add((r, col_keys[0]))

    def shown(self, row: str, column: str) -> int | None:
        """The published value, or None where suppressed."""
        if (row, column) in self.hidden:
            return None
        return self.value(row, column)

    def shown_amount(self, row: str, column: str) -> float | None:
        if (row, column) in self.hidden:
            return None
        if row == self.ROW_TOTAL or column == self.ROW_TOTAL:
            return sum(
                amount
                for (r, c), amount in self.amounts.items()
                if (row == self.ROW_TOTAL or r == row) and (column == self.ROW_TOTAL or c == column)
            )
        return self.amounts.get((row, column), 0.0)

    @property
    def has_row_totals(self) -> bool:
        return self.additive_rows and len(self.columns) > 1

    @property
    def has_column_totals(self) -> bool:
        return self.additive_columns

    def published(self) -> dict[str, object]:
        """The table as data, every suppressed value already replaced by None."""
        total = self.ROW_TOTAL
        body = []
        for code, label in self.rows:
            cells = {c: self.shown(code, c) for c, _ in self.columns}
            row: dict[str, object] = {"code": code, "label": str(label), "cells": cells}
            if self.has_row_totals:
                row["total"] = self.shown(code, total)
            if self.amounts:
                row["amounts"] = {c: self.shown_amount(code, c) for c, _ in self.columns}
            body.append(row)
        out: dict[str, object] = {
            "key": self.key,
            "title": str(self.title),
            "row_label": str(self.row_label),
            "columns": [{"code": c, "label": str(label)} for c, label in self.columns],
            "rows": body,
            "note": str(self.note),
        }
        if self.has_column_totals:
            out["totals"] = {c: self.shown(total, c) for c, _ in self.columns}
            if self.has_row_totals:
                out["grand_total"] = self.shown(total, total)
            if self.amounts:
                out["total_amounts"] = {c: self.shown_amount(total, c) for c, _ in self.columns}
        return out
