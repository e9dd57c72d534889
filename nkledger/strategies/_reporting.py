"""Reporting a truth as outlets do: every claim true, as consistent ledgers.

A direction ("rose") or a rank ("the highest since 2024-03") is only stated where the
truth clears it by a margin of 2 %: nkledger reads "rose" as at least a small step
above the base, and a rounded figure must not make a true claim look false.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import DrawFn, SearchStrategy

from ..claims import Change, Claim, Source, parse_rank
from ..ledger import Ledger
from ..periods import Period
from ._arbitrary import _OUTLETS, _feasible_kinds, _period_between, _slug
from ._truths import Truth, truths
from ._validation import _validate_range, _validate_size, _validate_strategy
from ._writing import _QUALIFIED, _figure, _Pen, _pens, _write

# Directions and ranks are only stated where the truth clears them by this much.
_MARGIN = Fraction(2, 100)

_PHRASES = {
    "total": "China–North Korea trade",
    "cn_exports": "China's exports to North Korea",
    "cn_imports": "China's imports from North Korea",
    "cn_exports_hair": "China's exports of processed hair to North Korea",
    "cn_imports_hair": "China's imports of wigs from North Korea",
}
_ORDINAL_WORDS = ("first", "second", "third", "fourth")


def _label(period: Period) -> str:
    kind = period.kind
    if kind == "quarter":
        return f"the {_ORDINAL_WORDS[period.first % 12 // 3]} quarter of {period.year}"
    if kind == "half":
        return f"the {_ORDINAL_WORDS[period.first % 12 // 6]} half of {period.year}"
    return period.label()


def _against(change: Change | None, period: Period) -> str:
    if change == "yoy":
        return "from a year earlier"
    if change is None or change == "mom":
        return "from the previous month" if period.is_month else "from the previous period"
    return f"from {_label(change)}"


def _growth(current: Decimal, base: Decimal) -> Fraction:
    """The true change in percent, exactly."""
    return (Fraction(current) / Fraction(base) - 1) * 100


@attrs.define
class _Newsroom:
    """Outlets writing up one truth: every claim it writes is true unless told otherwise."""

    draw: DrawFn
    truth: Truth
    sources: tuple[Source, ...]
    counts: dict[str, int] = attrs.field(factory=dict)
    _directions: list[tuple[str, Period, Change | None, str]] | None = None
    _ranks: list[tuple[str, Period, str, str]] | None = None

    # -- bookkeeping -----------------------------------------------------------

    def ident(self, source: Source) -> str:
        n = self.counts.get(source.id, 0) + 1
        self.counts[source.id] = n
        return f"{source.id}-{n}"

    def claim(self, source: Source, metric: str, period: Period, quote: str,
              **fields: Any) -> Claim:
        return Claim(id=self.ident(source), source=source.id, metric=metric, period=period,
                     quote=quote, **fields)

    @property
    def lo(self) -> int:
        return self.truth.span.first

    @property
    def hi(self) -> int:
        return self.truth.span.last

    def metric(self) -> str:
        return self.draw(st.sampled_from(self.truth.metric_ids))

    def period(self, kinds: Sequence[str] = ("month", "quarter", "half", "year", "ytd"), *,
               after: int = 0) -> Period:
        lo = self.lo + after
        return self.draw(_period_between(lo, self.hi, _feasible_kinds(lo, self.hi, kinds)))

    # -- the kinds of claim ---------------------------------------------------------

    def level(self, source: Source, metric: str, period: Period, *,
              value: Decimal | None = None, pens: SearchStrategy[_Pen] | None = None,
              scale: Decimal | None = None) -> Claim:
        """A level: the truth (or *value*) rounded and written by the pen."""
        true = self.truth.value(metric, period) if value is None else value
        pen = self.draw(pens if pens is not None else _pens(_QUALIFIED, 2, 5))
        figure = _write(Fraction(true), "USD", pen, scale=scale,
                        scale_choice=self.draw(st.integers(0, 3)) // 3)
        verb = "was" if metric == "total" else "were"
        quote = f"{_PHRASES[metric]} {verb} {figure.text} in {_label(period)}"
        return self.claim(source, metric, period, quote, value=figure)

    def change_target(self) -> tuple[str, Period, Change]:
        """A metric, period and comparison whose base lies inside the truth."""
        years = self.truth.span.length // 12
        comparisons = ["mom", "named"] + (["yoy"] if years >= 2 else [])
        how = self.draw(st.sampled_from(comparisons))
        metric = self.metric()
        if how == "yoy":
            return metric, self.period(after=12), "yoy"
        kinds = ("month", "quarter", "half", "year") if how == "mom" else ("month", "quarter")
        kind = self.draw(st.sampled_from([k for k in kinds if years >= 2 or k != "year"]))
        length = {"month": 1, "quarter": 3, "half": 6, "year": 12}[kind]
        period = self.period((kind,), after=length)
        if how == "mom":
            return metric, period, "mom"
        k = self.draw(st.integers(1, (period.first - self.lo) // length))
        return metric, period, period.shift(-k * length)

    def change(self, source: Source, metric: str, period: Period, change: Change, *,
               growth: Fraction | None = None, pens: SearchStrategy[_Pen] | None = None,
               flip: bool = False) -> Claim:
        """A change in percent: the true growth (or *growth*) rounded and written."""
        base = _base(period, change)
        if growth is None:
            growth = _growth(self.truth.value(metric, period), self.truth.value(metric, base))
        pen = self.draw(pens if pens is not None else _pens(_QUALIFIED, 1, 4))
        figure = _write(growth, "%", pen)
        if flip and figure.number != 0:
            figure = _figure(-figure.number, "%", figure.scale, figure.qualifier,
                             style=pen.style, word=pen.word, news=True)
        verb = "fell" if figure.number < 0 else "rose"
        size = figure.text.replace("-", "", 1)
        quote = f"{_PHRASES[metric]} {verb} {size} {_against(change, period)} in {_label(period)}"
        return self.claim(source, metric, period, quote, value=figure, change=change)

    def directions(self) -> list[tuple[str, Period, Change | None, str]]:
        """Every direction the truth clears by the margin, for months, quarters, years."""
        if self._directions is None:
            out: list[tuple[str, Period, Change | None, str]] = []
            span = self.truth.span
            candidates = [Period.from_ordinal(o) for o in span.ordinals()]
            candidates += [Period(first=o, last=o + 2) for o in range(span.first, span.last, 3)]
            candidates += [Period(first=o, last=o + 11) for o in range(span.first, span.last, 12)]
            for metric in self.truth.metric_ids:
                for period in candidates:
                    for change in (None, "yoy"):
                        base = _base(period, change)
                        if not span.contains(base):
                            continue
                        now = Fraction(self.truth.value(metric, period))
                        then = Fraction(self.truth.value(metric, base))
                        if now >= then * (1 + _MARGIN):
                            out.append((metric, period, change, "up"))
                        elif now <= then * (1 - _MARGIN):
                            out.append((metric, period, change, "down"))
            self._directions = out
        return self._directions

    def ranks(self) -> list[tuple[str, Period, str, str]]:
        """Every monthly rank the truth clears by the margin: of a year, since, a record."""
        if self._ranks is None:
            out: list[tuple[str, Period, str, str]] = []
            first = self.truth.span.first
            up = 1 + _MARGIN
            for metric in self.truth.metric_ids:
                values = [Fraction(v) for v in self.truth.monthly(metric)]
                n = len(values)
                for i, v in enumerate(values):
                    month = Period.from_ordinal(first + i)
                    year = i // 12 * 12
                    others = values[year:i] + values[i + 1:year + 12]
                    y = month.year
                    if all(v >= o * up for o in others):
                        out.append((metric, month, f"highest of {y}",
                                    f"the highest monthly level of {y}"))
                    if all(v * up <= o for o in others):
                        out.append((metric, month, f"lowest of {y}",
                                    f"the lowest monthly level of {y}"))
                    rest = values[:i] + values[i + 1:]
                    if n > 1 and all(v >= o * up for o in rest):
                        out.append((metric, month, "a record", "a record high"))
                    for word, above in (("highest", True), ("lowest", False)):
                        j = i - 1
                        while j >= 0 and (values[j] * up <= v if above else values[j] >= v * up):
                            j -= 1
                        if j < 0 or j == i - 1:  # a record so far, or "since last month"
                            continue
                        if values[j] >= v * up if above else values[j] * up <= v:
                            since = Period.from_ordinal(first + j)
                            out.append((metric, month, f"{word} since {since}",
                                        f"the {word} since {since.label()}"))
            self._ranks = out
        return self._ranks

    def any_claim(self, source: Source) -> Claim:
        """One true claim of a drawn kind; a level where the truth allows no other."""
        kind = self.draw(st.sampled_from(("level", "change", "direction", "rank")))
        if kind == "direction" and self.directions():
            metric, period, change, way = self.draw(st.sampled_from(self.directions()))
            verb = "rose" if way == "up" else "fell"
            quote = f"{_PHRASES[metric]} {verb} {_against(change, period)} in {_label(period)}"
            return self.claim(source, metric, period, quote, direction=way, change=change)
        if kind == "rank" and self.ranks():
            metric, period, text, words = self.draw(st.sampled_from(self.ranks()))
            quote = f"{_PHRASES[metric]} in {_label(period)} reached {words}"
            return self.claim(source, metric, period, quote, rank=parse_rank(text, period))
        if kind == "change":
            metric, period, change = self.change_target()
            return self.change(source, metric, period, change)
        return self.level(source, self.metric(), self.period())


def _base(period: Period, change: Change | None) -> Period:
    if change == "yoy":
        return period.year_earlier()
    if change is None or change == "mom":
        return period.previous()
    assert isinstance(change, Period)
    return change


@st.composite
def _outlets(draw: DrawFn, truth: Truth, min_outlets: int, max_outlets: int
             ) -> tuple[Source, ...]:
    names = draw(st.lists(st.sampled_from(_OUTLETS), min_size=min_outlets,
                          max_size=max_outlets, unique=True))
    end = truth.span.last + 1
    release = date(end // 12, end % 12 + 1, 1)
    out = []
    for name in names:
        published = release + timedelta(days=draw(st.integers(10, 40)))
        out.append(Source(
            id=f"{_slug(name)}-{published.isoformat()}",
            outlet=name,
            published=published,
            title=f"{name} on China–North Korea trade",
            url=f"https://example.org/{_slug(name)}/{published.isoformat()}",
            cites="China General Administration of Customs",
        ))
    return tuple(out)


def _validate_reporting(min_size: int, max_size: int, min_outlets: int, max_outlets: int,
                        truth: SearchStrategy[Truth] | None, *, min_claims: int = 1) -> None:
    _validate_strategy("truth", truth)
    _validate_size("min_size", min_size, low=min_claims)
    _validate_size("max_size", max_size, low=min_claims)
    _validate_range("min_size", min_size, "max_size", max_size)
    _validate_size("min_outlets", min_outlets, low=1)
    _validate_size("max_outlets", max_outlets, low=1)
    _validate_range("min_outlets", min_outlets, "max_outlets", max_outlets)
    if max_outlets > len(_OUTLETS):
        raise InvalidArgument(f"max_outlets={max_outlets!r} must be at most {len(_OUTLETS)}")


def _ledger(truth: Truth, sources: Sequence[Source], cls: Iterable[Claim]) -> Ledger:
    return Ledger(metrics=truth.metrics, identities=truth.identities, sources=sources,
                  claims=cls)


@st.composite
def _consistent(draw: DrawFn, truth: SearchStrategy[Truth], min_size: int, max_size: int,
                min_outlets: int, max_outlets: int) -> Ledger:
    t = draw(truth)
    outlets = draw(_outlets(t, min_outlets, max_outlets))
    room = _Newsroom(draw, t, outlets)
    n = draw(st.integers(min_size, max_size))
    return _ledger(t, outlets, [room.any_claim(draw(st.sampled_from(outlets)))
                                for _ in range(n)])


def consistent_ledgers(
    *,
    truth: SearchStrategy[Truth] | None = None,
    min_size: int = 1,
    max_size: int = 12,
    min_outlets: int = 2,
    max_outlets: int = 4,
) -> SearchStrategy[Ledger]:
    """Ledgers whose every claim is true of one hidden truth, as outlets report it.

    Levels for months, quarters, halves, years and year-to-date spans; year-on-year,
    month-on-month and named-period changes; directions ("rose") and monthly ranks
    ("the highest of 2025", "the highest since 2024-03", "a record") where the truth
    clears them by 2 %. Each figure is rounded half up at a drawn precision and written
    as an outlet would ("$257.4m", "US$1.05 billion", "30.75%"); some carry a qualifier
    ("about", "nearly", "more than"...), rounded the way its default reading needs.

    Contract: the default reading of every claim holds for the truth, so
    ``nkledger.check(ledger)`` finds no conflict.

    Args:
        truth: the truths to report (default :func:`truths`); pass ``st.just(t)`` to
            report one truth you hold.
        min_size, max_size: how many claims.
        min_outlets, max_outlets: how many outlets report (each a source).
    """
    _validate_reporting(min_size, max_size, min_outlets, max_outlets, truth)
    return _consistent(truth if truth is not None else truths(), min_size, max_size,
                       min_outlets, max_outlets)

