r"""How much the pairwise checks of lean work items cost: ``run_lean`` and ``_lean_result``.

Run: ``python benchmarks/bench_lean.py LEDGER.toml`` (``--repeat N``, ``--passes K``).
It loads the ledger, packs it into work items as ``nkledger check --format text`` does
(``nkledger.parallel.work_items``), marks them lean and without the joint analysis, and
times ``nkledger.parallel.check_work`` over all of them: the pairwise checks of a text,
markdown or HTML report (``run_lean``) and ``_lean_result``. Each repeat checks freshly
unpickled items, as a worker process receives them (no interval worked out yet), and
prints the CPU seconds (``time.process_time``) of each; compare the minimum of two
commits run at the same load.

On a machine other processes load, CPU seconds still vary by 10-30 %; for a steadier
figure count instructions with valgrind: ``--passes 0`` does everything but the
checks, ``--passes 1`` one pass, and the difference of their ``I refs`` is the pass::

    PYTHONHASHSEED=0 valgrind --tool=cachegrind --cache-sim=no \
        python benchmarks/bench_lean.py LEDGER.toml --repeat 1 --passes 1
"""

from __future__ import annotations

import argparse
import pickle
import time

import nkledger
from nkledger import parallel


def main() -> None:
    """Time the lean checks of every work item of the ledger named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ledger")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--passes", type=int, default=1,
                        help="passes over the items in each repeat (0: setup only)")
    args = parser.parse_args()
    ledger = nkledger.load(args.ledger, max_size=2**33)
    items = [parallel.Work(index=w.index, ledger=w.ledger, reading=w.reading, joint=False,
                           lean=True) for w in parallel.work_items(ledger)]
    shipped = [pickle.dumps(w) for w in items]
    times = []
    for _ in range(args.repeat):
        fresh = [pickle.loads(b) for b in shipped]
        start = time.process_time()
        for _ in range(args.passes):
            for work in fresh:
                parallel.check_work(work)
        times.append(time.process_time() - start)
    claims = len(ledger.claims)
    print(f"{claims} claims, {len(items)} work items; CPU s per repeat: "
          + " ".join(f"{t:.3f}" for t in times)
          + f"; min {min(times):.3f} ({1000 * min(times) / claims:.3f} ms a claim)")


if __name__ == "__main__":
    main()
