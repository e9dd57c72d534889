"""Implied figures worth showing: those a reader of the report should see."""

from __future__ import annotations

from collections.abc import Iterable

from ..results import Implied, notable_in_order

__all__ = ["notable_implied"]


def notable_implied(implied: Iterable[Implied]) -> tuple[tuple[Implied, ...], int]:
    """The implied figures worth a reader's time, and how many differ between ties.

    Worth showing: bounded both ways, above the trivial zero of a flow, for a quantity
    no claim reports, and the same under every tied best repair (the solver's note says
    when tied repairs give other intervals; those are counted, not shown).
    """
    shown, disagree = notable_in_order(implied)
    shown.sort(key=lambda i: (i.metric, i.period.first, -i.period.length))
    return tuple(shown), disagree
