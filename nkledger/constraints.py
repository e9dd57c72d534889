"""The ledger as one system of linear constraints over the unknown true values.

:func:`compile_ledger` turns a :class:`~nkledger.ledger.Ledger`, read under one reading
of the qualifiers, into a :class:`System`: variables, rows ``low ≤ Σ coef·x ≤ high``
with exact :class:`~decimal.Decimal` coefficients and bounds, and the independent
components the solver (:mod:`nkledger.solver`) handles one by one. Nothing here solves
anything or uses a float. :func:`compile_readings` compiles several readings at once;
they share every row that does not depend on the reading.

Unknowns
    A metric that sums (a flow) has one variable per month touched by any claim, base
    period, rank comparison, identity or ``part_of``, and one per longer period a claim
    or comparison names; a *time aggregation* row makes each longer period the sum of
    its months. A metric that does not sum has one variable per period it is named
    with. Variables of flows are ``≥ 0``; others are free. Months are closed under
    identities and parts: when one member of ``total = exports + imports`` has a
    month, all three have it, and a part's month gives its parent that month too.

Structural rows (no claim; always on)
    ``period − Σ its months = 0`` for every longer period of a flow;
    ``whole − Σ parts = 0`` for every month of every identity (and for every longer
    period all members have, which is implied but helps bound propagation); and
    ``part − parent ≤ 0`` for every month (and shared longer period) of a ``part_of``
    metric.

Claim rows (each carries its claim's id, so a claim is switched off as a whole)
    level
        ``low ≤ x ≤ high`` from :meth:`Claim.interval`, infinite sides skipped. A level
        in another currency than its metric (the seed's "R44.2bn" on a USD metric) is
        left out of the system, with a note.
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
    A rank of changes that is not a first decline or increase ("the biggest rise")
    compares ratios, which is not linear: left out, with a note.

Strict inequalities (``> 0``) are kept as such here (``open_low``/``open_high``); the
solver makes them ``≥ δ`` with a small margin δ relative to the component's scale.

Components
    Variables that share a row (an identity, a part, an aggregation) or a claim (all
    its rows) are joined by union-find; a component is one group of variables with its rows and
    claims. Components share no unknown, so each is solved on its own and cost follows
    the largest component, not the ledger. Each carries a power-of-ten ``scale`` (its
    largest finite bound, under any reading compiled, lands in [100, 1000) scale
    units) so the solver's floats are well conditioned.

Quantities
    What the implied figures are computed for: every period a claim names, every base
    period and "since" period, carried across identities and ``part_of`` (total 2025
    gives exports 2025 and imports 2025), and, for flows, every month inside them when
    the period is shorter than three years (a month inside a longer span is a quantity
    only when something else names it). Each is one variable.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Literal, TypeAlias

import attrs

from .claims import Claim, Metric
from .figures import READINGS, Reading
from .intervals import INF, Interval
from .ledger import Ledger
from .periods import Period

__all__ = [
    "Component",
    "Quantity",
    "Row",
    "RowKind",
    "System",
    "Variable",
    "compile_ledger",
    "compile_readings",
]

RowKind: TypeAlias = Literal[
    "level", "growth", "prior", "direction", "rank", "aggregate", "identity", "part"
]

_ZERO = Decimal(0)
_ONE = Decimal(1)
_MINUS_ONE = Decimal(-1)
_HUNDRED = Decimal(100)
_NEG_INF = -INF

_Span: TypeAlias = tuple[int, int]  # (first, last) month ordinals
# A period this long or longer gives no implied figure per month inside it: a claim over
# 1825-01..2025-12 would ask for 2,412 of them (each side, every metric it reaches), which
# made the implied figures quadratic in the span; the months stay variables.
_MONTHS_IMPLIED = 36


@attrs.frozen(kw_only=True)
class Variable:
    """One unknown true value: a metric over a month or a longer period."""

    metric: str
    period: Period
    nonnegative: bool


@attrs.frozen(kw_only=True)
class Row:
    """``low ≤ Σ coef·x ≤ high``; an open side is strict (``>``, ``<``).

    ``claim`` is the claim the row encodes, or None for an aggregation, identity or
    part, which always hold. ``terms`` pairs variable indices with exact coefficients.
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
    """A metric over a period the ledger touches; ``variable`` is its unknown."""

    metric: str
    period: Period
    unit: str
    variable: int
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


_new = object.__new__
# the slots of a Row, set as attrs' __init__ sets them, without its keyword handling: a
# ledger compiles to about two rows per claim under each reading
_ROW_FIELDS = ("claim", "kind", "terms", "low", "high", "open_low", "open_high")
assert tuple(f.name for f in attrs.fields(Row)) == _ROW_FIELDS, "update _row"
_r_claim, _r_kind, _r_terms, _r_low, _r_high, _r_open_low, _r_open_high = (
    Row.__dict__[name].__set__ for name in _ROW_FIELDS)


def _row(claim: str | None, kind: RowKind, terms: tuple[tuple[int, Decimal], ...],
         low: Decimal = _NEG_INF, high: Decimal = INF, open_low: bool = False,
         open_high: bool = False) -> Row:
    """``Row(claim=claim, kind=kind, ...)``, made faster (the fields are never converted)."""
    row: Row = _new(Row)
    _r_claim(row, claim)
    _r_kind(row, kind)
    _r_terms(row, terms)
    _r_low(row, low)
    _r_high(row, high)
    _r_open_low(row, open_low)
    _r_open_high(row, open_high)
    return row


_V_FIELDS = ("metric", "period", "nonnegative")
assert tuple(f.name for f in attrs.fields(Variable)) == _V_FIELDS, "update _variable"
_v_metric, _v_period, _v_nonnegative = (Variable.__dict__[name].__set__ for name in _V_FIELDS)
_Q_FIELDS = ("metric", "period", "unit", "variable", "reported")
assert tuple(f.name for f in attrs.fields(Quantity)) == _Q_FIELDS, "update _quantity"
_q_metric, _q_period, _q_unit, _q_variable, _q_reported = (
    Quantity.__dict__[name].__set__ for name in _Q_FIELDS)


def _variable(metric: str, period: Period, nonnegative: bool) -> Variable:
    """``Variable(metric=metric, period=period, nonnegative=nonnegative)``, made faster."""
    variable: Variable = _new(Variable)
    _v_metric(variable, metric)
    _v_period(variable, period)
    _v_nonnegative(variable, nonnegative)
    return variable


def _quantity(metric: str, period: Period, unit: str, variable: int, reported: bool
              ) -> Quantity:
    """``Quantity(metric=metric, period=period, ...)``, made faster."""
    quantity: Quantity = _new(Quantity)
    _q_metric(quantity, metric)
    _q_period(quantity, period)
    _q_unit(quantity, unit)
    _q_variable(quantity, variable)
    _q_reported(quantity, reported)
    return quantity


class _Builder:
    """The working state of one compilation (keys, rows per reading, notes)."""

    def __init__(self, ledger: Ledger, readings: Sequence[Reading]) -> None:
        self.ledger = ledger
        self.readings = readings
        self.metrics: dict[str, Metric] = {m.id: m for m in ledger.metrics}
        self.keys: dict[str, set[_Span]] = defaultdict(set)
        self.touched: dict[str, set[_Span]] = defaultdict(set)
        self.index: dict[tuple[str, int, int], int] = {}
        self.rows: dict[Reading, list[Row]] = {r: [] for r in readings}
        self.row_lists: list[list[Row]] = [self.rows[r] for r in readings]
        self.notes: list[str] = []
        self.left_out: list[str] = []
        self.periods: dict[_Span, Period] = {}
        # (variable, largest finite |bound|) of each level claim under any reading: the
        # only rows whose bounds are not 0 or infinite, so they alone size a component
        self.sizes: list[tuple[int, Decimal]] = []

    def period(self, first: int, last: int) -> Period:
        """The period from *first* to *last*, one object per span (shared by all)."""
        span = (first, last)
        found = self.periods.get(span)
        if found is None:
            found = self.periods[span] = Period(first=first, last=last)
        return found

    # -- keys ------------------------------------------------------------------

    def need(self, metric: str, period: Period) -> None:
        """Make sure the variable of *metric* over *period* (and its months) exists."""
        keys = self.keys[metric]
        keys.add((period.first, period.last))
        if self.metrics[metric].sums and period.first != period.last:
            keys.update((o, o) for o in range(period.first, period.last + 1))

    def touch(self, metric: str, period: Period) -> None:
        """Record a quantity the implied figures should cover."""
        self.touched[metric].add((period.first, period.last))

    def close(self) -> None:
        """Close touched periods, then month keys, under identities and ``part_of``."""
        groups = [(i.whole, *i.parts) for i in self.ledger.identities]
        parents = [(m.id, m.part_of) for m in self.ledger.metrics if m.part_of is not None]
        _closure(self.touched, groups, parents, lambda name, spans: set(spans))
        for metric, spans in self.touched.items():
            for first, last in spans:
                self.need(metric, self.period(first, last))

        def months(name: str, spans: Iterable[_Span]) -> set[_Span]:
            if not self.metrics[name].sums:
                return set(spans)
            return {s for s in spans if s[0] == s[1]}

        _closure(self.keys, groups, parents, months)

    def number(self) -> list[Variable]:
        """Give every key a variable index, metric by metric in ledger order."""
        variables: list[Variable] = []
        index, periods = self.index, self.periods
        for metric in self.ledger.metrics:
            mid, nonnegative = metric.id, metric.nonnegative
            for span in sorted(self.keys.get(mid, ())):
                index[(mid, *span)] = len(variables)
                period = periods.get(span)
                if period is None:
                    period = self.period(*span)
                variables.append(_variable(mid, period, nonnegative))
        return variables

    def var(self, metric: str, period: Period) -> int:
        """The variable of *metric* over *period*."""
        return self.index[(metric, period.first, period.last)]

    def has(self, metric: str, span: _Span) -> bool:
        """Whether the system has a variable for *metric* over *span*."""
        return (metric, *span) in self.index

    # -- rows ------------------------------------------------------------------

    def add(self, row: Row) -> None:
        """Add a row that reads the same under every reading."""
        for rows in self.row_lists:
            rows.append(row)

    def add_each(self, make: dict[Reading, Row]) -> None:
        """Add one row per reading, at the same position in each.

        Readings that give the same row share one object, so the solver can tell at a
        glance which rows differ between readings.
        """
        first = make[self.readings[0]]
        for reading, rows in zip(self.readings, self.row_lists, strict=True):
            row = make[reading]
            rows.append(first if row is first or row == first else row)

    def difference(self, claim: str, kind: RowKind, metric: str, a: Period, b: Period, *,
                   low: Decimal = _NEG_INF, high: Decimal = INF, open_low: bool = False,
                   open_high: bool = False) -> Row:
        """The row ``low ≤ x(a) − x(b) ≤ high`` of one metric."""
        return _row(claim=claim, kind=kind, terms=_terms({self.var(metric, a): _ONE,
                                                          self.var(metric, b): _MINUS_ONE}),
                   low=low, high=high, open_low=open_low, open_high=open_high)


def _closure(table: dict[str, set[_Span]], groups: list[tuple[str, ...]],
             parents: Sequence[tuple[str, str | None]],
             carry: Callable[[str, Iterable[_Span]], set[_Span]]) -> None:
    """Share spans among the members of every identity and from parts to parents."""
    changed = True
    while changed:
        changed = False
        for group in groups:
            union: set[_Span] = set()
            for name in group:
                union |= carry(name, table[name])
            for name in group:
                if not union <= table[name]:
                    table[name] |= union
                    changed = True
        for child, parent in parents:
            assert parent is not None
            mine = carry(child, table[child])
            if not mine <= table[parent]:
                table[parent] |= mine
                changed = True


def _terms(terms: dict[int, Decimal]) -> tuple[tuple[int, Decimal], ...]:
    return tuple(sorted((j, c) for j, c in terms.items() if c != 0))


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


def _since(period: Period, since: Period) -> list[Period]:
    """Periods of *period*'s length strictly between *since* and *period*."""
    out = []
    k = 1
    while (q := period.shift(-k * period.length)).first > since.last:
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


def _is_record(claim: Claim) -> bool:
    rank = claim.rank
    return (rank is not None and not rank.about_changes and rank.scope is None
            and rank.since is None)


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
        compared += _since(claim.period, rank.since)
    return named, compared


def compile_ledger(ledger: Ledger, reading: Reading = "default") -> System:
    """Compile every claim of *ledger*, read under *reading*, into linear constraints.

    The result is exact (Decimal) and solver-agnostic; see the module docstring for
    what each kind of claim becomes.
    """
    return compile_readings(ledger, (reading,))[reading]


def compile_readings(ledger: Ledger, readings: Sequence[Reading] = READINGS
                     ) -> dict[Reading, System]:
    """Compile *ledger* under several readings at once.

    The systems share their variables, quantities and components, and every row that
    does not depend on the reading (the same objects); only level and growth rows
    differ, and they sit at the same positions in every system.
    """
    if not readings:
        raise ValueError("give at least one reading")
    for reading in readings:
        if reading not in READINGS:
            raise ValueError(f"reading must be one of {', '.join(READINGS)}, got {reading!r}")
    b = _Builder(ledger, readings)
    claims: list[Claim] = []
    touched, keys = b.touched, b.keys
    for claim in ledger.claims:
        metric = b.metrics[claim.metric]
        level = claim.rank is None and claim.direction is None and claim.change is None
        value = claim.value
        # _left_out and _touches, inline for a level in its metric's unit (most claims)
        if not level or (value is not None and value.unit != metric.unit):
            reason = _left_out(claim, metric)
            if reason is not None:
                b.left_out.append(claim.id)
                b.notes.append(reason)
                continue
        claims.append(claim)
        mid, sums = metric.id, metric.sums
        mine, seen = keys[mid], touched[mid]
        if level:
            period = claim.period
            first, last = period.first, period.last
            seen.add((first, last))
            mine.add((first, last))
            if sums and first != last:
                mine.update((o, o) for o in range(first, last + 1))
            continue
        named, compared = _touches(claim)
        # b.touch and b.need, inline: two of them for nearly every claim
        for period in named:
            first, last = period.first, period.last
            seen.add((first, last))
            mine.add((first, last))
            if sums and first != last:
                mine.update((o, o) for o in range(first, last + 1))
        for period in compared:
            b.need(mid, period)
    b.close()
    records: dict[str, list[Period]] = {}
    for claim in claims:
        if _is_record(claim):
            records[claim.id] = _known_like(b, claim.metric, claim.period)
            for period in records[claim.id]:
                b.need(claim.metric, period)
    variables = b.number()
    _structural_rows(b, ledger)
    anchors: dict[str, int] = {}
    index, sizes = b.index, b.sizes
    pairs = list(zip(b.row_lists, b.readings, strict=True))
    for claim in claims:
        period = claim.period
        var = anchors[claim.id] = index[(claim.metric, period.first, period.last)]
        if claim.rank is not None or claim.direction is not None or claim.change is not None:
            _claim_rows(b, claim, records.get(claim.id, []))
            continue
        # a level (_claim_rows, inline): readings that give the same interval (most
        # figures) share one row object, built once
        made: list[tuple[Interval, Row]] = []
        last_interval: Interval | None = None
        row: Row
        big = _ZERO
        for rows_of, reading in pairs:
            interval = claim.interval(reading)
            assert interval is not None
            if last_interval is None or not (
                    interval is last_interval or (interval.low == last_interval.low
                                                  and interval.high == last_interval.high)):
                for i, r in made:
                    if i.low == interval.low and i.high == interval.high:
                        row = r
                        break
                else:
                    low, high = interval.low, interval.high
                    row = _row(claim=claim.id, kind="level", terms=((var, _ONE),), low=low,
                               high=high)
                    made.append((interval, row))
                    for bound in (low, high):
                        if bound.is_finite() and abs(bound) > big:
                            big = abs(bound)
                last_interval = interval
            rows_of.append(row)
        sizes.append((var, big))

    quantities = _quantities(b, ledger)
    components = _components(b, variables, quantities, claims, anchors)
    return {
        reading: System(reading=reading, variables=tuple(variables), rows=tuple(b.rows[reading]),
                        quantities=tuple(quantities), components=tuple(components),
                        left_out=tuple(b.left_out), notes=tuple(b.notes))
        for reading in readings
    }


def _structural_rows(b: _Builder, ledger: Ledger) -> None:
    for metric in ledger.metrics:
        if not metric.sums:
            continue
        mid, index = metric.id, b.index
        for first, last in sorted(b.keys.get(metric.id, ())):
            if first != last:
                # distinct variables, none with a zero coefficient: _terms' order, no dict
                sums = sorted([(index[(mid, o, o)], _MINUS_ONE)
                               for o in range(first, last + 1)])
                whole = index[(mid, first, last)]
                sums.insert(bisect.bisect_left(sums, (whole,)), (whole, _ONE))
                b.add(_row(claim=None, kind="aggregate", terms=tuple(sums), low=_ZERO,
                          high=_ZERO))
    for identity in ledger.identities:
        for span in sorted(b.keys.get(identity.whole, ())):
            if not all(b.has(part, span) for part in identity.parts):
                continue
            terms: dict[int, Decimal] = defaultdict(lambda: _ZERO)
            terms[b.index[(identity.whole, *span)]] += _ONE
            for part in identity.parts:
                terms[b.index[(part, *span)]] -= _ONE
            b.add(_row(claim=None, kind="identity", terms=_terms(terms), low=_ZERO, high=_ZERO))
    for metric in ledger.metrics:
        if metric.part_of is None:
            continue
        for span in sorted(b.keys.get(metric.id, ())):
            if b.has(metric.part_of, span):
                pair = {b.index[(metric.id, *span)]: _ONE,
                        b.index[(metric.part_of, *span)]: _MINUS_ONE}
                b.add(_row(claim=None, kind="part", terms=_terms(pair), high=_ZERO))


def _claim_rows(b: _Builder, claim: Claim, record: list[Period]) -> None:
    """The rows of a claim that is not a level (compile_readings writes those itself)."""
    cid, metric, period = claim.id, claim.metric, claim.period
    kind = claim.kind
    if kind == "change":
        base = claim.base_period
        assert base is not None
        index = b.index
        current = index[(metric, period.first, period.last)]
        prior = index[(metric, base.first, base.last)]
        pairs: list[tuple[Interval, Row, Row]] = []
        first: tuple[Row, Row] | None = None
        for rows_of, reading in zip(b.row_lists, b.readings, strict=True):
            interval = claim.interval(reading)
            assert interval is not None
            seen = next((p for p in pairs if p[0] is interval or p[0] == interval), None)
            if seen is None:
                lo = _growth(cid, current, prior, interval.low, upper=False)
                hi = _growth(cid, current, prior, interval.high, upper=True)
                pairs.append((interval, lo, hi))
            else:
                _, lo, hi = seen
            # as add_each: a row that reads as the first reading's is that object
            if first is None:
                first = (lo, hi)
            else:
                if lo is not first[0] and lo == first[0]:
                    lo = first[0]
                if hi is not first[1] and hi == first[1]:
                    hi = first[1]
            rows_of.append(lo)
            rows_of.append(hi)
        b.add(_row(claim=cid, kind="prior", terms=((prior, _ONE),), low=_ZERO, open_low=True))
    elif kind == "direction":
        base = claim.base_period
        assert base is not None
        up = claim.direction == "up"
        b.add(b.difference(cid, "direction", metric, period, base,
                           low=_ZERO if up else _NEG_INF, high=INF if up else _ZERO,
                           open_low=up, open_high=not up))
    else:
        _rank_rows(b, claim, record)


def _interval(claim: Claim, reading: Reading) -> Interval:
    """The claim's interval under *reading* (cached on the claim: the checks ask too)."""
    interval = claim.interval(reading)
    assert interval is not None
    return interval


def _growth(claim: str, current: int, prior: int, rate: Decimal, *, upper: bool) -> Row:
    """``current − (1 + rate/100)·prior`` ≤ 0 (*upper*) or ≥ 0; vacuous for an infinite rate.

    A vacuous row (``current − prior`` unbounded) keeps every reading's rows at the same
    positions, with the same variables.
    """
    if not rate.is_finite():
        return _row(claim=claim, kind="growth", terms=_terms({current: _ONE, prior: _MINUS_ONE}))
    factor = _ONE + rate / _HUNDRED
    if current == prior:
        terms: tuple[tuple[int, Decimal], ...] = ((current, _ONE - factor),)
    elif not factor:  # a fall of 100 %: the prior's coefficient is zero (as _terms drops it)
        terms = ((current, _ONE),)
    elif current < prior:
        terms = ((current, _ONE), (prior, -factor))
    else:
        terms = ((prior, -factor), (current, _ONE))
    if upper:
        return _row(claim=claim, kind="growth", terms=terms, high=_ZERO)
    return _row(claim=claim, kind="growth", terms=terms, low=_ZERO)


def _rank_rows(b: _Builder, claim: Claim, record: list[Period]) -> None:
    rank = claim.rank
    assert rank is not None
    cid, metric, period = claim.id, claim.metric, claim.period
    if rank.about_changes:
        decline = rank.extreme == "first decline"
        b.add(b.difference(cid, "rank", metric, period, claim.base_of(period),
                           low=_NEG_INF if decline else _ZERO, high=_ZERO if decline else INF,
                           open_low=not decline, open_high=decline))
        if rank.scope is None:
            b.notes.append(f"claim {cid!r}: a first {'decline' if decline else 'increase'} "
                           f"with no period it is first in; only its own change is used")
            return
        for q in _aligned(period, rank.scope):
            if q.first < period.first:
                b.add(b.difference(cid, "rank", metric, q, claim.base_of(q),
                                   low=_ZERO if decline else _NEG_INF,
                                   high=INF if decline else _ZERO))
        return
    highest = rank.extreme == "highest"
    if rank.scope is not None:
        others = [q for q in _aligned(period, rank.scope) if q != period]
    elif rank.since is not None:
        others = _since(period, rank.since)
        if rank.since.length == period.length:
            # the period reached back to was itself at least as high
            b.add(b.difference(cid, "rank", metric, rank.since, period,
                               low=_ZERO if highest else _NEG_INF,
                               high=INF if highest else _ZERO))
        else:
            b.notes.append(f"claim {cid!r}: {rank.since} is not a period of the same length as "
                           f"{period}; only the periods after it are compared")
    else:
        others = record
        if not others:
            b.notes.append(f"claim {cid!r} ({rank.text}): the ledger knows no other period "
                           f"of {metric!r} to compare it with")
    for other in others:
        b.add(b.difference(cid, "rank", metric, other, period,
                           low=_NEG_INF if highest else _ZERO, high=_ZERO if highest else INF))


def _known_like(b: _Builder, metric: str, period: Period) -> list[Period]:
    """Every period of *period*'s length, aligned with it, the system has for *metric*."""
    keys = b.keys.get(metric, set())
    if not keys:
        return []
    if b.metrics[metric].sums:
        months = sorted(first for first, last in keys if first == last)
        if not months:
            return []
        span = Period(first=months[0], last=months[-1])
        have = set(months)
        return [q for q in _aligned(period, span)
                if q != period and all(o in have for o in q.ordinals())]
    return sorted(Period(first=f, last=last) for f, last in keys
                  if last - f + 1 == period.length and (f, last) != (period.first, period.last))


def _quantities(b: _Builder, ledger: Ledger) -> list[Quantity]:
    # the levels (Claim.kind, inline)
    reported = {(c.metric, c.period.first, c.period.last) for c in ledger.claims
                if c.rank is None and c.direction is None and c.change is None}
    out: list[Quantity] = []
    periods, index = b.periods, b.index
    for metric in ledger.metrics:
        touched = b.touched.get(metric.id, set())
        spans = set(touched)
        if metric.sums:
            spans |= {(o, o) for first, last in touched if last - first < _MONTHS_IMPLIED
                      for o in range(first, last + 1)}
        mid, unit = metric.id, metric.unit
        for span in sorted(spans):
            key = (mid, *span)
            period = periods.get(span)
            if period is None:
                period = b.period(*span)
            out.append(_quantity(mid, period, unit, index[key], key in reported))
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

    first_rows = b.rows[b.readings[0]]
    # a claim is kept or dropped as a whole, so all its rows are one part ("first
    # decline of 2025" compares March and also January, which may share nothing else)
    claim_var: dict[str, int] = {}
    for row in first_rows:
        terms = row.terms
        if not terms:
            continue
        cid = row.claim
        if cid is not None:
            seen = claim_var.get(cid)
            if seen is None:  # the claim's first row: nothing to join it with yet
                claim_var[cid] = terms[0][0]
                if len(terms) == 1:
                    continue
        else:
            seen = None
        r = find(terms[0][0])
        for j, _ in terms[1:]:
            s = j if parent[j] == j else find(j)
            if s != r:
                parent[s] = r
        if seen is not None:
            s = find(seen)
            if s != r:
                parent[s] = r

    groups: dict[int, list[int]] = defaultdict(list)
    for j in range(len(variables)):
        groups[j if parent[j] == j else find(j)].append(j)
    number = {r: i for i, r in enumerate(groups)}
    of_var = [0] * len(variables)
    for r, members in groups.items():
        c = number[r]
        for j in members:
            of_var[j] = c
    rows: list[list[int]] = [[] for _ in number]
    comp_claims: list[list[str]] = [[] for _ in number]
    quants: list[list[int]] = [[] for _ in number]
    biggest: list[Decimal] = [_ZERO for _ in number]
    for i, row in enumerate(first_rows):
        if row.terms:
            rows[of_var[row.terms[0][0]]].append(i)
    # the largest bound of each component under any reading: only levels have bounds
    # other than zero and infinity (see _Builder.sizes)
    for var, big in b.sizes:
        c = of_var[var]
        if big > biggest[c]:
            biggest[c] = big
    for claim in claims:
        comp_claims[of_var[anchors[claim.id]]].append(claim.id)
    for i, q in enumerate(quantities):
        quants[of_var[q.variable]].append(i)
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
