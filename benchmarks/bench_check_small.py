"""How long ``nkledger.check`` takes on the small ledgers a property test draws.

Run: ``python benchmarks/bench_check_small.py`` (``--examples N``, ``--seed S``). It draws
N consistent ledgers (``consistent_ledgers()``) and N corrupted ones
(``corrupted_ledgers()``) with a fixed Hypothesis seed, so every run times the same
ledgers, then times one ``nkledger.check`` per ledger (after one warm-up check) and prints
the median, 95th percentile and maximum in milliseconds (and the median CPU time of
the process, which depends less on what else loads the machine), with the claims per
ledger.
The numbers are wall-clock: compare two commits in the same run of the machine.
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

import nkledger
from nkledger import strategies as nks


def draw(strategy: st.SearchStrategy[Any], n: int, at: int) -> list[nkledger.Ledger]:
    """*n* ledgers of *strategy*, the same ones on every run."""
    out: list[nkledger.Ledger] = []

    @seed(at)
    @settings(max_examples=n, database=None, deadline=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def run(value: Any) -> None:
        out.append(value[0] if isinstance(value, tuple) else value)

    run()
    return out[:n]


def timings(ledgers: list[nkledger.Ledger]) -> tuple[list[float], list[float]]:
    """Milliseconds of one check per ledger: wall-clock, and CPU of this process."""
    wall, cpu = [], []
    for ledger in ledgers:
        start, start_cpu = time.perf_counter(), time.process_time()
        nkledger.check(ledger)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=100)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()

    print("| ledgers | n | claims (median) | median ms | p95 ms | max ms | median CPU ms |")
    print("|---|---|---|---|---|---|---|")
    for name, strategy in (("consistent_ledgers()", nks.consistent_ledgers()),
                           ("corrupted_ledgers()", nks.corrupted_ledgers())):
        ledgers = draw(strategy, args.examples, args.seed)
        nkledger.check(ledgers[0])
        wall, cpu = timings(ledgers)
        ms = sorted(wall)
        claims = statistics.median(len(ledger.claims) for ledger in ledgers)
        p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
        print(f"| {name} | {len(ms)} | {claims:g} | {statistics.median(ms):.1f} | "
              f"{p95:.1f} | {max(ms):.1f} | {statistics.median(cpu):.1f} |")


if __name__ == "__main__":
    main()
