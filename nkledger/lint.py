"""Lint: what a reviewer would catch in a ledger that loads, before anyone checks it.

:func:`lint` reads one or more ledger files (checked together, as ``nkledger check`` does)
and returns :class:`Lint` findings, one per problem, each naming file, line and entry:

- ``quote-not-in-article`` — a claim's quote is not, verbatim, in the article its source
  names with ``file`` (relative to the ledger file); a near miss (curly vs straight quotes,
  spacing) says so;
- ``figure-not-in-quote`` — the claim's figure is not in its own quote, neither as
  written ("$2.7bn", "-5%" for "dropped 5%") nor as a number the quote spells out;
- ``duplicate-id`` — two claims, sources or metrics share an id, within a file or across
  the files linted together;
- ``draft`` — a claim still has ``status = "draft"``;
- ``unused-metric`` — a metric declared in one of the files linted that no claim of
  them is about (an identity alone does not use a metric; a metric a file only
  ``include`` s is not its own).

Bad input (not TOML, a claim that cannot be read, an article file that cannot be read)
raises :class:`~nkledger.exceptions.InvalidLedgerError`, as loading does.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Sequence
from pathlib import Path

import attrs

from .exceptions import InvalidEntryError, InvalidLedgerError
from .io import load
from .ledger import Ledger

__all__ = ["Lint", "lint"]


@attrs.frozen(kw_only=True)
class Lint:
    """One thing a reviewer should look at."""

    rule: str
    path: str
    line: int | None
    entry: str
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.entry}: {self.message} [{self.rule}]"


_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-",
                       "\u00a0": " "})


def _loose(text: str) -> str:
    return " ".join(text.translate(_FOLD).split())


def _ids(path: Path) -> list[tuple[str, str, int | None]]:
    """(kind, id, line) of every table in a file, read without validating it."""
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return []
    out: list[tuple[str, str, int | None]] = []
    lines = text.splitlines()
    for kind in ("metric", "source", "claim"):
        headers = [n for n, line in enumerate(lines, 1)
                   if re.match(rf"\s*\[\[\s*{kind}\s*\]\]", line)]
        entries = data.get(kind, [])
        if not isinstance(entries, list):
            continue
        for i, entry in enumerate(entries):
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                out.append((kind, entry["id"], headers[i] if i < len(headers) else None))
    return out


def _duplicates(paths: Sequence[Path]) -> list[Lint]:
    found: list[Lint] = []
    first: dict[tuple[str, str], tuple[str, int | None]] = {}
    for path in paths:
        for kind, ident, line in _ids(path):
            where = first.get((kind, ident))
            if where is None:
                first[(kind, ident)] = (str(path), line)
                continue
            if kind == "metric":
                continue  # the same metric in several files is merged when identical
            at = where[0] if where[1] is None else f"{where[0]}:{where[1]}"
            found.append(Lint(rule="duplicate-id", path=str(path), line=line,
                              entry=f"{kind} {ident!r}",
                              message=f"the id is also used at {at}"))
    return found


def _figure_in_quote(claim_value: str, quote: str) -> bool:
    from .draft import find_figures
    from .figures import parse_figure

    written = claim_value.strip().lstrip("+-−").strip()
    if _loose(written).lower() in _loose(quote).lower():
        return True
    figure = parse_figure(claim_value)
    bare = written
    if figure.qualifier is not None:
        # "-5%" for "dropped 5%", "about -5%": the written figure without its sign
        bare = re.sub(r"^[^\d$€£₩R]*", "", written)
    if bare and _loose(bare).lower() in _loose(quote).lower():
        return True
    for found in find_figures(quote):
        other = found.figure
        if abs(other.value) == abs(figure.value) and other.unit == figure.unit:
            return True
    return False


def lint(paths: Sequence[str | os.PathLike[str]]) -> list[Lint]:
    """Every lint finding in the ledger files *paths*, linted together.

    Raises:
        InvalidLedgerError: when a file cannot be read as a ledger, or an article a source
            names cannot be read.
    """
    files = [Path(p) for p in paths]
    findings = _duplicates(files)
    ledgers: list[tuple[Path, Ledger]] = []
    problems: list[Exception] = []
    for path in files:
        try:
            ledgers.append((path, load(path)))
        except InvalidLedgerError as exc:
            rest = [e for e in exc.exceptions
                    if not (isinstance(e, InvalidEntryError) and "duplicate" in e.message)]
            if rest or not findings:
                problems.extend(rest or exc.exceptions)
        except OSError as exc:
            problems.append(InvalidEntryError(f"cannot read: {exc.strerror or exc}",
                                              path=str(path)))
    if problems:
        raise InvalidLedgerError(f"{len(problems)} problem(s) in the input", problems)
    claimed: set[str] = set()
    for path, ledger in ledgers:
        claimed.update(c.metric for c in ledger.claims)
        articles: dict[str, str] = {}
        for source in ledger.sources:
            if source.file is None:
                continue
            article = path.parent / source.file
            try:
                articles[source.id] = article.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                problems.append(InvalidEntryError(
                    f"file {source.file!r}: cannot read {article}: "
                    f"{getattr(exc, 'strerror', None) or exc}",
                    path=str(path), line=source.line, entry=f"source {source.id!r}"))
        for claim in ledger.claims:
            entry = f"claim {claim.id!r}"
            text = articles.get(claim.source)
            if text is not None and claim.quote not in text:
                hint = ("; it is there once curly and straight quotes, dashes and spacing "
                        "are ignored" if _loose(claim.quote) in _loose(text) else "")
                findings.append(Lint(
                    rule="quote-not-in-article", path=str(path), line=claim.line, entry=entry,
                    message=f"quote {claim.quote[:60]!r} is not in "
                            f"{ledger.source(claim.source).file}{hint}"))
            if claim.value is not None and not _figure_in_quote(claim.value.text, claim.quote):
                findings.append(Lint(
                    rule="figure-not-in-quote", path=str(path), line=claim.line, entry=entry,
                    message=f"value {claim.value.text!r} is not in its quote "
                            f"{claim.quote[:60]!r}"))
            if claim.is_draft:
                findings.append(Lint(
                    rule="draft", path=str(path), line=claim.line, entry=entry,
                    message='still a draft: review it, then delete the line status = "draft"'))
    if problems:
        raise InvalidLedgerError(f"{len(problems)} problem(s) in the input", problems)
    seen_metric: set[str] = set()
    for path, ledger in ledgers:
        own = {ident for kind, ident, _ in _ids(path) if kind == "metric"}
        for metric in ledger.metrics:
            # a metric a shared file declares is used by some ledgers, not all: only the
            # metrics of the files linted count (lint the shared file too to see its own)
            if metric.id in claimed or metric.id in seen_metric or metric.id not in own:
                continue
            seen_metric.add(metric.id)
            findings.append(Lint(
                rule="unused-metric", path=str(path), line=metric.line,
                entry=f"metric {metric.id!r}", message="no claim is about this metric"))
    return sorted(findings, key=lambda f: (f.path, f.line or 0, f.rule))
