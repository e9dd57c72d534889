"""Long spans and deep part chains: how the checks and the joint analysis scale.

Run from the repository's top::

    .venv/bin/python benchmarks/bench_limits.py span 1825    # the seed + a 1825-01..2025-12 claim
    .venv/bin/python benchmarks/bench_limits.py chain 1000   # 1,000 metrics, each part of the last
    .venv/bin/python benchmarks/bench_limits.py chain 1000 --pairwise-only
    .venv/bin/python benchmarks/bench_limits.py bare-span 1825 # one metric, the span and a month

Each prints the seconds ``nkledger check`` takes in-process (load, checks, joint analysis
unless ``--pairwise-only``, text rendering), the number of findings, and the exit code.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def span_ledger(first_year: int) -> str:
    """The seed ledger plus one total over first_year-01..2025-12."""
    seed = (ROOT / "examples" / "china_dprk_2025.toml").read_text(encoding="utf-8")
    return seed + f'''
[[source]]
id = "bench-long"
outlet = "Bench"

[[claim]]
id = "bench-long-total"
source = "bench-long"
metric = "total"
period = "{first_year}-01..2025-12"
value = "$500bn"
quote = "trade since {first_year} totalled $500bn"
'''


def bare_span_ledger(first_year: int) -> str:
    """One flow, one total over first_year-01..2025-12 and one month inside it."""
    return f'''[[metric]]
id = "x"

[[source]]
id = "s"

[[claim]]
id = "long"
source = "s"
metric = "x"
period = "{first_year}-01..2025-12"
value = "$5bn"
quote = "q"

[[claim]]
id = "month"
source = "s"
metric = "x"
period = "2025-01"
value = "$1m"
quote = "q"
'''


def chain_ledger(n: int) -> str:
    """n dollar flows, each part_of the one before, one consistent level claim on each."""
    out = ['[[metric]]\nid = "m0"\n']
    out.extend(f'[[metric]]\nid = "m{i}"\npart_of = "m{i - 1}"\n' for i in range(1, n))
    out.append('[[source]]\nid = "s"\noutlet = "S"\n')
    out.extend(f'[[claim]]\nid = "c{i}"\nsource = "s"\nmetric = "m{i}"\nperiod = "2025-01"\n'
               f'value = "${n - i}m"\nquote = "m{i} was ${n - i}m"\n' for i in range(n))
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=("span", "bare-span", "chain"))
    parser.add_argument("size", type=int, help="first year of the span, or chain length")
    parser.add_argument("--pairwise-only", action="store_true")
    args = parser.parse_args()
    from nkledger.io import loads
    from nkledger.render import render
    from nkledger.report import check

    make = {"span": span_ledger, "bare-span": bare_span_ledger, "chain": chain_ledger}
    text = make[args.kind](args.size)
    with tempfile.TemporaryDirectory():
        start = time.perf_counter()
        report = check(loads(text, origin="bench"), joint=not args.pairwise_only)
        render(report, "text")
        seconds = time.perf_counter() - start
    print(f"{args.kind} {args.size}{' pairwise-only' if args.pairwise_only else ''}: "
          f"{seconds:.2f} s, {len(report.findings)} findings, "
          f"{'consistent' if report.consistent else 'conflicts'}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
