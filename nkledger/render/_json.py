"""The report as JSON data: a contract, checked by the shipped JSON Schema."""

from __future__ import annotations

import json
import json.encoder
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..figures import Reading
from ..intervals import Interval
from ..problems import Diagnosis, Problem, notable_implied, scorecard
from ..report import Report, part_report

if TYPE_CHECKING:
    from ..parallel import PartResult

#: The version of the JSON report's schema (``schema_version`` in every report).
SCHEMA_VERSION = 2


def _dec(value: Decimal | None) -> str | None:
    if value is None or not value.is_finite():
        return None
    return str(value)


def _interval(interval: Interval | None) -> dict[str, str | None] | None:
    if interval is None:
        return None
    low, high = interval.low, interval.high
    return {"low": str(low) if low.is_finite() else None,
            "high": str(high) if high.is_finite() else None}


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) every JSON report validates against."""
    text = resources.files("nkledger.render").joinpath("report.schema.json").read_text(
        encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _diagnosis(d: Diagnosis | None) -> dict[str, Any] | None:
    if d is None:
        return None
    return {
        "unit": d.unit,
        "stated": _interval(d.stated),
        "implied": _interval(d.implied),
        "mistake": d.mistake,
        "text": d.text,
        "explanations": [
            {"mistake": e.mistake, "text": e.text, "confirmed": e.confirmed,
             "corrected": _interval(e.corrected)}
            for e in d.explanations
        ],
    }


def _problem(p: Problem, index: dict[int, int]) -> dict[str, Any]:
    return {
        "number": p.number,
        "verdict": p.verdict,
        "headline": p.headline,
        "readings": list(p.readings),
        "claims": list(p.claims),
        "conflicts": [list(c.claims) for c in p.conflicts],
        "other_readings": [{"claims": list(c.claims), "readings": list(c.readings)}
                           for c in p.other_readings],
        "best_repairs": p.repairs,
        "culprits": [
            {"claim": c.claim, "in_every_repair": c.in_every_repair,
             "diagnosis": _diagnosis(c.diagnosis)}
            for c in p.culprits
        ],
        "findings": [index[id(f)] for f in p.findings if id(f) in index],
    }


def to_json_dict(report: Report) -> dict[str, Any]:
    """The report as plain JSON data, in the schema ``report.schema.json`` describes.

    - ``schema_version`` (int), ``nkledger`` (the version that wrote it), ``ledger``
      (the file name or null), ``reading``, ``consistent``;
    - ``problems``: the digest's problems, each with ``number``, ``verdict``
      (``error`` or ``wording``), ``headline``, ``readings``, ``claims``,
      ``conflicts``, ``other_readings``, ``best_repairs``, ``culprits`` (``claim``,
      ``in_every_repair``, ``diagnosis``: ``unit``, ``stated``, ``implied``,
      ``mistake``, ``text``, ``explanations``) and ``findings`` (indices into
      ``findings``);
    - ``findings``, ``conflicts``, ``conflict_readings``, ``sensitive_conflicts``,
      ``repairs``, ``repair_weights``, ``implied``, ``outlets``, ``claims``, ``notes``,
      ``truncated``: as in schema version 1 (unchanged);
    - ``notable_implied``: indices into ``implied`` of the figures the report shows;
    - ``scorecard``: per outlet ``claims``, ``in_problems``, ``culprits`` (in every
      best repair) and ``tied`` (one of several tied alternatives).

    Decimals are strings, so no digit is lost; an unbounded end is null.

    Raises:
        ValueError: for a lean report (one with a ``digest``): JSON holds every finding.
    """
    if report.digest is not None:
        raise ValueError("a lean report (Report.digest) keeps only what its digest shows; "
                         "JSON holds every finding: check without lean=True")
    ledger = report.ledger
    # a period or a source is written the same each time: once is enough
    periods: dict[object, str] = {}

    def period(p: object) -> str:
        text = periods.get(p)
        if text is None:
            text = periods[p] = str(p)
        return text

    by_source = {
        s.id: (s.id, s.label, s.origin,
               None if s.published is None else s.published.isoformat())
        for s in ledger.sources}
    claims: dict[str, Any] = {}
    for claim in ledger.claims:
        sid, label, origin, published = by_source[claim.source]
        claims[claim.id] = {
            "source": sid,
            "outlet": label,
            "origin": origin,
            "published": published,
            "metric": claim.metric,
            "period": period(claim.period),
            "kind": claim.kind,
            "value": None if claim.value is None else claim.value.text,
            "quote": claim.quote,
        }
    index = {id(f): k for k, f in enumerate(report.findings)}
    shown, _ = notable_implied(report.implied)
    shown_ids = {id(i) for i in shown}
    return {
        "schema_version": SCHEMA_VERSION,
        "nkledger": __version__,
        "ledger": ledger.origin,
        "reading": report.reading,
        "consistent": report.consistent,
        "truncated": report.truncated,
        "problems": [_problem(p, index) for p in report.problems],
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
                "period": None if f.period is None else period(f.period),
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
                "period": period(i.period),
                "low": _dec(i.low),
                "high": _dec(i.high),
                "unit": i.unit,
                "reported": i.reported,
                "note": i.note,
            }
            for i in report.implied
        ],
        "notable_implied": [k for k, i in enumerate(report.implied) if id(i) in shown_ids],
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
        "scorecard": [
            {"outlet": s.outlet, "claims": s.claims, "in_problems": s.in_problems,
             "culprits": s.culprits, "tied": s.tied}
            for s in scorecard(ledger, report.problems)
        ],
        "claims": claims,
        "notes": list(report.notes),
    }


def part_json(part: PartResult, reading: Reading) -> str:
    """One work item's report as one line of JSON (what ``--format jsonl`` writes of it).

    Made where the item is checked (a :data:`nkledger.parallel.Render`): its problems,
    implied figures and JSON cost the worker, not the process writing the lines.
    """
    return json.dumps(to_json_dict(part_report(part, reading)), ensure_ascii=False)


_encode_str = json.encoder.encode_basestring  # the C one where there is one
_INF = float("inf")


def dumps(data: Any) -> str:
    """``json.dumps(data, indent=2, ensure_ascii=False)``, byte for byte, a few times faster.

    With an indent, :mod:`json` falls back to its pure-Python encoder, made of nested
    generators; this one writes the same text straight into one list. It knows the
    types a report holds (dicts with string keys, lists, tuples, strings, numbers,
    booleans, None) and leaves anything else to :func:`json.dumps`.
    """
    out: list[str] = []
    append = out.append
    enc = _encode_str

    def scalar(o: Any) -> str:
        t = type(o)
        if t is str:
            return enc(o)
        if o is None:
            return "null"
        if o is True:
            return "true"
        if o is False:
            return "false"
        if t is int:
            return int.__repr__(o)
        if t is float:
            if o != o:
                return "NaN"
            if o == _INF:
                return "Infinity"
            if o == -_INF:
                return "-Infinity"
            return float.__repr__(o)
        raise _Unknown

    def emit(o: Any, indent: str) -> None:
        t = type(o)
        if t is dict:
            if not o:
                append("{}")
                return
            inner = indent + "  "
            sep = "{" + inner
            for key, value in o.items():
                if type(key) is not str:
                    raise _Unknown
                v = type(value)
                if v is str:
                    append(sep + enc(key) + ": " + enc(value))
                elif v is dict or v is list or v is tuple:
                    append(sep + enc(key) + ": ")
                    emit(value, inner)
                else:
                    append(sep + enc(key) + ": " + scalar(value))
                sep = "," + inner
            append(indent + "}")
        elif t is list or t is tuple:
            if not o:
                append("[]")
                return
            inner = indent + "  "
            sep = "[" + inner
            for value in o:
                v = type(value)
                if v is str:
                    append(sep + enc(value))
                elif v is dict or v is list or v is tuple:
                    append(sep)
                    emit(value, inner)
                else:
                    append(sep + scalar(value))
                sep = "," + inner
            append(indent + "]")
        else:
            append(scalar(o))

    try:
        emit(data, "\n")
    except (_Unknown, RecursionError):
        return json.dumps(data, indent=2, ensure_ascii=False)
    return "".join(out)


class _Unknown(Exception):
    """A value :func:`dumps` leaves to :func:`json.dumps`."""
