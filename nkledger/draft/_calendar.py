"""Dates and periods in prose: "in November", "the first half of 2025", "last year"."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import attrs

from ..periods import Period
from ._figures import _UNITS

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_MONTH_RE = (r"(?:January|February|March|April|May|June|July|August|September|October|"
             r"November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|"
             r"Oct\.?|Nov\.?|Dec\.?)")
_YEAR_RE = r"(?<![\d.,-])(?:19|20)\d\d(?![\d-])"

_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_LONG_DATE = re.compile(rf"\b({_MONTH_RE})\s+(\d{{1,2}}),?\s+((?:19|20)\d\d)(?!\d)")
_DAY_FIRST = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH_RE})\s*,?\s+((?:19|20)\d\d)(?!\d)")


def _month_number(name: str) -> int:
    key = name.lower().rstrip(".")[:3]
    return next(i for i, m in enumerate(_MONTHS, start=1) if m.startswith(key))


def _dates(text: str) -> Iterator[tuple[int, int, date]]:
    for m in _ISO_DATE.finditer(text):
        try:
            yield m.start(), m.end(), date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            continue
    for m in _LONG_DATE.finditer(text):
        try:
            yield m.start(), m.end(), date(int(m[3]), _month_number(m[1]), int(m[2]))
        except ValueError:
            continue
    for m in _DAY_FIRST.finditer(text):
        try:
            yield m.start(), m.end(), date(int(m[3]), _month_number(m[2]), int(m[1]))
        except ValueError:
            continue


def published_date(text: str) -> tuple[date, str] | None:
    """The publication date an article's text states, and the words it came from.

    Only dates marked as such ("Published: 19 Dec. 2025", "date 2026-01-20") or standing
    at the start of a line ("July 19, 2025Clash Report") count: a date inside a
    sentence is an event (a photo caption's "September 4 2025"), not the article's.
    """
    for line in text.splitlines()[:40]:
        marked = re.search(r"\b(?:published|updated|posted|date)\s*:?\s*", line, re.IGNORECASE)
        for start, end, day in sorted(_dates(line)):
            if marked and marked.end() == start:
                return day, line[marked.start():end].strip()
            if not line[:start].strip():
                return day, line[start:end].strip()
    return None


_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3,
             "fourth": 4, "4th": 4}
_OF_YEAR = rf"(?:\s+(?:of\s+|in\s+)?(?P<y>{_YEAR_RE}))?"
_PERIODS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("half", re.compile(rf"\b(?P<o>first|second|1st|2nd)[\s-]+half{_OF_YEAR}", re.I)),
    ("quarter", re.compile(rf"\b(?P<o>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+quarter"
                           rf"{_OF_YEAR}", re.I)),
    ("q", re.compile(rf"\b(?:Q(?P<o>[1-4])|H(?P<h>[12]))(?:\s+(?P<y>{_YEAR_RE}))?\b")),
    ("span", re.compile(
        rf"\b(?:between\s+)?(?P<a>{_MONTH_RE})\s*(?:-|–|to|and|through)\s*(?P<b>{_MONTH_RE})"
        rf"(?:\s+period)?{_OF_YEAR}", re.I)),
    ("months", re.compile(
        rf"\bfirst\s+(?P<n>two|three|four|five|six|seven|eight|nine|ten|eleven|\d{{1,2}})"
        rf"\s+months{_OF_YEAR}", re.I)),
    ("month", re.compile(rf"\b(?P<m>{_MONTH_RE})(?:’s|'s)?(?:\s+(?:of\s+)?(?P<y>{_YEAR_RE}))?"
                         r"(?![\w-])")),
    ("relative", re.compile(r"\b(?P<r>last|this|previous|past)\s+(?P<u>year|month)\b", re.I)),
    ("year", re.compile(rf"(?P<y>{_YEAR_RE})")),
)


@attrs.frozen(kw_only=True)
class _PeriodFound:
    period: Period
    written: str
    start: int
    year_guessed: bool = False


class _Calendar:
    """Turns period words into periods, given the publication date or the article's years."""

    def __init__(self, published: date | None, fallback_year: int | None) -> None:
        self.published = published
        self.fallback_year = fallback_year

    def year_for_month(self, month: int) -> tuple[int, bool] | None:
        if self.published is not None:
            p = self.published
            return (p.year if month <= p.month else p.year - 1), False
        if self.fallback_year is not None:
            return self.fallback_year, True
        return None

    def default_year(self) -> tuple[int, bool] | None:
        if self.published is not None:
            return self.published.year, False
        if self.fallback_year is not None:
            return self.fallback_year, True
        return None

    def find(self, text: str) -> list[_PeriodFound]:
        """Every period named in *text*, in order, overlaps resolved to the longest."""
        hits: list[_PeriodFound] = []
        spans: list[tuple[int, int]] = []
        for kind, pattern in _PERIODS:
            for m in pattern.finditer(text):
                if any(a < m.end() and m.start() < b for a, b in spans):
                    continue
                found = self._read(kind, m)
                if found is not None:
                    hits.append(found)
                    spans.append((m.start(), m.end()))
        return sorted(hits, key=lambda h: h.start)

    def _year(self, m: re.Match[str]) -> tuple[int, bool] | None:
        y = m.groupdict().get("y")
        return (int(y), False) if y else self.default_year()

    def _read(self, kind: str, m: re.Match[str]) -> _PeriodFound | None:
        guessed = False
        if kind in ("half", "quarter", "q", "span", "months"):
            year = self._year(m)
            if year is None:
                return None
            y, guessed = year
            if kind == "half" or (kind == "q" and m["h"]):
                h = int(m["h"]) if kind == "q" else _ORDINALS[m["o"].lower()]
                first = Period.month(y, 6 * h - 5).first
                period = Period(first=first, last=first + 5)
            elif kind in ("quarter", "q"):
                q = int(m["o"]) if kind == "q" else _ORDINALS[m["o"].lower()]
                first = Period.month(y, 3 * q - 2).first
                period = Period(first=first, last=first + 2)
            elif kind == "span":
                a, b = _month_number(m["a"]), _month_number(m["b"])
                if b <= a:
                    return None
                period = Period(first=Period.month(y, a).first, last=Period.month(y, b).first)
            else:
                n = m["n"].lower()
                count = int(n) if n.isdigit() else _UNITS[n]
                if not 1 < count <= 12:
                    return None
                period = Period(first=Period.month(y, 1).first,
                                last=Period.month(y, count).first)
        elif kind == "month":
            name = m["m"]
            if name == "May" and not m["y"] and not re.match(r"\s+(?:19|20)\d\d", name):
                # "May" is also a verb; only "in May", "May's" and "May 2025" count
                before = m.string[max(0, m.start() - 6):m.start()].lower()
                if not re.search(r"\b(?:in|of|since|for)\s+$", before) and "’s" not in m[0] \
                        and "'s" not in m[0]:
                    return None
            month = _month_number(name)
            if m["y"]:
                y = int(m["y"])
            else:
                year = self.year_for_month(month)
                if year is None:
                    return None
                y, guessed = year
            period = Period.month(y, month)
        elif kind == "relative":
            if self.published is None:
                return None
            back = 0 if m["r"].lower() == "this" else 1
            if m["u"].lower() == "year":
                period = Period(first=Period.month(self.published.year - back, 1).first,
                                last=Period.month(self.published.year - back, 12).first)
            else:
                period = Period.month(self.published.year, self.published.month).shift(-back)
        else:
            y = int(m["y"])
            period = Period(first=Period.month(y, 1).first, last=Period.month(y, 12).first)
        return _PeriodFound(period=period, written=m[0], start=m.start(), year_guessed=guessed)


