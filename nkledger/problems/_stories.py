"""Wire stories: claims that are one figure from one story, and who carried it.

A wire story reprinted by five outlets ("Reuters via CNA") is one piece of evidence, not
five: claims of sources with the same ``origin`` that make the same statement (metric,
period, kind, comparison, figure as written, rank, direction) are one figure. A report
shows it once with every outlet that carried it (:func:`carried`, :func:`story_label`);
a diagnosis drops every reprint with the claim it drops (:func:`same_story`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

import attrs

from .._lifetime import WhileAlive
from ..claims import Claim
from ..ledger import Ledger

__all__ = ["Carried", "carried", "joined", "same_story", "statement", "story_label"]


def _ids(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(items)


@attrs.frozen(kw_only=True)
class Carried:
    """Claims that are one figure from one story, and who carried it.

    ``label`` reads "Reuters (via CNA, WSO and 3 more)" for a wire story several outlets
    reprinted, or the outlet's own label for a claim of its own.
    """

    claims: tuple[str, ...] = attrs.field(converter=_ids)
    label: str


def statement(claim: Claim) -> tuple[object, ...]:
    """What *claim* states, as a key: claims of one origin with equal keys are one figure."""
    value = None if claim.value is None else claim.value.text
    return (claim.metric, str(claim.period), claim.kind, str(claim.comparison), value,
            None if claim.rank is None else claim.rank.text, claim.direction)


def carried(ledger: Ledger, ids: Iterable[str]) -> tuple[Carried, ...]:
    """The claims *ids*, those of one figure from one story (``Source.origin``) as one."""
    groups: dict[object, list[str]] = {}
    for cid in ids:
        claim = ledger.claim(cid)
        origin = ledger.source_of(claim).origin
        key: object = (origin, statement(claim)) if origin else cid
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
            label = f"{origin} (via {joined(outlets)})"
        else:
            label = f"{origin} (via {', '.join(outlets[:2])} and {len(outlets) - 2} more)"
        out.append(Carried(claims=members, label=label))
    return tuple(out)


#: Per ledger (by identity, while it lives): claims by (origin, statement), in order.
_STORIES: WhileAlive[Ledger, dict[tuple[object, ...], list[str]]] = WhileAlive()


def _stories(ledger: Ledger) -> dict[tuple[object, ...], list[str]]:
    """The ledger's claims of a source with an origin, by origin and statement (built once)."""
    known = _STORIES.get(ledger)
    if known is not None:
        return known
    index: dict[tuple[object, ...], list[str]] = defaultdict(list)
    for c in ledger.claims:
        if (o := ledger.source_of(c).origin) is not None:
            index[(o, *statement(c))].append(c.id)
    return _STORIES.put(ledger, index)


def same_story(ledger: Ledger, claim: Claim) -> list[str]:
    """*claim* and every claim that repeats its figure from the same story (origin)."""
    origin = ledger.source_of(claim).origin
    if origin is None:
        return [claim.id]
    return list(_stories(ledger)[(origin, *statement(claim))])


def story_label(ledger: Ledger, claim: Claim) -> str:
    """Who said *claim*: its outlet, or "Reuters (via CNA, WSO and 3 more)" for a reprint."""
    ids = same_story(ledger, claim)
    return next(g.label for g in carried(ledger, ids) if claim.id in g.claims)


def joined(items: Sequence[str]) -> str:
    """*items* in a phrase: ``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
