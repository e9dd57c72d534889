"""The HTML and markdown reports opened in a real browser (Debian's headless Chromium).

Each page is loaded from a file with scripts allowed; ``--dump-dom`` gives the DOM after
load. A hostile ledger carries payloads that would rewrite the page if any ran
(``<script>``, ``onerror``, markdown links and images to ``javascript:``) in its quotes,
outlet names, claim ids and file name; the DOM must hold none of their effects.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

import nkledger
from nkledger.render import render

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed "
                                "(.ci/run installs it)")

SEED = Path(__file__).resolve().parent.parent / "examples" / "china_dprk_2025.toml"
PWN = "document.body.setAttribute('data-pwned','yes')"
HOSTILE = f"""
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
outlet = "Outlet <script>{PWN}</script>"

[[source]]
id = "b"
outlet = "[Outlet B](javascript:{PWN})"

[[claim]]
id = "a-exports<script>{PWN}</script>"
source = "a"
metric = "exports"
period = "2025-09"
value = "$120.5m"
quote = "exports ![i](javascript:{PWN}) <img src=x onerror=\\"{PWN}\\"> were $120.5m"

[[claim]]
id = "b-imports[x](javascript:{PWN})"
source = "b"
metric = "imports"
period = "2025-09"
value = "$30.2m"
quote = "imports <svg onload=\\"{PWN}\\"></svg> [click](javascript:{PWN}) were $30.2m"

[[claim]]
id = "b-total"
source = "b"
metric = "total"
period = "2025-09"
value = "$140bn"
quote = "trade | totalled $140bn <script>{PWN}</script>"
"""
HOSTILE_NAME = f"evil<script>{PWN}</script>.toml"


def _chromium(page: Path, tmp: Path, *extra: str) -> str:
    assert CHROMIUM is not None
    profile = tmp / f"profile-{page.stem}-{len(list(tmp.iterdir()))}"
    profile.mkdir()  # a new, empty profile for every run
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={profile}", "--window-size=1100,1400",
         *extra, page.as_uri()],
        capture_output=True, text=True, timeout=180, check=True)
    return done.stdout


def _dom(page: Path, tmp: Path) -> str:
    return _chromium(page, tmp, "--dump-dom")


def _inert(dom: str) -> None:
    assert 'data-pwned="yes"' not in dom
    assert "<script" not in dom
    assert 'href="javascript' not in dom and 'src="javascript' not in dom
    assert not re.search(r"<[^>]*\son\w+\s*=", dom)  # no tag with an event handler


class TestHtmlInChromium:
    def test_seed_page_shows_its_pictures(self, tmp_path: Path) -> None:
        """The seed's page loads with one SVG per problem, culprits marked, figures shown."""
        report = nkledger.check(nkledger.load(SEED))
        page = tmp_path / "seed.html"
        page.write_text(render(report, "html"), encoding="utf-8")
        dom = _dom(page, tmp_path)
        assert dom.count("<svg") == len(report.problems) == 2
        assert 'data-claim="unnamed-sep-2025-09-exports"' in dom
        assert "$228.05m–$228.15m" in dom and "✗ culprit" in dom
        assert "joongang-2025-09-imports" in dom
        _inert(dom)
        shot = tmp_path / "seed.png"
        _chromium(page, tmp_path, f"--screenshot={shot}")
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    def test_hostile_page_runs_nothing(self, tmp_path: Path) -> None:
        """No payload from a ledger runs, and every quote shows as text."""
        report = nkledger.check(nkledger.loads(HOSTILE, origin=HOSTILE_NAME))
        page = tmp_path / "hostile.html"
        page.write_text(render(report, "html", all=True), encoding="utf-8")
        dom = _dom(page, tmp_path)
        _inert(dom)
        assert "&lt;script&gt;" in dom  # shown, escaped
        assert "trade | totalled $140bn" in dom


class TestMarkdownInChromium:
    def test_hostile_markdown_runs_nothing(self, tmp_path: Path) -> None:
        """The markdown report, converted by python-markdown, is inert in the browser."""
        import markdown

        report = nkledger.check(nkledger.loads(HOSTILE, origin=HOSTILE_NAME))
        body = markdown.markdown(render(report, "markdown", all=True), extensions=["tables"])
        page = tmp_path / "hostile-md.html"
        page.write_text(f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>"
                        f"{body}</body></html>", encoding="utf-8")
        dom = _dom(page, tmp_path)
        _inert(dom)
        assert "<a " not in dom and "<img" not in dom
        assert "[Outlet B](javascript:" in dom  # the link syntax shows as text
        assert "evil&lt;script&gt;" in dom  # the file name in the heading, escaped
