"""Tests for checking a ledger part by part: the split, the merge, and every executor alike."""

from __future__ import annotations

import collections
import concurrent.futures
import pickle
from pathlib import Path

import attrs
import pytest

import nkledger
from nkledger import parallel
from nkledger.checks import run_checks
from nkledger.ledger import Ledger
from nkledger.render import render
from nkledger.report import check
from nkledger.results import Repair

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "china_dprk_2025.toml"


def copies(ledger: Ledger, n: int) -> Ledger:
    """*n* independent copies of *ledger*'s metrics and claims, sharing its sources."""
    metrics, identities, claims = [], [], []
    for k in range(n):
        def name(metric: str, k: int = k) -> str:
            return f"c{k}_{metric}"

        metrics += [attrs.evolve(m, id=name(m.id),
                                 part_of=None if m.part_of is None else name(m.part_of))
                    for m in ledger.metrics]
        identities += [attrs.evolve(i, whole=name(i.whole), parts=[name(p) for p in i.parts])
                       for i in ledger.identities]
        claims += [attrs.evolve(c, id=f"c{k}-{c.id}", metric=name(c.metric))
                   for c in ledger.claims]
    return Ledger(metrics=metrics, identities=identities, sources=ledger.sources,
                  claims=claims, origin="copies.toml")


@pytest.fixture(scope="module")
def seed() -> Ledger:
    """The seed ledger: one part, with real conflicts."""
    return nkledger.load(SEED)


@pytest.fixture(scope="module")
def many(seed: Ledger) -> Ledger:
    """Three copies of the seed ledger: three independent parts."""
    return copies(seed, 3)


@pytest.fixture
def small_items(monkeypatch: pytest.MonkeyPatch) -> None:
    """Work items of one part each (the seed ledger has 41 claims)."""
    monkeypatch.setattr(parallel, "CHUNK", 30)


class TestParts:
    def test_copies_are_separate_parts(self, many: Ledger) -> None:
        """Copies that share no metric are separate parts, each in ledger order."""
        found = parallel.parts(many)
        assert len(found) == 3
        assert [len(p) for p in found] == [41, 41, 41]
        assert all(p == sorted(p) for p in found)
        assert sorted(i for p in found for i in p) == list(range(len(many.claims)))

    def test_linked_metrics_share_a_part(self, seed: Ledger) -> None:
        """Identities and part_of chains put their metrics' claims into one part."""
        assert len(parallel.parts(seed)) == 1

    def test_an_unlinked_metric_is_its_own_part(self) -> None:
        """Two metrics with no identity between them are two parts."""
        ledger = nkledger.loads("""
[[metric]]
id = "a"
[[metric]]
id = "b"
[[source]]
id = "s"
outlet = "S"
[[claim]]
id = "b1"
source = "s"
metric = "b"
period = "2025"
value = "$5m"
quote = "five"
[[claim]]
id = "a1"
source = "s"
metric = "a"
period = "2025"
value = "$3m"
quote = "three"
[[claim]]
id = "b2"
source = "s"
metric = "b"
period = "2024"
value = "$4m"
quote = "four"
""")
        assert parallel.parts(ledger) == [[0, 2], [1]]


class TestWorkItems:
    def test_items_hold_whole_parts(self, many: Ledger) -> None:
        """Items never split a part, and every claim lands in exactly one item."""
        items = list(parallel.work_items(many, chunk=41))
        assert [len(w.ledger.claims) for w in items] == [41, 41, 41]
        assert [w.index for w in items] == [0, 1, 2]
        ids = [c.id for w in items for c in w.ledger.claims]
        assert ids == [c.id for c in many.claims]

    def test_items_pack_parts_up_to_the_chunk(self, many: Ledger) -> None:
        """Parts are packed into one item until it holds at least *chunk* claims."""
        items = list(parallel.work_items(many, chunk=60))
        assert [len(w.ledger.claims) for w in items] == [82, 41]

    def test_one_item_is_the_ledger_itself(self, seed: Ledger) -> None:
        """A ledger that is one work item is checked as it is."""
        (item,) = parallel.work_items(seed)
        assert item.ledger is seed

    def test_an_empty_ledger_is_one_empty_item(self) -> None:
        """Even a ledger with no claims gives one work item."""
        (item,) = parallel.work_items(Ledger())
        assert item.ledger.claims == ()

    def test_work_items_pickle(self, many: Ledger) -> None:
        """A work item survives pickling whole, so any executor can ship it."""
        for work in parallel.work_items(many, chunk=1):
            again = pickle.loads(pickle.dumps(work))
            assert again == work
            assert again.ledger.claim(work.ledger.claims[0].id) == work.ledger.claims[0]

    def test_a_chunk_must_be_positive(self, seed: Ledger) -> None:
        """A chunk of no claims is refused."""
        with pytest.raises(ValueError, match="chunk"):
            list(parallel.work_items(seed, chunk=0))


class TestCombine:
    def test_one_repair_from_each_group_cheapest_first(self) -> None:
        """Whole-ledger repairs take one repair per group, in order of total weight."""
        groups = [[Repair(claims=["a"], weight=1.0), Repair(claims=["b", "c"], weight=2.0)],
                  [Repair(claims=["x"], weight=1.0), Repair(claims=["y"], weight=1.5)]]
        got = parallel.combine(groups, 10)
        assert [(r.claims, r.weight) for r in got] == [
            (("a", "x"), 2.0), (("a", "y"), 2.5), (("b", "c", "x"), 3.0),
            (("b", "c", "y"), 3.5)]
        assert len(parallel.combine(groups, 2)) == 2

    def test_a_group_without_repairs_leaves_none(self) -> None:
        """When one part cannot be repaired, neither can the whole ledger."""
        assert parallel.combine([[Repair(claims=["a"], weight=1.0)], []], 10) == []


class TestMerge:
    def test_findings_are_those_of_the_whole_ledger(self, many: Ledger) -> None:
        """Checking part by part finds exactly what checking the whole ledger finds."""
        merged = parallel.check_parts(many, joint=False, chunk=1)
        assert collections.Counter(merged.findings) == collections.Counter(run_checks(many))
        assert merged.parts == 3

    def test_repairs_combine_the_parts(self, seed: Ledger, many: Ledger) -> None:
        """Each part's best repair, taken together, is the whole ledger's best repair."""
        alone = check(seed)
        merged = parallel.check_parts(many, chunk=1)
        assert len(merged.repair_groups) == 3
        best = merged.repairs[0]
        assert best.weight == pytest.approx(3 * alone.repairs[0].weight)
        assert len(best.claims) == 3 * len(alone.repairs[0].claims)
        assert len(merged.conflicts) == 3 * len(alone.conflicts)

    def test_outlets_count_the_whole_ledger(self, many: Ledger) -> None:
        """Outlet summaries count every claim of the whole ledger once."""
        merged = parallel.check_parts(many, chunk=1)
        assert sum(o.claims for o in merged.outlets) == len(many.claims)

    def test_results_must_come_in_order(self, many: Ledger) -> None:
        """The merge refuses results out of item order rather than reorder silently."""
        results = list(parallel.results(many, joint=False, chunk=1))
        merger = parallel.Merger(many, joint=False)
        with pytest.raises(ValueError, match="out of order"):
            merger.add(results[1])


def _rendered(report: nkledger.Report) -> tuple[str, str]:
    return render(report, "json"), render(report, "text")


@pytest.mark.usefixtures("small_items")
class TestSameReportEverywhere:
    def test_processes_and_inline_give_the_same_bytes(self, many: Ledger) -> None:
        """jobs=1, jobs=2 and an explicit process pool render identical JSON and text."""
        one = _rendered(check(many, jobs=1))
        assert one == _rendered(check(many))
        assert one == _rendered(check(many, jobs=2))
        with concurrent.futures.ProcessPoolExecutor(2) as pool:
            assert one == _rendered(check(many, executor=pool))
        with concurrent.futures.ThreadPoolExecutor(1) as threads:
            assert one == _rendered(check(many, executor=threads, joint=True))

    def test_pairwise_only_too(self, many: Ledger) -> None:
        """Without the joint analysis the reports are identical as well."""
        one = _rendered(check(many, joint=False))
        with concurrent.futures.ProcessPoolExecutor(2) as pool:
            assert one == _rendered(check(many, joint=False, executor=pool))

    def test_dask_local_cluster_gives_the_same_bytes(self, many: Ledger) -> None:
        """A real Dask LocalCluster's executor renders the very same report."""
        distributed = pytest.importorskip(
            "distributed", reason="Dask distributed is not installed (pip install "
                                  "'nkledger[dask]')")
        one = _rendered(check(many))
        with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                      dashboard_address=None) as cluster, \
                distributed.Client(cluster, timeout="20s") as client:
            assert one == _rendered(check(many, executor=client.get_executor()))

    def test_jobs_must_be_positive(self, many: Ledger) -> None:
        """Zero jobs is refused."""
        with pytest.raises(ValueError, match="jobs"):
            check(many, jobs=0)


class TestProgress:
    def test_silent_when_not_a_terminal(self) -> None:
        """A progress bar writes nothing to a stream that is not a terminal."""
        import io

        stream = io.StringIO()
        bar = parallel.Progress(10, stream=stream)
        bar(5)
        bar(5)
        bar.close()
        assert stream.getvalue() == ""

    def test_draws_on_a_terminal_unless_quiet(self) -> None:
        """On a terminal the bar counts claims; quiet silences it."""
        import io

        class Tty(io.StringIO):
            def isatty(self) -> bool:
                return True

        stream = Tty()
        bar = parallel.Progress(10, stream=stream)
        bar(10)
        bar.close()
        assert "10/10 claims" in stream.getvalue()
        quiet = Tty()
        silent = parallel.Progress(10, stream=quiet, quiet=True)
        silent(10)
        silent.close()
        assert quiet.getvalue() == ""
