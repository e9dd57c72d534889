"""The outlet scorecard: each outlet's claims, claims in problems, and culprits."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

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
