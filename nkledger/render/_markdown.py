"""Markdown (GitHub flavour), safe to convert to HTML and open in a browser.

Everything from a ledger is escaped: HTML special characters become entities, and the
characters markdown reads as syntax (links and images ``[..](..)``, ``!``, emphasis,
code, headings) are backslash-escaped, in table cells, paragraphs, lists and headings
alike; a ``|`` cannot end a cell and a newline cannot end a row.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

from tabulate import tabulate

from ._outline import Document

_SYNTAX = re.compile(r"([\\`*_{}\[\]()#!|>])")


def escape(text: object) -> str:
    """*text* as literal markdown: no HTML, no links, no emphasis, one line."""
    value = "" if text is None else str(text)
    value = html.escape(value, quote=True)
    value = _SYNTAX.sub(r"\\\1", value)
    return value.replace("\r", " ").replace("\n", " ")


class MarkdownDocument(Document):
    """The report as markdown."""

    def heading(self, text: str, level: int = 2) -> None:
        self.parts.append(f"{'#' * level} {escape(text)}")

    def paragraph(self, text: str) -> None:
        self.parts.append(escape(text))

    def items(self, entries: Sequence[Sequence[str]], ordered: bool = False,
              title: str = "", follow: bool = False) -> None:
        if title:
            self.paragraph(title)
        lines = []
        for n, entry in enumerate(entries, 1):
            mark = f"{n}. " if ordered else "- "
            body = "<br>".join(escape(line) for line in entry)
            lines.append(f"{mark}{body}")
        self.parts.append("\n".join(lines))

    def table(self, headers: Sequence[str], rows: Iterable[Sequence[object]],
              wrap: Sequence[int] = ()) -> None:
        body = [[escape(c) for c in row] for row in rows]
        if body:
            self.parts.append(tabulate(body, [escape(h) for h in headers], tablefmt="github",
                                       disable_numparse=True))
