"""Submission times are parsed by Arrow's ``strptime`` first, and a time is
taken from it only where writing it back gives its text again
(``times._arrow_times``): Arrow reads 30 February as 1 March and "24" as the
year 24, where pandas refuses both. Whatever the text, the times must be
those of pandas' own parse."""

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from evaltools.read import times
from propsettings import budget

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _pandas_only(v: pd.Series, dayfirst: bool) -> pd.Series:
    with pytest.MonkeyPatch.context() as m:
        m.setattr(times, "_arrow_times", lambda v, layout: None)  # pandas' path, as before
        return times._parse_times(v, dayfirst)


LAYOUTS = ["{y}/{mo}/{d} {h}:{mi}:{s} {ampm}", "{y}-{mo}-{d}T{h}:{mi}:{s}", "{d}/{mo}/{y} {h}:{mi}",
           "{mo}/{d}/{y} {h}:{mi}:{s}", "{mon} {d}, {y} {h}:{mi}:{s} {ampm}",
           "{y}-{mo}-{d} {h}:{mi}:{s}.{ms}"]


@st.composite
def time_texts(draw, layout: int, odd: bool = True):
    """A time as a tool writes it in one of ``LAYOUTS`` (Google, Kobo, Excel
    in Indonesia or the US, ODK Briefcase); with ``odd``, now and then a
    field out of range or a day the month lacks (30 February), another
    year's width, a letter's case, a space or a letter after it."""
    def num(lo, hi, wide_lo, wide_hi):
        n = draw(st.integers(wide_lo, wide_hi) if odd and draw(st.integers(0, 9)) == 0
                 else st.integers(lo, hi))
        return f"{n:02d}" if draw(st.booleans()) else str(n)
    year = draw(st.sampled_from(["2024", "2023", "24", "0999", "02024"]) if odd and
                draw(st.integers(0, 9)) == 0 else st.sampled_from(["2024", "2023"]))
    fields = dict(y=year, mo=num(1, 12, 0, 13), d=num(1, 31 if odd else 28, 0, 32),
                  h=num(1, 12, 0, 25), mi=num(0, 59, 0, 61), s=num(0, 59, 0, 61),
                  ampm=draw(st.sampled_from(["AM", "PM", "am", "pm"])),
                  mon=draw(st.sampled_from(MONTHS + (["nov", "NOV", "Xyz"] if odd else []))),
                  ms=draw(st.integers(0, 999)))
    end = draw(st.sampled_from(["", "", "", " ", "x"])) if odd else ""
    return LAYOUTS[layout].format(**fields) + end


@st.composite
def time_columns(draw):
    """A column as one tool writes it: the first time plain (it decides the
    layout), the rest in its layout, some odd, some in another layout."""
    layout = draw(st.integers(0, len(LAYOUTS) - 1))
    first = draw(time_texts(layout, odd=False))
    rest = draw(st.lists(st.one_of(time_texts(layout), time_texts(layout),
                                   st.integers(0, len(LAYOUTS) - 1).flatmap(time_texts)),
                         max_size=40))
    return [first, *rest, None]


@budget(300)
@given(column=time_columns(), dayfirst=st.booleans())
def test_arrow_times_are_pandas_times(column, dayfirst):
    v = pd.Series(column, dtype="str")
    got = times._parse_times(v, dayfirst)
    want = _pandas_only(v, dayfirst)
    pd.testing.assert_series_equal(got.astype("datetime64[us]"), want.astype("datetime64[us]"))


@pytest.mark.parametrize("text, expected", [
    ("2024/11/26 8:44:37 AM", "2024-11-26 08:44:37"),   # Google's: taken from Arrow
    ("2024/11/26 12:05:00 AM", "2024-11-26 00:05:00"),
    ("2024/02/30 8:44:37 AM", None),                    # Arrow: 1 March; pandas: no such day
    ("2023/02/29 8:44:37 AM", None),
])
def test_arrow_takes_only_what_it_reads_faithfully(text, expected):
    taken = times._arrow_times(pd.Series([text], dtype="str"), "%Y/%m/%d %I:%M:%S %p")
    assert taken.iloc[0] == (pd.Timestamp(expected) if expected else None) or \
        (expected is None and pd.isna(taken.iloc[0]))


def test_a_layout_arrow_is_not_given_is_pandas_alone():
    """A zone (%z) or fractions of a second (%f): Arrow is not asked, and the
    times, zone and name are pandas' own (a review found a zone refused)."""
    for values in (["2024-11-22 10:15:00 +0700", "2024-11-22 11:15:00 +0700"],
                   ["2024-11-22 10:15:00.250", "2024-11-22 11:15:00.5"]):
        v = pd.Series(values, dtype="str", name="submitted_at")
        got, want = times._parse_times(v, False), _pandas_only(v, False)
        pd.testing.assert_series_equal(got, want)
        assert times._arrow_times(v, "%Y-%m-%d %H:%M:%S %z") is None


DATE_BITS = st.text(st.sampled_from("0123456789/.- :ab\n"), max_size=14)


@budget(300)
@given(cells=st.lists(st.one_of(DATE_BITS, st.sampled_from(
    ["22/11/2024 08.15", "11/22/24", "1/2/2024", "13/01/24x", "01/13/2024", "5/11/20245", "5/11/24 9:00",
     "2024/11/01 8:15:00 AM GMT+8", "31-12-2024", "1.2.24\n", ""])), max_size=12))
def test_date_patterns_without_look_ahead_match_as_with_it(cells):
    """``_order`` asks Arrow whether each cell starts with a day-month-year
    date (and whether one that can only be day or month first); Arrow's
    regular expressions have no look-ahead, so the patterns end on a
    non-digit or the cell's end instead: the same cells as Python's
    ``re.match`` with the look-ahead (the patterns ``_DMY`` was written as)."""
    import re
    v = pd.Series(cells, dtype="str")
    for fast, slow in [(times._DMY_STARTS, times._DMY),
                       (times._OVER12 + "[/.-]" + times._MONTH + "[/.-]" + times._YEAR_ENDS,
                        times._OVER12 + "[/.-]" + times._MONTH + "[/.-]" + times._YEAR),
                       (times._MONTH + "[/.-]" + times._OVER12 + "[/.-]" + times._YEAR_ENDS,
                        times._MONTH + "[/.-]" + times._OVER12 + "[/.-]" + times._YEAR)]:
        want = [re.match(slow, c) is not None for c in cells]
        assert times._match(v, fast).tolist() == want
