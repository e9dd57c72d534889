"""Exact certificates: every verdict the solver hands out is checked here in rationals.

HiGHS works in floats; nothing it says reaches a user until this module has checked it
with :class:`fractions.Fraction` on the ledger's own Decimal coefficients and bounds:

- *a set of claims can hold*: an exact point. HiGHS' final basis names which rows and
  columns sit at a bound; the square system they form is solved here in rationals
  (:func:`solve`, sparse elimination, fewest terms first — the rows of a ledger are
  nearly triangular), and the point is checked against every row, strict sides strictly;
- *a set of claims cannot hold*: a Farkas certificate. A multiplier per row (HiGHS' dual
  ray or the duals of the "largest margin" LP), made exact on its support
  (:func:`exact_ray`), so that the combination of rows cancels on every free column and
  is ``≤ 0`` on every ``≥ 0`` column, while the combination of bounds is ``> 0`` — or
  ``= 0`` with a strict row in it, which is how "rose 0.1 %" and "fell 0.1 %" of an
  unknown positive base are refuted exactly (:func:`refutes`).

Nothing here trusts a float: a float only proposes, and a proposal that fails the exact
check is discarded.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

import attrs

from .._lifetime import WhileAlive
from ..constraints import Row

__all__ = ["ExactRow", "exact_ray", "exact_row", "refutes", "satisfies", "solve"]

_ZERO = Fraction(0)


@attrs.frozen(kw_only=True)
class ExactRow:
    """``low ≤ Σ coef·x ≤ high`` in rationals; None for an infinite side."""

    terms: tuple[tuple[int, Fraction], ...]
    low: Fraction | None
    high: Fraction | None
    open_low: bool
    open_high: bool

    def value(self, point: Mapping[int, Fraction]) -> Fraction:
        """``Σ coef·x`` at *point* (missing variables are zero)."""
        return sum((c * point.get(j, _ZERO) for j, c in self.terms), _ZERO)

    def holds(self, point: Mapping[int, Fraction]) -> bool:
        """Whether *point* satisfies the row, strict sides strictly."""
        v = self.value(point)
        if self.low is not None and (v < self.low or (self.open_low and v == self.low)):
            return False
        return not (self.high is not None
                    and (v > self.high or (self.open_high and v == self.high)))


def _fraction(d: Decimal) -> Fraction | None:
    return Fraction(d) if d.is_finite() else None


#: Each row's exact form, while the row lives (readings share most rows; a process
#: that checks ledger after ledger keeps only the rows of the systems still alive).
_CACHE: WhileAlive[Row, ExactRow] = WhileAlive()


def exact_row(row: Row) -> ExactRow:
    """*row* in rationals (cached per row object: readings share most rows)."""
    hit = _CACHE.get(row)
    if hit is not None:
        return hit
    return _CACHE.put(row, ExactRow(terms=tuple((j, Fraction(c)) for j, c in row.terms),
                                    low=_fraction(row.low), high=_fraction(row.high),
                                    open_low=row.open_low, open_high=row.open_high))


def satisfies(point: Mapping[int, Fraction], rows: Iterable[ExactRow],
              nonnegative: Iterable[int]) -> bool:
    """Whether *point* satisfies every row and is ``≥ 0`` on every *nonnegative* column."""
    if any(point.get(j, _ZERO) < 0 for j in nonnegative):
        return False
    return all(r.holds(point) for r in rows)


def refutes(rows: Sequence[ExactRow], y: Sequence[Fraction], free: set[int]) -> bool:
    """Whether multipliers *y* prove that *rows* cannot all hold (Farkas, with strict rows).

    ``y[i] > 0`` uses row *i*'s lower side, ``y[i] < 0`` its upper side (which must be
    finite). Columns are ``≥ 0`` unless in *free*. Summing ``y[i]·row_i`` gives
    ``z·x ≥ β`` (``>`` if a strict side has a nonzero multiplier); where ``z ≤ 0`` on the
    ``≥ 0`` columns and ``z = 0`` on the free ones, ``z·x ≤ 0`` for every admissible
    *x*, so ``β > 0``, or ``β = 0`` with a strict side, is a contradiction.
    """
    z: dict[int, Fraction] = {}
    beta = _ZERO
    strict = False
    for row, m in zip(rows, y, strict=True):
        if m == 0:
            continue
        if m > 0:
            if row.low is None:
                return False
            beta += m * row.low
            strict = strict or row.open_low
        else:
            if row.high is None:
                return False
            beta += m * row.high
            strict = strict or row.open_high
        for j, c in row.terms:
            z[j] = z.get(j, _ZERO) + m * c
    for j, v in z.items():
        if v > 0 or (v != 0 and j in free):
            return False
    return beta > 0 or (beta == 0 and strict)


def exact_ray(rows: Sequence[ExactRow], y: Sequence[float], free: set[int]
              ) -> list[Fraction] | None:
    """Exact multipliers near the float ones *y* that satisfy :func:`refutes`, or None.

    The float multipliers fix the support and the signs; the exact ones must cancel on
    every column where the float combination is nearly zero. That is a homogeneous
    system on the support, solved exactly with the largest multiplier fixed; a
    multiplier the system leaves free keeps its float value, as a fraction.
    """
    big = max((abs(v) for v in y), default=0.0)
    if not big > 0:
        return None
    support = [i for i, v in enumerate(y) if abs(v) > 1e-9 * big]
    # the combination, column by column, in floats: which columns must cancel
    zf: dict[int, float] = {}
    zscale: dict[int, float] = {}
    for i in support:
        for j, c in rows[i].terms:
            zf[j] = zf.get(j, 0.0) + y[i] * float(c)
            zscale[j] = max(zscale.get(j, 0.0), abs(y[i] * float(c)))
    tight = [j for j, v in zf.items() if j in free or abs(v) <= 1e-7 * zscale[j]]
    position = {i: k for k, i in enumerate(support)}
    eqs: list[dict[int, Fraction]] = [{} for _ in tight]
    where = {j: k for k, j in enumerate(tight)}
    for i in support:
        for j, c in rows[i].terms:
            k = where.get(j)
            if k is not None:
                eqs[k][position[i]] = eqs[k].get(position[i], _ZERO) + c
    lead = max(support, key=lambda i: abs(y[i]))
    eqs.append({position[lead]: Fraction(1)})
    rhs = [_ZERO] * len(tight) + [Fraction(1) if y[lead] > 0 else Fraction(-1)]
    guess = {position[i]: Fraction(y[i] / abs(y[lead])).limit_denominator(10**12)
             for i in support}
    values = solve(eqs, rhs, guess)
    if values is None:
        return None
    out = [_ZERO] * len(rows)
    for i in support:
        v = values.get(position[i], _ZERO)
        if v != 0 and (v > 0) != (y[i] > 0):
            return None  # the exact multiplier would use the other side
        out[i] = v
    return out if refutes(rows, out, free) else None


def solve(eqs: Sequence[Mapping[int, Fraction]], rhs: Sequence[Fraction],
          guess: Callable[[int], Fraction] | Mapping[int, Fraction] | None = None
          ) -> dict[int, Fraction] | None:
    """A solution of ``Σ eqs[i][j]·x_j = rhs[i]`` in rationals, or None if there is none.

    Sparse Gaussian elimination, always on an equation with the fewest unknowns left
    (a ledger's rows are nearly triangular, so most steps are substitutions). Unknowns
    the equations leave free take their value from *guess* (zero when absent).
    """
    work: list[dict[int, Fraction]] = [dict(e) for e in eqs]
    b = list(rhs)
    holders: dict[int, set[int]] = {}
    for i, e in enumerate(work):
        for j in list(e):
            if e[j] == 0:
                del e[j]
            else:
                holders.setdefault(j, set()).add(i)
    alive = set(range(len(work)))
    heap = [(len(e), i) for i, e in enumerate(work)]
    heapq.heapify(heap)
    steps: list[tuple[int, dict[int, Fraction], Fraction]] = []
    while heap:
        n, i = heapq.heappop(heap)
        if i not in alive or n != len(work[i]):
            continue
        alive.discard(i)
        e = work[i]
        if not e:
            if b[i] != 0:
                return None
            continue
        # the unknown that appears in the fewest other equations: the least fill
        p = min(e, key=lambda j: (len(holders[j]), j))
        a = e[p]
        # a ledger's coefficients are mostly ±1: those need no product or quotient
        unit = 1 if a == 1 else -1 if a == -1 else 0
        for j in e:
            holders[j].discard(i)
        for k in list(holders[p]):
            f = work[k]
            factor = f.pop(p)
            if unit != 1:
                factor = -factor if unit else factor / a
            holders[p].discard(k)
            for j, c in e.items():
                if j == p:
                    continue
                v = f.get(j, _ZERO) - (factor if c == 1 else -factor if c == -1
                                       else factor * c)
                if v == 0:
                    if j in f:
                        del f[j]
                        holders[j].discard(k)
                else:
                    if j not in f:
                        holders.setdefault(j, set()).add(k)
                    f[j] = v
            b[k] -= factor * b[i]
            heapq.heappush(heap, (len(f), k))
        steps.append((p, e, b[i]))
    x: dict[int, Fraction] = {}
    fixed = {p for p, _, _ in steps}
    known: Callable[[int], Fraction] = (
        (lambda j: _ZERO) if guess is None
        else (lambda j, g=guess: g.get(j, _ZERO)) if isinstance(guess, Mapping)  # type: ignore[misc]
        else guess)
    for p, e, bi in reversed(steps):
        total = bi
        a = e[p]
        for j, c in e.items():
            if j != p:
                if j not in x:
                    x[j] = known(j) if j not in fixed else _ZERO
                if c == 1:
                    total -= x[j]
                elif c == -1:
                    total += x[j]
                else:
                    total -= c * x[j]
        x[p] = total if a == 1 else -total if a == -1 else total / a
    return x
