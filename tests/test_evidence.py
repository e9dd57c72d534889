"""Tests for origins, bases and releases: honest disagreements kept apart from errors."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nkledger
from nkledger import strategies as nks
from nkledger.evidence import bases, collapse, plan
from nkledger.exceptions import UnknownReferenceError
from nkledger.ledger import Ledger
from nkledger.results import Repair
from nkledger.solver import analyse

HEADER = """
[[metric]]
id = "cn_exports"

[[metric]]
id = "cn_imports"

[[metric]]
id = "total"

[[identity]]
total = ["cn_exports", "cn_imports"]
"""


def source(ident: str, outlet: str, **fields: str) -> str:
    """One [[source]] table; ``published`` is written as a TOML date."""
    lines = ["[[source]]", f'id = "{ident}"', f'outlet = "{outlet}"']
    lines += [f"{key} = {value}" if key == "published" else f'{key} = "{value}"'
              for key, value in fields.items()]
    return "\n".join(lines) + "\n"


def claim(ident: str, src: str, metric: str, period: str, value: str, **fields: str) -> str:
    """One [[claim]] table stating *value*; the quote is the claim's id."""
    lines = ["[[claim]]", f'id = "{ident}"', f'source = "{src}"', f'metric = "{metric}"',
             f'period = "{period}"', f'value = "{value}"', f'quote = "{ident}"']
    lines += [f'{key} = "{v}"' for key, v in fields.items()]
    return "\n".join(lines) + "\n"


def build(*tables: str) -> Ledger:
    """A ledger of exports, imports and their total, with the given tables."""
    return nkledger.loads(HEADER + "\n".join(tables))


# -- origins -----------------------------------------------------------------------------------

CARRIERS = ("reuters", "cna", "yonhap", "kbs", "nknews")
OUTLETS = {"cna": "CNA", "yonhap": "Yonhap", "kbs": "KBS", "nknews": "NK News"}


def wire(misquote: str | None = "$275.4m", *, origin: str = "Reuters") -> Ledger:
    """A Reuters story reprinted by four outlets (five carriers), and one outlet misquoting it."""
    tables = [source("reuters", "Reuters", published="2026-01-20",
                     cites="China General Administration of Customs")]
    for i, name in enumerate(CARRIERS[1:], start=1):
        tables.append(source(name, OUTLETS[name], published=f"2026-01-2{i}", origin="Reuters",
                             cites="China General Administration of Customs"))
    for name in CARRIERS:
        tables += [claim(f"{name}-x", name, "cn_exports", "2025-12", "$257.4m"),
                   claim(f"{name}-m", name, "cn_imports", "2025-12", "$52.7m"),
                   claim(f"{name}-t", name, "total", "2025-12", "$310.1m")]
    if misquote is not None:
        tables.append(source("daily", "Daily Misquote", published="2026-01-22", origin=origin,
                             cites="China General Administration of Customs"))
        tables.append(claim("daily-x", "daily", "cn_exports", "2025-12", misquote))
    return build(*tables)


class TestOrigins:
    def test_a_reprint_is_one_piece_of_evidence(self) -> None:
        """Five outlets carrying one wire figure are one claim, listed with every carrier."""
        collapsed, carriers = collapse(wire(None))
        assert len(collapsed.claims) == 3
        assert carriers["reuters-x"] == ("reuters-x", "cna-x", "yonhap-x", "kbs-x", "nknews-x")
        source = collapsed.source_of(collapsed.claim("reuters-x"))
        assert source.outlet == "Reuters via CNA, Yonhap, KBS and NK News"
        assert source.weight == 1.0

    def test_the_misquote_is_the_one_culprit(self) -> None:
        """Reprinted five times and misquoted once: every conflict holds the misquote."""
        report = nkledger.check(wire())
        assert report.conflicts, "the misquote conflicts"
        assert all("daily-x" in c for c in report.conflicts)
        assert len(report.conflicts) == 2  # against the exports, and against total − imports
        assert report.repairs[0] == Repair(claims=("daily-x",), weight=1.0)
        assert [r for r in report.repairs if r.weight <= 1.0] == [report.repairs[0]]
        assert report.carried_by("cna-x") == report.carriers["reuters-x"]
        cna = next(o for o in report.outlets if o.outlet == "CNA")
        assert (cna.claims, cna.in_conflicts, cna.in_repairs) == (3, 3, 0)
        conflicting = [f for f in report.conflicting if f.check == "agreement"]
        assert len(conflicting) == 1 and set(conflicting[0].claims) == {"reuters-x", "daily-x"}
        assert "Reuters via CNA, Yonhap, KBS and NK News" in conflicting[0].explanation

    def test_without_origins_the_reprints_weigh_five_times(self) -> None:
        """Analysed claim by claim, the five reprints are five weights in a repair.

        (The solver itself shows claims with identical rows once in a conflict set, and
        lists the others as carrying the same figure.)
        """
        analysis = analyse(wire())
        assert any(len(group) == 5 for group in analysis.identical)

    def test_one_weight_for_the_whole_reprint(self) -> None:
        """A lone outlet against a wire figure reprinted five times: the two weigh alike."""
        tables = [source("reuters", "Reuters"), source("lone", "Lone Daily"),
                  claim("lone-x", "lone", "cn_exports", "2025-12", "$275.4m")]
        for name in CARRIERS:
            if name != "reuters":
                tables.append(source(name, OUTLETS[name], origin="Reuters"))
            tables.append(claim(f"{name}-x", name, "cn_exports", "2025-12", "$257.4m"))
        ledger = build(*tables)
        best = {r.claims for r in nkledger.check(ledger).repairs if r.weight == 1.0}
        assert best == {("lone-x",), ("reuters-x",)}
        # claim by claim, the five reprints outweigh the lone outlet five to one
        assert {r.claims for r in analyse(ledger).repairs if r.weight == 1.0} == {("lone-x",)}

    def test_different_figures_of_one_origin_stay_apart(self) -> None:
        """Two figures from one wire are two pieces of evidence, and conflict."""
        ledger = build(
            source("r", "Reuters"), source("c", "CNA", origin="Reuters"),
            claim("r1", "r", "total", "2025", "$2.7bn"),
            claim("c1", "c", "total", "2025", "$2.9bn"))
        assert collapse(ledger)[1] == {}
        assert [c.as_set() for c in nkledger.check(ledger).conflicts] == [{"r1", "c1"}]

    def test_a_pinned_carrier_pins_the_evidence(self) -> None:
        """Evidence weighs what its heaviest carrier's source weighs."""
        ledger = build(
            source("r", "Reuters"), source("c", "CNA", origin="Reuters", weight="inf"),
            claim("r1", "r", "total", "2025", "$2.7bn"),
            claim("c1", "c", "total", "2025", "$2.7bn"))
        collapsed, _ = collapse(ledger)
        assert collapsed.source_of(collapsed.claim("r1")).pinned

    def test_an_outlet_with_no_origin_is_its_own(self) -> None:
        """Two articles of one outlet giving one figure are one piece of evidence."""
        ledger = build(
            source("y1", "Yonhap", published="2026-01-20"),
            source("y2", "Yonhap", published="2026-01-25"),
            claim("a", "y1", "total", "2025", "$2.7bn"),
            claim("b", "y2", "total", "2025", "$2.7bn"))
        collapsed, carriers = collapse(ledger)
        assert carriers == {"a": ("a", "b")}
        assert collapsed.source_of(collapsed.claim("a")).outlet == "Yonhap (2 articles)"


# -- bases ---------------------------------------------------------------------------------------

GACC = "China General Administration of Customs"
KOTRA = "Korea Trade-Investment Promotion Agency (KOTRA)"


def two_bases() -> Ledger:
    """Customs figures and an agency's estimates for 2023 and 2024, with one error in each."""
    return build(
        source("wire", "Wire", published="2025-01-20", cites=GACC),
        source("paper", "Paper", published="2025-01-21", cites="China's customs"),
        source("kotra", "Kotra Daily", published="2025-07-01", cites=KOTRA),
        source("vague", "Vague News", published="2025-02-01", cites="official data"),
        claim("w-2023", "wire", "total", "2023", "$2.3bn"),
        claim("w-2024", "wire", "total", "2024", "$2.18bn"),
        claim("w-2024-x", "wire", "cn_exports", "2024", "$1.9bn"),
        claim("w-2024-m", "wire", "cn_imports", "2024", "$280m"),
        # an error on the customs basis: 2.3 transposed
        claim("p-2023", "paper", "total", "2023", "$3.2bn"),
        claim("k-2023", "kotra", "total", "2023", "$1.6bn"),
        claim("k-2024", "kotra", "total", "2024", "$1.5bn"),
        # an error on the agency's basis: its parts do not add up to its total
        claim("k-2024-x", "kotra", "cn_exports", "2024", "$1.25bn"),
        claim("k-2024-m", "kotra", "cn_imports", "2024", "$400m"),
        claim("v-2024-x", "vague", "cn_exports", "2024", "$1.9bn"),
    )


class TestBases:
    def test_bases_of_claims(self) -> None:
        """A basis is named by its most specific spelling; "official data" names none."""
        found = bases(two_bases())
        assert found["w-2023"] == found["p-2023"] == GACC
        assert found["k-2023"] == KOTRA
        assert found["v-2024-x"] is None

    def test_an_unstated_basis_is_the_main_one(self) -> None:
        """A claim naming no body is checked with the basis most claims state."""
        (customs, agency) = plan(two_bases()).parts
        assert customs.basis == GACC and "v-2024-x" in {c.id for c in customs.ledger}
        assert "v-2024-x" not in {c.id for c in agency.ledger}

    def test_each_basis_on_its_own(self) -> None:
        """The difference of bases is reported as such; each basis's error is still found."""
        report = nkledger.check(two_bases())
        customs = {"w-2023", "w-2024", "w-2024-x", "w-2024-m", "p-2023", "v-2024-x"}
        agency = {"k-2023", "k-2024", "k-2024-x", "k-2024-m"}
        assert report.conflicts
        for conflict in report.conflicts:
            assert conflict.as_set() <= customs or conflict.as_set() <= agency
        flagged = {c for conflict in report.conflicts for c in conflict}
        assert "p-2023" in flagged and "k-2024" in flagged
        assert {r.claims for r in report.repairs if r.weight == 2.0} >= {
            ("k-2024", "p-2023")}
        assert all(f.note != "different basis" for f in report.conflicting)
        assert {(f.check, f.note) for f in report.differences} == {("basis", "different basis")}
        pairs = {frozenset(f.claims) for f in report.differences}
        assert frozenset({"w-2023", "k-2023"}) in pairs
        assert frozenset({"w-2024", "k-2024"}) in pairs
        (f,) = [f for f in report.differences if set(f.claims) == {"w-2023", "k-2023"}]
        assert f.gap is not None and f.gap.high < 0
        assert "a difference of bases, not held against each other" in f.explanation
        assert any(n.startswith("different basis: ") for n in report.notes)
        totals = {i.note.split(";")[0] for i in report.implied
                  if i.metric == "total" and str(i.period) == "2024" and i.note}
        assert totals == {f"on the basis {GACC}", f"on the basis {KOTRA}"}

    def test_basis_all_holds_everything_together(self) -> None:
        """``basis="all"`` is the old behaviour: bases are held against each other."""
        report = nkledger.check(two_bases(), basis="all")
        assert report.differences == ()
        assert any({"w-2023", "k-2023"} <= c.as_set() for c in report.conflicts)

    def test_one_basis_alone(self) -> None:
        """``basis=NAME`` checks one basis (and the claims of unstated basis) alone."""
        report = nkledger.check(two_bases(), basis="KOTRA")
        assert report.basis == "KOTRA"
        ids = {c for conflict in report.conflicts for c in conflict}
        assert ids == {"k-2024", "k-2024-x", "k-2024-m"}
        parts = plan(two_bases(), basis="customs").parts
        assert [p.basis for p in parts] == [GACC]

    def test_unknown_basis(self) -> None:
        """A basis the ledger does not have is refused, naming those it has."""
        with pytest.raises(UnknownReferenceError, match=r"no basis 'Eurostat'.*'China General"):
            nkledger.check(two_bases(), basis="Eurostat")

    def test_one_basis_checks_as_before(self) -> None:
        """A ledger with one basis is checked exactly as the whole: the seed is unchanged."""
        seed = nkledger.load("examples/china_dprk_2025.toml")
        assert [p.basis for p in plan(seed).parts] == [GACC]
        assert nkledger.check(seed).conflicts == analyse(seed).conflicts


# -- releases ------------------------------------------------------------------------------------


def releases() -> Ledger:
    """A first release of 2024 (January 2025) and its revision a year later."""
    return build(
        source("early", "Yonhap", published="2025-01-20", cites=GACC),
        source("late", "Reuters", published="2026-01-20", cites=GACC),
        claim("e-2024", "early", "total", "2024", "$2.1bn"),
        claim("l-2024", "late", "total", "2024", "$2.18bn"),
        claim("l-2025", "late", "total", "2025", "$2.7bn"))


class TestReleases:
    def test_all_vintages_conflict_as_a_revision(self) -> None:
        """Held together, a first release and its revision conflict, noted as a revision."""
        report = nkledger.check(releases())
        (f,) = report.conflicting
        assert f.note == "revision" and "likely a revision" in f.explanation

    def test_latest_vintage(self) -> None:
        """Under vintage="latest" the first release is reported as revised, not checked."""
        report = nkledger.check(releases(), vintage="latest")
        assert report.consistent and report.vintage == "latest"
        (rev,) = report.revisions
        assert rev.note == "revision" and rev.claims == ("e-2024", "l-2024")
        assert rev.explanation == (
            "total for 2024 was revised from $2.1bn (Yonhap, 2025-01-20) to $2.18bn "
            "(Reuters, 2026-01-20); only the latest release is checked.")
        assert any(n.startswith("revision: total for 2024 was revised") for n in report.notes)

    def test_a_release_that_agrees_is_set_aside_silently(self) -> None:
        """An earlier release with the same figure is no revision."""
        ledger = build(
            source("early", "Yonhap", published="2025-01-20", cites=GACC),
            source("late", "Reuters", published="2026-01-20", cites=GACC),
            claim("e", "early", "total", "2024", "$2.1bn"),
            claim("l", "late", "total", "2024", "$2.1bn"))
        report = nkledger.check(ledger, vintage="latest")
        assert report.revisions == () and report.consistent

    def test_as_of(self) -> None:
        """As of a date, only sources published by then are checked."""
        report = nkledger.check(releases(), as_of=date(2025, 6, 30))
        assert report.consistent and report.as_of == date(2025, 6, 30)
        assert {c for f in report.findings for c in f.claims} <= {"e-2024"}
        assert any("2 claim(s) published later" in n for n in report.notes)
        assert not nkledger.check(releases(), as_of=date(2026, 1, 20)).consistent

    def test_a_slight_contradiction_by_later_growth_is_a_likely_revision(self) -> None:
        """A later growth rate that misses a first release only slightly flags a revision."""
        ledger = build(
            source("early", "Yonhap", published="2025-01-20", cites=GACC),
            source("late", "Reuters", published="2026-01-20", cites=GACC),
            claim("e-2024", "early", "total", "2024", "$2.1bn"),
            claim("l-2025", "late", "total", "2025", "$2.7bn"),
            claim("l-yoy", "late", "total", "2025", "22%", change="yoy"))
        (f,) = [f for f in nkledger.check(ledger).conflicting if f.check == "growth"]
        assert f.note == "revision" and "likely a revision" in f.explanation
        far = nkledger.loads(nkledger.dumps(ledger).replace('value = "22%"', 'value = "5%"'))
        (g,) = [f for f in nkledger.check(far).conflicting if f.check == "growth"]
        assert g.note is None

    def test_unknown_vintage(self) -> None:
        """A vintage other than "all" or "latest" is refused."""
        with pytest.raises(ValueError, match="vintage must be one of all, latest"):
            nkledger.check(releases(), vintage="first")  # type: ignore[arg-type]


# -- laws --------------------------------------------------------------------------------------


def _reprinted(ledger: Ledger, picks: list[int]) -> tuple[Ledger, set[str]]:
    """*ledger* with the picked claims reprinted by a new outlet a day later, of one origin."""
    import attrs

    from nkledger.evidence import origin

    sources, claims, reprints = list(ledger.sources), list(ledger.claims), set()
    for n, i in enumerate(sorted(set(picks))):
        original = ledger.claims[i % len(ledger.claims)]
        src = ledger.source_of(original)
        published = None if src.published is None else date.fromordinal(
            src.published.toordinal() + 1)
        reprint = attrs.evolve(src, id=f"reprint-{n}", outlet=f"Reprinter {n}",
                               origin=origin(src), published=published)
        sources.append(reprint)
        claims.append(attrs.evolve(original, id=f"reprint-{n}-claim", source=reprint.id))
        reprints.add(f"reprint-{n}-claim")
    return attrs.evolve(ledger, sources=sources, claims=claims), reprints


class TestLaws:
    @settings(max_examples=15)
    @given(nks.corrupted_ledgers(max_size=6, max_corruptions=1),
           st.lists(st.integers(0, 100), min_size=1, max_size=3))
    def test_reprints_change_no_conflict_and_no_repair(
        self, pair: tuple[Ledger, frozenset[str]], picks: list[int]
    ) -> None:
        """Reprinting claims under their origin leaves conflict sets and repairs as they were."""
        ledger, _ = pair
        reprinted, reprints = _reprinted(ledger, picks)
        before, after = nkledger.check(ledger), nkledger.check(reprinted)
        assert after.conflicts == before.conflicts
        assert after.repairs == before.repairs
        carried = {c for carriers in after.carriers.values() for c in carriers[1:]}
        assert reprints <= carried
        assert not reprints & {c for conflict in after.conflicts for c in conflict}

    @settings(max_examples=15)
    @given(nks.consistent_ledgers(max_size=8), st.dates(date(2015, 1, 1), date(2030, 1, 1)))
    def test_as_of_is_the_ledger_as_it_stood(self, ledger: Ledger, day: date) -> None:
        """Checking as of a day is checking the claims published by then."""
        then = ledger.select(lambda c: (p := ledger.source_of(c).published) is not None
                             and p <= day)
        report = nkledger.check(ledger, as_of=day, joint=False)
        assert report.findings == nkledger.check(then, joint=False).findings
