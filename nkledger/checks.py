"""The named cross-checks: every reported figure held against every other one it touches.

Each check is a small rule, a function ``(ledger, reading) -> Iterator[Finding]`` whose
docstring states the rule; :data:`CHECKS` lists them in the order a report shows them
and :func:`run_checks` runs them. Everything is exact interval arithmetic on the
claims' intervals (:class:`~nkledger.intervals.Interval`), never floats, so "$1.05bn +
$210m" against "$1.26bn" is judged on [1.045, 1.055] + [0.2095, 0.2105] vs
[1.25, 1.27] bn.

Verdicts and readings
    A check runs under one reading of the qualifiers ("nearly", "about"...), and also
    under the strict and the lenient one: a finding's ``depends_on_reading`` says the
    strict and lenient verdicts differ. Touching intervals are consistent; a check
    never reports a conflict among figures correctly rounded from one set of true
    values under the default reading (property-tested).

Implied figures
    Checks also use what the claims imply but nobody stated — a month from the total
    and the other part, last year's value from this year's and a growth rate — by
    bounded derivation (at most two steps, never using a claim twice): see
    :mod:`nkledger._checks._context`. Such a figure is always written out with the
    claims it rests on.

Honest disagreements
    A conflict among claims resting on different primary data (a claim's or source's
    ``basis`` differs, or the sources cite plainly different bodies) carries
    ``note="different basis"``; among claims citing the same body published on
    different dates whose figures lie within 5 % of each other (a figure that later
    growth rates contradict only slightly), ``note="revision"``: likely a revision of
    the earlier release rather than an error. The verdict stays a conflict: the note
    says why it may be no one's error. (:func:`nkledger.check` goes further: by default
    it checks each basis on its own, see :mod:`nkledger.evidence`.)
    A level in another currency than its metric ("R44.2bn" on a dollar metric) is never
    converted: the agreement check reports it once as unverifiable
    (``note="different currency"``) and every check leaves it out.

Words only for findings shown
    Writing a finding's explanation is a sixth of the checks' work, and a text report
    shows the words of few findings (the lean work items of
    :mod:`nkledger.parallel` count the rest). ``run_checks(..., keep=...)`` writes only
    the words of the findings *keep* keeps: the main context is then a
    :class:`~nkledger._checks._rules.Drafting` one, whose findings come without words
    and leave what writes them in its drafts; once a finding's final form is known
    (after the other readings' pass says whether it depends on the reading), it gets
    its words if kept, and its draft is dropped otherwise. Unless the words are needed
    to count it: two findings equal in everything but their words are two findings, so
    those left without words that are equal get theirs (:func:`_drafted`). Every draft
    is resolved before :func:`run_checks` returns: none keeps a context alive, and none
    reads an emptied one. A draft may thus be written after its rule has moved on, so
    the rules bind what their words read when they make a finding (see
    :mod:`nkledger._checks._rules`). Without *keep* every finding is written at once.

Attention: a check is only as good as the claims the ledger holds. A "highest of 2025"
is consistent when no month the ledger knows is certainly higher, not proven; the joint
analysis (the solver) finds conflicts that only appear when many claims meet.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import TypeAlias

from ._checks import _rules
from ._checks._context import Context, sensitive
from ._collector import paused
from .figures import READINGS, Reading
from .findings import Finding, Verdict
from .ledger import Ledger, linked_metrics

__all__ = [
    "CHECKS",
    "Check",
    "aggregation",
    "agreement",
    "components",
    "direction",
    "growth",
    "parts",
    "rank",
    "run_checks",
    "run_lean",
]

Check: TypeAlias = Callable[[Ledger, Reading], Iterator[Finding]]
_Rule: TypeAlias = Callable[[Context], Iterator[tuple[Hashable, Finding]]]


class _Readings:
    """A ledger's context under one reading, and what the strict and lenient ones need.

    Only a claim whose interval differs between the strict and the lenient reading can
    make a verdict differ, and only within its independent part of the ledger (metrics
    linked by identities and ``part_of``): every other finding has equal strict and
    lenient verdicts. Likewise a part none of whose claims reads otherwise under the
    strict (or lenient) reading than under this one has this reading's verdicts there.
    So the strict and lenient contexts hold only the parts with a claim that reads
    otherwise than here (none at all when no claim does), and write no explanations
    (their verdicts are all that is compared).
    """

    def __init__(self, ledger: Ledger, reading: Reading, *, drafting: bool = False,
                 counting: bool = False) -> None:
        self.ledger = ledger
        # as sensitive_metrics(ledger) finds them: a claim that reads alike under the
        # strict and the lenient reading reads so under every one (the default reading
        # lies between them), so only these claims may read otherwise than here
        root = linked_metrics(ledger)
        touched = [c for c in ledger.claims if sensitive(c)]
        roots = {root[c.metric] for c in touched}
        self.sensitive = frozenset(m for m, r in root.items() if r in roots)
        #: For each other reading, the metrics of the parts where some claim reads
        #: otherwise than under *reading*: only there may its verdicts differ.
        self.reach: dict[str, frozenset[str]] = {}
        if self.sensitive:
            sensitive_ = self.sensitive
            for other in ("strict", "lenient"):
                if other == reading:
                    continue
                roots = {root[c.metric] for c in touched
                         if c.interval(other) != c.interval(reading)}
                self.reach[other] = frozenset(m for m in sensitive_ if root[m] in roots)
        touched_ids = frozenset(c.id for c in touched)
        record = any(self.reach.values())
        self.main = (_rules.Counting(ledger, reading, record=record) if counting
                     else _rules.Drafting(ledger, reading, record=record) if drafting
                     else Context(ledger, reading, record=record))
        self.others: dict[str, Context | None] = {}
        others: tuple[Reading, ...] = ("strict", "lenient")
        for other in others:
            metrics = self.reach.get(other)
            if not metrics:
                self.others[other] = None
            else:
                self.others[other] = Context(ledger, other, metrics=metrics,
                                             words=False, like=self.main,
                                             touched=touched_ids)

    def close(self) -> None:
        """Let go of every context's estimates now, rather than leave them to the collector.

        An estimate's words are written by a method of its context (bound to it), so a
        context and its estimates form reference cycles: only the cyclic collector frees
        them, after walking all of them — a tenth of a work item's checks. Emptying the
        contexts breaks the cycles, and reference counting frees everything at once.
        """
        for ctx in (self.main, *self.others.values()):
            if ctx is not None:
                ctx.__dict__.clear()

    def judged(self, rule: _Rule) -> Iterator[Finding]:
        """Run *rule*, marking findings whose verdict the reading decides."""
        for _, finding in self.pairs(rule):
            yield finding

    def pairs(self, rule: _Rule) -> Iterator[tuple[Finding, Finding]]:
        """Run *rule*: each finding as the rule made it, and marked as :meth:`judged` yields it."""
        if not self.sensitive:
            for _, finding in rule(self.main):
                yield finding, finding
            return
        found = list(rule(self.main))
        mine = {key: f.verdict for key, f in found}
        verdicts: dict[str, dict[Hashable, Verdict]] = {}
        for other, ctx in self.others.items():
            if ctx is None:  # the reading itself, or alike: its verdicts are at hand
                verdicts[other] = mine
            else:  # a question on claims that read alike there has this verdict
                verdicts[other] = {key: mine[key] if f is _rules.SAME else f.verdict
                                   for key, f in rule(ctx)}
        strict, lenient = verdicts["strict"], verdicts["lenient"]
        in_strict = self.reach.get("strict", frozenset())
        in_lenient = self.reach.get("lenient", frozenset())
        sensitive, claim, marked = self.sensitive, self.ledger.claim, _rules.marked
        for key, finding in found:
            if not finding.claims:
                if strict.get(key, "unverifiable") != lenient.get(key, "unverifiable"):
                    yield finding, marked(finding)
                else:
                    yield finding, finding
                continue
            metric = claim(finding.claims[0]).metric
            if metric not in sensitive:
                yield finding, finding
                continue
            # outside an other reading's reach, its verdict is this reading's
            verdict = mine[key]
            s = strict.get(key, "unverifiable") if metric in in_strict else verdict
            le = lenient.get(key, "unverifiable") if metric in in_lenient else verdict
            if s != le:
                yield finding, marked(finding)
            else:
                yield finding, finding


def _judged(rule: _Rule, ledger: Ledger, reading: Reading) -> Iterator[Finding]:
    """Run *rule* under *reading*, marking findings whose verdict the reading decides."""
    if reading not in READINGS:
        raise ValueError(f"reading must be one of {', '.join(READINGS)}, got {reading!r}")
    return _readings(ledger, reading).judged(rule)


#: The contexts of the last ledgers and readings the named checks were asked about, by
#: the ledger's identity, oldest first. Not by its value: hashing a ledger walks every
#: claim (most of a second at a million claims, on every call). An entry holds its
#: ledger, so no other object can take that ledger's id while the entry is here.
_RECENT: OrderedDict[tuple[int, str], tuple[Ledger, _Readings]] = OrderedDict()
#: How many ledgers and readings :data:`_RECENT` keeps.
_KEEP = 4


#: Held while :data:`_RECENT` is read or changed (threads may run named checks at once).
_RECENT_LOCK = threading.Lock()


def _readings(ledger: Ledger, reading: Reading) -> _Readings:
    """The (cached) contexts of *ledger* for *reading*: each named check reuses them."""
    key = (id(ledger), reading)
    with _RECENT_LOCK:
        hit = _RECENT.get(key)
        if hit is not None and hit[0] is ledger:
            _RECENT.move_to_end(key)
            return hit[1]
    found = _Readings(ledger, reading)  # outside the lock: it may take a while
    with _RECENT_LOCK:
        _RECENT[key] = (ledger, found)
        _RECENT.move_to_end(key)
        while len(_RECENT) > _KEEP:
            _RECENT.popitem(last=False)
    return found


def agreement(ledger: Ledger, reading: Reading = "default") -> Iterator[Finding]:
    """Claims of different sources about the same metric, period and kind agree.

    Levels agree when their intervals overlap; changes (measured against the same base
    period) likewise; directions when they point the same way; ranks that say the same
    thing trivially. Every pair of claims from two different sources is compared.
    A level in another currency than its metric yields one unverifiable finding
    (``note="different currency"``) and is left out of every check.
    """
    return _judged(_rules.agreement, ledger, reading)


def components(ledger: Ledger, reading: Reading = "default") -> Iterator[Finding]:
    """An identity ``whole = part + part ...`` holds in every period, whoever said what.

    For every identity and every period where at least two of its members have level
    claims (any mix of sources): with all members claimed, the sum of the parts must
    overlap the whole; with one member missing, the missing one is implied (the whole
    minus the other parts, or the sum of the parts) and reported — a conflict when a
    flow would have to be negative. Several claims for one member are tried in every
    combination, up to 64, and a finding says when more were left out.
    """
    return _judged(_rules.components, ledger, reading)


def aggregation(ledger: Ledger, reading: Reading = "default") -> Iterator[Finding]:
    """A flow's claimed period equals the sum of the claimed periods inside it.

    For each claimed period (a quarter, half, year or span) of a flow, the claimed
    sub-periods are tiled: disjoint ones covering the most months, then the fewest
    pieces (so a year claimed by halves and by months is checked against its halves,
    and each half against its months). If they cover the period, their sum must overlap
    it; otherwise their sum must not exceed it (the rest would be negative), and the
    rest is reported as implied: "July–August 2025 must total $x–$y".
    """
    return _judged(_rules.aggregation, ledger, reading)


def growth(ledger: Ledger, reading: Reading = "default") -> Iterator[Finding]:
    """A stated change matches the levels of its period and its base period.

    For a change ``g`` on a period and its base (a year earlier, the period before, or
    a named period), every pair of independent estimates of the two levels (claimed, or
    implied by other claims: components, other changes, sub-periods) must admit
    ``current = prior × (1 + g)``. A whole's change is also held against its parts'
    levels and changes ("exports up 33% to $1.05bn, imports up 20% to $210m" give the
    total's change exactly, keeping the parts' shared figures correlated). When nothing
    can be paired, the prior value the change implies is reported (unverifiable):
    "... implies $x–$y for September 2024, which no claim states".
    """
    return _judged(_rules.growth, ledger, reading)


def rank(ledger: Ledger, reading: Reading = "default") -> Iterator[Finding]:
    """A ranking holds against every comparable period the ledger knows or implies.

    "Highest of 2025" is refuted by another period of the same kind inside 2025 that is
    certainly higher; "highest since 2019-10" by one strictly between, or by October
    2019 itself being certainly lower; "a record" by any earlier one. Periods after the
    source's publication are never held against it. A longer period's total bounds
    its parts: a half-year of $1.05bn has some month of at least $175m, so a "highest"
    month must be at least that. "First decline of 2025" needs a possible decline in
    its period and no certain decline earlier in 2025. Unverifiable when nothing
    comparable is known.
    """
    return _judged(_rules.rank, ledger, reading)


def direction(ledger: Ledger, reading: Reading = "default") -> Iterator[Finding]:
    """"Rose" and "fell" match the stated changes and the levels they compare.

    Held against every stated change with the same base and every pair of independent
    level estimates for the period and its base. "Up" means strictly greater: figures
    that overlap cannot refute it, figures that only touch can (their one shared value
    is no change at all).
    """
    return _judged(_rules.direction, ledger, reading)


def parts(ledger: Ledger, reading: Reading = "default") -> Iterator[Finding]:
    """A part never exceeds the flow it is part of, in the same period, any sources.

    A metric's ancestors are its ``part_of`` chain and, for flows, the wholes of
    identities it (or an ancestor) is a part of: hair exports are part of exports,
    which are part of the total.
    """
    return _judged(_rules.parts, ledger, reading)


_RULES: Mapping[str, _Rule] = MappingProxyType({
    "agreement": _rules.agreement,
    "components": _rules.components,
    "aggregation": _rules.aggregation,
    "growth": _rules.growth,
    "rank": _rules.rank,
    "direction": _rules.direction,
    "parts": _rules.parts,
})

CHECKS: Mapping[str, Check] = MappingProxyType({
    "agreement": agreement,
    "components": components,
    "aggregation": aggregation,
    "growth": growth,
    "rank": rank,
    "direction": direction,
    "parts": parts,
})


def _rules_for(reading: str, only: Collection[str] | None) -> list[tuple[str, _Rule]]:
    """The rules of the named checks (all, or *only* these), in :data:`CHECKS` order.

    Raises:
        ValueError: for an unknown reading or check name.
    """
    if reading not in READINGS:
        raise ValueError(f"reading must be one of {', '.join(READINGS)}, got {reading!r}")
    if only is not None:
        unknown = sorted(set(only) - set(CHECKS))
        if unknown:
            raise ValueError(f"unknown check {', '.join(map(repr, unknown))}; "
                             f"expected some of {', '.join(CHECKS)}")
    return [(name, rule) for name, rule in _RULES.items() if only is None or name in only]


@paused
def run_checks(ledger: Ledger, reading: Reading = "default", *,
               only: Collection[str] | None = None,
               keep: Callable[[Finding], bool] | None = None) -> tuple[Finding, ...]:
    """Run the named checks (all, or *only* these) in :data:`CHECKS` order.

    The result is deterministic: the same ledger always gives the same findings in the
    same order. With *keep*, only the findings it keeps get their words: the others
    come with an empty ``explanation``, save those equal to another one in everything
    else (see :func:`_drafted`), so they still count as :func:`~nkledger.findings.distinct`
    counts them with their words. *keep* sees a finding in its final form, its
    explanation empty.

    Raises:
        ValueError: for an unknown reading or check name.
    """
    rules = _rules_for(reading, only)
    # not the cached contexts of the named checks: these die with the call
    readings = _Readings(ledger, reading, drafting=keep is not None)
    findings: list[Finding] = []
    try:
        if keep is None:
            for _, rule in rules:
                findings.extend(readings.judged(rule))
        else:
            findings = _drafted(readings, rules, keep)
    finally:
        readings.close()
    return tuple(findings)


def _drafted(readings: _Readings, rules: Iterable[tuple[str, _Rule]],
             keep: Callable[[Finding], bool]) -> list[Finding]:
    """The findings of *rules*, the words written of those *keep* keeps and no others'.

    Unless they are needed: the words are the one field of a finding that may tell two
    findings apart when all the rest is equal. So findings left without words that are
    equal (``==``, their explanations both empty) get theirs, and then equal only
    where they truly are. As :func:`~nkledger.findings.distinct` does, only findings
    of one check, claims and verdict are compared; a rule makes the findings of its own
    check only, so each rule's drafts are resolved (written or dropped) when it ends,
    and none outlives the contexts it reads.
    """
    main = readings.main
    assert isinstance(main, _rules.Drafting)
    drafts = main.drafts
    found: list[Finding] = []
    for name, rule in rules:
        unwritten: dict[int, _rules.Draft] = {}
        first: dict[tuple[tuple[str, ...], str], int] = {}
        twins: dict[tuple[tuple[str, ...], str], list[int]] = {}
        for made, finding in readings.pairs(rule):
            assert finding.check == name
            draft = drafts.pop(id(made))
            if keep(finding):
                found.append(_rules.written(finding, draft))
                continue
            index = len(found)
            key = (finding.claims, finding.verdict)
            seen = first.setdefault(key, index)
            if seen != index:
                twins.setdefault(key, [seen]).append(index)
            found.append(finding)
            unwritten[index] = draft
        for indexes in twins.values():
            same = [found[i] for i in indexes]
            for i, f in zip(indexes, same, strict=True):
                if same.count(f) > 1:
                    found[i] = _rules.written(f, unwritten[i])
    return found


@paused
def run_lean(ledger: Ledger, reading: Reading = "default", *,
             only: Collection[str] | None = None
             ) -> tuple[tuple[Finding, ...], tuple[tuple[str, int], ...]]:
    """The findings a lean work item keeps, and how many of each verdict it leaves out.

    ``run_checks(ledger, reading, only=only, keep=kept)`` with *kept* keeping a finding
    in conflict, depending on the reading, or naming no claim (those
    :func:`~nkledger.problems.find_problems` reads: the lean work items of
    :mod:`nkledger.parallel`), split in two: the findings kept, in order and with their
    words, and the others counted by verdict, each distinct finding once (as
    :func:`~nkledger.findings.distinct` counts them, twins told apart by their words),
    verdicts in the order they first come. The others are never made: the main context
    is a :class:`~nkledger._checks._rules.Counting` one, whose sketches of them are
    counted and dropped (see :func:`_counted`).

    Raises:
        ValueError: for an unknown reading or check name.
    """
    rules = _rules_for(reading, only)
    readings = _Readings(ledger, reading, counting=True)
    try:
        kept, counts = _counted(readings, rules)
    finally:
        readings.close()
    return tuple(kept), tuple(counts.items())


def _rest(f: Finding) -> tuple[object, ...]:
    """What may tell two findings of one check, claims and verdict apart, but their words."""
    return (f.metric, f.period, f.unit, f.stated, f.implied, f.note)


def _counted(readings: _Readings, rules: Iterable[tuple[str, _Rule]]
             ) -> tuple[list[Finding], dict[str, int]]:
    """The findings of *rules* a lean item keeps, written, and the others' counts by verdict.

    A sketch a rule made that was not marked as depending on the reading is left out:
    it is counted unless equal to one counted already. Two findings can only be equal
    if they name the same check, claims and verdict, so sketches are grouped by those
    (a rule makes the findings of its own check only); within a group, those equal in
    every field but their words are twins, told apart by their words alone — written
    for them only, once the rule has ended and before the contexts are emptied, as
    :func:`_drafted` writes them.
    """
    main = readings.main
    assert isinstance(main, _rules.Counting)
    drafts = main.drafts
    sketch, written = _rules.Sketch, _rules.written
    kept: list[Finding] = []
    counts: dict[str, int] = {}
    for _name, rule in rules:
        groups: dict[tuple[tuple[str, ...], str], list[_rules.Sketch]] = {}
        for made, finding in readings.pairs(rule):
            if type(made) is sketch:
                assert isinstance(made, sketch)
                if finding is made:
                    verdict = made.verdict
                    same = groups.get((made.claims, verdict))
                    if same is None:
                        groups[(made.claims, verdict)] = [made]
                        counts[verdict] = counts.get(verdict, 0) + 1
                    else:
                        same.append(made)
                else:  # depends on the reading: kept
                    kept.append(written(finding, (made.words, None)))
            else:  # in conflict, or naming no claim: kept
                kept.append(written(finding, drafts.pop(id(made))))
        for same in groups.values():
            if len(same) > 1:
                # the first of the group is counted already
                counts[same[0].verdict] += _how_many(same) - 1
    return kept, counts


def _how_many(same: list[_rules.Sketch]) -> int:
    """How many distinct findings sketches of one check, claims and verdict make."""
    classes: list[tuple[tuple[object, ...], list[_rules.Sketch]]] = []
    for s in same:
        rest = _rest(s)
        for other, members in classes:
            if other == rest:
                members.append(s)
                break
        else:
            classes.append((rest, [s]))
    n = 0
    for _, members in classes:
        if len(members) == 1:
            n += 1
        else:  # twins: equal but for their words, which tell them apart or not
            n += len({_rules._explanation((m.words, None)) for m in members})
    return n
