"""Every script in examples/ runs, as a user would run it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_report_script(fmt: str) -> None:
    """examples/report.py prints the seed report and exits 1: the articles disagree."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "report.py"), fmt],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )
    assert result.returncode == 1, result.stderr
    if fmt == "json":
        assert json.loads(result.stdout)["consistent"] is False
    else:
        assert "nkledger report" in result.stdout
