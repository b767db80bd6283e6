"""Submission times as the tools write them -> timestamps (wall clock).

ISO, Kobo's ``2024-11-22T09:15:02``, Google's ``2024/11/22 8:15:02 AM
GMT+8``, Indonesian Excel's ``22/11/2024 08.15``, ODK Briefcase's ``Nov 22,
2024 11:49:12 AM`` and Excel's serial day numbers. A column is parsed at C
speed with the layout of its first value; only what that leaves unread is
parsed value by value.
"""

from __future__ import annotations

import re
import warnings

import pandas as pd
from pandas.tseries.api import guess_datetime_format


def parse_times(values: pd.Series) -> pd.Series:
    """Submission times from any tool: ISO, Kobo's 2024-11-22T09:15:02, Google's
    '2024/11/22 8:15:02 AM GMT+8', Indonesian Excel's '22/11/2024 08.15',
    ODK Briefcase's 'Nov 22, 2024 11:49:12 AM', and Excel's serial day numbers
    (a time in a General-format cell, or a CSV saved from one: '45618.34375',
    '45618,34375'; days since 1899-12-30, rounded to the millisecond Excel keeps).

    Day-first is sniffed per column: it is assumed (Indonesian locale) unless
    some date can only be month-first (11/22/2024) and none only day-first.

    Example:
        >>> parse_times(pd.Series(["11/22/2024 8:15", "12/01/2024 9:00"])).dt.day.tolist()
        [22, 1]
        >>> parse_times(pd.Series(["2024/11/01 8:15:00 AM GMT+8", "01/11/2024 08.15"])).dt.month.tolist()
        [11, 11]
        >>> parse_times(pd.Series(["45597.4", "45597,375"])).astype(str).tolist()
        ['2024-11-01 09:36:00', '2024-11-01 09:00:00']
    """
    v = values.fillna("").astype(str).str.strip()
    # five digits, maybe with a fraction: a serial day number (10000 is 1927, 99999 is 2173)
    serial = v.str.fullmatch(r"[0-9]{5}(?:[.,][0-9]+)?")
    if serial.any():
        days = pd.to_numeric(v[serial].str.replace(",", ".", regex=False))
        serial_times = (_EXCEL_EPOCH + pd.to_timedelta(days, unit="D")).dt.round("ms")
        v = v.mask(serial, "")
    # times are kept as the tool wrote them (wall clock); offsets are dropped so
    # that one column never mixes zones
    # (spaces written [ \t]: pandas runs a pattern with \s in Python, cell by cell)
    v = _replace(v, r"[ \t]*(GMT|UTC)[+-]?\d*(:\d\d)?$", "")
    v = _replace(v, r"(\d:\d\d(?::\d\d(?:\.\d+)?)?)(?:Z|[+-]\d\d:?\d\d)$", r"\1")
    # Indonesian Excel separates hours and minutes with a dot
    v = _replace(v, r"([ \t]\d{1,2})\.(\d{2})\.(\d{2})$", r"\1:\2:\3")
    v = _replace(v, r"([ \t]\d{1,2})\.(\d{2})$", r"\1:\2")
    over12 = "(?:1[3-9]|[2-9][0-9])"  # a day, never a month
    day_first = v.str.match(over12 + r"[/.-][0-9]{1,2}[/.-][0-9]{4}").any()
    month_first = v.str.match(r"[0-9]{1,2}[/.-]" + over12 + r"[/.-][0-9]{4}").any()
    dayfirst = not (month_first and not day_first)
    v = v.mask(v == "")
    # a date that starts with its year is year-month-day whatever the locale
    # (dateutil's dayfirst would read 2024/11/01 as 11 January)
    yearfirst = v.str.match(r"\d{4}[-/.]").fillna(False).astype(bool)
    out = _parse_times(v.where(yearfirst), dayfirst=False).astype("datetime64[us]")
    if (~yearfirst & v.notna()).any():
        out = out.fillna(_parse_times(v.where(~yearfirst), dayfirst=dayfirst).astype("datetime64[us]"))
    if serial.any():
        out[serial] = serial_times.astype("datetime64[us]")
    return out


_EXCEL_EPOCH = pd.Timestamp("1899-12-30")  # serial day 0 (after Excel's 1900 leap-year error)


def _replace(v: pd.Series, pattern: str, repl: str) -> pd.Series:
    """``v.str.replace`` on the cells the pattern finds only: a replacement
    with groups runs cell by cell in Python, finding runs in Arrow."""
    hit = v.str.contains(re.sub(r"\((?!\?)", "(?:", pattern), regex=True)  # groups only to replace
    if not hit.any():
        return v
    out = v.copy()
    out[hit] = v[hit].str.replace(pattern, repl, regex=True)
    return out


def _parse_times(v: pd.Series, dayfirst: bool) -> pd.Series:
    """One tool writes one layout: parsed with the first value's format at C
    speed, and only what that leaves unread value by value."""
    first = v.first_valid_index()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas' note on dayfirst: the choice is made above
        layout = guess_datetime_format(v[first], dayfirst=dayfirst) if first is not None else None
    if layout is None:
        return pd.to_datetime(v, errors="coerce", dayfirst=dayfirst, format="mixed")
    out = pd.to_datetime(v, errors="coerce", format=layout)
    rest = out.isna() & v.notna()
    if rest.any():
        out[rest] = pd.to_datetime(v[rest], errors="coerce", dayfirst=dayfirst, format="mixed")
    return out
