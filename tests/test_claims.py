"""Tests for sources, metrics, identities, ranks and claims."""

from __future__ import annotations

import copy
import math
import pickle
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given

from nkledger import strategies as nks
from nkledger.claims import (
    Claim,
    Identity,
    Metric,
    Rank,
    Source,
    change_text,
    parse_change,
    parse_rank,
)
from nkledger.exceptions import LedgerError, PeriodError
from nkledger.figures import READINGS, parse_figure
from nkledger.intervals import INF, Interval
from nkledger.ledger import Ledger
from nkledger.periods import parse_period

BN = Decimal(10) ** 9


def claim(**fields: object) -> Claim:
    """A claim about total trade in 2025 from source "s", with *fields* on top."""
    base: dict[str, object] = {
        "id": "c", "source": "s", "metric": "total", "period": parse_period("2025"),
        "quote": "Two-way trade value in 2025 rose 25% from a year earlier to $2.7bn",
    }
    base.update(fields)
    for name in ("value", "low", "high"):
        if isinstance(base.get(name), str):
            base[name] = parse_figure(str(base[name]))
    if isinstance(base["period"], str):
        base["period"] = parse_period(str(base["period"]))
    return Claim(**base)  # type: ignore[arg-type]


class TestSource:
    """Who said it."""

    def test_fields(self) -> None:
        """A source keeps outlet, date, title, URL and whom it cites."""
        source = Source(id="wire", outlet="Example Wire", published=date(2026, 1, 20),
                        title="Trade rebounds", url="https://example.org/trade",
                        cites="China General Administration of Customs")
        assert source.label == "Example Wire"
        assert source.weight == 1.0
        assert not source.pinned

    def test_unnamed_outlet(self) -> None:
        """Without an outlet the label says so, never guesses."""
        assert Source(id="anon").label == "unnamed outlet [anon]"
        assert Source(id="anon", outlet="").label == "unnamed outlet [anon]"

    def test_weight(self) -> None:
        """A weight prices a source's claims; inf pins them."""
        assert Source(id="s", weight=2).weight == 2.0
        assert Source(id="s", weight=math.inf).pinned

    @pytest.mark.parametrize("weight", [0, -1, math.nan])
    def test_bad_weight(self, weight: float) -> None:
        """A weight must be a positive number (or inf)."""
        with pytest.raises(LedgerError, match="weight must be a positive number"):
            Source(id="s", weight=weight)

    def test_line_is_not_identity(self) -> None:
        """Where a source was in a file does not change what it is."""
        assert Source(id="s", line=3) == Source(id="s", line=30)


class TestMetric:
    """Named series."""

    def test_defaults(self) -> None:
        """A metric is a flow in US dollars unless it says otherwise."""
        metric = Metric(id="cn_exports")
        assert (metric.unit, metric.aggregate, metric.sums, metric.part_of) == (
            "USD", "sum", True, None)

    def test_not_summing(self) -> None:
        """A share does not sum over time."""
        assert not Metric(id="share", unit="%", aggregate=None).sums

    def test_identity(self) -> None:
        """An identity names a whole and its parts, and prints as a sum."""
        identity = Identity(whole="total", parts=["cn_exports", "cn_imports"])
        assert identity.parts == ("cn_exports", "cn_imports")
        assert str(identity) == "total = cn_exports + cn_imports"


class TestChange:
    """What a change is measured against."""

    @pytest.mark.parametrize(("text", "change"), [("yoy", "yoy"), ("YoY", "yoy"),
                                                  ("mom", "mom"), (" MoM ", "mom")])
    def test_keywords(self, text: str, change: str) -> None:
        """``yoy`` and ``mom`` in any case."""
        assert parse_change(text) == change

    def test_period(self) -> None:
        """Anything else is a period."""
        assert parse_change("2024-12") == parse_period("2024-12")
        assert change_text(parse_change("2025-01..2025-03")) == "2025-Q1"
        assert change_text("yoy") == "yoy"

    def test_bad_period(self) -> None:
        """A change that is neither keyword nor period is a PeriodError naming it."""
        with pytest.raises(PeriodError, match="'2025-13'"):
            parse_change("2025-13")


class TestRank:
    """Ranking statements."""

    @pytest.mark.parametrize(
        ("text", "period", "extreme", "scope", "since"),
        [
            ("highest of 2025", "2025-12", "highest", "2025", None),
            ("the highest monthly level of 2025", "2025-12", "highest", "2025", None),
            ("lowest of 2025-H1", "2025-03", "lowest", "2025-H1", None),
            ("highest since 2019-10", "2025-09", "highest", None, "2019-10"),
            ("Highest Since 2019-10", "2025-09", "highest", None, "2019-10"),
            ("lowest since 2024-Q1", "2025-09", "lowest", None, "2024-Q1"),
            ("largest since 2020", "2025-09", "highest", None, "2020"),
            ("highest in 6 years", "2025-09", "highest", None, "2019-09"),
            ("lowest in six years", "2025-Q3", "lowest", None, "2019-Q3"),
            ("a record", "2025-09", "highest", None, None),
            ("record high", "2025-09", "highest", None, None),
            ("record low", "2025-09", "lowest", None, None),
            ("first decline of 2025", "2025-10", "first decline", "2025", None),
            ("first increase of 2025", "2025-02", "first increase", "2025", None),
            ("first drop of 2025", "2025-02", "first decline", "2025", None),
        ],
    )
    def test_forms(
        self, text: str, period: str, extreme: str, scope: str | None, since: str | None
    ) -> None:
        """Each form gives its extreme, and the period it is bounded by or reaches back to."""
        rank = parse_rank(text, parse_period(period))
        assert rank.text == text
        assert str(rank) == text
        assert rank.extreme == extreme
        assert rank.scope == (None if scope is None else parse_period(scope))
        assert rank.since == (None if since is None else parse_period(since))
        assert rank.about_changes == extreme.startswith("first")

    @pytest.mark.parametrize(
        ("text", "period", "words"),
        [
            ("best ever", "2025-09", ["'best ever'", "highest of 2025"]),
            ("highest since 2026", "2025-09", ["'highest since 2026'", "not before 2025-09"]),
            ("highest since 2025-01", "2025-Q1", ["not before 2025-Q1"]),
            ("highest of 2024", "2025-12", ["'highest of 2024'", "not inside 2024"]),
            ("first decline since 2024", "2025-12", ["'first decline since 2024'", "'of'"]),
            ("first decline", "2025-12", ["'first decline'", "first decline of 2025"]),
            ("highest in many years", "2025-09", ["'many'"]),
            ("highest in 99999999999 years", "2025-12",
             ["'highest in 99999999999 years'", "99999999999 years before 2025-12",
              "outside the years 1800–2200"]),
            ("highest in 226 years", "2025-12", ["226 years before 2025-12"]),
            ("highest in " + "9" * 5000 + " years", "2025-12", ["outside the years"]),
            ("highest in 0 years", "2025-12", ["at least 1"]),
            ("highest since 1799-12", "2025-12", ["'1799-12' lies outside the years"]),
            ("highest in ٣ years", "2025-12", ["write the digits as ASCII"]),
        ],
    )
    def test_errors(self, text: str, period: str, words: list[str]) -> None:
        """A rank that is not understood, or does not fit the claim's period, is refused."""
        with pytest.raises(LedgerError) as info:
            parse_rank(text, parse_period(period))
        for word in words:
            assert word in str(info.value)

    def test_longest_reach_back(self) -> None:
        """"In N years" may reach back to the first month of MIN_YEAR, no further."""
        rank = parse_rank("highest in 225 years", parse_period("2025-12"))
        assert rank.since == parse_period("1800-12")

    def test_bad_period_inside(self) -> None:
        """A bad period inside a rank is a PeriodError naming it."""
        with pytest.raises(PeriodError, match="2019-13"):
            parse_rank("highest since 2019-13", parse_period("2025-09"))


class TestClaimKinds:
    """Level, change, rank and direction, and what each compares against."""

    def test_level(self) -> None:
        """A value alone is a level, compared with nothing."""
        c = claim(value="$2.7bn")
        assert (c.kind, c.comparison, c.base_period) == ("level", None, None)

    def test_change(self) -> None:
        """A value with a change is a change, measured against its base."""
        c = claim(value="25%", change="yoy")
        assert (c.kind, c.comparison, c.base_period) == ("change", "yoy", parse_period("2024"))
        mom = claim(period="2025-09", value="54.53%", change="mom")
        assert mom.base_period == parse_period("2025-08")
        named = claim(period="2025-10", value="-5%", change=parse_period("2025-08"))
        assert named.base_period == parse_period("2025-08")
        assert named.interval() == Interval(Decimal("-5.5"), Decimal("-4.5"))

    def test_rank(self) -> None:
        """A rank of levels compares against nothing; a first decline against a year earlier."""
        period = parse_period("2025-12")
        level_rank = claim(period=period, rank=parse_rank("highest of 2025", period))
        assert (level_rank.kind, level_rank.comparison) == ("rank", None)
        decline = claim(period=period, rank=parse_rank("first decline of 2025", period))
        assert (decline.kind, decline.comparison) == ("rank", "yoy")
        assert decline.base_period == parse_period("2024-12")
        monthly = claim(period=period, rank=parse_rank("first decline of 2025", period),
                        change="mom")
        assert monthly.base_period == parse_period("2025-11")

    def test_direction(self) -> None:
        """A direction without a change is against the previous period."""
        c = claim(period="2025-12", direction="up")
        assert (c.kind, c.comparison, c.base_period) == ("direction", "mom",
                                                         parse_period("2025-11"))
        yoy = claim(period="2025-12", direction="down", change="yoy")
        assert yoy.base_period == parse_period("2024-12")
        assert yoy.interval() is None

    def test_base_of(self) -> None:
        """``base_of`` applies the claim's comparison to another period."""
        c = claim(period="2025-12", direction="up")
        assert c.base_of(parse_period("2025-Q3")) == parse_period("2025-Q2")
        assert claim(value="25%", change="yoy").base_of(
            parse_period("2025-09")) == parse_period("2024-09")

    def test_quote_is_kept(self) -> None:
        """A claim keeps its quote verbatim, curly quotes and all."""
        quote = "“The data showed on Tuesday” — exports rose"
        assert claim(direction="up", quote=quote).quote == quote

    def test_line_is_not_identity(self) -> None:
        """Where a claim was in a file does not change what it is."""
        assert claim(value="$2.7bn", line=1) == claim(value="$2.7bn", line=99)


class TestClaimInterval:
    """The true values a claim admits, with its overrides."""

    def test_from_figure(self) -> None:
        """Without overrides, the claim admits what its figure admits."""
        c = claim(value="nearly $2.7bn")
        for reading in ("strict", "default", "lenient"):
            assert c.interval(reading) == parse_figure("nearly $2.7bn").interval(reading)

    def test_low_override(self) -> None:
        """``low`` replaces the low end in every reading."""
        c = claim(value="$2.7bn", low="$2.6bn")
        assert c.interval() == Interval(Decimal("2.6") * BN, Decimal("2.75") * BN)
        assert c.interval("lenient") == Interval(Decimal("2.6") * BN, Decimal("2.75") * BN)

    def test_high_override(self) -> None:
        """``high`` replaces the high end; an open end can be closed."""
        c = claim(value="more than $6.5 billion", high="$7bn")
        assert c.interval() == Interval(Decimal("6.5") * BN, 7 * BN)
        assert c.interval("lenient") == Interval(Decimal("6.45") * BN, 7 * BN)

    def test_both_overrides(self) -> None:
        """With both ends given, the reading no longer matters."""
        c = claim(value="nearly 30%", low="28%", high="30.5%", change="yoy")
        expected = Interval(Decimal(28), Decimal("30.5"))
        assert {c.interval(r) for r in ("strict", "default", "lenient")} == {expected}
        assert not c.depends_on_reading

    def test_no_value(self) -> None:
        """A claim without a value admits no interval."""
        assert claim(direction="up").interval() is None
        assert not claim(direction="up").depends_on_reading

    @pytest.mark.parametrize(
        ("value", "depends"),
        [("$2.7bn", False), ("nearly 30%", True), ("$210 million", True),
         ("more than $6.5bn", True), ("about $2.7bn", True)],
    )
    def test_depends_on_reading(self, value: str, depends: bool) -> None:
        """A claim depends on the reading when strict and lenient intervals differ."""
        assert claim(value=value).depends_on_reading is depends

    def test_unbounded(self) -> None:
        """An open-ended figure stays open without an override."""
        assert claim(value="less than 1%", change="yoy").interval() == Interval(-INF, Decimal(1))


class TestRankClass:
    """The Rank value itself."""

    def test_record(self) -> None:
        """A record has neither scope nor since."""
        rank = Rank(text="a record", extreme="highest")
        assert (rank.scope, rank.since, rank.about_changes) == (None, None, False)


class TestClaimConversion:
    def test_written_forms_are_converted(self) -> None:
        """A claim built from the strings of a ledger file reads them at once."""
        c = Claim(id="x", source="s", metric="m", period="2025-09", quote="q",
                  value="$228.1m")
        assert c.period == parse_period("2025-09")
        assert c.value == parse_figure("$228.1m")

    def test_change_and_rank_strings(self) -> None:
        """'yoy' and a rank's text become the model's values, the rank read for the period."""
        c = Claim(id="x", source="s", metric="m", period="2025-12", quote="q",
                  rank="highest of 2025")
        assert c.rank == parse_rank("highest of 2025", parse_period("2025-12"))
        g = Claim(id="g", source="s", metric="m", period="2025", quote="q", change="yoy",
                  value="25%")
        assert g.change == "yoy"
        assert Claim(id="h", source="s", metric="m", period="2025-12", quote="q",
                     change="2024-12", value="3%").change == parse_period("2024-12")

    def test_bad_text_is_refused_at_once(self) -> None:
        """Text that does not read raises when the claim is made, naming the text."""
        with pytest.raises(PeriodError, match="2025-13"):
            Claim(id="x", source="s", metric="m", period="2025-13", quote="q", value="$1m")
        with pytest.raises(LedgerError, match="lots"):
            Claim(id="x", source="s", metric="m", period="2025", quote="q", value="lots")
        with pytest.raises(LedgerError, match="tallest"):
            Claim(id="x", source="s", metric="m", period="2025", quote="q", rank="tallest")

    def test_a_float_figure_is_refused(self) -> None:
        """A float has lost the digits that say how precise the outlet was."""
        with pytest.raises(TypeError, match="never a float"):
            Claim(id="x", source="s", metric="m", period="2025", quote="q",
                  value=2.7e9)  # type: ignore[arg-type]


class TestClaimPickling:
    """Claims pickle by their fields, as work items are sent to worker processes."""

    @given(nks.ledgers())
    def test_round_trip(self, ledger: Ledger) -> None:
        """A pickled claim reads back equal, with its line, kind and intervals."""
        for claim in ledger.claims:
            claim.interval("strict")  # a worked-out interval is not pickled, only fields
            back = pickle.loads(pickle.dumps(claim))
            assert back == claim
            assert back.line == claim.line
            assert back.kind == claim.kind
            assert all(back.interval(r) == claim.interval(r) for r in READINGS)
            assert copy.copy(claim) == claim

    def test_smaller_than_its_slots(self) -> None:
        """The pickle holds the fields, not the cached intervals."""
        claim = Claim(id="c", source="s", metric="m", period="2025-09", quote="q",
                      value="$2.7bn", line=4)
        before = len(pickle.dumps(claim))
        claim.interval("default")
        assert len(pickle.dumps(claim)) == before
        assert pickle.loads(pickle.dumps(claim)).line == 4
