"""The report: every finding, the joint analysis, and a verdict on the whole ledger.

:func:`check` is the one call most users need. It runs the named pairwise checks
(:mod:`nkledger.checks`) and the joint analysis (:mod:`nkledger.solver`) and gathers
their results into a :class:`Report` of plain typed values. The report does no
arithmetic of its own: it only collects, orders and (in :mod:`nkledger.render`) shows.

A ledger is *consistent* under a reading when no check found a conflict and the joint
analysis found no conflict set. Honest disagreements that are not errors are kept apart
(:mod:`nkledger.evidence`): a wire story reprinted by five outlets is one piece of
evidence (``carriers``); claims on different bases are checked each on their own and
their differences listed in ``differences``, never in conflict sets or repairs; under
``vintage="latest"`` earlier releases are listed in ``revisions``. Within one basis and
one release, a conflict between the same body's figures published on different dates
that lie close together carries ``note="revision"`` (a likely revision, not an error).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

import attrs

from .evidence import Plan, Vintage, combine_repairs, plan
from .figures import READINGS, Reading
from .findings import Finding, distinct
from .ledger import Ledger
from .results import Conflict, Implied, OutletSummary, Repair, one_per_quantity, outlet_summaries

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from .parallel import Merged, PartResult
    from .problems import Problem

__all__ = ["Digest", "Report", "check", "part_report"]

_VERDICTS = ("conflict", "unverifiable", "consistent")


@attrs.frozen(kw_only=True)
class Digest:
    """What a lean report left out (``nkledger check`` of a text, markdown or HTML report).

    A lean report (:func:`nkledger.parallel.settings` with ``lean=True``) keeps only
    what its digest shows: ``Report.findings`` holds the findings problems are made of
    (every conflict, every finding depending on the reading) and ``left_out`` counts the
    others by verdict. Where ``implied`` is not None, ``Report.implied`` holds only the
    implied figures worth showing (:func:`~nkledger.results.notable_in_order`), and
    ``implied`` says how many there were in all, ``disagree`` how many of them the tied
    best repairs disagree on. ``rows``, when not None, holds each kept figure's row of
    the report's table, made where its work item was checked
    (:func:`nkledger.parallel.settings` with ``row``).
    """

    left_out: Mapping[str, int] = attrs.field(factory=dict)
    implied: int | None = None
    disagree: int = 0
    rows: tuple[tuple[str, ...], ...] | None = None


@attrs.frozen(kw_only=True)
class Report:
    """What nkledger found in one ledger under one reading of the qualifiers.

    ``findings`` come from the pairwise checks, conflicts first. ``conflicts`` are the
    minimal sets of claims that cannot all hold, ``sensitive`` those that cannot all
    hold under another reading of the qualifiers only, ``repairs`` the least-weight sets of
    claims whose removal makes everything consistent (best first, ties shown),
    ``implied`` (computed when first asked for) the tightest interval the surviving
    claims allow for each metric and period, and ``outlets`` a line per outlet.
    ``problems`` group all of it into the handful of things a reader must act on
    (:mod:`nkledger.problems`), ``repair_groups`` holds each independent part's own
    repairs, and ``cut`` says in plain words what a limit cut short (empty when nothing
    was). ``digest``, when set, says what a lean report left out (:class:`Digest`).

    ``carriers`` maps a claim that stands for a piece of evidence reported several times
    (one origin, the same figure) to every claim carrying it. The analysis weighs each
    piece of evidence once, and conflicts and repairs then list every claim carrying it:
    a repair drops a reprinted figure with all its reprints (so ``ledger.without(repair)``
    is consistent), and a conflict set is minimal up to reprints. ``differences`` are
    differences between bases (``note="different basis"``), ``revisions`` earlier
    releases left out under
    ``vintage="latest"`` (``note="revision"``): neither makes the ledger inconsistent.
    ``basis``, ``vintage`` and ``as_of`` say how the ledger was checked.
    """

    ledger: Ledger
    reading: Reading
    findings: tuple[Finding, ...]
    conflicts: tuple[Conflict, ...] = ()
    sensitive: tuple[Conflict, ...] = ()
    repairs: tuple[Repair, ...] = ()
    given_implied: tuple[Implied, ...] = attrs.field(default=(), alias="implied", repr=False)
    outlets: tuple[OutletSummary, ...] = ()
    notes: tuple[str, ...] = ()
    truncated: bool = False
    joint: bool = True
    carriers: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict, hash=False)
    differences: tuple[Finding, ...] = ()
    revisions: tuple[Finding, ...] = ()
    basis: str | None = None
    vintage: Vintage = "all"
    as_of: date | None = None
    repair_groups: tuple[tuple[Repair, ...], ...] = ()
    cut: tuple[str, ...] = ()
    implied_from: Callable[[], tuple[Implied, ...]] | None = attrs.field(
        default=None, eq=False, repr=False)
    digest: Digest | None = None

    @functools.cached_property
    def implied(self) -> tuple[Implied, ...]:
        """The tightest interval the surviving claims allow for each metric and period.

        Given as ``Report(implied=...)``, or computed when first asked for by
        ``implied_from`` (which :func:`check` sets): bounding every figure takes most of
        the LPs of a small ledger, and a caller that only asks whether the claims hold,
        or which to drop, should not pay for them.
        """
        return self.given_implied if self.implied_from is None else self.implied_from()

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

    def carried_by(self, claim_id: str) -> tuple[str, ...]:
        """Every claim carrying the same piece of evidence as *claim_id* (itself at least)."""
        for carriers in self.carriers.values():
            if claim_id in carriers:
                return carriers
        return (claim_id,)

    def verdicts(self) -> dict[str, int]:
        """How many findings the checks made of each verdict (a lean report's left-out too)."""
        counts = dict.fromkeys(_VERDICTS, 0)
        for f in self.findings:
            counts[f.verdict] = counts.get(f.verdict, 0) + 1
        if self.digest is not None:
            for verdict, n in self.digest.left_out.items():
                counts[verdict] = counts.get(verdict, 0) + n
        return counts

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
    basis: str | None = None,
    vintage: Vintage = "all",
    as_of: date | None = None,
    include_drafts: bool = False,
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
        basis: None (the default) checks each basis on its own and lists the differences
            between bases; ``"all"`` holds every claim against every other; a basis's
            name checks that basis alone (see :mod:`nkledger.evidence`).
        vintage: ``"all"`` checks every release; ``"latest"`` only the latest release of
            each quantity on each basis, listing earlier ones as revisions.
        as_of: check the ledger as it stood on this date (sources published by then).
        include_drafts: also check claims marked ``status = "draft"``; by default they
            are left out, and a note says how many.
        executor: a :class:`concurrent.futures.Executor` to check the ledger's
            independent parts on (a process pool, Dask's ``Client.get_executor()``);
            the report is the same whichever runs it (:mod:`nkledger.parallel`).
        jobs: without *executor*, check on a pool of this many processes (default:
            this process only).

    Raises:
        UnknownReferenceError: for a basis the ledger does not have.
    """
    if reading not in READINGS:
        raise ValueError(f"reading must be one of {', '.join(READINGS)}, got {reading!r}")
    ledger, left_out = _without_drafts(ledger, include_drafts)
    from .checks import CHECKS
    from .parallel import check_parts, lean, pool

    the_plan = plan(ledger, reading, basis=basis, vintage=vintage, as_of=as_of)
    several = len(the_plan.parts) > 1
    order = {name: i for i, name in enumerate(CHECKS)}
    # a lean report keeps only the implied figures worth showing: one basis's figures
    # can be judged item by item, several bases' only together (where they differ on
    # a quantity, each figure says its basis)
    thin = lean()
    notable_only = thin and not several
    # each basis's ledger is checked part by part (nkledger.parallel): the same report
    # whichever executor runs the parts
    with pool(executor, jobs) as runner:
        checked = [(part.basis, check_parts(part.ledger, reading, joint=joint, only=only,
                                            executor=runner, notable_only=notable_only,
                                            basis=part.basis))
                   for part in the_plan.parts]
    findings = tuple(sorted(
        distinct(f for _, merged in checked for f in merged.findings),
        key=lambda f: order.get(f.check, len(order))))
    notes = [*left_out, *the_plan.notes, *_set_apart(the_plan)]
    digest = None
    if thin:
        counts: dict[str, int] = {}
        for _, merged in checked:
            for verdict, n in merged.left_out:
                counts[verdict] = counts.get(verdict, 0) + n
        digest = Digest(left_out=counts)
    pairwise = Report(ledger=ledger, reading=reading, findings=findings,
                      carriers=the_plan.carriers, differences=the_plan.differences,
                      revisions=the_plan.revisions, basis=basis, vintage=vintage,
                      as_of=as_of, notes=tuple(notes), joint=joint, digest=digest)
    if not joint:
        return pairwise
    analyses = checked
    for name, analysis in analyses:
        prefix = f"[basis {name}] " if several else ""
        notes.extend(prefix + n for n in analysis.notes)
    if several:
        repairs = tuple(combine_repairs([a.repairs for _, a in analyses if a.repairs],
                                        the_plan.weights))
        if any(not a.consistent and not a.repairs for _, a in analyses):
            repairs = ()  # a part with no repair (pinned sources) has none for the whole
    else:
        repairs = analyses[0][1].repairs
    spread = _spreader(the_plan.carriers)
    repairs = tuple(attrs.evolve(r, claims=spread(r)) for r in repairs)
    conflicts = _union(attrs.evolve(c, claims=spread(c)) for _, a in analyses
                       for c in a.conflicts)
    report = attrs.evolve(
        pairwise,
        conflicts=conflicts,
        sensitive=_union(attrs.evolve(c, claims=spread(c)) for _, a in analyses
                         for c in a.sensitive),
        repairs=repairs,
        implied_from=functools.partial(_implied, analyses),
        outlets=(analyses[0][1].outlets if not several and not the_plan.carriers
                 else _outlets(the_plan, conflicts, repairs)),
        notes=tuple(dict.fromkeys(notes)),
        truncated=any(a.truncated for _, a in analyses),
        repair_groups=tuple(tuple(attrs.evolve(r, claims=spread(r)) for r in g)
                            for _, a in analyses for g in a.repair_groups),
        cut=tuple(dict.fromkeys(c for _, a in analyses for c in a.cut)),
    )
    if notable_only and digest is not None:
        # the figures worth showing, item after item; how many there were in all
        merged = analyses[0][1]
        report = attrs.evolve(report, implied=merged.implied, implied_from=None,
                              digest=attrs.evolve(digest, implied=merged.implied_total,
                                                  disagree=merged.disagree,
                                                  rows=merged.rows))
    return report


def part_report(part: PartResult, reading: Reading) -> Report:
    """The report of one work item (:mod:`nkledger.parallel`) on its own.

    Its problems are those of the item's ledger alone; ``nkledger check --format jsonl``
    writes one such report a line.
    """
    a = None if part.analysis is None else part.analysis.resolved()
    if a is None:
        return Report(ledger=part.ledger, reading=reading, findings=part.findings,
                      joint=False)
    return Report(ledger=part.ledger, reading=reading, findings=part.findings,
                  conflicts=a.conflicts, sensitive=a.sensitive, repairs=a.repairs,
                  implied=a.implied, outlets=a.outlets, notes=a.notes, truncated=a.truncated)


def _without_drafts(ledger: Ledger, include: bool) -> tuple[Ledger, tuple[str, ...]]:
    """The ledger less its draft claims (unless *include*), and a note of how many."""
    drafts = sum(1 for c in ledger.claims if c.is_draft)
    if include or not drafts:
        return ledger, ()
    kept = ledger.select(lambda c: not c.is_draft)
    return kept, (f"{drafts} draft claim{'s' if drafts > 1 else ''} (status = \"draft\") "
                  f"left out; check them with --include-drafts (include_drafts=True).",)


def _spreader(carriers: Mapping[str, tuple[str, ...]]) -> Callable[[Iterable[str]],
                                                                    tuple[str, ...]]:
    """A function giving every claim that carries the evidence of some claims.

    The analysis sees one claim per piece of evidence (one origin, one figure); a repair
    must drop every reprint of it — ``ledger.without(repair)`` is then consistent — and
    a conflict set holds every claim that states it.
    """
    def spread(ids: Iterable[str]) -> tuple[str, ...]:
        return tuple(sorted({c for i in ids for c in carriers.get(i, (i,))}))

    return spread


def _union(conflicts: Iterable[Conflict]) -> tuple[Conflict, ...]:
    """Conflict sets of several parts, each once, smallest first."""
    unique = dict.fromkeys(conflicts)
    return tuple(sorted(unique, key=lambda c: (len(c.claims), c.claims)))


def _implied(analyses: Sequence[tuple[str | None, Merged]]) -> tuple[Implied, ...]:
    """Implied figures of every part; where bases imply different ones, each says its basis."""
    return one_per_quantity((name, implied) for name, analysis in analyses
                            for implied in analysis.implied)


def _outlets(the_plan: Plan, conflicts: Sequence[Conflict], repairs: Sequence[Repair]
             ) -> tuple[OutletSummary, ...]:
    """A line per outlet of the ledger as checked, counting every carrier of a piece of evidence."""
    ledger = the_plan.checked
    carried: dict[str, tuple[str, ...]] = dict(the_plan.carriers)

    def spread(ids: set[str]) -> set[str]:
        return {c for i in ids for c in carried.get(i, (i,))}

    in_conflicts = spread({c for conf in conflicts for c in conf.claims})
    least = min((r.weight for r in repairs), default=0.0)
    in_best = spread({c for r in repairs if r.weight <= least + 1e-9 for c in r.claims})
    summaries = outlet_summaries(ledger, in_conflicts, in_best)
    return tuple(summaries)


_MAX_LISTED = 10


def _set_apart(the_plan: Plan) -> list[str]:
    """One note per difference of bases and revision (the first few), for every renderer."""
    notes: list[str] = []
    for kind, items in (("different basis", the_plan.differences),
                        ("revision", the_plan.revisions)):
        notes.extend(f"{kind}: {f.explanation} ({', '.join(f.claims)})"
                     for f in items[:_MAX_LISTED])
        if len(items) > _MAX_LISTED:
            notes.append(f"{kind}: {len(items) - _MAX_LISTED} more (see the report's "
                         f"{'differences' if kind == 'different basis' else 'revisions'})")
    return notes
