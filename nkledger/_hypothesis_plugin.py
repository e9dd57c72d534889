"""Registers nkledger's strategies with Hypothesis, through the ``hypothesis`` entry point.

Hypothesis calls :func:`_hypothesis_setup_hook` when it is imported, in any
environment where nkledger is installed; from then on ``st.from_type(Figure)`` (and
Interval, Period, Source, Claim, Metric, Ledger) draws from :mod:`nkledger.strategies` rather
than from Hypothesis' guess at the attrs fields, which would build figures whose text
says something else than their number.

The hook runs *inside* Hypothesis' import, which may itself be running inside
``import nkledger.strategies`` (when that is the first import of Hypothesis). So it
registers functions that import the strategies when a type is first resolved, never
the strategies themselves; and this module imports nothing at the top, so
``import nkledger`` never imports Hypothesis.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy


def _resolve(name: str) -> Any:
    def resolve(_: type) -> SearchStrategy[Any]:
        from . import strategies
        from .strategies import _arbitrary

        strategy: SearchStrategy[Any]
        if name == "metrics":
            from hypothesis import strategies as st

            strategy = st.sampled_from(_arbitrary._DEFAULT_METRICS)
        else:
            strategy = getattr(strategies, name)()
        return strategy

    return resolve


def _hypothesis_setup_hook() -> None:
    """Register a strategy for each of nkledger's model classes."""
    from hypothesis import strategies as st

    from .claims import Claim, Metric, Source
    from .figures import Figure
    from .intervals import Interval
    from .ledger import Ledger
    from .periods import Period

    for cls, name in ((Interval, "intervals"), (Figure, "figures"), (Period, "periods"),
                      (Source, "sources"),
                      (Claim, "claims"), (Metric, "metrics"), (Ledger, "ledgers")):
        st.register_type_strategy(cls, _resolve(name))
