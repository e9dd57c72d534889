"""An inline SVG per problem: each claim's interval against what the others imply.

Layout only: positions are floats computed from the exact intervals for drawing; every
figure written in the picture is an exact range from
:func:`~nkledger.figures.format_range`. Claims about one quantity (a metric over a
period) share an axis. No script, no external reference; every text is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from decimal import Decimal

from ..figures import format_amount, format_range
from ..intervals import Interval
from ..problems import Bar, Problem

_WIDTH = 900
_LABEL = 360      # room for the quantity and the outlet, on the left
_RANGE = 190      # room for the stated range, on the right
_ROW = 20
_HEAD = 24
_CULPRIT = "#c0392b"
_OTHER = "#2e6da4"
_BAND = "#d5d5d5"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _ends(bars: Sequence[Bar]) -> tuple[Decimal, Decimal]:
    """The least and greatest finite end of any interval drawn (exact, for the labels)."""
    ends = [x for b in bars for i in (b.stated, b.implied) if i is not None
            for x in (i.low, i.high) if x.is_finite()]
    return min(ends), max(ends)


def _domain(low: Decimal, high: Decimal) -> tuple[float, float]:
    """The drawn axis: the ends with a margin (floats: layout only)."""
    a, b = float(low), float(high)
    pad = (b - a) * 0.08 or abs(b) * 0.05 or 1.0
    return a - pad, b + pad


def problem_svg(problem: Problem) -> str:
    """The picture of *problem*, or "" when none of its claims has a bounded interval."""
    groups: dict[str, list[Bar]] = {}
    for bar in problem.bars:
        groups.setdefault(bar.series or bar.quantity, []).append(bar)
    if not groups:
        return ""
    plot = _WIDTH - _LABEL - _RANGE
    height = sum(_HEAD + _ROW * len(g) for g in groups.values()) + 8
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{height}" '
           f'viewBox="0 0 {_WIDTH} {height}" role="img" '
           f'aria-label="{_e(f"Problem {problem.number}")}" font-family="sans-serif" '
           f'font-size="12">']
    y = 4
    for quantity, bars in groups.items():
        first, last = _ends(bars)
        low, high = _domain(first, last)

        def x(value: float, lo: float = low, hi: float = high) -> float:
            if value == float("inf"):
                return _LABEL + plot
            if value == float("-inf"):
                return _LABEL
            return _LABEL + (value - lo) / (hi - lo) * plot

        out.append(f'<text x="4" y="{y + 16}" font-weight="bold">{_e(quantity)}</text>')
        unit = bars[0].unit
        out.append(f'<text x="{x(float(first)):.1f}" y="{y + 16}" font-size="10" '
                   f'fill="#666">{_e(format_amount(first, unit))}</text>')
        out.append(f'<text x="{x(float(last)):.1f}" y="{y + 16}" font-size="10" fill="#666" '
                   f'text-anchor="end">{_e(format_amount(last, unit))}</text>')
        out.append(f'<line x1="{_LABEL}" y1="{y + _HEAD - 2}" x2="{_LABEL + plot}" '
                   f'y2="{y + _HEAD - 2}" stroke="#999" stroke-width="0.5"/>')
        y += _HEAD
        for bar in bars:
            colour = _CULPRIT if bar.culprit else _OTHER
            middle = y + _ROW / 2
            out.append(f'<g class="bar{" culprit" if bar.culprit else ""}" '
                       f'data-claim="{_e(bar.claim)}">')
            out.append(f"<title>{_e(bar.claim)} ({_e(bar.label)}): "
                       f"states {_e(_range(bar.stated, bar.unit))}"
                       + ("" if bar.implied is None else
                          f"; the others imply {_e(_range(bar.implied, bar.unit))}")
                       + "</title>")
            out.append(f'<text x="16" y="{middle + 4}">{_e(bar.period)} · '
                       f"{_e(_short(bar.label))}</text>")
            if bar.implied is not None:
                a, b = x(float(bar.implied.low)), x(float(bar.implied.high))
                out.append(f'<rect class="implied" x="{a:.1f}" y="{y + 2}" '
                           f'width="{max(b - a, 2):.1f}" height="{_ROW - 4}" '
                           f'fill="{_BAND}"/>')
            a, b = x(float(bar.stated.low)), x(float(bar.stated.high))
            out.append(f'<rect class="stated" x="{a:.1f}" y="{middle - 3}" '
                       f'width="{max(b - a, 3):.1f}" height="6" fill="{colour}"/>')
            out.append(f'<text x="{_LABEL + plot + 8}" y="{middle + 4}" fill="{colour}">'
                       f"{_e(_range(bar.stated, bar.unit))}"
                       + (' <tspan font-weight="bold">✗ culprit</tspan>'
                          if bar.culprit else "")
                       + "</text>")
            out.append("</g>")
            y += _ROW
    out.append("</svg>")
    return "".join(out)


def _short(label: str, size: int = 44) -> str:
    """A label that fits its column (the full one is in the bar's title)."""
    return label if len(label) <= size else label[:size - 1] + "…"


def _range(interval: Interval, unit: str) -> str:
    return format_range(interval, unit)
