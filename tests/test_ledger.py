"""Tests for the ledger: lookups, and validation that reports every problem at once."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nkledger import strategies as nks
from nkledger.claims import Claim, Identity, Metric, Source, parse_rank
from nkledger.exceptions import (
    InvalidEntryError,
    InvalidLedgerError,
    LedgerError,
    UnknownReferenceError,
)
from nkledger.figures import parse_figure
from nkledger.io import load
from nkledger.ledger import Ledger
from nkledger.periods import parse_period

METRICS = (
    Metric(id="cn_exports", line=1),
    Metric(id="cn_imports", line=2),
    Metric(id="total", line=3),
    Metric(id="cn_exports_hair", part_of="cn_exports", line=4),
    Metric(id="share", unit="%", aggregate=None, line=5),
)
IDENTITIES = (Identity(whole="total", parts=("cn_exports", "cn_imports")),)
SOURCES = (Source(id="wire", outlet="Example Wire", line=6), Source(id="anon", line=7))


def claim(id: str = "c", line: int | None = 10, **fields: object) -> Claim:
    """A claim about total trade in 2025 from "wire", with *fields* on top."""
    base: dict[str, object] = {
        "id": id, "source": "wire", "metric": "total", "period": "2025",
        "quote": "Two-way trade value in 2025 rose 25% from a year earlier to $2.7bn",
        "line": line,
    }
    base.update(fields)
    for name in ("value", "low", "high"):
        if isinstance(base.get(name), str):
            base[name] = parse_figure(str(base[name]))
    base["period"] = parse_period(str(base["period"]))
    if isinstance(base.get("change"), str) and base["change"] not in ("yoy", "mom"):
        base["change"] = parse_period(str(base["change"]))
    if isinstance(base.get("rank"), str):
        base["rank"] = parse_rank(str(base["rank"]), base["period"])  # type: ignore[arg-type]
    return Claim(**base)  # type: ignore[arg-type]


def ledger(*claims: Claim, **fields: object) -> Ledger:
    """A ledger of the standard metrics and sources holding *claims*."""
    parts: dict[str, object] = {"metrics": METRICS, "identities": IDENTITIES,
                                "sources": SOURCES, "claims": claims, "origin": "t.toml"}
    parts.update(fields)
    return Ledger(**parts)  # type: ignore[arg-type]


def problems(*claims: Claim, **fields: object) -> list[str]:
    """The one-line problems a ledger of *claims* has."""
    with pytest.raises(InvalidLedgerError) as info:
        ledger(*claims, **fields)
    return [str(exc) for exc in info.value.exceptions]


class TestLookups:
    """Finding metrics, sources and claims by id."""

    def test_lookups(self) -> None:
        """Each id finds its object; the source of a claim is found from the claim."""
        c = claim(value="$2.7bn")
        book = ledger(c)
        assert book.metric("total") is METRICS[2]
        assert book.source("wire") is SOURCES[0]
        assert book.claim("c") is c
        assert book.source_of(c) is SOURCES[0]
        assert list(book) == [c]
        assert len(book) == 1

    @pytest.mark.parametrize("kind", ["metric", "source", "claim"])
    def test_unknown(self, kind: str) -> None:
        """An unknown id is an UnknownReferenceError (a LookupError) naming it."""
        book = ledger()
        with pytest.raises(UnknownReferenceError, match="'nope'"):
            getattr(book, kind)("nope")
        with pytest.raises(LookupError):
            getattr(book, kind)("nope")

    def test_children(self) -> None:
        """The metrics declared part of a metric."""
        book = ledger()
        assert book.children("cn_exports") == (METRICS[3],)
        assert book.children("cn_imports") == ()

    def test_equality_ignores_origin(self) -> None:
        """Two ledgers with the same content are equal wherever they came from."""
        assert ledger(claim(value="$2.7bn")) == ledger(claim(value="$2.7bn"), origin="x")
        assert ledger(claim(value="$2.7bn")) != ledger(claim(value="$2.8bn"))

    def test_empty(self) -> None:
        """An empty ledger is valid."""
        assert len(Ledger()) == 0


class TestClaimValidation:
    """Every claim problem is one line with file, line, claim id and value."""

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"source": "nobody"},
             "t.toml:10: claim 'c': source 'nobody': no such source in the ledger"),
            ({"metric": "exports"},
             "t.toml:10: claim 'c': metric 'exports': no such metric in the ledger"),
            ({"value": None},
             "t.toml:10: claim 'c': states nothing: give a value, a rank or a direction"),
            ({"direction": "up"},
             "t.toml:10: claim 'c': states value and direction: one claim states one thing; "
             "split it into 2 claims with the same quote"),
            ({"quote": "  "},
             "t.toml:10: claim 'c': quote is empty: every claim keeps the words it came from"),
            ({"change": "yoy"},
             "t.toml:10: claim 'c': value '$2.7bn': a change must be a percentage such as "
             "'25%'"),
            ({"value": "25%"},
             "t.toml:10: claim 'c': value '25%': a level of 'total' must be in USD, not a "
             "percentage (is 'change' missing?)"),
            ({"value": "2.7 billion"},
             "t.toml:10: claim 'c': value '2.7 billion': unit none does not fit metric "
             "'total' in USD"),
            ({"metric": "share", "value": "$2.7bn"},
             "t.toml:10: claim 'c': value '$2.7bn': unit USD does not fit metric 'share' in %"),
            ({"value": None, "direction": "up", "low": "$2bn"},
             "t.toml:10: claim 'c': low '$2bn': only a claim with a value can override it"),
            ({"high": "30%"},
             "t.toml:10: claim 'c': high '30%': unit % differs from value '$2.7bn'"),
            ({"low": "$2.8bn", "high": "$2.6bn"},
             "t.toml:10: claim 'c': low '$2.8bn' exceeds high '$2.6bn'"),
            ({"low": "$2.8bn"},
             "t.toml:10: claim 'c': low '$2.8bn' is above the high end of value '$2.7bn' "
             "($2.75bn in the strict reading)"),
            ({"high": "$2.6bn"},
             "t.toml:10: claim 'c': high '$2.6bn' is below the low end of value '$2.7bn' "
             "($2.65bn in the strict reading)"),
            ({"value": None, "direction": "sideways"},
             "t.toml:10: claim 'c': direction 'sideways': must be 'up' or 'down'"),
            ({"value": "25%", "change": "2025-Q4"},
             "t.toml:10: claim 'c': change '2025-Q4': the base must end before 2025 starts"),
            ({"value": "25%", "change": "2026"},
             "t.toml:10: claim 'c': change '2026': the base must end before 2025 starts"),
            ({"low": "about $2.6bn"},
             "t.toml:10: claim 'c': low 'about $2.6bn': an override is an exact end; write "
             "it without 'about'"),
        ],
    )
    def test_problem(self, fields: dict[str, object], message: str) -> None:
        """Each problem reads as the documented line."""
        base: dict[str, Any] = {"value": "$2.7bn", **fields}
        assert problems(claim(**base)) == [message]

    def test_foreign_currency_is_kept(self) -> None:
        """A level in rand on a dollar metric is valid: it is kept, never converted."""
        book = ledger(claim(value="R44.2bn"))
        assert book.claim("c").value is not None
        assert book.claim("c").value.unit == "ZAR"  # type: ignore[union-attr]

    def test_valid_kinds(self) -> None:
        """A level, a change, a rank and a direction are all valid."""
        book = ledger(
            claim("level", value="$2.7bn"),
            claim("change", value="25%", change="yoy"),
            claim("rank", metric="cn_exports", period="2025-12", rank="highest of 2025"),
            claim("direction", metric="cn_imports", period="2025-12", change="yoy",
                  direction="up"),
            claim("share", metric="share", value="30%"),
            claim("override", value="nearly 30%", change="yoy", low="28%"),
        )
        assert [c.kind for c in book] == ["level", "change", "rank", "direction", "level",
                                           "change"]

    def test_override_inside_lenient_only(self) -> None:
        """An override must fit every reading, not only the lenient one."""
        # "nearly 30%": strict [29, 30], lenient [28.5, 30.5]
        assert problems(claim(value="nearly 30%", change="yoy", low="30.2%")) == [
            "t.toml:10: claim 'c': low '30.2%' is above the high end of value 'nearly 30%' "
            "(30% in the strict reading)"]

    def test_duplicate_claim(self) -> None:
        """A duplicate id is reported at the second claim's line."""
        assert problems(claim(value="$2.7bn"), claim(value="$2.8bn", line=20)) == [
            "t.toml:20: claim 'c': duplicate claim id 'c'"]

    def test_many_problems_at_once(self) -> None:
        """Every problem of every claim is reported, one line each, in one error."""
        with pytest.raises(InvalidLedgerError) as info:
            ledger(
                claim("a", line=10, source="nobody", value="$2.7bn"),
                claim("b", line=20, metric="nothing", value="$2.7bn"),
                claim("c", line=30),
                claim("a", line=40, value="$1bn"),
            )
        error = info.value
        assert len(error.exceptions) == 4
        assert all(isinstance(e, InvalidEntryError) for e in error.exceptions)
        assert str(error) == "\n".join([
            "t.toml: 4 problems found",
            "  t.toml:40: claim 'a': duplicate claim id 'a'",
            "  t.toml:10: claim 'a': source 'nobody': no such source in the ledger",
            "  t.toml:20: claim 'b': metric 'nothing': no such metric in the ledger",
            "  t.toml:30: claim 'c': states nothing: give a value, a rank or a direction",
        ])
        assert isinstance(error, LedgerError)
        assert isinstance(error, ExceptionGroup)

    def test_error_group_operations(self) -> None:
        """``except*`` and ``split`` keep the InvalidLedgerError type and message."""
        with pytest.raises(InvalidLedgerError) as info:
            ledger(claim("a", source="nobody", value="$2.7bn"), claim("b"))
        match, rest = info.value.split(
            lambda e: isinstance(e, InvalidEntryError) and "nobody" in e.message)
        assert isinstance(match, InvalidLedgerError) and rest is not None
        assert (len(match.exceptions), len(rest.exceptions)) == (1, 1)
        assert str(match).splitlines()[0] == "t.toml: 2 problems found"
        caught = []
        try:
            raise info.value
        except* InvalidEntryError as group:
            caught.append(group)
        assert len(caught) == 1 and len(caught[0].exceptions) == 2

    def test_entry_error_fields(self) -> None:
        """Each problem carries its file, line and entry for programs to read."""
        with pytest.raises(InvalidLedgerError) as info:
            ledger(claim(source="nobody", value="$2.7bn"))
        (exc,) = info.value.exceptions
        assert isinstance(exc, InvalidEntryError)
        assert (exc.path, exc.line, exc.entry) == ("t.toml", 10, "claim 'c'")
        assert exc.message == "source 'nobody': no such source in the ledger"

    def test_without_origin(self) -> None:
        """A ledger built in code names itself "ledger" and leaves out the file."""
        with pytest.raises(InvalidLedgerError) as info:
            ledger(claim(source="nobody", value="$2.7bn", line=None), origin=None)
        assert str(info.value) == (
            "ledger: 1 problem found\n"
            "  claim 'c': source 'nobody': no such source in the ledger")


class TestStructureValidation:
    """Problems with metrics, sources and identities."""

    def test_duplicate_metric_and_source(self) -> None:
        """Duplicate metric and source ids are reported with their lines."""
        assert problems(
            metrics=(*METRICS, Metric(id="total", line=8)),
            sources=(*SOURCES, Source(id="wire", line=9)),
        ) == [
            "t.toml:8: metric 'total': duplicate metric id 'total'",
            "t.toml:9: source 'wire': duplicate source id 'wire'",
        ]

    def test_part_of(self) -> None:
        """``part_of`` must name a metric and must not loop."""
        assert problems(identities=(), metrics=(
            Metric(id="a", part_of="b", line=1), Metric(id="b", part_of="a", line=2),
            Metric(id="c", part_of="zz", line=3), Metric(id="d", part_of="d", line=4),
        )) == [
            "t.toml:1: metric 'a': part_of makes a cycle through 'a'",
            "t.toml:2: metric 'b': part_of makes a cycle through 'b'",
            "t.toml:3: metric 'c': part_of: unknown metric 'zz'",
            "t.toml:4: metric 'd': part_of makes a cycle through 'd'",
        ]

    def test_part_of_leading_into_a_problem(self) -> None:
        """A metric whose chain reaches a cycle or an unknown metric inherits the problem."""
        assert problems(identities=(), metrics=(
            Metric(id="x", part_of="y", line=1), Metric(id="y", part_of="a", line=2),
            Metric(id="a", part_of="b", line=3), Metric(id="b", part_of="a", line=4),
            Metric(id="p", part_of="q", line=5), Metric(id="q", part_of="zz", line=6),
        )) == [
            "t.toml:1: metric 'x': part_of makes a cycle through 'a'",
            "t.toml:2: metric 'y': part_of makes a cycle through 'a'",
            "t.toml:3: metric 'a': part_of makes a cycle through 'a'",
            "t.toml:4: metric 'b': part_of makes a cycle through 'b'",
            "t.toml:5: metric 'p': part_of: unknown metric 'zz'",
            "t.toml:6: metric 'q': part_of: unknown metric 'zz'",
        ]

    def test_deep_part_of_chain(self) -> None:
        """A chain of 3,000 parts is valid, and a loop at its top is found from every link."""
        chain = [Metric(id="m0")] + [Metric(id=f"m{i}", part_of=f"m{i - 1}")
                                     for i in range(1, 3000)]
        assert len(Ledger(metrics=chain).metrics) == 3000
        looped = [Metric(id="m0", part_of="m1"), *chain[1:]]
        with pytest.raises(InvalidLedgerError) as info:
            Ledger(metrics=looped)
        found = [str(e) for e in info.value.exceptions]
        assert len(found) == 3000
        assert found[:2] == ["metric 'm0': part_of makes a cycle through 'm0'",
                             "metric 'm1': part_of makes a cycle through 'm1'"]
        assert found[-1] == "metric 'm2999': part_of makes a cycle through 'm1'"

    @pytest.mark.parametrize("unit", ["USD", "CNY", "KPW", "%", ""])
    def test_known_units(self, unit: str) -> None:
        """Currency codes, '%' and '' (plain numbers) are units."""
        assert Ledger(metrics=[Metric(id="m", unit=unit)]).metric("m").unit == unit

    def test_unknown_unit(self) -> None:
        """Any other unit is refused, with a hint when only the spelling is off."""
        assert problems(identities=(), metrics=(
            Metric(id="a", unit="usd", line=1), Metric(id="b", unit="dollars", line=2),
        )) == [
            "t.toml:1: metric 'a': unit 'usd' is not known; write 'USD': a unit is a "
            "currency code (AUD, BRL, CAD, CNY, EUR, GBP, HKD, INR, JPY, KPW, KRW, RUB, USD, "
            "ZAR), '%', or '' for plain numbers",
            "t.toml:2: metric 'b': unit 'dollars' is not known: a unit is a currency code "
            "(AUD, BRL, CAD, CNY, EUR, GBP, HKD, INR, JPY, KPW, KRW, RUB, USD, ZAR), '%', or "
            "'' for plain numbers",
        ]

    def test_duplicate_parts(self) -> None:
        """An identity naming one part twice is refused."""
        assert problems(identities=(
            Identity(whole="total", parts=("cn_exports", "cn_exports"), line=12),)) == [
            "t.toml:12: identity total = cn_exports + cn_exports: part 'cn_exports' is named "
            "twice: each part counts once"]

    def test_years_of_claims_built_in_python(self) -> None:
        """A claim built in Python is held to the year limits like a parsed one."""
        from nkledger.claims import Rank
        from nkledger.periods import Period

        def built(ident: str, period: Period, **fields: object) -> Claim:
            return Claim(id=ident, source="wire", metric="total", period=period, quote="q",
                         line=10, **fields)  # type: ignore[arg-type]

        assert problems(
            built("a", Period(first=0, last=9999 * 12 + 11), value=parse_figure("$2.7bn")),
            built("b", Period.month(2025, 1), value=parse_figure("5%"),
                  change=Period.month(1700, 1)),
            built("r", Period.month(2025, 12), rank=Rank(
                text="highest since 1066", extreme="highest", since=Period.month(1066, 1))),
        ) == [
            "t.toml:10: claim 'a': period '0000-01..9999-12' lies outside the years "
            "1800–2200 a ledger may name",
            "t.toml:10: claim 'b': change '1700-01' lies outside the years 1800–2200 a ledger "
            "may name",
            "t.toml:10: claim 'r': rank 'highest since 1066': period '1066-01' lies outside "
            "the years 1800–2200 a ledger may name",
        ]

    def test_aggregate(self) -> None:
        """An aggregate other than sum or none is refused."""
        bad = Metric(id="m", aggregate="mean", line=1)  # type: ignore[arg-type]
        assert problems(identities=(), metrics=(bad,)) == [
            "t.toml:1: metric 'm': aggregate must be 'sum' or absent, got 'mean'"]

    def test_identity(self) -> None:
        """An identity must name known metrics and not contain its whole."""
        assert problems(identities=(
            Identity(whole="total", parts=("cn_exports", "exports"), line=12),
            Identity(whole="total", parts=("total", "cn_imports"), line=15),
        )) == [
            "t.toml:12: identity total = cn_exports + exports: unknown metric 'exports'",
            "t.toml:15: identity total = total + cn_imports: a metric cannot be a part of "
            "itself",
        ]


class TestExamples:
    """The ledgers shipped with nkledger are valid."""

    def test_seed(self, root: Path) -> None:
        """The seed ledger loads, with every claim's source and metric known."""
        book = load(root / "examples" / "china_dprk_2025.toml")
        assert len(book) == 41
        for c in book:
            assert book.source_of(c).id == c.source
            assert book.metric(c.metric).id == c.metric
            assert c.quote.strip()


class TestLikeToLike:
    def test_identity_of_mixed_metrics_refused(self) -> None:
        """An identity cannot add a share in percent to a dollar flow."""
        with pytest.raises(InvalidLedgerError) as info:
            Ledger(metrics=[Metric(id="total"), Metric(id="share", unit="%", aggregate=None)],
                   identities=[Identity(whole="total", parts=("share",))])
        assert ("identity total = share: an identity adds like to like: total (USD, sums), "
                "share (%, does not sum)") in str(info.value)

    def test_part_of_mixed_metric_refused(self) -> None:
        """A part must be measured like its parent."""
        with pytest.raises(InvalidLedgerError) as info:
            Ledger(metrics=[Metric(id="total"),
                            Metric(id="coal", unit="CNY", part_of="total")])
        assert ("metric 'coal': part_of 'total': a part must have its parent's unit and "
                "aggregation (USD, sums)") in str(info.value)


class TestSubLedgers:
    @pytest.fixture
    def seed(self, root: Path) -> Ledger:
        return load(root / "examples" / "china_dprk_2025.toml")

    def test_without_drops_claims(self, seed: Ledger) -> None:
        """without() drops the named claims and keeps everything else."""
        first, second = seed.claims[0].id, seed.claims[1].id
        smaller = seed.without([first, second])
        assert len(smaller) == len(seed) - 2
        assert first not in {c.id for c in smaller}
        assert smaller.sources == seed.sources and smaller.metrics == seed.metrics

    def test_without_unknown_id(self, seed: Ledger) -> None:
        """An id the ledger lacks is an error, not a silent no-op."""
        with pytest.raises(UnknownReferenceError, match="nope"):
            seed.without(["nope"])

    def test_select_filters(self, seed: Ledger) -> None:
        """select() keeps the claims that pass every filter given."""
        exports = seed.select(metrics=["cn_exports"], within="2025")
        assert len(exports) > 0
        assert all(c.metric == "cn_exports" and c.period.first >= parse_period("2025").first
                   for c in exports)
        picked = seed.select(lambda c: c.kind == "rank")
        assert {c.kind for c in picked} == {"rank"}

    def test_select_unknown_names(self, seed: Ledger) -> None:
        """A misspelt metric or outlet raises rather than selecting nothing."""
        with pytest.raises(UnknownReferenceError, match="cn_exprots"):
            seed.select(metrics=["cn_exprots"])
        with pytest.raises(UnknownReferenceError, match="Nobody"):
            seed.select(outlets=["Nobody"])


class TestPartsOfValidLedgers:
    """Sub-ledgers built without validating again are the validated ledgers."""

    @pytest.fixture
    def seed(self, root: Path) -> Ledger:
        return load(root / "examples" / "china_dprk_2025.toml")

    @staticmethod
    def validated(ledger: Ledger) -> Ledger:
        return Ledger(metrics=ledger.metrics, identities=ledger.identities,
                      sources=ledger.sources, claims=ledger.claims, origin=ledger.origin)

    def test_select_and_without(self, seed: Ledger) -> None:
        """select() and without() give what Ledger(...) gives, indexes and origin too."""
        for sub in (seed.select(metrics=["total"]), seed.without([seed.claims[0].id]),
                    seed.select(lambda c: False)):
            again = self.validated(sub)
            assert sub == again and sub.origin == again.origin == seed.origin
            for claim in sub:
                assert sub.claim(claim.id) is claim
                assert sub.source_of(claim) == again.source_of(claim)
            assert [sub.metric(m.id) for m in sub.metrics] == list(again.metrics)
            with pytest.raises(UnknownReferenceError):
                sub.without(["nope"])

    def test_pickles(self, seed: Ledger) -> None:
        """A sub-ledger pickles to an equal ledger with working lookups."""
        import pickle

        sub = seed.select(metrics=["total"])
        again = pickle.loads(pickle.dumps(sub))
        assert again == sub
        assert again.claim(sub.claims[0].id) == sub.claims[0]


class TestLedgerPickling:
    """A ledger pickles by its parts; its indexes are rebuilt where it is read back."""

    @given(nks.ledgers())
    def test_round_trip(self, ledger: Ledger) -> None:
        """A pickled ledger reads back equal, with its origin, lines and lookups."""
        ledger = Ledger._part_of_valid(metrics=ledger.metrics, identities=ledger.identities,
                                       sources=ledger.sources, claims=ledger.claims,
                                       origin="t.toml")
        back = pickle.loads(pickle.dumps(ledger))
        assert back == ledger
        assert back.origin == "t.toml"
        assert [c.line for c in back.claims] == [c.line for c in ledger.claims]
        for c in ledger.claims:
            assert back.claim(c.id) == c
            assert back.source_of(c) == ledger.source_of(c)
        for m in ledger.metrics:
            assert back.metric(m.id) == m

    def test_loaded_file_round_trip(self) -> None:
        """The seed ledger survives pickling whole, and checks the same."""
        from nkledger.checks import run_checks

        ledger = load(Path(__file__).parent.parent / "examples" / "china_dprk_2025.toml")
        back = pickle.loads(pickle.dumps(ledger))
        assert back == ledger
        assert run_checks(back) == run_checks(ledger)


_TEXTS = st.sampled_from([None, "$2.7bn", "about $2.7bn", "25%", "-3%", "CNY 5bn", "7 ships",
                          "nearly 30%"])


@st.composite
def odd_claims(draw: st.DrawFn) -> list[Claim]:
    """Claims with unique ids, each of which may break any rule of a claim."""
    made = []
    for k in range(draw(st.integers(0, 6))):
        fields: dict[str, Any] = {
            "id": f"c{k}", "source": draw(st.sampled_from(["wire", "anon", "nobody"])),
            "metric": draw(st.sampled_from(["total", "share", "cn_exports", "nothing"])),
            "period": draw(st.sampled_from(["2025", "2025-03", "2024-Q4"])),
            "quote": draw(st.sampled_from(["said so", " ", ""])),
            "value": draw(_TEXTS),
            "change": draw(st.sampled_from([None, "yoy", "mom", "2024", "2026"])),
            "direction": draw(st.sampled_from([None, "up", "down"])),
            "rank": draw(st.sampled_from([None, None, "highest of 2025"])),
            "low": draw(st.sampled_from([None, None, "$2.6bn", "2%", "about $2bn"])),
            "high": draw(st.sampled_from([None, None, "$2.8bn", "$9bn"])),
        }
        try:
            made.append(Claim(**fields))
        except LedgerError:
            continue
    return made


class TestValidationShortcut:
    """The shortcut for plainly valid claims finds what the rules one by one find."""

    @given(odd_claims())
    def test_claim_problems_are_the_rules_one_by_one(self, claims: list[Claim]) -> None:
        """The claims' problems are each claim's own, checked rule by rule."""
        book = Ledger._part_of_valid(metrics=METRICS, identities=IDENTITIES, sources=SOURCES,
                                     claims=claims, origin="t.toml")
        careful = [str(p) for c in claims for p in book._claim_problems(c)]
        assert [str(p) for p in book._problems()] == careful

    @given(st.lists(st.sampled_from(["a", "b", "c"]), max_size=5))
    def test_duplicates_are_found(self, ids: list[str]) -> None:
        """Every id written again is a problem, however the ledger's indexes were made."""
        claims = [claim(id=i, line=n) for n, i in enumerate(ids)]
        found = problems(*claims) if len(set(ids)) < len(ids) else []
        twice = [f"t.toml:{n}: claim {i!r}: duplicate claim id {i!r}"
                 for n, i in enumerate(ids) if i in ids[:n]]
        assert [p for p in found if "duplicate" in p] == twice
