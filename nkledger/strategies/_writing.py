"""Writing figures as outlets do: "$257.4m", "US$1.05 billion", "about 30.75%".

A figure is written from an exact value at a drawn precision and style, then read back
with :func:`~nkledger.parse_figure`, as a ledger would read it; :func:`_write` rounds
the way the qualifier's default reading needs ("nearly" rounds up, "more than" rounds
down), so the default reading of what it writes always holds for the value.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import attrs
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from ..figures import QUALIFIERS, Figure, parse_figure
from ..intervals import Interval

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

