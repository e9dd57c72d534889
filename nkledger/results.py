"""What the joint analysis hands back: conflict sets, repairs, implied figures, outlets.

These are plain frozen values, defined here (a leaf module) so that the solver, the
report, the problems and the renderers can all name them without importing one another.
A :class:`Conflict` and a :class:`Repair` are *sets of claim ids*: iterate over them,
take their ``len``, ask ``"c1" in conflict``; ``.claims`` is the same ids as a sorted
tuple. Two conflicts are equal when they hold the same claims under the same readings.

:func:`combine` and :func:`best_repairs` are the one place where independent parts'
repairs become repairs of the whole (the solver's components and the parallel check's
work items both use them).
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from decimal import Decimal
from operator import attrgetter
from typing import TYPE_CHECKING

import attrs

from .exceptions import UnknownReferenceError
from .figures import Reading
from .periods import Period

if TYPE_CHECKING:
    from .ledger import Ledger

__all__ = ["Conflict", "Implied", "OutletSummary", "Repair", "best_repairs", "combine",
           "notable_in_order", "one_per_quantity", "outlet_summaries"]


def _sorted_ids(ids: Iterable[str]) -> tuple[str, ...]:
    # a set of claims has no order of its own: keep one, so equal sets compare equal
    return tuple(sorted(set(ids)))


def _readings(readings: Iterable[Reading]) -> tuple[Reading, ...]:
    return tuple(readings)


class _ClaimSet:
    """Set-like access to ``claims``: ``for c in s``, ``len(s)``, ``c in s``."""

    __slots__ = ()
    claims: tuple[str, ...]

    def __iter__(self) -> Iterator[str]:
        return iter(self.claims)

    def __len__(self) -> int:
        return len(self.claims)

    def __contains__(self, claim: object) -> bool:
        return claim in self.claims

    def as_set(self) -> frozenset[str]:
        """The claim ids as a frozenset (for ``&``, ``|``, ``<=`` with other sets)."""
        return frozenset(self.claims)


@attrs.frozen(kw_only=True)
class Conflict(_ClaimSet):
    """A minimal conflict set: these claims cannot all hold; drop any one and the rest can.

    ``readings`` lists the readings of the qualifiers under which the claims cannot
    all hold (in the order strict, default, lenient).
    """

    claims: tuple[str, ...] = attrs.field(converter=_sorted_ids)
    readings: tuple[Reading, ...] = attrs.field(converter=_readings, default=())


@attrs.frozen(kw_only=True)
class Repair(_ClaimSet):
    """Claims whose removal makes everything consistent, and the source weight dropped."""

    claims: tuple[str, ...] = attrs.field(converter=_sorted_ids)
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


def one_per_quantity(named: Iterable[tuple[str | None, Implied]]) -> tuple[Implied, ...]:
    """Implied figures of bases checked apart, each quantity once where they agree.

    *named* pairs each figure with its basis's name. A quantity (metric and period) that
    several figures bound differently keeps every figure, each noting its basis; the
    figures come in the order their quantities first appear. Quantities never span two
    work items of one basis (a metric is in one part), so applying this item by item
    and joining the results gives the same figures as applying it to the whole.
    """
    # a period is its first and last months: those ints hash faster than the Period
    by_quantity: dict[tuple[str, int, int], list[tuple[str | None, Implied]]] = defaultdict(list)
    for name, implied in named:
        period = implied.period
        by_quantity[(implied.metric, period.first, period.last)].append((name, implied))
    out: list[Implied] = []
    for found in by_quantity.values():
        if len(found) == 1:
            out.append(found[0][1])
            continue
        distinct = list(dict.fromkeys(i for _, i in found))
        if len(distinct) == 1:
            out.append(distinct[0])
            continue
        for name, implied in found:
            note = f"on the basis {name}" + (f"; {implied.note}" if implied.note else "")
            out.append(attrs.evolve(implied, note=note))
    return tuple(out)


def notable_in_order(implied: Iterable[Implied]) -> tuple[list[Implied], int]:
    """The implied figures :func:`nkledger.problems.notable_implied` shows, unsorted.

    Each figure is judged on its own, so this can be applied to parts of a list and
    the results joined (how a work item sends back only what a text report shows).
    """
    shown: list[Implied] = []
    disagree = 0
    for i in implied:
        if i.reported or i.low is None or i.high is None or i.low <= 0:
            continue
        if i.note and i.note.startswith("other best repairs"):
            disagree += 1
            continue
        shown.append(i)
    return shown, disagree


@attrs.frozen(kw_only=True)
class OutletSummary:
    """One outlet's claims: how many, how many in conflict sets, how many in best repairs."""

    outlet: str
    sources: tuple[str, ...]
    claims: int
    in_conflicts: int
    in_repairs: int


def combine(groups: Sequence[Sequence[Repair]], limit: int) -> list[Repair]:
    """The cheapest repairs of the whole ledger: one repair from each group.

    *groups* are independent parts' own repairs, each cheapest first; the result is at
    most *limit* combinations, cheapest first, ties broken by size then claim ids.
    """
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
        claims = [c for g, i in zip(groups, ix, strict=True) for c in g[i].claims]
        out.append(Repair(claims=claims, weight=weight))
        for k in range(len(groups)):
            if ix[k] + 1 < len(groups[k]):
                nxt = (*ix[:k], ix[k] + 1, *ix[k + 1:])
                if nxt not in seen:
                    seen.add(nxt)
                    heapq.heappush(heap, (total(nxt), nxt))
    out.sort(key=lambda r: (r.weight, len(r.claims), r.claims))
    return out


def best_repairs(repairs: Sequence[Repair]) -> list[Repair]:
    """The repairs that tie for the least weight."""
    if not repairs:
        return []
    least = min(r.weight for r in repairs)
    return [r for r in repairs if r.weight <= least + 1e-9 * max(1.0, abs(least))]


def outlet_summaries(ledger: Ledger, in_conflicts: Collection[str], in_best: Collection[str]
                     ) -> tuple[OutletSummary, ...]:
    """A line per outlet of *ledger*: its claims, those in conflict sets, those in best repairs."""
    outlets: dict[str, list[str]] = {}
    for source in ledger.sources:
        outlets.setdefault(source.label, []).append(source.id)
    # claims counted by source at C speed; those in conflicts or repairs one by one
    by_source = Counter(map(attrgetter("source"), ledger.claims))
    listed: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for column, ids in ((0, in_conflicts), (1, in_best)):
        for cid in set(ids):
            try:
                listed[ledger.claim(cid).source][column] += 1
            except UnknownReferenceError:
                continue  # counted as the claims of the ledger are: only those it has
    summaries = []
    for label, ids in outlets.items():
        summaries.append(OutletSummary(
            outlet=label, sources=tuple(ids), claims=sum(by_source[s] for s in ids),
            in_conflicts=sum(listed[s][0] for s in ids if s in listed),
            in_repairs=sum(listed[s][1] for s in ids if s in listed)))
    return tuple(summaries)
