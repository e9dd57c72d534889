"""Minimal conflict sets of one component, each proven exactly, and the work they cost.

A :class:`Search` asks one :class:`~._feasibility.Model` about sets of claims. Its
:meth:`Search.core` finds a set of claims that cannot hold inside a given set: the
*support* of an exact Farkas certificate (the rows it uses cannot hold, whatever the
rest), usually minimal already. Made minimal, it goes through a deletion filter that
jumps: when a set one claim smaller still cannot hold, the search moves to the support
of *its* certificate, which is inside it. Every claim kept is kept because an exact
point shows that the set without it can hold; those points are pooled
(:attr:`Search.points`), and a set that some pooled point satisfies needs no LP.

HiGHS' own infeasible-subsystem routine is never called: on some ledgers it takes the
host process down (issue 14).
"""

from __future__ import annotations

import math
import time
from collections.abc import Collection

import attrs

from ._feasibility import Model, Verdict

__all__ = ["Budget", "Core", "Search"]


class Budget:
    """What the analysis may still spend: LP solves (deterministic) and seconds (a cut)."""

    def __init__(self, max_solves: int | None, time_limit: float | None) -> None:
        self.solves_left = math.inf if max_solves is None else max_solves
        self.max_solves = max_solves
        self.end = math.inf if time_limit is None else time.monotonic() + time_limit
        self.cut: str | None = None

    def spend(self) -> None:
        """Count one LP solve."""
        self.solves_left -= 1

    @property
    def out(self) -> bool:
        """Whether a limit has been reached (and which one, in ``cut``)."""
        if self.cut is not None:
            return True
        if self.solves_left <= 0:
            self.cut = f"max_solves={self.max_solves}"
        elif time.monotonic() >= self.end:
            self.cut = "the time limit"
        return self.cut is not None


@attrs.frozen(kw_only=True)
class Core:
    """Claims (representatives) that cannot all hold, exactly; ``minimal`` if proven so."""

    claims: frozenset[str]
    minimal: bool


#: The verdict for claims that lie inside a pooled exact point's claims: they can hold.
_POOLED = Verdict(feasible=True, proven=True)


class Search:
    """Cores and exact points of one model (one reading, one or more components).

    ``points`` pools, for every exact point found, the claims whose rows all hold there:
    any set of claims inside one of them can hold, proven, with no LP.
    """

    def __init__(self, model: Model, budget: Budget) -> None:
        self.model = model
        self.budget = budget
        self.points: list[frozenset[str]] = []
        self.cores: dict[frozenset[str], Core] = {}

    def solve(self, on: Collection[str]) -> Verdict:
        """Solve with exactly *on* switched on (counted against the budget)."""
        self.budget.spend()
        return self.model.solve(on)

    def holds(self, claims: frozenset[str]) -> bool | None:
        """Whether *claims* can all hold: True and False proven, None if undecided."""
        if any(claims <= p for p in self.points):
            return True
        v = self.solve(claims)
        if v.feasible:
            point = v.point()
            if point is None:
                # a warm start can end on a basis whose vertex is not exact (a row just
                # switched off still at a bound): solve once more from scratch
                self.model.h.clearSolver()
                v = self.solve(claims)
                point = v.point() if v.feasible else None
            if point is None:
                return None if v.feasible or not v.proven else False
            self.points.append(self.model.holds_at(point))
            return True
        return False if v.feasible is False and v.proven else None

    def core(self, on: frozenset[str], *, minimal: bool = True,
             verdict: Verdict | None = None) -> Core | None:
        """A set of claims inside *on* that cannot hold, proven; None if *on* can.

        None also when that cannot be decided exactly. ``minimal`` runs the deletion
        filter (as far as the budget allows; the result says whether minimality was
        proven).
        """
        v = verdict if verdict is not None else self.solve(on)
        if v.feasible is not False or not v.proven:
            return None
        current = v.support
        if not minimal:
            return self._keep(Core(claims=current, minimal=False))
        known = self.cores.get(current)
        if known is not None and known.minimal:
            return known
        kept: set[str] = set()
        proven = True
        todo = sorted(current)
        while todo:
            if self.budget.out:
                proven = False
                break
            c = todo.pop(0)
            trial = current - {c}
            if any(trial <= p for p in self.points):
                kept.add(c)
                continue
            w = self.solve(trial)
            if w.feasible is False and w.proven:
                current = w.support
                todo = [x for x in todo if x in current]
                continue
            if w.feasible:
                point = w.point()
                if point is not None:
                    self.points.append(self.model.holds_at(point))
                else:
                    proven = False
            else:
                proven = False
            kept.add(c)
        return self._keep(Core(claims=current, minimal=proven))

    def _keep(self, core: Core) -> Core:
        old = self.cores.get(core.claims)
        if old is None or (core.minimal and not old.minimal):
            self.cores[core.claims] = core
            return core
        return old

    def minimise(self, core: Core) -> Core:
        """*core* made minimal (a core inside it), if the budget allows."""
        if core.minimal:
            return core
        found = self.core(core.claims, minimal=True)
        return found if found is not None else core

    def disjoint(self, on: frozenset[str], *, minimal: bool
                 ) -> tuple[list[Core], Verdict | None]:
        """Cores inside *on*, pairwise disjoint: find one, set it aside, repeat.

        Returns the cores and the verdict that what is left can hold (its exact point
        is computed only if asked for), or None when cut short or undecided.
        """
        out: list[Core] = []
        left = on
        while not self.budget.out:
            if any(left <= p for p in self.points):
                return out, _POOLED  # an exact point already shows they can all hold
            v = self.solve(left)
            if v.feasible:
                return out, v
            core = self.core(left, minimal=minimal, verdict=v)
            if core is None:
                return out, None
            out.append(core)
            left = left - core.claims
        return out, None

    def proves(self, verdict: Verdict | None) -> bool:
        """Whether *verdict* is a *can hold* with an exact point (pooled)."""
        if verdict is _POOLED:
            return True
        if verdict is None or not verdict.feasible:
            return False
        point = verdict.point()
        if point is None:
            return False
        self.points.append(self.model.holds_at(point))
        return True
