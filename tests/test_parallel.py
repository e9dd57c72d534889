"""Tests for checking a ledger part by part: the split, the merge, and every executor alike."""

from __future__ import annotations

import collections
import concurrent.futures
import pickle
import random
from pathlib import Path

import attrs
import hypothesis
import pytest

import nkledger
from nkledger import parallel
from nkledger.checks import run_checks
from nkledger.ledger import Ledger
from nkledger.render import render
from nkledger.report import check
from nkledger.results import Repair
from nkledger.strategies import ledgers

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
    """Two copies of the seed ledger: two independent parts."""
    return copies(seed, 2)


@pytest.fixture(scope="module")
def merged_many(many: Ledger) -> parallel.Merged:
    """The two copies checked part by part."""
    return parallel.check_parts(many, chunk=1)


def partners(n: int) -> Ledger:
    """*n* small trade partners, each its own part; every other one has a conflict."""
    out = ['[[source]]\nid = "a"\noutlet = "Wire A"\n',
           '[[source]]\nid = "b"\noutlet = "Daily B"\n']
    for k in range(n):
        out += [f'[[metric]]\nid = "p{k}_{m}"\nunit = "USD"\naggregate = "sum"\n'
                for m in ("exports", "imports", "total")]
        out.append(f'[[identity]]\np{k}_total = ["p{k}_exports", "p{k}_imports"]\n')
        total = "$1.5bn" if k % 2 else "$1.26bn"
        for cid, source, metric, period, extra in [
            ("x", "a", "exports", "2025-H1", 'value = "$1.05bn"'),
            ("m", "a", "imports", "2025-H1", 'value = "$210m"'),
            ("t", "b", "total", "2025-H1", f'value = "{total}"'),
            ("g", "b", "exports", "2025-H1", 'change = "yoy"\nvalue = "about 5%"'),
            ("p", "a", "exports", "2024-H1", 'value = "$1bn"'),
        ]:
            out.append(f'[[claim]]\nid = "p{k}-{cid}"\nsource = "{source}"\n'
                       f'metric = "p{k}_{metric}"\nperiod = "{period}"\n{extra}\n'
                       f'quote = "synthetic"\n')
    return nkledger.loads("\n".join(out), origin="partners.toml")


@pytest.fixture(scope="module")
def small() -> Ledger:
    """Four small partners: four parts, two with a conflict."""
    return partners(4)


@pytest.fixture
def small_items(monkeypatch: pytest.MonkeyPatch) -> None:
    """Work items of one part each (a partner has five claims)."""
    monkeypatch.setattr(parallel, "CHUNK", 5)


class TestParts:
    def test_copies_are_separate_parts(self, many: Ledger) -> None:
        """Copies that share no metric are separate parts, each in ledger order."""
        found = parallel.parts(many)
        assert len(found) == 2
        assert [len(p) for p in found] == [41, 41]
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


def _careful_items(ledger: Ledger, chunk: int) -> list[tuple[tuple[object, ...], ...]]:
    """Each item's metrics, identities, sources and claims, packed part after part."""
    from nkledger.ledger import linked_metrics

    roots = linked_metrics(ledger)
    groups: dict[str, list[int]] = {}
    for k, claim in enumerate(ledger.claims):
        groups.setdefault(roots[claim.metric], []).append(k)
    batches: list[list[str]] = []
    batch: list[str] = []
    size = 0
    for root, members in groups.items():
        batch.append(root)
        size += len(members)
        if size >= chunk:
            batches.append(batch)
            batch, size = [], 0
    if batch or not batches:
        batches.append(batch)
    out = []
    for batch in batches:
        claims = tuple(ledger.claims[k] for k in sorted(k for r in batch for k in groups[r]))
        cited = {c.source for c in claims}
        out.append((tuple(m for r in batch for m in ledger.metrics if roots[m.id] == r),
                    tuple(i for r in batch for i in ledger.identities
                          if roots[i.whole] == r),
                    tuple(s for s in ledger.sources if s.id in cited), claims))
    return out


class TestWorkItems:
    def test_items_hold_whole_parts(self, many: Ledger) -> None:
        """Items never split a part, and every claim lands in exactly one item."""
        items = list(parallel.work_items(many, chunk=41))
        assert [len(w.ledger.claims) for w in items] == [41, 41]
        assert [w.index for w in items] == [0, 1]
        ids = [c.id for w in items for c in w.ledger.claims]
        assert ids == [c.id for c in many.claims]

    def test_items_pack_parts_up_to_the_chunk(self, many: Ledger) -> None:
        """Parts are packed into one item until it holds at least *chunk* claims."""
        items = list(parallel.work_items(copies(many, 2), chunk=60))
        assert [len(w.ledger.claims) for w in items] == [82, 82]

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

    @hypothesis.given(ledgers(max_size=12), hypothesis.strategies.integers(1, 6),
                      hypothesis.strategies.randoms(use_true_random=False))
    def test_items_are_the_careful_packing(self, ledger: Ledger, chunk: int,
                                           shuffle: random.Random) -> None:
        """Items are the parts packed in order, whatever order the ledger's claims are in."""
        claims = list(ledger.claims)
        shuffle.shuffle(claims)
        ledger = attrs.evolve(ledger, claims=claims)
        items = list(parallel.work_items(ledger, chunk=chunk))
        careful = _careful_items(ledger, chunk)
        assert [w.index for w in items] == list(range(len(careful)))
        if len(careful) == 1:
            assert items[0].ledger is ledger  # one item: the ledger as it is
            return
        for work, (metrics, identities, sources, part_claims) in zip(items, careful,
                                                                     strict=True):
            assert work.ledger.metrics == metrics
            assert work.ledger.identities == identities
            assert work.ledger.sources == sources
            assert work.ledger.claims == part_claims
            assert work.ledger == Ledger(metrics=metrics, identities=identities,
                                         sources=sources, claims=part_claims)

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
        assert merged.parts == 2

    def test_repairs_combine_the_parts(self, seed: Ledger, merged_many: parallel.Merged
                                       ) -> None:
        """Each part's best repair, taken together, is the whole ledger's best repair."""
        alone = check(seed)
        merged = merged_many
        assert len(merged.repair_groups) == 2
        best = merged.repairs[0]
        assert best.weight == pytest.approx(2 * alone.repairs[0].weight)
        assert len(best.claims) == 2 * len(alone.repairs[0].claims)
        assert len(merged.conflicts) == 2 * len(alone.conflicts)

    def test_outlets_count_the_whole_ledger(self, many: Ledger, merged_many: parallel.Merged
                                            ) -> None:
        """Outlet summaries count every claim of the whole ledger once."""
        assert sum(o.claims for o in merged_many.outlets) == len(many.claims)
        assert sum(o.in_conflicts for o in merged_many.outlets) == len(
            {c for conflict in merged_many.conflicts for c in conflict})

    def test_results_must_come_in_order(self, many: Ledger) -> None:
        """The merge refuses results out of item order rather than reorder silently."""
        results = list(parallel.results(many, joint=False, chunk=1))
        merger = parallel.Merger(many, joint=False)
        with pytest.raises(ValueError, match="out of order"):
            merger.add(results[1])


class TestRenderedWhereChecked:
    def test_the_text_is_the_items_own_json_report(self, small: Ledger) -> None:
        """A work item rendered where it is checked gives its own report's JSON, compact."""
        import json

        from nkledger.render._json import part_json
        from nkledger.report import part_report

        for work in parallel.work_items(small, chunk=5):
            plain = parallel.check_work(work)
            done = parallel.check_work(attrs.evolve(work, render=part_json))
            assert done.text == json.dumps(
                json.loads(render(part_report(plain, "default"), "json")), ensure_ascii=False)

    def test_only_what_the_merge_needs_comes_back(self, small: Ledger) -> None:
        """A rendered item brings back its conflicting findings and no implied figures."""
        from nkledger.render._json import part_json

        for work in parallel.work_items(small, chunk=5):
            plain = parallel.check_work(work)
            done = pickle.loads(pickle.dumps(parallel.check_work(
                attrs.evolve(work, render=part_json))))
            assert done.findings == tuple(f for f in plain.findings if f.verdict == "conflict")
            assert done.analysis is not None and plain.analysis is not None
            assert done.analysis.implied == ()
            assert done.analysis.conflicts == plain.analysis.conflicts
            assert done.analysis.repair_groups == plain.analysis.repair_groups

    def test_settings_render_every_item(self, small: Ledger) -> None:
        """Within settings(render=...), every result of a check carries its text."""
        from nkledger.render._json import part_json

        with parallel.settings(render=part_json):
            texts = [r.text for r in parallel.results(small, chunk=5)]
        assert len(texts) == 4 and all(t is not None and t.startswith('{"schema_version"')
                                       for t in texts)
        assert all(r.text is None for r in parallel.results(small, chunk=5))


def _rendered(report: nkledger.Report) -> tuple[str, str]:
    return render(report, "json"), render(report, "text")


@pytest.fixture(scope="module")
def inline(small: Ledger) -> tuple[str, str]:
    """The four partners' report checked in this process, as JSON and text."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parallel, "CHUNK", 5)
        report = check(small)
    assert not report.consistent and len(report.repairs[0]) == 2
    return _rendered(report)


@pytest.mark.usefixtures("small_items")
class TestSameReportEverywhere:
    def test_processes_give_the_same_bytes(self, small: Ledger, inline: tuple[str, str]
                                           ) -> None:
        """jobs=1, jobs=2 and an explicit process pool render identical JSON and text."""
        assert inline == _rendered(check(small, jobs=1))
        assert inline == _rendered(check(small, jobs=2))
        with concurrent.futures.ProcessPoolExecutor(2) as pool:
            assert inline == _rendered(check(small, executor=pool))

    def test_threads_and_one_big_item_give_the_same_bytes(
            self, small: Ledger, inline: tuple[str, str]) -> None:
        """A thread pool gives the same report; so does the whole ledger as one item."""
        with concurrent.futures.ThreadPoolExecutor(2) as threads:
            assert inline == _rendered(check(small, executor=threads))
        parallel.CHUNK = 1000  # undone by the fixture
        assert inline == _rendered(check(small))

    def test_pairwise_only_too(self, small: Ledger) -> None:
        """Without the joint analysis the reports are identical as well."""
        one = _rendered(check(small, joint=False))
        with concurrent.futures.ProcessPoolExecutor(2) as pool:
            assert one == _rendered(check(small, joint=False, executor=pool))

    def test_dask_local_cluster_gives_the_same_bytes(self, small: Ledger,
                                                     inline: tuple[str, str]) -> None:
        """A real Dask LocalCluster's executor renders the very same report."""
        distributed = pytest.importorskip(
            "distributed", reason="Dask distributed is not installed (pip install "
                                  "'nkledger[dask]')")
        with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                      dashboard_address=None) as cluster, \
                distributed.Client(cluster, timeout="20s") as client:
            assert inline == _rendered(check(small, executor=client.get_executor()))

    def test_jobs_must_be_positive(self, small: Ledger) -> None:
        """Zero jobs is refused."""
        with pytest.raises(ValueError, match="jobs"):
            check(small, jobs=0)


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


@pytest.fixture(scope="module")
def ledger_file(tmp_path_factory: pytest.TempPathFactory, small: Ledger) -> Path:
    """The four partners as a ledger file."""
    path = tmp_path_factory.mktemp("parallel") / "partners.toml"
    path.write_text(nkledger.dumps(small), encoding="utf-8")
    return path


class TestCommandLine:
    def test_jobs_give_the_same_report(self, ledger_file: Path, tmp_path: Path) -> None:
        """--jobs 1 and --jobs 2 write byte-identical JSON and text, and exit alike."""
        from nkledger.cli import main

        for fmt in ("json", "text"):
            out = {}
            for jobs in ("1", "2"):
                target = tmp_path / f"{jobs}.{fmt}"
                code = main(["check", str(ledger_file), "--jobs", jobs, "--chunk", "5",
                             "--quiet", "-f", fmt, "-o", str(target)])
                assert code == 1
                out[jobs] = target.read_bytes()
            assert out["1"] == out["2"]

    def test_jsonl_writes_a_line_per_part_then_a_summary(self, ledger_file: Path) -> None:
        """--format jsonl: one JSON object per work item as it is checked, then the summary."""
        import json
        import subprocess
        import sys

        done = subprocess.run(
            [sys.executable, "-m", "nkledger", "check", str(ledger_file), "-f", "jsonl",
             "--jobs", "2", "--chunk", "5"], capture_output=True, text=True, check=False)
        assert done.returncode == 1, done.stderr
        assert done.stderr == ""  # not a terminal: no progress bar
        lines = [json.loads(line) for line in done.stdout.splitlines()]
        assert [line["kind"] for line in lines] == ["part"] * 4 + ["summary"]
        assert [line["index"] for line in lines[:4]] == [0, 1, 2, 3]
        summary = lines[-1]
        assert summary["parts"] == 4
        assert summary["claims"] == 20
        assert summary["consistent"] is False
        assert summary["conflicts"] == sum(len(p["conflicts"]) for p in lines[:4])
        assert len(summary["repairs"][0]) == sum(
            len(p["repairs"][0]) for p in lines[:4] if p["repairs"])

    def test_a_large_file_starts_the_workers_server_before_loading(
            self, ledger_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """With --jobs 2, a ledger file past the size threshold warms the pool first."""
        from nkledger import cli

        calls: list[dict[str, object]] = []
        monkeypatch.setattr(parallel, "warm", lambda **kwargs: calls.append(kwargs))
        target = str(tmp_path / "out.txt")
        monkeypatch.setattr(cli, "_WARM_BYTES", 10**9)
        cli.main(["check", str(ledger_file), "--jobs", "2", "--quiet", "-o", target])
        assert calls == []
        monkeypatch.setattr(cli, "_WARM_BYTES", 0)
        cli.main(["check", str(ledger_file), "--jobs", "1", "--quiet", "-o", target])
        assert calls == []
        cli.main(["check", str(ledger_file), "--jobs", "2", "--quiet", "-o", target])
        from nkledger.render._outline import implied_row

        assert calls == [{"joint": True, "render": None, "row": implied_row}]

    def test_a_warm_server_gives_the_same_report(self, ledger_file: Path) -> None:
        """Checking on a pool whose forkserver warm() started gives the single-process bytes."""
        import subprocess
        import sys

        script = (
            "import sys\n"
            "from nkledger import check, load, parallel\n"
            "from nkledger.render import render\n"
            "parallel.warm()\n"
            "ledger = load(sys.argv[1])\n"
            "with parallel.settings(chunk=5):\n"
            "    two = render(check(ledger, jobs=2), 'json')\n"
            "    one = render(check(ledger, jobs=1), 'json')\n"
            "assert one == two, 'different reports'\n"
        )
        done = subprocess.run([sys.executable, "-c", script, str(ledger_file)],
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr

    def test_jsonl_is_the_same_for_any_jobs(self, ledger_file: Path, tmp_path: Path) -> None:
        """--format jsonl writes the same bytes with one process and with two."""
        from nkledger.cli import main

        out = []
        for jobs in ("1", "2"):
            target = tmp_path / f"{jobs}.jsonl"
            assert main(["check", str(ledger_file), "--jobs", jobs, "--chunk", "5",
                         "--quiet", "-f", "jsonl", "-o", str(target)]) == 1
            out.append(target.read_bytes())
        assert out[0] == out[1]

    def test_jobs_must_be_a_positive_number(self, ledger_file: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
        """--jobs 0 is a usage error (exit 2), with nothing checked."""
        from nkledger.cli import main

        with pytest.raises(SystemExit) as stopped:
            main(["check", str(ledger_file), "--jobs", "0"])
        assert stopped.value.code == 2
        assert "must be at least 1" in capsys.readouterr().err


class TestWorkItemLedgers:
    """Each work item's ledger is one Ledger(...) would accept and build alike."""

    def test_items_are_valid_ledgers(self, many: Ledger, small: Ledger) -> None:
        """Rebuilding an item's ledger through validation raises nothing and is equal."""
        items = [*parallel.work_items(many, chunk=1), *parallel.work_items(small, chunk=5)]
        assert len(items) == 6
        for work in items:
            sub = work.ledger
            again = Ledger(metrics=sub.metrics, identities=sub.identities,
                           sources=sub.sources, claims=sub.claims, origin=sub.origin)
            assert again == sub
            assert all(sub.claim(c.id) is c for c in sub.claims)


def _problem_findings(findings: tuple[nkledger.Finding, ...]) -> list[nkledger.Finding]:
    return [f for f in findings if f.verdict == "conflict" or f.depends_on_reading
            or not f.claims]


def _lean(ledger: Ledger, *, rows: bool = True, **kwargs: object) -> nkledger.Report:
    from nkledger.render._outline import implied_row

    with parallel.settings(lean=True, row=implied_row if rows else None):
        return check(ledger, **kwargs)  # type: ignore[arg-type]


#: Two findings in it are equal but for their words (see tests/test_checks.py).
CUT_TWICE = ROOT / "tests" / "ledgers" / "cut_twice.toml"
LEAN_LEDGERS = [SEED, *sorted((ROOT / "tests" / "repros").glob("*.toml")), CUT_TWICE]


@pytest.fixture(scope="module")
def many_both(many: Ledger) -> tuple[nkledger.Report, nkledger.Report]:
    """The two copies checked as usual and lean."""
    return check(many), _lean(many)


class TestLean:
    def test_an_item_keeps_what_problems_read_and_counts_the_rest(self, many: Ledger
                                                                   ) -> None:
        """A lean item keeps the findings problems read and counts the others, once each."""
        for work in parallel.work_items(many, chunk=1):
            plain = parallel.check_work(work)
            lean = pickle.loads(pickle.dumps(parallel.check_work(attrs.evolve(work,
                                                                              lean=True))))
            assert lean.findings == tuple(_problem_findings(plain.findings))
            rest = [f for f in dict.fromkeys(plain.findings) if f not in lean.findings]
            assert dict(lean.left_out) == dict(collections.Counter(f.verdict for f in rest))
            assert plain.analysis is not None
            assert lean.analysis == plain.analysis.resolved()

    def test_findings_equal_but_for_their_words_count_twice(self) -> None:
        """A lean item counts two findings told apart only by their words as two."""
        ledger = nkledger.load(CUT_TWICE)
        for work in parallel.work_items(ledger):
            plain = parallel.check_work(work)
            lean = parallel.check_work(attrs.evolve(work, lean=True))
            rest = list(dict.fromkeys(f for f in plain.findings if f not in lean.findings))
            assert dict(lean.left_out) == dict(collections.Counter(f.verdict for f in rest))
            assert dict(lean.left_out)["unverifiable"] == 3

    def test_a_lean_report_counts_every_finding(
            self, many_both: tuple[nkledger.Report, nkledger.Report]) -> None:
        """A lean report's verdict counts are those of the full report."""
        full, lean = many_both
        assert full.digest is None and lean.digest is not None
        assert lean.verdicts() == full.verdicts()
        assert sum(lean.verdicts().values()) == len(full.findings)
        assert lean.findings == tuple(_problem_findings(full.findings))
        assert lean.problems == full.problems

    def test_a_lean_report_keeps_the_implied_figures_worth_showing(
            self, many_both: tuple[nkledger.Report, nkledger.Report]) -> None:
        """A lean report keeps the notable implied figures and counts the others."""
        from nkledger.problems import notable_implied

        full, lean = many_both
        assert lean.digest is not None
        assert lean.digest.implied == len(full.implied)
        assert notable_implied(lean.implied) == (notable_implied(full.implied)[0], 0)
        assert lean.digest.disagree == notable_implied(full.implied)[1]

    def test_items_write_the_rows_of_the_figures_they_keep(
            self, many: Ledger, many_both: tuple[nkledger.Report, nkledger.Report]) -> None:
        """Each kept figure's table row comes back with it; without rows the text is the same."""
        from nkledger.render._outline import implied_row

        _, lean = many_both
        assert lean.digest is not None and lean.digest.rows is not None
        assert list(lean.digest.rows) == [implied_row(i) for i in lean.implied]
        bare = _lean(many, rows=False, joint=True)
        assert bare.digest is not None and bare.digest.rows is None
        assert render(bare, "text") == render(lean, "text")

    @pytest.mark.parametrize("path", LEAN_LEDGERS, ids=lambda p: p.stem)
    def test_text_markdown_and_html_are_the_same(self, path: Path) -> None:
        """A lean report renders text, markdown and HTML byte for byte as the full one."""
        try:
            ledger = nkledger.load(path)
        except nkledger.InvalidLedgerError:
            pytest.skip("a repro of input the ledger refuses")
        options: list[dict[str, object]] = [{}]
        if path != SEED:  # the seed's diagnoses make it slow: once is enough
            options += [{"basis": "all"}, {"reading": "strict"}, {"joint": False}]
        for option in options:
            full, lean = check(ledger, **option), _lean(ledger, **option)  # type: ignore[arg-type]
            for fmt in ("text", "markdown", "html"):
                assert render(lean, fmt) == render(full, fmt), (fmt, option)

    def test_in_processes_too(self, small: Ledger, inline: tuple[str, str],
                              small_items: None) -> None:
        """Lean items checked in two processes give the same text report."""
        assert render(_lean(small, jobs=2), "text") == inline[1]

    def test_json_refuses_a_lean_report(self, small: Ledger) -> None:
        """JSON holds every finding, so a lean report is not written as JSON."""
        with pytest.raises(ValueError, match="lean"):
            render(_lean(small), "json")

    @hypothesis.given(ledger=ledgers(min_size=1, max_size=8))
    @hypothesis.settings(max_examples=15)
    def test_random_ledgers_render_the_same(self, ledger: Ledger) -> None:
        """On random ledgers, checked in items of three claims, lean text == full text."""
        with parallel.settings(chunk=3):
            full, lean = check(ledger), _lean(ledger)
        assert render(lean, "text") == render(full, "text")
        assert lean.verdicts() == full.verdicts()
