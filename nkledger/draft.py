"""Drafting claims from an article's text, for a person to review.

:func:`draft` reads newswire prose and proposes one :class:`~nkledger.claims.Claim` per
figure, rate, rank and direction it states about a metric the ledger declares, each with
``status = "draft"`` and a ``note`` saying what was guessed. Figures about things the
ledger has no metric for, or whose period cannot be told, are kept as
:class:`Omission` s (printed as TOML comments), never dropped silently.

The reader is rule-based and small, on purpose: no network, no model. It works a
sentence at a time, and a sentence a clause at a time (clauses split at ", while", "but",
"before", ";"), because newswire puts one subject with its figures in each clause:

- **metric** — the longest term a ``[[metric]]`` declares (``terms = [...]``) found in the
  clause, else in the sentence, else the previous sentence's (for "It was the highest
  monthly figure since ..."). A term "A's exports to B" also reads as "B's imports from
  A": North Korea's exports to China are China's imports.
- **period** — "in November", "in December alone", "in 2025", "last year", "in the first
  half", "January-June period of 2025", "between January and June 2025", "the third
  quarter"; a month without a year is the latest such month not after the publication
  date (without one, in the latest year the article names). "from $37.6mn a year
  earlier" is a level for the same period a year before.
- **kind** — a percentage is a change (signed by its verb: "dropped 5%" is -5 %), against
  a year earlier unless the text says month-on-month or names the base; money is a
  level; "the highest monthly level of 2025", "the highest monthly figure since October
  2019", "August's first decline of 2025" are ranks; a rise or fall with no percentage
  ("also jumped to $52.7m") is a direction.

Attention: the reader does not understand the text; it matches words. Every draft says
what it guessed, and stays a draft until a person removes the ``status``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal

import attrs

from .claims import Change, Claim, Metric, Rank, Source, parse_rank
from .exceptions import LedgerError
from .figures import QUALIFIERS, Figure, parse_figure
from .ledger import Ledger
from .periods import Period

__all__ = ["Drafted", "Omission", "draft", "find_figures", "published_date"]

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_MONTH_RE = (r"(?:January|February|March|April|May|June|July|August|September|October|"
             r"November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|"
             r"Oct\.?|Nov\.?|Dec\.?)")
_YEAR_RE = r"(?<![\d.,-])(?:19|20)\d\d(?![\d-])"

# -- figures as written -----------------------------------------------------------

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


# -- dates and periods ------------------------------------------------------------

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


# -- sentences and clauses --------------------------------------------------------

_ABBREVIATIONS = re.compile(
    r"(?:\b[A-Z]|\bU\.S|\bU\.N|\bU\.K|\bMr|\bMrs|\bMs|\bDr|\bSt|\bNo|\bvs|\bInc|\bCo|\bCorp|"
    r"\bLtd|\bGov|\bSen|\bRep|\bJan|\bFeb|\bMar|\bApr|\bJun|\bJul|\bAug|\bSept?|\bOct|\bNov|"
    r"\bDec|\be\.g|\bi\.e)\.$")
_CLAUSE = re.compile(r",\s+(?:while|whereas|and|but)\s+|;\s+|\s+but\s+|\s+before\s+|"
                     r"\s+while\s+|\s+whereas\s+")


# a sentence that refers back to the previous one's subject
_ANAPHORA = re.compile(
    r"^(?:it|that|this|these|they|the\s+(?:\w+\s+){0,2}?(?:figure|level|total|value|amount|"
    r"rise|increase|recovery|rebound|decline|drop|fall|gain|surge|growth|jump|number))\b",
    re.IGNORECASE)


@attrs.frozen(kw_only=True)
class _Sentence:
    text: str
    headline: bool


def _sentences(text: str) -> Iterator[_Sentence]:
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        headline = not re.search(r"[.!?][”\"’')\]]?$", line)
        start = 0
        for m in re.finditer(r"[.!?][”\"’')\]]?(?=\s+[“\"‘'(\[]?[A-Z0-9])", line):
            if m[0] == "." and _ABBREVIATIONS.search(line[:m.end()]):
                continue
            yield _Sentence(text=line[start:m.end()].strip(), headline=headline)
            start = m.end()
        rest = line[start:].strip()
        if rest:
            yield _Sentence(text=rest, headline=headline)


def _clauses(sentence: str) -> list[tuple[int, int]]:
    cuts = [0]
    for m in _CLAUSE.finditer(sentence):
        cuts.append(m.start())
    cuts.append(len(sentence))
    return [(a, b) for a, b in itertools.pairwise(cuts) if b > a]


# -- metric terms -----------------------------------------------------------------

def _fold(text: str) -> str:
    """Lower case with curly quotes and dashes made plain, keeping every offset."""
    return text.translate(_FOLD).lower()


_FOLD = str.maketrans({"’": "'", "‘": "'", "–": "-", "—": "-", "‐": "-", "‑": "-", "“": '"',
                       "”": '"', "\u00a0": " "})
_FLOW = re.compile(r"^(?P<a>.+?)(?:'s)?\s+(?P<flow>exports|imports|shipments|sales)\s+"
                   r"(?P<dir>to|from)\s+(?P<b>.+)$")
_MIRROR = {("exports", "to"): ("imports", "from"), ("imports", "from"): ("exports", "to"),
           ("shipments", "to"): ("imports", "from"), ("sales", "to"): ("imports", "from")}


def _terms(metrics: Iterable[Metric]) -> list[tuple[str, str, str]]:
    """(folded term, metric id, term as declared), longest first, mirrors added."""
    out: dict[str, tuple[str, str]] = {}
    for metric in metrics:
        for term in metric.terms:
            folded = " ".join(_fold(term).split())
            out.setdefault(folded, (metric.id, term))
    for folded, (metric_id, term) in list(out.items()):
        m = _FLOW.match(folded)
        if m and (m["flow"], m["dir"]) in _MIRROR and "'" not in m["b"]:
            flow, direction = _MIRROR[(m["flow"], m["dir"])]
            out.setdefault(f"{m['b']}'s {flow} {direction} {m['a']}", (metric_id, term))
    return sorted(((f, mid, t) for f, (mid, t) in out.items()), key=lambda x: -len(x[0]))


def _find_terms(folded: str, terms: Sequence[tuple[str, str, str]]
                ) -> list[tuple[int, int, str, str]]:
    hits: list[tuple[int, int, str, str]] = []
    for term, metric_id, declared in terms:
        for m in re.finditer(rf"(?<![\w-]){re.escape(term)}(?![\w-])", folded):
            if not any(a < m.end() and m.start() < b for a, b, _, _ in hits):
                hits.append((m.start(), m.end(), metric_id, declared))
    return sorted(hits)


# -- kinds ------------------------------------------------------------------------

_UP = ("rose|rise|rises|rising|risen|climbed|climb|climbs|climbing|jumped|jump|jumps|jumping|"
       "surged|surge|surges|surging|soared|soar|soars|soaring|grew|grow|grows|growing|grown|"
       "increased|increases|increasing|rebounded|rebounds|rebounding|gained|gains|"
       "expanded|expands|picked up|up")
_DOWN = ("fell|fall|falls|falling|fallen|dropped|drop|drops|dropping|declined|decline|declines|"
         "declining|decreased|decreases|decreasing|slumped|slumps|slumping|plunged|plunges|"
         "plunging|tumbled|tumbles|shrank|shrinks|shrinking|contracted|contracts|slid|slides|"
         "sank|sinks|dipped|dips|down")
_VERB = re.compile(rf"\b(?:(?P<up>{_UP})|(?P<down>{_DOWN}))\b", re.IGNORECASE)
_YOY = re.compile(r"year[\s-]on[\s-]year|on[\s-]year\b|\byoy\b|y/y|a year (?:earlier|ago|before)|"
                  r"from the same (?:month|period|time) (?:a|last|of the previous) year|"
                  r"compared with (?:a|the previous|last) year", re.IGNORECASE)
_MOM = re.compile(r"month[\s-](?:on|to|over)[\s-]month|on[\s-]month\b|m/m|"
                  r"(?:a|the previous|the prior) month(?: earlier| before)?\b|"
                  r"from (?:the month before|a month earlier)", re.IGNORECASE)
_RANK = re.compile(
    rf"(?:(?P<owner>{_MONTH_RE})(?:’s|'s)\s+)?"
    r"(?:(?:the|its|a|their)\s+)?(?P<ext>highest|lowest|biggest|largest|smallest|first\s+"
    r"(?:decline|drop|fall|increase|rise))(?:\s+(?:monthly|annual|quarterly|yearly))?"
    r"(?:\s+(?:level|figure|value|amount|total|reading|tally))?"
    rf"(?:\s+(?P<rel>of|in|since|this)\s+(?P<arg>(?:{_MONTH_RE}\s+)?{_YEAR_RE}|the year|year|"
    r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+years))?"
    r"|(?P<n>\d+|two|three|four|five|six|seven|eight|nine|ten)-year\s+(?P<hl>high|low)"
    r"|(?P<rec>record\s+(?:high|low)|all-time\s+(?:high|low)|a\s+record)",
    re.IGNORECASE,
)


@attrs.frozen(kw_only=True)
class Omission:
    """A figure, rank or direction the draft could not turn into a claim, and why."""

    written: str
    sentence: str
    reason: str

    def comment(self) -> str:
        """The omission as a TOML comment line."""
        return f"# not drafted: {self.written!r}: {self.reason}: {self.sentence!r}"


@attrs.frozen(kw_only=True)
class Drafted:
    """What :func:`draft` read in one article: the source, its draft claims, the rest."""

    source: Source
    new_source: bool
    claims: tuple[Claim, ...]
    omitted: tuple[Omission, ...]
    order: tuple[Claim | Omission, ...]

    def to_toml(self) -> str:
        """The drafts as TOML tables, ready to paste or append, omissions as comments."""
        from .edit import render_table

        blocks: list[str] = []
        if self.new_source:
            blocks.append(render_table("source", source_fields(self.source)))
        for item in self.order:
            if isinstance(item, Omission):
                blocks.append(item.comment())
            else:
                blocks.append(render_table("claim", claim_fields(item)))
        return "\n\n".join(blocks) + "\n" if blocks else ""


def source_fields(s: Source) -> list[tuple[str, object]]:
    """A source's keys in the order a ledger file writes them."""
    return [("id", s.id), ("outlet", s.outlet), ("published", s.published), ("title", s.title),
            ("url", s.url), ("cites", s.cites), ("origin", s.origin),
            ("weight", None if s.weight == 1.0 else s.weight), ("basis", s.basis),
            ("file", s.file), ("note", s.note)]


def claim_fields(c: Claim) -> list[tuple[str, object]]:
    """A claim's keys in the order a ledger file writes them."""
    return [("id", c.id), ("source", c.source), ("metric", c.metric), ("period", str(c.period)),
            ("change", None if c.change is None else str(c.change)),
            ("value", None if c.value is None else c.value.text),
            ("rank", None if c.rank is None else c.rank.text), ("direction", c.direction),
            ("low", None if c.low is None else c.low.text),
            ("high", None if c.high is None else c.high.text), ("basis", c.basis),
            ("status", c.status), ("note", c.note), ("quote", c.quote)]


@attrs.frozen(kw_only=True)
class _Proposal:
    metric: str
    period: Period
    kind: str
    value: str | None = None
    change: Change | None = None
    rank: Rank | None = None
    direction: str | None = None
    guesses: tuple[str, ...] = ()

    def key(self) -> tuple[object, ...]:
        what: object
        if self.rank is not None:
            what = (self.rank.extreme, self.rank.scope, self.rank.since)
        elif self.value is not None:
            f = parse_figure(self.value)
            what = (f.value, f.unit, f.qualifier)
        else:
            what = self.direction
        return (self.metric, self.period, self.kind, what,
                None if self.rank is not None else self.change)


class _Reader:
    def __init__(self, text: str, ledger: Ledger, published: date | None) -> None:
        years = [int(m[0]) for m in re.finditer(_YEAR_RE, _strip_dates(text))]
        fallback = max(years) if years else None
        self.calendar = _Calendar(published, fallback)
        self.terms = _terms(ledger.metrics)
        self.published = published
        self.items: list[tuple[_Proposal, str] | Omission] = []
        self.context_metric: tuple[str, str] | None = None
        self.context_period: _PeriodFound | None = None

    def read(self, text: str) -> None:
        for sentence in _sentences(text):
            self.sentence(sentence)

    def sentence(self, s: _Sentence) -> None:
        text = s.text
        clean = _strip_dates(text)
        folded = _fold(clean)
        carried_metric = None if s.headline else self.context_metric
        if carried_metric is not None and find_figures(clean) and not _ANAPHORA.match(clean):
            # "Tourism revenue was $3bn.": a new subject with its own figure
            carried_metric = None
        carried_period = None if s.headline else self.context_period
        sentence_terms = _find_terms(folded, self.terms)
        stated_metric: tuple[str, str] | None = None
        stated_period: _PeriodFound | None = None
        before_items = len(self.items)
        for a, b in _clauses(clean):
            clause = clean[a:b]
            clause_terms = [t for t in sentence_terms if a <= t[0] < b]
            if clause_terms:
                metric: tuple[str, str] | None = (clause_terms[0][2], clause_terms[0][3])
                metric_from = f'"{clause_terms[0][3]}"'
            elif stated_metric is not None:
                metric, metric_from = stated_metric, f'"{stated_metric[1]}" earlier in the sentence'
            elif sentence_terms:
                metric = (sentence_terms[0][2], sentence_terms[0][3])
                metric_from = f'"{sentence_terms[0][3]}"'
            else:
                metric = carried_metric
                metric_from = ("" if metric is None
                               else f'"{metric[1]}" in the previous sentence')
            period_hit = self.clause(text, clause, metric, metric_from,
                                     stated_period or carried_period,
                                     stated_period is None and carried_period is not None)
            if clause_terms:
                stated_metric = metric
            if period_hit is not None:
                stated_period = period_hit
        # a metric carries over one sentence ("It was the highest..."), and on only when
        # that sentence used it
        used = len(self.items) > before_items
        self.context_metric = stated_metric or (carried_metric if used else None)
        self.context_period = stated_period or carried_period

    def clause(self, sentence: str, clause: str, metric: tuple[str, str] | None,
               metric_from: str, inherited: _PeriodFound | None,
               from_previous: bool) -> _PeriodFound | None:
        figures = find_figures(clause)
        ranks = list(_RANK.finditer(clause))
        # words that say something other than the clause's own period: bases, ranks, priors
        masked = clause
        priors: list[tuple[Found, _PeriodFound | None, str]] = []
        for f in figures:
            before = clause[:f.start].rstrip()
            if re.search(r"\bfrom$", before, re.IGNORECASE):
                after = clause[f.end:]
                segment = re.match(r"[^,;]*", after)[0]  # type: ignore[index]
                rel = re.match(r"\s*(?:a year (?:earlier|ago|before)|the previous (?:month|year)|"
                               r"a month (?:earlier|before))", segment, re.IGNORECASE)
                hit = None
                words = ""
                if rel:
                    words = rel[0].strip()
                else:
                    hits = [h for h in self.calendar.find(segment) if h.start < 16]
                    if hits:
                        hit = hits[0]
                        end = hit.start + len(hit.written)
                        words = segment[:end].strip()
                        masked = _mask(masked, f.end + hit.start, f.end + end)
                priors.append((f, hit, words))
        for r in ranks:
            masked = _mask(masked, r.start(), r.end())
        for m in re.finditer(rf"\b(?:from|compared with|against|over|since)\s+(?:the\s+)?"
                             rf"(?:(?:{_MONTH_RE})\s+)?{_YEAR_RE}|\bsince\s+{_MONTH_RE}",
                             masked, re.IGNORECASE):
            masked = _mask(masked, m.start(), m.end())
        for m, base in self.bases(masked):
            masked = _mask(masked, m.start(), m.end() + base.start + len(base.written))
        own = self.calendar.find(masked)
        period = own[0] if own else inherited
        period_note = ""
        if period is not None:
            where = ("the previous sentence" if from_previous and not own
                     else "earlier in the sentence" if not own else "")
            period_note = f'period {period.period} from "{period.written}"'
            if where:
                period_note += f" {where}" if where.startswith("earlier") else f" in {where}"
            if period.year_guessed:
                period_note += (f" (year {period.period.year} guessed from the years the "
                                f"article names)" if self.published is None else "")
            elif self.published is not None and not re.search(r"\d{4}", period.written):
                period_note += f" and the publication date {self.published}"
        basis, basis_note = self.basis(clause, period)

        def propose(kind: str, written: str, **fields: object) -> None:
            if metric is None:
                if kind in ("level", "change"):  # a figure; a bare "rose" is not worth a line
                    self.items.append(Omission(written=written, sentence=sentence,
                                               reason="no metric of the ledger is named"))
                return
            when = fields.pop("period", None) or (None if period is None else period.period)
            if when is None:
                self.items.append(Omission(written=written, sentence=sentence,
                                           reason=f"{kind} of {metric[0]}, but no period "
                                                  f"is stated"))
                return
            guesses = [f"metric {metric[0]} from {metric_from}",
                       str(fields.pop("period_note", period_note)), f"kind {kind}"]
            extra = fields.pop("guess", None)
            if extra:
                guesses.append(str(extra))
            assert isinstance(when, Period)
            self.items.append((_Proposal(metric=metric[0], period=when, kind=kind,
                                         guesses=tuple(g for g in guesses if g),
                                         **fields), sentence))  # type: ignore[arg-type]

        prior_figures = {id(p[0]) for p in priors}
        percents = [f for f in figures if f.figure.is_percent]
        for f in figures:
            if id(f) in prior_figures:
                continue
            fig = f.figure
            if fig.is_percent:
                sign, verb = self.sign(clause, f)
                value = f.value
                if sign < 0 and not fig.number.is_signed():
                    value = "-" + value if fig.qualifier is None else _negate(f.value)
                guess = (f'{"fall" if sign < 0 else "rise"} from "{verb}"' if verb
                         else "a rise: no verb says which way")
                if f.written != f.value:
                    guess += f'; written "{f.written}"'
                propose("change", f.written, value=value, change=basis,
                        guess=f"{basis_note}; {guess}")
            else:
                notes = [f'written "{f.written}"'] if f.written != f.value else []
                if fig.unit not in ("USD", ""):
                    notes.append(f"in {fig.unit}, not US dollars: kept as written")
                propose("level", f.written, value=f.value, guess="; ".join(notes))
        for f, hit, words in priors:
            if period is None and hit is None:
                propose("level", f.written, value=f.value)
                continue
            when = hit.period if hit is not None else None
            if period is not None and (hit is None or re.match(
                    r"(?:in |for )?(?:a year|the previous year)", words, re.IGNORECASE)):
                when = period.period.year_earlier()
            elif hit is not None and period is not None and re.match(
                    r"(?:in |for )?(?:the previous month|a month)", words, re.IGNORECASE):
                when = period.period.previous()
            note = (f'period {when} from "from {f.written} {words}".strip()' if words
                    else f"period {when}: a year before the clause's, guessed")
            propose("level", f.written, value=f.value, period=when,
                    period_note=note.replace(".strip()", ""))
            if period is not None and when is not None and when != period.period:
                if when == period.period.year_earlier():
                    basis, basis_note = "yoy", f'yoy: against "{f.written} {words}"'.strip()
                elif when == period.period.previous():
                    basis, basis_note = "mom", f'mom: against "{f.written} {words}"'.strip()
                elif when < period.period:
                    basis, basis_note = when, f'against {when}, the period of "{f.written}"'
        # a rise or fall stated without a percentage is a direction
        for v in _VERB.finditer(clause):
            word = v[0].lower()
            if word in ("up", "down"):
                after = clause[v.end():]
                if not re.match(r"\s+(?:from\b|" + _QUALIFIER_RE + r"|[$€£₩]|US\$|\d)", after,
                                re.IGNORECASE):
                    continue
            if any(_verb_of(clause, p) == v.start() for p in percents):
                continue
            if any(r.start() <= v.start() < r.end() for r in ranks):
                continue
            if re.search(r"\b(?:the|a|an|this|that|its|their|his|her|such)\s+(?:\S+\s+)?$",
                         clause[:v.start()], re.IGNORECASE) and word not in ("up", "down"):
                continue  # "driving this surge", "a sharp rise in": a noun, not a verb
            direction = "up" if v["up"] else "down"
            change = None if basis_note.startswith("yoy (not stated") else basis
            propose("direction", v[0], direction=direction, change=change,
                    guess=(f'"{v[0]}" read as {direction}; '
                           + (basis_note if change is not None
                              else "against the previous period (not stated)")))
            break
        for r in ranks:
            self.rank(r, propose, period)
        return own[0] if own else None

    def basis(self, clause: str, period: _PeriodFound | None) -> tuple[Change, str]:
        if _MOM.search(clause):
            return "mom", f'mom: "{_MOM.search(clause)[0]}"'  # type: ignore[index]
        if _YOY.search(clause):
            return "yoy", f'yoy: "{_YOY.search(clause)[0]}"'  # type: ignore[index]
        for m, hit in self.bases(clause):
            if period is None:
                break
            base, words = hit.period, f"{m[0]}{hit.written}"
            if base == period.period.year_earlier():
                return "yoy", f'yoy: "{words}"'
            if base == period.period.previous():
                return "mom", f'mom: "{words}"'
            if base < period.period:
                return base, f'against {base}: "{words}"'
        return "yoy", "yoy (not stated; guessed)"

    def bases(self, clause: str) -> Iterator[tuple[re.Match[str], _PeriodFound]]:
        """Each "from June", "compared with the second quarter": a base, not the period."""
        for m in re.finditer(r"\b(?:from|compared with|compared to|against|over)\s+",
                             clause, re.IGNORECASE):
            hits = self.calendar.find(clause[m.end():m.end() + 40])
            if hits and hits[0].start <= 4:
                yield m, hits[0]

    def sign(self, clause: str, f: Found) -> tuple[int, str]:
        start = _verb_of(clause, f)
        if start is None:
            after = re.match(r"\s+(?:(?P<down>decline|drop|fall|decrease|contraction)|"
                             r"(?P<up>increase|rise|gain|jump|growth))\b", clause[f.end:],
                             re.IGNORECASE)
            if after:
                return (-1 if after["down"] else 1), after[0].strip()
            return 1, ""
        v = _VERB.match(clause, start)
        assert v is not None
        return (-1 if v["down"] else 1), v[0]

    def rank(self, r: re.Match[str], propose: object, period: _PeriodFound | None) -> None:
        assert callable(propose)
        when = None if period is None else period.period
        owner_note = ""
        if r["owner"]:
            hits = self.calendar.find(r["owner"])
            if hits:
                when, owner_note = hits[0].period, f'period {hits[0].period} from "{r["owner"]}"'
        if r["rec"]:
            text = "a record" if "low" not in r["rec"].lower() else "record low"
        elif r["hl"]:
            text = f"{'highest' if r['hl'].lower() == 'high' else 'lowest'} in {r['n']} years"
        else:
            ext = " ".join(r["ext"].lower().split())
            ext = {"biggest": "highest", "largest": "highest", "smallest": "lowest"}.get(ext, ext)
            if ext.startswith("first") and not ext.endswith(("decline", "increase")):
                ext = "first decline" if ext.split()[1] in ("drop", "fall") else "first increase"
            rel, arg = r["rel"], r["arg"]
            if rel is None:
                if ext.startswith("first") or ext in ("highest", "lowest"):
                    # "the largest trading partner": no period, not a rank of a figure
                    return
                return
            if rel.lower() in ("this",) or (arg and arg.lower() in ("the year", "year")):
                if when is None:
                    propose("rank", r[0])
                    return
                arg, rel = str(when.year), "of"
            elif re.search(r"years$", arg, re.IGNORECASE):
                n = arg.split()[0].lower()
                arg = n if n.isdigit() else str(_UNITS[n])
                text = f"{ext} in {arg} years"
                arg = ""
            if arg:
                hits = self.calendar.find(arg)
                if not hits:
                    return
                text = f"{ext} {'since' if rel.lower() == 'since' else 'of'} {hits[0].period}"
        if when is None:
            propose("rank", r[0])
            return
        try:
            rank = parse_rank(text, when)
        except LedgerError as exc:
            self.items.append(Omission(written=r[0], sentence=r.string, reason=str(exc)))
            return
        fields: dict[str, object] = {"rank": rank, "guess": f'rank "{text}" from "{r[0]}"'}
        if rank.about_changes:
            fields["change"] = "yoy"
            fields["guess"] = f'rank "{text}" from "{r[0]}"; a decline year-on-year (guessed)'
        if owner_note:
            fields["period_note"] = owner_note
        propose("rank", r[0], period=when, **fields)


def _mask(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def _strip_dates(text: str) -> str:
    for start, end, _ in list(_dates(text)):
        text = _mask(text, start, end)
    return text


def _negate(value: str) -> str:
    f = parse_figure(value)
    assert f.qualifier is not None
    rest = value[len(value) - len(value.lstrip()):]
    for word in sorted(QUALIFIERS[f.qualifier], key=len, reverse=True):
        if rest.lower().startswith(word):
            return f"{rest[:len(word)]} -{rest[len(word):].lstrip()}"
    return "-" + value


def _verb_of(clause: str, f: Found) -> int | None:
    """Where the verb that governs a percentage starts: "dropped 5%", "up 23.3%"."""
    before = clause[:f.start]
    verbs = list(_VERB.finditer(before))
    m = verbs[-1] if verbs else None
    if m is None:
        return None
    gap = before[m.end():]
    if re.fullmatch(r"[\s,]*(?:(?:by|about|around|some|nearly|almost|more than|over|"
                    r"sharply|strongly|a further|an?|year[\s-]on[\s-]year|"
                    r"on[\s-]year|in \d{4})[\s,]*)*", gap, re.IGNORECASE):
        return m.start()
    return None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", _fold(text)).strip("-")


def draft(
    text: str,
    ledger: Ledger,
    *,
    source: str | None = None,
    outlet: str | None = None,
    published: date | None = None,
    url: str | None = None,
    file: str | None = None,
) -> Drafted:
    """Draft claims for every figure *text* states about *ledger*'s metrics.

    Args:
        source: the id of the source the claims cite; an existing source of the ledger
            is used as it is, else a new ``[[source]]`` is drafted (id from the outlet and
            date when not given).
        published: the publication date; read from the text when it says so.
        file: the article's path relative to the ledger, kept on a new source.

    Returns:
        The drafts, in the article's order, with the figures that could not be drafted.
    """
    existing = None
    if source is not None:
        existing = next((s for s in ledger.sources if s.id == source), None)
    guessed: list[str] = []
    if published is None and existing is not None:
        published = existing.published
    if published is None:
        found = published_date(text)
        if found is not None:
            published, words = found
            guessed.append(f'published {published} from "{words}"')
    if existing is not None:
        src, new = existing, False
    else:
        ident = source or "-".join(
            p for p in (_slug(outlet or "draft"), str(published or "")) if p)
        taken = {s.id for s in ledger.sources}
        base, n = ident, 2
        while ident in taken:
            ident, n = f"{base}-{n}", n + 1
        src = Source(id=ident, outlet=outlet, published=published, url=url, file=file,
                     note=("Drafted by nkledger draft; " + "; ".join(guessed) + "."
                           if guessed else "Drafted by nkledger draft."))
        new = True
    reader = _Reader(text, ledger, published)
    reader.read(text)
    return _finish(reader, ledger, src, new)


def _finish(reader: _Reader, ledger: Ledger, src: Source, new: bool) -> Drafted:
    seen: set[tuple[object, ...]] = set()
    ids = {c.id for c in ledger.claims}
    order: list[Claim | Omission] = []
    proposals = [i for i in reader.items if not isinstance(i, Omission)]
    explicit_ranks = {(p.metric, p.period, p.rank.extreme) for p, _ in proposals
                      if p.rank is not None and " in " not in p.rank.text}
    suffix = {"level": "", "change": "", "rank": "-rank", "direction": ""}
    for item in reader.items:
        if isinstance(item, Omission):
            order.append(item)
            continue
        p, sentence = item
        if p.rank is not None and " in " in p.rank.text and \
                (p.metric, p.period, p.rank.extreme) in explicit_ranks:
            continue  # "in six years" restates the article's own "since October 2019"
        key = p.key()
        if key in seen:
            continue
        seen.add(key)
        tail = suffix[p.kind]
        if p.kind == "change":
            tail = f"-{p.change}" if p.change in ("yoy", "mom") else "-change"
        elif p.kind == "direction":
            tail = f"-{p.direction}"
        if p.kind == "level" and p.value is not None:
            unit = parse_figure(p.value).unit
            tail = "" if unit in ("USD", "") else f"-{unit.lower()}"
        base = f"{src.id}-{p.period}-{p.metric}{tail}"
        ident, n = base, 2
        while ident in ids:
            ident, n = f"{base}-{n}", n + 1
        ids.add(ident)
        try:
            claim = Claim(
                id=ident, source=src.id, metric=p.metric, period=p.period, quote=sentence,
                value=None if p.value is None else parse_figure(p.value), change=p.change,
                rank=p.rank, direction=p.direction,  # type: ignore[arg-type]
                status="draft", note="Guessed: " + "; ".join(p.guesses) + ".",
            )
        except LedgerError as exc:  # pragma: no cover - the reader builds valid claims
            order.append(Omission(written=p.value or "", sentence=sentence, reason=str(exc)))
            continue
        order.append(claim)
    claims = tuple(c for c in order if isinstance(c, Claim))
    omitted = tuple(o for o in order if isinstance(o, Omission))
    return Drafted(source=src, new_source=new, claims=claims, omitted=omitted,
                   order=tuple(order))
