"""Tests for problems: grouping conflict sets, culprits, diagnoses and the scorecard."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import nkledger
from nkledger import strategies
from nkledger.intervals import Interval
from nkledger.ledger import Ledger
from nkledger.problems import (
    MISTAKES,
    Culprit,
    Diagnosis,
    Explanation,
    Problem,
    carried,
    find_problems,
    notable_implied,
    scorecard,
)
from nkledger.results import Conflict, Implied, Repair

SEED = Path(__file__).resolve().parent.parent / "examples" / "china_dprk_2025.toml"

SMALL = """
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
[[source]]
id = "b"
outlet = "Outlet B"
[[source]]
id = "w1"
outlet = "CNA"
origin = "Reuters"
[[source]]
id = "w2"
outlet = "WSO"
origin = "Reuters"

[[claim]]
id = "a-exports"
source = "a"
metric = "exports"
period = "2025-09"
value = "$120.5m"
quote = "exports were $120.5m"

[[claim]]
id = "b-exports"
source = "b"
metric = "exports"
period = "2025-09"
value = "$120.5bn"
quote = "exports were $120.5bn"

[[claim]]
id = "w1-imports"
source = "w1"
metric = "imports"
period = "2025-09"
value = "$30.2m"
quote = "imports were $30.2m"

[[claim]]
id = "w2-imports"
source = "w2"
metric = "imports"
period = "2025-09"
value = "$30.2m"
quote = "imports were $30.2m"
"""


@pytest.fixture(scope="module")
def seed() -> nkledger.Report:
    return nkledger.check(nkledger.load(SEED))


@pytest.fixture(scope="module")
def small() -> nkledger.Report:
    return nkledger.check(nkledger.loads(SMALL, origin="small.toml"))


class TestGrouping:
    def test_seed_has_two_problems(self, seed) -> None:  # type: ignore[no-untyped-def]
        """The seed's five conflict sets make two problems: September, and the H1 wording."""
        assert [(p.number, p.verdict) for p in seed.problems] == [(1, "error"), (2, "wording")]
        september, h1 = seed.problems
        assert "total 2025-09" in september.headline
        assert "nearly 30%" in h1.headline
        assert set(h1.readings) == {"strict", "default"}

    def test_september_comes_down_to_two_claims(self, seed) -> None:  # type: ignore[no-untyped-def]
        """The September problem's culprits are the two tied claims, neither outright."""
        september = seed.problems[0]
        assert {c.claim for c in september.culprits} == {
            "unnamed-sep-2025-09-exports", "joongang-2025-09-imports"}
        assert not any(c.in_every_repair for c in september.culprits)

    def test_wording_culprit_is_the_qualifier(self, seed) -> None:  # type: ignore[no-untyped-def]
        """In the wording problem the "nearly 30%" claim comes first, read strictly."""
        first = seed.problems[1].culprits[0]
        assert first.claim == "clashreport-2025-h1-total-yoy"
        assert first.diagnosis is not None and first.diagnosis.mistake == "strict_reading"

    def test_conflict_sets_sharing_a_claim_are_one_problem(self) -> None:
        """Overlapping conflict sets join; disjoint ones stay apart."""
        ledger = nkledger.loads(SMALL)
        sets = [Conflict(claims=["a-exports", "b-exports"], readings=["strict", "default",
                                                                      "lenient"])]
        problems = find_problems(ledger, (), conflicts=sets, diagnose=False,
                                 repair_groups=[[Repair(claims=["a-exports"], weight=1),
                                                 Repair(claims=["b-exports"], weight=1)]])
        assert len(problems) == 1
        assert problems[0].claims == ("a-exports", "b-exports")
        assert [c.in_every_repair for c in problems[0].culprits] == [False, False]

    def test_consistent_ledger_has_no_problems(self) -> None:
        """A ledger whose claims hold together has no problem."""
        ledger = nkledger.loads(SMALL).without(["b-exports"])
        assert nkledger.check(ledger).problems == ()


class TestDiagnosis:
    def test_unit_slip_is_named(self, small) -> None:  # type: ignore[no-untyped-def]
        """$120.5bn against $120.5m is diagnosed as a unit slip, confirmed exactly."""
        (problem,) = small.problems
        by_claim = {c.claim: c.diagnosis for c in problem.culprits}
        d = by_claim["b-exports"]
        assert d is not None and d.mistake == "unit_slip"
        assert d.explanations[0].confirmed
        assert d.implied == Interval(Decimal("120450000"), Decimal("120550000"))

    def test_a_conflict_elsewhere_does_not_hide_the_diagnosis(self) -> None:
        """A culprit is diagnosed within its own part, whatever conflicts other parts hold."""
        elsewhere = SMALL + """
[[metric]]
id = "rice"

[[claim]]
id = "a-rice"
source = "a"
metric = "rice"
period = "2025-09"
value = "$5.1m"
quote = "rice imports were $5.1m"

[[claim]]
id = "b-rice"
source = "b"
metric = "rice"
period = "2025-09"
value = "$7.9m"
quote = "rice imports were $7.9m"
"""
        report = nkledger.check(nkledger.loads(elsewhere, origin="two-parts.toml"))
        assert len(report.problems) == 2
        by_claim = {c.claim: c.diagnosis for p in report.problems for c in p.culprits}
        d = by_claim["b-exports"]
        assert d is not None and d.mistake == "unit_slip"
        assert d.implied == Interval(Decimal("120450000"), Decimal("120550000"))

    def test_no_explanation_reads_plainly(self) -> None:
        """A diagnosis with no explanation says so."""
        d = Diagnosis(claim="x", unit="USD", stated=None, implied=None)
        assert d.mistake is None and d.text == "No simple explanation."

    def test_alternatives_are_listed(self) -> None:
        """Further explanations follow the first, by name."""
        d = Diagnosis(claim="x", unit="USD", stated=None, implied=None, explanations=[
            Explanation(mistake="unit_slip", text="A unit slip.", confirmed=True),
            Explanation(mistake="wrong_period", text="…", confirmed=False)])
        assert d.text == "A unit slip. (or: wrong period)"

    def test_every_mistake_has_a_name(self) -> None:
        """The mistakes are distinct."""
        assert len(set(MISTAKES)) == len(MISTAKES)


class TestCarried:
    def test_one_wire_story_appears_once(self) -> None:
        """The same figure from one origin is one entry naming every outlet."""
        ledger = nkledger.loads(SMALL)
        groups = carried(ledger, ["w1-imports", "w2-imports", "a-exports"])
        assert [(g.claims, g.label) for g in groups] == [
            (("w1-imports", "w2-imports"), "Reuters (via CNA and WSO)"),
            (("a-exports",), "Outlet A")]

    def test_many_carriers_are_counted(self) -> None:
        """Past three outlets, the rest are counted."""
        text = SMALL + "".join(f"""
[[source]]
id = "x{k}"
outlet = "Paper {k}"
origin = "Reuters"
[[claim]]
id = "x{k}-imports"
source = "x{k}"
metric = "imports"
period = "2025-09"
value = "$30.2m"
quote = "imports were $30.2m"
""" for k in range(3))
        ledger = nkledger.loads(text)
        ids = ["w1-imports", "w2-imports", "x0-imports", "x1-imports", "x2-imports"]
        (group,) = carried(ledger, ids)
        assert group.label == "Reuters (via CNA, WSO and 3 more)"


class TestImplied:
    def test_only_informative_figures(self) -> None:
        """Reported, unbounded, zero-floored and tie-dependent figures are left out."""
        p = nkledger.periods.parse_period("2025-09")

        def implied(low: str | None, high: str | None, reported: bool = False,
                    note: str | None = None) -> Implied:
            return Implied(metric="m", period=p, unit="USD",
                           low=None if low is None else Decimal(low),
                           high=None if high is None else Decimal(high),
                           reported=reported, note=note)

        keep = implied("5", "7")
        shown, disagree = notable_implied([
            keep, implied("0", "9"), implied("5", None), implied("5", "7", reported=True),
            implied("5", "7", note="other best repairs give …")])
        assert shown == (keep,) and disagree == 1


class TestScorecard:
    def test_counts_are_kept_apart(self, seed) -> None:  # type: ignore[no-untyped-def]
        """Culprits outright and tied alternatives are counted separately."""
        rows = {s.outlet: s for s in scorecard(seed.ledger, seed.problems)}
        clash = rows["Clash Report"]
        assert (clash.claims, clash.in_problems, clash.culprits, clash.tied) == (5, 5, 0, 4)
        assert rows["Korea JoongAng Daily"].tied == 1


#: The diagnosis' name for each mistake the strategies make.
NAMES = {"unit_slip": "unit_slip", "transposed_digits": "transposed_digits",
         "wrong_month": "wrong_period", "wrong_sign": "wrong_sign",
         "exports_as_total": "part_as_total", "wrong_base": "wrong_base"}


def _named(ledger: nkledger.Ledger, bad: str, kind: str) -> bool:
    """Whether the report's diagnosis of *bad* names the mistake that was made.

    Where the truth gave the asked mistake nothing to contradict, the strategies make a
    unit slip instead; a first explanation of "unit slip" then names the mistake made.
    """
    for problem in nkledger.check(ledger).problems:
        for culprit in problem.culprits:
            if culprit.claim == bad and culprit.diagnosis is not None:
                names = [e.mistake for e in culprit.diagnosis.explanations]
                return NAMES[kind] in names or names[:1] == ["unit_slip"]
    return False


class TestDiagnosisProperty:
    @pytest.mark.parametrize("kind", sorted(NAMES))
    def test_names_the_mistake_made(self, kind: str) -> None:
        """Over corrupted ledgers, the diagnosis names the mistake made at least 90 % of the time.

        A bounded sample per kind (a fifth of the profile's examples); the benchmark
        ``benchmarks/bench_diagnosis.py`` measures the rates on larger samples.
        """
        from hypothesis import HealthCheck, Phase, given
        from hypothesis import settings as hsettings

        from nkledger.strategies import corrupted_ledgers

        tally: list[bool] = []

        @hsettings(max_examples=max(hsettings.default.max_examples // 5, 10), deadline=None,
                   database=None, derandomize=True, phases=[Phase.generate],
                   suppress_health_check=list(HealthCheck))
        @given(corrupted_ledgers(mistakes=(kind,), min_corruptions=1, max_corruptions=1,
                                 max_size=6))
        def sample(case: tuple[nkledger.Ledger, frozenset[str]]) -> None:
            ledger, bad = case
            tally.append(_named(ledger, next(iter(bad)), kind))

        sample()
        assert len(tally) >= 10
        assert sum(tally) / len(tally) >= 0.9, (kind, sum(tally), len(tally))


class TestScorecardCounts:
    """Counting by source at once gives what counting claim by claim gives."""

    @given(strategies.ledgers(max_size=10), st.data())
    def test_counts_are_claim_by_claim(self, ledger: Ledger, data: st.DataObject) -> None:
        """Each outlet's claims, in problems, culprits and tied culprits, claim by claim."""
        ids = [c.id for c in ledger.claims] + ["not-a-claim"]
        problems = []
        for k in range(data.draw(st.integers(0, 3))):
            claims = tuple(data.draw(st.lists(st.sampled_from(ids), max_size=4)))
            culprits = tuple(Culprit(claim=c, in_every_repair=data.draw(st.booleans()))
                             for c in data.draw(st.lists(st.sampled_from(ids), max_size=3)))
            problems.append(Problem(number=k + 1, headline="h", claims=claims,
                                    culprits=culprits))
        in_problems = {c for p in problems for c in p.claims}
        every = {c.claim for p in problems for c in p.culprits if c.in_every_repair}
        tied = {c.claim for p in problems for c in p.culprits if not c.in_every_repair}
        careful: dict[str, list[int]] = {s.label: [0, 0, 0, 0] for s in ledger.sources}
        for claim in ledger.claims:
            row = careful[ledger.source_of(claim).label]
            row[0] += 1
            row[1] += claim.id in in_problems
            row[2] += claim.id in every
            row[3] += claim.id in tied
        got = scorecard(ledger, problems)
        assert [(o.outlet, o.claims, o.in_problems, o.culprits, o.tied) for o in got] == [
            (label, *row) for label, row in careful.items()]
