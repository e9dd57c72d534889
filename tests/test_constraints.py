"""Tests for compiling a ledger into linear constraints."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings

from nkledger import strategies as nks
from nkledger.claims import Claim, Identity, Metric, Source, parse_change, parse_rank
from nkledger.constraints import Row, System, compile_ledger, compile_readings
from nkledger.figures import parse_figure
from nkledger.intervals import INF
from nkledger.ledger import Ledger
from nkledger.periods import Period, parse_period

M = Decimal(10) ** 6
METRICS = (
    Metric(id="exports"),
    Metric(id="imports"),
    Metric(id="total"),
    Metric(id="hair", part_of="exports"),
    Metric(id="price", unit="USD", aggregate=None),
)
TRADE = Identity(whole="total", parts=("exports", "imports"))


def claim(cid: str, metric: str, period: str, value: str | None = None, *,
          change: str | None = None, rank: str | None = None,
          direction: str | None = None, source: str = "s") -> Claim:
    """A claim built from the words a ledger file would hold."""
    p = parse_period(period)
    return Claim(id=cid, source=source, metric=metric, period=p, quote=f"quote of {cid}",
                 value=None if value is None else parse_figure(value),
                 change=None if change is None else parse_change(change),
                 rank=None if rank is None else parse_rank(rank, p),
                 direction=direction)  # type: ignore[arg-type]


def ledger(*claims: Claim, identities: tuple[Identity, ...] = (TRADE,)) -> Ledger:
    """A ledger of trade metrics with one source "s" and the given claims."""
    return Ledger(metrics=METRICS, identities=identities, sources=(Source(id="s"),),
                  claims=claims)


def var(system: System, metric: str, period: str) -> int:
    """The index of the variable of *metric* over *period*."""
    p = parse_period(period)
    for j, v in enumerate(system.variables):
        if v.metric == metric and v.period == p:
            return j
    raise AssertionError(f"no variable {metric} {period}")


def rows_of(system: System, claim_id: str) -> list[Row]:
    """The rows that encode one claim."""
    return [row for row in system.rows if row.claim == claim_id]


def terms(system: System, row: Row) -> dict[tuple[str, str], Decimal]:
    """A row's terms keyed by (metric, period) for readable assertions."""
    out = {}
    for j, coef in row.terms:
        v = system.variables[j]
        out[(v.metric, str(v.period))] = coef
    return out


class TestVariables:
    """Which unknowns a ledger has."""

    def test_month_level(self) -> None:
        """A monthly level gives that month a variable, closed across the identity."""
        s = compile_ledger(ledger(claim("a", "exports", "2025-09", "$228.1m")))
        names = {(v.metric, str(v.period)) for v in s.variables}
        assert names == {("exports", "2025-09"), ("imports", "2025-09"), ("total", "2025-09")}
        assert all(v.nonnegative for v in s.variables)

    def test_longer_period_is_sum_of_months(self) -> None:
        """A quarter gets its own variable and an aggregation row over its three months."""
        s = compile_ledger(ledger(claim("a", "imports", "2025-Q3", "$150m"),
                                  identities=()))
        q = var(s, "imports", "2025-Q3")
        aggregation = [r for r in s.rows if r.kind == "aggregate"]
        assert len(aggregation) == 1
        assert terms(s, aggregation[0]) == {
            ("imports", "2025-Q3"): 1, ("imports", "2025-07"): -1,
            ("imports", "2025-08"): -1, ("imports", "2025-09"): -1}
        assert (aggregation[0].low, aggregation[0].high) == (0, 0)
        assert rows_of(s, "a")[0].terms == ((q, Decimal(1)),)

    def test_metric_that_does_not_sum(self) -> None:
        """A metric that does not sum has one free variable per period, no months."""
        s = compile_ledger(ledger(claim("a", "price", "2025", "$12"),
                                  claim("b", "price", "2025-Q1", "$11")))
        assert [(v.metric, str(v.period), v.nonnegative) for v in s.variables] == [
            ("price", "2025-Q1", False), ("price", "2025", False)]
        assert not [r for r in s.rows if r.claim is None]

    def test_part_gives_parent_the_month(self) -> None:
        """A part's month gives its parent that month, and the part stays below it."""
        s = compile_ledger(ledger(claim("a", "hair", "2025-03", "$20m"), identities=()))
        part = [r for r in s.rows if r.kind == "part"]
        assert [terms(s, r) for r in part] == [{("hair", "2025-03"): 1,
                                                ("exports", "2025-03"): -1}]
        assert part[0].high == 0 and part[0].low == -INF


class TestClaimRows:
    """What each kind of claim becomes."""

    def test_level(self) -> None:
        """A level bounds its variable by the figure's interval under the reading."""
        s = compile_ledger(ledger(claim("a", "total", "2025-H1", "some $1.26 billion")))
        (row,) = rows_of(s, "a")
        assert row.kind == "level"
        assert (row.low, row.high) == (Decimal("1.197e9"), Decimal("1.323e9"))
        strict = compile_ledger(ledger(claim("a", "total", "2025-H1", "some $1.26 billion")),
                                "strict")
        assert (rows_of(strict, "a")[0].low, rows_of(strict, "a")[0].high) == (
            Decimal("1.255e9"), Decimal("1.265e9"))

    def test_open_level(self) -> None:
        """"More than" bounds one side only."""
        s = compile_ledger(ledger(claim("a", "total", "2013", "exceeded $6.5 billion")))
        (row,) = rows_of(s, "a")
        assert row.low == Decimal("6.5e9") and row.high == INF

    def test_other_currency_left_out(self) -> None:
        """A level in rand on a dollar metric is left out, with a note naming it."""
        s = compile_ledger(ledger(claim("a", "total", "2025", "$2.7bn"),
                                  claim("r", "total", "2025", "R44.2bn")))
        assert s.left_out == ("r",)
        assert not rows_of(s, "r")
        assert "R44.2bn" in s.notes[0] and "ZAR" in s.notes[0]
        assert all("r" not in c.claims for c in s.components)

    def test_change(self) -> None:
        """A growth rate bounds current against (1+g)·prior on both sides, prior > 0."""
        s = compile_ledger(ledger(claim("g", "exports", "2025-12", "21.2%", change="yoy")))
        growth = [r for r in rows_of(s, "g") if r.kind == "growth"]
        assert [terms(s, r) for r in growth] == [
            {("exports", "2024-12"): Decimal("-1.2115"), ("exports", "2025-12"): 1},
            {("exports", "2024-12"): Decimal("-1.2125"), ("exports", "2025-12"): 1}]
        assert (growth[0].low, growth[0].high) == (0, INF)
        assert (growth[1].low, growth[1].high) == (-INF, 0)
        (prior,) = [r for r in rows_of(s, "g") if r.kind == "prior"]
        assert terms(s, prior) == {("exports", "2024-12"): 1}
        assert prior.low == 0 and prior.open_low

    def test_change_against_named_period(self) -> None:
        """A change against a named period compares with that period."""
        s = compile_ledger(ledger(claim("d", "imports", "2025-11", change="2025-09",
                                        direction="down")))
        (row,) = rows_of(s, "d")
        assert terms(s, row) == {("imports", "2025-11"): 1, ("imports", "2025-09"): -1}
        assert row.high == 0 and row.open_high and row.low == -INF

    def test_direction_up(self) -> None:
        """"Rose" (against the month before by default) is a strict rise."""
        s = compile_ledger(ledger(claim("u", "total", "2025-11", direction="up")))
        (row,) = rows_of(s, "u")
        assert terms(s, row) == {("total", "2025-11"): 1, ("total", "2025-10"): -1}
        assert row.low == 0 and row.open_low and not row.open_high

    def test_rank_of_scope(self) -> None:
        """"Highest of 2025" puts every other month of 2025 at or below the claimed one."""
        s = compile_ledger(ledger(claim("h", "exports", "2025-12", rank="highest of 2025")))
        rows = rows_of(s, "h")
        assert len(rows) == 11
        assert {str(s.variables[j].period) for r in rows for j, c in r.terms if c == 1} == {
            f"2025-{m:02d}" for m in range(1, 12)}
        assert all(terms(s, r)[("exports", "2025-12")] == -1 and r.high == 0 for r in rows)

    def test_rank_lowest_mirrors(self) -> None:
        """"Lowest of" puts every other period at or above the claimed one."""
        s = compile_ledger(ledger(claim("l", "exports", "2025-Q2", rank="lowest of 2025")))
        rows = rows_of(s, "l")
        assert len(rows) == 3
        assert all(r.low == 0 and r.high == INF for r in rows)
        assert {str(s.variables[j].period) for r in rows for j, c in r.terms if c == 1} == {
            "2025-Q1", "2025-Q3", "2025-Q4"}

    def test_rank_since(self) -> None:
        """"Highest since X": months strictly between are below, X itself is above."""
        s = compile_ledger(ledger(claim("h", "total", "2025-11",
                                        rank="highest since 2025-06")))
        rows = rows_of(s, "h")
        back = [r for r in rows if terms(s, r).get(("total", "2025-06")) == 1]
        assert len(back) == 1 and back[0].low == 0 and back[0].high == INF
        between = [r for r in rows if r not in back]
        assert {str(s.variables[j].period) for r in between for j, c in r.terms if c == 1} == {
            "2025-07", "2025-08", "2025-09", "2025-10"}
        assert all(r.high == 0 for r in between)

    def test_rank_since_other_length(self) -> None:
        """When X has another length than the claim, only the periods after it count."""
        s = compile_ledger(ledger(claim("h", "total", "2025-03", rank="highest since 2024")))
        assert len(rows_of(s, "h")) == 2
        assert any("not a period of the same length" in n for n in s.notes)

    def test_rank_record(self) -> None:
        """"A record" compares with every month the system has for the metric."""
        s = compile_ledger(ledger(claim("r", "exports", "2025-06", rank="a record"),
                                  claim("a", "exports", "2025-01", "$10m"),
                                  claim("b", "exports", "2024-11", "$12m")))
        rows = rows_of(s, "r")
        assert {str(s.variables[j].period) for r in rows for j, c in r.terms if c == 1} == {
            "2024-11", "2025-01"}

    def test_rank_record_alone(self) -> None:
        """A record with nothing to compare with adds no row and says so."""
        s = compile_ledger(ledger(claim("r", "exports", "2025-06", rank="a record")))
        assert not rows_of(s, "r")
        assert any("knows no other period" in n for n in s.notes)

    def test_first_decline(self) -> None:
        """"First decline of 2025": this change < 0, every earlier change of 2025 ≥ 0."""
        s = compile_ledger(ledger(claim("f", "exports", "2025-03", change="yoy",
                                        rank="first decline of 2025")))
        rows = rows_of(s, "f")
        own = [r for r in rows if ("exports", "2025-03") in terms(s, r)]
        assert len(own) == 1
        assert terms(s, own[0]) == {("exports", "2025-03"): 1, ("exports", "2024-03"): -1}
        assert own[0].high == 0 and own[0].open_high
        earlier = [terms(s, r) for r in rows if r not in own]
        assert earlier == [{("exports", "2025-01"): 1, ("exports", "2024-01"): -1},
                           {("exports", "2025-02"): 1, ("exports", "2024-02"): -1}]
        assert all(r.low == 0 for r in rows if r not in own)

    def test_first_increase_mirrors(self) -> None:
        """"First increase of 2025": this change > 0, every earlier change ≤ 0."""
        s = compile_ledger(ledger(claim("f", "imports", "2025-02", change="mom",
                                        rank="first increase of 2025")))
        rows = rows_of(s, "f")
        assert rows[0].low == 0 and rows[0].open_low
        assert terms(s, rows[1]) == {("imports", "2025-01"): 1, ("imports", "2024-12"): -1}
        assert rows[1].high == 0


class TestComponents:
    """Independent parts of the ledger."""

    def test_independent_metrics_split(self) -> None:
        """Claims that share no unknown land in different components."""
        s = compile_ledger(ledger(claim("a", "exports", "2025-01", "$10m"),
                                  claim("b", "imports", "2025-03", "$5m"),
                                  claim("c", "price", "2025", "$3"),
                                  identities=()))
        assert sorted(c.claims for c in s.components) == [("a",), ("b",), ("c",)]

    def test_identity_joins(self) -> None:
        """An identity joins exports, imports and total of the same month."""
        s = compile_ledger(ledger(claim("a", "exports", "2025-01", "$10m"),
                                  claim("b", "imports", "2025-01", "$5m"),
                                  claim("t", "total", "2025-01", "$15m")))
        assert [c.claims for c in s.components] == [("a", "b", "t")]

    def test_aggregation_joins(self) -> None:
        """A year total joins the months inside it."""
        s = compile_ledger(ledger(claim("a", "exports", "2025-01", "$10m"),
                                  claim("y", "exports", "2025", "$150m"),
                                  claim("x", "exports", "2026-01", "$9m"), identities=()))
        assert sorted(c.claims for c in s.components) == [("a", "y"), ("x",)]

    def test_scale(self) -> None:
        """A component's scale puts its largest finite bound in [100, 1000) units."""
        s = compile_ledger(ledger(claim("a", "exports", "2025", "$2.7bn"),
                                  claim("b", "imports", "2026-02", "$52.7m"), identities=()))
        scales = {c.claims: c.scale for c in s.components}
        assert scales == {("a",): Decimal("1E+7"), ("b",): Decimal("1E+5")}

    def test_every_row_and_claim_in_one_component(self) -> None:
        """Components partition the rows and the claims in the system."""
        s = compile_ledger(ledger(claim("a", "exports", "2025-12", "$257.4m"),
                                  claim("g", "exports", "2025-12", "21.2%", change="yoy"),
                                  claim("h", "exports", "2025-12", rank="highest of 2025"),
                                  claim("t", "total", "2025", "$2.7bn"),
                                  claim("p", "hair", "2025", "$208.2m"),
                                  claim("z", "imports", "2019-10", "$1m")))
        rows = sorted(i for c in s.components for i in c.rows)
        assert rows == list(range(len(s.rows)))
        assert sorted(x for c in s.components for x in c.claims) == ["a", "g", "h", "p", "t",
                                                                     "z"]


class TestQuantities:
    """What the implied figures cover."""

    def test_claimed_base_and_months(self) -> None:
        """Claimed and base periods, their months, carried across the identity."""
        s = compile_ledger(ledger(claim("g", "total", "2025-H1", "30%", change="yoy")))
        got = {(q.metric, str(q.period)) for q in s.quantities}
        for metric in ("exports", "imports", "total"):
            for year in (2024, 2025):
                assert (metric, f"{year}-H1") in got
                assert all((metric, f"{year}-{m:02d}") in got for m in range(1, 7))
        assert len(got) == 3 * 2 * 7

    def test_reported(self) -> None:
        """A quantity is reported when a level claim names exactly it."""
        s = compile_ledger(ledger(claim("a", "total", "2025-11", "$281m"),
                                  claim("u", "total", "2025-11", direction="up")))
        reported = {(q.metric, str(q.period)): q.reported for q in s.quantities}
        assert reported[("total", "2025-11")]
        assert not reported[("total", "2025-10")]
        assert not reported[("exports", "2025-11")]

    def test_rank_scope_months_not_quantities(self) -> None:
        """Months a rank only compares with are variables, not quantities."""
        s = compile_ledger(ledger(claim("h", "total", "2025-11",
                                        rank="highest since 2019-10")))
        got = {(q.metric, str(q.period)) for q in s.quantities}
        assert ("total", "2019-10") in got and ("total", "2025-11") in got
        assert ("total", "2022-05") not in got
        assert any(v.period == Period.month(2022, 5) for v in s.variables)


    def test_long_span_months_not_quantities(self) -> None:
        """Months inside a span of three years or more are variables, not quantities."""
        s = compile_ledger(ledger(claim("long", "total", "1825-01..2025-12", "$500bn"),
                                  claim("m", "total", "2025-03", "$1m")))
        got = {(q.metric, str(q.period)) for q in s.quantities}
        spans = {(m, "1825-01..2025-12") for m in ("exports", "imports", "total")}
        months = {(m, "2025-03") for m in ("exports", "imports", "total")}
        assert got == spans | months
        months_of_total = [v for v in s.variables if v.metric == "total" and v.period.is_month]
        assert len(months_of_total) == 201 * 12

    def test_shorter_span_months_are_quantities(self) -> None:
        """A span just under three years still gives each of its months."""
        s = compile_ledger(ledger(claim("t", "total", "2023-02..2025-12", "$5bn")))
        got = {(q.metric, str(q.period)) for q in s.quantities if q.metric == "total"}
        assert len(got) == 1 + 35


class TestReadings:
    """Several readings compiled together."""

    def test_shared_rows(self) -> None:
        """Rows that do not depend on the reading are the same objects in every system."""
        systems = compile_readings(ledger(claim("a", "total", "2025-H1", "some $1.26bn"),
                                          claim("d", "total", "2025-H1", direction="up")))
        default, strict, lenient = (systems[r] for r in ("default", "strict", "lenient"))
        assert default.components is strict.components or (
            default.components == strict.components)
        for i, row in enumerate(default.rows):
            if row.claim == "a":
                assert row != strict.rows[i] and row != lenient.rows[i]
            else:
                assert row is strict.rows[i] is lenient.rows[i]

    def test_unknown_reading(self) -> None:
        """An unknown reading is refused."""
        with pytest.raises(ValueError, match="reading"):
            compile_readings(ledger(), ("sloppy",))  # type: ignore[arg-type]

    def test_compile_ledger_is_one_reading(self) -> None:
        """compile_ledger gives the same system as compile_readings for that reading."""
        led = ledger(claim("a", "total", "2025", "$2.7bn"),
                     claim("g", "total", "2025", "25%", change="yoy"))
        assert compile_ledger(led, "lenient") == compile_readings(led)["lenient"]


class TestScale:
    """A component's scale comes from its largest finite bound under any reading."""

    @settings(max_examples=30, deadline=None)
    @given(nks.consistent_ledgers(min_size=2, max_size=12))
    def test_scale_is_that_of_the_largest_bound_of_any_row(self, led: Ledger) -> None:
        """Law: the scale of the level claims' intervals is that of every row's bounds."""
        from nkledger.constraints import _scale

        systems = compile_readings(led)
        for k, comp in enumerate(systems["default"].components):
            bounds = [abs(b) for s in systems.values() for i in comp.rows
                      for b in (s.rows[i].low, s.rows[i].high) if b.is_finite()]
            assert comp.scale == _scale(max(bounds, default=Decimal(0))), k
