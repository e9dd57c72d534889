"""Tests for nkledger.findings: what every check's verdict is made of."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from nkledger import strategies as nks
from nkledger.checks import run_checks
from nkledger.findings import distinct
from nkledger.ledger import Ledger


class TestDistinct:
    @given(nks.consistent_ledgers() | nks.corrupted_ledgers().map(lambda pair: pair[0]),
           st.randoms(use_true_random=False))
    def test_is_dict_fromkeys(self, ledger: Ledger, rnd: random.Random) -> None:
        """distinct() keeps the first of equal findings, in order, as dict.fromkeys does."""
        found = list(run_checks(ledger, "default"))
        doubled = found + found[: len(found) // 2]
        rnd.shuffle(doubled)
        assert distinct(doubled) == list(dict.fromkeys(doubled))
