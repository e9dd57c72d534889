"""Tests for comment-keeping edits: byte-identical round trips, fmt, append, save."""

from __future__ import annotations

import tomllib
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nkledger
from nkledger.edit import Document, fmt, save
from nkledger.exceptions import InvalidLedgerError
from nkledger.strategies import ledgers

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "china_dprk_2025.toml"

SMALL = """\
# a ledger with comments everywhere

[[metric]]
id = "exports"  # China's exports

[[source]]
id = "a"
outlet = "A"

# claims of A
[[claim]]
id = "a1"
source = "a"
metric = "exports"
period = "2025-09"
value = "$228.1m"
quote = "exports were $228.1m"

# left out: "2019" - a year, not a figure


# ====
# second source
# ====

[[source]]
id = "b"

[[claim]]
id = "b1"
source = "b"
metric = "exports"
period = "2025-10"
value = "$200m"
quote = "exports were $200m"
"""


def comments(text: str) -> list[str]:
    """Every comment line of a text, in order."""
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


class TestDocument:
    def test_seed_round_trips_byte_for_byte(self) -> None:
        """Reading and writing the seed ledger gives back the same bytes, 95 comments kept."""
        text = SEED.read_text(encoding="utf-8")
        assert Document.parse(text).as_string() == text
        assert len(comments(text)) == 95

    def test_interleaved_tables_keep_their_order(self) -> None:
        """A source and its claims stay together, where tomlkit alone would regroup them."""
        doc = Document.parse(SMALL)
        assert [p.kind for p in doc.pieces] == [None, "metric", "source", "claim", "source",
                                               "claim"]
        assert doc.as_string() == SMALL

    def test_set_keeps_comments(self) -> None:
        """Setting a value changes that line only."""
        doc = Document.parse(SMALL)
        doc.set("claim", "a1", "value", "$228.2m")
        assert doc.as_string() == SMALL.replace('"$228.1m"', '"$228.2m"', 1)
        doc.set("claim", "a1", "value", None)
        assert 'value = "$228.2m"' not in doc.as_string()
        assert comments(doc.as_string()) == comments(SMALL)

    def test_append_goes_to_the_end_of_the_source_section(self) -> None:
        """New claims of a go after a's last claim, before the comments that follow it."""
        doc = Document.parse(SMALL)
        doc.append('[[claim]]\nid = "a2"\nsource = "a"\nmetric = "exports"\nperiod = "2025-08"'
                   '\nvalue = "$150m"\nquote = "$150m"\n', source="a")
        text = doc.as_string()
        assert text.index('id = "a2"') < text.index("# left out") < text.index('id = "b"')
        assert text.index('id = "a1"') < text.index('id = "a2"')
        assert comments(text) == comments(SMALL)
        assert len(nkledger.loads(text).claims) == 3
        assert fmt(text) == text

    def test_append_of_a_new_source_goes_to_the_end(self) -> None:
        """Tables of a source the file does not have go at the end of the file."""
        doc = Document.parse(SMALL)
        doc.append('[[source]]\nid = "c"\n')
        assert doc.as_string() == SMALL + '\n[[source]]\nid = "c"\n'

    def test_remove_keeps_the_comments_after(self) -> None:
        """Removing a claim keeps the comment lines that followed it."""
        doc = Document.parse(SMALL)
        doc.remove("claim", "a1")
        assert comments(doc.as_string()) == comments(SMALL)
        assert 'id = "a1"' not in doc.as_string()

    def test_brackets_inside_strings_are_not_tables(self) -> None:
        """A "[[claim]]" inside a quote or a multi-line string does not cut the file."""
        text = ('[[source]]\nid = "a"\nnote = """\n[[claim]]\n# not a comment\n"""\n'
                'title = "[[x]]"\n')
        doc = Document.parse(text)
        assert [p.kind for p in doc.pieces] == ["source"]
        assert fmt(text) == text

    def test_byte_order_mark_and_crlf_are_kept(self, tmp_path: Path) -> None:
        """A file with a BOM and Windows line endings saves back byte for byte."""
        path = tmp_path / "l.toml"
        path.write_bytes(b"\xef\xbb\xbf" + SMALL.replace("\n", "\r\n").encode())
        doc = Document.load(path)
        doc.save()
        assert path.read_bytes() == b"\xef\xbb\xbf" + SMALL.replace("\n", "\r\n").encode()
        save(nkledger.load(path), path)
        assert path.read_bytes() == b"\xef\xbb\xbf" + SMALL.replace("\n", "\r\n").encode()

    def test_bad_toml_is_refused(self) -> None:
        """Text that is not TOML is an InvalidLedgerError naming the origin."""
        with pytest.raises(InvalidLedgerError, match=r"t\.toml: not valid TOML"):
            Document.parse("[[claim]\n", origin="t.toml")


class TestFmt:
    def test_seed_is_in_fmt_form(self) -> None:
        """The shipped seed ledger is already formatted."""
        text = SEED.read_text(encoding="utf-8")
        assert fmt(text) == text

    def test_normalises_layout(self) -> None:
        """Spacing, indentation, blank runs and the final newline are made regular."""
        messy = ('\n\n# top\n[[source]]\n  id="a"   # the id\n\n\noutlet =   "A"   \n'
                 '[[source]]\nid = "b"\n\n\n\n\n# end')
        assert fmt(messy) == ('# top\n[[source]]\nid = "a"  # the id\noutlet = "A"\n\n'
                              '[[source]]\nid = "b"\n\n\n# end\n')

    def test_keeps_every_comment_and_value(self) -> None:
        """fmt never loses a comment nor changes what the file says."""
        text = SEED.read_text(encoding="utf-8").replace("\nid =", "\n   id   =")
        out = fmt(text)
        assert comments(out) == comments(text)
        assert tomllib.loads(out) == tomllib.loads(text)

    @given(st.lists(st.sampled_from([
        "", "   ", "# c", "  # indented comment", "[[source]]", '  id = "x"', 'outlet="O" # o',
        'title = "t"   ', 'note = """\n  kept  \n\n"""',
    ]), max_size=25))
    def test_fmt_is_idempotent_and_lossless(self, lines: list[str]) -> None:
        """fmt(fmt(x)) == fmt(x), with the same comments and data, for any layout."""
        text = "\n".join(_unique_ids(lines))
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            return
        once = fmt(text)
        assert fmt(once) == once
        assert tomllib.loads(once) == data
        assert comments(once) == [c for c in comments(text)]
        assert Document.parse(once).as_string() == once  # load -> save is byte-identical


def _unique_ids(lines: list[str]) -> list[str]:
    out, n, keys = [], 0, set()
    for line in lines:
        if line == "[[source]]":
            keys = set()
        key = line.strip().split("=")[0].strip() if "=" in line else None
        if key is not None:
            if key in keys:
                continue
            keys.add(key)
        if 'id = "x"' in line:
            n += 1
            line = line.replace('"x"', f'"x{n}"')
        out.append(line)
    return out


class TestSave:
    def test_unchanged_ledger_saves_byte_for_byte(self, tmp_path: Path) -> None:
        """Loading the seed and saving it back keeps the file as it was."""
        path = tmp_path / "seed.toml"
        path.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
        save(nkledger.load(path), path)
        assert path.read_text(encoding="utf-8") == SEED.read_text(encoding="utf-8")

    def test_edited_ledger_keeps_comments(self, tmp_path: Path) -> None:
        """A changed claim is changed in place, a new one joins its source's section."""
        path = tmp_path / "seed.toml"
        path.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
        ledger = nkledger.load(path)
        first = ledger.claims[0]
        changed = attrs.evolve(first, note="reviewed")
        extra = attrs.evolve(ledger.claims[1], id="extra-claim")
        edited = attrs.evolve(ledger, claims=[changed, extra, *ledger.claims[1:]])
        save(edited, path)
        text = path.read_text(encoding="utf-8")
        assert comments(text) == comments(SEED.read_text(encoding="utf-8"))
        assert nkledger.load(path) == attrs.evolve(
            edited, claims=[changed, *ledger.claims[1:16], extra, *ledger.claims[16:]])
        assert text.index('id = "extra-claim"') < text.index("# left out (no number): \"by far")

    @settings(max_examples=20)
    @given(ledgers(max_size=6))
    def test_load_then_save_is_byte_identical_in_fmt_form(
            self, tmp_path_factory: pytest.TempPathFactory, ledger: nkledger.Ledger) -> None:
        """For any ledger written in fmt form, load -> save leaves the file byte for byte."""
        path = tmp_path_factory.mktemp("save") / "l.toml"
        text = fmt(nkledger.dumps(ledger))
        path.write_text(text, encoding="utf-8")
        save(nkledger.load(path), path)
        assert path.read_text(encoding="utf-8") == text

    @settings(max_examples=10)
    @given(ledgers(max_size=4), ledgers(max_size=4))
    def test_saving_any_ledger_over_any_file_gives_that_ledger(
            self, tmp_path_factory: pytest.TempPathFactory, before: nkledger.Ledger,
            after: nkledger.Ledger) -> None:
        """Saving a ledger over another's file, comments kept, loads back as that ledger."""
        path = tmp_path_factory.mktemp("save") / "l.toml"
        path.write_text("# kept\n\n" + nkledger.dumps(before), encoding="utf-8")
        save(after, path)
        back = nkledger.load(path)
        for kind in ("metrics", "sources", "claims"):  # tables already there keep their place
            assert sorted(getattr(back, kind), key=lambda x: x.id) == sorted(
                getattr(after, kind), key=lambda x: x.id)
        assert set(back.identities) == set(after.identities)
        assert path.read_text(encoding="utf-8").startswith("# kept\n")

    def test_new_file_is_written_in_fmt_form(self, tmp_path: Path) -> None:
        """Saving to a new path writes the ledger in the house layout."""
        path = tmp_path / "new.toml"
        ledger = nkledger.load(SEED)
        save(ledger, path)
        text = path.read_text(encoding="utf-8")
        assert fmt(text) == text
        assert nkledger.load(path) == ledger
