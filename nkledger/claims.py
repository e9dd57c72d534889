"""Sources, metrics, identities and claims: the model every check reads.

A *claim* is one sourced statement about one metric and one period, of one kind:

- **level** — ``value`` alone: "exports were $228.1m in September";
- **change** — ``value`` with ``change``: "rose 30.75% from a year earlier"
  (``change`` is ``"yoy"``, ``"mom"`` — against the previous period of the same
  length — or a named :class:`~nkledger.periods.Period`); the value is signed;
- **rank** — ``rank``: "the highest monthly level of 2025"; with ``change`` it ranks
  changes instead of levels ("the first decline of 2025");
- **direction** — ``direction`` (``"up"`` or ``"down"``) with no number, against
  ``change`` (default: the previous period).

Every claim keeps the quote it came from. All classes are frozen and compared by value;
where a claim came from in a file (``line``) is kept for messages but is not part of its
identity.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any, Literal, TypeAlias, cast

import attrs

from .exceptions import LedgerError
from .figures import Figure, Reading, parse_figure
from .intervals import Interval
from .periods import MAX_YEAR, MIN_YEAR, Period, parse_period

__all__ = [
    "Change",
    "Claim",
    "ClaimKind",
    "Direction",
    "Identity",
    "Metric",
    "Rank",
    "Source",
    "parse_change",
    "parse_rank",
]

ClaimKind: TypeAlias = Literal["level", "change", "rank", "direction"]
Direction: TypeAlias = Literal["up", "down"]
Change: TypeAlias = "Literal['yoy', 'mom'] | Period"

_NUMBER_WORDS = {w: i for i, w in enumerate((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve"))}


def parse_change(text: str) -> Change:
    """Read ``"yoy"``, ``"mom"`` or a period such as ``"2024-12"``."""
    clean = text.strip().lower()
    if clean in ("yoy", "mom"):
        return "yoy" if clean == "yoy" else "mom"
    return parse_period(text)


def change_text(change: Change) -> str:
    """How a change basis is written in a ledger file."""
    return str(change)


@attrs.frozen(kw_only=True)
class Rank:
    """A ranking statement: "highest of 2025", "highest since 2019-10", "a record".

    ``extreme`` is ``highest``, ``lowest``, ``first decline`` or ``first increase``.
    ``scope`` bounds the comparison to one period ("of 2025"); ``since`` names the
    period the claim reaches back to ("since 2019-10": every period after it is lower,
    and it was itself at least as high). Neither means "a record": every period the
    ledger knows.

    Attention: a ranking claim is only as good as the periods the ledger knows.
    """

    text: str
    extreme: Literal["highest", "lowest", "first decline", "first increase"]
    scope: Period | None = None
    since: Period | None = None

    @property
    def about_changes(self) -> bool:
        """Whether the rank is about changes (a first decline) rather than levels."""
        return self.extreme.startswith("first")

    def __str__(self) -> str:
        return self.text


_RANK = re.compile(
    r"^(?:the\s+|a\s+)?(?P<extreme>highest|lowest|largest|smallest|biggest|first decline|"
    r"first drop|first fall|first increase|first rise)"
    r"(?:\s+(?:monthly\s+)?(?:level|figure|value))?"
    r"(?:\s+(?P<rel>of|in|since)\s+(?P<arg>.+?))?$",
    re.IGNORECASE,
)
_YEARS = re.compile(r"^(?P<n>\d+|[a-z]+)\s+years?$", re.IGNORECASE | re.ASCII)
_EXTREMES = {"highest": "highest", "largest": "highest", "biggest": "highest",
             "lowest": "lowest", "smallest": "lowest",
             "first decline": "first decline", "first drop": "first decline",
             "first fall": "first decline", "first increase": "first increase",
             "first rise": "first increase"}


def parse_rank(text: str, period: Period) -> Rank:
    """Read a rank as written in a ledger, for a claim about *period*.

    Understood: ``highest|lowest of PERIOD``, ``highest|lowest since PERIOD``,
    ``highest|lowest in N years`` (since the same month N years earlier),
    ``a record``/``record high``/``record low``, ``first decline|increase of PERIOD``.

    Raises:
        LedgerError: naming the text, when it is none of these.
    """
    clean = " ".join(text.split()).lower()
    if clean in ("a record", "record", "record high", "a record high", "all-time high"):
        return Rank(text=text, extreme="highest")
    if clean in ("record low", "a record low", "all-time low"):
        return Rank(text=text, extreme="lowest")
    m = _RANK.match(clean)
    if m is None:
        raise LedgerError(
            f"rank {text!r} is not understood; write e.g. 'highest of 2025', "
            f"'highest since 2019-10', 'lowest in 6 years', 'a record', 'first decline of 2025'"
        )
    extreme = _EXTREMES[m["extreme"]]
    rel, arg = m["rel"], m["arg"]
    if rel is None:
        if extreme.startswith("first"):
            raise LedgerError(f"rank {text!r}: say of which period, e.g. 'first decline of 2025'")
        return Rank(text=text, extreme=extreme)  # type: ignore[arg-type]
    if rel == "in" and (y := _YEARS.match(arg)):
        n = y["n"]
        limit = MAX_YEAR - MIN_YEAR
        # no int() of a thousand-digit string: anything past the limit is refused anyway
        years = (limit + 1 if len(n.lstrip("0")) > 4 else int(n)) if n.isdigit() \
            else _NUMBER_WORDS.get(n)
        if years is None:
            raise LedgerError(f"rank {text!r}: cannot read the number of years {n!r}")
        if years < 1:
            raise LedgerError(f"rank {text!r}: the number of years must be at least 1")
        if period.first - 12 * years < MIN_YEAR * 12:
            raise LedgerError(f"rank {text!r}: {n} years before {period} is outside the "
                              f"years {MIN_YEAR}–{MAX_YEAR} a ledger may name")
        since = period.shift(-12 * years)
        return Rank(text=text, extreme=extreme, since=since)  # type: ignore[arg-type]
    other = parse_period(arg)
    if rel == "since":
        if extreme.startswith("first"):
            raise LedgerError(f"rank {text!r}: a first decline is 'of' a period, not 'since'")
        if other.last >= period.first:
            raise LedgerError(f"rank {text!r}: {other} is not before {period}")
        return Rank(text=text, extreme=extreme, since=other)  # type: ignore[arg-type]
    if not other.contains(period):
        raise LedgerError(f"rank {text!r}: {period} is not inside {other}")
    return Rank(text=text, extreme=extreme, scope=other)  # type: ignore[arg-type]


def _names(items: Iterable[str]) -> tuple[str, ...]:
    # not ``converter=tuple``: mypy's attrs plugin cannot solve tuple's type variable
    return tuple(items)


def _weight(value: float | int | Decimal) -> float:
    w = float(value)
    if math.isnan(w) or w <= 0:
        raise LedgerError(f"weight must be a positive number or inf, got {value!r}")
    return w


@attrs.frozen(kw_only=True)
class Source:
    """Who said it: an outlet's article, and whom the outlet cites.

    ``outlet`` is None when the article does not name its outlet: nkledger never
    guesses one. ``origin`` is whose story it is when the outlet carries someone
    else's ("Reuters" for a Reuters story reprinted by CNA): the same figure for the
    same quantity from one origin is one piece of evidence, however many outlets
    carried it. ``weight`` (default 1) prices dropping one of this source's claims in
    a repair; ``inf`` pins the source so its claims are never dropped. ``file`` names
    the article's text (relative to the ledger file), so ``nkledger lint`` can find
    every quote in it.
    """

    id: str
    outlet: str | None = None
    published: date | None = None
    title: str | None = None
    url: str | None = None
    cites: str | None = None
    weight: float = attrs.field(default=1.0, converter=_weight)
    origin: str | None = None
    basis: str | None = None
    note: str | None = None
    file: str | None = None
    line: int | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def label(self) -> str:
        """The outlet's name, or a plain statement that it is not named."""
        return self.outlet if self.outlet else f"unnamed outlet [{self.id}]"

    @property
    def pinned(self) -> bool:
        """Whether this source's claims may never be dropped in a repair."""
        return math.isinf(self.weight)


@attrs.frozen(kw_only=True)
class Metric:
    """A named series: its unit, whether it sums over time, and its parent flow.

    ``aggregate == "sum"`` makes a flow: a quarter is the sum of its months. Metrics
    that do not sum (a price, a share) have ``aggregate = None`` and each period stands
    alone. ``part_of`` names the flow this one is part of (a commodity of exports).
    ``terms`` are the words articles use for the metric ("Chinese shipments to North
    Korea"); ``nkledger draft`` finds the metric of a figure by them.
    ``sign = "any"`` lets a flow be negative (a balance); flows are ≥ 0 otherwise.
    """

    id: str
    unit: str = "USD"
    aggregate: Literal["sum"] | None = "sum"
    description: str | None = None
    part_of: str | None = None
    sign: Literal["nonnegative", "any"] = "nonnegative"
    terms: tuple[str, ...] = attrs.field(default=(), converter=_names)
    line: int | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def sums(self) -> bool:
        """Whether the metric is a flow that sums over time."""
        return self.aggregate == "sum"

    @property
    def nonnegative(self) -> bool:
        """Whether every true value is ≥ 0: flows are, unless declared ``sign = "any"``.

        A trade balance (exports − imports) sums over time but may be negative.
        """
        return self.sums and self.sign != "any"


@attrs.frozen(kw_only=True)
class Identity:
    """``whole = parts[0] + parts[1] + ...`` for every period: total = exports + imports."""

    whole: str
    parts: tuple[str, ...] = attrs.field(converter=_names)
    line: int | None = attrs.field(default=None, eq=False, repr=False)

    def __str__(self) -> str:
        return f"{self.whole} = {' + '.join(self.parts)}"


def _to_period(value: Period | str) -> Period:
    if isinstance(value, Period):
        return value
    if isinstance(value, str):
        return parse_period(value)
    raise TypeError(f"period must be a Period or a string such as '2025-09', got {value!r}")


def _to_figure(value: Figure | str | None) -> Figure | None:
    if value is None or isinstance(value, Figure):
        return value
    if isinstance(value, str):
        return parse_figure(value)
    raise TypeError(f"a figure must be a Figure or a string such as '$2.7bn' (never a float, "
                    f"whose digits no longer say how precise the outlet was), got {value!r}")


def _to_change(value: Change | str | None) -> Change | None:
    if value is None or isinstance(value, Period):
        return value
    if isinstance(value, str):
        return parse_change(value)
    raise TypeError(f"change must be 'yoy', 'mom' or a period, got {value!r}")


def _to_rank(value: Rank | str | None) -> Rank | None:
    # A rank's text is read against the claim's period, which a converter cannot see:
    # text passes through here and Claim.__attrs_post_init__ reads it.
    if value is None or isinstance(value, Rank | str):
        return cast("Rank | None", value)
    raise TypeError(f"rank must be a Rank or a string such as 'highest of 2025', got {value!r}")


@attrs.frozen(kw_only=True)
class Claim:
    """One sourced statement about one metric and one period.

    ``period``, ``value``, ``change``, ``rank``, ``low`` and ``high`` may be given as they
    are written in a ledger file (``period="2025-09"``, ``value="$228.1m"``,
    ``rank="highest of 2025"``) and are converted at once; text that does not read
    raises :class:`~nkledger.exceptions.LedgerError` right here,
    never later inside a check.

    ``status = "draft"`` marks a claim a person has not yet accepted (as ``nkledger
    draft`` writes them); checks leave drafts out unless asked to include them.
    """

    id: str
    source: str
    metric: str
    period: Period = attrs.field(converter=_to_period)
    quote: str
    value: Figure | None = attrs.field(default=None, converter=_to_figure)
    change: Change | None = attrs.field(default=None, converter=_to_change)
    rank: Rank | None = attrs.field(default=None, converter=_to_rank)
    direction: Direction | None = None
    low: Figure | None = attrs.field(default=None, converter=_to_figure)
    high: Figure | None = attrs.field(default=None, converter=_to_figure)
    basis: str | None = None
    note: str | None = None
    status: Literal["draft"] | None = None
    line: int | None = attrs.field(default=None, eq=False, repr=False)
    # intervals by reading, worked out once: the checks and the solver ask many times
    # (a dict only once asked: most claims of a huge ledger are never asked twice)
    _intervals: dict[str, Interval | None] | None = attrs.field(
        init=False, default=None, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if isinstance(self.rank, str):
            object.__setattr__(self, "rank", parse_rank(self.rank, self.period))

    def __reduce__(self) -> tuple[Any, ...]:
        # The fields alone, rebuilt without conversions (they are converted already) and
        # without the intervals worked out here: a work item sent to a worker process
        # pickles a few times smaller and faster than attrs' state dict of every slot.
        return (_made_claim, (self.id, self.source, self.metric, self.period, self.quote,
                              self.value, self.change, self.rank, self.direction, self.low,
                              self.high, self.basis, self.note, self.status, self.line))

    @property
    def is_draft(self) -> bool:
        """Whether a person has yet to accept this claim (``status = "draft"``)."""
        return self.status == "draft"

    @property
    def kind(self) -> ClaimKind:
        """``level``, ``change``, ``rank`` or ``direction``."""
        if self.rank is not None:
            return "rank"
        if self.direction is not None:
            return "direction"
        if self.change is not None:
            return "change"
        return "level"

    @property
    def comparison(self) -> Change | None:
        """What a change, direction or change-rank is measured against.

        ``change`` when given; otherwise the previous period for a direction ("rose")
        and the same period a year earlier for a first decline or increase, the
        convention of customs releases. None for levels and level ranks.
        """
        if self.change is not None:
            return self.change
        if self.kind == "direction":
            return "mom"
        if self.rank is not None and self.rank.about_changes:
            return "yoy"
        return None

    @property
    def base_period(self) -> Period | None:
        """The period a change or direction is measured against, if any."""
        return None if self.comparison is None else self.base_of(self.period)

    def base_of(self, period: Period) -> Period:
        """The base of this claim's kind of comparison, applied to *period*."""
        comparison = self.comparison
        if comparison == "mom":
            return period.previous()
        if isinstance(comparison, Period):
            return comparison
        return period.year_earlier()

    def interval(self, reading: Reading = "default") -> Interval | None:
        """The true values the claim's figure admits (with overrides), or None."""
        cache = self._intervals
        if cache is None:
            cache = {}
            object.__setattr__(self, "_intervals", cache)
        elif reading in cache:
            return cache[reading]
        if self.value is None:
            return None
        interval = self.value.interval(reading)
        if self.low is None and self.high is None:
            result = interval  # the figure's own: one object less
        else:
            low = interval.low if self.low is None else self.low.value
            high = interval.high if self.high is None else self.high.value
            result = Interval(low, high)
        cache[reading] = result
        return result

    @property
    def depends_on_reading(self) -> bool:
        """Whether strict and lenient readings of the figure differ."""
        if self.value is None or (self.low is not None and self.high is not None):
            return False
        return self.interval("strict") != self.interval("lenient")


# -- building claims that are known to be right --------------------------------------

_new = object.__new__
# the slots of a Claim, set one by one as attrs' __init__ does, minus the converters and
# keyword handling: a million claims read from a file spend most of their time here
_FIELDS = ("id", "source", "metric", "period", "quote", "value", "change", "rank",
           "direction", "low", "high", "basis", "note", "status", "line", "_intervals")
assert tuple(f.name for f in attrs.fields(Claim)) == _FIELDS, "update _made_claim"
(_id, _source, _metric, _period, _quote, _value, _change, _rank, _direction, _low, _high,
 _basis, _note, _status, _line, _cache) = (Claim.__dict__[name].__set__ for name in _FIELDS)


def _made_claim(
    id: str, source: str, metric: str, period: Period, quote: str, value: Figure | None,
    change: Change | None, rank: Rank | None, direction: Direction | None,
    low: Figure | None, high: Figure | None, basis: str | None, note: str | None,
    status: Literal["draft"] | None, line: int | None,
) -> Claim:
    """The claim of these fields, already converted (no text left to read), unchecked.

    For the library's readers only (a file's fast reader, unpickling): what
    ``Claim(...)`` with the same arguments gives, without its conversions.
    """
    claim: Claim = _new(Claim)
    _id(claim, id)
    _source(claim, source)
    _metric(claim, metric)
    _period(claim, period)
    _quote(claim, quote)
    _value(claim, value)
    _change(claim, change)
    _rank(claim, rank)
    _direction(claim, direction)
    _low(claim, low)
    _high(claim, high)
    _basis(claim, basis)
    _note(claim, note)
    _status(claim, status)
    _line(claim, line)
    _cache(claim, None)
    return claim
