"""Evidence: which claims are one piece of evidence, on which basis, from which release.

Real ledgers hold honest disagreements that are not errors and repeated figures that are
not independent evidence. This module sits between the ledger and the analysis: it turns
the ledger the user wrote into the ledgers the checks and the solver should see, and says
what it set apart. Three properties decide:

Origins (reprints)
    A source may name its ``origin``, whose story it is ("Reuters" for "Reuters via CNA");
    a source without one is its own origin (its outlet, or the source itself when no
    outlet is named). Claims that state the *same figure* (the same interval under every
    reading) for the *same quantity* (metric, period, kind and change basis) on the same
    basis from one origin are one piece of evidence: :func:`collapse` keeps one
    representative claim (the earliest published) and sets the others aside, so the
    evidence has one weight in a repair (the highest of its carriers' source weights) and
    one place in a conflict set; the report lists it once, with every outlet that carried
    it (``Report.carriers``). Different figures from one origin stay separate: that is a
    real inconsistency of the wire, or a revision.

Bases
    A claim's basis is whose count it is: its own ``basis``, else its source's ``basis``,
    else its source's ``cites``. Bases are compared by the words that name a body (see
    :func:`nkledger._checks._words.body`: "China's customs" and "General Administration of
    Customs of China" are one basis; "Chinese government data" is the same basis as China's
    customs when the ledger names no other Chinese body). A claim whose basis names no
    body ("official data", or no ``cites`` at all), or whose words fit two different
    bases, has an **unstated basis**, and is read as the ledger's *main basis*: the one
    the most claims state (the first in the ledger on a tie). Why: a news figure that
    does not say whose count it relays almost always relays the most widely reported
    one (China's customs, in the seed ledger); holding it against every basis would make
    each such figure conflict with every other basis's estimates, and setting it apart
    would leave it unchecked. Write ``basis`` on the claim or its source to place it
    otherwise. By default each basis is checked on its own (:func:`plan` gives one
    sub-ledger per basis); differences between claims of two bases about the same
    quantity are reported as ``different basis`` findings with their gap, and never
    enter conflict sets or repairs. ``basis="all"`` holds everything together;
    ``basis=NAME`` checks one basis alone.

Releases (vintages)
    A figure has two times: the period it covers and the date its source was published.
    ``as_of=DATE`` checks the ledger as it stood on that date: only sources published by
    then (an undated source is left out, with a note). ``vintage="latest"`` keeps, for each
    quantity (metric, period, kind, change basis, unit) and each basis, only the claims of
    the latest publication date; an earlier release whose figure differs is reported as
    "revised from X to Y (source, date)" (a ``revision`` finding), one that agrees is set
    aside silently. Undated claims are never superseded and never supersede; ranks and
    directions are not releases of a figure and are always kept. Vintages replace the
    solver's old ``prefer_later`` weighting, which discounted a claim for every later
    article citing the same body on any topic.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from operator import attrgetter, lt
from typing import Literal, TypeAlias

import attrs

from ._checks import _words as w
from ._collector import paused
from .claims import Claim, Source
from .exceptions import UnknownReferenceError
from .figures import READINGS, Reading
from .findings import Finding
from .ledger import Ledger
from .results import Repair

__all__ = [
    "Part",
    "Plan",
    "Vintage",
    "bases",
    "collapse",
    "combine_repairs",
    "origin",
    "plan",
]

Vintage: TypeAlias = Literal["all", "latest"]
VINTAGES: tuple[Vintage, ...] = ("all", "latest")
#: Most combinations of per-basis repairs tried when they are joined.
MAX_REPAIRS = 10
# a claim's fields, read from every claim of a big ledger at C speed (map, zip)
_ID, _SOURCE, _BASIS, _METRIC, _PERIOD = map(attrgetter, ("id", "source", "basis", "metric",
                                                         "period"))


# -- origins ---------------------------------------------------------------------------------


def origin(source: Source) -> str:
    """Whose story a source carries: its ``origin``, else its outlet, else itself."""
    return source.origin or source.label


def _quantity(claim: Claim) -> Hashable:
    """What a claim is about, apart from what it says: metric, period, kind, comparison."""
    kind = claim.kind
    if kind == "level":
        assert claim.value is not None
        return ("level", claim.metric, claim.period, claim.value.unit)
    if kind in ("change", "direction"):
        return (kind, claim.metric, claim.period, claim.base_period)
    rank = claim.rank
    assert rank is not None
    return ("rank", claim.metric, claim.period, rank.extreme, rank.scope, rank.since,
            claim.base_period if rank.about_changes else None)


def _statement(claim: Claim) -> Hashable:
    """What a claim says about its quantity: its interval under every reading."""
    if claim.value is not None:
        return tuple(claim.interval(r) for r in READINGS)
    return claim.direction


def _release(ledger: Ledger, claim: Claim) -> tuple[int, date, int]:
    """Earliest published first, undated last, then in ledger order (by the caller)."""
    published = ledger.source_of(claim).published
    return (0, published, 0) if published is not None else (1, date.max, 0)


def collapse(ledger: Ledger, basis_of: Mapping[str, str | None] | None = None
             ) -> tuple[Ledger, dict[str, tuple[str, ...]]]:
    """The ledger with each piece of evidence once, and representative → its carriers.

    Claims from one origin stating the same figure for the same quantity on the same basis
    are one piece of evidence. The representative (the earliest published carrier, then
    the first in the ledger) stays, the other carriers are set aside; when the carriers
    come from several sources, the representative is moved to a source of its own that
    names every outlet that carried it ("Reuters via CNA, Yonhap and KBS") and weighs as
    much as the heaviest of theirs (a pinned carrier pins the evidence). The mapping holds
    only evidence with more than one carrier, representative first.
    """
    basis_of = bases(ledger) if basis_of is None else basis_of
    # Three steps: claims of one origin and basis about one metric and period first (a
    # sieve, at C speed: one piece of evidence has one of each), then where there are
    # several, about one quantity, and only then what they state (computing every
    # claim's intervals is the cost). The groups come in the order of their first claim
    # either way: a sieve only leaves out claims that are alone.
    every = ledger.claims
    origins = {s.id: origin(s) for s in ledger.sources}
    coarse = list(zip(map(_METRIC, every), map(_PERIOD, every),
                      map(origins.__getitem__, map(_SOURCE, every)),
                      map(basis_of.get, map(_ID, every)), strict=True))
    counts = Counter(coarse)
    if len(counts) == len(coarse):
        return ledger, {}  # every claim alone
    same: dict[Hashable, list[Claim]] = defaultdict(list)
    for claim, sieved in itertools.compress(zip(every, coarse, strict=True),
                                            map(lt, itertools.repeat(1),
                                                map(counts.__getitem__, coarse))):
        same[(sieved[2], sieved[3], _quantity(claim))].append(claim)
    groups: dict[Hashable, list[Claim]] = defaultdict(list)
    for key, members in same.items():
        if len(members) > 1:
            for claim in members:
                groups[(key, _statement(claim))].append(claim)
    carriers: dict[str, tuple[str, ...]] = {}
    moved: dict[str, Claim] = {}
    extra: list[Source] = []
    dropped: set[str] = set()
    taken = {s.id for s in ledger.sources}
    for members in groups.values():
        if len(members) < 2:
            continue
        # members are in ledger order: a stable sort keeps it among equal releases
        members.sort(key=lambda c: _release(ledger, c)[:2])
        rep = members[0]
        carriers[rep.id] = tuple(c.id for c in members)
        dropped.update(c.id for c in members[1:])
        sources = list(dict.fromkeys(ledger.source_of(c) for c in members))
        if len(sources) == 1:
            continue
        first = sources[0]
        new_id = f"{first.id}+{len(sources) - 1}"
        n = 1
        while new_id in taken:
            n += 1
            new_id = f"{first.id}+{len(sources) - 1}.{n}"
        taken.add(new_id)
        extra.append(attrs.evolve(first, id=new_id, outlet=_carried(first, sources),
                                  weight=max(s.weight for s in sources)))
        moved[rep.id] = attrs.evolve(rep, source=new_id)
    if not carriers:
        return ledger, {}
    claims = [moved.get(c.id, c) for c in ledger.claims if c.id not in dropped]
    # valid as it is: the new sources have new ids, and a moved claim differs only in
    # citing one of them
    return Ledger._part_of_valid(metrics=ledger.metrics, identities=ledger.identities,
                                 sources=[*ledger.sources, *extra], claims=claims,
                                 origin=ledger.origin), carriers


def _carried(first: Source, sources: Sequence[Source]) -> str:
    """"Reuters via CNA and Yonhap": the origin and every other outlet that carried it."""
    name = origin(first)
    others = list(dict.fromkeys(s.label for s in sources if s.label != name))
    if not others:
        return f"{name} ({len(sources)} articles)"
    return f"{name} via {w.joined(others)}"


# -- bases -----------------------------------------------------------------------------------


def bases(ledger: Ledger) -> dict[str, str | None]:
    """Each claim's basis, by id: the name of its basis, or None when it is unstated.

    Spellings whose body words lie within exactly one most specific body join it (its
    name is the first spelling of that body in the ledger); words that name no body, or
    fit two different ones, leave the basis unstated.
    """
    claims = ledger.claims
    of_pair, _ = _pair_bases(ledger)
    return dict(zip(map(_ID, claims), map(of_pair.__getitem__, _pairs(claims)), strict=True))


def _pairs(claims: Sequence[Claim]) -> Iterator[tuple[str | None, str]]:
    """Each claim's own basis and source: all that its basis depends on."""
    return zip(map(_BASIS, claims), map(_SOURCE, claims), strict=True)


def _pair_bases(ledger: Ledger) -> tuple[dict[tuple[str | None, str], str | None],
                                         Counter[tuple[str | None, str]]]:
    """The basis (see :func:`bases`) of each claim's own basis and source, and their counts.

    A big ledger's claims have a few such pairs, each read once, in the order of their
    first claim: a spelling first written by an earlier claim is first here too.
    """
    counts = Counter(_pairs(ledger.claims))
    words: dict[tuple[str | None, str], frozenset[str] | None] = {}
    names: dict[frozenset[str], str] = {}
    read: dict[str | None, frozenset[str] | None] = {}
    # what a claim states: its basis, else its source's basis, else whom the source cites
    of_source = {s.id: s.basis or s.cites for s in ledger.sources}
    for pair in counts:
        text = pair[0] or of_source[pair[1]]
        if text not in read:
            read[text] = w.body(text)
        found = read[text]
        words[pair] = found
        if found is not None and text is not None:
            names.setdefault(found, text)
    specific = [b for b in names if not any(b < other for other in names)]
    canonical: dict[frozenset[str], str | None] = {}
    for b in names:
        homes = [m for m in specific if b <= m]
        canonical[b] = names[homes[0]] if len(homes) == 1 else None
    return ({pair: None if found is None else canonical[found]
             for pair, found in words.items()}, counts)


def _main_bases(ledger: Ledger) -> dict[str, str | None]:
    """Each claim's basis, an unstated one read as the main basis (the most stated).

    Worked out per pair of a claim's own basis and source (see :func:`_pair_bases`).
    """
    of_pair, counts = _pair_bases(ledger)
    stated: dict[str, int] = {}
    for pair, basis in of_pair.items():
        if basis is not None:
            stated[basis] = stated.get(basis, 0) + counts[pair]
    if stated:
        main = max(stated, key=lambda b: stated[b])  # the first of the most stated
        of_pair = {pair: main if b is None else b for pair, b in of_pair.items()}
    claims = ledger.claims
    return dict(zip(map(_ID, claims), map(of_pair.__getitem__, _pairs(claims)), strict=True))


def _resolve(name: str, known: Sequence[str]) -> str:
    """The basis a user's *name* means: by its name, or by the body its words name."""
    for k in known:
        if k.casefold() == name.casefold():
            return k
    inside = [k for k in known if name.casefold() in k.casefold()]
    if len(inside) == 1:
        return inside[0]  # "KOTRA" for "Korea Trade-Investment Promotion Agency (KOTRA)"
    words = w.body(name)
    if words is not None:
        homes = [k for k in known if (kw := w.body(k)) is not None and words <= kw]
        if len(homes) == 1:
            return homes[0]
    listed = ", ".join(map(repr, known)) or "none: every claim's basis is unstated"
    raise UnknownReferenceError(f"no basis {name!r} in the ledger; its bases are {listed}")


# -- vintages --------------------------------------------------------------------------------


def _latest(ledger: Ledger, reading: Reading, basis_of: Mapping[str, str | None]
            ) -> tuple[Ledger, list[Finding]]:
    """Only the latest release of each quantity and basis, and the revisions of earlier ones."""
    groups: dict[Hashable, list[Claim]] = defaultdict(list)
    for claim in ledger.claims:
        if claim.value is None or ledger.source_of(claim).published is None:
            continue
        groups[(_quantity(claim), basis_of.get(claim.id))].append(claim)
    superseded: set[str] = set()
    revisions: list[Finding] = []
    for members in groups.values():
        newest = max(_published(ledger, c) for c in members)
        latest = [c for c in members if _published(ledger, c) == newest]
        for claim in members:
            if _published(ledger, claim) == newest:
                continue
            superseded.add(claim.id)
            later = next((c for c in latest if c.interval(reading) != claim.interval(reading)),
                         None)
            if later is not None:
                revisions.append(_revision(ledger, reading, claim, later))
    if not superseded:
        return ledger, revisions
    return ledger.without(superseded), revisions


def _published(ledger: Ledger, claim: Claim) -> date:
    published = ledger.source_of(claim).published
    assert published is not None
    return published


def _revision(ledger: Ledger, reading: Reading, earlier: Claim, later: Claim) -> Finding:
    assert earlier.value is not None and later.value is not None
    before, after = earlier.interval(reading), later.interval(reading)
    assert before is not None and after is not None
    what = (earlier.metric if earlier.kind == "level"
            else f"the change in {earlier.metric} {w.comparison_words(earlier)}")
    unit = "%" if earlier.kind == "change" else earlier.value.unit

    def release(claim: Claim) -> str:
        source = ledger.source_of(claim)
        published = source.published
        assert published is not None
        return f"{source.label}, {published.isoformat()}"

    return Finding(
        check="vintage", verdict="consistent" if before.overlaps(after) else "conflict",
        claims=(earlier.id, later.id), metric=earlier.metric, period=earlier.period,
        unit=unit, stated=before, implied=after, note="revision",
        explanation=f"{what} for {earlier.period.label()} was revised from "
                    f"{w.figure_text(earlier.value)} ({release(earlier)}) to "
                    f"{w.figure_text(later.value)} ({release(later)}); only the latest "
                    f"release is checked.")


# -- the plan --------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Part:
    """One sub-ledger to check on its own: the claims of one basis (None: all together)."""

    basis: str | None
    ledger: Ledger


@attrs.frozen(kw_only=True)
class Plan:
    """What to check, and what was set apart on the way.

    ``parts`` are the sub-ledgers to check, each on its own; ``carriers`` maps each
    representative claim to every claim carrying the same evidence; ``differences`` are
    the differences between bases (findings with ``note="different basis"``);
    ``revisions`` the earlier releases superseded under ``vintage="latest"``; ``checked``
    the ledger as checked before reprints were collapsed (after ``as_of`` and vintages);
    ``weights`` what dropping each representative costs.
    """

    parts: tuple[Part, ...]
    checked: Ledger
    carriers: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    differences: tuple[Finding, ...] = ()
    revisions: tuple[Finding, ...] = ()
    notes: tuple[str, ...] = ()
    weights: Mapping[str, float] = attrs.field(factory=dict)


@paused
def plan(
    ledger: Ledger,
    reading: Reading = "default",
    *,
    basis: str | None = None,
    vintage: Vintage = "all",
    as_of: date | None = None,
) -> Plan:
    """Turn *ledger* into the sub-ledgers to check, keeping honest disagreements apart.

    Args:
        basis: None to check each basis on its own (the default), ``"all"`` to hold every
            claim against every other, or the name of one basis to check it alone.
        vintage: ``"all"`` holds every release; ``"latest"`` only the latest of each
            quantity and basis.
        as_of: check the ledger as it stood on this date.

    Raises:
        UnknownReferenceError: for a basis the ledger does not have, naming those it has.
        ValueError: for an unknown vintage.
    """
    if vintage not in VINTAGES:
        raise ValueError(f"vintage must be one of {', '.join(VINTAGES)}, got {vintage!r}")
    notes: list[str] = []
    current = ledger
    if as_of is not None:
        late = [c.id for c in current.claims
                if (p := current.source_of(c).published) is not None and p > as_of]
        undated = [c.id for c in current.claims if current.source_of(c).published is None]
        current = current.without([*late, *undated])
        if late or undated:
            notes.append(f"as of {as_of.isoformat()}: {len(late)} claim(s) published later "
                         f"and {len(undated)} from undated sources are left out")
    basis_of = _main_bases(current)
    revisions: list[Finding] = []
    if vintage == "latest":
        current, revisions = _latest(current, reading, basis_of)
    checked = current
    collapsed, carriers = collapse(current, basis_of)
    if carriers:
        n = sum(len(c) for c in carriers.values())
        notes.append(f"{n} claims are {len(carriers)} piece(s) of evidence reported by "
                     f"several outlets or articles of one origin; each counts once")
    known = sorted(b for b in set(basis_of.values()) if b is not None)
    differences: tuple[Finding, ...] = ()
    parts: tuple[Part, ...]
    if basis == "all" or (basis is None and len(known) <= 1):
        parts = (Part(basis=None if basis == "all" or not known else known[0],
                      ledger=collapsed),)
    elif basis is not None:
        name = _resolve(basis, known)
        parts = (Part(basis=name, ledger=_on(collapsed, basis_of, name)),)
    else:
        parts = tuple(Part(basis=b, ledger=_on(collapsed, basis_of, b)) for b in known)
        differences = tuple(_differences(collapsed, reading, basis_of))
    weight = {s.id: s.weight for s in collapsed.sources}
    weights = dict(zip(map(_ID, collapsed.claims),
                       map(weight.__getitem__, map(_SOURCE, collapsed.claims)), strict=True))
    return Plan(parts=parts, checked=checked, carriers=carriers, differences=differences,
                revisions=tuple(revisions), notes=tuple(notes), weights=weights)


def _on(ledger: Ledger, basis_of: Mapping[str, str | None], name: str) -> Ledger:
    """The claims of basis *name*."""
    return ledger.select(lambda c: basis_of.get(c.id) == name)


def _differences(ledger: Ledger, reading: Reading, basis_of: Mapping[str, str | None]
                 ) -> Iterable[Finding]:
    """Claims of two bases about the same quantity that disagree, with their gap."""
    from .checks import agreement

    for finding in agreement(ledger, reading):
        if finding.verdict != "conflict" or len(finding.claims) != 2:
            continue
        a, b = (basis_of.get(c) for c in finding.claims)
        if a is None or b is None or a == b:
            continue
        text = finding.explanation.removesuffix(".")
        if "different primary data" not in text:
            text += f"; the figures rest on different primary data ({a} vs {b})"
        yield attrs.evolve(finding, check="basis", note="different basis",
                           explanation=f"{text}: a difference of bases, not held against "
                                       f"each other.")


# -- joining the parts' results ----------------------------------------------------------------


def combine_repairs(groups: Sequence[Sequence[Repair]], weights: Mapping[str, float],
                    limit: int = MAX_REPAIRS) -> list[Repair]:
    """Repairs of the whole from each part's repairs: one per part, cheapest first.

    The weight of a joined repair is the sum over the distinct claims it drops.
    """
    groups = [g[:limit] for g in groups if g]
    if not groups:
        return []
    joined: dict[frozenset[str], float] = {}
    for combo in itertools.islice(itertools.product(*groups), 100 * limit):
        claims = frozenset().union(*(r.as_set() for r in combo))
        joined.setdefault(claims, round(sum(weights.get(c, 1.0) for c in claims), 9))
    repairs = [Repair(claims=tuple(c), weight=wt) for c, wt in joined.items()]
    repairs.sort(key=lambda r: (r.weight, len(r.claims), r.claims))
    return repairs[:limit]
