"""Tests for getting claims in from the command line, and for shared metrics files.

``draft``, ``fmt``, ``lint``, ``import``, ``export``, ``check --include-drafts`` and
``include = [...]``, all through ``main([...])``; one real subprocess.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import nkledger
from nkledger.cli import main
from nkledger.exceptions import InvalidLedgerError

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "china_dprk_2025.toml"
METRICS = ROOT / "examples" / "metrics.toml"
ARTICLES = ROOT / "examples" / "articles"
JOONGANG = ARTICLES / "003_dd8795a319725932.txt"


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A folder with the shared metrics file, one article and an empty ledger using them."""
    shutil.copy(METRICS, tmp_path / "metrics.toml")
    shutil.copy(JOONGANG, tmp_path / "joongang.txt")
    (tmp_path / "ledger.toml").write_text('include = ["metrics.toml"]\n', encoding="utf-8")
    return tmp_path


class TestInclude:
    def test_metrics_from_a_shared_file(self, work: Path) -> None:
        """A ledger that includes a metrics file has its metrics and identities."""
        ledger = nkledger.load(work / "ledger.toml")
        assert [m.id for m in ledger.metrics] == [m.id for m in nkledger.load(SEED).metrics]
        assert len(ledger.identities) == 1

    def test_files_sharing_one_metrics_file_are_checked_together(
            self, work: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """The seed and a ledger including the shared file check as one ledger."""
        (work / "more.toml").write_text(
            'include = ["metrics.toml"]\n\n[[source]]\nid = "x"\n\n[[claim]]\nid = "x1"\n'
            'source = "x"\nmetric = "total"\nperiod = "2025-12"\nvalue = "$300m"\n'
            'quote = "trade was $300m"\n', encoding="utf-8")
        code = main(["check", str(SEED), str(work / "more.toml"), "--pairwise-only"])
        assert code == 1  # the seed's own disagreements
        assert "42 claims from 6 sources" in " ".join(capsys.readouterr().out.split())

    @pytest.mark.parametrize(("text", "message"), [
        ('include = ["nope.toml"]\n', "include 'nope.toml': cannot read"),
        ('include = "metrics.toml"\n', "must be a list of file names"),
        ('include = ["ledger.toml"]\n', "includes itself"),
    ])
    def test_bad_includes(self, work: Path, text: str, message: str) -> None:
        """A missing, malformed or circular include is a clear error."""
        (work / "ledger.toml").write_text(text, encoding="utf-8")
        with pytest.raises(InvalidLedgerError) as info:
            nkledger.load(work / "ledger.toml")
        assert message in str(info.value)

    def test_an_included_file_holds_no_claims(self, work: Path) -> None:
        """Sources and claims belong in ledgers, not in a shared declaration."""
        shutil.copy(SEED, work / "metrics.toml")
        with pytest.raises(InvalidLedgerError, match="problem"):
            nkledger.load(work / "ledger.toml")


class TestDraftCommand:
    def test_prints_drafts(self, work: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """draft prints a source and draft claims, and says how many on stderr."""
        code = main(["draft", str(work / "joongang.txt"), "--ledger", str(work / "ledger.toml"),
                     "--outlet", "Korea JoongAng Daily", "--source", "joongang"])
        out, err = capsys.readouterr()
        assert code == 0
        assert out.startswith('[[source]]\nid = "joongang"\noutlet = "Korea JoongAng Daily"\n'
                              'published = 2025-12-19\nfile = "joongang.txt"\n')
        assert out.count("[[claim]]") == 11 and out.count('status = "draft"') == 11
        assert "11 draft claim(s)" in err

    def test_append_then_check_leaves_drafts_out(
            self, work: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """--append writes the drafts into the ledger; check leaves them out and says so."""
        ledger = work / "ledger.toml"
        assert main(["draft", str(work / "joongang.txt"), "--ledger", str(ledger),
                     "--source", "joongang", "--append"]) == 0
        assert len(nkledger.load(ledger).claims) == 11
        capsys.readouterr()
        assert main(["check", str(ledger), "--pairwise-only"]) == 0
        assert "11 draft claims (status = \"draft\") left out" in capsys.readouterr().out
        code = main(["check", str(ledger), "--pairwise-only", "--include-drafts"])
        assert code in (0, 1)
        assert "left out" not in capsys.readouterr().out

    def test_append_to_an_existing_source_keeps_comments(self, tmp_path: Path) -> None:
        """Drafts for a seed source go at the end of its section; every comment stays."""
        ledger = tmp_path / "seed.toml"
        text = SEED.read_text(encoding="utf-8")
        ledger.write_text(text, encoding="utf-8")
        (tmp_path / "articles").mkdir()
        shutil.copy(ARTICLES / "004_361d6fba1ef8cb94.txt", tmp_path / "articles" / "a.txt")
        assert main(["draft", str(tmp_path / "articles" / "a.txt"), "--ledger", str(ledger),
                     "--source", "unnamed-2025-09-exports", "--append"]) == 0
        new = ledger.read_text(encoding="utf-8")
        old_comments = [x for x in text.splitlines() if x.startswith("#")]
        assert [x for x in new.splitlines() if x.startswith("#") and "not drafted" not in x] \
            == old_comments
        assert new.startswith(text[:text.index('id = "unnamed-sep-2025-09-exports-mom"')])
        # the article's four claims are already there: nothing new, each said so
        assert len(nkledger.load(ledger).claims) == len(nkledger.load(SEED).claims)
        assert new.count("already in the ledger as claim 'unnamed-sep-") == 4

    def test_bad_ledger_is_exit_2(self, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
        """An unreadable ledger or article is bad input, nothing written."""
        assert main(["draft", str(tmp_path / "no.txt"), "--ledger", str(SEED)]) == 2
        assert "cannot read" in capsys.readouterr().err


class TestFmtLintCommands:
    def test_fmt_rewrites_and_checks(self, tmp_path: Path) -> None:
        """fmt rewrites a messy file in place; --check exits 1 until it is formatted."""
        path = tmp_path / "l.toml"
        path.write_text('# c\n[[metric]]\n  id   =   "exports"   \n\n\n\n', encoding="utf-8")
        assert main(["fmt", "--check", str(path)]) == 1
        assert main(["fmt", str(path)]) == 0
        assert path.read_text(encoding="utf-8") == '# c\n[[metric]]\nid = "exports"\n'
        assert main(["fmt", "--check", str(path)]) == 0

    def test_fmt_bad_toml_is_exit_2(self, tmp_path: Path) -> None:
        """fmt refuses text that is not TOML and leaves the file alone."""
        path = tmp_path / "l.toml"
        path.write_text("[[metric]\n", encoding="utf-8")
        assert main(["fmt", str(path)]) == 2
        assert path.read_text(encoding="utf-8") == "[[metric]\n"

    def test_lint_exit_codes(self, work: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """lint exits 0 on the seed, 1 on drafts, 2 on bad input."""
        assert main(["lint", str(SEED)]) == 0
        main(["draft", str(work / "joongang.txt"), "--ledger", str(work / "ledger.toml"),
              "--append"])
        capsys.readouterr()
        assert main(["lint", str(work / "ledger.toml")]) == 1
        out = capsys.readouterr().out
        assert out.count("[draft]") == 11 and "[unused-metric]" not in out
        assert main(["lint", str(work / "metrics.toml"), str(work / "ledger.toml")]) == 1
        assert capsys.readouterr().out.count("[unused-metric]") == 2  # the hair metrics
        (work / "bad.toml").write_text("[[claim]]\nid = 1\n", encoding="utf-8")
        assert main(["lint", str(work / "bad.toml")]) == 2


class TestCsvCommands:
    def test_export_import_round_trip(self, tmp_path: Path) -> None:
        """export then import (with the seed's metrics) gives back the seed ledger."""
        csv_path, back = tmp_path / "claims.csv", tmp_path / "back.toml"
        assert main(["export", str(SEED), "--format", "csv", "-o", str(csv_path)]) == 0
        assert main(["import", str(csv_path), "--ledger", str(METRICS), "-o", str(back)]) == 0
        assert nkledger.load(back) == nkledger.load(SEED)

    def test_bad_rows_exit_2(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Bad cells are listed at once with file:row:column; nothing is written."""
        csv_path, out = tmp_path / "c.csv", tmp_path / "out.toml"
        csv_path.write_text("id,source,metric,period,value,quote\n"
                            "a,s,total,2025-13,$1bn,q\nb,s,total,2025,$1 zillion,q\n",
                            encoding="utf-8")
        assert main(["import", str(csv_path), "--ledger", str(METRICS), "-o", str(out)]) == 2
        err = capsys.readouterr().err
        assert f"{csv_path}:2:4: claim 'a': period" in err
        assert f"{csv_path}:3:5: claim 'b': value" in err
        assert not out.exists()


def test_draft_as_a_real_subprocess(work: Path) -> None:
    """The installed command drafts an article end to end."""
    result = subprocess.run(
        [sys.executable, "-m", "nkledger", "draft", str(work / "joongang.txt"), "--ledger",
         str(work / "ledger.toml")], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count('status = "draft"') == 11
