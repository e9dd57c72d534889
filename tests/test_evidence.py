"""Tests for origins, bases and releases: honest disagreements kept apart from errors."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nkledger
from nkledger import strategies as nks
from nkledger.claims import Claim, Source
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
        assert best == {("lone-x",), tuple(sorted(f"{name}-x" for name in CARRIERS))}
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

        def stripped(sets: Iterable[Iterable[str]]) -> set[tuple[str, ...]]:
            return {tuple(c for c in s if c not in reprints) for s in sets}

        # the reprints join the conflict sets and repairs of what they reprint, and
        # change nothing else: the same sets, the same weights
        assert stripped(after.conflicts) == {c.claims for c in before.conflicts}
        assert stripped(after.repairs) == {r.claims for r in before.repairs}
        assert sorted(r.weight for r in after.repairs) == sorted(r.weight for r in before.repairs)
        carried = {c for carriers in after.carriers.values() for c in carriers[1:]}
        assert reprints <= carried

    @settings(max_examples=15)
    @given(nks.consistent_ledgers(max_size=8), st.dates(date(2015, 1, 1), date(2030, 1, 1)))
    def test_as_of_is_the_ledger_as_it_stood(self, ledger: Ledger, day: date) -> None:
        """Checking as of a day is checking the claims published by then."""
        then = ledger.select(lambda c: (p := ledger.source_of(c).published) is not None
                             and p <= day)
        report = nkledger.check(ledger, as_of=day, joint=False)
        assert report.findings == nkledger.check(then, joint=False).findings


class TestReprintedMistakes:
    def test_every_carrier_of_a_mistake_is_in_a_conflict_and_a_repair(self) -> None:
        """A wrong figure one outlet printed twice: both copies conflict, both are dropped.

        Found by examples/test_with_nkledger.py: the analysis weighs the two copies as one
        piece of evidence, and the report once named only the first of them, so the second
        was in no conflict set and ``ledger.without(best repair)`` still conflicted.
        """
        from pathlib import Path

        ledger = nkledger.load(Path(__file__).parent / "repros" / "reprinted_mistake.toml")
        report = nkledger.check(ledger)
        flagged = {claim for conflict in report.conflicts for claim in conflict}
        assert {"reuters-2021-01-11-5", "reuters-2021-01-11-7"} <= flagged
        assert {"reuters-2021-01-11-5", "reuters-2021-01-11-7"} <= set(report.repairs[0])
        assert nkledger.check(ledger.without(report.repairs[0])).consistent


# -- the quick plan is the careful one ---------------------------------------------------------


def _careful_bases(ledger: Ledger) -> dict[str, str | None]:
    """Each claim's basis, claim by claim, as :func:`bases` reads it."""
    from nkledger._checks import _words as w

    words: dict[str, frozenset[str] | None] = {}
    names: dict[frozenset[str], str] = {}
    of_source = {s.id: s.basis or s.cites for s in ledger.sources}
    for claim in ledger.claims:
        text = claim.basis or of_source[claim.source]
        found = w.body(text)
        words[claim.id] = found
        if found is not None and text is not None:
            names.setdefault(found, text)
    specific = [b for b in names if not any(b < other for other in names)]
    canonical: dict[frozenset[str], str | None] = {}
    for b in names:
        homes = [m for m in specific if b <= m]
        canonical[b] = names[homes[0]] if len(homes) == 1 else None
    return {cid: None if found is None else canonical[found] for cid, found in words.items()}


def _careful_main(basis_of: dict[str, str | None]) -> dict[str, str | None]:
    """An unstated basis read as the most stated one (the first of them), claim by claim."""
    counts: dict[str, int] = {}
    for b in basis_of.values():
        if b is not None:
            counts[b] = counts.get(b, 0) + 1
    if not counts:
        return dict(basis_of)
    main = max(counts, key=lambda b: counts[b])
    return {cid: main if b is None else b for cid, b in basis_of.items()}


def _careful_groups(ledger: Ledger, basis_of: dict[str, str | None]) -> list[list[str]]:
    """Every piece of evidence with several carriers, as claim ids, each group in order."""
    from nkledger.evidence import _quantity, _statement, origin

    groups: dict[object, list[str]] = {}
    for claim in ledger.claims:
        key = (origin(ledger.source_of(claim)), basis_of.get(claim.id), _quantity(claim),
               _statement(claim))
        groups.setdefault(key, []).append(claim.id)
    return [g for g in groups.values() if len(g) > 1]


def _careful_collapse(ledger: Ledger, basis_of: dict[str, str | None]
                      ) -> tuple[Ledger, dict[str, tuple[str, ...]]]:
    """:func:`collapse` claim by claim, its groups' members ordered by ledger position."""
    import attrs

    from nkledger.evidence import _carried, _quantity, _release, _statement, origin

    same: dict[object, list[Claim]] = defaultdict(list)
    for claim in ledger.claims:
        same[(origin(ledger.source_of(claim)), basis_of.get(claim.id),
              _quantity(claim))].append(claim)
    groups: dict[object, list[Claim]] = defaultdict(list)
    for key, members in same.items():
        if len(members) > 1:
            for claim in members:
                groups[(key, _statement(claim))].append(claim)
    order = {c.id: i for i, c in enumerate(ledger.claims)}
    carriers: dict[str, tuple[str, ...]] = {}
    moved: dict[str, Claim] = {}
    extra: list[Source] = []
    dropped: set[str] = set()
    taken = {s.id for s in ledger.sources}
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda c: (*_release(ledger, c)[:2], order[c.id]))
        rep = members[0]
        carriers[rep.id] = tuple(c.id for c in members)
        dropped.update(c.id for c in members[1:])
        sources = list(dict.fromkeys(ledger.source_of(c) for c in members))
        if len(sources) == 1:
            continue
        first = sources[0]
        new_id = f"{first.id}+{len(sources) - 1}"
        n = 1
        while new_id in taken:
            n += 1
            new_id = f"{first.id}+{len(sources) - 1}.{n}"
        taken.add(new_id)
        extra.append(attrs.evolve(first, id=new_id, outlet=_carried(first, sources),
                                  weight=max(s.weight for s in sources)))
        moved[rep.id] = attrs.evolve(rep, source=new_id)
    if not carriers:
        return ledger, {}
    claims = [moved.get(c.id, c) for c in ledger.claims if c.id not in dropped]
    return Ledger(metrics=ledger.metrics, identities=ledger.identities,
                  sources=[*ledger.sources, *extra], claims=claims,
                  origin=ledger.origin), carriers


@st.composite
def reprinted_ledgers(draw: st.DrawFn) -> Ledger:
    """Arbitrary ledgers, often with some claims reprinted under their origin."""
    ledger = draw(nks.ledgers(max_size=8))
    if ledger.claims and draw(st.booleans()):
        ledger, _ = _reprinted(ledger, draw(st.lists(st.integers(0, 100), max_size=3)))
    return ledger


class TestQuickPlan:
    """Bases and reprints worked out per pair and through a sieve are the careful ones."""

    @given(reprinted_ledgers())
    def test_bases_are_read_claim_by_claim(self, ledger: Ledger) -> None:
        """Each claim's basis, and the main basis, are as read claim by claim."""
        from nkledger.evidence import _main_bases

        careful = _careful_bases(ledger)
        assert bases(ledger) == careful
        assert list(bases(ledger)) == list(careful)
        assert _main_bases(ledger) == _careful_main(careful)

    @given(reprinted_ledgers())
    def test_collapse_is_the_careful_collapse(self, ledger: Ledger) -> None:
        """The collapsed ledger and its carriers, in order, are the careful collapse's."""
        basis_of = _careful_main(_careful_bases(ledger))
        collapsed, carriers = collapse(ledger, basis_of)
        careful, careful_carriers = _careful_collapse(ledger, basis_of)
        assert list(carriers.items()) == list(careful_carriers.items())
        assert collapsed == careful
        assert collapsed.sources == careful.sources

    @given(reprinted_ledgers())
    def test_collapse_keeps_each_piece_once(self, ledger: Ledger) -> None:
        """The carriers are every group of one piece of evidence, representative first."""
        basis_of = _careful_main(_careful_bases(ledger))
        collapsed, carriers = collapse(ledger, basis_of)
        groups = _careful_groups(ledger, basis_of)
        assert sorted(map(sorted, carriers.values())) == sorted(map(sorted, groups))
        published = {c.id: ledger.source_of(c).published for c in ledger.claims}
        order = {c.id: k for k, c in enumerate(ledger.claims)}
        for rep, members in carriers.items():
            assert members[0] == rep
            assert list(members) == sorted(members, key=lambda c: (
                published[c] is None, published[c] or date.max, order[c]))
        dropped = {c for members in carriers.values() for c in members[1:]}
        assert [c.id for c in collapsed.claims] == [
            c.id for c in ledger.claims if c.id not in dropped]
        if not carriers:
            assert collapsed is ledger
