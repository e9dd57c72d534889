"""A fast proof that many components can all hold: a point well inside, made exact.

Finding the parts of a ledger that cannot hold (:meth:`nkledger.solver._Reading.find_infeasible`)
asks of a bundle of many small components whether all their claims can hold at once;
on a ledger of many independent parts the answer is nearly always yes. The general
proof of a yes (:meth:`._feasibility.Model.exact_point`: HiGHS' final basis re-solved in
rationals) costs far more than the LP. Here instead:

1. One float LP over the bundle (:class:`._implied.ImpliedLp` on the system's shared
   :class:`._implied.Numbers`) in which every inequality side is moved *inward* by a
   small margin, so that its solution, if any, lies well inside every row.
2. That solution made exact: each variable that no equality row (an aggregation, an
   identity, an exact claim) defines keeps its float value, written as a short
   decimal; each one an equality row defines (with a coefficient ±1) is computed from
   the others in exact decimal arithmetic, in dependency order.
3. Every row of the bundle checked at that point in exact decimal arithmetic, strict
   sides strictly, and every ``≥ 0`` column checked.

Passing 3 is a proof (an exact rational point satisfying every row); anything else —
no LP solution, an equality structure with no such order, an inexact operation, a row
that fails — only means "not shown here", and the caller falls back on the general
proof, so no verdict depends on this module. What is proven is the same statement as a
model of the bundle with every claim switched on: every row (structural, and every
claim's, duplicates included) holds.
"""

from __future__ import annotations

import decimal
import math
from collections.abc import Sequence
from decimal import Decimal

from ..constraints import _MINUS_ONE as _UNIT_DOWN
from ..constraints import _ONE as _UNIT
from ..constraints import Row, System
from ._implied import ImpliedLp, Numbers

__all__ = ["holds"]

_MARGIN = 1e-7  # each inequality side moved inward by this many scale units (at most)
# wide enough that no sum or product below rounds; one that would raises Inexact instead
_EXACT = decimal.Context(prec=90, traps=[decimal.Inexact, decimal.InvalidOperation,
                                         decimal.Overflow, decimal.Rounded])
_ONE = Decimal(1)
_MINUS_ONE = Decimal(-1)
_ZERO = Decimal(0)


def holds(numbers: Numbers, components: Sequence[int], *,
          kept: list[ImpliedLp] | None = None) -> bool:
    """Whether every row of *components* is shown to hold at one exact point.

    False means only that this quick proof did not succeed (see the module docstring).
    When it succeeds and *kept* is a list, the LP is appended to it (solved, with its
    rows moved inward): :meth:`._implied.ImpliedLp.for_figures` makes it the
    implied-figure LP of the same components.
    """
    import highspy
    import numpy as np

    system = numbers.system
    lp = ImpliedLp(numbers, components, presolve=True)
    low, high = lp.low.copy(), lp.high.copy()
    finite_low, finite_high = np.isfinite(low), np.isfinite(high)
    width = np.where(finite_low & finite_high, high - low, math.inf)
    inner = width > 0  # equality rows stay as they are
    shift = np.minimum(_MARGIN, width / 4)
    low = np.where(inner & finite_low, low + shift, low)
    high = np.where(inner & finite_high, high - shift, high)
    rows = np.arange(len(low), dtype=np.int32)
    lp.h.changeRowsBounds(len(rows), rows, low, high)
    lp.h.run()
    if lp.h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return False
    x = lp.h.getSolution().col_value
    variables: list[int] = []
    scales: list[int] = []
    row_ids: list[int] = []
    for k in components:
        comp = system.components[k]
        variables += comp.variables
        scales += [comp.scale.adjusted()] * len(comp.variables)
        row_ids += comp.rows
    try:
        with decimal.localcontext(_EXACT):
            shown = _exact_point_holds(system, variables, scales, x, row_ids)
    except decimal.DecimalException:
        return False
    if shown and kept is not None:
        kept.append(lp)
    return shown


def _exact_point_holds(system: System, variables: Sequence[int], scales: Sequence[int],
                       x: Sequence[float], row_ids: Sequence[int]) -> bool:
    """Step 2 and 3 of the module docstring (in the exact decimal context)."""
    rows = system.rows
    # each equality row defines one variable (coefficient ±1) not defined by another
    defines: dict[int, int] = {}  # variable -> row
    checks: list[Row] = []
    for i in row_ids:
        row = rows[i]
        if not (row.low == row.high and row.low.is_finite()):
            checks.append(row)
            continue
        if row.open_low or row.open_high:
            return False  # an empty row: nothing holds it
        pivot = next((j for j, c in row.terms if j not in defines and c == _ONE), None)
        if pivot is None:
            pivot = next((j for j, c in row.terms if j not in defines and c == _MINUS_ONE),
                         None)
        if pivot is None:
            checks.append(row)
        else:
            defines[pivot] = i
    value: dict[int, Decimal] = {}
    nonneg = [system.variables[v].nonnegative for v in variables]
    for v, e, f, pos in zip(variables, scales, x, nonneg, strict=True):
        if v in defines:
            continue
        if not math.isfinite(f):
            return False
        d = Decimal(repr(f)).scaleb(e) if f else _ZERO
        value[v] = _ZERO if pos and d < 0 else d
    # the defined variables, each after those its row needs (depth first, no cycles)
    state: dict[int, int] = {}  # variable -> 1 while being defined, 2 when done
    for start in defines:
        if start in value:
            continue
        stack = [start]
        while stack:
            v = stack[-1]
            if v in value:
                stack.pop()
                continue
            state[v] = 1
            row = rows[defines[v]]
            waiting = [j for j, _ in row.terms if j != v and j not in value]
            if waiting:
                for j in waiting:
                    if state.get(j) == 1 or j not in defines:
                        return False  # the equality rows define each other in a cycle
                    stack.append(j)
                continue
            total = row.low
            coef = _ONE
            for j, c in row.terms:
                if j == v:
                    coef = c
                elif c is _UNIT:  # the compiler's ±1 (most coefficients): no product
                    total -= value[j]
                elif c is _UNIT_DOWN:
                    total += value[j]
                else:
                    total -= c * value[j]
            value[v] = total if coef == _ONE else -total
            state[v] = 2
            stack.pop()
    for v, pos in zip(variables, nonneg, strict=True):
        if pos and value[v] < 0:
            return False
    for row in checks:
        terms = row.terms
        if len(terms) == 1 and terms[0][1] == _ONE:  # a level: its variable's value
            total = value[terms[0][0]]
        else:
            total = _ZERO
            for j, c in terms:
                if c is _UNIT:
                    total += value[j]
                elif c is _UNIT_DOWN:
                    total -= value[j]
                else:
                    total += c * value[j]
        if row.open_low:
            if not total > row.low:
                return False
        elif total < row.low:
            return False
        if row.open_high:
            if not total < row.high:
                return False
        elif total > row.high:
            return False
    return True
