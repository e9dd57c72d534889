"""Claims as a spreadsheet: one CSV row per claim, its source's fields beside it.

The columns are the claim's keys as a ledger file writes them (``id``, ``source``,
``metric``, ``period``, ``change``, ``value``, ``rank``, ``direction``, ``low``, ``high``,
``basis``, ``status``, ``note``, ``quote``) followed by the source's, prefixed
``source_`` (``source_outlet``, ``source_published``...). An empty cell is an absent
key. A source with no claims gets a row of its own with an empty ``id``, so nothing is
lost (such rows also keep the sources in the ledger's order). An empty cell cannot be
told from an absent one, so an empty text (``note = ""``) comes back absent. Metrics and
identities are not rows: :func:`read_csv` takes them from a ledger
(``--ledger`` on the command line), and ``export → import`` gives back the same ledger.

Reading is all-or-nothing: every bad cell is reported at once as
``claims.csv:ROW:COLUMN: ...`` (rows and columns counted from 1, the header being row
1), a source given two ways in two rows included.
"""

from __future__ import annotations

import csv
import functools
import io
import math
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from .claims import Claim, Identity, Metric, Source, parse_change, parse_rank
from .exceptions import InvalidEntryError, InvalidLedgerError, LedgerError
from .figures import parse_figure
from .ledger import Ledger
from .periods import parse_period

__all__ = ["CLAIM_COLUMNS", "COLUMNS", "SOURCE_COLUMNS", "read_csv", "write_csv"]

CLAIM_COLUMNS = ("id", "source", "metric", "period", "change", "value", "rank", "direction",
                 "low", "high", "basis", "status", "note", "quote")
SOURCE_COLUMNS = ("source_outlet", "source_published", "source_title", "source_url",
                  "source_cites", "source_origin", "source_weight", "source_basis", "source_file",
                  "source_note")
COLUMNS = CLAIM_COLUMNS + SOURCE_COLUMNS


def _source_cells(s: Source) -> dict[str, str]:
    weight = "" if s.weight == 1.0 else ("inf" if math.isinf(s.weight) else repr(s.weight))
    return {"source": s.id, "source_outlet": s.outlet or "",
            "source_published": "" if s.published is None else s.published.isoformat(),
            "source_title": s.title or "", "source_url": s.url or "",
            "source_cites": s.cites or "", "source_origin": s.origin or "",
            "source_weight": weight,
            "source_basis": s.basis or "", "source_file": s.file or "",
            "source_note": s.note or ""}


def write_csv(ledger: Ledger) -> str:
    """The ledger's claims and sources as CSV text (metrics and identities left out)."""
    out = io.StringIO()
    # "\r\n", as RFC 4180 says: the writer then quotes a field holding a lone "\r" too
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    order = [s.id for s in ledger.sources]
    seen: set[str] = set()
    position = 0

    def declare_until(source_id: str | None) -> None:
        # a row of its own for each source that would otherwise appear out of order
        # (or not at all), so the sources come back in the ledger's order
        nonlocal position
        while position < len(order) and order[position] != source_id:
            ident = order[position]
            if ident not in seen:
                seen.add(ident)
                writer.writerow({**dict.fromkeys(COLUMNS, ""),
                                 **_source_cells(ledger.source(ident))})
            position += 1
        if position < len(order):
            position += 1

    for c in ledger.claims:
        if c.source not in seen:
            declare_until(c.source)
            seen.add(c.source)
        row = dict.fromkeys(COLUMNS, "")
        row.update(_source_cells(ledger.source(c.source)))
        row.update({
            "id": c.id, "metric": c.metric, "period": str(c.period),
            "change": "" if c.change is None else str(c.change),
            "value": "" if c.value is None else c.value.text,
            "rank": "" if c.rank is None else c.rank.text, "direction": c.direction or "",
            "low": "" if c.low is None else c.low.text,
            "high": "" if c.high is None else c.high.text, "basis": c.basis or "",
            "status": c.status or "", "note": c.note or "", "quote": c.quote})
        writer.writerow(row)
    declare_until(None)
    return out.getvalue()


def _rank(text: str, *, period: Any) -> Any:
    return parse_rank(text, period)


def _weight(text: str) -> float:
    if text.strip().lower() in ("inf", "infinity", "pinned"):
        return math.inf
    return float(text)


def read_csv(
    text: str,
    *,
    origin: str = "<csv>",
    metrics: Sequence[Metric] = (),
    identities: Sequence[Identity] = (),
) -> Ledger:
    """Read claims (and their sources) from CSV text into a ledger with *metrics*.

    Raises:
        InvalidLedgerError: every bad cell at once, as ``origin:ROW:COLUMN: message``.
    """
    problems: list[InvalidEntryError] = []
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    try:
        header = next(reader)
    except StopIteration:
        header = []
    except csv.Error as exc:
        raise InvalidLedgerError(f"{origin}: not CSV", [
            InvalidEntryError(f"not CSV: {exc}", path=origin, line=1)]) from None
    column = {name.strip(): i for i, name in enumerate(header)}

    def fail(row: int, name: str | None, message: str, entry: str | None = None) -> None:
        where = f"{row}" if name is None or name not in column else f"{row}:{column[name] + 1}"
        problems.append(InvalidEntryError(
            message if name is None else f"{name}: {message}", path=f"{origin}:{where}",
            entry=entry))

    for name in header:
        if name.strip() not in COLUMNS:
            fail(1, None, f"unknown column {name!r}; expected {', '.join(COLUMNS)}")
    for name in ("id", "source", "metric", "period", "quote"):
        if name not in column:
            fail(1, None, f"column {name!r} is missing")
    if problems:
        raise InvalidLedgerError(f"{origin}: {len(problems)} problem(s) found", problems)

    sources: dict[str, Source] = {}
    source_rows: dict[str, int] = {}
    claims: list[Claim] = []
    claim_rows: dict[str, int] = {}
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise InvalidLedgerError(f"{origin}: not CSV", [
            InvalidEntryError(f"not CSV: {exc}", path=origin, line=reader.line_num)]) from None
    for number, cells in enumerate(rows, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            fail(number, None, f"{len(cells)} cells, but the header names {len(header)} columns")
            continue
        row = {name: (cells[i] if i < len(cells) else "") for name, i in column.items()}
        entry = f"claim {row['id']!r}" if row.get("id") else f"source {row.get('source')!r}"
        before = len(problems)

        def cell(name: str, parse: Callable[[str], Any], row: dict[str, str] = row,
                 number: int = number, entry: str = entry) -> Any:
            text = row.get(name, "")
            if text == "":
                return None
            try:
                return parse(text)
            except (LedgerError, ValueError, TypeError) as exc:
                fail(number, name, f"{text!r}: {exc}", entry)
                return None

        source_id = row.get("source", "")
        if not source_id:
            fail(number, "source", "is empty", entry)
            continue
        source = Source(
            id=source_id, outlet=cell("source_outlet", str), title=cell("source_title", str),
            published=cell("source_published", date.fromisoformat),
            url=cell("source_url", str), cites=cell("source_cites", str),
            origin=cell("source_origin", str),
            weight=cell("source_weight", _weight) or 1.0, basis=cell("source_basis", str),
            file=cell("source_file", str), note=cell("source_note", str)) \
            if len(problems) == before else None
        if source is not None:
            known = sources.get(source_id)
            if known is None:
                sources[source_id] = source
                source_rows[source_id] = number
            elif known != source:
                differs = next(n for n in SOURCE_COLUMNS
                               if _source_cells(known)[n] != _source_cells(source)[n])
                fail(number, differs, f"source {source_id!r} is given differently in row "
                                      f"{source_rows[source_id]}", entry)
        if not row.get("id"):
            continue
        for name in ("metric", "period", "quote"):
            if not row.get(name):
                fail(number, name, "is empty", entry)
        period = cell("period", parse_period)
        value = cell("value", parse_figure)
        change = cell("change", parse_change)
        rank = None
        if period is not None:
            rank = cell("rank", functools.partial(_rank, period=period))
        direction = cell("direction", str)
        if direction is not None and direction not in ("up", "down"):
            fail(number, "direction", f"{direction!r}: must be 'up' or 'down'", entry)
        status = cell("status", str)
        if status is not None and status not in ("draft", "accepted"):
            fail(number, "status", f"{status!r}: must be 'draft' or 'accepted'", entry)
        low, high = cell("low", parse_figure), cell("high", parse_figure)
        if len(problems) > before:
            continue
        claim_rows.setdefault(row["id"], number)
        claims.append(Claim(
            id=row["id"], source=source_id, metric=row["metric"], period=period,
            quote=row["quote"], value=value, change=change, rank=rank,
            direction=direction, low=low, high=high, basis=cell("basis", str),
            note=cell("note", str), status="draft" if status == "draft" else None))
    if not problems:
        try:
            return Ledger(metrics=metrics, identities=identities, sources=list(sources.values()),
                          claims=claims, origin=origin)
        except InvalidLedgerError as exc:
            for e in exc.exceptions:
                ident = getattr(e, "entry", "") or ""
                row_of = next((r for i, r in claim_rows.items() if ident == f"claim {i!r}"), None)
                problems.append(InvalidEntryError(
                    getattr(e, "message", str(e)),
                    path=origin if row_of is None else f"{origin}:{row_of}", entry=ident))
    n = len(problems)
    raise InvalidLedgerError(f"{origin}: {n} problem{'s' if n > 1 else ''} found", problems)
