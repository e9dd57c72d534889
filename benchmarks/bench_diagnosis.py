"""How often the diagnosis names the mistake that was made, per kind of mistake.

Draws ledgers from :func:`nkledger.strategies.corrupted_ledgers` with one mistake of one
kind, checks each, and looks up the corrupted claim among the problems' culprits:

- *named first*: its diagnosis' most likely mistake is the one made;
- *named*: the one made is among its explanations;
- *confirmed*: named first, and confirmed exactly against what the others imply;
- *fallback*: the strategies made a unit slip instead (the truth gave the asked
  mistake nothing to contradict), recognised by the figure being off by 1000 times.

Run: ``.venv/bin/python benchmarks/bench_diagnosis.py [examples per kind]``.
"""

from __future__ import annotations

import sys
import time
from collections import Counter

from hypothesis import HealthCheck, Phase, given, settings

import nkledger
from nkledger.strategies import MISTAKES, corrupted_ledgers

#: The diagnosis' name for each mistake the strategies make.
NAMES = {"unit_slip": "unit_slip", "transposed_digits": "transposed_digits",
         "wrong_month": "wrong_period", "wrong_sign": "wrong_sign",
         "exports_as_total": "part_as_total", "wrong_base": "wrong_base"}


def outcome(ledger: nkledger.Ledger, bad: str, kind: str) -> set[str]:
    """What the report says about the corrupted claim *bad*."""
    report = nkledger.check(ledger)
    for problem in report.problems:
        for culprit in problem.culprits:
            if culprit.claim != bad or culprit.diagnosis is None:
                continue
            d = culprit.diagnosis
            names = [e.mistake for e in d.explanations]
            out = {"culprit"}
            expected = NAMES[kind]
            if names and names[0] == expected:
                out.add("first")
                if d.explanations[0].confirmed:
                    out.add("confirmed")
            if expected in names:
                out.add("named")
            if names and names[0] == "unit_slip" and kind != "unit_slip":
                out.add("fallback?")
            if "named" in out or "fallback?" in out:
                out.add("success")
            return out
    return set()


def run(kind: str, n: int) -> Counter[str]:
    tally: Counter[str] = Counter()

    @settings(max_examples=n, deadline=None, database=None, derandomize=True,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(corrupted_ledgers(mistakes=(kind,), min_corruptions=1, max_corruptions=1,
                             max_size=6))
    def sample(case: tuple[nkledger.Ledger, frozenset[str]]) -> None:
        ledger, bad = case
        tally["ledgers"] += 1
        tally.update(outcome(ledger, next(iter(bad)), kind))

    sample()
    return tally


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    print("| mistake | ledgers | culprit | named first | named | confirmed | unit slip instead "
          "| named or unit slip (the test's rate) | s/ledger |")
    print("|---|---|---|---|---|---|---|---|---|")
    for kind in MISTAKES:
        start = time.perf_counter()
        t = run(kind, n)
        took = (time.perf_counter() - start) / max(t["ledgers"], 1)
        total = t["ledgers"]

        def pct(key: str, t: Counter[str] = t, total: int = total) -> str:
            return f"{100 * t[key] / total:.0f} %"
        print(f"| {kind} | {total} | {pct('culprit')} | {pct('first')} | {pct('named')} | "
              f"{pct('confirmed')} | {t['fallback?']} | {pct('success')} | {took:.2f} |")


if __name__ == "__main__":
    main()
