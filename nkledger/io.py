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

Writing (:func:`dumps`) is deterministic and lossless: ``loads(dumps(ledger)) ==
ledger`` for every ledger, with the digits, qualifiers, quotes and unicode kept.
:func:`save` writes to a temporary file beside the target and renames it, so a failed
write never leaves half a file.
"""

from __future__ import annotations

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

from .claims import Claim, Identity, Metric, Source, parse_change, parse_rank
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
_TABLES = ("metric", "identity", "source", "claim")
_CLAIM_KEYS = {"id", "source", "metric", "period", "quote", "value", "change", "rank",
               "direction", "low", "high", "basis", "note"}
_SOURCE_KEYS = {"id", "outlet", "published", "title", "url", "cites", "origin", "weight",
                "basis", "note"}
_METRIC_KEYS = {"id", "unit", "aggregate", "description", "part_of", "sign"}


class _Lines:
    """Where each array-of-tables entry, and each key inside it, starts in the text."""

    def __init__(self, text: str) -> None:
        self.headers: dict[str, list[int]] = {}
        self.keys: dict[tuple[str, int], dict[str, int]] = {}
        # where a name appears other than as [[name]]: a [name] table or a top-level key
        self.elsewhere: dict[str, int] = {}
        current: tuple[str, int] | None = None
        top = True
        for number, line in enumerate(text.splitlines(), start=1):
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
        self.count = max(1, len(text.splitlines()))

    def of(self, table: str, index: int, key: str | None = None) -> int | None:
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
        self, entry: str, line: int | None, key: str, raw: Any, parse: Callable[[Any], T]
    ) -> T | None:
        try:
            return parse(raw)
        except LedgerError as exc:
            message = str(exc)
            if message.startswith(key):
                pass
            elif repr(raw) in message:
                message = f"{key}: {message}"
            else:
                message = f"{key} {raw!r}: {message}"
            self.fail(message, entry, line)
        except (TypeError, ValueError) as exc:
            self.fail(f"{key} {raw!r}: {exc}", entry, line)
        return None


def _string(raw: Any) -> str:
    if not isinstance(raw, str):
        raise TypeError(f"must be a string, got {type(raw).__name__}")
    return raw


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
    line = r.lines.of("metric", index)
    entry = f"metric {raw.get('id', index + 1)!r}"
    before = len(r.problems)
    for key in sorted(set(raw) - _METRIC_KEYS):
        r.fail(f"unknown key {key!r}; expected one of {', '.join(sorted(_METRIC_KEYS))}",
               entry, r.lines.of("metric", index, key))

    def get(key: str, default: str | None = None) -> str | None:
        if key not in raw:
            return default
        return r.convert(entry, r.lines.of("metric", index, key), key, raw[key], _string)

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
                  sign="any" if sign == "any" else "nonnegative", line=line)


def _read_identity(r: _Reader, index: int, raw: dict[str, Any]) -> Identity | None:
    line = r.lines.of("identity", index)
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
    line = r.lines.of("source", index)
    entry = f"source {raw.get('id', index + 1)!r}"
    for key in sorted(set(raw) - _SOURCE_KEYS):
        r.fail(f"unknown key {key!r}; expected one of {', '.join(sorted(_SOURCE_KEYS))}",
               entry, r.lines.of("source", index, key))

    def get(key: str, parse: Callable[[Any], T]) -> T | None:
        if key not in raw:
            return None
        return r.convert(entry, r.lines.of("source", index, key), key, raw[key], parse)

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
            note=get("note", _string), line=line,
        )
    except LedgerError as exc:
        r.fail(str(exc), entry, r.lines.of("source", index, "weight"))
        return Source(id=ident, line=line)  # a stand-in, see loads()


def _read_claim(r: _Reader, index: int, raw: dict[str, Any]) -> Claim | None:
    line = r.lines.of("claim", index)
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
        return r.convert(entry, r.lines.of("claim", index, key), key, raw[key], parse)

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
        low=low, high=high, basis=basis, note=note, line=line,
    )


def loads(text: str, *, origin: str = "<string>") -> Ledger:
    """Read a ledger from TOML text; *origin* names it in error messages.

    Raises:
        InvalidLedgerError: listing every problem in the text, one line each.
    """
    if text.startswith("\ufeff"):  # a byte-order mark, as some Windows editors write
        text = text[1:]
    lines = _Lines(text)
    try:
        data = tomllib.loads(text)
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
    for key in sorted(set(data) - set(_TABLES)):
        r.fail(f"unknown table {key!r}; expected {', '.join(f'[[{t}]]' for t in _TABLES)}",
               key, lines.of(key, 0))
    metrics = [m for i, raw in r.entries(data, "metric") if (m := _read_metric(r, i, raw))]
    identities = [x for i, raw in r.entries(data, "identity") if (x := _read_identity(r, i, raw))]
    sources = [s for i, raw in r.entries(data, "source") if (s := _read_source(r, i, raw))]
    claims = [c for i, raw in r.entries(data, "claim") if (c := _read_claim(r, i, raw))]
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


#: The largest ledger file :func:`load` reads by default, in bytes (64 MiB: a hundred
#: thousand claims take about 20 MiB).
DEFAULT_MAX_SIZE = 64 * 1024 * 1024

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
    info = os.stat(path)
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
    except MemoryError:
        raise _refuse(origin, "too large to read into memory") from None
    return loads(text, origin=origin)


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
            ("sign", None if m.sign == "nonnegative" else m.sign)]))
    for ident in ledger.identities:
        parts = ", ".join(_quote(p) for p in ident.parts)
        blocks.append(f"[[identity]]\n{_key(ident.whole)} = [{parts}]")
    for s in ledger.sources:
        blocks.append(_table("source", [
            ("id", s.id), ("outlet", s.outlet), ("published", s.published),
            ("title", s.title), ("url", s.url), ("cites", s.cites), ("origin", s.origin),
            ("weight", None if s.weight == 1.0 else s.weight), ("basis", s.basis),
            ("note", s.note)]))
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
            ("basis", c.basis), ("note", c.note), ("quote", c.quote)]))
    return "\n\n".join(blocks) + "\n"


def save(ledger: Ledger, path: str | os.PathLike[str]) -> None:
    """Write a ledger file atomically: the old file stays whole if anything fails."""
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
