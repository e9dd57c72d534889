"""Registers nkledger's strategies with Hypothesis, through the ``hypothesis`` entry point.

Hypothesis calls :func:`_hypothesis_setup_hook` when it is imported, in any
environment where nkledger is installed; from then on ``st.from_type(Figure)`` (and
Period, Source, Claim, Metric, Ledger) draws from :mod:`nkledger.strategies` rather
than from Hypothesis' guess at the attrs fields, which would build figures whose text
says something else than their number. The hook runs inside Hypothesis' import, so this
module imports nothing at the top: ``import nkledger`` never imports Hypothesis.
"""

from __future__ import annotations


def _hypothesis_setup_hook() -> None:
    """Register a strategy for each of nkledger's model classes."""
    from hypothesis import strategies as st

    from . import strategies
    from .claims import Claim, Metric, Source
    from .figures import Figure
    from .ledger import Ledger
    from .periods import Period

    st.register_type_strategy(Figure, strategies.figures())
    st.register_type_strategy(Period, strategies.periods())
    st.register_type_strategy(Source, strategies.sources())
    st.register_type_strategy(Claim, strategies.claims())
    st.register_type_strategy(Metric, st.sampled_from(strategies._DEFAULT_METRICS))
    st.register_type_strategy(Ledger, strategies.ledgers())
