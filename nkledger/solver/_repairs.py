"""Least-weight repairs of one component (Fellegi–Holt), anytime, with a proven bound.

The order of work is the order a user needs answers in:

1. **A first repair** from Chinneck's elastic LP: every claim gets slack that costs its
   weight; the claims the least weighted violation bends are dropped, and the drop is
   made irreducible (each claim is put back if the rest can still hold). Checked exactly,
   it is a real repair at once, whatever happens later.
2. **Conflict sets that explain it**: for each claim of that repair, a set of claims that
   cannot hold inside what the repair keeps plus that claim.
3. **A proven least weight** by implicit hitting sets: a small MILP (one binary per
   claim, one row per known conflict set, no big-M) proposes the cheapest set that
   meets every known conflict set — a lower bound on any repair. If dropping it leaves
   claims that can hold, it is a least-weight repair; if not, conflict sets are taken
   from what is left, pairwise disjoint (one LP and a Farkas support each), and the MILP
   runs again.
4. **Ties** (and a few next-best): a no-good cut excludes each repair found and its
   supersets; the MILP proposes the next cheapest, in order of weight.

Stopped by a limit at any point, the best repair so far stands with the best lower
bound so far ("at least 39 claims must go; this repair drops 41"): never no repair.

Claims with identical rows (a wire story reprinted word for word) are one column here
(:mod:`nkledger.solver` groups them): a least-weight repair drops all or none of them,
and their weights add up.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import attrs

from ._conflicts import Budget, Core, Search
from ._feasibility import Model
from ._highs import highs

__all__ = ["TRACE", "HittingSets", "PartRepairs", "mark", "repair"]

_EPS = 1e-9
#: When a list, :func:`repair` appends ``(event, time.monotonic())`` for "first" (the
#: first repair), "proven" (a least-weight repair proven) and "ties" (ties done); for
#: the benchmarks, which time these moments.
TRACE: list[tuple[str, float]] | None = None


def mark(event: str) -> None:
    """Note that *event* happened now, when :data:`TRACE` is a list."""
    if TRACE is not None:
        TRACE.append((event, _now()))
_NEXT_BEST = 3         # repairs per component beyond those tied for best
_NEXT_BEST_CORES = 8   # conflict sets the search for them may extract


class HittingSets:
    """A small pure-binary MILP over claims: the cheapest set meeting given sets."""

    def __init__(self, claims: Sequence[str], cost: Sequence[float]) -> None:
        import highspy
        import numpy as np

        self.claims = list(claims)
        self.cost = dict(zip(self.claims, cost, strict=True))
        self.at = {c: i for i, c in enumerate(self.claims)}
        n = len(self.claims)
        self.h = highs()
        self.h.setOptionValue("mip_rel_gap", 0.0)
        self.h.setOptionValue("mip_abs_gap", 1e-9)
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

    def solve(self, seconds: float) -> frozenset[str] | None:
        """The claims chosen at a least-cost solution; None when there is none."""
        import highspy

        if not self.claims:
            return frozenset()
        self.h.setOptionValue("time_limit", max(seconds, 0.01))
        self.h.run()
        if self.h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        values = self.h.getSolution().col_value
        return frozenset(c for c, v in zip(self.claims, values, strict=True) if v > 0.5)


@attrs.define
class PartRepairs:
    """One component's repairs (sets of representatives), cheapest first, and their proof.

    ``lower_bound`` is proven: no repair weighs less. ``optimal`` says the first repair
    weighs exactly that; ``ties_complete`` that every repair of that weight is listed.
    ``pinned`` is a conflict set of pinned claims (then there is no repair at all).
    ``stopped`` names the limit that cut the work short, if one did.
    """

    repairs: list[frozenset[str]]
    weights: list[float]
    lower_bound: float
    optimal: bool
    ties_complete: bool
    cores: list[Core]
    pinned: Core | None = None
    stopped: str | None = None


def _weight(drop: Iterable[str], weights: Mapping[str, float]) -> float:
    return round(sum(weights[c] for c in drop), 9)


def repair(search: Search, elastic: Model, weights: Mapping[str, float], limit: int,
           budget: Budget) -> PartRepairs:
    """The cheapest repairs of the component behind *search* (see the module docstring)."""
    everything = search.model.claims
    free = sorted(c for c in everything if math.isfinite(weights[c]))
    droppable = frozenset(free)

    # 1. a first repair, from the elastic LP, made irreducible (on the floats' word),
    #    then proven exactly; dropping every droppable claim is the fallback
    budget.spend()
    first = elastic.least_violation(everything)
    drop: frozenset[str] | None = None
    if first is not None and first <= droppable and search.solve(everything - first).feasible:
        drop = frozenset(first)
        for c in sorted(drop, key=lambda c: (-weights[c], c)):
            if budget.out:
                break
            if search.solve(everything - (drop - {c})).feasible:
                drop = drop - {c}
        if not search.holds(everything - drop):
            drop = None
    if drop is None:
        if search.holds(everything - droppable):
            drop = droppable
        else:
            pinned = search.core(everything - droppable, minimal=True)
            if pinned is None:  # neither proven: no repair can be vouched for
                return PartRepairs(repairs=[], weights=[], lower_bound=0.0, optimal=False,
                                   ties_complete=False, cores=[],
                                   stopped="an LP that could not be decided exactly")
            return PartRepairs(repairs=[], weights=[], lower_bound=math.inf, optimal=True,
                               ties_complete=True, cores=[pinned], pinned=pinned)
    best = drop
    best_weight = _weight(best, weights)
    mark("first")

    # 2. conflict sets inside what it keeps, one per claim it drops
    cores: list[Core] = []
    for c in sorted(best):
        if budget.out:
            break
        core = search.core((everything - best) | {c}, minimal=False)
        if core is not None:
            cores.append(core)

    # 3. implicit hitting sets, for a proven least weight
    cover = HittingSets(free, [weights[c] for c in free])
    lower = 0.0

    def learn(new: Iterable[Core]) -> Core | None:
        for core in new:
            hit = [c for c in core.claims if c in droppable]
            if not hit:
                return core
            cover.at_least(hit, 1)
            if core not in cores:
                cores.append(core)
        return None

    pinned = learn(cores)
    if pinned is not None:
        return PartRepairs(repairs=[], weights=[], lower_bound=math.inf, optimal=True,
                           ties_complete=True, cores=cores, pinned=search.minimise(pinned))
    optimal = False
    stopped: str | None = None
    while True:
        if budget.out:
            stopped = budget.cut
            break
        proposal = cover.solve(budget.end - _now())
        if proposal is None:
            stopped = budget.cut or "the time limit"
            break
        lower = max(lower, _weight(proposal, weights))
        if lower >= best_weight - _EPS:
            optimal = True
            break
        left = everything - proposal
        found, holds = search.disjoint(left, minimal=False)
        if not found:
            if search.proves(holds):
                best, best_weight = proposal, lower
                optimal = True
            else:
                stopped = budget.cut or "an LP that could not be decided exactly"
            break
        pinned = learn(found)
        if pinned is not None:
            return PartRepairs(repairs=[], weights=[], lower_bound=math.inf, optimal=True,
                               ties_complete=True, cores=cores,
                               pinned=search.minimise(pinned))
    repairs = [best]
    mark("proven")
    if not optimal:
        return PartRepairs(repairs=repairs, weights=[best_weight], lower_bound=lower,
                           optimal=False, ties_complete=False, cores=cores, stopped=stopped)

    # 4. ties, then a few next-best, in order of weight
    cover.at_most(best, len(best) - 1)
    weights_out = [best_weight]
    extra_cores = 0
    ties_complete = False
    while len(repairs) < limit and len(repairs) - _ties(weights_out) < _NEXT_BEST:
        if budget.out:
            stopped = budget.cut
            break
        proposal = cover.solve(budget.end - _now())
        if proposal is None:
            ties_complete = not budget.out
            stopped = None if ties_complete else (budget.cut or "the time limit")
            break
        weight = _weight(proposal, weights)
        past_best = weight > best_weight + _EPS
        if past_best:
            ties_complete = True
            if extra_cores >= _NEXT_BEST_CORES:
                break
        left = everything - proposal
        found, holds = search.disjoint(left, minimal=False)
        if not found and search.proves(holds):
            repairs.append(proposal)
            weights_out.append(weight)
            cover.at_most(proposal, len(proposal) - 1)
            continue
        if not found:
            stopped = budget.cut or "an LP that could not be decided exactly"
            break
        extra_cores += len(found) if past_best else 0
        learn(found)
    else:
        ties_complete = ties_complete or len(repairs) > _ties(weights_out)
    mark("ties")
    return PartRepairs(repairs=repairs, weights=weights_out, lower_bound=best_weight,
                       optimal=True, ties_complete=ties_complete, cores=cores,
                       stopped=stopped)


def _ties(weights: Sequence[float]) -> int:
    least = min(weights)
    return sum(1 for w in weights if w <= least + _EPS)


def _now() -> float:
    import time

    return time.monotonic()
