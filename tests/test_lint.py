"""Tests for lint: quotes against articles, figures against quotes, ids, drafts, metrics."""

from __future__ import annotations

from pathlib import Path

import pytest

from nkledger.exceptions import InvalidLedgerError
from nkledger.lint import lint

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "china_dprk_2025.toml"

HEAD = """\
[[metric]]
id = "exports"
[[metric]]
id = "imports"
[[source]]
id = "a"
file = "article.txt"
"""

ARTICLE = "Exports rose 21.2% to $257.4m in December. Bilateral trade dropped 5% in 2024.\n"


def claim(ident: str, quote: str, value: str = "$257.4m", extra: str = "") -> str:
    """One claim table of source a about exports in 2025-12."""
    return (f'[[claim]]\nid = "{ident}"\nsource = "a"\nmetric = "exports"\nperiod = "2025-12"\n'
            f'value = "{value}"\nquote = "{quote}"\n{extra}')


def run(tmp_path: Path, text: str) -> list[str]:
    """The rules of every lint finding for a ledger beside the article."""
    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    path = tmp_path / "l.toml"
    path.write_text(text, encoding="utf-8")
    return [f"{f.rule}:{f.entry}" for f in lint([path])]


class TestLint:
    def test_seed_is_clean(self) -> None:
        """Every seed quote is verbatim in its article and holds its figure."""
        assert lint([SEED]) == []

    def test_clean_ledger(self, tmp_path: Path) -> None:
        """A claim quoting its article with its figure gives no finding (but a metric unused)."""
        assert run(tmp_path, HEAD + claim("c", "Exports rose 21.2% to $257.4m")) == [
            "unused-metric:metric 'imports'"]

    def test_quote_not_in_article(self, tmp_path: Path) -> None:
        """A quote that is not verbatim in the article is found, a near miss said so."""
        text = HEAD + claim("c", "Exports rose to $257.4m") + claim(
            "d", "Exports rose 21.2%  to $257.4m")
        findings = [f for f in lint_of(tmp_path, text) if f.rule != "unused-metric"]
        assert [f.rule for f in findings] == ["quote-not-in-article"] * 2
        assert "spacing are ignored" not in findings[0].message
        assert "spacing are ignored" in findings[1].message
        assert findings[0].line == 8 and str(findings[0]).startswith(f"{tmp_path}/l.toml:8: ")

    def test_figure_not_in_quote(self, tmp_path: Path) -> None:
        """A figure missing from its own quote is found; a sign dropped by the verb is fine."""
        text = (HEAD + claim("c", "Exports rose 21.2% to $257.4m", value="$257.5m")
                + claim("d", "Bilateral trade dropped 5% in 2024", value="-5%",
                        extra='change = "yoy"\n'))
        assert run(tmp_path, text) == ["unused-metric:metric 'imports'",
                                       "figure-not-in-quote:claim 'c'"]

    def test_drafts_remain(self, tmp_path: Path) -> None:
        """A claim still marked draft is a finding."""
        text = HEAD + claim("c", "Exports rose 21.2% to $257.4m", extra='status = "draft"\n')
        assert "draft:claim 'c'" in run(tmp_path, text)

    def test_duplicate_ids(self, tmp_path: Path) -> None:
        """Two claims with one id are a finding, not a crash."""
        text = HEAD + claim("c", "Exports rose 21.2% to $257.4m") * 2
        assert run(tmp_path, text) == ["duplicate-id:claim 'c'"]

    def test_duplicate_ids_across_files(self, tmp_path: Path) -> None:
        """Files linted together may not reuse each other's claim ids."""
        (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
        one, two = tmp_path / "one.toml", tmp_path / "two.toml"
        one.write_text(HEAD + claim("c", "Exports rose 21.2% to $257.4m"), encoding="utf-8")
        two.write_text(HEAD.replace('id = "a"', 'id = "b"').replace('"article.txt"',
                                                                    '"article.txt"')
                       + claim("c", "Exports rose 21.2% to $257.4m").replace(
                           'source = "a"', 'source = "b"'), encoding="utf-8")
        rules = [f.rule for f in lint([one, two])]
        assert rules.count("duplicate-id") == 1

    def test_unreadable_article_is_bad_input(self, tmp_path: Path) -> None:
        """A source naming an article that is not there is bad input, not a finding."""
        path = tmp_path / "l.toml"
        path.write_text(HEAD + claim("c", "x $257.4m"), encoding="utf-8")
        with pytest.raises(InvalidLedgerError) as info:
            lint([path])
        assert "file 'article.txt': cannot read" in str(info.value.exceptions[0])


def lint_of(tmp_path: Path, text: str) -> list:  # type: ignore[type-arg]
    """The lint findings for a ledger beside the article."""
    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    path = tmp_path / "l.toml"
    path.write_text(text, encoding="utf-8")
    return lint([path])
