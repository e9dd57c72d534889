"""Time loading, the pairwise checks and the joint analysis on large synthetic ledgers.

Run: ``python benchmarks/bench.py`` (default sizes 1,000, 10,000 and 100,000 claims;
``--sizes 1000 10000`` for fewer, ``--seed N`` for other data, ``--profile`` to print
where :func:`nkledger.solver.analyse` spends its time, ``--timeout S`` to give up on a
stage after S seconds, default 900).

``--end-to-end`` times the whole ``nkledger check FILE --format F --jobs N`` command
(for each of ``--formats text jsonl`` and ``--jobs 1 2``) beside the time merely to load
the file (``nkledger.loads`` in a fresh process): wall-clock seconds, the CPU seconds of
the command and every process it started (forkserver workers included, counted through
a Linux child subreaper) and the largest process's peak memory. ``--regions R
--region-size K`` ties the first ``R * K`` partners into R large connected parts, for a
mixture of many small parts and a few large ones; ``--about F`` writes that share of
the monthly levels "about $Xm", so the readings differ. ``--repeat N`` runs every command
N times, round after round, and shows the median wall-clock time with the range ("18.7
(17.9–20.1)"), the median CPU and the largest peak: a shared virtual machine's speed
drifts by a fifth from minute to minute, which one run cannot tell from a change. A
fixed pure-Python workload (:func:`_calibrate`) is timed before and after, so the
table says how fast the machine was while it was measured. nkledger's bytecode is
written first (:func:`_compiled`), so no command pays for compiling it.

Each ledger has many independent trade partners; for every partner three flows
(exports, imports, total = exports + imports), 24 months of a hidden true series
(2024–2025), and three outlets that each report some monthly levels (rounded to four
significant digits, the way wires write "$123.4m"), year-on-year export growth, the
2025-H1 and 2025 totals, and now and then a "highest of 2025" or a direction. All of
that is consistent by construction; then a few claims (one per 200 partners, at least
three) are corrupted by 20 % where another outlet reports the same figure, so the
analysis has real conflicts to find.

Every stage runs in a fresh process so that peak memory (``ru_maxrss``) is that
stage's own: *load* is ``nkledger.loads`` of the TOML text, *checks* is
``nkledger.checks.run_checks`` (skipped with a note when that module does not exist)
and *analyse* is :func:`nkledger.solver.analyse` under the default reading, which
itself compiles and solves all three readings. Times are wall-clock seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUTLETS = ("Wire A", "Daily B", "Monitor C")
FLOWS = ("exports", "imports", "total")


def _money(value: float) -> str:
    """Four significant digits in millions or billions, as a wire writes it."""
    if value >= 1e9:
        return f"${value / 1e9:.3f}bn"
    millions = value / 1e6
    digits = max(0, 3 - len(str(int(millions))))
    return f"${millions:.{digits}f}m"


def ledger_text(claims: int, seed: int = 0, *, regions: int = 0, region_size: int = 50,
                about: float = 0.0) -> tuple[str, list[str]]:
    """A TOML ledger with about *claims* claims, and the ids of the corrupted claims.

    The partners number ``round(claims / 92.6)``, each with its own three metrics. With
    *regions*, the first ``regions * region_size`` partners are tied into that many large
    connected parts: a regional total (``r{g}_total = p.._total + ...``) that one outlet
    reports for every month of 2025. With *about*, that share of the monthly levels is
    written "about $Xm" (a figure whose reading matters); they are drawn from their own
    random stream, so the rest of the ledger is the same as without.
    """
    rng = random.Random(seed)
    hedge = random.Random(seed + 1)
    per_partner = 12 * 3 * (3 * 0.62 + 0.6) + 4  # the expected number drawn below
    partners = max(1, round(claims / per_partner))
    out: list[str] = []
    lines = out.append
    for i, outlet in enumerate(OUTLETS):
        lines(f'[[source]]\nid = "s{i}"\noutlet = "{outlet}"\npublished = 2026-01-2{i}\n'
              f'cites = "customs"\n')
    identities: list[str] = []
    bodies: list[str] = []
    levels: list[tuple[str, str]] = []  # (claim id, the figure another outlet also gives)
    made = 0
    region_truth: dict[tuple[int, int], float] = {}
    for p in range(partners):
        names = {flow: f"p{p}_{flow}" for flow in FLOWS}
        for flow in FLOWS:
            lines(f'[[metric]]\nid = "{names[flow]}"\nunit = "USD"\naggregate = "sum"\n')
        identities.append(f'[[identity]]\n{names["total"]} = ["{names["exports"]}", '
                          f'"{names["imports"]}"]\n')
        base_x = rng.uniform(50e6, 300e6)
        base_m = rng.uniform(10e6, 80e6)
        truth: dict[tuple[str, int], float] = {}
        for month in range(24):
            truth[("exports", month)] = base_x * rng.uniform(0.7, 1.3)
            truth[("imports", month)] = base_m * rng.uniform(0.7, 1.3)
            truth[("total", month)] = truth[("exports", month)] + truth[("imports", month)]
            region_truth[(p, month)] = truth[("total", month)]

        def claim(cid: str, source: int, metric: str, period: str, extra: str) -> None:
            nonlocal made
            made += 1
            bodies.append(f'[[claim]]\nid = "{cid}"\nsource = "s{source}"\nmetric = "{metric}"\n'
                          f'period = "{period}"\n{extra}quote = "synthetic"\n')

        for month in range(12, 24):
            period = f"{2024 + month // 12}-{month % 12 + 1:02d}"
            for o in range(3):
                for flow in FLOWS:
                    if rng.random() < 0.62:
                        cid = f"p{p}-{period}-{flow}-o{o}"
                        text = _money(truth[(flow, month)])
                        if about and hedge.random() < about:
                            text = f"about {text}"
                        claim(cid, o, names[flow], period, f'value = "{text}"\n')
                        levels.append((cid, f"{p}-{period}-{flow}"))
                if rng.random() < 0.6:
                    growth = truth[("exports", month)] / truth[("exports", month - 12)] - 1
                    claim(f"p{p}-{period}-exports-yoy-o{o}", o, names["exports"], period,
                          f'change = "yoy"\nvalue = "{growth * 100:.1f}%"\n')
        h1 = sum(truth[("total", m)] for m in range(12, 18))
        year = sum(truth[("total", m)] for m in range(12, 24))
        claim(f"p{p}-2025-H1-total", 0, names["total"], "2025-H1", f'value = "{_money(h1)}"\n')
        claim(f"p{p}-2025-total", 1, names["total"], "2025", f'value = "{_money(year)}"\n')
        top = max(range(12, 24), key=lambda m: truth[("exports", m)])
        claim(f"p{p}-top", 2, names["exports"], f"2025-{top % 12 + 1:02d}",
              'rank = "highest of 2025"\n')
        up = truth[("imports", 23)] > truth[("imports", 22)]
        claim(f"p{p}-dec-dir", 2, names["imports"], "2025-12",
              f'direction = "{"up" if up else "down"}"\nchange = "mom"\n')
    for g in range(regions):
        members = range(g * region_size, min(partners, (g + 1) * region_size))
        if not members:
            break
        lines(f'[[metric]]\nid = "r{g}_total"\nunit = "USD"\naggregate = "sum"\n')
        identities.append(f'[[identity]]\nr{g}_total = ['
                          + ", ".join(f'"p{p}_total"' for p in members) + "]\n")
        for month in range(12, 24):
            period = f"2025-{month % 12 + 1:02d}"
            value = sum(region_truth[(p, month)] for p in members)
            made += 1
            bodies.append(f'[[claim]]\nid = "r{g}-{period}"\nsource = "s0"\n'
                          f'metric = "r{g}_total"\nperiod = "{period}"\n'
                          f'value = "{_money(value)}"\nquote = "synthetic"\n')
    # corrupt a few level claims whose figure another outlet also reports
    shared: dict[str, list[str]] = {}
    for cid, what in levels:
        shared.setdefault(what, []).append(cid)
    candidates = sorted(ids[0] for ids in shared.values() if len(ids) >= 2)
    errors = rng.sample(candidates, max(3, partners // 200))
    where = {body[len('[[claim]]\nid = "'):body.index('"\n', 12)]: k
             for k, body in enumerate(bodies)}
    for cid in errors:
        body = bodies[where[cid]]
        start = body.index('value = "') + len('value = "')
        start = body.index("$", start) + 1
        end = body.index('"', start)
        figure = body[start:end]
        number = float(figure.rstrip("mbn"))
        suffix = figure[len(figure.rstrip("mbn")):]
        bodies[where[cid]] = body[:start] + f"{number * 1.2:.1f}{suffix}" + body[end:]
    return "\n".join(out + identities + bodies), errors


_PHASES = {
    "compile (3 readings)": ("nkledger.solver", "compile_readings"),
    "find infeasible parts": ("nkledger.solver", "_Reading.find_infeasible"),
    "repairs (with their conflict sets)": ("nkledger.solver._repairs", "repair"),
    "implied figures": ("nkledger.solver._implied", "implied"),
}


def _time_phases() -> dict[str, float]:
    """Wrap the solver's stages so that each adds up its own wall-clock time."""
    import functools
    import importlib

    spent: dict[str, float] = dict.fromkeys(_PHASES, 0.0)
    for label, (module, name) in _PHASES.items():
        owner: object = importlib.import_module(module)
        attr = name
        if "." in name:
            cls, attr = name.split(".")
            owner = getattr(owner, cls)
        original = getattr(owner, attr)

        def timed(*args: object, __f: object = original, __label: str = label,
                  **kwargs: object) -> object:
            started = time.perf_counter()
            try:
                return __f(*args, **kwargs)  # type: ignore[operator]
            finally:
                spent[__label] += time.perf_counter() - started

        setattr(owner, attr, functools.wraps(original)(timed))
    return spent


def _stage(stage: str, path: str) -> dict[str, float | int | str]:
    """Run one stage on the ledger at *path*; report time and peak memory."""
    import nkledger

    text = Path(path).read_text()
    started = time.perf_counter()
    ledger = nkledger.loads(text)
    result: dict[str, float | int | str] = {"claims": len(ledger.claims)}
    loaded = time.perf_counter()
    result["load"] = loaded - started
    if stage == "checks":
        try:
            from nkledger.checks import run_checks  # type: ignore[import-not-found, unused-ignore]
        except ImportError:
            result["checks"] = "n/a"
        else:
            started = time.perf_counter()
            findings = list(run_checks(ledger, "default"))
            result["checks"] = time.perf_counter() - started
            result["findings"] = len(findings)
    elif stage == "analyse":
        from nkledger.solver import analyse

        spent = _time_phases()
        started = time.perf_counter()
        analysis = analyse(ledger, time_limit=None)
        result["analyse"] = time.perf_counter() - started
        result["conflicts"] = len(analysis.conflicts)
        result["repairs"] = len(analysis.repairs)
        result["implied"] = len(analysis.implied)
        result["truncated"] = int(analysis.truncated)
        result["best_repair"] = " ".join(analysis.repairs[0].claims) if analysis.repairs else ""
        result["phases"] = json.dumps({k: round(v, 2) for k, v in spent.items()})
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def _reap(command: list[str]) -> None:
    """Run *command* as a subreaper; print wall, CPU and peak memory of it and every descendant.

    ``nkledger check --jobs 2`` starts its workers from a forkserver, so they are not
    children of the command and GNU ``time`` counts neither their CPU nor their memory.
    Here this process becomes a child subreaper (Linux ``prctl``): orphaned descendants
    are handed to it, it waits for every one of them, and ``RUSAGE_CHILDREN`` then holds
    all of their CPU and the largest one's peak resident memory.
    """
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    subreaper = libc.prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    spent = time.perf_counter() - started
    while True:
        try:
            os.wait()
        except ChildProcessError:
            break
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"wall": spent, "cpu": usage.ru_utime + usage.ru_stime,
                      "peak_mb": usage.ru_maxrss / 1024, "code": done.returncode,
                      "stderr": done.stderr[-2000:], "all": subreaper}))


def _timed(command: list[str], timeout: float
           ) -> tuple[float | str, float | None, float | None]:
    """Wall-clock seconds, peak memory (MB, the largest process), CPU seconds (all)."""
    try:
        done = subprocess.run([sys.executable, __file__, "--stage", "reap", "--", *command],
                              capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return f"> {timeout:.0f}", None, None
    out = json.loads(done.stdout.strip().splitlines()[-1])
    if out["code"] not in (0, 1):
        raise RuntimeError(f"{command} failed:\n{out['stderr']}")
    return float(out["wall"]), float(out["peak_mb"]), float(out["cpu"])


def _calibrate() -> float:
    """CPU seconds of a fixed pure-Python workload (Decimal division, dict inserts).

    About 2 s on the 2-core machine of benchmarks/README.md when it runs at its usual
    speed; the same code every time, so the ratio of two readings is the ratio of the
    machine's speeds.
    """
    from decimal import Decimal

    started = time.process_time()
    total, seven, table = Decimal(0), Decimal(7), {}
    for i in range(2_000_000):
        total += Decimal(i) / seven
    for i in range(1_000_000):
        table[str(i)] = i
    return time.process_time() - started


def _summary(done: list[tuple[float | str, float | None, float | None]]
             ) -> tuple[float | str, float | None, float | None, str]:
    """Runs of one command: median wall, largest peak, median CPU, and the walls' range."""
    walls = [w for w, _, _ in done if isinstance(w, float)]
    if len(walls) < len(done):
        return next(w for w, _, _ in done if isinstance(w, str)), None, None, ""
    peaks = [p for _, p, _ in done if p is not None]
    cpus = [c for _, _, c in done if c is not None]
    spread = f" ({min(walls):.1f}–{max(walls):.1f})" if len(walls) > 1 else ""
    return (statistics.median(walls), max(peaks) if peaks else None,
            statistics.median(cpus) if cpus else None, spread)


def _compiled() -> None:
    """Write nkledger's bytecode (``__pycache__``), as installing a package does.

    An editable install leaves the compiling to the first import, and a process started
    with ``PYTHONDONTWRITEBYTECODE`` set (as in some sandboxes and containers) compiles
    every module again each time it starts: about 0.15 s more for each command and for
    each worker of a pool, none of which a user with an installed nkledger pays.
    Python still reads bytecode written beforehand under that setting.
    """
    import compileall

    import nkledger

    compileall.compile_dir(str(Path(nkledger.__file__).parent), quiet=1)


def end_to_end(args: argparse.Namespace) -> None:
    """Time ``nkledger check`` end to end beside loading the file, per format and --jobs."""
    _compiled()
    print(f"python {platform.python_version()}, {platform.machine()}, "
          f"{os.cpu_count()} cpus, load average {os.getloadavg()[0]:.1f} at the start, "
          f"calibration {_calibrate():.2f} CPU s, {args.repeat} run(s) of each command",
          flush=True)
    header = ["claims", "parts", "largest part", "work items", "load s", "load CPU s",
              "load MB"]
    runs = [(fmt, jobs) for fmt in args.formats for jobs in args.jobs]
    for fmt, jobs in runs:
        header += [f"{fmt} --jobs {jobs} s", "÷ load", "CPU s", "peak MB"]
    header += ["load avg"]
    print(" | ".join(header), flush=True)
    for size in args.sizes:
        text, _ = ledger_text(size, args.seed, regions=args.regions,
                              region_size=args.region_size, about=args.about)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"bench-{size}.toml"
            path.write_text(text)
            del text
            probe = subprocess.run(
                [sys.executable, __file__, "--stage", "split", "--path", str(path)],
                check=True, capture_output=True, text=True, timeout=args.timeout)
            split = json.loads(probe.stdout.strip().splitlines()[-1])
            commands = [[sys.executable, __file__, "--stage", "load", "--path", str(path)]]
            commands += [[sys.executable, "-m", "nkledger", "check", str(path), "--format",
                          fmt, "--output", str(Path(tmp) / "report"), "--quiet",
                          "--jobs", str(jobs), "--max-size", "8G"] for fmt, jobs in runs]
            # round after round, every command once a round: a drift of the machine's
            # speed then spreads over all of them rather than landing on one
            done: list[list[tuple[float | str, float | None, float | None]]] = [
                [] for _ in commands]
            for _ in range(args.repeat):
                for command, times in zip(commands, done, strict=True):
                    times.append(_timed(command, args.timeout))
            load, load_mb, load_cpu, load_range = _summary(done[0])
            row = [f"{split['claims']:,}", f"{split['parts']:,}", f"{split['largest']:,}",
                   f"{split['items']:,}", _num(load) + load_range, _num(load_cpu),
                   _num(load_mb, 0)]
            for times in done[1:]:
                spent, peak, cpu, spread = _summary(times)
                ratio = (spent / load if isinstance(spent, float) and isinstance(load, float)
                         else None)
                row += [_num(spent) + spread, _num(ratio, 1), _num(cpu), _num(peak, 0)]
            row.append(f"{os.getloadavg()[0]:.1f}")
            print(" | ".join(row), flush=True)
    print(f"calibration {_calibrate():.2f} CPU s at the end", flush=True)


def _num(value: float | str | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    return f"{value:,.{digits}f}"


def main(argv: list[str] | None = None) -> None:
    """Build the ledgers, run every stage in its own process, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--end-to-end", action="store_true",
                        help="time `nkledger check` beside loading the file, per --jobs")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--formats", nargs="+", default=["text", "jsonl"],
                        help="report formats for --end-to-end (default: text jsonl)")
    parser.add_argument("--about", type=float, default=0.0,
                        help='share of monthly levels written "about $Xm" (default 0)')
    parser.add_argument("--regions", type=int, default=0,
                        help="tie the first partners into this many large connected parts")
    parser.add_argument("--region-size", type=int, default=50,
                        help="partners in each large part (default 50)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=1,
                        help="--end-to-end: run each command this many times (median, range)")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--timeout", type=float, default=900,
                        help="seconds one stage may take before it is reported as '> N'")
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    parser.add_argument("rest", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.stage == "reap":
        _reap(args.rest)
        return
    if args.stage in ("load", "split"):
        import nkledger

        ledger = nkledger.loads(Path(args.path).read_text(), origin=args.path)
        if args.stage == "split":
            from nkledger import parallel

            groups = parallel.parts(ledger)
            print(json.dumps({"claims": len(ledger.claims), "parts": len(groups),
                              "largest": max(map(len, groups)),
                              "items": sum(1 for _ in parallel.work_items(ledger))}))
        return
    if args.end_to_end:
        end_to_end(args)
        return
    if args.stage:
        if args.profile:
            import cProfile
            import pstats

            profile = cProfile.Profile()
            out = profile.runcall(_stage, args.stage, args.path)
            pstats.Stats(profile, stream=sys.stderr).sort_stats("cumtime").print_stats(30)
        else:
            out = _stage(args.stage, args.path)
        print(json.dumps(out))
        return
    print(f"python {platform.python_version()}, {platform.machine()}, "
          f"{os.cpu_count()} cpus", flush=True)
    header = ("claims", "partners", "load s", "checks s", "analyse s", "peak MB (load+analyse)",
              "conflicts", "repairs", "implied", "errors found")
    print(" | ".join(header), flush=True)
    for size in args.sizes:
        text, errors = ledger_text(size, args.seed)
        with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as f:
            f.write(text)
            path = f.name
        try:
            results = {}
            for stage in ("checks", "analyse"):
                command = [sys.executable, __file__, "--stage", stage, "--path", path]
                if args.profile and stage == "analyse":
                    command.append("--profile")
                try:
                    done = subprocess.run(command, check=True, capture_output=True, text=True,
                                          timeout=args.timeout)
                except subprocess.TimeoutExpired:
                    results[stage] = {stage: f"> {args.timeout:.0f}"}
                    continue
                if args.profile:
                    print(done.stderr, file=sys.stderr)
                results[stage] = json.loads(done.stdout.strip().splitlines()[-1])
        finally:
            os.unlink(path)
        a, c = results["analyse"], results["checks"]
        checks = c["checks"] if isinstance(c["checks"], str) else f"{c['checks']:.2f}"
        found = set(str(a["best_repair"]).split())
        partners = text.count("[[identity]]")
        row = (f"{a['claims']:,}", f"{partners:,}", f"{a['load']:.2f}", checks,
               f"{a['analyse']:.2f}", f"{a['peak_mb']:.0f}", str(a["conflicts"]),
               str(a["repairs"]), f"{a['implied']:,}",
               f"{len(found & set(errors))}/{len(errors)}")
        print(" | ".join(row), flush=True)
        phases = json.loads(str(a["phases"]))
        print("    analyse: " + ", ".join(f"{k} {v:.2f} s" for k, v in phases.items()),
              flush=True)


if __name__ == "__main__":
    main()
