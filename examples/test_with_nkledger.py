"""Property tests another project could write with nkledger's strategies.

Run it with ``pytest examples/test_with_nkledger.py``: it imports nothing from nkledger's
own tests, only ``nkledger`` and ``nkledger.strategies``, and uses Hypothesis' default
settings. The first four tests are nkledger's own laws; the last shows how a project
states a law about *its* code — here a little function that a newsroom might use to
flag figures that disagree with the rest of its ledger.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import nkledger
from nkledger import strategies as nks


@given(nks.consistent_ledgers())
def test_true_reports_never_conflict(ledger: nkledger.Ledger) -> None:
    """Figures correctly rounded from one truth never raise an alarm."""
    assert nkledger.check(ledger).consistent


@given(nks.corrupted_ledgers())
def test_every_mistake_is_caught(pair: tuple[nkledger.Ledger, frozenset[str]]) -> None:
    """Every corrupted claim is in some set of claims that cannot all hold."""
    ledger, corrupted = pair
    report = nkledger.check(ledger)
    caught = {claim for conflict in report.conflicts for claim in conflict.claims}
    assert corrupted <= caught


@given(nks.corrupted_ledgers())
def test_dropping_the_best_repair_leaves_a_consistent_ledger(
    pair: tuple[nkledger.Ledger, frozenset[str]],
) -> None:
    """What the best repair keeps can all hold: no check and no conflict set objects."""
    ledger, _ = pair
    report = nkledger.check(ledger)
    assert nkledger.check(ledger.without(report.repairs[0])).consistent


@given(st.one_of(nks.ledgers(), nks.consistent_ledgers()))
def test_ledger_files_round_trip(ledger: nkledger.Ledger) -> None:
    """A ledger written to TOML and read back is the same ledger."""
    assert nkledger.loads(nkledger.dumps(ledger)) == ledger


def suspicious_claims(ledger: nkledger.Ledger) -> set[str]:
    """The code under test: ids of the claims our newsroom would send back to a reporter."""
    report = nkledger.check(ledger)
    return {claim for conflict in report.conflicts for claim in conflict.claims}


@given(nks.corrupted_ledgers(mistakes=["unit_slip", "wrong_sign"], max_corruptions=1))
def test_suspicious_claims_include_the_mistake(
    pair: tuple[nkledger.Ledger, frozenset[str]],
) -> None:
    """A million written as a billion, or a fall as a rise, is always sent back."""
    ledger, corrupted = pair
    assert corrupted <= suspicious_claims(ledger)
