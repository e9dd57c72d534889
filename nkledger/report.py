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
    from concurrent.futures import Executor

    from .parallel import Merged

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
    executor: Executor | None = None,
    jobs: int | None = None,
) -> Report:
    """Cross-check every claim of *ledger* and analyse them jointly.

    Args:
        reading: how qualifiers are read: ``"default"``, ``"strict"`` or ``"lenient"``
            (see :mod:`nkledger.figures`).
        joint: also run the joint analysis (conflict sets, repairs, implied figures).
            It needs the solver; without it the report holds the pairwise findings.
        only: names of the pairwise checks to run (default: all).
        executor: a :class:`concurrent.futures.Executor` to check the ledger's
            independent parts on (a process pool, Dask's ``Client.get_executor()``);
            the report is the same whichever runs it (:mod:`nkledger.parallel`).
        jobs: without *executor*, check on a pool of this many processes (default:
            this process only).

    """
    if reading not in READINGS:
        raise ValueError(f"reading must be one of {', '.join(READINGS)}, got {reading!r}")
    from .parallel import check_parts

    merged = check_parts(ledger, reading, joint=joint, only=only, executor=executor, jobs=jobs)
    return _assemble(ledger, reading, merged)


def _assemble(ledger: Ledger, reading: Reading, merged: Merged) -> Report:
    """The report of *ledger* from its parts' merged results."""
    if not merged.joint:
        return Report(ledger=ledger, reading=reading, findings=merged.findings, joint=False)
    return Report(
        ledger=ledger,
        reading=reading,
        findings=merged.findings,
        conflicts=merged.conflicts,
        sensitive=merged.sensitive,
        repairs=merged.repairs,
        implied=merged.implied,
        outlets=merged.outlets,
        notes=merged.notes,
        truncated=merged.truncated,
    )
