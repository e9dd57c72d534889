"""Score ``nkledger draft`` on the seed articles against the hand-made seed ledger.

For each source of ``examples/china_dprk_2025.toml`` that names its article (``file``),
the article is drafted against the ledger's metrics — with the source's ``published``
date where the ledger knows it, as a user would pass ``--published`` — and the drafts are
matched with the source's hand-made claims. A draft counts when its metric, period, kind
and figure all match a claim (the figure: the value, unit and qualifier of a level or
change; the rank's extreme and periods; the direction's way); each claim is matched at
most once. Recall is matched claims / hand-made claims, precision matched drafts /
drafts. "same base" counts the matches that also compare with the same period (what
``yoy``, ``mom``, a named period or the default comes to), which the target does not ask
for.

Run from the top of the repository::

    .venv/bin/python benchmarks/bench_draft.py [LEDGER] [--verbose]

LEDGER defaults to the seed ledger; ``benchmarks/heldout/gold.toml`` holds two articles
written after the reader was frozen (the reader was developed looking at the seeds, so
their score flatters it; the held-out score is the honest one).

It prints a table per article and overall, the misses (claims no draft matched) and the
extra drafts, and exits 1 when recall < 90 % or precision < 80 %.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

from tabulate import tabulate

import nkledger
from nkledger.claims import Claim
from nkledger.draft import draft

ROOT = Path(__file__).resolve().parent.parent
LEDGER = ROOT / "examples" / "china_dprk_2025.toml"


def key(claim: Claim) -> tuple[object, ...]:
    """What must agree for a draft to count: metric, period, kind and the figure."""
    what: object
    if claim.rank is not None:
        what = (claim.rank.extreme, claim.rank.scope, claim.rank.since)
    elif claim.value is not None:
        what = (claim.value.value, claim.value.unit, claim.value.qualifier)
    else:
        what = claim.direction
    return (claim.metric, str(claim.period), claim.kind, what)


def describe(claim: Claim) -> str:
    """One line naming a claim for the list of misses."""
    what = claim.value.text if claim.value is not None else (
        claim.rank.text if claim.rank is not None else claim.direction)
    return f"{claim.metric} {claim.period} {claim.kind} {what!s}: {claim.quote[:70]!r}"


def main(argv: list[str]) -> int:
    """Draft every seed article, print the scores, exit 1 below the targets."""
    verbose = "--verbose" in argv
    paths = [Path(a) for a in argv if not a.startswith("--")]
    path = paths[0] if paths else LEDGER
    ledger = nkledger.load(path)
    rows = []
    misses: list[str] = []
    extras: list[str] = []
    total_gold = total_drafts = total_hit = total_strict = 0
    started = time.perf_counter()
    for source in ledger.sources:
        if source.file is None:
            continue
        text = (path.parent / source.file).read_text(encoding="utf-8")
        gold = [c for c in ledger.claims if c.source == source.id]
        drafted = draft(text, ledger, published=source.published)
        left = Counter(key(c) for c in gold)
        hit = 0
        for c in drafted.claims:
            k = key(c)
            if left[k] > 0:
                left[k] -= 1
                hit += 1
            else:
                extras.append(f"{source.file}: {describe(c)}")
        for c in gold:
            k = key(c)
            if left[k] > 0:
                left[k] -= 1
                misses.append(f"{source.file}: {describe(c)}")
        # stricter: the period compared with (yoy, mom, a named one) must agree too
        strict_left = Counter((*key(c), c.base_period) for c in gold)
        strict = 0
        for c in drafted.claims:
            k2 = (*key(c), c.base_period)
            if strict_left[k2] > 0:
                strict_left[k2] -= 1
                strict += 1
        total_strict += strict
        rows.append([source.file, len(gold), len(drafted.claims), hit,
                     f"{hit / len(gold):.0%}", f"{hit / max(1, len(drafted.claims)):.0%}",
                     strict, len(drafted.omitted)])
        total_gold += len(gold)
        total_drafts += len(drafted.claims)
        total_hit += hit
        if verbose:
            print(drafted.to_toml())
    elapsed = time.perf_counter() - started
    recall = total_hit / total_gold
    precision = total_hit / max(1, total_drafts)
    rows.append(["all", total_gold, total_drafts, total_hit, f"{recall:.0%}",
                 f"{precision:.0%}", total_strict, sum(r[7] for r in rows)])
    print(tabulate(rows, ["article", "claims", "drafts", "matched", "recall", "precision",
                          "same base", "comments"], disable_numparse=True))
    print(f"\nrecall {recall:.1%} (target 90%), precision {precision:.1%} (target 80%); "
          f"{elapsed:.2f} s for {len(rows) - 1} articles")
    print("\nmissed (hand-made claims no draft matched):")
    for line in misses or ["(none)"]:
        print(f"  {line}")
    print("\nextra (drafts that match no hand-made claim):")
    for line in extras or ["(none)"]:
        print(f"  {line}")
    return 0 if recall >= 0.9 and precision >= 0.8 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
