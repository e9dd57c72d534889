"""How long nkledger.evidence.plan takes on bench.py's ledgers (origins, bases, vintages).

    .venv/bin/python benchmarks/bench_evidence.py                # 10,000 and 100,000 claims
    .venv/bin/python benchmarks/bench_evidence.py --sizes 10000

Each row: claims, then the wall-clock seconds of ``plan`` with the defaults (each basis on
its own, every release) and with ``vintage="latest"``, the sub-ledgers it made and the
earlier releases it set aside.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import ledger_text

import nkledger
from nkledger.evidence import plan


def main() -> None:
    """Print one row per size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    args = parser.parse_args()
    print("| claims | plan s | plan (latest) s | parts | earlier releases set aside |")
    print("|-------:|-------:|----------------:|------:|---------------------------:|")
    for size in args.sizes:
        ledger = nkledger.loads(ledger_text(size)[0])
        start = time.perf_counter()
        default = plan(ledger)
        middle = time.perf_counter()
        latest = plan(ledger, vintage="latest")
        end = time.perf_counter()
        set_aside = len(ledger.claims) - len(latest.checked.claims)
        print(f"| {len(ledger.claims):,} | {middle - start:.2f} | {end - middle:.2f} | "
              f"{len(default.parts)} | {set_aside:,} |")


if __name__ == "__main__":
    main()
