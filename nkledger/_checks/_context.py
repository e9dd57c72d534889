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

import decimal
import functools
import itertools
import operator
from collections import defaultdict
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import TypeVar

from ..claims import Claim, Identity, Metric
from ..figures import Reading
from ..intervals import _DOWN, _EXACT, _UP, INF, Interval, _div, _made
from ..ledger import Ledger, linked_metrics
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

#: Periods in their order, as a sort key: what :meth:`Period.__lt__` compares, read
#: without calling it (sorting a few hundred periods calls it thousands of times).
by_order = operator.attrgetter("_key")

#: A metric and two periods (each as its first and last month), earlier first: plain
#: integers, so that sets of links hash without calling back into :class:`Period`.
Link = tuple[str, int, int, int, int]


def link(metric: str, a: Period, b: Period) -> Link:
    """The pair of periods a change claim relates, in either direction."""
    x, y = (a.first, a.last), (b.first, b.last)
    if y < x:
        x, y = y, x
    return (metric, x[0], x[1], y[0], y[1])


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


_new_estimate = object.__new__
partial = functools.partial


def _derived(metric: str, period: Period, interval: Interval, claims: tuple[str, ...],
             how: str | Callable[[], str], depth: int, links: frozenset[Link]) -> Estimate:
    """``Estimate(...)`` with its arguments in order: what the derivation loops build."""
    e: Estimate = _new_estimate(Estimate)
    e.metric = metric
    e.period = period
    e.interval = interval
    e.claims = claims
    e._how = how
    e.depth = depth
    e.links = links
    e.uses = frozenset(claims)
    return e


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
    the other readings only need the verdicts). *touched*, with *like*, names every
    claim that may read otherwise here than there (see :func:`sensitive`).
    """

    def __init__(self, ledger: Ledger, reading: Reading, *,
                 metrics: Collection[str] | None = None, words: bool = True,
                 like: Context | None = None, record: bool = False,
                 touched: Collection[str] | None = None) -> None:
        self.ledger = ledger
        self._bases: dict[str, Period | None] = {} if like is None else like._bases
        # *touched*: the only claims that may read otherwise than in *like* (all others
        # read alike under every reading: their intervals are like's very objects)
        self._touched = touched
        self.reading: Reading = reading
        self.words = words
        # *record*: remember each derivation (its inputs and result), so that a context
        # of another reading built *like* this one reuses every result whose inputs it
        # shares (the estimates resting only on claims that read alike everywhere)
        self._like = like
        self._memo: dict[Hashable, tuple[tuple[Estimate, ...], Estimate | None]] | None = (
            {} if record else None)
        self._claimed: dict[str, Estimate] = {}
        self._reread: set[str] = set()  # claims that read otherwise than in *like*
        #: With *record*, the keys each question of a rule yielded here (see
        #: :meth:`asked`): a context built like this one replays a question whose
        #: inputs are all this one's, rather than asking it again.
        self.questions: dict[Hashable, list[Hashable]] | None = {} if record else None
        #: Whether :meth:`alike` may say yes, and :meth:`asked` answer: without words,
        #: built like another context (that recorded its questions).
        self.reuses = like is not None and not words
        self.replays = self.reuses and like is not None and like.questions is not None
        self._jobs: list[tuple[str, Period, tuple[Period, ...], list[Period]]] | None = None
        self._tiled: dict[tuple[str, Period], tuple[tuple[Period, ...], list[Period]]
                          ] | None = None
        if metrics is None:
            self.claims: tuple[Claim, ...] = ledger.claims
            self.identities: tuple[Identity, ...] = ledger.identities
            self.metrics: tuple[Metric, ...] = ledger.metrics
            self._kept = frozenset(m.id for m in ledger.metrics)
        else:
            keep = self._kept = frozenset(metrics)
            self.claims = tuple(c for c in ledger.claims if c.metric in keep)
            self.identities = tuple(i for i in ledger.identities if i.whole in keep)
            self.metrics = tuple(m for m in ledger.metrics if m.id in keep)
        self._units = {m.id: m.unit for m in ledger.metrics}
        self._flows = {m.id: m.sums for m in ledger.metrics}
        self._nonnegative = {m.id: m.nonnegative for m in ledger.metrics}
        self._outlets: dict[str, str] = {}
        self._said: dict[str, str] = {}
        self._figures: dict[str, str] = {}
        self._changes: dict[str, str] = {}
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
        self._read, self._read_metrics = self._wanted()
        self._derive()

    def _wanted(self) -> tuple[set[tuple[str, Period]], set[str]]:
        """The slots the checks read, and the metrics all of whose slots they read.

        Estimates of the last derivation step feed no other estimate, only the checks:
        growth and direction read their period and base, rankings every period of their
        metric, the parts check the wholes above a part. Other slots get no estimates
        of that step (which no check would see).
        """
        read: set[tuple[str, Period]] = set()
        everything: set[str] = set()
        for claim in self.claims:
            kind = claim.kind
            if kind in ("change", "direction"):
                base = self.base(claim)
                assert base is not None
                read.add((claim.metric, claim.period))
                read.add((claim.metric, base))
            elif kind == "rank":
                everything.add(claim.metric)
        above: dict[str, list[str]] = defaultdict(list)
        for metric in self.metrics:
            if metric.part_of is not None:
                above[metric.id].append(metric.part_of)
        for identity in self.identities:
            for part in identity.parts:
                above[part].append(identity.whole)
        # every metric at or above a part, walked on its own: a part's rank claims put it
        # in *everything* already, and must not stop the walk up to its wholes
        frontier = [m.id for m in self.metrics if m.part_of is not None]
        walked: set[str] = set()
        while frontier:
            name = frontier.pop()
            if name not in walked:
                walked.add(name)
                frontier.extend(above.get(name, ()))
        return read, everything | walked

    def _reads(self, metric: str, period: Period) -> bool:
        """Whether a check reads the estimates of *metric* for *period*."""
        return metric in self._read_metrics or (metric, period) in self._read

    # -- plain lookups -------------------------------------------------------------------

    def interval(self, claim: Claim) -> Interval:
        """The claim's interval under this context's reading."""
        try:
            return self._intervals[claim.id]
        except KeyError:
            pass
        like = self._like
        if like is not None and self._touched is not None and claim.id not in self._touched:
            interval = self._intervals[claim.id] = like.interval(claim)
            return interval
        found = claim.interval(self.reading)
        assert found is not None
        interval = found
        if like is not None:
            # an interval equal to the like context's is its very object (so is every
            # interval of a claim that reads alike everywhere: then strict and lenient
            # agree, and the default reading, which lies between them, with both)
            theirs = like.interval(claim)
            if interval == theirs:
                interval = theirs
        self._intervals[claim.id] = interval
        return interval

    def sum_of(self, claims: Sequence[Claim]) -> Interval:
        """``total`` of the claims' intervals under this context's reading."""
        intervals = self._intervals
        try:
            return total([intervals[c.id] for c in claims])
        except KeyError:
            interval = self.interval
            return total([interval(c) for c in claims])

    def _recall(self, key: Hashable, combo: tuple[Estimate, ...]
                ) -> Estimate | bool | None:
        """What the like context derived from these very inputs, or False if nothing."""
        like = self._like
        if like is None or like._memo is None:
            return False
        found = like._memo.get(key)
        if found is None:
            return False
        inputs, result = found
        if len(inputs) != len(combo) or any(a is not b for a, b in zip(inputs, combo, strict=True)):
            return False
        return result

    def base(self, claim: Claim) -> Period | None:
        """``claim.base_period``, worked out once per claim (by the contexts built alike)."""
        try:
            return self._bases[claim.id]
        except KeyError:
            pass
        base = self._bases[claim.id] = claim.base_period
        return base

    def _recaller(self) -> Callable[[Hashable, tuple[Estimate, ...]], Estimate | bool | None
                                    ] | None:
        """:meth:`_recall`, or None when it could only answer False (nothing to recall)."""
        like = self._like
        return None if like is None or like._memo is None else self._recall

    def _remember(self, key: Hashable, combo: tuple[Estimate, ...],
                  result: Estimate | None) -> None:
        if self._memo is not None:
            self._memo[key] = (combo, result)

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

    def alike(self, claims: Iterable[Claim]) -> bool:
        """Whether, without words and built like another, every claim reads as there.

        Then a question resting on these claims alone (an agreement, components or
        aggregation question) has the other context's verdict, and need not be asked.
        """
        if self._like is None or self.words:
            return False
        reread = self._reread
        return not any(c.id in reread for c in claims)

    def asked(self, question: Hashable, claims: Iterable[Claim],
              slots: Iterable[tuple[str, Period]] = ()) -> list[Hashable] | None:
        """The keys the like context's *question* yielded, if it has this one's verdicts.

        That is: this context has no words and was built like another that recorded
        the question, no claim among *claims* reads otherwise here, and no slot among
        *slots* holds other estimates here. Then every finding of the question has the
        like context's verdict (a rule yields each key with :data:`SAME`). None
        otherwise: the question must be asked.
        """
        like = self._like
        if like is None or self.words or like.questions is None:
            return None
        keys = like.questions.get(question)
        if keys is None:
            return None
        reread = self._reread
        if any(c.id in reread for c in claims):
            return None
        dirty = self._dirty
        if dirty is not None and any(s in dirty for s in slots):
            return None
        return keys

    def figure(self, claim: Claim) -> str:
        """*claim*'s figure as written for a reader: "about $63.6m"."""
        try:
            return self._figures[claim.id]
        except KeyError:
            pass
        assert claim.value is not None
        text = self._figures[claim.id] = w.figure_text(claim.value)
        return text

    def change_words(self, claim: Claim) -> str:
        """*claim*'s change as a reader says it: "up 33%"."""
        try:
            return self._changes[claim.id]
        except KeyError:
            pass
        assert claim.value is not None
        text = self._changes[claim.id] = w.change_words(claim.value)
        return text

    def change_claims(self) -> Iterator[Claim]:
        """Every change claim with a figure, in ledger order."""
        return iter(self._change_claims)

    def of(self, metric: str, period: Period) -> list[Estimate]:
        """The estimates of *metric* for *period*, claimed ones first."""
        return self.estimates.get((metric, period), [])

    def periods_of(self, metric: str) -> list[Period]:
        """Every period *metric* has an estimate for, in order."""
        return sorted(self._estimate_periods.get(metric, ()), key=by_order)

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
        like = self._like
        self._dirty: set[tuple[str, Period]] | None = None
        if like is not None:
            self._dirty = dirty = self._differing(like)
            keep = self._kept
            for key, slot in like.estimates.items():
                if key[0] in keep and key not in dirty and slot:
                    self.estimates[key] = list(slot)
                    self._estimate_periods[key[0]].add(key[1])
        for claims in self.levels.values():
            if self._dirty is not None and claims and (
                    (claims[0].metric, claims[0].period) not in self._dirty):
                continue  # the same as in the like context, and taken from it
            for claim in claims:
                interval = self.interval(claim)
                if like is not None and like._intervals.get(claim.id) is interval:
                    shared = like._claimed.get(claim.id)
                    if shared is not None:
                        self._add(shared)
                        continue
                clipped = self._clip(claim.metric, interval)
                if clipped is not None:
                    estimate = Estimate(metric=claim.metric, period=claim.period,
                                        interval=clipped, claims=(claim.id,),
                                        how=functools.partial(self._term, claim))
                    self._claimed[claim.id] = estimate
                    self._add(estimate)
        # Each step reads only shallower estimates, so each estimate is added as soon as
        # it is found (the order is that of finding them all first), and none is worked
        # out for a slot that is already full.
        for depth in range(1, MAX_DEPTH + 1):
            self._from_components(depth)
            self._from_changes(depth)
            if depth == 1:
                for estimate in self._from_sub_periods():
                    self._add(estimate)

    def _differing(self, like: Context) -> set[tuple[str, Period]]:
        """The slots whose estimates may differ from *like*'s: all others are its own.

        A slot differs when a level claim in it reads otherwise, or when a derivation
        into it reads a slot that differs or a change that reads otherwise: one step
        for each derivation step (components of one period, changes between a period
        and its base, sub-periods of a flow).
        """
        self._reread = reread = {c.id for c in self.claims if c.value is not None
                                 and self.interval(c) is not like.interval(c)}

        def other(claim: Claim) -> bool:
            return claim.id in reread

        start = {key for key, claims in self.levels.items() if any(other(c) for c in claims)}
        groups: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        for identity in self.identities:
            members = (identity.whole, *identity.parts)
            for m in members:
                groups[m].append(members)
        linked: dict[tuple[str, Period], list[tuple[str, Period]]] = defaultdict(list)
        changed: set[tuple[str, Period]] = set()
        for change in self._change_claims:
            base = self.base(change)
            assert base is not None
            now, then = (change.metric, change.period), (change.metric, base)
            linked[now].append(then)
            linked[then].append(now)
            if other(change):
                changed.update((now, then))

        def step(dirty: set[tuple[str, Period]]) -> set[tuple[str, Period]]:
            found = set(dirty) | changed
            for metric, period in dirty:
                for members in groups.get(metric, ()):
                    found.update((m, period) for m in members)
                found.update(linked.get((metric, period), ()))
            return found

        once = step(start)
        for metric, period, pieces, gaps in self._tilings():
            if (metric, period) in start or any((metric, p) in start for p in pieces):
                once.add((metric, period))
                if len(gaps) == 1:
                    once.add((metric, gaps[0]))
        return step(once)

    def _full(self, metric: str, period: Period) -> bool:
        """Whether no more estimates are kept for *metric* in *period*."""
        slot = self.estimates.get((metric, period))
        return slot is not None and len(slot) >= MAX_ESTIMATES

    def _term(self, claim: Claim) -> str:
        return f"{claim.metric} {self.said(claim)}"

    def _from_components(self, depth: int) -> None:
        """Wholes from their parts and parts from the whole and the other parts.

        Each estimate is added to its slot as it is found (as :meth:`_add` would), and
        the combinations are taken one by one, only until the slot is full.
        """
        below = depth - 1
        last = depth == MAX_DEPTH
        dirty = self._dirty
        nothing: frozenset[Link] = frozenset()
        memo = self._memo is not None or self._like is not None
        record = self._memo
        recall = self._recaller()
        estimates, estimate_periods = self.estimates, self._estimate_periods
        for identity in self.identities:
            members = (identity.whole, *identity.parts)
            # claimed figures of distinct metrics never share a claim
            distinct = below == 0 and len(set(members)) == len(members)
            periods = sorted(set().union(*(estimate_periods.get(m, ()) for m in members)),
                             key=by_order)
            if dirty is not None:  # only targets in slots that differ are worked out
                periods = [p for p in periods if any((m, p) in dirty for m in members)]
            for period in periods:
                slots = [[e for e in estimates.get((m, period), ()) if e.depth < depth]
                         for m in members]
                if sum(1 for s in slots if s) < len(slots) - 1:
                    continue  # two members have nothing: no target has every input
                for target, metric in enumerate(members):
                    inputs = [s for i, s in enumerate(slots) if i != target]
                    if any(not s for s in inputs):
                        continue
                    if below and not any(e.depth == below for s in inputs for e in s):
                        continue  # no combination reaches this depth
                    if last and not self._reads(metric, period):
                        continue  # the last step's estimates here would feed nothing
                    if dirty is not None and (metric, period) not in dirty:
                        continue  # taken from the like context
                    key_ = (metric, period)
                    kept = estimates.get(key_)
                    if kept is None:
                        kept = estimates[key_] = []
                    if len(kept) >= MAX_ESTIMATES:
                        continue  # whatever is found here is not kept
                    nonnegative = self.nonnegative(metric)
                    sep = " + " if target == 0 else " − "
                    pairs = len(inputs) == 2
                    periods_of = estimate_periods[metric]
                    seen = period in periods_of
                    # the combinations that reach this depth (at least one input one step
                    # deep, none deeper) without using a claim twice, in the order of the
                    # first MAX_COMBINATIONS of their product
                    for combo in itertools.islice(itertools.product(*inputs),
                                                  MAX_COMBINATIONS):
                        if pairs:
                            a, b = combo
                            if below:
                                if not ((a.depth == below or b.depth == below)
                                        and a.uses.isdisjoint(b.uses)):
                                    continue
                            elif not distinct and not a.uses.isdisjoint(b.uses):
                                continue
                        else:
                            if below and not any(e.depth == below for e in combo):
                                continue
                            if not distinct and not _disjoint(combo):
                                continue
                        if memo:
                            key = (("components", metric, sep, id(a), id(b)) if pairs
                                   else ("components", metric, sep, *map(id, combo)))
                            known = False if recall is None else recall(key, combo)
                            if known is not False:
                                if known is not None:
                                    assert isinstance(known, Estimate)
                                    if not seen:
                                        periods_of.add(period)
                                        seen = True
                                    _keep(kept, known)
                                    if len(kept) >= MAX_ESTIMATES:
                                        break
                                continue
                        if pairs:
                            value = _pair_sum(a.interval, b.interval, target == 0)
                        else:
                            value = _NOTHING
                            if target == 0:
                                for e in combo:
                                    value = value + e.interval
                            else:
                                for e in combo[1:]:
                                    value = value + e.interval
                                value = combo[0].interval - value
                        # w.nonnegative(value) if nonnegative, inline
                        if not nonnegative or value.low >= 0:
                            clipped = value
                        elif value.high < 0:
                            if record is not None:
                                record[key] = (combo, None)
                            continue
                        else:
                            clipped = _made(_ZERO, value.high)
                        if pairs:
                            claims = a.claims + b.claims
                            links = (a.links | b.links if a.links and b.links
                                     else a.links or b.links or nothing)
                        else:
                            claims = tuple(c for e in combo for c in e.claims)
                            some = [e.links for e in combo if e.links]
                            links = frozenset().union(*some) if some else nothing
                        found = _derived(metric, period, clipped, claims,
                                         partial(_join, sep, combo), depth, links)
                        if record is not None:
                            record[key] = (combo, found)
                        if not seen:
                            periods_of.add(period)
                            seen = True
                        # _keep(kept, found), inline
                        uses = found.uses
                        for known in kept:
                            if known.uses == uses and known.interval == clipped:
                                break
                        else:
                            kept.append(found)
                            if len(kept) >= MAX_ESTIMATES:
                                break

    def _from_changes(self, depth: int) -> None:
        """A prior value from a current one and a change, and the other way round.

        Each estimate is added to its slot as it is found (as :meth:`_add` would).
        """
        estimates, estimate_periods = self.estimates, self._estimate_periods
        record = self._memo
        like = self._like
        recall = self._recaller()
        dirty = self._dirty
        below = depth - 1
        for change in self._change_claims:
            metric, period, base = change.metric, change.period, self.base(change)
            assert base is not None and change.value is not None
            now, then = (metric, period), (metric, base)
            if dirty is not None and now not in dirty and then not in dirty:
                continue  # both slots are taken from the like context
            currents = [e for e in estimates.get(now, ()) if e.depth == below]
            priors = [e for e in estimates.get(then, ()) if e.depth == below]
            if not currents and not priors:
                continue
            stated = self.interval(change)
            factor = growth_factor(stated, flow=self.nonnegative(metric))
            if factor is None:
                continue
            # a result is reused only when the change reads as in the like context
            memo = record is not None or (
                like is not None and like._intervals.get(change.id) is stated)
            pair = link(metric, period, base)
            if depth == MAX_DEPTH:  # the last step's estimates feed only the checks
                if not self._reads(metric, base):
                    currents = []
                if not self._reads(metric, period):
                    priors = []
            if dirty is not None:  # slots that do not differ are taken from like
                if then not in dirty:
                    currents = []
                if now not in dirty:
                    priors = []
            own = change.id
            if currents:
                slot = estimates.get(then)
                for current in currents:
                    if slot is not None and len(slot) >= MAX_ESTIMATES:
                        break
                    if own in current.uses:
                        continue
                    if (current.links and pair in current.links) or current.interval.low < 0:
                        continue
                    if memo:
                        key = ("before", own, id(current))
                        known = False if recall is None else recall(key, (current,))
                        if known is not False:
                            if known is not None:
                                assert isinstance(known, Estimate)
                                if slot is None:
                                    slot = estimates[then]
                                estimate_periods[metric].add(base)
                                _keep(slot, known)
                            continue
                    prior = ratio(current.interval, factor)
                    found = None if prior is None else _derived(
                        metric, base, prior, (*current.claims, own),
                        functools.partial(self._changed, current, change, "before"),
                        depth, current.links | {pair})
                    if record is not None:
                        record[key] = ((current,), found)
                    if found is not None:
                        if slot is None:
                            slot = estimates[then]
                        estimate_periods[metric].add(base)
                        _keep(slot, found)
            if priors:
                slot = estimates.get(now)
                nonnegative = self.nonnegative(metric)
                for prior_e in priors:
                    if slot is not None and len(slot) >= MAX_ESTIMATES:
                        break
                    if own in prior_e.uses:
                        continue
                    if (prior_e.links and pair in prior_e.links) or prior_e.interval.low < 0:
                        continue
                    if memo:
                        key = ("after", own, id(prior_e))
                        known = False if recall is None else recall(key, (prior_e,))
                        if known is not False:
                            if known is not None:
                                assert isinstance(known, Estimate)
                                if slot is None:
                                    slot = estimates[now]
                                estimate_periods[metric].add(period)
                                _keep(slot, known)
                            continue
                    value = prior_e.interval * factor
                    current_value = w.nonnegative(value) if nonnegative else value
                    found = None if current_value is None else _derived(
                        metric, period, current_value, (*prior_e.claims, own),
                        functools.partial(self._changed, prior_e, change, "after"),
                        depth, prior_e.links | {pair})
                    if record is not None:
                        record[key] = ((prior_e,), found)
                    if found is not None:
                        if slot is None:
                            slot = estimates[now]
                        estimate_periods[metric].add(period)
                        _keep(slot, found)

    def _changed(self, estimate: Estimate, change: Claim, when: str) -> str:
        assert change.value is not None
        words = f"{w.change_words(change.value)} {w.comparison_words(change)}"
        return (f"{estimate.how} for {w.label(estimate.period)} {when} its change "
                f"({words}, {self.outlet(change)})")

    def _tilings(self) -> list[tuple[str, Period, tuple[Period, ...], list[Period]]]:
        """Each flow's periods made of claimed sub-periods: the pieces, and the gaps left.

        They depend on which periods are claimed, not on the reading: a context built
        like another takes them from it.
        """
        if self._like is not None:
            keep = self._kept
            return [job for job in self._like._tilings() if job[0] in keep]
        if self._jobs is not None:
            return self._jobs
        jobs = []
        targets: dict[str, set[Period]] = defaultdict(set)
        for claim in self.claims:
            if self.flow(claim.metric):
                targets[claim.metric].add(claim.period)
                base = self.base(claim)
                if base is not None:
                    targets[claim.metric].add(base)
        for metric in sorted(targets):
            claimed = sorted(self.level_periods.get(metric, ()), key=by_order)
            for period in sorted(targets[metric], key=by_order):
                if period.is_month:
                    continue
                pieces = tiling(period, claimed)
                if not pieces:
                    continue
                covered = {o for p in pieces for o in p.ordinals()}
                gaps = w.runs(o for o in period.ordinals() if o not in covered)
                jobs.append((metric, period, pieces, gaps))
        self._jobs = jobs
        return jobs

    def tiled(self, metric: str, period: Period
              ) -> tuple[tuple[Period, ...], list[Period]] | None:
        """A flow's claimed period as claimed sub-periods tile it: the pieces and the gaps.

        That is :func:`tiling` of *period* among *metric*'s claimed periods, and the
        runs of months it leaves uncovered, as :meth:`_tilings` found them (for a
        period of a claim, not a month); None when no sub-period is claimed.
        """
        found = self._tiled
        if found is None:
            found = self._tiled = {(m, p): (pieces, gaps)
                                   for m, p, pieces, gaps in self._tilings()}
        return found.get((metric, period))

    def _from_sub_periods(self) -> Iterator[Estimate]:
        """Periods from claimed sub-periods: a covered period, or the one uncovered run."""
        memo = self._memo is not None or self._like is not None
        dirty = self._dirty
        for metric, period, pieces, gaps in self._tilings():
            if dirty is not None and (metric, period) not in dirty and (
                    len(gaps) != 1 or (metric, gaps[0]) not in dirty):
                continue  # taken from the like context
            part_slots = [[e for e in self.of(metric, p) if e.claimed] for p in pieces]
            if not gaps:
                if dirty is not None and (metric, period) not in dirty:
                    continue
                for combo in itertools.islice(itertools.product(*part_slots),
                                              MAX_COMBINATIONS):
                    if self._full(metric, period):
                        break
                    if memo:
                        key = ("covered", metric, period, *map(id, combo))
                        known = self._recall(key, combo)
                        if known is not False:
                            assert isinstance(known, Estimate)
                            yield known
                            continue
                    found = Estimate(metric=metric, period=period,
                                     interval=total(e.interval for e in combo),
                                     claims=tuple(c for e in combo for c in e.claims),
                                     how=_dated_joined(" + ", combo), depth=1)
                    if memo:
                        self._remember(key, combo, found)
                    yield found
            elif len(gaps) == 1 and (metric, period) in self.levels:
                if dirty is not None and (metric, gaps[0]) not in dirty:
                    continue
                wholes = [e for e in self.of(metric, period) if e.claimed]
                for combo in itertools.islice(itertools.product(wholes, *part_slots),
                                              MAX_COMBINATIONS):
                    if self._full(metric, gaps[0]):
                        break
                    if memo:
                        key = ("rest", metric, period, *map(id, combo))
                        known = self._recall(key, combo)
                        if known is not False:
                            if known is not None:
                                assert isinstance(known, Estimate)
                                yield known
                            continue
                    whole, parts = combo[0], combo[1:]
                    rest = self._clip(metric, whole.interval
                                      - total(e.interval for e in parts))
                    kept = None if rest is None else Estimate(
                        metric=metric, period=gaps[0], interval=rest,
                        claims=tuple(c for e in combo for c in e.claims), depth=1,
                        how=_dated_joined(" − ", combo))
                    if memo:
                        self._remember(key, combo, kept)
                    if kept is not None:
                        yield kept


def _keep(slot: list[Estimate], estimate: Estimate) -> None:
    """Add *estimate* to a slot that is not full, as :meth:`Context._add` does."""
    uses, interval = estimate.uses, estimate.interval
    for known in slot:
        if known.uses == uses and known.interval == interval:
            return
    slot.append(estimate)


def _pair_sum(a: Interval, b: Interval, whole: bool) -> Interval:
    """``0 + a + b`` when *whole*, else ``a - (0 + b)``: the very operations, fused.

    The exact additions of :meth:`Interval.__add__`'s fast path, in the same order and
    context (so the ends are the same decimals, down to their exponents), building one
    interval instead of three; any end the fast path refuses takes the careful one.
    """
    add = _EXACT.add
    try:
        if whole:
            return _made(add(add(_ZERO, a.low), b.low), add(add(_ZERO, a.high), b.high))
        low, high = add(_ZERO, b.low), add(_ZERO, b.high)
        return _made(add(a.low, -high), add(a.high, -low))
    except (decimal.Inexact, decimal.InvalidOperation):
        return _NOTHING + a + b if whole else a - (_NOTHING + b)


def _joined(sep: str, combo: Sequence[Estimate]) -> Callable[[], str]:
    return functools.partial(_join, sep, combo)


def _join(sep: str, combo: Sequence[Estimate]) -> str:
    return sep.join(e.how for e in combo)


def _dated_joined(sep: str, combo: Sequence[Estimate]) -> Callable[[], str]:
    return lambda: sep.join(_dated(e) for e in combo)


def _dated(estimate: Estimate) -> str:
    return f"{estimate.how} for {w.label(estimate.period)}"


_NOTHING = Interval.point(0)


def total(intervals: Iterable[Interval]) -> Interval:
    """The sum of intervals (zero for none): ``0 + a + b + ...``.

    The exact additions of :meth:`Interval.__add__`'s fast path, end by end in the same
    order and context, building one interval rather than one per term; a sum the fast
    path refuses anywhere is worked out term by term, as the plain loop does.
    """
    items = intervals if isinstance(intervals, (list, tuple)) else list(intervals)
    if not items:
        return _NOTHING
    add = _EXACT.add
    low = high = _ZERO
    try:
        for interval in items:
            low = add(low, interval.low)
            high = add(high, interval.high)
    except (decimal.Inexact, decimal.InvalidOperation):
        return _careful_total(items)
    return _made(low, high)


def _careful_total(intervals: Iterable[Interval]) -> Interval:
    """:func:`total` one :meth:`Interval.__add__` at a time."""
    result = _NOTHING
    for interval in intervals:
        result = result + interval
    return result


def sensitive_metrics(ledger: Ledger) -> frozenset[str]:
    """The metrics of the independent parts holding a claim the reading changes.

    A part is the metrics linked by identities and ``part_of``; a claim is changed by
    the reading when its strict and lenient intervals differ. Checks of the other parts
    find the same under every reading.
    """
    root = linked_metrics(ledger)
    roots = {root[c.metric] for c in ledger.claims if sensitive(c)}
    return frozenset(m for m, r in root.items() if r in roots)


def sensitive(claim: Claim) -> bool:
    """Whether the claim's strict and lenient intervals differ."""
    value = claim.value
    if value is None:
        return False
    if value.qualifier is None and value.lenient_step == value.step:
        return False  # a plain figure whose digits are not doubted reads alike everywhere
    return claim.interval("strict") != claim.interval("lenient")

