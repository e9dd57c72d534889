"""How long nkledger's strategies take to draw 100 examples each.

Run: ``python benchmarks/bench_strategies.py`` (add ``--check`` to also time
``nkledger.check`` on the drawn ledgers). Each strategy runs under ``@given`` with
Hypothesis' default settings except ``max_examples=100`` and no example database, so
the time includes Hypothesis' own work (generation, the health checks), as a user's test
would see it; the numbers are wall-clock seconds, best of three runs.
"""

from __future__ import annotations

import argparse
import platform
import time
from collections.abc import Callable
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import nkledger
from nkledger import strategies as nks

STRATEGIES: dict[str, st.SearchStrategy[Any]] = {
    "figures()": nks.figures(),
    "periods()": nks.periods(),
    "sources()": nks.sources(),
    "claims()": nks.claims(),
    "ledgers()": nks.ledgers(),
    "truths()": nks.truths(),
    "consistent_ledgers()": nks.consistent_ledgers(),
    "corrupted_ledgers()": nks.corrupted_ledgers(),
}


def timed(strategy: st.SearchStrategy[Any], body: Callable[[Any], None]) -> float:
    """Seconds to run *body* on 100 examples of *strategy*."""
    @settings(max_examples=100, database=None, deadline=None)
    @given(strategy)
    def run(value: Any) -> None:
        body(value)

    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def check(value: Any) -> None:
    ledger = value[0] if isinstance(value, tuple) else value
    nkledger.check(ledger)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="also time nkledger.check")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"Python {platform.python_version()} on {platform.machine()}, "
          f"{platform.processor() or platform.system()}")
    header = "| strategy | draw 100 (s) |" + (" draw + check 100 (s) |" if args.check else "")
    print(header)
    print("| --- | ---: |" + (" ---: |" if args.check else ""))
    for name, strategy in STRATEGIES.items():
        draw = min(timed(strategy, lambda _: None) for _ in range(args.repeat))
        row = f"| `{name}` | {draw:.2f} |"
        if args.check and name.startswith(("consistent", "corrupted")):
            row += f" {min(timed(strategy, check) for _ in range(args.repeat)):.2f} |"
        elif args.check:
            row += " |"
        print(row)


if __name__ == "__main__":
    main()
