"""Implied figures: the tightest interval the surviving claims allow for each quantity.

For each quantity the ledger touches, the least and greatest value the claims that
survive the best repair allow. Bound propagation gives sound bounds for every
quantity, usually the exact ones; LPs over bundles of consistent components (a
block-diagonal LP with a separable objective, warm-started round after round) then
find points that reach them, which proves them exact, and settle the rest
directly (see :func:`implied`). Whether a quantity is unbounded is decided on the
recession cone. Each component is solved in units of its ``scale`` (a power of ten
putting its largest figure in [100, 1000)). Variables get a box of ``1e6`` scale units
in these LPs, so a bundle cannot be unbounded; Attention: a bounded quantity whose
bound lies beyond ``1e5`` units (a hundred times the largest figure, reachable only
through extreme growth rates) is reported unbounded, or capped by the box. Bounds are
rounded outward to ``1e-4`` scale units (after forgiving ``1e-7`` of solver noise), so a
quantity far below its component's largest figure is shown to that unit only.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..constraints import _MINUS_ONE, _NEG_INF, _ONE, _ZERO, Row, System
from ..figures import format_amount
from ..intervals import INF
from ._highs import highs, pass_lp

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["Bounds", "ImpliedLp", "Numbers", "bundles", "implied", "span"]

_TOL = 1e-9          # HiGHS primal/dual feasibility tolerance, in scale units
_DELTA = 1e-6        # margin of a strict inequality, in scale units
_BOX = 1e6           # artificial bound on every variable in the implied-figure LPs
_UNBOUNDED = 1e5     # an optimum beyond this many scale units is "unbounded"
_QUANTUM = 4         # implied bounds are rounded outward to 10**-4 scale units
_NOISE = 1e-7        # solver noise forgiven before rounding

class Numbers:
    """A system's rows as floats, in each component's scale units, converted once.

    Compressed sparse rows over the whole system; an :class:`ImpliedLp` gathers the rows of
    the components it needs. A system compiled with others (:func:`compile_readings`)
    shares rows with them, so only the rows that differ are converted again.
    """

    start: npt.NDArray[np.int64]
    col: npt.NDArray[np.int64]
    val: npt.NDArray[np.float64]
    low: npt.NDArray[np.float64]
    high: npt.NDArray[np.float64]
    claim: npt.NDArray[np.int64]

    def __init__(self, system: System, claims: Sequence[str],
                 base: Numbers | None = None) -> None:
        import numpy as np

        self.system = system
        self.names = list(claims)
        self.number = number = {c: k for k, c in enumerate(self.names)}
        rows = system.rows
        shift = [0] * len(rows)
        for comp in system.components:
            e = -comp.scale.adjusted()
            for i in comp.rows:
                shift[i] = e
        self.comp_rows = [np.array(c.rows, dtype=np.int64) for c in system.components]
        self.comp_vars = [np.array(c.variables, dtype=np.int64) for c in system.components]
        self.nonnegative = np.array([v.nonnegative for v in system.variables], dtype=bool)
        self.colmap = np.zeros(len(system.variables), dtype=np.int64)
        self._quantity_vars: dict[int, npt.NDArray[np.int64]] = {}
        if base is not None and len(base.system.rows) == len(rows):
            self.start, self.col = base.start, base.col
            self.val, self.low, self.high = base.val.copy(), base.low.copy(), base.high.copy()
            self.claim = base.claim
            for i, (row, old) in enumerate(zip(rows, base.system.rows, strict=True)):
                if row is old:
                    continue
                if [j for j, _ in row.terms] != [j for j, _ in old.terms]:
                    break  # a different shape: convert everything
                lo, hi = _bounds(row, shift[i])
                self.low[i], self.high[i] = lo, hi
                self.val[self.start[i]:self.start[i + 1]] = [float(c) for _, c in row.terms]
            else:
                return
        one, minus_one = _ONE, _MINUS_ONE
        self.start = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum([len(row.terms) for row in rows], out=self.start[1:])
        self.col = np.array([j for row in rows for j, _ in row.terms], dtype=np.int64)
        self.val = np.array([1.0 if c is one else -1.0 if c is minus_one else float(c)
                             for row in rows for _, c in row.terms], dtype=np.float64)
        low: list[float] = []
        high: list[float] = []
        claim: list[int] = []
        # _bounds, inline: most sides are the compiler's own zero or infinities
        zero, inf, neg_inf, delta = _ZERO, INF, _NEG_INF, _DELTA
        for row, e in zip(rows, shift, strict=True):
            a, b = row.low, row.high
            if row.claim is None:  # structural: bounded by zero or not at all, never strict
                low.append(0.0 if a is zero else -math.inf if a is neg_inf else float(a))
                high.append(0.0 if b is zero else math.inf if b is inf else float(b))
                claim.append(-1)
                continue
            lo = (0.0 if a is zero else -math.inf if a is neg_inf
                  else float(a.scaleb(e)) if a.is_finite() else -math.inf)
            hi = (0.0 if b is zero else math.inf if b is inf
                  else float(b.scaleb(e)) if b.is_finite() else math.inf)
            low.append(lo + delta if row.open_low else lo)
            high.append(hi - delta if row.open_high else hi)
            claim.append(number[row.claim])
        self.low = np.array(low, dtype=np.float64)
        self.high = np.array(high, dtype=np.float64)
        self.claim = np.array(claim, dtype=np.int64)

    def quantity_vars(self, k: int) -> npt.NDArray[np.int64]:
        """The variable of each quantity of component *k*."""
        import numpy as np

        found = self._quantity_vars.get(k)
        if found is None:
            quantities = self.system.quantities
            found = self._quantity_vars[k] = np.array(
                [quantities[q].variable for q in self.system.components[k].quantities],
                dtype=np.int64)
        return found


def _bounds(row: Row, shift: int) -> tuple[float, float]:
    """A row's bounds in scale units, strict sides moved in by the margin."""
    if row.claim is None:  # structural: bounded by zero or not at all, never strict
        return float(row.low), float(row.high)
    low = float(row.low.scaleb(shift)) if row.low.is_finite() else -math.inf
    high = float(row.high.scaleb(shift)) if row.high.is_finite() else math.inf
    return (low + _DELTA if row.open_low else low, high - _DELTA if row.open_high else high)


class ImpliedLp:
    """A HiGHS model of some components' rows, whose claims can be switched off.

    Columns are the components' variables in scale units; every claim's rows can be
    relaxed to free rows (switched off) and restored. With ``box`` every variable is
    bounded by ``±_BOX`` (for the implied-figure LPs, which must not be unbounded).
    """

    ncols: int
    quantities: list[list[tuple[int, int]]]
    start: npt.NDArray[np.int64]
    index: npt.NDArray[np.int64]
    value: npt.NDArray[np.float64]
    low: npt.NDArray[np.float64]
    high: npt.NDArray[np.float64]
    row_claim: npt.NDArray[np.int64]
    nonneg: npt.NDArray[np.bool_]
    claims: frozenset[str]

    def __init__(self, numbers: Numbers, components: Sequence[int], *,
                 box: bool = False, presolve: bool = False,
                 _like: ImpliedLp | None = None,
                 _bounds: tuple[Any, Any, Any, Any] | None = None) -> None:
        import numpy as np

        self.numbers = numbers
        self.components = list(components)
        if _like is not None:  # the same rows and columns, gathered already
            for name in ("ncols", "quantities", "start", "index", "value", "low", "high",
                         "row_claim", "nonneg", "claims"):
                setattr(self, name, getattr(_like, name))
        else:
            rows = np.concatenate([numbers.comp_rows[k] for k in components])
            cols = np.concatenate([numbers.comp_vars[k] for k in components])
            self.ncols = len(cols)
            numbers.colmap[cols] = np.arange(self.ncols)
            # quantity columns of each component, while colmap holds this LP's numbering
            self.quantities = [
                list(zip(numbers.system.components[k].quantities,
                         numbers.colmap[numbers.quantity_vars(k)].tolist(), strict=True))
                for k in components]
            first, last = numbers.start[rows], numbers.start[rows + 1]
            lengths = last - first
            self.start = np.zeros(len(rows) + 1, dtype=np.int64)
            np.cumsum(lengths, out=self.start[1:])
            flat = (np.arange(self.start[-1], dtype=np.int64)
                    - np.repeat(self.start[:-1], lengths) + np.repeat(first, lengths))
            self.index = numbers.colmap[numbers.col[flat]]
            self.value = numbers.val[flat]
            self.low = numbers.low[rows]
            self.high = numbers.high[rows]
            self.row_claim = numbers.claim[rows]
            self.nonneg = numbers.nonnegative[cols]
            present = np.unique(self.row_claim[self.row_claim >= 0])
            self.claims = frozenset(numbers.names[k] for k in present.tolist())
        nonneg = self.nonneg
        self.col_low = np.where(nonneg, 0.0, -_BOX if box else -math.inf)
        self.col_high = np.full(self.ncols, _BOX if box else math.inf)
        self._rows_of: dict[str, npt.NDArray[np.int32]] | None = None
        self.off: set[str] = set()
        row_low, row_high, col_low, col_high = (
            _bounds if _bounds is not None else (self.low, self.high, self.col_low,
                                                 self.col_high))
        self.h = highs()
        # presolve pays for an LP solved once; warm starts need it off
        self.h.setOptionValue("presolve", "on" if presolve else "off")
        self._presolve = presolve
        self._cold = True
        self.h.setOptionValue("primal_feasibility_tolerance", _TOL)
        self.h.setOptionValue("dual_feasibility_tolerance", _TOL)
        if box:  # re-solves that change only the objective: primal simplex warm starts
            self.h.setOptionValue("simplex_strategy", 4)
        pass_lp(self.h, np.zeros(self.ncols), col_low, col_high, row_low, row_high,
                self.start, self.index, self.value)

    def for_figures(self) -> ImpliedLp:
        """The LP, solved before as a screen (:mod:`._screen`), made an implied-figure LP.

        Its own row bounds are restored (the screen moved them inward), every column
        gets the box, and the solves that follow are warm-started primal simplex from
        the screen's basis, which is feasible for the restored rows: the model, its
        build and its first solve from nothing are saved, the answers are the same.
        """
        import numpy as np

        rows = np.arange(len(self.low), dtype=np.int32)
        self.h.changeRowsBounds(len(rows), rows, self.low, self.high)
        self.switch_off(())
        self.col_low = np.where(self.nonneg, 0.0, -_BOX)
        self.col_high = np.full(self.ncols, _BOX)
        cols = np.arange(self.ncols, dtype=np.int32)
        self.h.changeColsBounds(self.ncols, cols, self.col_low, self.col_high)
        self.h.setOptionValue("simplex_strategy", 4)
        self.h.setOptionValue("presolve", "off")
        self._presolve = False
        self._cold = False
        return self

    @property
    def rows_of(self) -> dict[str, npt.NDArray[np.int32]]:
        """The rows of each claim."""
        import numpy as np

        if self._rows_of is None:
            order = np.argsort(self.row_claim, kind="stable").astype(np.int32)
            keys = self.row_claim[order]
            cuts = np.flatnonzero(np.diff(keys)) + 1
            self._rows_of = {
                self.numbers.names[int(chunk_keys[0])]: chunk
                for chunk, chunk_keys in zip(np.split(order, cuts), np.split(keys, cuts),
                                             strict=True)
                if len(chunk) and chunk_keys[0] >= 0}
        return self._rows_of

    def switch_off(self, off: Collection[str]) -> None:
        """Relax the rows of the claims in *off*; restore every other claim's rows."""
        import numpy as np

        off = set(off) & self.claims
        flip = sorted((off - self.off) | (self.off - off))
        if not flip:
            return
        rows = np.concatenate([self.rows_of[c] for c in flip])
        low = self.low[rows].copy()
        high = self.high[rows].copy()
        relaxed = np.concatenate([np.full(len(self.rows_of[c]), c in off, dtype=bool)
                                  for c in flip])
        low[relaxed] = -math.inf
        high[relaxed] = math.inf
        self.h.changeRowsBounds(len(rows), rows, low, high)
        self.off = off

    def current_bounds(self) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """The row bounds in force: the claims switched off have free rows."""
        import numpy as np

        low, high = self.low.copy(), self.high.copy()
        if self.off:
            rows = np.concatenate([self.rows_of[c] for c in self.off])
            low[rows], high[rows] = -math.inf, math.inf
        return low, high

    def feasible(self, off: Collection[str] = ()) -> bool:
        """Whether every row of every claim not in *off* can hold at once."""
        import highspy

        self.switch_off(off)
        return bool(self._run() == highspy.HighsModelStatus.kOptimal)

    def _run(self) -> Any:
        import highspy

        if self._cold and not self._presolve:
            # the first solve starts from nothing: presolve pays for itself there, and
            # the basis it leaves warm-starts the later ones
            self.h.setOptionValue("presolve", "on")
            self.h.run()
            self.h.setOptionValue("presolve", "off")
        else:
            self.h.run()
        self._cold = False
        status = self.h.getModelStatus()
        if status not in (highspy.HighsModelStatus.kOptimal,
                          highspy.HighsModelStatus.kInfeasible):
            # A warm start gone wrong: solve from scratch, with presolve.
            self.h.clearSolver()
            self.h.setOptionValue("presolve", "on")
            self.h.run()
            self.h.setOptionValue("presolve", "off")
            status = self.h.getModelStatus()
        return status

    def satisfied(self) -> set[str]:
        """After a feasible solve: every claim whose rows all hold at the solution found."""
        import numpy as np

        value = np.asarray(self.h.getSolution().row_value)
        bad = (value < self.low - _TOL) | (value > self.high + _TOL)
        broken = set(np.unique(self.row_claim[bad]).tolist())
        number = self.numbers.number
        return {c for c in self.claims if number[c] not in broken}

    def optimise(self, cost: npt.NDArray[np.float64]) -> npt.NDArray[np.float64] | None:
        """The column values at a minimum of ``cost``, or None if HiGHS finds none."""
        import highspy
        import numpy as np

        self.h.changeColsCost(self.ncols, np.arange(self.ncols, dtype=np.int32), cost)
        if self._run() != highspy.HighsModelStatus.kOptimal:
            return None
        return np.asarray(self.h.getSolution().col_value)

    def propagate(self, sweeps: int = 100) -> tuple[npt.NDArray[np.float64],
                                                    npt.NDArray[np.float64]]:
        """Bounds on every column implied by the rows in force, by bound propagation.

        Each sweep tightens every column's bounds from every row's activity bounds (the
        textbook FBBT, with infinite bounds counted rather than added). It starts from
        the true column bounds (``≥ 0`` for flows), not the box, so what it finds holds
        for the ledger itself. Sound, cheap and vectorised, but not always as tight as
        an LP: the implied figures use a bound only where a solution reaches it.
        """
        import numpy as np

        row_low, row_high = self.current_bounds()
        nrows = len(row_low)
        lo = np.where(self.nonneg, 0.0, -math.inf)
        hi = np.full(self.ncols, math.inf)
        index, value = self.index, self.value
        if not len(index):
            return lo, hi
        row = np.repeat(np.arange(nrows), np.diff(self.start))
        positive = value > 0
        order = np.argsort(index, kind="stable")
        sorted_cols = index[order]
        cuts = np.flatnonzero(np.r_[True, np.diff(sorted_cols) != 0])
        cols_hit = sorted_cols[cuts]

        def others(part: npt.NDArray[np.float64], sign: float) -> npt.NDArray[np.float64]:
            # the sum of the other terms of each term's row; infinite terms (all of
            # *sign*) are counted, so a term's own infinity does not swallow the rest
            infinite = np.isinf(part)
            count = np.bincount(row, infinite, nrows)[row]
            finite = np.bincount(row, np.where(infinite, 0.0, part), nrows)[row]
            rest = finite - np.where(infinite, 0.0, part)
            return np.where(count - infinite > 0, sign * math.inf, rest)

        with np.errstate(invalid="ignore"):
            for _ in range(sweeps):
                cmin = np.where(positive, value * lo[index], value * hi[index])
                cmax = np.where(positive, value * hi[index], value * lo[index])
                rmin, rmax = others(cmin, -1.0), others(cmax, 1.0)
                from_high = (row_high[row] - rmin) / value
                from_low = (row_low[row] - rmax) / value
                upper = np.where(positive, from_high, from_low)
                lower = np.where(positive, from_low, from_high)
                upper = np.where(np.isnan(upper), math.inf, upper)
                lower = np.where(np.isnan(lower), -math.inf, lower)
                new_hi, new_lo = hi.copy(), lo.copy()
                new_hi[cols_hit] = np.minimum(hi[cols_hit], np.minimum.reduceat(upper[order], cuts))
                new_lo[cols_hit] = np.maximum(lo[cols_hit], np.maximum.reduceat(lower[order], cuts))
                gain = np.r_[np.where(np.isinf(hi), np.where(np.isinf(new_hi), 0.0, math.inf),
                                      hi - new_hi),
                             np.where(np.isinf(lo), np.where(np.isinf(new_lo), 0.0, math.inf),
                                      new_lo - lo)]
                lo, hi = new_lo, new_hi
                if float(np.max(gain, initial=0.0)) < _TOL:
                    break
        return lo, np.maximum(hi, lo)

    def rays(self) -> ImpliedLp:
        """The recession cone of this LP (rows in force), its directions boxed to ±1.

        A quantity is unbounded above exactly when some direction of the cone raises it:
        maximise the quantity here and compare with zero.
        """
        import numpy as np

        low, high = self.current_bounds()
        cone = ImpliedLp(self.numbers, self.components, _like=self, _bounds=(
            np.where(np.isinf(low), -math.inf, 0.0), np.where(np.isinf(high), math.inf, 0.0),
            np.where(self.nonneg, 0.0, -1.0), np.ones(self.ncols)))
        cone.h.setOptionValue("simplex_strategy", 4)
        # no presolve even for its first solve: on a cone (bounds 0 or 1) it costs more
        # than the simplex it saves
        cone._cold = False
        return cone



# ---------------------------------------------------------------------------
# Implied figures
# ---------------------------------------------------------------------------

Bounds = tuple[Decimal | None, Decimal | None]
_STEPS = 10**_QUANTUM
_NOISE_STEPS = _NOISE * 10**_QUANTUM

def _to_decimal(value: float, scale: Decimal, up: bool) -> Decimal:
    """*value* scale units as an exact decimal, rounded outward to the quantum.

    Written without trailing zeros; a whole number with its exponent at zero.
    """
    steps = value * _STEPS
    n = math.ceil(steps - _NOISE_STEPS) if up else math.floor(steps + _NOISE_STEPS)
    if n == 0:
        return Decimal(0)
    exponent = scale.adjusted() - _QUANTUM
    while n % 10 == 0:
        n //= 10
        exponent += 1
    if exponent > 0:
        return Decimal(n * 10**exponent)
    return Decimal(n).scaleb(exponent)


def implied(lp: ImpliedLp, notes: list[str], skip: Collection[int] = ()) -> dict[int, Bounds]:
    """Least and greatest value of every quantity of *lp*'s components.

    The quantities in *skip* are not worked out: each comes back unbounded on both
    sides (``(None, None)``, or ``(0, None)`` when nonnegative), for a caller that only
    counts them.

    Bound propagation (:meth:`ImpliedLp.propagate`) first gives sound bounds for every
    quantity, usually the exact ones. Then, per side, rounds of LPs: in each round every
    component of the bundle minimises the sum of its quantities not yet settled (a
    separable objective, warm-started from the last basis); a quantity whose value at
    the solution reaches its propagated bound is settled, since no feasible point can
    go beyond that bound. A component whose round settles nothing minimises its first
    unsettled quantity alone in the next round, which settles that one exactly. Where
    propagation finds no bound, the recession cone (:meth:`ImpliedLp.rays`) says whether the
    quantity is unbounded, rather than the box: for flows, one cone LP raising all of
    them at once shows many unbounded together; the rest are taken alone.

    Each component does its least values, then its greatest, in the same LPs as the
    other components of the bundle (which are independent of it), so a bundle takes as
    many LPs as its slowest component needs for both sides, not the slowest for each
    side in turn; a greatest value that a solution of the least values' rounds reaches
    is settled there (it is the same proof), so the greatest values start with fewer
    left. The quantities of a round are weighted (by fixed weights between 1
    and 2: any positive weights give right answers), which breaks ties between equally
    good points apart so that more quantities reach their bounds in one round.
    """
    import numpy as np

    system = lp.numbers.system
    lo, hi = lp.propagate()
    scales = [system.components[k].scale for k in lp.components]
    found: dict[int, list[Decimal | None]] = {q: [None, None]
                                               for qs in lp.quantities for q, _ in qs}
    quantities = (lp.quantities if not skip else
                  [[(q, c) for q, c in qs if q not in skip] for qs in lp.quantities])
    cone: ImpliedLp | None = None
    failed = False

    def record(k: int, q: int, side: int, value: float) -> None:
        found[q][side] = (None if abs(value) >= _UNBOUNDED
                          else _to_decimal(value, scales[k], up=side == 1))

    def unbounded(c: int, side: int) -> bool:
        nonlocal cone
        if cone is None:
            cone = lp.rays()
        cost = np.zeros(lp.ncols)
        cost[c] = 1.0 if side == 0 else -1.0
        ray = cone.optimise(cost)
        return ray is None or abs(float(ray[c])) > _NOISE

    bounds = (lo.tolist(), hi.tolist())  # Python floats: the same values, faster
    # Flows propagation cannot bound above: one cone LP raises many of them at once.
    settled: set[int] = set()
    nonneg = lp.nonneg.tolist()
    group = [(q, c) for qs in quantities for q, c in qs
             if math.isinf(bounds[1][c]) and nonneg[c]]
    while group:
        if cone is None:
            cone = lp.rays()
        cost = np.zeros(lp.ncols)
        cost[[c for _, c in group]] = -1.0
        ray = cone.optimise(cost)
        raised = set() if ray is None else {q for q, c in group if ray[c] > _NOISE}
        if not raised:
            break
        for q in raised:
            found[q][1] = None
        settled |= raised
        group = [(q, c) for q, c in group if q not in raised]

    def todo_of(qs: list[tuple[int, int]], side: int) -> list[tuple[int, int]]:
        # the quantities propagation cannot bound go first, alone
        bound = bounds[side]
        return sorted(((q, c) for q, c in qs if side == 0 or q not in settled),
                      key=lambda qc: not math.isinf(bound[qc[1]]))

    # each component settles its least values, then its greatest (see the docstring)
    side_of = [0] * len(quantities)
    pending = [todo_of(qs, 0) for qs in quantities]
    alone = [False] * len(pending)
    weight = 1.0 + (np.arange(lp.ncols) * 0.6180339887498949) % 1.0
    # greatest values reached already while a component still does its least ones: the
    # quantities (and columns) still open, and what was reached (quantity -> column)
    upper = bounds[1]
    open_qc = [[(q, c) for q, c in qs if q not in settled and math.isfinite(upper[c])]
               for qs in quantities]
    open_qs = [np.array([q for q, _ in qc], dtype=np.int64) for qc in open_qc]
    open_cols = [np.array([c for _, c in qc], dtype=np.int64) for qc in open_qc]
    early: list[dict[int, int]] = [{} for _ in pending]
    while True:
        for k, todo in enumerate(pending):
            while not todo and side_of[k] == 0:
                side_of[k] = 1
                for q, c in early[k].items():  # settled as the side's own rounds would
                    record(k, q, 1, upper[c])
                    settled.add(q)
                early[k] = {}
                todo = pending[k] = todo_of(quantities[k], 1)
                alone[k] = False
        if not any(pending):
            break
        cost = np.zeros(lp.ncols)
        for k, todo in enumerate(pending):
            if todo:
                bound = bounds[side_of[k]]
                alone[k] = alone[k] or math.isinf(bound[todo[0][1]])
                sel = [todo[0][1]] if alone[k] else [c for _, c in todo]
                cost[sel] = weight[sel] if side_of[k] == 0 else -weight[sel]
        solution = lp.optimise(cost)
        if solution is None:  # leave each component's side unbounded for what is left
            failed = True
            for k, todo in enumerate(pending):
                todo.clear()
                if side_of[k] == 0:
                    early[k] = {}  # the greatest values are sought in their own rounds
            continue
        x = solution.tolist()
        # which columns reach their propagated bounds (never an infinite one)
        at_high = np.abs(solution - hi) <= _NOISE
        reached = ((np.abs(solution - lo) <= _NOISE).tolist(), at_high.tolist())
        for k, cols in enumerate(open_cols):
            if side_of[k] == 0 and len(cols):
                hit = at_high[cols]
                if hit.any():
                    early[k].update(zip(open_qs[k][hit].tolist(), cols[hit].tolist(), strict=True))
                    open_cols[k], open_qs[k] = cols[~hit], open_qs[k][~hit]
        for k, todo in enumerate(pending):
            if not todo:
                continue
            side = side_of[k]
            bound = bounds[side]
            if alone[k]:
                q, c = todo.pop(0)
                if math.isinf(bound[c]) and unbounded(c, side):
                    found[q][side] = None
                else:
                    record(k, q, side, x[c])
            keep = []
            at = reached[side]
            for q, c in todo:
                if at[c]:
                    record(k, q, side, bound[c])
                else:
                    keep.append((q, c))
            alone[k] = len(keep) == len(todo) and not alone[k]
            pending[k] = keep
    if failed:
        notes.append("HiGHS could not bound some implied figures; they are shown unbounded")
    out: dict[int, Bounds] = {}
    for q, (low, high) in found.items():
        if system.variables[system.quantities[q].variable].nonnegative:
            low = Decimal(0) if low is None or low < 0 else low
        out[q] = (low, high)
    return out


def bundles(system: System, components: Iterable[int], columns: int) -> list[list[int]]:
    """Consecutive groups of components with about *columns* columns each."""
    out: list[list[int]] = []
    current: list[int] = []
    size = 0
    for k in components:
        current.append(k)
        size += len(system.components[k].variables)
        if size >= columns:
            out.append(current)
            current, size = [], 0
    if current:
        out.append(current)
    return out


def span(bounds: Bounds, unit: str) -> str:
    low, high = bounds
    a = "unbounded" if low is None else format_amount(low, unit, digits=6)
    b = "unbounded" if high is None else format_amount(high, unit, digits=6)
    return f"{a}–{b}"


# ---------------------------------------------------------------------------
# The analysis
# ---------------------------------------------------------------------------

