"""Tests for the named cross-checks: hand-worked cases, boundaries, soundness, the seed."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nkledger
from nkledger._checks import _rules
from nkledger.checks import CHECKS, run_checks, run_lean
from nkledger.findings import Finding
from nkledger.intervals import Interval
from nkledger.ledger import Ledger
from nkledger.periods import Period, parse_period

D = Decimal

HEADER = """
[[metric]]
id = "exports"
unit = "USD"
aggregate = "sum"

[[metric]]
id = "imports"
unit = "USD"
aggregate = "sum"

[[metric]]
id = "total"
unit = "USD"
aggregate = "sum"

[[metric]]
id = "hair"
unit = "USD"
aggregate = "sum"
part_of = "exports"

[[metric]]
id = "price"
unit = "USD"
aggregate = "none"

[[identity]]
total = ["exports", "imports"]

[[source]]
id = "a"
outlet = "Outlet A"
cites = "China General Administration of Customs"

[[source]]
id = "b"
outlet = "Outlet B"
cites = "China General Administration of Customs"
"""


def claim(ident: str, source: str, metric: str, period: str, **fields: str) -> str:
    """One [[claim]] table; the quote defaults to the claim's id."""
    lines = ["[[claim]]", f'id = "{ident}"', f'source = "{source}"', f'metric = "{metric}"',
             f'period = "{period}"', f'quote = "{fields.pop("quote", ident)}"']
    lines += [f'{key} = "{value}"' for key, value in fields.items()]
    return "\n".join(lines) + "\n"


def source(ident: str, outlet: str, **fields: str) -> str:
    """One [[source]] table."""
    lines = ["[[source]]", f'id = "{ident}"', f'outlet = "{outlet}"']
    lines += [f"{key} = {value}" if key == "published" else f'{key} = "{value}"'
              for key, value in fields.items()]
    return "\n".join(lines) + "\n"


def build(*tables: str) -> Ledger:
    """A ledger of the standard header and the given tables."""
    return nkledger.loads(HEADER + "\n".join(tables))


def findings(ledger: Ledger, check: str, reading: str = "default") -> list[Finding]:
    """One check's findings."""
    return list(CHECKS[check](ledger, reading))  # type: ignore[arg-type]


def only(ledger: Ledger, check: str, reading: str = "default") -> Finding:
    """The one finding a check makes."""
    found = findings(ledger, check, reading)
    assert len(found) == 1, [f.explanation for f in found]
    return found[0]


def iv(low: str, high: str) -> Interval:
    return Interval(D(low), D(high))


# -- agreement -------------------------------------------------------------------------------


class TestNamedChecksContexts:
    """The named checks share a ledger's contexts, found by the ledger's identity."""

    def test_one_context_for_every_named_check_of_one_ledger(
            self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Seven named checks of one ledger build its contexts once, and never hash it."""
        from nkledger import checks

        made: list[Ledger] = []
        real = checks._Readings

        def counted(ledger: Ledger, reading: str) -> object:
            made.append(ledger)
            return real(ledger, reading)  # type: ignore[arg-type]

        monkeypatch.setattr(checks, "_Readings", counted)

        class Unhashable(Ledger):
            def __hash__(self) -> int:
                raise AssertionError("the whole ledger was hashed")

        led = Unhashable(**{f.name: getattr(build(*SEPTEMBER), f.name)
                            for f in attrs.fields(Ledger) if f.init})
        for name in CHECKS:
            list(getattr(checks, name)(led))
        assert made == [led]

    def test_equal_ledgers_and_a_bounded_memory(self) -> None:
        """An equal ledger of its own gets its own contexts; only the last four are kept."""
        from nkledger import checks

        ledgers = [build(*SEPTEMBER) for _ in range(6)]
        for led in ledgers:
            list(checks.agreement(led))
        assert len(checks._RECENT) <= 4
        kept = {id(led) for led, _ in checks._RECENT.values()}
        assert kept == {id(led) for led in ledgers[-4:]}
        assert list(checks.agreement(ledgers[0])) == list(checks.agreement(ledgers[-1]))


class TestAgreement:
    def test_overlapping_levels_agree(self) -> None:
        """Two outlets' levels whose intervals overlap are consistent."""
        f = only(build(claim("a1", "a", "exports", "2025-09", value="$228.1m"),
                       claim("b1", "b", "exports", "2025-09", value="about $228m")), "agreement")
        assert f.verdict == "consistent"
        assert f.claims == ("a1", "b1")
        assert f.stated == iv("228050000", "228150000")
        assert f.implied == iv("216600000", "239400000")  # about: ±5%
        assert f.explanation == ("Outlet A gives exports for September 2025 as $228.1m and "
                                 "Outlet B as about $228m, which agree.")

    def test_touching_levels_agree(self) -> None:
        """$1.05bn ([1.045, 1.055]) and $1.06bn ([1.055, 1.065]) just touch: consistent."""
        f = only(build(claim("a1", "a", "exports", "2025-H1", value="$1.05bn"),
                       claim("b1", "b", "exports", "2025-H1", value="$1.06bn")), "agreement")
        assert f.verdict == "consistent"

    def test_apart_levels_conflict(self) -> None:
        """$1.05bn and $1.07bn are $10m apart at their closest ends."""
        f = only(build(claim("a1", "a", "exports", "2025-H1", value="$1.05bn"),
                       claim("b1", "b", "exports", "2025-H1", value="$1.07bn")), "agreement")
        assert f.verdict == "conflict"
        assert f.note is None
        assert f.distance == D("0.01e9")
        assert f.explanation == ("Outlet A gives exports for 2025-H1 as $1.05bn and Outlet B "
                                 "as $1.07bn: $10m–$30m apart.")

    def test_a_qualifier_decides(self) -> None:
        """"about $30m" meets $32.5m only under the lenient reading (10% either side)."""
        ledger = build(claim("a1", "a", "imports", "2025-09", value="about $30m"),
                       claim("b1", "b", "imports", "2025-09", value="$32.5m"))
        assert only(ledger, "agreement").verdict == "conflict"
        assert only(ledger, "agreement", "strict").verdict == "conflict"
        lenient = only(ledger, "agreement", "lenient")
        assert lenient.verdict == "consistent"
        assert lenient.depends_on_reading and only(ledger, "agreement").depends_on_reading

    def test_same_source_is_not_compared(self) -> None:
        """A source is not held against itself: its headline and body may differ in words."""
        ledger = build(claim("a1", "a", "exports", "2025-09", value="$1m"),
                       claim("a2", "a", "exports", "2025-09", value="$9m"))
        assert findings(ledger, "agreement") == []

    def test_changes_compare_by_base_period(self) -> None:
        """"mom" and a named previous month are the same comparison; yoy is another."""
        ledger = build(
            claim("a1", "a", "exports", "2025-09", change="mom", value="54.53%"),
            claim("b1", "b", "exports", "2025-09", change="2025-08", value="60%"),
            claim("b2", "b", "exports", "2025-09", change="yoy", value="30.75%"))
        f = only(ledger, "agreement")
        assert f.claims == ("a1", "b1") and f.verdict == "conflict" and f.unit == "%"
        assert f.explanation == ("Outlet A gives exports for September 2025 as up 54.53% on "
                                 "the month before and Outlet B as up 60%: "
                                 "4.965–5.975 percentage points apart.")

    def test_opposite_directions_conflict(self) -> None:
        """"Rose" and "fell" against the same base cannot both be true."""
        ledger = build(claim("a1", "a", "total", "2025-10", direction="up"),
                       claim("b1", "b", "total", "2025-10", change="mom", direction="down"))
        f = only(ledger, "agreement")
        assert f.verdict == "conflict"
        assert f.explanation == ("Outlet A says total rose in October 2025 on the month "
                                 "before and Outlet B says it fell, which cannot both be true.")

    def test_same_ranks_agree(self) -> None:
        """Two outlets giving the same rank agree."""
        ledger = build(claim("a1", "a", "exports", "2025-12", rank="highest of 2025"),
                       claim("b1", "b", "exports", "2025-12",
                             rank="the highest monthly level of 2025"))
        f = only(ledger, "agreement")
        assert f.verdict == "consistent"
        assert f.explanation == ("Outlet A and Outlet B both call exports for December 2025 "
                                 "the highest of 2025.")

    def test_different_basis(self) -> None:
        """A conflict between customs data and an estimate keeps its verdict, with a note."""
        ledger = build(
            source("k", "Kotra Daily", cites="Korea Trade-Investment Promotion Agency"),
            claim("a1", "a", "total", "2024", value="$2.18bn"),
            claim("k1", "k", "total", "2024", value="$2.3bn"))
        f = only(ledger, "agreement")
        assert f.verdict == "conflict" and f.note == "different basis"
        assert f.explanation.endswith(
            "; the figures rest on different primary data (China General Administration of "
            "Customs vs Korea Trade-Investment Promotion Agency).")

    def test_basis_on_the_claim(self) -> None:
        """A claim's own basis (growth in yuan) sets it apart from dollar figures."""
        ledger = build(
            claim("a1", "a", "total", "2025", change="yoy", value="25%"),
            claim("b1", "b", "total", "2025", change="yoy", value="31%", basis="yuan terms"))
        f = only(ledger, "agreement")
        assert f.verdict == "conflict" and f.note == "different basis"

    def test_vague_cites_are_not_a_different_body(self) -> None:
        """"Chinese government data" does not name a body other than China's customs."""
        ledger = build(
            source("g", "Outlet G", cites="Chinese government data"),
            claim("a1", "a", "total", "2024", value="$2.18bn"),
            claim("g1", "g", "total", "2024", value="$2.3bn"))
        assert only(ledger, "agreement").note is None

    def test_revision(self) -> None:
        """The same body's figure published on two dates differing is marked a revision."""
        ledger = build(
            source("early", "Early Wire", cites="China's customs", published="2024-07-20"),
            source("late", "Late Wire", cites="China customs", published="2025-07-18"),
            claim("e1", "early", "total", "2024-H1", value="$975.1m"),
            claim("l1", "late", "total", "2024-H1", value="$968.9m"))
        f = only(ledger, "agreement")
        assert f.verdict == "conflict" and f.note == "revision"
        assert "Late Wire (2025-07-18) is the later release of the same data" in f.explanation

    def test_different_currency(self) -> None:
        """A rand figure on a dollar metric is reported once and used nowhere else."""
        ledger = build(claim("a1", "a", "total", "2025", value="$2.7bn"),
                       claim("a2", "a", "total", "2025", value="R44.2bn"),
                       claim("b1", "b", "total", "2025", value="R50bn"),
                       claim("b2", "b", "total", "2025-H1", value="$1.26bn"))
        found = findings(ledger, "agreement")
        notes = [(f.claims, f.verdict, f.note) for f in found]
        assert notes == [(("a2",), "unverifiable", "different currency"),
                         (("b1",), "unverifiable", "different currency")]
        assert found[0].unit == "ZAR" and found[0].stated == iv("44.15e9", "44.25e9")
        everything = run_checks(ledger)
        assert all("b1" not in f.claims and "a2" not in f.claims
                   for f in everything if f.note != "different currency")


# -- components --------------------------------------------------------------------------------


class TestComponents:
    def test_the_issue_example(self) -> None:
        """$120.5m + about $30.2m = $149.14m–$152.26m, $8.64m–$12.76m from a $140m total."""
        ledger = build(claim("a1", "a", "exports", "2025-09", value="$120.5m"),
                       claim("b1", "b", "imports", "2025-09", value="about $30.2m"),
                       claim("b2", "b", "total", "2025-09", value="$140m"))
        f = only(ledger, "components")
        assert f.verdict == "conflict"
        assert f.claims == ("b2", "a1", "b1")
        assert f.metric == "total" and f.period == parse_period("2025-09")
        assert f.stated == iv("139.5e6", "140.5e6")
        assert f.implied == iv("149.14e6", "152.26e6")
        assert f.gap == iv("8.64e6", "12.76e6")
        assert f.explanation == (
            "For September 2025, exports $120.5m (Outlet A) + imports about $30.2m (Outlet B) "
            "= $149.14m–$152.26m, but Outlet B gives the total as $140m: $8.64m–$12.76m apart.")

    def test_touching_sum_is_consistent(self) -> None:
        """Parts whose sum ends exactly where the total begins are consistent."""
        parts = [claim("a1", "a", "exports", "2025-09", value="$120.5m"),
                 claim("a2", "a", "imports", "2025-09", value="$30.5m")]
        # parts: [120.45 + 30.45, 120.55 + 30.55] = [150.9, 151.1]
        touching = build(*parts, claim("b1", "b", "total", "2025-09", value="$151.15m",
                                       low="$151.1m"))
        f = only(touching, "components")
        assert f.stated == iv("151.1e6", "151.155e6") and f.implied == iv("150.9e6", "151.1e6")
        assert f.verdict == "consistent" and f.distance == 0
        overlapping = build(*parts, claim("b1", "b", "total", "2025-09", value="$151.1m"))
        assert only(overlapping, "components").verdict == "consistent"
        apart = build(*parts, claim("b1", "b", "total", "2025-09", value="$151.2m"))
        f = only(apart, "components")
        assert f.verdict == "conflict" and f.distance == D("0.05e6")

    def test_missing_part_is_implied(self) -> None:
        """Total and exports imply imports, reported with the implied interval."""
        ledger = build(claim("a1", "a", "total", "2025-09", value="$271m"),
                       claim("b1", "b", "exports", "2025-09", value="$207.4m"))
        f = only(ledger, "components")
        assert f.verdict == "consistent"
        assert f.metric == "imports" and f.stated is None
        assert f.implied == iv("63.05e6", "64.15e6")
        assert f.explanation == (
            "For September 2025, the total $271m (Outlet A) − exports $207.4m (Outlet B) "
            "implies imports of $63.05m–$64.15m, which no claim states.")

    def test_missing_part_below_zero_conflicts(self) -> None:
        """A part larger than the whole leaves the other part negative: a conflict."""
        ledger = build(claim("a1", "a", "total", "2025-09", value="$200m"),
                       claim("b1", "b", "exports", "2025-09", value="$228.1m"))
        f = only(ledger, "components")
        assert f.verdict == "conflict"
        assert f.implied == iv("-28.65e6", "-27.55e6")
        assert f.explanation == (
            "For September 2025, exports $228.1m (Outlet B) already exceed the total "
            "$200m (Outlet A): imports would have to be -$28.65m to -$27.55m, below zero.")

    def test_missing_part_at_zero_is_consistent(self) -> None:
        """A part that can only be exactly zero is still a possible flow."""
        ledger = build(claim("a1", "a", "total", "2025-09", value="$200m", high="$200m"),
                       claim("b1", "b", "exports", "2025-09", value="$200m", low="$200m"))
        f = only(ledger, "components")
        assert f.verdict == "consistent" and f.implied == iv("0", "0")

    def test_missing_whole_is_implied(self) -> None:
        """Both parts imply the total."""
        ledger = build(claim("a1", "a", "exports", "2025-12", value="$257.4m"),
                       claim("a2", "a", "imports", "2025-12", value="$52.7m"))
        f = only(ledger, "components")
        assert f.verdict == "consistent" and f.metric == "total"
        assert f.implied == iv("310.0e6", "310.2e6")
        assert f.explanation == (
            "For December 2025, exports $257.4m (Outlet A) + imports $52.7m (Outlet A) imply "
            "total of $310m–$310.2m, which no claim states.")

    def test_every_combination(self) -> None:
        """Two claims for one slot give two findings, one per combination."""
        ledger = build(claim("a1", "a", "exports", "2025-09", value="$100m"),
                       claim("b1", "b", "exports", "2025-09", value="$90m"),
                       claim("a2", "a", "imports", "2025-09", value="$50m"),
                       claim("a3", "a", "total", "2025-09", value="$150m"))
        found = findings(ledger, "components")
        assert [(f.claims, f.verdict) for f in found] == [
            (("a3", "a1", "a2"), "consistent"), (("a3", "b1", "a2"), "conflict")]

    def test_combinations_are_bounded(self) -> None:
        """More than 64 combinations: the first 64 are checked and a finding says so."""
        tables = [source(f"s{i}", f"Outlet {i}") for i in range(5)]
        for i in range(5):
            for metric in ("exports", "imports", "total"):
                value = {"exports": "$100m", "imports": "$50m", "total": "$150m"}[metric]
                tables.append(claim(f"{metric}-{i}", f"s{i}", metric, "2025-09", value=value))
        found = findings(build(*tables), "components")
        assert len(found) == 65
        assert found[-1].verdict == "unverifiable" and found[-1].note == "cut"
        assert found[-1].explanation == (
            "125 combinations of claims for total = exports + imports in September 2025; "
            "only the first 64 were checked.")

    def test_periods_must_match_exactly(self) -> None:
        """A quarter's exports are not added to a month's imports."""
        ledger = build(claim("a1", "a", "exports", "2025-Q3", value="$600m"),
                       claim("a2", "a", "imports", "2025-09", value="$50m"))
        assert findings(ledger, "components") == []


# -- aggregation -------------------------------------------------------------------------------


class TestAggregation:
    def test_months_cover_a_quarter(self) -> None:
        """Three months are added and held against the quarter."""
        ledger = build(claim("a1", "a", "exports", "2025-07", value="$150m"),
                       claim("a2", "a", "exports", "2025-08", value="$147.6m"),
                       claim("b1", "b", "exports", "2025-09", value="$228.1m"),
                       claim("b2", "b", "exports", "2025-Q3", value="$500m"))
        f = only(ledger, "aggregation")
        assert f.verdict == "conflict"
        assert f.claims == ("b2", "a1", "a2", "b1")
        assert f.implied == iv("525.1e6", "526.3e6")
        assert f.explanation == (
            "exports $150m (Outlet A) for July 2025 + $147.6m (Outlet A) for August 2025 + "
            "$228.1m (Outlet B) for September 2025 = $525.1m–$526.3m, but Outlet B gives "
            "2025-Q3 as $500m: $24.6m–$26.8m apart.")

    def test_touching_months_are_consistent(self) -> None:
        """Months whose sum just reaches the quarter's interval are consistent."""
        ledger = build(claim("a1", "a", "exports", "2025-07", value="$100m"),
                       claim("a2", "a", "exports", "2025-08", value="$100m"),
                       claim("a3", "a", "exports", "2025-09", value="$100m"),
                       claim("b1", "b", "exports", "2025-Q3", value="$303m"))
        # months [298.5, 301.5]; quarter [302.5, 303.5]: apart by 1m
        assert only(ledger, "aggregation").verdict == "conflict"
        touching = build(claim("a1", "a", "exports", "2025-07", value="$100m"),
                         claim("a2", "a", "exports", "2025-08", value="$100m"),
                         claim("a3", "a", "exports", "2025-09", value="$100m"),
                         claim("b1", "b", "exports", "2025-Q3", value="$302m", low="$301.5m"))
        assert only(touching, "aggregation").verdict == "consistent"

    def test_missing_months_are_implied(self) -> None:
        """Known months bound the rest: the uncovered run is reported."""
        ledger = build(claim("a1", "a", "exports", "2025-H1", value="$1.05bn"),
                       claim("b1", "b", "exports", "2025-01..2025-08", value="$1.4bn"))
        f = only(ledger, "aggregation")
        assert f.verdict == "consistent"
        assert f.metric == "exports" and f.period == parse_period("2025-07..2025-08")
        assert f.implied == iv("0.295e9", "0.405e9")
        assert f.explanation == (
            "exports for January–August 2025 is $1.4bn (Outlet B) and exports $1.05bn "
            "(Outlet A) for 2025-H1 = $1.045bn–$1.055bn, so July–August 2025 must total "
            "$295m–$405m.")

    def test_known_months_exceeding_the_total_conflict(self) -> None:
        """Months already larger than the year: the rest would be negative."""
        ledger = build(claim("a1", "a", "total", "2025-H1", value="$1.26bn"),
                       claim("b1", "b", "total", "2025", value="$1.2bn"))
        f = only(ledger, "aggregation")
        assert f.verdict == "conflict"
        assert f.period == parse_period("2025-H2")
        assert f.explanation == (
            "total $1.26bn (Outlet A) for 2025-H1 = $1.255bn–$1.265bn, more than the $1.2bn "
            "Outlet B gives for 2025: 2025-H2 would have to total -$0.12bn to -$0.005bn, "
            "below zero." .replace("-$0.12bn to -$0.005bn", "-$115m to -$5m"))

    def test_remainder_at_zero_is_consistent(self) -> None:
        """Known months that can exactly reach the total leave zero, which is allowed."""
        ledger = build(claim("a1", "a", "total", "2025-H1", value="$1.2bn", low="$1.2bn"),
                       claim("b1", "b", "total", "2025", value="$1.2bn", high="$1.2bn"))
        f = only(ledger, "aggregation")
        assert f.verdict == "consistent" and f.implied == iv("0", "0")

    def test_scattered_gaps_are_named(self) -> None:
        """Uncovered months in two runs are named together, on the whole period."""
        ledger = build(claim("a1", "a", "total", "2025", value="$2.7bn"),
                       claim("a2", "a", "total", "2025-H1", value="$1.26bn"),
                       claim("b1", "b", "total", "2025-09", value="$271m"))
        f = only(ledger, "aggregation")
        assert f.period == parse_period("2025")
        assert "so July–August 2025 and 2025-Q4 must total $1.1135bn–$1.2245bn." in f.explanation

    def test_halves_are_preferred_to_months(self) -> None:
        """A year claimed by halves and months is checked against its halves; halves by months."""
        months = [claim(f"m{m}", "a", "exports", f"2025-{m:02d}", value="$100m")
                  for m in range(1, 13)]
        ledger = build(*months,
                       claim("h1", "b", "exports", "2025-H1", value="$600m"),
                       claim("h2", "b", "exports", "2025-H2", value="$600m"),
                       claim("y", "b", "exports", "2025", value="$1.2bn"))
        found = findings(ledger, "aggregation")
        assert [f.claims[0] for f in found] == ["h1", "y", "h2"]
        assert found[1].claims == ("y", "h1", "h2")
        assert all(f.verdict == "consistent" for f in found)

    def test_flows_only(self) -> None:
        """A metric that does not sum over time is not aggregated."""
        ledger = build(claim("a1", "a", "price", "2025-07", value="$100"),
                       claim("a2", "a", "price", "2025-Q3", value="$5"))
        assert findings(ledger, "aggregation") == []


class TestTiling:
    def test_most_months_then_fewest_pieces(self) -> None:
        """Coverage wins, then fewer pieces."""
        from nkledger._checks._context import tiling

        p = parse_period
        candidates = [p("2025-H1"), *(p(f"2025-{m:02d}") for m in range(1, 7)), p("2025-Q3")]
        assert tiling(p("2025"), candidates) == (p("2025-H1"), p("2025-Q3"))
        assert tiling(p("2025-H1"), candidates) == tuple(p(f"2025-{m:02d}")
                                                         for m in range(1, 7))
        overlapping = [p("2025-01..2025-08"), p("2025-H1"), p("2025-Q3")]
        assert tiling(p("2025"), overlapping) == (p("2025-H1"), p("2025-Q3"))
        assert tiling(p("2025"), [p("2024")]) == ()


# -- growth -----------------------------------------------------------------------------------


class TestGrowth:
    def test_change_against_both_levels(self) -> None:
        """$2.7bn against $2.1bn is a rise of 23.25%–34.15%, which holds 25%."""
        ledger = build(claim("a1", "a", "total", "2025", value="$2.7bn"),
                       claim("a2", "a", "total", "2024", value="$2.1bn"),
                       claim("a3", "a", "total", "2025", change="yoy", value="25%"))
        f = only(ledger, "growth")
        assert f.verdict == "consistent" and f.unit == "%"
        assert f.claims == ("a3", "a1", "a2")
        assert f.stated == iv("24.5", "25.5")
        assert f.explanation == (
            "total $2.7bn (Outlet A) for 2025 against total $2.1bn (Outlet A) for 2024 is a "
            "rise of 23.25%–34.15%, and Outlet A says total was up 25% year on year.")

    def test_a_qualifier_decides(self) -> None:
        """"nearly 30%" against an implied 30.18%–30.42%: conflict, unless read leniently."""
        ledger = build(claim("a1", "a", "total", "2025", value="$1.303bn"),
                       claim("b1", "b", "total", "2024", value="$1.000bn"),
                       claim("b2", "b", "total", "2025", change="yoy", value="nearly 30%"))
        f = only(ledger, "growth")
        assert f.verdict == "conflict" and f.depends_on_reading
        assert f.explanation == (
            "total $1.303bn (Outlet A) for 2025 against total $1.000bn (Outlet B) for 2024 "
            "is a rise of 30.18%–30.42%, but Outlet B says total was up nearly 30% year on "
            "year: 0.184–1.916 percentage points apart.")
        assert only(ledger, "growth", "strict").verdict == "conflict"
        lenient = only(ledger, "growth", "lenient")
        assert lenient.verdict == "consistent" and lenient.depends_on_reading
        about = build(claim("a1", "a", "total", "2025", value="$1.303bn"),
                      claim("b1", "b", "total", "2024", value="$1.000bn"),
                      claim("b2", "b", "total", "2025", change="yoy", value="about 30%"))
        assert only(about, "growth").verdict == "consistent"
        assert not only(about, "growth").depends_on_reading

    def test_touching_growth_is_consistent(self) -> None:
        """A change whose interval ends exactly where the implied one starts is consistent."""
        ledger = build(claim("a1", "a", "exports", "2025-09", value="$130m", low="$130m",
                             high="$130m"),
                       claim("a2", "a", "exports", "2024-09", value="$100m", low="$100m",
                             high="$100m"),
                       claim("a3", "a", "exports", "2025-09", change="yoy", value="nearly 30%"))
        f = only(ledger, "growth")
        assert f.implied == iv("30", "30") and f.stated == iv("28.5", "30")
        assert f.verdict == "consistent"

    def test_implied_prior(self) -> None:
        """With no prior claimed, the change's implied prior is reported as unverifiable."""
        ledger = build(claim("a1", "a", "exports", "2025-09", value="$228.1m"),
                       claim("a2", "a", "exports", "2025-09", change="yoy", value="30.75%"))
        f = only(ledger, "growth")
        assert f.verdict == "unverifiable"
        assert f.metric == "exports" and f.period == parse_period("2024-09")
        assert f.unit == "USD" and f.stated is None
        assert f.implied is not None
        assert Fraction(f.implied.low) <= Fraction(22805, 100) * 10**6 / Fraction(130755, 100000)
        assert f.explanation == (
            "exports $228.1m (Outlet A) for September 2025, up 30.75% year on year (Outlet A), "
            "implies $174.4m–$174.5m for September 2024, which no claim states.")

    def test_implied_current(self) -> None:
        """With only the prior claimed, the change implies the current value."""
        ledger = build(claim("a1", "a", "exports", "2024-09", value="$100m"),
                       claim("a2", "a", "exports", "2025-09", change="yoy", value="-5%"))
        f = only(ledger, "growth")
        assert f.verdict == "unverifiable" and f.period == parse_period("2025-09")
        assert f.implied == iv("94.0275e6", "95.9775e6")

    def test_nothing_to_hold_against(self) -> None:
        """A change with no level on either side says so."""
        ledger = build(claim("a1", "a", "exports", "2025-09", change="yoy", value="5%"))
        f = only(ledger, "growth")
        assert f.verdict == "unverifiable" and f.implied is None
        assert f.explanation == (
            "Outlet A says exports was up 5% year on year in September 2025, but the ledger "
            "has no exports for September 2025 or September 2024 to hold it against.")

    def test_chain_through_a_monthly_change(self) -> None:
        """A level and a month-on-month change give the previous month, for a yoy change."""
        ledger = build(
            claim("a1", "a", "exports", "2025-09", value="$150m"),
            claim("a2", "a", "exports", "2025-09", change="mom", value="50%"),
            claim("b1", "b", "exports", "2024-08", value="$110m"),
            claim("b2", "b", "exports", "2025-08", change="yoy", value="-20%"))
        # August 2025 = 150 / 1.5 = 100m; against 110m a year earlier: about -9%, not -20%
        f = next(f for f in findings(ledger, "growth") if f.claims[0] == "b2")
        assert f.verdict == "conflict"
        assert set(f.claims) == {"b2", "a1", "a2", "b1"}
        assert "for September 2025 before its change (up 50% on the month before" in (
            f.explanation)

    def test_parts_changes_give_the_wholes(self) -> None:
        """The seed's case: exports +33% to $1.05bn, imports +20% to $210m vs "nearly 30%"."""
        ledger = build(
            claim("c1", "a", "exports", "2025-H1", value="$1.05 billion"),
            claim("c2", "a", "exports", "2025-H1", change="yoy", value="33%"),
            claim("c3", "a", "imports", "2025-H1", value="$210 million"),
            claim("c4", "a", "imports", "2025-H1", change="yoy", value="20%"),
            claim("c5", "a", "total", "2025-H1", change="yoy", value="nearly 30%"))
        f = next(f for f in findings(ledger, "growth") if f.claims[0] == "c5")
        assert f.verdict == "conflict" and f.depends_on_reading
        assert f.claims == ("c5", "c1", "c2", "c3", "c4")
        assert f.implied is not None
        assert D("30.126") < f.implied.low < D("30.127")
        assert D("31.155") < f.implied.high < D("31.156")
        assert f.explanation == (
            "For 2025-H1, exports $1.05bn (Outlet A) up 33% (Outlet A) and imports $210m "
            "(Outlet A) up 20% (Outlet A) imply a rise of 30.12%–31.16% in total year on "
            "year, but Outlet A says up nearly 30%: 0.126–2.656 percentage points apart.")
        lenient = [f for f in findings(ledger, "growth", "lenient") if f.claims[0] == "c5"]
        assert lenient[0].verdict == "consistent"

    def test_weighted_growth_is_exact(self) -> None:
        """The parts' growth range holds every sampled value, and its ends are corners."""
        from nkledger._checks._rules import weighted_growth

        levels = [iv("1.045", "1.055"), iv("0.2095", "0.2105")]
        factors = [iv("1.325", "1.335"), iv("1.195", "1.205")]
        r = weighted_growth(levels, factors)
        assert r is not None

        def grow(xs: list[Fraction], rs: list[Fraction]) -> Fraction:
            return sum(xs) / sum(x / q for x, q in zip(xs, rs, strict=True))

        rng = random.Random(3)
        for _ in range(500):
            xs = [Fraction(x.low) + (Fraction(x.high) - Fraction(x.low)) * Fraction(
                rng.randint(0, 100), 100) for x in levels]
            rs = [Fraction(f.low) + (Fraction(f.high) - Fraction(f.low)) * Fraction(
                rng.randint(0, 100), 100) for f in factors]
            assert Fraction(r.low) <= grow(xs, rs) <= Fraction(r.high)
        corners = [[Fraction(v) for v in c]
                   for c in itertools.product(*((x.low, x.high) for x in levels))]
        lowest = min(grow(c, [Fraction(f.low) for f in factors]) for c in corners)
        highest = max(grow(c, [Fraction(f.high) for f in factors]) for c in corners)
        assert 0 <= lowest - Fraction(r.low) < Fraction(1, 10**30)
        assert 0 <= Fraction(r.high) - highest < Fraction(1, 10**30)

    def test_a_claimed_prior_of_another_release(self) -> None:
        """The implied base against a first release a year earlier is marked a revision."""
        ledger = build(
            source("early", "Early Wire", cites="China's customs", published="2024-07-20"),
            source("late", "Late Wire", cites="China customs", published="2025-07-18"),
            claim("e1", "early", "total", "2024-H1", value="$975.1m"),
            claim("l1", "late", "total", "2025-H1", value="$1.26bn"),
            claim("l2", "late", "total", "2025-H1", change="yoy", value="30.75%"))
        f = only(ledger, "growth")
        assert f.verdict == "conflict" and f.note == "revision"


# -- rank -------------------------------------------------------------------------------------


class TestRank:
    def test_a_ranked_part_still_reads_its_wholes(self) -> None:
        """A rank claim on a part does not hide the wholes above it from the parts check."""
        from nkledger._checks._context import Context

        months = [claim("h1", "a", "hair", "2025-03", value="$10m")]
        plain = Context(build(*months), "default")
        ranked = Context(build(*months, claim("r", "a", "hair", "2025-03",
                                              rank="highest of 2025")), "default")
        assert {"hair", "exports", "total"} <= plain._read_metrics
        assert ranked._read_metrics == plain._read_metrics

    def test_highest_refuted_by_a_higher_month(self) -> None:
        """A month certainly higher in the scope refutes "highest of 2025"."""
        ledger = build(claim("a1", "a", "exports", "2025-12", value="$257.4m"),
                       claim("a2", "a", "exports", "2025-12", rank="highest of 2025"),
                       claim("b1", "b", "exports", "2025-11", value="$260m"))
        f = only(ledger, "rank")
        assert f.verdict == "conflict"
        assert f.claims == ("a2", "a1", "b1")
        assert f.implied == Interval(D("259.5e6"), D("Infinity"))
        assert f.explanation == (
            "Outlet A calls exports $257.4m (Outlet A) for December 2025 the highest of 2025, "
            "but exports $260m (Outlet B) for November 2025 is higher: $2.05m–$3.15m apart.")

    def test_touching_is_consistent(self) -> None:
        """A rival that can at most equal the month does not refute "highest"."""
        ledger = build(claim("a1", "a", "exports", "2025-12", value="$257.4m"),
                       claim("a2", "a", "exports", "2025-12", rank="highest of 2025"),
                       claim("b1", "b", "exports", "2025-11", value="$257.5m"))
        f = only(ledger, "rank")
        assert f.verdict == "consistent"
        assert f.explanation == (
            "Outlet A calls exports $257.4m (Outlet A) for December 2025 the highest of 2025, "
            "and no month in range is certainly higher: the closest is exports $257.5m "
            "(Outlet B) for November 2025.")

    def test_out_of_scope_months_do_not_count(self) -> None:
        """A higher month outside the scope, or after publication, is not a rival."""
        ledger = build(
            source("p", "Paper", published="2025-11-20"),
            claim("a1", "p", "exports", "2025-10", value="$200m"),
            claim("a2", "p", "exports", "2025-10", rank="highest of 2025"),
            claim("b1", "b", "exports", "2024-11", value="$300m"),
            claim("b2", "b", "exports", "2025-12", value="$300m"))
        assert only(ledger, "rank").verdict == "unverifiable"

    def test_an_implied_month_is_a_rival(self) -> None:
        """A month implied by the total and one part counts too."""
        ledger = build(claim("a1", "a", "total", "2025-11", value="$281m"),
                       claim("a2", "a", "total", "2025-11", rank="highest since 2019-10"),
                       claim("b1", "b", "exports", "2025-09", value="$228.1m"),
                       claim("a3", "a", "imports", "2025-09", value="about $63.6m"))
        f = only(ledger, "rank")
        assert f.verdict == "conflict"
        assert f.claims == ("a2", "a1", "b1", "a3")
        assert "(= $288.47m–$294.93m) for September 2025 is higher" in f.explanation

    def test_since_itself_at_least_as_high(self) -> None:
        """"Highest since 2019-10" also says October 2019 was at least as high."""
        ledger = build(claim("a1", "a", "total", "2025-11", value="$281m"),
                       claim("a2", "a", "total", "2025-11", rank="highest since 2019-10"),
                       claim("b1", "b", "total", "2019-10", value="$250m"))
        found = findings(ledger, "rank")
        assert [(f.verdict, f.claims) for f in found] == [
            ("unverifiable", ("a2", "a1")), ("conflict", ("a2", "a1", "b1"))]
        assert found[1].explanation == (
            "Outlet A calls total $281m (Outlet A) for November 2025 the highest since "
            "October 2019, so October 2019 was at least as high; total $250m (Outlet B) for "
            "October 2019 is not: $30m–$32m apart.")

    def test_a_half_year_bounds_its_months(self) -> None:
        """A half-year of $1.05bn has a month of at least $174.2m: a $170m "highest" fails."""
        ledger = build(claim("a1", "a", "exports", "2025-07", value="$170m"),
                       claim("a2", "a", "exports", "2025-07", rank="highest of 2025"),
                       claim("b1", "b", "exports", "2025-H1", value="$1.05bn"))
        f = only(ledger, "rank")
        assert f.verdict == "conflict"
        assert f.explanation == (
            "Outlet A calls exports $170m (Outlet A) for July 2025 the highest of 2025, but "
            "the average month of 2025-H1 ($174.1m–$175.9m, from exports $1.05bn (Outlet B)) "
            "is higher: $3.666m–$6.334m apart.")

    def test_a_containing_total_bounds_the_month(self) -> None:
        """The highest month of a year is at least the year's average."""
        ledger = build(claim("a1", "a", "exports", "2025-12", value="$150m"),
                       claim("a2", "a", "exports", "2025-12", rank="highest of 2025"),
                       claim("b1", "b", "exports", "2025", value="$2.4bn"))
        assert only(ledger, "rank").verdict == "conflict"
        fine = build(claim("a1", "a", "exports", "2025-12", value="$250m"),
                     claim("a2", "a", "exports", "2025-12", rank="highest of 2025"),
                     claim("b1", "b", "exports", "2025", value="$2.4bn"))
        assert only(fine, "rank").verdict == "consistent"

    def test_lowest_and_record(self) -> None:
        """"Lowest" is refuted by a certainly lower month; "a record" by any earlier higher."""
        lowest = build(claim("a1", "a", "imports", "2025-11", value="$37.1m"),
                       claim("a2", "a", "imports", "2025-11", rank="lowest of 2025"),
                       claim("b1", "b", "imports", "2025-03", value="$30m"))
        f = only(lowest, "rank")
        assert f.verdict == "conflict" and f.implied == iv("0", "30.5e6")
        record = build(claim("a1", "a", "imports", "2025-11", value="$37.1m"),
                       claim("a2", "a", "imports", "2025-11", rank="a record"),
                       claim("b1", "b", "imports", "2013-03", value="$80m"),
                       claim("b2", "b", "imports", "2026-01", value="$90m"))
        f = only(record, "rank")
        assert f.verdict == "conflict" and f.claims == ("a2", "a1", "b1")

    def test_nothing_to_rank(self) -> None:
        """No level for the ranked month: unverifiable."""
        ledger = build(claim("a2", "a", "exports", "2025-12", rank="highest of 2025"),
                       claim("b1", "b", "exports", "2025-11", value="$260m"))
        f = only(ledger, "rank")
        assert f.verdict == "unverifiable"
        assert f.explanation == ("Outlet A calls exports for December 2025 the highest of "
                                 "2025, but the ledger has no exports for December 2025 to "
                                 "rank.")

    def test_first_decline(self) -> None:
        """A first decline needs a decline, and no certain one earlier in the scope."""
        base = [claim("a1", "a", "exports", "2025-08", rank="first decline of 2025")]
        fits = build(*base, claim("b1", "b", "exports", "2025-08", change="yoy", value="-3%"))
        f = only(fits, "rank")
        assert f.verdict == "consistent" and f.claims == ("a1", "b1")
        rose = build(*base, claim("b1", "b", "exports", "2025-08", value="$150m"),
                     claim("b2", "b", "exports", "2024-08", value="$140m"))
        f = only(rose, "rank")
        assert f.verdict == "conflict"
        assert f.explanation.startswith(
            "Outlet A calls August 2025 the first decline in exports of 2025 (year on year), "
            "but exports $150m (Outlet B) against exports $140m (Outlet B) for August 2024 is "
            "a rise of")
        earlier = build(*base, claim("b1", "b", "exports", "2025-03", change="yoy",
                                     value="-10%"))
        f = only(earlier, "rank")
        assert f.verdict == "conflict" and f.claims == ("a1", "b1")
        assert "an earlier decline" in f.explanation
        nothing = build(*base)
        assert only(nothing, "rank").verdict == "unverifiable"


# -- direction --------------------------------------------------------------------------------


class TestDirection:
    def test_levels_that_fall(self) -> None:
        """"Fell" against levels that fell is consistent, with the change shown."""
        ledger = build(claim("a1", "a", "total", "2025-09", value="$271m"),
                       claim("a2", "a", "total", "2025-10", value="$227m"),
                       claim("a3", "a", "total", "2025-10", change="mom", direction="down"))
        f = only(ledger, "direction")
        assert f.verdict == "consistent"
        assert f.claims == ("a3", "a2", "a1")
        assert f.explanation == (
            "Outlet A says total fell in October 2025 on the month before, and total $227m "
            "(Outlet A) against total $271m (Outlet A) for September 2025 is a fall of "
            "15.89%–16.58%, which fits.")

    def test_rose_against_a_fall(self) -> None:
        """"Rose" against levels that certainly fell is a conflict."""
        ledger = build(claim("a1", "a", "total", "2025-09", value="$271m"),
                       claim("b1", "b", "total", "2025-10", value="$227m"),
                       claim("b2", "b", "total", "2025-10", direction="up"))
        f = only(ledger, "direction")
        assert f.verdict == "conflict"
        assert f.explanation.endswith(", so it cannot have risen.")

    def test_overlapping_levels_cannot_refute(self) -> None:
        """Two rounded figures that overlap leave room for a rise."""
        ledger = build(claim("a1", "a", "total", "2025-09", value="$250m"),
                       claim("b1", "b", "total", "2025-10", value="$250m"),
                       claim("b2", "b", "total", "2025-10", direction="up"))
        assert only(ledger, "direction").verdict == "consistent"

    def test_touching_levels_refute_a_rise(self) -> None:
        """Levels that only touch admit no rise: their one shared value is no change."""
        ledger = build(claim("a1", "a", "total", "2025-09", value="$251m"),
                       claim("b1", "b", "total", "2025-10", value="$250m"),
                       claim("b2", "b", "total", "2025-10", direction="up"))
        # October [249.5, 250.5], September [250.5, 251.5]
        assert only(ledger, "direction").verdict == "conflict"
        down = build(claim("a1", "a", "total", "2025-09", value="$251m"),
                     claim("b1", "b", "total", "2025-10", value="$250m"),
                     claim("b2", "b", "total", "2025-10", direction="down"))
        assert only(down, "direction").verdict == "consistent"

    def test_stated_change(self) -> None:
        """A stated change with the same base is evidence; "0%" can still hide a rise."""
        ledger = build(claim("a1", "a", "imports", "2025-12", change="yoy", value="-2%"),
                       claim("b1", "b", "imports", "2025-12", change="yoy", direction="up"))
        f = only(ledger, "direction")
        assert f.verdict == "conflict" and f.implied == iv("-2.5", "-1.5")
        assert f.explanation == (
            "Outlet B says imports rose in December 2025 year on year, and Outlet A gives "
            "the change as down 2%, so it cannot have risen.")
        zero = build(claim("a1", "a", "imports", "2025-12", change="yoy", value="0%"),
                     claim("b1", "b", "imports", "2025-12", change="yoy", direction="up"))
        assert only(zero, "direction").verdict == "consistent"

    def test_nothing_to_hold_against(self) -> None:
        """A direction with no figures either side is unverifiable."""
        ledger = build(claim("a1", "a", "total", "2018", change="yoy", direction="down"))
        f = only(ledger, "direction")
        assert f.verdict == "unverifiable"
        assert f.explanation == ("Outlet A says total fell in 2018 year on year, but the "
                                 "ledger has no figures for 2018 and 2017 to hold it against.")


# -- parts ------------------------------------------------------------------------------------


class TestParts:
    def test_part_within_parent(self) -> None:
        """Hair exports below exports are consistent."""
        ledger = build(claim("a1", "a", "hair", "2025", value="$208.2m"),
                       claim("b1", "b", "exports", "2025", value="$2.2bn"))
        f = only(ledger, "parts")
        assert f.verdict == "consistent"
        assert f.implied == iv("0", "2.25e9")
        assert f.explanation == ("hair $208.2m (Outlet A) for 2025 does not exceed exports "
                                 "$2.2bn (Outlet B), which it is part of.")

    def test_part_above_parent(self) -> None:
        """A part above its parent is a conflict with the gap."""
        ledger = build(claim("a1", "a", "hair", "2025-09", value="$30m"),
                       claim("b1", "b", "exports", "2025-09", value="$20m"))
        f = only(ledger, "parts")
        assert f.verdict == "conflict"
        assert f.explanation.endswith("which it is part of: $9m–$11m apart.")

    def test_touching_parent(self) -> None:
        """A part that can at most equal its parent is consistent."""
        ledger = build(claim("a1", "a", "hair", "2025-09", value="$20.5m"),
                       claim("b1", "b", "exports", "2025-09", value="$20m"))
        assert only(ledger, "parts").verdict == "consistent"

    def test_grandparent_through_an_identity(self) -> None:
        """Without exports, hair is held against the total exports are part of."""
        ledger = build(claim("a1", "a", "hair", "2025", value="$208.2m"),
                       claim("b1", "b", "total", "2025", value="$150m"))
        f = only(ledger, "parts")
        assert f.verdict == "conflict" and f.claims == ("a1", "b1")

    def test_no_parent_known(self) -> None:
        """No parent figure for the period: unverifiable."""
        ledger = build(claim("a1", "a", "hair", "2025", value="$208.2m"))
        f = only(ledger, "parts")
        assert f.verdict == "unverifiable"
        assert f.explanation == ("hair $208.2m (Outlet A) for 2025, but the ledger has no "
                                 "exports and total for 2025 to hold it against.")


class TestPartChains:
    """Deep ``part_of`` chains: about one finding per part, and no conflict missed."""

    @staticmethod
    def chain(values: list[str | None]) -> Ledger:
        """m0 > m1 > ... each part_of the one before; values[i] is m{i}'s figure or None."""
        tables = ['[[metric]]\nid = "m0"\n']
        tables += [f'[[metric]]\nid = "m{i}"\npart_of = "m{i - 1}"\n'
                   for i in range(1, len(values))]
        tables.append('[[source]]\nid = "s"\noutlet = "S"\n')
        tables += [claim(f"c{i}", "s", f"m{i}", "2025-01", value=v)
                   for i, v in enumerate(values) if v is not None]
        return nkledger.loads("\n".join(tables))

    def test_consistent_chain_is_linear(self) -> None:
        """A falling chain of 300 gives one consistent finding per part, against its parent."""
        n = 300
        found = findings(self.chain([f"${n - i}m" for i in range(n)]), "parts")
        assert len(found) == n - 1
        assert all(f.verdict == "consistent" for f in found)
        assert {f.claims for f in found} == {(f"c{i}", f"c{i - 1}") for i in range(1, n)}

    def test_conflict_far_above_is_found(self) -> None:
        """A part fitting its parent but above a whole far up the chain is a conflict."""
        values: list[str | None] = ["$5m", *["$20m"] * 198, "$10m"]
        found = findings(self.chain(values), "parts")
        conflicts = {f.claims for f in found if f.verdict == "conflict"}
        # every part below the top exceeds m0's $5m; the nearest parent is always held too
        assert conflicts == {(f"c{i}", "c0") for i in range(1, 200)}
        assert ("c199", "c198") in {f.claims for f in found if f.verdict == "consistent"}
        assert len(found) == 199 + 198

    def test_gap_in_the_chain(self) -> None:
        """With the parents unknown, a part is held against the nearest whole with a figure."""
        values: list[str | None] = ["$100m", *[None] * 50, "$1m"]
        f = only(self.chain(values), "parts")
        assert f.claims == ("c51", "c0") and f.verdict == "consistent"

    def test_no_whole_known_names_the_nearest(self) -> None:
        """An unverifiable part of a long chain names its three nearest wholes, not all."""
        values: list[str | None] = [*[None] * 10, "$1m"]
        f = only(self.chain(values), "parts")
        assert f.verdict == "unverifiable"
        assert f.explanation == ("m10 $1m (S) for January 2025, but the ledger has no m9, m8, "
                                 "m7 or any whole above them for January 2025 to hold it "
                                 "against.")

    def test_a_thousand(self) -> None:
        """A chain of 1,000 parts is checked (a result, not a timing: see benchmarks/)."""
        n = 1000
        found = findings(self.chain([f"${n - i}m" for i in range(n)]), "parts")
        assert len(found) == n - 1


# -- run_checks ---------------------------------------------------------------------------------


SEPTEMBER = [claim("a1", "a", "exports", "2025-09", value="$120.5m"),
             claim("b1", "b", "imports", "2025-09", value="about $30.2m"),
             claim("b2", "b", "total", "2025-09", value="$140m"),
             claim("b3", "b", "total", "2025-09", direction="up"),
             claim("a2", "a", "total", "2025-08", value="$150m")]


class TestRunChecks:
    def test_registry_order(self) -> None:
        """The checks run in the documented order."""
        assert list(CHECKS) == ["agreement", "components", "aggregation", "growth", "rank",
                                "direction", "parts"]

    def test_findings_in_check_order(self) -> None:
        """Findings come grouped by check, in registry order."""
        found = run_checks(build(*SEPTEMBER))
        order = [f.check for f in found]
        assert order == sorted(order, key=list(CHECKS).index)
        assert {"components", "direction"} <= set(order)

    def test_only(self) -> None:
        """``only`` runs the named checks, in registry order whatever the order given."""
        ledger = build(*SEPTEMBER)
        found = run_checks(ledger, only=["direction", "components"])
        assert [(f.check, f.verdict) for f in found] == [("components", "conflict"),
                                                         ("direction", "conflict")]
        assert run_checks(ledger, only=[]) == ()

    def test_unknown_check_and_reading(self) -> None:
        """Unknown names are refused with the valid ones listed."""
        ledger = build(*SEPTEMBER)
        with pytest.raises(ValueError, match="unknown check 'agree'; expected some of "
                                             "agreement, components"):
            run_checks(ledger, only=["agree"])
        with pytest.raises(ValueError, match="reading must be one of default, strict"):
            run_checks(ledger, "loose")  # type: ignore[arg-type]

    def test_deterministic(self) -> None:
        """The same ledger gives the same findings, equal ledgers too."""
        assert run_checks(build(*SEPTEMBER)) == run_checks(build(*SEPTEMBER))

    def test_readings(self) -> None:
        """Each reading gives its own verdicts; depends_on_reading is the same in all."""
        ledger = build(claim("a1", "a", "imports", "2025-09", value="about $30m"),
                       claim("b1", "b", "imports", "2025-09", value="$32.5m"))
        verdicts = {r: run_checks(ledger, r)[0].verdict  # type: ignore[arg-type]
                    for r in ("strict", "default", "lenient")}
        assert verdicts == {"strict": "conflict", "default": "conflict",
                            "lenient": "consistent"}
        assert all(run_checks(ledger, r)[0].depends_on_reading  # type: ignore[arg-type]
                   for r in ("strict", "default", "lenient"))

    def test_empty_ledger(self) -> None:
        """No claims, no findings."""
        assert run_checks(Ledger()) == ()


# -- soundness ---------------------------------------------------------------------------------


def _half_up(value: Fraction, step: Fraction) -> Fraction:
    """*value* rounded half-up to a multiple of *step*."""
    units = value / step
    return (units.numerator * 2 + units.denominator) // (2 * units.denominator) * step


def _write(value: Fraction, decimals: int, draw: st.DrawFn, *, percent: bool = False,
           qualifiers: bool = True) -> str:
    """A figure correctly rounded from *value*, with a qualifier only where true.

    Amounts are written in millions with *decimals* places, percentages in percent.
    Qualifiers speak of the size ("down nearly 5%" is a fall of at most 5%), so the size
    is rounded and the sign put back.
    """
    scale = Fraction(1) if percent else Fraction(10**6)
    step = Fraction(1, 10**decimals)
    size = abs(value) / scale
    style = draw(st.sampled_from(["plain", "about", "nearly", "more than", "less than"])
                 if qualifiers else st.just("plain"))
    if style in ("nearly", "less than"):
        number = -(-size // step) * step  # rounded up: at most a step above the size
    elif style == "more than":
        number = (size // step) * step
    else:
        number = _half_up(size, step)
    text = f"{Decimal(number.numerator) / Decimal(number.denominator):.{decimals}f}"
    sign = "-" if value < 0 and number != 0 else ""
    words = "" if style == "plain" else f"{style} "
    if percent:
        return f"{words}{sign}{text}%"
    return f"{words}{sign}${text}m"


@st.composite
def truthful_ledgers(draw: st.DrawFn) -> Ledger:
    """Claims rounded correctly from one consistent set of true values, by several outlets.

    True monthly exports and imports (whole dollars, 2024–2025) with total = their sum
    and hair a part of exports. Outlets report the first halves of both years — months,
    quarters, halves, a span, sometimes the year — as levels, year-on-year and
    month-on-month changes (often with the two levels they compare), ranks within the
    half-year and directions, each true under the default reading. The window is small
    so that claims meet: most checks find something to hold each claim against.
    """
    first = 2024 * 12
    exports = draw(st.lists(st.integers(50_000_000, 300_000_000), min_size=24, max_size=24))
    imports = draw(st.lists(st.integers(1_000_000, 80_000_000), min_size=24, max_size=24))
    hair = [e * draw(st.integers(1, 40)) // 100 for e in exports]
    truth = {"exports": exports, "imports": imports,
             "total": [e + i for e, i in zip(exports, imports, strict=True)], "hair": hair}

    def value(metric: str, period: Period) -> Fraction:
        return Fraction(sum(truth[metric][o - first] for o in period.ordinals()))

    periods = [*(Period.month(y, m) for y in (2024, 2025) for m in range(1, 7)),
               *(parse_period(f"{y}-Q{q}") for y in (2024, 2025) for q in (1, 2)),
               parse_period("2024-H1"), parse_period("2025-H1"),
               parse_period("2025-01..2025-04"), parse_period("2025")]
    tables = [source(f"s{i}", f"Outlet {i}") for i in range(3)]
    count = 0

    def add(metric: str, period: Period, **fields: str) -> None:
        nonlocal count
        count += 1
        tables.append(claim(f"c{count}", f"s{draw(st.integers(0, 2))}", metric, str(period),
                            **fields))

    def level(metric: str, period: Period) -> None:
        add(metric, period, value=_write(value(metric, period), draw(st.integers(0, 2)), draw))

    for _ in range(draw(st.integers(3, 14))):
        metric = draw(st.sampled_from(["exports", "imports", "total", "hair"]))
        period = draw(st.sampled_from(periods))
        kind = draw(st.sampled_from(["level", "level", "change", "direction", "rank"]))
        now = value(metric, period)
        if kind == "level":
            level(metric, period)
            continue
        if kind in ("change", "direction"):
            comparison = draw(st.sampled_from(["yoy", "mom"]))
            base = period.previous() if comparison == "mom" else period.year_earlier()
            if base.first < first:
                continue
            prior = value(metric, base)
            if kind == "direction":
                if now != prior:
                    add(metric, period, change=comparison,
                        direction="up" if now > prior else "down")
            else:
                g = (now / prior - 1) * 100
                add(metric, period, change=comparison,
                    value=_write(g, draw(st.integers(0, 2)), draw, percent=True,
                                 qualifiers=draw(st.booleans())))
            if draw(st.booleans()):
                level(metric, period)
                level(metric, base)
            continue
        if not period.is_month:
            continue
        half = parse_period(f"{period.year}-H1")
        months = list(half.months())
        values = [value(metric, m) for m in months]
        if now == max(values):
            add(metric, period, rank=f"highest of {half}")
        elif now == min(values):
            add(metric, period, rank=f"lowest of {half}")
        elif period.year == 2025:
            downs = [m for m in months
                     if value(metric, m) < value(metric, m.year_earlier())]
            if downs and downs[0] == period:
                add(metric, period, change="yoy", rank=f"first decline of {half}")
        level(metric, period)
        for m in draw(st.lists(st.sampled_from(months), min_size=1, max_size=4, unique=True)):
            level(metric, m)
    return build(*tables)


class TestSoundness:
    @given(truthful_ledgers())
    def test_correct_rounding_never_conflicts(self, ledger: Ledger) -> None:
        """Claims rounded correctly from one set of true values never produce a conflict."""
        conflicts = [f.explanation for f in run_checks(ledger) if f.verdict == "conflict"]
        assert conflicts == []

    @given(truthful_ledgers())
    def test_lenient_never_conflicts_either(self, ledger: Ledger) -> None:
        """The lenient reading only widens intervals, so it finds no conflict either."""
        conflicts = [f.explanation for f in run_checks(ledger, "lenient")
                     if f.verdict == "conflict"]
        assert conflicts == []

    @settings(max_examples=25)
    @given(st.data())
    def test_strategies_consistent_ledgers(self, data: st.DataObject) -> None:
        """The strategies module's consistent ledgers pass every check."""
        from nkledger.strategies import consistent_ledgers

        ledger = data.draw(consistent_ledgers())
        conflicts = [f.explanation for f in run_checks(ledger) if f.verdict == "conflict"]
        assert conflicts == []

    @settings(max_examples=25)
    @given(st.data())
    def test_arbitrary_ledgers_never_crash(self, data: st.DataObject) -> None:
        """Any valid ledger can be checked under every reading; findings are well formed."""
        from nkledger.strategies import ledgers

        ledger = data.draw(ledgers(max_size=12))
        for reading in ("strict", "default", "lenient"):
            for f in run_checks(ledger, reading):  # type: ignore[arg-type]
                _well_formed(ledger, f)


def _well_formed(ledger: Ledger, f: Finding) -> None:
    """A finding names real claims, explains itself in one sentence, and its gap fits."""
    assert f.check in CHECKS
    assert f.claims and all(ledger.claim(c) for c in f.claims)
    assert len(set(f.claims)) == len(f.claims)
    assert f.explanation.endswith(".") and "\n" not in f.explanation
    if f.verdict == "conflict" and f.stated is not None and f.implied is not None:
        assert not f.stated.overlaps(f.implied)
    if f.verdict == "consistent" and f.stated is not None and f.implied is not None:
        assert f.stated.overlaps(f.implied)


# -- the seed ledger -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> Ledger:
    return nkledger.load(Path(__file__).resolve().parent.parent / "examples"
                         / "china_dprk_2025.toml")


def _conflicts(found: Iterable[Finding]) -> list[tuple[str, tuple[str, ...], bool]]:
    return [(f.check, f.claims, f.depends_on_reading) for f in found
            if f.verdict == "conflict"]


class TestSeed:
    def test_conflicts(self, seed: Ledger) -> None:
        """The seed's real disagreements, and nothing else, conflict by default."""
        assert _conflicts(run_checks(seed)) == [
            ("components", ("joongang-2025-09-total", "unnamed-sep-2025-09-exports",
                            "joongang-2025-09-imports"), False),
            ("growth", ("clashreport-2025-h1-total-yoy", "clashreport-2025-h1-exports",
                        "clashreport-2025-h1-exports-yoy", "clashreport-2025-h1-imports",
                        "clashreport-2025-h1-imports-yoy"), True),
            ("rank", ("joongang-2025-11-total-highest-since", "joongang-2025-11-total",
                      "unnamed-sep-2025-09-exports", "joongang-2025-09-imports"), False),
        ]

    def test_september(self, seed: Ledger) -> None:
        """September: $228.1m + about $63.6m is not JoongAng's $271m."""
        f = next(f for f in run_checks(seed, only=["components"]) if f.verdict == "conflict")
        assert f.explanation == (
            "For September 2025, cn_exports $228.1m (unnamed outlet [unnamed-2025-09-exports]) "
            "+ cn_imports about $63.6m (Korea JoongAng Daily) = $288.47m–$294.93m, but Korea "
            "JoongAng Daily gives the total as $271m: $16.97m–$24.43m apart.")

    def test_lenient_reading_clears_nearly_thirty(self, seed: Ledger) -> None:
        """Read leniently, "nearly 30%" admits 30.5% and the H1 chain is consistent."""
        assert [c[0] for c in _conflicts(run_checks(seed, "lenient"))] == ["components", "rank"]

    def test_annual_totals_agree(self, seed: Ledger) -> None:
        """$2.1bn in 2024, $2.7bn in 2025 and +25% are consistent."""
        f = next(f for f in run_checks(seed, only=["growth"])
                 if f.claims[0] == "reuters-credited-2025-total-yoy")
        assert f.verdict == "consistent"

    def test_rand_figure_left_out(self, seed: Ledger) -> None:
        """The rand conversion is reported once and used nowhere."""
        found = run_checks(seed)
        rand = [f for f in found if "reuters-credited-2025-total-rand" in f.claims]
        assert [(f.check, f.note) for f in rand] == [("agreement", "different currency")]

    def test_every_finding_well_formed(self, seed: Ledger) -> None:
        """Every seed finding is well formed under every reading."""
        for reading in ("strict", "default", "lenient"):
            for f in run_checks(seed, reading):  # type: ignore[arg-type]
                _well_formed(seed, f)



# -- signed metrics ------------------------------------------------------------------------------

SIGNED = """
[[metric]]
id = "cn_exports"

[[metric]]
id = "cn_imports"

[[metric]]
id = "balance"
sign = "any"

# balance = exports − imports, written with additions only: exports = balance + imports
[[identity]]
cn_exports = ["balance", "cn_imports"]

[[source]]
id = "a"
outlet = "Outlet A"

[[source]]
id = "b"
outlet = "Outlet B"
"""


def signed(*tables: str) -> Ledger:
    """A ledger with a signed balance = exports − imports, and the given claims."""
    return nkledger.loads(SIGNED + "\n".join(tables))


class TestSignedMetrics:
    def test_a_deficit_implied_by_the_claims_is_no_conflict(self) -> None:
        """Exports below imports imply a negative balance, which a signed metric may have."""
        ledger = signed(claim("x", "a", "cn_exports", "2025", value="$100m"),
                        claim("m", "b", "cn_imports", "2025", value="$150m"))
        found = run_checks(ledger)
        assert not [f.explanation for f in found if f.verdict == "conflict"]
        (f,) = [f for f in found if f.check == "components"]
        assert f.metric == "balance" and f.implied == iv("-51000000", "-49000000")
        assert "implies balance of -$51m to -$49m" in f.explanation
        report = nkledger.check(ledger)
        assert report.consistent and report.conflicts == ()
        (implied,) = [i for i in report.implied
                      if i.metric == "balance" and str(i.period) == "2025"]
        assert (implied.low, implied.high) == (D("-51e6"), D("-49e6"))

    def test_a_stated_deficit_fits(self) -> None:
        """A claimed deficit of $50m fits exports of $100m and imports of $150m."""
        ledger = signed(claim("x", "a", "cn_exports", "2025", value="$100m"),
                        claim("m", "b", "cn_imports", "2025", value="$150m"),
                        claim("d", "a", "balance", "2025", value="-$50m"))
        assert nkledger.check(ledger).consistent

    def test_a_wrong_deficit_conflicts(self) -> None:
        """A deficit of $80m does not fit exports of $100m and imports of $150m."""
        ledger = signed(claim("x", "a", "cn_exports", "2025", value="$100m"),
                        claim("m", "b", "cn_imports", "2025", value="$150m"),
                        claim("d", "a", "balance", "2025", value="-$80m"))
        report = nkledger.check(ledger)
        assert not report.consistent
        assert [c.as_set() for c in report.conflicts] == [{"x", "m", "d"}]

    def test_months_of_a_balance_may_be_negative(self) -> None:
        """A year's deficit and one month's deficit leave the rest of the year negative."""
        ledger = signed(claim("y", "a", "balance", "2025", value="-$50m"),
                        claim("j", "a", "balance", "2025-01", value="-$10m"))
        (f,) = findings(ledger, "aggregation")
        assert f.verdict == "consistent" and f.implied is not None and f.implied.high < 0
        assert nkledger.check(ledger).consistent

    def test_exports_still_cannot_be_negative(self) -> None:
        """A deficit larger than imports would need negative exports: a conflict."""
        ledger = signed(claim("m", "b", "cn_imports", "2025", value="$150m"),
                        claim("d", "a", "balance", "2025", value="-$200m"))
        (f,) = findings(ledger, "components")
        assert f.verdict == "conflict" and "below zero" in f.explanation
        assert not nkledger.check(ledger).consistent

    def test_a_part_of_a_signed_identity_may_exceed_the_whole(self) -> None:
        """Imports above exports are no conflict of parts: the balance takes the difference."""
        ledger = signed(claim("x", "a", "cn_exports", "2025-03", value="$100m"),
                        claim("m", "b", "cn_imports", "2025-03", value="$150m"))
        assert findings(ledger, "parts") == []


# -- the other readings, done cheaply -------------------------------------------------------


def _three_passes(ledger: Ledger, reading: str) -> tuple[Finding, ...]:
    """run_checks as it was first written: every rule under all three readings, in full."""
    import attrs

    from nkledger._checks._context import Context
    from nkledger.checks import _RULES

    found: list[Finding] = []
    contexts = {r: Context(ledger, r) for r in ("strict", "default", "lenient")}  # type: ignore[arg-type]
    for rule in _RULES.values():
        strict = {key: f.verdict for key, f in rule(contexts["strict"])}
        lenient = {key: f.verdict for key, f in rule(contexts["lenient"])}
        for key, f in rule(contexts[reading]):
            depends = strict.get(key, "unverifiable") != lenient.get(key, "unverifiable")
            found.append(attrs.evolve(f, depends_on_reading=depends))
    return tuple(found)


def _slots(ctx: object) -> dict[tuple[str, Period], list[tuple[object, ...]]]:
    estimates = ctx.estimates  # type: ignore[attr-defined]
    return {key: [(e.claims, e.interval, e.depth, e.links) for e in slot]
            for key, slot in estimates.items() if slot}


class TestReadings:
    @settings(max_examples=40)
    @given(truthful_ledgers(), st.sampled_from(["strict", "default", "lenient"]))
    def test_as_three_full_passes(self, ledger: Ledger, reading: str) -> None:
        """The findings are those of every rule run under all three readings in full."""
        assert run_checks(ledger, reading) == _three_passes(ledger, reading)  # type: ignore[arg-type]

    @settings(max_examples=25)
    @given(st.data())
    def test_arbitrary_ledgers_as_three_full_passes(self, data: st.DataObject) -> None:
        """Any valid ledger gets the findings of three full passes, under every reading."""
        from nkledger.strategies import ledgers

        ledger = data.draw(ledgers(max_size=12))
        reading = data.draw(st.sampled_from(["strict", "default", "lenient"]))
        assert run_checks(ledger, reading) == _three_passes(ledger, reading)  # type: ignore[arg-type]

    @settings(max_examples=40)
    @given(truthful_ledgers(), st.sampled_from(["strict", "lenient"]))
    def test_a_context_built_like_another_has_its_own_estimates(
            self, ledger: Ledger, reading: str) -> None:
        """Reusing the default context's estimates gives every slot what deriving it would."""
        from nkledger._checks._context import Context, sensitive_metrics

        metrics = sensitive_metrics(ledger)
        main = Context(ledger, "default", record=True)
        alike = Context(ledger, reading, metrics=metrics, words=False, like=main)  # type: ignore[arg-type]
        alone = Context(ledger, reading, metrics=metrics)  # type: ignore[arg-type]
        assert _slots(alike) == _slots(alone)
        assert {m: alike.periods_of(m) for m in metrics} == {
            m: alone.periods_of(m) for m in metrics}


def _written_late(ledger: Ledger, reading: str) -> tuple[Finding, ...]:
    """Every rule run to its end under a drafting context, and only then every word written."""
    from nkledger.checks import _RULES, _Readings

    readings = _Readings(ledger, reading, drafting=True)  # type: ignore[arg-type]
    main = readings.main
    assert isinstance(main, _rules.Drafting)
    try:
        made = [pair for rule in _RULES.values() for pair in list(readings.pairs(rule))]
        assert all(f.explanation == "" for _, f in made)
        found = tuple(_rules.written(f, main.drafts.pop(id(m))) for m, f in made)
        assert main.drafts == {}
    finally:
        readings.close()
    return found


def _cut_twice() -> Ledger:
    """A change with more pairs of levels and more combinations of its parts than are checked.

    Its two "cut" findings name the same check, claim and verdict and differ only in
    their words.
    """
    return nkledger.load(Path(__file__).resolve().parent / "ledgers" / "cut_twice.toml")


def _read(f: Finding) -> bool:
    """Whether a lean work item keeps *f*: in conflict, reading-dependent, or naming no claim."""
    return f.verdict == "conflict" or f.depends_on_reading or not f.claims


def _verdict_counts(found: Iterable[Finding]) -> dict[str, int]:
    from nkledger.findings import distinct

    counts: dict[str, int] = {}
    for f in distinct(found):
        counts[f.verdict] = counts.get(f.verdict, 0) + 1
    return counts


def _drafting_law(ledger: Ledger, reading: str) -> None:
    """Drafted words written late are the eager ones, and unwritten ones count the same."""
    eager = run_checks(ledger, reading)  # type: ignore[arg-type]
    assert _written_late(ledger, reading) == eager
    assert run_checks(ledger, reading, keep=lambda f: True) == eager  # type: ignore[arg-type]
    bare = run_checks(ledger, reading, keep=lambda f: False)  # type: ignore[arg-type]
    assert len(bare) == len(eager)
    unwritten = [f.explanation == "" for f in bare]
    for b, e, blank in zip(bare, eager, unwritten, strict=True):
        assert b == (attrs.evolve(e, explanation="") if blank else e)
    # words were written exactly where two findings are equal but for them
    blanked = [attrs.evolve(e, explanation="") for e in eager]
    assert [not blank for blank in unwritten] == [blanked.count(f) > 1 for f in blanked]
    assert _verdict_counts(bare) == _verdict_counts(eager)
    lean = run_checks(ledger, reading, keep=_read)  # type: ignore[arg-type]
    assert [f for f in lean if _read(f)] == [f for f in eager if _read(f)]
    assert (_verdict_counts(f for f in lean if not _read(f))
            == _verdict_counts(f for f in eager if not _read(f)))
    # the lean path proper: what it keeps, and its counts of the rest, never made
    kept, counts = run_lean(ledger, reading)  # type: ignore[arg-type]
    assert list(kept) == [f for f in eager if _read(f)]
    assert list(counts) == list(_verdict_counts(f for f in eager if not _read(f)).items())


class TestDraftedWords:
    def test_counted_twins_are_compared_on_every_other_field(self) -> None:
        """run_lean tells sketches apart by every field of a finding but those it groups by."""
        from nkledger import checks

        grouped = {"check", "verdict", "claims", "explanation", "depends_on_reading"}
        others = [a.name for a in attrs.fields(Finding) if a.name not in grouped]
        sample = Finding(check="agreement", verdict="consistent", claims=("a",),
                         explanation="", metric="m", unit="USD", note="n")
        assert checks._rest(sample) == tuple(getattr(sample, n) for n in others)

    """``run_checks(..., keep=...)`` writes the words of kept findings only, and the same words."""

    @settings(max_examples=40)
    @given(truthful_ledgers(), st.sampled_from(["strict", "default", "lenient"]))
    def test_truthful_ledgers(self, ledger: Ledger, reading: str) -> None:
        """On truthful ledgers, words written after every rule ended are the eager ones."""
        _drafting_law(ledger, reading)

    @settings(max_examples=40)
    @given(st.data())
    def test_arbitrary_ledgers(self, data: st.DataObject) -> None:
        """On any valid ledger, under every reading, drafted words are the eager ones."""
        from nkledger.strategies import ledgers

        ledger = data.draw(ledgers(max_size=12))
        for reading in ("strict", "default", "lenient"):
            _drafting_law(ledger, reading)

    @pytest.mark.parametrize("path", [
        Path(__file__).resolve().parent.parent / "examples" / "china_dprk_2025.toml",
        *sorted((Path(__file__).resolve().parent / "repros").glob("*.toml")),
        *sorted((Path(__file__).resolve().parent / "ledgers").glob("*.toml"))],
        ids=lambda p: p.stem)
    def test_seed_and_repros(self, path: Path) -> None:
        """The seed ledger and every repro and test ledger keep their words, every reading."""
        try:
            ledger = nkledger.load(path)
        except nkledger.InvalidLedgerError:
            pytest.skip("a repro of input the ledger refuses")
        for reading in ("strict", "default", "lenient"):
            _drafting_law(ledger, reading)

    def test_findings_equal_but_for_their_words_get_them(self) -> None:
        """Two dropped findings told apart only by their words get them, and count as two."""
        ledger = _cut_twice()
        cuts = [f for f in run_checks(ledger, keep=lambda f: f.note != "cut")
                if f.check == "growth" and f.note == "cut"]
        assert [f.explanation for f in cuts] == [
            "72 combinations of claims for the change g; only the first 64 were checked.",
            "81 combinations of claims for the parts of total behind g; only the first 64 "
            "were checked."]
        _drafting_law(ledger, "default")

    def test_named_checks_write_every_word(self) -> None:
        """The named checks and run_checks without *keep* explain every finding."""
        ledger = _cut_twice()
        assert all(f.explanation for f in run_checks(ledger))
        assert all(f.explanation for f in CHECKS["growth"](ledger, "default"))


class TestOtherReadings:
    """The strict and lenient passes skip what cannot differ, and still find the same."""

    def _ledger(self) -> Ledger:
        # "about" reads otherwise under every reading; the plain figures of the
        # price metric (its own independent part) read alike everywhere
        return build(
            claim("x", "a", "exports", "2025-03", value="about $100m"),
            claim("m", "b", "imports", "2025-03", value="$20m"),
            claim("t", "a", "total", "2025-03", value="$131m"),
            claim("g", "b", "exports", "2025-03", value="25%", change="yoy"),
            claim("x0", "b", "exports", "2024-03", value="$80m"),
            claim("x4", "a", "exports", "2025-04", value="$101m"),
            claim("m4", "b", "imports", "2025-04", value="$21m"),
            claim("t4", "a", "total", "2025-04", value="$122m"),
            claim("p1", "a", "price", "2025-03", value="$10.5"),
            claim("p2", "b", "price", "2025-03", value="$10.6"),
        )

    def test_only_parts_that_read_otherwise(self) -> None:
        """An other reading's context holds only the parts with a claim it reads otherwise."""
        from nkledger.checks import _Readings

        readings = _Readings(self._ledger(), "default")
        for other in ("strict", "lenient"):
            ctx = readings.others[other]
            assert ctx is not None
            assert {c.metric for c in ctx.claims} == {"exports", "imports", "total"}

    def test_questions_alike_are_replayed(self) -> None:
        """A question on claims and slots that read alike takes the main pass's keys."""
        from nkledger.checks import _Readings

        readings = _Readings(self._ledger(), "default")
        found = list(_rules.components(readings.main))
        ctx = readings.others["lenient"]
        assert ctx is not None
        members = ("total", "exports", "imports")
        april, march = parse_period("2025-04"), parse_period("2025-03")
        claims = [c for c in ctx.claims if c.period == april]
        keys = ctx.asked(("components", members, april), claims)
        assert keys == [key for key, f in found if set(key[1]) == {"x4", "m4", "t4"}]
        march_claims = [c for c in ctx.claims if c.period == march]
        assert ctx.asked(("components", members, march), march_claims) is None

    def test_the_findings_of_three_full_passes(self) -> None:
        """Skipping and replaying questions leaves the findings of three full passes."""
        ledger = self._ledger()
        for reading in ("strict", "default", "lenient"):
            assert run_checks(ledger, reading) == _three_passes(ledger, reading)  # type: ignore[arg-type]
            assert any(f.depends_on_reading for f in run_checks(ledger, reading))  # type: ignore[arg-type]

    def test_a_reading_like_this_one_builds_no_context(self) -> None:
        """When no claim reads otherwise under an other reading, it gets no context at all."""
        from nkledger.checks import _Readings

        # a whole number's trailing zeros are doubted only by the lenient reading
        ledger = build(claim("x", "a", "exports", "2025-03", value="$210m"),
                       claim("y", "b", "exports", "2025-03", value="$212m"))
        readings = _Readings(ledger, "default")
        assert readings.others["strict"] is None
        assert readings.others["lenient"] is not None
        assert run_checks(ledger, "default") == _three_passes(ledger, "default")
