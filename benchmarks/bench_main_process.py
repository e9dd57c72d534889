"""The main process of ``nkledger check FILE --jobs 2``: its own CPU, stage by stage.

The workers' results are recorded once (``record``: a real ``--jobs 2`` run that keeps
each work item's result as the worker pickled it), then ``replay`` runs the command line
in one process with every work item's result read back from the recording instead of
checked: what is left is what the main process does itself, in order — load, plan
(bases, reprints), split into work items, pickle each item (as the pool's feeder
thread does), unpickle each result, merge, find the problems and render. CPU seconds
(``time.process_time``) per stage; compare runs of one machine, several repeats.

    python benchmarks/bench_main_process.py record FILE [FORMAT]    # once per file
    python benchmarks/bench_main_process.py replay FILE [FORMAT] [--profile]

Run it with ``PYTHONPATH=<a checkout>`` to measure another version of nkledger on the
same recording (the recording holds results, which both versions read alike).
"""

from __future__ import annotations

import os
import pickle
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from typing import Any

LAPS: list[tuple[str, float]] = []


def _timed(module: Any, name: str, label: str) -> None:
    function = getattr(module, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            LAPS.append((label, time.process_time() - start))

    setattr(module, name, timed)


def main(argv: list[str]) -> None:
    import attrs

    from nkledger import cli, parallel, render, report

    mode, path = argv[0], argv[1]
    fmt = argv[2] if len(argv) > 2 and not argv[2].startswith("--") else "text"
    recording = os.path.join(tempfile.gettempdir(),
                             f"nkledger-main-{os.path.basename(path)}-{fmt}.pickle")
    original: Callable[..., Iterator[Any]] = parallel.run
    blobs: list[bytes] = []
    if mode == "record":
        def run(items: Any, executor: Any, *, ahead: int = 8) -> Iterator[Any]:
            for result in original(items, executor, ahead=ahead):
                blobs.append(pickle.dumps(attrs.evolve(result, ledger=parallel._NO_LEDGER)))
                yield result
    else:
        with open(recording, "rb") as f:
            blobs = pickle.load(f)

        def run(items: Any, executor: Any, *, ahead: int = 8) -> Iterator[Any]:
            sent = received = 0.0
            for work, blob in zip(items, blobs, strict=True):
                start = time.process_time()
                pickle.dumps(work)
                middle = time.process_time()
                result = pickle.loads(blob)
                sent += middle - start
                received += time.process_time() - middle
                yield attrs.evolve(result, ledger=work.ledger)
            LAPS.append(("  of which pickling the items", sent))
            LAPS.append(("  of which unpickling the results", received))
    parallel.run = run  # type: ignore[assignment]
    _timed(cli, "load", "load")
    _timed(report, "plan", "plan (bases, reprints)")
    _timed(parallel, "merge", "split, ship, merge")
    _timed(render, "render", "problems and render")
    out = os.path.join(tempfile.gettempdir(), f"nkledger-main-{mode}.{fmt}")
    args = ["check", path, "--format", fmt, "--jobs", "2" if mode == "record" else "1",
            "--quiet", "--max-size", "1G", "--output", out]
    start = time.process_time()
    if mode == "record":
        cli.main(args)
        with open(recording, "wb") as f:
            pickle.dump(blobs, f)
        return
    if "--profile" in argv:
        import cProfile

        cProfile.runctx("cli.main(args)", globals(), {"cli": cli, "args": args},
                        os.path.join(tempfile.gettempdir(), "nkledger-main.prof"))
    else:
        cli.main(args)
    LAPS.append(("main process in all", time.process_time() - start))


if __name__ == "__main__":  # the forkserver imports this module too: only run it here
    main(sys.argv[1:])
    for label, seconds in LAPS:
        print(f"{label:36s} {seconds:7.2f} s CPU")
