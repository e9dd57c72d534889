"""Tests for nkledger.testing: assert_consistent and its failure message."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

import nkledger
from nkledger import strategies as nks
from nkledger.testing import assert_consistent

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
        """A conflict fails with the findings, conflict sets, repairs and quotes, one a line."""
        bad = ledger("$1.4bn")
        with pytest.raises(AssertionError) as info:
            assert_consistent(bad)
        # the explanation is the components check's own sentence
        (finding,) = nkledger.check(bad).conflicting
        assert str(info.value) == "\n".join([
            "the ledger's claims cannot all be true under the default reading: "
            "1 conflicting finding, 1 minimal conflict set",
            "conflicting findings:",
            f"  - components: wire-total, daily-exports, daily-imports: {finding.explanation}",
            "minimal conflict sets (the claims of each cannot all be true):",
            "  1. daily-exports, daily-imports, wire-total",
            "repairs (drop the claims of any one line and the rest can hold), best first:",
            "  1. drop daily-exports (weight 1)",
            "  2. drop daily-imports (weight 1)",
            "  3. drop wire-total (weight 1)",
            "claims involved:",
            "  wire-total (Example Wire): total 2025 '$2.7bn': "
            '"Two-way trade value in 2025 rose 25% from a year earlier to $2.7bn"',
            "  daily-exports (Example Daily): cn_exports 2025 '$2.3bn': "
            '"China\'s exports to the North were $2.3 billion last year"',
            "  daily-imports (Example Daily): cn_imports 2025 '$1.4bn': "
            '"while imports from the North reached $1.4bn"',
        ])

    def test_long_quotes_and_other_kinds(self) -> None:
        """Ranks and directions are named by what they state; long quotes are cut."""
        text = LEDGER + """
[[claim]]
id = "daily-exports-fell"
source = "daily"
metric = "cn_exports"
period = "2025"
change = "yoy"
direction = "down"
quote = "Exports fell.{pad}"

[[claim]]
id = "daily-exports-2024"
source = "daily"
metric = "cn_exports"
period = "2024"
value = "$2.1bn"
quote = "Exports were $2.1bn in 2024"
""".format(pad=" Very long." * 20)
        with pytest.raises(AssertionError) as info:
            assert_consistent(nkledger.loads(text))
        line = next(x for x in str(info.value).splitlines()
                    if x.startswith("  daily-exports-fell"))
        assert line.startswith("  daily-exports-fell (Example Daily): cn_exports 2025 "
                               'direction down change yoy: "Exports fell. Very long.')
        assert line.endswith('…"') and len(line) < 200

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

    # the joint analysis of a ledger with mistakes takes a few tenths of a second
    @settings(max_examples=min(20, settings.default.max_examples))
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
