"""Plain text for a terminal: wrapped at spaces only, so no id or number is ever split.

Control characters from a ledger (an escape sequence in a quote could clear or recolour
a terminal) are shown escaped (ESC as a backslash, x, 1b), never sent as they are.
"""

from __future__ import annotations

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
        body = [["\n".join(_cell(c, _CELL)) if i in columns else clean("" if c is None else str(c))
                 for i, c in enumerate(row)] for row in rows]
        if body:
            self._glue = True  # a table follows its heading or the sentence introducing it
            self._attach(tabulate(body, [clean(h) for h in headers], tablefmt="simple",
                                  disable_numparse=True))


def _cell(value: object, width: int) -> list[str]:
    text = "" if value is None else str(value)
    return [line for part in text.split("\n") for line in wrap(part, width)]
