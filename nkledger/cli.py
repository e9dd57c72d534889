"""The ``nkledger`` command.

``nkledger check FILE... [--format text|markdown|html|json] [--reading R] [--output F]``
prints the report and exits 0 when every claim can hold together, 1 when anything
conflicts, 2 on bad input (every problem listed, one line each, on stderr; nothing is
written). Several files are checked together as one ledger: each must be complete on
its own (a metric or source used in two files is declared in both, identically).

``nkledger figure TEXT...`` shows how nkledger reads figures: the number, unit, scale,
qualifier and the interval under each reading.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence

import attrs
from tabulate import tabulate

from . import __version__
from .claims import Claim, Identity, Metric, Source
from .exceptions import InvalidLedgerError, LedgerError
from .figures import READINGS, parse_figure
from .io import load, write_atomically
from .ledger import Ledger

__all__ = ["main"]

EXIT_CONSISTENT, EXIT_CONFLICT, EXIT_BAD_INPUT = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nkledger",
        description="Cross-check figures that news outlets report about the same thing.",
    )
    parser.add_argument("--version", action="version", version=f"nkledger {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser(
        "check", help="check ledger files and print the report",
        description="Check ledger files. Exit 0: consistent; 1: conflicts; 2: bad input.",
    )
    check.add_argument("files", nargs="+", metavar="FILE", help="ledger files (TOML)")
    check.add_argument("--format", "-f",
                       choices=("text", "markdown", "html", "json", "jsonl"), default="text",
                       help="output format (default: text); jsonl writes a JSON object a "
                            "line, one per part of the ledger as it is checked, then a summary")
    check.add_argument("--reading", "-r", choices=READINGS, default="default",
                       help="how qualifiers such as 'nearly' are read (default: default)")
    check.add_argument("--output", "-o", metavar="FILE",
                       help="write the report to FILE instead of standard output")
    check.add_argument("--pairwise-only", action="store_true",
                       help="skip the joint analysis (conflict sets, repairs, implied figures)")
    _parallel_options(check)
    figure = commands.add_parser("figure", help="show how figures are read")
    figure.add_argument("texts", nargs="+", metavar="TEXT", help='e.g. "nearly 30%%"')
    return parser


def _merge(ledgers: Sequence[Ledger]) -> Ledger:
    if len(ledgers) == 1:
        return ledgers[0]
    metrics: dict[Metric, None] = {}
    identities: dict[Identity, None] = {}
    sources: dict[Source, None] = {}
    claims: list[Claim] = []
    for ledger in ledgers:
        metrics.update(dict.fromkeys(ledger.metrics))
        identities.update(dict.fromkeys(ledger.identities))
        sources.update(dict.fromkeys(ledger.sources))
        claims.extend(ledger.claims)
    return Ledger(metrics=list(metrics), identities=list(identities), sources=list(sources),
                  claims=claims, origin=" + ".join(str(x.origin) for x in ledgers))


def _write(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomically(output, text)


def _check(args: argparse.Namespace) -> int:
    from .render import render

    problems: list[str] = []
    ledgers = []
    for name in args.files:
        try:
            ledgers.append(load(name))
        except InvalidLedgerError as exc:
            problems.extend(str(e) for e in exc.exceptions)
        except OSError as exc:
            problems.append(f"{name}: cannot read: {exc.strerror or exc}")
    if not problems:
        try:
            ledger = _merge(ledgers)
        except InvalidLedgerError as exc:
            problems.extend(str(e) for e in exc.exceptions)
    if problems:
        n = len(problems)
        print(f"nkledger: {n} problem{'s' if n > 1 else ''} in the input; nothing was checked:",
              file=sys.stderr)
        for line in problems:
            print(f"  {line}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.format == "jsonl":
        return _check_jsonl(ledger, args)
    from .parallel import Progress, check_parts
    from .report import _assemble

    progress = Progress(len(ledger.claims), quiet=args.quiet)
    try:
        merged = check_parts(ledger, args.reading, joint=not args.pairwise_only,
                             jobs=_jobs(args), chunk=args.chunk, progress=progress)
    finally:
        progress.close()
    report = _assemble(ledger, args.reading, merged)
    try:
        _write(render(report, args.format), args.output)
    except OSError as exc:
        print(f"nkledger: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_CONSISTENT if report.consistent else EXIT_CONFLICT


# -- parallel and streaming checks (nkledger.parallel) --------------------------------


def _parallel_options(check: argparse.ArgumentParser) -> None:
    from .parallel import CHUNK, default_jobs

    check.add_argument("--jobs", "-j", type=_positive, default=None, metavar="N",
                       help=f"check independent parts on N processes (default: one per "
                            f"core, here {default_jobs()}); the report is the same for any N")
    check.add_argument("--chunk", type=_positive, default=CHUNK, metavar="CLAIMS",
                       help=f"about how many claims make one work item (default: {CHUNK})")
    check.add_argument("--quiet", "-q", action="store_true",
                       help="no progress bar on standard error (it only shows on a terminal)")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _jobs(args: argparse.Namespace) -> int:
    from .parallel import default_jobs

    return default_jobs() if args.jobs is None else int(args.jobs)


def _check_jsonl(ledger: Ledger, args: argparse.Namespace) -> int:
    """Check part by part and write one JSON object a line, each as soon as it is made.

    A line per work item (``"kind": "part"``: that item's report, in the JSON schema)
    and a last line (``"kind": "summary"``): the verdict and the repairs of the whole
    ledger, with the outlets and notes.
    """
    import json

    from .parallel import Merger, Progress, results
    from .render import render
    from .report import Report

    joint = not args.pairwise_only
    progress = Progress(len(ledger.claims), quiet=args.quiet)
    merger = Merger(ledger, joint=joint, keep=False)
    consistent = True

    def lines() -> Iterator[str]:
        nonlocal consistent
        for part in results(ledger, args.reading, joint=joint, jobs=_jobs(args),
                            chunk=args.chunk, progress=progress):
            merger.add(part)
            a = part.analysis
            report = Report(ledger=part.ledger, reading=args.reading, findings=part.findings,
                            joint=joint) if a is None else Report(
                ledger=part.ledger, reading=args.reading, findings=part.findings,
                conflicts=a.conflicts, sensitive=a.sensitive, repairs=a.repairs,
                implied=a.implied, outlets=a.outlets, notes=a.notes, truncated=a.truncated)
            data = json.loads(render(report, "json"))
            yield json.dumps({"kind": "part", "index": part.index, **data},
                             ensure_ascii=False) + "\n"
        merged = merger.result()
        consistent = not merged.conflicts and merger.conflicting == 0
        yield json.dumps({
            "kind": "summary", "ledger": ledger.origin, "reading": args.reading,
            "consistent": consistent, "parts": merged.parts, "claims": len(ledger.claims),
            "conflicting_findings": merger.conflicting, "conflicts": len(merged.conflicts),
            "repairs": [list(r.claims) for r in merged.repairs],
            "repair_weights": [r.weight for r in merged.repairs],
            "outlets": [attrs.asdict(o) for o in merged.outlets],
            "notes": list(merged.notes), "truncated": merged.truncated,
        }, ensure_ascii=False) + "\n"

    try:
        if args.output is None:
            for line in lines():
                sys.stdout.write(line)
                sys.stdout.flush()
        else:
            write_atomically(args.output, lines())
    except OSError as exc:
        print(f"nkledger: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    finally:
        progress.close()
    return EXIT_CONSISTENT if consistent else EXIT_CONFLICT


def _figure(args: argparse.Namespace) -> int:
    from .render import span

    rows = []
    status = EXIT_CONSISTENT
    for text in args.texts:
        try:
            f = parse_figure(text)
        except LedgerError as exc:
            print(f"nkledger: {exc}", file=sys.stderr)
            status = EXIT_BAD_INPUT
            continue
        rows.append([text, f.number, f.unit or "(count)", f.qualifier or "",
                     *(span(f.interval(r), f.unit) for r in READINGS)])
    if rows:
        print(tabulate(rows, ["figure", "number", "unit", "qualifier", *READINGS],
                       disable_numparse=True))
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    if args.command == "figure":
        return _figure(args)
    return _check(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
