"""Tests for reading and writing ledger files: the DESIGN.md contract, errors, round trips."""

from __future__ import annotations

import math
import os
import stat
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import nkledger
from nkledger import io
from nkledger.claims import Claim, Identity, Metric, Source, parse_rank
from nkledger.exceptions import InvalidEntryError, InvalidLedgerError, LedgerError
from nkledger.figures import QUALIFIERS, parse_figure
from nkledger.io import dumps, load, loads, save
from nkledger.ledger import Ledger
from nkledger.periods import Period, parse_period

HEAD = '''\
[[metric]]
id = "total"

[[metric]]
id = "share"
unit = "%"
aggregate = "none"

[[source]]
id = "wire"
outlet = "Example Wire"
'''


def problems(text: str) -> list[str]:
    """The one-line problems of a ledger text read as ``t.toml``."""
    with pytest.raises(InvalidLedgerError) as info:
        loads(text, origin="t.toml")
    lines = str(info.value).splitlines()
    assert lines[0] == f"t.toml: {len(lines) - 1} problem{'s' if len(lines) > 2 else ''} found"
    assert len(info.value.exceptions) == len(lines) - 1
    return [line.strip() for line in lines[1:]]


class TestContract:
    """The DESIGN.md example is read verbatim."""

    def test_design_example(self, root: Path) -> None:
        """Every metric, identity, source and claim of the contract example is read."""
        book = load(root / "tests" / "design_example.toml")
        assert [m.id for m in book.metrics] == ["cn_exports", "cn_imports", "total",
                                                 "cn_exports_hair"]
        assert book.metric("cn_exports").description == "China's exports to North Korea"
        assert all(m.unit == "USD" and m.sums for m in book.metrics)
        assert book.metric("cn_exports_hair").part_of == "cn_exports"
        assert book.children("cn_exports") == (book.metric("cn_exports_hair"),)
        assert book.identities == (Identity(whole="total", parts=("cn_exports", "cn_imports")),)
        assert book.sources == (Source(
            id="example-wire-2026-01-20", outlet="Example Wire", published=date(2026, 1, 20),
            title="Trade rebounds", url="https://example.org/trade",
            cites="China General Administration of Customs"),)
        total, yoy, highest, up = book.claims
        assert (total.kind, total.metric, total.period) == ("level", "total",
                                                           parse_period("2025"))
        assert total.value == parse_figure("$2.7bn")
        assert total.quote == ("Two-way trade value in 2025 rose 25% from a year earlier "
                               "to $2.7bn")
        assert (yoy.kind, yoy.change, yoy.value) == ("change", "yoy", parse_figure("25%"))
        assert (highest.kind, highest.period) == ("rank", parse_period("2025-12"))
        assert highest.rank == parse_rank("highest of 2025", parse_period("2025-12"))
        assert highest.quote == "... to $257.4m, the highest monthly level of 2025."
        assert (up.kind, up.direction, up.change, up.metric) == ("direction", "up", "yoy",
                                                                 "cn_imports")
        assert book.origin == str(root / "tests" / "design_example.toml")

    def test_claim_lines(self, root: Path) -> None:
        """Each claim remembers the line of its ``[[claim]]`` header."""
        path = root / "tests" / "design_example.toml"
        lines = path.read_text(encoding="utf-8").splitlines()
        for claim in load(path):
            assert claim.line is not None
            assert lines[claim.line - 1] == "[[claim]]"
            assert lines[claim.line] == f'id = "{claim.id}"'

    def test_seed(self, root: Path) -> None:
        """The seed ledger loads whole: 41 claims, the rand figure kept as rand."""
        book = load(root / "examples" / "china_dprk_2025.toml")
        assert len(book) == 41
        rand = book.claim("reuters-credited-2025-total-rand")
        assert rand.value is not None and rand.value.unit == "ZAR"
        assert {c.kind for c in book} == {"level", "change", "rank", "direction"}

    @pytest.mark.parametrize("name", ["tests/design_example.toml",
                                      "examples/china_dprk_2025.toml"])
    def test_examples_round_trip(self, root: Path, name: str) -> None:
        """The shipped ledgers survive dumps and loads unchanged."""
        book = load(root / name)
        text = dumps(book)
        assert loads(text) == book
        assert dumps(loads(text)) == text

    def test_package_exports(self) -> None:
        """``nkledger.load``, ``loads``, ``dumps`` and ``save`` are the io functions."""
        assert (nkledger.load, nkledger.loads, nkledger.dumps, nkledger.save) == (
            load, loads, dumps, save)


class TestReading:
    """What the reader accepts beyond the contract."""

    def test_defaults(self) -> None:
        """A metric without unit or aggregate is a dollar flow, like ``Metric(id=...)``."""
        book = loads('[[metric]]\nid = "total"\n')
        assert book.metrics == (Metric(id="total"),)

    def test_not_summing(self) -> None:
        """``aggregate = "none"`` makes a metric that does not sum."""
        assert not loads(HEAD).metric("share").sums

    def test_signed_metric(self) -> None:
        """``sign = "any"`` lets a flow be negative (a balance), and is written back."""
        book = loads('[[metric]]\nid = "balance"\nsign = "any"\n[[metric]]\nid = "x"\n')
        assert book.metric("balance").sign == "any" and not book.metric("balance").nonnegative
        assert book.metric("x").nonnegative
        text = dumps(book)
        assert text.count("sign = ") == 1 and 'sign = "any"' in text
        assert loads(text) == book

    def test_bad_sign(self) -> None:
        """A sign other than "any" or "nonnegative" is refused, naming the line."""
        with pytest.raises(InvalidLedgerError) as info:
            loads('[[metric]]\nid = "b"\nsign = "negative"\n', origin="t.toml")
        assert [str(e) for e in info.value.exceptions] == [
            "t.toml:3: metric 'b': sign 'negative': must be 'any' (the metric may be "
            "negative) or 'nonnegative' (the default)"]

    def test_identity_long_form(self) -> None:
        """An identity may also be written with ``whole`` and ``parts``."""
        book = loads('[[metric]]\nid = "a"\n[[metric]]\nid = "b"\n[[metric]]\nid = "t"\n'
                     '[[identity]]\nwhole = "t"\nparts = ["a", "b"]\n')
        assert book.identities == (Identity(whole="t", parts=("a", "b")),)

    def test_pinned_source(self) -> None:
        """``weight = "inf"`` (or ``inf``) pins a source; a number weighs it."""
        book = loads('[[source]]\nid = "a"\nweight = "pinned"\n'
                     '[[source]]\nid = "b"\nweight = inf\n[[source]]\nid = "c"\nweight = 2\n')
        assert [s.pinned for s in book.sources] == [True, True, False]
        assert book.source("c").weight == 2.0

    def test_published_as_string(self) -> None:
        """A publication date may be a TOML date or an ISO string."""
        book = loads('[[source]]\nid = "a"\npublished = "2026-01-20"\n')
        assert book.source("a").published == date(2026, 1, 20)

    def test_empty(self) -> None:
        """An empty file is an empty ledger."""
        assert loads("") == Ledger()

    def test_change_against_a_period(self) -> None:
        """``change`` may name a period, normalised like any period."""
        book = loads(HEAD + '[[claim]]\nid = "c"\nsource = "wire"\nmetric = "total"\n'
                     'period = "2025-10"\nchange = "2025-07..2025-09"\nvalue = "-5%"\n'
                     'quote = "down 5% from the third quarter"\n')
        assert book.claim("c").change == parse_period("2025-Q3")
        assert 'change = "2025-Q3"' in dumps(book)


def claim_text(line_value: str = "", **fields: str) -> str:
    """A ``[[claim]]`` table with the usual fields, *fields* replacing or adding some."""
    base = {"id": '"c"', "source": '"wire"', "metric": '"total"', "period": '"2025"',
            "value": '"$2.7bn"', "quote": '"rose to $2.7bn"'}
    base.update(fields)
    body = "".join(f"{key} = {value}\n" for key, value in base.items() if value)
    return f"\n[[claim]]\n{body}{line_value}"


class TestErrors:
    """Every problem names file, line, entry and value."""

    # HEAD has 11 lines, then a blank line: the [[claim]] header is line 13, id line 14,
    # source 15, metric 16, period 17, value 18, quote 19.
    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"source": '"nobody"'},
             "t.toml:13: claim 'c': source 'nobody': no such source in the ledger"),
            ({"metric": '"exports"'},
             "t.toml:13: claim 'c': metric 'exports': no such metric in the ledger"),
            ({"period": '"2025-13"'},
             "t.toml:17: claim 'c': period '2025-13': month must be 01–12, got 13"),
            ({"period": '"2025-H3"'},
             "t.toml:17: claim 'c': period '2025-H3': half must be H1 or H2, got H3"),
            ({"period": '"2025-08..2025-01"'},
             "t.toml:17: claim 'c': period '2025-08..2025-01' runs backwards: 2025-01 "
             "starts before 2025-08 does"),
            ({"period": "2025"},
             "t.toml:17: claim 'c': period 2025: must be a string, got int"),
            ({"value": '"2.7 bananas"'},
             "t.toml:18: claim 'c': value: figure '2.7 bananas': cannot read 'bananas' after "
             "the number"),
            ({"value": '"¥2.7bn"'},
             "t.toml:18: claim 'c': value: figure '¥2.7bn': '¥' is ambiguous; write 'yuan' "
             "(CNY) or 'yen' (JPY)"),
            ({"value": "2.7e9"},
             "t.toml:18: claim 'c': value 2700000000.0: write figures as strings "
             "(value = \"$2.7bn\") so their digits are kept"),
            ({"value": ""},
             "t.toml:13: claim 'c': states nothing: give a value, a rank or a direction"),
            ({"colour": '"red"'},
             "t.toml:20: claim 'c': unknown key 'colour'; expected one of basis, change, "
             "direction, high, id, low, metric, note, period, quote, rank, source, status, value"),
            ({"quote": ""}, "t.toml:13: claim 'c': quote is missing"),
            ({"rank": '"highest of 2024"', "value": ""},
             "t.toml:19: claim 'c': rank 'highest of 2024': 2025 is not inside 2024"),
            ({"rank": '"best ever"', "value": ""},
             "t.toml:19: claim 'c': rank 'best ever' is not understood; write e.g. "
             "'highest of 2025', 'highest since 2019-10', 'lowest in 6 years', 'a record', "
             "'first decline of 2025'"),
            ({"direction": '"sideways"', "value": ""},
             "t.toml:19: claim 'c': direction 'sideways': must be 'up' or 'down'"),
            ({"change": '"2025-13"'},
             "t.toml:20: claim 'c': change: period '2025-13': month must be 01–12, got 13"),
            ({"low": '"$2.9bn"'},
             "t.toml:13: claim 'c': low '$2.9bn' is above the high end of value '$2.7bn' "
             "($2.75bn in the strict reading)"),
        ],
    )
    def test_claim_problem(self, fields: dict[str, str], message: str) -> None:
        """Each claim problem is one line naming file, line, claim id and value."""
        assert problems(HEAD + claim_text(**fields)) == [message]

    def test_period_2025_13(self) -> None:
        """``period = "2025-13"`` names 2025-13, the claim id and the line, and is a LedgerError."""
        text = HEAD + claim_text(period='"2025-13"', id='"j-2025-09-total"')
        with pytest.raises(InvalidLedgerError) as info:
            loads(text, origin="claims.toml")
        (exc,) = info.value.exceptions
        assert isinstance(exc, InvalidEntryError)
        assert (exc.path, exc.line, exc.entry) == ("claims.toml", 17, "claim 'j-2025-09-total'")
        assert str(exc) == ("claims.toml:17: claim 'j-2025-09-total': period '2025-13': "
                            "month must be 01–12, got 13")
        assert isinstance(info.value, LedgerError)

    def test_duplicate_id(self) -> None:
        """A duplicate claim id is reported at the second claim."""
        text = HEAD + claim_text() + claim_text(value='"$2.8bn"')
        assert problems(text) == ["t.toml:21: claim 'c': duplicate claim id 'c'"]

    def test_bad_toml(self) -> None:
        """Text that is not TOML is one problem with the line tomllib reports."""
        text = HEAD + '\n[[claim]]\nid = "c\n'
        with pytest.raises(InvalidLedgerError) as info:
            loads(text, origin="t.toml")
        assert str(info.value) == (
            "t.toml: not valid TOML\n"
            "  t.toml:14: not valid TOML: Illegal character '\\n' (at line 14, column 8)")
        (exc,) = info.value.exceptions
        assert isinstance(exc, InvalidEntryError) and exc.line == 14

    def test_source_and_metric_problems(self) -> None:
        """Source and metric entries are checked key by key, with the key's line."""
        text = ('[[metric]]\nid = "m"\nunit = 5\naggregate = "mean"\nsize = 1\n'
                '[[metric]]\nunit = "USD"\n'
                '[[source]]\nid = "s"\nweight = -1\npublished = "2026-13-01"\n'
                '[[source]]\noutlet = "Nobody"\n')
        assert problems(text) == [
            "t.toml:3: metric 'm': unit 5: must be a string, got int",
            "t.toml:4: metric 'm': aggregate 'mean': must be 'sum' or 'none'",
            "t.toml:5: metric 'm': unknown key 'size'; expected one of aggregate, "
            "description, id, part_of, sign, terms, unit",
            "t.toml:6: metric 2: id is missing",
            "t.toml:10: source 's': weight must be a positive number or inf, got -1.0",
            "t.toml:11: source 's': published '2026-13-01': month must be in 1..12",
            "t.toml:12: source 2: id is missing",
        ]

    def test_published_with_time(self) -> None:
        """A date and time is refused: it cannot be compared with other sources' dates."""
        assert problems('[[source]]\nid = "s"\npublished = 2026-01-20T10:00:00\n') == [
            "t.toml:3: source 's': published datetime.datetime(2026, 1, 20, 10, 0): must be "
            "a date such as 2026-01-20, not a date and time"]

    def test_identity_problems(self) -> None:
        """Identities name known metrics, in a list, with their line."""
        text = ('[[metric]]\nid = "a"\n'
                '[[identity]]\na = ["b"]\n'
                '[[identity]]\na = "b"\n'
                '[[identity]]\na = ["a"]\nb = ["a"]\n')
        assert problems(text) == [
            "t.toml:3: identity a = b: unknown metric 'b'",
            "t.toml:5: identity 2: a = 'b': the parts must be a list of metric ids",
            "t.toml:7: identity 3: write one identity per table: total = [\"exports\", "
            "\"imports\"]",
        ]

    def test_unknown_table(self) -> None:
        """A misspelt table is named with its line."""
        assert problems('[[claims]]\nid = "c"\n') == [
            "t.toml:1: claims: unknown table 'claims'; expected [[metric]], [[identity]], "
            "[[source]], [[claim]]"]

    def test_table_not_array(self) -> None:
        """``[claim]`` instead of ``[[claim]]`` is explained."""
        assert problems('[claim]\nid = "c"\n') == [
            "t.toml:1: claim: 'claim' must be an array of tables: write [[claim]]"]

    def test_many_problems_at_once(self) -> None:
        """A file with many problems reports all of them, one line each, in file order."""
        text = (HEAD
                + claim_text(id='"a"', source='"nobody"')      # header 13
                + claim_text(id='"b"', period='"2025-13"')     # header 21, period 25
                + claim_text(id='"c"', value="2.7")            # header 29, value 34
                + claim_text(id='"d"', value="", extra='"x"')  # header 37, extra 43
                + claim_text(id='"e"', value='"$2.7 zillion"', metric='"nope"'))  # 45, 50
        assert problems(text) == [
            "t.toml:13: claim 'a': source 'nobody': no such source in the ledger",
            "t.toml:25: claim 'b': period '2025-13': month must be 01–12, got 13",
            "t.toml:34: claim 'c': value 2.7: write figures as strings (value = \"$2.7bn\") "
            "so their digits are kept",
            "t.toml:43: claim 'd': unknown key 'extra'; expected one of basis, change, "
            "direction, high, id, low, metric, note, period, quote, rank, source, status, value",
            "t.toml:45: claim 'e': metric 'nope': no such metric in the ledger",
            "t.toml:50: claim 'e': value: figure '$2.7 zillion': cannot read 'zillion' "
            "after the number",
        ]

    def test_bad_claim_still_checked_for_references(self) -> None:
        """A claim with a bad figure is still checked for its source and a duplicate id."""
        text = (HEAD + claim_text()                                       # header 13
                + claim_text(value='"$2.7 zillion"', source='"nobody"'))  # header 21
        assert problems(text) == [
            "t.toml:21: claim 'c': duplicate claim id 'c'",
            "t.toml:21: claim 'c': source 'nobody': no such source in the ledger",
            "t.toml:26: claim 'c': value: figure '$2.7 zillion': cannot read 'zillion' "
            "after the number",
        ]

    def test_bad_source_does_not_cascade(self) -> None:
        """A source with a bad field is one problem, not one more per claim citing it."""
        text = HEAD.replace('outlet = "Example Wire"', "weight = 0") + claim_text()
        assert problems(text) == [
            "t.toml:11: source 'wire': weight must be a positive number or inf, got 0.0"]

    def test_bad_metric_does_not_cascade(self) -> None:
        """A metric with a bad field is one problem, not one more per claim about it."""
        text = HEAD.replace('[[metric]]\nid = "total"\n',
                            '[[metric]]\nid = "total"\naggregate = "mean"\n')
        text += claim_text()
        assert problems(text) == [
            "t.toml:3: metric 'total': aggregate 'mean': must be 'sum' or 'none'"]

    def test_load_names_the_file(self, tmp_path: Path) -> None:
        """``load`` names the file's path in every message."""
        path = tmp_path / "claims.toml"
        path.write_text(HEAD + claim_text(period='"2025-13"'), encoding="utf-8")
        with pytest.raises(InvalidLedgerError) as info:
            load(path)
        assert f"{path}:17: claim 'c': period '2025-13'" in str(info.value)

    def test_not_utf8(self, tmp_path: Path) -> None:
        """A file that is not UTF-8 is one clear problem."""
        path = tmp_path / "claims.toml"
        path.write_bytes(b'[[source]]\nid = "\xff"\n')
        with pytest.raises(InvalidLedgerError, match="not UTF-8"):
            load(path)

    def test_missing_file(self, tmp_path: Path) -> None:
        """A missing file is an OSError, not a ledger problem."""
        with pytest.raises(FileNotFoundError):
            load(tmp_path / "nothing.toml")


class TestLimits:
    """What load refuses, and that every problem it reports has a line."""

    def one(self, path: Path, **options: int) -> str:
        """The single problem ``load`` reports for *path*."""
        with pytest.raises(InvalidLedgerError) as info:
            load(path, **options)
        (exc,) = info.value.exceptions
        return str(exc)

    def test_not_utf8_names_the_line(self, tmp_path: Path) -> None:
        """Invalid UTF-8 is reported at its line and column, not as a byte offset."""
        path = tmp_path / "claims.toml"
        path.write_bytes(b'[[source]]\nid = "a"\noutlet = "\xff"\n')
        assert self.one(path) == f"{path}:3: not UTF-8 text: byte 0xff at column 11"

    def test_byte_order_mark_accepted(self, tmp_path: Path, root: Path) -> None:
        """A UTF-8 byte-order mark at the start is skipped."""
        path = tmp_path / "bom.toml"
        text = (root / "tests" / "design_example.toml").read_text(encoding="utf-8")
        path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
        assert load(path) == loads(text)
        assert loads("\ufeff" + text) == loads(text)

    def test_end_of_document_has_a_line(self) -> None:
        """A TOML error at the end of the text is reported at the last line."""
        with pytest.raises(InvalidLedgerError) as info:
            loads(HEAD + 'x = [1,\n', origin="t.toml")
        (exc,) = info.value.exceptions
        assert str(exc) == "t.toml:12: not valid TOML: Invalid value (at end of document)"

    def test_top_level_key_has_a_line(self) -> None:
        """An unknown top-level key, or a table written as a key, names its line."""
        assert problems('title = "x"\n\n[[source]]\nid = "a"\n') == [
            "t.toml:1: title: unknown table 'title'; expected [[metric]], [[identity]], "
            "[[source]], [[claim]]"]
        assert problems('claim = 1\n') == [
            "t.toml:1: claim: 'claim' must be an array of tables: write [[claim]]"]
        assert problems('\nclaim = [1]\n') == [
            "t.toml:2: claim: entry 1 is not a table: write [[claim]]"]

    def test_control_characters_stay_on_one_line(self) -> None:
        """A newline inside a name is escaped: one problem is one line."""
        assert problems('[[identity]]\n"a\\nb" = ["x"]\n') == [
            "t.toml:1: identity a\\nb = x: unknown metric 'a\\nb'",
            "t.toml:1: identity a\\nb = x: unknown metric 'x'"]

    def test_deep_nesting(self, tmp_path: Path) -> None:
        """Arrays nested 500 deep are bad input at their line, not a RecursionError."""
        path = tmp_path / "deep.toml"
        path.write_text(HEAD + "x = " + "[" * 500 + "]" * 500 + "\n", encoding="utf-8")
        assert self.one(path) == (f"{path}:12: arrays or inline tables nested too deeply "
                                  f"to read (a ledger needs no more than two levels)")

    @pytest.mark.parametrize("error", [MemoryError, RecursionError])
    def test_parser_exhausted(self, error: type[Exception],
                              monkeypatch: pytest.MonkeyPatch) -> None:
        """Running out of memory or stack while parsing is bad input with a line."""
        import tomllib

        def exhausted(text: str) -> None:
            raise error()

        monkeypatch.setattr(tomllib, "loads", exhausted)
        # the compiled parser, when installed, gives up the same way: tomllib reads again
        monkeypatch.setattr(io, "_compiled_parser", lambda: exhausted)
        with pytest.raises(InvalidLedgerError) as info:
            loads(HEAD, origin="t.toml")
        (exc,) = info.value.exceptions
        assert str(exc).startswith("t.toml:1: ")

    def test_fifo_refused_without_hanging(self, tmp_path: Path) -> None:
        """A FIFO with no writer is refused at once; it is never opened for reading."""
        path = tmp_path / "pipe.toml"
        os.mkfifo(path)
        assert self.one(path) == (f"{path}: not a regular file but a FIFO (named pipe); "
                                  f"nkledger reads ledger files, or standard input as '-'")

    @pytest.mark.parametrize(("name", "kind"), [("/dev/zero", "a character device"),
                                                ("/dev/null", "a character device")])
    def test_devices_refused(self, name: str, kind: str) -> None:
        """Devices are refused before anything is read from them."""
        assert self.one(Path(name)) == (f"{name}: not a regular file but {kind}; nkledger "
                                        f"reads ledger files, or standard input as '-'")

    def test_directory_refused(self, tmp_path: Path) -> None:
        """A directory is refused as not a regular file."""
        assert "not a regular file but a directory" in self.one(tmp_path)

    def test_size_limit(self, tmp_path: Path, root: Path) -> None:
        """A file over max_size is refused, naming the limit; at the limit it is read."""
        path = root / "tests" / "design_example.toml"
        size = path.stat().st_size
        assert load(path, max_size=size) == load(path)
        assert self.one(path, max_size=size - 1) == (
            f"{path}: larger than the limit of {size - 1:,} bytes (raise it with max_size=, "
            f"or --max-size on the command line)")
        assert io.DEFAULT_MAX_SIZE == 256 * 1024 * 1024

    def test_symlink_to_a_file_is_read(self, tmp_path: Path, root: Path) -> None:
        """A symlink to a regular file is read like the file."""
        link = tmp_path / "link.toml"
        link.symlink_to(root / "tests" / "design_example.toml")
        assert load(link) == load(root / "tests" / "design_example.toml")

    def test_stdin(self, monkeypatch: pytest.MonkeyPatch, root: Path) -> None:
        """``-`` reads standard input, named <stdin>, under the same size limit."""
        import io as _io
        import sys

        data = (root / "tests" / "design_example.toml").read_bytes()
        monkeypatch.setattr(sys, "stdin", _io.TextIOWrapper(_io.BytesIO(data)))
        book = load("-")
        assert book.origin == "<stdin>" and len(book.claims) == 4
        monkeypatch.setattr(sys, "stdin", _io.TextIOWrapper(_io.BytesIO(data)))
        with pytest.raises(InvalidLedgerError, match=r"^<stdin>: larger than the limit of 10"):
            load("-", max_size=10)


class TestWriting:
    """``dumps`` and ``save``."""

    def test_dumps_design_example(self, root: Path) -> None:
        """The written form of the contract example, in full."""
        text = dumps(load(root / "tests" / "design_example.toml"))
        assert text.startswith(
            '[[metric]]\nid = "cn_exports"\ndescription = "China\'s exports to North Korea"\n'
            'unit = "USD"\naggregate = "sum"\n\n')
        assert ('[[identity]]\ntotal = ["cn_exports", "cn_imports"]\n\n'
                '[[source]]\nid = "example-wire-2026-01-20"\noutlet = "Example Wire"\n'
                'published = 2026-01-20\n') in text
        assert text.endswith(
            '[[claim]]\nid = "wire-dec-imports-up"\nsource = "example-wire-2026-01-20"\n'
            'metric = "cn_imports"\nperiod = "2025-12"\nchange = "yoy"\ndirection = "up"\n'
            'quote = "Imports from North Korea also jumped"\n')

    def test_escapes(self) -> None:
        """Quotes, backslashes, newlines and control characters are escaped; unicode kept."""
        book = loads(HEAD + claim_text(quote='"a \\"quote\\" \\\\ \\n\\t\\u0001 – ’ 한국"'))
        assert book.claim("c").quote == 'a "quote" \\ \n\t\x01 – ’ 한국'
        assert 'quote = "a \\"quote\\" \\\\ \\n\\t\\u0001 – ’ 한국"' in dumps(book)

    def test_save_and_load(self, tmp_path: Path, root: Path) -> None:
        """A saved ledger loads back equal, and the file is UTF-8 with plain newlines."""
        book = load(root / "examples" / "china_dprk_2025.toml")
        path = tmp_path / "out.toml"
        save(book, path)
        assert load(path) == book
        assert b"\r\n" not in path.read_bytes()
        assert os.listdir(tmp_path) == ["out.toml"]

    @pytest.mark.parametrize("fail_in", ["dumps", "replace"])
    def test_save_is_atomic(
        self, tmp_path: Path, root: Path, monkeypatch: pytest.MonkeyPatch, fail_in: str
    ) -> None:
        """A failed save leaves the old file whole and no temporary file behind."""
        path = tmp_path / "ledger.toml"
        path.write_text("old contents\n", encoding="utf-8")

        def boom(*args: object) -> str:
            raise OSError("disk full")

        if fail_in == "dumps":
            monkeypatch.setattr(io, "dumps", boom)
        else:
            monkeypatch.setattr(os, "replace", boom)
        with pytest.raises(OSError, match="disk full"):
            save(load(root / "tests" / "design_example.toml"), path)
        assert path.read_text(encoding="utf-8") == "old contents\n"
        assert os.listdir(tmp_path) == ["ledger.toml"]

    def test_save_interrupted_midway(
        self, tmp_path: Path, root: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Even a KeyboardInterrupt during the write leaves the target untouched."""
        path = tmp_path / "ledger.toml"

        def interrupt(*args: object) -> str:
            raise KeyboardInterrupt

        monkeypatch.setattr(io, "dumps", interrupt)
        with pytest.raises(KeyboardInterrupt):
            save(load(root / "tests" / "design_example.toml"), path)
        assert os.listdir(tmp_path) == []

    @pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
    def test_save_keeps_permissions(self, tmp_path: Path, root: Path) -> None:
        """Saving over a file keeps its mode; a new file is not made owner-only."""
        book = load(root / "tests" / "design_example.toml")
        path = tmp_path / "ledger.toml"
        path.write_text("old\n", encoding="utf-8")
        path.chmod(0o640)
        save(book, path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o640
        fresh = tmp_path / "fresh.toml"
        save(book, fresh)
        umask = os.umask(0)
        os.umask(umask)
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask


# -- the round-trip property -----------------------------------------------------

_ID_CHARS = st.characters(codec="utf-8")  # any character a UTF-8 file can hold
_TEXT = st.text(
    alphabet=st.one_of(_ID_CHARS, st.sampled_from(['"', "'", "\\", "\n", "\r", "\t", "\x7f",
                                                    "\x00", "–", "’", "“", "한"])),
    max_size=30,
)
_WORDS = [(word, canon) for canon, words in QUALIFIERS.items() for word in words]
_CURRENCY_FORMS = [("$", ""), ("US$", ""), ("R", ""), ("", " yuan"), ("€", ""), ("USD ", "")]
_SCALES = ["", "k", "m", "mn", " million", "bn", " billion"]


@st.composite
def quotes(draw: st.DrawFn) -> str:
    """A quote with at least one visible character, anything around it."""
    visible = draw(st.characters(categories=("L", "N", "P", "S")))
    return draw(_TEXT) + visible + draw(_TEXT)


@st.composite
def numbers(draw: st.DrawFn) -> str:
    """Digits as written: "2", "257.4", "1,234.50"."""
    whole = draw(st.integers(min_value=0, max_value=10**7))
    places = draw(st.integers(min_value=0, max_value=3))
    text = f"{whole:,}" if draw(st.booleans()) else str(whole)
    if places:
        text += f".{draw(st.integers(min_value=0, max_value=10**places - 1)):0{places}d}"
    return text


def qualified(draw: st.DrawFn, body: str) -> str:
    """*body* with a sign and maybe a qualifier drawn in front."""
    sign = draw(st.sampled_from(["", "-", "−"]))
    word = draw(st.none() | st.sampled_from(_WORDS))
    text = f"{sign}{body}"
    return text if word is None else f"{word[0]} {text}"


@st.composite
def money(draw: st.DrawFn) -> tuple[str, str, str]:
    """A money figure with a low and a high override around it, all in one unit."""
    prefix, suffix = draw(st.sampled_from(_CURRENCY_FORMS))
    scale = draw(st.sampled_from(_SCALES))
    text = qualified(draw, f"{prefix}{draw(numbers())}{scale}{suffix}")
    figure = parse_figure(text)
    step = figure.step / figure.scale

    def bound(number: Decimal) -> str:
        sign = "-" if number < 0 else ""
        return f"{sign}{prefix}{abs(number)}{scale}{suffix}"

    return text, bound(figure.number - step), bound(figure.number + step)


@st.composite
def percents(draw: st.DrawFn) -> tuple[str, str, str]:
    """A percentage with a low and a high override around it."""
    form = draw(st.sampled_from(["%", " percent", " per cent"]))
    text = qualified(draw, f"{draw(numbers())}{form}")
    figure = parse_figure(text)
    low, high = figure.number - figure.step, figure.number + figure.step
    return text, f"{low}%", f"{high}%"


@st.composite
def periods(draw: st.DrawFn) -> Period:
    """A period of any kind between 2000 and 2030."""
    year = draw(st.integers(min_value=2000, max_value=2030))
    kind = draw(st.sampled_from(["month", "quarter", "half", "year", "span"]))
    if kind == "month":
        return parse_period(f"{year}-{draw(st.integers(1, 12)):02d}")
    if kind == "quarter":
        return parse_period(f"{year}-Q{draw(st.integers(1, 4))}")
    if kind == "half":
        return parse_period(f"{year}-H{draw(st.integers(1, 2))}")
    if kind == "year":
        return parse_period(str(year))
    first = year * 12 + draw(st.integers(0, 11))
    return Period(first=first, last=first + draw(st.integers(0, 30)))


@st.composite
def bases(draw: st.DrawFn, period: Period) -> Period:
    """A named base for a change: any period that ends before *period* starts."""
    last = period.first - draw(st.integers(min_value=1, max_value=60))
    return Period(first=last - draw(st.integers(min_value=0, max_value=12)), last=last)


@st.composite
def ranks(draw: st.DrawFn, period: Period) -> str:
    """A rank that fits a claim about *period*."""
    extreme = draw(st.sampled_from(["highest", "lowest", "the highest monthly level",
                                    "first decline", "first increase"]))
    year = str(period.last // 12 + draw(st.integers(0, 1)))
    if period.first // 12 == period.last // 12:
        year = str(period.year)
    earlier = Period.from_ordinal(period.first - draw(st.integers(1, 120)))
    form = draw(st.sampled_from(["of", "since", "in", "record"]))
    if extreme.startswith("first") or form == "of":
        scope = parse_period(year) if parse_period(year).contains(period) else None
        if scope is None:
            return "a record"
        return f"{extreme} of {scope}"
    if form == "since":
        return f"{extreme} since {earlier}"
    if form == "in":
        return f"{extreme} in {draw(st.sampled_from(['3', 'six', '10']))} years"
    return draw(st.sampled_from(["a record", "record high", "record low"]))


@st.composite
def ledgers(draw: st.DrawFn) -> Ledger:
    """A valid ledger built by construction: every reference resolves, every claim fits."""
    metric_ids = draw(st.lists(_TEXT, min_size=1, max_size=4, unique=True))
    metrics: list[Metric] = []
    for i, ident in enumerate(metric_ids):
        percent = draw(st.booleans()) and i > 0
        unit = "%" if percent else draw(st.sampled_from(["USD", "CNY"]))
        aggregate = None if percent else draw(st.sampled_from(["sum", None]))
        # parts and identities add like to like: same unit, same aggregation
        alike = [m.id for m in metrics if (m.unit, m.aggregate) == (unit, aggregate)]
        metrics.append(Metric(
            id=ident, unit=unit, aggregate=aggregate,
            description=draw(st.none() | _TEXT),
            part_of=draw(st.none() | st.sampled_from(alike)) if alike else None,
        ))
    identities: list[Identity] = []
    first = metrics[0]
    like_first = [m.id for m in metrics[1:] if (m.unit, m.aggregate) == (first.unit,
                                                                          first.aggregate)]
    if len(like_first) >= 2:
        parts = draw(st.lists(st.sampled_from(like_first), min_size=1, max_size=3, unique=True))
        identities.append(Identity(whole=first.id, parts=parts))
    source_ids = draw(st.lists(_TEXT, min_size=1, max_size=3, unique=True))
    sources = [
        Source(
            id=ident,
            outlet=draw(st.none() | _TEXT),
            published=draw(st.none() | st.dates(date(1990, 1, 1), date(2040, 12, 31))),
            title=draw(st.none() | _TEXT), url=draw(st.none() | _TEXT),
            cites=draw(st.none() | _TEXT),
            weight=draw(st.just(1.0) | st.just(math.inf)
                        | st.floats(min_value=1e-6, max_value=1e6)),
            basis=draw(st.none() | _TEXT), note=draw(st.none() | _TEXT),
        )
        for ident in source_ids
    ]
    claims: list[Claim] = []
    for ident in draw(st.lists(_TEXT, max_size=6, unique=True)):
        metric = draw(st.sampled_from(metrics))
        period = draw(periods())
        kind = draw(st.sampled_from(["level", "change", "rank", "direction"]))
        value = change = rank = direction = low = high = None
        change_choice = st.sampled_from(["yoy", "mom"]) | bases(period).map(str)
        if kind == "level":
            text, low, high = draw(percents() if metric.unit == "%" else money())
            value = text
        elif kind == "change":
            value, low, high = draw(percents())
            change = draw(change_choice)
        elif kind == "rank":
            rank = draw(ranks(period))
            change = draw(st.none() | change_choice)
        else:
            direction = draw(st.sampled_from(["up", "down"]))
            change = draw(st.none() | change_choice)
        if value is None or not draw(st.booleans()):
            low = None
        if value is None or not draw(st.booleans()):
            high = None
        claims.append(Claim(
            id=ident, source=draw(st.sampled_from(source_ids)), metric=metric.id,
            period=period, quote=draw(quotes()),
            value=None if value is None else parse_figure(value),
            change=None if change is None else (  # type: ignore[arg-type]
                change if change in ("yoy", "mom") else parse_period(change)),
            rank=None if rank is None else parse_rank(rank, period),
            direction=direction,  # type: ignore[arg-type]
            low=None if low is None else parse_figure(low),
            high=None if high is None else parse_figure(high),
            basis=draw(st.none() | _TEXT), note=draw(st.none() | _TEXT),
        ))
    return Ledger(metrics=metrics, identities=identities, sources=sources, claims=claims)


class TestRoundTrip:
    """Saving and loading again loses nothing."""

    @given(ledgers())
    def test_dumps_loads(self, book: Ledger) -> None:
        """``loads(dumps(ledger)) == ledger``: digits, qualifiers, quotes, optional fields."""
        text = dumps(book)
        again = loads(text)
        assert again == book
        for before, after in zip(book.claims, again.claims, strict=True):
            assert before.quote == after.quote
            for name in ("value", "low", "high"):
                a, b = getattr(before, name), getattr(after, name)
                if a is not None:
                    # the text exactly as written, and the digits with their precision
                    assert (a.text, str(a.number), a.qualifier) == (
                        b.text, str(b.number), b.qualifier)
        assert dumps(again) == text

    @given(ledgers())
    def test_lines_point_at_headers(self, book: Ledger) -> None:
        """Every claim read from a written ledger knows the line of its header."""
        text = dumps(book)
        lines = text.splitlines()
        for claim in loads(text):
            assert claim.line is not None
            assert lines[claim.line - 1] == "[[claim]]"


def test_format_reference_example_loads(root: Path) -> None:
    """The example in docs/ledger-format.md is the design example, and loads."""
    import re

    text = (root / "docs" / "ledger-format.md").read_text(encoding="utf-8")
    block = re.search(r"```toml\n(.*?)```", text, re.S)
    assert block is not None
    assert loads(block[1]) == load(root / "tests" / "design_example.toml")


_RAW_TEXTS = st.sampled_from([
    "c1", "s", "m", "wire", "", " ", "2025-09", "2025-Q3", "2025", "1799-01", "2025-13",
    "2024-12", "2026-01", "yoy", "mom", "$2.7bn", "about $2.7bn", "5%", "-3.2%", "$2.6bn",
    "$2.8bn", "nearly 30%", "2.7e9", "seven", "highest of 2025", "a record", "highest",
    "up", "down", "sideways", "draft", "accepted", "done", "a quote", "¥5"])
_RAW_VALUES = _RAW_TEXTS | st.integers(-5, 5) | st.booleans() | st.just(2.5) \
    | st.lists(_RAW_TEXTS, max_size=2)
_RAW_KEYS = sorted(io._CLAIM_KEYS | {"bogus"})


@st.composite
def raw_claims(draw: st.DrawFn) -> dict[str, object]:
    """A [[claim]] table as tomllib reads it: often right, often wrong in some way."""
    raw: dict[str, object] = {"id": "c1", "source": "wire", "metric": "exports",
                              "period": "2025-09", "quote": "a quote"}
    for key in draw(st.lists(st.sampled_from(_RAW_KEYS), max_size=4, unique=True)):
        raw[key] = draw(_RAW_VALUES)
    for key in draw(st.lists(st.sampled_from(["id", "source", "metric", "period", "quote"]),
                             max_size=1)):
        del raw[key]
    return raw


class TestQuickReading:
    """The fast paths of reading a file give what the careful paths give."""

    @given(raw_claims())
    def test_quick_claim_is_the_careful_claim(self, raw: dict[str, object]) -> None:
        """A quickly read claim is the one the careful reading gives with no problem at all."""
        lines = io._Lines("[[claim]]\n")
        careful = io._Reader("t.toml", lines)
        expected = io._read_claim(careful, 0, dict(raw))
        quick = io._quick_claim(io._Memo(), lines.header("claim", 0), dict(raw))
        if quick is not None:
            assert careful.problems == []
            assert quick == expected
            assert quick.line == expected.line == 1  # type: ignore[union-attr]

    @given(st.lists(st.sampled_from(["[[claim]]", "  [[ metric ]] # x", "[claim]", "[[a.b]]",
                                     'id = "x"', "", "[[source]]x", "\t[[claim]]",
                                     "[[claim]]x", "[[[claim]]]", "[[claims]]", " [[claim]]",
                                     "[[claim", "x [[claim]]", "[[ claim ]]"]),
                    max_size=12),
           st.sampled_from(["\n", "\r\n", "\r", "\x0c", "\u2028"]))
    def test_headers_are_the_scanned_headers(self, lines: list[str], newline: str) -> None:
        """The headers found in one pass over the text are those of a line-by-line scan."""
        text = newline.join(lines)
        found = io._Lines(text)
        scanned = io._Lines(text)
        scanned._scan()
        assert found.headers == scanned.headers
        for index in range(len(lines) + 1):
            assert found.header("claim", index) == scanned.of("claim", index)

    def test_equal_whichever_parser(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A ledger reads the same, lines and all, with or without the compiled parser."""
        path = root / "examples" / "china_dprk_2025.toml"
        fast = load(path)
        monkeypatch.setattr(io, "_compiled_loads", lambda text: None)
        slow = load(path)
        assert fast == slow
        assert [c.line for c in fast] == [c.line for c in slow]

    @given(ledgers())
    def test_compiled_parser_reads_as_tomllib(self, book: Ledger) -> None:
        """Where the compiled parser is installed, it reads a ledger exactly as tomllib does."""
        import tomllib

        text = dumps(book)
        data = io._compiled_loads(text)
        if io._compiled_parser() is None:
            assert data is None
        else:
            assert data == tomllib.loads(text)

    def test_deep_nesting_is_read_by_tomllib(self) -> None:
        """Nesting the compiled parser reads but tomllib does not is still refused."""
        text = "x = " + "[" * 600 + "]" * 600 + "\n"
        assert io._compiled_loads(text) is None
        with pytest.raises(InvalidLedgerError, match="nested too deeply") as info:
            loads(text, origin="t.toml")
        assert [str(e) for e in info.value.exceptions] == [
            "t.toml:1: arrays or inline tables nested too deeply to read (a ledger needs no "
            "more than two levels)"]

    def test_shallow(self) -> None:
        """Depth counts tables and arrays below the top."""
        assert io._shallow({"a": [{"b": ["c"]}]}, 4)
        assert not io._shallow({"a": [{"b": ["c"]}]}, 3)


_TRICKY_LINES = st.sampled_from([
    "[[claim]]", "[[ claim ]]", "[claim]", "[claim.x]", "[[claim.x]]", "[[source]]",
    "[x]", 'claim = "x"', 'claim.a = "x"', 'id = "x"', 'id = "y"', 'id = "x" # note',
    ' id = "x"', 'id="x"', 'quote = "say \\"so\\""', 'quote = "tab\there"', 'note = "é ✓"',
    'note = "\x01"', "note = 'literal'", 'note = """', "note = '''", 'a.b = "x"',
    "value = 2.5", "value = 3", "published = 2026-01-20", "terms = [", '  "a",', "]",
    '  ["a"],', 'x = { a = "b" }', "# a comment", "", "\t", "=", '"id" = "x"', "[[claim]]x",
    "[[claim]] # c", "id = \"x\"\r", "\ufeffid = \"x\"", 'k = "\x7f"', 'k = "\x85"'])


@st.composite
def ledger_texts(draw: st.DrawFn) -> str:
    """A written ledger, often with a few lines added that TOML reads some other way."""
    text = dumps(draw(ledgers()))
    lines = text.split("\n")
    for _ in range(draw(st.integers(0, 3))):
        lines.insert(draw(st.integers(0, len(lines))), draw(_TRICKY_LINES))
    return "\n".join(lines) + draw(st.sampled_from(["", "\n", "\n\n"]))


_IN_ORDER = ("id", "source", "metric", "period", "change", "value", "rank", "direction",
             "change", "low", "high", "basis", "status", "note", "quote")


_LIKELY = {"period": st.sampled_from(["2025-09", "2025", "2025-Q3"]),
           "value": st.sampled_from(["$2.7bn", "about $2.7bn", "5%", "-3.2%"]),
           "change": st.sampled_from(["yoy", "mom", "2024-09"]),
           "direction": st.sampled_from(["up", "down"]),
           "status": st.sampled_from(["draft", "accepted"]),
           "low": st.sampled_from(["$2.6bn", "5%"]), "high": st.sampled_from(["$2.8bn"]),
           "rank": st.sampled_from(["highest of 2025", "a record"])}


@st.composite
def claim_tables(draw: st.DrawFn) -> str:
    """Claim tables with their keys in nkledger's order, their values often wrong."""
    tables = []
    for _ in range(draw(st.integers(1, 4))):
        keys = [k for k in _IN_ORDER if k in ("id", "source", "metric", "period", "quote")
                or draw(st.integers(0, 3)) == 0]
        body = "".join(f'{k} = "{draw(_LIKELY.get(k, _RAW_TEXTS) | _RAW_TEXTS)}"\n'
                       for k in keys)
        tables.append("[[claim]]\n" + body + "\n" * draw(st.integers(0, 2)))
    prefix = draw(st.sampled_from(["", '[[source]]\nid = "wire"\n\n', "x = 1\n"]))
    return prefix + "".join(tables).rstrip("\n") + draw(st.sampled_from(["", "\n"]))


class TestQuickParse:
    """The claims of a plainly written file, read without a parser, are tomllib's."""

    @given(ledger_texts())
    def test_reads_as_tomllib(self, text: str) -> None:
        """Whenever the quick reading gives a document, tomllib reads the same document."""
        import tomllib

        quick = io._quick_loads(text)
        try:
            expected = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            assert quick is None
            return
        assert quick is None or quick == expected

    @given(ledgers())
    def test_written_ledgers_read_quickly(self, book: Ledger) -> None:
        """A ledger as dumps() writes it is read the quick way, to the same ledger."""
        import tomllib

        text = dumps(book)
        quick = io._quick_loads(text)
        if book.claims and "'''" not in text:  # a quote may hold three apostrophes
            assert quick == tomllib.loads(text)
        assert loads(text) == book

    def test_odd_claims_read_by_the_parser(self) -> None:
        """A table with escapes, comments or numbers is read by tomllib, the rest quickly."""
        text = ('[[claim]]\nid = "a"\nquote = "say \\"so\\""  # c\nvalue = 2.5\n\n'
                '[[claim]]\nid = "b"\n')
        assert io._quick_loads(text) == {"claim": [
            {"id": "a", "quote": 'say "so"', "value": 2.5}, {"id": "b"}]}

    @pytest.mark.parametrize("text", [
        '[[claim]]\nid = "a"\nid = "b"\n',
        '[[claim]]\nid = "a"\n[claim.x]\ny = "z"\n',
        'claim = "x"\n[[claim]]\nid = "a"\n',
        '[[claim]]\nid = "a\x01"\n',
        '[[claim]]\nnote = """\n[[claim]]\n"""\n',
        '[[claim]]\nterms = [\n[[claim]]\n]\n',
        '[[claim]]\r\nid = "a"\r\n',
        'id = "top"\n[[claim]]\n[[claim]]\nid = "a"\n',
    ])
    def test_unsure_left_to_the_parser(self, text: str) -> None:
        """Anything the quick reading might read otherwise is left to the parser."""
        assert io._quick_loads(text) is None

    @given(st.one_of(ledger_texts(), claim_tables()))
    def test_made_claims_are_the_careful_claims(self, text: str) -> None:
        """A claim the quick reading makes at once is the careful reading of its table."""
        lines = io._Lines(text)
        starts = lines.headers.get("claim") or []
        tables = io._quick_loads(text)
        made = io._quick_loads(text, io._Memo(), starts)
        if tables is None:
            assert made is None
            return
        assert made is not None
        assert made.keys() == tables.keys()
        assert len(made["claim"]) == len(tables["claim"])
        for index, (claim, table) in enumerate(zip(made["claim"], tables["claim"],
                                                   strict=True)):
            if not isinstance(claim, Claim):
                assert claim == table
                continue
            careful = io._Reader("t.toml", lines)
            assert claim == io._read_claim(careful, index, table)
            assert careful.problems == []
            assert claim.line == starts[index]
        assert {k: v for k, v in made.items() if k != "claim"} == {
            k: v for k, v in tables.items() if k != "claim"}

    def test_tables_in_order_are_made_at_once(self) -> None:
        """Tables written in nkledger's order of keys become claims in one match each."""
        text = ('[[claim]]\nid = "a"\nsource = "s"\nmetric = "m"\nperiod = "2025-09"\n'
                'value = "$2.7bn"\nquote = "q"\n\n[[claim]]\nid = "b"\nsource = "s"\n'
                'metric = "m"\nperiod = "2025-09"\ndirection = "up"\nchange = "mom"\n'
                'quote = "q"\n[[claim]]\nquote = "q"\nid = "c"\n')
        made = io._quick_loads(text, io._Memo(), [1, 9, 17])
        assert made is not None
        a, b, c = made["claim"]
        assert a == Claim(id="a", source="s", metric="m", period="2025-09", value="$2.7bn",
                          quote="q")
        assert b == Claim(id="b", source="s", metric="m", period="2025-09", direction="up",
                          change="mom", quote="q")
        assert (a.line, b.line) == (1, 9)
        assert c == {"quote": "q", "id": "c"}

    def test_errors_name_the_same_lines(self) -> None:
        """A key written twice deep in the claims is tomllib's message, at its line."""
        text = dumps(Ledger()) + "".join(
            f'[[claim]]\nid = "c{i}"\nquote = "q"\n\n' for i in range(50)) + \
            '[[claim]]\nid = "x"\nid = "y"\n'
        with pytest.raises(InvalidLedgerError) as info:
            loads(text, origin="t.toml")
        assert [str(e) for e in info.value.exceptions] == [
            "t.toml:204: not valid TOML: Cannot overwrite a value (at line 204, column 9)"]
