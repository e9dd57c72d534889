"""Findings: what one cross-check concluded about a handful of claims.

A finding is a result, never an exception. It names the check, the claims (by id; the
report looks up their outlets, dates and quotes), what was stated, what the other
claims imply, the gap between the two, and a verdict:

``consistent``
    the stated and the implied intervals share a value (touching counts);
``conflict``
    they do not, under the reading the check ran with;
``unverifiable``
    the other claims do not say enough to test it (a ranking against months nobody
    reported, a figure in another currency).

``depends_on_reading`` says the verdict changes between the strict and the lenient
reading of some qualifier involved. ``note`` keeps apart honest disagreements that are
not errors: ``"revision"`` (a later release of the same primary data),
``"different basis"`` (a customs figure against an estimate, dollars against yuan),
``"different currency"``.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Literal, TypeAlias

import attrs

from .intervals import Interval
from .periods import Period

__all__ = ["Finding", "Verdict", "distinct"]

Verdict: TypeAlias = Literal["consistent", "conflict", "unverifiable"]


def _claim_ids(ids: Iterable[str]) -> tuple[str, ...]:
    # A typed converter: with a bare ``converter=tuple`` mypy's attrs plugin types the
    # argument as ``Iterable[_T_co]`` and rejects every call.
    return tuple(ids)


@attrs.frozen(kw_only=True)
class Finding:
    """One check's verdict on a few claims, with the arithmetic that led to it.

    ``stated`` is what the claim under test says and ``implied`` what the others
    imply, both in the unit ``unit`` (``USD``, ``%``...); ``gap`` is ``implied -
    stated`` as an interval, so a conflict's gap lies wholly on one side of zero.
    """

    check: str
    verdict: Verdict
    claims: tuple[str, ...] = attrs.field(converter=_claim_ids)
    explanation: str
    metric: str | None = None
    period: Period | None = None
    unit: str = ""
    stated: Interval | None = None
    implied: Interval | None = None
    depends_on_reading: bool = False
    note: str | None = None

    @property
    def gap(self) -> Interval | None:
        """``implied - stated``: every difference the two sides allow."""
        if self.stated is None or self.implied is None:
            return None
        if not (self.stated.is_bounded or self.implied.is_bounded):
            return None
        return self.implied - self.stated

    @property
    def distance(self) -> Decimal | None:
        """How far apart the two sides are at their closest: 0 when they overlap."""
        if self.stated is None or self.implied is None:
            return None
        return self.stated.gap(self.implied)

    @property
    def relative_distance(self) -> Decimal | None:
        """``distance`` as a share of the stated value's size (None when that is 0)."""
        distance = self.distance
        if distance is None or self.stated is None:
            return None
        size = abs(self.stated.midpoint)
        if size == 0 or not size.is_finite():
            return None
        return distance / size


def distinct(findings: Iterable[Finding]) -> list[Finding]:
    """*findings* less repeats, in order: ``list(dict.fromkeys(findings))``, cheaper.

    Hashing a finding hashes its intervals' decimals; two equal findings name the same
    check, claims and verdict, so only findings sharing those are compared.
    """
    out: list[Finding] = []
    seen: dict[tuple[str, tuple[str, ...], str], list[Finding]] = {}
    for f in findings:
        key = (f.check, f.claims, f.verdict)
        same = seen.get(key)
        if same is None:
            seen[key] = [f]
        elif any(f == g for g in same):
            continue
        else:
            same.append(f)
        out.append(f)
    return out
