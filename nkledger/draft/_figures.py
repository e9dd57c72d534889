"""Figures as newswire writes them: "$2.7bn", "US$1.05 billion", "two-point-three billion"."""

from __future__ import annotations

import re
from decimal import Decimal

import attrs

from ..exceptions import LedgerError
from ..figures import QUALIFIERS, Figure, parse_figure

_QUALIFIER_RE = "|".join(
    re.escape(w) for w in sorted((w for ws in QUALIFIERS.values() for w in ws if w != "~"),
                                 key=len, reverse=True))
_PREFIX_RE = (r"(?:US\s?\$|HK\$|A\$|C\$|R\$|\$|€|£|₩|₹|CN¥|RMB\s?|(?:USD|CNY|EUR|GBP|KRW|"
              r"JPY|ZAR|HKD|RUB|INR|AUD|CAD|BRL|KPW)\s?|R(?=\d))")
_NUM_RE = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE_RE = r"(?:\s?(?:bn|mn|mln|tn|m|b|k)\b|\s(?:billion|million|trillion|thousand)\b)"
_MONEY_WORDS = (r"(?:U\.S\. dollars|US dollars|dollars|yuan|renminbi|won|euros|rand|yen|"
                r"roubles|rubles|pounds)")
_PERCENT_RE = r"\s?(?:%|percent\b|per cent\b|pct\b)"
_FIGURE = re.compile(
    rf"(?:(?P<qual>{_QUALIFIER_RE})\s+)?"
    rf"(?:(?P<pre>{_PREFIX_RE})(?P<n1>{_NUM_RE})(?P<s1>{_SCALE_RE})?"
    rf"|(?<![\w.$])(?P<n2>{_NUM_RE})(?:(?P<pct>{_PERCENT_RE})"
    rf"|(?P<s2>{_SCALE_RE})?\s(?P<cur>{_MONEY_WORDS})\b))",
    re.IGNORECASE,
)

_UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
          "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
          "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
          "eighteen": 18, "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
_WORD = "|".join([*_TENS, *_UNITS, "hundred", "point", "and", "a"])
_SPELLED = re.compile(
    rf"(?:(?P<qual>{_QUALIFIER_RE})\s+)?"
    rf"(?P<words>(?:{'|'.join([*_TENS, *_UNITS])})(?:[\s-]+(?:{_WORD}))*)"
    rf"(?:(?P<pct>\s(?:percent|per cent)\b)"
    rf"|\s(?P<scale>billion|million|trillion|thousand)(?:\s(?P<cur>{_MONEY_WORDS}))?\b)",
    re.IGNORECASE,
)


@attrs.frozen(kw_only=True)
class Found:
    """A figure found in a text: what was written, where, and how nkledger writes it."""

    written: str
    value: str
    start: int
    end: int

    @property
    def figure(self) -> Figure:
        """The figure, read by :func:`~nkledger.figures.parse_figure`."""
        return parse_figure(self.value)


def _spelled_number(words: str) -> Decimal | None:
    tokens = [t for t in re.split(r"[\s-]+", words.lower()) if t and t not in ("and", "a")]
    whole, decimals, after_point = 0, "", False
    for token in tokens:
        if token == "point":
            if after_point:
                return None
            after_point = True
        elif after_point:
            if token not in _UNITS or _UNITS[token] > 9:
                return None
            decimals += str(_UNITS[token])
        elif token == "hundred":
            whole = max(whole, 1) * 100
        elif token in _TENS:
            whole += _TENS[token]
        elif token in _UNITS:
            whole += _UNITS[token]
        else:
            return None
    if after_point and not decimals:
        return None
    return Decimal(f"{whole}.{decimals}" if decimals else str(whole))


def find_figures(text: str) -> list[Found]:
    """Every money amount and percentage written in *text*, in order.

    Digits ("$2.7bn", "US$1.05 billion", "30 percent", "R44.2bn", "2.3 billion yuan") and
    spelled-out numbers ("nearly two-point-three billion U.S. dollars", "twenty percent")
    are found with their qualifier; ``value`` is the figure as
    :func:`~nkledger.figures.parse_figure` reads it (the written text where it can,
    digits for spelled-out numbers, "dollars" for "U.S. dollars"). Bare counts and years
    ("2,000 workers", "2019") are not figures.
    """
    found: list[Found] = []
    taken: list[tuple[int, int]] = []
    for m in _FIGURE.finditer(text):
        written = m[0]
        value = re.sub(r"U\.S\. dollars", "dollars", written)
        try:
            parse_figure(value)
        except LedgerError:
            continue
        found.append(Found(written=written, value=value, start=m.start(), end=m.end()))
        taken.append((m.start(), m.end()))
    for m in _SPELLED.finditer(text):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        number = _spelled_number(m["words"])
        if number is None:
            continue
        if m["pct"]:
            value = f"{number} percent"
        else:
            unit = (m["cur"] or "").replace("U.S. dollars", "dollars")
            if not unit:
                continue  # "two million people": a count
            value = f"{number} {m['scale'].lower()} {unit}"
        if m["qual"]:
            value = f"{m['qual'].lower()} {value}"
        try:
            parse_figure(value)
        except LedgerError:
            continue
        found.append(Found(written=m[0], value=value, start=m.start(), end=m.end()))
    return sorted(found, key=lambda f: f.start)


