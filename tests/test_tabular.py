"""Tests for claims as CSV: the round trip, and errors that name row and column."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given

import nkledger
from nkledger.exceptions import InvalidLedgerError
from nkledger.strategies import ledgers
from nkledger.tabular import COLUMNS, read_csv, write_csv

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "china_dprk_2025.toml"


def problems(text: str, ledger: nkledger.Ledger) -> list[str]:
    """The lines of the error a CSV text raises."""
    with pytest.raises(InvalidLedgerError) as info:
        read_csv(text, origin="c.csv", metrics=ledger.metrics, identities=ledger.identities)
    return [str(e) for e in info.value.exceptions]


def without_empty_texts(ledger: nkledger.Ledger) -> nkledger.Ledger:
    """The ledger with every empty optional text made absent: CSV cannot tell them apart."""
    def clean(item: Any) -> Any:
        empty = {f.name: None for f in attrs.fields(type(item))
                 if getattr(item, f.name) == "" and f.default is None}
        return attrs.evolve(item, **empty)

    return attrs.evolve(ledger, sources=[clean(s) for s in ledger.sources],
                        claims=[clean(c) for c in ledger.claims])


class TestRoundTrip:
    def test_seed_round_trips(self) -> None:
        """Exporting the seed ledger and importing it back gives the same ledger."""
        seed = nkledger.load(SEED)
        back = read_csv(write_csv(seed), metrics=seed.metrics, identities=seed.identities)
        assert back == seed

    @given(ledgers(max_size=8))
    def test_export_then_import_is_the_same_ledger(self, ledger: nkledger.Ledger) -> None:
        """What goes out as CSV comes back in unchanged, sources without claims included."""
        ledger = without_empty_texts(ledger)
        back = read_csv(write_csv(ledger), metrics=ledger.metrics, identities=ledger.identities)
        assert back == ledger

    def test_one_row_per_claim_with_its_source_beside_it(self) -> None:
        """Each row holds a claim's keys and its source's, prefixed source_."""
        seed = nkledger.load(SEED)
        rows = list(csv.DictReader(io.StringIO(write_csv(seed))))
        assert len(rows) == len(seed.claims)
        assert tuple(rows[0]) == COLUMNS
        assert rows[0]["source_published"] == "2026-01-20"


class TestErrors:
    def test_every_bad_cell_at_once(self) -> None:
        """Bad cells are reported together, each as file:row:column with the value."""
        seed = nkledger.load(SEED)
        text = write_csv(seed).splitlines()
        header = text[0].split(",")
        rows = list(csv.reader(io.StringIO("\n".join(text))))
        rows[1][header.index("period")] = "2025-13"
        rows[3][header.index("value")] = "$2.7 zillion"
        rows[4][header.index("metric")] = "nope"
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        assert problems(out.getvalue(), seed) == [
            "c.csv:2:4: claim 'reuters-credited-2025-total-rebounded': period: '2025-13': "
            "period '2025-13': month must be 01–12, got 13",
            "c.csv:4:6: claim 'reuters-credited-2025-total-yoy': value: '$2.7 zillion': figure "
            "'$2.7 zillion': cannot read 'zillion' after the number",
        ]

    def test_reference_errors_name_the_row(self) -> None:
        """An unknown metric, found once the rows are read, names its row."""
        seed = nkledger.load(SEED)
        rows = list(csv.reader(io.StringIO(write_csv(seed))))
        rows[5][COLUMNS.index("metric")] = "nope"
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        (line,) = problems(out.getvalue(), seed)
        assert line.startswith("c.csv:6: claim ") and "'nope'" in line

    def test_a_source_given_two_ways(self) -> None:
        """Two rows giving one source different fields is an error at the differing cell."""
        seed = nkledger.load(SEED)
        rows = list(csv.reader(io.StringIO(write_csv(seed))))
        rows[2][COLUMNS.index("source_outlet")] = "Other"
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        (line,) = problems(out.getvalue(), seed)
        assert line.startswith(f"c.csv:3:{COLUMNS.index('source_outlet') + 1}: ")
        assert "given differently in row 2" in line

    def test_unknown_and_missing_columns(self) -> None:
        """The header must name known columns and at least the claim's required keys."""
        assert problems("id,colour\n", nkledger.load(SEED)) == [
            f"c.csv:1: unknown column 'colour'; expected {', '.join(COLUMNS)}",
            "c.csv:1: column 'source' is missing", "c.csv:1: column 'metric' is missing",
            "c.csv:1: column 'period' is missing", "c.csv:1: column 'quote' is missing",
        ]
