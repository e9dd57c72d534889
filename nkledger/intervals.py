"""Exact interval arithmetic on decimals.

Every reported figure admits an interval of true values; every check combines such
intervals. The arithmetic here is exact on :class:`~decimal.Decimal` where it can be
(sums, differences, products) and rounds *outward* where it cannot (quotients), so an
interval computed here always contains every value the inputs admit: a check built on
it never raises a false alarm because of rounding inside the library.

Bounds may be infinite (``Decimal("Infinity")``): "more than $6.5 billion" admits
``[6.5e9, +inf]``. Both ends are inclusive; an infinite end simply means "unbounded".
"""

from __future__ import annotations

import decimal
from decimal import Decimal

import attrs

__all__ = ["INF", "Interval"]

INF = Decimal("Infinity")
_NEG_INF = -INF
_ZERO = Decimal(0)

# Enough digits that no quotient of reported figures loses anything a reader could see,
# with directed rounding so the error always widens the interval.
_PREC = 34
_DOWN = decimal.Context(prec=_PREC, rounding=decimal.ROUND_FLOOR)
_UP = decimal.Context(prec=_PREC, rounding=decimal.ROUND_CEILING)
# Sums and products are exact: tried first in a wide context that refuses to round,
# and only if that would round, in one sized to the operands.
_EXACT = decimal.Context(prec=120, traps=[decimal.Inexact, decimal.InvalidOperation,
                                          decimal.Overflow])


def _to_decimal(value: Decimal | int | str) -> Decimal:
    if isinstance(value, float):
        raise TypeError(f"interval bounds must be exact, not float: {value!r}")
    return value if isinstance(value, Decimal) else Decimal(value)


@attrs.frozen(kw_only=False)
class Interval:
    """Every true value a written figure admits, inclusive at both ends."""

    low: Decimal = attrs.field(converter=_to_decimal)
    high: Decimal = attrs.field(converter=_to_decimal)

    def __attrs_post_init__(self) -> None:
        if self.low.is_nan() or self.high.is_nan():
            raise ValueError("interval bounds must be numbers, not NaN")
        if self.low > self.high:
            raise ValueError(f"interval low {self.low} exceeds high {self.high}")

    @classmethod
    def point(cls, value: Decimal | int | str) -> Interval:
        """The interval holding one exact value."""
        value = _to_decimal(value)
        if value.is_nan():
            raise ValueError("interval bounds must be numbers, not NaN")
        return _made(value, value)

    @classmethod
    def everything(cls) -> Interval:
        """The interval that admits any value."""
        return cls(_NEG_INF, INF)

    # -- questions -------------------------------------------------------------

    @property
    def is_bounded(self) -> bool:
        """Both ends are finite."""
        return self.low.is_finite() and self.high.is_finite()

    @property
    def width(self) -> Decimal:
        """``high - low`` (infinite when either end is)."""
        if not self.is_bounded:
            return INF
        return self.high - self.low

    @property
    def midpoint(self) -> Decimal:
        """The centre of a bounded interval; the finite end of a half-open one."""
        if self.is_bounded:
            return (self.low + self.high) / 2
        if self.low.is_finite():
            return self.low
        if self.high.is_finite():
            return self.high
        return _ZERO

    def contains(self, value: Decimal | int) -> bool:
        """Whether *value* lies inside, ends included."""
        return self.low <= value <= self.high

    def overlaps(self, other: Interval) -> bool:
        """Whether some value lies in both (touching intervals overlap)."""
        return self.low <= other.high and other.low <= self.high

    def gap(self, other: Interval) -> Decimal:
        """The distance between the two intervals: 0 when they overlap."""
        if self.high < other.low:
            return other.low - self.high
        if other.high < self.low:
            return self.low - other.high
        return _ZERO

    def intersect(self, other: Interval) -> Interval | None:
        """The values both admit, or None when they are apart."""
        if not self.overlaps(other):
            return None
        return _made(max(self.low, other.low), min(self.high, other.high))

    def hull(self, other: Interval) -> Interval:
        """The smallest interval holding both."""
        return _made(min(self.low, other.low), max(self.high, other.high))

    # -- arithmetic (exact, or rounded outward) ----------------------------------
    # Results are built by _made: ordered Decimal ends in give ordered Decimal ends out,
    # so converting and validating them again would only cost time (the checks build
    # hundreds of intervals per claim).

    def __add__(self, other: Interval) -> Interval:
        try:  # the fast path: any sum of two figures' finite or same-signed infinite ends
            return _made(_EXACT.add(self.low, other.low), _EXACT.add(self.high, other.high))
        except (decimal.Inexact, decimal.InvalidOperation):
            return _made(_add(self.low, other.low), _add(self.high, other.high))

    def __neg__(self) -> Interval:
        return _made(-self.high, -self.low)

    def __sub__(self, other: Interval) -> Interval:
        return self + (-other)

    def __mul__(self, other: Interval) -> Interval:
        a, b, c, d = self.low, self.high, other.low, other.high
        try:  # the fast path: exact products of finite ends (0 * inf is refused here)
            mul = _EXACT.multiply
            products = [mul(a, c), mul(a, d), mul(b, c), mul(b, d)]
        except (decimal.Inexact, decimal.InvalidOperation):
            products = [_mul(x, y) for x in (a, b) for y in (c, d)]
        return _made(min(products), max(products))

    def scale(self, factor: Decimal | int) -> Interval:
        """Multiply both ends by an exact factor."""
        return self * Interval.point(factor)

    def __truediv__(self, other: Interval) -> Interval:
        """Divide, rounding outward; the divisor must not admit zero."""
        if other.contains(_ZERO):
            raise ZeroDivisionError(f"cannot divide by {other}, which admits zero")
        a, b, c, d = self.low, self.high, other.low, other.high
        if c.is_finite() and d.is_finite():
            down, up = _DOWN.divide, _UP.divide
            return _made(min(down(a, c), down(a, d), down(b, c), down(b, d)),
                         max(up(a, c), up(a, d), up(b, c), up(b, d)))
        lows = [_div(x, y, _DOWN) for x in (a, b) for y in (c, d)]
        highs = [_div(x, y, _UP) for x in (a, b) for y in (c, d)]
        return _made(min(lows), max(highs))

    def __str__(self) -> str:
        return f"[{self.low}, {self.high}]"


_new = object.__new__
# the slots' own setters: what object.__setattr__ ends up calling, without looking the
# names up each time (the class is frozen: its __setattr__ refuses)
_set_low = Interval.low.__set__  # type: ignore[attr-defined]
_set_high = Interval.high.__set__  # type: ignore[attr-defined]


def _made(low: Decimal, high: Decimal) -> Interval:
    """An interval from ends known to be ordered Decimals, skipping the checks."""
    interval: Interval = _new(Interval)
    _set_low(interval, low)
    _set_high(interval, high)
    return interval


def _add(a: Decimal, b: Decimal) -> Decimal:
    # Exact for finite values; inf + -inf cannot happen with ordered bounds added
    # end to end (low + low, high + high) unless an operand is everything().
    if a.is_infinite() and b.is_infinite() and a != b:
        return _ZERO  # only reachable for degenerate [inf, inf] inputs; keep it total
    if a.is_infinite() or b.is_infinite():
        return a + b
    # Enough digits for the exact sum: from the larger leading digit down to the smaller
    # exponent, plus a carry. (Counting the operands' digits is not enough: 1e9 + 1/3
    # rounded to 34 digits would round a quotient's upward-rounded end back down.)
    try:
        return _EXACT.add(a, b)  # the fast path: wide enough for any sum of figures
    except decimal.Inexact:
        pass
    exponents = [int(x.as_tuple().exponent) for x in (a, b)]
    with decimal.localcontext() as ctx:
        ctx.prec = max(_PREC, max(a.adjusted(), b.adjusted()) - min(exponents) + 2)
        ctx.traps[decimal.Inexact] = True
        return a + b


def _mul(a: Decimal, b: Decimal) -> Decimal:
    if (a.is_infinite() and b == 0) or (b.is_infinite() and a == 0):
        return _ZERO  # the convention of interval arithmetic: 0 * inf = 0
    try:
        return _EXACT.multiply(a, b)
    except decimal.Inexact:
        pass
    with decimal.localcontext() as ctx:
        ctx.prec = max(_PREC, len(a.as_tuple().digits) + len(b.as_tuple().digits) + 2)
        return a * b


def _div(a: Decimal, b: Decimal, ctx: decimal.Context) -> Decimal:
    if b.is_infinite():
        return _ZERO if a.is_finite() else (a * b.copy_sign(Decimal(1)))
    return ctx.divide(a, b)
