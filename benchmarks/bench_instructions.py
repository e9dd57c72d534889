r"""Instructions (or CPU) of the joint analysis alone: ``analyse`` + the implied figures.

Runs ``nkledger.solver.analyse(..., lazy=True)`` on every work item of a ledger file and
then the implied figures as a check asks for them: ``later(reported=False)`` (a lean text
report, ``--mode text``) or ``resolved()`` (``--mode jsonl``). Loading, splitting and the
claims' intervals (which the pairwise checks work out first in a real check) are done
before the count starts. Under callgrind only the analysis is counted::

    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/tmp/cg.out \\
        .venv/bin/python benchmarks/bench_instructions.py /work/notes/golden/l10000.toml text

prints a fingerprint of every answer (conflict sets, repairs, notes, parts, implied
figures), so two trees can be checked to give the same answers; the "Collected" line of
valgrind is the count. Without valgrind it prints the CPU seconds of the same part.
``time_limit`` is off (a run under valgrind is ~50× slower and would otherwise hit it).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time

import nkledger
from nkledger import parallel
from nkledger.figures import READINGS
from nkledger.solver import analyse


def _instrument(on: bool) -> None:
    """Switch callgrind's counting on or off (nothing happens outside valgrind)."""
    subprocess.run(["callgrind_control", "--instr=" + ("on" if on else "off"),
                    str(os.getpid())], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)


def main() -> None:
    path, mode = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "text"
    ledger = nkledger.load(path, max_size=2**33)
    items = list(parallel.work_items(ledger))
    for work in items:
        for claim in work.ledger.claims:
            for reading in READINGS:
                claim.interval(reading)
    # imports outside the count
    import highspy  # noqa: F401
    import numpy  # noqa: F401

    from nkledger.solver import _exact, _feasibility, _implied, _repairs  # noqa: F401

    answers = []
    _instrument(True)
    start = time.process_time()
    for work in items:
        a = analyse(work.ledger, work.reading, lazy=True, time_limit=None)
        if mode == "text":
            assert a.later is not None
            figures, failed = a.later(reported=False)
        else:
            done = a.resolved()
            figures, failed = done.implied, ()
        answers.append((a.conflicts, a.repairs, a.notes, a.sensitive, a.parts, a.identical,
                        figures, failed))
    cpu = time.process_time() - start
    _instrument(False)
    digest = hashlib.sha256(repr(answers).encode()).hexdigest()[:16]
    print(f"{mode}: {len(items)} work items, {cpu:.3f} CPU s, answers {digest}")


if __name__ == "__main__":
    main()
