"""Hypothesis strategies for nkledger's model, for nkledger's own tests and for yours.

Two families live here. :func:`figures`, :func:`periods`, :func:`sources`,
:func:`claims` and :func:`ledgers` draw *valid, arbitrary* values: every ledger passes
validation and survives :func:`~nkledger.dumps` → :func:`~nkledger.loads` unchanged,
but its claims need not agree with each other. :func:`truths`,
:func:`consistent_ledgers` and :func:`corrupted_ledgers` draw *realistic* ledgers with
a known answer: a hidden :class:`Truth` (true monthly values that satisfy the ledger's
identities) is reported by several outlets the way outlets write figures, and
optionally a few claims are replaced by mistakes reporters really make.

Everything is built by construction, never by filtering: a figure is rounded from the
truth so that the default reading of its words holds ("nearly" rounds up, "more than"
rounds down); directions and ranks are only stated where the truth clears them by a
margin of 2 % (nkledger reads "rose" as at least a small step above the base); and a
mistake is only made where the contradiction it causes is certain. The strategy
checks that certainty exactly, with the library's own intervals, before it hands the
ledger over — where one mistake cannot be made detectably in a given truth (digits
that read the same transposed, two months that happen to be equal) the strategy makes
a million/billion slip instead, which is always detectable.

Contracts (nkledger's own property tests state them; yours may rely on them):

- every claim of :func:`consistent_ledgers` holds for the truth under the default
  reading, so ``nkledger.check(ledger)`` finds no conflict;
- in :func:`corrupted_ledgers`, every corrupted claim contradicts at least one intact
  claim (directly or through an identity) under the strict, default *and* lenient
  readings, and every other claim is true;
- every ledger any strategy here draws survives ``loads(dumps(ledger)) == ledger``.

Wide truths are fair game: the joint analysis proves every verdict in exact rational
arithmetic, so figures from cents to hundreds of billions in one part, and growth rates
of a hundredth of a percent (``truths(max_swing="0.0004")``), are judged as exactly as
the pairwise checks judge them (nkledger's own property tests draw such ledgers).

Importing this module imports Hypothesis; ``import nkledger`` does not. It also warms
what :func:`nkledger.check` needs (numpy, HiGHS and the checks), so the first
``check`` inside a property test costs what every later one does and no test trips
Hypothesis' default deadline on a one-off import. The
``hypothesis`` entry point (:mod:`nkledger._hypothesis_plugin`) registers these
strategies, so ``st.from_type(Figure)`` works wherever nkledger is installed.

The rooms, in the order data flows through them: ``_validation`` (checking a
strategy's arguments), ``_writing`` (figures as outlets write them), ``_arbitrary``
(the first family, intervals to ledgers), ``_truths`` (the hidden truth), ``_reporting``
(a truth reported: consistent ledgers) and ``_corrupting`` (reporters' mistakes:
corrupted ledgers). They are private: import from ``nkledger.strategies`` only.
"""

from __future__ import annotations

from ..claims import Claim, Metric, Source
from ..figures import parse_figure
from ..ledger import Ledger
from ..periods import Period
from ._arbitrary import KINDS, claims, figures, intervals, ledgers, periods, sources
from ._corrupting import MISTAKES, corrupted_ledgers
from ._reporting import consistent_ledgers
from ._truths import Truth, truths

__all__ = [
    "KINDS",
    "MISTAKES",
    "Truth",
    "claims",
    "consistent_ledgers",
    "corrupted_ledgers",
    "figures",
    "intervals",
    "ledgers",
    "periods",
    "sources",
    "truths",
]


def _warm() -> None:
    """Run :func:`nkledger.check` once, on a tiny ledger, at import of this module.

    The first ``check`` in a process imports numpy, highspy and the solver's rooms and
    starts HiGHS (a few hundred milliseconds), inside whichever test example happens to
    run first; here it is paid once, before any example runs. The ledger disagrees with
    itself, so every stage — conflict sets, repairs, exact proofs, implied figures —
    is loaded.
    """
    from ..report import check

    source = Source(id="warm")
    metric = Metric(id="x")
    report = check(Ledger(metrics=[metric], sources=[source], claims=[
        Claim(id=f"warm-{i}", source="warm", metric="x", period=Period.month(2025, 1),
              value=parse_figure(text), quote=text)
        for i, text in enumerate(("$1m", "$2m"))]))
    report.implied  # noqa: B018  (computed on first access: load that stage too)


_warm()
