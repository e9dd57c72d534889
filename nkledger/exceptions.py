"""Exceptions raised by nkledger.

A leaf module with no nkledger imports, so every other module can raise these without
import loops (structlog keeps its exceptions the same way).

A failed cross-check is a *result* (a finding), never an exception: these are only for
input that nkledger cannot read.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "FigureError",
    "InvalidEntryError",
    "InvalidLedgerError",
    "LedgerError",
    "PeriodError",
    "UnknownReferenceError",
]


class LedgerError(Exception):
    """Base class of every error nkledger raises about its input."""


class FigureError(LedgerError, ValueError):
    """A figure ("$2.7bn", "nearly 30%") could not be read."""


class PeriodError(LedgerError, ValueError):
    """A period ("2025-09", "2025-H1", "2025-01..2025-08") could not be read."""


class UnknownReferenceError(LedgerError, LookupError):
    """A claim names a source, metric or claim the ledger does not have."""


class InvalidEntryError(LedgerError, ValueError):
    """One entry of a ledger (a claim, source, metric or identity) is wrong.

    The message names where it is, what it is and what is wrong with which value:
    ``claims.toml:142: claim 'j-2025-09-total': period '2025-13': month must be 01–12``.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        entry: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.entry = entry

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.path, self.line) if p is not None)
        parts = [p for p in (where, self.entry, self.message) if p]
        return _one_line(": ".join(parts))


def _one_line(text: str) -> str:
    """*text* with control characters escaped, so one problem is always one line."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


class InvalidLedgerError(LedgerError, ExceptionGroup[Exception]):
    """Every problem found in a ledger, reported at once, one line each.

    Like cattrs' ``ClassValidationError``: the sub-exceptions carry the details, and
    ``str()`` gives one line per problem so a CLI can print it as it is.
    """

    def __new__(cls, message: str, exceptions: Sequence[Exception]) -> InvalidLedgerError:
        return super().__new__(cls, message, exceptions)

    def __str__(self) -> str:
        lines = [self.message]
        lines.extend(f"  {exc}" for exc in self.exceptions)
        return "\n".join(lines)

    def derive(self, excs: Sequence[Exception]) -> InvalidLedgerError:  # type: ignore[override]
        return InvalidLedgerError(self.message, excs)
