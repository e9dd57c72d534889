"""Diagnosis: what the other claims imply for a culprit, and the mistake behind it.

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
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal, TypeAlias

import attrs

from ..claims import Claim, Identity, Metric
from ..figures import Figure, Reading, format_range
from ..findings import Finding
from ..intervals import INF, Interval
from ..ledger import Ledger, linked_metrics
from ..periods import Period
from ..results import Conflict, Repair
from ._stories import same_story

__all__ = ["MISTAKES", "Bar", "Diagnoser", "Diagnosis", "Explanation", "Mistake"]

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
_SMALL_GAP = Decimal("0.05")  # a revision or another basis rarely moves a figure further


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


# -- diagnosis ---------------------------------------------------------------------------

_PROBE_SOURCE = "__probe"


class Diagnoser:
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
        from ..solver import analyse

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


def _explain(engine: Diagnoser, claim: Claim, stated: Interval | None,
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


def _possible(engine: Diagnoser, claim: Claim, stated: Interval | None,
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
