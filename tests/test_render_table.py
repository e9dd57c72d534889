"""Tests for the text report's tables: the fast simple table is tabulate's, byte for byte."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tabulate import tabulate

from nkledger.render._text import simple_table

_CHARS = st.sampled_from([*"ab Z9$.–-_%(),", "\t", "\u00a0", "\u2028", "\n", "\x1b",
                          "名", "é", "\u200b"])
_CELLS = st.text(_CHARS, max_size=8)


def _careful(rows: list[list[str]], headers: list[str]) -> str:
    return tabulate(rows, headers, tablefmt="simple", disable_numparse=True)


class TestSimpleTable:
    @given(data=st.data(), columns=st.integers(1, 4))
    def test_same_as_tabulate(self, data: st.DataObject, columns: int) -> None:
        """Any table of strings comes out as tabulate writes it."""
        headers = data.draw(st.lists(_CELLS, min_size=columns, max_size=columns))
        rows = data.draw(st.lists(st.lists(_CELLS, min_size=columns, max_size=columns),
                                  max_size=6))
        assert simple_table(rows, headers) == _careful(rows, headers)

    def test_wide_characters_counted_go_to_tabulate(self, monkeypatch: pytest.MonkeyPatch
                                                    ) -> None:
        """Where tabulate counts wide characters (wcwidth), a table beyond ASCII is its."""
        import tabulate as module

        from nkledger.render import _text

        monkeypatch.setattr(module, "WIDE_CHARS_MODE", True)
        monkeypatch.setattr(_text, "tabulate", lambda *args, **kwargs: "tabulate's")
        assert simple_table([["名", "x"]], ["a", "b"]) == "tabulate's"
        assert simple_table([["ab", "x"]], ["a", "b"]) == "a    b\n---  ---\nab   x"

    def test_an_implied_figures_table(self) -> None:
        """The implied figures' table: ids, periods and ranges with an en dash."""
        rows = [["cn_exports", "2025-09", "$228.1m–$228.2m"], ["x", "2025-H1", "at least $6.5bn"]]
        headers = ["metric", "period", "implied"]
        assert simple_table(rows, headers) == _careful(rows, headers)


_OBJECTS = _CELLS | st.integers(-3, 30) | st.none() | st.sampled_from(["\x07bell", "a\x9bb"])


class TestTextTable:
    @given(data=st.data(), columns=st.integers(1, 3))
    def test_cells_taken_as_they_are_only_when_clean(self, data: st.DataObject,
                                                     columns: int) -> None:
        """A table is written as it is when every cell is clean text, else cell by cell."""
        from nkledger.render._text import TextDocument, clean

        headers = data.draw(st.lists(_CELLS, min_size=columns, max_size=columns))
        rows = data.draw(st.lists(st.lists(_OBJECTS, min_size=columns, max_size=columns),
                                  max_size=5))
        doc = TextDocument.__new__(TextDocument)
        doc.parts = []
        doc.table(headers, rows)
        cells = [[clean("" if c is None else str(c)) for c in row] for row in rows]
        expected = [simple_table(cells, [clean(h) for h in headers])] if rows else []
        assert doc.parts == expected
