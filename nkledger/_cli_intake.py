"""The commands that get claims in: ``draft``, ``fmt``, ``lint``, ``import``, ``export``.

Kept apart from :mod:`nkledger.cli` so that file stays small; each command is one
function, and every one of them follows the house rules: exit 2 on bad input with every
problem listed, never a traceback, never a partial write.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from .exceptions import InvalidLedgerError, LedgerError

__all__ = ["add_commands", "run"]

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the intake commands to the ``nkledger`` parser."""
    d = commands.add_parser(
        "draft", help="draft claims from an article's text",
        description="Print draft [[source]] and [[claim]] tables for every figure the "
                    "article states about the ledger's metrics (status = \"draft\").")
    d.add_argument("article", metavar="ARTICLE", help="the article's text (UTF-8)")
    d.add_argument("--ledger", "-l", required=True, metavar="LEDGER",
                   help="the ledger whose metrics (and their terms) the claims are about")
    d.add_argument("--source", metavar="ID", help="the source id (an existing one is reused)")
    d.add_argument("--outlet", metavar="NAME")
    d.add_argument("--published", metavar="YYYY-MM-DD", type=_day)
    d.add_argument("--url", metavar="URL")
    d.add_argument("--append", action="store_true",
                   help="add the drafts to the ledger file (at the end of the source's "
                        "section), keeping every comment")
    f = commands.add_parser("fmt", help="normalise the layout of ledger files",
                            description="Rewrite files in the house layout, keeping every "
                                        "comment. Exit 1 with --check when a file would change.")
    f.add_argument("files", nargs="+", metavar="FILE")
    f.add_argument("--check", action="store_true", help="only say which files would change")
    lint = commands.add_parser(
        "lint", help="find quotes not in their article, drafts, unused metrics...",
        description="Lint ledger files together. Exit 0: clean; 1: findings; 2: bad input.")
    lint.add_argument("files", nargs="+", metavar="FILE")
    imp = commands.add_parser("import", help="read claims from a CSV file into a ledger",
                              description="Write a ledger (TOML) from a CSV of claims, one "
                                          "row per claim with its source's fields beside it.")
    imp.add_argument("csv", metavar="CSV")
    imp.add_argument("--ledger", "-l", metavar="LEDGER",
                     help="take metrics and identities from this ledger")
    imp.add_argument("--output", "-o", metavar="FILE", help="write here, not to stdout")
    exp = commands.add_parser("export", help="write a ledger's claims as CSV")
    exp.add_argument("ledger", metavar="LEDGER")
    exp.add_argument("--format", "-f", choices=("csv",), default="csv")
    exp.add_argument("--output", "-o", metavar="FILE", help="write here, not to stdout")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date such as 2025-12-19") from None


def _bad(lines: list[str], what: str = "nothing was written") -> int:
    n = len(lines)
    print(f"nkledger: {n} problem{'s' if n > 1 else ''} in the input; {what}:", file=sys.stderr)
    for line in lines:
        print(f"  {line}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _problems(exc: InvalidLedgerError) -> list[str]:
    return [str(e) for e in exc.exceptions]


def _out(text: str, output: str | None) -> None:
    from .io import write_atomically

    if output is None:
        sys.stdout.write(text)
    else:
        write_atomically(output, text)


def _draft(args: argparse.Namespace) -> int:
    from .draft import draft
    from .edit import Document
    from .io import load, loads

    try:
        ledger = load(args.ledger)
        text = Path(args.article).read_text(encoding="utf-8")
    except InvalidLedgerError as exc:
        return _bad(_problems(exc))
    except (OSError, UnicodeDecodeError) as exc:
        return _bad([f"cannot read: {getattr(exc, 'strerror', None) or exc}"])
    folder = Path(args.ledger).resolve().parent
    file = Path(os.path.relpath(Path(args.article).resolve(), folder)).as_posix()
    drafted = draft(text, ledger, source=args.source, outlet=args.outlet,
                    published=args.published, url=args.url, file=file)
    tables = drafted.to_toml()
    summary = (f"{len(drafted.claims)} draft claim(s), {len(drafted.omitted)} figure(s) "
               f"left as comments")
    if not args.append:
        sys.stdout.write(tables)
        print(f"nkledger: {summary}", file=sys.stderr)
        return EXIT_OK
    try:
        doc = Document.load(args.ledger)
        doc.append(tables, source=None if drafted.new_source else drafted.source.id)
        loads(doc.as_string(), origin=args.ledger, base=folder)
        doc.save()
    except InvalidLedgerError as exc:
        return _bad(_problems(exc))
    except OSError as exc:
        return _bad([f"{args.ledger}: cannot write: {exc.strerror or exc}"])
    print(f"nkledger: appended {summary} to {args.ledger}", file=sys.stderr)
    return EXIT_OK


def _fmt(args: argparse.Namespace) -> int:
    from .edit import fmt
    from .io import write_atomically

    problems: list[str] = []
    changed: list[tuple[str, str]] = []
    for name in args.files:
        try:
            text = Path(name).read_text(encoding="utf-8")
            new = fmt(text, origin=name)
        except InvalidLedgerError as exc:
            problems.extend(_problems(exc))
            continue
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{name}: cannot read: {getattr(exc, 'strerror', None) or exc}")
            continue
        if new != text:
            changed.append((name, new))
    if problems:
        return _bad(problems)
    for name, new in changed:
        if args.check:
            print(f"{name}: would be reformatted")
        else:
            write_atomically(name, new)
            print(f"{name}: reformatted", file=sys.stderr)
    return EXIT_FINDINGS if args.check and changed else EXIT_OK


def _lint(args: argparse.Namespace) -> int:
    from .lint import lint

    try:
        findings = lint(args.files)
    except InvalidLedgerError as exc:
        return _bad(_problems(exc), "nothing was linted")
    for finding in findings:
        print(finding)
    n = len(findings)
    print(f"nkledger lint: {n} finding{'s' if n != 1 else ''}", file=sys.stderr)
    return EXIT_FINDINGS if findings else EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from .edit import fmt
    from .io import dumps, load
    from .tabular import read_csv

    try:
        base = load(args.ledger) if args.ledger else None
        with open(args.csv, encoding="utf-8", newline="") as f:  # CSV keeps its own newlines
            text = f.read()
        ledger = read_csv(text, origin=args.csv,
                          metrics=base.metrics if base is not None else (),
                          identities=base.identities if base is not None else ())
        _out(fmt(dumps(ledger), origin=args.csv), args.output)
    except InvalidLedgerError as exc:
        return _bad(_problems(exc))
    except (OSError, UnicodeDecodeError) as exc:
        return _bad([f"cannot read or write: {getattr(exc, 'strerror', None) or exc}"])
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from .io import load
    from .tabular import write_csv

    try:
        _out(write_csv(load(args.ledger)), args.output)
    except InvalidLedgerError as exc:
        return _bad(_problems(exc))
    except (OSError, UnicodeDecodeError) as exc:
        return _bad([f"cannot read or write: {getattr(exc, 'strerror', None) or exc}"])
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    """Run one of the intake commands."""
    command = {"draft": _draft, "fmt": _fmt, "lint": _lint, "import": _import,
               "export": _export}[args.command]
    try:
        return command(args)
    except BrokenPipeError:  # pragma: no cover - "nkledger lint ... | head"
        sys.stderr.close()
        return EXIT_OK
    except LedgerError as exc:  # pragma: no cover - every command catches its own
        return _bad([str(exc)])
