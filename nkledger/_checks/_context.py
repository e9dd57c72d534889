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
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import TypeVar

from ..claims import Claim, Identity, Metric
from ..figures import Reading
from ..intervals import _DOWN, _UP, INF, Interval, _div, _made
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


class Estimate:
    """An interval on one metric's true value for one period, and what it rests on.

    ``how`` names the metric, the figures and their outlets ("cn_exports $228.1m
    (Outlet A) + cn_imports about $63.6m (Outlet B)"); ``links`` lists the pairs of
    periods related by change claims used on the way.

    ``how`` is written only when asked for (most estimates never appear in a finding's
    explanation): it is given as the text or as a function that writes it, once.
    """

    __slots__ = ("_how", "claims", "depth", "interval", "links", "metric", "period", "uses")

    def __init__(self, *, metric: str, period: Period, interval: Interval,
                 claims: tuple[str, ...], how: str | Callable[[], str], depth: int = 0,
                 links: frozenset[Link] = frozenset()) -> None:
        self.metric = metric
        self.period = period
        self.interval = interval
        self.claims = claims
        self._how = how
        self.depth = depth
        self.links = links
        #: The claims this estimate rests on.
        self.uses = frozenset(claims)

    @property
    def how(self) -> str:
        """The words that say how the estimate was found."""
        how = self._how
        if not isinstance(how, str):
            how = self._how = how()
        return how

    @property
    def claimed(self) -> bool:
        """Whether this is one claim's own figure."""
        return self.depth == 0

    def phrase(self, unit: str) -> str:
        """``how``, followed by the value when it was derived."""
        if self.depth == 0:
            return self.how
        return f"{self.how} (= {w.amount_range(self.interval, unit)})"


def disjoint(*estimates: Estimate) -> bool:
    """Whether no claim is used by two of the estimates."""
    return _disjoint(estimates)


def _disjoint(estimates: Iterable[Estimate]) -> bool:
    seen: set[str] = set()
    count = 0
    for e in estimates:
        seen.update(e.uses)
        count += len(e.uses)
        if len(seen) != count:
            return False
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
    # the ends of [a, a] / [b, b], rounded outward, without building the points
    low = _div(current.low, prior.high, _DOWN)
    if prior.low == 0:
        return _made(low, INF)
    return _made(low, _div(current.high, prior.low, _UP))


_ONE = Interval.point(1)
_HUNDRED_POINT = Interval.point(_HUNDRED)


def percent_change(r: Interval) -> Interval:
    """A ratio as a change in percent: [1.3, 1.31] -> [30, 31]."""
    return (r - _ONE) * _HUNDRED_POINT


def growth_factor(change: Interval, *, flow: bool) -> Interval | None:
    """``1 + g/100`` for a change in percent; cut at zero for a flow, None if below."""
    factor = _made(1 + change.low.scaleb(-2), 1 + change.high.scaleb(-2))
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
    """The claims and estimates of one ledger under one reading.

    *metrics*, when given, keeps only the claims, identities and metrics of those
    metrics (whole independent parts of the ledger): what the checks find there is what
    they find on the whole ledger. *words* False builds no explanation (the checks of
    the other readings only need the verdicts).
    """

    def __init__(self, ledger: Ledger, reading: Reading, *,
                 metrics: Collection[str] | None = None, words: bool = True) -> None:
        self.ledger = ledger
        self.reading: Reading = reading
        self.words = words
        if metrics is None:
            self.claims: tuple[Claim, ...] = ledger.claims
            self.identities: tuple[Identity, ...] = ledger.identities
            self.metrics: tuple[Metric, ...] = ledger.metrics
        else:
            keep = frozenset(metrics)
            self.claims = tuple(c for c in ledger.claims if c.metric in keep)
            self.identities = tuple(i for i in ledger.identities if i.whole in keep)
            self.metrics = tuple(m for m in ledger.metrics if m.id in keep)
        self._units = {m.id: m.unit for m in ledger.metrics}
        self._flows = {m.id: m.sums for m in ledger.metrics}
        self._nonnegative = {m.id: m.nonnegative for m in ledger.metrics}
        self._outlets: dict[str, str] = {}
        self._said: dict[str, str] = {}
        self._intervals: dict[str, Interval] = {}
        self.foreign: list[Claim] = []
        self.levels: dict[tuple[str, Period], list[Claim]] = defaultdict(list)
        self.changes: dict[tuple[str, Period], list[Claim]] = defaultdict(list)
        self.directions: dict[tuple[str, Period], list[Claim]] = defaultdict(list)
        self.ranks: list[Claim] = []
        self._change_claims: list[Claim] = []
        for claim in self.claims:
            kind = claim.kind
            if kind == "level":
                assert claim.value is not None
                if claim.value.unit != self.unit(claim.metric):
                    self.foreign.append(claim)
                else:
                    self.levels[(claim.metric, claim.period)].append(claim)
            elif kind == "change":
                self.changes[(claim.metric, claim.period)].append(claim)
                if claim.value is not None:
                    self._change_claims.append(claim)
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
        try:
            return self._intervals[claim.id]
        except KeyError:
            pass
        interval = claim.interval(self.reading)
        assert interval is not None
        self._intervals[claim.id] = interval
        return interval

    def flow(self, metric: str) -> bool:
        """Whether the metric is a flow (sums over time)."""
        try:
            return self._flows[metric]
        except KeyError:
            return self.ledger.metric(metric).sums

    def nonnegative(self, metric: str) -> bool:
        """Whether the metric's true values are never negative (flows not declared signed)."""
        try:
            return self._nonnegative[metric]
        except KeyError:
            return self.ledger.metric(metric).nonnegative

    def unit(self, metric: str) -> str:
        """The metric's unit."""
        try:
            return self._units[metric]
        except KeyError:
            return self.ledger.metric(metric).unit

    def claim(self, claim_id: str) -> Claim:
        """The claim called *claim_id*."""
        return self.ledger.claim(claim_id)

    def outlet(self, claim: Claim) -> str:
        """Who said *claim*."""
        try:
            return self._outlets[claim.source]
        except KeyError:
            pass
        label = self._outlets[claim.source] = w.outlet(self.ledger, claim)
        return label

    def said(self, claim: Claim) -> str:
        """*claim*'s figure and outlet: "$228.1m (Outlet A)"."""
        try:
            return self._said[claim.id]
        except KeyError:
            pass
        text = self._said[claim.id] = w.said(self.ledger, claim)
        return text

    def change_claims(self) -> Iterator[Claim]:
        """Every change claim with a figure, in ledger order."""
        return iter(self._change_claims)

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
        uses, interval = estimate.uses, estimate.interval
        for known in slot:
            if known.uses == uses and known.interval == interval:
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
                                       how=functools.partial(self._term, claim)))
        # Each step reads only shallower estimates, so each estimate is added as soon as
        # it is found (the order is that of finding them all first), and none is worked
        # out for a slot that is already full.
        for depth in range(1, MAX_DEPTH + 1):
            for estimate in self._from_components(depth):
                self._add(estimate)
            for estimate in self._from_changes(depth):
                self._add(estimate)
            if depth == 1:
                for estimate in self._from_sub_periods():
                    self._add(estimate)

    def _full(self, metric: str, period: Period) -> bool:
        """Whether no more estimates are kept for *metric* in *period*."""
        slot = self.estimates.get((metric, period))
        return slot is not None and len(slot) >= MAX_ESTIMATES

    def _term(self, claim: Claim) -> str:
        return f"{claim.metric} {self.said(claim)}"

    def _from_components(self, depth: int) -> Iterator[Estimate]:
        """Wholes from their parts and parts from the whole and the other parts."""
        below = depth - 1
        nothing: frozenset[Link] = frozenset()
        for identity in self.identities:
            members = (identity.whole, *identity.parts)
            # claimed figures of distinct metrics never share a claim
            distinct = below == 0 and len(set(members)) == len(members)
            periods = sorted(set().union(*(self._estimate_periods.get(m, ()) for m in members)))
            for period in periods:
                slots = [[e for e in self.of(m, period) if e.depth < depth] for m in members]
                for target, metric in enumerate(members):
                    inputs = [s for i, s in enumerate(slots) if i != target]
                    if any(not s for s in inputs):
                        continue
                    if below and not any(e.depth == below for s in inputs for e in s):
                        continue  # no combination reaches this depth
                    if self._full(metric, period):
                        continue  # whatever is found here is not kept
                    combos, _ = combinations(inputs)
                    nonnegative = self.nonnegative(metric)
                    sep = " + " if target == 0 else " − "
                    for combo in combos:
                        if below and max(e.depth for e in combo) != below:
                            continue
                        if not distinct and not _disjoint(combo):
                            continue
                        value = _NOTHING
                        if target == 0:
                            for e in combo:
                                value = value + e.interval
                        else:
                            for e in combo[1:]:
                                value = value + e.interval
                            value = combo[0].interval - value
                        clipped = w.nonnegative(value) if nonnegative else value
                        if clipped is None:
                            continue
                        links = [e.links for e in combo if e.links]
                        yield Estimate(metric=metric, period=period, interval=clipped,
                                       claims=tuple(c for e in combo for c in e.claims),
                                       how=_joined(sep, combo), depth=depth,
                                       links=frozenset().union(*links) if links else nothing)
                        if self._full(metric, period):
                            break

    def _from_changes(self, depth: int) -> Iterator[Estimate]:
        """A prior value from a current one and a change, and the other way round."""
        for change in self._change_claims:
            metric, period, base = change.metric, change.period, change.base_period
            assert base is not None and change.value is not None
            currents = [e for e in self.of(metric, period) if e.depth == depth - 1]
            priors = [e for e in self.of(metric, base) if e.depth == depth - 1]
            if not currents and not priors:
                continue
            factor = growth_factor(self.interval(change), flow=self.nonnegative(metric))
            if factor is None:
                continue
            pair = link(metric, period, base)
            for current in currents:
                if self._full(metric, base):
                    break
                if change.id in current.uses:
                    continue
                if pair in current.links or current.interval.low < 0:
                    continue
                prior = ratio(current.interval, factor)
                if prior is None:
                    continue
                yield Estimate(
                    metric=metric, period=base, interval=prior,
                    claims=(*current.claims, change.id), depth=depth,
                    how=functools.partial(self._changed, current, change, "before"),
                    links=current.links | {pair})
            for prior_e in priors:
                if self._full(metric, period):
                    break
                if change.id in prior_e.uses:
                    continue
                if pair in prior_e.links or prior_e.interval.low < 0:
                    continue
                current_value = self._clip(metric, prior_e.interval * factor)
                if current_value is None:
                    continue
                yield Estimate(
                    metric=metric, period=period, interval=current_value,
                    claims=(*prior_e.claims, change.id), depth=depth,
                    how=functools.partial(self._changed, prior_e, change, "after"),
                    links=prior_e.links | {pair})

    def _changed(self, estimate: Estimate, change: Claim, when: str) -> str:
        assert change.value is not None
        words = f"{w.change_words(change.value)} {w.comparison_words(change)}"
        return (f"{estimate.how} for {estimate.period.label()} {when} its change "
                f"({words}, {self.outlet(change)})")

    def _from_sub_periods(self) -> Iterator[Estimate]:
        """Periods from claimed sub-periods: a covered period, or the one uncovered run."""
        targets: dict[str, set[Period]] = defaultdict(set)
        for claim in self.claims:
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
                        if self._full(metric, period):
                            break
                        yield Estimate(metric=metric, period=period,
                                       interval=total(e.interval for e in combo),
                                       claims=tuple(c for e in combo for c in e.claims),
                                       how=_dated_joined(" + ", combo), depth=1)
                elif len(gaps) == 1 and (metric, period) in self.levels:
                    wholes = [e for e in self.of(metric, period) if e.claimed]
                    for combo in combinations([wholes, *part_slots])[0]:
                        if self._full(metric, gaps[0]):
                            break
                        whole, parts = combo[0], combo[1:]
                        rest = self._clip(metric, whole.interval
                                          - total(e.interval for e in parts))
                        if rest is None:
                            continue
                        yield Estimate(
                            metric=metric, period=gaps[0], interval=rest,
                            claims=tuple(c for e in combo for c in e.claims), depth=1,
                            how=_dated_joined(" − ", combo))


def _joined(sep: str, combo: Sequence[Estimate]) -> Callable[[], str]:
    return lambda: sep.join(e.how for e in combo)


def _dated_joined(sep: str, combo: Sequence[Estimate]) -> Callable[[], str]:
    return lambda: sep.join(_dated(e) for e in combo)


def _dated(estimate: Estimate) -> str:
    return f"{estimate.how} for {estimate.period.label()}"


_NOTHING = Interval.point(0)


def total(intervals: Iterable[Interval]) -> Interval:
    """The sum of intervals (zero for none)."""
    result = _NOTHING
    for interval in intervals:
        result = result + interval
    return result


@functools.lru_cache(maxsize=16)
def context(ledger: Ledger, reading: Reading) -> Context:
    """The (cached) context of *ledger* under *reading*."""
    return Context(ledger, reading)


def sensitive_metrics(ledger: Ledger) -> frozenset[str]:
    """The metrics of the independent parts holding a claim the reading changes.

    A part is the metrics linked by identities and ``part_of``; a claim is changed by
    the reading when its strict and lenient intervals differ. Checks of the other parts
    find the same under every reading.
    """
    parent = {m.id: m.id for m in ledger.metrics}

    def find(x: str) -> str:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra

    for metric in ledger.metrics:
        if metric.part_of is not None:
            union(metric.id, metric.part_of)
    for identity in ledger.identities:
        for member in identity.parts:
            union(identity.whole, member)
    roots = {find(c.metric) for c in ledger.claims if sensitive(c)}
    return frozenset(m for m in parent if find(m) in roots)


def sensitive(claim: Claim) -> bool:
    """Whether the claim's strict and lenient intervals differ."""
    value = claim.value
    if value is None:
        return False
    if value.qualifier is None and value.lenient_step == value.step:
        return False  # a plain figure whose digits are not doubted reads alike everywhere
    return claim.interval("strict") != claim.interval("lenient")

