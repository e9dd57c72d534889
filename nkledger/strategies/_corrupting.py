"""Corrupting a true report with the mistakes reporters really make.

A mistake is only made where the contradiction it causes is certain: the strategy
checks that certainty exactly, with the library's own intervals, before it hands the
ledger over. Where one mistake cannot be made detectably in a given truth (digits that
read the same transposed, two months that happen to be equal) it makes a
million/billion slip instead, which is always detectable.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from decimal import Decimal
from fractions import Fraction
from typing import Any, TypeAlias

import attrs
from hypothesis import assume
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import DrawFn, SearchStrategy

from ..claims import Change, Claim, Source
from ..figures import READINGS, Reading
from ..intervals import Interval
from ..ledger import Ledger
from ..periods import Period
from ._reporting import _base, _growth, _ledger, _Newsroom, _outlets, _validate_reporting
from ._truths import Truth, truths
from ._validation import _validate_range, _validate_size
from ._writing import _BILLION, _MILLION, _PLAIN, _THOUSAND, _figure, _money_scale, _pens

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

