"""Tests for periods: months, quarters, halves, years and cumulative spans."""

from __future__ import annotations

import copy
import os
import pickle
import subprocess
import sys
import textwrap

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nkledger.exceptions import LedgerError, PeriodError
from nkledger.periods import MAX_YEAR, MIN_YEAR, Period, check_years, parse_period


def m(year: int, month: int) -> int:
    """The ordinal of a month."""
    return year * 12 + month - 1


@st.composite
def periods(draw: st.DrawFn) -> Period:
    """Any period from 1990 to 2100, built from its first month and length."""
    first = draw(st.integers(min_value=m(1990, 1), max_value=m(2100, 12)))
    length = draw(st.integers(min_value=1, max_value=36))
    return Period(first=first, last=first + length - 1)


class TestParse:
    """Every written form, and what it covers."""

    @pytest.mark.parametrize(
        ("text", "first", "last", "kind"),
        [
            ("2025-09", m(2025, 9), m(2025, 9), "month"),
            ("2025-9", m(2025, 9), m(2025, 9), "month"),
            ("2025-01", m(2025, 1), m(2025, 1), "month"),
            ("2025-12", m(2025, 12), m(2025, 12), "month"),
            ("2025-Q1", m(2025, 1), m(2025, 3), "quarter"),
            ("2025-Q3", m(2025, 7), m(2025, 9), "quarter"),
            ("2025-q4", m(2025, 10), m(2025, 12), "quarter"),
            ("2025-H1", m(2025, 1), m(2025, 6), "half"),
            ("2025-H2", m(2025, 7), m(2025, 12), "half"),
            ("2025", m(2025, 1), m(2025, 12), "year"),
            ("2025-01..2025-08", m(2025, 1), m(2025, 8), "span"),
            ("2024-11..2025-02", m(2024, 11), m(2025, 2), "span"),
            ("2024-Q4..2025-Q1", m(2024, 10), m(2025, 3), "span"),
            (" 2025-01 .. 2025-08 ", m(2025, 1), m(2025, 8), "span"),
            ("2025-02..2025-02", m(2025, 2), m(2025, 2), "month"),
        ],
    )
    def test_form(self, text: str, first: int, last: int, kind: str) -> None:
        """Each form covers the months it names, and knows its kind."""
        period = parse_period(text)
        assert (period.first, period.last, period.kind) == (first, last, kind)

    @pytest.mark.parametrize(
        ("text", "canonical"),
        [
            ("2025-01..2025-03", "2025-Q1"),
            ("2025-04..2025-06", "2025-Q2"),
            ("2025-01..2025-06", "2025-H1"),
            ("2025-Q3..2025-Q4", "2025-H2"),
            ("2025-01..2025-12", "2025"),
            ("2025-H1..2025-H2", "2025"),
            ("2025-9", "2025-09"),
            ("2025-q2", "2025-Q2"),
            ("2025-02..2025-04", "2025-02..2025-04"),
            ("2025-07..2025-09", "2025-Q3"),
        ],
    )
    def test_normalised(self, text: str, canonical: str) -> None:
        """A span covering a quarter, half or year *is* that period, and prints as it."""
        period = parse_period(text)
        assert str(period) == canonical
        assert period == parse_period(canonical)
        assert hash(period) == hash(parse_period(canonical))

    def test_span_is_not_a_quarter_when_misaligned(self) -> None:
        """Three months that are not a calendar quarter stay a span."""
        assert parse_period("2025-02..2025-04").kind == "span"
        assert parse_period("2025-04..2025-09").kind == "span"
        assert parse_period("2025-07..2026-06").kind == "span"

    @pytest.mark.parametrize(
        ("text", "words"),
        [
            ("2025-13", ["'2025-13'", "01–12", "13"]),
            ("2025-00", ["'2025-00'", "01–12"]),
            ("2025-H3", ["'2025-H3'", "H1 or H2", "H3"]),
            ("2025-H0", ["'2025-H0'", "H1 or H2"]),
            ("2025-Q5", ["'2025-Q5'", "Q1–Q4", "Q5"]),
            ("2025-Q0", ["'2025-Q0'", "Q1–Q4"]),
            ("2025-08..2025-01", ["'2025-08..2025-01'", "runs backwards"]),
            ("2025..2024", ["'2025..2024'", "runs backwards"]),
            ("2025-Q2..2025-04", ["'2025-Q2..2025-04'", "runs backwards"]),
            ("2025-06..2025-Q2", ["'2025-06..2025-Q2'", "runs backwards"]),
            ("2025-01..2025-13", ["'2025-01..2025-13'", "01–12"]),
            ("September 2025", ["'September 2025'", "2025-09"]),
            ("", ["''"]),
            ("garbage", ["'garbage'"]),
            ("25-09", ["'25-09'"]),
            ("2025-09-01", ["'2025-09-01'"]),
            ("2025-01..", ["'2025-01..'"]),
            ("..2025-01", ["'..2025-01'"]),
            ("2025-01..2025-03..2025-06", ["'2025-01..2025-03..2025-06'"]),
        ],
    )
    def test_errors(self, text: str, words: list[str]) -> None:
        """A bad period is a PeriodError naming the text and the rule it breaks."""
        with pytest.raises(PeriodError) as info:
            parse_period(text)
        for word in words:
            assert word in str(info.value)

    def test_not_a_string(self) -> None:
        """A TOML integer such as ``period = 2025`` is refused, naming it."""
        with pytest.raises(PeriodError, match="2025"):
            parse_period(2025)  # type: ignore[arg-type]

    def test_error_classes(self) -> None:
        """PeriodError is a LedgerError and a ValueError."""
        with pytest.raises(LedgerError):
            parse_period("2025-13")
        with pytest.raises(ValueError):
            parse_period("2025-13")

    def test_backwards_period_by_hand(self) -> None:
        """A Period built by hand cannot run backwards."""
        with pytest.raises(PeriodError, match="2025-03 is after 2025-01"):
            Period(first=m(2025, 3), last=m(2025, 1))

    def test_month_constructor(self) -> None:
        """``Period.month`` builds one month and refuses month 13."""
        assert Period.month(2025, 9) == parse_period("2025-09")
        assert Period.from_ordinal(m(2025, 9)) == parse_period("2025-09")
        with pytest.raises(PeriodError, match="13"):
            Period.month(2025, 13)


class TestRelations:
    """Containment, the months inside, and the periods before."""

    def test_contains(self) -> None:
        """A period contains every period whose months all lie inside it."""
        year = parse_period("2025")
        assert year.contains(parse_period("2025-09"))
        assert year.contains(parse_period("2025-Q3"))
        assert year.contains(year)
        assert parse_period("2025-01..2025-08").contains(parse_period("2025-H1"))
        assert not parse_period("2025-01..2025-08").contains(parse_period("2025-Q3"))
        assert not parse_period("2025-H1").contains(parse_period("2024-12..2025-01"))
        assert not parse_period("2025-09").contains(year)
        assert parse_period("2025-09") in year
        assert parse_period("2024-09") not in year
        assert "2025-09" not in year

    def test_overlaps(self) -> None:
        """Two periods overlap when they share a month."""
        assert parse_period("2025-Q1").overlaps(parse_period("2025-03..2025-05"))
        assert not parse_period("2025-Q1").overlaps(parse_period("2025-Q2"))

    def test_months(self) -> None:
        """The months inside, in order."""
        assert [str(p) for p in parse_period("2024-11..2025-02").months()] == [
            "2024-11", "2024-12", "2025-01", "2025-02"]
        assert [str(p) for p in parse_period("2025-Q3").months()] == [
            "2025-07", "2025-08", "2025-09"]
        assert len(list(parse_period("2025").months())) == 12
        assert list(parse_period("2025-Q1").ordinals()) == [m(2025, 1), m(2025, 2), m(2025, 3)]

    @pytest.mark.parametrize(
        ("text", "earlier"),
        [
            ("2025-09", "2024-09"),
            ("2025-Q3", "2024-Q3"),
            ("2025-H1", "2024-H1"),
            ("2025", "2024"),
            ("2025-01..2025-08", "2024-01..2024-08"),
        ],
    )
    def test_year_earlier(self, text: str, earlier: str) -> None:
        """The same months a year earlier."""
        assert str(parse_period(text).year_earlier()) == earlier

    @pytest.mark.parametrize(
        ("text", "previous"),
        [
            ("2025-09", "2025-08"),
            ("2025-01", "2024-12"),
            ("2025-Q1", "2024-Q4"),
            ("2025-H2", "2025-H1"),
            ("2025", "2024"),
            ("2025-03..2025-05", "2024-12..2025-02"),
        ],
    )
    def test_previous(self, text: str, previous: str) -> None:
        """The same-length period just before: the month before a month."""
        assert str(parse_period(text).previous()) == previous

    def test_shift(self) -> None:
        """Shifting moves a period by whole months, keeping its length."""
        assert str(parse_period("2025-Q4").shift(3)) == "2026-Q1"
        assert str(parse_period("2025-11").shift(-23)) == "2023-12"

    def test_order(self) -> None:
        """Periods sort by first month, then by last."""
        texts = ["2025", "2024-12", "2025-Q1", "2025-01", "2025-H1"]
        assert [str(p) for p in sorted(map(parse_period, texts))] == [
            "2024-12", "2025-01", "2025-Q1", "2025-H1", "2025"]
        assert parse_period("2025-01") < parse_period("2025-02")
        assert parse_period("2025-02") >= parse_period("2025-01..2025-02")

    def test_properties(self) -> None:
        """Length, year and whether a period is a month."""
        span = parse_period("2024-11..2025-02")
        assert (span.length, span.year, span.is_month) == (4, 2024, False)
        assert parse_period("2025-09").is_month

    @pytest.mark.parametrize(
        ("text", "label"),
        [
            ("2025-09", "September 2025"),
            ("2025-01..2025-08", "January–August 2025"),
            ("2024-11..2025-02", "2024-11..2025-02"),
            ("2025-H1", "2025-H1"),
            ("2025-Q3", "2025-Q3"),
            ("2025", "2025"),
        ],
    )
    def test_label(self, text: str, label: str) -> None:
        """A reader's name for the period."""
        assert parse_period(text).label() == label

    def test_repr(self) -> None:
        """The repr shows the written form."""
        assert repr(parse_period("2025-Q3")) == "Period('2025-Q3')"


class TestPeriodProperties:
    """Laws of periods."""

    @given(periods())
    def test_str_round_trips(self, period: Period) -> None:
        """Writing a period and reading it back gives the same period."""
        assert parse_period(str(period)) == period

    @given(periods())
    def test_months_partition(self, period: Period) -> None:
        """The months inside are contained, consecutive, and as many as its length."""
        months = list(period.months())
        assert len(months) == period.length
        assert all(period.contains(month) and month.is_month for month in months)
        assert [p.first for p in months] == list(period.ordinals())

    @given(periods())
    def test_year_earlier_and_previous(self, period: Period) -> None:
        """A year earlier is twelve months back; the previous period ends just before."""
        earlier = period.year_earlier()
        assert (earlier.first, earlier.length) == (period.first - 12, period.length)
        assert earlier.kind == period.kind
        before = period.previous()
        assert before.last + 1 == period.first
        assert before.length == period.length
        assert not before.overlaps(period)

    @given(periods(), periods())
    def test_contains_is_months_subset(self, a: Period, b: Period) -> None:
        """Containment is the subset relation on months."""
        assert a.contains(b) == set(b.ordinals()).issubset(a.ordinals())
        assert a.overlaps(b) == bool(set(a.ordinals()) & set(b.ordinals()))


class TestLimits:
    """A ledger may name only the years MIN_YEAR to MAX_YEAR, in ASCII digits."""

    @pytest.mark.parametrize("text", ["0000-01", "9999", "1799-12", "2201-01", "2201",
                                      "0000-01..9999-12", "1799-Q4", "2025-01..2201-H1"])
    def test_outside_refused(self, text: str) -> None:
        """A period reaching past the year limits is refused, naming the text and limits."""
        with pytest.raises(PeriodError) as info:
            parse_period(text)
        assert str(info.value) == (f"period {text!r} lies outside the years "
                                   f"{MIN_YEAR}–{MAX_YEAR} a ledger may name")

    def test_limits_themselves_accepted(self) -> None:
        """The first month of MIN_YEAR and the last of MAX_YEAR are inside."""
        span = parse_period(f"{MIN_YEAR}-01..{MAX_YEAR}-12")
        assert (span.first, span.last) == (m(MIN_YEAR, 1), m(MAX_YEAR, 12))

    @pytest.mark.parametrize("text", ["٢٠٢٥", "２０２５-０９", "2025-٠٩"])
    def test_non_ascii_digits_refused(self, text: str) -> None:
        """Digits of other scripts are refused with a clear message, not read as ASCII."""
        with pytest.raises(PeriodError, match="write the digits as ASCII 0–9"):
            parse_period(text)

    def test_check_years(self) -> None:
        """check_years accepts what lies inside and names *what* when it refuses."""
        check_years(parse_period("2025"), "period '2025'")
        with pytest.raises(PeriodError, match=r"^change '1700-01' lies outside"):
            check_years(Period.month(1700, 1), "change '1700-01'")


class TestIdentity:
    """One object per run of months: cheap hashing, equality and pickling."""

    @given(periods(), periods())
    def test_equal_is_same_months(self, a: Period, b: Period) -> None:
        """Two periods are equal, and hash alike, exactly when their months are the same."""
        same = (a.first, a.last) == (b.first, b.last)
        assert (a == b) == same
        assert (a != b) == (not same)
        assert (a is b) == same
        assert Period(first=a.first, last=a.last) is a
        if same:
            assert hash(a) == hash(b)

    @given(periods(), periods())
    def test_order_is_first_then_last(self, a: Period, b: Period) -> None:
        """Periods order as (first, last) pairs do."""
        ka, kb = (a.first, a.last), (b.first, b.last)
        assert (a < b, a <= b, a > b, a >= b) == (ka < kb, ka <= kb, ka > kb, ka >= kb)

    @given(periods(), st.integers(min_value=-60, max_value=60))
    def test_derived_periods_shared(self, period: Period, months: int) -> None:
        """shift, previous and year_earlier give the one period of those months."""
        shifted = period.shift(months)
        assert shifted is Period(first=period.first + months, last=period.last + months)
        assert period.previous() is period.shift(-period.length)
        assert period.year_earlier() is period.shift(-12)
        assert period.previous() is period.previous()

    @pytest.mark.parametrize(("text", "label"), [
        ("2025-09", "September 2025"), ("2025-Q3", "2025-Q3"), ("2025-H1", "2025-H1"),
        ("2025", "2025"), ("2025-01..2025-08", "January–August 2025"),
        ("2024-11..2025-02", "2024-11..2025-02")])
    def test_written_forms_kept(self, text: str, label: str) -> None:
        """str and label, worked out once, are the same every time they are asked for."""
        period = parse_period(text)
        for _ in range(2):
            assert (str(period), period.label(), repr(period)) == (
                text, label, f"Period({text!r})")
        assert parse_period(str(period)) is period

    @given(periods())
    def test_pickle_and_copy(self, period: Period) -> None:
        """Pickling or copying gives back the same object."""
        assert pickle.loads(pickle.dumps(period)) is period
        assert copy.copy(period) is period
        assert copy.deepcopy(period) is period
        assert attrs.evolve(period) is period

    def test_pickled_across_processes(self) -> None:
        """A dict keyed by periods, pickled into another process and back, still looks up.

        Hashes are not kept in the pickle: the other process (with its own string-hash
        seed) finds the periods by its own hashes, and so does this one on the way back.
        """
        table = {parse_period(t): t for t in ("2025-09", "2025-Q3", "2024", "2025-01..2025-08")}
        child = textwrap.dedent("""
            import pickle, sys
            from nkledger.periods import parse_period
            table = pickle.loads(sys.stdin.buffer.read())
            assert all(table[parse_period(text)] == text for text in table.values())
            table[parse_period("2026-H2")] = "2026-H2"
            sys.stdout.buffer.write(pickle.dumps(table))
        """)
        done = subprocess.run([sys.executable, "-c", child], input=pickle.dumps(table),
                              capture_output=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": "random"})
        back = pickle.loads(done.stdout)
        assert back == {**table, parse_period("2026-H2"): "2026-H2"}
        assert all(back[parse_period(text)] == text for text in back.values())

    def test_frozen(self) -> None:
        """A period cannot be changed: every holder shares it."""
        period = parse_period("2025-09")
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            period.first = 0  # type: ignore[misc]
        assert str(period) == "2025-09"

    def test_ordinals_are_ints(self) -> None:
        """An int subclass names the same months as the int it equals; a float is refused."""
        assert Period(first=True, last=True) is Period(first=1, last=1)
        assert type(Period(first=True, last=2).first) is int
        with pytest.raises(TypeError):
            Period(first=1.5, last=2)  # type: ignore[arg-type]
