"""Figures: a number exactly as an outlet wrote it, and the true values it admits.

``parse_figure("nearly 30%")`` keeps the written digits as an exact
:class:`~decimal.Decimal` (never a binary float), the scale word, the unit and the
qualifier, and :meth:`Figure.interval` turns them into an :class:`Interval`.

Precision comes from the written digits
    "$2.7bn" is a rounding of something in [2.65, 2.75] bn: half a unit of the last
    written digit either side (``step`` is that unit, 0.1 bn here). A trailing zero of
    a whole number is read as significant ("$210 million" admits [209.5, 210.5] m);
    the *lenient* reading doubts it ([205, 215] m), since "210" may be a rounding to
    tens.

Qualifiers
    Each has one documented default reading and, where the words are a judgment call,
    a strict and a lenient one. *u* is the step of the last written digit, *h = u/2*,
    *H* is half of ``lenient_step`` (*h*, or more when a whole number's trailing zeros
    are doubted), *L = max(u, 5 % of the value)*, *W = max(u, 10 % of the value)*; for a
    negative figure the same rules apply to its size ("dropped more than 5%" admits
    -5 % and below):

    ==========================================  ================  ================  ================
    words                                       strict            default           lenient
    ==========================================  ================  ================  ================
    (none)                                      [v-h, v+h]        [v-h, v+h]        [v-H, v+H]
    about, around, some, roughly, approximately [v-h, v+h]        [v-L, v+L]        [v-W, v+W]
    nearly, almost, close to, just under        [v-u, v]          [v-L, v]          [v-W, v+h]
    more than, over, exceeded, above            [v, inf]          [v, inf]          [v-h, inf]
    less than, under, below                     [-inf, v]         [-inf, v]         [-inf, v+h]
    at least                                    [v, inf]          [v, inf]          [v-h, inf]
    at most                                     [-inf, v]         [-inf, v]         [-inf, v+h]
    ==========================================  ================  ================  ================

    The default readings follow how newsrooms write, so ordinary rounding raises no
    alarm. Real-style examples, row by row: "$257.4m" admits $257.35m–$257.45m; "about
    $170m" or "some $170m" said of $167m is read as [$161.5m, $178.5m] (a reporter who
    writes "about" has rounded, typically to two significant digits, which is off by at
    most 5 %); "nearly $170m" for $167m (1.8 % below) as [$161.5m, $170m]; "more than
    $6.5bn" admits $6.5bn and up, "under $100m" up to $100m, "at least $1.2bn" $1.2bn
    and up, "at most 3%" up to 3 %. The strict reading keeps the words to the written
    digits ("nearly 30%" is within one point below 30) for a reader who wants to hold
    outlets to them; the lenient one also admits a value rounded *up* to "nearly X" and
    twice the slack of "about". "More than" includes its end point: the library works
    with closed intervals, and a true value of exactly $6.5bn would be written as such.
    "Close to 0%" has no side to fall short on, so it is read as [-u, u] (strict and
    default) or [-W, W] (lenient).

Changes in words
    "doubled" (or "twice"), "tripled" ("trebled"), "quadrupled" and "halved", and
    "N times" / "N-fold" ("three times", "2.5 times", "threefold", "3-fold") are
    changes read as about ``(N - 1) x 100 %``: "exports more than doubled" is
    ``more than 100%`` ([100 %, inf]), "trade nearly tripled" ``nearly 200%``
    ([190 %, 200 %]), "imports halved" about -50 % ([-52.5 %, -47.5 %] by default), "a
    3.5-fold rise" about +250 %. "N times" means N times as much, never N times more:
    "three times" is +200 %, like "tripled". Fractions are about their percentage:
    "a third" (33.33 %), "two thirds", "a quarter", "three quarters", "a fifth",
    "half"; "-a third" is a fall of a third. These forms take any qualifier ("nearly
    halved", "more than a third") and, without one, are read as "about".

Units and currencies
    "$", "US$" and "dollars" are US dollars; "R" (rand), "yuan"/"RMB"/"CNY", "won",
    "€", "£" and ISO codes are recognised and kept as their own unit, never mixed with
    dollars. "¥" is refused as ambiguous (yuan or yen). "%", "percent" and "per cent"
    give the unit ``%`` in percentage points; a bare number is a count.

Limits
    Digits are ASCII: "٣٠%" and "２７%" are refused with a message, never read silently
    (a ledger quotes figures; it does not guess at a script). A figure has at most
    :data:`MAX_DIGITS` (40) significant digits or decimal places; within that, its value
    and every interval are computed in a context sized to the figure, so no digit is
    ever rounded away ("$2.7000000000000000000000000001bn" admits itself).
"""

from __future__ import annotations

import decimal
import functools
import re
from decimal import Decimal
from typing import Any, Literal, get_args

import attrs

from .exceptions import FigureError
from .intervals import INF, Interval

__all__ = [
    "MAX_DIGITS",
    "QUALIFIERS",
    "READINGS",
    "Figure",
    "Reading",
    "format_amount",
    "format_range",
    "parse_figure",
]

Reading = Literal["default", "strict", "lenient"]
READINGS: tuple[Reading, ...] = get_args(Reading)

# canonical qualifier -> the words that mean it (longest first when matching)
QUALIFIERS: dict[str, tuple[str, ...]] = {
    "about": ("about", "around", "some", "roughly", "approximately", "approx.", "circa", "~"),
    "nearly": ("nearly", "almost", "close to", "just under", "just shy of", "nearing"),
    "more than": ("more than", "over", "exceeded", "exceeding", "above", "in excess of",
                  "upwards of"),
    "less than": ("less than", "under", "below", "fewer than"),
    "at least": ("at least", "no less than"),
    "at most": ("at most", "no more than", "up to"),
}
_QUALIFIER_WORDS = sorted(
    ((word, canon) for canon, words in QUALIFIERS.items() for word in words),
    key=lambda pair: -len(pair[0]),
)

# the first character of every qualifier word: a figure starting otherwise has none
_QUALIFIER_STARTS = frozenset(word[0] for word, _ in _QUALIFIER_WORDS)

_SCALES: dict[str, Decimal] = {
    "k": Decimal(10) ** 3, "thousand": Decimal(10) ** 3,
    "m": Decimal(10) ** 6, "mn": Decimal(10) ** 6, "mln": Decimal(10) ** 6,
    "million": Decimal(10) ** 6, "millions": Decimal(10) ** 6,
    "b": Decimal(10) ** 9, "bn": Decimal(10) ** 9, "billion": Decimal(10) ** 9,
    "billions": Decimal(10) ** 9,
    "tn": Decimal(10) ** 12, "trillion": Decimal(10) ** 12,
}
# longest first, as parse_figure tries them
_SCALE_WORDS = tuple(sorted(_SCALES, key=len, reverse=True))
_SCALE_NAMES = {Decimal(10) ** 3: "k", Decimal(10) ** 6: "m", Decimal(10) ** 9: "bn",
                Decimal(10) ** 12: "tn", Decimal(1): ""}

# written before the number; longest first. "R" only directly before a digit.
_PREFIX_CURRENCIES: tuple[tuple[str, str], ...] = (
    ("US$", "USD"), ("US $", "USD"), ("HK$", "HKD"), ("A$", "AUD"), ("C$", "CAD"),
    ("R$", "BRL"), ("$", "USD"), ("€", "EUR"), ("£", "GBP"), ("₩", "KRW"), ("₹", "INR"),
    ("RMB", "CNY"), ("CN¥", "CNY"),
)
_CODES = ("USD", "CNY", "EUR", "GBP", "KRW", "JPY", "ZAR", "HKD", "RUB", "INR", "AUD", "CAD",
          "BRL", "KPW")
# written after the number (case-insensitive words)
_SUFFIX_UNITS: dict[str, str] = {
    "%": "%", "percent": "%", "per cent": "%", "pct": "%",
    "dollars": "USD", "us dollars": "USD", "yuan": "CNY", "renminbi": "CNY", "rmb": "CNY",
    "won": "KRW", "euros": "EUR", "euro": "EUR", "pounds": "GBP", "rand": "ZAR",
    "yen": "JPY", "roubles": "RUB", "rubles": "RUB",
    **{code.lower(): code for code in _CODES},
}
# changes written in words: the factor they multiply by
_MULTIPLIER_WORDS: dict[str, Decimal] = {
    "doubled": Decimal(2), "twice": Decimal(2), "tripled": Decimal(3), "trebled": Decimal(3),
    "quadrupled": Decimal(4), "halved": Decimal("0.5"),
}
_FRACTION_WORDS: dict[str, Decimal] = {
    "half": Decimal(50), "a half": Decimal(50), "one half": Decimal(50),
    "a third": Decimal("33.33"), "one third": Decimal("33.33"),
    "two thirds": Decimal("66.67"), "a quarter": Decimal(25), "one quarter": Decimal(25),
    "three quarters": Decimal(75), "a fifth": Decimal(20), "one fifth": Decimal(20),
}
_COUNT_WORDS = {w: Decimal(i) for i, w in enumerate(
    ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"))}
_FOLD = re.compile(
    r"^(?:an?\s+)?(?P<n>\d+(?:\.\d+)?|zero|one|two|three|four|five|six|seven|eight|nine|ten)"
    r"\s*-?\s*(?:fold|times)$")

_NUMBER = re.compile(r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)", re.ASCII)
#: The most digits a figure may be written with (significant digits, or decimal places).
MAX_DIGITS = 40
# wide enough for the arithmetic of any figure of up to about 20 digits (see Figure._exact)
_WIDE = decimal.Context(prec=100, traps=[decimal.InvalidOperation])
_MINUS = ("-", "−", "–")
_FIVE_PERCENT = Decimal("0.05")
_TEN_PERCENT = Decimal("0.10")


@attrs.frozen(kw_only=True)
class Figure:
    """A number as written, with its unit, scale and qualifier.

    ``number`` holds the written digits with their sign (``Decimal("2.7")`` for
    "$2.7bn"), ``scale`` the multiplier of the scale word (``10**9``), so ``value`` is
    the figure in base units (dollars, or percentage points for ``unit == "%"``).
    """

    text: str
    number: Decimal
    unit: str = ""
    scale: Decimal = Decimal(1)
    qualifier: str | None = None
    # intervals by reading, worked out once (a figure read from a file is shared by
    # every claim that writes it so, and the checks and the solver ask many times)
    _intervals: dict[str, Interval] | None = attrs.field(
        init=False, default=None, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if not self.number.is_finite():
            raise FigureError(f"figure {self.text!r}: the number must be finite")
        digits, exponent = self.number.as_tuple()[1:]
        assert isinstance(exponent, int)
        if len(digits) > MAX_DIGITS or -exponent > MAX_DIGITS:
            raise FigureError(f"figure {self.text!r}: written with more than {MAX_DIGITS} "
                              f"digits, more precision than any report has; nkledger refuses it "
                              f"rather than round it")
        if not self.scale.is_finite() or self.scale <= 0:
            raise FigureError(f"figure {self.text!r}: the scale must be a positive number")
        if self.qualifier is not None and self.qualifier not in QUALIFIERS:
            raise FigureError(
                f"figure {self.text!r}: unknown qualifier {self.qualifier!r}; "
                f"expected one of {', '.join(QUALIFIERS)}"
            )

    def __reduce__(self) -> tuple[Any, ...]:
        # the written fields only (not the intervals worked out here), rebuilt unchecked
        return (_made_figure, (self.text, self.number, self.unit, self.scale, self.qualifier))

    def _exact(self) -> decimal.Context:
        """A context wide enough that no arithmetic on this figure rounds.

        The default context keeps 28 digits: "$2.7000000000000000000000000001bn" would
        become exactly $2.7bn there. Every sum and product below stays within the digits
        of the number and the scale plus a few, so this context never rounds.
        """
        number, scale = self.number.as_tuple(), self.scale.as_tuple()
        wide = len(number.digits) + len(scale.digits) + abs(int(number.exponent)) + 10
        if wide <= _WIDE.prec // 2:
            return _WIDE
        return decimal.Context(prec=2 * wide, traps=[decimal.InvalidOperation])

    @property
    def value(self) -> Decimal:
        """The figure in base units, exactly: ``number * scale``."""
        return self._exact().multiply(self.number, self.scale)

    @property
    def is_percent(self) -> bool:
        """Whether this is a rate in percentage points."""
        return self.unit == "%"

    @property
    def step(self) -> Decimal:
        """The unit of the last written digit, in base units (0.1 bn for "$2.7bn")."""
        exponent = self.number.as_tuple().exponent
        assert isinstance(exponent, int)
        return Decimal(1).scaleb(exponent) * self.scale

    @property
    def lenient_step(self) -> Decimal:
        """``step``, but doubting the trailing zeros of a whole number ("210" -> 10).

        Only a number written without a decimal point is doubted: the zero of "2.0" was
        written on purpose to show the precision.
        """
        digits, exponent = self.number.as_tuple()[1:]
        zeros = 0
        if isinstance(exponent, int) and exponent >= 0 and any(digits):
            for d in reversed(digits):
                if d:
                    break
                zeros += 1
        return self.step * Decimal(10) ** zeros

    def interval(self, reading: Reading = "default") -> Interval:
        """Every true value (in base units) this figure admits under *reading*."""
        if reading not in READINGS:
            raise ValueError(f"reading must be one of {', '.join(READINGS)}, got {reading!r}")
        cache = self._intervals
        if cache is None:
            cache = {}
            object.__setattr__(self, "_intervals", cache)
        elif reading in cache:
            return cache[reading]
        with decimal.localcontext(self._exact()):
            result = cache[reading] = self._interval(reading)
        return result

    def _interval(self, reading: Reading) -> Interval:
        size = abs(self.value)
        u = self.step
        h = u / 2
        big = max(u, size * _FIVE_PERCENT)
        wide = max(u, size * _TEN_PERCENT)
        q = self.qualifier
        if q is None:
            half = self.lenient_step / 2 if reading == "lenient" else h
            low, high = size - half, size + half
        elif q == "about":
            half = {"strict": h, "default": big, "lenient": wide}[reading]
            low, high = size - half, size + half
        elif q == "nearly" and size == 0:
            half = wide if reading == "lenient" else u
            low, high = -half, half
        elif q == "nearly":
            low, high = {"strict": (size - u, size), "default": (size - big, size),
                         "lenient": (size - wide, size + h)}[reading]
        elif q in ("more than", "at least"):
            low, high = (size - h if reading == "lenient" else size), INF
        else:  # "less than", "at most"
            low, high = -INF, (size + h if reading == "lenient" else size)
        if self.number < 0:
            low, high = -high, -low
        return Interval(low, high)

    def format(self) -> str:
        """The canonical way of writing this figure; :func:`parse_figure` reads it back."""
        words = [] if self.qualifier is None else [self.qualifier]
        sign = "-" if self.number.is_signed() else ""
        digits = f"{abs(self.number):f}"
        scale = _SCALE_NAMES.get(self.scale)
        if scale is None:
            raise FigureError(f"figure {self.text!r}: scale {self.scale} has no name")
        if self.unit == "USD":
            words.append(f"{sign}${digits}{scale}")
        elif self.unit == "%":
            words.append(f"{sign}{digits}{scale}%")
        elif self.unit:
            words.append(f"{self.unit} {sign}{digits}{scale}")
        else:
            words.append(f"{sign}{digits}{scale}")
        return " ".join(words)

    def __str__(self) -> str:
        return self.text


_set = object.__setattr__


def _made_figure(text: str, number: Decimal, unit: str, scale: Decimal,
                 qualifier: str | None) -> Figure:
    """The figure of these fields, known to be valid (how a pickled figure is read back)."""
    figure: Figure = object.__new__(Figure)
    _set(figure, "text", text)
    _set(figure, "number", number)
    _set(figure, "unit", unit)
    _set(figure, "scale", scale)
    _set(figure, "qualifier", qualifier)
    _set(figure, "_intervals", None)
    return figure


# the figures most often written, "$82.2m", "$1.3bn", "12.5%" and "-3.2%", read at once
# (as _read_figure reads them: a sign is the number's own, and digits are few enough)
_QUICK_FIGURE = re.compile(r"\$(\d{1,20}(?:\.\d{1,20})?)(m|bn)|(-?\d{1,20}(?:\.\d{1,20})?)%",
                           re.ASCII)
_ONE = Decimal(1)


def parse_figure(text: str) -> Figure:
    """Read a figure as an outlet wrote it: "$2.7bn", "some $1.26 billion", "-5%".

    Raises:
        FigureError: quoting the text, when any part of it is not understood.
    """
    if type(text) is str and (m := _QUICK_FIGURE.fullmatch(text)) is not None:
        if m[1] is not None:
            return _made_figure(text, Decimal(m[1]), "USD", _SCALES[m[2]], None)
        return _made_figure(text, Decimal(m[3]), "%", _ONE, None)
    return _read_figure(text)


def _read_figure(text: str) -> Figure:
    """:func:`parse_figure`, every way a figure may be written."""
    if not isinstance(text, str):
        raise FigureError(f"figure must be a string such as '$2.7bn', got {text!r}")
    s = " ".join(text.replace("\u00a0", " ").split())
    if not s:
        raise FigureError("figure is empty")
    foreign = next((ch for ch in s if ch.isdigit() and not ch.isascii()), None)
    if foreign is not None:
        # a ledger keeps quotes verbatim; reading "٣٠%" as 30% would be a guess at the
        # script the quote was written in, so the figure is written out in ASCII instead
        raise FigureError(f"figure {text!r}: write the digits as ASCII 0–9 "
                          f"({foreign!r} is not one)")
    low = s.lower()
    qualifier = None
    for word, canon in _QUALIFIER_WORDS if low[:1] in _QUALIFIER_STARTS else ():
        if low.startswith(word) and (word == "~" or len(s) == len(word) or s[len(word)] == " "):
            qualifier = canon
            s = s[len(word):].lstrip()
            low = s.lower()
            break
    in_words = _change_in_words(low, text)
    if in_words is not None:
        return Figure(text=text, number=in_words, unit="%", qualifier=qualifier or "about")

    negative = False
    unit = ""

    def take_sign() -> None:
        nonlocal s, negative
        if s[:1] in _MINUS:
            negative = True
            s = s[1:].lstrip()
        elif s[:1] == "+":
            s = s[1:].lstrip()

    take_sign()
    if s.startswith("¥"):
        raise FigureError(f"figure {text!r}: '¥' is ambiguous; write 'yuan' (CNY) or 'yen' (JPY)")
    for symbol, code in _PREFIX_CURRENCIES:
        if s.startswith(symbol):
            unit, s = code, s[len(symbol):].lstrip()
            break
    else:
        if len(s) > 1 and s[0] == "R" and (s[1].isdigit() or s[1] == "."):
            unit, s = "ZAR", s[1:]
        elif s[:3].upper() in _CODES and s[:3].isupper() and (len(s) == 3 or not s[3].isalpha()):
            unit, s = s[:3].upper(), s[3:].lstrip()
    if not negative:
        take_sign()

    m = _NUMBER.match(s)
    if m is None:
        raise FigureError(f"figure {text!r}: expected a number, found {s!r}")
    number = Decimal(m[1].replace(",", ""))
    if negative:
        number = number.copy_negate()  # exact: unary minus would round to the context
    rest = s[m.end():]

    scale = Decimal(1)
    stripped = rest.lstrip()
    lowered = stripped.lower()
    for word in _SCALE_WORDS:
        if lowered.startswith(word) and not lowered[len(word):len(word) + 1].isalpha():
            scale = _SCALES[word]
            rest = stripped[len(word):]
            break

    stripped = rest.strip()
    if stripped:
        suffix = _SUFFIX_UNITS.get(stripped.lower())
        if suffix is None:
            raise FigureError(f"figure {text!r}: cannot read {stripped!r} after the number")
        if unit and suffix != unit:
            raise FigureError(f"figure {text!r}: two units, {unit} and {suffix}")
        unit = suffix
    if unit == "%" and scale != 1:
        raise FigureError(f"figure {text!r}: a percentage cannot have a scale word")
    return Figure(text=text, number=number, unit=unit, scale=scale, qualifier=qualifier)


def _change_in_words(low: str, text: str) -> Decimal | None:
    """The change in percent that "doubled", "three times", "a third" say, or None."""
    negative = low[:1] in _MINUS
    words = low[1:].lstrip() if negative or low[:1] == "+" else low
    if words in _FRACTION_WORDS:
        number = _FRACTION_WORDS[words]
    else:
        factor = _MULTIPLIER_WORDS.get(words)
        if factor is None and (m := _FOLD.match(words)):
            n = m["n"]
            factor = _COUNT_WORDS[n] if n in _COUNT_WORDS else Decimal(n)
        if factor is None:
            return None
        if negative:
            raise FigureError(f"figure {text!r}: a sign before {words!r} says nothing more; "
                              f"write the change without it")
        number = (factor - 1) * 100
        if number == number.to_integral_value():
            number = number.quantize(Decimal(1))
    return number.copy_negate() if negative else number


_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}
_ONE = Decimal(1)
_AMOUNT_SCALES = (("tn", Decimal(10) ** 12), ("bn", Decimal(10) ** 9),
                  ("m", Decimal(10) ** 6), ("k", Decimal(10) ** 3))


def format_amount(value: Decimal, unit: str, *, digits: int = 4) -> str:
    """Write an amount for a reader: ``$150.55m``, ``$2.7bn``, ``30.6%``, ``ZAR 44.2bn``.

    Money is scaled to k, m, bn or tn. A value with at most six significant digits is
    written exactly (a reported figure, or a sum of two); a longer one, typically a
    quotient, is rounded to *digits* significant digits (more when the value has them
    before the decimal point). Trailing zeros are dropped; infinite values read
    "unbounded".
    """
    if not value.is_finite():
        return "unbounded" if value > 0 else "-unbounded"
    if unit == "%":
        return f"{_trim(value, digits)}%"
    size = abs(value)
    scale_name, scale = "", _ONE
    for name, factor in _AMOUNT_SCALES:
        if size >= factor:
            scale_name, scale = name, factor
            break
    number = _trim(value / scale, digits)
    if unit in _SYMBOLS:
        sign = "-" if number.startswith("-") else ""
        return f"{sign}{_SYMBOLS[unit]}{number.lstrip('-')}{scale_name}"
    if unit:
        return f"{unit} {number}{scale_name}"
    return f"{number}{scale_name}"


def _trim(value: Decimal, digits: int) -> str:
    """*value* with at most *digits* significant digits (never fewer than its integer part)."""
    if value == 0:
        return "0"
    exact = value.normalize()
    if len(exact.as_tuple().digits) <= 6:
        return f"{exact:f}"
    integer_digits = max(value.adjusted() + 1, 0)
    places = max(digits - integer_digits, 0) if integer_digits else digits - value.adjusted() - 1
    quantum = Decimal(1).scaleb(-places)
    text = f"{value.quantize(quantum):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


_MAX_RANGE_DIGITS = 8


# Rounding to a quantum needs only enough digits to hold the result: any context with
# at least that many gives the same result, so one wide context serves most calls.
_ROUNDING_PREC = 200
_ROUNDING = decimal.Context(prec=_ROUNDING_PREC, traps=[
    decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow])
_QUANTA: dict[int, Decimal] = {}


def _round(value: Decimal, exponent: int, rounding: str) -> Decimal:
    """*value* rounded to a multiple of ``10**exponent`` in the given direction."""
    if not value.is_finite() or value == 0:
        return value
    prec = max(value.adjusted() - exponent + 3, 28)
    quantum = _QUANTA.get(exponent)
    if quantum is None:
        quantum = _QUANTA[exponent] = Decimal(1).scaleb(exponent)
    if prec <= _ROUNDING_PREC:
        return value.quantize(quantum, rounding=rounding, context=_ROUNDING)
    with decimal.localcontext() as ctx:
        ctx.prec = prec
        return value.quantize(quantum, rounding=rounding)


def _digits(value: Decimal, exponent: int) -> int:
    """Significant digits *value* shows when written down to ``10**exponent``."""
    if not value.is_finite() or value == 0:
        return 1
    return max(value.adjusted() - exponent + 1, 1)


def _last_digit(value: Decimal) -> int:
    """The exponent of *value*'s last non-zero digit: 3 for 1200, -2 for 0.25."""
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    zeros = 0
    for d in reversed(digits):
        if d:
            break
        zeros += 1
    return exponent + zeros


def _outward(interval: Interval) -> tuple[Decimal, Decimal, int, int]:
    """The ends rounded outward to one common last digit, and the digits each shows.

    The last digit is set by the larger end: the fewest significant digits (from 4)
    that write both ends exactly, or else 4, or more when 4 would print both alike.
    """
    low, high = interval.low, interval.high
    finite = [abs(x) for x in (low, high) if x.is_finite() and x != 0]
    if not finite:
        return low, high, 1, 1
    top = max(finite).adjusted()

    def attempt(digits: int) -> tuple[Decimal, Decimal, int, int]:
        exponent = top - digits + 1
        lo = _round(low, exponent, decimal.ROUND_FLOOR)
        hi = _round(high, exponent, decimal.ROUND_CEILING)
        return lo, hi, _digits(lo, exponent), _digits(hi, exponent)

    # the fewest digits (from 4) writing both ends exactly, found without trying each:
    # an end is written exactly when it is a multiple of 10**(top - digits + 1)
    exact = max((top - _last_digit(x) + 1 for x in finite), default=4)
    if exact <= _MAX_RANGE_DIGITS:
        return attempt(max(exact, 4))
    for digits in range(4, _MAX_RANGE_DIGITS + 1):
        found = attempt(digits)
        if found[0] != found[1] or low == high:
            return found
    return found


def format_range(interval: Interval, unit: str) -> str:
    """A range of amounts for a reader: "$150.55m–$150.85m", "at least $6.5bn", "$2.7bn".

    The ends are rounded *outward* to one common last digit, so the printed range
    always contains the computed one: a reader who redoes the arithmetic by hand never
    finds nkledger claiming more precision than it has.
    """
    # the words depend only on the values of the ends (not on how a Decimal writes
    # them: 1.5 and 1.50 print alike), so ranges already written are looked up
    return _format_range(interval.low, interval.high, unit)


@functools.lru_cache(maxsize=8192)
def _format_range(low: Decimal, high: Decimal, unit: str) -> str:
    interval = Interval(low, high)
    lo, hi, dlo, dhi = _outward(interval)
    if not lo.is_finite() and not hi.is_finite():
        return "any amount"
    if not hi.is_finite():
        return f"at least {format_amount(lo, unit, digits=dlo)}"
    if not lo.is_finite():
        return f"at most {format_amount(hi, unit, digits=dhi)}"
    if interval.low == interval.high:
        return format_amount(lo, unit, digits=dlo)
    if lo < 0:
        return f"{format_amount(lo, unit, digits=dlo)} to {format_amount(hi, unit, digits=dhi)}"
    return f"{format_amount(lo, unit, digits=dlo)}–{format_amount(hi, unit, digits=dhi)}"
