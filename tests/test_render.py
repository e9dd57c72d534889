"""Tests for rendering reports: text, markdown, HTML and the documented JSON."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import nkledger
from nkledger.findings import Finding
from nkledger.intervals import Interval
from nkledger.periods import parse_period
from nkledger.render import SCHEMA_VERSION, render, schema, span, to_json_dict
from nkledger.render._text import wrap
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

Verdict: the claims cannot all be true: 1 error. 3 claims from 2 sources (2 outlets),
default reading. 1 finding: 1 conflict, 0 unverifiable, 0 consistent (listed with --all);
0 minimal conflict sets. Joint analysis not run: pairwise checks only.

Problems:
1. error: total 2025-09: Outlet <B> & Co says $140m, the others imply $150.35m–$150.85m,
   $9.85m apart, under every reading. One of 3 tied claims, first Outlet A’s $120.5m
   (a-exports).

Problem 1 (error): total 2025-09
Likely culprits (drop one of these 3 tied claims to solve it):
- a-exports — Outlet A: “exports were $120.5m”
- b-imports — Outlet <B> & Co: “imports of about $30.2m <script>alert('x')</script>”
- b-total — Outlet <B> & Co: “trade totalled "$140m"”
Evidence:
- components: exports $120.5m (Outlet A) + imports about $30.2m (Outlet <B> & Co) =
  $150.35m–$150.85m, but Outlet <B> & Co gives the total as $140m: $9.85m–$11.35m apart

Outlets
=======
outlet           claims    in problems    culprit    tied culprit
---------------  --------  -------------  ---------  --------------
Outlet A         1         1              0          1
Outlet <B> & Co  2         2              0          2
"""

SEED = Path(__file__).resolve().parent.parent / "examples" / "china_dprk_2025.toml"

# Everything a ledger can carry into a report, written to run or link if left unescaped.
HOSTILE = """
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
outlet = "Outlet A <script>alert('outlet')</script>"

[[source]]
id = "b"
outlet = "[Outlet B](javascript:alert('link'))"

[[claim]]
id = "a-exports<script>alert('id')</script>"
source = "a"
metric = "exports"
period = "2025-09"
value = "$120.5m"
quote = "exports ![img](x.png) <img src=x onerror=alert('img')> were $120.5m"

[[claim]]
id = "b-imports[x](javascript:alert(1))"
source = "b"
metric = "imports"
period = "2025-09"
value = "$30.2m"
quote = "imports [click](javascript:alert('q')) <b>*bold*</b> `code` were $30.2m"

[[claim]]
id = "b-total"
source = "b"
metric = "total"
period = "2025-09"
value = "$140bn"
quote = "trade totalled | $140bn <script>alert('quote')</script> \\u001b[2J"
"""
HOSTILE_NAME = "evil<script>alert('file')</script>[x](javascript:alert(2)).toml"


@pytest.fixture(scope="module")
def seed() -> Report:
    return nkledger.check(nkledger.load(SEED))


@pytest.fixture(scope="module")
def hostile() -> Report:
    return nkledger.check(nkledger.loads(HOSTILE, origin=HOSTILE_NAME))


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
    def test_digest_then_problems(self) -> None:
        """The text report opens with the verdict and a line per problem, then each problem."""
        assert render(REPORT, "text") == EXPECTED_TEXT

    def test_findings_listed_only_when_asked(self) -> None:
        """Findings by check appear with all=True and not by default."""
        assert "Findings by check" not in render(REPORT, "text")
        text = render(REPORT, "text", all=True)
        assert "components: 1 conflict" in text
        assert "$9.85m–$11.35m" in text

    def test_seed_fits_80_lines(self, seed: Report) -> None:
        """The seed's whole report is at most 80 lines; its first screen names both problems."""
        lines = render(seed, "text").splitlines()
        assert len(lines) <= 80
        screen = "\n".join(lines[:24])
        assert "total 2025-09" in screen
        assert "joongang-2025-09-imports" in screen and "unnamed-sep-2025-09-exports" in screen
        assert "$228.1 million" in screen and "about $63.6 million" in screen
        assert "wording, not error" in screen and "nearly 30%" in screen

    def test_cut_short_is_in_the_digest(self, seed: Report) -> None:
        """What a limit cut short is said in the digest, not only in the notes."""
        import attrs

        cut = attrs.evolve(seed, truncated=True, cut=("repairs: stopped at the time limit",))
        head = " ".join(" ".join(render(cut, "text").splitlines()[:8]).split())
        assert "Cut short: repairs: stopped at the time limit." in head
        assert "Nothing cut short." in render(seed, "text")

    def test_seed_lists_culprits_with_quotes(self, seed: Report) -> None:
        """Each culprit is named with its outlet and quote, and what the others imply."""
        text = render(seed, "text")
        assert "Korea JoongAng Daily: “North Korea’s exports to China" in text
        assert re.search(r"\$228\.1 million” The others imply \$2\d\d\.\d+m–\$2\d\d\.\d+m\.",
                         text)

    def test_ids_and_numbers_never_broken(self, seed: Report) -> None:
        """Every claim id and every range appears whole on one line (wrapped at spaces)."""
        text = render(seed, "text", all=True)
        lines = text.splitlines()
        for claim in seed.ledger.claims:
            if claim.id in text.replace("\n", " "):
                assert any(claim.id in line for line in lines), claim.id
        for line in lines:
            assert not re.search(r"\w-$", line.rstrip()), line

    def test_control_characters_are_escaped(self, hostile: Report) -> None:
        """An escape sequence in a quote reaches the terminal as text, not as a command."""
        text = render(hostile, "text", all=True)
        assert "\x1b" not in text
        assert "\\x1b[2J" in text

    @given(st.lists(st.from_regex(r"[a-z]{1,8}(-[a-z0-9]{1,8}){1,6}", fullmatch=True),
                    min_size=1, max_size=30),
           st.integers(min_value=10, max_value=100))
    def test_wrap_breaks_only_at_spaces(self, words: list[str], width: int) -> None:
        """wrap() keeps every word whole, hyphens included, at any width."""
        lines = wrap(" ".join(words), width)
        assert " ".join(lines).split() == words
        assert all(len(line) <= width or " " not in line for line in lines)


def _markdown_to_html(text: str) -> str:
    import markdown

    return str(markdown.markdown(text, extensions=["tables"]))


class TestMarkdown:
    def test_headings_and_tables(self) -> None:
        """Markdown uses headings and GitHub tables; a '|' in a quote cannot break a row."""
        md = render(REPORT, "markdown")
        assert md.startswith("# nkledger report: small.toml\n")
        assert "### Problem 1" in md
        assert "| outlet " in md
        assert "<script>" not in md
        assert "&lt;script&gt;" in md

    def test_nothing_from_the_ledger_becomes_markup(self, hostile: Report) -> None:
        """Converted to HTML, no script, link, image or emphasis survives from the ledger."""
        page = _markdown_to_html(render(hostile, "markdown", all=True))
        for tag in ("<script", "<a ", "<a>", "<img", "<b>", "<em>", "<strong>", "<code>"):
            assert tag not in page, tag
        assert "javascript:alert" in page  # shown as text, not as a link
        assert "&lt;script&gt;alert(&#x27;file&#x27;)" in page or "alert('file')" in page


class TestHtml:
    def test_self_contained_and_escaped(self) -> None:
        """The HTML is one page with no script and no external resource; quotes are escaped."""
        page = render(REPORT, "html")
        assert page.startswith("<!DOCTYPE html>")
        assert "<script" not in page
        assert "&lt;script&gt;" in page
        assert "Outlet &lt;B&gt; &amp; Co" in page
        assert "http:" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert "https:" not in page

    def test_a_picture_per_problem(self, seed: Report) -> None:
        """Each problem has an inline SVG with a bar per claim, culprits marked."""
        page = render(seed, "html")
        assert page.count("<svg") == len(seed.problems) == 2
        assert 'class="bar culprit" data-claim="unnamed-sep-2025-09-exports"' in page
        assert "<script" not in page

    def test_hostile_ledger_is_inert(self, hostile: Report) -> None:
        """Ids, outlets, quotes and the file name are escaped, in the SVG too."""
        page = render(hostile, "html", all=True)
        assert "<script" not in page and "<img" not in page
        assert "&lt;script&gt;alert(&#x27;file&#x27;)" in page


def _validate(data: object) -> None:
    import jsonschema

    jsonschema.validate(data, schema(), cls=jsonschema.Draft202012Validator)


class TestJson:
    def test_documented_fields(self) -> None:
        """The JSON keeps the version 1 fields and adds a schema version and problems."""
        data = json.loads(render(REPORT, "json"))
        assert data["schema_version"] == SCHEMA_VERSION == schema()["properties"][
            "schema_version"]["const"]
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
        (problem,) = data["problems"]
        assert problem["findings"] == [0]
        assert {c["claim"] for c in problem["culprits"]} == {"a-exports", "b-imports", "b-total"}

    def test_round_trips_through_json(self) -> None:
        """to_json_dict gives plain data that json can write and read back unchanged."""
        data = to_json_dict(REPORT)
        assert json.loads(json.dumps(data)) == data

    def test_every_report_validates(self, seed: Report, hostile: Report) -> None:
        """Every JSON report here validates against the shipped schema."""
        wire = nkledger.loads(WIRE, origin="wire.toml")
        others = (nkledger.check(wire), nkledger.check(wire, joint=False),
                  nkledger.check(wire.without(["own-total"])),
                  nkledger.check(seed.ledger, "strict"), nkledger.check(seed.ledger, "lenient"))
        for report in (REPORT, seed, hostile, *others):
            _validate(json.loads(render(report, "json")))

    def test_seed_diagnoses(self, seed: Report) -> None:
        """The seed's JSON carries the culprits and their diagnoses."""
        data = to_json_dict(seed)
        wording = data["problems"][1]
        assert wording["verdict"] == "wording"
        first = wording["culprits"][0]
        assert first["claim"] == "clashreport-2025-h1-total-yoy"
        assert first["diagnosis"]["mistake"] == "strict_reading"

    def test_schema_refuses_a_bad_report(self) -> None:
        """The schema is not vacuous: a report without problems fails it."""
        import jsonschema

        data = to_json_dict(REPORT)
        del data["problems"]
        with pytest.raises(jsonschema.ValidationError):
            _validate(data)


def test_unknown_format() -> None:
    """An unknown format is refused by name."""
    with pytest.raises(ValueError, match="'pdf'"):
        render(REPORT, "pdf")  # type: ignore[arg-type]


WIRE = """
[[metric]]
id = "total"

[[source]]
id = "own"
outlet = "Own Outlet"
""" + "".join(f"""
[[source]]
id = "s{k}"
outlet = "{name}"
origin = "Reuters"

[[claim]]
id = "s{k}-total"
source = "s{k}"
metric = "total"
period = "2025-09"
value = "$271m"
quote = "trade was $271m in September"
""" for k, name in enumerate(["CNA", "WSO", "Paper C", "Paper D", "Paper E"])) + """
[[claim]]
id = "own-total"
source = "own"
metric = "total"
period = "2025-09"
value = "$291.7m"
quote = "trade was $291.7m in September"
"""


class TestWireStories:
    def test_one_story_appears_once(self) -> None:
        """Five reprints of one Reuters figure are named once, with every carrier."""
        report = nkledger.check(nkledger.loads(WIRE, origin="wire.toml"))
        text = render(report, "text")
        assert "Reuters (via CNA, WSO and 3 more) says $271m" in text
        assert " ".join(text.split()).count("gives total for September 2025 as $271m") == 1
        (line,) = [x for x in text.splitlines() if x.startswith("- s0-total")]
        assert line.startswith("- s0-total, s1-total, s2-total, s3-total, s4-total — Reuters")
        assert "The others imply $291.65m–$291.75m." in text

    def test_reprinted_culprit_is_one_line(self) -> None:
        """Where the reprints are the culprits, their ids share one line and one label."""
        report = nkledger.check(nkledger.loads(WIRE.replace('value = "$291.7m"',
                                                            'value = "$291.7m"\n'
                                                            'low = "$291.6m"'),
                                               origin="wire.toml"))
        ledger = report.ledger
        claims = [c for c in ledger.claims if c.id.startswith("s")]
        label = nkledger.problems.story_label(ledger, claims[0])
        assert label == "Reuters (via CNA, WSO and 3 more)"
        assert nkledger.problems.same_story(ledger, claims[0]) == [c.id for c in claims]


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
    | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=30)


class TestDumps:
    @given(_json_values)
    def test_the_same_text_as_json_dumps(self, value: object) -> None:
        """dumps writes exactly what json.dumps(indent=2, ensure_ascii=False) writes."""
        from nkledger.render._json import dumps

        assert dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)

    def test_other_types_are_left_to_json(self) -> None:
        """Keys that are not strings are json's to write; what json refuses, it refuses."""
        from nkledger.render._json import dumps

        assert dumps({1: [True]}) == json.dumps({1: [True]}, indent=2)
        with pytest.raises(TypeError):
            dumps({"a": Decimal(1)})


# any code point: quotes, backslashes, control characters, non-ASCII, lone surrogates
_ANY_TEXT = st.text(max_size=12)
_INF = Decimal("Infinity")
# ends that are equal but written differently (1.0, 1.00, 1E+0), zero with a sign, exponents
_ENDS = st.sampled_from([Decimal("1"), Decimal("1.0"), Decimal("1.00"), Decimal("1E+0"),
                         Decimal("0"), Decimal("-0"), Decimal("-0.0"), Decimal("1E+3"),
                         Decimal("0.000001"), Decimal("-2.5")]) | st.decimals(
    allow_nan=False, allow_infinity=False, places=3, min_value=-10**9, max_value=10**9)


_MORE_PLACES = Decimal("0.0000")


@st.composite
def _hostile_intervals(draw: st.DrawFn) -> list[Interval]:
    """A few intervals, some unbounded, each with an equal twin whose ends write differently."""
    out = []
    for _ in range(draw(st.integers(1, 3))):
        low, high = sorted((draw(_ENDS), draw(_ENDS)))
        interval = Interval(-_INF if draw(st.integers(0, 3)) == 0 else low,
                            _INF if draw(st.integers(0, 3)) == 0 else high)
        out += [interval, Interval(interval.low + _MORE_PLACES, interval.high + _MORE_PLACES)]
    return out


@st.composite
def _hostile_report(draw: st.DrawFn) -> Report:
    """A checked random ledger with hostile text, then hostile findings and implied figures.

    The added findings are consistent or unverifiable (problems are made of conflicts),
    share a few interval objects (twins equal in value but written differently: the
    writer must not key their texts by value) and carry any text at all; so do the added implied figures, the claims' quotes and the outlets.
    """
    import attrs

    from nkledger import strategies
    from nkledger.results import Implied

    ledger = draw(strategies.ledgers(max_size=6))
    ledger = attrs.evolve(
        ledger,
        claims=[attrs.evolve(c, quote=f"q{draw(_ANY_TEXT)}") if draw(st.booleans()) else c
                for c in ledger.claims],
        sources=[attrs.evolve(s, outlet=draw(st.none() | _ANY_TEXT.map("o{}".format)))
                 for s in ledger.sources])
    report = nkledger.check(ledger, joint=draw(st.booleans()))
    ids = [c.id for c in ledger.claims]
    claim_ids = st.sampled_from(ids) | _ANY_TEXT if ids else _ANY_TEXT
    sides = st.none() | st.sampled_from(draw(_hostile_intervals()))
    added = draw(st.lists(st.builds(
        Finding, check=st.sampled_from(("agreement", "growth")) | _ANY_TEXT,
        verdict=st.sampled_from(("consistent", "unverifiable")),
        claims=st.lists(claim_ids, max_size=3), explanation=_ANY_TEXT,
        metric=st.none() | _ANY_TEXT, period=st.none() | strategies.periods(),
        unit=_ANY_TEXT, stated=sides, implied=sides, depends_on_reading=st.booleans(),
        note=st.none() | _ANY_TEXT), max_size=8))
    ends = st.none() | _ENDS | st.sampled_from([_INF, -_INF])
    implied = draw(st.lists(st.builds(
        Implied, metric=_ANY_TEXT, period=strategies.periods(), unit=_ANY_TEXT, low=ends,
        high=ends, reported=st.booleans(), note=st.none() | _ANY_TEXT), max_size=3))
    return attrs.evolve(report, findings=(*report.findings, *added),
                        implied=(*report.implied, *implied))


class TestJsonText:
    @given(_hostile_report())
    def test_the_same_text_as_json_dumps(self, report: Report) -> None:
        """The JSON written directly is json.dumps(to_json_dict(report)), compact or indented."""
        from nkledger.render._json import _COMPACT, _INDENTED, _written, report_json

        data = to_json_dict(report)
        compact = json.dumps(data, ensure_ascii=False)
        indented = json.dumps(data, indent=2, ensure_ascii=False)
        # the fast writers themselves, not their fallback
        assert _written(report, _COMPACT) == compact
        assert _written(report, _INDENTED) == indented
        assert report_json(report) == compact
        assert render(report, "json") == indented + "\n"

    def test_every_work_item_line(self, seed: Report) -> None:
        """part_json writes the seed's work item (a part with conflicts) as its careful JSON."""
        from nkledger import parallel
        from nkledger.render._json import part_json
        from nkledger.report import part_report

        lines = 0
        for work in parallel.work_items(seed.ledger):
            part = parallel.check_work(work)
            line = part_json(part, "default")
            assert line == json.dumps(to_json_dict(part_report(part, "default")),
                                      ensure_ascii=False)
            assert "\n" not in line
            lines += 1
        assert lines == 1

    def test_unexpected_types_are_left_to_json(self) -> None:
        """A field of a type the writer does not expect is written the careful way."""
        import attrs

        from nkledger.render._json import _COMPACT, _Unknown, _written, report_json

        for odd in ({"depends_on_reading": 1}, {"unit": None}, {"metric": 7}):
            report = attrs.evolve(REPORT, findings=(attrs.evolve(FINDING, **odd),))
            with pytest.raises((_Unknown, TypeError)):
                _written(report, _COMPACT)
            data = to_json_dict(report)
            assert report_json(report) == json.dumps(data, ensure_ascii=False)
            assert render(report, "json") == json.dumps(data, indent=2,
                                                         ensure_ascii=False) + "\n"

    def test_a_lean_report_is_refused(self, seed: Report) -> None:
        """A lean report holds too little for JSON, whichever way it is written."""
        import attrs

        from nkledger.render._json import report_json
        from nkledger.report import Digest

        lean = attrs.evolve(seed, digest=Digest())
        for write in (report_json, to_json_dict, lambda r: render(r, "json")):
            with pytest.raises(ValueError, match="lean"):
                write(lean)
