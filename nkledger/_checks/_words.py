"""The words of a finding: figures, ranges, gaps and changes written for a reader.

Checks explain themselves in one sentence; the pieces of those sentences live here so
that every check writes "$150.55m–$150.85m", "up 33% year on year" and "$10.05m–$11.35m
apart" the same way. A range is rounded *outward* to the digits it shows, so a printed
range always contains the computed one: a reader who checks the arithmetic by hand
never finds the library claiming more precision than it has.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from ..claims import Claim
from ..figures import Figure, _outward, format_amount, format_range
from ..intervals import Interval, _made
from ..ledger import Ledger
from ..periods import Period


def figure_text(figure: Figure) -> str:
    """A claimed figure with its written digits and qualifier: "about $63.6m"."""
    if figure.scale == 1 and figure.unit not in ("%", "") and abs(figure.value) >= 1000:
        words = [] if figure.qualifier is None else [figure.qualifier]
        digits = max(len(figure.number.as_tuple().digits), 1)
        words.append(format_amount(figure.value, figure.unit, digits=digits))
        return " ".join(words)
    return figure.format()


def outlet(ledger: Ledger, claim: Claim) -> str:
    """Who said it, as a reader knows them."""
    return ledger.source_of(claim).label


def said(ledger: Ledger, claim: Claim) -> str:
    """A claimed level with its outlet: "$228.1m (Outlet A)"."""
    assert claim.value is not None
    return f"{figure_text(claim.value)} ({outlet(ledger, claim)})"


def amount(value: Decimal, unit: str, digits: int = 4) -> str:
    """One amount: "$2.7bn", "30.6%"."""
    return format_amount(value, unit, digits=digits)


amount_range = format_range


def gap_words(gap: Interval, unit: str) -> str:
    """How far apart two sides are, from the gap ``implied - stated``: "$10.05m–$11.35m apart".

    Only meaningful for a gap wholly on one side of zero (a conflict).
    """
    near, far = (gap.low, gap.high) if gap.low > 0 else (-gap.high, -gap.low)
    size = Interval(near, far)
    if unit != "%":
        return f"{amount_range(size, unit)} apart"
    lo, hi, dlo, dhi = _outward(size)
    if not hi.is_finite():
        return f"at least {_points(lo, dlo)} percentage points apart"
    if lo == hi:
        return f"{_points(lo, dlo)} percentage points apart"
    return f"{_points(lo, dlo)}–{_points(hi, dhi)} percentage points apart"


def _points(value: Decimal, digits: int) -> str:
    return format_amount(value, "%", digits=digits).removesuffix("%")


def change_words(figure: Figure) -> str:
    """A stated change as a reader says it: "up 33%", "down 5%", "up nearly 30%"."""
    size = Figure(text=figure.text, number=abs(figure.number), unit=figure.unit,
                  scale=figure.scale, qualifier=figure.qualifier)
    if figure.number > 0:
        return f"up {size.format()}"
    if figure.number < 0:
        return f"down {size.format()}"
    return f"changed {size.format()}"


def comparison_words(claim: Claim, period: Period | None = None) -> str:
    """Against what a change is measured: "year on year", "on the month before", "on 2025-09"."""
    comparison = claim.comparison
    if comparison == "yoy":
        return "year on year"
    if comparison == "mom":
        target = claim.period if period is None else period
        return f"on the {_previous_name(target)} before"
    base = claim.base_period if period is None else claim.base_of(period)
    assert base is not None
    return f"on {label(base)}"


def _previous_name(period: Period) -> str:
    return {"month": "month", "quarter": "quarter", "half": "half-year",
            "year": "year"}.get(period.kind, "period")


def change_range(interval: Interval) -> str:
    """A range of changes in percent: "a rise of 23.25%–34.15%", "a fall of 4.9%–5.1%"."""
    if interval.low > 0:
        return f"a rise of {amount_range(interval, '%')}"
    if interval.high < 0:
        return f"a fall of {amount_range(-interval, '%')}"
    return f"a change of {amount_range(interval, '%')}"


def runs(ordinals: Iterable[int]) -> list[Period]:
    """Consecutive months joined into periods, in order."""
    found: list[Period] = []
    for o in sorted(ordinals):
        if found and found[-1].last == o - 1:
            found[-1] = Period(first=found[-1].first, last=o)
        else:
            found.append(Period(first=o, last=o))
    return found


_LABELS: dict[tuple[int, int], str] = {}


def label(period: Period) -> str:
    """``period.label()``, remembered: a report names the same few periods again and again."""
    key = (period.first, period.last)
    text = _LABELS.get(key)
    if text is None:
        text = _LABELS[key] = period.label()
    return text


def label_periods(periods: Sequence[Period]) -> str:
    """"July–August 2025 and December 2025"."""
    labels = [label(p) for p in periods]
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def joined(words: Sequence[str]) -> str:
    """"A", "A and B", "A, B and C"."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


# -- basis and revisions -------------------------------------------------------------------

_VAGUE = frozenset((
    "the", "a", "an", "of", "from", "by", "data", "figures", "figure", "statistics",
    "stats", "official", "officials", "government", "governments", "released", "release",
    "showed", "show", "says", "said", "according", "to", "and", "its", "latest", "new",
))
_SAME = {"chinese": "china", "china's": "china", "china’s": "china", "prc": "china",
         "korean": "korea", "korea's": "korea", "korea’s": "korea"}


def body(cites: str | None) -> frozenset[str] | None:
    """The words that name the body a source cites, or None when it names none.

    Parenthesised remarks and generic words ("official data") are dropped, and
    adjectives of nationality folded ("Chinese" -> "china"), so "China's General
    Administration of Customs" and "General Administration of Customs of China" name
    one body while "official data" names none.
    """
    if not cites:
        return None
    text = re.sub(r"\([^)]*\)", " ", cites.lower())
    words = {_SAME.get(w, w) for w in re.findall(r"[a-z’']+", text)}
    words = {w for w in words if w not in _VAGUE}
    return frozenset(words) or None


def different_bodies(a: frozenset[str] | None, b: frozenset[str] | None) -> bool:
    """Whether two cited bodies are plainly different (neither's words within the other's)."""
    if a is None or b is None:
        return False
    return not (a <= b or b <= a)


#: Most relative difference between two releases of one body's figure read as a revision.
REVISION = Decimal("0.05")


def closeness(stated: Interval | None, implied: Interval | None, unit: str) -> Decimal | None:
    """How far apart two sides are, relative to the level they speak of (None: unknown).

    For levels, the distance over the stated size; for changes in percent, the distance
    over ``100 + g`` (the relative difference of the levels the two changes give).
    """
    if stated is None or implied is None or not stated.is_bounded:
        return None
    distance = stated.gap(implied)
    size = abs(stated.midpoint) if unit != "%" else Decimal(100) + stated.midpoint
    if size <= 0:
        return None
    return distance / size


def classify(ledger: Ledger, claims: Sequence[Claim], closeness: Decimal | None = None
             ) -> tuple[str, str] | None:
    """Why claims that conflict may all be honest: a note and the words that say so.

    ``different basis`` when two of the claims rest on different primary data (their
    ``basis``, the claim's or else its source's, differ, or their sources cite plainly
    different bodies); ``revision`` when they cite the same body, were published on
    different dates and lie within :data:`REVISION` (5 %) of each other (*closeness*):
    the later one is likely a revision of the earlier release rather than anyone's
    error. A wide gap between two releases is no revision, and gets no note. None
    otherwise.
    """
    distinct = list({c.id: c for c in claims}.values())
    bases = {c.basis or ledger.source_of(c).basis for c in distinct}
    if len(bases) > 1:
        named = sorted(b for b in bases if b)
        what = " vs ".join(named) if named else "different data"
        return "different basis", f"the figures rest on different primary data ({what})"
    bodies = [(c, body(ledger.source_of(c).cites)) for c in distinct]
    for i, (a, ba) in enumerate(bodies):
        for b, bb in bodies[i + 1:]:
            if different_bodies(ba, bb):
                return ("different basis",
                        f"the figures rest on different primary data "
                        f"({ledger.source_of(a).cites} vs {ledger.source_of(b).cites})")
    dated = [(published, c) for c in distinct
             if (published := ledger.source_of(c).published) is not None
             and body(ledger.source_of(c).cites) is not None]
    close = closeness is not None and closeness <= REVISION
    if close and len(dated) == len(distinct) >= 2 and len({d for d, _ in dated}) > 1:
        assert closeness is not None
        latest, claim = max(dated, key=lambda pair: (pair[0], pair[1].id))
        cites = ledger.source_of(claim).cites
        share = format_amount(closeness * 100, "%", digits=2)
        return ("revision",
                f"{outlet(ledger, claim)} ({latest.isoformat()}) is the later release "
                f"of the same data ({cites}) and differs by only {share}: likely a "
                f"revision of the earlier figure rather than an error")
    return None


_ZERO = Decimal(0)


def nonnegative(interval: Interval) -> Interval | None:
    """The part of *interval* at or above zero, or None when it lies wholly below."""
    if interval.high < 0:
        return None
    if interval.low >= 0:
        return interval
    return _made(_ZERO, interval.high)


__all__ = [
    "amount",
    "amount_range",
    "body",
    "change_range",
    "change_words",
    "classify",
    "closeness",
    "comparison_words",
    "different_bodies",
    "figure_text",
    "gap_words",
    "joined",
    "label",
    "label_periods",
    "nonnegative",
    "outlet",
    "runs",
    "said",
]
