"""Tests for exact interval arithmetic: hand-worked cases and containment properties."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nkledger.intervals import INF, Interval

D = Decimal


def iv(low: str | int, high: str | int) -> Interval:
    return Interval(D(low), D(high))


# -- strategies ------------------------------------------------------------------------

# Decimals of the shape reported figures take, and the odd long quotient: any exponent
# from 1e-40 to 1e15, so sums of very different magnitudes are exercised too.
decimals = st.builds(
    lambda digits, exponent: Decimal(digits).scaleb(exponent),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.integers(min_value=-40, max_value=6),
)


@st.composite
def intervals(draw: st.DrawFn, *, nonzero: bool = False) -> Interval:
    """A bounded interval (one that excludes zero when *nonzero*)."""
    a, b = draw(decimals), draw(decimals)
    low, high = min(a, b), max(a, b)
    if nonzero and low <= 0 <= high:
        positive = draw(st.booleans())
        if positive:
            low, high = max(abs(low), D("1e-9")), max(abs(high), abs(low), D("1e-9"))
        else:
            low, high = -max(abs(high), abs(low), D("1e-9")), -max(abs(high), D("1e-9"))
        low, high = min(low, high), max(low, high)
    return Interval(low, high)


@st.composite
def members(draw: st.DrawFn, interval: Interval) -> Fraction:
    """An exact rational value inside *interval*."""
    lo, hi = Fraction(interval.low), Fraction(interval.high)
    t = Fraction(draw(st.integers(min_value=0, max_value=1000)), 1000)
    return lo + (hi - lo) * t


def holds(interval: Interval, value: Fraction) -> bool:
    return Fraction(interval.low) <= value <= Fraction(interval.high)


# -- hand-worked cases -------------------------------------------------------------------


class TestInterval:
    def test_refuses_a_backwards_interval(self) -> None:
        """An interval whose low exceeds its high is an error naming both."""
        with pytest.raises(ValueError, match="low 2 exceeds high 1"):
            iv(2, 1)

    def test_refuses_floats_and_nan(self) -> None:
        """Bounds must be exact: floats and NaN are refused."""
        with pytest.raises(TypeError, match="exact"):
            Interval(1.5, 2)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="NaN"):
            Interval(D("NaN"), D(1))

    def test_converts_strings_and_ints(self) -> None:
        """Strings and ints become Decimals with their digits kept."""
        assert Interval("1.50", 2) == Interval(D("1.50"), D(2))
        assert str(Interval("1.50", 2).low) == "1.50"

    def test_touching_intervals_overlap(self) -> None:
        """Intervals that share only an end point overlap, with gap zero."""
        a, b = iv("1.045", "1.055"), iv("1.055", "1.065")
        assert a.overlaps(b) and b.overlaps(a)
        assert a.gap(b) == 0
        assert a.intersect(b) == Interval.point("1.055")

    def test_apart_intervals(self) -> None:
        """Intervals apart have a positive gap either way round and no intersection."""
        a, b = iv("139.5", "140.5"), iv("150.55", "150.85")
        assert not a.overlaps(b)
        assert a.gap(b) == b.gap(a) == D("10.05")
        assert a.intersect(b) is None

    def test_hull(self) -> None:
        """The hull spans both intervals."""
        assert iv(1, 2).hull(iv(5, 6)) == iv(1, 6)

    def test_width_midpoint_and_boundedness(self) -> None:
        """Width and midpoint of bounded and half-open intervals."""
        assert iv("1.045", "1.055").width == D("0.010")
        assert iv("1.045", "1.055").midpoint == D("1.05")
        more_than = Interval(D("6.5e9"), INF)
        assert not more_than.is_bounded
        assert more_than.width == INF
        assert more_than.midpoint == D("6.5e9")
        assert Interval(-INF, D(3)).midpoint == 3
        assert Interval.everything().midpoint == 0

    def test_contains(self) -> None:
        """Both ends are inside."""
        assert iv(1, 2).contains(1) and iv(1, 2).contains(D(2))
        assert not iv(1, 2).contains(D("2.0000001"))

    def test_sum_of_the_design_example(self) -> None:
        """$1.05bn + $210m is [1.2545, 1.2655] bn exactly, and overlaps $1.26bn's interval."""
        exports, imports = iv("1.045e9", "1.055e9"), iv("2.095e8", "2.105e8")
        total = exports + imports
        assert total == iv("1.2545e9", "1.2655e9")
        assert total.overlaps(iv("1.255e9", "1.265e9"))

    def test_difference(self) -> None:
        """A difference pairs each end with the other interval's opposite end."""
        assert iv("270.5", "271.5") - iv("63.5", "63.7") == iv("206.8", "208.0")

    def test_products_take_every_sign_combination(self) -> None:
        """Products of intervals across zero take the extreme of all four end products."""
        assert iv(-2, 3) * iv(-5, 4) == iv(-15, 12)
        assert iv(2, 3).scale(-1) == iv(-3, -2)

    def test_zero_times_infinity_is_zero(self) -> None:
        """The interval convention 0 * inf = 0 keeps products total."""
        assert iv(0, 1) * Interval(D(2), INF) == Interval(D(0), INF)

    def test_division_rounds_outward(self) -> None:
        """1/3 is enclosed by two 34-digit ends that differ in the last digit."""
        third = Interval.point(1) / Interval.point(3)
        assert third.low < third.high
        assert Fraction(third.low) < Fraction(1, 3) < Fraction(third.high)
        assert third.high - third.low == D("1e-34")

    def test_exact_division_stays_exact(self) -> None:
        """A quotient that is a short decimal is exact at both ends."""
        assert iv("2.65", "2.75") / iv("1.25", "1.25") == iv("2.12", "2.2")

    def test_division_by_an_interval_admitting_zero(self) -> None:
        """Dividing by an interval that admits zero is refused."""
        with pytest.raises(ZeroDivisionError, match="admits zero"):
            iv(1, 2) / iv(-1, 1)

    def test_division_by_a_half_open_interval(self) -> None:
        """Dividing by [2, inf] gives values down to zero."""
        assert iv(4, 8) / Interval(D(2), INF) == iv(0, 4)

    def test_sum_keeps_outward_rounding_of_a_quotient(self) -> None:
        """Adding a large number to a rounded quotient never rounds its ends back inward."""
        third = Interval.point(1) / Interval.point(3)
        total = third + Interval.point(D("1e9"))
        assert Fraction(total.low) < Fraction(1, 3) + 10**9 < Fraction(total.high)

    def test_sum_of_very_different_magnitudes_is_exact(self) -> None:
        """1e30 + 1e-30 is kept to the last digit."""
        total = Interval.point(D("1e30")) + Interval.point(D("1e-30"))
        assert Fraction(total.low) == Fraction(10) ** 30 + Fraction(1, 10**30)

    def test_infinite_ends(self) -> None:
        """Infinite ends stay infinite through sums and negation."""
        more = Interval(D(5), INF)
        assert more + iv(1, 2) == Interval(D(6), INF)
        assert -more == Interval(-INF, D(-5))
        assert (iv(1, 2) - more).low == -INF

    def test_str(self) -> None:
        """An interval prints as [low, high]."""
        assert str(iv("1.5", 2)) == "[1.5, 2]"


# -- properties --------------------------------------------------------------------------


class TestContainment:
    @given(st.data(), intervals(), intervals())
    def test_sum(self, data: st.DataObject, a: Interval, b: Interval) -> None:
        """Every sum of members of a and b lies in a + b."""
        x, y = data.draw(members(a)), data.draw(members(b))
        assert holds(a + b, x + y)

    @given(st.data(), intervals(), intervals())
    def test_difference(self, data: st.DataObject, a: Interval, b: Interval) -> None:
        """Every difference of members of a and b lies in a - b."""
        x, y = data.draw(members(a)), data.draw(members(b))
        assert holds(a - b, x - y)

    @given(st.data(), intervals(), intervals())
    def test_product(self, data: st.DataObject, a: Interval, b: Interval) -> None:
        """Every product of members of a and b lies in a * b."""
        x, y = data.draw(members(a)), data.draw(members(b))
        assert holds(a * b, x * y)

    @given(st.data(), intervals(), intervals(nonzero=True))
    def test_quotient(self, data: st.DataObject, a: Interval, b: Interval) -> None:
        """Every quotient of members of a and b lies in a / b, despite rounding."""
        x, y = data.draw(members(a)), data.draw(members(b))
        assert holds(a / b, x / y)

    @given(intervals(), intervals(nonzero=True))
    def test_quotient_ends_are_tight(self, a: Interval, b: Interval) -> None:
        """The quotient's ends are the exact extreme quotients, rounded outward by one digit."""
        q = a / b
        ends = [Fraction(x) / Fraction(y) for x in (a.low, a.high) for y in (b.low, b.high)]
        lo, hi = min(ends), max(ends)
        assert Fraction(q.low) <= lo and hi <= Fraction(q.high)
        assert lo - Fraction(q.low) <= abs(lo) / 10**33
        assert Fraction(q.high) - hi <= abs(hi) / 10**33

    @given(intervals(), intervals())
    def test_sums_and_products_are_exact(self, a: Interval, b: Interval) -> None:
        """Sums and products are exact at both ends: no rounding at all."""
        assert Fraction((a + b).low) == Fraction(a.low) + Fraction(b.low)
        assert Fraction((a + b).high) == Fraction(a.high) + Fraction(b.high)
        ends = [Fraction(x) * Fraction(y) for x in (a.low, a.high) for y in (b.low, b.high)]
        assert (Fraction((a * b).low), Fraction((a * b).high)) == (min(ends), max(ends))

    @given(intervals(), intervals())
    def test_overlap_is_symmetric_and_agrees_with_gap(self, a: Interval, b: Interval) -> None:
        """Two intervals overlap exactly when their gap is zero, whichever way round."""
        assert a.overlaps(b) == b.overlaps(a) == (a.gap(b) == 0)
        assert a.gap(b) == b.gap(a) >= 0
