"""Hypothesis strategies for nkledger's model, for nkledger's own tests and for yours.

Two families live here. :func:`figures`, :func:`periods`, :func:`sources`,
:func:`claims` and :func:`ledgers` draw *valid, arbitrary* values: every ledger passes
validation and survives :func:`~nkledger.dumps` → :func:`~nkledger.loads` unchanged,
but its claims need not agree with each other. :func:`truths`,
:func:`consistent_ledgers` and :func:`corrupted_ledgers` draw *realistic* ledgers with
a known answer: a hidden :class:`Truth` (true monthly values that satisfy the ledger's
identities) is reported by several outlets the way outlets write figures, and
optionally a few claims are replaced by mistakes reporters really make.

Everything is built by construction, never by filtering: a figure is rounded from the
truth so that the default reading of its words holds ("nearly" rounds up, "more than"
rounds down); directions and ranks are only stated where the truth clears them by a
margin of 2 % (nkledger reads "rose" as at least a small step above the base); and a
mistake is only made where the contradiction it causes is certain. The strategy
checks that certainty exactly, with the library's own intervals, before it hands the
ledger over — where one mistake cannot be made detectably in a given truth (digits
that read the same transposed, two months that happen to be equal) the strategy makes
a million/billion slip instead, which is always detectable.

Contracts (nkledger's own property tests state them; yours may rely on them):

- every claim of :func:`consistent_ledgers` holds for the truth under the default
  reading, so ``nkledger.check(ledger)`` finds no conflict;
- in :func:`corrupted_ledgers`, every corrupted claim contradicts at least one intact
  claim (directly or through an identity) under the strict, default *and* lenient
  readings, and every other claim is true;
- every ledger any strategy here draws survives ``loads(dumps(ledger)) == ledger``.

Wide truths are fair game: the joint analysis proves every verdict in exact rational
arithmetic, so figures from cents to hundreds of billions in one part, and growth rates
of a hundredth of a percent (``truths(max_swing="0.0004")``), are judged as exactly as
the pairwise checks judge them (nkledger's own property tests draw such ledgers).

Importing this module imports Hypothesis; ``import nkledger`` does not. It also warms
what :func:`nkledger.check` needs (numpy, HiGHS and the checks), so the first
``check`` inside a property test costs what every later one does and no test trips
Hypothesis' default deadline on a one-off import. The
``hypothesis`` entry point (:mod:`nkledger._hypothesis_plugin`) registers these
strategies, so ``st.from_type(Figure)`` works wherever nkledger is installed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal, TypeAlias

import attrs
from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import DrawFn, SearchStrategy

from ..claims import Change, Claim, Identity, Metric, Source, parse_rank
from ..figures import QUALIFIERS, READINGS, Figure, Reading, parse_figure
from ..intervals import Interval
from ..ledger import Ledger
from ..periods import Period

__all__ = [
    "KINDS",
    "MISTAKES",
    "Truth",
    "claims",
    "consistent_ledgers",
    "corrupted_ledgers",
    "figures",
    "intervals",
    "ledgers",
    "periods",
    "sources",
    "truths",
]

#: The kinds of period :func:`periods` draws.
KINDS: tuple[str, ...] = ("month", "quarter", "half", "year", "span")

#: The reporters' mistakes :func:`corrupted_ledgers` makes.
#:
#: ``unit_slip``
#:     "$257.4m" written as "$257.4bn" (or a billion as a million);
#: ``transposed_digits``
#:     two neighbouring digits swapped: "$257.4m" as "$275.4m";
#: ``wrong_month``
#:     a month's figure taken from another month's column;
#: ``wrong_sign``
#:     a fall reported as a rise, or a rise as a fall ("-12.5%" for "12.5%");
#: ``exports_as_total``
#:     China's exports reported as the total trade of both directions;
#: ``wrong_base``
#:     year-on-year growth that was measured against the month before, or the reverse.
MISTAKES: tuple[str, ...] = (
    "unit_slip",
    "transposed_digits",
    "wrong_month",
    "wrong_sign",
    "exports_as_total",
    "wrong_base",
)

Corrupted: TypeAlias = tuple[Ledger, frozenset[str]]

# Directions and ranks are only stated where the truth clears them by this much.
_MARGIN = Fraction(2, 100)

_MIN_YEAR, _MAX_YEAR = 2000, 2030
_THOUSAND, _MILLION, _BILLION, _TRILLION = (Decimal(10) ** k for k in (3, 6, 9, 12))
_SCALES = (Decimal(1), _THOUSAND, _MILLION, _BILLION, _TRILLION)
_SHORT = {_THOUSAND: ("k",), _MILLION: ("m", "mn"), _BILLION: ("bn", "b"),
          _TRILLION: ("tn",)}
_LONG = {_THOUSAND: "thousand", _MILLION: "million", _BILLION: "billion",
         _TRILLION: "trillion"}
_UNITS = ("USD", "%", "CNY", "ZAR", "KRW", "EUR", "")
# how a rounding goes so that the default reading of the qualifier holds (on sizes)
_ROUNDING = {None: "half", "about": "half", "nearly": "ceil", "less than": "ceil",
             "at most": "ceil", "more than": "floor", "at least": "floor"}


def _validate_size(name: str, value: object, *, low: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgument(f"{name}={value!r} must be an integer")
    if value < low:
        raise InvalidArgument(f"{name}={value!r} must be at least {low}")
    return value


def _validate_range(min_name: str, min_value: int, max_name: str, max_value: int) -> None:
    if min_value > max_value:
        raise InvalidArgument(
            f"Cannot have {max_name}={max_value!r} < {min_name}={min_value!r}"
        )


def _validate_strategy(name: str, value: object) -> None:
    if value is not None and not isinstance(value, SearchStrategy):
        raise InvalidArgument(
            f"{name}={value!r} must be a Hypothesis strategy (e.g. st.just({value!r}))"
        )


def _validate_decimal(name: str, value: object) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise InvalidArgument(
            f"{name}={value!r} must be a Decimal, an int or a string of digits "
            f"(never a float: its digits are already lost)"
        )
    try:
        result = Decimal(value)
    except ArithmeticError:
        raise InvalidArgument(f"{name}={value!r} is not a number") from None
    if not result.is_finite():
        raise InvalidArgument(f"{name}={value!r} must be finite")
    return result


# -- writing figures as outlets do ---------------------------------------------------


def _round(size: Fraction, decimals: int, how: str) -> Decimal:
    """*size* (≥ 0) to *decimals* places: half up, down (floor) or up (ceil), exactly."""
    q = size * 10**decimals
    if how == "floor":
        n = math.floor(q)
    elif how == "ceil":
        n = math.ceil(q)
    else:
        n = math.floor(q + Fraction(1, 2))
    return Decimal(n).scaleb(-decimals)


def _digits(number: Decimal, scale: Decimal) -> str:
    size = abs(number)
    if scale == 1 and size >= 1000:
        return f"{size:,f}"
    return f"{size:f}"


def _styles(unit: str) -> int:
    return {"USD": 4, "%": 3, "CNY": 3, "ZAR": 2, "KRW": 2, "EUR": 2}.get(unit, 1)


def _text(number: Decimal, unit: str, scale: Decimal, *, style: int, short: int,
          word: str | None) -> str:
    """The figure written in one of the ways outlets write it ("$257.4m", "30.75%")."""
    sign = "-" if number < 0 else ""
    d = _digits(number, scale)
    shorts = _SHORT.get(scale, ("",))
    s = shorts[short % len(shorts)]
    long = f" {_LONG[scale]}" if scale != 1 else ""
    style %= _styles(unit)
    if unit == "USD":
        body = (f"${d}{s}", f"${d}{long}", f"US${d}{long}", f"{d}{long} dollars")[style]
    elif unit == "%":
        body = (f"{d}%", f"{d} percent", f"{d} per cent")[style]
    elif unit == "CNY":
        body = (f"{d}{long} yuan", f"RMB {d}{s}", f"CNY {d}{s}")[style]
    elif unit == "ZAR":
        body = (f"R{d}{s}", f"{d}{long} rand")[style]
    elif unit == "KRW":
        body = (f"₩{d}{long}", f"{d}{long} won")[style]
    elif unit == "EUR":
        body = (f"€{d}{s}", f"{d}{long} euros")[style]
    else:
        body = f"{d}{long}"
    text = f"{sign}{body}"
    if word is None:
        return text
    return f"{word}{text}" if word == "~" else f"{word} {text}"


def _figure(number: Decimal, unit: str, scale: Decimal, qualifier: str | None, *,
            style: int = 0, short: int = 0, word: int = 0, news: bool = False) -> Figure:
    """Write *number* and read it back with :func:`parse_figure`, as a ledger would.

    With *news*, only qualifier words that read well after "was" or "rose" are used.
    """
    table = _NEWS_WORDS if news else QUALIFIERS
    words = table[qualifier] if qualifier is not None else (None,)
    text = _text(number, unit, scale, style=style, short=short, word=words[word % len(words)])
    figure = parse_figure(text)
    assert figure.number.as_tuple() == number.as_tuple(), (text, figure)
    assert (figure.unit, figure.scale, figure.qualifier) == (unit, scale, qualifier), text
    return figure


# words that read well in "exports were ... $257.4m", "rose ... 30%"
_NEWS_WORDS = {canon: tuple(w for w in words if w not in ("exceeded", "exceeding", "nearing"))
               for canon, words in QUALIFIERS.items()}


def _contains(interval: Interval, value: Fraction) -> bool:
    low, high = interval.low, interval.high
    return (not low.is_finite() or Fraction(low) <= value) and (
        not high.is_finite() or value <= Fraction(high))


@attrs.frozen(kw_only=True)
class _Pen:
    """How one figure gets written: qualifier, precision and style (all drawn)."""

    qualifier: str | None
    sig: int
    style: int
    short: int
    word: int


def _pens(qualifiers: SearchStrategy[str | None], min_sig: int, max_sig: int
          ) -> SearchStrategy[_Pen]:
    return st.builds(_Pen, qualifier=qualifiers, sig=st.integers(min_sig, max_sig),
                     style=st.integers(0, 3), short=st.integers(0, 1), word=st.integers(0, 9))


_PLAIN = st.just(None)
# mostly bare figures, often qualified: the first element is what examples shrink to
_QUALIFIED: SearchStrategy[str | None] = st.sampled_from(
    (None, None, None, "about", "nearly", "more than", "less than", "at least", "at most"))


def _money_scale(size: Fraction, choice: int) -> Decimal:
    """A natural scale word for a size: bn or m for billions, m for millions, k below."""
    options: tuple[Decimal, ...]
    if size >= _BILLION:
        options = (_BILLION, _MILLION)
    elif size >= _MILLION:
        options = (_MILLION, Decimal(1))
    elif size >= _THOUSAND:
        options = (_THOUSAND, Decimal(1))
    else:
        options = (Decimal(1),)
    return options[choice % len(options)]


def _write(value: Fraction, unit: str, pen: _Pen, *, scale: Decimal | None = None,
           scale_choice: int = 0) -> Figure:
    """*value*, rounded at the pen's precision the way its qualifier needs, as a figure.

    The default reading of the result always contains *value*.
    """
    size = abs(value)
    if scale is None:
        scale = Decimal(1) if unit == "%" else _money_scale(size, scale_choice)
    scaled = size / Fraction(scale)
    # where the first significant digit is: 2 for 25.7, 0 for 0.3, -1 for 0.02
    whole = len(str(math.floor(scaled))) if scaled >= 1 else 1
    while scaled and scaled * Fraction(10) ** (1 - whole) < 1:
        whole -= 1
    decimals = max(0, pen.sig - whole)
    if scale == 1:
        # newsrooms write cents and hundredths of a percent at most ("30.75%"): a change
        # of a billionth of a percent is written "0%", never "0.0000000045%"
        decimals = min(decimals, 2)
    qualifier = pen.qualifier
    number = _round(scaled, decimals, _ROUNDING[qualifier])
    if number == 0 and qualifier is not None:
        # "more than 0%" would lose the sign of a small fall; write it bare.
        qualifier = None
        number = _round(scaled, decimals, "half")
    if value < 0 and number != 0:
        number = -number
    figure = _figure(number, unit, scale, qualifier, style=pen.style, short=pen.short,
                     word=pen.word, news=True)
    assert _contains(figure.interval("default"), value), (value, figure)
    return figure


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


# -- the truth ---------------------------------------------------------------------

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
_PHRASES = {
    "total": "China–North Korea trade",
    "cn_exports": "China's exports to North Korea",
    "cn_imports": "China's imports from North Korea",
    "cn_exports_hair": "China's exports of processed hair to North Korea",
    "cn_imports_hair": "China's imports of wigs from North Korea",
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


# -- reporting the truth ---------------------------------------------------------------

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


# -- corrupting the report ----------------------------------------------------------------

Witnessed: TypeAlias = tuple[list[Claim], Claim, Callable[[Reading], Interval]]

_WITNESS_PENS = _pens(_PLAIN, 3, 5)
_CORRUPT_PENS = _pens(_PLAIN, 2, 4)


def _contradicts(bad: Claim, implied: Callable[[Reading], Interval]) -> bool:
    """Whether *bad* lies apart from what the intact claims imply, under every reading."""
    for reading in READINGS:
        stated = bad.interval(reading)
        assert stated is not None
        if stated.overlaps(implied(reading)):
            return False
    return True


def _interval_of(claim: Claim) -> Callable[[Reading], Interval]:
    def implied(reading: Reading) -> Interval:
        interval = claim.interval(reading)
        assert interval is not None
        return interval
    return implied


class _Corrector:
    """Makes one reporter's mistake, with an intact claim that it contradicts."""

    def __init__(self, room: _Newsroom, bad: Source, good: Source) -> None:
        self.room, self.bad, self.good = room, bad, good
        self.draw = room.draw
        self.truth = room.truth

    def witness(self, metric: str, period: Period) -> Claim:
        return self.room.level(self.good, metric, period, pens=_WITNESS_PENS)

    def make(self, mistake: str) -> Witnessed | None:
        return getattr(self, mistake)()  # type: ignore[no-any-return]

    def unit_slip(self) -> Witnessed:
        metric, period = self.room.metric(), self.room.period()
        witness = self.witness(metric, period)
        true = self.truth.value(metric, period)
        scale = _money_scale(Fraction(true), 0)
        slipped = {_BILLION: _MILLION, _MILLION: _BILLION, _THOUSAND: _MILLION,
                   Decimal(1): _THOUSAND}[scale]
        honest = self.room.level(self.bad, metric, period, pens=_CORRUPT_PENS, scale=scale)
        assert honest.value is not None
        return self.restate(honest, witness, honest.value.number, slipped)

    def restate(self, honest: Claim, witness: Claim, number: Decimal,
                scale: Decimal) -> Witnessed:
        assert honest.value is not None
        figure = _figure(number, "USD", scale, None)
        bad = attrs.evolve(honest, value=figure,
                           quote=honest.quote.replace(honest.value.text, figure.text))
        return [witness], bad, _interval_of(witness)

    def transposed_digits(self) -> Witnessed | None:
        metric, period = self.room.metric(), self.room.period()
        witness = self.witness(metric, period)
        honest = self.room.level(self.bad, metric, period, pens=_CORRUPT_PENS)
        assert honest.value is not None
        number, scale = honest.value.number, honest.value.scale
        digits = [c for c in f"{number:f}" if c.isdigit()]
        options = []
        for i in range(len(digits) - 1):
            if digits[i] == digits[i + 1] or (i == 0 and digits[1] == "0"):
                continue
            swapped = digits[:]
            swapped[i], swapped[i + 1] = swapped[i + 1], swapped[i]
            exponent = number.as_tuple().exponent
            assert isinstance(exponent, int)
            candidate = Decimal(int("".join(swapped))).scaleb(exponent)
            options.append(self.restate(honest, witness, candidate, scale))
        options = [o for o in options if _contradicts(o[1], o[2])]
        return self.draw(st.sampled_from(options)) if options else None

    def wrong_month(self) -> Witnessed | None:
        metric = self.room.metric()
        month = self.room.period(("month",))
        witness = self.witness(metric, month)
        other = self.room.period(("month",))
        if other == month:
            other = Period.from_ordinal(self.room.lo if month.first != self.room.lo
                                        else self.room.hi)
        wrong = self.truth.value(metric, other)
        bad = self.room.level(self.bad, metric, month, value=wrong, pens=_CORRUPT_PENS)
        return [witness], bad, _interval_of(witness)

    def wrong_sign(self) -> Witnessed | None:
        metric, period, change = self.room.change_target()
        witness = self.room.change(self.good, metric, period, change,
                                   pens=_pens(_PLAIN, 2, 4))
        assert witness.value is not None
        if witness.value.number == 0:
            return None
        bad = self.room.change(self.bad, metric, period, change, pens=_pens(_PLAIN, 2, 4),
                               flip=True)
        return [witness], bad, _interval_of(witness)

    def exports_as_total(self) -> Witnessed | None:
        period = self.room.period()
        exports = self.truth.value("cn_exports", period)
        bad = self.room.level(self.bad, "total", period, value=exports, pens=_CORRUPT_PENS)
        if self.draw(st.booleans()):
            witness = self.witness("total", period)
            return [witness], bad, _interval_of(witness)
        # pinned through the identity: the same outlet's exports and imports
        parts = [self.room.level(self.good, m, period, pens=_WITNESS_PENS)
                 for m in ("cn_exports", "cn_imports")]

        def implied(reading: Reading) -> Interval:
            a, b = (p.interval(reading) for p in parts)
            assert a is not None and b is not None
            return a + b
        return parts, bad, implied

    def wrong_base(self) -> Witnessed | None:
        if self.truth.span.length < 24:
            return None
        metric = self.room.metric()
        kind = self.draw(st.sampled_from(("month", "quarter")))
        period = self.room.period((kind,), after=12)
        pairs: tuple[tuple[Change, Change], ...] = (("yoy", "mom"), ("mom", "yoy"))
        stated, actual = self.draw(st.sampled_from(pairs))
        now = self.truth.value(metric, period)
        wrong = _growth(now, self.truth.value(metric, _base(period, actual)))
        witness = self.room.change(self.good, metric, period, stated, pens=_pens(_PLAIN, 2, 4))
        bad = self.room.change(self.bad, metric, period, stated, growth=wrong,
                               pens=_pens(_PLAIN, 2, 4))
        return [witness], bad, _interval_of(witness)


def _rows_of(c: Claim) -> tuple[Any, ...]:
    """What the solver's rows of a claim depend on (equal for claims it takes as one)."""
    return (c.metric, c.period, c.change, c.rank, c.direction, c.basis,
            tuple(c.interval(r) for r in READINGS))


@st.composite
def _corrupted(draw: DrawFn, truth: SearchStrategy[Truth], min_size: int, max_size: int,
               min_outlets: int, max_outlets: int, min_corruptions: int,
               max_corruptions: int, mistakes: tuple[str, ...]) -> Corrupted:
    t = draw(truth)
    outlets = draw(_outlets(t, min_outlets, max_outlets))
    room = _Newsroom(draw, t, outlets)
    cls = [room.any_claim(draw(st.sampled_from(outlets)))
           for _ in range(draw(st.integers(min_size, max_size)))]
    corrupted: set[str] = set()
    for _ in range(draw(st.integers(min_corruptions, max_corruptions))):
        bad = draw(st.sampled_from(outlets))
        good = draw(st.sampled_from([o for o in outlets if o != bad] or [bad]))
        corrector = _Corrector(room, bad, good)
        made = corrector.make(draw(st.sampled_from(mistakes)))
        if made is None or not _contradicts(made[1], made[2]):
            # this truth gives the mistake nothing to contradict: slip a unit instead
            made = corrector.unit_slip()
        intact, wrong, implied = made
        assert _contradicts(wrong, implied), (wrong, intact)
        # the same mistake made twice reads as one claim to the solver (identical rows
        # are one column, and a conflict set shows the first of them only)
        assume(all(_rows_of(wrong) != _rows_of(c) for c in cls))
        cls.extend(intact)
        cls.append(wrong)
        corrupted.add(wrong.id)
    return _ledger(t, outlets, draw(st.permutations(cls))), frozenset(corrupted)


def corrupted_ledgers(
    *,
    truth: SearchStrategy[Truth] | None = None,
    min_size: int = 0,
    max_size: int = 10,
    min_outlets: int = 2,
    max_outlets: int = 4,
    min_corruptions: int = 1,
    max_corruptions: int = 3,
    mistakes: Collection[str] = MISTAKES,
) -> SearchStrategy[Corrupted]:
    """Pairs ``(ledger, corrupted_claim_ids)``: a true report with reporters' mistakes.

    The ledger holds a consistent report of a truth (as :func:`consistent_ledgers`)
    and, for each mistake, an intact claim of the same quantity (from another outlet
    where there is one; for ``exports_as_total`` sometimes the exports and imports that
    pin the total through the identity) and the claim with the mistake. The claims are
    shuffled; the second element names the corrupted ones.

    Contract: each corrupted claim contradicts what the intact claims beside it imply
    under the strict, default and lenient readings alike (checked exactly while
    drawing), every other claim is true, and no corrupted claim states what another
    claim states (the same mistake made twice would be one column to the solver, shown
    once in a conflict set); so ``nkledger.check`` puts every corrupted claim in some
    conflict set.

    Args:
        truth: the truths to report (default :func:`truths`).
        min_size, max_size: how many true claims besides the corruptions and their
            witnesses.
        min_outlets, max_outlets: how many outlets report.
        min_corruptions, max_corruptions: how many mistakes.
        mistakes: which of :data:`MISTAKES` to make. Where a truth leaves a mistake
            nothing to contradict, a ``unit_slip`` is made instead.
    """
    _validate_reporting(min_size, max_size, min_outlets, max_outlets, truth, min_claims=0)
    _validate_size("min_corruptions", min_corruptions, low=0)
    _validate_size("max_corruptions", max_corruptions, low=0)
    _validate_range("min_corruptions", min_corruptions, "max_corruptions", max_corruptions)
    if isinstance(mistakes, str) or not mistakes or any(m not in MISTAKES for m in mistakes):
        raise InvalidArgument(
            f"mistakes={mistakes!r} must be a non-empty collection of {MISTAKES!r}")
    return _corrupted(truth if truth is not None else truths(), min_size, max_size,
                      min_outlets, max_outlets, min_corruptions, max_corruptions,
                      tuple(m for m in MISTAKES if m in mistakes))


def _warm() -> None:
    """Run :func:`nkledger.check` once, on a tiny ledger, at import of this module.

    The first ``check`` in a process imports numpy, highspy and the solver's rooms and
    starts HiGHS (a few hundred milliseconds), inside whichever test example happens to
    run first; here it is paid once, before any example runs. The ledger disagrees with
    itself, so every stage — conflict sets, repairs, exact proofs, implied figures —
    is loaded.
    """
    from ..report import check

    source = Source(id="warm")
    metric = Metric(id="x")
    report = check(Ledger(metrics=[metric], sources=[source], claims=[
        Claim(id=f"warm-{i}", source="warm", metric="x", period=Period.month(2025, 1),
              value=parse_figure(text), quote=text)
        for i, text in enumerate(("$1m", "$2m"))]))
    report.implied  # noqa: B018  (computed on first access: load that stage too)


_warm()
