"""Independent parts of a ledger, checked over any :class:`concurrent.futures.Executor`.

A ledger splits into *parts* that share no unknown: claims whose metrics are linked by an
identity or a ``part_of`` chain are in one part, whatever their periods (time
aggregation, growth bases and ranks only ever relate periods of one metric). That is a
cheap union-find over the metrics, coarser than the solver's own components (which may
also split one metric's periods) and therefore safe: nothing one part says can change
what another part's checks or joint analysis find.

Parts are packed, in ledger order, into *work items* of about ``chunk`` claims (a part is
never split), and each work item — a small, picklable :class:`~nkledger.ledger.Ledger` —
is checked on its own: the pairwise checks and the joint analysis. The results are merged
in work-item order, whatever order the executor finishes them in: findings in
:data:`~nkledger.checks.CHECKS` order (stable, so each item's order is kept), conflict
sets smallest first, implied figures item after item, notes once each; a repair of the
whole ledger takes one repair from each independent part that has a conflict, cheapest
first (:func:`combine`). Outlet summaries are counted over the whole ledger.

Why one path for every executor
    The single-process run goes through the same split and merge (an
    :class:`InlineExecutor` that runs each item as it is submitted), so ``jobs=1``,
    ``jobs=2``, any ``executor=`` (a process pool, a Dask ``Client.get_executor()``) give
    the same report by construction: the work items do not depend on the executor. The
    one exception is a time limit: a work item whose conflict enumeration hits the
    solver's ``time_limit`` may be cut at a different point on a slower worker (the
    report's ``truncated`` and ``notes`` say so). The items do depend on ``chunk``: the
    solver's caps (``max_conflicts``, ``max_repairs``) apply per item, so a different
    ``--chunk`` may list more or fewer conflict sets of a large ledger.

Packing parts into items of a couple of thousand claims keeps the solver's own bundling
of small components into one LP, which one call per tiny part would lose.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import functools
import itertools
import math
import operator
import os
import sys
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from typing import IO, TYPE_CHECKING, Any

import attrs

from ._collector import paused
from .claims import Identity, Metric
from .figures import Reading
from .findings import Finding
from .ledger import Ledger, linked_metrics
from .results import (
    Conflict,
    Implied,
    OutletSummary,
    Repair,
    best_repairs,
    combine,
    notable_in_order,
    one_per_quantity,
    outlet_summaries,
)

if TYPE_CHECKING:
    from .solver import Analysis

__all__ = [
    "CHUNK",
    "InlineExecutor",
    "Merged",
    "PartResult",
    "Progress",
    "Work",
    "check_parts",
    "combine",
    "lean",
    "merge",
    "parts",
    "pool",
    "settings",
    "warm",
    "work_items",
]

#: About how many claims go into one work item (parts are never split).
CHUNK = 2000
_METRIC, _SOURCE = operator.attrgetter("metric"), operator.attrgetter("source")
#: Work items submitted ahead of the one being collected (bounds memory in flight).
_AHEAD = 8
_observers: list[Callable[[PartResult], None]] = []
#: How a work item's result is rendered where it is checked (see :class:`Work`).
Render = Callable[["PartResult", Reading], str]
#: What :func:`settings` asks every work item to render where it is checked.
_render: Render | None = None
#: Whether :func:`settings` asks every work item for its lean result (see :class:`Work`).
_lean = False
#: How a lean work item writes an implied figure's row of a report's table.
Row = Callable[[Implied], tuple[str, ...]]
_row: Row | None = None


@contextlib.contextmanager
def settings(*, chunk: int | None = None,
             observe: Callable[[PartResult], None] | None = None,
             render: Render | None = None, lean: bool | None = None,
             row: Row | None = None) -> Iterator[None]:
    """Within the block, pack work items of *chunk* claims and show each result to *observe*.

    With *render*, each work item is also rendered where it is checked (see
    :class:`Work`), and its result comes back with the text instead of its findings and
    implied figures. This is how the command line draws its progress bar and streams
    ``--format jsonl`` through :func:`nkledger.check`, whose signature stays that of a
    plain check.

    With *lean*, each work item sends back only what a report's digest shows (its
    findings that problems can be made of, and how many others there were; see
    :class:`Work`), and :func:`nkledger.check` keeps only the implied figures worth
    showing: the report then has a :class:`~nkledger.report.Digest`. This is how the
    command line writes a text, markdown or HTML report of a huge ledger without
    holding every finding of it. With *row* too, each lean item also writes the row of
    the report's table of each implied figure it keeps (``Digest.rows``).
    """
    global CHUNK, _render, _lean, _row
    saved, saved_render, saved_lean, saved_row = CHUNK, _render, _lean, _row
    if chunk is not None:
        if chunk < 1:
            raise ValueError(f"chunk must be at least 1 claim, got {chunk}")
        CHUNK = chunk
    if observe is not None:
        _observers.append(observe)
    if render is not None:
        _render = render
    if lean is not None:
        _lean = lean
    if row is not None:
        _row = row
    try:
        yield
    finally:
        CHUNK, _render, _lean, _row = saved, saved_render, saved_lean, saved_row
        if observe is not None:
            _observers.remove(observe)


class _LazyPool(concurrent.futures.Executor):
    """A process pool of *jobs* workers, started only when the first call is submitted."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any
               ) -> concurrent.futures.Future[Any]:
        """Start the pool if need be, and hand it the call."""
        if self._pool is None:
            import multiprocessing

            # forkserver: workers do not inherit the threads of a parent that has any
            # (a Dask client, HiGHS), which fork would copy in an unknown state
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context(
                "forkserver" if "forkserver" in methods else None)
            if context.get_start_method() == "forkserver":
                # the server imports what a work item needs once, and every worker forked
                # from it has it already (else each would import it again, ~0.3 s each);
                # a server started by warm() has its modules already
                work = args[0] if args else None
                if isinstance(work, Work):
                    context.set_forkserver_preload(
                        _preload(joint=work.joint, hooks=(work.render, work.row)))
                else:
                    context.set_forkserver_preload(_preload())
            self._pool = concurrent.futures.ProcessPoolExecutor(self.jobs, mp_context=context)
        return self._pool.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Stop the workers, if any were started."""
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)


def _preload(*, joint: bool = False, hooks: Iterable[Callable[..., Any] | None] = ()
             ) -> list[str]:
    """The modules a worker imports: the forkserver's to import first.

    A worker checks work items (with the solver when *joint*) and calls *hooks*
    (:class:`Work`'s ``render`` and ``row``). ``__main__`` stays first, as
    multiprocessing has it by default (the main script is then imported once, by the
    server, not by every worker).
    """
    modules = ["__main__", "nkledger.parallel", "nkledger.checks"]
    if joint:
        modules.append("nkledger.solver")
    modules.extend(hook.__module__ for hook in hooks if hook is not None)
    # the command line's main module, run as __mp_main__ by each worker, imports it
    modules.extend(m for m in ("nkledger.cli",) if m in sys.modules)
    return modules


def warm(*, joint: bool = True, render: Render | None = None, row: Row | None = None) -> None:
    """Start the process that forks the pool's workers now, to import while this one loads.

    For a caller about to load a large ledger and check it with ``jobs`` > 1 (the
    command line): the server's imports (about half a second) then overlap the loading
    instead of following it, and the first work item starts that much sooner. *joint*,
    *render* and *row* say what the work items will need, as :class:`Work` does.
    Nothing else changes: a pool started later forks its workers from this server, and
    if none is started the server merely exits with this process. Does nothing where
    the start method is not forkserver.
    """
    import multiprocessing
    import multiprocessing.forkserver

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_preload(joint=joint, hooks=(render, row)))
    multiprocessing.forkserver.ensure_running()


@contextlib.contextmanager
def pool(executor: concurrent.futures.Executor | None = None, jobs: int | None = None
         ) -> Iterator[concurrent.futures.Executor]:
    """The executor to check on: *executor* itself, this process, or a pool of *jobs*.

    A pool is started only if some ledger checked with it has more than one work item
    (one item is checked in this process: the report is the same either way), and shut
    down on leaving.
    """
    if jobs is not None and jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    if executor is not None:
        yield executor
    elif jobs is None or jobs == 1:
        yield InlineExecutor()
    else:
        lazy = _LazyPool(jobs)
        try:
            yield lazy
        finally:
            lazy.shutdown(wait=True, cancel_futures=True)


class InlineExecutor(concurrent.futures.Executor):
    """An executor that runs each call at once, in the calling thread."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any
               ) -> concurrent.futures.Future[Any]:
        """Run ``fn(*args, **kwargs)`` now; the future is already done."""
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # handed back through the future, as a pool does
            future.set_exception(exc)
        return future


# -- splitting ---------------------------------------------------------------------------


def parts(ledger: Ledger) -> list[list[int]]:
    """The independent parts of *ledger*: lists of claim indexes, in ledger order.

    Two claims are in one part when their metrics are linked by identities and
    ``part_of`` chains. Parts are ordered by their first claim.
    """
    roots = linked_metrics(ledger)
    groups: dict[str, list[int]] = {}
    for index, claim in enumerate(ledger.claims):
        groups.setdefault(roots[claim.metric], []).append(index)
    return list(groups.values())


@attrs.frozen(kw_only=True)
class Work:
    """One work item: a sub-ledger of whole parts, and how to check it.

    It pickles (a :class:`~nkledger.ledger.Ledger` does), so any executor can ship it.
    ``render``, a module-level function (so it pickles by name), turns the item's
    result into text where the item is checked: its problems, implied figures and JSON
    are then made by the worker, and only the text travels back. ``lean`` sends back
    only the findings :func:`~nkledger.problems.find_problems` looks at (those in
    conflict or depending on the reading, and any naming no claim) and counts the
    others by verdict, each once (:attr:`PartResult.left_out`): a text report needs
    no more, and most of a big ledger's findings then never cross a process boundary.
    A lean item with ``notable`` also keeps only the implied figures worth showing
    (one per quantity as :func:`~nkledger.results.one_per_quantity` with ``basis``
    gives them, then :func:`~nkledger.results.notable_in_order`), counting the others,
    and with ``row`` writes each one's row of the report's table.
    """

    index: int
    ledger: Ledger
    reading: Reading
    joint: bool = True
    only: tuple[str, ...] | None = None
    analyse: tuple[tuple[str, Any], ...] = ()
    render: Render | None = None
    lean: bool = False
    notable: bool = False
    basis: str | None = None
    row: Row | None = None


def work_items(ledger: Ledger, reading: Reading = "default", *, joint: bool = True,
               only: Collection[str] | None = None, chunk: int | None = None,
               analyse: dict[str, Any] | None = None) -> Iterator[Work]:
    """Pack *ledger*'s parts, in order, into work items of about *chunk* claims.

    Each item's ledger holds the claims of its parts, their metrics and identities, and
    the sources they cite (in the whole ledger's order).
    """
    chunk = CHUNK if chunk is None else chunk
    if chunk < 1:
        raise ValueError(f"chunk must be at least 1 claim, got {chunk}")
    options = tuple(sorted((analyse or {}).items()))
    wanted = None if only is None else tuple(sorted(only))
    roots = linked_metrics(ledger)
    metrics: dict[str, list[Metric]] = defaultdict(list)
    for metric in ledger.metrics:
        metrics[roots[metric.id]].append(metric)
    identities: dict[str, list[Identity]] = defaultdict(list)
    for identity in ledger.identities:
        identities[roots[identity.whole]].append(identity)
    source_order = {s.id: k for k, s in enumerate(ledger.sources)}
    every = ledger.claims
    # each claim's part (by its root), and how many claims each part has, in the order
    # of the parts' first claims; all at C speed, as is what follows
    of_claim = list(map(roots.__getitem__, map(_METRIC, every)))
    sizes = Counter(of_claim)
    # the parts, in order, packed into items: each part's item
    item_of: dict[str, int] = {}
    batches: list[list[str]] = [[]]
    size = 0
    for root, members in sizes.items():
        batches[-1].append(root)
        item_of[root] = len(batches) - 1
        size += members
        if size >= chunk:
            batches.append([])
            size = 0
    if not batches[-1] and len(batches) > 1:
        batches.pop()
    if len(batches) == 1:
        yield Work(index=0, ledger=ledger, reading=reading, joint=joint, only=wanted,
                   analyse=options)  # one item: the ledger as it is
        return
    # each item's claims in ledger order: a stable sort by item (none at all where the
    # ledger is written item after item, as a file usually is)
    items = list(map(item_of.__getitem__, of_claim))
    if not all(map(operator.le, items, itertools.islice(items, 1, None))):
        order = sorted(range(len(every)), key=items.__getitem__)
        every = tuple(map(every.__getitem__, order))
    counts = Counter(items)
    start = 0
    for index, batch in enumerate(batches):
        claims = every[start:start + counts[index]]
        start += counts[index]
        cited = sorted(set(map(_SOURCE, claims)), key=source_order.__getitem__)
        # whole parts of a valid ledger, with all they refer to: valid as they are
        sub = Ledger._part_of_valid(
            metrics=[m for root in batch for m in metrics[root]],
            identities=[i for root in batch for i in identities[root]],
            sources=[ledger.source(s) for s in cited], claims=claims,
            origin=ledger.origin)
        yield Work(index=index, ledger=sub, reading=reading, joint=joint, only=wanted,
                   analyse=options)


# -- checking one item -------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class PartResult:
    """What one work item found: its findings and, when asked for, its joint analysis.

    ``text`` is the item rendered where it was checked (when its :class:`Work` asked
    for it); ``findings`` then holds the conflicting findings only, and ``analysis``
    no implied figures: the text has them, and a streaming writer keeps nothing else.
    ``left_out`` counts, by verdict, the findings a lean item left out (see
    :class:`Work`), each distinct finding once. ``implied_total`` (None unless the
    item was lean and ``notable``) counts its implied figures, of which ``analysis``
    holds only those worth showing, ``disagree`` those the tied repairs disagree on,
    and ``rows`` is each kept figure's row of the report's table (if asked for).
    """

    index: int
    ledger: Ledger
    findings: tuple[Finding, ...]
    analysis: Analysis | None
    text: str | None = None
    left_out: tuple[tuple[str, int], ...] = ()
    implied_total: int | None = None
    disagree: int = 0
    rows: tuple[tuple[str, ...], ...] | None = None


@paused
def check_work(work: Work) -> PartResult:
    """Run the pairwise checks and the joint analysis on one work item (and render it).

    The cyclic collector is paused over the whole item (see :mod:`nkledger._collector`):
    an item is a bounded amount of work, and its result is what is left of it.
    """
    from .checks import run_checks, run_lean

    # a lean item drops the findings problems do not read: it only counts them
    left_out: tuple[tuple[str, int], ...] = ()
    if work.lean and work.render is None:
        findings, left_out = run_lean(work.ledger, work.reading, only=work.only)
    else:
        findings = run_checks(work.ledger, work.reading, only=work.only)
    analysis = None
    if work.joint:
        from .solver import analyse

        # the implied figures wait until asked for (a worker process computes them
        # when it sends the analysis back: Analysis pickles resolved)
        analysis = analyse(work.ledger, work.reading, **{"lazy": True, **dict(work.analyse)})
    result = PartResult(index=work.index, ledger=work.ledger, findings=tuple(findings),
                        analysis=analysis, left_out=left_out)
    if work.render is None:
        return _lean_result(result, work) if work.lean else result
    if analysis is not None:
        analysis = analysis.resolved()
        result = attrs.evolve(result, analysis=analysis)
    text = work.render(result, work.reading)
    return attrs.evolve(
        result, text=text,
        findings=tuple(f for f in result.findings if f.verdict == "conflict"),
        analysis=None if analysis is None else attrs.evolve(analysis, implied=()))


def _lean_result(result: PartResult, work: Work) -> PartResult:
    """*result*, its findings those problems are made of, and with its notable figures.

    A finding kept is one :func:`~nkledger.problems.find_problems` reads (in conflict,
    or depending on the reading) or one naming no claim. The others
    were counted by verdict already (:func:`~nkledger.checks.run_lean`), a finding
    equal to one already counted not again: the report lists equal findings once
    (``dict.fromkeys``), and two equal findings name the same claims, so they come
    from one work item — counted there, each once, as the whole report would.
    """
    analysis = result.analysis
    if analysis is None or not work.notable:
        return result
    # the figures are worked out now, once; the analysis keeps those worth showing and
    # still says what HiGHS could not bound as it would have (its notes once resolved,
    # unresolved on its figures: which one depends on whether the result travels)
    later = analysis.later
    # a reported figure is never shown (notable_in_order): it is only counted
    figures, failed = (analysis.implied, ()) if later is None else later(reported=False)
    grouped = one_per_quantity((work.basis, i) for i in figures)
    shown, disagree = notable_in_order(grouped)
    if later is None:
        analysis = attrs.evolve(analysis, implied=tuple(shown))
    else:
        analysis = attrs.evolve(analysis, later=functools.partial(_given, tuple(shown),
                                                                  tuple(failed)))
    rows = None if work.row is None else tuple(work.row(i) for i in shown)
    return attrs.evolve(result, analysis=analysis, implied_total=len(grouped),
                        disagree=disagree, rows=rows)


def _given(implied: tuple[Implied, ...], failed: tuple[str, ...]
           ) -> tuple[tuple[Implied, ...], tuple[str, ...]]:
    """What a lazy analysis's ``later`` gives, worked out already."""
    return implied, failed


_NO_LEDGER = Ledger()


def _check_shipped(work: Work) -> PartResult:
    """:func:`check_work`, less the item's ledger: the caller has it, and it need not travel."""
    return attrs.evolve(check_work(work), ledger=_NO_LEDGER)


def run(items: Iterable[Work], executor: concurrent.futures.Executor, *,
        ahead: int = _AHEAD) -> Iterator[PartResult]:
    """Check *items* on *executor*, yielding their results in item order.

    At most *ahead* items are in flight beyond the one being waited for, so a huge
    ledger is never shipped to the workers all at once. A result comes back without
    its ledger (unpickling it again would cost this process as much as the split) and
    gets the item's own here.
    """
    pending: deque[tuple[Work, concurrent.futures.Future[PartResult]]] = deque()

    def collect() -> PartResult:
        work, future = pending.popleft()
        return attrs.evolve(future.result(), ledger=work.ledger)

    for work in items:
        pending.append((work, executor.submit(_check_shipped, work)))
        while len(pending) > ahead:
            yield collect()
    while pending:
        yield collect()


# -- merging -----------------------------------------------------------------------------


def _size_first(c: Conflict) -> tuple[int, tuple[str, ...]]:
    return (len(c.claims), c.claims)


@attrs.frozen(kw_only=True)
class Merged:
    """The results of every work item as one: what a :class:`~nkledger.report.Report` holds.

    ``consistent`` says the joint analysis found every item's claims can hold together;
    ``cut`` what a limit cut short, in plain words (the items' own, each once).
    ``left_out`` counts by verdict the findings lean items left out (see :class:`Work`).
    ``implied_total`` is None when ``implied`` holds every implied figure; merged with
    ``notable_only`` it is how many there were, ``implied`` those worth showing (in
    item order, unsorted: :func:`~nkledger.results.notable_in_order`) and
    ``disagree`` how many the tied repairs disagree on; ``rows`` the table row of each
    (None where an item did not write them).
    """

    findings: tuple[Finding, ...]
    joint: bool
    conflicts: tuple[Conflict, ...] = ()
    sensitive: tuple[Conflict, ...] = ()
    repairs: tuple[Repair, ...] = ()
    repair_groups: tuple[tuple[Repair, ...], ...] = ()
    given_implied: tuple[Implied, ...] = attrs.field(default=(), alias="implied", repr=False)
    outlets: tuple[OutletSummary, ...] = ()
    notes: tuple[str, ...] = ()
    truncated: bool = False
    parts: int = 0
    consistent: bool = True
    cut: tuple[str, ...] = ()
    later: tuple[Analysis, ...] = attrs.field(default=(), eq=False, repr=False)
    left_out: tuple[tuple[str, int], ...] = ()
    implied_total: int | None = None
    disagree: int = 0
    rows: tuple[tuple[str, ...], ...] | None = None

    @functools.cached_property
    def implied(self) -> tuple[Implied, ...]:
        """The implied figures, item after item: computed on first access where lazy."""
        return (*self.given_implied, *(i for a in self.later for i in a.figures()))


class Merger:
    """Gathers work items' results, in item order, into one :class:`Merged`.

    With ``keep=False`` the findings and implied figures are counted but not kept (a
    streaming writer has already written them), so memory stays that of one item.
    With ``notable_only`` only the implied figures worth showing are kept, the others
    counted (each item's figures one per quantity, as
    :func:`~nkledger.results.one_per_quantity` with *basis* gives them).
    """

    def __init__(self, ledger: Ledger, *, joint: bool, max_repairs: int = 10,
                 keep: bool = True, notable_only: bool = False,
                 basis: str | None = None) -> None:
        from .checks import CHECKS

        self.ledger = ledger
        self.joint = joint
        self.keep = keep
        self.notable_only = notable_only
        self.basis = basis
        self.left_out: dict[str, int] = {}
        self.shown: list[Implied] = []
        self.rows: list[tuple[str, ...]] | None = []
        self.implied_total = 0
        self.disagree = 0
        self.max_repairs = max_repairs
        self._order = {name: k for k, name in enumerate(CHECKS)}
        self.findings: list[Finding] = []
        self.conflicts: list[Conflict] = []
        self.sensitive: list[Conflict] = []
        self.groups: list[tuple[Repair, ...]] = []
        self.implied: list[Analysis] = []
        self.notes: dict[str, None] = {}
        self.cut: dict[str, None] = {}
        self.truncated = False
        self.consistent = True
        self.unrepaired = False
        self.items = 0
        self.conflicting = 0

    def add(self, result: PartResult) -> None:
        """Take one work item's result (items must come in order)."""
        if result.index != self.items:
            raise ValueError(f"work item {result.index} came out of order "
                             f"(expected {self.items})")
        self.items += 1
        self.conflicting += sum(f.verdict == "conflict" for f in result.findings)
        if self.keep:
            self.findings.extend(result.findings)
        for verdict, n in result.left_out:
            self.left_out[verdict] = self.left_out.get(verdict, 0) + n
        analysis = result.analysis
        if analysis is None:
            return
        self.conflicts.extend(analysis.conflicts)
        self.sensitive.extend(analysis.sensitive)
        if analysis.conflicts and not analysis.repair_groups:
            self.unrepaired = True  # claims of pinned sources conflict: no repair exists
        self.groups.extend(analysis.repair_groups)
        if self.keep and self.notable_only and result.implied_total is not None:
            self.shown.extend(analysis.figures())  # the item kept those worth showing
            if self.rows is not None and result.rows is not None:
                self.rows.extend(result.rows)
            else:
                self.rows = None
            self.implied_total += result.implied_total
            self.disagree += result.disagree
        elif self.keep and self.notable_only:
            figures = one_per_quantity((self.basis, i) for i in analysis.figures())
            shown, disagree = notable_in_order(figures)
            self.shown.extend(shown)
            self.rows = None
            self.implied_total += len(figures)
            self.disagree += disagree
        elif self.keep:
            self.implied.append(analysis)
        self.notes.update(dict.fromkeys(analysis.notes))
        self.cut.update(dict.fromkeys(getattr(analysis, "cut", ())))
        self.consistent = self.consistent and analysis.consistent
        self.truncated = self.truncated or analysis.truncated

    def result(self) -> Merged:
        """Everything gathered, merged deterministically."""
        findings = sorted(self.findings, key=lambda f: self._order.get(f.check, len(self._order)))
        left_out = tuple(self.left_out.items())
        if not self.joint:
            return Merged(findings=tuple(findings), joint=False, parts=self.items,
                          left_out=left_out)
        lean: dict[str, Any] = {}
        if self.notable_only:
            lean = {"implied": tuple(self.shown), "implied_total": self.implied_total,
                    "disagree": self.disagree,
                    "rows": None if self.rows is None else tuple(self.rows)}
        conflicts = sorted(self.conflicts, key=_size_first)
        sensitive = sorted(self.sensitive, key=_size_first)
        groups = [list(g) for g in self.groups]
        repairs = [] if self.unrepaired else combine(groups, self.max_repairs)
        notes = dict(self.notes)
        cut = dict(self.cut)
        truncated = self.truncated
        ties = (math.prod(len(best_repairs(g)) for g in groups)
                if groups and not self.unrepaired else 0)
        if ties > self.max_repairs and len(groups) > 1:
            truncated = True
            tie = (f"{ties} repairs of the whole ledger tie for the least weight; "
                   f"{self.max_repairs} are listed (repair_groups has each independent "
                   f"part's own)")
            notes[tie] = None
            cut[tie] = None
        return Merged(
            findings=tuple(findings), joint=True, conflicts=tuple(conflicts),
            sensitive=tuple(sensitive), repairs=tuple(repairs),
            repair_groups=tuple(self.groups), later=tuple(self.implied),
            outlets=tuple(self._outlets(conflicts, groups)), notes=tuple(notes),
            truncated=truncated, parts=self.items, consistent=self.consistent,
            cut=tuple(cut), left_out=left_out, **lean)

    def _outlets(self, conflicts: Sequence[Conflict], groups: Sequence[Sequence[Repair]]
                 ) -> list[OutletSummary]:
        in_conflicts = {c for conf in conflicts for c in conf.claims}
        in_best = {c for g in groups for r in best_repairs(g) for c in r.claims}
        summaries = list(outlet_summaries(self.ledger, in_conflicts, in_best))
        return summaries


def merge(ledger: Ledger, results: Iterable[PartResult], *, joint: bool = True,
          max_repairs: int = 10, notable_only: bool = False, basis: str | None = None
          ) -> Merged:
    """Merge work items' results (in item order) into one (see :class:`Merger`)."""
    merger = Merger(ledger, joint=joint, max_repairs=max_repairs,
                    notable_only=notable_only, basis=basis)
    for result in results:
        merger.add(result)
    return merger.result()


# -- the whole run -----------------------------------------------------------------------


class Progress:
    """A progress bar on a terminal stream: claims checked of all, and time taken.

    Silent when *stream* is not a terminal (a log file, a pipe) or when *quiet*.
    """

    def __init__(self, total: int, *, stream: IO[str] | None = None, quiet: bool = False,
                 label: str = "checking") -> None:
        self.stream = sys.stderr if stream is None else stream
        self.total = total
        self.done = 0
        self.label = label
        self.started = time.monotonic()
        self.shown = -1.0
        isatty = getattr(self.stream, "isatty", None)
        self.active = not quiet and isatty is not None and bool(isatty())

    def __call__(self, claims: int) -> None:
        """Count *claims* more as checked, and redraw at most ten times a second."""
        self.done += claims
        if not self.active:
            return
        now = time.monotonic()
        if now - self.shown < 0.1 and self.done < self.total:
            return
        self.shown = now
        share = self.done / self.total if self.total else 1.0
        width = 30
        bar = "#" * round(share * width)
        self.stream.write(f"\r{self.label} [{bar:<{width}}] {self.done:,}/{self.total:,} "
                          f"claims, {now - self.started:.0f} s")
        self.stream.flush()

    def observe(self, result: PartResult) -> None:
        """Count a work item's claims as checked."""
        self(len(result.ledger.claims))

    def close(self) -> None:
        """End the bar's line."""
        if self.active:
            self.stream.write("\n")
            self.stream.flush()


def default_jobs() -> int:
    """One job per core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def results(ledger: Ledger, reading: Reading = "default", *, joint: bool = True,
            only: Collection[str] | None = None,
            executor: concurrent.futures.Executor | None = None, jobs: int | None = None,
            chunk: int | None = None, analyse: dict[str, Any] | None = None,
            progress: Callable[[int], None] | None = None, notable_only: bool = False,
            basis: str | None = None) -> Iterator[PartResult]:
    """Check *ledger* part by part, yielding each work item's result in order.

    Args:
        executor: where to run the work items; default: a process pool of *jobs*
            workers, or this process when *jobs* is None or 1 or the ledger is one
            work item.
        chunk: about how many claims go into one work item.
        analyse: keyword arguments for :func:`nkledger.solver.analyse`.
        progress: called with the number of claims of each item as it is collected.
        notable_only, basis: lean items (:func:`settings`) keep only the implied
            figures worth showing, those of basis *basis* (see :class:`Work`).
    """
    items: Iterator[Work] = work_items(ledger, reading, joint=joint, only=only, chunk=chunk,
                                       analyse=analyse)
    if _render is not None:
        render = _render
        items = (attrs.evolve(w, render=render) for w in items)
    elif _lean:
        row = _row
        items = (attrs.evolve(w, lean=True, notable=notable_only, basis=basis, row=row)
                 for w in items)
    first = next(items)
    second = next(items, None)
    chain = itertools.chain([first], [] if second is None else [second], items)
    with pool(executor, jobs) as runner:
        if second is None and isinstance(runner, _LazyPool):
            runner = InlineExecutor()  # one item needs no pool: same report either way
        for result in run(chain, runner):
            if progress is not None:
                progress(len(result.ledger.claims))
            for observer in _observers:
                observer(result)
            yield result


def check_parts(ledger: Ledger, reading: Reading = "default", *, joint: bool = True,
                only: Collection[str] | None = None,
                executor: concurrent.futures.Executor | None = None,
                jobs: int | None = None, chunk: int | None = None,
                analyse: dict[str, Any] | None = None,
                progress: Callable[[int], None] | None = None,
                notable_only: bool = False, basis: str | None = None) -> Merged:
    """Check *ledger* part by part on *executor* and merge the results (see :func:`results`).

    *notable_only* and *basis*: see :class:`Merger`.
    """
    max_repairs = int((analyse or {}).get("max_repairs", 10))
    return merge(ledger, results(ledger, reading, joint=joint, only=only, executor=executor,
                                 jobs=jobs, chunk=chunk, analyse=analyse, progress=progress,
                                 notable_only=notable_only, basis=basis),
                 joint=joint, max_repairs=max_repairs, notable_only=notable_only,
                 basis=basis)


def lean() -> bool:
    """Whether :func:`settings` asks for lean results (see :class:`Work`)."""
    return _lean
