"""The ``nkledger`` command.

``nkledger check FILE... [--format text|markdown|html|json] [--reading R] [--output F]
[--basis NAME|all] [--vintage latest|all] [--as-of DATE]`` prints the report and exits 0
when every claim can hold together, 1 when anything conflicts, 2 on bad input (every
problem listed, one line each, on stderr; nothing is written). Several files are checked
together as one ledger: each must be complete on its own (a metric or source used in two
files is declared in both, identically). ``--basis``, ``--vintage`` and ``--as-of`` say
which bases and releases are held together (see :mod:`nkledger.evidence`).

``nkledger figure TEXT...`` shows how nkledger reads figures: the number, unit, scale,
qualifier and the interval under each reading.

Exit codes: 0 consistent, 1 conflicts found (and only then), 2 bad input (including a
usage error, an unreadable or oversized file, or an ``--output`` nkledger refuses to
write), 3 an internal error — a bug in nkledger, reported as one line on stderr.

``--output FILE`` writes the report atomically to FILE and says so on stderr; ``-``
means standard output. It refuses any input file (also through a symlink or a hard
link) and anything that is not a regular file (a directory, device, FIFO). A symlink is
written *through*: the file it points to gets the report, the link stays a link.

``draft``, ``fmt``, ``lint``, ``import`` and ``export`` (getting claims in) live in
:mod:`nkledger._cli_intake`.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import stat
import sys
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from tabulate import tabulate

from . import __version__
from ._collector import kept
from .claims import Claim, Identity, Metric, Source
from .exceptions import InvalidLedgerError, LedgerError, UnknownReferenceError
from .figures import READINGS, parse_figure
from .io import DEFAULT_MAX_SIZE, file_kind, load, write_atomically
from .ledger import Ledger

__all__ = ["main"]

EXIT_CONSISTENT, EXIT_CONFLICT, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nkledger",
        description="Cross-check figures that news outlets report about the same thing.",
    )
    parser.add_argument("--version", action="version", version=f"nkledger {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser(
        "check", help="check ledger files and print the report",
        description="Check ledger files. Exit 0: consistent; 1: conflicts; 2: bad input; "
                    "3: internal error.",
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
    check.add_argument("--all", action="store_true",
                       help="also list every finding, the conflict sets and the repairs")
    check.add_argument("--pairwise-only", action="store_true",
                       help="skip the joint analysis (conflict sets, repairs, implied figures)")
    _evidence_options(check)
    check.add_argument("--max-size", type=_size, default=DEFAULT_MAX_SIZE, metavar="SIZE",
                       help="refuse input files larger than SIZE bytes; k, M, G suffixes "
                            f"allowed (default: {DEFAULT_MAX_SIZE // 2**20}M)")
    check.add_argument("--include-drafts", action="store_true",
                       help='also check claims marked status = "draft" (left out by default)')
    _parallel_options(check)
    figure = commands.add_parser("figure", help="show how figures are read")
    figure.add_argument("texts", nargs="+", metavar="TEXT", help='e.g. "nearly 30%%"')
    from ._cli_intake import add_commands

    add_commands(commands)
    return parser


def _evidence_options(check: argparse.ArgumentParser) -> None:
    """--basis, --vintage and --as-of: which bases and releases are held together."""
    check.add_argument("--basis", metavar="NAME|all", default=None,
                       help="check one basis alone, or 'all' to hold every basis against "
                            "the others (default: each basis on its own, differences listed)")
    check.add_argument("--vintage", choices=("latest", "all"), default="all",
                       help="'latest': only the latest release of each figure is checked, "
                            "earlier ones are listed as revisions (default: all)")
    check.add_argument("--as-of", metavar="DATE", type=_day, default=None,
                       help="check the ledger as it stood on DATE (YYYY-MM-DD): only "
                            "sources published by then")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date such as 2026-01-20") from None


def _evidence_arguments(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of :func:`nkledger.check` that --basis, --vintage, --as-of give."""
    return {"basis": args.basis, "vintage": args.vintage, "as_of": args.as_of}


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


def _size(text: str) -> int:
    """A size in bytes for ``--max-size``: ``1000000``, ``512k``, ``64M``, ``1G``."""
    m = re.fullmatch(r"\s*(\d+)\s*([kKmMgG]?)i?[bB]?\s*", text)
    if m is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size such as 64M")
    return int(m[1]) << (10 * " kmg".index(m[2].lower() or " "))


def _output_problem(output: str | None, inputs: Sequence[str]) -> str | None:
    """Why the report must not be written to *output*, or None when it may."""
    if output is None or output == "-":
        return None
    try:
        target = os.path.realpath(output)  # a symlink is written through
        info: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        return f"cannot write {output}: {exc.strerror or exc}"
    except ValueError:
        return f"cannot write {output!r}: not a file name (it holds a NUL character)"
    if info is not None and not stat.S_ISREG(info.st_mode):
        return (f"cannot write {output}: it is {file_kind(info.st_mode)}; the report goes to "
                f"a regular file, or to standard output as '-'")
    if info is None and not os.path.isdir(os.path.dirname(target)):
        return f"cannot write {output}: no directory {os.path.dirname(target)}"
    for name in inputs:
        if name == "-":
            continue
        try:
            same = info is not None and os.path.samefile(target, name)
        except OSError:
            same = False
        if same or os.path.realpath(name) == target:
            return (f"cannot write {output}: it is the input file {name}; nkledger never "
                    f"overwrites a ledger with its report")
    return None


def _write(text: str, output: str | None) -> None:
    if output is None or output == "-":
        sys.stdout.write(text)
    else:
        write_atomically(os.path.realpath(output), text)
        print(f"nkledger: wrote report to {output}", file=sys.stderr)


def _check(args: argparse.Namespace) -> int:
    with kept() as settle:
        return _checked(args, settle)


def _checked(args: argparse.Namespace, settle: Callable[[], None]) -> int:
    from .render import render

    problems: list[str] = []
    ledgers = []
    if (output := _output_problem(args.output, args.files)) is not None:
        problems.append(output)
    if args.files.count("-") > 1:
        problems.append("-: standard input can be read once; name it once")
    if not problems:
        _warm(args)
    for name in args.files:
        try:
            ledgers.append(load(name, max_size=args.max_size))
        except InvalidLedgerError as exc:
            problems.extend(str(e) for e in exc.exceptions)
        except OSError as exc:
            problems.append(f"{name}: cannot read: {exc.strerror or exc}")
    settle()  # the ledgers live as long as the command: the collector need not walk them
    if not problems:
        try:
            ledger = _merge(ledgers)
        except InvalidLedgerError as exc:
            problems.extend(str(e) for e in exc.exceptions)
    if not problems and not ledger.claims:
        problems.extend(f"{x.origin}:1: no claims: a ledger needs at least one [[claim]] "
                        f"to check" for x in ledgers)
    if problems:
        n = len(problems)
        print(f"nkledger: {n} problem{'s' if n > 1 else ''} in the input; nothing was checked:",
              file=sys.stderr)
        for line in problems:
            print(f"  {line}", file=sys.stderr)
        return EXIT_BAD_INPUT
    from .parallel import PartResult, Progress, settings
    from .render._json import part_json
    from .render._outline import implied_row
    from .report import check

    progress = Progress(len(ledger.claims), quiet=args.quiet)
    stream = None
    try:
        stream = _JsonLines(args) if args.format == "jsonl" else None

        def observe(part: PartResult) -> None:
            progress.observe(part)
            if stream is not None:
                stream.part(part)

        lean = _lean(args)
        with settings(chunk=args.chunk, observe=observe,
                      render=part_json if stream is not None else None, lean=lean,
                      row=implied_row if lean else None):
            report = check(ledger, args.reading, joint=not args.pairwise_only,
                           include_drafts=args.include_drafts, jobs=_jobs(args),
                           **_evidence_arguments(args))
        if stream is not None:
            stream.finish(report)
    except UnknownReferenceError as exc:
        print(f"nkledger: --basis: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        print(f"nkledger: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    finally:
        progress.close()
        if stream is not None:
            stream.abandon()
    if stream is not None:
        return EXIT_CONSISTENT if report.consistent else EXIT_CONFLICT
    try:
        _write(render(report, args.format, all=args.all), args.output)
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


#: A ledger file of more bytes than this is likely to make several work items.
_WARM_BYTES = 2**18


def _warm(args: argparse.Namespace) -> None:
    """Start the workers' forkserver before loading a large ledger to check on a pool.

    Its imports then overlap the loading (:func:`nkledger.parallel.warm`); for a
    small ledger, checked in this process, nothing is started.
    """
    if _jobs(args) < 2:
        return
    size = 0
    for name in args.files:
        with contextlib.suppress(OSError, ValueError):  # the load says what is wrong
            size += 0 if name == "-" else os.stat(name).st_size
    if size <= _WARM_BYTES:
        return
    from .parallel import warm
    from .render._json import part_json
    from .render._outline import implied_row

    warm(joint=not args.pairwise_only, render=part_json if args.format == "jsonl" else None,
         row=implied_row if _lean(args) else None)


def _lean(args: argparse.Namespace) -> bool:
    """Whether the report shows only its digest, so work items send back no more.

    A text, markdown or HTML report without ``--all`` (see
    :func:`nkledger.parallel.settings`, ``lean=True``).
    """
    return args.format in ("text", "markdown", "html") and not args.all


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


class _JsonLines:
    """``--format jsonl``: one JSON object a line, each written as soon as it is made.

    A line per work item as it is checked (``"kind": "part"``: that item's report, in
    the JSON schema), then a last line (``"kind": "summary"``): the verdict and the
    repairs of the whole ledger, with the outlets and notes. To a file, the lines go to
    a temporary file beside it that replaces it only once the summary is written.
    """

    def __init__(self, args: argparse.Namespace) -> None:
        self.reading = args.reading
        self.output = None if args.output in (None, "-") else os.path.realpath(args.output)
        self.shown = args.output
        self.parts = 0
        self.tmp: str | None = None
        if self.output is None:
            self.file: Any = sys.stdout
        else:
            import tempfile

            fd, self.tmp = tempfile.mkstemp(prefix=f".{os.path.basename(self.output)}.",
                                            suffix=".tmp", dir=os.path.dirname(self.output))
            self.file = os.fdopen(fd, "w", encoding="utf-8", newline="\n")

    def _line(self, data: dict[str, Any]) -> None:
        import json

        self.file.write(json.dumps(data, ensure_ascii=False) + "\n")
        self.file.flush()

    def part(self, part: Any) -> None:
        """Write one work item's report, as the worker that checked it rendered it."""
        from .render._json import part_json

        text = part.text if part.text is not None else part_json(part, self.reading)
        # the worker's JSON object, with the kind and index first: {"kind": ..., ...}
        self.file.write(f'{{"kind": "part", "index": {self.parts}, {text[1:]}\n')
        self.file.flush()
        self.parts += 1

    def finish(self, report: Any) -> None:
        """Write the summary of the whole ledger and put the file in place."""
        import attrs

        self._line({
            "kind": "summary", "ledger": report.ledger.origin, "reading": report.reading,
            "consistent": report.consistent, "parts": self.parts,
            "claims": len(report.ledger.claims),
            "conflicting_findings": len(report.conflicting),
            "conflicts": len(report.conflicts),
            "repairs": [list(r.claims) for r in report.repairs],
            "repair_weights": [r.weight for r in report.repairs],
            "outlets": [attrs.asdict(o) for o in report.outlets],
            "notes": list(report.notes), "truncated": report.truncated,
        })
        if self.output is not None and self.tmp is not None:
            self.file.flush()
            os.fsync(self.file.fileno())
            self.file.close()
            try:
                mode = stat.S_IMODE(os.stat(self.output).st_mode)
            except FileNotFoundError:
                umask = os.umask(0)
                os.umask(umask)
                mode = 0o666 & ~umask
            os.chmod(self.tmp, mode)
            os.replace(self.tmp, self.output)
            self.tmp = None
            print(f"nkledger: wrote report to {self.shown}", file=sys.stderr)

    def abandon(self) -> None:
        """Drop the temporary file of a report that was not finished (the target stays)."""
        if self.tmp is not None:
            self.file.close()
            os.unlink(self.tmp)
            self.tmp = None


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
    """Run the command line; returns the exit code.

    Exit 1 means conflicts and nothing else: an error inside nkledger is caught here and
    becomes exit 3 with one line on stderr, never a traceback that looks like a result.
    """
    args = _parser().parse_args(argv)
    try:
        if args.command == "figure":
            return _figure(args)
        if args.command != "check":
            from ._cli_intake import run

            return run(args)
        return _check(args)
    except KeyboardInterrupt:
        print("nkledger: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the one place every error becomes an exit code
        detail = " ".join(str(exc).split()) or "no detail"
        print(f"nkledger: internal error ({type(exc).__name__}: {detail[:300]}); "
              f"please report it", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
