"""Editing ledger files without losing what people wrote: comments, blank lines, order.

A :class:`Document` holds a ledger file as the text it is, cut into one piece per table
(``[[source]]``, ``[[claim]]``...) plus the preamble before the first, each piece parsed
by tomlkit, a comment-keeping TOML library. Reading and writing a document gives back the
same bytes; editing a value (``set``), adding tables (``append``, at the end of the right
source's section) and :func:`save` of an edited :class:`~nkledger.ledger.Ledger` touch
only the tables that changed, and every comment — a ``# left out:`` audit trail
included — stays where it was.

Why pieces rather than one tomlkit document: tomlkit regroups arrays of tables that
interleave (``[[source]]``, its ``[[claim]]`` s, the next ``[[source]]``...), so
writing the seed ledger back through it moves every source to the top. A piece never
interleaves. The cut is made by a small scanner that knows where strings, multi-line
strings and arrays are, so a ``[`` inside a quote is never taken for a table; each piece
is then checked by tomlkit and the whole against :mod:`tomllib`.

:func:`fmt` normalises layout — ``key = value`` spacing, no indentation or trailing
spaces, two spaces before an inline comment, no blank lines inside a table, one blank
line before each table, at most two blank lines in a row, one newline at the end — and
never changes a comment, a value or the order of anything.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import tomlkit
from tomlkit.items import AoT, Table

from .exceptions import InvalidEntryError, InvalidLedgerError

__all__ = ["Document", "fmt", "render_table", "save"]


@attrs.frozen(kw_only=True)
class _Line:
    text: str          # without its newline
    code: bool         # starts outside any multi-line string or array
    header: str | None  # table name when the line is [[name]] or [name]
    comment_at: int | None  # where an inline or whole-line comment starts
    blank: bool


_HEADER = re.compile(r"^\s*\[\[?\s*([^\]\s]+)\s*\]\]?")


def _scan(text: str) -> list[_Line]:
    """The lines of a TOML text, each marked with what the scanner knows about it."""
    lines: list[_Line] = []
    state = ""  # "", '"""' or "'''"
    depth = 0
    for raw in text.split("\n"):
        code = state == "" and depth == 0
        header = None
        if code and (m := _HEADER.match(raw)):
            header = m[1]
        comment_at = None
        i, n = 0, len(raw)
        if header is not None:
            i = raw.index("]") + (2 if raw.lstrip().startswith("[[") else 1)
        while i < n:
            ch = raw[i]
            if state:
                if raw.startswith(state, i) and not (state == '"""' and _escaped(raw, i)):
                    i += 3
                    while i < n and raw[i] == state[0]:
                        i += 1
                    state = ""
                    continue
                i += 1
                continue
            if ch == "#":
                comment_at = i
                break
            if raw.startswith('"""', i) or raw.startswith("'''", i):
                state = raw[i:i + 3]
                i += 3
                continue
            if ch in "\"'":
                j = i + 1
                while j < n and raw[j] != ch:
                    j += 2 if ch == '"' and raw[j] == "\\" else 1
                i = j + 1
                continue
            if ch in "[{":
                depth += 1
            elif ch in "]}":
                depth = max(0, depth - 1)
            i += 1
        lines.append(_Line(text=raw, code=code, header=header, comment_at=comment_at,
                           blank=code and not raw.strip()))
    return lines


def _escaped(text: str, i: int) -> bool:
    backslashes = 0
    while i - backslashes - 1 >= 0 and text[i - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


@attrs.define
class _Piece:
    """One table (or the preamble) as text, and tomlkit's reading of it."""

    kind: str | None
    text: str
    doc: tomlkit.TOMLDocument

    @property
    def table(self) -> Table | None:
        if self.kind is None:
            return None
        item = self.doc.get(self.kind)
        if isinstance(item, AoT):
            return item[0]
        return item if isinstance(item, Table) else None

    @property
    def ident(self) -> str | None:
        table = self.table
        value = None if table is None else table.get("id")
        return value if isinstance(value, str) else None

    def refresh(self) -> None:
        self.text = self.doc.as_string()

    def split_tail(self) -> tuple[str, str]:
        """The table's header and values, and the blank and comment lines after them."""
        lines = self.text.split("\n")
        end = len(lines)
        while end > 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
            end -= 1
        return "\n".join(lines[:end]) + "\n", "\n".join(lines[end:])


class Document:
    """A ledger file as written, editable without losing a comment."""

    def __init__(self, pieces: list[_Piece], origin: str, bom: str = "") -> None:
        self.pieces = pieces
        self.origin = origin
        self.bom = bom  # a UTF-8 byte-order mark the file began with, written back as it was

    @classmethod
    def parse(cls, text: str, *, origin: str = "<string>") -> Document:
        """Read TOML text into pieces.

        Raises:
            InvalidLedgerError: when the text is not TOML.
        """
        try:
            expected = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise InvalidLedgerError(f"{origin}: not valid TOML", [
                InvalidEntryError(f"not valid TOML: {exc}", path=origin)]) from None
        lines = _scan(text)
        cuts = [i for i, line in enumerate(lines) if line.header is not None]
        starts = [0, *cuts] if not cuts or cuts[0] != 0 else cuts
        pieces: list[_Piece] = []
        for a, b in zip(starts, [*starts[1:], len(lines)], strict=True):
            chunk = "\n".join(line.text for line in lines[a:b])
            if b < len(lines):
                chunk += "\n"
            kind = lines[a].header if lines[a].header is not None else None
            pieces.append(_Piece(kind=kind, text=chunk, doc=_parse_piece(chunk, origin)))
        doc = cls(pieces, origin)
        if doc.as_string() != text or _merged(pieces) != expected:
            raise InvalidLedgerError(f"{origin}: cannot be edited safely", [  # pragma: no cover
                InvalidEntryError("the tables could not be told apart", path=origin)])
        return doc

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Document:
        """Read a ledger file into pieces."""
        from .io import DEFAULT_MAX_SIZE, _decode, _read_bytes

        origin = str(path)
        text = _decode(_read_bytes(path, origin, DEFAULT_MAX_SIZE), origin)
        bom = "\ufeff" if text.startswith("\ufeff") else ""
        doc = cls.parse(text[len(bom):], origin=origin)
        doc.bom = bom
        return doc

    def as_string(self) -> str:
        """The file's text, byte for byte as read plus the edits made."""
        return "".join(p.text for p in self.pieces)

    def data(self) -> dict[str, Any]:
        """The file's content as :mod:`tomllib` reads it."""
        return tomllib.loads(self.as_string())

    # -- finding tables ---------------------------------------------------------

    def tables(self, kind: str) -> Iterator[tuple[int, Table]]:
        """Every table of *kind* (``"claim"``...), with its piece's index, in file order."""
        for i, piece in enumerate(self.pieces):
            if piece.kind == kind and (table := piece.table) is not None:
                yield i, table

    def find(self, kind: str, ident: str) -> int | None:
        """The index of the piece holding the *kind* table whose id is *ident*."""
        return next((i for i, t in self.tables(kind) if t.get("id") == ident), None)

    def section_end(self, source: str) -> int | None:
        """The last piece of *source*'s section: its last claim, else the source itself."""
        last = self.find("source", source)
        if last is None:
            return None
        for i, table in self.tables("claim"):
            if table.get("source") == source and i > last:
                last = i
        return last

    # -- editing ----------------------------------------------------------------

    def set(self, kind: str, ident: str, key: str, value: object) -> None:
        """Set (or, with None, remove) one key of one table, keeping its comments."""
        index = self.find(kind, ident)
        if index is None:
            raise LookupError(f"{self.origin}: no {kind} {ident!r}")
        piece = self.pieces[index]
        table = piece.table
        assert table is not None
        if value is None:
            if key in table:
                del table[key]
        elif table.get(key) != value:
            table[key] = value
        piece.refresh()

    def remove(self, kind: str, ident: str) -> None:
        """Remove one table; the comments after it stay, with the table before."""
        index = self.find(kind, ident)
        if index is None:
            raise LookupError(f"{self.origin}: no {kind} {ident!r}")
        self.remove_piece(index)

    def remove_piece(self, index: int) -> None:
        """Remove the table of piece *index*, keeping the comments after it."""
        _, tail = self.pieces[index].split_tail()
        del self.pieces[index]
        if tail.strip() and index == 0:
            self.pieces.insert(0, _Piece(kind=None, text=tail.lstrip("\n"),
                                         doc=_parse_piece(tail.lstrip("\n"), self.origin)))
        elif tail.strip():
            before = self.pieces[index - 1]
            before.text = before.text.rstrip("\n") + "\n" + tail
            before.doc = _parse_piece(before.text, self.origin)

    def insert_after(self, index: int, text: str) -> None:
        """Insert TOML text after the values of piece *index*, before its comments."""
        body, tail = self.pieces[index].split_tail()
        before = "".join(p.text for p in self.pieces[:index])
        after = "".join(p.text for p in self.pieces[index + 1:])
        added = text.strip("\n") + "\n"
        if tail.strip():
            joined = body + "\n" + added + tail
        else:
            joined = body + "\n" + added + ("\n" if after else "")
        self._replace(before + joined + after)

    def append(self, text: str, *, source: str | None = None) -> None:
        """Add TOML tables at the end of *source*'s section, or at the end of the file."""
        index = None if source is None else self.section_end(source)
        if index is not None:
            self.insert_after(index, text)
            return
        current = self.as_string().rstrip("\n")
        self._replace((current + "\n\n" if current else "") + text.strip("\n") + "\n")

    def _replace(self, text: str) -> None:
        self.pieces = Document.parse(text, origin=self.origin).pieces

    def save(self, path: str | os.PathLike[str] | None = None) -> None:
        """Write the document atomically (to the file it came from by default)."""
        from .io import write_atomically

        write_atomically(path if path is not None else self.origin, self.bom + self.as_string())


def _parse_piece(text: str, origin: str) -> tomlkit.TOMLDocument:
    try:
        return tomlkit.parse(text)
    except Exception as exc:  # pragma: no cover - tomllib accepted the whole text
        raise InvalidLedgerError(f"{origin}: cannot be edited safely", [
            InvalidEntryError(f"tomlkit cannot read a table: {exc}", path=origin)]) from None


def _merged(pieces: Sequence[_Piece]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for piece in pieces:
        data = tomllib.loads(piece.text)
        for key, value in data.items():
            if isinstance(value, list) and isinstance(out.get(key), list):
                out[key].extend(value)
            else:
                out[key] = value
    return out


# -- writing new tables ---------------------------------------------------------

def render_value(value: object) -> str:
    """One value as TOML, the way tomlkit writes it."""
    if isinstance(value, tuple):
        value = list(value)
    item = tomlkit.item(value)
    return item.as_string()


def render_table(name: str, fields: Iterable[tuple[str, object]]) -> str:
    """An array-of-tables entry, ``[[name]]`` and one ``key = value`` per line."""
    lines = [f"[[{name}]]"]
    for key, value in fields:
        if value is None or value == [] or value == ():
            continue
        if isinstance(value, float) and value == float("inf"):
            lines.append(f"{key} = inf")
            continue
        if isinstance(value, date):
            lines.append(f"{key} = {value.isoformat()}")
            continue
        lines.append(f"{key} = {render_value(value)}")
    return "\n".join(lines)


# -- layout -----------------------------------------------------------------------

_KEY = re.compile(r"^\s*((?:[A-Za-z0-9_-]+|\"(?:[^\"\\]|\\.)*\"|'[^']*')"
                  r"(?:\s*\.\s*(?:[A-Za-z0-9_-]+|\"(?:[^\"\\]|\\.)*\"|'[^']*'))*)\s*=\s*")


def fmt(text: str, *, origin: str = "<string>") -> str:
    """The same TOML in the house layout; every comment and value kept, in order.

    Raises:
        InvalidLedgerError: when the text is not TOML.
    """
    before = Document.parse(text, origin=origin).data()
    text = text.replace("\r\n", "\n")
    out: list[str] = []
    verbatim: set[int] = set()  # lines inside multi-line strings and arrays stay as written
    in_table = False

    def trim_blanks() -> None:
        while out and out[-1] == "" and len(out) - 1 not in verbatim:
            out.pop()

    for line in _scan(text):
        raw = line.text
        if not line.code:
            verbatim.add(len(out))
            out.append(raw)
            continue
        if line.blank:
            out.append("")
            continue
        comment = "" if line.comment_at is None else raw[line.comment_at:].rstrip()
        code = (raw if line.comment_at is None else raw[:line.comment_at]).strip()
        if line.header is not None:
            in_table = True
            code = f"[[{line.header}]]" if raw.lstrip().startswith("[[") else f"[{line.header}]"
            if out and out[-1] != "" and not out[-1].startswith("#"):
                out.append("")  # a comment right above a table stays attached to it
        elif code and (m := _KEY.match(code)):
            key = re.sub(r"\s*\.\s*", ".", m[1])
            code = f"{key} = {code[m.end():].strip()}"
            if in_table and _above_is_key(out, verbatim):
                trim_blanks()  # no blank lines between the keys of one table
        out.append(f"{code}  {comment}" if code and comment else (code or comment))
    result: list[str] = []
    blanks = 0
    for i, line_text in enumerate(out):
        if line_text == "" and i not in verbatim:
            blanks += 1
            if blanks > 2 or not result:
                continue
        else:
            blanks = 0
        result.append(line_text)
    while result and result[-1] == "":
        result.pop()
    formatted = "\n".join(result) + "\n"
    if Document.parse(formatted, origin=origin).data() != before:  # pragma: no cover
        raise InvalidLedgerError(f"{origin}: formatting would change the data", [
            InvalidEntryError("formatting would change the data; file left as it is",
                              path=origin)])
    return formatted


def _above_is_key(out: list[str], verbatim: set[int]) -> bool:
    """Whether the last non-blank line so far is a key or value (not a comment)."""
    for i in range(len(out) - 1, -1, -1):
        if out[i] == "" and i not in verbatim:
            continue
        return i in verbatim or not out[i].startswith("#")
    return False


# -- saving a Ledger into the file it came from ----------------------------------

def save(ledger: Any, path: str | os.PathLike[str]) -> None:
    """Write *ledger* to *path*, keeping the comments and layout of the file there.

    Tables whose values did not change are left byte for byte and keep their place in
    the file (so the file's order wins over the ledger's); changed keys are set in
    place; new claims go at the end of their source's section, new metrics after the
    last metric, new sources and identities at the end of the file; tables no longer in
    the ledger are removed (the comments after them stay); metrics and identities an
    ``include`` brings in are left to their own file. A new file is written in
    :func:`fmt` layout.
    """
    from .io import dumps

    p = Path(path)
    if not p.exists():
        from .io import write_atomically

        write_atomically(p, fmt(dumps(ledger), origin=str(p)))
        return
    doc = Document.load(p)
    sync(doc, ledger)
    doc.save(p)


def sync(doc: Document, ledger: Any) -> None:
    """Make *doc* say what *ledger* says, touching only what differs."""
    from .draft import claim_fields, source_fields

    def metric_fields(m: Any) -> list[tuple[str, object]]:
        return [("id", m.id), ("description", m.description), ("unit", m.unit),
                ("aggregate", m.aggregate or "none"), ("part_of", m.part_of),
                ("terms", list(m.terms) or None)]

    def update(kind: str, ident: str, fields: list[tuple[str, object]]) -> None:
        index = doc.find(kind, ident)
        assert index is not None
        table = doc.pieces[index].table
        assert table is not None
        wanted = tomllib.loads(render_table(kind, fields))[kind][0]
        have = tomllib.loads(doc.pieces[index].text)[kind][0]
        changed = False
        for key in list(table.keys()):
            if key not in wanted and not _same(key, have.get(key), None):
                del table[key]
                changed = True
        for key, value in fields:
            if value is None or key not in wanted:
                continue
            if not _same(key, have.get(key), wanted[key]):
                table[key] = list(value) if isinstance(value, tuple) else value
                changed = True
        if changed:
            doc.pieces[index].refresh()

    shared_metrics, shared_identities = _included(doc)

    own_metrics = [m for m in ledger.metrics if m not in shared_metrics]
    for kind, items, fields_of in (("metric", own_metrics, metric_fields),
                                   ("source", ledger.sources, source_fields),
                                   ("claim", ledger.claims, claim_fields)):
        wanted_ids = {x.id for x in items}
        for _, table in list(doc.tables(kind)):
            ident = table.get("id")
            if isinstance(ident, str) and ident not in wanted_ids:
                doc.remove(kind, ident)
        for item in items:
            if doc.find(kind, item.id) is not None:
                update(kind, item.id, fields_of(item))
            else:
                text = render_table(kind, fields_of(item))
                if kind == "claim":
                    doc.append(text, source=item.source)
                elif kind == "metric" and (last := [i for i, _ in doc.tables("metric")]):
                    doc.insert_after(last[-1], text)
                else:
                    doc.append(text)
    keep = [{i.whole: list(i.parts)} for i in ledger.identities]
    for index, _ in reversed(list(doc.tables("identity"))):
        if tomllib.loads(doc.pieces[index].text)["identity"][0] not in keep:
            doc.remove_piece(index)
    existing = [tomllib.loads(doc.pieces[i].text)["identity"][0] for i, _ in
                doc.tables("identity")]
    for ident in ledger.identities:
        if ident in shared_identities:
            continue
        entry = {ident.whole: list(ident.parts)}
        if entry not in existing:
            parts = ", ".join(render_value(x) for x in ident.parts)
            doc.append(f"[[identity]]\n{ident.whole} = [{parts}]\n")


_DEFAULTS: dict[str, object] = {"unit": "USD", "aggregate": "sum", "weight": 1.0}


def _same(key: str, have: object, wanted: object) -> bool:
    """Whether a key's value in the file already says what the ledger says."""
    from .claims import parse_change
    from .exceptions import LedgerError
    from .periods import parse_period

    if have is None and wanted is not None:
        return _DEFAULTS.get(key, object()) == wanted
    if wanted is None and have is not None:
        return _DEFAULTS.get(key, object()) == have
    if have == wanted:
        return True
    parse = {"period": parse_period, "change": parse_change}.get(key)
    if parse is not None and isinstance(have, str) and isinstance(wanted, str):
        try:
            return bool(parse(have) == parse(wanted))
        except LedgerError:
            return False
    return False


def _included(doc: Document) -> tuple[set[Any], set[Any]]:
    """The metrics and identities the document's ``include`` brings in: not its own."""
    from .io import load

    names = doc.data().get("include")
    if not isinstance(names, list):
        return set(), set()
    base = Path(doc.origin).parent
    metrics: set[Any] = set()
    identities: set[Any] = set()
    for name in names:
        shared = load(base / str(name))
        metrics.update(shared.metrics)
        identities.update(shared.identities)
    return metrics, identities
