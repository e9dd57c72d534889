"""Can these claims all hold? One reading's rows as a scaled LP, answered exactly.

A :class:`Model` holds the rows of some components of a compiled
:class:`~nkledger.constraints.System` as one HiGHS LP whose claims (one representative
per group of claims with identical rows) are switched on and off. :meth:`Model.solve`
answers with a :class:`Verdict` that is proven before anyone relies on it: an exact point
(HiGHS' final basis re-solved in rationals) or an exact Farkas certificate
(:mod:`._exact`).

Scaling, at the root
    Floats are well conditioned only when every number is near 1. Each *column* is
    scaled by a power of ten from the figures that touch it (a $472 item month and a
    $148bn year are each near 1 in their own units), and each *row* by the power of ten
    of its largest scaled coefficient. Tolerances (1e-9) are then relative to each row.

Strict inequalities
    A strict side (``"rose"``, ``prior > 0``) is ``a·x ≥ l + t`` with one margin column
    ``t ∈ [0, 1]`` (in each row's own units) that the LP maximises: the claims hold
    with their strict sides exactly when the largest margin is positive. A largest margin
    of zero comes with duals that are an exact certificate that no positive margin
    exists — homogeneous systems ("rose 0.1 %" and "fell 0.1 %" of an unknown positive
    base) included, with no δ at all.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

from ..constraints import System
from ._exact import ExactRow, exact_ray, exact_row, solve
from ._highs import highs, pass_lp

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["Model", "Verdict"]

_TOL = 1e-9     # primal/dual feasibility tolerance, relative to each row
_MARGIN = 1e-9  # a largest margin at or below this is taken for zero (then proven)
_T = -1         # the margin column's key in exact points

_F0, _F1 = Fraction(0), Fraction(1)  # shared (fractions are immutable)
_TENS: dict[int, Fraction] = {}


def _ten(exponent: int) -> Fraction:
    """``Fraction(10) ** exponent``, made once per exponent."""
    found = _TENS.get(exponent)
    if found is None:
        found = _TENS[exponent] = Fraction(10) ** exponent
    return found

# HighsBasisStatus values
_LOWER, _BASIC, _UPPER, _ZERO = 0, 1, 2, 3


@attrs.define(eq=False)
class Verdict:
    """What one solve found: whether the claims switched on can hold, and the proof.

    ``feasible`` is None when HiGHS gave no usable answer. ``proven`` says the answer is
    certified exactly (an exact point for *can*, a certificate for *cannot*; the point
    of a *can* is computed on first use of :meth:`point`). ``support`` is, for a
    *cannot*, the claims (representatives) whose rows the certificate uses: they alone
    cannot hold.
    """

    feasible: bool | None
    proven: bool
    support: frozenset[str] = frozenset()
    _basis: tuple[Any, ...] | None = None
    _model: Model | None = None
    _point: dict[int, Fraction] | None = None

    def point(self) -> dict[int, Fraction] | None:
        """An exact point satisfying every row in force at the solve, or None."""
        if self._point is None and self._basis is not None and self._model is not None:
            self._point = self._model.exact_point(*self._basis)
            self.proven = self._point is not None
            self._basis = None
        return self._point


class Model:
    """The rows of *components* of *system* as one scaled HiGHS LP.

    ``rep`` maps every claim to the representative of its group (claims with identical
    rows under every reading); only representatives' rows are in the model and only
    representatives are switched. With ``elastic`` every claim row gets slack columns
    costing the claim's weight (Chinneck's elastic LP), for :meth:`least_violation`.
    """

    def __init__(self, system: System, components: Sequence[int], rep: Mapping[str, str],
                 *, elastic: Mapping[str, float] | None = None) -> None:
        import numpy as np

        self.system = system
        self.components = list(components)
        variables: list[int] = []
        sys_rows: list[int] = []
        for k in components:
            comp = system.components[k]
            variables += comp.variables
            for i in comp.rows:
                owner = system.rows[i].claim
                if owner is None or rep[owner] == owner:
                    sys_rows.append(i)
        self.variables = variables
        self.col = {v: n for n, v in enumerate(variables)}
        ncols = len(variables)
        self.ncols = ncols
        self.nonneg = [v for v in variables if system.variables[v].nonnegative]
        self.free = {v for v in variables if not system.variables[v].nonnegative}
        exps = _column_exponents(system, variables, sys_rows)
        self.exps = exps
        # model rows: (system row, side, t coefficient); a row with a strict side is split
        entries: list[tuple[int, str, int]] = []
        for i in sys_rows:
            row = system.rows[i]
            if row.open_low or row.open_high:
                if row.low.is_finite():
                    entries.append((i, "low", -1 if row.open_low else 0))
                if row.high.is_finite():
                    entries.append((i, "high", 1 if row.open_high else 0))
            else:
                entries.append((i, "both", 0))
        self.entries = entries
        self.exact: list[ExactRow] = []
        start, index, value, lows, highs_, rexp = [0], [], [], [], [], []
        strict_rows: list[int] = []
        self.group_rows: dict[str, list[int]] = {}
        for m, (i, side, tc) in enumerate(entries):
            row = system.rows[i]
            full = exact_row(row)
            if side == "both":
                self.exact.append(full)
            elif side == "low":
                self.exact.append(attrs.evolve(full, high=None, open_high=False))
            else:
                self.exact.append(attrs.evolve(full, low=None, open_low=False))
            # by the smallest term: a row tying a $472 item to a $148bn parent is held to
            # the item's precision (scaled by the largest, the item would be lost in noise)
            # (c·10^e).adjusted() is c.adjusted() + e, exactly and in any decimal context
            r = min((c.adjusted() + exps[j] for j, c in row.terms), default=0)
            rexp.append(r)
            for j, c in row.terms:
                index.append(self.col[j])
                value.append(float(c.scaleb(exps[j] - r)))
            if tc:
                index.append(ncols)
                value.append(float(tc))
                strict_rows.append(m)
            start.append(len(index))
            lo = row.low.scaleb(-r) if side != "high" and row.low.is_finite() else None
            hi = row.high.scaleb(-r) if side != "low" and row.high.is_finite() else None
            lows.append(-math.inf if lo is None else float(lo))
            highs_.append(math.inf if hi is None else float(hi))
            if row.claim is not None:
                self.group_rows.setdefault(row.claim, []).append(m)
        self.rexp = rexp
        self.strict_rows = strict_rows
        self.low = np.array(lows)
        self.high = np.array(highs_)
        self.row_claim = [system.rows[i].claim for i, _, _ in entries]
        self.claims = frozenset(self.group_rows)
        self.on: set[str] = set(self.claims)
        self.col_low = np.array([0.0 if system.variables[v].nonnegative else -math.inf
                                 for v in variables] + [0.0])
        self.col_high = np.array([math.inf] * ncols + [1.0])
        cost = np.zeros(ncols + 1)
        cost[ncols] = -1.0
        self.h = highs()
        self.h.setOptionValue("presolve", "off")
        self.h.setOptionValue("primal_feasibility_tolerance", _TOL)
        self.h.setOptionValue("dual_feasibility_tolerance", _TOL)
        pass_lp(self.h, cost, self.col_low, self.col_high, self.low, self.high,
                np.array(start, dtype=np.int32), np.array(index, dtype=np.int32),
                np.array(value, dtype=np.float64))
        self.solves = 0
        self._float_rows: _FloatRows | None = None
        self._tight: tuple[int, frozenset[int]] = (0, frozenset())
        self.elastic = elastic is not None
        if elastic is not None:
            self._add_slacks(elastic)

    # -- switching ----------------------------------------------------------------

    def switch(self, on: Collection[str]) -> None:
        """Put the rows of the claims in *on* in force, and relax every other claim's."""
        import numpy as np

        want = set(on) & self.claims
        flip = sorted(want ^ self.on)
        if not flip:
            return
        rows = np.array([m for c in flip for m in self.group_rows[c]], dtype=np.int32)
        keep = np.array([c in want for c in flip for _ in self.group_rows[c]], dtype=bool)
        low = np.where(keep, self.low[rows], -math.inf)
        high = np.where(keep, self.high[rows], math.inf)
        self.h.changeRowsBounds(len(rows), rows, low, high)
        self.on = want

    def in_force(self, on: Collection[str] | None = None) -> list[int]:
        """The model rows in force: structural ones and those of claims switched on.

        With *on*, the rows that would be in force with exactly those claims switched on.
        """
        on = self.on if on is None else on
        return [m for m, c in enumerate(self.row_claim) if c is None or c in on]

    # -- solving ------------------------------------------------------------------

    def _run(self) -> Any:
        import highspy

        self.solves += 1
        self.h.run()
        status = self.h.getModelStatus()
        if status not in (highspy.HighsModelStatus.kOptimal,
                          highspy.HighsModelStatus.kInfeasible):
            self.h.clearSolver()
            self.h.run()
            status = self.h.getModelStatus()
        return status

    def solve(self, on: Collection[str] | None = None) -> Verdict:
        """Whether the claims in *on* (default: those switched on) can all hold, proven."""
        import highspy

        if on is not None:
            self.switch(on)
        status = self._run()
        if status == highspy.HighsModelStatus.kInfeasible:
            return self._refuted(self._ray())
        if status != highspy.HighsModelStatus.kOptimal:
            return Verdict(feasible=None, proven=False)
        sol = self.h.getSolution()
        margin = sol.col_value[self.ncols]
        strict_on = any(self.row_claim[m] is None or self.row_claim[m] in self.on
                        for m in self.strict_rows)
        if strict_on and margin <= _MARGIN:
            # the largest margin is zero: its duals say why no positive margin exists
            return self._refuted(list(sol.row_dual))
        basis = self.h.getBasis()
        # the claims switched on go with the basis: the point is made (on first use)
        # from the rows in force at this solve, whatever the model is switched to later
        return Verdict(feasible=True, proven=False, basis=(
            [int(s) for s in basis.col_status], [int(s) for s in basis.row_status],
            list(sol.col_value), frozenset(self.on)), model=self)

    def _ray(self) -> list[float] | None:
        _, has, ray = self.h.getDualRay()
        if has:
            return list(ray)
        self.h.clearSolver()
        self.h.setOptionValue("simplex_strategy", 4)
        self.h.run()
        self.h.setOptionValue("simplex_strategy", 1)
        _, has, ray = self.h.getDualRay()
        return list(ray) if has else None

    def _refuted(self, y: Sequence[float] | None) -> Verdict:
        if y is None:
            return Verdict(feasible=False, proven=False)
        force = self.in_force()
        rows = [self.exact[m] for m in force]
        # the float multipliers are in each row's scaled units: back to the ledger's
        ys = [y[m] * 10.0 ** -self.rexp[m] if math.isfinite(y[m]) else 0.0 for m in force]
        for sign in (1.0, -1.0):
            exact = exact_ray(rows, [sign * v for v in ys], self.free)
            if exact is not None:
                support = frozenset(c for m, v in zip(force, exact, strict=True)
                                    if v != 0 and (c := self.row_claim[m]) is not None)
                return Verdict(feasible=False, proven=True, support=support)
        return Verdict(feasible=False, proven=False)

    def exact_point(self, col_status: Sequence[int], row_status: Sequence[int],
                    values: Sequence[float], on: Collection[str] | None = None
                    ) -> dict[int, Fraction] | None:
        """The vertex HiGHS' basis describes, solved in rationals, if it satisfies the rows.

        Nonbasic columns sit at their bounds, nonbasic rows at theirs; the basic columns
        then solve a square system (:func:`._exact.solve`). The rows of that system hold
        exactly by construction; every other row in force (with the claims in *on*
        switched on, by default those switched on now) is checked (:meth:`_broken`).
        """
        keys = [*self.variables, _T]
        fixed: dict[int, Fraction] = {}
        guesses: dict[int, float] = {}
        for n, key in enumerate(keys):
            st = col_status[n]
            if st == _BASIC:
                guesses[key] = values[n]
            elif st == _UPPER and key == _T:
                fixed[key] = _F1
            elif st == _UPPER:
                return None  # no column has a finite upper bound but the margin
            else:
                fixed[key] = _F0
        eqs: list[dict[int, Fraction]] = []
        rhs: list[Fraction] = []
        force = self.in_force(on)
        unchecked: list[int] = []
        for m in force:
            st = row_status[m]
            ex = self.exact[m]
            tc = self.entries[m][2]
            if st == _BASIC:
                unchecked.append(m)
                continue
            bound = ex.low if st == _LOWER else ex.high if st == _UPPER else _F0
            if st == _LOWER and ex.low is None:
                bound = ex.high
            if st == _UPPER and ex.high is None:
                bound = ex.low
            if bound is None:
                return None
            if st not in (_LOWER, _UPPER) or tc or ex.open_low or ex.open_high:
                unchecked.append(m)  # at zero, or strict: check it like the others
            eq: dict[int, Fraction] = {}
            b = bound
            terms: list[tuple[int, Fraction]] = list(ex.terms)
            if tc:
                terms.append((_T, Fraction(tc) * _ten(self.rexp[m])))
            for j, c in terms:
                f = fixed.get(j)
                if f is None:
                    prev = eq.get(j)
                    eq[j] = c if prev is None else prev + c
                elif f.numerator:
                    b -= c * f
            eqs.append(eq)
            rhs.append(b)

        def guess(key: int) -> Fraction:
            g = guesses.get(key, 0.0)
            return Fraction(g) * (_ten(self.exps[key]) if key != _T else 1)

        x = solve(eqs, rhs, guess)
        if x is None:
            return None
        point = {**fixed, **x}
        point.pop(_T, None)
        for v in self.variables:
            point.setdefault(v, _F0)
        if any(point[v] < 0 for v in self.nonneg):
            return None
        if self._broken(point, unchecked):
            return None
        checked = set(unchecked)
        self._tight = (id(point), frozenset(m for m in force if m not in checked))
        return point

    def _broken(self, point: Mapping[int, Fraction], rows: Sequence[int]) -> list[int]:
        """The model rows among *rows* that *point* violates, exactly.

        A float evaluation settles every row that holds or fails by more than a
        billionth of its terms' size (far beyond the float error); only the rows that
        are that close are evaluated in rationals.
        """
        import numpy as np

        if not rows:
            return []
        if self._float_rows is None:
            self._float_rows = _FloatRows(self)
        fr = self._float_rows
        x = np.array([float(point.get(v, 0)) for v in self.variables])
        idx = np.asarray(rows, dtype=np.int64)
        act, mag = fr.activity(x, idx)
        low, high = fr.low[idx], fr.high[idx]
        tol = 1e-9 * (mag + np.abs(np.where(np.isfinite(low), low, 0.0))
                      + np.abs(np.where(np.isfinite(high), high, 0.0))) + 1e-300
        with np.errstate(invalid="ignore"):
            bad_low = act - low < -tol
            bad_high = act - high > tol
            near = (np.abs(act - low) <= tol) | (np.abs(act - high) <= tol)
        out = [int(m) for m in idx[bad_low | bad_high]]
        zero = Fraction(0)
        for m in idx[near & ~(bad_low | bad_high)]:
            ex = self.exact[int(m)]
            if all(point.get(j, zero).numerator == 0 for j, _ in ex.terms):
                # every term is exactly zero (the common case near a bound): so is the sum
                held = ((ex.low is None or zero > ex.low or (zero == ex.low and not ex.open_low))
                        and (ex.high is None or zero < ex.high
                             or (zero == ex.high and not ex.open_high)))
            else:
                held = ex.holds(point)
            if not held:
                out.append(int(m))
        return out

    def holds_at(self, point: Mapping[int, Fraction]) -> frozenset[str]:
        """The claims (representatives) whose rows all hold at *point*, exactly."""
        # rows the point was solved on hold exactly by construction
        tight = self._tight[1] if self._tight[0] == id(point) else frozenset()
        claim_rows = [m for m, c in enumerate(self.row_claim) if c is not None
                      and m not in tight]
        broken = {self.row_claim[m] for m in self._broken(point, claim_rows)}
        return self.claims - broken

    # -- the elastic LP -----------------------------------------------------------

    def _add_slacks(self, weights: Mapping[str, float]) -> None:
        import numpy as np

        rows = [m for m, c in enumerate(self.row_claim)
                if c is not None and math.isfinite(weights[c])]
        n = len(rows)
        self.slack_rows = rows
        if n:
            cost = np.array([weights[str(self.row_claim[m])] for m in rows] * 2, dtype=float)
            base = self.ncols + 1
            self.h.addCols(2 * n, cost, np.zeros(2 * n), np.full(2 * n, math.inf), 2 * n,
                           np.arange(2 * n, dtype=np.int32),
                           np.array(rows + rows, dtype=np.int32),
                           np.concatenate([np.ones(n), -np.ones(n)]))
            self.slack_base = base
        # a small fixed margin instead of the largest one: the slacks are the objective
        self.h.changeColsBounds(1, np.array([self.ncols], dtype=np.int32),
                                np.array([1e-6]), np.array([1e-6]))
        self.h.changeColsCost(1, np.array([self.ncols], dtype=np.int32), np.array([0.0]))

    def least_violation(self, on: Collection[str]) -> set[str] | None:
        """The claims the least weighted violation of all claims in *on* bends (elastic LP).

        Dropping them leaves a set that can hold, as a rule (a proposal: check it).
        """
        import highspy
        import numpy as np

        self.switch(on)
        if self._run() != highspy.HighsModelStatus.kOptimal:
            return None
        n = len(self.slack_rows)
        if not n:
            return set()
        col = np.asarray(self.h.getSolution().col_value)
        slack = col[self.slack_base:self.slack_base + 2 * n]
        bent = (slack[:n] > _TOL) | (slack[n:] > _TOL)
        return {c for m, b in zip(self.slack_rows, bent, strict=True)
                if b and (c := self.row_claim[m]) is not None and c in self.on}


class _FloatRows:
    """A model's rows in the ledger's own units, as floats, for a quick first check."""

    def __init__(self, model: Model) -> None:
        import numpy as np

        col = model.col
        start, index, value = [0], [], []
        for ex in model.exact:
            for j, c in ex.terms:
                index.append(col[j])
                value.append(float(c))
            start.append(len(index))
        self.start = np.array(start, dtype=np.int64)
        self.index = np.array(index, dtype=np.int64)
        self.value = np.array(value)
        self.low = np.array([-math.inf if e.low is None else float(e.low) for e in model.exact])
        self.high = np.array([math.inf if e.high is None else float(e.high)
                              for e in model.exact])
        self.row = np.repeat(np.arange(len(model.exact)), np.diff(self.start))

    def activity(self, x: npt.NDArray[np.float64], rows: npt.NDArray[np.int64]
                 ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """``Σ coef·x`` and ``Σ |coef·x|`` of *rows*."""
        import numpy as np

        terms = self.value * x[self.index]
        n = len(self.start) - 1
        act = np.asarray(np.bincount(self.row, terms, n), dtype=np.float64)
        mag = np.asarray(np.bincount(self.row, np.abs(terms), n), dtype=np.float64)
        return act[rows], mag[rows]


def _column_exponents(system: System, variables: Iterable[int], rows: Sequence[int]
                      ) -> dict[int, int]:
    """A power of ten per column: the size of the figures that touch it.

    A variable's own levels first; then, through rows of two or more terms, the size of
    the variables it is tied to (months of a year, the members of an identity, the base
    of a growth rate) — ``part_of`` rows last, so a small item does not take its parent's
    size. What nothing sizes is 1.
    """
    size: dict[int, Decimal] = {}
    for i in rows:
        row = system.rows[i]
        if len(row.terms) == 1:
            (j, c), = row.terms
            for b in (row.low, row.high):
                if b.is_finite() and b != 0:
                    v = abs(b / c)
                    if v > size.get(j, Decimal(0)):
                        size[j] = v
    multi = [system.rows[i] for i in rows if len(system.rows[i].terms) > 1]
    for kinds in (lambda k: k != "part", lambda k: True):
        for _ in range(64):
            changed = False
            for row in multi:
                if not kinds(row.kind):
                    continue
                known = [size[j] for j, _ in row.terms if j in size]
                if not known or len(known) == len(row.terms):
                    continue
                big = max(known)
                for j, _ in row.terms:
                    if j not in size:
                        size[j] = big
                        changed = True
            if not changed:
                break
    return {j: (size[j].adjusted() if j in size else 0) for j in variables}
