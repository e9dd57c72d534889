"""The report as JSON data: a contract, checked by the shipped JSON Schema.

:func:`to_json_dict` is the contract: the report as plain data, which ``json.dumps``
would write. The text is written without it (:func:`report_json`, for
``render(report, "json")`` with an indent of two, and :func:`part_json`, one compact
line per work item for ``--format jsonl``), and is the very text
``json.dumps(to_json_dict(report), ensure_ascii=False)`` (or with ``indent=2``) writes.

How the text is written, and why it is the same
    Nearly all of a report's JSON is its findings (about 94 % of the text), then its claims
    and implied figures. Building a dict per finding only for :mod:`json` to take it apart
    again cost as much as encoding it, so these three sections are written straight into
    strings: each record is one f-string of its fields' JSON texts between the fixed key
    texts (``', "verdict": '`` compact; a comma, a newline and six spaces before the key
    indented: :class:`_Layout` works them out once per layout from the depth of the record).
    Every string goes through :func:`json.encoder.encode_basestring`, the very (C) encoder
    ``json.dumps(ensure_ascii=False)`` uses, so quotes, backslashes, control characters,
    non-ASCII text and lone surrogates come out as :mod:`json` writes them. What repeats is
    written once per call: the text of an interval (keyed by the object: a finding's sides
    are shared objects), of a period, of a source's fields, and a finding's ``gap``
    (:attr:`Finding.gap` is Decimal arithmetic; it is asked once per pair of sides, keyed
    first by the objects and then by the exact decimal texts of their ends: equal decimals
    such as ``1.0`` and ``1.00`` write differently, so values are never keyed by equality).
    Keys by ``id`` are safe because the report holds every keyed object for the whole call;
    a gap, made afresh, is never keyed by ``id``. The small sections (problems, conflicts,
    repairs, outlets, scorecard...) are built as :func:`to_json_dict` builds them and
    encoded by :mod:`json` (compact) or by :func:`dumps` (indented) and the pieces are
    joined with the separators :mod:`json` puts between them. A field of a type the fast
    writer does not expect (a non-string where a string is due, an int for a bool) raises
    :class:`_Unknown` or :class:`TypeError`, and the whole report is then written the
    careful way.
"""

from __future__ import annotations

import json
import json.encoder
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, NoReturn

from .. import __version__
from ..figures import Reading
from ..intervals import Interval
from ..problems import Diagnosis, Problem, notable_implied, scorecard
from ..report import Report, part_report

if TYPE_CHECKING:
    from ..findings import Finding
    from ..ledger import Ledger
    from ..parallel import PartResult
    from ..periods import Period
    from ..results import Implied

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


def _refuse_lean(report: Report) -> None:
    if report.digest is not None:
        raise ValueError("a lean report (Report.digest) keeps only what its digest shows; "
                         "JSON holds every finding: check without lean=True")


# -- the sections of a report, as plain data ------------------------------------------
# The small ones are shared by to_json_dict and the writers; the findings, implied
# figures and claims (nearly all of the text) each have a data form here and a text
# form below.

def _head(report: Report, index: dict[int, int]) -> dict[str, Any]:
    """The fields before ``findings``."""
    return {
        "schema_version": SCHEMA_VERSION,
        "nkledger": __version__,
        "ledger": report.ledger.origin,
        "reading": report.reading,
        "consistent": report.consistent,
        "truncated": report.truncated,
        "problems": [_problem(p, index) for p in report.problems],
    }


def _after_findings(report: Report) -> dict[str, Any]:
    """The fields between ``findings`` and ``implied``."""
    return {
        "conflicts": [list(c.claims) for c in report.conflicts],
        "conflict_readings": [list(c.readings) for c in report.conflicts],
        "sensitive_conflicts": [
            {"claims": list(c.claims), "readings": list(c.readings)} for c in report.sensitive
        ],
        "repairs": [list(r.claims) for r in report.repairs],
        "repair_weights": [r.weight for r in report.repairs],
    }


def _after_implied(report: Report) -> dict[str, Any]:
    """The fields between ``implied`` and ``claims``."""
    shown, _ = notable_implied(report.implied)
    shown_ids = {id(i) for i in shown}
    return {
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
            for s in scorecard(report.ledger, report.problems)
        ],
    }


def _claims(ledger: Ledger, period: Callable[[object], str]) -> dict[str, Any]:
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
    return claims


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
    _refuse_lean(report)
    # a period is written the same each time: once is enough
    periods: dict[object, str] = {}

    def period(p: object) -> str:
        text = periods.get(p)
        if text is None:
            text = periods[p] = str(p)
        return text

    claims = _claims(report.ledger, period)
    index = {id(f): k for k, f in enumerate(report.findings)}
    return {
        **_head(report, index),
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
        **_after_findings(report),
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
        **_after_implied(report),
        "claims": claims,
        "notes": list(report.notes),
    }


# -- the report as text, written directly ---------------------------------------------

_enc: Callable[[str], str] = json.encoder.encode_basestring  # the C one where there is one
_INF = float("inf")


class _Unknown(Exception):
    """A value the fast writers leave to :mod:`json`."""


def _unknown(value: object) -> NoReturn:
    raise _Unknown(type(value).__name__)


def _bool(value: object) -> str:
    """A boolean's JSON (an int or anything else is json's to write)."""
    return "true" if value is True else "false" if value is False else _unknown(value)


class _Layout:
    """The fixed texts :mod:`json` writes around values: compact, or indented by two."""

    def __init__(self, *, indented: bool) -> None:
        self.indented = indented

    def container(self, open_: str, close: str, depth: int) -> tuple[str, str, str]:
        """What opens, separates and closes the items of a container at *depth*."""
        if not self.indented:
            return open_, ", ", close
        inner = "\n" + "  " * (depth + 1)
        return open_ + inner, "," + inner, "\n" + "  " * depth + close

    def record(self, keys: Sequence[str], depth: int) -> tuple[str, ...]:
        """The text before each key's value of an object at *depth*, then its close."""
        open_, sep, close = self.container("{", "}", depth)
        return (*((open_ if k == 0 else sep) + _enc(key) + ": "
                  for k, key in enumerate(keys)), close)

    def value(self, data: Any) -> str:
        """Plain data as the value of a report's field (depth 1)."""
        if self.indented:
            return _indented(data, "\n  ")
        return json.dumps(data, ensure_ascii=False)


_COMPACT = _Layout(indented=False)
_INDENTED = _Layout(indented=True)


def _period_texts() -> Callable[[Period], str]:
    """A function writing a period's JSON string, once per period object."""
    texts: dict[int, str] = {}

    def text(p: Period) -> str:
        t = texts.get(id(p))
        if t is None:
            t = texts[id(p)] = _enc(str(p))
        return t

    return text


_FINDING = ("check", "verdict", "claims", "depends_on_reading", "stated", "implied", "gap",
            "unit", "metric", "period", "note", "explanation")


def _findings_text(out: list[str], findings: Iterable[Finding], layout: _Layout,
                   period: Callable[[Period], str], ids: Iterable[str] = ()) -> None:
    """The ``findings`` array, as ``json`` writes the dicts of :func:`to_json_dict`.

    Appended to *out* (each finding's text from the separator before it: no copy of
    the whole array is made before the report's one join). *ids* are claim ids worth
    checking once whether ``json`` writes them as they are.
    """
    enc = _enc
    lead, sep_, last = layout.container("[", "]", 1)
    n = len(out)
    (k_check, k_verdict, k_claims, k_depends, k_stated, k_implied, k_gap, k_unit, k_metric,
     k_period, k_note, k_explanation, close) = layout.record(_FINDING, 2)
    open_, sep, end = layout.container("{", "}", 3)
    k_low, k_high = open_ + '"low": ', sep + '"high": '
    c_open, c_sep, c_close = layout.container("[", "]", 3)
    # claim ids json writes between plain quotes: a list of them is one join
    plain = {i for i in ids if enc(i) == f'"{i}"'}
    is_plain = plain.issuperset
    c_first, c_plain, c_last = c_open + '"', '"' + c_sep + '"', '"' + c_close

    def interval(i: Interval | None) -> str:
        if i is None:
            return "null"
        low, high = i.low, i.high
        # a Decimal's str is digits, signs, a point, an exponent or a word: nothing to escape
        return (k_low + ('"' + str(low) + '"' if low.is_finite() else "null")
                + k_high + ('"' + str(high) + '"' if high.is_finite() else "null") + end)

    # a side's exact decimal texts, by the object (the findings hold it for the call)
    ends: dict[int, str] = {id(None): "null"}  # no "/": no interval's key

    def side(i: Interval) -> str:
        key = ends[id(i)] = str(i.low) + "/" + str(i.high)
        return key

    # the text from "stated" to "gap" by the two sides' exact decimal texts: equal
    # decimals write differently (1.0, 1.00), so never by the intervals' equality; the
    # gap, made afresh each time it is asked for, is asked once per pair
    sides: dict[tuple[str, str], str] = {}
    # the few checks and verdicts; units, metrics, periods and notes: their texts once each
    heads: dict[tuple[str, str], str] = {}
    whats: dict[tuple[str, str | None], str] = {}
    whens: dict[tuple[int, str | None], str] = {}
    append = out.append
    for f in findings:
        check, verdict, claims, depends = f.check, f.verdict, f.claims, f.depends_on_reading
        s, i = f.stated, f.implied
        unit, metric, p, note = f.unit, f.metric, f.period, f.note
        head = heads.get((check, verdict))
        if head is None:
            head = heads[check, verdict] = f"{k_check}{enc(check)}{k_verdict}{enc(verdict)}"
        pair = (ends.get(id(s)) or side(s),  # type: ignore[arg-type]
                ends.get(id(i)) or side(i))  # type: ignore[arg-type]
        both = sides.get(pair)
        if both is None:
            both = sides[pair] = (f"{k_stated}{interval(s)}{k_implied}{interval(i)}"
                                  f"{k_gap}{interval(f.gap)}")
        what = whats.get((unit, metric))
        if what is None:
            what = whats[unit, metric] = (
                f"{k_unit}{enc(unit)}{k_metric}{'null' if metric is None else enc(metric)}")
        when = whens.get((id(p), note))
        if when is None:
            when = whens[id(p), note] = (
                f"{k_period}{'null' if p is None else period(p)}"
                f"{k_note}{'null' if note is None else enc(note)}")
        if not claims:
            listed = "[]"
        elif is_plain(claims):
            listed = c_first + c_plain.join(claims) + c_last
        else:
            listed = c_open + c_sep.join(map(enc, claims)) + c_close
        if depends is True:
            truth = "true"
        elif depends is False:
            truth = "false"
        else:
            _unknown(depends)
        append(f"{lead}{head}{k_claims}{listed}{k_depends}{truth}{both}{what}{when}"
               f"{k_explanation}{enc(f.explanation)}{close}")
        lead = sep_
    append(last if len(out) > n else "[]")


_IMPLIED = ("metric", "period", "low", "high", "unit", "reported", "note")


def _implied_text(out: list[str], implied: Iterable[Implied], layout: _Layout,
                  period: Callable[[Period], str]) -> None:
    """The ``implied`` array, as ``json`` writes the dicts of :func:`to_json_dict`."""
    enc = _enc
    k_metric, k_period, k_low, k_high, k_unit, k_reported, k_note, close = layout.record(
        _IMPLIED, 2)
    lead, sep, last = layout.container("[", "]", 1)
    n = len(out)
    append = out.append
    for i in implied:
        low, high, note = _dec(i.low), _dec(i.high), i.note
        append(f"{lead}{k_metric}{enc(i.metric)}{k_period}{period(i.period)}"
               f"{k_low}{'null' if low is None else enc(low)}"
               f"{k_high}{'null' if high is None else enc(high)}"
               f"{k_unit}{enc(i.unit)}{k_reported}{_bool(i.reported)}"
               f"{k_note}{'null' if note is None else enc(note)}{close}")
        lead = sep
    append(last if len(out) > n else "[]")


_CLAIM = ("source", "outlet", "origin", "published", "metric", "period", "kind", "value",
          "quote")


def _claims_text(out: list[str], ledger: Ledger, layout: _Layout,
                 period: Callable[[Period], str]) -> None:
    """The ``claims`` object, as ``json`` writes the dict of :func:`to_json_dict`."""
    enc = _enc

    def opt(text: str | None) -> str:
        return "null" if text is None else enc(text)

    (k_source, k_outlet, k_origin, k_published, k_metric, k_period, k_kind, k_value, k_quote,
     close) = layout.record(_CLAIM, 2)
    # a source's four fields, written once
    by_source = {
        s.id: (f"{k_source}{enc(s.id)}{k_outlet}{opt(s.label)}{k_origin}{opt(s.origin)}"
               f"{k_published}{opt(None if s.published is None else s.published.isoformat())}"
               f"{k_metric}")
        for s in ledger.sources}
    lead, sep, last = layout.container("{", "}", 1)
    n = len(out)
    append = out.append
    # a repeated id: the last claim's fields where the first one was (as a dict has it)
    for cid, c in {claim.id: claim for claim in ledger.claims}.items():
        value = c.value
        append(f"{lead}{enc(cid)}: {by_source[c.source]}{enc(c.metric)}"
               f"{k_period}{period(c.period)}{k_kind}{enc(c.kind)}"
               f"{k_value}{'null' if value is None else enc(value.text)}"
               f"{k_quote}{enc(c.quote)}{close}")
        lead = sep
    append(last if len(out) > n else "{}")


def _written(report: Report, layout: _Layout) -> str:
    """The report's JSON text in *layout*, written directly (see the module docstring)."""
    _refuse_lean(report)
    period = _period_texts()
    findings = report.findings
    index = {id(f): k for k, f in enumerate(findings)}
    ledger = report.ledger
    value = layout.value
    # each field's value: its text, or what appends its text to the report's pieces
    fields: list[tuple[str, str | Callable[[list[str]], None]]] = [
        *((k, value(v)) for k, v in _head(report, index).items()),
        ("findings", lambda out: _findings_text(out, findings, layout, period,
                                                (c.id for c in ledger.claims))),
        *((k, value(v)) for k, v in _after_findings(report).items()),
        ("implied", lambda out: _implied_text(out, report.implied, layout, period)),
        *((k, value(v)) for k, v in _after_implied(report).items()),
        ("claims", lambda out: _claims_text(out, ledger, layout, period)),
        ("notes", value(list(report.notes)))]
    *keys, close = layout.record([k for k, _ in fields], 0)
    out: list[str] = []
    for key, (_, text) in zip(keys, fields, strict=True):
        out.append(key)
        if isinstance(text, str):
            out.append(text)
        else:
            text(out)
    out.append(close)
    return "".join(out)


def report_json(report: Report, *, indented: bool = False) -> str:
    """The report's JSON: ``json.dumps(to_json_dict(report), ensure_ascii=False)``, exactly.

    With *indented*, as ``json.dumps`` writes it with ``indent=2``. Written without
    building :func:`to_json_dict`'s data for the findings, implied figures and claims
    (see the module docstring); a field of an unexpected type falls back to it.
    """
    try:
        return _written(report, _INDENTED if indented else _COMPACT)
    except (_Unknown, TypeError):
        data = to_json_dict(report)
        return dumps(data) if indented else json.dumps(data, ensure_ascii=False)


def part_json(part: PartResult, reading: Reading) -> str:
    """One work item's report as one line of JSON (what ``--format jsonl`` writes of it).

    Made where the item is checked (a :data:`nkledger.parallel.Render`): its problems,
    implied figures and JSON cost the worker, not the process writing the lines.
    """
    return report_json(part_report(part, reading))


# -- any plain data, indented ---------------------------------------------------------

def dumps(data: Any) -> str:
    """``json.dumps(data, indent=2, ensure_ascii=False)``, byte for byte, a few times faster.

    With an indent, :mod:`json` falls back to its pure-Python encoder, made of nested
    generators; this one writes the same text straight into one list. It knows the
    types a report holds (dicts with string keys, lists, tuples, strings, numbers,
    booleans, None) and leaves anything else to :func:`json.dumps`.
    """
    try:
        return _indented(data, "\n")
    except (_Unknown, RecursionError):
        return json.dumps(data, indent=2, ensure_ascii=False)


def _indented(data: Any, indent: str) -> str:
    """*data* as :func:`dumps` writes it, as a value at the depth *indent* opens.

    Raises:
        _Unknown: for a type it leaves to :mod:`json`.
    """
    out: list[str] = []
    append = out.append
    enc = _enc

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

    emit(data, indent)
    return "".join(out)
