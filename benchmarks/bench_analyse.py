"""CPU seconds of the joint analysis per work item, as `nkledger check` runs it.

    .venv/bin/python benchmarks/bench_analyse.py                  # bench.py's 1,000 and 10,000
    .venv/bin/python benchmarks/bench_analyse.py --sizes 100000
    .venv/bin/python benchmarks/bench_analyse.py --file benchmarks/connected_400.toml

The ledger (bench.py's synthetic one, or a file) is split into work items as
`nkledger check` splits it; every claim's intervals are asked for first (the pairwise
checks do that before the analysis); then `analyse(..., lazy=True)` (*analyse*) and
`Analysis.resolved()` (*implied*) run on every item. Process CPU seconds, the least of
``--repeat`` runs after one warm-up, so imports and first-call costs are left out: on a
machine shared with other jobs, CPU time moves far less than wall-clock time does.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import nkledger
from nkledger import parallel
from nkledger.figures import READINGS
from nkledger.solver import analyse


def measure(ledger: nkledger.Ledger, repeat: int) -> tuple[float, float]:
    """Least CPU seconds of (analyse, implied) over *repeat* runs."""
    items = list(parallel.work_items(ledger))
    for w in items:
        for claim in w.ledger.claims:
            for reading in READINGS:
                claim.interval(reading)
    for w in items:
        analyse(w.ledger, w.reading, lazy=True).resolved()
    best_a = best_i = float("inf")
    for _ in range(repeat):
        t = time.process_time()
        done = [analyse(w.ledger, w.reading, lazy=True) for w in items]
        a = time.process_time() - t
        t = time.process_time()
        for d in done:
            d.resolved()
        best_a, best_i = min(best_a, a), min(best_i, time.process_time() - t)
    return best_a, best_i


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--file", type=Path, nargs="*", default=[])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    from bench import ledger_text

    runs = [(p.name, nkledger.load(p, max_size=2**33)) for p in args.file] or [
        (f"bench.py {n:,}", nkledger.loads(ledger_text(n, args.seed)[0])) for n in args.sizes]
    print("| ledger | claims | analyse s | implied s | ms per claim |")
    print("|---|---:|---:|---:|---:|")
    for name, ledger in runs:
        a, i = measure(ledger, args.repeat)
        n = len(ledger.claims)
        print(f"| {name} | {n:,} | {a:.2f} | {i:.2f} | {1000 * (a + i) / n:.3f} |", flush=True)


if __name__ == "__main__":
    main()
