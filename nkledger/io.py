"""Reading and writing ledger files (TOML).

The format is the one in ``docs/ledger-format.md`` (whose example is read verbatim):
arrays of tables ``[[metric]]``, ``[[identity]]``, ``[[source]]`` and ``[[claim]]``.
Figures are strings, exactly as the outlet wrote them (``value = "some $1.26
billion"``); a TOML float is refused, because ``2.7e9`` has already lost the digits that
say how precise the outlet was.

Reading is all-or-nothing: every problem in the file — bad TOML aside, which stops the
parser — is collected and raised together as one
:class:`~nkledger.exceptions.InvalidLedgerError`, one line per problem with file, line,
entry and value. tomllib does not report where a table was, so the line of each
``[[claim]]`` and of each key inside it is found by a plain scan of the text; that is
only used for messages.

A large file's ``[[claim]]`` tables, where they are plainly written (``key = "text"``
lines), are read by regular expressions rather than the TOML parser, several times
faster; only where that is sure to give what tomllib gives (:func:`_quick_loads` says
when), and anything else, every error included, is read by the parser.

Writing (:func:`dumps`) is deterministic and lossless: ``loads(dumps(ledger)) ==
ledger`` for every ledger, with the digits, qualifiers, quotes and unicode kept.
:func:`save` keeps the comments and layout of the file it saves over
(:mod:`nkledger.edit`); it writes to a temporary file beside the target and renames it,
so a failed write never leaves half a file.
"""

from __future__ import annotations

import functools
import math
import os
import re
import stat
import sys
import tempfile
import tomllib
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from ._collector import paused
from .claims import (
    Change,
    Claim,
    Identity,
    Metric,
    Source,
    _made_claim,
    parse_change,
    parse_rank,
)
from .exceptions import InvalidEntryError, InvalidLedgerError, LedgerError
from .figures import Figure, parse_figure
from .ledger import Ledger
from .periods import MIN_YEAR, Period, parse_period

__all__ = ["DEFAULT_MAX_SIZE", "dumps", "load", "loads", "save"]

T = TypeVar("T")

_HEADER = re.compile(r"^\s*\[\[\s*([A-Za-z_]+)\s*\]\]")
_KEY = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_-]*|\"[^\"]*\")\s*[=.]")
_TABLE = re.compile(r"^\s*\[\s*([A-Za-z_][A-Za-z0-9_-]*|\"[^\"]*\")\s*[\].]")
_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")
# what _HEADER matches after the spaces that start a line, in a text whose only line
# break is "\n"
_HEADER_REST = re.compile(r"\[\[[^\S\n]*([A-Za-z_]+)[^\S\n]*\]\]")
# the line breaks of str.splitlines() other than "\n"
_ODD_BREAKS = ("\r", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")
_TABLES = ("metric", "identity", "source", "claim")
_CLAIM_KEYS = {"id", "source", "metric", "period", "quote", "value", "change", "rank",
               "direction", "low", "high", "basis", "note", "status"}
_SOURCE_KEYS = {"id", "outlet", "published", "title", "url", "cites", "origin", "weight",
                "basis", "note", "file"}
_METRIC_KEYS = {"id", "unit", "aggregate", "description", "part_of", "sign", "terms"}


class _Lines:
    """Where each array-of-tables entry, and each key inside it, starts in the text.

    The ``[[table]]`` headers are found at once (every entry's line is kept on it); the
    lines of keys and of other tables, only needed for messages, by a scan of every
    line the first time a message asks for one.
    """

    def __init__(self, text: str) -> None:
        self._source = text
        self._scanned = False
        self.headers: dict[str, list[int]] = {}
        self.keys: dict[tuple[str, int], dict[str, int]] = {}
        # where a name appears other than as [[name]]: a [name] table or a top-level key
        self.elsewhere: dict[str, int] = {}
        if any(ch in text for ch in _ODD_BREAKS):
            self._scan()  # line breaks other than "\n": the plain per-line scan
            return
        # The lines _HEADER matches, found from each "[[" in the text: with "\n" the only
        # line break, a line starts after one, and [^\S\n] is what \s is within a line.
        # The "[[" just after one cannot start a header: a "[" is not a space.
        number, at = 1, 0
        find, count, headers = text.find, text.count, self.headers
        starts, match = text.startswith, _HEADER_REST.match
        claims: list[int] | None = None
        pos = find("[[")
        while pos >= 0:
            if pos == 0 or text[pos - 1] == "\n":
                if starts("[[claim]]", pos):  # what _HEADER_REST reads as "claim", at once
                    number += count("\n", at, pos)
                    at = pos
                    if claims is None:
                        claims = headers.setdefault("claim", [])
                    claims.append(number)
                elif m := match(text, pos):
                    number += count("\n", at, pos)
                    at = pos
                    headers.setdefault(m[1], []).append(number)
            else:
                start = text.rfind("\n", 0, pos) + 1
                if text[start:pos].isspace() and (m := match(text, pos)):
                    number += count("\n", at, start)
                    at = start
                    headers.setdefault(m[1], []).append(number)
            pos = find("[[", pos + 2)

    @property
    def text(self) -> list[str]:
        """The lines of the text."""
        return self._source.splitlines()

    @property
    def count(self) -> int:
        """How many lines the text has (at least 1)."""
        return max(1, len(self.text))

    def _scan(self) -> None:
        self._scanned = True
        self.headers = {}
        current: tuple[str, int] | None = None
        top = True
        for number, line in enumerate(self._source.splitlines(), start=1):
            if m := _HEADER.match(line):
                starts = self.headers.setdefault(m[1], [])
                current = (m[1], len(starts))
                starts.append(number)
                self.keys[current] = {}
                top = False
            elif t := _TABLE.match(line):
                current = None
                top = False
                self.elsewhere.setdefault(t[1].strip('"'), number)
            elif line.lstrip().startswith("["):
                current = None
                top = False
            elif (k := _KEY.match(line)) and (current is not None or top):
                name = k[1].strip('"')
                if current is not None:
                    self.keys[current].setdefault(name, number)
                else:
                    self.elsewhere.setdefault(name, number)

    def header(self, table: str, index: int) -> int | None:
        """The line of entry *index* of ``[[table]]`` (as :meth:`of` without a key)."""
        starts = self.headers.get(table)
        if starts is not None and index < len(starts):
            return starts[index]
        return self.of(table, index)

    def of(self, table: str, index: int, key: str | None = None) -> int | None:
        if not self._scanned:
            self._scan()
        keys = self.keys.get((table, index), {})
        if key is not None and key in keys:
            return keys[key]
        starts = self.headers.get(table, [])
        if index < len(starts):
            return starts[index]
        return self.elsewhere.get(table.strip('"'))


class _Reader:
    """Turns parsed TOML into model objects, collecting every problem on the way."""

    def __init__(self, origin: str, lines: _Lines) -> None:
        self.origin = origin
        self.lines = lines
        self.problems: list[InvalidEntryError] = []

    def fail(self, message: str, entry: str, line: int | None) -> None:
        self.problems.append(InvalidEntryError(message, path=self.origin, line=line, entry=entry))

    def entries(self, data: dict[str, Any], table: str) -> Iterator[tuple[int, dict[str, Any]]]:
        raw = data.get(table, [])
        if not isinstance(raw, list):
            self.fail(f"'{table}' must be an array of tables: write [[{table}]]", table,
                      self.lines.of(table, 0))
            return
        for index, entry in enumerate(raw):
            if not isinstance(entry, dict):
                self.fail(f"entry {index + 1} is not a table: write [[{table}]]", table,
                          self.lines.of(table, index))
                continue
            yield index, entry

    def convert(
        self, entry: str, where: Callable[[], int | None], key: str, raw: Any,
        parse: Callable[[Any], T],
    ) -> T | None:
        """``parse(raw)``, or None with the problem noted at line ``where()``."""
        try:
            return parse(raw)
        except LedgerError as exc:
            line = where()
            message = str(exc)
            if message.startswith(key):
                pass
            elif repr(raw) in message:
                message = f"{key}: {message}"
            else:
                message = f"{key} {raw!r}: {message}"
            self.fail(message, entry, line)
        except (TypeError, ValueError) as exc:
            self.fail(f"{key} {raw!r}: {exc}", entry, where())
        return None


def _string(raw: Any) -> str:
    if not isinstance(raw, str):
        raise TypeError(f"must be a string, got {type(raw).__name__}")
    return raw


def _strings(raw: Any) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(x, str) and x.strip() for x in raw):
        raise TypeError("must be a list of words, e.g. [\"Chinese shipments to North Korea\"]")
    return tuple(raw)


def _status(raw: Any) -> str | None:
    text = _string(raw)
    if text not in ("draft", "accepted"):
        raise ValueError("must be 'draft' (not yet accepted) or 'accepted'")
    return "draft" if text == "draft" else None


def _figure(raw: Any) -> Figure:
    if isinstance(raw, bool | float):
        raise TypeError("write figures as strings (value = \"$2.7bn\") so their digits are kept")
    if isinstance(raw, int):
        raw = str(raw)
    return parse_figure(_string(raw))


def _date(raw: Any) -> date:
    # a datetime is a date too, but one that cannot be compared with plain dates
    if isinstance(raw, datetime):
        raise TypeError("must be a date such as 2026-01-20, not a date and time")
    if isinstance(raw, date):
        return raw
    return date.fromisoformat(_string(raw))


def _weight(raw: Any) -> float:
    if isinstance(raw, str) and raw.strip().lower() in ("inf", "infinity", "pinned"):
        return math.inf
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise TypeError("must be a positive number, or inf to pin the source")
    return float(raw)


def _read_metric(r: _Reader, index: int, raw: dict[str, Any]) -> Metric | None:
    line = r.lines.header("metric", index)
    entry = f"metric {raw.get('id', index + 1)!r}"
    before = len(r.problems)
    for key in sorted(set(raw) - _METRIC_KEYS):
        r.fail(f"unknown key {key!r}; expected one of {', '.join(sorted(_METRIC_KEYS))}",
               entry, r.lines.of("metric", index, key))

    def get(key: str, default: str | None = None) -> str | None:
        if key not in raw:
            return default
        return r.convert(entry, lambda: r.lines.of("metric", index, key), key, raw[key],
                         _string)

    ident = get("id")
    if "id" not in raw:
        r.fail("id is missing", entry, line)
    unit = get("unit", "USD")
    # absent means "sum", as for Metric itself: a file and the model must agree
    agg = get("aggregate", "sum")
    desc = get("description")
    part = get("part_of")
    # a balance (exports − imports) sums over time but may be negative: sign = "any"
    sign = get("sign", "nonnegative")
    terms: tuple[str, ...] = ()
    if "terms" in raw:
        terms = r.convert(entry, lambda: r.lines.of("metric", index, "terms"), "terms",
                          raw["terms"],
                          _strings) or ()
    if agg is not None and agg not in ("sum", "none"):
        r.fail(f"aggregate {agg!r}: must be 'sum' or 'none'", entry,
               r.lines.of("metric", index, "aggregate"))
    if sign is not None and sign not in ("nonnegative", "any"):
        r.fail(f"sign {sign!r}: must be 'any' (the metric may be negative) or "
               f"'nonnegative' (the default)", entry, r.lines.of("metric", index, "sign"))
    if len(r.problems) > before:
        # a stand-in, see loads()
        return None if ident is None else Metric(id=ident, unit=unit or "USD", line=line)
    assert ident is not None and unit is not None
    return Metric(id=ident, unit=unit, aggregate="sum" if agg == "sum" else None,
                  description=desc, part_of=part,
                  sign="any" if sign == "any" else "nonnegative", terms=terms, line=line)


def _read_identity(r: _Reader, index: int, raw: dict[str, Any]) -> Identity | None:
    line = r.lines.header("identity", index)
    if set(raw) == {"whole", "parts"}:
        raw = {raw["whole"]: raw["parts"]}
    if len(raw) != 1:
        r.fail("write one identity per table: total = [\"exports\", \"imports\"]",
               f"identity {index + 1}", line)
        return None
    (whole, parts), = raw.items()
    if not isinstance(parts, list) or not parts or not all(isinstance(p, str) for p in parts):
        r.fail(f"{whole} = {parts!r}: the parts must be a list of metric ids",
               f"identity {index + 1}", line)
        return None
    return Identity(whole=whole, parts=tuple(parts), line=line)


def _read_source(r: _Reader, index: int, raw: dict[str, Any]) -> Source | None:
    line = r.lines.header("source", index)
    entry = f"source {raw.get('id', index + 1)!r}"
    for key in sorted(set(raw) - _SOURCE_KEYS):
        r.fail(f"unknown key {key!r}; expected one of {', '.join(sorted(_SOURCE_KEYS))}",
               entry, r.lines.of("source", index, key))

    def get(key: str, parse: Callable[[Any], T]) -> T | None:
        if key not in raw:
            return None
        return r.convert(entry, lambda: r.lines.of("source", index, key), key, raw[key],
                         parse)

    ident = get("id", _string)
    if "id" not in raw:
        r.fail("id is missing", entry, line)
    if ident is None:
        return None
    weight = get("weight", _weight)
    try:
        return Source(
            id=ident, outlet=get("outlet", _string), published=get("published", _date),
            title=get("title", _string), url=get("url", _string), cites=get("cites", _string),
            origin=get("origin", _string),
            weight=1.0 if weight is None else weight, basis=get("basis", _string),
            note=get("note", _string), file=get("file", _string), line=line,
        )
    except LedgerError as exc:
        r.fail(str(exc), entry, r.lines.of("source", index, "weight"))
        return Source(id=ident, line=line)  # a stand-in, see loads()


class _Memo:
    """One object for each value written many times in a file, while it is read.

    A million claims name a few thousand metrics, sources and periods and repeat many
    figures: each is read once and shared (all are immutable), which saves the parsing
    and most of the memory.
    """

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.periods: dict[str, Period] = {}
        self.changes: dict[str, Change] = {}
        self.figures: dict[str, Figure] = {}

    def name(self, text: str) -> str:
        return self.names.setdefault(text, text)

    def period(self, text: str) -> Period:
        try:
            return self.periods[text]
        except KeyError:
            period = self.periods[text] = parse_period(text)
            return period

    def change(self, text: str) -> Change:
        try:
            return self.changes[text]
        except KeyError:
            change = self.changes[text] = parse_change(text)
            return change

    def figure(self, raw: Any) -> Figure | None:
        """The figure written as *raw*; None when absent (raises when not plainly a string)."""
        if raw is None:
            return None
        if type(raw) is not str:
            raise TypeError("read the careful way")
        try:
            return self.figures[raw]
        except KeyError:
            figure = self.figures[raw] = parse_figure(raw)
            return figure


def _quick_claim(memo: _Memo, line: int | None, raw: dict[str, Any]) -> Claim | None:
    """The claim a plainly well-written entry states, or None to read it with _read_claim.

    None whenever :func:`_read_claim` could find any problem at all, so every message
    comes from one place; otherwise the same claim it would read.
    """
    if not _CLAIM_KEYS.issuperset(raw):
        return None
    get = raw.get
    ident, source, metric = get("id"), get("source"), get("metric")
    quote, period_text = get("quote"), get("period")
    if not (type(ident) is str and type(source) is str and type(metric) is str
            and type(quote) is str and type(period_text) is str):
        return None  # a key missing (None) or not a string
    value, change, direction = get("value"), get("change"), get("direction")
    rank, low, high = get("rank"), get("low"), get("high")
    basis, note, status = get("basis"), get("note"), get("status")
    if not ((value is None or type(value) is str) and (change is None or type(change) is str)
            and (direction is None or direction == "up" or direction == "down")
            and (rank is None or type(rank) is str) and (low is None or type(low) is str)
            and (high is None or type(high) is str) and (basis is None or type(basis) is str)
            and (note is None or type(note) is str)
            and (status is None or status == "draft" or status == "accepted")):
        return None
    names, figures = memo.names, memo.figures
    try:
        period = memo.periods.get(period_text) or memo.period(period_text)
        if value is not None:
            value = figures.get(value) or memo.figure(value)
        if low is not None:
            low = figures.get(low) or memo.figure(low)
        if high is not None:
            high = figures.get(high) or memo.figure(high)
        if change is not None:
            change = memo.changes.get(change) or memo.change(change)
        if rank is not None:
            rank = parse_rank(rank, period)
    except (LedgerError, TypeError, ValueError):
        return None
    return _made_claim(
        ident, names.get(source) or memo.name(source), names.get(metric) or memo.name(metric),
        period, names.get(quote) or memo.name(quote), value, change, rank, direction, low,
        high, None if basis is None else names.get(basis) or memo.name(basis), note,
        "draft" if status == "draft" else None, line)


def _read_claim(r: _Reader, index: int, raw: dict[str, Any]) -> Claim | None:
    line = r.lines.header("claim", index)
    entry = f"claim {raw.get('id', index + 1)!r}"
    before = len(r.problems)
    for key in sorted(set(raw) - _CLAIM_KEYS):
        r.fail(f"unknown key {key!r}; expected one of {', '.join(sorted(_CLAIM_KEYS))}",
               entry, r.lines.of("claim", index, key))

    def get(key: str, parse: Callable[[Any], T], required: bool = False) -> T | None:
        if key not in raw:
            if required:
                r.fail(f"{key} is missing", entry, line)
            return None
        return r.convert(entry, lambda: r.lines.of("claim", index, key), key, raw[key],
                         parse)

    ident = get("id", _string, required=True)
    source = get("source", _string, required=True)
    metric = get("metric", _string, required=True)
    quote = get("quote", _string, required=True)
    period = get("period", lambda v: parse_period(_string(v)), required=True)
    value = get("value", _figure)
    change = get("change", lambda v: parse_change(_string(v)))
    direction = get("direction", _string)
    rank = None
    if "rank" in raw and period is not None:
        rank = get("rank", lambda v: parse_rank(_string(v), period))
    low = get("low", _figure)
    high = get("high", _figure)
    basis = get("basis", _string)
    note = get("note", _string)
    status = get("status", _status)
    if direction is not None and direction not in ("up", "down"):
        r.fail(f"direction {direction!r}: must be 'up' or 'down'", entry,
               r.lines.of("claim", index, "direction"))
    if len(r.problems) > before:
        if ident is None or source is None or metric is None:
            return None
        # a stand-in that states only a direction, see loads()
        return Claim(id=ident, source=source, metric=metric, quote="-", direction="up",
                     period=period or Period.month(MIN_YEAR, 1), line=line)
    assert ident is not None and source is not None and metric is not None
    assert quote is not None and period is not None
    return Claim(
        id=ident, source=source, metric=metric, period=period, quote=quote, value=value,
        change=change, rank=rank, direction=direction,  # type: ignore[arg-type]
        low=low, high=high, basis=basis, note=note, status=status,  # type: ignore[arg-type]
        line=line,
    )


# -- the claims of a plainly written file, read without a TOML parser ---------------------

_QUICK_HEADER = "[[claim]]\n"
_QUICK_SEPARATOR = "\n" + _QUICK_HEADER
# a line ``key = "text"``: a bare key and a basic string with nothing TOML would refuse or
# unescape (no quote, backslash or control character but tab), exactly as tomllib reads it
_QUICK_PAIR = re.compile(r'([A-Za-z0-9_-]+) = "([^"\\\x00-\x08\n-\x1f\x7f]*)"\n')
_QUICK_BLOCK = re.compile(r'(?:[A-Za-z0-9_-]+ = "[^"\\\x00-\x08\n-\x1f\x7f]*"\n|\n)*')
_TABLE_LINE = re.compile(r"^[ \t]*\[", re.MULTILINE)


# a [[claim]] table in the order nkledger writes its keys (dumps(), and most generators),
# read by one match of this: header, key lines, blank lines, then the next header or the
# end; each key once, except that "change" may come before "value" or after "direction"
_VALUE = r'"([^"\\\x00-\x08\n-\x1f\x7f]*)"\n'
_QUICK_TABLE = re.compile(
    r"\[\[claim\]\]\nid = " + _VALUE + "source = " + _VALUE + "metric = " + _VALUE
    + "period = " + _VALUE
    + "".join(f"(?:{key} = {_VALUE})?" for key in (
        "change", "value", "rank", "direction", "change", "low", "high", "basis", "status",
        "note"))
    + "quote = " + _VALUE + r"\n*(?=\[\[claim\]\]\n|\Z)")
#: The key of each of _QUICK_TABLE's groups.
_QUICK_KEYS = ("id", "source", "metric", "period", "change", "value", "rank", "direction",
               "change", "low", "high", "basis", "status", "note", "quote")


def _quick_loads(text: str, memo: _Memo | None = None, starts: list[int] | None = None
                 ) -> dict[str, Any] | None:
    """The document as :mod:`tomllib` reads it, its claims read quickly; None if not sure.

    A ledger of a million claims is mostly ``[[claim]]`` tables of ``key = "text"`` lines,
    which regular expressions read several times faster than a TOML parser. This is
    only done where it is sure to read what tomllib reads, and otherwise None is returned
    and the whole text goes to the parser (which then also gives every message):

    - The text has no multi-line string (no triple quote) and no carriage return, so
      every line is a whole TOML line and a line that is exactly ``[[claim]]`` can only be
      an array-of-tables header (inside an array it would not be a value; a string or
      comment cannot span it).
    - Everything before the first such line (metrics, identities, sources) is a document
      of its own, read by the parser; it must not define ``claim`` in any way.
    - Each table after a header holds only ``key = "text"`` lines and blank lines, read
      by the expressions, with no key twice; any other table is read by the parser on its
      own (header and lines) and must be one ``[[claim]]`` table with no other table line
      in it; so statements are read by the same rules, in the same table, as a parse of
      the whole text would.

    A table is what the text holds from its header line to the next such line (as
    ``str.split`` finds them). Most are read by one match of ``_QUICK_TABLE`` (their keys
    in nkledger's order), any other plain one by two expressions: one to see it is
    plain, one for its lines.

    With *memo* and *starts* (each claim header's line), a table ``_QUICK_TABLE`` reads
    that :func:`_quick_claim` would make a claim of is that claim already, made the same
    way: the list under ``"claim"`` then holds claims and tables.
    """
    if '"""' in text or "'''" in text or "\r" in text:
        return None
    # the text before the first header line; the tables start at *pos*
    if text.startswith(_QUICK_HEADER):
        prefix, pos = "", 0
    else:
        first = text.find(_QUICK_SEPARATOR)
        if first < 0:
            return None
        prefix, pos = text[:first + 1], first + 1
    try:
        data = _compiled_loads(prefix) or tomllib.loads(prefix)
    except Exception:  # the parser reads the whole text and says what is wrong
        return None
    if "claim" in data:
        return None
    claims: list[Any] = []
    add = claims.append
    table, plain, pairs_of = _QUICK_TABLE.match, _QUICK_BLOCK.fullmatch, _QUICK_PAIR.findall
    end, find, skip = len(text), text.find, len(_QUICK_HEADER)
    memo = memo if starts is not None else None
    found = 0 if starts is None else len(starts)
    index = 0
    while pos < end:
        m = table(text, pos)
        if m is None:
            # any other table: the lines from its header to the next header
            start = pos + skip
            stop = find(_QUICK_SEPARATOR, start)
            block = text[start:] if stop < 0 else text[start:stop]
            pos = end if stop < 0 else stop + 1
            block += "\n"
            if plain(block) is not None:
                pairs = pairs_of(block)
                entry = dict(pairs)
                if len(entry) != len(pairs):
                    return None  # a key written twice: the parser says where
            else:
                found_entry = _one_claim(block)
                if found_entry is None:
                    return None
                entry = found_entry
            add(entry)
            index += 1
            continue
        pos = m.end()
        fields = m.groups()
        if fields[8] is not None and fields[4] is not None:
            return None  # change written twice: the parser says where
        claim = None
        if memo is not None and starts is not None and index < found:
            claim = _made(memo, fields, starts[index])
        if claim is None:
            # the table as tomllib reads it (its keys in another order: no matter)
            add({key: value for key, value in zip(_QUICK_KEYS, fields, strict=True)
                 if value is not None})
        else:
            add(claim)
        index += 1
    data["claim"] = claims
    return data


def _made(memo: _Memo, fields: tuple[str | None, ...], line: int) -> Claim | None:
    """What :func:`_quick_claim` makes of the table of these ``_QUICK_TABLE`` groups."""
    (ident, source, metric, period_text, change, value, rank, direction, again, low, high,
     basis, status, note, quote) = fields
    if not ((direction is None or direction == "up" or direction == "down")
            and (status is None or status == "draft" or status == "accepted")):
        return None
    assert ident is not None and source is not None and metric is not None
    assert period_text is not None and quote is not None
    names, figures = memo.names, memo.figures
    try:
        period = memo.periods.get(period_text) or memo.period(period_text)
        figure = None if value is None else figures.get(value) or memo.figure(value)
        bottom = None if low is None else figures.get(low) or memo.figure(low)
        top = None if high is None else figures.get(high) or memo.figure(high)
        if again is not None:
            change = again
        base = None if change is None else memo.changes.get(change) or memo.change(change)
        ranked = None if rank is None else parse_rank(rank, period)
    except (LedgerError, TypeError, ValueError):
        return None
    return _made_claim(
        ident, names.get(source) or memo.name(source), names.get(metric) or memo.name(metric),
        period, names.get(quote) or memo.name(quote), figure, base, ranked,
        direction,  # type: ignore[arg-type]
        bottom, top, None if basis is None else names.get(basis) or memo.name(basis), note,
        "draft" if status == "draft" else None, line)


def _one_claim(block: str) -> dict[str, Any] | None:
    """The one ``[[claim]]`` table *block* (the lines after its header) holds, or None."""
    if _TABLE_LINE.search(block):
        return None
    table = _QUICK_HEADER + block
    try:
        data = _compiled_loads(table) or tomllib.loads(table)
    except Exception:
        return None
    found = data.get("claim")
    if len(data) != 1 or not isinstance(found, list) or len(found) != 1:
        return None
    entry: dict[str, Any] = found[0]
    return entry


#: How deep a document read by the compiled parser may nest (a ledger needs three).
_COMPILED_DEPTH = 32


def _compiled_loads(text: str) -> dict[str, Any] | None:
    """The document as :mod:`tomllib` reads it, read by a compiled parser; None if not.

    The compiled build of tomli (2.2 and 2.3: TOML 1.0, the grammar and code of the
    tomllib of Python 3.11 to 3.14), installed with ``pip install 'nkledger[fast]'``,
    reads a large ledger about twice as fast. It is only trusted with what tomllib
    would read the same way: any text it refuses, and any document nested deeper than
    :data:`_COMPILED_DEPTH` (tomllib gives up on nesting a few hundred deep, the
    compiled parser later), is read again by tomllib, so every message stays tomllib's.
    """
    parse = _compiled_parser()
    if parse is None:
        return None
    try:
        data = parse(text)
    except Exception:  # tomllib reads it again and says what is wrong
        return None
    return data if _shallow(data, _COMPILED_DEPTH) else None


@functools.cache
def _compiled_parser() -> Callable[[str], dict[str, Any]] | None:
    try:
        import tomli
        import tomli._parser
    except ImportError:
        return None
    version = tuple(int(x) for x in tomli.__version__.split(".")[:2] if x.isdigit())
    compiled = not str(getattr(tomli._parser, "__file__", "")).endswith(".py")
    if not compiled or not (2, 2) <= version < (2, 4):  # 2.4 reads TOML 1.1
        return None
    return tomli.loads


_CONTAINERS = frozenset((dict, list))


def _shallow(data: dict[str, Any], limit: int) -> bool:
    """Whether no table or array in *data* lies *limit* or more levels down."""
    level: list[dict[str, Any] | list[Any]] = [data]
    for _ in range(limit):
        below: list[dict[str, Any] | list[Any]] = []
        for value in level:
            items = value.values() if type(value) is dict else value
            if not _CONTAINERS.isdisjoint(map(type, items)):
                below.extend(x for x in items if type(x) is dict or type(x) is list)
        if not below:
            return True
        level = below
    return False


@paused
def loads(text: str, *, origin: str = "<string>", base: str | os.PathLike[str] | None = None,
          _seen: tuple[Path, ...] = ()) -> Ledger:
    """Read a ledger from TOML text; *origin* names it in error messages.

    ``include = ["metrics.toml"]`` at the top reads the metrics and identities of those
    files (relative to *base*, the ledger's folder; default the current one) as if they
    were written here, so many ledgers can share one declaration.

    Raises:
        InvalidLedgerError: listing every problem in the text, one line each.
    """
    if text.startswith("\ufeff"):  # a byte-order mark, as some Windows editors write
        text = text[1:]
    lines = _Lines(text)
    memo = _Memo()
    starts: list[int] = lines.headers.get("claim") or []
    try:
        quick = _quick_loads(text, memo, starts)
        data = quick or _compiled_loads(text) or tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = _TOML_LINE.search(str(exc))
        line = int(where[1]) if where else lines.count  # "(at end of document)"
        message = str(exc)
        if "\ufeff" in text[:200] and "Invalid statement" in message:
            message += " (a byte-order mark inside the file?)"
        raise InvalidLedgerError(
            f"{origin}: not valid TOML",
            [InvalidEntryError(f"not valid TOML: {message}", path=origin, line=line)],
        ) from None
    except RecursionError:
        raise InvalidLedgerError(f"{origin}: nested too deeply", [InvalidEntryError(
            "arrays or inline tables nested too deeply to read (a ledger needs no more "
            "than two levels)", path=origin, line=_deepest(text))]) from None
    except MemoryError:
        raise InvalidLedgerError(f"{origin}: too large", [InvalidEntryError(
            "too large to read into memory", path=origin, line=1)]) from None
    r = _Reader(origin, lines)
    # An entry with a problem is read as a bare stand-in with its id and references
    # (a claim stating only a direction), so the ledger still reports a claim's unknown
    # source or a duplicate id next to its bad figure, and a source whose weight is wrong
    # does not make every claim citing it "unknown". Any problem means nothing is
    # returned, so a stand-in never leaves this function.
    shared = _includes(data.pop("include", None), r, Path(base or "."), _seen)
    for key in sorted(set(data) - set(_TABLES)):
        r.fail(f"unknown table {key!r}; expected {', '.join(f'[[{t}]]' for t in _TABLES)}",
               key, lines.of(key, 0))
    metrics = [*shared.metrics,
               *(m for i, raw in r.entries(data, "metric") if (m := _read_metric(r, i, raw)))]
    identities = [*shared.identities, *(
        x for i, raw in r.entries(data, "identity") if (x := _read_identity(r, i, raw)))]
    sources = [s for i, raw in r.entries(data, "source") if (s := _read_source(r, i, raw))]
    claims: list[Claim] = []
    raw_claims = data.get("claim")
    found = len(starts)
    add = claims.append
    # the quick reading's list holds claims made already, and tables
    entries: Iterator[tuple[int, Any]] = (
        enumerate(quick["claim"]) if quick is not None else r.entries(data, "claim"))
    for i, raw in entries:
        if type(raw) is Claim:
            add(raw)
        else:
            at = starts[i] if i < found else lines.header("claim", i)
            claim = _quick_claim(memo, at, raw) or _read_claim(r, i, raw)
            if claim is not None:
                add(claim)
        assert isinstance(raw_claims, list)  # entries() yields from a list only
        raw_claims[i] = None  # read: its memory may go
    del memo, raw_claims
    problems: list[Exception] = list(r.problems)
    ledger = None
    try:
        ledger = Ledger(metrics=metrics, identities=identities, sources=sources, claims=claims,
                        origin=origin)
    except InvalidLedgerError as exc:
        problems.extend(exc.exceptions)
    if problems:
        problems.sort(key=lambda e: getattr(e, "line", None) or 0)
        n = len(problems)
        raise InvalidLedgerError(f"{origin}: {n} problem{'s' if n > 1 else ''} found", problems)
    assert ledger is not None
    return ledger


def _includes(raw: Any, r: _Reader, base: Path, seen: tuple[Path, ...]) -> Ledger:
    """The metrics and identities of the files an ``include = [...]`` names."""
    if raw is None:
        return Ledger()
    line = next((n for n, text in enumerate(r.lines.text, 1)
                 if re.match(r"\s*include\s*=", text)), None)
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        r.fail(f"include {raw!r}: must be a list of file names, e.g. [\"metrics.toml\"]",
               "include", line)
        return Ledger()
    metrics: dict[Metric, None] = {}
    identities: dict[Identity, None] = {}
    for name in raw:
        path = (base / name).resolve()
        if path in seen:
            r.fail(f"include {name!r}: includes itself (through {' -> '.join(map(str, seen))})",
                   "include", line)
            continue
        try:
            text = _decode(_read_bytes(path, str(base / name), DEFAULT_MAX_SIZE),
                           str(base / name))
            shared = loads(text, origin=str(base / name), base=path.parent,
                           _seen=(*seen, path))
        except InvalidLedgerError as exc:
            r.problems.extend(e for e in exc.exceptions
                              if isinstance(e, InvalidEntryError))
            continue
        except (OSError, UnicodeDecodeError) as exc:
            r.fail(f"include {name!r}: cannot read {path}: {getattr(exc, 'strerror', None) or exc}",
                   "include", line)
            continue
        if shared.sources or shared.claims:
            r.fail(f"include {name!r}: an included file declares metrics and identities only",
                   "include", line)
        metrics.update(dict.fromkeys(shared.metrics))
        identities.update(dict.fromkeys(shared.identities))
    return Ledger(metrics=list(metrics), identities=list(identities))


def _deepest(text: str) -> int:
    """The line where brackets and braces are nested deepest (strings not told apart)."""
    depth = best = 0
    where = 1
    for number, line in enumerate(text.splitlines(), start=1):
        for ch in line:
            if ch in "[{":
                depth += 1
                if depth > best:
                    best, where = depth, number
            elif ch in "]}":
                depth = max(0, depth - 1)
    return where


#: The largest ledger file :func:`load` reads by default, in bytes (256 MiB: a million
#: claims take about 137 MiB, and about 550 MB of memory while they are read).
DEFAULT_MAX_SIZE = 256 * 1024 * 1024

_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


def file_kind(mode: int) -> str:
    """What a file of this ``st_mode`` is, in words: "a regular file", "a FIFO"..."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return "a regular file" if stat.S_ISREG(mode) else "a special file"


def _refuse(origin: str, message: str) -> InvalidLedgerError:
    return InvalidLedgerError(f"{origin}: {message}", [InvalidEntryError(message, path=origin)])


def _too_large(origin: str, max_size: int) -> InvalidLedgerError:
    return _refuse(origin, f"larger than the limit of {max_size:,} bytes (raise it with "
                           f"max_size=, or --max-size on the command line)")


def _read_bytes(path: str | os.PathLike[str], origin: str, max_size: int) -> bytes:
    # stat before opening: opening a FIFO for reading blocks until a writer comes
    try:
        info = os.stat(path)
    except ValueError:  # a NUL byte in the name
        raise _refuse(origin, "not a file name: it holds a NUL character") from None
    if not stat.S_ISREG(info.st_mode):
        raise _refuse(origin, f"not a regular file but {file_kind(info.st_mode)}; nkledger "
                              f"reads ledger files, or standard input as '-'")
    if info.st_size > max_size:
        raise _too_large(origin, max_size)
    # O_NONBLOCK: should the path have become a FIFO since, opening still returns at once
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _refuse(origin, "not a regular file")
        data = f.read(max_size + 1)
    if len(data) > max_size:
        raise _too_large(origin, max_size)
    return data


def _decode(data: bytes, origin: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InvalidLedgerError(f"{origin}: not UTF-8 text", [InvalidEntryError(
            f"not UTF-8 text: byte 0x{data[exc.start]:02x} at column {column}",
            path=origin, line=line)]) from None


def load(path: str | os.PathLike[str], *, max_size: int = DEFAULT_MAX_SIZE) -> Ledger:
    """Read a ledger file, or standard input when *path* is ``"-"``.

    Only a regular file is read: a directory, FIFO, device or socket is refused before
    it is opened (so a FIFO with no writer never hangs, and ``/dev/zero`` never fills
    memory), and so is a file larger than *max_size* bytes
    (:data:`DEFAULT_MAX_SIZE`). A UTF-8 byte-order mark is skipped.

    Raises:
        InvalidLedgerError: listing every problem in the file, one line each.
        OSError: when the file cannot be read.
    """
    origin = "<stdin>" if str(path) == "-" else str(path)
    try:
        if str(path) == "-":
            data = sys.stdin.buffer.read(max_size + 1)
            if len(data) > max_size:
                raise _too_large(origin, max_size)
        else:
            data = _read_bytes(path, origin, max_size)
        text = _decode(data, origin)
        del data  # the text is all that is needed from here on
    except MemoryError:
        raise _refuse(origin, "too large to read into memory") from None
    where = Path(".") if str(path) == "-" else Path(path)
    seen = () if str(path) == "-" else (where.resolve(),)
    return loads(text, origin=origin, base=where.parent if seen else where, _seen=seen)


# -- writing ---------------------------------------------------------------------

def _quote(text: str) -> str:
    out = ['"']
    for ch in text:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else _quote(name)


def _table(name: str, fields: list[tuple[str, Any]]) -> str:
    lines = [f"[[{name}]]"]
    for key, value in fields:
        if value is None:
            continue
        if isinstance(value, float):
            text = "inf" if math.isinf(value) else repr(value)
        elif isinstance(value, date):
            text = value.isoformat()
        elif isinstance(value, list):
            text = "[" + ", ".join(_quote(str(v)) for v in value) + "]"
        else:
            text = _quote(str(value))
        lines.append(f"{key} = {text}")
    return "\n".join(lines)


def dumps(ledger: Ledger) -> str:
    """Write a ledger as TOML that :func:`loads` reads back to an equal ledger."""
    blocks: list[str] = []
    for m in ledger.metrics:
        blocks.append(_table("metric", [
            ("id", m.id), ("description", m.description), ("unit", m.unit),
            ("aggregate", m.aggregate or "none"), ("part_of", m.part_of),
            ("sign", None if m.sign == "nonnegative" else m.sign),
            ("terms", list(m.terms) or None)]))
    for ident in ledger.identities:
        parts = ", ".join(_quote(p) for p in ident.parts)
        blocks.append(f"[[identity]]\n{_key(ident.whole)} = [{parts}]")
    for s in ledger.sources:
        blocks.append(_table("source", [
            ("id", s.id), ("outlet", s.outlet), ("published", s.published),
            ("title", s.title), ("url", s.url), ("cites", s.cites), ("origin", s.origin),
            ("weight", None if s.weight == 1.0 else s.weight), ("basis", s.basis),
            ("file", s.file), ("note", s.note)]))
    for c in ledger.claims:
        blocks.append(_table("claim", [
            ("id", c.id), ("source", c.source), ("metric", c.metric),
            ("period", c.period),
            ("change", None if c.change is None else str(c.change)),
            ("value", None if c.value is None else c.value.text),
            ("rank", None if c.rank is None else c.rank.text),
            ("direction", c.direction),
            ("low", None if c.low is None else c.low.text),
            ("high", None if c.high is None else c.high.text),
            ("basis", c.basis), ("status", c.status), ("note", c.note),
            ("quote", c.quote)]))
    return "\n\n".join(blocks) + "\n"


def save(ledger: Ledger, path: str | os.PathLike[str]) -> None:
    """Write a ledger file atomically: the old file stays whole if anything fails.

    Saving over an existing ledger keeps its comments, blank lines and table order and
    touches only the tables that changed (:func:`nkledger.edit.save`); a new file, or
    one that is not TOML, is written whole from :func:`dumps`.
    """
    from .edit import save as save_keeping_comments

    if Path(path).is_file():
        try:
            save_keeping_comments(ledger, path)
            return
        except InvalidLedgerError:
            pass  # not TOML: nothing to keep
    write_atomically(path, dumps(ledger))


def write_atomically(path: str | os.PathLike[str], text: str) -> None:
    """Write *text* to *path* so that a failure never leaves half a file.

    The new file keeps the permissions of the one it replaces (a new one gets the
    usual ``0o666`` less the umask), not the owner-only mode of a temporary file, and
    is flushed to disk before it takes the old one's place. Used for ledgers and for
    the CLI's reports alike.
    """
    target = Path(path)
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
