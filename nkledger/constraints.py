"""The ledger as one system of linear constraints over the unknown true values.

:func:`compile_ledger` turns a :class:`~nkledger.ledger.Ledger`, read under one reading
of the qualifiers, into a :class:`System`: variables, rows ``low ≤ Σ coef·x ≤ high``
with exact :class:`~decimal.Decimal` coefficients and bounds, and the independent
components the solver (:mod:`nkledger.solver`) handles one by one. Nothing here solves
anything or uses a float.

Unknowns
    A metric that sums (a flow) has one variable per month touched by any claim, base
    period, rank comparison, identity or ``part_of``; a longer period is the sum of its
    months. A metric that does not sum has one variable per period it is named with.
    Variables of flows are ``≥ 0``; others are free. Months are closed under identities
    and parts: when one member of ``total = exports + imports`` has a month, all three
    have it, and a part's month gives its parent that month too.

Structural rows (no claim; always on)
    ``whole − Σ parts = 0`` for every month (every period, for metrics that do not sum)
    of every identity, and ``part − parent ≤ 0`` for every month of a ``part_of``
    metric.

Claim rows (each carries its claim's id, so a claim is switched off as a whole)
    level
        ``low ≤ Σ months ≤ high`` from :meth:`Claim.interval`, infinite sides skipped.
        A level in another currency than its metric (the seed's "R44.2bn" on a USD
        metric) is left out of the system, with a note.
    change
        ``g ∈ [g_lo, g_hi]`` (percent / 100): ``current − (1+g_lo)·prior ≥ 0`` and
        ``current − (1+g_hi)·prior ≤ 0``, and ``prior > 0`` — a growth rate says
        nothing about a zero or negative base.
    direction
        "up": ``current − prior > 0``; "down": ``< 0``.
    rank, levels ("highest"; "lowest" mirrors every inequality)
        "of S": every period of the claimed period's length inside *S*, aligned with it
        (the other months of *S*, for a month), is ``≤`` the claimed one. "since X":
        every such period strictly between *X* and the claim is ``≤`` it, and *X*
        itself is ``≥`` it (only when *X* has the claim's length; otherwise that half
        is left out, with a note). "a record": every aligned period of that length the
        system has for the metric is ``≤`` it (Attention: only the periods the ledger
        knows).
    rank, changes ("first decline of S"; "first increase" mirrored)
        The claimed period's change against ``claim.comparison`` (default year on year)
        is ``< 0``, and the change of every earlier aligned period of *S* is ``≥ 0``.

Strict inequalities (``> 0``) are kept as such here (``open_low``/``open_high``); the
solver makes them ``≥ δ`` with a small margin δ relative to the component's scale.

Components
    Variables that share a row (a claim's rows, an identity, a part) are joined by
    union-find; a component is one group of variables with its rows and claims.
    Components share no unknown, so each is solved on its own and cost follows the
    largest component, not the ledger. Each carries a power-of-ten ``scale`` (its
    largest finite bound lands in [100, 1000) scale units) for well-conditioned floats.

Quantities
    What the implied figures are computed for: every period a claim names, every base
    period and "since" period, carried across identities and ``part_of`` (total 2025
    gives exports 2025 and imports 2025), and, for flows, every month inside them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Literal, TypeAlias

import attrs

from .claims import Claim, Metric
from .figures import Reading
from .intervals import INF
from .ledger import Ledger
from .periods import Period

__all__ = ["Component", "Quantity", "Row", "RowKind", "System", "Variable", "compile_ledger"]

RowKind: TypeAlias = Literal[
    "level", "growth", "prior", "direction", "rank", "identity", "part"
]

_ZERO = Decimal(0)
_ONE = Decimal(1)
_HUNDRED = Decimal(100)
_NEG_INF = -INF

# (metric, first month ordinal, last month ordinal): a month for flows, any period else
_Key: TypeAlias = tuple[str, int, int]


@attrs.frozen(kw_only=True)
class Variable:
    """One unknown true value: a month of a flow, or a period of a metric that does not sum."""

    metric: str
    period: Period
    nonnegative: bool


@attrs.frozen(kw_only=True)
class Row:
    """``low ≤ Σ coef·x ≤ high``; an open side is strict (``>``, ``<``).

    ``claim`` is the claim the row encodes, or None for an identity or a part, which
    always hold. ``terms`` pairs variable indices with exact coefficients.
    """

    claim: str | None
    kind: RowKind
    terms: tuple[tuple[int, Decimal], ...]
    low: Decimal = _NEG_INF
    high: Decimal = INF
    open_low: bool = False
    open_high: bool = False


@attrs.frozen(kw_only=True)
class Quantity:
    """A metric over a period the ledger touches: the sum of ``variables``."""

    metric: str
    period: Period
    unit: str
    variables: tuple[int, ...]
    reported: bool


@attrs.frozen(kw_only=True)
class Component:
    """Variables that share rows, with those rows, their claims and quantities.

    ``scale`` is a power of ten: the solver works in units of ``scale`` so that the
    largest finite bound of the component lies in [100, 1000).
    """

    claims: tuple[str, ...]
    variables: tuple[int, ...]
    rows: tuple[int, ...]
    quantities: tuple[int, ...]
    scale: Decimal


@attrs.frozen(kw_only=True)
class System:
    """A ledger compiled to linear constraints under one reading."""

    reading: Reading
    variables: tuple[Variable, ...]
    rows: tuple[Row, ...]
    quantities: tuple[Quantity, ...]
    components: tuple[Component, ...]
    left_out: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def component_of(self, claim_id: str) -> Component | None:
        """The component holding *claim_id*, or None when the claim was left out."""
        for component in self.components:
            if claim_id in component.claims:
                return component
        return None


class _Builder:
    """The working state of one compilation (keys, rows, notes)."""

    def __init__(self, ledger: Ledger, reading: Reading) -> None:
        self.ledger = ledger
        self.reading = reading
        self.metrics: dict[str, Metric] = {m.id: m for m in ledger.metrics}
        self.keys: dict[str, set[tuple[int, int]]] = defaultdict(set)
        self.touched: dict[str, set[tuple[int, int]]] = defaultdict(set)
        self.index: dict[_Key, int] = {}
        self.rows: list[Row] = []
        self.notes: list[str] = []
        self.left_out: list[str] = []

    # -- keys ------------------------------------------------------------------

    def need(self, metric: str, period: Period) -> None:
        """Make sure the variables behind *metric* over *period* exist."""
        keys = self.keys[metric]
        if self.metrics[metric].sums:
            keys.update((o, o) for o in range(period.first, period.last + 1))
        else:
            keys.add((period.first, period.last))

    def touch(self, metric: str, period: Period) -> None:
        """Record a quantity the implied figures should cover (and need its variables)."""
        self.touched[metric].add((period.first, period.last))
        self.need(metric, period)

    def close(self) -> None:
        """Close the keys (and touched periods) under identities and ``part_of``."""
        links: list[tuple[str, ...]] = [
            (i.whole, *i.parts) for i in self.ledger.identities
        ]
        parents = [(m.id, m.part_of) for m in self.ledger.metrics if m.part_of is not None]
        for table, expand in ((self.touched, True), (self.keys, False)):
            changed = True
            while changed:
                changed = False
                for group in links:
                    union: set[tuple[int, int]] = set()
                    for name in group:
                        union |= self._as_keys(name, table[name], expand)
                    for name in group:
                        mine = self._as_keys(name, union, expand)
                        if not mine <= table[name]:
                            table[name] |= mine
                            changed = True
                for child, parent in parents:
                    assert parent is not None
                    mine = self._as_keys(parent, table[child], expand)
                    if not mine <= table[parent]:
                        table[parent] |= mine
                        changed = True
            if expand:  # a touched period needs its variables
                for metric, periods in self.touched.items():
                    for first, last in periods:
                        self.need(metric, Period(first=first, last=last))

    def _as_keys(
        self, metric: str, keys: Iterable[tuple[int, int]], touched: bool
    ) -> set[tuple[int, int]]:
        # Touched periods carry over as they are; variable keys of a flow are months.
        if touched or not self.metrics[metric].sums:
            return set(keys)
        return {(o, o) for first, last in keys for o in range(first, last + 1)}

    def number(self) -> list[Variable]:
        """Give every key a variable index, metric by metric in ledger order."""
        variables: list[Variable] = []
        for metric in self.ledger.metrics:
            for first, last in sorted(self.keys.get(metric.id, ())):
                self.index[(metric.id, first, last)] = len(variables)
                variables.append(Variable(metric=metric.id, period=Period(first=first, last=last),
                                          nonnegative=metric.sums))
        return variables

    def expr(self, metric: str, period: Period) -> list[int]:
        """The variables whose sum is *metric* over *period*."""
        if self.metrics[metric].sums:
            return [self.index[(metric, o, o)] for o in range(period.first, period.last + 1)]
        return [self.index[(metric, period.first, period.last)]]

    def has(self, metric: str, period: Period) -> bool:
        """Whether the system has the variables for *metric* over *period*."""
        keys = self.keys.get(metric, set())
        if self.metrics[metric].sums:
            return all((o, o) in keys for o in range(period.first, period.last + 1))
        return (period.first, period.last) in keys

    # -- rows ------------------------------------------------------------------

    def add(self, claim: str | None, kind: RowKind, terms: dict[int, Decimal], *,
            low: Decimal = _NEG_INF, high: Decimal = INF, open_low: bool = False,
            open_high: bool = False) -> None:
        clean = tuple(sorted((j, c) for j, c in terms.items() if c != 0))
        self.rows.append(Row(claim=claim, kind=kind, terms=clean, low=low, high=high,
                             open_low=open_low, open_high=open_high))

    def difference(self, metric: str, a: Period, b: Period,
                   factor: Decimal = _ONE) -> dict[int, Decimal]:
        """Terms of ``a − factor·b`` for one metric."""
        terms: dict[int, Decimal] = defaultdict(lambda: _ZERO)
        for j in self.expr(metric, a):
            terms[j] += _ONE
        for j in self.expr(metric, b):
            terms[j] -= factor
        return terms


def _aligned(period: Period, within: Period) -> list[Period]:
    """Periods of *period*'s length inside *within*, aligned with *period*."""
    n = period.length
    out = []
    k = (within.first - period.first) // n
    while True:
        q = period.shift(k * n)
        if q.first > within.last:
            break
        if q.first >= within.first and q.last <= within.last:
            out.append(q)
        k += 1
    return out


def _left_out(claim: Claim, metric: Metric) -> str | None:
    """Why *claim* cannot be a linear constraint, or None when it can."""
    if claim.kind == "level" and claim.value is not None and claim.value.unit != metric.unit:
        return (f"claim {claim.id!r} ({claim.value.text}) is in "
                f"{claim.value.unit or 'no unit'}, not {metric.unit} like {metric.id!r}: "
                f"left out of the joint analysis")
    if claim.rank is not None and not claim.rank.about_changes and claim.change is not None:
        return (f"claim {claim.id!r}: a rank of changes ({claim.rank.text}) compares ratios, "
                f"which is not linear: left out of the joint analysis")
    return None


def _touches(claim: Claim) -> tuple[list[Period], list[Period]]:
    """The quantities a claim names, and the further periods its rows compare."""
    named = [claim.period]
    compared: list[Period] = []
    rank = claim.rank
    if rank is None:
        if claim.kind in ("change", "direction") and claim.base_period is not None:
            named.append(claim.base_period)
        return named, compared
    if rank.about_changes:
        named.append(claim.base_of(claim.period))
        if rank.scope is not None:
            for q in _aligned(claim.period, rank.scope):
                if q.first < claim.period.first:
                    compared += [q, claim.base_of(q)]
        return named, compared
    if rank.scope is not None:
        compared += [q for q in _aligned(claim.period, rank.scope) if q != claim.period]
    elif rank.since is not None:
        named.append(rank.since)
        k = 1
        while (q := claim.period.shift(-k * claim.period.length)).first > rank.since.last:
            compared.append(q)
            k += 1
    return named, compared


def compile_ledger(ledger: Ledger, reading: Reading = "default") -> System:
    """Compile every claim of *ledger*, read under *reading*, into linear constraints.

    The result is exact (Decimal) and solver-agnostic; see the module docstring for
    what each kind of claim becomes.
    """
    b = _Builder(ledger, reading)
    claims: list[Claim] = []
    for claim in ledger.claims:
        reason = _left_out(claim, b.metrics[claim.metric])
        if reason is not None:
            b.left_out.append(claim.id)
            b.notes.append(reason)
            continue
        claims.append(claim)
        named, compared = _touches(claim)
        for period in named:
            b.touch(claim.metric, period)
        for period in compared:
            b.need(claim.metric, period)
    b.close()
    variables = b.number()

    for identity in ledger.identities:
        keys = b.keys.get(identity.whole, set())
        for first, last in sorted(keys):
            period = Period(first=first, last=last)
            terms: dict[int, Decimal] = defaultdict(lambda: _ZERO)
            for j in b.expr(identity.whole, period):
                terms[j] += _ONE
            for part in identity.parts:
                if b.has(part, period):
                    for j in b.expr(part, period):
                        terms[j] -= _ONE
            b.add(None, "identity", terms, low=_ZERO, high=_ZERO)
    for metric in ledger.metrics:
        if metric.part_of is None:
            continue
        for first, last in sorted(b.keys.get(metric.id, set())):
            period = Period(first=first, last=last)
            if b.has(metric.part_of, period):
                terms = defaultdict(lambda: _ZERO)
                for j in b.expr(metric.id, period):
                    terms[j] += _ONE
                for j in b.expr(metric.part_of, period):
                    terms[j] -= _ONE
                b.add(None, "part", terms, high=_ZERO)

    anchors: dict[str, int] = {}
    for claim in claims:
        anchors[claim.id] = b.expr(claim.metric, claim.period)[0]
        _claim_rows(b, claim)

    quantities = _quantities(b, ledger)
    components = _components(b, variables, quantities, claims, anchors)
    return System(
        reading=reading,
        variables=tuple(variables),
        rows=tuple(b.rows),
        quantities=tuple(quantities),
        components=tuple(components),
        left_out=tuple(b.left_out),
        notes=tuple(b.notes),
    )


def _claim_rows(b: _Builder, claim: Claim) -> None:
    cid, metric, period = claim.id, claim.metric, claim.period
    kind = claim.kind
    if kind == "level":
        interval = claim.interval(b.reading)
        assert interval is not None
        b.add(cid, "level", dict.fromkeys(b.expr(metric, period), _ONE),
              low=interval.low, high=interval.high)
    elif kind == "change":
        interval = claim.interval(b.reading)
        base = claim.base_period
        assert interval is not None and base is not None
        if interval.low.is_finite():
            b.add(cid, "growth", b.difference(metric, period, base, _ONE + interval.low / _HUNDRED),
                  low=_ZERO)
        if interval.high.is_finite():
            b.add(cid, "growth",
                  b.difference(metric, period, base, _ONE + interval.high / _HUNDRED),
                  high=_ZERO)
        b.add(cid, "prior", dict.fromkeys(b.expr(metric, base), _ONE), low=_ZERO, open_low=True)
    elif kind == "direction":
        base = claim.base_period
        assert base is not None
        up = claim.direction == "up"
        b.add(cid, "direction", b.difference(metric, period, base),
              low=_ZERO if up else _NEG_INF, high=INF if up else _ZERO,
              open_low=up, open_high=not up)
    else:
        _rank_rows(b, claim)


def _rank_rows(b: _Builder, claim: Claim) -> None:
    rank = claim.rank
    assert rank is not None
    cid, metric, period = claim.id, claim.metric, claim.period
    if rank.about_changes:
        decline = rank.extreme == "first decline"
        b.add(cid, "rank", b.difference(metric, period, claim.base_of(period)),
              low=_NEG_INF if decline else _ZERO, high=_ZERO if decline else INF,
              open_low=not decline, open_high=decline)
        if rank.scope is None:
            b.notes.append(f"claim {cid!r}: a first {'decline' if decline else 'increase'} "
                           f"with no period it is first in; only its own change is used")
            return
        for q in _aligned(period, rank.scope):
            if q.first < period.first:
                b.add(cid, "rank", b.difference(metric, q, claim.base_of(q)),
                      low=_ZERO if decline else _NEG_INF, high=INF if decline else _ZERO)
        return
    highest = rank.extreme == "highest"

    def not_beyond(other: Period) -> None:
        # other ≤ claimed (highest) or other ≥ claimed (lowest)
        terms = b.difference(metric, other, period)
        if highest:
            b.add(cid, "rank", terms, high=_ZERO)
        else:
            b.add(cid, "rank", terms, low=_ZERO)

    if rank.scope is not None:
        others = [q for q in _aligned(period, rank.scope) if q != period]
    elif rank.since is not None:
        others = []
        k = 1
        while (q := period.shift(-k * period.length)).first > rank.since.last:
            others.append(q)
            k += 1
        if rank.since.length == period.length:
            terms = b.difference(metric, rank.since, period)
            if highest:
                b.add(cid, "rank", terms, low=_ZERO)
            else:
                b.add(cid, "rank", terms, high=_ZERO)
        else:
            b.notes.append(f"claim {cid!r}: {rank.since} is not a period of the same length as "
                           f"{period}; only the periods after it are compared")
    else:
        others = _known_like(b, metric, period)
        if not others:
            b.notes.append(f"claim {cid!r} ({rank.text}): the ledger knows no other period "
                           f"of {metric!r} to compare it with")
    for other in others:
        not_beyond(other)


def _known_like(b: _Builder, metric: str, period: Period) -> list[Period]:
    """Every period of *period*'s length, aligned with it, the system has for *metric*."""
    keys = b.keys.get(metric, set())
    if not keys:
        return []
    if b.metrics[metric].sums:
        lo = min(first for first, _ in keys)
        hi = max(last for _, last in keys)
        span = Period(first=lo, last=hi)
        return [q for q in _aligned(period, span) if q != period and b.has(metric, q)]
    return sorted(Period(first=f, last=last) for f, last in keys
                  if last - f + 1 == period.length and (f, last) != (period.first, period.last))


def _quantities(b: _Builder, ledger: Ledger) -> list[Quantity]:
    reported = {(c.metric, c.period.first, c.period.last) for c in ledger.claims
                if c.kind == "level"}
    out: list[Quantity] = []
    for metric in ledger.metrics:
        touched = b.touched.get(metric.id, set())
        periods = set(touched)
        if metric.sums:
            periods |= {(o, o) for first, last in touched for o in range(first, last + 1)}
        for first, last in sorted(periods):
            period = Period(first=first, last=last)
            out.append(Quantity(metric=metric.id, period=period, unit=metric.unit,
                                variables=tuple(b.expr(metric.id, period)),
                                reported=(metric.id, first, last) in reported))
    return out


def _components(b: _Builder, variables: list[Variable], quantities: list[Quantity],
                claims: list[Claim], anchors: dict[str, int]) -> list[Component]:
    parent = list(range(len(variables)))

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def join(group: Iterable[int]) -> None:
        it = iter(group)
        first = next(it, None)
        if first is None:
            return
        r = find(first)
        for j in it:
            s = find(j)
            if s != r:
                parent[s] = r

    for row in b.rows:
        join(j for j, _ in row.terms)
    for q in quantities:
        join(q.variables)

    groups: dict[int, list[int]] = defaultdict(list)
    for j in range(len(variables)):
        groups[find(j)].append(j)
    order = sorted(groups, key=lambda r: groups[r][0])
    number = {r: i for i, r in enumerate(order)}
    rows: list[list[int]] = [[] for _ in order]
    comp_claims: list[list[str]] = [[] for _ in order]
    quants: list[list[int]] = [[] for _ in order]
    biggest: list[Decimal] = [_ZERO for _ in order]
    for i, row in enumerate(b.rows):
        if not row.terms:
            continue
        c = number[find(row.terms[0][0])]
        rows[c].append(i)
        for bound in (row.low, row.high):
            if bound.is_finite() and abs(bound) > biggest[c]:
                biggest[c] = abs(bound)
    for claim in claims:
        comp_claims[number[find(anchors[claim.id])]].append(claim.id)
    for i, q in enumerate(quantities):
        quants[number[find(q.variables[0])]].append(i)
    return [
        Component(claims=tuple(comp_claims[c]), variables=tuple(groups[r]),
                  rows=tuple(rows[c]), quantities=tuple(quants[c]), scale=_scale(biggest[c]))
        for r, c in number.items()
    ]


def _scale(biggest: Decimal) -> Decimal:
    """The power of ten that brings *biggest* into [100, 1000)."""
    if biggest == 0:
        return _ONE
    return _ONE.scaleb(biggest.adjusted() - 2)
