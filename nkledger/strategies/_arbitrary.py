"""Valid, arbitrary values: intervals, figures, periods, sources, claims and ledgers.

Every ledger drawn here passes validation and survives :func:`~nkledger.dumps` →
:func:`~nkledger.loads` unchanged, but its claims need not agree with each other.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import DrawFn, SearchStrategy

from ..claims import Change, Claim, Identity, Metric, Source, parse_rank
from ..figures import QUALIFIERS, Figure
from ..intervals import Interval
from ..ledger import Ledger
from ..periods import Period
from ._validation import _validate_decimal, _validate_range, _validate_size, _validate_strategy
from ._writing import _PLAIN, _SCALES, _UNITS, _figure

#: The kinds of period :func:`periods` draws.
KINDS: tuple[str, ...] = ("month", "quarter", "half", "year", "span")

_MIN_YEAR, _MAX_YEAR = 2000, 2030


# -- intervals, figures, periods, sources ---------------------------------------------


def intervals(
    *,
    min_value: Decimal | int | str | None = None,
    max_value: Decimal | int | str | None = None,
    places: int = 4,
) -> SearchStrategy[Interval]:
    """Closed intervals of exact decimals with at most *places* decimal places.

    Both ends lie in [*min_value*, *max_value*] (default: ±10**12); ``low <= high``
    by construction, and a point interval (``low == high``) is drawn too.
    """
    lo = _validate_decimal("min_value", min_value)
    hi = _validate_decimal("max_value", max_value)
    lo = Decimal(-10**12) if lo is None else lo
    hi = Decimal(10**12) if hi is None else hi
    if lo > hi:
        raise InvalidArgument(f"Cannot have max_value={max_value!r} < min_value={min_value!r}")
    _validate_size("places", places)
    ends = st.decimals(min_value=lo, max_value=hi, places=places, allow_nan=False,
                       allow_infinity=False)
    return st.tuples(ends, ends).map(lambda pair: Interval(min(pair), max(pair)))


# -- figures, periods, sources --------------------------------------------------------


def figures(
    *,
    units: SearchStrategy[str] | None = None,
    qualifiers: SearchStrategy[str | None] | None = None,
    min_value: Decimal | int | str | None = None,
    max_value: Decimal | int | str | None = None,
) -> SearchStrategy[Figure]:
    """Figures as outlets write them: "$257.4m", "about 30.75%", "R44.2bn", "1.2 million".

    Every figure comes from :func:`~nkledger.parse_figure` reading the drawn text, so
    ``parse_figure(f.text) == f``.

    Args:
        units: the units to draw from ("USD", "%", "CNY", "ZAR", "KRW", "EUR" or ""
            for a count); default all of them.
        qualifiers: canonical qualifiers ("about", "nearly", "more than", ... or None);
            the words used for them vary ("around", "almost", "over"). Default: any.
        min_value, max_value: bounds on :attr:`Figure.value` (base units, inclusive).
    """
    _validate_strategy("units", units)
    _validate_strategy("qualifiers", qualifiers)
    lo = _validate_decimal("min_value", min_value)
    hi = _validate_decimal("max_value", max_value)
    if lo is not None and hi is not None and lo > hi:
        raise InvalidArgument(f"Cannot have max_value={max_value!r} < min_value={min_value!r}")
    return _figures(
        units if units is not None else st.sampled_from(_UNITS),
        qualifiers if qualifiers is not None else st.sampled_from((None, *QUALIFIERS)),
        lo, hi,
    )


@st.composite
def _figures(draw: DrawFn, units: SearchStrategy[str], qualifiers: SearchStrategy[str | None],
             lo: Decimal | None, hi: Decimal | None) -> Figure:
    unit = draw(units)
    if unit not in _UNITS:
        raise InvalidArgument(f"units drew {unit!r}; figures() can write {_UNITS!r}")
    qualifier = draw(qualifiers)
    if qualifier is not None and qualifier not in QUALIFIERS:
        raise InvalidArgument(
            f"qualifiers drew {qualifier!r}; expected None or one of {tuple(QUALIFIERS)!r}")
    scales = (Decimal(1),) if unit == "%" else _SCALES
    scale = draw(st.sampled_from(scales))
    decimals = draw(st.integers(0, 3))
    quantum = Decimal(1).scaleb(-decimals) * scale
    span = 10**5
    low_n = None if lo is None else math.ceil(Fraction(lo) / Fraction(quantum))
    high_n = None if hi is None else math.floor(Fraction(hi) / Fraction(quantum))
    if low_n is None:
        low_n = -span if high_n is None else high_n - span
    if high_n is None:
        high_n = low_n + 2 * span if lo is None else low_n + span
    if low_n > high_n:
        # no number at this scale and precision lies between the bounds: write one of
        # the bounds with all its digits instead
        assert lo is not None and hi is not None
        scale = Decimal(1)
        bound = draw(st.sampled_from((lo, hi)))
        exponent = bound.as_tuple().exponent
        assert isinstance(exponent, int)
        decimals = max(0, -exponent)
        low_n = high_n = int(bound.scaleb(decimals))
    n = draw(st.integers(low_n, high_n))
    number = Decimal(n).scaleb(-decimals)
    return _figure(number, unit, scale, qualifier, style=draw(st.integers(0, 3)),
                   short=draw(st.integers(0, 1)), word=draw(st.integers(0, 9)))


def _feasible_kinds(lo: int, hi: int, kinds: Iterable[str]) -> list[str]:
    out = []
    for kind in kinds:
        if kind == "span":
            ok = hi > lo
        elif kind == "month":
            ok = True
        else:
            length = {"quarter": 3, "half": 6, "year": 12, "ytd": 2}[kind]
            if kind == "ytd":
                ok = any(o % 12 == 0 and o + 1 <= hi for o in range(lo, hi + 1))
            else:
                ok = -(-lo // length) * length + length - 1 <= hi
        if ok:
            out.append(kind)
    return out


@st.composite
def _period_between(draw: DrawFn, lo: int, hi: int, kinds: Sequence[str]) -> Period:
    """A period of one of *kinds* lying wholly in the month ordinals [lo, hi]."""
    kind = draw(st.sampled_from(kinds))
    if kind == "month":
        return Period.from_ordinal(draw(st.integers(lo, hi)))
    if kind == "span":
        first = draw(st.integers(lo, hi - 1))
        return Period(first=first, last=draw(st.integers(first + 1, hi)))
    if kind == "ytd":  # January to some later month of the same year, as customs releases
        year = draw(st.integers(-(-lo // 12), (hi - 1) // 12))
        last = draw(st.integers(year * 12 + 1, min(year * 12 + 11, hi)))
        return Period(first=year * 12, last=last)
    length = {"quarter": 3, "half": 6, "year": 12}[kind]
    k = draw(st.integers(-(-lo // length), (hi - length + 1) // length))
    return Period(first=k * length, last=k * length + length - 1)


def periods(
    *,
    min_value: Period | None = None,
    max_value: Period | None = None,
    kinds: Collection[str] | None = None,
) -> SearchStrategy[Period]:
    """Months, quarters, halves, years and spans, lying wholly between two periods.

    Args:
        min_value, max_value: every drawn period starts no earlier than *min_value*
            starts and ends no later than *max_value* ends (default 2000-01 to 2030-12).
        kinds: which of :data:`KINDS` to draw (default all). A "span" is any run of two
            or more months; one that covers exactly a quarter, half or year *is* that
            period (see :mod:`nkledger.periods`).
    """
    for name, value in (("min_value", min_value), ("max_value", max_value)):
        if value is not None and not isinstance(value, Period):
            raise InvalidArgument(
                f"{name}={value!r} must be a Period, e.g. parse_period('2025-09')")
    lo = min_value.first if min_value is not None else _MIN_YEAR * 12
    hi = max_value.last if max_value is not None else _MAX_YEAR * 12 + 11
    if lo > hi:
        raise InvalidArgument(f"Cannot have max_value={max_value!r} before min_value={min_value!r}")
    if kinds is None:
        wanted: list[str] = list(KINDS)
    else:
        if isinstance(kinds, str) or not all(k in KINDS for k in kinds) or not kinds:
            raise InvalidArgument(f"kinds={kinds!r} must be a non-empty collection of {KINDS!r}")
        wanted = [k for k in KINDS if k in kinds]
    feasible = _feasible_kinds(lo, hi, wanted)
    if not feasible:
        raise InvalidArgument(
            f"no period of kinds={kinds!r} fits between min_value={min_value!r} "
            f"and max_value={max_value!r}")
    return _period_between(lo, hi, feasible)


_OUTLETS = ("Reuters", "Yonhap", "NK News", "JoongAng Daily", "Daily NK", "Korea Herald",
            "Nikkei Asia", "Example Wire", "Korea Times", "Radio Free Asia", "Bloomberg",
            "South China Morning Post")
_CITES = ("China General Administration of Customs", "China's customs data",
          "Korea International Trade Association", None)
# any text a file may hold (TOML escapes the control characters; surrogates cannot be
# written as UTF-8 at all)
_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=24)
_SLUG = st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12)


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")


@st.composite
def _any_source(draw: DrawFn, ids: SearchStrategy[str]) -> Source:
    outlet = draw(st.one_of(st.none(), st.sampled_from(_OUTLETS), _TEXT))
    weight = draw(st.one_of(
        st.just(1.0), st.floats(min_value=0.01, max_value=100.0), st.just(math.inf)))
    return Source(
        id=draw(ids),
        outlet=outlet,
        published=draw(st.none() | st.dates(date(_MIN_YEAR, 1, 1), date(_MAX_YEAR + 1, 12, 31))),
        title=draw(st.none() | _TEXT),
        url=draw(st.none() | _SLUG.map(lambda s: f"https://example.org/{s}")),
        cites=draw(st.sampled_from(_CITES) | _TEXT),
        weight=weight,
        basis=draw(st.none() | st.sampled_from(("customs", "KOTRA estimate")) | _TEXT),
        note=draw(st.none() | _TEXT),
    )


def sources(*, ids: SearchStrategy[str] | None = None) -> SearchStrategy[Source]:
    """Sources: an outlet (or none named), a date, whom it cites, a weight, free text.

    Args:
        ids: the source ids to draw (default short slugs).
    """
    _validate_strategy("ids", ids)
    return _any_source(ids if ids is not None else _SLUG)


# -- claims and ledgers ---------------------------------------------------------------

_DEFAULT_METRICS = (
    Metric(id="cn_exports", description="China's exports to North Korea"),
    Metric(id="cn_imports", description="China's imports from North Korea"),
    Metric(id="total", description="China–North Korea trade, both directions"),
    Metric(id="share", unit="%", aggregate=None, description="a share, in percent"),
)
_CHANGES: SearchStrategy[Change] = st.sampled_from(("yoy", "mom"))
_RANK_WORDS = ("highest", "lowest", "largest", "smallest", "biggest")


@st.composite
def _rank_text(draw: DrawFn, period: Period) -> str:
    """A rank as a ledger writes it, that :func:`parse_rank` reads for *period*."""
    form = draw(st.integers(0, 4))
    extreme = draw(st.sampled_from(_RANK_WORDS))
    article = draw(st.sampled_from(("", "the ")))
    noun = draw(st.sampled_from(("", " monthly level", " figure", " value")))
    if form == 0:
        scope = Period(first=period.first // 12 * 12, last=period.last // 12 * 12 + 11)
        return f"{article}{extreme}{noun} of {scope}"
    if form == 1:
        since = Period.from_ordinal(period.first - draw(st.integers(1, 60)))
        return f"{article}{extreme}{noun} since {since}"
    if form == 2:
        n = draw(st.integers(1, 12))
        words = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
                 "nine", "ten", "eleven", "twelve")
        return f"{extreme} in {draw(st.sampled_from((str(n), words[n])))} years"
    if form == 3:
        return draw(st.sampled_from(("a record", "record high", "record low", "all-time high")))
    scope = Period(first=period.first // 12 * 12, last=period.last // 12 * 12 + 11)
    return f"{draw(st.sampled_from(('first decline', 'first increase', 'first drop')))} of {scope}"


@st.composite
def _earlier(draw: DrawFn, period: Period) -> Period:
    return period.shift(-period.length * draw(st.integers(1, 3)))


@st.composite
def _any_claim(draw: DrawFn, *, ident: str, metric: Metric, source: str,
               periods_: SearchStrategy[Period]) -> Claim:
    period = draw(periods_)
    # a level is written in the metric's unit, so only in a unit figures() can write
    kinds = ("level", "change", "rank", "direction")
    kind = draw(st.sampled_from(kinds if metric.unit in _UNITS else kinds[1:]))
    unit = metric.unit
    value = rank = direction = low = high = None
    change: Change | None = None
    if kind == "level":
        value = draw(_figures(st.just(unit), st.sampled_from((None, *QUALIFIERS)), None, None))
    elif kind == "change":
        value = draw(_figures(st.just("%"), st.sampled_from((None, *QUALIFIERS)), None, None))
        change = draw(_CHANGES | _earlier(period))
    elif kind == "rank":
        rank = parse_rank(draw(_rank_text(period)), period)
        if rank.about_changes:
            change = draw(st.sampled_from((None, "yoy")))
    else:
        direction = draw(st.sampled_from(("up", "down")))
        change = draw(st.none() | _CHANGES | _earlier(period))
    if value is not None and draw(st.integers(0, 4)) == 0:
        # an explicit interval: two figures in the value's unit, in order
        bound = _figures(st.just(value.unit), _PLAIN, None, None)
        a, b = draw(bound), draw(bound)
        low, high = (a, b) if a.value <= b.value else (b, a)
    quote_words = draw(st.sampled_from(("Customs data showed", "Trade", "It said", "Exports")))
    return Claim(
        id=ident, source=source, metric=metric.id, period=period,
        quote=f"{quote_words}{draw(_TEXT)}",
        value=value, change=change, rank=rank, direction=direction,  # type: ignore[arg-type]
        low=low, high=high,
        basis=draw(st.none() | st.sampled_from(("customs", "yuan terms"))),
        note=draw(st.none() | _TEXT),
    )


@st.composite
def _claims(draw: DrawFn, metrics_: SearchStrategy[Metric], sources_: SearchStrategy[Source],
            periods_: SearchStrategy[Period], ids: SearchStrategy[str]) -> Claim:
    return draw(_any_claim(ident=draw(ids), metric=draw(metrics_), source=draw(sources_).id,
                           periods_=periods_))


def claims(
    *,
    metrics: SearchStrategy[Metric] | None = None,
    sources: SearchStrategy[Source] | None = None,
    periods: SearchStrategy[Period] | None = None,
    ids: SearchStrategy[str] | None = None,
) -> SearchStrategy[Claim]:
    """Claims of every kind — level, change, rank, direction — about a drawn metric.

    A claim is valid in any ledger that holds its metric and source: a level is in the
    metric's unit, a change is a percentage, a rank reads back with
    :func:`~nkledger.claims.parse_rank`, explicit ``low``/``high`` bounds are in order.
    Claims need not be true of anything.

    Args:
        metrics: the metrics claims are about (default a few trade flows and a share).
        sources: the sources they cite, by id (default :func:`sources`).
        periods: their periods (default :func:`periods`).
        ids: the claim ids (default short slugs).
    """
    for name, value in (("metrics", metrics), ("sources", sources), ("periods", periods),
                        ("ids", ids)):
        _validate_strategy(name, value)
    return _claims(
        metrics if metrics is not None else st.sampled_from(_DEFAULT_METRICS),
        sources if sources is not None else _any_source(_SLUG),
        periods if periods is not None else _period_between(
            _MIN_YEAR * 12, _MAX_YEAR * 12 + 11, KINDS),
        ids if ids is not None else _SLUG,
    )


_AGGREGATES: SearchStrategy[Literal["sum"] | None] = st.sampled_from(("sum", None))
_METRIC_IDS = ("cn_exports", "cn_imports", "total", "cn_exports_hair", "coal", "rice",
               "share", "fuel", "m-9")


@st.composite
def _ledgers(draw: DrawFn, min_size: int, max_size: int) -> Ledger:
    ids = draw(st.lists(st.sampled_from(_METRIC_IDS), min_size=1, max_size=4, unique=True))
    metrics: list[Metric] = []
    for ident in ids:
        unit = draw(st.sampled_from(("USD", "USD", "%", "CNY", "")))
        aggregate = None if unit == "%" else draw(_AGGREGATES)
        # a part has its parent's unit and aggregation, so only such metrics can be parents
        parents = [m.id for m in metrics if (m.unit, m.aggregate) == (unit, aggregate)]
        metrics.append(Metric(
            id=ident, unit=unit, aggregate=aggregate,
            description=draw(st.none() | _TEXT),
            part_of=draw(st.none() | st.sampled_from(parents)) if parents else None,
        ))
    identities = []
    # an identity adds like to like: its members share a unit and an aggregation
    kinds: dict[tuple[str, str | None], list[str]] = {}
    for m in metrics:
        kinds.setdefault((m.unit, m.aggregate), []).append(m.id)
    groups = [members for members in kinds.values() if len(members) >= 2]
    if groups:
        for _ in range(draw(st.integers(0, 2))):
            group = draw(st.sampled_from(groups))
            whole = draw(st.sampled_from(group))
            others = [m for m in group if m != whole]
            parts = draw(st.lists(st.sampled_from(others), min_size=1, max_size=3, unique=True))
            identities.append(Identity(whole=whole, parts=tuple(parts)))
    n_sources = draw(st.integers(1, 3))
    srcs = [draw(_any_source(st.just(f"s{i + 1}-{draw(_SLUG)}"))) for i in range(n_sources)]
    n_claims = draw(st.integers(min_size, max_size))
    cls = [
        draw(_any_claim(
            ident=f"c{i + 1}", metric=draw(st.sampled_from(metrics)),
            source=draw(st.sampled_from(srcs)).id,
            periods_=_period_between(_MIN_YEAR * 12, _MAX_YEAR * 12 + 11, KINDS)))
        for i in range(n_claims)
    ]
    return Ledger(metrics=metrics, identities=identities, sources=srcs, claims=cls)


def ledgers(*, min_size: int = 0, max_size: int = 10) -> SearchStrategy[Ledger]:
    """Valid ledgers of arbitrary claims: a few metrics, identities, sources.

    Every ledger passes validation and survives ``loads(dumps(ledger))``; its claims need
    not agree (for ledgers that do, see :func:`consistent_ledgers`).

    Args:
        min_size, max_size: how many claims.
    """
    _validate_size("min_size", min_size)
    _validate_size("max_size", max_size)
    _validate_range("min_size", min_size, "max_size", max_size)
    return _ledgers(min_size, max_size)

