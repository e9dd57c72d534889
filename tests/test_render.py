"""Tests for rendering reports: text, markdown, HTML and the documented JSON."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

import nkledger
from nkledger.findings import Finding
from nkledger.intervals import Interval
from nkledger.periods import parse_period
from nkledger.render import render, span, to_json_dict
from nkledger.report import Report

LEDGER = nkledger.loads(
    """
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
published = 2026-01-20

[[source]]
id = "b"
outlet = "Outlet <B> & Co"

[[claim]]
id = "a-exports"
source = "a"
metric = "exports"
period = "2025-09"
value = "$120.5m"
quote = "exports were $120.5m"

[[claim]]
id = "b-imports"
source = "b"
metric = "imports"
period = "2025-09"
value = "about $30.2m"
quote = "imports of about $30.2m <script>alert('x')</script>"

[[claim]]
id = "b-total"
source = "b"
metric = "total"
period = "2025-09"
value = "$140m"
quote = "trade totalled \\"$140m\\""
""",
    origin="small.toml",
)

FINDING = Finding(
    check="components",
    verdict="conflict",
    claims=("b-total", "a-exports", "b-imports"),
    explanation=(
        "exports $120.5m (Outlet A) + imports about $30.2m (Outlet <B> & Co) = "
        "$150.35m–$150.85m, but Outlet <B> & Co gives the total as $140m: "
        "$9.85m–$11.35m apart"
    ),
    metric="total",
    period=parse_period("2025-09"),
    unit="USD",
    stated=Interval("139500000", "140500000"),
    implied=Interval("150350000", "150850000"),
)
REPORT = Report(ledger=LEDGER, reading="default", findings=(FINDING,), joint=False)

EXPECTED_TEXT = """\
nkledger report: small.toml
===========================

3 claims from 2 sources (2 outlets), default reading of qualifiers. Verdict: the claims cannot all be true: 1 conflicting finding(s).

Joint analysis not run: pairwise checks only.

Conflicts
=========

check       claims     explanation
----------  ---------  ---------------------------------------------------------------
components  b-total    exports $120.5m (Outlet A) + imports about $30.2m (Outlet <B> &
            a-exports  Co) = $150.35m–$150.85m, but Outlet <B> & Co gives the total as
            b-imports  $140m: $9.85m–$11.35m apart

The claims involved
-------------------

claim      outlet           published    states                          quote
---------  ---------------  -----------  ------------------------------  -----------------------------------------------------
b-total    Outlet <B> & Co               total 2025-09 = $140m           “trade totalled "$140m"”
a-exports  Outlet A         2026-01-20   exports 2025-09 = $120.5m       “exports were $120.5m”
b-imports  Outlet <B> & Co               imports 2025-09 = about $30.2m  “imports of about $30.2m <script>alert('x')</script>”

Findings by check
=================

components: 1 conflict
----------------------

verdict    metric    period    stated           implied            gap             explanation
---------  --------  --------  ---------------  -----------------  --------------  ---------------------------------------------------------------
conflict   total     2025-09   $139.5m–$140.5m  $150.35m–$150.85m  $9.85m–$11.35m  exports $120.5m (Outlet A) + imports about $30.2m (Outlet <B> &
                                                                                   Co) = $150.35m–$150.85m, but Outlet <B> & Co gives the total as
                                                                                   $140m: $9.85m–$11.35m apart
"""


class TestSpan:
    def test_bounded(self) -> None:
        """A bounded interval reads low–high in the unit's own style."""
        assert span(Interval("150550000", "150850000"), "USD") == "$150.55m–$150.85m"

    def test_point_and_open(self) -> None:
        """A point reads as one amount; an open end reads 'at least' or 'at most'."""
        inf = Decimal("Infinity")
        assert span(Interval.point("30.5"), "%") == "30.5%"
        assert span(Interval("6500000000", inf), "USD") == "at least $6.5bn"
        assert span(Interval(-inf, "3"), "%") == "at most 3%"


class TestText:
    def test_conflicts_come_first_with_claims_and_quotes(self) -> None:
        """The text report opens with the verdict, then conflicts, then the claims' quotes."""
        assert render(REPORT, "text") == EXPECTED_TEXT

    def test_findings_grouped_by_check(self) -> None:
        """Each check has its own table, headed with a count of verdicts."""
        text = render(REPORT, "text")
        assert "components: 1 conflict\n" in text
        assert "$9.85m–$11.35m" in text


class TestMarkdown:
    def test_pipes_escaped_and_headings(self) -> None:
        """Markdown uses headings and GitHub tables; a '|' in a quote cannot break a row."""
        md = render(REPORT, "markdown")
        assert md.startswith("# nkledger report: small.toml\n")
        assert "## Conflicts" in md
        assert "| check " in md
        assert "<script>" not in md
        assert "&lt;script&gt;" in md


class TestHtml:
    def test_self_contained_and_escaped(self) -> None:
        """The HTML is one page with no external resources, and every quote is escaped."""
        page = render(REPORT, "html")
        assert page.startswith("<!DOCTYPE html>")
        assert "<script>" not in page
        assert "&lt;script&gt;" in page
        assert "Outlet &lt;B&gt; &amp; Co" in page
        assert "http" not in page


class TestJson:
    def test_documented_fields(self) -> None:
        """The JSON has the documented top-level fields and finding fields."""
        data = json.loads(render(REPORT, "json"))
        assert data["consistent"] is False
        assert data["conflicts"] == [] and data["repairs"] == [] and data["implied"] == []
        assert data["sensitive_conflicts"] == []
        (finding,) = data["findings"]
        assert finding == {
            "check": "components",
            "verdict": "conflict",
            "claims": ["b-total", "a-exports", "b-imports"],
            "depends_on_reading": False,
            "stated": {"low": "139500000", "high": "140500000"},
            "implied": {"low": "150350000", "high": "150850000"},
            "gap": {"low": "9850000", "high": "11350000"},
            "unit": "USD",
            "metric": "total",
            "period": "2025-09",
            "note": None,
            "explanation": FINDING.explanation,
        }
        assert data["claims"]["b-total"]["quote"] == 'trade totalled "$140m"'
        assert data["claims"]["a-exports"]["published"] == "2026-01-20"

    def test_round_trips_through_json(self) -> None:
        """to_json_dict gives plain data that json can write and read back unchanged."""
        data = to_json_dict(REPORT)
        assert json.loads(json.dumps(data)) == data


def test_unknown_format() -> None:
    """An unknown format is refused by name."""
    with pytest.raises(ValueError, match="'pdf'"):
        render(REPORT, "pdf")  # type: ignore[arg-type]
