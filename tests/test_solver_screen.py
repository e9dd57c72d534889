"""Tests for the quick proof that bundles of parts hold (nkledger.solver._screen)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nkledger
from nkledger.claims import Claim, Identity, Metric, Source, parse_change
from nkledger.constraints import compile_ledger
from nkledger.ledger import Ledger
from nkledger.periods import parse_period
from nkledger.solver._feasibility import Model
from nkledger.solver._implied import Numbers
from nkledger.solver._screen import holds

ROOT = Path(__file__).parent.parent
METRICS = (Metric(id="exports"), Metric(id="imports"), Metric(id="total"))


def claim(cid: str, metric: str, period: str, value: str | None = None, *,
          change: str | None = None, direction: str | None = None) -> Claim:
    """A claim built from the words a ledger file would hold."""
    return Claim(id=cid, source="s", metric=metric, period=parse_period(period),
                 quote=f"quote of {cid}",
                 value=None if value is None else nkledger.parse_figure(value),
                 change=None if change is None else parse_change(change),
                 direction=direction)  # type: ignore[arg-type]


def ledger(*claims: Claim) -> Ledger:
    """A ledger of trade metrics (total = exports + imports) with the given claims."""
    return Ledger(metrics=METRICS, identities=(Identity(whole="total",
                                                        parts=("exports", "imports")),),
                  sources=(Source(id="s"),), claims=claims)


def _screen(led: Ledger) -> tuple[bool, bool | None]:
    """The quick proof's answer and the general model's, for all of *led* at once."""
    system = compile_ledger(led)
    every = [k for k, comp in enumerate(system.components) if comp.rows]
    numbers = Numbers(system, [c.id for c in led.claims])
    rep = {c.id: c.id for c in led.claims}
    quick = holds(numbers, every)
    verdict = Model(system, every, rep).solve()
    general = verdict.feasible if verdict.point() is not None or not verdict.feasible else None
    return quick, general


class TestHolds:
    def test_consistent_parts_are_shown_to_hold(self) -> None:
        """Months, their year, the identity and a growth rate that agree are proven at once."""
        led = ledger(
            claim("m1", "exports", "2025-01", "$10m"), claim("m2", "exports", "2025-02", "$12m"),
            claim("i1", "imports", "2025-01", "$5m"), claim("t1", "total", "2025-01", "$15m"),
            claim("y", "exports", "2025-01..2025-02", "$22m"),
            claim("g", "exports", "2025-02", "20%", change="mom"),
            claim("d", "imports", "2025-02", change="mom", direction="up"))
        assert _screen(led) == (True, True)

    def test_a_conflict_is_never_shown_to_hold(self) -> None:
        """Months that do not add up to their year are never shown to hold."""
        led = ledger(claim("m1", "exports", "2025-01", "$10m"),
                     claim("m2", "exports", "2025-02", "$12m"),
                     claim("y", "exports", "2025-01..2025-02", "$30m"))
        assert _screen(led) == (False, False)

    def test_strict_rows_are_met_strictly(self) -> None:
        """'Rose' from a month pinned to the same figure cannot hold: not shown to."""
        led = ledger(claim("a", "exports", "2025-01", "$10m"),
                     claim("b", "exports", "2025-02", "$10m"),
                     claim("c", "exports", "2025-02", change="mom", direction="up"))
        # the two rounding intervals overlap, so "up" can hold within them
        assert _screen(led) == (True, True)
        tight = ledger(claim("a", "exports", "2025-01", "$10m"),
                       claim("c", "exports", "2025-02", change="mom", direction="up"),
                       claim("d", "exports", "2025-02", change="mom", direction="down"))
        assert _screen(tight)[0] is False

    @pytest.mark.parametrize("name", ["examples/china_dprk_2025.toml",
                                      "benchmarks/connected_400.toml"])
    def test_files_agree_with_the_general_proof(self, name: str) -> None:
        """On the shipped ledgers a quick yes is always a general yes."""
        quick, general = _screen(nkledger.load(ROOT / name))
        assert not quick or general

    @settings(max_examples=25, deadline=None)
    @given(st.lists(st.integers(min_value=1, max_value=99), min_size=2, max_size=4),
           st.integers(min_value=-3, max_value=3))
    def test_a_quick_yes_is_a_general_yes(self, months: list[int], off: int) -> None:
        """Law: whenever the quick proof succeeds, the exact general model can hold too."""
        claims = [claim(f"m{i}", "exports", f"2025-{i + 1:02d}", f"${v}m")
                  for i, v in enumerate(months)]
        claims.append(claim("y", "exports", f"2025-01..2025-{len(months):02d}",
                            f"${sum(months) + off}m"))
        quick, general = _screen(ledger(*claims))
        assert not quick or general
        if off == 0:
            assert quick
