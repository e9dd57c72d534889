"""What the checks know: the usable claims, and every level they state or imply.

A :class:`Context` is built once per ledger and reading (and cached), and holds

- the claims every check may use: a level stated in another currency than its metric's
  unit ("R44.2bn" on a dollar metric) is set aside in ``foreign`` and never mixed with
  the rest;
- **estimates**: for each metric and period, every interval the ledger puts on its true
  value, each with the claims it rests on and the words that say how. Depth 0 is a
  claimed level. Deeper estimates are derived, by exact interval arithmetic, from
  shallower ones:

  * components — a whole from all its parts, a part from the whole and the other parts;
  * growth — a prior value from a current one and a stated change (``current / (1+g)``),
    or the other way round;
  * aggregation — a period from claimed sub-periods that cover it, or the one
    contiguous run of months that claimed sub-periods leave uncovered in a claimed
    period.

  Derivation stops at depth 2 ("a couple of steps": the parts' priors added up to the
  whole's prior is depth 2), never uses a claim twice in one estimate (so nothing is
  derived from itself), and keeps at most ``MAX_ESTIMATES`` per metric and period.

Flows (``aggregate = "sum"``) are never negative unless declared ``sign = "any"`` (a
trade balance), so their estimates are cut at zero; an estimate that would lie wholly
below zero is not kept (the components and aggregation checks report that as a
conflict). A signed metric's estimates keep their sign.

Every estimate contains the true value whenever the claims it rests on are true, so a
check comparing two estimates can only find a conflict among claims that really cannot
all hold. Two estimates that share claims are correlated; checks that divide one by the
other (growth, direction) only pair estimates with disjoint claims, and treat the one
correlated chain that matters — parts' changes giving the whole's change — exactly.
"""

from __future__ import annotations

import functools
import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import TypeVar

import attrs

from ..claims import Claim
from ..figures import Reading
from ..intervals import INF, Interval
from ..ledger import Ledger
from ..periods import Period
from . import _words as w

T = TypeVar("T")

#: Most combinations of claims (one per slot) a check evaluates for one question.
MAX_COMBINATIONS = 64
#: Most estimates kept for one metric and period.
MAX_ESTIMATES = 12
#: Derivation steps from claimed levels.
MAX_DEPTH = 2

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)

Link = tuple[str, Period, Period]


def link(metric: str, a: Period, b: Period) -> Link:
    """The pair of periods a change claim relates, in either direction."""
    first, second = sorted((a, b))
    return (metric, first, second)


@attrs.frozen(kw_only=True)
class Estimate:
    """An interval on one metric's true value for one period, and what it rests on.

    ``how`` names the metric, the figures and their outlets ("cn_exports $228.1m
    (Outlet A) + cn_imports about $63.6m (Outlet B)"); ``links`` lists the pairs of
    periods related by change claims used on the way.
    """

    metric: str
    period: Period
    interval: Interval
    claims: tuple[str, ...]
    how: str
    depth: int = 0
    links: frozenset[Link] = frozenset()

    @property
    def uses(self) -> frozenset[str]:
        """The claims this estimate rests on."""
        return frozenset(self.claims)

    @property
    def claimed(self) -> bool:
        """Whether this is one claim's own figure."""
        return self.depth == 0

    def phrase(self, unit: str) -> str:
        """``how``, followed by the value when it was derived."""
        if self.claimed:
            return self.how
        return f"{self.how} (= {w.amount_range(self.interval, unit)})"


def disjoint(*estimates: Estimate) -> bool:
    """Whether no claim is used by two of the estimates."""
    seen: set[str] = set()
    for e in estimates:
        if seen & e.uses:
            return False
        seen |= e.uses
    return True


def combinations(slots: Sequence[Sequence[T]], limit: int = MAX_COMBINATIONS
                 ) -> tuple[list[tuple[T, ...]], int]:
    """The first *limit* ways of taking one item from each slot, and how many there are."""
    count = 1
    for slot in slots:
        count *= len(slot)
    return list(itertools.islice(itertools.product(*slots), limit)), count


def ratio(current: Interval, prior: Interval) -> Interval | None:
    """``current / prior`` for values that are never negative; None when undefined.

    The prior may admit zero (then the ratio is unbounded above) but not be zero only.
    """
    if current.low < 0 or prior.low < 0 or prior.high == 0:
        return None
    low = (Interval.point(current.low) / Interval.point(prior.high)).low
    if prior.low == 0:
        return Interval(low, INF)
    high = (Interval.point(current.high) / Interval.point(prior.low)).high
    return Interval(low, high)


def percent_change(r: Interval) -> Interval:
    """A ratio as a change in percent: [1.3, 1.31] -> [30, 31]."""
    one = Interval.point(1)
    return (r - one).scale(_HUNDRED)


def growth_factor(change: Interval, *, flow: bool) -> Interval | None:
    """``1 + g/100`` for a change in percent; cut at zero for a flow, None if below."""
    factor = Interval(1 + change.low.scaleb(-2), 1 + change.high.scaleb(-2))
    if flow:
        return w.nonnegative(factor)
    return factor if factor.low > 0 else None


def tiling(period: Period, candidates: Iterable[Period]) -> tuple[Period, ...]:
    """Disjoint periods among *candidates* inside *period* covering the most of its months.

    Among coverings of as many months, the one with the fewest pieces (so "2025" is
    covered by its halves rather than its twelve months when both are claimed, and each
    half is then checked against its months in turn); among those, the first found
    scanning months from the start. Candidates not strictly inside *period* are ignored.
    """
    inside = sorted({c for c in candidates if period.contains(c) and c != period},
                    key=lambda c: (c.last, c.first))
    ending: dict[int, list[Period]] = defaultdict(list)
    for c in inside:
        ending[c.last].append(c)
    # best[o]: (months covered, -pieces, pieces) using months up to ordinal o
    best: dict[int, tuple[int, int, tuple[Period, ...]]] = {period.first - 1: (0, 0, ())}
    for o in period.ordinals():
        options = [best[o - 1]]
        for c in ending.get(o, ()):
            covered, negpieces, pieces = best[c.first - 1]
            options.append((covered + c.length, negpieces - 1, (*pieces, c)))
        best[o] = max(options, key=lambda opt: (opt[0], opt[1]))
    return best[period.last][2]


class Context:
    """The claims and estimates of one ledger under one reading."""

    def __init__(self, ledger: Ledger, reading: Reading) -> None:
        self.ledger = ledger
        self.reading: Reading = reading
        self.foreign: list[Claim] = []
        self.levels: dict[tuple[str, Period], list[Claim]] = defaultdict(list)
        self.changes: dict[tuple[str, Period], list[Claim]] = defaultdict(list)
        self.directions: dict[tuple[str, Period], list[Claim]] = defaultdict(list)
        self.ranks: list[Claim] = []
        for claim in ledger.claims:
            kind = claim.kind
            if kind == "level":
                assert claim.value is not None
                if claim.value.unit != ledger.metric(claim.metric).unit:
                    self.foreign.append(claim)
                else:
                    self.levels[(claim.metric, claim.period)].append(claim)
            elif kind == "change":
                self.changes[(claim.metric, claim.period)].append(claim)
            elif kind == "direction":
                self.directions[(claim.metric, claim.period)].append(claim)
            else:
                self.ranks.append(claim)
        # per-metric indexes, so no lookup scans the whole ledger (the benchmark's
        # thousand partners made those scans quadratic)
        self.level_periods: dict[str, set[Period]] = defaultdict(set)
        for metric, period in self.levels:
            self.level_periods[metric].add(period)
        self.change_periods: dict[str, set[Period]] = defaultdict(set)
        for metric, period in self.changes:
            self.change_periods[metric].add(period)
        self.direction_periods: dict[str, set[Period]] = defaultdict(set)
        for metric, period in self.directions:
            self.direction_periods[metric].add(period)
        self.estimates: dict[tuple[str, Period], list[Estimate]] = defaultdict(list)
        self._estimate_periods: dict[str, set[Period]] = defaultdict(set)
        self._derive()

    # -- plain lookups -------------------------------------------------------------------

    def interval(self, claim: Claim) -> Interval:
        """The claim's interval under this context's reading."""
        interval = claim.interval(self.reading)
        assert interval is not None
        return interval

    def flow(self, metric: str) -> bool:
        """Whether the metric is a flow (sums over time)."""
        return self.ledger.metric(metric).sums

    def nonnegative(self, metric: str) -> bool:
        """Whether the metric's true values are never negative (flows not declared signed)."""
        return self.ledger.metric(metric).nonnegative

    def unit(self, metric: str) -> str:
        """The metric's unit."""
        return self.ledger.metric(metric).unit

    def claim(self, claim_id: str) -> Claim:
        """The claim called *claim_id*."""
        return self.ledger.claim(claim_id)

    def outlet(self, claim: Claim) -> str:
        """Who said *claim*."""
        return w.outlet(self.ledger, claim)

    def said(self, claim: Claim) -> str:
        """*claim*'s figure and outlet: "$228.1m (Outlet A)"."""
        return w.said(self.ledger, claim)

    def change_claims(self) -> Iterator[Claim]:
        """Every change claim with a figure, in ledger order."""
        for claim in self.ledger.claims:
            if claim.kind == "change" and claim.value is not None:
                yield claim

    def of(self, metric: str, period: Period) -> list[Estimate]:
        """The estimates of *metric* for *period*, claimed ones first."""
        return self.estimates.get((metric, period), [])

    def periods_of(self, metric: str) -> list[Period]:
        """Every period *metric* has an estimate for, in order."""
        return sorted(self._estimate_periods.get(metric, ()))

    # -- derivation ----------------------------------------------------------------------

    def _add(self, estimate: Estimate) -> None:
        slot = self.estimates[(estimate.metric, estimate.period)]
        self._estimate_periods[estimate.metric].add(estimate.period)
        if len(slot) >= MAX_ESTIMATES:
            return
        for known in slot:
            if known.uses == estimate.uses and known.interval == estimate.interval:
                return
        slot.append(estimate)

    def _clip(self, metric: str, interval: Interval) -> Interval | None:
        return w.nonnegative(interval) if self.nonnegative(metric) else interval

    def _derive(self) -> None:
        for claims in self.levels.values():
            for claim in claims:
                clipped = self._clip(claim.metric, self.interval(claim))
                if clipped is not None:
                    self._add(Estimate(metric=claim.metric, period=claim.period,
                                       interval=clipped, claims=(claim.id,),
                                       how=f"{claim.metric} {self.said(claim)}"))
        for depth in range(1, MAX_DEPTH + 1):
            fresh = [*self._from_components(depth), *self._from_changes(depth)]
            if depth == 1:
                fresh.extend(self._from_sub_periods())
            for estimate in fresh:
                self._add(estimate)

    def _from_components(self, depth: int) -> Iterator[Estimate]:
        """Wholes from their parts and parts from the whole and the other parts."""
        for identity in self.ledger.identities:
            members = (identity.whole, *identity.parts)
            periods = sorted(set().union(*(self._estimate_periods.get(m, ()) for m in members)))
            for period in periods:
                slots = [[e for e in self.of(m, period) if e.depth < depth] for m in members]
                for target, metric in enumerate(members):
                    inputs = [s for i, s in enumerate(slots) if i != target]
                    if any(not s for s in inputs):
                        continue
                    combos, _ = combinations(inputs)
                    for combo in combos:
                        if max(e.depth for e in combo) != depth - 1 or not disjoint(*combo):
                            continue
                        if target == 0:
                            value = total(e.interval for e in combo)
                            how = " + ".join(e.how for e in combo)
                        else:
                            whole, others = combo[0], combo[1:]
                            value = whole.interval - total(e.interval for e in others)
                            how = " − ".join(e.how for e in combo)
                        clipped = self._clip(metric, value)
                        if clipped is None:
                            continue
                        yield Estimate(metric=metric, period=period, interval=clipped,
                                       claims=tuple(c for e in combo for c in e.claims),
                                       how=how, depth=depth,
                                       links=frozenset().union(*(e.links for e in combo)))

    def _from_changes(self, depth: int) -> Iterator[Estimate]:
        """A prior value from a current one and a change, and the other way round."""
        for change in self.change_claims():
            metric, period, base = change.metric, change.period, change.base_period
            assert base is not None and change.value is not None
            factor = growth_factor(self.interval(change), flow=self.nonnegative(metric))
            if factor is None:
                continue
            pair = link(metric, period, base)
            words = f"{w.change_words(change.value)} {w.comparison_words(change)}"
            for current in list(self.of(metric, period)):
                if current.depth != depth - 1 or change.id in current.uses:
                    continue
                if pair in current.links or current.interval.low < 0:
                    continue
                prior = ratio(current.interval, factor)
                if prior is None:
                    continue
                yield Estimate(
                    metric=metric, period=base, interval=prior,
                    claims=(*current.claims, change.id), depth=depth,
                    how=f"{current.how} for {period.label()} before its change "
                        f"({words}, {self.outlet(change)})",
                    links=current.links | {pair})
            for prior_e in list(self.of(metric, base)):
                if prior_e.depth != depth - 1 or change.id in prior_e.uses:
                    continue
                if pair in prior_e.links or prior_e.interval.low < 0:
                    continue
                current_value = self._clip(metric, prior_e.interval * factor)
                if current_value is None:
                    continue
                yield Estimate(
                    metric=metric, period=period, interval=current_value,
                    claims=(*prior_e.claims, change.id), depth=depth,
                    how=f"{prior_e.how} for {base.label()} after its change "
                        f"({words}, {self.outlet(change)})",
                    links=prior_e.links | {pair})

    def _from_sub_periods(self) -> Iterator[Estimate]:
        """Periods from claimed sub-periods: a covered period, or the one uncovered run."""
        targets: dict[str, set[Period]] = defaultdict(set)
        for claim in self.ledger.claims:
            if self.flow(claim.metric):
                targets[claim.metric].add(claim.period)
                if claim.base_period is not None:
                    targets[claim.metric].add(claim.base_period)
        for metric in sorted(targets):
            claimed = sorted(self.level_periods.get(metric, ()))
            for period in sorted(targets[metric]):
                if period.is_month:
                    continue
                pieces = tiling(period, claimed)
                if not pieces:
                    continue
                covered = {o for p in pieces for o in p.ordinals()}
                gaps = w.runs(o for o in period.ordinals() if o not in covered)
                part_slots = [[e for e in self.of(metric, p) if e.claimed] for p in pieces]
                if not gaps:
                    for combo in combinations(part_slots)[0]:
                        yield Estimate(metric=metric, period=period,
                                       interval=total(e.interval for e in combo),
                                       claims=tuple(c for e in combo for c in e.claims),
                                       how=" + ".join(_dated(e) for e in combo), depth=1)
                elif len(gaps) == 1 and (metric, period) in self.levels:
                    wholes = [e for e in self.of(metric, period) if e.claimed]
                    for combo in combinations([wholes, *part_slots])[0]:
                        whole, parts = combo[0], combo[1:]
                        rest = self._clip(metric, whole.interval
                                          - total(e.interval for e in parts))
                        if rest is None:
                            continue
                        yield Estimate(
                            metric=metric, period=gaps[0], interval=rest,
                            claims=tuple(c for e in combo for c in e.claims), depth=1,
                            how=" − ".join([_dated(whole), *(_dated(e) for e in parts)]))


def _dated(estimate: Estimate) -> str:
    return f"{estimate.how} for {estimate.period.label()}"


def total(intervals: Iterable[Interval]) -> Interval:
    """The sum of intervals (zero for none)."""
    result = Interval.point(0)
    for interval in intervals:
        result = result + interval
    return result


@functools.lru_cache(maxsize=16)
def context(ledger: Ledger, reading: Reading) -> Context:
    """The (cached) context of *ledger* under *reading*."""
    return Context(ledger, reading)

