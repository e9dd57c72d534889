"""Conflict sets and repairs are sets of claim ids."""

from __future__ import annotations

from pathlib import Path

import nkledger
from nkledger import Conflict, Repair


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
