"""CPU seconds of the JSON a work item writes (``--format jsonl``) and of a whole report.

Run: ``python benchmarks/bench_json.py LEDGER.toml [REPEATS]``. Checks every work item of
the ledger once (findings and resolved analysis), then times, several times over, the
JSON line of each item (:func:`nkledger.render._json.part_json`) beside the careful path
it replaces (``json.dumps(to_json_dict(part_report(...)), ensure_ascii=False)``), and the
whole report's ``render(report, "json")``. Prints the best CPU second of the repeats and
whether the texts are the same. Compare CPU seconds of runs on one machine:
the numbers are in ``benchmarks/README.md``.
"""

from __future__ import annotations

import gc
import json
import sys
import time


def best(fn: object, repeats: int) -> tuple[float, object]:
    """The least CPU seconds of *repeats* calls of *fn*, and its last result.

    The cyclic collector is paused over each call, as it is over a work item in a worker
    (:mod:`nkledger._collector`): with it running, the time would mostly measure how many
    objects earlier calls left alive.
    """
    times = []
    out = None
    for _ in range(repeats):
        gc.collect()
        gc.disable()
        t = time.process_time()
        out = fn()  # type: ignore[operator]
        times.append(time.process_time() - t)
        gc.enable()
    return min(times), out


def main(path: str, repeats: int) -> None:
    """Time the JSON of every work item of the ledger at *path*."""
    import attrs

    import nkledger
    from nkledger import parallel
    from nkledger.render import render
    from nkledger.render._json import part_json, to_json_dict
    from nkledger.report import part_report

    ledger = nkledger.load(path, max_size=2**33)
    items = list(parallel.work_items(ledger))
    results = []
    for w in items:
        r = parallel.check_work(w)
        if r.analysis is not None:
            r = attrs.evolve(r, analysis=r.analysis.resolved())
        results.append(r)

    def fast() -> list[str]:
        return [part_json(r, "default") for r in results]

    def careful() -> list[str]:
        return [json.dumps(to_json_dict(part_report(r, "default")), ensure_ascii=False)
                for r in results]

    reports = [part_report(r, "default") for r in results]
    for rep in reports:
        _ = rep.problems

    def whole() -> list[str]:
        return [render(rep, "json") for rep in reports]

    def whole_careful() -> list[str]:
        return [json.dumps(to_json_dict(rep), indent=2, ensure_ascii=False) + "\n"
                for rep in reports]

    t_fast, a = best(fast, repeats)
    t_careful, b = best(careful, repeats)
    print(f"{len(results)} items, {sum(map(len, a))} chars")  # type: ignore[arg-type]
    print(f"part_json               {t_fast:6.3f} s cpu (best of {repeats})")
    print(f"json.dumps(to_json_dict) {t_careful:6.3f} s cpu  same: {a == b}")
    t_whole, c = best(whole, repeats)
    t_whole_careful, d = best(whole_careful, repeats)
    print(f"render json (indent=2)  {t_whole:6.3f} s cpu")
    print(f"json.dumps(indent=2)    {t_whole_careful:6.3f} s cpu  same: {c == d}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5)
