"""Tests for the implied figures (nkledger.solver._implied): batched rounds vs one LP each."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from nkledger import parse_figure
from nkledger import strategies as nks
from nkledger.claims import Claim, Identity, Metric, Source, parse_change
from nkledger.constraints import compile_ledger
from nkledger.ledger import Ledger
from nkledger.periods import parse_period
from nkledger.solver import _implied
from nkledger.solver._implied import Bounds, ImpliedLp, Numbers, implied
from nkledger.solver._screen import holds

TRUTH = nks.truths(min_years=2, max_years=2, min_value="0.01", max_value="100000000000")


def careful(lp: ImpliedLp) -> dict[int, Bounds]:
    """Every quantity's least and greatest value, each from an LP of its own.

    The same rules as :func:`implied` (a bound that propagation finds and a solution
    reaches is that bound; a quantity propagation cannot bound is unbounded where the
    recession cone moves it), but no rounds, no weights and no sharing between sides or
    quantities: the slow path the batched one must agree with.
    """
    system = lp.numbers.system
    lo, hi = lp.propagate()
    cone = lp.rays()
    out: dict[int, Bounds] = {}
    for k, qs in zip(lp.components, lp.quantities, strict=True):
        scale = system.components[k].scale
        for q, c in qs:
            found: list[Decimal | None] = [None, None]
            for side, sign, bound in ((0, 1.0, lo[c]), (1, -1.0, hi[c])):
                cost = np.zeros(lp.ncols)
                cost[c] = sign
                if math.isinf(bound):
                    ray = cone.optimise(cost)
                    if ray is None or abs(float(ray[c])) > _implied._NOISE:
                        continue  # unbounded on this side
                x = lp.optimise(cost)
                assert x is not None
                value = float(bound) if (math.isfinite(bound) and abs(x[c] - bound)
                                         <= _implied._NOISE) else float(x[c])
                if abs(value) < _implied._UNBOUNDED:
                    found[side] = _implied._to_decimal(value, scale, up=side == 1)
            low, high = found
            if system.variables[system.quantities[q].variable].nonnegative:
                low = Decimal(0) if low is None or low < 0 else low
            out[q] = (low, high)
    return out


def _both(led: Ledger, off: frozenset[str] = frozenset()
          ) -> tuple[dict[int, Bounds], dict[int, Bounds]]:
    """The batched implied figures of all of *led* in one bundle, and the careful ones."""
    system = compile_ledger(led)
    every = [k for k, comp in enumerate(system.components) if comp.quantities]
    numbers = Numbers(system, [c.id for c in led.claims])
    notes: list[str] = []
    fast = ImpliedLp(numbers, every, box=True)
    fast.switch_off(off)
    slow = ImpliedLp(numbers, every, box=True)
    slow.switch_off(off)
    return implied(fast, notes), careful(slow)


class TestImplied:
    @settings(max_examples=25, deadline=None)
    @given(nks.consistent_ledgers(truth=TRUTH, min_size=3, max_size=14))
    def test_batched_rounds_equal_one_lp_per_quantity(self, led: Ledger) -> None:
        """Law: sides shared, weighted rounds give every figure one LP per figure gives."""
        fast, slow = _both(led)
        assert fast == slow

    @settings(max_examples=15, deadline=None)
    @given(nks.consistent_ledgers(truth=TRUTH, min_size=3, max_size=14), st.data())
    def test_with_claims_switched_off(self, led: Ledger, data: st.DataObject) -> None:
        """Law: the same with some claims left out, as under a repair."""
        ids = sorted(c.id for c in led.claims)
        off = frozenset(data.draw(st.lists(st.sampled_from(ids), max_size=3)))
        fast, slow = _both(led, off)
        assert fast == slow

    @settings(max_examples=20, deadline=None)
    @given(nks.consistent_ledgers(truth=TRUTH, min_size=3, max_size=14))
    def test_a_screen_lp_gives_the_figures_of_a_fresh_one(self, led: Ledger) -> None:
        """Law: the screen's LP, its rows restored and boxed, gives a fresh LP's figures."""
        system = compile_ledger(led)
        every = [k for k, comp in enumerate(system.components) if comp.rows]
        numbers = Numbers(system, [c.id for c in led.claims])
        kept: list[ImpliedLp] = []
        if not holds(numbers, every, kept=kept):
            assert kept == []
            return
        (screen,) = kept
        assert implied(screen.for_figures(), []) == implied(
            ImpliedLp(numbers, every, box=True), [])

    def test_many_parts_in_one_bundle(self) -> None:
        """Parts that settle their least values early maximise while others still minimise."""
        metrics, identities, claims = [], [], []
        for part in range(4):
            names = [f"p{part}_{m}" for m in ("exports", "imports", "total")]
            metrics += [Metric(id=n) for n in names]
            identities.append(Identity(whole=names[2], parts=tuple(names[:2])))
            for month in range(1, 4 + 3 * part):
                p = f"2025-{month:02d}"
                claims.append(_claim(f"{part}-e-{month}", names[0], p, f"${10 + month}m"))
                claims.append(_claim(f"{part}-t-{month}", names[2], p, f"${25 + month}m"))
            claims.append(_claim(f"{part}-y", names[1], f"2025-01..2025-{3 + 3 * part:02d}",
                                 f"${(3 + 3 * part) * 15}m"))
            claims.append(_claim(f"{part}-g", names[0], "2025-02", "9%", change="mom"))
        led = Ledger(metrics=tuple(metrics), identities=tuple(identities),
                     sources=(Source(id="s"),), claims=tuple(claims))
        fast, slow = _both(led)
        assert fast == slow
        assert any(low != high for low, high in fast.values())


def _claim(cid: str, metric: str, period: str, value: str, *, change: str | None = None
           ) -> Claim:
    """A claim built from the words a ledger file would hold."""
    return Claim(id=cid, source="s", metric=metric, period=parse_period(period),
                 quote=f"quote of {cid}", value=parse_figure(value),
                 change=None if change is None else parse_change(change))
