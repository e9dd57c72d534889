"""Tests for the command line: exit codes, formats, and clear errors on bad input."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

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
        assert "29%–30%" in out and "28.5%–30%" in out and "27%–30.5%" in out

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


RELEASES = """
[[metric]]
id = "total"
[[source]]
id = "early"
outlet = "Yonhap"
published = 2025-01-20
cites = "China General Administration of Customs"
[[source]]
id = "late"
outlet = "Reuters"
published = 2026-01-20
cites = "China General Administration of Customs"
[[source]]
id = "kotra"
outlet = "Kotra Daily"
published = 2026-02-01
cites = "Korea Trade-Investment Promotion Agency (KOTRA)"
[[claim]]
id = "e-2024"
source = "early"
metric = "total"
period = "2024"
value = "$2.1bn"
quote = "trade was $2.1bn in 2024"
[[claim]]
id = "l-2024"
source = "late"
metric = "total"
period = "2024"
value = "$2.18bn"
quote = "trade was $2.18bn in 2024"
[[claim]]
id = "k-2024"
source = "kotra"
metric = "total"
period = "2024"
value = "$1.5bn"
quote = "KOTRA estimated trade at $1.5bn in 2024"
"""


class TestEvidenceOptions:
    def test_vintage_latest(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """--vintage latest checks the latest release and lists the earlier as revised."""
        path = str(write(tmp_path, RELEASES))
        assert main(["check", path]) == 1
        capsys.readouterr()
        assert main(["check", path, "--vintage", "latest"]) == 0
        out = capsys.readouterr().out
        assert "revision: total for 2024 was revised from $2.1bn (Yonhap, 2025-01-20)" in out
        assert "different basis: " in out

    def test_as_of(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """--as-of checks the ledger as it stood on a date."""
        path = str(write(tmp_path, RELEASES))
        assert main(["check", path, "--as-of", "2025-06-30", "--format", "json"]) == 0
        report = json.loads(capsys.readouterr().out)
        assert report["consistent"] is True
        assert any("published later" in n for n in report["notes"])

    def test_basis(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """--basis all holds the agency against customs; --basis NAME checks one alone."""
        path = str(write(tmp_path, RELEASES))
        assert main(["check", path, "--basis", "KOTRA"]) == 0
        capsys.readouterr()
        assert main(["check", path, "--basis", "all", "--vintage", "latest"]) == 1
        assert "k-2024" in capsys.readouterr().out

    def test_bad_basis_and_date_exit_2(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """An unknown basis or a bad date is bad input: exit 2 with a message."""
        path = str(write(tmp_path, RELEASES))
        assert main(["check", path, "--basis", "Eurostat"]) == 2
        assert "no basis 'Eurostat' in the ledger" in capsys.readouterr().err
        with pytest.raises(SystemExit) as info:
            main(["check", path, "--as-of", "2025-13-01"])
        assert info.value.code == 2
        assert "'2025-13-01' is not a date" in capsys.readouterr().err


class TestBasics:
    def test_version(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--version prints the installed version and exits 0."""
        import nkledger

        with pytest.raises(SystemExit) as exit_:
            main(["--version"])
        assert exit_.value.code == 0
        assert capsys.readouterr().out.strip() == f"nkledger {nkledger.__version__}"


# the fuzzing campaign's repro files of issue 14 (segfault_min.toml is the solver's)
REPROS = ROOT / "tests" / "repros"


class TestLimits:
    """Bad input of every kind exits 2 with one line per problem; only conflicts exit 1."""

    @pytest.mark.parametrize("text", ["", "\n\n# only a comment\n",
                                      '[[source]]\nid = "a"\n'])
    def test_no_claims_exits_2(self, text: str, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
        """An empty file, or one without claims, is bad input: there is nothing to check."""
        path = write(tmp_path, text)
        assert main(["check", str(path)]) == 2
        assert capsys.readouterr().err.splitlines()[1:] == [
            f"  {path}:1: no claims: a ledger needs at least one [[claim]] to check"]

    @pytest.mark.parametrize("name", ["/dev/null", "/dev/zero"])
    def test_devices_exit_2(self, name: str, capsys: pytest.CaptureFixture[str]) -> None:
        """/dev/null and /dev/zero are refused as not regular files, at once."""
        assert main(["check", name]) == 2
        assert f"{name}: not a regular file but a character device" in capsys.readouterr().err

    def test_fifo_exits_2(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A FIFO with no writer is refused rather than waited on."""
        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        assert main(["check", str(fifo)]) == 2
        assert "a FIFO (named pipe)" in capsys.readouterr().err

    def test_max_size(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """--max-size caps the input; sizes take k/M/G suffixes."""
        path = write(tmp_path, CONSISTENT)
        assert main(["check", str(path), "--max-size", "100"]) == 2
        assert "larger than the limit of 100 bytes" in capsys.readouterr().err
        assert main(["check", str(path), "--max-size", "1k"]) == 0
        with pytest.raises(SystemExit) as info:
            main(["check", str(path), "--max-size", "lots"])
        assert info.value.code == 2

    def test_stdin(self, monkeypatch: pytest.MonkeyPatch,
                   capsys: pytest.CaptureFixture[str]) -> None:
        """'-' checks standard input."""
        import io as _io

        stdin = _io.TextIOWrapper(_io.BytesIO(CONSISTENT.encode("utf-8")))
        monkeypatch.setattr(sys, "stdin", stdin)
        assert main(["check", "-"]) == 0
        assert "<stdin>" in capsys.readouterr().out

    def test_internal_error_exits_3(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
        """A bug inside nkledger exits 3 with one line on stderr, never 1 or a traceback."""
        import nkledger.report

        def broken(*args: object, **kwargs: object) -> None:
            raise MemoryError("out of\nmemory")

        monkeypatch.setattr(nkledger.report, "check", broken)
        assert main(["check", str(write(tmp_path, CONSISTENT))]) == 3
        assert capsys.readouterr().err == (
            "nkledger: internal error (MemoryError: out of memory); please report it\n")

    @pytest.mark.parametrize("repro", sorted(p.name for p in REPROS.glob("*.toml")))
    def test_repros_give_a_clean_answer(self, repro: str, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
        """Each fuzzing repro (but the solver crash) gives a result or a clean error."""
        out = tmp_path / "r.json"
        code = main(["check", str(REPROS / repro), "-f", "json", "-o", str(out)])
        err = capsys.readouterr().err
        assert code in (0, 1, 2), err
        if code == 2:
            assert not out.exists()
            assert all(re.match(rf"  {re.escape(str(REPROS / repro))}:\d+: ", line)
                       for line in err.splitlines()[1:]), err
        else:
            assert json.loads(out.read_text(encoding="utf-8"))["consistent"] is (code == 0)

    def test_rank_huge(self, capsys: pytest.CaptureFixture[str]) -> None:
        """"highest in 99999999999 years" is refused at once, naming claim, value and limit."""
        assert main(["check", str(REPROS / "rank_huge.toml")]) == 2
        assert ("rank_huge.toml:59: claim 'wire-dec-exports-highest': rank 'highest in "
                "99999999999 years': 99999999999 years before 2025-12 is outside the years "
                "1800–2200 a ledger may name") in capsys.readouterr().err


class TestOutput:
    """--output writes only a regular file that is not an input; '-' is standard output."""

    def test_says_where(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A written report is announced on stderr, nothing on stdout."""
        out = tmp_path / "r.txt"
        assert main(["check", str(write(tmp_path, CONSISTENT)), "-o", str(out)]) == 0
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err == f"nkledger: wrote report to {out}\n"
        assert "every claim can hold together" in out.read_text(encoding="utf-8")

    def test_dash_is_stdout(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                            capsys: pytest.CaptureFixture[str]) -> None:
        """-o - writes to standard output and creates no file called '-'."""
        ledger = write(tmp_path, CONSISTENT)
        monkeypatch.chdir(tmp_path)
        assert main(["check", str(ledger), "-o", "-"]) == 0
        assert "every claim can hold together" in capsys.readouterr().out
        assert not (tmp_path / "-").exists()

    @pytest.mark.parametrize("how", ["same", "symlink", "hardlink", "relative"])
    def test_never_onto_an_input(self, how: str, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
        """The report never replaces an input, however the output path names it."""
        ledger = write(tmp_path, CONSISTENT)
        other = write(tmp_path, CONSISTENT.replace('id = "a-', 'id = "b-'), "other.toml")
        out = {"same": ledger, "symlink": tmp_path / "link.toml",
               "hardlink": tmp_path / "hard.toml",
               "relative": tmp_path / "sub" / ".." / "ledger.toml"}[how]
        if how == "symlink":
            out.symlink_to(ledger)
        elif how == "hardlink":
            os.link(ledger, out)
        elif how == "relative":
            (tmp_path / "sub").mkdir()
        assert main(["check", str(other), str(ledger), "-o", str(out)]) == 2
        assert capsys.readouterr().err.splitlines()[1:] == [
            f"  cannot write {out}: it is the input file {ledger}; nkledger never overwrites a "
            f"ledger with its report"]
        assert ledger.read_text(encoding="utf-8") == CONSISTENT
        if how == "symlink":
            assert out.is_symlink()

    def test_symlink_written_through(self, tmp_path: Path) -> None:
        """A symlink to another file is written through: the link stays, its target changes."""
        target = tmp_path / "report.txt"
        target.write_text("old", encoding="utf-8")
        link = tmp_path / "link.txt"
        link.symlink_to(target)
        assert main(["check", str(write(tmp_path, CONSISTENT)), "-o", str(link)]) == 0
        assert link.is_symlink() and os.readlink(link) == str(target)
        assert "every claim can hold together" in target.read_text(encoding="utf-8")

    @pytest.mark.parametrize("kind", ["directory", "fifo", "device", "no directory"])
    def test_only_regular_files(self, kind: str, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
        """A directory, FIFO, device or missing directory is refused: exit 2, nothing written."""
        ledger = write(tmp_path, CONSISTENT)
        out = {"directory": tmp_path, "fifo": tmp_path / "fifo", "device": Path("/dev/null"),
               "no directory": tmp_path / "nowhere" / "r.txt"}[kind]
        if kind == "fifo":
            os.mkfifo(out)
        assert main(["check", str(ledger), "-o", str(out)]) == 2
        err = capsys.readouterr().err
        assert f"cannot write {out}: " in err
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
            ["ledger.toml"] + (["fifo"] if kind == "fifo" else []))


# -- fuzzing the command line with mutated ledger text --------------------------------------

_SEEDS = (CONSISTENT, DESIGN.read_text(encoding="utf-8"))
# fragments a careless edit or a hostile file may bring in
_PIECES = ("[", "]", "[[", "]]", "{", "}", "=", '"', "'", "\n", "#", ".", ",", "..", "-", "%",
           "$", "0", "9", "2025", "99999999999", "0000-01..9999-12", "2025-13", "\ufeff", "٣",
           "２", "\x00", "\t", "é", '"""', "[[claim]]\n", "[[metric]]\nid = \"x\"\n",
           'unit = "dollars"\n', 'part_of = "total"\n', 'rank = "highest in 9 years"\n',
           'change = "yoy"\n', 'direction = "sideways"\n', 'value = "$2.7bn"\n',
           "x = " + "[" * 400 + "]" * 400 + "\n", 'total = ["total", "total"]\n',
           '"a\\nb" = ["x"]\n', 'id = "c\\u0007\\r"\n')


@st.composite
def mutated_ledgers(draw: st.DrawFn) -> bytes:
    """A seed ledger with a few edits: pieces inserted, lines dropped, swapped or doubled."""
    lines = draw(st.sampled_from(_SEEDS)).splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        how = draw(st.sampled_from(["insert", "drop", "double", "swap", "truncate", "bytes"]))
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        if not lines:
            lines = [""]
        if how == "insert":
            line = lines[i]
            at = draw(st.integers(0, len(line)))
            piece = draw(st.sampled_from(_PIECES) | st.text(max_size=5))
            lines[i] = line[:at] + piece + line[at:]
        elif how == "drop":
            del lines[i]
        elif how == "double":
            lines.insert(i, lines[i])
        elif how == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif how == "truncate":
            lines = lines[:i]
    data = "".join(lines).encode("utf-8", "surrogatepass")
    if draw(st.booleans()) and draw(st.booleans()):
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80"])) + data[at:]
    return data


class TestFuzz:
    """Mutated ledgers through main([...]): documented outcomes only, never a partial write."""

    @given(data=mutated_ledgers(), fmt=st.sampled_from(["text", "json"]))
    def test_mutated_ledgers(self, data: bytes, fmt: str) -> None:
        """Exit 0/1 write a report and say so; exit 2 writes nothing, each problem with a line."""
        import contextlib
        import io as _io
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "ledger.toml"
            path.write_bytes(data)
            out = Path(tmp) / "report.out"
            err = _io.StringIO()
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(_io.StringIO()):
                code = main(["check", str(path), "-f", fmt, "-o", str(out)])
            lines = err.getvalue().splitlines()
            assert code in (0, 1, 2), err.getvalue()
            if code == 2:
                assert not out.exists()
                assert re.fullmatch(r"nkledger: \d+ problems? in the input; nothing was "
                                    r"checked:", lines[0]), lines
                where = re.compile(rf"  {re.escape(str(path))}:\d+: \S")
                assert lines[1:] and all(where.match(line) for line in lines[1:]), lines
            else:
                assert lines == [f"nkledger: wrote report to {out}"]
                text = out.read_text(encoding="utf-8")
                if fmt == "json":
                    assert json.loads(text)["consistent"] is (code == 0)
