"""The ledger: metrics, identities, sources and claims, checked for coherence.

A :class:`Ledger` is only ever whole: constructing one validates every reference
(unknown source or metric, duplicate id, a claim that states nothing, a change that is
not a percentage, a metric that is part of itself) and raises one
:class:`~nkledger.exceptions.InvalidLedgerError` listing *every* problem, one line
each, before any check runs. A ledger that loaded is a ledger every check can trust.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from operator import attrgetter
from typing import Any

import attrs

from .claims import Claim, Identity, Metric, Source
from .exceptions import InvalidEntryError, InvalidLedgerError, PeriodError, UnknownReferenceError
from .figures import Reading, format_amount
from .periods import MAX_YEAR, MIN_YEAR, Period, check_years, parse_period

__all__ = ["Ledger", "linked_metrics"]

_CURRENCIES = {"USD", "CNY", "EUR", "GBP", "KRW", "JPY", "ZAR", "HKD", "RUB", "INR", "AUD",
               "CAD", "BRL", "KPW"}
# '%' for rates and shares, '' for plain numbers (a count of ships, tonnes)
_OTHER_UNITS = {"%", ""}


_ID = attrgetter("id")


def _index(items: Sequence[Any]) -> dict[str, Any]:
    return dict(zip(map(_ID, items), items, strict=True))


# One converter per field rather than ``converter=tuple``: mypy's attrs plugin cannot
# solve the type variable of ``tuple`` and would refuse ``Ledger(claims=[...])``.
def _metrics(items: Iterable[Metric]) -> tuple[Metric, ...]:
    return tuple(items)


def _identities(items: Iterable[Identity]) -> tuple[Identity, ...]:
    return tuple(items)


def _sources(items: Iterable[Source]) -> tuple[Source, ...]:
    return tuple(items)


def _claims(items: Iterable[Claim]) -> tuple[Claim, ...]:
    return tuple(items)


@attrs.frozen(kw_only=True)
class Ledger:
    """Everything known: what is measured, how series relate, who said what.

    ``origin`` (a file name) is only used in messages and is not part of equality.
    """

    metrics: tuple[Metric, ...] = attrs.field(converter=_metrics, default=())
    identities: tuple[Identity, ...] = attrs.field(converter=_identities, default=())
    sources: tuple[Source, ...] = attrs.field(converter=_sources, default=())
    claims: tuple[Claim, ...] = attrs.field(converter=_claims, default=())
    origin: str | None = attrs.field(default=None, eq=False, repr=False)
    _metrics: dict[str, Metric] = attrs.field(init=False, eq=False, repr=False)
    _sources: dict[str, Source] = attrs.field(init=False, eq=False, repr=False)
    _claims: dict[str, Claim] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        self._set_indexes()
        problems = list(self._problems())
        if problems:
            where = self.origin or "ledger"
            n = len(problems)
            raise InvalidLedgerError(
                f"{where}: {n} problem{'s' if n > 1 else ''} found", problems
            )

    def _set_indexes(self) -> None:
        object.__setattr__(self, "_metrics", _index(self.metrics))
        object.__setattr__(self, "_sources", _index(self.sources))
        object.__setattr__(self, "_claims", _index(self.claims))

    @classmethod
    def _part_of_valid(cls, *, metrics: Iterable[Metric], identities: Iterable[Identity],
                       sources: Iterable[Source], claims: Iterable[Claim],
                       origin: str | None) -> Ledger:
        """A ledger made of parts of a valid ledger, built without validating it again.

        Private, for the library's own sub-ledgers only (:meth:`without`, :meth:`select`,
        :func:`nkledger.parallel.work_items`, :func:`nkledger.evidence.plan`): the caller
        promises that the ledger is valid, i.e. that ``Ledger(...)`` with the same
        arguments would raise nothing. That holds for any subset of a valid ledger's
        claims together with all the metrics, identities and sources they refer to (each
        rule is about one claim, metric or identity and what it names, or about duplicate
        ids). It is equal to, and has the same indexes as, the validated ledger; only the
        cost of checking every claim again is saved.
        """
        ledger = cls.__new__(cls)
        object.__setattr__(ledger, "metrics", _metrics(metrics))
        object.__setattr__(ledger, "identities", _identities(identities))
        object.__setattr__(ledger, "sources", _sources(sources))
        object.__setattr__(ledger, "claims", _claims(claims))
        object.__setattr__(ledger, "origin", origin)
        ledger._set_indexes()
        return ledger

    def __reduce__(self) -> tuple[Any, ...]:
        # its parts, not its indexes (rebuilt on arrival) nor attrs' state dict
        return (_unpickled, (self.metrics, self.identities, self.sources, self.claims,
                             self.origin))

    def _with_claims(self, claims: Iterable[Claim]) -> Ledger:
        """The ledger with some of its own claims only (no validation needed)."""
        return type(self)._part_of_valid(metrics=self.metrics, identities=self.identities,
                                         sources=self.sources, claims=claims,
                                         origin=self.origin)

    # -- lookups ---------------------------------------------------------------

    def metric(self, metric_id: str) -> Metric:
        """The metric called *metric_id*."""
        try:
            return self._metrics[metric_id]
        except KeyError:
            raise UnknownReferenceError(f"no metric {metric_id!r} in the ledger") from None

    def source(self, source_id: str) -> Source:
        """The source called *source_id*."""
        try:
            return self._sources[source_id]
        except KeyError:
            raise UnknownReferenceError(f"no source {source_id!r} in the ledger") from None

    def claim(self, claim_id: str) -> Claim:
        """The claim called *claim_id*."""
        try:
            return self._claims[claim_id]
        except KeyError:
            raise UnknownReferenceError(f"no claim {claim_id!r} in the ledger") from None

    def source_of(self, claim: Claim) -> Source:
        """The source a claim comes from."""
        return self.source(claim.source)

    def children(self, metric_id: str) -> tuple[Metric, ...]:
        """The metrics declared ``part_of`` *metric_id*."""
        return tuple(m for m in self.metrics if m.part_of == metric_id)

    # -- sub-ledgers -------------------------------------------------------------

    def without(self, claims: Iterable[str]) -> Ledger:
        """The ledger less some claims: ids, or a repair or conflict set as it is.

        ``ledger.without(report.repairs[0])`` drops the best repair, to check again.
        Metrics, identities and sources stay (a source with no claim left is harmless).

        Raises:
            UnknownReferenceError: naming every id the ledger does not have.
        """
        drop = set(claims)
        unknown = sorted(drop - self._claims.keys())
        if unknown:
            raise UnknownReferenceError(
                f"no claim {', '.join(map(repr, unknown))} in the ledger: nothing dropped")
        return self._with_claims(c for c in self.claims if c.id not in drop)

    def select(
        self,
        predicate: Callable[[Claim], bool] | None = None,
        *,
        ids: Iterable[str] | None = None,
        metrics: Iterable[str] | None = None,
        sources: Iterable[str] | None = None,
        outlets: Iterable[str] | None = None,
        within: Period | str | None = None,
    ) -> Ledger:
        """The sub-ledger of the claims that pass every filter given.

        Args:
            predicate: a function of a claim, true for the claims to keep.
            ids, metrics, sources, outlets: keep claims with one of these ids, metric
                ids, source ids or outlet names (a source's ``label``).
            within: keep claims whose period lies inside this period ("2025").

        Metrics, identities and sources all stay, so the sub-ledger is valid and checks
        as the whole would on those claims. Names the ledger does not have raise
        :class:`~nkledger.exceptions.UnknownReferenceError`: a typo never silently
        selects nothing.
        """
        keep_ids = self._known("claim", ids, self._claims)
        keep_metrics = self._known("metric", metrics, self._metrics)
        keep_sources = self._known("source", sources, self._sources)
        labels = {s.label for s in self.sources}
        keep_outlets = None if outlets is None else set(outlets)
        if keep_outlets is not None and (missing := sorted(keep_outlets - labels)):
            raise UnknownReferenceError(
                f"no outlet {', '.join(map(repr, missing))} in the ledger")
        span = parse_period(within) if isinstance(within, str) else within

        def wanted(claim: Claim) -> bool:
            return ((keep_ids is None or claim.id in keep_ids)
                    and (keep_metrics is None or claim.metric in keep_metrics)
                    and (keep_sources is None or claim.source in keep_sources)
                    and (keep_outlets is None
                         or self._sources[claim.source].label in keep_outlets)
                    and (span is None or span.contains(claim.period))
                    and (predicate is None or predicate(claim)))

        return self._with_claims(c for c in self.claims if wanted(c))

    @staticmethod
    def _known(kind: str, names: Iterable[str] | None, index: dict[str, Any]
               ) -> set[str] | None:
        if names is None:
            return None
        wanted = {names} if isinstance(names, str) else set(names)
        missing = sorted(wanted - index.keys())
        if missing:
            raise UnknownReferenceError(
                f"no {kind} {', '.join(map(repr, missing))} in the ledger")
        return wanted

    def __iter__(self) -> Iterator[Claim]:
        return iter(self.claims)

    def __len__(self) -> int:
        return len(self.claims)

    # -- validation ------------------------------------------------------------

    def _error(self, message: str, entry: str, line: int | None = None) -> InvalidEntryError:
        return InvalidEntryError(message, path=self.origin, line=line, entry=entry)

    def _problems(self) -> Iterator[InvalidEntryError]:
        for kind, items, index in (("metric", self.metrics, self._metrics),
                                   ("source", self.sources, self._sources),
                                   ("claim", self.claims, self._claims)):
            if len(index) == len(items):
                continue  # every id once: the index has an entry for each
            seen: set[str] = set()
            for item in items:
                if item.id in seen:
                    yield self._error(f"duplicate {kind} id {item.id!r}", f"{kind} {item.id!r}",
                                      getattr(item, "line", None))
                seen.add(item.id)
        chains = self._chains()
        for metric in self.metrics:
            yield from self._metric_problems(metric, chains)
        for identity in self.identities:
            entry = f"identity {identity}"
            for name in (identity.whole, *identity.parts):
                if name not in self._metrics:
                    yield self._error(f"unknown metric {name!r}", entry, identity.line)
            if identity.whole in identity.parts:
                yield self._error("a metric cannot be a part of itself", entry, identity.line)
            twice = sorted({p for p in identity.parts if identity.parts.count(p) > 1})
            if twice:
                yield self._error(f"part {', '.join(map(repr, twice))} is named twice: each "
                                  f"part counts once", entry, identity.line)
            members = [self._metrics[n] for n in (identity.whole, *identity.parts)
                       if n in self._metrics]
            if len({(m.unit, m.aggregate) for m in members}) > 1:
                kinds = ", ".join(f"{m.id} ({m.unit}, {'sums' if m.sums else 'does not sum'})"
                                  for m in members)
                yield self._error(f"an identity adds like to like: {kinds}", entry, identity.line)
        sources, metrics = self._sources, self._metrics
        low_year, high_year = MIN_YEAR * 12, MAX_YEAR * 12 + 11
        for claim in self.claims:
            # the common claim, a plain value or change, that no rule below can fault:
            # read in one expression rather than rule by rule
            value, known, change, period = claim.value, metrics.get(claim.metric), \
                claim.change, claim.period
            if (value is not None and known is not None and claim.source in sources
                    and claim.rank is None and claim.direction is None
                    and claim.low is None and claim.high is None
                    and low_year <= period.first and period.last <= high_year
                    and (change is None or type(change) is str) and claim.quote.strip()
                    and (value.unit == "%" if change is not None
                         else known.unit == "%" if value.unit == "%"
                         else value.unit == known.unit
                         or (value.unit in _CURRENCIES and known.unit in _CURRENCIES))):
                continue
            yield from self._claim_problems(claim)

    def _metric_problems(self, metric: Metric, chains: dict[str, str]
                         ) -> Iterator[InvalidEntryError]:
        entry = f"metric {metric.id!r}"

        def err(message: str) -> InvalidEntryError:
            return self._error(message, entry, metric.line)

        if metric.aggregate not in ("sum", None):
            yield err(f"aggregate must be 'sum' or absent, got {metric.aggregate!r}")
        if metric.unit not in _CURRENCIES and metric.unit not in _OTHER_UNITS:
            hint = (f"; write {metric.unit.strip().upper()!r}"
                    if metric.unit.strip().upper() in _CURRENCIES else "")
            yield err(f"unit {metric.unit!r} is not known{hint}: a unit is a currency code "
                      f"({', '.join(sorted(_CURRENCIES))}), '%', or '' for plain numbers")
        if metric.part_of is None:
            return
        parent_metric = self._metrics.get(metric.part_of)
        if parent_metric is not None and (
            (parent_metric.unit, parent_metric.aggregate) != (metric.unit, metric.aggregate)
        ):
            yield err(f"part_of {parent_metric.id!r}: a part must have its parent's unit and "
                      f"aggregation ({parent_metric.unit}, "
                      f"{'sums' if parent_metric.sums else 'does not sum'})")
        problem = chains.get(metric.id)
        if problem is not None:
            yield err(problem)

    def _chains(self) -> dict[str, str]:
        """What is wrong with each metric's ``part_of`` chain, if anything.

        Each metric is visited once (a chain of 3,000 parts used to be walked from every
        one of its links): a metric on a cycle is "a cycle through" itself; one whose
        parent is unknown or on a cycle says so; any other inherits its parent's problem.
        """
        parent_of = {m: self._metrics[m].part_of for m in self._metrics}
        cyclic: set[str] = set()
        state: dict[str, int] = {}  # 1: on the current walk, 2: finished
        for start in parent_of:
            path: list[str] = []
            node: str | None = start
            while node is not None and node in parent_of and node not in state:
                state[node] = 1
                path.append(node)
                node = parent_of[node]
            if node is not None and state.get(node) == 1:
                cyclic.update(path[path.index(node):])
            for member in path:
                state[member] = 2
        problems: dict[str, str] = {}
        settled: set[str] = set()
        for start in parent_of:
            path = []
            node = start
            while node is not None and node in parent_of and node not in settled:
                settled.add(node)
                path.append(node)
                node = parent_of[node]
            for child in reversed(path):
                parent = parent_of[child]
                if child in cyclic:
                    problems[child] = f"part_of makes a cycle through {child!r}"
                elif parent is None:
                    continue
                elif parent not in parent_of:
                    problems[child] = f"part_of: unknown metric {parent!r}"
                elif parent in cyclic:
                    problems[child] = f"part_of makes a cycle through {parent!r}"
                elif parent in problems:
                    problems[child] = problems[parent]
        return problems

    def _claim_problems(self, claim: Claim) -> Iterator[InvalidEntryError]:
        entry = f"claim {claim.id!r}"

        def err(message: str) -> InvalidEntryError:
            return self._error(message, entry, claim.line)

        if claim.source not in self._sources:
            yield err(f"source {claim.source!r}: no such source in the ledger")
        named = [("period", claim.period)]
        if isinstance(claim.change, Period):
            named.append(("change", claim.change))
        if claim.rank is not None:
            named.extend((f"rank {claim.rank.text!r}: period", p)
                         for p in (claim.rank.since, claim.rank.scope) if p is not None)
        for what, period in named:
            try:
                check_years(period, f"{what} {str(period)!r}")
            except PeriodError as exc:
                yield err(str(exc))
        metric = self._metrics.get(claim.metric)
        if metric is None:
            yield err(f"metric {claim.metric!r}: no such metric in the ledger")
        stated = [name for name in ("value", "rank", "direction")
                  if getattr(claim, name) is not None]
        if not stated:
            yield err("states nothing: give a value, a rank or a direction")
        elif len(stated) > 1:
            yield err(f"states {' and '.join(stated)}: one claim states one thing; "
                      f"split it into {len(stated)} claims with the same quote")
        if not claim.quote.strip():
            yield err("quote is empty: every claim keeps the words it came from")
        if isinstance(claim.change, Period) and claim.change.last >= claim.period.first:
            yield err(f"change {str(claim.change)!r}: the base must end before "
                      f"{claim.period} starts")
        value = claim.value
        if value is not None and claim.change is not None and not value.is_percent:
            yield err(f"value {value.text!r}: a change must be a percentage such as '25%'")
        if value is not None and claim.change is None and metric is not None:
            # A figure in another currency is kept as it is (the checks keep it apart);
            # any other unit that differs from the metric's is a mistake.
            if value.is_percent and metric.unit != "%":
                yield err(f"value {value.text!r}: a level of {metric.id!r} must be in "
                          f"{metric.unit or 'plain numbers'}, not a percentage "
                          f"(is 'change' missing?)")
            elif value.unit != metric.unit and not (
                value.unit in _CURRENCIES and metric.unit in _CURRENCIES
            ):
                yield err(f"value {value.text!r}: unit {value.unit or 'none'} does not fit "
                          f"metric {metric.id!r} in {metric.unit or 'plain numbers'}")
        for name in ("low", "high"):
            bound = getattr(claim, name)
            if bound is not None and value is None:
                yield err(f"{name} {bound.text!r}: only a claim with a value can override it")
            elif bound is not None and value is not None and bound.unit != value.unit:
                yield err(f"{name} {bound.text!r}: unit {bound.unit or 'none'} differs from "
                          f"value {value.text!r}")
            elif bound is not None and bound.qualifier is not None:
                yield err(f"{name} {bound.text!r}: an override is an exact end; "
                          f"write it without {bound.qualifier!r}")
        if claim.low is not None and claim.high is not None and value is not None:
            if claim.low.value > claim.high.value:
                yield err(f"low {claim.low.text!r} exceeds high {claim.high.text!r}")
        elif value is not None and (claim.low is not None or claim.high is not None) and all(
            bound is None or bound.unit == value.unit for bound in (claim.low, claim.high)
        ):
            yield from (err(m) for m in _override_problems(claim))
        if claim.direction not in (None, "up", "down"):
            yield err(f"direction {claim.direction!r}: must be 'up' or 'down'")


def _unpickled(metrics: tuple[Metric, ...], identities: tuple[Identity, ...],
               sources: tuple[Source, ...], claims: tuple[Claim, ...],
               origin: str | None) -> Ledger:
    """A pickled ledger read back: it was valid when pickled, so it is not checked again."""
    return Ledger._part_of_valid(metrics=metrics, identities=identities, sources=sources,
                                 claims=claims, origin=origin)


_NARROWEST_FIRST: tuple[Reading, ...] = ("strict", "default", "lenient")


def linked_metrics(ledger: Ledger) -> dict[str, str]:
    """Each metric's representative: metrics linked by identities or ``part_of`` share one.

    Claims on metrics with different representatives share no unknown, whatever their
    periods: nothing one such group says can bear on another (the ledger's *independent
    parts*, as :mod:`nkledger.parallel` and the diagnoses use them).
    """
    parent: dict[str, str] = {m.id: m.id for m in ledger.metrics}

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
    return {m: find(m) for m in parent}


def _override_problems(claim: Claim) -> Iterator[str]:
    """An override of one end that leaves the other end of some reading behind it.

    ``low`` alone replaces the low end and keeps the figure's high end, so it must not
    exceed the high end in any reading (the strict one is the narrowest).
    """
    assert claim.value is not None
    unit = claim.value.unit
    for reading in _NARROWEST_FIRST:
        interval = claim.value.interval(reading)
        if claim.low is not None and claim.low.value > interval.high:
            yield (f"low {claim.low.text!r} is above the high end of value "
                   f"{claim.value.text!r} ({format_amount(interval.high, unit)} in the "
                   f"{reading} reading)")
            return
        if claim.high is not None and claim.high.value < interval.low:
            yield (f"high {claim.high.text!r} is below the low end of value "
                   f"{claim.value.text!r} ({format_amount(interval.low, unit)} in the "
                   f"{reading} reading)")
            return
