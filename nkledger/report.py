"""The report: every finding, the joint analysis, and a verdict on the whole ledger.

:func:`check` is the one call most users need. It runs the named pairwise checks
(:mod:`nkledger.checks`) and the joint analysis (:mod:`nkledger.solver`) and gathers
their results into a :class:`Report` of plain typed values. The report does no
arithmetic of its own: it only collects, orders and (in :mod:`nkledger.render`) shows.

A ledger is *consistent* under a reading when no check found a conflict and the joint
analysis found no conflict set. Honest disagreements that are not errors (a revision, a
different basis) are still conflicts of the numbers; their findings carry a ``note`` so
a reader can tell them apart.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

import attrs

from .figures import READINGS, Reading
from .findings import Finding
from .ledger import Ledger
from .results import Conflict, Implied, OutletSummary, Repair

if TYPE_CHECKING:
    from .solver import Analysis

__all__ = ["Report", "check"]

@attrs.frozen(kw_only=True)
class Report:
    """What nkledger found in one ledger under one reading of the qualifiers.

    ``findings`` come from the pairwise checks, conflicts first. ``conflicts`` are the
    minimal sets of claims that cannot all hold, ``sensitive`` those that cannot all
    hold under another reading of the qualifiers only, ``repairs`` the least-weight sets of
    claims whose removal makes everything consistent (best first, ties shown),
    ``implied`` the tightest interval the surviving claims allow for each metric and
    period, and ``outlets`` a line per outlet.
    """

    ledger: Ledger
    reading: Reading
    findings: tuple[Finding, ...]
    conflicts: tuple[Conflict, ...] = ()
    sensitive: tuple[Conflict, ...] = ()
    repairs: tuple[Repair, ...] = ()
    implied: tuple[Implied, ...] = ()
    outlets: tuple[OutletSummary, ...] = ()
    notes: tuple[str, ...] = ()
    truncated: bool = False
    joint: bool = True

    @property
    def consistent(self) -> bool:
        """Whether no check and no conflict set says the claims cannot all be true."""
        return not self.conflicts and not any(f.verdict == "conflict" for f in self.findings)

    @property
    def conflicting(self) -> tuple[Finding, ...]:
        """The findings whose verdict is a conflict."""
        return tuple(f for f in self.findings if f.verdict == "conflict")

    def by_check(self) -> dict[str, tuple[Finding, ...]]:
        """The findings grouped by the check that made them, in check order."""
        groups: dict[str, list[Finding]] = {}
        for finding in self.findings:
            groups.setdefault(finding.check, []).append(finding)
        return {name: tuple(group) for name, group in groups.items()}


def check(
    ledger: Ledger,
    reading: Reading = "default",
    *,
    joint: bool = True,
    only: Collection[str] | None = None,
    include_drafts: bool = False,
) -> Report:
    """Cross-check every claim of *ledger* and analyse them jointly.

    Args:
        reading: how qualifiers are read: ``"default"``, ``"strict"`` or ``"lenient"``
            (see :mod:`nkledger.figures`).
        joint: also run the joint analysis (conflict sets, repairs, implied figures).
            It needs the solver; without it the report holds the pairwise findings.
        only: names of the pairwise checks to run (default: all).
        include_drafts: also check claims marked ``status = "draft"``; by default they
            are left out, and a note says how many.

    """
    if reading not in READINGS:
        raise ValueError(f"reading must be one of {', '.join(READINGS)}, got {reading!r}")
    ledger, left_out = _without_drafts(ledger, include_drafts)
    report = _check(ledger, reading, joint=joint, only=only)
    return attrs.evolve(report, notes=(*left_out, *report.notes)) if left_out else report


def _without_drafts(ledger: Ledger, include: bool) -> tuple[Ledger, tuple[str, ...]]:
    drafts = sum(1 for c in ledger.claims if c.is_draft)
    if include or not drafts:
        return ledger, ()
    kept = Ledger(metrics=ledger.metrics, identities=ledger.identities, sources=ledger.sources,
                  claims=[c for c in ledger.claims if not c.is_draft], origin=ledger.origin)
    return kept, (f"{drafts} draft claim{'s' if drafts > 1 else ''} (status = \"draft\") "
                  f"left out; check them with --include-drafts (include_drafts=True).",)


def _check(
    ledger: Ledger, reading: Reading, *, joint: bool, only: Collection[str] | None
) -> Report:
    from .checks import run_checks

    findings = tuple(run_checks(ledger, reading, only=only))
    if not joint:
        return Report(ledger=ledger, reading=reading, findings=findings, joint=False)
    from .solver import analyse

    analysis: Analysis = analyse(ledger, reading)
    return Report(
        ledger=ledger,
        reading=reading,
        findings=findings,
        conflicts=analysis.conflicts,
        sensitive=analysis.sensitive,
        repairs=analysis.repairs,
        implied=analysis.implied,
        outlets=analysis.outlets,
        notes=analysis.notes,
        truncated=analysis.truncated,
    )
