"""One self-contained HTML page: no script, no external resource, an SVG per problem."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from tabulate import tabulate

from ..problems import Problem
from ._outline import Document
from ._svg import problem_svg


def _e(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


class HtmlDocument(Document):
    """The report as an HTML page."""

    def heading(self, text: str, level: int = 2) -> None:
        self.parts.append(f"<h{level}>{_e(text)}</h{level}>")

    def paragraph(self, text: str) -> None:
        self.parts.append(f"<p>{_e(text)}</p>")

    def items(self, entries: Sequence[Sequence[str]], ordered: bool = False,
              title: str = "", follow: bool = False) -> None:
        if title:
            self.paragraph(title)
        tag = "ol" if ordered else "ul"
        body = "\n".join("<li>" + "<br>".join(_e(line) for line in entry) + "</li>"
                         for entry in entries)
        self.parts.append(f"<{tag}>\n{body}\n</{tag}>")

    def table(self, headers: Sequence[str], rows: Iterable[Sequence[object]],
              wrap: Sequence[int] = ()) -> None:
        body = [[_e(c) for c in row] for row in rows]
        if body:
            self.parts.append(tabulate(body, [_e(h) for h in headers], tablefmt="unsafehtml",
                                       disable_numparse=True))

    def picture(self, problem: Problem) -> None:
        svg = problem_svg(problem)
        if svg:
            self.parts.append(f'<figure class="problem" id="problem-{problem.number}">'
                              f"{svg}<figcaption>Problem {problem.number}: each claim’s "
                              "stated interval (bar) against the range the other claims "
                              "imply (grey band); culprits in red.</figcaption></figure>")

    def finish(self, title: str) -> str:
        return _PAGE.format(title=_e(title), body="\n\n".join(self.parts) + "\n")


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy"
 content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em auto; padding: 0 1em; max-width: 72em;
        color: #222; }}
table {{ border-collapse: collapse; margin: 0.5em 0 1.5em; }}
th, td {{ border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }}
th {{ background: #f3f3f3; }}
h1 {{ font-size: 1.5em; }} h2 {{ margin-top: 1.5em; }}
li {{ margin: 0.3em 0; }}
figure.problem {{ margin: 1em 0; }}
figcaption {{ font-size: 0.85em; color: #555; }}
</style>
</head>
<body>
{body}</body>
</html>
"""
