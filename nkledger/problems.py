"""Problems: the handful of things wrong in a ledger, their likely culprits and mistakes.

A reader does not want 300 findings; they want the problems behind them. This module
sits between the solver and the report (solver results + findings → problems → report):

Grouping
    A :class:`Problem` is a cluster of overlapping minimal conflict sets (sets that
    share a claim are one problem). Its *culprits* are the claims of its best repairs:
    the best repairs of the whole ledger restricted to the cluster, those of least
    weight. A claim in every one of them is a culprit outright ("drop this one and the
    problem goes away"); the others are tied alternatives. Findings of any check whose
    claims meet the cluster are its evidence. A problem that holds under some readings
    of the qualifiers only is *wording* (a qualifier read strictly), not an error.

Diagnosis
    For each culprit, the joint analysis is asked again on the ledger less a best
    repair holding the culprit, with vacuous probes ("at least $0") on the quantities
    a mistake would touch (the culprit's own, the neighbouring periods, the parts of
    a total, the other base of a growth rate). The culprit's quantity's interval there
    is *what the other claims imply for it*. Each known reporter's mistake then says
    how the written figure would have to be corrected, and the correction is tested
    against what the others imply, exactly, in Decimal. A correction that fits an
    implied interval that is bounded and narrow is *confirmed*; where the ledger does
    not pin what is needed to check, the usual mistakes for a figure of that shape are
    offered as *possible* ("perhaps growth against the wrong base"), never as found.

Attention: the diagnosis is a likely story, not proof. A figure can be off for a reason
no rule here knows; then the diagnosis says "no simple explanation".
"""

from __future__ import annotations

import decimal
import weakref
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal, TypeAlias

import attrs

from .claims import Claim, Identity, Metric
from .figures import READINGS, Figure, Reading, format_amount, format_range
from .findings import Finding
from .intervals import INF, Interval
from .ledger import Ledger, linked_metrics
from .periods import Period
from .results import Conflict, Implied, Repair, notable_in_order

__all__ = [
    "MISTAKES",
    "Bar",
    "Carried",
    "Culprit",
    "Diagnosis",
    "Explanation",
    "Mistake",
    "OutletScore",
    "Problem",
    "carried",
    "find_problems",
    "notable_implied",
    "same_story",
    "scorecard",
    "states",
    "story_label",
]

Mistake: TypeAlias = Literal[
    "strict_reading", "revision", "different_basis", "unit_slip", "wrong_sign",
    "transposed_digits", "part_as_total", "wrong_period", "wrong_base",
    "percent_vs_points", "truncation", "mistyped_digit",
]
#: Every reporter's mistake a diagnosis can name, in the order they are tried.
MISTAKES: tuple[Mistake, ...] = (
    "strict_reading", "revision", "different_basis", "unit_slip", "wrong_sign",
    "transposed_digits", "part_as_total", "wrong_period", "wrong_base",
    "percent_vs_points", "truncation", "mistyped_digit",
)
_NARROW = Decimal("0.05")  # an implied interval this wide (relative) or less confirms a fit
_THOUSAND = Decimal(1000)
READINGS_STRICT_FIRST: tuple[Reading, ...] = ("strict", "default", "lenient")
_SMALL_GAP = Decimal("0.05")  # a revision or another basis rarely moves a figure further


def _ids(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(items)


@attrs.frozen(kw_only=True)
class Explanation:
    """One reporter's mistake that would explain a culprit's figure.

    ``confirmed`` says the corrected figure fits what the other claims imply, checked
    exactly; otherwise the mistake is only the usual one for a figure of this shape
    and the ledger cannot check it. ``text`` says it in a sentence.
    """

    mistake: Mistake
    text: str
    confirmed: bool
    corrected: Interval | None = None


def _explanations(items: Iterable[Explanation]) -> tuple[Explanation, ...]:
    return tuple(items)


@attrs.frozen(kw_only=True)
class Diagnosis:
    """What the other claims imply for a culprit, and the mistakes that would explain it.

    ``stated`` is the culprit's interval and ``implied`` what the others imply for the
    same statement (None when they say nothing), both in ``unit``. ``explanations``
    come most likely first; none means "no simple explanation".
    """

    claim: str
    unit: str
    stated: Interval | None
    implied: Interval | None
    explanations: tuple[Explanation, ...] = attrs.field(converter=_explanations, default=())

    @property
    def mistake(self) -> Mistake | None:
        """The most likely mistake, or None for no simple explanation."""
        return self.explanations[0].mistake if self.explanations else None

    @property
    def text(self) -> str:
        """The diagnosis in a sentence or two."""
        if not self.explanations:
            return "No simple explanation."
        first = self.explanations[0]
        rest = [e.mistake.replace("_", " ") for e in self.explanations[1:]]
        more = f" (or: {', '.join(rest)})" if rest else ""
        return first.text + more


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


@attrs.frozen(kw_only=True)
class Bar:
    """One claim's stated interval against what the others imply, for the picture."""

    claim: str
    label: str
    quantity: str
    unit: str
    stated: Interval
    implied: Interval | None
    culprit: bool
    series: str = ""
    period: str = ""


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


# -- wire stories ---------------------------------------------------------------------

@attrs.frozen(kw_only=True)
class Carried:
    """Claims that are one figure from one story, and who carried it.

    ``label`` reads "Reuters (via CNA, WSO and 3 more)" for a wire story several outlets
    reprinted, or the outlet's own label for a claim of its own.
    """

    claims: tuple[str, ...] = attrs.field(converter=_ids)
    label: str


def _statement(claim: Claim) -> tuple[object, ...]:
    value = None if claim.value is None else claim.value.text
    return (claim.metric, str(claim.period), claim.kind, str(claim.comparison), value,
            None if claim.rank is None else claim.rank.text, claim.direction)


def carried(ledger: Ledger, ids: Iterable[str]) -> tuple[Carried, ...]:
    """The claims *ids*, those of one figure from one story (``Source.origin``) as one."""
    groups: dict[object, list[str]] = {}
    for cid in ids:
        claim = ledger.claim(cid)
        origin = ledger.source_of(claim).origin
        key: object = (origin, _statement(claim)) if origin else cid
        groups.setdefault(key, []).append(cid)
    out = []
    for members in groups.values():
        sources = [ledger.source_of(ledger.claim(c)) for c in members]
        origin = sources[0].origin
        if origin is None:
            out.append(Carried(claims=members, label=sources[0].label))
            continue
        outlets = list(dict.fromkeys(s.label for s in sources if s.label != origin))
        if not outlets:
            label = origin
        elif len(outlets) <= 3:
            label = f"{origin} (via {_and(outlets)})"
        else:
            label = f"{origin} (via {', '.join(outlets[:2])} and {len(outlets) - 2} more)"
        out.append(Carried(claims=members, label=label))
    return tuple(out)


#: Per ledger (by identity, while it lives): claims by (origin, statement), in order.
_STORIES: dict[int, tuple[weakref.ref[Ledger], dict[tuple[object, ...], list[str]]]] = {}


def _stories(ledger: Ledger) -> dict[tuple[object, ...], list[str]]:
    """The ledger's claims of a source with an origin, by origin and statement (built once)."""
    known = _STORIES.get(id(ledger))
    if known is not None and known[0]() is ledger:
        return known[1]
    index: dict[tuple[object, ...], list[str]] = defaultdict(list)
    for c in ledger.claims:
        if (o := ledger.source_of(c).origin) is not None:
            index[(o, *_statement(c))].append(c.id)
    key = id(ledger)
    _STORIES[key] = (weakref.ref(ledger, lambda _: _STORIES.pop(key, None)), index)
    return index


def same_story(ledger: Ledger, claim: Claim) -> list[str]:
    """*claim* and every claim that repeats its figure from the same story (origin)."""
    origin = ledger.source_of(claim).origin
    if origin is None:
        return [claim.id]
    return list(_stories(ledger)[(origin, *_statement(claim))])


def story_label(ledger: Ledger, claim: Claim) -> str:
    """Who said *claim*: its outlet, or "Reuters (via CNA, WSO and 3 more)" for a reprint."""
    ids = same_story(ledger, claim)
    return next(g.label for g in carried(ledger, ids) if claim.id in g.claims)


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


# -- implied figures worth showing --------------------------------------------------------

def notable_implied(implied: Iterable[Implied]) -> tuple[tuple[Implied, ...], int]:
    """The implied figures worth a reader's time, and how many differ between ties.

    Worth showing: bounded both ways, above the trivial zero of a flow, for a quantity
    no claim reports, and the same under every tied best repair (the solver's note says
    when tied repairs give other intervals; those are counted, not shown).
    """
    shown, disagree = notable_in_order(implied)
    shown.sort(key=lambda i: (i.metric, i.period.first, -i.period.length))
    return tuple(shown), disagree


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
        key = (source.origin or source.label, _statement(claim))
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
    engine = _Diagnoser(ledger, reading, repair_groups, conflicts) if diagnose else None
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
    return f"under the {_and(list(readings))} reading{'s' if len(readings) > 1 else ''} only"


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


# -- diagnosis ---------------------------------------------------------------------------

_PROBE_SOURCE = "__probe"


class _Diagnoser:
    """Asks the solver what the others imply for a culprit, once per best repair.

    *conflicts* are conflict sets of the ledger under the same reading. The ledger less
    a repair that leaves one of them whole cannot hold, and then nothing is implied:
    that is known without asking the solver (which would find the same, at the cost of
    a joint analysis of the whole ledger).

    Only the culprit's independent part is analysed (the claims on metrics linked to
    the repair's and the probed ones, :func:`~nkledger.ledger.linked_metrics`): nothing
    outside it bears on what is implied there, and a conflict in another part — which
    the repair of this part does not touch — must not make the claims left "unable to
    hold" and so leave every culprit of a many-part ledger undiagnosed.
    """

    def __init__(self, ledger: Ledger, reading: Reading,
                 groups: Sequence[Sequence[Repair]],
                 conflicts: Sequence[Conflict] = ()) -> None:
        self.ledger = ledger
        self.reading = reading
        self.groups = groups
        self.conflicts = [c.as_set() for c in conflicts]
        self.cache: dict[tuple[frozenset[str], frozenset[tuple[str, Period]]],
                         dict[tuple[str, Period], Interval]] = {}
        self.metrics = {m.id: m for m in ledger.metrics}
        self.roots = linked_metrics(ledger)
        self.first: dict[str, frozenset[str]] = {}
        self.wanted: set[tuple[str, Period]] = set()
        # analysed drops, each with what it probed and found, in the order analysed
        self.by_drop: dict[frozenset[str], list[tuple[frozenset[tuple[str, Period]],
                                                      dict[tuple[str, Period], Interval]]]] = {}
        self._changes: dict[tuple[object, ...], list[Claim]] | None = None
        self._members: dict[str, tuple[list[int], list[int], list[int]]] | None = None
        self._best: list[Repair] | None = None
        self._wholes: dict[str, list[Identity]] = defaultdict(list)
        self._parts: dict[str, list[Identity]] = defaultdict(list)
        for identity in ledger.identities:
            self._wholes[identity.whole].append(identity)
            for part in identity.parts:
                self._parts[part].append(identity)

    def changes(self, claim: Claim) -> list[Claim]:
        """The ledger's change claims on *claim*'s metric, period and base, in order."""
        if self._changes is None:
            self._changes = defaultdict(list)
            for c in self.ledger.claims:
                if c.kind == "change":
                    self._changes[(c.metric, c.period, c.base_period)].append(c)
        return self._changes.get((claim.metric, claim.period, claim.base_period), [])

    def _part(self, part: set[str]) -> tuple[list[Metric], list[Identity], list[Claim]]:
        """The metrics, identities and claims of the parts rooted at *part*, in ledger order.

        Indexed once by root: a diagnosis analyses one small part of a big ledger, and
        picking its claims out of the whole ledger each time would cost the whole ledger.
        """
        if self._members is None:
            members: dict[str, tuple[list[int], list[int], list[int]]] = {}
            ledger, roots = self.ledger, self.roots
            for kind, items, name in ((0, ledger.metrics, "id"),
                                      (1, ledger.identities, "whole"),
                                      (2, ledger.claims, "metric")):
                for k, item in enumerate(items):
                    root = roots[getattr(item, name)]
                    if root not in members:
                        members[root] = ([], [], [])
                    members[root][kind].append(k)
            self._members = members
        empty: tuple[list[int], list[int], list[int]] = ([], [], [])
        found = [self._members.get(root, empty) for root in part]
        ledger = self.ledger

        def pick(kind: int, items: Sequence[Any]) -> list[Any]:
            if len(found) == 1:
                return [items[k] for k in found[0][kind]]
            return [items[k] for k in sorted(k for f in found for k in f[kind])]

        return (pick(0, ledger.metrics), pick(1, ledger.identities),
                pick(2, ledger.claims))

    def prepare(self, claims: Iterable[str]) -> None:
        """Probe, in every analysis to come, what a mistake in any of *claims* touches."""
        for cid in claims:
            self.wanted |= self.probes(self.ledger.claim(cid))

    def repair_for(self, cid: str) -> frozenset[str]:
        """A best repair of the whole ledger's part that holds *cid* (or just *cid*)."""
        if self._best is None:
            self._best = []
            for group in self.groups:
                if not group:
                    continue
                least = min(r.weight for r in group)
                self._best.extend(r for r in group if r.weight <= least + 1e-9)
        chosen = [r.as_set() for r in self._best if cid in r]
        # a repair already analysed saves an analysis
        for drop in chosen:
            if drop in self.by_drop:
                return drop
        return chosen[0] if chosen else frozenset({cid})

    def probes(self, claim: Claim) -> set[tuple[str, Period]]:
        """The quantities a mistake in *claim* could have come from."""
        out = {(claim.metric, claim.period)}
        p = claim.period
        neighbours = [p.previous(), p.shift(p.length), p.year_earlier(), p.shift(12)]
        if claim.kind == "level":
            out.update((claim.metric, q) for q in neighbours)
            for identity in self._wholes.get(claim.metric, ()):
                out.update((part, p) for part in identity.parts)
            for identity in self._parts.get(claim.metric, ()):
                if identity.whole != claim.metric:
                    out.add((identity.whole, p))
        else:
            out.update({(claim.metric, p.previous()), (claim.metric, p.year_earlier())})
            if claim.base_period is not None:
                out.add((claim.metric, claim.base_period))
        return {(m, q) for m, q in out if m in self.metrics and self.metrics[m].nonnegative}

    def implied(self, drop: frozenset[str], wanted: set[tuple[str, Period]]
                ) -> dict[tuple[str, Period], Interval]:
        """Implied intervals of *wanted* quantities in the ledger less *drop*."""
        # a figure reprinted from one story goes with every reprint of it
        drop = frozenset(c for d in drop for c in same_story(self.ledger, self.ledger.claim(d)))
        roots = self.roots
        part = ({roots[self.ledger.claim(d).metric] for d in drop}
                | {roots[m] for m, _ in wanted})
        # what is probed for culprits elsewhere is asked of their own parts
        wanted = wanted | {q for q in self.wanted if roots[q[0]] in part}
        key = (drop, frozenset(wanted))
        if key in self.cache:
            return self.cache[key]
        for probed, found in self.by_drop.get(drop, ()):
            if wanted <= probed:
                return found
        out: dict[tuple[str, Period], Interval] = {}

        def inside(claim_id: str) -> bool:
            return roots[self.ledger.claim(claim_id).metric] in part

        if any(not (conflict & drop) and all(map(inside, conflict))
               for conflict in self.conflicts):
            # a conflict set of this part survives the drop: the claims left cannot hold
            self._remember(key, out)
            return out
        from .solver import analyse

        source = self.ledger.claims[0].source if self.ledger.claims else _PROBE_SOURCE
        probes = []
        for k, (metric, period) in enumerate(sorted(wanted, key=lambda q: (q[0], q[1].first,
                                                                           q[1].last))):
            unit = self.metrics[metric].unit
            figure = Figure(text="at least 0", number=Decimal(0), unit=unit,
                            qualifier="at least")
            probes.append(Claim(id=f"__probe-{k}", source=source, metric=metric,
                                period=period, quote="(probe)", value=figure))
        ledger = self.ledger
        metrics, identities, claims = self._part(part)
        sub = Ledger(metrics=metrics, identities=identities,
                     sources=ledger.sources, origin=ledger.origin,
                     claims=[*(c for c in claims if c.id not in drop), *probes])
        # only a consistent analysis's implied figures are read: computed only then
        analysis = analyse(sub, self.reading, max_conflicts=5, max_repairs=2, time_limit=5.0,
                           lazy=True)
        if analysis.consistent:
            for i in analysis.figures():
                out[(i.metric, i.period)] = Interval(-INF if i.low is None else i.low,
                                                     INF if i.high is None else i.high)
        self._remember(key, out)
        return out

    def _remember(self, key: tuple[frozenset[str], frozenset[tuple[str, Period]]],
                  found: dict[tuple[str, Period], Interval]) -> None:
        self.cache[key] = found
        self.by_drop.setdefault(key[0], []).append((key[1], found))

    def diagnose(self, cid: str, wording: bool, evidence: Sequence[Finding]) -> Diagnosis:
        claim = self.ledger.claim(cid)
        metric = self.metrics.get(claim.metric)
        unit = "%" if claim.kind == "change" else (metric.unit if metric else "")
        drop = self.repair_for(cid)
        self.first.setdefault(cid, drop)
        wanted = self.probes(claim)
        known = self.implied(drop, wanted)
        stated = claim.interval(self.reading)
        implied = self._implied_for(claim, known, drop, evidence)
        explanations = _explain(self, claim, stated, implied, known, wording, evidence)
        return Diagnosis(claim=cid, unit=unit, stated=stated, implied=implied,
                         explanations=explanations)

    def _implied_for(self, claim: Claim, known: Mapping[tuple[str, Period], Interval],
                     drop: frozenset[str], evidence: Sequence[Finding]) -> Interval | None:
        """What the claims left imply for *claim*'s own statement."""
        if claim.kind == "level":
            return known.get((claim.metric, claim.period))
        if claim.kind not in ("change", "direction"):
            return None
        out: Interval | None = None
        base = claim.base_period
        if base is not None:
            out = _growth(known.get((claim.metric, claim.period)),
                          known.get((claim.metric, base)))
        for other in self.changes(claim):
            if other.id in drop:
                continue
            interval = other.interval(self.reading)
            if interval is not None:
                out = interval if out is None else (out.intersect(interval) or out)
        for f in evidence:
            if (f.claims and f.claims[0] == claim.id and f.implied is not None
                    and f.unit == "%" and not set(f.claims[1:]) & drop):
                out = f.implied if out is None else (out.intersect(f.implied) or out)
        stated = claim.interval(self.reading)
        if out is not None and stated is not None and out.overlaps(stated):
            # growth is not linear: these bounds are sound but loose, and one that still
            # admits the claim would mislead; the conflict is a joint one
            return None
        return out

    def bars(self, claims: Sequence[str], culprits: Sequence[str],
             evidence: Sequence[Finding]) -> tuple[Bar, ...]:
        """Each level or change claim of a problem against what the others imply."""
        out = []
        for cid in claims:
            claim = self.ledger.claim(cid)
            stated = claim.interval(self.reading)
            if stated is None or not stated.is_bounded or claim.kind not in ("level", "change"):
                continue
            drop = self.first.get(cid) or (self.first[culprits[0]] if culprits
                                           and culprits[0] in self.first else frozenset())
            if cid in drop:
                known = self.implied(drop, self.probes(claim))
            else:
                known = self.implied(drop, {(claim.metric, claim.period)} if claim.kind ==
                                     "level" else self.probes(claim))
            implied = self._implied_for(claim, known, drop - {cid}, evidence)
            unit = "%" if claim.kind == "change" else self.metrics[claim.metric].unit
            series = claim.metric + (f" change ({claim.comparison})"
                                     if claim.kind == "change" else "")
            out.append(Bar(claim=cid, label=self.ledger.source_of(claim).label,
                           quantity=f"{claim.metric} {claim.period}", unit=unit,
                           stated=stated, implied=implied, culprit=cid in culprits,
                           series=series, period=str(claim.period)))
        # one axis per series, periods in order
        out.sort(key=lambda b: (b.series, b.period))
        return tuple(out)


def _growth(current: Interval | None, base: Interval | None) -> Interval | None:
    """The change in percent from *base* to *current*, or None where it is unbounded."""
    if current is None or base is None or not current.is_bounded or not base.is_bounded:
        return None
    if base.low <= 0:
        return None
    ratio = current / base
    return Interval((ratio.low - 1) * 100, (ratio.high - 1) * 100)


def _narrow(interval: Interval | None) -> bool:
    """Bounded, and narrow enough that a fit is not a coincidence."""
    if interval is None or not interval.is_bounded:
        return False
    size = max(abs(interval.low), abs(interval.high))
    return size == 0 or interval.width <= size * _NARROW


def _written(figure: Figure, number: Decimal, reading: Reading) -> Interval:
    """The interval *figure* would admit had the outlet written *number* instead."""
    return attrs.evolve(figure, number=number).interval(reading)


def _swaps(number: Decimal) -> Iterable[Decimal]:
    """*number* with two neighbouring digits swapped, each way it can be."""
    sign, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)
    for i in range(len(digits) - 1):
        if digits[i] == digits[i + 1]:
            continue
        swapped = list(digits)
        swapped[i], swapped[i + 1] = swapped[i + 1], swapped[i]
        yield Decimal((sign, tuple(swapped), exponent))


def _typos(number: Decimal) -> Iterable[Decimal]:
    """*number* with one digit changed."""
    sign, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)
    if len(digits) < 3:  # a slip in a two-digit figure is anything: say nothing
        return
    for i, d in enumerate(digits):
        for e in range(10):
            if e != d and i > 0:
                changed = list(digits)
                changed[i] = e
                yield Decimal((sign, tuple(changed), exponent))


def _explain(engine: _Diagnoser, claim: Claim, stated: Interval | None,
             implied: Interval | None, known: Mapping[tuple[str, Period], Interval],
             wording: bool, evidence: Sequence[Finding]) -> list[Explanation]:
    """Every known mistake that would explain *claim*, most likely first."""
    reading = engine.reading
    unit = "%" if claim.kind == "change" else engine.metrics[claim.metric].unit
    out: list[Explanation] = []

    def add(mistake: Mistake, text: str, confirmed: bool = True,
            corrected: Interval | None = None) -> None:
        if all(e.mistake != mistake for e in out):
            out.append(Explanation(mistake=mistake, text=text, confirmed=confirmed,
                                   corrected=corrected))

    def fits(candidate: Interval | None, target: Interval | None) -> bool:
        return (candidate is not None and target is not None and _narrow(target)
                and candidate.overlaps(target))

    value = claim.value
    # wording: the claim's own qualifier, read leniently, would fit
    if claim.depends_on_reading and (wording or reading == "strict"):
        lenient = claim.interval("lenient")
        if (implied is None and wording) or (
                implied is not None and lenient is not None and lenient.overlaps(implied)):
            assert value is not None
            add("strict_reading", f"A qualifier read strictly: “{value.text}” read "
                                  f"leniently fits; wording, not error.")
    if value is not None and stated is not None and implied is not None:
        # unit slip: million ↔ billion, thousand ↔ million
        if claim.kind == "level" and unit != "%":
            for factor, words in ((_THOUSAND, "a thousand times too small"),
                                  (1 / _THOUSAND, "a thousand times too big")):
                corrected = stated.scale(factor)
                if fits(corrected, implied) or (corrected.overlaps(implied)
                                                and implied.is_bounded):
                    add("unit_slip", f"A unit slip (million ↔ billion): {value.text} is "
                                     f"{words}.", corrected=corrected)
        if claim.kind == "change" and value.number != 0:
            corrected = _written(value, -value.number, reading)
            if corrected.overlaps(implied) and (implied.high < 0 or implied.low > 0):
                add("wrong_sign", f"The wrong sign or direction: {value.text} the other "
                                  f"way round fits.", corrected=corrected)
        for swapped in _swaps(value.number):
            corrected = _written(value, swapped, reading)
            if fits(corrected, implied):
                written = attrs.evolve(value, number=swapped, qualifier=None).format()
                add("transposed_digits",
                    f"Transposed digits: {value.text} with two digits swapped ({written}) "
                    f"fits.", corrected=corrected)
    if claim.kind == "direction" and implied is not None and (
            (claim.direction == "up" and implied.high < 0)
            or (claim.direction == "down" and implied.low > 0)):
        add("wrong_sign", f"The wrong direction: the others imply a change of "
                          f"{format_range(implied, '%')}.")
    if claim.kind == "level" and stated is not None and value is not None:
        for identity in engine.ledger.identities:
            if identity.whole == claim.metric:
                for part in identity.parts:
                    target = known.get((part, claim.period))
                    if fits(stated, target):
                        assert target is not None
                        add("part_as_total", f"{part} reported as the total: {value.text} "
                                             f"fits {part} {claim.period}, which the others "
                                             f"put at {format_range(target, unit)}.")
            elif claim.metric in identity.parts:
                target = known.get((identity.whole, claim.period))
                if fits(stated, target):
                    assert target is not None
                    add("part_as_total", f"The total reported as {claim.metric}: "
                                         f"{value.text} fits {identity.whole} "
                                         f"{claim.period} ({format_range(target, unit)}).")
        p = claim.period
        for q, words in ((p.previous(), "the period before"), (p.shift(p.length), "the next"),
                         (p.year_earlier(), "a year earlier"), (p.shift(12), "a year later")):
            target = known.get((claim.metric, q))
            if fits(stated, target):
                assert target is not None
                add("wrong_period", f"The wrong period: {value.text} fits {claim.metric} "
                                    f"{q} ({words}: {format_range(target, unit)}).")
    if claim.kind == "change" and stated is not None and value is not None:
        other_base = (claim.period.previous() if claim.comparison == "yoy"
                      else claim.period.year_earlier() if claim.comparison == "mom" else None)
        if other_base is not None:
            growth = _growth(known.get((claim.metric, claim.period)),
                             known.get((claim.metric, other_base)))
            if growth is not None and fits(stated, growth):
                other = "month on month" if claim.comparison == "yoy" else "year on year"
                add("wrong_base", f"Growth against the wrong base: {value.text} fits the "
                                  f"change {other} ({format_range(growth, '%')}).")
        metric = engine.metrics[claim.metric]
        base = claim.base_period
        if metric.unit == "%" and base is not None:
            now, then = known.get((claim.metric, claim.period)), known.get((claim.metric, base))
            if now is not None and then is not None and now.is_bounded and then.is_bounded:
                points = now - then
                if stated.overlaps(points):
                    add("percent_vs_points", f"Percent for percentage points: the level "
                                             f"moved {format_range(points, '%')} points.")
    if value is not None and stated is not None and implied is not None and value.qualifier is None:
        step = value.step
        size = abs(value.value)
        cut = Interval(size, size + step)
        if value.number < 0:
            cut = -cut
        if not stated.overlaps(implied) and cut.overlaps(implied):
            add("truncation", f"Rounding down (truncation): {value.text} fits when its last "
                              f"digit was cut rather than rounded.", corrected=cut)
        if _narrow(implied) and implied.width <= step:
            for typo in _typos(value.number):
                corrected = _written(value, typo, reading)
                if corrected.overlaps(implied):
                    add("mistyped_digit", f"A mistyped digit: {value.text} with one digit "
                                          f"changed fits.", corrected=corrected)
                    break
    # an honest difference the checks recognised: a revision or another basis moves a
    # figure by a little, so it comes first only for a small gap no slip explains
    honest = [f for f in evidence if claim.id in f.claims
              and f.note in ("revision", "different basis")]
    for f in honest[:1]:
        mistake: Mistake = "revision" if f.note == "revision" else "different_basis"
        small = f.relative_distance is not None and f.relative_distance <= _SMALL_GAP
        entry = Explanation(mistake=mistake, text=f"A {f.note}: {f.explanation}",
                            confirmed=small)
        if small and not any(e.confirmed for e in out):
            out.insert(0, entry)
        elif small:
            out.append(entry)
        else:
            honest_later = entry
            break
    else:
        honest_later = None
    # a mistyped digit or a cut last digit is a weak fit: the usual mistakes still follow
    weak = ("revision", "different_basis", "mistyped_digit", "truncation")
    if not any(e.confirmed and e.mistake not in weak for e in out):
        out.extend(_possible(engine, claim, stated, implied, known))
    if honest_later is not None:
        out.append(honest_later)
    return out


def _possible(engine: _Diagnoser, claim: Claim, stated: Interval | None,
              implied: Interval | None, known: Mapping[tuple[str, Period], Interval]
              ) -> list[Explanation]:
    """The usual mistakes for a figure of this shape, when none can be confirmed."""
    out = []
    if claim.kind == "change" and claim.comparison in ("yoy", "mom"):
        other = "month on month" if claim.comparison == "yoy" else "year on year"
        out.append(Explanation(
            mistake="wrong_base", confirmed=False,
            text=f"Perhaps growth against the wrong base (measured {other}; unchecked)."))
    if claim.kind == "level" and stated is not None and implied is not None:
        wholes = [i for i in engine.ledger.identities if i.whole == claim.metric]
        if wholes and stated.high < implied.low:
            part = wholes[0].parts[0]
            out.append(Explanation(
                mistake="part_as_total", confirmed=False,
                text=f"Perhaps {part} reported as the total (unchecked)."))
        if engine.metrics[claim.metric].sums:
            out.append(Explanation(
                mistake="wrong_period", confirmed=False,
                text="Perhaps another period’s figure (unchecked)."))
    return out


# -- outlets ---------------------------------------------------------------------------

@attrs.frozen(kw_only=True)
class OutletScore:
    """One outlet's record, counted honestly.

    ``culprits`` counts claims in every best repair of their problem (dropping them is
    the fix); ``tied`` claims that are one of several tied alternatives (one of them
    must go, not necessarily this one). The two are never added together.
    """

    outlet: str
    claims: int
    in_problems: int
    culprits: int
    tied: int


def scorecard(ledger: Ledger, problems: Iterable[Problem]) -> tuple[OutletScore, ...]:
    """A line per outlet: claims, claims in problems, culprits outright, tied culprits."""
    in_problems: set[str] = set()
    every: set[str] = set()
    tied: set[str] = set()
    for p in problems:
        in_problems.update(p.claims)
        for c in p.culprits:
            (every if c.in_every_repair else tied).add(c.claim)
    counts: dict[str, list[int]] = {}
    for source in ledger.sources:
        counts.setdefault(source.label, [0, 0, 0, 0])
    for claim in ledger.claims:
        row = counts[ledger.source_of(claim).label]
        row[0] += 1
        row[1] += claim.id in in_problems
        row[2] += claim.id in every
        row[3] += claim.id in tied
    return tuple(OutletScore(outlet=o, claims=a, in_problems=b, culprits=c, tied=d)
                 for o, (a, b, c, d) in counts.items())
