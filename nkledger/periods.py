"""Calendar periods: months, quarters, halves, years and cumulative spans.

A period is a contiguous run of whole months, written the way trade statistics are:

=====================  ======================================================
``2025-09``            a month
``2025-Q3``            a quarter
``2025-H1``            a half-year
``2025``               a calendar year
``2025-01..2025-08``   a cumulative span (customs often releases year-to-date)
=====================  ======================================================

Internally a month is one integer (``year * 12 + month - 1``), so containment and
shifting are integer arithmetic. A span that happens to cover a quarter, half or year
is normalised to that name: ``2025-01..2025-03`` *is* ``2025-Q1``, so two claims about
the same months always land on the same period.

One object per period
    ``Period(first=..., last=...)`` returns the one object for those months, made the
    first time they are asked for. Periods are the keys of most of the checks' and the
    solver's dicts, so equality and hashing are by identity (C-speed, no generated
    ``__hash__`` per lookup), and a period's string, label, previous period and year
    earlier are worked out once. Value semantics are unchanged: two periods are equal
    exactly when their months are. A pickled period is read back as the receiving
    process's own object for its months (no hash travels in the pickle), so work items
    sent to worker processes look their periods up there as here.

Limits
    A period written in a ledger lies within the years :data:`MIN_YEAR` to
    :data:`MAX_YEAR` (1800–2200): trade statistics do not reach further, and a ledger
    that could name the year 9999 or a span of ten thousand years could ask the checks
    and the solver for millions of months. :func:`parse_period` refuses anything outside,
    naming the text and the limit; the ledger refuses claims built in Python the same way.
    Digits are ASCII only: "٢٠٢٥" is refused, not read as 2025.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterator
from typing import Any, final

import attrs

from .exceptions import PeriodError

__all__ = ["MAX_YEAR", "MIN_YEAR", "Period", "check_years", "parse_period"]

#: The earliest and latest calendar year a ledger may name (inclusive).
MIN_YEAR, MAX_YEAR = 1800, 2200

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$", re.ASCII)
_QUARTER = re.compile(r"^(\d{4})-Q(\d+)$", re.IGNORECASE | re.ASCII)
_HALF = re.compile(r"^(\d{4})-H(\d+)$", re.IGNORECASE | re.ASCII)
_YEAR = re.compile(r"^(\d{4})$", re.ASCII)


def _ordinal(year: int, month: int) -> int:
    return year * 12 + month - 1


# Every period there is, by (first, last): Period(...) hands out the one object for its
# months (see the module docstring). Periods are immutable, so sharing one is invisible.
_PERIODS: dict[tuple[int, int], Period] = {}
_set = object.__setattr__


@final
@attrs.frozen(kw_only=True, init=False, eq=False, order=False, repr=False)
class Period:
    """A contiguous run of whole months, from *first* to *last* inclusive.

    Create one with :func:`parse_period` or :meth:`Period.month` rather than by hand;
    ``first`` and ``last`` are month ordinals (``year * 12 + month - 1``).
    """

    first: int
    last: int
    # (first, last), for ordering; and what is worked out once per period (the checks ask
    # for a label or the period a year earlier tens of thousands of times)
    _key: tuple[int, int] = attrs.field(init=False, eq=False, repr=False)
    _text: str | None = attrs.field(init=False, eq=False, repr=False)
    _label: str | None = attrs.field(init=False, eq=False, repr=False)
    _previous: Period | None = attrs.field(init=False, eq=False, repr=False)
    _year_earlier: Period | None = attrs.field(init=False, eq=False, repr=False)

    def __new__(cls, *, first: int, last: int) -> Period:
        key = (first, last)
        try:
            return _PERIODS[key]
        except KeyError:
            pass
        if type(first) is not int or type(last) is not int:
            # one object per run of months: 9 and True, or a numpy integer, name the
            # same month as the int they equal
            first, last = operator.index(first), operator.index(last)
            key = (first, last)
            if key in _PERIODS:
                return _PERIODS[key]
        if first > last:
            raise PeriodError(
                f"period runs backwards: {_month_str(first)} is after {_month_str(last)}"
            )
        self = object.__new__(cls)
        _set(self, "first", first)
        _set(self, "last", last)
        _set(self, "_key", key)
        _set(self, "_text", None)
        _set(self, "_label", None)
        _set(self, "_previous", None)
        _set(self, "_year_earlier", None)
        # setdefault: should two threads make the same period at once, both get one
        return _PERIODS.setdefault(key, self)

    def __reduce__(self) -> tuple[Any, ...]:
        # by its months: unpickled (in a worker process, say) it is that process's own
        # object for them, so equality and hashing by identity hold there too
        return (_period, (self.first, self.last))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """The single month *month* of *year*."""
        if not 1 <= month <= 12:
            raise PeriodError(f"month must be 01–12, got {month:02d}")
        o = _ordinal(year, month)
        return cls(first=o, last=o)

    @classmethod
    def from_ordinal(cls, ordinal: int) -> Period:
        """The month with the given ordinal."""
        return cls(first=ordinal, last=ordinal)

    # -- what kind of period ---------------------------------------------------

    @property
    def length(self) -> int:
        """How many months the period holds."""
        return self.last - self.first + 1

    @property
    def kind(self) -> str:
        """``month``, ``quarter``, ``half``, ``year`` or ``span``."""
        n, start = self.last - self.first + 1, self.first % 12
        if n == 1:
            return "month"
        if n == 3 and start % 3 == 0:
            return "quarter"
        if n == 6 and start % 6 == 0:
            return "half"
        if n == 12 and start == 0:
            return "year"
        return "span"

    @property
    def is_month(self) -> bool:
        """Whether this is a single month."""
        return self.first == self.last

    @property
    def year(self) -> int:
        """The calendar year the period starts in."""
        return self.first // 12

    # -- relations -------------------------------------------------------------

    def months(self) -> Iterator[Period]:
        """Every month inside, in order."""
        for o in range(self.first, self.last + 1):
            yield Period(first=o, last=o)

    def ordinals(self) -> range:
        """The month ordinals inside, in order."""
        return range(self.first, self.last + 1)

    def contains(self, other: Period) -> bool:
        """Whether every month of *other* lies inside this period."""
        return self.first <= other.first and other.last <= self.last

    def __contains__(self, other: object) -> bool:
        return isinstance(other, Period) and self.contains(other)

    def overlaps(self, other: Period) -> bool:
        """Whether the two share a month."""
        return self.first <= other.last and other.first <= self.last

    def shift(self, months: int) -> Period:
        """The same-length period *months* later (earlier when negative)."""
        first, last = self.first + months, self.last + months
        found = _PERIODS.get((first, last))
        return Period(first=first, last=last) if found is None else found

    def year_earlier(self) -> Period:
        """The same months a year earlier: the base of a year-on-year change."""
        found = self._year_earlier
        if found is None:
            found = self.shift(-12)
            _set(self, "_year_earlier", found)
        return found

    def previous(self) -> Period:
        """The same-length period just before: the base of a period-on-period change.

        For a month that is the month before; for a quarter, the quarter before; for a
        year, the year before.
        """
        found = self._previous
        if found is None:
            found = self.shift(self.first - self.last - 1)
            _set(self, "_previous", found)
        return found

    def __lt__(self, other: Period) -> bool:
        return self._key < other._key

    def __le__(self, other: Period) -> bool:
        return self._key <= other._key

    def __gt__(self, other: Period) -> bool:
        return self._key > other._key

    def __ge__(self, other: Period) -> bool:
        return self._key >= other._key

    def __str__(self) -> str:
        text = self._text
        if text is None:
            text = self._written()
            _set(self, "_text", text)
        return text

    def _written(self) -> str:
        kind, year, start = self.kind, self.year, self.first % 12
        if kind == "month":
            return _month_str(self.first)
        if kind == "quarter":
            return f"{year}-Q{start // 3 + 1}"
        if kind == "half":
            return f"{year}-H{start // 6 + 1}"
        if kind == "year":
            return f"{year}"
        return f"{_month_str(self.first)}..{_month_str(self.last)}"

    def __repr__(self) -> str:
        return f"Period({str(self)!r})"

    def label(self) -> str:
        """A reader's name: ``September 2025``, ``2025-H1``, ``January–August 2025``."""
        label = self._label
        if label is None:
            label = self._reader_name()
            _set(self, "_label", label)
        return label

    def _reader_name(self) -> str:
        if self.is_month:
            return f"{_MONTH_NAMES[self.first % 12]} {self.year}"
        if self.kind == "span" and self.first // 12 == self.last // 12:
            return (
                f"{_MONTH_NAMES[self.first % 12]}–{_MONTH_NAMES[self.last % 12]} {self.year}"
            )
        return str(self)


def _period(first: int, last: int) -> Period:
    """The period of these months (how a pickled period is read back)."""
    return Period(first=first, last=last)


_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)


def _month_str(ordinal: int) -> str:
    return f"{ordinal // 12:04d}-{ordinal % 12 + 1:02d}"


def _parse_single(text: str, whole: str) -> Period:
    if m := _MONTH.match(text):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise PeriodError(f"period {whole!r}: month must be 01–12, got {m[2]}")
        return Period.month(year, month)
    if m := _QUARTER.match(text):
        year, q = int(m[1]), int(m[2])
        if not 1 <= q <= 4:
            raise PeriodError(f"period {whole!r}: quarter must be Q1–Q4, got Q{m[2]}")
        start = _ordinal(year, 3 * q - 2)
        return Period(first=start, last=start + 2)
    if m := _HALF.match(text):
        year, h = int(m[1]), int(m[2])
        if not 1 <= h <= 2:
            raise PeriodError(f"period {whole!r}: half must be H1 or H2, got H{m[2]}")
        start = _ordinal(year, 6 * h - 5)
        return Period(first=start, last=start + 5)
    if m := _YEAR.match(text):
        start = _ordinal(int(m[1]), 1)
        return Period(first=start, last=start + 11)
    if any(ch.isdigit() and not ch.isascii() for ch in text):
        raise PeriodError(f"period {whole!r}: write the digits as ASCII 0–9")
    raise PeriodError(
        f"period {whole!r} is not a month (2025-09), quarter (2025-Q3), half (2025-H1), "
        f"year (2025) or span (2025-01..2025-08)"
    )


def check_years(period: Period, what: str) -> None:
    """Refuse *period* unless it lies within :data:`MIN_YEAR`–:data:`MAX_YEAR`.

    Raises:
        PeriodError: naming *what* (e.g. ``"period '0000-01'"``) and the limits.
    """
    if period.first < MIN_YEAR * 12 or period.last > MAX_YEAR * 12 + 11:
        raise PeriodError(f"{what} lies outside the years {MIN_YEAR}–{MAX_YEAR} a ledger "
                          f"may name")


def parse_period(text: str) -> Period:
    """Read a period written as ``2025-09``, ``2025-Q3``, ``2025-H1``, ``2025`` or a span.

    A span ``A..B`` joins two periods: it starts where *A* starts and ends where *B*
    ends (``2025-01..2025-08``, ``2024-Q4..2025-Q1``). *B* may neither start before *A*
    nor end before it: ``2025-Q2..2025-04`` is refused rather than read as April.

    Every year must lie within :data:`MIN_YEAR`–:data:`MAX_YEAR`.

    Raises:
        PeriodError: naming the text and the rule it breaks.

    """
    if not isinstance(text, str):
        raise PeriodError(f"period must be a string such as '2025-09', got {text!r}")
    clean = text.strip()
    if ".." in clean:
        left, _, right = (part.strip() for part in clean.partition(".."))
        a, b = _parse_single(left, text), _parse_single(right, text)
        if b.first < a.first or b.last < a.last:
            which = "starts" if b.first < a.first else "ends"
            raise PeriodError(
                f"period {text!r} runs backwards: {right} {which} before {left} does"
            )
        period = Period(first=a.first, last=b.last)
    else:
        period = _parse_single(clean, text)
    check_years(period, f"period {text!r}")
    return period
