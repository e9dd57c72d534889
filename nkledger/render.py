"""Showing a report: text for a terminal, markdown, one self-contained HTML page, JSON.

Rendering does no arithmetic: every number shown was computed by a check or the
solver; this module only writes them (with :func:`~nkledger.figures.format_range`)
and lays them out with tabulate. The layout is the same in every format: the verdict,
then what conflicts (the findings that conflict, the minimal conflict sets, the
repairs, and the claims involved with their outlets and quotes), then every finding
grouped by check, the implied figures, and one line per outlet.

The JSON is a stable interface for other programs; its schema is in
:func:`to_json_dict`'s docstring and in the README. Decimals are written as strings so
no digit is lost; an unbounded end is ``null``.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, Literal, TypeAlias

from tabulate import tabulate

from . import __version__
from .claims import Claim
from .figures import format_range
from .findings import Finding
from .intervals import Interval
from .report import Report

__all__ = ["FORMATS", "Format", "render", "to_json_dict"]

Format: TypeAlias = Literal["text", "markdown", "html", "json"]
FORMATS: tuple[Format, ...] = ("text", "markdown", "html", "json")

_WRAP = 64


def render(report: Report, format: Format = "text") -> str:
    """The report as text, markdown, HTML or JSON."""
    if format == "json":
        return json.dumps(to_json_dict(report), indent=2, ensure_ascii=False) + "\n"
    if format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {format!r}")
    return _Document(report, format).build()


# -- JSON ------------------------------------------------------------------------

def _dec(value: Decimal | None) -> str | None:
    if value is None or not value.is_finite():
        return None
    return str(value)


def _interval(interval: Interval | None) -> dict[str, str | None] | None:
    if interval is None:
        return None
    return {"low": _dec(interval.low), "high": _dec(interval.high)}


def to_json_dict(report: Report) -> dict[str, Any]:
    """The report as plain JSON data, in a schema kept stable across versions.

    - ``nkledger``: the version that wrote it; ``ledger``: the file name or null;
      ``reading``: ``default``, ``strict`` or ``lenient``;
    - ``consistent``: true when no check and no conflict set found a conflict;
    - ``findings``: a list of objects with ``check``, ``verdict`` (``consistent``,
      ``conflict``, ``unverifiable``), ``claims`` (claim ids, the one under test first),
      ``depends_on_reading`` (bool), ``stated``, ``implied`` and ``gap`` (each
      ``{"low": str|null, "high": str|null}`` or null; ``gap`` is implied − stated),
      ``unit``, ``metric``, ``period``, ``note`` and ``explanation`` (one sentence);
    - ``conflicts``: minimal conflict sets, each a list of claim ids, smallest first;
      ``conflict_readings``: for each, the readings under which it holds;
      ``sensitive_conflicts``: sets that cannot all hold under another reading only,
      each ``{"claims": [...], "readings": [...]}``;
    - ``repairs``: least-weight sets of claims whose removal leaves the rest
      consistent, best first, each a list of claim ids; ``repair_weights``: their
      weights;
    - ``implied``: objects with ``metric``, ``period``, ``low``, ``high`` (decimal
      strings in the metric's base unit, null when unbounded), ``unit``, ``reported``
      and ``note``;
    - ``outlets``: objects with ``outlet``, ``sources``, ``claims``, ``in_conflicts``,
      ``in_repairs``;
    - ``claims``: an object keyed by claim id with ``source``, ``outlet``,
      ``published``, ``metric``, ``period``, ``kind``, ``value`` and ``quote``;
    - ``notes`` (strings) and ``truncated`` (bool: an enumeration was cut short).
    """
    ledger = report.ledger
    claims: dict[str, Any] = {}
    for claim in ledger.claims:
        source = ledger.source_of(claim)
        claims[claim.id] = {
            "source": source.id,
            "outlet": source.label,
            "published": None if source.published is None else source.published.isoformat(),
            "metric": claim.metric,
            "period": str(claim.period),
            "kind": claim.kind,
            "value": None if claim.value is None else claim.value.text,
            "quote": claim.quote,
        }
    return {
        "nkledger": __version__,
        "ledger": ledger.origin,
        "reading": report.reading,
        "consistent": report.consistent,
        "findings": [
            {
                "check": f.check,
                "verdict": f.verdict,
                "claims": list(f.claims),
                "depends_on_reading": f.depends_on_reading,
                "stated": _interval(f.stated),
                "implied": _interval(f.implied),
                "gap": _interval(f.gap),
                "unit": f.unit,
                "metric": f.metric,
                "period": None if f.period is None else str(f.period),
                "note": f.note,
                "explanation": f.explanation,
            }
            for f in report.findings
        ],
        "conflicts": [list(c.claims) for c in report.conflicts],
        "conflict_readings": [list(c.readings) for c in report.conflicts],
        "sensitive_conflicts": [
            {"claims": list(c.claims), "readings": list(c.readings)} for c in report.sensitive
        ],
        "repairs": [list(r.claims) for r in report.repairs],
        "repair_weights": [r.weight for r in report.repairs],
        "implied": [
            {
                "metric": i.metric,
                "period": str(i.period),
                "low": _dec(i.low),
                "high": _dec(i.high),
                "unit": i.unit,
                "reported": i.reported,
                "note": i.note,
            }
            for i in report.implied
        ],
        "outlets": [
            {
                "outlet": o.outlet,
                "sources": list(o.sources),
                "claims": o.claims,
                "in_conflicts": o.in_conflicts,
                "in_repairs": o.in_repairs,
            }
            for o in report.outlets
        ],
        "claims": claims,
        "notes": list(report.notes),
        "truncated": report.truncated,
    }


# -- tables ----------------------------------------------------------------------

def span(interval: Interval | None, unit: str) -> str:
    """An interval for a reader, rounded outward: ``$150.55m–$150.85m``, ``at least $6.5bn``."""
    return "" if interval is None else format_range(interval, unit)


def _bounds(low: Decimal | None, high: Decimal | None, unit: str) -> str:
    big = Decimal("Infinity")
    return span(Interval(-big if low is None else low, big if high is None else high), unit)


class _Document:
    """Builds the report in one of the table formats."""

    def __init__(self, report: Report, format: Format) -> None:
        self.report = report
        self.format = format
        self.parts: list[str] = []

    # -- primitives that differ by format ------------------------------------------

    def cell(self, text: object) -> str:
        value = "" if text is None else str(text)
        if self.format == "html":
            return html.escape(value)
        if self.format == "markdown":
            # raw HTML in a markdown cell would be rendered by most viewers: escape it
            return html.escape(value, quote=False).replace("|", "\\|").replace("\n", " ")
        return value

    def heading(self, text: str, level: int = 2) -> None:
        if self.format == "html":
            self.parts.append(f"<h{level}>{html.escape(text)}</h{level}>")
        elif self.format == "markdown":
            self.parts.append(f"{'#' * level} {text}")
        else:
            rule = "=" if level <= 2 else "-"
            self.parts.append(f"{text}\n{rule * len(text)}")

    def paragraph(self, text: str) -> None:
        if self.format == "html":
            self.parts.append(f"<p>{html.escape(text)}</p>")
        else:
            self.parts.append(text)

    def table(self, headers: Sequence[str], rows: Iterable[Sequence[object]],
              wrap: Sequence[int] = ()) -> None:
        body = [[self.cell(c) for c in row] for row in rows]
        if not body:
            return
        heads = [self.cell(h) for h in headers]
        if self.format == "html":
            self.parts.append(tabulate(body, heads, tablefmt="unsafehtml", disable_numparse=True))
        elif self.format == "markdown":
            self.parts.append(tabulate(body, heads, tablefmt="github", disable_numparse=True))
        else:
            widths: list[int | None] = [
                _WRAP if i in wrap else None for i in range(len(headers))
            ]
            self.parts.append(tabulate(body, heads, tablefmt="simple", disable_numparse=True,
                                       maxcolwidths=widths))

    # -- the document ----------------------------------------------------------------

    def build(self) -> str:
        r = self.report
        ledger = r.ledger
        name = ledger.origin or "ledger"
        self.heading(f"nkledger report: {name}", 1)
        n_outlets = len({s.label for s in ledger.sources})
        verdict = (
            "every claim can hold together." if r.consistent else
            f"the claims cannot all be true: {len(r.conflicting)} conflicting finding(s)"
            + (f", {len(r.conflicts)} minimal conflict set(s)." if r.joint else ".")
        )
        self.paragraph(
            f"{len(ledger.claims)} claims from {len(ledger.sources)} sources "
            f"({n_outlets} outlets), {r.reading} reading of qualifiers. Verdict: {verdict}"
        )
        if not r.joint:
            self.paragraph("Joint analysis not run: pairwise checks only.")
        self._conflicts()
        self._findings()
        self._implied()
        self._outlets()
        notes = list(r.notes)
        if r.truncated:
            notes.append("An enumeration was cut short: there may be more conflict sets "
                         "or repairs than shown.")
        if notes:
            self.heading("Notes")
            for note in notes:
                self.paragraph(f"- {note}" if self.format != "html" else note)
        body = "\n\n".join(self.parts) + "\n"
        if self.format == "html":
            return _HTML_PAGE.format(title=html.escape(f"nkledger report: {name}"), body=body)
        return body

    def _conflicts(self) -> None:
        r = self.report
        involved: dict[str, None] = {}
        if r.conflicting:
            self.heading("Conflicts")
            self.table(
                ["check", "claims", "explanation"],
                [(f.check + (f" ({f.note})" if f.note else "")
                  + (" [depends on reading]" if f.depends_on_reading else ""),
                  "\n".join(f.claims) if self.format == "text" else ", ".join(f.claims),
                  f.explanation) for f in r.conflicting],
                wrap=(2,),
            )
            for f in r.conflicting:
                involved.update(dict.fromkeys(f.claims))
        if r.conflicts:
            self.heading("Minimal conflict sets", 3)
            self.paragraph("Each set cannot all be true; drop any one claim and the rest can.")
            self.table(
                ["#", "claims", "holds under"],
                [(i, ", ".join(c.claims), ", ".join(c.readings))
                 for i, c in enumerate(r.conflicts, 1)],
                wrap=(1,),
            )
            for c in r.conflicts:
                involved.update(dict.fromkeys(c.claims))
        if r.sensitive:
            self.heading("Conflicts under another reading only", 3)
            self.paragraph(f"Each set can all hold under the {r.reading} reading of the "
                           "qualifiers, but not under the reading named.")
            self.table(
                ["#", "claims", "conflict under"],
                [(i, ", ".join(c.claims), ", ".join(c.readings))
                 for i, c in enumerate(r.sensitive, 1)],
                wrap=(1,),
            )
        if r.repairs:
            self.heading("Repairs", 3)
            self.paragraph("The fewest (weighted) claims whose removal makes everything "
                           "consistent, best first; equal weights are ties.")
            self.table(
                ["rank", "weight", "drop these claims"],
                [(i, f"{rep.weight:g}", ", ".join(rep.claims))
                 for i, rep in enumerate(r.repairs, 1)],
                wrap=(2,),
            )
        if involved:
            self.heading("The claims involved", 3)
            self.table(["claim", "outlet", "published", "states", "quote"],
                       [self._claim_row(r.ledger.claim(cid)) for cid in involved], wrap=(4,))

    def _claim_row(self, claim: Claim) -> tuple[str, ...]:
        source = self.report.ledger.source_of(claim)
        published = "" if source.published is None else source.published.isoformat()
        return (claim.id, source.label, published, _states(claim), f"“{claim.quote}”")

    def _findings(self) -> None:
        groups = self.report.by_check()
        if not groups:
            return
        self.heading("Findings by check")
        for check, findings in groups.items():
            counts = {v: sum(f.verdict == v for f in findings)
                      for v in ("conflict", "unverifiable", "consistent")}
            summary = ", ".join(f"{n} {v}" for v, n in counts.items() if n)
            self.heading(f"{check}: {summary}", 3)
            self.table(
                ["verdict", "metric", "period", "stated", "implied", "gap", "explanation"],
                [self._finding_row(f) for f in findings],
                wrap=(6,),
            )

    def _finding_row(self, f: Finding) -> tuple[str, ...]:
        verdict = f.verdict + (" *" if f.depends_on_reading else "")
        if f.note:
            verdict += f" ({f.note})"
        return (verdict, f.metric or "", "" if f.period is None else str(f.period),
                span(f.stated, f.unit), span(f.implied, f.unit), span(f.gap, f.unit),
                f.explanation)

    def _implied(self) -> None:
        implied = self.report.implied
        if not implied:
            return
        # A month nobody reported that is only known to be non-negative tells a reader
        # nothing: the tables keep the figures with an upper bound (JSON keeps all).
        shown = sorted((i for i in implied if i.high is not None or i.reported),
                       key=lambda i: (i.metric, i.period.first, -i.period.length))
        self.heading("Implied figures")
        hidden = len(implied) - len(shown)
        self.paragraph(
            "The tightest interval the surviving claims allow (under the best repair) for "
            "the metrics and periods the ledger touches"
            + (f"; {hidden} with no upper bound are left out of this table." if hidden else ".")
        )
        self.table(
            ["metric", "period", "implied", "reported", "note"],
            [(i.metric, str(i.period), _bounds(i.low, i.high, i.unit),
              "yes" if i.reported else "no", i.note or "") for i in shown],
            wrap=(4,),
        )

    def _outlets(self) -> None:
        outlets = self.report.outlets
        if not outlets:
            return
        self.heading("Outlets")
        self.table(["outlet", "claims", "in conflict sets", "in best repairs"],
                   [(o.outlet, o.claims, o.in_conflicts, o.in_repairs) for o in outlets])


def _states(claim: Claim) -> str:
    kind = claim.kind
    against = "" if claim.comparison is None else f" ({claim.comparison})"
    if kind == "level":
        assert claim.value is not None
        return f"{claim.metric} {claim.period} = {claim.value.text}"
    if kind == "change":
        assert claim.value is not None
        return f"{claim.metric} {claim.period} change{against} {claim.value.text}"
    if kind == "rank":
        assert claim.rank is not None
        return f"{claim.metric} {claim.period}: {claim.rank.text}{against}"
    return f"{claim.metric} {claim.period} {claim.direction}{against}"


_HTML_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em auto; max-width: 72em; color: #222; }}
table {{ border-collapse: collapse; margin: 0.5em 0 1.5em; }}
th, td {{ border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }}
th {{ background: #f3f3f3; }}
h1 {{ font-size: 1.5em; }} h2 {{ margin-top: 1.5em; }}
</style>
</head>
<body>
{body}</body>
</html>
"""
