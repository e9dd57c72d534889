"""The hidden truth behind a realistic ledger: true monthly values that add up."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import attrs
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import DrawFn, SearchStrategy

from ..claims import Identity, Metric
from ..periods import Period
from ._validation import _validate_decimal, _validate_range, _validate_size

_TRUTH_METRICS = {
    "total": Metric(id="total", description="China–North Korea trade, both directions"),
    "cn_exports": Metric(id="cn_exports", description="China's exports to North Korea"),
    "cn_imports": Metric(id="cn_imports", description="China's imports from North Korea"),
    "cn_exports_hair": Metric(
        id="cn_exports_hair", part_of="cn_exports",
        description="China's exports to North Korea of processed hair and wool for wigs"),
    "cn_imports_hair": Metric(
        id="cn_imports_hair", part_of="cn_imports",
        description="China's imports from North Korea of wigs and other hair products"),
}


@attrs.frozen(kw_only=True)
class Truth:
    """The hidden true monthly values behind a generated ledger.

    ``series`` holds, for each metric id, its value in US dollars (exact cents) for each
    month from ``start`` on. The values satisfy the ledger's ``identities`` in every
    month (``total = cn_exports + cn_imports``) and a part never exceeds its parent
    (``cn_exports_hair <= cn_exports``). Every value is positive.
    """

    metrics: tuple[Metric, ...]
    identities: tuple[Identity, ...]
    start: Period
    series: tuple[tuple[str, tuple[Decimal, ...]], ...]

    @property
    def metric_ids(self) -> tuple[str, ...]:
        """The metrics, in the order of ``metrics``."""
        return tuple(m.id for m in self.metrics)

    @property
    def span(self) -> Period:
        """Every month the truth knows."""
        n = len(self.series[0][1])
        return Period(first=self.start.first, last=self.start.first + n - 1)

    def monthly(self, metric: str) -> tuple[Decimal, ...]:
        """The monthly values of *metric*, from ``start`` on."""
        for ident, values in self.series:
            if ident == metric:
                return values
        raise LookupError(f"the truth has no metric {metric!r}; it has {self.metric_ids}")

    def value(self, metric: str, period: Period) -> Decimal:
        """The true value of *metric* over *period* (the sum of its months), exactly."""
        span = self.span
        if not span.contains(period):
            raise ValueError(f"period {period} lies outside the truth's months {span}")
        values = self.monthly(metric)
        return sum((values[o - span.first] for o in period.ordinals()), Decimal(0))


def _cents(value: Decimal, how: str) -> int:
    cents = Fraction(value) * 100
    return math.ceil(cents) if how == "ceil" else math.floor(cents)


@st.composite
def _truths(draw: DrawFn, min_years: int, max_years: int, lo: int, hi: int,
            swing: Fraction = Fraction(2, 5)) -> Truth:
    years = draw(st.integers(min_years, max_years))
    first = draw(st.integers(2015, 2026 - years + 1)) * 12
    n = 12 * years

    def flow() -> list[int]:
        # a level of its own, from which each month strays by up to 40 % either way:
        # volatile, as this trade is, but with growth rates an outlet would print
        level = draw(st.integers(lo, hi))
        stray = math.floor(level * swing)
        month = st.integers(max(lo, level - stray), min(hi, level + stray))
        return draw(st.lists(month, min_size=n, max_size=n))

    exports = flow()
    imports = flow()
    series: dict[str, list[int]] = {
        "total": [a + b for a, b in zip(exports, imports, strict=True)],
        "cn_exports": exports,
        "cn_imports": imports,
    }
    for part, parent in (("cn_exports_hair", "cn_exports"), ("cn_imports_hair", "cn_imports")):
        if draw(st.booleans()):
            # per mille of the parent, rounded down: never above it, never zero
            usual = draw(st.integers(1, 300))
            share = st.integers(max(1, usual // 2), min(1000, usual * 3 // 2 + 1))
            series[part] = [max(1, v * k // 1000) for v, k in
                            zip(series[parent], draw(st.lists(share, min_size=n, max_size=n)),
                                strict=True)]
    return Truth(
        metrics=tuple(_TRUTH_METRICS[m] for m in series),
        identities=(Identity(whole="total", parts=("cn_exports", "cn_imports")),),
        start=Period.from_ordinal(first),
        series=tuple((m, tuple(Decimal(c).scaleb(-2) for c in v)) for m, v in series.items()),
    )


def truths(
    *,
    min_years: int = 2,
    max_years: int = 3,
    min_value: Decimal | int | str = 1_000_000,
    max_value: Decimal | int | str = 300_000_000,
    max_swing: Decimal | int | str = "0.4",
) -> SearchStrategy[Truth]:
    """Hidden true monthly values of trade flows that satisfy the ledger's identities.

    Always ``cn_exports``, ``cn_imports`` and ``total = cn_exports + cn_imports``;
    sometimes a commodity part of either flow, never above it. Whole calendar years,
    in exact dollars and cents.

    Args:
        min_years, max_years: how many calendar years the truth covers.
        min_value, max_value: bounds, in dollars, on each month's exports and imports
            (so a month's total lies between twice each).
        max_swing: how far each month may stray from its flow's level, as a fraction of
            it (default 0.4); a small swing gives growth rates of a few hundredths of a
            percent.
    """
    _validate_size("min_years", min_years, low=1)
    _validate_size("max_years", max_years, low=1)
    _validate_range("min_years", min_years, "max_years", max_years)
    if max_years > 10:
        raise InvalidArgument(f"max_years={max_years!r} must be at most 10")
    lo = _validate_decimal("min_value", min_value)
    hi = _validate_decimal("max_value", max_value)
    assert lo is not None and hi is not None
    if lo <= 0:
        raise InvalidArgument(f"min_value={min_value!r} must be positive: flows are")
    lo_c, hi_c = _cents(lo, "ceil"), _cents(hi, "floor")
    if lo_c > hi_c:
        raise InvalidArgument(
            f"no amount in whole cents lies between min_value={min_value!r} "
            f"and max_value={max_value!r}")
    swing = _validate_decimal("max_swing", max_swing)
    if swing is None or not 0 <= swing <= 1:
        raise InvalidArgument(f"max_swing={max_swing!r} must lie between 0 and 1")
    return _truths(min_years, max_years, lo_c, hi_c, Fraction(swing))

