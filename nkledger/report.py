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

import functools
from collections.abc import Collection
from typing import TYPE_CHECKING

import attrs

from .figures import READINGS, Reading
from .findings import Finding
from .ledger import Ledger
from .results import Conflict, Implied, OutletSummary, Repair

if TYPE_CHECKING:
    from .problems import Problem
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
    period, and ``outlets`` a line per outlet. ``problems`` group all of it into the
    handful of things a reader must act on (:mod:`nkledger.problems`), and
    ``repair_groups`` holds each independent part's own repairs, and ``cut`` says in
    plain words what a limit cut short (empty when nothing was).
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
    repair_groups: tuple[tuple[Repair, ...], ...] = ()
    cut: tuple[str, ...] = ()

    @functools.cached_property
    def problems(self) -> tuple[Problem, ...]:
        """The problems behind the findings and conflict sets, with culprits and diagnoses.

        Computed (by :func:`nkledger.problems.find_problems`) when first asked for: a
        diagnosis asks the solver again, once per best repair involved, and a caller
        that only wants the conflict sets should not pay for it.
        """
        from .problems import find_problems

        return find_problems(self.ledger, self.findings, reading=self.reading,
                             conflicts=self.conflicts, sensitive=self.sensitive,
                             repair_groups=self.repair_groups, diagnose=self.joint)

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
) -> Report:
    """Cross-check every claim of *ledger* and analyse them jointly.

    Args:
        reading: how qualifiers are read: ``"default"``, ``"strict"`` or ``"lenient"``
            (see :mod:`nkledger.figures`).
        joint: also run the joint analysis (conflict sets, repairs, implied figures).
            It needs the solver; without it the report holds the pairwise findings.
        only: names of the pairwise checks to run (default: all).

    """
    if reading not in READINGS:
        raise ValueError(f"reading must be one of {', '.join(READINGS)}, got {reading!r}")
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
        repair_groups=analysis.repair_groups,
        cut=analysis.cut,
    )
