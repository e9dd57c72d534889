"""Grouping: conflict sets into problems, with their culprits, evidence and headline.

A :class:`Problem` is a cluster of overlapping minimal conflict sets (sets that
share a claim are one problem). Its *culprits* are the claims of its best repairs:
the best repairs of the whole ledger restricted to the cluster, those of least
weight. A claim in every one of them is a culprit outright ("drop this one and the
problem goes away"); the others are tied alternatives. Findings of any check whose
claims meet the cluster are its evidence. A problem that holds under some readings
of the qualifiers only is *wording* (a qualifier read strictly), not an error.

Each culprit is diagnosed by :mod:`._diagnosis`; a problem's headline names who said
the figure in question as :mod:`._stories` tells it.
"""

from __future__ import annotations

import decimal
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import attrs

from ..figures import READINGS, Reading, format_amount, format_range
from ..findings import Finding
from ..ledger import Ledger
from ..results import Conflict, Repair
from ._diagnosis import Bar, Diagnoser, Diagnosis
from ._stories import joined, statement, story_label

__all__ = ["Culprit", "Problem", "find_problems", "states"]

READINGS_STRICT_FIRST: tuple[Reading, ...] = ("strict", "default", "lenient")


def _ids(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(items)


@attrs.frozen(kw_only=True)
class Culprit:
    """A claim in a best repair of a problem: dropping it (with its ties) solves it."""

    claim: str
    in_every_repair: bool
    diagnosis: Diagnosis | None = None


def _culprits(items: Iterable[Culprit]) -> tuple[Culprit, ...]:
    return tuple(items)


def _conflicts(items: Iterable[Conflict]) -> tuple[Conflict, ...]:
    return tuple(items)


def _findings(items: Iterable[Finding]) -> tuple[Finding, ...]:
    return tuple(items)


def _readings(items: Iterable[Reading]) -> tuple[Reading, ...]:
    return tuple(items)


def _bars(items: Iterable[Bar]) -> tuple[Bar, ...]:
    return tuple(items)


@attrs.frozen(kw_only=True)
class Problem:
    """A set of claims that cannot all hold: a cluster of overlapping conflict sets.

    ``conflicts`` hold under the report's reading, ``other_readings`` under another
    reading only; ``readings`` are those under which the problem exists, and
    ``wording`` says it vanishes under some reading (a qualifier read strictly, not
    an error). ``culprits`` come culprits-in-every-best-repair first, then tied
    alternatives, each with its :class:`Diagnosis`; ``findings`` are the evidence.
    """

    number: int
    headline: str
    claims: tuple[str, ...] = attrs.field(converter=_ids)
    conflicts: tuple[Conflict, ...] = attrs.field(converter=_conflicts, default=())
    other_readings: tuple[Conflict, ...] = attrs.field(converter=_conflicts, default=())
    readings: tuple[Reading, ...] = attrs.field(converter=_readings, default=())
    culprits: tuple[Culprit, ...] = attrs.field(converter=_culprits, default=())
    findings: tuple[Finding, ...] = attrs.field(converter=_findings, default=())
    bars: tuple[Bar, ...] = attrs.field(converter=_bars, default=())
    repairs: int = 0
    topic: str = ""

    @property
    def wording(self) -> bool:
        """Whether some reading of the qualifiers makes the problem go away."""
        return set(self.readings) != set(READINGS)

    @property
    def verdict(self) -> str:
        """``error`` or ``wording``."""
        return "wording" if self.wording else "error"


# -- grouping ---------------------------------------------------------------------------

def _clusters(sets: Sequence[frozenset[str]]) -> list[list[int]]:
    """Indices of *sets* grouped so that sets sharing a claim are together."""
    parent = list(range(len(sets)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, s in enumerate(sets):
        for c in s:
            if c in owner:
                parent[find(i)] = find(owner[c])
            else:
                owner[c] = i
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(sets)):
        groups[find(i)].append(i)
    return list(groups.values())


def _weight(ledger: Ledger, ids: Iterable[str]) -> float:
    """What dropping *ids* costs: each piece of evidence once, at its heaviest carrier.

    As in :mod:`nkledger.evidence`, claims stating one figure from one origin (a source
    with none is its own outlet's) are one piece of evidence.
    """
    pieces: dict[object, float] = {}
    for cid in ids:
        claim = ledger.claim(cid)
        source = ledger.source_of(claim)
        key = (source.origin or source.label, statement(claim))
        pieces[key] = max(pieces.get(key, 0.0), source.weight)
    return round(sum(pieces.values()), 9)


def find_problems(
    ledger: Ledger,
    findings: Sequence[Finding],
    *,
    reading: Reading = "default",
    conflicts: Sequence[Conflict] = (),
    sensitive: Sequence[Conflict] = (),
    repair_groups: Sequence[Sequence[Repair]] = (),
    diagnose: bool = True,
    max_diagnoses: int = 40,
) -> tuple[Problem, ...]:
    """Group conflict sets (and conflicting findings) into problems and diagnose them.

    Args:
        conflicts, sensitive, repair_groups: the joint analysis' results (see
            :class:`nkledger.solver.Analysis`); without them (pairwise checks only)
            the conflicting findings are grouped instead, and culprits are the claims
            every finding of the group names.
        diagnose: ask the solver what the other claims imply for each culprit and
            which mistake explains it (one analysis per best repair involved).
        max_diagnoses: diagnose at most this many culprits in all.
    """
    sets: list[tuple[frozenset[str], Conflict | None, bool]] = []
    for c in conflicts:
        sets.append((c.as_set(), c, True))
    for c in sensitive:
        sets.append((c.as_set(), c, False))
    covered = {x for s, _, _ in sets for x in s}
    for f in findings:
        if f.verdict == "conflict" and not set(f.claims) <= covered:
            sets.append((frozenset(f.claims), None, True))
    if not sets:
        return ()
    order = {c.id: k for k, c in enumerate(ledger.claims)}
    engine = Diagnoser(ledger, reading, repair_groups, conflicts) if diagnose else None
    budget = max_diagnoses
    clusters = _clusters([s for s, _, _ in sets])
    if engine is not None:
        engine.prepare(set().union(*(s for s, _, _ in sets)))
    # the findings that can be a problem's evidence, by the claims they name
    relevant = [f for f in findings if f.verdict == "conflict" or f.depends_on_reading]
    naming: dict[str, list[int]] = defaultdict(list)
    for k, f in enumerate(relevant):
        for cid in dict.fromkeys(f.claims):
            naming[cid].append(k)
    repairs_of = _Repairs(repair_groups)
    drafts: list[tuple[tuple[bool, int], dict[str, Any]]] = []
    for members in clusters:
        claims = sorted(set().union(*(sets[i][0] for i in members)), key=order.__getitem__)
        main = [x for i in members if sets[i][2] and (x := sets[i][1]) is not None]
        other = [x for i in members if not sets[i][2] and (x := sets[i][1]) is not None]
        pairwise = {sets[i][0] for i in members if sets[i][1] is None}
        readings: set[Reading] = set()
        for c in (*main, *other):
            readings.update(c.readings)
        # every finding meeting the cluster, in the findings' order
        evidence = [relevant[k] for k in sorted({k for c in claims for k in naming.get(c, ())})]
        for f in evidence:  # a pairwise set's own findings name only the cluster's claims
            if f.verdict == "conflict" and frozenset(f.claims) in pairwise:
                readings.update((reading,) if f.depends_on_reading else READINGS)
        repairs = _best_restricted(ledger, repairs_of.meeting(claims), set(claims))
        every: set[str]
        some: set[str]
        if repairs:
            every = set.intersection(*(set(r) for r in repairs))
            some = set().union(*repairs) - every
        elif main or pairwise:
            # no repair known (pairwise only): a claim every finding names fixes them all
            named = [set(s) for s in pairwise] or [set(c.as_set()) for c in main]
            common = set.intersection(*named)
            every = common if len(common) == 1 else set()
            some = set() if every else (common or set().union(*named))
        else:
            # under another reading only: the claims whose reading matters
            every = set()
            some = {c for c in claims if ledger.claim(c).depends_on_reading}
        wording = readings != set(READINGS)
        ranked = sorted(every, key=order.__getitem__) + sorted(
            some, key=lambda c: (not (wording and ledger.claim(c).depends_on_reading),
                                 order[c]))
        culprits = []
        for cid in ranked:
            diagnosis = None
            if engine is not None and budget > 0:
                budget -= 1
                diagnosis = engine.diagnose(cid, wording, evidence)
            culprits.append(Culprit(claim=cid, in_every_repair=cid in every,
                                    diagnosis=diagnosis))
        ordered = tuple(r for r in READINGS_STRICT_FIRST if r in readings)
        evidence = _order_evidence(evidence)
        topic, headline = _headline(ledger, evidence, claims, ordered, reading)
        drafts.append(((wording, min(order[c] for c in claims)), dict(
            headline=headline, topic=topic, claims=claims, conflicts=main,
            other_readings=other, readings=ordered, culprits=culprits, findings=evidence,
            bars=engine.bars(claims, ranked, evidence) if engine is not None else (),
            repairs=len(repairs))))
    drafts.sort(key=lambda d: d[0])
    return tuple(Problem(number=n, **fields) for n, (_, fields) in enumerate(drafts, 1))


def _order_evidence(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.verdict != "conflict", len(f.claims)))


class _Repairs:
    """The repairs of every group, found by the claims they drop."""

    def __init__(self, groups: Sequence[Sequence[Repair]]) -> None:
        self.all = [r for group in groups for r in group]
        self.dropping: dict[str, list[int]] = defaultdict(list)
        for k, r in enumerate(self.all):
            for cid in dict.fromkeys(r.claims):
                self.dropping[cid].append(k)

    def meeting(self, claims: Iterable[str]) -> list[list[Repair]]:
        """The repairs dropping any of *claims*, in their order (as one group)."""
        found = sorted({k for c in claims for k in self.dropping.get(c, ())})
        return [[self.all[k] for k in found]]


def _best_restricted(ledger: Ledger, groups: Sequence[Sequence[Repair]],
                     claims: set[str]) -> list[frozenset[str]]:
    """The least-weight restrictions of the repairs to *claims*: the cluster's best repairs.

    Clusters share no claim, so a best repair of the whole part restricted to one
    cluster is a best repair of that cluster.
    """
    found: dict[frozenset[str], float] = {}
    for group in groups:
        for r in group:
            part = r.as_set() & claims
            if part:
                found[part] = _weight(ledger, part)
    if not found:
        return []
    least = min(found.values())
    return sorted((s for s, w in found.items() if w <= least + 1e-9), key=sorted)


# -- words ------------------------------------------------------------------------------

def states(ledger: Ledger, cid: str) -> str:
    """What a claim says, briefly: ``cn_exports 2025-09 = $228.1 million``."""
    claim = ledger.claim(cid)
    against = "" if claim.comparison is None else f" ({claim.comparison})"
    if claim.kind == "level":
        assert claim.value is not None
        return f"{claim.metric} {claim.period} = {claim.value.text}"
    if claim.kind == "change":
        assert claim.value is not None
        return f"{claim.metric} {claim.period} change{against} {claim.value.text}"
    if claim.kind == "rank":
        assert claim.rank is not None
        return f"{claim.metric} {claim.period}: {claim.rank.text}{against}"
    return f"{claim.metric} {claim.period} {claim.direction}{against}"


def _under(readings: Sequence[Reading], reading: Reading) -> str:
    if set(readings) == set(READINGS):
        return "under every reading"
    if not readings:
        return f"under the {reading} reading"
    return f"under the {joined(list(readings))} reading{'s' if len(readings) > 1 else ''} only"


def _headline(ledger: Ledger, evidence: Sequence[Finding], claims: Sequence[str],
              readings: Sequence[Reading], reading: Reading) -> tuple[str, str]:
    """A short topic ("total 2025-09") and the headline sentence of a problem."""
    under = _under(readings, reading)
    conflict = [f for f in evidence if f.verdict == "conflict" and f.stated and f.implied]
    if conflict:
        f = conflict[0]
        subject = ledger.claim(f.claims[0])
        what = "" if f.metric is None else f"{f.metric} {f.period}"
        if subject.kind == "change":
            what += f" change ({subject.comparison})"
        says = story_label(ledger, subject)
        figure = (subject.value.text if subject.value is not None
                  else format_range(f.stated, f.unit) if f.stated else "")
        gap = None if f.distance is None else _down(f.distance)
        apart = ("" if gap is None else
                 f", {format_amount(gap, '')} percentage points apart" if f.unit == "%"
                 else f", {format_amount(gap, f.unit)} apart")
        assert f.implied is not None
        return what, (f"{what}: {says} says {figure}, the others imply "
                      f"{format_range(f.implied, f.unit)}{apart}, {under}")
    quantities = list(dict.fromkeys(f"{ledger.claim(c).metric} {ledger.claim(c).period}"
                                    for c in claims))
    shown = ", ".join(quantities[:3]) + (f" and {len(quantities) - 3} more"
                                         if len(quantities) > 3 else "")
    return shown, f"{len(claims)} claims about {shown} cannot all hold, {under}"


def _down(value: Decimal, digits: int = 4) -> Decimal:
    """*value* rounded down to *digits* significant digits: a gap is never overstated."""
    if value == 0 or not value.is_finite():
        return value
    return value.quantize(Decimal(1).scaleb(value.adjusted() - digits + 1),
                          rounding=decimal.ROUND_FLOOR)
