"""Per-stage wall-clock and CPU seconds of ``nkledger check`` on one ledger, in one process.

Run: ``python benchmarks/stages.py LEDGER.toml``. Loads the ledger, splits it into work
items (:func:`nkledger.parallel.work_items`) and times each stage over every item in
turn: the pairwise checks, the joint analysis (implied figures left for later), the
implied figures, the problems with their diagnoses, and problems plus the JSON report.

``python benchmarks/stages.py LEDGER.toml --lean`` times instead what a worker of
``nkledger check --format text`` does with each item (lean items: the checks that only
count what they leave out, :func:`nkledger.checks.run_lean`; the analysis; the implied
figures worth showing and their rows), stage by stage, each with its share.
"""

from __future__ import annotations

import sys
import time

_last = (time.perf_counter(), time.process_time())


def lap(label: str) -> None:
    """Print the time since the last lap."""
    global _last
    now = (time.perf_counter(), time.process_time())
    print(f"{label:28s} {now[0] - _last[0]:7.2f} s wall {now[1] - _last[1]:7.2f} s cpu",
          flush=True)
    _last = now


def main(path: str) -> None:
    """Time every stage of checking the ledger at *path*."""
    import nkledger
    from nkledger import parallel
    from nkledger.checks import run_checks
    from nkledger.render import render
    from nkledger.report import Report
    from nkledger.solver import analyse

    lap("import")
    ledger = nkledger.load(path, max_size=2**33)
    lap(f"load ({len(ledger.claims)} claims)")
    items = list(parallel.work_items(ledger))
    lap(f"split ({len(items)} items)")
    findings = [run_checks(w.ledger, w.reading) for w in items]
    lap(f"run_checks ({sum(map(len, findings))} findings)")
    analyses = [analyse(w.ledger, w.reading, lazy=True) for w in items]
    lap("analyse (lazy)")
    resolved = [a.resolved() for a in analyses]
    lap("implied (resolve)")

    def reports() -> list[Report]:
        return [Report(ledger=w.ledger, reading="default", findings=f,
                       conflicts=a.conflicts, sensitive=a.sensitive, repairs=a.repairs,
                       implied=a.implied, outlets=a.outlets, notes=a.notes,
                       truncated=a.truncated)
                for w, f, a in zip(items, findings, resolved, strict=True)]

    for report in reports():
        _ = report.problems
    lap("problems")
    size = sum(len(render(report, "json")) for report in reports())
    lap(f"problems+render json ({size} chars)")


def lean(path: str) -> None:
    """Time the stages of a text report's workers, item after item, on the ledger at *path*."""
    import attrs

    import nkledger
    from nkledger import parallel
    from nkledger._collector import paused
    from nkledger.checks import run_lean
    from nkledger.render._outline import implied_row
    from nkledger.solver import analyse

    ledger = nkledger.load(path, max_size=2**33)
    items = [attrs.evolve(w, lean=True, notable=True, row=implied_row)
             for w in parallel.work_items(ledger)]
    spent = {"checks (run_lean)": 0.0, "analyse (lazy)": 0.0, "implied figures shown": 0.0}

    @paused
    def run() -> None:  # paused as parallel.check_work is
        for w in items:
            started = time.process_time()
            findings, left_out = run_lean(w.ledger, w.reading)
            checked = time.process_time()
            analysis = analyse(w.ledger, w.reading, lazy=True)
            analysed = time.process_time()
            part = parallel.PartResult(index=w.index, ledger=w.ledger,
                                       findings=tuple(findings), analysis=analysis,
                                       left_out=left_out)
            parallel._lean_result(part, w)
            done = time.process_time()
            spent["checks (run_lean)"] += checked - started
            spent["analyse (lazy)"] += analysed - checked
            spent["implied figures shown"] += done - analysed

    run()
    total = sum(spent.values())
    print(f"{len(ledger.claims)} claims, {len(items)} items: {total:.2f} CPU s")
    for stage, cpu in spent.items():
        print(f"{stage:28s} {cpu:7.2f} CPU s {100 * cpu / total:5.1f} %")


if __name__ == "__main__":
    if "--lean" in sys.argv[2:]:
        lean(sys.argv[1])
    else:
        main(sys.argv[1])
