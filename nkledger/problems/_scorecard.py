"""The outlet scorecard: each outlet's claims, claims in problems, and culprits."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from operator import attrgetter

import attrs

from ..exceptions import UnknownReferenceError
from ..ledger import Ledger
from ._grouping import Problem

__all__ = ["OutletScore", "scorecard"]


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
    label: dict[str, str] = {}
    for source in ledger.sources:
        counts.setdefault(source.label, [0, 0, 0, 0])
        label[source.id] = source.label
    # claims counted by source at C speed; the few in problems one by one
    for source_id, n in Counter(map(attrgetter("source"), ledger.claims)).items():
        counts[label[source_id]][0] += n
    for column, ids in ((1, in_problems), (2, every), (3, tied)):
        for cid in ids:
            try:
                claim = ledger.claim(cid)
            except UnknownReferenceError:
                continue  # counted as the claims of the ledger are: only those it has
            counts[label[claim.source]][column] += 1
    return tuple(OutletScore(outlet=o, claims=a, in_problems=b, culprits=c, tied=d)
                 for o, (a, b, c, d) in counts.items())
