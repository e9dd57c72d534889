"""Tests for nkledger.testing: assert_consistent and its failure message."""

from __future__ import annotations

import importlib.util

import pytest
from hypothesis import given

import nkledger
from nkledger import strategies as nks
from nkledger.testing import assert_consistent

pytestmark = pytest.mark.skipif(
    not all(importlib.util.find_spec(f"nkledger.{m}") for m in ("checks", "solver")),
    reason="assert_consistent runs nkledger.check, which needs nkledger.checks and "
           "nkledger.solver, not written yet",
)

LEDGER = """
[[metric]]
id = "cn_exports"
unit = "USD"
aggregate = "sum"

[[metric]]
id = "cn_imports"
unit = "USD"
aggregate = "sum"

[[metric]]
id = "total"
unit = "USD"
aggregate = "sum"

[[identity]]
total = ["cn_exports", "cn_imports"]

[[source]]
id = "wire"
outlet = "Example Wire"

[[source]]
id = "daily"
outlet = "Example Daily"

[[claim]]
id = "wire-total"
source = "wire"
metric = "total"
period = "2025"
value = "$2.7bn"
quote = "Two-way trade value in 2025 rose 25% from a year earlier to $2.7bn"

[[claim]]
id = "daily-exports"
source = "daily"
metric = "cn_exports"
period = "2025"
value = "$2.3bn"
quote = "China's exports to the North were $2.3 billion last year"
"""

IMPORTS = """
[[claim]]
id = "daily-imports"
source = "daily"
metric = "cn_imports"
period = "2025"
value = "{value}"
quote = "while imports from the North reached {value}"
"""


def ledger(imports: str) -> nkledger.Ledger:
    return nkledger.loads(LEDGER + IMPORTS.format(value=imports))


class TestAssertConsistent:
    def test_passes(self) -> None:
        """A ledger whose claims can all hold passes silently."""
        assert_consistent(ledger("$0.4bn"))

    def test_fails_with_a_readable_message(self) -> None:
        """A conflict fails with the conflict sets, the repairs and the claims' quotes."""
        with pytest.raises(AssertionError) as info:
            assert_consistent(ledger("$1.4bn"))
        message = str(info.value)
        assert message.startswith(
            "the ledger's claims cannot all be true under the default reading:")
        assert "minimal conflict sets (the claims of each cannot all be true):" in message
        assert "1. daily-exports, daily-imports, wire-total" in message or (
            "1. wire-total" in message)
        assert "repairs (drop the claims of any one line and the rest can hold)" in message
        assert "wire-total (Example Wire): total 2025 '$2.7bn': " in message
        assert '"Two-way trade value in 2025 rose 25% from a year earlier to $2.7bn"' in message
        assert "daily-imports (Example Daily): cn_imports 2025 '$1.4bn'" in message

    def test_reading(self) -> None:
        """The reading is passed on, and named in the message."""
        with pytest.raises(AssertionError, match="under the lenient reading"):
            assert_consistent(ledger("$1.4bn"), reading="lenient")
        with pytest.raises(ValueError, match="reading"):
            assert_consistent(ledger("$0.4bn"), reading="loose")  # type: ignore[arg-type]

    @given(nks.consistent_ledgers())
    def test_consistent_ledgers_pass(self, ledger: nkledger.Ledger) -> None:
        """Every consistent ledger passes."""
        assert_consistent(ledger)

    @given(nks.corrupted_ledgers(max_size=4))
    def test_corrupted_ledgers_fail_naming_each_mistake(
        self, pair: tuple[nkledger.Ledger, frozenset[str]]
    ) -> None:
        """Every corrupted ledger fails, and the message names each corrupted claim."""
        ledger, corrupted = pair
        with pytest.raises(AssertionError) as info:
            assert_consistent(ledger)
        for ident in corrupted:
            assert f"{ident} (" in str(info.value)
