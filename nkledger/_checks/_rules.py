"""The bodies of the named checks: each yields ``(key, finding)`` for one reading.

The key names the question a finding answers (which claims, which pairing) apart from
its answer, so :func:`nkledger.checks` can run a rule under the strict and the lenient
reading and tell whether the verdict depends on the reading. The rules themselves are
documented in :mod:`nkledger.checks`; comments here only say why.

Explanations are written only when a finding is kept: a rule hands :func:`_finding` a
function that writes the sentence, and the pass of another reading (which compares
verdicts only) never calls it. In a plain :class:`Context` ``_finding`` calls it at
once; in a :class:`Drafting` one (``run_checks(..., keep=...)``) the finding comes
without words and the function waits in the context's ``drafts`` until the caller knows
the finding's final form (whether it depends on the reading) and whether it is kept:
:func:`written` then writes the words, or the draft is dropped. So such a function may
be called after its rule has moved on, even after the rule has ended: every one binds
the values it reads when it is made (default arguments, ``functools.partial``, or
variables its function never assigns again), never a loop's variable — ruff's B023 is
on here, and a property test holds drafted words equal to eager ones.
"""

from __future__ import annotations

import collections
import functools
import itertools
import typing
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import TypeVar

import attrs

from ..claims import Claim, Identity, Rank
from ..figures import Figure, Reading
from ..findings import Finding, Verdict
from ..intervals import _DOWN, _UP, INF, Interval, _made
from ..ledger import Ledger
from ..periods import Period
from . import _words as w
from ._context import (
    MAX_COMBINATIONS,
    Context,
    Estimate,
    by_order,
    combinations,
    disjoint,
    growth_factor,
    link,
    percent_change,
    ratio,
    total,
)

Judged = Iterator[tuple[Hashable, Finding]]
T = TypeVar("T")

_ZERO = Decimal(0)
partial = functools.partial


Words = str | Callable[[], str]

#: What a check without words (``ctx.words`` False) returns: only the verdict is read.
_VERDICTS: dict[str, Finding] = {
    v: Finding(check="", verdict=v, claims=(), explanation="")
    for v in typing.get_args(Verdict)
}


#: What a rule yields, in a context built like another, for a question resting only on
#: claims that read there as in the other context: its verdict there is the verdict.
SAME = Finding(check="", verdict="unverifiable", claims=(), explanation="")


#: A finding's words not yet written: what writes the sentence, and why a conflict may
#: be honest (appended to it), if it may.
Draft = tuple[Words, str | None]


class Drafting(Context):
    """A context whose findings come without words (``explanation`` empty).

    Each finding's words wait in :attr:`drafts`, under the finding's ``id``, until
    :func:`written` writes them or the caller drops them; a draft may read the context,
    so it must be resolved before the context is emptied.
    """

    def __init__(self, ledger: Ledger, reading: Reading, *, record: bool = False) -> None:
        #: The words of each finding made here and not yet resolved, by the finding's id.
        self.drafts: dict[int, Draft] = {}
        super().__init__(ledger, reading, record=record)


class Counting(Drafting):
    """A drafting context that only sketches the findings a lean work item may count.

    A lean item keeps a finding in conflict, depending on the reading, or naming no
    claim, and only counts the others (see :func:`nkledger.checks.run_lean`). A finding
    of this context that may be only counted — not in conflict, naming claims; whether
    it depends on the reading is known later — comes as a :class:`Sketch`, with its
    words' writer in it rather than in :attr:`drafts`: most are counted and dropped,
    and :func:`marked` makes a finding of the few that turn out to be kept.
    """


class Sketch(Finding):
    """A finding made in a :class:`Counting` context, and what writes its words.

    It is a :class:`~nkledger.findings.Finding` without words (``explanation`` empty,
    ``depends_on_reading`` False), built without the checks of ``Finding.__init__``:
    it never leaves :func:`nkledger.checks.run_lean`, which counts it or makes a
    finding of it.
    """

    __slots__ = ("words",)

    words: Words


_new = object.__new__
_set_check, _set_verdict, _set_claims, _set_explanation, _set_metric, _set_period, \
    _set_unit, _set_stated, _set_implied, _set_depends, _set_note = (
        getattr(Finding, a.name).__set__ for a in attrs.fields(Finding))
_set_words = Sketch.__dict__["words"].__set__


def _sketch(check: str, verdict: Verdict, claims: tuple[str, ...], words: Words,
            metric: str | None, period: Period | None, unit: str, stated: Interval | None,
            implied: Interval | None, note: str | None) -> Sketch:
    """``Sketch(...)``: the fields of a finding without words, set one by one."""
    sketch: Sketch = _new(Sketch)
    _set_check(sketch, check)
    _set_verdict(sketch, verdict)
    _set_claims(sketch, claims)
    _set_explanation(sketch, "")
    _set_metric(sketch, metric)
    _set_period(sketch, period)
    _set_unit(sketch, unit)
    _set_stated(sketch, stated)
    _set_implied(sketch, implied)
    _set_depends(sketch, False)
    _set_note(sketch, note)
    _set_words(sketch, words)
    return sketch


def marked(finding: Finding) -> Finding:
    """*finding* as depending on the reading (a :class:`Sketch` becomes a plain finding)."""
    if type(finding) is Sketch:
        return Finding(check=finding.check, verdict=finding.verdict, claims=finding.claims,
                       explanation="", metric=finding.metric, period=finding.period,
                       unit=finding.unit, stated=finding.stated, implied=finding.implied,
                       depends_on_reading=True, note=finding.note)
    return attrs.evolve(finding, depends_on_reading=True)


def _explanation(draft: Draft) -> str:
    """The explanation *draft* writes."""
    explanation, why = draft
    text = explanation if isinstance(explanation, str) else explanation()
    return f"{text}; {why}." if why is not None else f"{text}."


def written(finding: Finding, draft: Draft) -> Finding:
    """*finding*, made in a :class:`Drafting` context, with the words of its *draft*."""
    return attrs.evolve(finding, explanation=_explanation(draft))


def _finding(ctx: Context, *, check: str, verdict: Verdict, claims: Sequence[str],
             explanation: Words, metric: str | None = None, period: Period | None = None,
             unit: str = "", stated: Interval | None = None, implied: Interval | None = None,
             note: str | None = None) -> Finding:
    """A finding; a conflict among claims of different bases or releases says so.

    The explanation may be given as a function that writes it: a context without words
    (the other readings' pass, which only compares verdicts) never calls it, and a
    :class:`Drafting` one leaves it in its drafts.
    """
    if not ctx.words:
        return _VERDICTS[verdict]
    ids = tuple(dict.fromkeys(claims))
    if verdict != "conflict" and ids and isinstance(ctx, Counting):
        return _sketch(check, verdict, ids, explanation, metric, period, unit, stated,
                       implied, note)
    why = None
    if verdict == "conflict" and note is None:
        honest = w.classify(ctx.ledger, [ctx.claim(c) for c in ids],
                            w.closeness(stated, implied, unit))
        if honest is not None:
            note, why = honest
    if isinstance(ctx, Drafting):
        finding = Finding(check=check, verdict=verdict, claims=ids, explanation="",
                          metric=metric, period=period, unit=unit, stated=stated,
                          implied=implied, note=note)
        ctx.drafts[id(finding)] = (explanation, why)
        return finding
    return Finding(check=check, verdict=verdict, claims=ids,
                   explanation=_explanation((explanation, why)), metric=metric, period=period,
                   unit=unit, stated=stated, implied=implied, note=note)


def _cut(ctx: Context, check: str, key: Hashable, count: int, what: Callable[[], str],
         claims: Callable[[], Sequence[str]], metric: str | None, period: Period | None
         ) -> Judged:
    """Say that a question had more combinations of claims than were checked."""
    if count > MAX_COMBINATIONS:
        yield (("cut", key), _finding(
            ctx, check=check, verdict="unverifiable", claims=claims(), metric=metric,
            period=period, note="cut",
            explanation=lambda: f"{count} combinations of claims for {what()}; only the "
                                f"first {MAX_COMBINATIONS} were checked"))


def _verdict(ok: bool) -> Verdict:
    return "consistent" if ok else "conflict"


def _shallowest(items: Sequence[T], depth: Callable[[T], int]) -> list[T]:
    """The items resting on the fewest derivation steps.

    Deeper chains mostly restate what shallower ones show, and there are many more of
    them; the joint analysis (the solver) weighs every chain at once. The choice does
    not depend on the reading, so verdicts can be compared across readings.
    """
    if not items:
        return []
    least = min(depth(i) for i in items)
    return [i for i in items if depth(i) == least]


# -- agreement -------------------------------------------------------------------------------


def _agreement_key(ctx: Context, claim: Claim) -> Hashable:
    kind = claim.kind
    if kind == "level":
        return ("level", claim.metric, claim.period)
    if kind in ("change", "direction"):
        return (kind, claim.metric, claim.period, ctx.base(claim))
    rank = claim.rank
    assert rank is not None
    return ("rank", claim.metric, claim.period, rank.extreme, rank.scope, rank.since,
            ctx.base(claim) if rank.about_changes else None)


def agreement(ctx: Context) -> Judged:
    for claim in ctx.foreign:
        assert claim.value is not None
        yield (("currency", claim.id), _finding(
            ctx, check="agreement", verdict="unverifiable", claims=(claim.id,),
            metric=claim.metric, period=claim.period, unit=claim.value.unit,
            stated=ctx.interval(claim), note="different currency",
            explanation=functools.partial(_other_currency, ctx, claim)))
    foreign = {c.id for c in ctx.foreign}
    groups: dict[Hashable, list[Claim]] = defaultdict(list)
    for claim in ctx.claims:
        if claim.id not in foreign and (claim.value is not None or claim.kind != "change"):
            groups[_agreement_key(ctx, claim)].append(claim)
    reuses = ctx.reuses
    for members in groups.values():
        for a, b in itertools.combinations(members, 2):
            if a.source != b.source:
                if reuses and ctx.alike((a, b)):
                    yield (("pair", a.id, b.id), SAME)
                else:
                    yield (("pair", a.id, b.id), _agree(ctx, a, b))


def _other_currency(ctx: Context, claim: Claim) -> str:
    """A level in another currency than its metric's, left out of every check."""
    assert claim.value is not None
    return (f"{ctx.outlet(claim)} gives {claim.metric} for {w.label(claim.period)} as "
            f"{w.figure_text(claim.value)}, in {claim.value.unit} rather than "
            f"{ctx.unit(claim.metric)}; currencies are never converted, so this figure is "
            f"left out of every check")


def _agree(ctx: Context, a: Claim, b: Claim) -> Finding:
    metric = a.metric
    kind = a.kind
    if kind in ("level", "change"):
        assert a.value is not None and b.value is not None
        sa, sb = ctx.interval(a), ctx.interval(b)
        unit = ctx.unit(metric) if kind == "level" else "%"
        ok = sa.overlaps(sb)
        return _finding(ctx, check="agreement", verdict=_verdict(ok), claims=(a.id, b.id),
                        explanation=partial(_figures_agree, ctx, a, b, sa, sb, unit, ok),
                        metric=metric, period=a.period, unit=unit, stated=sa, implied=sb)
    if kind == "direction":
        ok = a.direction == b.direction
        return _finding(ctx, check="agreement", verdict=_verdict(ok), claims=(a.id, b.id),
                        explanation=partial(_directions_agree, ctx, a, b, ok),
                        metric=metric, period=a.period)
    return _finding(ctx, check="agreement", verdict="consistent", claims=(a.id, b.id),
                    explanation=partial(_ranks_agree, ctx, a, b), metric=metric,
                    period=a.period)


def _figures_agree(ctx: Context, a: Claim, b: Claim, sa: Interval, sb: Interval, unit: str,
                   ok: bool) -> str:
    """Two levels, or two changes, of one metric and period held against each other."""
    assert a.value is not None and b.value is not None
    metric = a.metric
    oa, ob, label = ctx.outlet(a), ctx.outlet(b), w.label(a.period)
    if a.kind == "level":
        said = (f"{oa} gives {metric} for {label} as {ctx.figure(a)} "
                f"and {ob} as {ctx.figure(b)}")
    else:
        said = (f"{oa} gives {metric} for {label} as {ctx.change_words(a)} "
                f"{w.comparison_words(a)} and {ob} as {ctx.change_words(b)}")
    return said + (", which agree" if ok else f": {w.gap_words(sb - sa, unit)}")


def _directions_agree(ctx: Context, a: Claim, b: Claim, ok: bool) -> str:
    """Two directions of one metric and period held against each other."""
    said = (f"{ctx.outlet(a)} says {a.metric} {_moved(a)} in {w.label(a.period)} "
            f"{w.comparison_words(a)} and {ctx.outlet(b)} says it {_moved(b)}")
    return said + ("" if ok else ", which cannot both be true")


def _ranks_agree(ctx: Context, a: Claim, b: Claim) -> str:
    """Two rankings that say the same."""
    assert a.rank is not None
    return (f"{ctx.outlet(a)} and {ctx.outlet(b)} both call {a.metric} for "
            f"{w.label(a.period)} {_rank_words(a.rank)}")


def _moved(claim: Claim) -> str:
    return "rose" if claim.direction == "up" else "fell"


def _rank_words(rank: Rank) -> str:
    if rank.scope is not None:
        return f"the {rank.extreme} of {w.label(rank.scope)}"
    if rank.since is not None:
        return f"the {rank.extreme} since {w.label(rank.since)}"
    return f"the {rank.extreme} on record"


# -- components ----------------------------------------------------------------------------


def components(ctx: Context) -> Judged:
    for identity in ctx.identities:
        members = (identity.whole, *identity.parts)
        periods = sorted(set().union(*(ctx.level_periods.get(m, ()) for m in members)),
                         key=by_order)
        for period in periods:
            slots = [ctx.levels.get((m, period), []) for m in members]
            yield from _replayed(
                ctx, ("components", members, period),
                functools.partial(_components_at, ctx, identity, members, period, slots),
                functools.partial(_in_slots, slots))


def _components_at(ctx: Context, identity: Identity, members: tuple[str, ...],
                   period: Period, slots: list[list[Claim]]) -> Judged:
    known = [i for i, s in enumerate(slots) if s]
    if len(known) < 2:
        return
    missing = [members[i] for i, s in enumerate(slots) if not s]
    if len(missing) > 1 and not slots[0]:
        return  # parts alone only bound the whole from below
    combos, count = combinations([slots[i] for i in known])
    reuses = ctx.reuses
    for combo in combos:
        if reuses and ctx.alike(combo):
            yield ("components", tuple(c.id for c in combo)), SAME
        else:
            yield _component(ctx, members, known, combo, missing, period)
    if count > MAX_COMBINATIONS:
        yield from _cut(ctx, "components", (str(identity), period), count,
                        lambda: f"{identity} in {w.label(period)}",
                        lambda: [c.id for i in known for c in slots[i]],
                        identity.whole, period)


def _in_slots(slots: Iterable[Iterable[Claim]]) -> Iterator[Claim]:
    """The claims of every slot, in order."""
    for slot in slots:
        yield from slot


def _term(ctx: Context, claim: Claim) -> str:
    return f"{claim.metric} {ctx.said(claim)}"


def _component(ctx: Context, members: tuple[str, ...], known: list[int],
               combo: tuple[Claim, ...], missing: list[str], period: Period
               ) -> tuple[Hashable, Finding]:
    """The one finding of a combination of claims of an identity's members."""
    whole_metric = members[0]
    unit = ctx.unit(whole_metric)
    # the slots known are in order: the whole's first, when it is known
    whole = combo[0] if known[0] == 0 else None
    parts = combo[1:] if whole is not None else combo
    parts_sum = ctx.sum_of(parts)
    ids = tuple([c.id for c in combo])  # the whole's (if known), then the parts'
    key = ("components", ids)
    if whole is not None and not missing:
        stated = ctx.interval(whole)
        ok = stated.overlaps(parts_sum)
        return key, _finding(
            ctx, check="components", verdict=_verdict(ok), claims=ids,
            explanation=partial(_parts_fit, ctx, period, parts, parts_sum, unit, whole,
                                whole_metric, stated, ok),
            metric=whole_metric, period=period, unit=unit, stated=stated, implied=parts_sum)
    if whole is None:
        target = missing[0]
        if ctx.nonnegative(target) and parts_sum.high < 0:
            # a signed part (a deficit) larger than the other parts: the whole would be < 0
            return key, _finding(
                ctx, check="components", verdict="conflict", claims=ids, metric=target,
                period=period, unit=unit, implied=parts_sum,
                explanation=partial(_parts_imply, ctx, period, parts, target, parts_sum,
                                    unit, "below zero"))
        return key, _finding(
            ctx, check="components", verdict="consistent", claims=ids, metric=target,
            period=period, unit=unit,
            implied=parts_sum if not ctx.nonnegative(target) else w.nonnegative(parts_sum),
            explanation=partial(_parts_imply, ctx, period, parts, target, parts_sum, unit,
                                "which no claim states"))
    implied = ctx.interval(whole) - parts_sum
    target = missing[0] if len(missing) == 1 else " + ".join(missing)
    flows = all(ctx.nonnegative(m) for m in missing)
    ok = not flows or implied.high >= 0
    shown = w.nonnegative(implied) if flows and ok else implied
    assert shown is not None
    return key, _finding(
        ctx, check="components", verdict=_verdict(ok), claims=ids,
        explanation=partial(_rest_of_whole, ctx, period, parts, unit, whole, whole_metric,
                            target, implied, shown, ok),
        metric=target if len(missing) == 1 else None, period=period, unit=unit,
        implied=shown)


def _terms(ctx: Context, parts: Sequence[Claim]) -> str:
    return " + ".join(_term(ctx, c) for c in parts)


def _parts_fit(ctx: Context, period: Period, parts: Sequence[Claim], parts_sum: Interval,
               unit: str, whole: Claim, whole_metric: str, stated: Interval, ok: bool) -> str:
    """The parts' sum held against the whole's claimed figure."""
    text = (f"For {w.label(period)}, {_terms(ctx, parts)} = "
            f"{w.amount_range(parts_sum, unit)}, "
            f"{'and' if ok else 'but'} {ctx.outlet(whole)} gives the {whole_metric} "
            f"as {ctx.figure(whole)}")
    return text + (", which fits" if ok
                   else f": {w.gap_words(parts_sum - stated, unit)}")


def _parts_imply(ctx: Context, period: Period, parts: Sequence[Claim], target: str,
                 parts_sum: Interval, unit: str, ending: str) -> str:
    """The whole no claim states, from its parts."""
    return (f"For {w.label(period)}, {_terms(ctx, parts)} imply {target} of "
            f"{w.amount_range(parts_sum, unit)}, {ending}")


def _rest_of_whole(ctx: Context, period: Period, parts: Sequence[Claim], unit: str,
                   whole: Claim, whole_metric: str, target: str, implied: Interval,
                   shown: Interval, ok: bool) -> str:
    """The missing parts, from the whole and the other parts."""
    if ok:
        return (f"For {w.label(period)}, the {whole_metric} {ctx.said(whole)} − "
                f"{_terms(ctx, parts)} implies {target} of {w.amount_range(shown, unit)}, "
                f"which no claim states")
    return (f"For {w.label(period)}, {_terms(ctx, parts)} already exceed the {whole_metric} "
            f"{ctx.said(whole)}: {target} would have to be "
            f"{w.amount_range(implied, unit)}, below zero")


def _value(claim: Claim) -> Figure:
    assert claim.value is not None
    return claim.value


# -- aggregation -----------------------------------------------------------------------------


def aggregation(ctx: Context) -> Judged:
    by_metric: dict[str, list[Period]] = defaultdict(list)
    for metric, period in ctx.levels:
        by_metric[metric].append(period)
    for metric in sorted(by_metric):
        if not ctx.flow(metric):
            continue
        periods = sorted(by_metric[metric], key=by_order)
        yield from _replayed(
            ctx, ("aggregation", metric),
            functools.partial(_aggregation_of, ctx, metric, periods),
            functools.partial(_in_slots, [ctx.levels[(metric, p)] for p in periods]))


def _aggregation_of(ctx: Context, metric: str, periods: list[Period]) -> Judged:
    for period in periods:
        if period.is_month:
            continue
        tiled = ctx.tiled(metric, period)  # tiling(period, periods), and what it leaves
        if tiled is None:
            continue
        pieces, gaps = tiled
        slots = [ctx.levels[(metric, period)],
                 *(ctx.levels[(metric, p)] for p in pieces)]
        combos, count = combinations(slots)
        for combo in combos:
            if ctx.reuses and ctx.alike(combo):
                yield ("aggregation", tuple(c.id for c in combo)), SAME
            else:
                yield _aggregate(ctx, metric, period, gaps, combo)
        if count > MAX_COMBINATIONS:
            yield from _cut(ctx, "aggregation", (metric, period), count,
                            functools.partial(_with_parts, metric, period),
                            functools.partial(_ids, slots), metric, period)


def _with_parts(metric: str, period: Period) -> str:
    return f"{metric} for {w.label(period)} and its parts"


def _ids(slots: Iterable[Iterable[Claim]]) -> list[str]:
    return [c.id for slot in slots for c in slot]


def _pieces_words(ctx: Context, metric: str, parts: Sequence[Claim]) -> str:
    if len(parts) <= 4:
        return " + ".join(f"{ctx.said(c)} for {w.label(c.period)}" for c in parts)
    outlets = w.joined(list(dict.fromkeys(ctx.outlet(c) for c in parts)))
    return (f"the {len(parts)} figures for {w.label(parts[0].period)} to "
            f"{w.label(parts[-1].period)} ({outlets})")


def _aggregate(ctx: Context, metric: str, period: Period, gaps: list[Period],
               combo: tuple[Claim, ...]) -> tuple[Hashable, Finding]:
    """The one finding of a claimed period against claimed sub-periods."""
    whole, parts = combo[0], combo[1:]
    unit = ctx.unit(metric)
    stated = ctx.interval(whole)
    parts_sum = ctx.sum_of(parts)
    ids = tuple([c.id for c in combo])
    key = ("aggregation", ids)
    if not gaps:
        ok = stated.overlaps(parts_sum)
        return key, _finding(
            ctx, check="aggregation", verdict=_verdict(ok), claims=ids,
            explanation=partial(_pieces_fit, ctx, metric, period, whole, parts, parts_sum,
                                unit, stated, ok),
            metric=metric, period=period, unit=unit, stated=stated, implied=parts_sum)
    rest = stated - parts_sum
    signed = not ctx.nonnegative(metric)  # a balance's other months may be negative
    ok = signed or rest.high >= 0
    target = gaps[0] if len(gaps) == 1 else period
    if ok:
        shown = rest if signed else w.nonnegative(rest)
        assert shown is not None
    else:
        shown = rest
    return key, _finding(
        ctx, check="aggregation", verdict=_verdict(ok), claims=ids,
        explanation=partial(_pieces_leave, ctx, metric, period, gaps, whole, parts,
                            parts_sum, unit, rest, shown, ok),
        metric=metric, period=target, unit=unit, implied=shown)


def _added(ctx: Context, metric: str, parts: Sequence[Claim], parts_sum: Interval,
           unit: str) -> str:
    return (f"{metric} {_pieces_words(ctx, metric, parts)} = "
            f"{w.amount_range(parts_sum, unit)}")


def _pieces_fit(ctx: Context, metric: str, period: Period, whole: Claim,
                parts: Sequence[Claim], parts_sum: Interval, unit: str, stated: Interval,
                ok: bool) -> str:
    """Sub-periods covering a claimed period, their sum held against it."""
    text = (f"{_added(ctx, metric, parts, parts_sum, unit)}, {'and' if ok else 'but'} "
            f"{ctx.outlet(whole)} gives {w.label(period)} as {ctx.figure(whole)}")
    return text + (", which fits" if ok
                   else f": {w.gap_words(parts_sum - stated, unit)}")


def _pieces_leave(ctx: Context, metric: str, period: Period, gaps: list[Period],
                  whole: Claim, parts: Sequence[Claim], parts_sum: Interval, unit: str,
                  rest: Interval, shown: Interval, ok: bool) -> str:
    """What the claimed sub-periods of a claimed period leave for its other months."""
    label, where = w.label(period), w.label_periods(gaps)
    if ok:
        return (f"{metric} for {label} is {ctx.said(whole)} and "
                f"{_added(ctx, metric, parts, parts_sum, unit)}, so {where} "
                f"must total {w.amount_range(shown, unit)}")
    return (f"{_added(ctx, metric, parts, parts_sum, unit)}, more than the "
            f"{ctx.figure(whole)} {ctx.outlet(whole)} gives for {label}: {where} would "
            f"have to total {w.amount_range(rest, unit)}, below zero")


# -- growth --------------------------------------------------------------------------------


def _usable_for(estimate: Estimate, change: Claim) -> bool:
    """Whether *estimate* may be held against *change* (it does not lean on that change)."""
    base = change.base_period
    assert base is not None
    return (change.id not in estimate.uses
            and link(change.metric, change.period, base) not in estimate.links)


def _replayed(ctx: Context, question: Hashable, asked: Callable[[], Judged],
              claims: Callable[[], Iterable[Claim]],
              slots: Callable[[], Iterable[tuple[str, Period]]] = tuple) -> Judged:
    """Ask *question*, or replay the like context's keys when its answer is at hand.

    A context that records questions (see :meth:`Context.asked`) notes the keys each
    one yields; a context built like it, where the question's claims and slots are
    the same, yields those keys with :data:`SAME` instead of asking again.
    """
    keys = ctx.asked(question, claims(), slots()) if ctx.replays else None
    if keys is not None:
        for key in keys:
            yield key, SAME
        return
    record = ctx.questions
    if record is None:
        yield from asked()
        return
    noted = record[question] = []
    for key, finding in asked():
        noted.append(key)
        yield key, finding


def growth(ctx: Context) -> Judged:
    for change in ctx.change_claims():
        base = ctx.base(change)
        assert base is not None
        yield from _replayed(
            ctx, ("growth", change.id), functools.partial(_growth, ctx, change),
            functools.partial(_growth_claims, ctx, change),
            functools.partial(_growth_slots, change, base))


def _growth_slots(change: Claim, base: Period) -> tuple[tuple[str, Period], ...]:
    """The two slots a growth question reads: its period's and its base's."""
    return ((change.metric, change.period), (change.metric, base))


def _growth_claims(ctx: Context, change: Claim) -> Iterator[Claim]:
    """The claims a growth question reads besides the estimates of its two slots."""
    yield change
    for identity in ctx.identities:
        if identity.whole == change.metric:
            for part in identity.parts:
                yield from ctx.levels.get((part, change.period), ())
                yield from ctx.changes.get((part, change.period), ())


def _growth(ctx: Context, change: Claim) -> Judged:
    metric, period, base = change.metric, change.period, ctx.base(change)
    assert base is not None and change.value is not None
    stated = ctx.interval(change)
    own, pair = change.id, link(metric, period, base)  # as _usable_for, once
    currents = [e for e in ctx.of(metric, period)
                if own not in e.uses and not (e.links and pair in e.links)]
    priors = [e for e in ctx.of(metric, base)
              if own not in e.uses and not (e.links and pair in e.links)]
    pairs = _shallowest([(x, y) for x in currents for y in priors
                         if x.uses.isdisjoint(y.uses)],
                        lambda pair: pair[0].depth + pair[1].depth)
    found = False
    for x, y in pairs[:MAX_COMBINATIONS]:
        r = ratio(x.interval, y.interval)
        if r is None:
            continue
        found = True
        yield (("pair", change.id, x.claims, y.claims),
               _growth_pair(ctx, change, stated, x, y, percent_change(r)))
    if len(pairs) > MAX_COMBINATIONS:
        yield from _cut(ctx, "growth", ("pairs", change.id), len(pairs),
                        lambda: f"the change {change.id}", lambda: [change.id],
                        metric, period)
    for key, finding in _growth_from_parts(ctx, change, stated):
        found = True
        yield key, finding
    if not found:
        yield from _growth_implied(ctx, change, stated, currents, priors)


def _says(ctx: Context, change: Claim) -> str:
    assert change.value is not None
    return (f"{ctx.outlet(change)} says {change.metric} was {ctx.change_words(change)} "
            f"{w.comparison_words(change)}")


def _growth_pair(ctx: Context, change: Claim, stated: Interval, x: Estimate, y: Estimate,
                 implied: Interval) -> Finding:
    unit = ctx.unit(change.metric)
    base = ctx.base(change)
    assert base is not None
    ok = stated.overlaps(implied)
    return _finding(ctx, check="growth", verdict=_verdict(ok),
                    claims=[change.id, *x.claims, *y.claims],
                    explanation=partial(_pair_against, ctx, change, base, stated, x, y, unit,
                                        implied, ok),
                    metric=change.metric, period=change.period, unit="%", stated=stated,
                    implied=implied)


def _pair_against(ctx: Context, change: Claim, base: Period, stated: Interval, x: Estimate,
                  y: Estimate, unit: str, implied: Interval, ok: bool) -> str:
    """A stated change held against a pair of estimates of its period and base."""
    said = (f"{x.phrase(unit)} for {w.label(change.period)} against {y.phrase(unit)} "
            f"for {w.label(base)} is {w.change_range(implied)}, "
            f"{'and' if ok else 'but'} {_says(ctx, change)}")
    return said + ("" if ok else f": {w.gap_words(implied - stated, '%')}")


def weighted_growth(levels: Sequence[Interval], factors: Sequence[Interval]) -> Interval | None:
    """The range of ``sum(x) / sum(x / r)``: a whole's growth factor from its parts'.

    For fixed factors the expression is a ratio of two linear forms in the levels, so
    its extremes over a box lie at corners; it grows with every factor. So the lowest
    value is at a corner of the levels with every factor at its low end, the highest
    with every factor at its high end — exact, where plain interval arithmetic would
    treat the current and prior totals as unrelated and lose the information.
    """
    if any(x.low <= 0 or not x.high.is_finite() for x in levels):
        return None
    if any(r.low <= 0 for r in factors):
        return None
    lows: list[Decimal] = []
    highs: list[Decimal] = []
    for corner in itertools.product(*((x.low, x.high) for x in levels)):
        current = total(Interval.point(v) for v in corner)
        for end, out in (("low", lows), ("high", highs)):
            prior = total(_point_quotient(v, getattr(r, end))
                          for v, r in zip(corner, factors, strict=True))
            if prior.low <= 0:
                out.append(INF)
                continue
            out.append(_point_over(current.low, prior, low=end == "low"))
    return Interval(min(lows), max(highs))


def _point_quotient(a: Decimal, b: Decimal) -> Interval:
    """``[a, a] / [b, b]`` for a finite *a* and a positive *b*, rounded outward."""
    if b.is_finite():
        return _made(_DOWN.divide(a, b), _UP.divide(a, b))
    return Interval.point(a) / Interval.point(b)


def _point_over(a: Decimal, divisor: Interval, *, low: bool) -> Decimal:
    """One end of ``[a, a] / divisor`` (finite, positive): the low one or the high one.

    As ``Interval.__truediv__`` finds it (the first of equal candidates), without
    working out the other end.
    """
    if not (divisor.low.is_finite() and divisor.high.is_finite()):
        quotient = Interval.point(a) / divisor
        return quotient.low if low else quotient.high
    if low:
        return min(_DOWN.divide(a, divisor.low), _DOWN.divide(a, divisor.high))
    return max(_UP.divide(a, divisor.low), _UP.divide(a, divisor.high))


def _growth_from_parts(ctx: Context, change: Claim, stated: Interval) -> Judged:
    """The whole's change held against its parts' levels and changes, kept correlated."""
    base = ctx.base(change)
    assert base is not None
    for identity in ctx.identities:
        if identity.whole != change.metric:
            continue
        slots: list[list[tuple[Claim, Claim]]] = []
        for part in identity.parts:
            levels = ctx.levels.get((part, change.period), [])
            changes = [c for c in ctx.changes.get((part, change.period), [])
                       if c.value is not None and ctx.base(c) == base]
            slots.append([(lv, ch) for lv in levels for ch in changes])
        if any(not s for s in slots):
            continue
        combos, count = combinations(slots)
        for combo in combos:
            factors = [growth_factor(ctx.interval(ch), flow=True) for _, ch in combo]
            if any(f is None for f in factors):
                continue
            r = weighted_growth([ctx.interval(lv) for lv, _ in combo],
                                [f for f in factors if f is not None])
            if r is None:
                continue
            implied = percent_change(r)
            ok = stated.overlaps(implied)

            def text(combo: tuple[tuple[Claim, Claim], ...] = combo,
                     implied: Interval = implied, ok: bool = ok) -> str:
                parts_words = w.joined([
                    f"{lv.metric} {ctx.said(lv)} {ctx.change_words(ch)} "
                    f"({ctx.outlet(ch)})" for lv, ch in combo])
                said = (f"For {w.label(change.period)}, {parts_words} imply "
                        f"{w.change_range(implied)} in {change.metric} "
                        f"{w.comparison_words(change)}, {'and' if ok else 'but'} "
                        f"{ctx.outlet(change)} says {ctx.change_words(change)}")
                return said + ("" if ok else f": {w.gap_words(implied - stated, '%')}")

            ids = [c.id for pair in combo for c in pair]
            yield (("parts", change.id, tuple(ids)), _finding(
                ctx, check="growth", verdict=_verdict(ok), claims=[change.id, *ids],
                explanation=text, metric=change.metric, period=change.period, unit="%",
                stated=stated, implied=implied))
        if count > MAX_COMBINATIONS:
            yield from _cut(ctx, "growth", ("parts", change.id), count,
                            lambda: f"the parts of {change.metric} behind {change.id}",
                            lambda: [change.id], change.metric, change.period)


def _growth_implied(ctx: Context, change: Claim, stated: Interval,
                    currents: list[Estimate], priors: list[Estimate]) -> Judged:
    """No pair to test: report the prior (or current) value the change implies."""
    metric, period, base = change.metric, change.period, ctx.base(change)
    assert base is not None and change.value is not None
    unit = ctx.unit(metric)
    factor = growth_factor(stated, flow=ctx.nonnegative(metric))

    def implies(e: Estimate, implied: Interval, at: Period, to: Period) -> Callable[[], str]:
        def text() -> str:
            assert change.value is not None
            words = (f"{ctx.change_words(change)} {w.comparison_words(change)} "
                     f"({ctx.outlet(change)})")
            return (f"{e.phrase(unit)} for {w.label(at)}, {words}, implies "
                    f"{w.amount_range(implied, unit)} for {w.label(to)}, which no "
                    f"claim states")
        return text

    shown = [e for e in currents if e.claimed] or currents
    for x in shown:
        implied = None if factor is None else ratio(x.interval, factor)
        if implied is None:
            continue
        yield (("implied", change.id, x.claims), _finding(
            ctx, check="growth", verdict="unverifiable", claims=[change.id, *x.claims],
            metric=metric, period=base, unit=unit, implied=implied,
            explanation=implies(x, implied, period, base)))
    if shown:
        return
    shown = [e for e in priors if e.claimed] or priors
    for y in shown:
        if factor is None:
            continue
        implied = y.interval * factor
        yield (("implied", change.id, y.claims), _finding(
            ctx, check="growth", verdict="unverifiable", claims=[change.id, *y.claims],
            metric=metric, period=period, unit=unit, implied=implied,
            explanation=implies(y, implied, base, period)))
    if shown:
        return
    yield (("implied", change.id), _finding(
        ctx, check="growth", verdict="unverifiable", claims=[change.id], metric=metric,
        period=period, unit="%", stated=stated,
        explanation=lambda: f"{_says(ctx, change)} in {w.label(period)}, but the ledger has "
                            f"no {metric} for {w.label(period)} or {w.label(base)} to hold "
                            f"it against"))


# -- changes as evidence (direction, first decline) ----------------------------------------


@attrs.frozen(kw_only=True)
class _Evidence:
    """What one claim or pair of levels says about a change: can it be up or down."""

    claims: tuple[str, ...]
    describe: Callable[[], str]
    change: Interval | None
    up_possible: bool
    up_certain: bool
    down_possible: bool
    down_certain: bool

    @property
    def words(self) -> str:
        """What the evidence says, in words."""
        return self.describe()

    def possible(self, up: bool) -> bool:
        return self.up_possible if up else self.down_possible

    def certain(self, up: bool) -> bool:
        return self.up_certain if up else self.down_certain


def _evidence(ctx: Context, metric: str, period: Period, base: Period,
              exclude: str | None = None, up: bool | None = None) -> list[_Evidence]:
    """Every stated change, direction and pair of levels on *metric* from *base* to *period*.

    "Up" means strictly greater: a rise is possible when some admitted current value
    exceeds some admitted prior value, so figures that overlap can never refute it,
    while figures that only touch can (their one shared value is no change at all).
    With *up* given (for a direction claim), only the pairs of levels resting on the
    fewest derivation steps are kept.
    """
    found: list[_Evidence] = []
    for change in ctx.changes.get((metric, period), []):
        if change.id == exclude or change.value is None or ctx.base(change) != base:
            continue
        g = ctx.interval(change)
        found.append(_Evidence(
            claims=(change.id,), change=g,
            describe=functools.partial(_gives_change, ctx, change),
            up_possible=g.high > 0, up_certain=g.low > 0,
            down_possible=g.low < 0, down_certain=g.high < 0))
    for direction in ctx.directions.get((metric, period), []):
        if direction.id == exclude or ctx.base(direction) != base:
            continue
        up = direction.direction == "up"
        found.append(_Evidence(
            claims=(direction.id,), change=None,
            describe=functools.partial(_says_moved, ctx, direction),
            up_possible=up, up_certain=up, down_possible=not up, down_certain=not up))
    pair = link(metric, period, base)
    unit = ctx.unit(metric)
    currents = [e for e in ctx.of(metric, period) if not (e.links and pair in e.links)]
    priors = [e for e in ctx.of(metric, base) if not (e.links and pair in e.links)]
    pairs = [(x, y) for x in currents for y in priors if disjoint(x, y)]
    if up is not None:
        pairs = _shallowest(pairs, lambda pair: pair[0].depth + pair[1].depth)
    for x, y in pairs[:MAX_COMBINATIONS]:
        cur, pri = x.interval, y.interval
        r = ratio(cur, pri)
        change_interval = None if r is None else percent_change(r)
        found.append(_Evidence(
            claims=(*x.claims, *y.claims), change=change_interval,
            describe=functools.partial(_levels_against, x, y, unit, base, change_interval),
            up_possible=cur.high > pri.low, up_certain=cur.low > pri.high,
            down_possible=cur.low < pri.high, down_certain=cur.high < pri.low))
    return found


def _gives_change(ctx: Context, change: Claim) -> str:
    return f"{ctx.outlet(change)} gives the change as {ctx.change_words(change)}"


def _says_moved(ctx: Context, direction: Claim) -> str:
    return f"{ctx.outlet(direction)} says it {_moved(direction)}"


def _levels_against(x: Estimate, y: Estimate, unit: str, base: Period,
                    change: Interval | None) -> str:
    return (f"{x.phrase(unit)} against {y.phrase(unit)} for {w.label(base)}"
            + ("" if change is None else f" is {w.change_range(change)}"))


# -- rank ----------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class _Rival:
    """A value some comparable period certainly reaches (for "highest") or stays under."""

    interval: Interval
    claims: tuple[str, ...]
    describe: Callable[[], str]

    @property
    def words(self) -> str:
        """The rival, in words."""
        return self.describe()


def _in_range(ctx: Context, claim: Claim, q: Period) -> bool:
    """Whether period *q* lies where the rank claim compares (before publication)."""
    rank, p = claim.rank, claim.period
    assert rank is not None
    if rank.scope is not None:
        ok = rank.scope.contains(q) and not q.overlaps(p)
    elif rank.since is not None:
        ok = rank.since.last < q.first and q.last < p.first
    else:
        ok = q.last < p.first
    published = ctx.ledger.source_of(claim).published
    if published is not None:
        ok = ok and q.last < published.year * 12 + published.month - 1
    return ok


def _like(p: Period, q: Period) -> bool:
    """Whether *q* is a period of the same kind as *p* (same length, same alignment)."""
    if q.length != p.length or q == p:
        return False
    step = 12 if p.kind == "span" else p.length
    return (q.first - p.first) % step == 0


def _top_rival(ctx: Context, claim: Claim, highest: bool) -> _Rival | None:
    """The rival a ranking is held against: the one certainly reaching highest (lowest).

    Rivals are the estimates of every comparable period, in order, and for a flow the
    average share of a longer period's estimates; the top one is the first of those
    with the highest low end (for "highest", else the lowest high end), as ``max``
    (``min``) would pick it from all of them: only that one is made a :class:`_Rival`.
    """
    metric, p = claim.metric, claim.period
    best: tuple[Decimal, Estimate, Period, Interval | None] | None = None
    for q in ctx.periods_of(metric):
        if _like(p, q) and _in_range(ctx, claim, q):
            for e in ctx.of(metric, q):
                v = e.interval.low if highest else e.interval.high
                if best is None or (v > best[0] if highest else v < best[0]):
                    best = (v, e, q, None)
        elif ctx.flow(metric) and q.length > p.length and q.length % p.length == 0 \
                and (q.first - p.first) % p.length == 0 and _bounds(ctx, claim, q):
            # A longer period's total: some sub-period of it (other than p) reaches
            # its average; if p is the highest, p is at least that average.
            n = q.length // p.length
            for e in ctx.of(metric, q):
                share = e.interval / Interval.point(n)
                v = share.low if highest else share.high
                if best is None or (v > best[0] if highest else v < best[0]):
                    best = (v, e, q, share)
    if best is None:
        return None
    unit = ctx.unit(metric)
    _, top, q, average = best
    if average is None:
        return _Rival(interval=top.interval, claims=top.claims,
                      describe=functools.partial(_rival_words, top, unit, q))
    return _Rival(interval=average, claims=top.claims,
                  describe=functools.partial(_average_words, top, unit, p, q, average))


def _rival_words(e: Estimate, unit: str, q: Period) -> str:
    return f"{e.phrase(unit)} for {w.label(q)}"


def _average_words(e: Estimate, unit: str, p: Period, q: Period, share: Interval) -> str:
    return (f"the average {_kind_name(p)} of {w.label(q)} "
            f"({w.amount_range(share, unit)}, from {e.phrase(unit)})")


def _bounds(ctx: Context, claim: Claim, z: Period) -> bool:
    """Whether every piece of *z* other than the claim's period is a compared period."""
    p = claim.period
    if z.overlaps(p) and not z.contains(p):
        return False
    pieces = [Period(first=s, last=s + p.length - 1)
              for s in range(z.first, z.last + 1, p.length)]
    return all(piece == p or _in_range(ctx, claim, piece) for piece in pieces)


def _kind_name(period: Period) -> str:
    return {"month": "month", "quarter": "quarter", "half": "half-year",
            "year": "year"}.get(period.kind, "period")


def rank(ctx: Context) -> Judged:
    for claim in ctx.ranks:
        assert claim.rank is not None
        if claim.rank.about_changes:
            yield from _first_change(ctx, claim)
        else:
            yield from _extreme(ctx, claim)


def _extreme(ctx: Context, claim: Claim) -> Judged:
    rank_ = claim.rank
    assert rank_ is not None
    metric, p = claim.metric, claim.period
    unit = ctx.unit(metric)
    highest = rank_.extreme == "highest"
    candidates = [e for e in ctx.of(metric, p) if e.claimed] or ctx.of(metric, p)
    if not candidates:

        def nothing() -> str:
            assert rank_ is not None
            label = w.label(p)
            return (f"{ctx.outlet(claim)} calls {metric} for {label} {_rank_words(rank_)}, "
                    f"but the ledger has no {metric} for {label} to rank")

        yield (("rank", claim.id, ()), _finding(
            ctx, check="rank", verdict="unverifiable", claims=[claim.id], metric=metric,
            period=p, unit=unit, explanation=nothing))
        return
    top_rival = _top_rival(ctx, claim, highest)
    floor = Decimal(0) if ctx.nonnegative(metric) else -INF
    more = "higher" if highest else "lower"
    for own in candidates:
        stated = own.interval
        if top_rival is None:
            yield (("rank", claim.id, own.claims), _finding(
                ctx, check="rank", verdict="unverifiable", claims=[claim.id, *own.claims],
                metric=metric, period=p, unit=unit, stated=stated,
                explanation=functools.partial(_unranked, ctx, claim, own, unit)))
        else:
            top = top_rival
            if highest:
                implied = Interval(top.interval.low, INF)
            else:
                implied = Interval(min(floor, top.interval.high), top.interval.high)
            ok = stated.overlaps(implied)

            def text(own: Estimate = own, top: _Rival = top, ok: bool = ok) -> str:
                head = _ranked(ctx, claim, own, unit)
                if ok:
                    return (f"{head}, and no {_kind_name(p)} in range is certainly "
                            f"{more}: the closest is {top.words}")
                return (f"{head}, but {top.words} is {more}: "
                        f"{w.gap_words(top.interval - own.interval, unit)}")

            yield (("rank", claim.id, own.claims), _finding(
                ctx, check="rank", verdict=_verdict(ok),
                claims=[claim.id, *own.claims, *top.claims], explanation=text,
                metric=metric, period=p, unit=unit, stated=stated, implied=implied))
        if rank_.since is not None:
            yield from _since(ctx, claim, own, highest)


def _unranked(ctx: Context, claim: Claim, own: Estimate, unit: str) -> str:
    """A ranking with nothing to compare it with."""
    return (f"{_ranked(ctx, claim, own, unit)}, but the ledger knows no other "
            f"{_kind_name(claim.period)} in range to compare it with")


def _ranked(ctx: Context, claim: Claim, own: Estimate, unit: str) -> str:
    """What a ranking says of one estimate: "Outlet A calls $x for May 2025 the highest of 2025"."""
    assert claim.rank is not None
    return (f"{ctx.outlet(claim)} calls {own.phrase(unit)} for {w.label(claim.period)} "
            f"{_rank_words(claim.rank)}")


def _since(ctx: Context, claim: Claim, own: Estimate, highest: bool) -> Judged:
    """"Highest since X": X itself was at least as high."""
    rank_ = claim.rank
    assert rank_ is not None and rank_.since is not None
    metric, since = claim.metric, rank_.since
    unit = ctx.unit(metric)
    known = ctx.of(metric, since)
    if not known:
        return
    if highest:
        top = min(known, key=lambda e: e.interval.high)
        implied = Interval(min(_ZERO, top.interval.high) if ctx.nonnegative(metric) else -INF,
                           top.interval.high)
    else:
        top = max(known, key=lambda e: e.interval.low)
        implied = Interval(top.interval.low, INF)
    ok = own.interval.overlaps(implied)

    def text() -> str:
        assert rank_ is not None
        said = (f"{ctx.outlet(claim)} calls {own.phrase(unit)} for {w.label(claim.period)} "
                f"{_rank_words(rank_)}, so {w.label(since)} was at least as "
                f"{'high' if highest else 'low'}; {top.phrase(unit)} for {w.label(since)}")
        return said + (" fits" if ok else
                       f" is not: {w.gap_words(top.interval - own.interval, unit)}")
    yield (("since", claim.id, own.claims), _finding(
        ctx, check="rank", verdict=_verdict(ok), claims=[claim.id, *own.claims, *top.claims],
        explanation=text, metric=metric, period=claim.period, unit=unit,
        stated=own.interval, implied=implied))


def _first_change(ctx: Context, claim: Claim) -> Judged:
    """"The first decline of 2025": a decline now, and none certain before in the scope."""
    rank_ = claim.rank
    assert rank_ is not None
    metric, p = claim.metric, claim.period
    up = rank_.extreme == "first increase"
    move = "increase" if up else "decline"

    def head() -> str:
        assert rank_ is not None
        return (f"{ctx.outlet(claim)} calls {w.label(p)} the first {move} in {metric} "
                f"{'of ' + w.label(rank_.scope) if rank_.scope else ''} "
                f"({w.comparison_words(claim)})").replace("  ", " ")

    now = _evidence(ctx, metric, p, claim.base_of(p), exclude=claim.id)
    earlier: list[tuple[Period, _Evidence]] = []
    known = {*ctx.periods_of(metric), *ctx.change_periods.get(metric, ()),
             *ctx.direction_periods.get(metric, ())}
    for q in sorted(known, key=by_order):
        if _like(p, q) and q.last < p.first and _in_range(ctx, claim, q):
            earlier.extend((q, e) for e in _evidence(ctx, metric, q, claim.base_of(q))
                           if e.certain(up))
    against = [e for e in now if not e.possible(up)]
    key = ("first", claim.id)
    if against:
        e = against[0]
        yield key, _finding(ctx, check="rank", verdict="conflict",
                            claims=[claim.id, *e.claims], metric=metric, period=p,
                            implied=e.change, unit="%",
                            explanation=lambda: f"{head()}, but {e.words}: no {move} in "
                                                f"{w.label(p)}")
    elif earlier:
        q, e = earlier[0]
        yield key, _finding(ctx, check="rank", verdict="conflict",
                            claims=[claim.id, *e.claims], metric=metric, period=p, unit="%",
                            explanation=lambda: f"{head()}, but for {w.label(q)} {e.words}: "
                                                f"an earlier {move}")
    elif now:
        e = now[0]
        yield key, _finding(ctx, check="rank", verdict="consistent",
                            claims=[claim.id, *(c for x in now for c in x.claims)],
                            metric=metric, period=p, implied=e.change, unit="%",
                            explanation=lambda: f"{head()}, and {e.words}, which fits; no "
                                                f"earlier {move} in range is certain")
    else:
        yield key, _finding(ctx, check="rank", verdict="unverifiable", claims=[claim.id],
                            metric=metric, period=p, unit="%",
                            explanation=lambda: f"{head()}, but the ledger says nothing "
                                                f"about the change in {w.label(p)}")


# -- direction -----------------------------------------------------------------------------


def direction(ctx: Context) -> Judged:
    for claims in ctx.directions.values():
        for claim in claims:
            metric, p, base = claim.metric, claim.period, ctx.base(claim)
            assert base is not None
            up = claim.direction == "up"
            evidence = _evidence(ctx, metric, p, base, exclude=claim.id, up=up)
            evidence = [e for e in evidence if len(e.claims) > 1 or
                        ctx.claim(e.claims[0]).kind != "direction"]
            if not evidence:
                yield (("direction", claim.id), _finding(
                    ctx, check="direction", verdict="unverifiable", claims=[claim.id],
                    metric=metric, period=p, unit="%",
                    explanation=functools.partial(_direction_alone, ctx, claim)))
                continue
            for e in evidence:
                ok = e.possible(up)
                yield (("direction", claim.id, e.claims), _finding(
                    ctx, check="direction", verdict=_verdict(ok), claims=[claim.id, *e.claims],
                    metric=metric, period=p, unit="%", implied=e.change,
                    explanation=functools.partial(_direction_against, ctx, claim, e, ok)))


def _direction_alone(ctx: Context, claim: Claim) -> str:
    """A direction claim with nothing to hold it against."""
    assert claim.base_period is not None
    return (f"{_says_direction(ctx, claim)}, but the ledger has no figures for "
            f"{w.label(claim.period)} and {w.label(claim.base_period)} to hold it against")


def _direction_against(ctx: Context, claim: Claim, e: _Evidence, ok: bool) -> str:
    """A direction claim held against one piece of evidence."""
    ending = (", which fits" if ok else
              f", so it cannot have {'risen' if claim.direction == 'up' else 'fallen'}")
    return f"{_says_direction(ctx, claim)}, and {e.words}{ending}"


def _says_direction(ctx: Context, claim: Claim) -> str:
    """What a direction claim says: "Outlet A says exports rose in May 2025 year on year"."""
    return (f"{ctx.outlet(claim)} says {claim.metric} {_moved(claim)} in "
            f"{w.label(claim.period)} {w.comparison_words(claim)}")


# -- parts ---------------------------------------------------------------------------------


def _parents(ctx: Context) -> dict[str, list[str]]:
    """Each metric's direct wholes: its ``part_of``, and wholes of identities of flows ≥ 0."""
    parents: dict[str, list[str]] = defaultdict(list)
    for m in ctx.metrics:
        if m.part_of is not None:
            parents[m.id].append(m.part_of)
    for i in ctx.identities:
        # a part is below its whole only when every other part is ≥ 0 too
        if all(ctx.nonnegative(x) for x in (i.whole, *i.parts)):
            for part in i.parts:
                if i.whole not in parents[part]:
                    parents[part].append(i.whole)
    return parents


def _ancestors(parents: dict[str, list[str]], metric: str) -> Iterator[str]:
    """Every flow *metric* is part of, nearest first (breadth first), each once."""
    seen = {metric}
    frontier = collections.deque([metric])
    while frontier:
        for parent in parents.get(frontier.popleft(), ()):
            if parent not in seen:
                seen.add(parent)
                frontier.append(parent)
                yield parent


class _Tightest:
    """For a metric and period, the ancestor whose shallowest figure has the lowest top.

    Memoised per (metric, period) and computed from the top down, so a chain of 3,000
    parts costs one pass per period rather than one walk up the chain per claim.
    """

    def __init__(self, ctx: Context, parents: dict[str, list[str]]) -> None:
        self.ctx = ctx
        self.parents = parents
        self.memo: dict[tuple[str, Period], tuple[Decimal, str | None]] = {}

    def own(self, metric: str, period: Period) -> Decimal:
        found = _shallowest(self.ctx.of(metric, period), lambda e: e.depth)
        return min((e.interval.high for e in found), default=INF)

    def above(self, metric: str, period: Period) -> tuple[Decimal, str | None]:
        """The lowest top among *metric*'s strict ancestors' figures, and whose it is."""
        key = (metric, period)
        if key in self.memo:
            return self.memo[key]
        # depth first without recursion: a chain may be thousands of metrics long
        stack = [metric]
        entered = {metric}
        while stack:
            node = stack[-1]
            todo = [p for p in self.parents.get(node, ()) if (p, period) not in self.memo
                    and p not in entered]
            if todo:
                stack.extend(todo)
                entered.update(todo)
                continue
            stack.pop()
            best: tuple[Decimal, str | None] = (INF, None)
            for p in self.parents.get(node, ()):
                for candidate in ((self.own(p, period), p), self.memo.get((p, period),
                                                                           (INF, None))):
                    if candidate[1] is not None and candidate[0] < best[0]:
                        best = candidate
            self.memo[(node, period)] = best
        return self.memo[key]


def parts(ctx: Context) -> Judged:
    """A part never exceeds a whole it is part of.

    Each part's figure is held against the nearest whole with a figure for the period,
    and also against the whole anywhere above whose figure is lowest, when that is
    another one: any whole the part exceeds, that one exceeds too, so no conflict is
    missed, while a chain of n parts gives about n findings rather than n²/2.
    """
    parents = _parents(ctx)
    tightest = _Tightest(ctx, parents)
    for metric in ctx.metrics:
        if metric.part_of is None:
            continue
        unit = metric.unit
        for period in sorted(ctx.level_periods.get(metric.id, ()), key=by_order):
            for claim in ctx.levels[(metric.id, period)]:
                stated = ctx.interval(claim)
                held: list[tuple[str, list[Estimate]]] = []
                for parent in _ancestors(parents, metric.id):
                    usable = [e for e in ctx.of(parent, period) if claim.id not in e.uses]
                    if usable:
                        held.append((parent, _shallowest(usable, lambda e: e.depth)))
                        break
                _, far = tightest.above(metric.id, period)
                if held and far is not None and far != held[0][0]:
                    if any(claim.id in e.uses for e in ctx.of(far, period)):
                        # the memo does not know which figures rest on this claim: walk
                        held.extend((p, _shallowest(u, lambda e: e.depth))
                                    for p in _ancestors(parents, metric.id)
                                    if p != held[0][0] and (u := [
                                        e for e in ctx.of(p, period)
                                        if claim.id not in e.uses]))
                    else:
                        nearest = min(e.interval.high for e in held[0][1])
                        lower = [e for e in _shallowest(ctx.of(far, period), lambda e: e.depth)
                                 if e.interval.high < nearest]
                        if lower:
                            held.append((far, lower))
                for parent, estimates in held:
                    for e in estimates:
                        floor = _ZERO if ctx.nonnegative(parent) else -INF
                        implied = Interval(min(floor, e.interval.high), e.interval.high)
                        ok = stated.overlaps(implied)
                        yield (("parts", claim.id, parent, e.claims), _finding(
                            ctx, check="parts", verdict=_verdict(ok),
                            claims=[claim.id, *e.claims],
                            explanation=functools.partial(_within, ctx, claim, e, ok),
                            metric=metric.id, period=period, unit=unit, stated=stated,
                            implied=implied))
                if not held:
                    yield (("parts", claim.id), _finding(
                        ctx, check="parts", verdict="unverifiable", claims=[claim.id],
                        metric=metric.id, period=period, unit=unit, stated=stated,
                        explanation=functools.partial(_no_whole, ctx, parents, claim)))


def _part_said(ctx: Context, claim: Claim) -> str:
    """A part's claimed level: "hair $5m (Outlet A) for May 2025"."""
    return f"{claim.metric} {ctx.said(claim)} for {w.label(claim.period)}"


def _within(ctx: Context, claim: Claim, e: Estimate, ok: bool) -> str:
    """A part's level held against a whole's estimate."""
    unit = ctx.unit(claim.metric)
    said = (f"{_part_said(ctx, claim)} {'does not exceed' if ok else 'exceeds'} "
            f"{e.phrase(unit)}, which it is part of")
    return said + ("" if ok else f": {w.gap_words(e.interval - ctx.interval(claim), unit)}")


def _no_whole(ctx: Context, parents: dict[str, list[str]], claim: Claim) -> str:
    """A part's level with no whole to hold it against."""
    names = list(itertools.islice(_ancestors(parents, claim.metric), 4))
    named = (w.joined(names) if len(names) < 4
             else f"{', '.join(names[:3])} or any whole above them")
    return (f"{_part_said(ctx, claim)}, but the ledger has no {named} for "
            f"{w.label(claim.period)} to hold it against")
