"""Plain text for a terminal: wrapped at spaces only, so no id or number is ever split.

Control characters from a ledger (an escape sequence in a quote could clear or recolour
a terminal) are shown escaped (ESC as a backslash, x, 1b), never sent as they are.
"""

from __future__ import annotations

import itertools
import re
import textwrap
from collections.abc import Iterable, Sequence

from tabulate import tabulate

from ._outline import Document

WIDTH = 90
_CELL = 64
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """*text* with every control character but newline and tab written as an escape."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def wrap(text: str, width: int = WIDTH, indent: str = "", first: str = "") -> list[str]:
    """*text* in lines of at most *width*, broken only at spaces (never at a hyphen).

    A word longer than the line (a long id) stays whole on a line of its own.
    """
    wrapper = textwrap.TextWrapper(width=width, initial_indent=first or indent,
                                   subsequent_indent=indent, break_long_words=False,
                                   break_on_hyphens=False)
    return wrapper.wrap(clean(text)) or [first.rstrip()]


class TextDocument(Document):
    """The report as plain text."""

    def heading(self, text: str, level: int = 2) -> None:
        text = clean(text)
        if level <= 1:
            self.parts.append(f"{text}\n{'=' * len(text)}")
        elif level == 2:
            self.parts.append(f"{text}\n{'=' * len(text)}")
            self._glue = True
        else:
            self.parts.append(text)
            self._glue = True

    def paragraph(self, text: str) -> None:
        self._attach("\n".join(wrap(text)))

    def aside(self, text: str) -> None:
        self._glue = True
        self.paragraph(text)

    _glue = False

    def _attach(self, text: str) -> None:
        # what a minor heading or a colon introduces follows it without a gap
        if self.parts and (self._glue or self.parts[-1].endswith(":")):
            self.parts[-1] += "\n" + text
        else:
            self.parts.append(text)
        self._glue = False

    def items(self, entries: Sequence[Sequence[str]], ordered: bool = False,
              title: str = "", follow: bool = False) -> None:
        lines = [title] if title else []
        for n, entry in enumerate(entries, 1):
            mark = f"{n}. " if ordered else "- "
            pad = " " * len(mark)
            for k, line in enumerate(entry):
                lines.extend(wrap(line, indent=pad, first=mark if k == 0 else pad))
        if title and not follow:
            self.parts.append("\n".join(lines))
        else:
            self._glue = self._glue or follow
            self._attach("\n".join(lines))

    def table(self, headers: Sequence[str], rows: Iterable[Sequence[object]],
              wrap: Sequence[int] = ()) -> None:
        columns = set(wrap)
        body: Sequence[Sequence[str]]
        rows = list(rows)
        if not columns and _clean_strings(rows):
            body = rows  # type: ignore[assignment]  # strings, each already clean
        else:
            body = [["\n".join(_cell(c, _CELL)) if i in columns
                     else clean("" if c is None else str(c))
                     for i, c in enumerate(row)] for row in rows]
        if body:
            self._glue = True  # a table follows its heading or the sentence introducing it
            self._attach(simple_table(body, [clean(h) for h in headers]))


def simple_table(rows: Sequence[Sequence[str]], headers: Sequence[str]) -> str:
    """``tabulate(rows, headers, tablefmt="simple", disable_numparse=True)``, faster.

    A report's implied figures make a table of one row per figure (a hundred thousand
    in a big ledger), where :func:`tabulate` spends most of its time asking of every
    cell what type it is. Cells here are strings, each left-aligned and stripped; this
    writes the same text straight away, and leaves to :func:`tabulate` any table whose
    width it could count differently: a cell or header on several lines or with an
    escape code, a header with space around it, or (with ``wcwidth`` installed, when
    tabulate counts wide characters) a character beyond ASCII. Whether any cell is such
    is asked once of all the cells' text together (each is a question of characters).
    """
    import tabulate as _tabulate

    wide = getattr(_tabulate, "WIDE_CHARS_MODE", True)
    if (len(headers) == 0 or not set(map(len, rows)) <= {len(headers)}
            or any(h != h.strip() or not _plain(h, wide) for h in headers)
            or not _plain("".join(itertools.chain.from_iterable(rows)), wide)):
        return tabulate(rows, headers, tablefmt="simple", disable_numparse=True)
    columns = [list(map(str.strip, column)) for column in zip(*rows, strict=True)]
    widths = [max(len(h) + 2, max(map(len, column), default=0))
              for h, column in zip(headers, columns or [[]] * len(headers), strict=True)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    # a cell left-aligned in its width, as str.ljust does it ("{:<n}" of a string)
    line = "  ".join(f"{{:<{w}}}" for w in widths).format
    lines.extend(line(*row).rstrip() for row in zip(*columns, strict=True))
    return "\n".join(lines)


def _clean_strings(rows: Sequence[Sequence[object]]) -> bool:
    """Whether every cell is a string (no subclass) that :func:`clean` leaves as it is.

    Asked of all the cells at once: a table of a hundred thousand implied figures is
    then taken as it is, not written again cell by cell.
    """
    cells = list(itertools.chain.from_iterable(rows))
    if not set(map(type, cells)) <= {str}:
        return False
    return _CONTROL.search("".join(cells)) is None  # type: ignore[arg-type]


def _plain(text: str, wide: bool) -> bool:
    """Whether tabulate counts *text* as wide as it is long, on one line."""
    if "\n" in text or "\r" in text or "\x1b" in text:
        return False
    return not wide or text.isascii()


def _cell(value: object, width: int) -> list[str]:
    text = "" if value is None else str(value)
    return [line for part in text.split("\n") for line in wrap(part, width)]
