"""Joint analysis: which claims cannot all hold, which to drop, what the rest imply.

:func:`analyse` compiles the ledger (:func:`nkledger.constraints.compile_readings`)
under the three readings and answers, for each independent part, in the order a user
needs the answers: can the claims hold; if not, a first repair at once, then a proven
least-weight repair with its ties, and for every claim it drops a minimal conflict set
that shows why; then implied figures. Floats live only inside; every verdict handed back
is proven in exact rational arithmetic first, and every figure is an exact Decimal.

The rooms
    :mod:`._feasibility` (can these claims hold: a scaled LP whose answers come with exact
    proofs), :mod:`._screen` (the quick proof that a bundle of many parts can hold: a
    point well inside every row, made exact in decimals; the general proof remains the
    fallback), :mod:`._exact` (the proofs: exact points and Farkas certificates),
    :mod:`._conflicts` (minimal conflict sets, by Farkas supports and a deletion filter),
    :mod:`._repairs` (least-weight repairs: elastic LP, then implicit hitting sets, with a
    proven lower bound) and :mod:`._implied` (implied figures).

Identical claims
    Claims whose rows are identical under every reading (a wire story reprinted word for
    word, the same figure in two articles) are one column: a least-weight repair drops
    all or none of them, at their summed weight, and a minimal conflict set holds at most
    one of them. A conflict set shows one (the first by id); ``identical`` lists the
    others that carry the same figure.

Limits
    ``max_solves`` (LP solves, deterministic: the same ledger gives the same answer on
    any machine) and ``time_limit`` (seconds: a safety cut, which the notes then name)
    only cut work short. Some answers are never cut: whether each part can hold, one
    conflict set for each part that cannot, and a first repair. Where a limit stopped
    the search, a part's repair is the best found and ``lower_bound`` is proven: "at
    least 39 must be dropped; this repair drops 41".

Readings
    Repairs are computed under the reading asked for. Each conflict set says under which
    readings it cannot hold; components whose rows read the same under two readings
    share their results. Conflict sets that exist only under another reading are kept
    apart in ``sensitive``.
"""

from __future__ import annotations

import math
import operator
from collections import defaultdict
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from .._collector import paused
from ..constraints import System, compile_readings
from ..figures import READINGS, Reading
from ..ledger import Ledger
from ..results import (
    Conflict,
    Implied,
    OutletSummary,
    Repair,
    best_repairs,
    combine,
    outlet_summaries,
)

__all__ = ["Analysis", "Conflict", "Implied", "OutletSummary", "Part", "Repair", "analyse"]

_LATER = 0.9             # prefer_later: weight factor per later release of the same body
_BUNDLE_FEASIBLE = 1000  # components share a feasibility LP up to about this many columns
_BUNDLE_COLUMNS = 500    # consistent components share an implied-figure LP up to this size
# (150 columns cut HiGHS' instructions by 5 %, but not its CPU time: more, smaller LPs
# cost more system time, allocating and freeing their buffers)
_MAX_TIES_IMPLIED = 5    # best repairs of one component compared for implied figures
_MAX_EXPLAINED = 10      # repairs of one component whose claims each get a conflict set
_STRICT_FIRST: tuple[Reading, ...] = ("strict", "default", "lenient")


@attrs.frozen(kw_only=True)
class Part:
    """One independent part of the ledger that cannot hold: how well its repair is known.

    ``first`` is the part's first claim (by id), ``claims`` how many claims it has.
    ``weight`` is the weight its best repair drops (None when pinned claims conflict and
    there is no repair), ``lower_bound`` the least weight any repair must drop, proven;
    ``optimal`` says they are equal, ``ties_complete`` that every least-weight repair
    was found, ``stopped`` which limit cut the part's work short, if any.
    """

    first: str
    claims: int
    weight: float | None
    lower_bound: float
    optimal: bool
    ties_complete: bool
    stopped: str | None = None


@attrs.frozen(kw_only=True)
class Analysis:
    """The joint analysis of a ledger under one reading.

    ``conflicts`` are smallest first, ``repairs`` cheapest first (ties all shown,
    within ``max_repairs``). ``repair_groups`` holds, for each independent part of the
    ledger with a conflict, its own repairs, cheapest first: a best repair of the
    whole ledger takes one best repair from each group. ``sensitive`` holds conflict
    sets that exist under another reading only. ``parts`` says, per part that cannot
    hold, how well its repair is known; ``lower_bound`` is the least weight any repair
    of the whole ledger must drop (proven) and ``optimal`` whether the first repair
    drops exactly that. ``identical`` lists groups of claims with identical rows (a
    conflict set shows only the first of a group). ``cut`` says, in plain words, what
    a limit cut short (also the first notes); empty when nothing was.

    With ``analyse(..., lazy=True)`` the implied figures are not computed yet:
    ``implied`` is empty and ``later()`` computes them (with their notes) when called;
    ``later(reported=False)`` leaves the figures some claim reports unbounded, not
    worked out (for a caller that counts them but shows only the others).
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
    parts: tuple[Part, ...] = ()
    lower_bound: float = 0.0
    optimal: bool = True
    identical: tuple[tuple[str, ...], ...] = ()
    cut: tuple[str, ...] = ()
    later: Callable[..., tuple[tuple[Implied, ...], tuple[str, ...]]] | None = attrs.field(
        default=None, eq=False, repr=False)

    def figures(self) -> tuple[Implied, ...]:
        """The implied figures, computed now if ``analyse(..., lazy=True)`` left them.

        Computed here, what HiGHS could not bound is said on each figure it left
        unbounded (the notes were made before).
        """
        if self.later is None:
            return self.implied
        implied, failed = self.later()
        if not failed:
            return implied
        return tuple(attrs.evolve(i, note="; ".join(n for n in (i.note, *failed) if n))
                     if i.low is None or i.high is None else i for i in implied)

    def resolved(self) -> Analysis:
        """The same analysis with its implied figures (and their notes) computed."""
        if self.later is None:
            return self
        implied, failed = self.later()
        return attrs.evolve(self, implied=implied, notes=(*self.notes, *failed), later=None)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled (to or from a worker process) with its implied figures computed."""
        done = self.resolved()
        return (_rebuild, (tuple((f.name, getattr(done, f.name))
                                 for f in attrs.fields(Analysis) if f.name != "later"),))


def _rebuild(fields: tuple[tuple[str, Any], ...]) -> Analysis:
    """An :class:`Analysis` from its pickled fields."""
    return Analysis(**dict(fields))


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


def _given_weights(ledger: Ledger, weights: Mapping[str, float], prefer_later: bool
                   ) -> dict[str, float]:
    known = {c.id for c in ledger.claims}
    unknown = sorted(set(weights) - known)
    if unknown:
        raise ValueError(f"weights name claims the ledger does not have: {', '.join(unknown)}")
    out = _weights(ledger, prefer_later)
    for cid, w in weights.items():
        if not (isinstance(w, int | float) and (w > 0 or math.isinf(w)) and w == w):
            raise ValueError(f"weight of claim {cid!r} must be a positive number or inf, "
                             f"got {w!r}")
        out[cid] = float(w)
    return out


def _groups(systems: Mapping[Reading, System], main: Reading) -> dict[str, str]:
    """Each claim's representative among the claims whose rows read the same.

    The representative is the first (by id) of the claims of one component whose rows
    are identical under every reading. Claims without rows stand alone.
    """
    system = systems[main]
    others = [s.rows for r, s in systems.items() if r != main]
    rows = system.rows
    per_claim: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        if row.claim is not None:
            per_claim[row.claim].append(i)
    content = operator.attrgetter("kind", "terms", "low", "high", "open_low", "open_high")

    def key(cid: str) -> tuple[Any, ...]:
        mine = per_claim[cid]
        # a row of another reading is the main reading's own object exactly when it
        # reads the same (compile_readings shares them): only those that differ count
        return (tuple([content(rows[i]) for i in mine]),
                *(tuple([None if other[i] is rows[i] else content(other[i]) for i in mine])
                  for other in others))

    rep: dict[str, str] = {}
    for comp in system.components:
        # one table per component, by each claim's whole key; a claim of one row (most
        # claims) has its key made flat, in one tuple (it cannot equal a key of rows)
        table: dict[tuple[Any, ...], str] = {}
        for cid in sorted(comp.claims):
            mine = per_claim.get(cid)
            if not mine:
                rep[cid] = cid
            elif len(mine) == 1:
                i = mine[0]
                row = rows[i]
                rep[cid] = table.setdefault(
                    (content(row), *[None if other[i] is row else content(other[i])
                                     for other in others]), cid)
            else:
                rep[cid] = table.setdefault(key(cid), cid)
    return rep


class _Reading:
    """One reading's system, its models (built on demand) and which parts cannot hold.

    Where a component's rows differ from the main reading's, every claim's interval
    under this reading may contain its interval under the main one (*looser*: whatever
    holds under the main reading holds here) or lie inside it (*tighter*: a conflict
    there is a conflict here).
    """

    def __init__(self, system: System, ledger: Ledger, rep: Mapping[str, str],
                 main: _Reading | None, budget: Any) -> None:
        from ._conflicts import Search
        from ._feasibility import Model

        self._search, self._model = Search, Model
        self.system = system
        self.ledger = ledger
        self.main = main
        self._numbers: Any = None
        self.rep = rep
        self.budget = budget
        self.searches: dict[int, Any] = {}
        # the main reading's screen LPs of whole bundles shown to hold, for the implied
        # figures (._implied.ImpliedLp.for_figures), taken once
        self.kept: list[Any] = []
        self.bad: set[int] = set()
        self.undecided: set[int] = set()
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

    @property
    def numbers(self) -> Any:
        """The system's rows as floats (:class:`._implied.Numbers`), converted once."""
        if self._numbers is None:
            from ._implied import Numbers

            self._numbers = Numbers(self.system, [c.id for c in self.ledger.claims],
                                    base=None if self.main is None else self.main.numbers)
        return self._numbers

    def search(self, k: int) -> Any:
        """The search (model, pooled points, cores) of component *k*."""
        if k not in self.searches:
            self.searches[k] = self._search(self._model(self.system, [k], self.rep), self.budget)
        return self.searches[k]

    def find_infeasible(self, main: _Reading | None) -> None:
        """Fill ``bad``: many components share one LP; one that cannot hold is bisected."""
        from ._implied import bundles

        todo = list(range(len(self.system.components)))
        if main is not None:
            self.bad = main.bad & (self.same | self.tighter)
            todo = [k for k in todo if k not in self.same
                    and not (k in self.looser and k not in main.bad)
                    and not (k in self.tighter and k in main.bad)]
        todo = [k for k in todo if self.system.components[k].rows]
        # one LP per bundle, proven by a point well inside every row (._screen); a part
        # of it that cannot be shown to hold is halved until its components stand alone,
        # and a component alone that is not shown to hold gets the general proof
        from ._screen import holds

        # the main reading's bundles are those of the implied figures, whose LPs they
        # become where a whole bundle is shown to hold
        size = _BUNDLE_FEASIBLE if main is not None else _BUNDLE_COLUMNS
        for bundle in bundles(self.system, todo, size):
            stack = [bundle]
            while stack:
                group = stack.pop()
                self.budget.spend()
                if holds(self.numbers, group,
                         kept=self.kept if main is None and group is bundle else None):
                    continue
                if len(group) > 1:
                    stack += [group[:len(group) // 2], group[len(group) // 2:]]
                    continue
                v = self._model(self.system, group, self.rep).solve()
                if v.feasible and v.point() is not None:
                    continue
                if v.feasible is False and v.proven:
                    self.bad.add(group[0])
                else:
                    self.undecided.add(group[0])

    def holds(self, claims: frozenset[str]) -> bool | None:
        """Whether *claims* (representatives) can all hold under this reading."""
        k = self.home.get(next(iter(claims)))
        if k is None or k not in self.bad:
            return True
        held: bool | None = self.search(k).holds(claims)
        return held


@paused
def analyse(
    ledger: Ledger,
    reading: Reading = "default",
    *,
    max_conflicts: int = 200,
    max_repairs: int = 10,
    time_limit: float | None = 30.0,
    prefer_later: bool = False,
    weights: Mapping[str, float] | None = None,
    max_solves: int | None = 200_000,
    lazy: bool = False,
) -> Analysis:
    """Analyse every claim of *ledger* jointly under *reading*.

    Args:
        max_conflicts: report at most this many conflict sets (those that explain the
            best repairs first).
        max_repairs: list at most this many repairs (per independent part, and of the
            whole ledger); each part keeps its ties for best and a few next-best.
        time_limit: seconds before the search is cut short (None: no limit). A safety
            cut: where it bites, the answer depends on the machine, and the notes say so.
            Feasibility, one conflict set per part that cannot hold, a first repair and
            the implied figures are always computed.
        prefer_later: make a claim cheaper to drop when a later release of the same
            cited body exists (a weight factor of 0.9 per later publication date), so
            revisions win ties.
        weights: the cost of dropping each claim (claim id → a positive number or
            ``inf`` for never), replacing the source weights for the claims it names.
        max_solves: LP solves the search may spend (None: no limit); a deterministic
            limit, so the same ledger gives the same answer on any machine.
        lazy: leave the implied figures to ``Analysis.later`` (the LPs that bound every
            figure are most of the work on a small ledger, and a caller that only asks
            whether the claims hold, or which to drop, should not pay for them).
    """
    if reading not in READINGS:
        raise ValueError(f"reading must be one of {', '.join(READINGS)}, got {reading!r}")
    from ._conflicts import Budget, Core
    from ._feasibility import Model
    from ._implied import ImpliedLp, bundles, implied, span
    from ._repairs import PartRepairs, mark, repair

    budget = Budget(max_solves, time_limit)
    order = (reading, *(r for r in READINGS if r != reading))
    systems = compile_readings(ledger, order)
    rep = _groups(systems, reading)
    members: dict[str, list[str]] = defaultdict(list)
    for cid in sorted(rep):
        members[rep[cid]].append(cid)
    claim_weight = (_weights(ledger, prefer_later) if weights is None
                    else _given_weights(ledger, weights, prefer_later))
    # a group of one (most claims) weighs what its claim does (fsum of one number is it)
    group_weight = {r: claim_weight[ms[0]] if len(ms) == 1 else math.fsum(
        claim_weight[c] for c in ms) if all(math.isfinite(claim_weight[c]) for c in ms)
        else math.inf for r, ms in members.items()}
    main = _Reading(systems[reading], ledger, rep, None, budget)
    sides = {reading: main}
    for r in order[1:]:
        sides[r] = _Reading(systems[r], ledger, rep, main, budget)
    system = main.system
    comps = system.components
    notes: list[str] = list(system.notes)
    cut: list[str] = []

    def expand(claims: frozenset[str]) -> tuple[str, ...]:
        return tuple(sorted(c for g in claims for c in members[g]))

    # -- which parts cannot hold, under every reading --------------------------------
    mark("compiled")
    main.find_infeasible(None)
    mark("screened")
    # -- repairs, and the conflict sets that explain them, under the main reading ------
    results: dict[int, PartRepairs] = {}
    explained: dict[int, list[Core]] = {}
    for k in sorted(main.bad, key=lambda k: (len(comps[k].claims), k)):
        search = main.search(k)
        elastic = Model(system, [k], rep, elastic=group_weight)
        result = repair(search, elastic, group_weight, max_repairs, budget)
        results[k] = result
        if result.pinned is not None:
            explained[k] = [search.minimise(result.pinned)]
            continue
        # for every claim of a best repair (then of the next-best listed): the smallest
        # minimal conflict set holding it
        chosen: list[Core] = []
        for drop in result.repairs[:_MAX_EXPLAINED]:
            for g in sorted(drop):
                if any(g in c.claims and c.minimal for c in chosen):
                    continue
                if budget.out:
                    break
                holding = sorted((c for c in search.cores.values() if g in c.claims),
                                 key=lambda c: (len(c.claims), sorted(c.claims)))
                core = None
                for candidate in holding[:3]:
                    made = search.minimise(candidate)
                    if g in made.claims and made.minimal:
                        core = made
                        break
                if core is None:
                    core = search.core((search.model.claims - drop) | {g}, minimal=True)
                if core is not None and core.minimal and core not in chosen:
                    chosen.append(core)
        if not chosen:  # never a part that cannot hold without a conflict set
            first = search.core(search.model.claims, minimal=True)
            if first is not None:
                chosen.append(first)
        explained[k] = chosen

    mark("explained")
    # the other readings only after the main one's answers: those come first
    for r in order[1:]:
        sides[r].find_infeasible(main)
    for r in order:
        for k in sorted(sides[r].undecided):
            notes.append(f"the part holding {comps[k].claims[0]!r} could not be decided "
                         f"exactly under the {r} reading; it is taken to hold")
    # -- the readings of each conflict set --------------------------------------------
    def readings_of(core: frozenset[str], k: int, home: Reading) -> tuple[Reading, ...]:
        out: set[Reading] = {home}
        for r in READINGS:
            if r == home:
                continue
            side = sides[r]
            # the same rows, or tighter ones than a reading where the set cannot hold
            inherited = home == reading and (k in side.same or k in side.tighter)
            if inherited or (k in side.bad and side.holds(core) is False):
                out.add(r)
        return tuple(r for r in _STRICT_FIRST if r in out)

    conflicts_all: list[Conflict] = []
    for k, cores in explained.items():
        for core in cores:
            conflicts_all.append(Conflict(claims=tuple(sorted(core.claims)),
                                          readings=readings_of(core.claims, k, reading)))
    conflicts_all.sort(key=lambda c: (len(c.claims), c.claims))
    conflicts = list(dict.fromkeys(conflicts_all))
    if len(conflicts) > max_conflicts:
        cut.append(f"conflict sets: {len(conflicts)} explain the best repairs; "
                   f"{max_conflicts} are listed (max_conflicts={max_conflicts})")
        conflicts = conflicts[:max_conflicts]

    mark("readings")
    # -- conflict sets under another reading only ----------------------------------------
    sensitive: list[Conflict] = []
    main_sets = {c.claims for c in conflicts_all}
    for r in order[1:]:
        side = sides[r]
        for k in sorted(side.bad - side.same - side.looser):
            if budget.out:
                break
            # what the main reading's best repair keeps holds under the main reading:
            # whatever cannot hold of it here is a conflict of this reading only
            everything = side.search(k).model.claims
            kept = everything - results[k].repairs[0] if results.get(k) and results[
                k].repairs else everything
            found, _ = side.search(k).disjoint(kept, minimal=True)
            for core in found:
                if not core.minimal or tuple(sorted(core.claims)) in main_sets:
                    continue
                if k in main.bad and main.holds(core.claims) is not True:
                    continue
                sensitive.append(Conflict(claims=tuple(sorted(core.claims)),
                                          readings=readings_of(core.claims, k, r)))
    sensitive = sorted(dict.fromkeys(c for c in sensitive if reading not in c.readings),
                       key=lambda c: (len(c.claims), c.claims))

    mark("sensitive")
    # -- repairs of the whole ledger ------------------------------------------------------
    groups: list[list[Repair]] = []
    drop_in: dict[int, list[Repair]] = {}
    parts: list[Part] = []
    pinned_parts: set[int] = set()
    for k in sorted(results, key=lambda k: (len(comps[k].claims), k)):
        result = results[k]
        first = min(comps[k].claims)
        if result.pinned is not None:
            pinned_parts.add(k)
            notes.append("claims of pinned sources conflict among themselves ("
                         + ", ".join(expand(result.pinned.claims))
                         + "): no repair can keep them all")
            parts.append(Part(first=first, claims=len(comps[k].claims), weight=None,
                              lower_bound=math.inf, optimal=True, ties_complete=True))
            continue
        if not result.repairs:
            notes.append(f"the part holding {first!r} cannot hold, but no repair of it "
                         f"could be proven ({result.stopped}): none is listed")
            parts.append(Part(first=first, claims=len(comps[k].claims), weight=None,
                              lower_bound=result.lower_bound, optimal=False,
                              ties_complete=False, stopped=result.stopped))
            continue
        reps = sorted((Repair(claims=expand(d), weight=w)
                       for d, w in zip(result.repairs, result.weights, strict=True)),
                      key=lambda r: (r.weight, len(r.claims), r.claims))
        groups.append(reps)
        drop_in[k] = reps
        parts.append(Part(first=first, claims=len(comps[k].claims), weight=result.weights[0],
                          lower_bound=result.lower_bound, optimal=result.optimal,
                          ties_complete=result.ties_complete, stopped=result.stopped))
        if not result.optimal:
            cut.append(f"the part holding {first!r}: any repair must drop a weight of at "
                       f"least {_amount(result.lower_bound)}; the best repair found drops "
                       f"{_amount(result.weights[0])} (stopped at {result.stopped})")
        elif not result.ties_complete:
            cut.append(f"the part holding {first!r}: more repairs may tie for best "
                       f"(stopped at {result.stopped or f'max_repairs={max_repairs}'})")
    repairs = [] if pinned_parts else combine(groups, max_repairs)
    ties = math.prod(len(best_repairs(g)) for g in groups) if groups and not pinned_parts else 0
    if ties > max_repairs:
        cut.append(f"{ties} repairs tie for the least weight; {max_repairs} are listed "
                   f"(repair_groups has each independent part's own)")
    if budget.cut is not None and not cut:
        cut.append(f"the search stopped at {budget.cut}")

    # -- implied figures under the best repair ---------------------------------------
    for k in sorted(main.bad):
        if not best_repairs(drop_in.get(k, [])):
            why = "no repair exists" if k in pinned_parts else "no repair could be proven"
            notes.append(f"no implied figures for the part holding {comps[k].claims[0]!r}: "
                         f"{why}")

    @paused
    def implied_figures(*, reported: bool = True
                        ) -> tuple[tuple[Implied, ...], tuple[str, ...]]:
        """The implied figures under the best repair, and what HiGHS could not bound.

        With *reported* False, the figures some claim reports are not worked out (each
        is there, unbounded, to be counted): for a caller that shows only the others.
        """
        notes: list[str] = []
        skip = () if reported else frozenset(
            q for q, quantity in enumerate(system.quantities) if quantity.reported)
        numbers = main.numbers
        bounds: dict[int, tuple[Decimal | None, Decimal | None]] = {}
        quantity_notes: dict[int, str] = {}
        kept, main.kept = main.kept, []
        done: set[int] = set()
        for lp in kept:  # the screen's LPs of bundles shown to hold, made figures' LPs
            bounds.update(implied(lp.for_figures(), notes, skip))
            done.update(lp.components)
        clean = (k for k in range(len(comps)) if k not in main.bad and k not in done)
        for bundle in bundles(system, clean, _BUNDLE_COLUMNS):
            bounds.update(implied(ImpliedLp(numbers, bundle, box=True), notes, skip))
        for k in sorted(main.bad):
            best_k = best_repairs(drop_in.get(k, []))
            if not best_k:
                continue
            lp = ImpliedLp(numbers, [k], box=True)
            per_repair = []
            for found in best_k[:_MAX_TIES_IMPLIED]:
                lp.switch_off(found.claims)
                per_repair.append((found, implied(lp, notes, skip)))
            first_bounds = per_repair[0][1]
            bounds.update(first_bounds)
            for q, b in first_bounds.items():
                others = [(rp, res[q]) for rp, res in per_repair[1:] if res[q] != b]
                if others:
                    unit = system.quantities[q].unit
                    quantity_notes[q] = "other best repairs give " + "; ".join(
                        f"{span(ob, unit)} (dropping {', '.join(rp.claims)})" for rp, ob in others)
        implied_out = []
        for q, quantity in enumerate(system.quantities):
            if q in bounds:
                low, high = bounds[q]
                implied_out.append(Implied(metric=quantity.metric, period=quantity.period,
                                           unit=quantity.unit, low=low, high=high,
                                           reported=quantity.reported,
                                           note=quantity_notes.get(q)))
        return tuple(implied_out), tuple(notes)

    if lazy:
        implied_now: tuple[Implied, ...] = ()
    else:
        implied_now, implied_notes = implied_figures()
        notes.extend(implied_notes)
    mark("implied")
    # -- outlets -----------------------------------------------------------------------
    in_conflicts = {m for conf in conflicts for c in conf.claims for m in members[c]}
    in_best = {c for g in groups for r in best_repairs(g) for c in r.claims}
    summaries = outlet_summaries(ledger, in_conflicts, in_best)

    identical = tuple(tuple(ms) for _, ms in sorted(members.items()) if len(ms) > 1)
    lower = math.fsum(p.lower_bound for p in parts) if parts else 0.0
    return Analysis(
        consistent=not main.bad,
        conflicts=tuple(conflicts),
        repairs=tuple(repairs),
        implied=implied_now,
        outlets=tuple(summaries),
        truncated=bool(cut),
        notes=tuple(cut + notes),
        reading=reading,
        sensitive=tuple(sensitive),
        repair_groups=tuple(tuple(g) for g in groups),
        parts=tuple(parts),
        lower_bound=lower,
        optimal=all(p.optimal for p in parts),
        identical=identical,
        cut=tuple(cut),
        later=implied_figures if lazy else None,
    )


def _amount(weight: float) -> str:
    """A weight as a reader counts it (whole numbers without a decimal point)."""
    return f"{weight:g}" if weight != int(weight) else str(int(weight))
