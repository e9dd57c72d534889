"""nkledger: every reported figure a sourced claim, every claim checked against the rest.

The public API, re-exported here; everything else is private. ``import nkledger`` is
cheap: the solver and Hypothesis are imported only where they are used.
"""

from __future__ import annotations

from .claims import Claim, Identity, Metric, Rank, Source
from .exceptions import (
    FigureError,
    InvalidEntryError,
    InvalidLedgerError,
    LedgerError,
    PeriodError,
    UnknownReferenceError,
)
from .figures import Figure, Reading, format_amount, parse_figure
from .findings import Finding, Verdict
from .intervals import Interval
from .io import dumps, load, loads, save
from .ledger import Ledger
from .periods import Period, parse_period
from .problems import Culprit, Diagnosis, Problem
from .report import Report, check
from .results import Conflict, Implied, OutletSummary, Repair

__all__ = [
    "Claim",
    "Conflict",
    "Culprit",
    "Diagnosis",
    "Figure",
    "FigureError",
    "Finding",
    "Identity",
    "Implied",
    "Interval",
    "InvalidEntryError",
    "InvalidLedgerError",
    "Ledger",
    "LedgerError",
    "Metric",
    "OutletSummary",
    "Period",
    "PeriodError",
    "Problem",
    "Rank",
    "Reading",
    "Repair",
    "Report",
    "Source",
    "UnknownReferenceError",
    "Verdict",
    "check",
    "dumps",
    "format_amount",
    "load",
    "loads",
    "parse_figure",
    "parse_period",
    "save",
]

__version__ = "0.1.0"
