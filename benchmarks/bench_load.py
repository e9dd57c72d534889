"""Time loading a ledger file and splitting it into work items, with peak memory.

Run: ``python benchmarks/bench_load.py`` (default sizes 10,000, 100,000 and 1,000,000
claims; ``--sizes 10000`` for fewer; ``--tomllib`` to read with the standard library's
parser even where the compiled tomli of ``nkledger[fast]`` is installed).

Each size is the synthetic ledger of ``bench.py`` (``bench.ledger_text``), written to a
temporary file; a fresh process under GNU ``time`` runs ``nkledger.load`` and then
``nkledger.parallel.work_items`` on it and prints, for each stage, wall-clock and CPU
seconds; GNU ``time`` adds the whole process's peak memory (``%M``).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench  # noqa: E402  (the synthetic ledgers)

_STAGES = """
import sys, time
import nkledger
from nkledger import io, parallel
if sys.argv[2] == "tomllib":
    io._compiled_loads = lambda text: None
t, c = time.perf_counter(), time.process_time()
ledger = nkledger.load(sys.argv[1], max_size=2**34)
t1, c1 = time.perf_counter(), time.process_time()
items = list(parallel.work_items(ledger))
t2, c2 = time.perf_counter(), time.process_time()
print(f"{len(ledger.claims):,} claims: load {t1 - t:.2f} s ({c1 - c:.2f} s CPU), "
      f"split into {len(items)} items {t2 - t1:.2f} s ({c2 - c1:.2f} s CPU)", flush=True)
"""


def main() -> None:
    """Measure every size asked for."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--tomllib", action="store_true",
                        help="read with tomllib even where the compiled tomli is installed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            path = Path(tmp) / f"l{size}.toml"
            path.write_text(bench.ledger_text(size)[0], encoding="utf-8")
            mib = path.stat().st_size / 2**20
            print(f"{size:,} claims asked, {mib:.1f} MiB of TOML", flush=True)
            subprocess.run(["/usr/bin/time", "-f", "  %e s wall, %U s user, %M KB peak",
                            sys.executable, "-c", _STAGES, str(path),
                            "tomllib" if args.tomllib else "any"], check=True)
            path.unlink()


if __name__ == "__main__":
    main()
