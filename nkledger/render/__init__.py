"""Showing a report: text for a terminal, markdown, one self-contained HTML page, JSON.

One room per format (``_text``, ``_markdown``, ``_html`` with ``_svg``, ``_json``) over
one outline (``_outline``): a digest first — the verdict, the counts, one line per
problem and whether anything was cut short — then each problem with its likely culprits,
their diagnoses and the evidence, the implied figures worth a reader's time, the outlet
scorecard and the notes. The checks' findings are counted, and listed only when asked
(``render(report, all=True)``, ``nkledger check --all``).

Rendering does no arithmetic on figures: every number shown was computed by a check, the
solver or :mod:`nkledger.problems`; this package only writes them (with
:func:`~nkledger.figures.format_range`) and lays them out. Everything that comes from a
ledger (ids, outlet names, quotes, the file name) is escaped in every format.

The JSON is a contract: :func:`to_json_dict` documents it and the JSON Schema shipped
as ``nkledger/render/report.schema.json`` (see :func:`schema`) checks it.
"""

from __future__ import annotations

from typing import Any, Literal, TypeAlias

from ..report import Report
from ._json import SCHEMA_VERSION, report_json, schema, to_json_dict
from ._outline import span

__all__ = ["FORMATS", "SCHEMA_VERSION", "Format", "render", "schema", "span", "to_json_dict"]

Format: TypeAlias = Literal["text", "markdown", "html", "json"]
FORMATS: tuple[Format, ...] = ("text", "markdown", "html", "json")


def render(report: Report, format: Format = "text", *, all: bool = False) -> str:
    """The report as text, markdown, HTML or JSON.

    Args:
        all: also list every finding, grouped by check (by default consistent and
            unverifiable findings are only counted). JSON always holds every finding.
    """
    if format == "json":
        return report_json(report, indented=True) + "\n"  # json.dumps(indent=2), faster
    if format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {format!r}")
    from ._html import HtmlDocument
    from ._markdown import MarkdownDocument
    from ._text import TextDocument

    kinds: dict[str, Any] = {"text": TextDocument, "markdown": MarkdownDocument,
                             "html": HtmlDocument}
    return str(kinds[format](report, all=all).build())
