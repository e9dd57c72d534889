"""Print nkledger's report on the seed ledger: five articles on China–North Korea trade.

Run from the repository's top folder::

    python examples/report.py [text|markdown|html|json]
"""

from __future__ import annotations

import sys
from pathlib import Path

import nkledger
from nkledger.render import render

HERE = Path(__file__).resolve().parent


def main(format: str = "text") -> int:
    ledger = nkledger.load(HERE / "china_dprk_2025.toml")
    report = nkledger.check(ledger)
    sys.stdout.write(render(report, format))  # type: ignore[arg-type]
    return 0 if report.consistent else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:2]))
