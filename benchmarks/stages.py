"""Per-stage wall-clock and CPU seconds of ``nkledger check`` on one ledger, in one process.

Run: ``python benchmarks/stages.py LEDGER.toml``. Loads the ledger, splits it into work
items (:func:`nkledger.parallel.work_items`) and times each stage over every item in
turn: the pairwise checks, the joint analysis (implied figures left for later), the
implied figures, the problems with their diagnoses, and problems plus the JSON report.
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


if __name__ == "__main__":
    main(sys.argv[1])
