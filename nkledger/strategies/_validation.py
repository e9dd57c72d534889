"""Checking a strategy's arguments: an :class:`~hypothesis.errors.InvalidArgument` that says why.

As Hypothesis' own strategies do, every public strategy checks its arguments when it
is called, not when it draws: a wrong argument fails at once with its name and value.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy


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

