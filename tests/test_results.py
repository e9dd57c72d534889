"""Conflict sets and repairs are sets of claim ids."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import nkledger
from nkledger import Conflict, Repair, strategies
from nkledger.ledger import Ledger


class TestClaimSets:
    def test_conflict_is_a_collection(self) -> None:
        """for, len and in work on a conflict set, and its claims are sorted once."""
        conflict = Conflict(claims=["c2", "c1"], readings=["default"])
        assert list(conflict) == ["c1", "c2"]
        assert len(conflict) == 2
        assert "c1" in conflict and "c3" not in conflict
        assert conflict.claims == ("c1", "c2")
        assert conflict == Conflict(claims=("c1", "c2"), readings=("default",))
        assert conflict.as_set() <= {"c1", "c2", "c3"}

    def test_repair_is_a_collection(self, root: Path) -> None:
        """A repair too, and a ledger drops it as it is."""
        ledger = nkledger.load(root / "examples" / "china_dprk_2025.toml")
        report = nkledger.check(ledger)
        best = report.repairs[0]
        assert isinstance(best, Repair)
        assert all(claim in best for claim in best)
        assert nkledger.check(ledger.without(best)).consistent


class TestOutletSummaries:
    """Counting by source at once gives what counting claim by claim gives."""

    @given(strategies.ledgers(max_size=10), st.data())
    def test_counts_are_claim_by_claim(self, ledger: Ledger, data: st.DataObject) -> None:
        """Each outlet's claims, and those in conflicts and in repairs, claim by claim."""
        from nkledger.results import outlet_summaries

        ids = [c.id for c in ledger.claims] + ["not-a-claim"]
        in_conflicts = data.draw(st.lists(st.sampled_from(ids), max_size=6))
        in_best = data.draw(st.sets(st.sampled_from(ids), max_size=6))
        labels: dict[str, list[str]] = {}
        for s in ledger.sources:
            labels.setdefault(s.label, []).append(s.id)
        careful = []
        for label, sources in labels.items():
            claims = [c.id for c in ledger.claims if c.source in sources]
            careful.append((label, tuple(sources), len(claims),
                            sum(c in in_conflicts for c in claims),
                            sum(c in in_best for c in claims)))
        got = outlet_summaries(ledger, in_conflicts, in_best)
        assert [(o.outlet, o.sources, o.claims, o.in_conflicts, o.in_repairs)
                for o in got] == careful
