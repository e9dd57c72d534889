"""Tests for drafting claims from text: figures, metrics, periods, kinds, and what is left."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import nkledger
from nkledger.draft import draft, find_figures, published_date

ROOT = Path(__file__).resolve().parent.parent

# Terms as a user would declare them for South Korea–China trade: nothing here comes
# from the seed articles.
LEDGER = nkledger.loads("""
[[metric]]
id = "exports"
terms = ["exports", "South Korea's exports to China", "shipments abroad"]
[[metric]]
id = "imports"
terms = ["imports", "China's exports to South Korea"]
[[metric]]
id = "total"
terms = ["two-way trade", "bilateral trade"]
[[metric]]
id = "chips"
terms = ["semiconductor exports", "chip exports"]
part_of = "exports"
[[identity]]
total = ["exports", "imports"]
""")


def drafted(text: str, published: date | None = None) -> list[tuple[str, str, str, str, str]]:
    """(metric, period, kind, figure/rank/direction, change) of every draft, in order."""
    out = []
    for c in draft(text, LEDGER, published=published).claims:
        what = c.value.text if c.value else c.rank.text if c.rank else str(c.direction)
        out.append((c.metric, str(c.period), c.kind, what, str(c.change)))
    return out


class TestFindFigures:
    @pytest.mark.parametrize(("text", "value"), [
        ("to $2.7bn (R44.2bn)", ["$2.7bn", "R44.2bn"]),
        ("climbed 33% to US$1.05 billion", ["33%", "US$1.05 billion"]),
        ("from $37.6mn a year earlier", ["$37.6mn"]),
        ("rose about 30 percent", ["about 30 percent"]),
        ("reached 120.5 billion yuan", ["120.5 billion yuan"]),
        ("worth about €4.5bn", ["about €4.5bn"]),
        ("nearly two-point-three billion U.S. dollars", ["nearly 2.3 billion dollars"]),
        ("grew twenty-five percent", ["25 percent"]),
        ("exceeded $6.5 billion in 2013", ["exceeded $6.5 billion"]),
        ("surged 30.75% year-on-year", ["30.75%"]),
    ])
    def test_figures_as_written(self, text: str, value: list[str]) -> None:
        """Money and percentages are found with their qualifier, readable by parse_figure."""
        assert [f.value for f in find_figures(text)] == value

    @pytest.mark.parametrize("text", [
        "About 2,000 workers were sent in 2025.", "on September 4 2025", "COVID-19",
        "a roughly 98-kilometer (61-mile) stretch", "two leaders in six years",
        "the 80th anniversary", "(0/250자)",
    ])
    def test_counts_and_dates_are_not_figures(self, text: str) -> None:
        """Counts, years, dates and lengths are not money or rates."""
        assert find_figures(text) == []

    @given(st.decimals(min_value=Decimal("0.1"), max_value=Decimal("999.9"), places=1),
           st.sampled_from(["m", "bn", " million", " billion"]))
    def test_any_written_dollar_amount_is_found_exactly(self, number: Decimal, scale: str) -> None:
        """Every "$N.Nbn"-style amount in a sentence is found with its digits intact."""
        text = f"Exports rose to ${number}{scale} in May."
        (found,) = find_figures(text)
        assert found.value == f"${number}{scale}"
        assert found.figure.number == number


class TestPublishedDate:
    @pytest.mark.parametrize(("text", "day"), [
        (" date 2026-01-20 Share current article", date(2026, 1, 20)),
        ("Headline\nPublished: 19 Dec. 2025, 19:51\nBody", date(2025, 12, 19)),
        ("Title\n\nJuly 19, 2025Clash Report\n", date(2025, 7, 19)),
    ])
    def test_marked_dates(self, text: str, day: date) -> None:
        """A date marked as the publication date, or opening a line, is the article's."""
        found = published_date(text)
        assert found is not None and found[0] == day

    def test_event_dates_are_not_publication_dates(self) -> None:
        """A date inside a sentence (a photo caption's) is not taken for the article's."""
        assert published_date("Kim and Xi in Beijing, China, on September 4 2025.") is None


class TestDraft:
    @pytest.mark.parametrize(("text", "published", "expected"), [
        ("South Korea's exports to China fell 12.5% year-on-year to $10.2 billion in March, "
         "the trade ministry said.", date(2024, 4, 1),
         [("exports", "2024-03", "change", "-12.5%", "yoy"),
          ("exports", "2024-03", "level", "$10.2 billion", "None")]),
        ("Imports rose 3 percent on a month-on-month basis in February to 1.2 billion dollars.",
         date(2024, 3, 15),
         [("imports", "2024-02", "change", "3 percent", "mom"),
          ("imports", "2024-02", "level", "1.2 billion dollars", "None")]),
        ("In the first quarter, two-way trade totalled US$45.3 billion, up 8.1% from a year "
         "earlier.", date(2024, 4, 20),
         [("total", "2024-Q1", "level", "US$45.3 billion", "None"),
          ("total", "2024-Q1", "change", "8.1%", "yoy")]),
        ("For the January-August period, exports reached 120.5 billion yuan.", date(2024, 9, 10),
         [("exports", "2024-01..2024-08", "level", "120.5 billion yuan", "None")]),
        ("Imports slumped 20 percent in 2023 from the previous year.", date(2024, 1, 20),
         [("imports", "2023", "change", "-20 percent", "yoy")]),
        ("Bilateral trade reached nearly two-point-three billion U.S. dollars last year, "
         "customs data showed.", date(2025, 2, 10),
         [("total", "2024", "level", "nearly 2.3 billion dollars", "None")]),
        ("Exports grew more than 10% in the second half of 2023.", date(2024, 2, 1),
         [("exports", "2023-H2", "change", "more than 10%", "yoy")]),
        ("Exports were worth about €4.5bn in May 2024.", date(2024, 6, 1),
         [("exports", "2024-05", "level", "about €4.5bn", "None")]),
        ("Exports jumped 25 per cent in Q3 2024.", None,
         [("exports", "2024-Q3", "change", "25 per cent", "yoy")]),
        ("Semiconductor exports dropped 5% in the first 10 months of the year.",
         date(2024, 11, 3),
         [("chips", "2024-01..2024-10", "change", "-5%", "yoy")]),
    ])
    def test_levels_and_changes(self, text: str, published: date | None,
                                expected: list[tuple[str, ...]]) -> None:
        """Newswire sentences give the metric, period, kind and signed figure as written."""
        assert drafted(text, published) == expected

    def test_a_month_without_a_year_is_the_latest_before_publication(self) -> None:
        """"in December" in an article of January 2026 is December 2025."""
        assert drafted("Exports fell 3% in December.", date(2026, 1, 20))[0][1] == "2025-12"
        assert drafted("Exports fell 3% in November.", date(2025, 12, 19))[0][1] == "2025-11"

    def test_a_prior_level_is_for_its_own_period(self) -> None:
        """"down from $33.0 billion in the second quarter" is a level for that quarter."""
        assert drafted("Exports in the third quarter were $31.2 billion, down from $33.0 billion "
                       "in the second quarter.", date(2024, 10, 15)) == [
            ("exports", "2024-Q3", "level", "$31.2 billion", "None"),
            ("exports", "2024-Q2", "level", "$33.0 billion", "None"),
            ("exports", "2024-Q3", "direction", "down", "mom"),
        ]

    def test_a_year_earlier_prior_and_a_direction(self) -> None:
        """"also jumped to $52.7m from $37.6mn a year earlier": two levels and a rise yoy."""
        text = ("In December alone, exports rose 21.2% from a year earlier to $257.4m. "
                "Imports also jumped to $52.7m from $37.6mn a year earlier.")
        assert drafted(text, date(2026, 1, 20))[-3:] == [
            ("imports", "2025-12", "level", "$52.7m", "None"),
            ("imports", "2024-12", "level", "$37.6mn", "None"),
            ("imports", "2025-12", "direction", "up", "yoy"),
        ]

    def test_ranks(self) -> None:
        """"the lowest level since March 2020" after a figure ranks that figure's period."""
        assert drafted("Exports fell to $5.1 billion in April. It was the lowest level since "
                       "March 2020.", date(2024, 5, 15)) == [
            ("exports", "2024-04", "level", "$5.1 billion", "None"),
            ("exports", "2024-04", "direction", "down", "None"),
            ("exports", "2024-04", "rank", "lowest since 2020-03", "None"),
        ]
        assert ("exports", "2024-12", "rank", "a record", "None") in drafted(
            "Exports hit a record high of $60.2 billion in December.", date(2025, 1, 2))

    def test_first_decline_is_a_rank_of_changes(self) -> None:
        """"August's first decline of 2025" ranks August's change, not the clause's month."""
        text = ("Exports rose 30% year-on-year in September. The rebound follows August's "
                "first decline of 2025.")
        assert drafted(text, date(2025, 10, 20))[-1] == (
            "exports", "2025-08", "rank", "first decline of 2025", "yoy")

    def test_mirrored_flow_terms(self) -> None:
        """A term "A's exports to B" also reads "B's imports from A" as the same metric."""
        assert drafted("China’s imports from South Korea rose 5% in May.",
                       date(2024, 6, 1)) == [("exports", "2024-05", "change", "5%", "yoy")]

    def test_unknown_metric_is_a_comment_not_a_claim(self) -> None:
        """A figure about something the ledger has no metric for is kept as a comment."""
        result = draft("Tourism revenue rose 15% to $3 billion in 2024.", LEDGER,
                       published=date(2025, 1, 5))
        assert result.claims == ()
        assert [o.written for o in result.omitted] == ["15%", "$3 billion"]
        assert "\n# not drafted: '15%': no metric" in result.to_toml()

    def test_no_period_is_a_comment(self) -> None:
        """A headline rise with no period is left as a comment, not guessed."""
        result = draft("Exports surge as demand recovers", LEDGER, published=date(2025, 1, 5))
        assert result.claims == () and "no period" in result.omitted[0].reason

    def test_nouns_are_not_directions(self) -> None:
        """"driving this surge" or "a sharp rise in" states no direction of a metric."""
        assert drafted("Chip exports were $9bn in May, driving this surge.", date(2024, 6, 1)) \
            == [("chips", "2024-05", "level", "$9bn", "None")]

    def test_the_same_figure_twice_is_one_claim(self) -> None:
        """A headline repeating the body's figure in the same words gives one draft."""
        text = ("Exports rose nearly 30% in the first half of 2025\n"
                "Exports surged nearly 30% year-on-year between January and June 2025.")
        assert drafted(text) == [("exports", "2025-H1", "change", "nearly 30%", "yoy")]

    def test_drafts_are_marked_and_explained(self) -> None:
        """Every draft has status "draft", a note of what was guessed and its sentence."""
        text = "Imports rose 3% in February."
        (claim,) = draft(text, LEDGER, published=date(2024, 3, 1)).claims
        assert claim.status == "draft" and claim.is_draft
        assert claim.quote == text
        assert claim.note is not None and "yoy (not stated; guessed)" in claim.note

    def test_toml_output_loads_with_the_ledger(self) -> None:
        """The printed tables, appended to the ledger, load as a valid ledger."""
        text = ("Exports fell 12.5% to $10.2 billion in March. Imports rose to $5bn. "
                "Tourism revenue was $3bn.")
        result = draft(text, LEDGER, outlet="Example Wire", published=date(2024, 4, 1))
        ledger = nkledger.loads(nkledger.dumps(LEDGER) + "\n" + result.to_toml())
        assert len(ledger.claims) == len(result.claims) == 4  # imports: a level and a rise
        assert ledger.sources[0].id == "example-wire-2024-04-01"
        assert "# not drafted: '$3bn'" in result.to_toml()

    def test_existing_source_is_reused(self) -> None:
        """--source naming a source of the ledger attaches the drafts to it, no new table."""
        ledger = nkledger.loads(nkledger.dumps(LEDGER) + '\n[[source]]\nid = "s"\n'
                                'published = 2024-04-02\n')
        result = draft("Exports fell 2% in March.", ledger, source="s")
        assert not result.new_source and result.claims[0].source == "s"
        assert str(result.claims[0].period) == "2024-03"

    @given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]),
                   max_size=300))
    def test_never_crashes(self, text: str) -> None:
        """Any text drafts without an exception, and every draft is a valid claim."""
        result = draft(text, LEDGER, published=date(2025, 1, 1))
        nkledger.loads(nkledger.dumps(LEDGER) + "\n" + result.to_toml())


class TestSeedArticles:
    def test_every_seed_source_names_its_article(self) -> None:
        """Each seed source points at its article, which ships in examples/articles/."""
        seed = nkledger.load(ROOT / "examples" / "china_dprk_2025.toml")
        for source in seed.sources:
            assert source.file is not None
            assert (ROOT / "examples" / source.file).is_file()

    def test_benchmark_targets(self) -> None:
        """The draft benchmark meets its targets on the seed articles (see benchmarks/)."""
        import importlib.util

        spec = importlib.util.spec_from_file_location(
            "bench_draft", ROOT / "benchmarks" / "bench_draft.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        assert module.main([]) == 0
