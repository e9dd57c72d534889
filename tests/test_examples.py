"""Every script in examples/ runs, as a user would run it."""

from __future__ import annotations

import json
import os
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


def test_readme_python_blocks_run(tmp_path: Path) -> None:
    """Every Python example in the README runs as written, from the repository's top."""
    import re

    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text("utf-8"), re.S)
    assert len(blocks) >= 2
    for i, block in enumerate(blocks):
        path = tmp_path / f"test_readme_{i}.py"
        path.write_text(block, encoding="utf-8")
        command = [sys.executable, str(path)]
        if "def test_" in block:
            command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(path)]
        env = {k: v for k, v in os.environ.items() if not k.startswith("HYPOTHESIS")}
        result = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT,
                                env=env)
        assert result.returncode == 0, f"README block {i + 1}:\n{result.stdout}{result.stderr}"
