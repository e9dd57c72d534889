"""Tests for figures: parsing what outlets write, and the intervals each reading admits.

Every expected interval below is worked out by hand from the table in the docstring of
:mod:`nkledger.figures` (*u* the step of the last written digit, *h = u/2*,
*L = max(u, 5 % of the value)*), written in the figure's own scale and multiplied out
by :func:`iv`.
"""

from __future__ import annotations

import pickle
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nkledger import strategies as nks
from nkledger.exceptions import FigureError, LedgerError
from nkledger.figures import (
    MAX_DIGITS,
    QUALIFIERS,
    READINGS,
    Figure,
    format_amount,
    parse_figure,
)
from nkledger.intervals import INF, Interval

BN = Decimal(10) ** 9
M = Decimal(10) ** 6


def iv(low: str | Decimal, high: str | Decimal, scale: Decimal = Decimal(1)) -> Interval:
    """An interval written in *scale* (e.g. billions), in base units."""
    return Interval(Decimal(low) * scale, Decimal(high) * scale)


def readings(figure: Figure) -> tuple[Interval, Interval, Interval]:
    """The strict, default and lenient intervals of *figure*."""
    return figure.interval("strict"), figure.interval("default"), figure.interval("lenient")


class TestParseForms:
    """The written forms of issue 2, read into number, unit, scale and qualifier."""

    @pytest.mark.parametrize(
        ("text", "number", "unit", "scale"),
        [
            ("$2.7bn", "2.7", "USD", BN),
            ("$2.7 billion", "2.7", "USD", BN),
            ("US$2.7 billion", "2.7", "USD", BN),
            ("$257.4m", "257.4", "USD", M),
            ("$37.6mn", "37.6", "USD", M),
            ("$210 million", "210", "USD", M),
            ("$1.05 billion", "1.05", "USD", BN),
            ("30.75%", "30.75", "%", Decimal(1)),
            ("30 percent", "30", "%", Decimal(1)),
            ("30 per cent", "30", "%", Decimal(1)),
            ("-5%", "-5", "%", Decimal(1)),
            ("−5%", "-5", "%", Decimal(1)),
            ("+5%", "5", "%", Decimal(1)),
            ("R44.2bn", "44.2", "ZAR", BN),
            ("2.7 billion yuan", "2.7", "CNY", BN),
            ("RMB 2.7bn", "2.7", "CNY", BN),
            ("CN¥2.7bn", "2.7", "CNY", BN),
            ("USD 2.7bn", "2.7", "USD", BN),
            ("2.7 billion dollars", "2.7", "USD", BN),
            ("€3.5m", "3.5", "EUR", M),
            ("300 million won", "300", "KRW", M),
            ("$1,234.5m", "1234.5", "USD", M),
            ("-$5.2m", "-5.2", "USD", M),
            ("$-5.2m", "-5.2", "USD", M),
            ("1,200", "1200", "", Decimal(1)),
            ("$2.70bn", "2.70", "USD", BN),
        ],
    )
    def test_form(self, text: str, number: str, unit: str, scale: Decimal) -> None:
        """Each form gives the written digits exactly, its unit and its scale."""
        figure = parse_figure(text)
        assert str(figure.number) == number  # the digits, trailing zeros included
        assert figure.unit == unit
        assert figure.scale == scale
        assert figure.qualifier is None
        assert figure.text == text
        assert str(figure) == text

    def test_value_is_exact(self) -> None:
        """``value`` is the number times the scale, as an exact decimal."""
        assert parse_figure("$2.7bn").value == Decimal("2700000000")
        assert parse_figure("$257.4m").value == Decimal("257400000")
        assert parse_figure("30.75%").value == Decimal("30.75")

    def test_long_numbers_are_exact(self) -> None:
        """Digits beyond the decimal context's 28 are kept, negative numbers included."""
        digits = "1234567890123456789012345678901.5"
        assert str(parse_figure(f"-{digits}%").number) == f"-{digits}"
        assert str(parse_figure("-0%").number) == "-0"

    def test_whitespace_is_normalised(self) -> None:
        """Runs of spaces and non-breaking spaces read like one space; the text is kept."""
        figure = parse_figure("  about\u00a0$2.7   billion ")
        assert (figure.number, figure.unit, figure.scale, figure.qualifier) == (
            Decimal("2.7"), "USD", BN, "about")
        assert figure.text == "  about\u00a0$2.7   billion "

    def test_is_percent(self) -> None:
        """Only figures in percentage points are percentages."""
        assert parse_figure("30 percent").is_percent
        assert not parse_figure("$30m").is_percent

    def test_rand_is_never_dollars(self) -> None:
        """"R44.2bn" is rand, kept as ZAR, never mixed with US dollars."""
        figure = parse_figure("R44.2bn")
        assert figure.unit == "ZAR"
        assert figure.interval() == iv("44.15", "44.25", BN)

    def test_brazilian_real_is_not_rand(self) -> None:
        """"R$" is the Brazilian real, not rand."""
        assert parse_figure("R$5m").unit == "BRL"


class TestQualifierWords:
    """Every qualifier word of issue 2 maps to its canonical qualifier."""

    @pytest.mark.parametrize(
        ("word", "canonical"),
        [
            ("about", "about"), ("around", "about"), ("some", "about"),
            ("roughly", "about"), ("approximately", "about"),
            ("nearly", "nearly"), ("almost", "nearly"), ("close to", "nearly"),
            ("just under", "nearly"),
            ("more than", "more than"), ("over", "more than"), ("exceeded", "more than"),
            ("above", "more than"),
            ("less than", "less than"), ("under", "less than"), ("below", "less than"),
            ("at least", "at least"), ("at most", "at most"),
        ],
    )
    def test_word(self, word: str, canonical: str) -> None:
        """The word, in any case, before any figure gives the canonical qualifier."""
        for text in (f"{word} $2.7bn", f"{word.upper()} 30%", f"{word.title()} -5%"):
            assert parse_figure(text).qualifier == canonical

    def test_longest_word_wins(self) -> None:
        """"just under" is "nearly", not "under"; "no less than" is "at least"."""
        assert parse_figure("just under 30%").qualifier == "nearly"
        assert parse_figure("no less than 30%").qualifier == "at least"
        assert parse_figure("under 30%").qualifier == "less than"

    def test_word_must_stand_alone(self) -> None:
        """A qualifier is a whole word: "overall 30%" is not "over 30%"."""
        with pytest.raises(FigureError, match="overall 30%"):
            parse_figure("overall 30%")

    def test_tilde(self) -> None:
        """"~" is "about", with or without a space."""
        assert parse_figure("~$2.7bn").qualifier == "about"
        assert parse_figure("~ 30%").qualifier == "about"

    def test_every_listed_word_parses(self) -> None:
        """Every word listed in QUALIFIERS is understood before a figure."""
        for canonical, words in QUALIFIERS.items():
            for word in words:
                assert parse_figure(f"{word} 5%").qualifier == canonical


class TestUnqualifiedIntervals:
    """Precision comes from the written digits: half a unit of the last digit either side."""

    @pytest.mark.parametrize(
        ("text", "strict", "default", "lenient"),
        [
            # u = 0.1 bn, h = 0.05 bn; no trailing zero to doubt
            ("$2.7bn", iv("2.65", "2.75", BN), iv("2.65", "2.75", BN),
             iv("2.65", "2.75", BN)),
            ("$2.7 billion", iv("2.65", "2.75", BN), iv("2.65", "2.75", BN),
             iv("2.65", "2.75", BN)),
            ("US$2.7 billion", iv("2.65", "2.75", BN), iv("2.65", "2.75", BN),
             iv("2.65", "2.75", BN)),
            # u = 0.1 m
            ("$257.4m", iv("257.35", "257.45", M), iv("257.35", "257.45", M),
             iv("257.35", "257.45", M)),
            ("$37.6mn", iv("37.55", "37.65", M), iv("37.55", "37.65", M),
             iv("37.55", "37.65", M)),
            # u = 1 m; the lenient reading doubts the trailing zero: u = 10 m
            ("$210 million", iv("209.5", "210.5", M), iv("209.5", "210.5", M),
             iv("205", "215", M)),
            # u = 0.01 bn
            ("$1.05 billion", iv("1.045", "1.055", BN), iv("1.045", "1.055", BN),
             iv("1.045", "1.055", BN)),
            # u = 0.01 points
            ("30.75%", iv("30.745", "30.755"), iv("30.745", "30.755"),
             iv("30.745", "30.755")),
            # u = 1 point; lenient doubts the zero of "30": u = 10
            ("30 percent", iv("29.5", "30.5"), iv("29.5", "30.5"), iv("25", "35")),
            # a negative figure: the same rules on its size, mirrored
            ("-5%", iv("-5.5", "-4.5"), iv("-5.5", "-4.5"), iv("-5.5", "-4.5")),
            ("R44.2bn", iv("44.15", "44.25", BN), iv("44.15", "44.25", BN),
             iv("44.15", "44.25", BN)),
            ("2.7 billion yuan", iv("2.65", "2.75", BN), iv("2.65", "2.75", BN),
             iv("2.65", "2.75", BN)),
            # "$200m": two trailing zeros doubted, u = 100 m
            ("$200m", iv("199.5", "200.5", M), iv("199.5", "200.5", M), iv("150", "250", M)),
            # zero has no trailing zeros to doubt
            ("0%", iv("-0.5", "0.5"), iv("-0.5", "0.5"), iv("-0.5", "0.5")),
        ],
    )
    def test_readings(
        self, text: str, strict: Interval, default: Interval, lenient: Interval
    ) -> None:
        """The strict, default and lenient intervals are the hand-worked ones."""
        assert readings(parse_figure(text)) == (strict, default, lenient)

    def test_default_reading_is_the_default(self) -> None:
        """``interval()`` without a reading is the default reading."""
        figure = parse_figure("about $2.7bn")
        assert figure.interval() == figure.interval("default")

    def test_trailing_zero_after_the_point_is_never_doubted(self) -> None:
        """"$2.0bn" says its precision with the ".0": even the lenient reading keeps it."""
        figure = parse_figure("$2.0bn")
        assert figure.interval("lenient") == iv("1.95", "2.05", BN)
        assert parse_figure("$2.70bn").interval("lenient") == iv("2.695", "2.705", BN)

    def test_step(self) -> None:
        """``step`` is the unit of the last written digit in base units."""
        assert parse_figure("$2.7bn").step == Decimal("0.1") * BN
        assert parse_figure("30.75%").step == Decimal("0.01")
        assert parse_figure("$210 million").step == M
        assert parse_figure("$210 million").lenient_step == 10 * M

    def test_unknown_reading(self) -> None:
        """A reading outside strict/default/lenient is refused, naming it."""
        with pytest.raises(ValueError, match="'loose'"):
            parse_figure("$2.7bn").interval("loose")  # type: ignore[arg-type]


class TestQualifiedIntervals:
    """Each qualifier's strict, default and lenient readings, worked by hand."""

    @pytest.mark.parametrize(
        ("text", "strict", "default", "lenient"),
        [
            # about: strict ±h, default ±L, lenient ±W (L = max(u, 5%), W = max(u, 10%))
            # u = 0.1 bn, L = max(0.1, 0.135) = 0.135 bn, W = 0.27 bn
            ("about $2.7bn", iv("2.65", "2.75", BN), iv("2.565", "2.835", BN),
             iv("2.43", "2.97", BN)),
            # u = 1, L = max(1, 1.5) = 1.5, W = 3
            ("around 30%", iv("29.5", "30.5"), iv("28.5", "31.5"), iv("27", "33")),
            # u = 0.01 bn, L = max(0.01, 0.063) = 0.063 bn, W = 0.126 bn
            ("some $1.26 billion", iv("1.255", "1.265", BN), iv("1.197", "1.323", BN),
             iv("1.134", "1.386", BN)),
            # u = 1 m, L = max(1, 10.5) = 10.5 m, W = 21 m
            ("roughly $210 million", iv("209.5", "210.5", M), iv("199.5", "220.5", M),
             iv("189", "231", M)),
            # u = 1, L = max(1, 0.25) = 1, W = max(1, 0.5) = 1: no wider than ±u
            ("approximately 5%", iv("4.5", "5.5"), iv("4", "6"), iv("4", "6")),
            # "about $170m" said of $167m: no alarm by default (L = 8.5 m)
            ("about $170m", iv("169.5", "170.5", M), iv("161.5", "178.5", M),
             iv("153", "187", M)),
            # nearly: strict [v-u, v], default [v-L, v], lenient [v-W, v+h]
            ("nearly 30%", iv("29", "30"), iv("28.5", "30"), iv("27", "30.5")),
            # "nearly $170m" said of $167m: no alarm by default
            ("nearly $170m", iv("169", "170", M), iv("161.5", "170", M),
             iv("153", "170.5", M)),
            # u = 0.1 bn, L = 0.135 bn, W = 0.27 bn, h = 0.05 bn
            ("almost $2.7bn", iv("2.6", "2.7", BN), iv("2.565", "2.7", BN),
             iv("2.43", "2.75", BN)),
            # u = 0.1, L = max(0.1, 0.025) = 0.1 = W, h = 0.05
            ("close to 0.5%", iv("0.4", "0.5"), iv("0.4", "0.5"), iv("0.4", "0.55")),
            # u = 0.1 bn, L = max(0.1, 0.325) = 0.325 bn, W = 0.65 bn
            ("just under $6.5bn", iv("6.4", "6.5", BN), iv("6.175", "6.5", BN),
             iv("5.85", "6.55", BN)),
            # "close to 0%" has no side to fall short on: [-u, u]; W = max(1, 0) = 1
            ("close to 0%", iv("-1", "1"), iv("-1", "1"), iv("-1", "1")),
            # more than / over / exceeded / above: [v, inf], lenient [v-h, inf]
            ("more than $6.5 billion", iv("6.5", INF, BN), iv("6.5", INF, BN),
             iv("6.45", INF, BN)),
            ("over 50%", iv("50", INF), iv("50", INF), iv("49.5", INF)),
            ("exceeded $1bn", iv("1", INF, BN), iv("1", INF, BN), iv("0.5", INF, BN)),
            ("above 10.5%", iv("10.5", INF), iv("10.5", INF), iv("10.45", INF)),
            # less than / under / below: [-inf, v], lenient [-inf, v+h]
            ("less than 1%", iv(-INF, "1"), iv(-INF, "1"), iv(-INF, "1.5")),
            ("under $100m", iv(-INF, "100", M), iv(-INF, "100", M), iv(-INF, "100.5", M)),
            ("below 5.25%", iv(-INF, "5.25"), iv(-INF, "5.25"), iv(-INF, "5.255")),
            # at least / at most
            ("at least $1.2bn", iv("1.2", INF, BN), iv("1.2", INF, BN),
             iv("1.15", INF, BN)),
            ("at most 3%", iv(-INF, "3"), iv(-INF, "3"), iv(-INF, "3.5")),
        ],
    )
    def test_readings(
        self, text: str, strict: Interval, default: Interval, lenient: Interval
    ) -> None:
        """The strict, default and lenient intervals are the hand-worked ones."""
        assert readings(parse_figure(text)) == (strict, default, lenient)

    @pytest.mark.parametrize(
        ("text", "strict", "default", "lenient"),
        [
            # the rules apply to the size, then the interval is mirrored:
            # "about 5": [4.5, 5.5] / L = max(1, 0.25) = 1 -> [4, 6] / W = 1 -> [4, 6]
            ("about -5%", iv("-5.5", "-4.5"), iv("-6", "-4"), iv("-6", "-4")),
            # "nearly 30": [29, 30] / [28.5, 30] / lenient [27, 30.5]
            ("nearly -30%", iv("-30", "-29"), iv("-30", "-28.5"), iv("-30.5", "-27")),
            # "dropped more than 5%": -5 % and below; lenient from -4.5
            ("more than -5%", iv(-INF, "-5"), iv(-INF, "-5"), iv(-INF, "-4.5")),
            # "fell less than 5%": -5 % and above
            ("less than -5%", iv("-5", INF), iv("-5", INF), iv("-5.5", INF)),
            ("at least -2.5%", iv(-INF, "-2.5"), iv(-INF, "-2.5"), iv(-INF, "-2.45")),
            ("at most -10%", iv("-10", INF), iv("-10", INF), iv("-10.5", INF)),
            ("about -$2.7bn", iv("-2.75", "-2.65", BN), iv("-2.835", "-2.565", BN),
             iv("-2.97", "-2.43", BN)),
        ],
    )
    def test_negative_readings(
        self, text: str, strict: Interval, default: Interval, lenient: Interval
    ) -> None:
        """A negative figure follows the same rules on its size, mirrored below zero."""
        assert readings(parse_figure(text)) == (strict, default, lenient)

    @pytest.mark.parametrize(
        ("text", "number", "qualifier", "default"),
        [
            # about (N - 1) x 100 %: L = 5 % of the change
            ("doubled", "100", "about", iv("95", "105")),
            ("twice", "100", "about", iv("95", "105")),
            ("tripled", "200", "about", iv("190", "210")),
            ("trebled", "200", "about", iv("190", "210")),
            ("quadrupled", "300", "about", iv("285", "315")),
            ("halved", "-50", "about", iv("-52.5", "-47.5")),
            ("three times", "200", "about", iv("190", "210")),
            ("3 times", "200", "about", iv("190", "210")),
            ("2.5 times", "150", "about", iv("142.5", "157.5")),
            ("threefold", "200", "about", iv("190", "210")),
            ("3-fold", "200", "about", iv("190", "210")),
            ("a 3.5-fold", "250", "about", iv("237.5", "262.5")),
            ("a fold", None, None, None),
            ("more than doubled", "100", "more than", iv("100", INF)),
            ("nearly doubled", "100", "nearly", iv("95", "100")),
            ("nearly halved", "-50", "nearly", iv("-50", "-47.5")),
            ("a third", "33.33", "about", iv("31.6635", "34.9965")),
            ("-a third", "-33.33", "about", iv("-34.9965", "-31.6635")),
            ("more than a third", "33.33", "more than", iv("33.33", INF)),
            ("two thirds", "66.67", "about", iv("63.3365", "70.0035")),
            ("a quarter", "25", "about", iv("23.75", "26.25")),
            ("half", "50", "about", iv("47.5", "52.5")),
        ],
    )
    def test_changes_in_words(self, text: str, number: str | None, qualifier: str | None,
                              default: Interval | None) -> None:
        """Multiples, "N times", "N-fold" and fractions are changes in percent, as worked."""
        if number is None:
            with pytest.raises(FigureError):
                parse_figure(text)
            return
        figure = parse_figure(text)
        assert (figure.number, figure.unit, figure.qualifier) == (
            Decimal(number), "%", qualifier)
        assert figure.interval() == default

    def test_changes_in_words_nest(self) -> None:
        """strict ⊆ default ⊆ lenient holds for the changes in words too."""
        for text in ("doubled", "nearly tripled", "2.5 times", "a third", "nearly halved"):
            s, d, l_ = readings(parse_figure(text))
            assert d.low <= s.low <= s.high <= d.high
            assert l_.low <= d.low <= d.high <= l_.high

    @given(st.decimals(min_value="0.01", max_value="1000", places=2),
           st.sampled_from(["", "nearly ", "about ", "more than ", "almost "]),
           st.sampled_from([" times", "-fold", "fold", " fold"]))
    def test_n_times_nest_and_grow(self, n: Decimal, qualifier: str, word: str) -> None:
        """Any "N times" / "N-fold" is a change of (N - 1) x 100 %, its readings nested."""
        figure = parse_figure(f"{qualifier}{n}{word}")
        assert figure.unit == "%" and figure.number == (n - 1) * 100
        s, d, l_ = readings(figure)
        assert d.low <= s.low <= s.high <= d.high
        assert l_.low <= d.low <= d.high <= l_.high

    def test_a_sign_before_a_multiple_is_refused(self) -> None:
        """"-doubled" says nothing "doubled" does not: it is refused, quoting the text."""
        with pytest.raises(FigureError, match="'-doubled'"):
            parse_figure("-doubled")


class TestFigureErrors:
    """What cannot be read is refused, quoting the text."""

    @pytest.mark.parametrize(
        "text",
        [
            "2.7 bananas", "$2.7 bn bn", "about", "$", "five percent", "30%%", "1,23",
            "$2.7bn (R44.2bn)", "R 44.2bn", "2.7.1", "n/a",
        ],
    )
    def test_unrecognised(self, text: str) -> None:
        """An unrecognised figure raises FigureError quoting it verbatim."""
        with pytest.raises(FigureError) as info:
            parse_figure(text)
        assert repr(text) in str(info.value)

    @pytest.mark.parametrize("text", ["¥5bn", "about ¥5bn", "-¥5bn"])
    def test_yen_sign_is_ambiguous(self, text: str) -> None:
        """"¥" could be yuan or yen: refused, naming the sign and the text."""
        with pytest.raises(FigureError, match="ambiguous") as info:
            parse_figure(text)
        assert repr(text) in str(info.value)

    def test_two_units(self) -> None:
        """A figure with two different units is refused."""
        with pytest.raises(FigureError, match="two units"):
            parse_figure("$5 yuan")

    def test_percentage_with_scale(self) -> None:
        """"5bn%" makes no sense and is refused."""
        with pytest.raises(FigureError, match="scale word"):
            parse_figure("5bn%")

    @pytest.mark.parametrize("text", ["", "   "])
    def test_empty(self, text: str) -> None:
        """An empty figure is refused."""
        with pytest.raises(FigureError, match="empty"):
            parse_figure(text)

    def test_not_a_string(self) -> None:
        """A float is refused: its digits no longer say how precise the outlet was."""
        with pytest.raises(FigureError, match=r"2\.7"):
            parse_figure(2.7)  # type: ignore[arg-type]

    def test_error_is_a_ledger_error_and_value_error(self) -> None:
        """FigureError is both a LedgerError and a ValueError."""
        with pytest.raises(LedgerError):
            parse_figure("nonsense")
        with pytest.raises(ValueError):
            parse_figure("nonsense")

    def test_constructed_figure_is_validated(self) -> None:
        """A Figure built by hand must have a finite number and a known qualifier."""
        with pytest.raises(FigureError, match="finite"):
            Figure(text="x", number=Decimal("NaN"))
        with pytest.raises(FigureError, match="'circa'"):
            Figure(text="x", number=Decimal(1), qualifier="circa")


class TestFormat:
    """The canonical way of writing a figure, read back by parse_figure."""

    @pytest.mark.parametrize(
        ("text", "formatted"),
        [
            ("US$2.7 billion", "$2.7bn"),
            ("some $1.26 billion", "about $1.26bn"),
            ("$37.6mn", "$37.6m"),
            ("30 percent", "30%"),
            ("-5%", "-5%"),
            ("just under $6.5bn", "nearly $6.5bn"),
            ("R44.2bn", "ZAR 44.2bn"),
            ("2.7 billion yuan", "CNY 2.7bn"),
            ("exceeded -$2.70bn", "more than -$2.70bn"),
            ("1,200", "1200"),
        ],
    )
    def test_format(self, text: str, formatted: str) -> None:
        """Each figure has one canonical spelling."""
        assert parse_figure(text).format() == formatted


class TestFormatAmount:
    """Amounts written for a reader."""

    @pytest.mark.parametrize(
        ("value", "unit", "text"),
        [
            ("2700000000", "USD", "$2.7bn"),
            ("257400000", "USD", "$257.4m"),
            ("150550000", "USD", "$150.55m"),
            ("150551234.5", "USD", "$150.6m"),
            ("-5200000", "USD", "-$5.2m"),
            ("30.75", "%", "30.75%"),
            ("44200000000", "ZAR", "ZAR 44.2bn"),
            ("1200", "", "1.2k"),
            ("0", "USD", "$0"),
            ("999", "USD", "$999"),
            ("999999", "USD", "$999.999k"),
        ],
    )
    def test_amounts(self, value: str, unit: str, text: str) -> None:
        """Money is scaled to k/m/bn/tn; long values are cut to four significant digits."""
        assert format_amount(Decimal(value), unit) == text

    def test_unbounded(self) -> None:
        """Infinite ends read "unbounded"."""
        assert format_amount(INF, "USD") == "unbounded"
        assert format_amount(-INF, "USD") == "-unbounded"

    def test_more_digits(self) -> None:
        """*digits* asks for more significant digits."""
        assert format_amount(Decimal("150551234.5"), "USD", digits=5) == "$150.55m"


# -- properties ------------------------------------------------------------------

# (how the unit is written, the unit it means, whether it is a prefix)
_UNIT_FORMS: list[tuple[str, str, bool]] = [
    ("$", "USD", True), ("US$", "USD", True), ("USD ", "USD", True), ("R", "ZAR", True),
    ("€", "EUR", True), ("RMB ", "CNY", True),
    (" yuan", "CNY", False), (" dollars", "USD", False), (" won", "KRW", False),
    ("", "", False),
]
_PERCENT_FORMS = ["%", " percent", " per cent", " pct"]
_SCALE_WORDS: list[tuple[str, Decimal]] = [
    ("", Decimal(1)), ("k", Decimal(10) ** 3), ("m", M), ("mn", M), (" million", M),
    ("bn", BN), (" billion", BN), (" bn", BN), ("tn", Decimal(10) ** 12),
]
_QUALIFIER_WORDS = [(word, canon) for canon, words in QUALIFIERS.items() for word in words]


@st.composite
def digits(draw: st.DrawFn) -> str:
    """Digits as an outlet writes them: "2", "257.4", "1.05", "30.750"."""
    whole = draw(st.integers(min_value=0, max_value=10**6))
    places = draw(st.integers(min_value=0, max_value=4))
    if places == 0:
        return str(whole)
    fraction = draw(st.integers(min_value=0, max_value=10**places - 1))
    return f"{whole}.{fraction:0{places}d}"


@st.composite
def figure_texts(draw: st.DrawFn) -> tuple[str, Decimal, str, Decimal, str | None]:
    """A figure written by construction, with the number, unit, scale and qualifier it means."""
    number_text = draw(digits())
    negative = draw(st.booleans())
    qualifier = draw(st.none() | st.sampled_from(_QUALIFIER_WORDS))
    if draw(st.booleans()):
        unit_text, unit, prefix = draw(st.sampled_from(_UNIT_FORMS))
        scale_text, scale = draw(st.sampled_from(_SCALE_WORDS))
        if prefix:
            body = f"{unit_text}{number_text}{scale_text}"
        else:
            body = f"{number_text}{scale_text}{unit_text}"
    else:
        unit, scale, scale_text = "%", Decimal(1), ""
        body = f"{number_text}{draw(st.sampled_from(_PERCENT_FORMS))}"
    sign = "-" if negative else ""
    text = f"{sign}{body}"
    if qualifier is not None:
        text = f"{qualifier[0]} {text}"
    number = Decimal(number_text)
    return (text, number.copy_negate() if negative else number, unit, scale,
            None if qualifier is None else qualifier[1])


class TestFigureProperties:
    """Laws every figure obeys."""

    @given(figure_texts())
    def test_parse_by_construction(
        self, case: tuple[str, Decimal, str, Decimal, str | None]
    ) -> None:
        """A figure written from known parts reads back as those parts, digits exact."""
        text, number, unit, scale, qualifier = case
        figure = parse_figure(text)
        assert str(figure.number) == str(number)
        assert (figure.unit, figure.scale, figure.qualifier) == (unit, scale, qualifier)

    @given(figure_texts())
    def test_parse_format_parse(
        self, case: tuple[str, Decimal, str, Decimal, str | None]
    ) -> None:
        """Parse -> format -> parse gives the same digits, unit, scale and qualifier."""
        first = parse_figure(case[0])
        again = parse_figure(first.format())
        assert str(again.number) == str(first.number)
        assert (again.unit, again.scale, again.qualifier) == (
            first.unit, first.scale, first.qualifier)
        assert again.format() == first.format()
        for reading in READINGS:
            assert again.interval(reading) == first.interval(reading)

    @given(figure_texts())
    def test_readings_nest(self, case: tuple[str, Decimal, str, Decimal, str | None]) -> None:
        """Readings nest, strict ⊆ default ⊆ lenient, and each holds the written value."""
        figure = parse_figure(case[0])
        strict, default, lenient = readings(figure)
        assert lenient.low <= default.low <= strict.low
        assert strict.high <= default.high <= lenient.high
        assert strict.contains(figure.value)

    @given(
        true=st.integers(min_value=-(10**13), max_value=10**13),
        cents=st.integers(min_value=0, max_value=4),
        scale=st.sampled_from([("", 0), ("k", 3), ("m", 6), ("bn", 9)]),
        places=st.integers(min_value=0, max_value=3),
        unit=st.sampled_from(["$", "R", "%"]),
    )
    def test_soundness(
        self, true: int, cents: int, scale: tuple[str, int], places: int, unit: str
    ) -> None:
        """A true value, rounded half-up to the written digit, lies in the default interval."""
        value = Decimal(true).scaleb(-cents)
        scale_word, exponent = ("", 0) if unit == "%" else scale
        written = value.scaleb(-exponent).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
        sign = "-" if written.is_signed() else ""
        if unit == "%":
            text = f"{sign}{abs(written)}%"
        else:
            text = f"{sign}{unit}{abs(written)}{scale_word}"
        figure = parse_figure(text)
        assert figure.interval("default").contains(value)
        assert figure.interval("strict").contains(value)

    @given(figure_texts())
    def test_about_admits_the_plain_figure(
        self, case: tuple[str, Decimal, str, Decimal, str | None]
    ) -> None:
        """"about X" admits every value plain "X" admits, in every reading."""
        plain = parse_figure(case[0])
        about = Figure(text="", number=plain.number, unit=plain.unit, scale=plain.scale,
                       qualifier="about")
        unqualified = Figure(text="", number=plain.number, unit=plain.unit, scale=plain.scale)
        for reading in ("strict", "default"):
            inner, outer = unqualified.interval(reading), about.interval(reading)
            assert outer.low <= inner.low and inner.high <= outer.high


class TestLimits:
    """Long figures stay exact; absurd precision and other scripts' digits are refused."""

    def test_long_figure_admits_itself(self) -> None:
        """A 29-digit figure's interval holds its written value, exactly."""
        f = parse_figure("$2.7000000000000000000000000001bn")
        assert f.value == Decimal("2700000000.0000000000000000001")
        for reading in READINGS:
            interval = f.interval(reading)
            assert interval.contains(f.value) and interval.low != interval.high
        assert f.interval() == Interval(Decimal("2700000000.00000000000000000005"),
                                        Decimal("2700000000.00000000000000000015"))

    @given(digits=st.integers(min_value=28, max_value=MAX_DIGITS),
           places=st.integers(min_value=0, max_value=MAX_DIGITS), data=st.data())
    def test_every_long_figure_admits_itself(self, digits: int, places: int,
                                             data: st.DataObject) -> None:
        """Up to MAX_DIGITS digits, every reading's interval holds the written value."""
        places = min(places, digits)
        whole = data.draw(st.integers(10 ** (digits - 1), 10 ** digits - 1))
        text = str(whole)
        written = f"{text[:digits - places] or '0'}.{text[digits - places:]}" if places else text
        scale = data.draw(st.sampled_from(["", "m", "bn", "tn"]))
        qualifier = data.draw(st.sampled_from(["", "about ", "nearly ", "more than "]))
        f = parse_figure(f"{qualifier}${written}{scale}")
        assert f.number == Decimal(written)
        for reading in READINGS:
            assert f.interval(reading).contains(f.value)

    @pytest.mark.parametrize("text", ["1" + "0" * MAX_DIGITS, "0." + "0" * MAX_DIGITS + "1",
                                      "$" + "9" * 1000 + "bn"])
    def test_absurd_precision_refused(self, text: str) -> None:
        """More than MAX_DIGITS digits is refused with a clear error, not rounded."""
        with pytest.raises(FigureError, match=f"more than {MAX_DIGITS} digits"):
            parse_figure(text)

    @pytest.mark.parametrize(("text", "digit"), [("٣٠%", "٣"), ("２７%", "２"),
                                                 ("$2.٧bn", "٧"), ("about ³%", "³")])
    def test_non_ascii_digits_refused(self, text: str, digit: str) -> None:
        """Digits of other scripts are refused, naming the figure and the digit."""
        with pytest.raises(FigureError) as info:
            parse_figure(text)
        assert str(info.value) == (f"figure {text!r}: write the digits as ASCII 0–9 "
                                   f"({digit!r} is not one)")


class TestFigurePickling:
    """Figures pickle by their written fields."""

    @given(nks.figures())
    def test_round_trip(self, figure: Figure) -> None:
        """A pickled figure reads back equal, with the same intervals and canonical form."""
        figure.interval("default")
        back = pickle.loads(pickle.dumps(figure))
        assert back == figure
        assert (back.text, back.number.as_tuple(), back.scale.as_tuple()) == (
            figure.text, figure.number.as_tuple(), figure.scale.as_tuple())
        assert all(back.interval(r) == figure.interval(r) for r in READINGS)


_FIGURE_PIECES = st.sampled_from(["$", "-", "−", "+", "0", "1", "7", "09", ".", ".5", "m",
                                  "bn", "b", "%", " ", "about ", "US", "k", "e3", "1" * 25])


class TestQuickFigures:
    """The figures read at once are those the careful reading gives."""

    @given(st.lists(_FIGURE_PIECES, max_size=6).map("".join))
    def test_same_as_careful(self, text: str) -> None:
        """Any text reads to the same figure, or fails the same way, either way."""
        from nkledger.figures import _read_figure

        try:
            careful = _read_figure(text)
        except FigureError as exc:
            with pytest.raises(FigureError, match=re.escape(str(exc))):
                parse_figure(text)
            return
        quick = parse_figure(text)
        assert quick == careful
        assert (quick.text, quick.number.as_tuple(), quick.unit, quick.scale.as_tuple(),
                quick.qualifier) == (careful.text, careful.number.as_tuple(), careful.unit,
                                     careful.scale.as_tuple(), careful.qualifier)

    @pytest.mark.parametrize("text", ["$82.2m", "$1.3bn", "12.5%", "-3.2%", "-0%", "$0.0m"])
    def test_common_figures(self, text: str) -> None:
        """The common figures read as the careful reading reads them."""
        from nkledger.figures import _read_figure

        assert parse_figure(text) == _read_figure(text)
        assert parse_figure(text).number.as_tuple() == _read_figure(text).number.as_tuple()
