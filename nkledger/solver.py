"""Joint analysis: which claims cannot all hold, which to drop, what the rest imply.

:func:`analyse` compiles the ledger (:func:`nkledger.constraints.compile_readings`)
under the three readings and hands each independent component to HiGHS (via highspy).
Floats live only here; every figure handed back is an exact Decimal.

Numbers
    Each component is solved in units of its ``scale`` (a power of ten putting its
    largest figure in [100, 1000)). HiGHS runs with primal and dual feasibility
    tolerances of ``1e-9`` scale units — about 1e-12 of the largest figure — so a
    ledger that holds only at the last rounded digit (intervals that touch) is
    consistent, and one off by a digit is not. Strict inequalities ("rose",
    "prior > 0") become ``≥ 1e-6`` scale units, far above the tolerance and far below
    any written digit.

Which components conflict
    Many components share one LP (presolved, solved once); one that cannot hold is
    halved until the culprits stand alone, so the cost of a clean ledger is a handful
    of LPs per thousand claims.

Conflicts (minimal conflict sets, MUSes)
    Enumerated per infeasible component with MARCO (Liffiton et al., 2016) using
    minimal seeds: a small MILP (the *map*, one binary per claim) proposes the smallest
    set of claims not yet explored. Every proper subset of it has been explored, so if
    HiGHS finds that it cannot hold, it is a minimal conflict set (and its supersets are
    blocked). If it can, it is grown to a maximal set that can hold — first by every
    claim an elastic LP's least-violation point satisfies, then in halves — and the map
    learns that a later seed must take a claim from outside it. Sets come smallest
    first. Components take turns; enumeration stops when every map is exhausted, after
    ``max_conflicts`` sets, or at ``time_limit``, and ``truncated`` says so.

Repairs (Fellegi–Holt)
    The least-weight sets of claims whose removal makes a component consistent are
    minimum-weight hitting sets of its conflict sets. An implicit-hitting-set loop
    finds them without big-M constants: a set-cover MILP over the known conflict sets
    proposes the cheapest candidate; if dropping it leaves the component infeasible, a
    new conflict set is extracted from what is left (HiGHS' infeasible subsystem, then
    a deletion filter) and the loop goes on; if not, the candidate is a repair and a
    no-good cut asks for the next one. Repairs thus come in order of weight, every tie
    included, then a few next-best. Claims of pinned sources (weight ``inf``) are never
    candidates. Components are independent, so a repair of the whole ledger is one
    repair per component with a conflict: ``repairs`` lists the cheapest combinations,
    ``repair_groups`` each component's own choices.

Implied figures
    For each quantity the ledger touches, the least and greatest value the claims that
    survive the best repair allow. Bound propagation gives sound bounds for every
    quantity, usually the exact ones; LPs over bundles of consistent components (a
    block-diagonal LP with a separable objective, warm-started round after round) then
    find points that reach them, which proves them exact, and settle the rest
    directly (see :func:`_implied`). Whether a quantity is unbounded is decided on the
    recession cone, exactly. Variables get a box of ``1e6`` scale units in these LPs,
    so a bundle cannot be unbounded; Attention: a bounded quantity whose bound lies
    beyond ``1e5`` units (a hundred times the largest figure, reachable only through
    extreme growth rates) is reported unbounded, or capped by the box. Bounds are rounded
    outward to ``1e-4`` scale units (after forgiving ``1e-7`` of solver noise). Where
    a component's tied best repairs (the first five) imply different intervals, the
    note says so.

Readings
    Conflicts are enumerated under the strict, default and lenient readings; each
    conflict set says under which readings it cannot hold. Components whose rows read
    the same under two readings share their results. Conflicts that exist only under
    another reading than the one asked for are kept apart in ``sensitive``.
"""

from __future__ import annotations

import heapq
import math
import os
import sys
import time
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from .constraints import Row, System, compile_readings
from .figures import READINGS, Reading, format_amount
from .ledger import Ledger
from .results import Conflict, Implied, OutletSummary, Repair

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["Analysis", "Conflict", "Implied", "OutletSummary", "Repair", "analyse"]

_TOL = 1e-9          # HiGHS primal/dual feasibility tolerance, in scale units
_DELTA = 1e-6        # margin of a strict inequality, in scale units
_BOX = 1e6           # artificial bound on every variable in the implied-figure LPs
_UNBOUNDED = 1e5     # an optimum beyond this many scale units is "unbounded"
_QUANTUM = 4         # implied bounds are rounded outward to 10**-4 scale units
_NOISE = 1e-7        # solver noise forgiven before rounding
_BUNDLE_COLUMNS = 500  # consistent components share an implied-figure LP up to this size
_BUNDLE_FEASIBLE = 1000  # components share a feasibility LP up to about this many columns
_LATER = 0.9         # prefer_later: weight factor per later release of the same body
_MAX_TIES_IMPLIED = 5  # best repairs of one component compared for implied figures
_STRICT_FIRST: tuple[Reading, ...] = ("strict", "default", "lenient")


@attrs.frozen(kw_only=True)
class Analysis:
    """The joint analysis of a ledger under one reading.

    ``conflicts`` are smallest first, ``repairs`` cheapest first (ties all shown,
    within ``max_repairs``). ``repair_groups`` holds, for each independent part of the
    ledger with a conflict, its own repairs, cheapest first: a best repair of the
    whole ledger takes one best repair from each group. ``sensitive`` holds conflict
    sets that exist under another reading only.
    """

    consistent: bool
    conflicts: tuple[Conflict, ...]
    repairs: tuple[Repair, ...]
    implied: tuple[Implied, ...]
    outlets: tuple[OutletSummary, ...]
    truncated: bool
    notes: tuple[str, ...]
    reading: Reading = "default"
    sensitive: tuple[Conflict, ...] = ()
    repair_groups: tuple[tuple[Repair, ...], ...] = ()


# ---------------------------------------------------------------------------
# One LP over some components of a system
# ---------------------------------------------------------------------------


class _Clock:
    def __init__(self, limit: float | None) -> None:
        self.end = math.inf if limit is None else time.monotonic() + limit

    @property
    def left(self) -> float:
        return self.end - time.monotonic()

    @property
    def out(self) -> bool:
        return time.monotonic() >= self.end


_BANNER_SILENCED = False


def _highs() -> Any:
    """A quiet HiGHS instance.

    HiGHS 1.16 prints a banner on standard output (from C++, so Python's
    ``redirect_stdout`` cannot catch it) the first time a process creates a solver,
    before any option can be set; that would corrupt ``--format json``. The first
    construction therefore runs with file descriptor 1 pointed at the null device.
    """
    global _BANNER_SILENCED
    import highspy

    if _BANNER_SILENCED:
        h = highspy.Highs()  # type: ignore[no-untyped-call]
    else:
        h = _quietly(highspy.Highs)
        _BANNER_SILENCED = True
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    return h


def _quietly(make: Any) -> Any:
    """Call *make* with the process's standard output sent to the null device."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no standard output at all: nothing to protect
        return make()
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            return make()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


class _Numbers:
    """A system's rows as floats, in each component's scale units, converted once.

    Compressed sparse rows over the whole system; an :class:`_Lp` gathers the rows of
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
                 base: _Numbers | None = None) -> None:
        import numpy as np

        self.system = system
        self.names = list(claims)
        self.number = number = {c: k for k, c in enumerate(self.names)}
        rows = system.rows
        shift = np.zeros(len(rows), dtype=np.int64)
        for comp in system.components:
            shift[list(comp.rows)] = -comp.scale.adjusted()
        self.comp_rows = [np.array(c.rows, dtype=np.int64) for c in system.components]
        self.comp_vars = [np.array(c.variables, dtype=np.int64) for c in system.components]
        self.nonnegative = np.array([v.nonnegative for v in system.variables], dtype=bool)
        self.colmap = np.zeros(len(system.variables), dtype=np.int64)
        if base is not None and len(base.system.rows) == len(rows):
            self.start, self.col = base.start, base.col
            self.val, self.low, self.high = base.val.copy(), base.low.copy(), base.high.copy()
            self.claim = base.claim
            for i, row in enumerate(rows):
                old = base.system.rows[i]
                if row is old:
                    continue
                if [j for j, _ in row.terms] != [j for j, _ in old.terms]:
                    break  # a different shape: convert everything
                lo, hi = _bounds(row, int(shift[i]))
                self.low[i], self.high[i] = lo, hi
                self.val[self.start[i]:self.start[i + 1]] = [float(c) for _, c in row.terms]
            else:
                return
        start, col, val = [0], [], []
        low, high, claim = [], [], []
        for i, row in enumerate(rows):
            for j, c in row.terms:
                col.append(j)
                val.append(float(c))
            start.append(len(col))
            lo, hi = _bounds(row, int(shift[i]))
            low.append(lo)
            high.append(hi)
            claim.append(-1 if row.claim is None else number[row.claim])
        self.start = np.array(start, dtype=np.int64)
        self.col = np.array(col, dtype=np.int64)
        self.val = np.array(val, dtype=np.float64)
        self.low = np.array(low, dtype=np.float64)
        self.high = np.array(high, dtype=np.float64)
        self.claim = np.array(claim, dtype=np.int64)


def _bounds(row: Row, shift: int) -> tuple[float, float]:
    """A row's bounds in scale units, strict sides moved in by the margin."""
    low = float(row.low.scaleb(shift)) if row.low.is_finite() else -math.inf
    high = float(row.high.scaleb(shift)) if row.high.is_finite() else math.inf
    return (low + _DELTA if row.open_low else low, high - _DELTA if row.open_high else high)


class _Lp:
    """A HiGHS model of some components' rows, whose claims can be switched off.

    Columns are the components' variables in scale units; every claim's rows can be
    relaxed to free rows (switched off) and restored. With ``box`` every variable is
    bounded by ``±_BOX`` (for the implied-figure LPs, which must not be unbounded).
    """

    def __init__(self, numbers: _Numbers, components: Sequence[int], *,
                 box: bool = False, presolve: bool = False) -> None:
        import highspy
        import numpy as np

        self.numbers = numbers
        self.components = list(components)
        rows = np.concatenate([numbers.comp_rows[k] for k in components])
        cols = np.concatenate([numbers.comp_vars[k] for k in components])
        self.ncols = len(cols)
        numbers.colmap[cols] = np.arange(self.ncols)
        # quantity columns of each component, while colmap holds this LP's numbering
        quantities = numbers.system.quantities
        self.quantities = [
            [(q, int(numbers.colmap[quantities[q].variable]))
             for q in numbers.system.components[k].quantities]
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
        self.nonneg = nonneg = numbers.nonnegative[cols]
        self.col_low = np.where(nonneg, 0.0, -_BOX if box else -math.inf)
        self.col_high = np.full(self.ncols, _BOX if box else math.inf)
        present = np.unique(self.row_claim[self.row_claim >= 0])
        self.claims = frozenset(numbers.names[k] for k in present.tolist())
        self._rows_of: dict[str, npt.NDArray[np.int32]] | None = None
        self.off: set[str] = set()
        lp = highspy.HighsLp()
        lp.num_col_ = self.ncols
        lp.num_row_ = len(rows)
        lp.col_cost_ = np.zeros(self.ncols)
        lp.col_lower_ = self.col_low
        lp.col_upper_ = self.col_high
        lp.row_lower_ = self.low
        lp.row_upper_ = self.high
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = self.start.astype(np.int32)
        lp.a_matrix_.index_ = self.index.astype(np.int32)
        lp.a_matrix_.value_ = self.value
        self.h = _highs()
        # presolve pays for an LP solved once; warm starts need it off
        self.h.setOptionValue("presolve", "on" if presolve else "off")
        self.h.setOptionValue("primal_feasibility_tolerance", _TOL)
        self.h.setOptionValue("dual_feasibility_tolerance", _TOL)
        if box:  # re-solves that change only the objective: primal simplex warm starts
            self.h.setOptionValue("simplex_strategy", 4)
        self.h.passModel(lp)
        self._slacks: npt.NDArray[np.int32] | None = None

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

        self.h.run()
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

    def conflicting(self) -> set[str] | None:
        """After an infeasible solve: the claims of an infeasible subsystem HiGHS finds."""
        self.h.setOptionValue("iis_strategy", 2)  # from the LP: quick, not irreducible
        _, iis = self.h.getIis()
        if not iis.valid_:
            return None
        names = self.numbers.names
        return {names[k] for r in iis.row_index_ if (k := int(self.row_claim[r])) >= 0}

    def satisfying(self, hard: Collection[str]) -> set[str]:
        """The claims a point that keeps *hard* satisfies when the others may bend.

        On first use every claim row gets two slack columns (one each way) that cost
        1 per unit; the slacks of *hard* claims are fixed at 0. The least total slack
        satisfies *hard* and, as a rule, most other claims: those with no slack left.
        Use a separate LP for this: the slacks stay in the model.
        """
        import highspy
        import numpy as np

        claim_rows = np.flatnonzero(self.row_claim >= 0).astype(np.int32)
        n = len(claim_rows)
        if self._slacks is None:
            self._slacks = np.arange(self.ncols, self.ncols + 2 * n, dtype=np.int32)
            self.h.addCols(2 * n, np.ones(2 * n), np.zeros(2 * n), np.full(2 * n, math.inf),
                           2 * n, np.arange(2 * n, dtype=np.int32),
                           np.concatenate([claim_rows, claim_rows]),
                           np.concatenate([np.ones(n), -np.ones(n)]))
        number = self.numbers.number
        fixed = np.isin(self.row_claim[claim_rows], [number[c] for c in hard])
        upper = np.where(np.concatenate([fixed, fixed]), 0.0, math.inf)
        self.h.changeColsBounds(2 * n, self._slacks, np.zeros(2 * n), upper)
        if self._run() != highspy.HighsModelStatus.kOptimal:
            return set()
        slack = np.asarray(self.h.getSolution().col_value)[self._slacks]
        bent = (slack[:n] > _TOL) | (slack[n:] > _TOL)
        broken = set(np.unique(self.row_claim[claim_rows[bent]]).tolist())
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

    def rays(self) -> _Lp:
        """The recession cone of this LP (rows in force), its directions boxed to ±1.

        A quantity is unbounded above exactly when some direction of the cone raises it:
        maximise the quantity here and compare with zero.
        """
        import numpy as np

        cone = _Lp(self.numbers, self.components)
        low, high = self.current_bounds()
        rows = np.arange(len(low), dtype=np.int32)
        cone.h.changeRowsBounds(len(rows), rows, np.where(np.isinf(low), -math.inf, 0.0),
                                np.where(np.isinf(high), math.inf, 0.0))
        cols = np.arange(self.ncols, dtype=np.int32)
        cone.h.changeColsBounds(self.ncols, cols, np.where(self.nonneg, 0.0, -1.0),
                                np.ones(self.ncols))
        cone.h.setOptionValue("simplex_strategy", 4)
        return cone


class _Map:
    """A small pure-binary MILP over claims: MARCO's map, or a hitting-set problem."""

    def __init__(self, claims: Sequence[str], cost: Sequence[float]) -> None:
        import highspy
        import numpy as np

        self.claims = list(claims)
        self.at = {c: i for i, c in enumerate(self.claims)}
        n = len(self.claims)
        self.h = _highs()
        self.h.setOptionValue("mip_rel_gap", 0.0)
        self.h.setOptionValue("mip_abs_gap", 1e-9)
        # primal heuristics cost more than these small set-cover models take to solve
        for heuristic in ("feasibility_jump", "rins", "rens", "root_reduced_cost", "zi_round",
                          "shifting"):
            self.h.setOptionValue(f"mip_heuristic_run_{heuristic}", False)
        if n:
            self.h.addVars(n, np.zeros(n), np.ones(n))
            idx = np.arange(n, dtype=np.int32)
            self.h.changeColsIntegrality(
                n, idx, np.full(n, int(highspy.HighsVarType.kInteger), dtype=np.uint8))
            self.h.changeColsCost(n, idx, np.array(cost, dtype=np.float64))

    def at_least(self, claims: Iterable[str], k: float) -> None:
        """Σ chosen(claims) ≥ k."""
        self._row(claims, k, math.inf)

    def at_most(self, claims: Iterable[str], k: float) -> None:
        """Σ chosen(claims) ≤ k."""
        self._row(claims, -math.inf, k)

    def _row(self, claims: Iterable[str], low: float, high: float) -> None:
        import numpy as np

        idx = np.array(sorted(self.at[c] for c in claims), dtype=np.int32)
        self.h.addRow(low, high, len(idx), idx, np.ones(len(idx)))

    def solve(self, clock: _Clock) -> set[str] | None:
        """The claims chosen at a least-cost solution; None when there is none or no time."""
        import highspy

        if not self.claims:
            return set()
        self.h.setOptionValue("time_limit", max(clock.left, 0.01) if clock.end < math.inf
                              else math.inf)
        self.h.run()
        if self.h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        values = self.h.getSolution().col_value
        return {c for c, v in zip(self.claims, values, strict=True) if v > 0.5}


# ---------------------------------------------------------------------------
# Conflicts and repairs within one component
# ---------------------------------------------------------------------------


def _shrink(lp: _Lp, on: set[str], clock: _Clock) -> set[str]:
    """A minimal conflict set inside the infeasible claims *on*.

    HiGHS' quick infeasible subsystem narrows the search; a deletion filter then makes
    the set minimal (each claim is dropped in turn and kept out if the rest still
    cannot hold).
    """
    everything = lp.claims
    core = set(on)
    if not lp.feasible(everything - core):
        found = lp.conflicting()
        if found and found < core and not lp.feasible(everything - found):
            core = found
    for claim in sorted(core):
        if clock.out:
            break
        trial = core - {claim}
        if not lp.feasible(everything - trial):
            core = trial
    return core


class _Marco:
    """Minimal conflict sets of one component, smallest first (MARCO, minimal seeds).

    The map proposes the smallest set of claims not yet explored. Every proper subset
    of it has been explored, so if it cannot hold it is a minimal conflict set; if it
    can, it is grown to a maximal set that can hold (:meth:`_grow`) and the map learns
    that one of the claims outside must be in any later seed.
    """

    def __init__(self, lp: _Lp, clock: _Clock) -> None:
        self.lp = lp
        self.clock = clock
        self.map = _Map(sorted(lp.claims), [1.0] * len(lp.claims))
        self.complete = False
        self.found: list[frozenset[str]] = []
        self.elastic: _Lp | None = None

    def next(self) -> frozenset[str] | None:
        """The next minimal conflict set, or None when there is none (or no time)."""
        lp, everything = self.lp, self.lp.claims
        while not self.clock.out and not self.complete:
            seed = self.map.solve(self.clock)
            if seed is None:
                self.complete = not self.clock.out
                return None
            if lp.feasible(everything - seed):
                rest = everything - self._grow(seed)
                if not rest:
                    self.complete = True
                    return None
                self.map.at_least(rest, 1)
            else:
                self.map.at_most(seed, len(seed) - 1)
                self.found.append(frozenset(seed))
                return self.found[-1]
        return None

    def _grow(self, seed: set[str]) -> set[str]:
        """A maximal set of claims that can hold, around *seed* (which can).

        Claims an elastic LP's least-violation point satisfies join at once; a claim
        that would complete a known conflict set never joins; the rest are tried in halves (those
        in no known conflict first), and a half that cannot join is split again, so a
        few excluded claims cost a few LPs each rather than one LP per claim.
        """
        lp, everything = self.lp, self.lp.claims
        if self.elastic is None:
            self.elastic = _Lp(lp.numbers, lp.components)
        held = seed | self.elastic.satisfying(seed)
        suspects = set().union(*self.found) if self.found else set()

        def blocked(claim: str) -> bool:
            return any(claim in m and m - held <= {claim} for m in self.found)

        rest = sorted(everything - held)
        stack = [[c for c in rest if c in suspects], [c for c in rest if c not in suspects]]
        while stack and not self.clock.out:
            group = [c for c in stack.pop() if c not in held and not blocked(c)]
            if not group:
                continue
            if lp.feasible(everything - held - set(group)):
                held |= set(group) | lp.satisfied()
            elif len(group) > 1:
                stack += [group[len(group) // 2:], group[:len(group) // 2]]
        return held


@attrs.define
class _Repairs:
    repairs: list[Repair]
    pinned: frozenset[str] | None  # a conflict among pinned claims, if any
    complete: bool


_NEXT_BEST = 3  # repairs per component beyond those tied for best
_NEXT_BEST_CORES = 8  # conflict sets the search for them may extract


def _repairs(lp: _Lp, cores: Iterable[frozenset[str]], weights: dict[str, float],
             limit: int, clock: _Clock) -> _Repairs:
    """The cheapest repairs of one component, in order of weight (implicit hitting sets).

    Every repair tied for the least weight is found (within *limit* and the time);
    then up to ``_NEXT_BEST`` more, giving up on those after ``_NEXT_BEST_CORES`` new
    conflict sets were needed to find them.
    """
    everything = lp.claims
    free = sorted(c for c in everything if math.isfinite(weights[c]))
    cover = _Map(free, [weights[c] for c in free])
    found: list[Repair] = []
    extra_cores = 0

    def add_core(core: frozenset[str]) -> bool:
        droppable = [c for c in core if c in cover.at]
        if not droppable:
            return False
        cover.at_least(droppable, 1)
        return True

    for core in cores:
        if not add_core(core):
            return _Repairs([], core, True)
    while len(found) < limit and len(found) - len(_best(found)) < _NEXT_BEST:
        if clock.out:
            return _Repairs(found, None, False)
        drop = cover.solve(clock)
        if drop is None:
            return _Repairs(found, None, not clock.out)
        weight = round(sum(weights[c] for c in drop), 9)
        past_best = bool(found) and weight > _best(found)[0].weight + 1e-9
        if past_best and extra_cores >= _NEXT_BEST_CORES:
            return _Repairs(found, None, True)
        if lp.feasible(drop):
            found.append(Repair(claims=tuple(sorted(drop)), weight=weight))
            cover.at_most(drop, len(drop) - 1)
        else:
            core = frozenset(_shrink(lp, set(everything - drop), clock))
            extra_cores += past_best
            if clock.out:
                return _Repairs(found, None, False)
            if not add_core(core):
                return _Repairs([], core, True)
    return _Repairs(found, None, len(found) < limit)


# ---------------------------------------------------------------------------
# Implied figures
# ---------------------------------------------------------------------------

_Bounds = tuple[Decimal | None, Decimal | None]

def _to_decimal(value: float, scale: Decimal, up: bool) -> Decimal:
    """*value* scale units as an exact decimal, rounded outward to the quantum."""
    steps = value * 10**_QUANTUM
    noise = _NOISE * 10**_QUANTUM
    n = math.ceil(steps - noise) if up else math.floor(steps + noise)
    out = Decimal(n).scaleb(scale.adjusted() - _QUANTUM)
    if out == 0:
        return Decimal(0)
    out = out.normalize()
    exponent = out.as_tuple().exponent
    assert isinstance(exponent, int)
    return out.quantize(Decimal(1)) if exponent > 0 else out


def _implied(lp: _Lp, notes: list[str]) -> dict[int, _Bounds]:
    """Least and greatest value of every quantity of *lp*'s components.

    Bound propagation (:meth:`_Lp.propagate`) first gives sound bounds for every
    quantity, usually the exact ones. Then, per side, rounds of LPs: in each round every
    component of the bundle minimises the sum of its quantities not yet settled (a
    separable objective, warm-started from the last basis); a quantity whose value at
    the solution reaches its propagated bound is settled, since no feasible point can
    go beyond that bound. A component whose round settles nothing minimises its first
    unsettled quantity alone in the next round, which settles that one exactly. Where
    propagation finds no bound, the recession cone (:meth:`_Lp.rays`) says whether the
    quantity is unbounded, rather than the box: for flows, one cone LP raising all of
    them at once shows many unbounded together; the rest are taken alone.
    """
    import numpy as np

    system = lp.numbers.system
    lo, hi = lp.propagate()
    scales = [system.components[k].scale for k in lp.components]
    found: dict[int, list[Decimal | None]] = {q: [None, None]
                                               for qs in lp.quantities for q, _ in qs}
    cone: _Lp | None = None
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

    for side, sign in ((0, 1.0), (1, -1.0)):
        bound = lo if side == 0 else hi
        # Flows propagation cannot bound above: one cone LP raises many of them at once.
        settled: set[int] = set()
        group = [(q, c) for qs in lp.quantities for q, c in qs
                 if side == 1 and np.isinf(bound[c]) and lp.nonneg[c]]
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
        # the other quantities propagation cannot bound go first, alone
        pending = [sorted(((q, c) for q, c in qs if q not in settled),
                          key=lambda qc: not np.isinf(bound[qc[1]]))
                   for qs in lp.quantities]
        alone = [False] * len(pending)
        while any(pending):
            cost = np.zeros(lp.ncols)
            for k, todo in enumerate(pending):
                if todo:
                    alone[k] = alone[k] or bool(np.isinf(bound[todo[0][1]]))
                    cost[[todo[0][1]] if alone[k] else [c for _, c in todo]] = sign
            x = lp.optimise(cost)
            if x is None:  # leave this side unbounded for what is left
                failed = True
                break
            for k, todo in enumerate(pending):
                if not todo:
                    continue
                if alone[k]:
                    q, c = todo.pop(0)
                    if np.isinf(bound[c]) and unbounded(c, side):
                        found[q][side] = None
                    else:
                        record(k, q, side, float(x[c]))
                keep = []
                for q, c in todo:
                    if np.isfinite(bound[c]) and abs(x[c] - bound[c]) <= _NOISE:
                        record(k, q, side, float(bound[c]))
                    else:
                        keep.append((q, c))
                alone[k] = len(keep) == len(todo) and not alone[k]
                pending[k] = keep
    if failed:
        notes.append("HiGHS could not bound some implied figures; they are shown unbounded")
    out: dict[int, _Bounds] = {}
    for q, (low, high) in found.items():
        if system.variables[system.quantities[q].variable].nonnegative:
            low = Decimal(0) if low is None or low < 0 else low
        out[q] = (low, high)
    return out


def _bundles(system: System, components: Iterable[int], columns: int) -> list[list[int]]:
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


def _span(bounds: _Bounds, unit: str) -> str:
    low, high = bounds
    a = "unbounded" if low is None else format_amount(low, unit, digits=6)
    b = "unbounded" if high is None else format_amount(high, unit, digits=6)
    return f"{a}–{b}"


# ---------------------------------------------------------------------------
# The analysis
# ---------------------------------------------------------------------------


def _weights(ledger: Ledger, prefer_later: bool) -> dict[str, float]:
    """What dropping each claim costs: its source's weight, less for earlier releases."""
    factor: dict[str, float] = {}
    if prefer_later:
        dates: dict[str, set[Any]] = defaultdict(set)
        for source in ledger.sources:
            if source.cites is not None and source.published is not None:
                dates[source.cites].add(source.published)
        for source in ledger.sources:
            if source.cites is not None and source.published is not None:
                later = sum(1 for d in dates[source.cites] if d > source.published)
                factor[source.id] = _LATER ** later
    out = {}
    for claim in ledger.claims:
        source = ledger.source(claim.source)
        out[claim.id] = source.weight * factor.get(source.id, 1.0)
    return out


class _Side:
    """One reading's system, its components' LPs (built on demand) and which are infeasible.

    Components are shared by every reading (:func:`compile_readings`); one whose rows
    are the very rows of the main reading shares the main reading's results. Where the
    rows differ, every claim's interval under this reading may contain its interval
    under the main one (*looser*: whatever holds under the main reading holds here, and
    a conflict here is a conflict there) or lie inside it (*tighter*: the reverse).
    """

    numbers: _Numbers

    def __init__(self, system: System, ledger: Ledger, main: _Side | None) -> None:
        self.system = system
        names = [c.id for c in ledger.claims]
        self.numbers = _Numbers(system, names, None if main is None else main.numbers)
        self.lps: dict[int, _Lp] = {}
        self.bad: set[int] = set()
        self.same: set[int] = set()
        self.looser: set[int] = set()
        self.tighter: set[int] = set()
        if main is None:
            self.home = {c: k for k, comp in enumerate(system.components) for c in comp.claims}
            return
        self.home = main.home
        differ: dict[int, set[str]] = defaultdict(set)
        for row, old in zip(system.rows, main.system.rows, strict=True):
            if row is not old and row.claim is not None:
                differ[self.home[row.claim]].add(row.claim)
        self.same = set(range(len(system.components))) - differ.keys()
        for k, claims in differ.items():
            pairs = [(c.interval(system.reading), c.interval(main.system.reading))
                     for c in map(ledger.claim, claims)]
            if all(a is not None and b is not None and a.low <= b.low and a.high >= b.high
                   for a, b in pairs):
                self.looser.add(k)
            if all(a is not None and b is not None and a.low >= b.low and a.high <= b.high
                   for a, b in pairs):
                self.tighter.add(k)

    def lp(self, k: int) -> _Lp:
        if k not in self.lps:
            self.lps[k] = _Lp(self.numbers, [k])
        return self.lps[k]

    def find_infeasible(self, main: _Side | None) -> None:
        """Fill ``bad``: many components share one LP; an infeasible one is bisected.

        A component whose rows are the main reading's, or looser where the main reading
        holds, or tighter where it does not, needs no LP at all.
        """
        todo = list(range(len(self.system.components)))
        if main is not None:
            self.bad = main.bad & (self.same | self.tighter)
            todo = [k for k in todo if k not in self.same
                    and not (k in self.looser and k not in main.bad)
                    and not (k in self.tighter and k in main.bad)]
        stack = _bundles(self.system, todo, _BUNDLE_FEASIBLE)
        while stack:  # an infeasible bundle is halved until its culprits stand alone
            group = stack.pop()
            if len(group) > 1:
                if not _Lp(self.numbers, group, presolve=True).feasible():
                    stack += [group[:len(group) // 2], group[len(group) // 2:]]
            elif self.lp(group[0]).feasible():
                del self.lps[group[0]]
            else:
                self.bad.add(group[0])

    def holds(self, claims: frozenset[str]) -> bool:
        """Whether *claims* can all hold together under this reading."""
        k = self.home.get(next(iter(claims)))
        if k is None or k not in self.bad:
            return True
        lp = self.lp(k)
        return lp.feasible(lp.claims - claims)


def _enumerate(side: _Side, keys: Iterable[int], budget: int, clock: _Clock
               ) -> tuple[dict[int, list[frozenset[str]]], bool]:
    """Minimal conflict sets of some components, taking turns, smallest first in each."""
    comps = side.system.components
    marcos = {k: _Marco(side.lp(k), clock)
              for k in sorted(keys, key=lambda k: len(comps[k].claims))}
    found: dict[int, list[frozenset[str]]] = {k: [] for k in marcos}
    live = list(marcos)
    total = 0
    while live and total < budget and not clock.out:
        for k in list(live):
            if total >= budget:
                break
            mus = marcos[k].next()
            if mus is None:
                live.remove(k)
            else:
                found[k].append(mus)
                total += 1
    return found, all(m.complete for m in marcos.values())


def _combine(groups: list[list[Repair]], limit: int) -> list[Repair]:
    """The cheapest repairs of the whole ledger: one repair from each group."""
    if not groups or any(not g for g in groups):
        return []
    start = (0,) * len(groups)

    def total(ix: tuple[int, ...]) -> float:
        return round(sum(g[i].weight for g, i in zip(groups, ix, strict=True)), 9)

    heap = [(total(start), start)]
    seen = {start}
    out: list[Repair] = []
    while heap and len(out) < limit:
        weight, ix = heapq.heappop(heap)
        claims = sorted(c for g, i in zip(groups, ix, strict=True) for c in g[i].claims)
        out.append(Repair(claims=tuple(claims), weight=weight))
        for k in range(len(groups)):
            if ix[k] + 1 < len(groups[k]):
                nxt = (*ix[:k], ix[k] + 1, *ix[k + 1:])
                if nxt not in seen:
                    seen.add(nxt)
                    heapq.heappush(heap, (total(nxt), nxt))
    out.sort(key=lambda r: (r.weight, len(r.claims), r.claims))
    return out


def _best(repairs: Sequence[Repair]) -> list[Repair]:
    """The repairs that tie for the least weight."""
    if not repairs:
        return []
    least = min(r.weight for r in repairs)
    return [r for r in repairs if r.weight <= least + 1e-9 * max(1.0, abs(least))]


def analyse(
    ledger: Ledger,
    reading: Reading = "default",
    *,
    max_conflicts: int = 50,
    max_repairs: int = 10,
    time_limit: float | None = 30.0,
    prefer_later: bool = False,
) -> Analysis:
    """Analyse every claim of *ledger* jointly under *reading*.

    Args:
        max_conflicts: stop enumerating conflict sets (per reading) after this many;
            independent parts of the ledger take turns, so each gets its smallest.
        max_repairs: list at most this many repairs (per independent part, and of the
            whole ledger); each part keeps its ties for best and a few next-best.
        time_limit: seconds for the enumeration of conflicts and repairs (None: no
            limit); the implied figures are always computed.
        prefer_later: make a claim cheaper to drop when a later release of the same
            cited body exists (a weight factor of 0.9 per later publication date), so
            revisions win ties.
    """
    if reading not in READINGS:
        raise ValueError(f"reading must be one of {', '.join(READINGS)}, got {reading!r}")
    clock = _Clock(time_limit)
    order = (reading, *(r for r in READINGS if r != reading))
    systems = compile_readings(ledger, order)
    main = _Side(systems[reading], ledger, None)
    sides = {reading: main}
    for r in order[1:]:
        sides[r] = _Side(systems[r], ledger, main)
    system = main.system
    comps = system.components
    notes: list[str] = list(system.notes)
    truncated = False
    weights = _weights(ledger, prefer_later)

    # -- conflicts under every reading --------------------------------------------
    muses: dict[Reading, dict[int, list[frozenset[str]]]] = {}
    for r in order:
        side = sides[r]
        side.find_infeasible(None if r == reading else main)
        # a looser reading has no conflict the main one lacks: its sets only need readings
        own = [k for k in side.bad if k not in side.same and k not in side.looser]
        muses[r], complete = _enumerate(side, own, max_conflicts, clock)
        for k in side.bad & side.same:
            muses[r][k] = muses[reading].get(k, [])
        for k in side.bad & side.looser - side.same:
            muses[r][k] = [s for s in muses[reading].get(k, []) if not side.holds(s)]
        if not complete:
            truncated = True
            why = "the time limit" if clock.out else f"max_conflicts={max_conflicts}"
            notes.append(f"conflict sets under the {r} reading: enumeration stopped at {why}")

    every: dict[frozenset[str], set[Reading]] = defaultdict(set)
    for r in READINGS:
        for sets in muses[r].values():
            for s in sets:
                every[s].add(r)
    for s, rs in every.items():
        for r in READINGS:
            if r not in rs and not sides[r].holds(s):
                rs.add(r)

    def conflict(s: frozenset[str]) -> Conflict:
        return Conflict(claims=tuple(sorted(s)),
                        readings=tuple(r for r in _STRICT_FIRST if r in every[s]))

    def size_first(c: Conflict) -> tuple[int, tuple[str, ...]]:
        return (len(c.claims), c.claims)

    main_sets = {s for sets in muses[reading].values() for s in sets}
    conflicts = sorted((conflict(s) for s in main_sets), key=size_first)
    sensitive = sorted((conflict(s) for s in every if reading not in every[s]), key=size_first)

    # -- repairs under the main reading ----------------------------------------------
    groups: list[list[Repair]] = []
    drop_in: dict[int, list[Repair]] = {}
    pinned_parts: set[int] = set()
    for k in sorted(main.bad, key=lambda k: len(comps[k].claims)):
        result = _repairs(main.lp(k), muses[reading].get(k, []), weights, max_repairs, clock)
        if result.pinned is not None:
            pinned_parts.add(k)
            notes.append("claims of pinned sources conflict among themselves ("
                         + ", ".join(sorted(result.pinned))
                         + "): no repair can keep them all")
            continue
        if not result.complete and len(_best(result.repairs)) == len(result.repairs):
            truncated = True
            notes.append(f"repairs of the part holding {comps[k].claims[0]!r}: more may tie "
                         f"for best (stopped at "
                         f"{'the time limit' if clock.out else 'max_repairs'})")
        result.repairs.sort(key=lambda r: (r.weight, len(r.claims), r.claims))
        groups.append(result.repairs)
        drop_in[k] = result.repairs
    repairs = [] if pinned_parts else _combine(groups, max_repairs)
    ties = math.prod(len(_best(g)) for g in groups) if groups and not pinned_parts else 0
    if ties > max_repairs:
        truncated = True
        notes.append(f"{ties} repairs tie for the least weight; {max_repairs} are listed "
                     f"(repair_groups has each independent part's own)")

    # -- implied figures under the best repair ---------------------------------------
    bounds: dict[int, _Bounds] = {}
    quantity_notes: dict[int, str] = {}
    clean = (k for k in range(len(comps)) if k not in main.bad)
    for bundle in _bundles(system, clean, _BUNDLE_COLUMNS):
        bounds.update(_implied(_Lp(main.numbers, bundle, box=True), notes))
    for k in sorted(main.bad):
        best = _best(drop_in.get(k, []))
        if not best:
            why = "no repair exists" if k in pinned_parts else "no repair was found in time"
            notes.append(f"no implied figures for the part holding {comps[k].claims[0]!r}: "
                         f"{why}")
            continue
        lp = _Lp(main.numbers, [k], box=True)
        per_repair = []
        for repair in best[:_MAX_TIES_IMPLIED]:
            lp.switch_off(repair.claims)
            per_repair.append((repair, _implied(lp, notes)))
        first = per_repair[0][1]
        bounds.update(first)
        for q, b in first.items():
            others = [(rep, res[q]) for rep, res in per_repair[1:] if res[q] != b]
            if others:
                unit = system.quantities[q].unit
                quantity_notes[q] = "other best repairs give " + "; ".join(
                    f"{_span(ob, unit)} (dropping {', '.join(rep.claims)})" for rep, ob in others)
    implied = []
    for q, quantity in enumerate(system.quantities):
        if q in bounds:
            low, high = bounds[q]
            implied.append(Implied(metric=quantity.metric, period=quantity.period,
                                   unit=quantity.unit, low=low, high=high,
                                   reported=quantity.reported, note=quantity_notes.get(q)))

    # -- outlets -----------------------------------------------------------------------
    in_conflicts = {c for conf in conflicts for c in conf.claims}
    in_best = {c for g in groups for r in _best(g) for c in r.claims}
    outlets: dict[str, list[str]] = {}
    for source in ledger.sources:
        outlets.setdefault(source.label, []).append(source.id)
    by_source: dict[str, list[str]] = defaultdict(list)
    for claim in ledger.claims:
        by_source[claim.source].append(claim.id)
    summaries = []
    for label, ids in outlets.items():
        claims = [c for s in ids for c in by_source[s]]
        summaries.append(OutletSummary(
            outlet=label, sources=tuple(ids), claims=len(claims),
            in_conflicts=sum(c in in_conflicts for c in claims),
            in_repairs=sum(c in in_best for c in claims)))

    return Analysis(
        consistent=not main.bad,
        conflicts=tuple(conflicts),
        repairs=tuple(repairs),
        implied=tuple(implied),
        outlets=tuple(summaries),
        truncated=truncated,
        notes=tuple(notes),
        reading=reading,
        sensitive=tuple(sensitive),
        repair_groups=tuple(tuple(g) for g in groups),
    )
