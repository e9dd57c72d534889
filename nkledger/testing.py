"""Assertions for other projects' tests: a scraper's output, a newsroom's figure table.

Like structlog's public ``testing`` module, this is a small, stable face for use inside
someone else's test suite: :func:`assert_consistent` runs :func:`nkledger.check` and,
when the claims cannot all hold, fails with an ``AssertionError`` whose message says
why in plain lines — the conflicting findings, the minimal conflict sets, the repairs,
and the claims involved with their outlets and quotes — so a failing test reads like a
short report rather than a ``False``. It never formats tables: pytest shows the message
as it is, and a plain list survives any terminal width.
"""

from __future__ import annotations

from .claims import Claim
from .figures import Reading
from .ledger import Ledger
from .report import Report, check

__all__ = ["assert_consistent"]

_QUOTE = 90


def assert_consistent(ledger: Ledger, *, reading: Reading = "default") -> None:
    """Fail unless every claim of *ledger* can hold together under *reading*.

    Runs the pairwise checks and the joint analysis (:func:`nkledger.check`).

    Raises:
        AssertionError: listing the conflicting findings, the minimal conflict sets,
            the repairs (best first) and every claim involved, one line each.
        ValueError: when *reading* is not ``default``, ``strict`` or ``lenient``.
    """
    report = check(ledger, reading)
    if not report.consistent:
        raise AssertionError(_message(report))


def _message(report: Report) -> str:
    conflicting, conflicts, repairs = report.conflicting, report.conflicts, report.repairs
    counts = [f"{len(conflicting)} conflicting finding{'s' * (len(conflicting) != 1)}"]
    if report.joint:
        counts.append(f"{len(conflicts)} minimal conflict set{'s' * (len(conflicts) != 1)}")
    lines = [f"the ledger's claims cannot all be true under the {report.reading} reading: "
             f"{', '.join(counts)}"]
    involved: dict[str, None] = {}
    if conflicting:
        lines.append("conflicting findings:")
        for f in conflicting:
            note = f" [{f.note}]" if f.note else ""
            depends = " (depends on the reading)" if f.depends_on_reading else ""
            lines.append(f"  - {f.check}: {', '.join(f.claims)}: {f.explanation}{note}{depends}")
            involved.update(dict.fromkeys(f.claims))
    if conflicts:
        lines.append("minimal conflict sets (the claims of each cannot all be true):")
        for i, c in enumerate(conflicts, 1):
            lines.append(f"  {i}. {', '.join(c.claims)}")
            involved.update(dict.fromkeys(c.claims))
    if repairs:
        lines.append("repairs (drop the claims of any one line and the rest can hold), "
                     "best first:")
        for i, r in enumerate(repairs, 1):
            lines.append(f"  {i}. drop {', '.join(r.claims)} (weight {r.weight:g})")
    if report.truncated:
        lines.append("(the enumeration was cut short: there may be more)")
    if involved:
        lines.append("claims involved:")
        ledger = report.ledger
        lines.extend(f"  {_describe(ledger, ledger.claim(ident))}" for ident in involved)
    return "\n".join(lines)


def _describe(ledger: Ledger, claim: Claim) -> str:
    """``id (outlet): metric period states: "quote"`` on one line."""
    if claim.rank is not None:
        states = f"rank {claim.rank.text!r}"
    elif claim.direction is not None:
        states = f"direction {claim.direction}"
    else:
        assert claim.value is not None
        states = repr(claim.value.text)
    if claim.change is not None:
        states += f" change {claim.change}"
    quote = " ".join(claim.quote.split())
    if len(quote) > _QUOTE:
        quote = quote[: _QUOTE - 1] + "…"
    outlet = ledger.source_of(claim).label
    return f"{claim.id} ({outlet}): {claim.metric} {claim.period} {states}: \"{quote}\""
