"""Tests for the command line: exit codes, formats, and clear errors on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from nkledger.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "china_dprk_2025.toml"
DESIGN = ROOT / "tests" / "design_example.toml"

CONSISTENT = """
[[metric]]
id = "exports"
[[metric]]
id = "imports"
[[metric]]
id = "total"
[[identity]]
total = ["exports", "imports"]
[[source]]
id = "a"
outlet = "Outlet A"
[[claim]]
id = "a-exports"
source = "a"
metric = "exports"
period = "2025-H1"
value = "$1.05 billion"
quote = "exports climbed to $1.05 billion"
[[claim]]
id = "a-imports"
source = "a"
metric = "imports"
period = "2025-H1"
value = "$210 million"
quote = "imports rose to $210 million"
[[claim]]
id = "a-total"
source = "a"
metric = "total"
period = "2025-H1"
value = "some $1.26 billion"
quote = "trade amounted to some $1.26 billion"
"""


def write(tmp_path: Path, text: str, name: str = "ledger.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


class TestExitCodes:
    def test_consistent_ledger_exits_0(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A ledger whose claims can all hold exits 0 and says so."""
        assert main(["check", str(write(tmp_path, CONSISTENT))]) == 0
        assert "every claim can hold together" in capsys.readouterr().out

    def test_conflict_exits_1(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A total that the parts cannot reach exits 1."""
        text = CONSISTENT.replace('"some $1.26 billion"', '"$1.4 billion"')
        assert main(["check", str(write(tmp_path, text))]) == 1
        assert "a-total" in capsys.readouterr().out

    def test_seed_and_design_examples_run(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The seed and the DESIGN.md example check without error (0 or 1, never 2)."""
        assert main(["check", str(SEED)]) in (0, 1)
        assert main(["check", str(DESIGN)]) in (0, 1)

    def test_bad_month_exits_2_naming_value_claim_and_line(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """period = "2025-13" exits 2 with file, line, claim id and the value."""
        text = DESIGN.read_text(encoding="utf-8").replace('period = "2025"\nvalue = "$2.7bn"',
                                                         'period = "2025-13"\nvalue = "$2.7bn"')
        path = write(tmp_path, text)
        assert main(["check", str(path)]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        line = next(i for i, s in enumerate(text.splitlines(), 1) if "2025-13" in s)
        assert f"{path}:{line}: claim 'wire-2025-total': period '2025-13'" in captured.err

    def test_many_problems_reported_at_once(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Every problem in a file is listed, one line each, before anything is checked."""
        text = (CONSISTENT.replace('period = "2025-H1"\nvalue = "$1.05 billion"',
                                   'period = "2025-H3"\nvalue = "$1.05 billion"')
                .replace('"$210 million"', '"$210 zillion"')
                .replace('source = "a"\nmetric = "total"', 'source = "nobody"\nmetric = "total"'))
        assert main(["check", str(write(tmp_path, text))]) == 2
        err = capsys.readouterr().err
        assert "3 problems" in err
        assert "claim 'a-exports': period '2025-H3'" in err
        assert "claim 'a-imports': value" in err and "'$210 zillion'" in err
        assert "claim 'a-total': source 'nobody'" in err

    def test_missing_file_exits_2(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A file that is not there is bad input, not a traceback."""
        assert main(["check", str(tmp_path / "nope.toml")]) == 2
        assert "nope.toml: cannot read" in capsys.readouterr().err

    def test_bad_toml_exits_2(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Broken TOML names the file and where the parser stopped."""
        assert main(["check", str(write(tmp_path, "[[claim]\nid = 1"))]) == 2
        assert "not valid TOML" in capsys.readouterr().err

    def test_no_partial_output_file(self, tmp_path: Path) -> None:
        """With --output, bad input leaves no file behind."""
        out = tmp_path / "report.json"
        bad = write(tmp_path, CONSISTENT.replace('"2025-H1"', '"2025-13"'))
        assert main(["check", str(bad), "--format", "json", "--output", str(out)]) == 2
        assert not out.exists()


class TestFormats:
    @pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
    def test_every_format_renders_the_seed(
        self, fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Every format renders the seed report; JSON parses and says what the exit code says."""
        code = main(["check", str(SEED), "--format", fmt])
        out = capsys.readouterr().out
        assert out
        if fmt == "json":
            data = json.loads(out)
            assert data["consistent"] is (code == 0)
            assert set(data) >= {"consistent", "findings", "conflicts", "repairs", "implied"}

    def test_output_file(self, tmp_path: Path) -> None:
        """--output writes the report to a file."""
        out = tmp_path / "r.md"
        main(["check", str(write(tmp_path, CONSISTENT)), "-f", "markdown", "-o", str(out)])
        assert out.read_text(encoding="utf-8").startswith("# nkledger report")

    def test_several_files_are_one_ledger(self, tmp_path: Path) -> None:
        """Two files declaring the same metrics identically are checked together."""
        one = write(tmp_path, CONSISTENT, "one.toml")
        two = write(tmp_path, CONSISTENT.replace('id = "a-', 'id = "b-'), "two.toml")
        assert main(["check", str(one), str(two), "-f", "json"]) == 0


class TestFigure:
    def test_shows_readings(self, capsys: pytest.CaptureFixture[str]) -> None:
        """nkledger figure prints the interval under every reading."""
        assert main(["figure", "nearly 30%"]) == 0
        out = capsys.readouterr().out
        assert "29%–30%" in out and "28.5%–30.5%" in out

    def test_unreadable_figure(self, capsys: pytest.CaptureFixture[str]) -> None:
        """An unreadable figure exits 2 and quotes it."""
        assert main(["figure", "$2.7zn"]) == 2
        assert "'$2.7zn'" in capsys.readouterr().err


def test_real_subprocess(tmp_path: Path) -> None:
    """The installed console entry point runs as a real process with the documented exit code."""
    result = subprocess.run(
        [sys.executable, "-m", "nkledger.cli", "check", str(write(tmp_path, CONSISTENT)),
         "--format", "json"],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["consistent"] is True


class TestBasics:
    def test_version(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--version prints the installed version and exits 0."""
        import nkledger

        with pytest.raises(SystemExit) as exit_:
            main(["--version"])
        assert exit_.value.code == 0
        assert capsys.readouterr().out.strip() == f"nkledger {nkledger.__version__}"
