"""Tests for the checks' fast paths: each gives what the careful path it replaces gives."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from nkledger._checks._context import _NOTHING, _careful_total, _pair_sum, total
from nkledger.intervals import INF, Interval

# Decimals as figures are written (any exponent, a sign, trailing zeros) and some that
# the exact context refuses (too many digits, huge exponents), plus infinities.
_ENDS = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False, places=None),
    st.builds(lambda n, e: Decimal(n).scaleb(e), st.integers(-10**12, 10**12),
              st.integers(-12, 12)),
    st.builds(lambda n, e: Decimal(n).scaleb(e), st.integers(-10**60, 10**60),
              st.integers(-80, 80)),
    st.sampled_from([INF, -INF, Decimal(0), Decimal("-0"), Decimal("0E+3"),
                     Decimal("1E+9"), Decimal("1.050E+9")]),
)


@st.composite
def _intervals(draw: st.DrawFn) -> Interval:
    a, b = draw(_ENDS), draw(_ENDS)
    return Interval(min(a, b), max(a, b))


def _exactly(x: Interval) -> tuple[object, ...]:
    """The ends as written: sign, digits and exponent, not only the value."""
    return (x.low.as_tuple(), x.high.as_tuple())


def _or_error(f: object, *args: object) -> object:
    try:
        return _exactly(f(*args))  # type: ignore[operator]
    except Exception as e:  # the same refusal counts as the same answer
        return type(e)


class TestPairSum:
    @given(_intervals(), _intervals())
    def test_a_whole_is_the_plain_sum(self, a: Interval, b: Interval) -> None:
        """For a whole, the fused sum is ``0 + a + b``, end for end and digit for digit."""
        assert _or_error(_pair_sum, a, b, True) == _or_error(lambda: _NOTHING + a + b)

    @given(_intervals(), _intervals())
    def test_a_part_is_the_plain_difference(self, a: Interval, b: Interval) -> None:
        """For a part, the fused difference is ``a - (0 + b)``, digit for digit."""
        assert _or_error(_pair_sum, a, b, False) == _or_error(lambda: a - (_NOTHING + b))


class TestTotal:
    @given(st.lists(_intervals(), max_size=6))
    def test_the_plain_loop(self, items: list[Interval]) -> None:
        """The fused total is the term-by-term sum from zero, digit for digit."""
        assert _or_error(total, items) == _or_error(_careful_total, items)

    @given(st.lists(_intervals(), max_size=4))
    def test_any_iterable(self, items: list[Interval]) -> None:
        """A generator of terms sums as the list of them does."""
        assert _or_error(total, iter(items)) == _or_error(total, items)

    def test_nothing_is_zero(self) -> None:
        """The sum of no intervals is the point zero."""
        assert total([]) == Interval.point(0)

