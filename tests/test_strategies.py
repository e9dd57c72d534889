"""Tests for nkledger.strategies: validity, the contracts in its docstrings, registration."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import nkledger
from nkledger import Claim, Figure, Ledger, Period, Source, parse_figure, parse_period
from nkledger import strategies as nks
from nkledger.strategies import Truth
from nkledger.strategies._arbitrary import _DEFAULT_METRICS

ROOT = Path(__file__).resolve().parent.parent


def first(strategy: st.SearchStrategy[Any]) -> Any:
    """One value drawn from *strategy* (``.example()`` is for interactive use only)."""
    found: list[Any] = []

    @settings(max_examples=1, database=None)
    @given(strategy)
    def draw(value: Any) -> None:
        found.append(value)

    draw()
    return found[0]


# -- what a claim means for the truth, written out independently of the library ------


def _value(truth: Truth, claim: Claim, period: Period) -> Fraction:
    return Fraction(truth.value(claim.metric, period))


def _growth(truth: Truth, claim: Claim) -> Fraction:
    base = claim.base_period
    assert base is not None
    return (_value(truth, claim, claim.period) / _value(truth, claim, base) - 1) * 100


def _inside(value: Fraction, low: Decimal, high: Decimal) -> bool:
    return (not low.is_finite() or Fraction(low) <= value) and (
        not high.is_finite() or value <= Fraction(high))


def holds(truth: Truth, claim: Claim, reading: nkledger.Reading = "default") -> bool:
    """Whether *claim* is true of *truth*: ranks and directions strictly."""
    if claim.kind in ("level", "change"):
        interval = claim.interval(reading)
        assert interval is not None
        stated = _value(truth, claim, claim.period) if claim.kind == "level" else (
            _growth(truth, claim))
        return _inside(stated, interval.low, interval.high)
    if claim.kind == "direction":
        growth = _growth(truth, claim)
        return growth > 0 if claim.direction == "up" else growth < 0
    rank = claim.rank
    assert rank is not None and claim.period.is_month and not rank.about_changes
    sign = 1 if rank.extreme == "highest" else -1
    v = sign * _value(truth, claim, claim.period)

    def level(ordinal: int) -> Fraction:
        return sign * _value(truth, claim, Period.from_ordinal(ordinal))

    month = claim.period.first
    if rank.scope is not None:
        others = [o for o in rank.scope.ordinals() if o != month]
    elif rank.since is not None:
        others = list(range(rank.since.last + 1, month))
        if not level(rank.since.first) > v:
            return False
    else:
        others = [o for o in truth.span.ordinals() if o != month]
    return all(level(o) < v for o in others)


# -- figures, periods, sources, claims, ledgers ----------------------------------------


class TestFigures:
    @given(nks.figures())
    def test_text_reads_back(self, figure: Figure) -> None:
        """Every figure is what parse_figure reads from its own text."""
        assert parse_figure(figure.text) == figure

    @given(nks.figures(units=st.just("%"), qualifiers=st.just(None),
                       min_value=Decimal("-5"), max_value=Decimal("12.5")))
    def test_options(self, figure: Figure) -> None:
        """Units, qualifiers and bounds on the value are kept."""
        assert figure.unit == "%" and figure.qualifier is None
        assert Decimal("-5") <= figure.value <= Decimal("12.5")

    @given(nks.figures(units=st.just("USD"), min_value=1234567, max_value=1234567))
    def test_tight_bounds(self, figure: Figure) -> None:
        """Bounds that leave one value are met by writing it in full."""
        assert figure.value == 1234567

    @pytest.mark.parametrize(("kwargs", "echo"), [
        ({"min_value": 1.5}, "min_value=1.5"),
        ({"min_value": 3, "max_value": 2}, "max_value=2 < min_value=3"),
        ({"units": "USD"}, "units='USD'"),
        ({"min_value": "Infinity"}, "min_value='Infinity'"),
    ])
    def test_bad_options(self, kwargs: dict[str, Any], echo: str) -> None:
        """A bad option raises InvalidArgument naming the argument and its value."""
        with pytest.raises(InvalidArgument, match=echo.replace("(", r"\(").replace(".", r"\.")):
            nks.figures(**kwargs)

    def test_bad_drawn_unit(self) -> None:
        """A unit strategy that draws a unit nkledger cannot write is refused when drawn."""
        with pytest.raises(InvalidArgument, match="units drew 'XYZ'"):
            first(nks.figures(units=st.just("XYZ")))


class TestPeriods:
    @given(nks.periods(min_value=parse_period("2024-11"), max_value=parse_period("2025-Q2"),
                       kinds=("quarter", "month")))
    def test_bounds_and_kinds(self, period: Period) -> None:
        """Periods lie inside the bounds and are of the kinds asked for."""
        assert period.first >= 2024 * 12 + 10 and period.last <= 2025 * 12 + 5
        assert period.kind in ("quarter", "month")

    @given(nks.periods())
    def test_reads_back(self, period: Period) -> None:
        """Every period reads back from how it is written."""
        assert parse_period(str(period)) == period

    def test_no_room(self) -> None:
        """Kinds that cannot fit between the bounds are refused at once."""
        with pytest.raises(InvalidArgument, match="kinds=\\('year',\\)"):
            nks.periods(min_value=parse_period("2025-02"), max_value=parse_period("2025-12"),
                        kinds=("year",))

    @pytest.mark.parametrize(("kwargs", "echo"), [
        ({"kinds": ("week",)}, "kinds=('week',)"),
        ({"min_value": "2025-01"}, "min_value='2025-01'"),
        ({"min_value": parse_period("2025"), "max_value": parse_period("2024")},
         "max_value=Period('2024') before min_value=Period('2025')"),
    ])
    def test_bad_options(self, kwargs: dict[str, Any], echo: str) -> None:
        """A bad option raises InvalidArgument naming the argument and its value."""
        with pytest.raises(InvalidArgument) as info:
            nks.periods(**kwargs)
        assert echo in str(info.value)


class TestSourcesAndClaims:
    @given(nks.sources(ids=st.just("wire")))
    def test_source_ids(self, source: Source) -> None:
        """Sources take their ids from the strategy given."""
        assert source.id == "wire"

    @given(nks.claims(), nks.sources())
    def test_claims_fit_a_ledger(self, claim: Claim, source: Source) -> None:
        """A claim is valid in a ledger holding its metric and source."""
        metric = next(m for m in _DEFAULT_METRICS if m.id == claim.metric)
        source = Source(id=claim.source)
        ledger = Ledger(metrics=[metric], sources=[source], claims=[claim])
        assert nkledger.loads(nkledger.dumps(ledger)) == ledger

    def test_not_a_strategy(self) -> None:
        """An option that takes a strategy refuses a plain value, echoing it."""
        with pytest.raises(InvalidArgument, match=r"ids='wire' must be a Hypothesis strategy"):
            nks.sources(ids="wire")  # type: ignore[arg-type]


class TestLedgers:
    @given(nks.ledgers())
    def test_round_trip(self, ledger: Ledger) -> None:
        """Every arbitrary ledger survives dumps then loads unchanged."""
        assert nkledger.loads(nkledger.dumps(ledger)) == ledger

    @given(nks.ledgers(), st.sampled_from(nkledger.figures.READINGS))
    def test_check_never_raises(self, ledger: Ledger, reading: nkledger.Reading) -> None:
        """nkledger.check gives a report for every valid ledger, however odd."""
        assert isinstance(nkledger.check(ledger, reading), nkledger.Report)

    @given(nks.ledgers(min_size=2, max_size=3))
    def test_size(self, ledger: Ledger) -> None:
        """min_size and max_size bound the number of claims."""
        assert 2 <= len(ledger.claims) <= 3

    @pytest.mark.parametrize(("kwargs", "echo"), [
        ({"min_size": -1}, "min_size=-1 must be at least 0"),
        ({"min_size": 3, "max_size": 2}, "Cannot have max_size=2 < min_size=3"),
        ({"max_size": 2.0}, "max_size=2.0 must be an integer"),
    ])
    def test_bad_options(self, kwargs: dict[str, Any], echo: str) -> None:
        """A bad option raises InvalidArgument naming the argument and its value."""
        with pytest.raises(InvalidArgument) as info:
            nks.ledgers(**kwargs)
        assert echo in str(info.value)


# -- the truth and its reports -----------------------------------------------------------


class TestTruths:
    @given(nks.truths(min_years=1, max_years=2, min_value=10, max_value="2000.5"))
    def test_identities_and_parts(self, truth: Truth) -> None:
        """The total is exports plus imports, and a part never exceeds its parent, every month."""
        exports, imports = truth.monthly("cn_exports"), truth.monthly("cn_imports")
        assert truth.monthly("total") == tuple(a + b for a, b in zip(exports, imports,
                                                                      strict=True))
        assert all(Decimal(10) <= v <= Decimal("2000.5") for v in exports + imports)
        for metric in truth.metrics:
            if metric.part_of is not None:
                parent = truth.monthly(metric.part_of)
                part = truth.monthly(metric.id)
                assert all(0 < p <= q for p, q in zip(part, parent, strict=True))
        assert truth.span.length in (12, 24) and truth.span.first % 12 == 0
        assert all(v == v.quantize(Decimal("0.01")) for _, vs in truth.series for v in vs)

    @given(nks.truths())
    def test_value_of_a_period(self, truth: Truth) -> None:
        """The value of a period is the sum of its months."""
        year = Period(first=truth.span.first, last=truth.span.first + 11)
        assert truth.value("total", year) == sum(truth.monthly("total")[:12])

    def test_value_outside(self) -> None:
        """Asking for a period the truth does not cover is an error."""
        truth = first(nks.truths(min_years=1, max_years=1))
        with pytest.raises(ValueError, match="outside"):
            truth.value("total", truth.span.shift(12))

    @pytest.mark.parametrize(("kwargs", "echo"), [
        ({"min_years": 0}, "min_years=0 must be at least 1"),
        ({"min_value": 0}, "min_value=0 must be positive"),
        ({"min_value": "0.001", "max_value": "0.009"}, "no amount in whole cents"),
        ({"max_years": 11}, "max_years=11"),
    ])
    def test_bad_options(self, kwargs: dict[str, Any], echo: str) -> None:
        """A bad option raises InvalidArgument naming the argument and its value."""
        with pytest.raises(InvalidArgument) as info:
            nks.truths(**kwargs)
        assert echo in str(info.value)


class TestConsistentLedgers:
    @given(st.data())
    def test_every_claim_is_true(self, data: st.DataObject) -> None:
        """Every claim holds for the truth it reports, under the default reading."""
        truth = data.draw(nks.truths())
        ledger = data.draw(nks.consistent_ledgers(truth=st.just(truth), min_size=5))
        for claim in ledger.claims:
            assert holds(truth, claim), claim

    @given(nks.consistent_ledgers())
    def test_round_trip(self, ledger: Ledger) -> None:
        """Every consistent ledger survives dumps then loads unchanged."""
        assert nkledger.loads(nkledger.dumps(ledger)) == ledger

    @given(st.data())
    def test_implied_figures_contain_the_truth(self, data: st.DataObject) -> None:
        """Every figure the joint analysis implies admits the true value."""
        truth = data.draw(nks.truths())
        ledger = data.draw(nks.consistent_ledgers(truth=st.just(truth)))
        for implied in nkledger.check(ledger).implied:
            true = truth.value(implied.metric, implied.period)
            assert implied.low is None or implied.low <= true, implied
            assert implied.high is None or true <= implied.high, implied

    @given(nks.consistent_ledgers(min_size=3, max_size=4, min_outlets=1, max_outlets=1))
    def test_options(self, ledger: Ledger) -> None:
        """The numbers of claims and outlets are those asked for."""
        assert 3 <= len(ledger.claims) <= 4 and len(ledger.sources) == 1

    @given(nks.consistent_ledgers(), st.sampled_from(("default", "lenient")))
    def test_no_conflict(self, ledger: Ledger, reading: nkledger.Reading) -> None:
        """nkledger.check finds no conflict in a consistent ledger (the contract).

        The lenient reading only widens the default one, so it finds none either.
        """
        report = nkledger.check(ledger, reading)
        assert report.consistent, (report.conflicts, report.conflicting)

    @pytest.mark.parametrize(("kwargs", "echo"), [
        ({"min_size": 0}, "min_size=0 must be at least 1"),
        ({"max_outlets": 13}, "max_outlets=13 must be at most 12"),
        ({"truth": nks.truths}, "truth=<function truths"),
    ])
    def test_bad_options(self, kwargs: dict[str, Any], echo: str) -> None:
        """A bad option raises InvalidArgument naming the argument and its value."""
        with pytest.raises(InvalidArgument) as info:
            nks.consistent_ledgers(**kwargs)
        assert echo in str(info.value)


class TestCorruptedLedgers:
    @given(st.data())
    def test_only_corrupted_claims_are_false(self, data: st.DataObject) -> None:
        """Corrupted claims are false in every reading; every other claim is true."""
        truth = data.draw(nks.truths())
        ledger, corrupted = data.draw(nks.corrupted_ledgers(truth=st.just(truth)))
        assert corrupted and corrupted <= {c.id for c in ledger.claims}
        for claim in ledger.claims:
            if claim.id in corrupted:
                assert not any(holds(truth, claim, r) for r in nkledger.figures.READINGS)
            else:
                assert holds(truth, claim), claim

    @pytest.mark.parametrize("mistake", nks.MISTAKES)
    @given(data=st.data())
    def test_each_mistake(self, mistake: str, data: st.DataObject) -> None:
        """Each mistake alone gives one corrupted claim that contradicts a witness."""
        _, corrupted = data.draw(nks.corrupted_ledgers(
            mistakes=[mistake], min_corruptions=1, max_corruptions=1, max_size=2))
        assert len(corrupted) == 1

    @given(st.data())
    def test_tiny_and_huge_amounts(self, data: st.DataObject) -> None:
        """Mistakes stay detectable in cents and in hundreds of billions."""
        truth = data.draw(nks.truths(min_years=1, max_years=1, min_value="0.01",
                                     max_value=10**11))
        ledger, corrupted = data.draw(nks.corrupted_ledgers(truth=st.just(truth), max_size=3))
        for claim in ledger.claims:
            assert holds(truth, claim) is (claim.id not in corrupted), claim

    @given(nks.corrupted_ledgers())
    def test_round_trip(self, pair: tuple[Ledger, frozenset[str]]) -> None:
        """Every corrupted ledger survives dumps then loads unchanged."""
        ledger, _ = pair
        assert nkledger.loads(nkledger.dumps(ledger)) == ledger

    # the joint analysis of a ledger with mistakes takes a few tenths of a second
    @settings(max_examples=min(30, settings.default.max_examples))
    @given(nks.corrupted_ledgers(), st.sampled_from(nkledger.figures.READINGS))
    def test_every_mistake_is_caught(self, pair: tuple[Ledger, frozenset[str]],
                                     reading: nkledger.Reading) -> None:
        """Every corrupted claim appears in some conflict set, in every reading (the contract)."""
        ledger, corrupted = pair
        report = nkledger.check(ledger, reading)
        caught = {c for conflict in report.conflicts for c in conflict.claims}
        assert corrupted <= caught, (sorted(corrupted - caught), report.conflicts)

    @pytest.mark.parametrize(("kwargs", "echo"), [
        ({"mistakes": ["typo"]}, "mistakes=['typo']"),
        ({"mistakes": "unit_slip"}, "mistakes='unit_slip'"),
        ({"min_corruptions": 2, "max_corruptions": 1},
         "Cannot have max_corruptions=1 < min_corruptions=2"),
    ])
    def test_bad_options(self, kwargs: dict[str, Any], echo: str) -> None:
        """A bad option raises InvalidArgument naming the argument and its value."""
        with pytest.raises(InvalidArgument) as info:
            nks.corrupted_ledgers(**kwargs)
        assert echo in str(info.value)


# -- the public face ----------------------------------------------------------------------


    @given(nks.corrupted_ledgers())
    def test_no_mistake_is_stated_twice(self, pair: tuple[Ledger, frozenset[str]]) -> None:
        """No corrupted claim states what another claim states (the solver would merge them)."""
        ledger, corrupted = pair

        def said(c: Claim) -> tuple[object, ...]:
            return (c.metric, c.period, c.change, c.rank, c.direction, c.basis,
                    tuple(c.interval(r) for r in ("strict", "default", "lenient")))

        for cid in corrupted:
            wrong = ledger.claim(cid)
            assert all(said(wrong) != said(c) for c in ledger.claims if c.id != cid)


class TestPublicFace:
    def test_all(self) -> None:
        """__all__ is sorted and names every public strategy, whichever room defines it."""
        assert list(nks.__all__) == sorted(nks.__all__)
        public = {n for n, v in vars(nks).items() if inspect.isfunction(v)
                  and not n.startswith("_") and v.__module__.startswith(nks.__name__)}
        assert public == {n for n in nks.__all__ if inspect.isfunction(getattr(nks, n))}

    def test_keyword_only(self) -> None:
        """Every strategy takes its options by keyword only."""
        for name in nks.__all__:
            function = getattr(nks, name)
            if inspect.isfunction(function):
                kinds = {p.kind for p in inspect.signature(function).parameters.values()}
                assert kinds <= {inspect.Parameter.KEYWORD_ONLY}, name

    @pytest.mark.parametrize("cls", [nkledger.Interval, Figure, Period, Source, Claim, Ledger,
                                     nkledger.Metric])
    def test_from_type(self, cls: type) -> None:
        """The hypothesis entry point registers a strategy for each model class."""
        seen: list[object] = []

        @given(st.from_type(cls))
        def draw(value: object) -> None:
            seen.append(value)

        draw()
        assert seen and all(isinstance(v, cls) for v in seen)

    def test_import_is_cheap(self) -> None:
        """Importing nkledger does not import Hypothesis."""
        code = "import sys, nkledger; assert 'hypothesis' not in sys.modules"
        subprocess.run([sys.executable, "-c", code], check=True)

    def test_strategies_imported_first(self) -> None:
        """Importing nkledger.strategies before Hypothesis still registers the types."""
        code = ("import nkledger.strategies, nkledger\n"
                "from hypothesis import strategies as st\n"
                "assert isinstance(st.from_type(nkledger.Figure).example(), nkledger.Figure)")
        subprocess.run([sys.executable, "-W", "ignore", "-c", code], check=True)

    def test_example_file(self) -> None:
        """examples/test_with_nkledger.py passes as a user runs it: Hypothesis' defaults."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("HYPOTHESIS")}
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
             str(ROOT / "examples" / "test_with_nkledger.py")],
            capture_output=True, text=True, check=False, cwd=ROOT, env=env)
        assert result.returncode == 0, result.stdout + result.stderr
