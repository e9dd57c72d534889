"""Joint analysis: which claims cannot all hold, which to drop, what the rest imply.

:func:`analyse` compiles the ledger (:mod:`nkledger.constraints`) under each reading
and hands each independent component to HiGHS (via highspy). Floats live only here.

Numbers
    Each component is solved in units of its ``scale`` (a power of ten putting its
    largest figure in [100, 1000)). HiGHS runs with primal and dual feasibility
    tolerances of ``1e-9`` scale units — about 1e-12 of the largest figure — so a
    ledger that holds only at the last rounded digit (intervals that touch) is
    consistent, and one off by a digit is not. Strict inequalities ("rose",
    "prior > 0") become ``≥ 1e-6`` scale units, far above the tolerance and far below
    any written digit.

Conflicts (minimal conflict sets, MUSes)
    Enumerated per infeasible component with MARCO (Liffiton et al., 2016): a small
    MILP (the *map*, binary per claim) proposes the largest set of claims not yet
    explored; HiGHS says whether those claims can hold together. If they can, the set is
    maximal satisfiable and everything outside it must lose a claim (blocking clause);
    if not, a deletion filter shrinks it to a minimal conflict set and its supersets
    are blocked. Enumeration stops when the map is exhausted, after ``max_conflicts``
    sets, or at ``time_limit``; ``truncated`` says so.

Repairs (Fellegi–Holt)
    The least-weight sets of claims whose removal makes a component consistent are
    minimum-weight hitting sets of its conflict sets. An implicit-hitting-set loop
    finds them without big-M constants: a set-cover MILP over the known conflict sets
    proposes the cheapest candidate; if dropping it leaves the component infeasible, a
    new conflict set is extracted from what is left and the loop goes on; if not, the
    candidate is a repair and a no-good cut asks for the next one. Repairs thus come in
    order of weight, ties included. Claims of pinned sources (weight ``inf``) are never
    candidates. Components are independent, so a repair of the whole ledger is one
    repair per component with a conflict; ``repairs`` lists the cheapest combinations,
    ``repair_groups`` the per-component choices.

Implied figures
    For each quantity the ledger touches, the least and greatest value the claims that
    survive the best repair allow (two LPs). Consistent components are bundled into one
    block-diagonal LP: round *r* minimises the sum of every component's *r*-th quantity
    (a separable objective, so each block reaches its own minimum), warm-started from the
    last basis. Variables get a box of ``1e6`` scale units for these LPs, so a bundle
    cannot be unbounded; a quantity reaching ``1e5`` units is reported unbounded.
    Bounds are rounded outward to ``1e-4`` scale units (after forgiving ``1e-7`` of
    solver noise).

Readings
    Conflicts are enumerated under the strict, default and lenient readings; each
    conflict set says under which readings it cannot hold. Conflicts that exist only
    under another reading than the one asked for are kept apart in ``sensitive``.
"""

from __future__ import annotations

import heapq
import math
import time
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from .constraints import Component, System, compile_ledger
from .figures import READINGS, Reading, format_amount
from .ledger import Ledger
from .periods import Period

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
_BUNDLE_COLUMNS = 2000  # consistent components share an LP up to about this many columns
_LATER = 0.9         # prefer_later: weight factor per later release of the same body
_MAX_TIES_IMPLIED = 5  # best repairs of one component compared for implied figures


@attrs.frozen(kw_only=True)
class Conflict:
    """A minimal conflict set: these claims cannot all hold; drop any one and the rest can.

    ``readings`` lists the readings of the qualifiers under which the claims cannot
    all hold (in the order strict, default, lenient).
    """

    claims: tuple[str, ...]
    readings: tuple[Reading, ...]


@attrs.frozen(kw_only=True)
class Repair:
    """Claims whose removal makes everything consistent, and the source weight dropped."""

    claims: tuple[str, ...]
    weight: float


@attrs.frozen(kw_only=True)
class Implied:
    """The tightest interval the surviving claims allow for a metric over a period.

    ``low``/``high`` are None where the claims leave that side unbounded. ``reported``
    says whether some claim states a level for exactly this metric and period.
    """

    metric: str
    period: Period
    unit: str
    low: Decimal | None
    high: Decimal | None
    reported: bool
    note: str | None = None


@attrs.frozen(kw_only=True)
class OutletSummary:
    """One outlet's claims: how many, how many in conflict sets, how many in best repairs."""

    outlet: str
    sources: tuple[str, ...]
    claims: int
    in_conflicts: int
    in_repairs: int


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


def _highs() -> Any:
    import highspy

    h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    return h


class _Lp:
    """A HiGHS model of some components' rows, whose claims can be switched off.

    Columns are the components' variables in scale units; every claim's rows can be
    relaxed to free rows (switched off) and restored.
    """

    def __init__(self, system: System, components: Sequence[Component], *,
                 box: bool = False) -> None:
        import highspy
        import numpy as np

        inf = highspy.kHighsInf
        self.components = components
        self.column: dict[int, int] = {}
        lower: list[float] = []
        upper: list[float] = []
        starts: list[int] = []
        index: list[int] = []
        value: list[float] = []
        row_low: list[float] = []
        row_high: list[float] = []
        row_claim: list[int] = []
        number: dict[str, int] = {}
        for comp in components:
            shift = -comp.scale.adjusted()
            for j in comp.variables:
                self.column[j] = len(self.column)
                lower.append(0.0 if system.variables[j].nonnegative else
                             (-_BOX if box else -inf))
                upper.append(_BOX if box else inf)
            for i in comp.rows:
                row = system.rows[i]
                if row.claim is None:
                    row_claim.append(-1)
                else:
                    row_claim.append(number.setdefault(row.claim, len(number)))
                starts.append(len(index))
                for j, coef in row.terms:
                    index.append(self.column[j])
                    value.append(float(coef))
                low = float(row.low.scaleb(shift)) if row.low.is_finite() else -inf
                high = float(row.high.scaleb(shift)) if row.high.is_finite() else inf
                row_low.append(low + _DELTA if row.open_low else low)
                row_high.append(high - _DELTA if row.open_high else high)
        starts.append(len(index))
        self.ncols = len(lower)
        self.low = np.array(row_low, dtype=np.float64)
        self.high = np.array(row_high, dtype=np.float64)
        self.names = list(number)
        self.row_claim = np.array(row_claim, dtype=np.int64)
        rows = np.arange(len(row_claim), dtype=np.int32)
        self.rows_of = {c: rows[self.row_claim == k] for c, k in number.items()}
        self.claims = frozenset(number)
        self.off: set[str] = set()
        lp = highspy.HighsLp()
        lp.num_col_ = self.ncols
        lp.num_row_ = len(row_low)
        lp.col_cost_ = np.zeros(self.ncols)
        lp.col_lower_ = np.array(lower, dtype=np.float64)
        lp.col_upper_ = np.array(upper, dtype=np.float64)
        lp.row_lower_ = self.low
        lp.row_upper_ = self.high
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
        lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
        lp.a_matrix_.value_ = np.array(value, dtype=np.float64)
        self.h = _highs()
        self.h.setOptionValue("presolve", "off")
        self.h.setOptionValue("primal_feasibility_tolerance", _TOL)
        self.h.setOptionValue("dual_feasibility_tolerance", _TOL)
        if box:  # re-solves that change only the objective: primal simplex warm starts
            self.h.setOptionValue("simplex_strategy", 4)
        self.h.passModel(lp)
        self._inf = inf

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
        low[relaxed] = -self._inf
        high[relaxed] = self._inf
        self.h.changeRowsBounds(len(rows), rows, low, high)
        self.off = off

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
        return {c for k, c in enumerate(self.names) if k not in broken}

    def conflicting(self) -> set[str] | None:
        """After an infeasible solve: the claims of an infeasible subsystem HiGHS finds."""
        self.h.setOptionValue("iis_strategy", 2)  # from the LP: quick, not irreducible
        _, iis = self.h.getIis()
        if not iis.valid_:
            return None
        return {self.names[k] for r in iis.row_index_ if (k := int(self.row_claim[r])) >= 0}

    def optimise(self, cost: npt.NDArray[np.float64], maximise: bool
                 ) -> npt.NDArray[np.float64] | None:
        """The column values at an optimum of ``cost``, or None if HiGHS finds none."""
        import highspy
        import numpy as np

        self.h.changeObjectiveSense(highspy.ObjSense.kMaximize if maximise
                                    else highspy.ObjSense.kMinimize)
        self.h.changeColsCost(self.ncols, np.arange(self.ncols, dtype=np.int32), cost)
        if self._run() != highspy.HighsModelStatus.kOptimal:
            return None
        return np.asarray(self.h.getSolution().col_value)


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
    can, it is grown to a maximal set that can hold (first by every claim the LP's
    solution already satisfies, then claim by claim) and the map learns that one of
    the claims outside must be in any later seed.
    """

    def __init__(self, lp: _Lp, clock: _Clock) -> None:
        self.lp = lp
        self.clock = clock
        self.map = _Map(sorted(lp.claims), [1.0] * len(lp.claims))
        self.complete = False

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
                return frozenset(seed)
        return None

    def _grow(self, seed: set[str]) -> set[str]:
        lp, everything = self.lp, self.lp.claims
        held = seed | lp.satisfied()
        for claim in sorted(everything - held):
            if claim in held or self.clock.out:
                continue
            if lp.feasible(everything - held - {claim}):
                held |= {claim} | lp.satisfied()
        return held


@attrs.define
class _Repairs:
    repairs: list[Repair]
    pinned: frozenset[str] | None  # a conflict among pinned claims, if any
    complete: bool


_NEXT_BEST = 3  # repairs per component beyond those tied for best


def _repairs(lp: _Lp, cores: Iterable[frozenset[str]], weights: dict[str, float],
             limit: int, clock: _Clock) -> _Repairs:
    """The cheapest repairs of one component, in order of weight (implicit hitting sets)."""
    everything = lp.claims
    free = sorted(c for c in everything if math.isfinite(weights[c]))
    cover = _Map(free, [weights[c] for c in free])
    found: list[Repair] = []

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
        if lp.feasible(drop):
            weight = round(sum(weights[c] for c in drop), 9)
            found.append(Repair(claims=tuple(sorted(drop)), weight=weight))
            cover.at_most(drop, len(drop) - 1)
        else:
            core = frozenset(_shrink(lp, set(everything - drop), clock))
            if clock.out:
                return _Repairs(found, None, False)
            if not add_core(core):
                return _Repairs([], core, True)
    return _Repairs(found, None, False)


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


def _implied(lp: _Lp, system: System, notes: list[str]) -> dict[int, _Bounds]:
    """Least and greatest value of every quantity of *lp*'s components (bundled rounds)."""
    import numpy as np

    per = [(comp, list(comp.quantities)) for comp in lp.components]
    rounds = max((len(qs) for _, qs in per), default=0)
    found: dict[int, list[Decimal | None]] = {q: [None, None] for _, qs in per for q in qs}
    columns = [[np.array([lp.column[j] for j in system.quantities[q].variables], dtype=np.int64)
                for q in qs] for _, qs in per]
    failed = False
    for side, maximise in enumerate((False, True)):
        for r in range(rounds):
            cost = np.zeros(lp.ncols)
            for k in range(len(per)):
                if r < len(columns[k]):
                    cost[columns[k][r]] = 1.0
            x = lp.optimise(cost, maximise)
            if x is None:
                failed = True
                continue
            for k, (comp, qs) in enumerate(per):
                if r < len(qs):
                    value = float(x[columns[k][r]].sum())
                    found[qs[r]][side] = (None if abs(value) >= _UNBOUNDED
                                          else _to_decimal(value, comp.scale, up=maximise))
    if failed:
        notes.append("HiGHS could not bound some implied figures; they are shown unbounded")
    out: dict[int, _Bounds] = {}
    for q, (low, high) in found.items():
        if all(system.variables[j].nonnegative for j in system.quantities[q].variables):
            low = Decimal(0) if low is None or low < 0 else low
        out[q] = (low, high)
    return out


def _bundles(components: Iterable[Component]) -> list[list[Component]]:
    """Consecutive groups of components with about ``_BUNDLE_COLUMNS`` columns each."""
    out: list[list[Component]] = []
    current: list[Component] = []
    size = 0
    for comp in components:
        current.append(comp)
        size += len(comp.variables)
        if size >= _BUNDLE_COLUMNS:
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

_Key = tuple[str, ...]  # a component, by its claims


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
    """One reading's system, its components' LPs (built on demand) and which are infeasible."""

    def __init__(self, system: System, main: _Side | None) -> None:
        self.system = system
        self.by_key = {c.claims: c for c in system.components}
        self.home = {claim: c.claims for c in system.components for claim in c.claims}
        self.lps: dict[_Key, _Lp] = {}
        # components whose rows are exactly the main reading's share its results
        self.same: set[_Key] = set()
        if main is not None:
            for key, comp in self.by_key.items():
                other = main.by_key.get(key)
                if other is not None and len(other.rows) == len(comp.rows) and all(
                        system.rows[i] == main.system.rows[k]
                        for i, k in zip(comp.rows, other.rows, strict=True)):
                    self.same.add(key)
        self.bad: set[_Key] = set()

    def lp(self, key: _Key) -> _Lp:
        if key not in self.lps:
            self.lps[key] = _Lp(self.system, [self.by_key[key]])
        return self.lps[key]

    def find_infeasible(self, main: _Side | None) -> None:
        """Fill ``bad``: bundles first, then the components of an infeasible bundle."""
        todo = [c for c in self.system.components if c.claims not in self.same]
        if main is not None:
            self.bad = {k for k in main.bad if k in self.same}
        for bundle in _bundles(todo):
            if len(bundle) > 1 and _Lp(self.system, bundle).feasible():
                continue
            for comp in bundle:
                if not self.lp(comp.claims).feasible():
                    self.bad.add(comp.claims)
                else:
                    del self.lps[comp.claims]

    def holds(self, claims: frozenset[str]) -> bool:
        """Whether *claims* can all hold together under this reading."""
        key = self.home.get(next(iter(claims)))
        if key is None or key not in self.bad:
            return True
        lp = self.lp(key)
        return lp.feasible(lp.claims - claims)


def _enumerate(side: _Side, keys: Iterable[_Key], budget: int, clock: _Clock
               ) -> tuple[dict[_Key, list[frozenset[str]]], bool]:
    """Minimal conflict sets of the components *keys*, taking turns, smallest first each."""
    marcos = {key: _Marco(side.lp(key), clock) for key in sorted(keys, key=len)}
    found: dict[_Key, list[frozenset[str]]] = {key: [] for key in marcos}
    live = list(marcos)
    total = 0
    while live and total < budget and not clock.out:
        for key in list(live):
            if total >= budget:
                break
            mus = marcos[key].next()
            if mus is None:
                live.remove(key)
            else:
                found[key].append(mus)
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
    main = _Side(compile_ledger(ledger, reading), None)
    sides = {reading: main}
    for r in READINGS:
        if r != reading:
            sides[r] = _Side(compile_ledger(ledger, r), main)
    notes: list[str] = list(main.system.notes)
    truncated = False
    weights = _weights(ledger, prefer_later)

    # -- conflicts under every reading --------------------------------------------
    muses: dict[Reading, dict[_Key, list[frozenset[str]]]] = {}
    for r in (reading, *(x for x in READINGS if x != reading)):
        side = sides[r]
        side.find_infeasible(None if r == reading else main)
        own = [k for k in side.bad if k not in side.same]
        muses[r], complete = _enumerate(side, own, max_conflicts, clock)
        for key in side.bad & side.same:
            muses[r][key] = muses[reading].get(key, [])
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
                        readings=tuple(r for r in READINGS if r in every[s]))

    def order(c: Conflict) -> tuple[int, tuple[str, ...]]:
        return (len(c.claims), c.claims)

    main_sets = {s for sets in muses[reading].values() for s in sets}
    conflicts = sorted((conflict(s) for s in main_sets), key=order)
    sensitive = sorted((conflict(s) for s in every if reading not in every[s]), key=order)

    # -- repairs under the main reading ----------------------------------------------
    groups: list[list[Repair]] = []
    drop_in: dict[_Key, list[Repair]] = {}
    pinned_conflict = False
    for key in sorted(main.bad, key=len):
        result = _repairs(main.lp(key), muses[reading].get(key, []), weights, max_repairs,
                          clock)
        if result.pinned is not None:
            pinned_conflict = True
            notes.append("claims of pinned sources conflict among themselves ("
                         + ", ".join(sorted(result.pinned))
                         + "): no repair can keep them all")
            continue
        if not result.complete and len(_best(result.repairs)) == len(result.repairs):
            truncated = True
            notes.append(f"repairs of the part holding {key[0]!r}: more may tie for best "
                         f"(stopped at {'the time limit' if clock.out else 'max_repairs'})")
        result.repairs.sort(key=lambda r: (r.weight, len(r.claims), r.claims))
        groups.append(result.repairs)
        drop_in[key] = result.repairs
    repairs = [] if pinned_conflict else _combine(groups, max_repairs)
    ties = math.prod(len(_best(g)) for g in groups) if groups and not pinned_conflict else 0
    if ties > max_repairs:
        truncated = True
        notes.append(f"{ties} repairs tie for the least weight; {max_repairs} are listed "
                     f"(repair_groups has each independent part's own)")

    # -- implied figures under the best repair ---------------------------------------
    bounds: dict[int, _Bounds] = {}
    quantity_notes: dict[int, str] = {}
    system = main.system
    for bundle in _bundles(c for c in system.components if c.claims not in main.bad):
        bounds.update(_implied(_Lp(system, bundle, box=True), system, notes))
    for key in main.bad:
        best = _best(drop_in.get(key, []))
        if not best:
            notes.append(f"no implied figures for the part holding {key[0]!r}: it has no repair")
            continue
        lp = _Lp(system, [main.by_key[key]], box=True)
        per_repair = []
        for repair in best[:_MAX_TIES_IMPLIED]:
            lp.switch_off(repair.claims)
            per_repair.append((repair, _implied(lp, system, notes)))
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
