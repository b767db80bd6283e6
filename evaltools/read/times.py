"""Submission times as the tools write them -> timestamps (wall clock).

ISO, Kobo's ``2024-11-22T09:15:02``, Google's ``2024/11/22 8:15:02 AM
GMT+8``, Indonesian Excel's ``22/11/2024 08.15``, a US-locale sheet's
``11/22/2024 8:15:02``, ODK Briefcase's ``Nov 22, 2024 11:49:12 AM`` and
Excel's serial day numbers. A column is parsed at C speed with the layout of
its first value; only what that leaves unread is parsed value by value.

The order of day and month is decided once per column (``read_times``):
by the values (a first field over 12 is a day, a second field over 12 is
a day too), else by the session's date, else day first (Indonesian); a
column holding both kinds contradicts itself (``TimeOrder.conflict``).
"""

from __future__ import annotations

import re
import threading
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.tseries.api import guess_datetime_format

ORDERS = ("day_first", "month_first", "year_first")
# an ambiguous date (11/5/2024) is read in the order that puts it this close to its session's date
NEAR_SESSION = pd.Timedelta(days=7)
_OVER12 = "(?:1[3-9]|[2-9][0-9])"  # a day, never a month
_MONTH = "(?:0?[1-9]|1[0-2])"
_YEAR_DIGITS = "(?:[0-9]{4}|[0-9]{2})"  # 2024, or 24 (a short date format)
_YEAR = _YEAR_DIGITS + "(?![0-9])"
_DAY_MONTH = r"[0-9]{1,2}[/.-][0-9]{1,2}[/.-]"  # day and month in either order
_DMY = _DAY_MONTH + _YEAR
# the same for a yes/no match from the start of a cell, without the look-ahead that Arrow's
# regular expressions lack (pandas would run it in Python, cell by cell: 0.05 s a file of a
# million submissions)
_YEAR_ENDS = _YEAR_DIGITS + "(?:[^0-9]|$)"
_DMY_STARTS = _DAY_MONTH + _YEAR_ENDS


@dataclass(frozen=True)
class TimeOrder:
    """How a column of times writes its dates. ``order``: "day_first",
    "month_first", "year_first" or "" (no dates, or only month names and
    serial numbers); ``basis``: what decided it: "values" (a field over 12,
    or year first), "session" (ambiguous dates, one order near the
    session's date), "default" (ambiguous, day first as in Indonesia),
    "conflict" (some dates only day-first, some only month-first: nothing
    is read); ``assumed``: the rows whose date depends on the order chosen
    by session or default (11/5/2024: not 11/11/2024); ``day_only`` and
    ``month_only``: the rows that can be read one way only."""
    order: str = ""
    basis: str = ""
    assumed: np.ndarray | None = None
    day_only: np.ndarray | None = None
    month_only: np.ndarray | None = None

    @property
    def conflict(self) -> bool:
        return self.basis == "conflict"


def parse_times(values: pd.Series) -> pd.Series:
    """Submission times from any tool: ISO, Kobo's 2024-11-22T09:15:02, Google's
    '2024/11/22 8:15:02 AM GMT+8', Indonesian Excel's '22/11/2024 08.15',
    ODK Briefcase's 'Nov 22, 2024 11:49:12 AM', and Excel's serial day numbers
    (a time in a General-format cell, or a CSV saved from one: '45618.34375',
    '45618,34375'; days since 1899-12-30, rounded to the millisecond Excel keeps).

    Day-first or month-first is decided per column (``read_times``, without
    a session date: day first unless some date can only be month-first).

    Example:
        >>> parse_times(pd.Series(["11/22/2024 8:15", "12/01/2024 9:00"])).dt.day.tolist()
        [22, 1]
        >>> parse_times(pd.Series(["2024/11/01 8:15:00 AM GMT+8", "01/11/2024 08.15"])).dt.month.tolist()
        [11, 11]
        >>> parse_times(pd.Series(["45597.4", "45597,375"])).astype(str).tolist()
        ['2024-11-01 09:36:00', '2024-11-01 09:00:00']
    """
    return read_times(values)[0]


def read_times(values: pd.Series, session_days: pd.Series | None = None) -> tuple[pd.Series, TimeOrder]:
    """(times, :class:`TimeOrder`) of a column of submission times (see
    ``parse_times`` for the layouts read). ``session_days``: each row's
    session date (NaT where unknown), the evidence for a column whose dates
    all read both ways. A contradicting column (``order.conflict``) is
    parsed day first; the caller refuses it.

    Example:
        >>> t, o = read_times(pd.Series(["11/5/2024 8:05:38", "11/5/2024 8:07:10"]),
        ...                   pd.Series(pd.to_datetime(["2024-11-05", "2024-11-05"])))
        >>> t.dt.strftime("%d %b").tolist(), o.order, o.basis, o.assumed.tolist()
        (['05 Nov', '05 Nov'], 'month_first', 'session', [True, True])
        >>> read_times(pd.Series(["22/11/2024 08.15", "01/11/2024 9:00"]))[1].order
        'day_first'
    """
    # each distinct (time, session date) is read once: a million submissions hold far fewer
    codes = pd.factorize(values.fillna("").astype(str))[0]
    if session_days is not None and len(values):
        day = pd.factorize(session_days.to_numpy(dtype="datetime64[us]"), use_na_sentinel=False)[0]
        if day.max() > 0:  # (one session date: the times' codes are the pairs' already)
            codes = pd.factorize(codes.astype(np.int64) * (day.max() + 1) + day)[0]
    # the row where each key first appears (factorize numbers keys as they appear: a row
    # is a key's first when its code is above every code before it); one pass, no sort
    first = np.flatnonzero(codes > np.maximum.accumulate(np.r_[-1, codes[:-1]]))
    days = None if session_days is None else session_days.iloc[first].reset_index(drop=True)
    v, serial = _normalised(values.iloc[first].reset_index(drop=True))
    order = _order(v, days)
    out = _parse_all(v, dayfirst=order.order != "month_first")
    if serial is not None:
        out[serial.index] = serial.astype("datetime64[us]")
    spread = {k: None if getattr(order, k) is None else np.asarray(getattr(order, k))[codes]
              for k in ("assumed", "day_only", "month_only")}
    return (pd.Series(out.to_numpy()[codes], index=values.index, dtype=out.dtype),
            TimeOrder(order.order, order.basis, **spread))


def _normalised(values: pd.Series) -> tuple[pd.Series, pd.Series | None]:
    """(the column's text without zones, Indonesian hour dots made colons and
    serial day numbers emptied; the serial numbers' times, or None)."""
    v = values.fillna("").astype(str).str.strip()
    # five digits, maybe with a fraction: a serial day number (10000 is 1927, 99999 is 2173)
    serial = v.str.fullmatch(r"[0-9]{5}(?:[.,][0-9]+)?")
    serial_times = None
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
    return v.mask(v == ""), serial_times


def _order(v: pd.Series, session_days: pd.Series | None) -> TimeOrder:
    """The column's :class:`TimeOrder`, from its values, else the session's date, else day first."""
    dmy = _match(v, _DMY_STARTS)
    if not dmy.any():
        return TimeOrder("year_first" if _match(v, r"[0-9]{4}[-/.]").any() else "", "values")
    day_only = _match(v, _OVER12 + "[/.-]" + _MONTH + "[/.-]" + _YEAR_ENDS)
    month_only = _match(v, _MONTH + "[/.-]" + _OVER12 + "[/.-]" + _YEAR_ENDS)
    if day_only.any() and month_only.any():
        return TimeOrder("", "conflict", day_only=day_only, month_only=month_only)
    if day_only.any() or month_only.any():
        return TimeOrder("day_first" if day_only.any() else "month_first", "values")
    # every date reads both ways: each distinct date (a session spans a few) is read both
    # ways once; the rows whose two readings differ (11/5, not 11/11) depend on the order
    dates = v.where(dmy).str.extract("^(" + _DMY + ")", expand=False)
    codes, distinct = pd.factorize(dates)
    as_day, as_month = (pd.to_datetime(pd.Series(distinct), dayfirst=first, errors="coerce",
                                       format="mixed").to_numpy(dtype="datetime64[us]")
                        for first in (True, False))
    read = ~np.isnat(as_day) & ~np.isnat(as_month)  # 0/0/2024 reads neither way: unreadable
    differs = np.append(read & (as_day != as_month), False)  # code -1 (no date): last
    assumed = differs[codes]
    if session_days is not None and assumed.any():
        chosen = _by_session(codes, session_days, differs, as_day, as_month)
        if chosen:
            return TimeOrder(chosen, "session", assumed)
    return TimeOrder("day_first", "default", assumed)


def _by_session(codes: np.ndarray, session_days: pd.Series, differs: np.ndarray,
                as_day: np.ndarray, as_month: np.ndarray) -> str | None:
    """"day_first" or "month_first" when exactly one reading puts the
    ambiguous dates within ``NEAR_SESSION`` of their row's session date,
    else None; judged once per distinct (date, session date)."""
    pairs = pd.DataFrame({"code": codes, "day": session_days.to_numpy(dtype="datetime64[us]")})
    pairs = pairs[differs[codes] & pairs["day"].notna().to_numpy()].drop_duplicates()
    if pairs.empty:
        return None
    day, code = pairs["day"].to_numpy(dtype="datetime64[us]"), pairs["code"].to_numpy()
    near_day = (np.abs(as_day[code] - day) <= NEAR_SESSION).any()
    near_month = (np.abs(as_month[code] - day) <= NEAR_SESSION).any()
    if near_day == near_month:
        return None
    return "day_first" if near_day else "month_first"


def _match(v: pd.Series, pattern: str) -> np.ndarray:
    """Whether each cell starts with ``pattern`` (found in Arrow), a missing cell False."""
    return v.str.match(pattern).to_numpy(dtype=bool, na_value=False)


def _parse_all(v: pd.Series, dayfirst: bool) -> pd.Series:
    """Every time of the column; a date that starts with its year is
    year-month-day whatever the locale (dateutil's dayfirst would read
    2024/11/01 as 11 January)."""
    yearfirst = _match(v, r"\d{4}[-/.]")
    out = _parse_times(v.where(yearfirst), dayfirst=False).astype("datetime64[us]")
    if (~yearfirst & v.notna().to_numpy()).any():
        out = out.fillna(_parse_times(v.where(~yearfirst), dayfirst=dayfirst).astype("datetime64[us]"))
    return out


# catch_warnings sets the process's filters and puts them back on leaving: two files read at
# once (``read._read_files``) entering it together would leave "ignore" set for good
_FILTERS = threading.Lock()
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
    speed (Arrow's, then pandas' for what Arrow leaves), and only what that
    leaves unread value by value."""
    first = v.first_valid_index()
    with _FILTERS, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas' note on dayfirst: the choice is made above
        layout = guess_datetime_format(v[first], dayfirst=dayfirst) if first is not None else None
    if layout is None:
        return pd.to_datetime(v, errors="coerce", dayfirst=dayfirst, format="mixed")
    out = _arrow_times(v, layout)
    if out is None:  # a layout Arrow is not given (a zone, fractions of a second): pandas'
        out = pd.to_datetime(v, errors="coerce", format=layout)
    else:
        rest = out.isna() & v.notna()
        if rest.any():
            out[rest] = pd.to_datetime(v[rest], errors="coerce", format=layout)
    rest = out.isna() & v.notna()
    if rest.any():
        out[rest] = pd.to_datetime(v[rest], errors="coerce", dayfirst=dayfirst, format="mixed")
    return out


# what each directive of a guessed layout may hold: the shape a time must have to be taken
# from Arrow (a layout with any other directive is left to pandas)
_FIELDS = {"%Y": "(?P<year>[0-9]{4})", "%d": "(?P<day>[0-9]{1,2})", "%m": "[0-9]{1,2}", "%H": "[0-9]{1,2}",
           "%I": "[0-9]{1,2}", "%M": "[0-9]{1,2}", "%S": "[0-9]{1,2}", "%p": "(?i:AM|PM)",
           "%b": "[A-Za-z]{3}", "%%": "%"}


def _layout_shape(layout: str) -> str | None:
    """A pattern of the texts ``layout`` writes, with the year and the day
    as groups; None for a layout without both, with one twice or with another directive."""
    parts = re.split(r"(%.)", layout)
    if parts.count("%Y") != 1 or parts.count("%d") != 1:
        return None
    out = []
    for part in parts:
        if part.startswith("%"):
            if part not in _FIELDS:
                return None
            out.append(_FIELDS[part])
        else:
            out.append(re.escape(part))
    return "^" + "".join(out) + "$"


def _arrow_times(v: pd.Series, layout: str) -> pd.Series | None:
    """The times Arrow's ``strptime`` reads in ``layout`` (some 30 times
    faster than pandas' on Google's layout), NaT for the rest; None for a
    layout with a directive ``_layout_shape`` does not know (%z, %f). Arrow accepts
    what pandas refuses: 30 February as 1 March, a two-digit %Y as year 24,
    a leading space. So a time is taken only where the text has the
    layout's shape (``_layout_shape``) and the day and four-digit year it
    was read as are the ones written; the rest is left to pandas, as before."""
    import pyarrow as pa
    import pyarrow.compute as pc
    shape = _layout_shape(layout)
    if shape is None:
        return None
    try:
        text = pa.array(v.array, pa.large_string())
        parsed = pc.strptime(text, format=layout, unit="us", error_is_null=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return None
    written = pc.extract_regex(text, shape)  # null where the text is not of the shape
    same = pc.and_kleene(
        pc.equal(pc.cast(pc.struct_field(written, "year"), pa.int64()), pc.year(parsed)),
        pc.equal(pc.cast(pc.struct_field(written, "day"), pa.int64()), pc.day(parsed)))
    same = pc.and_kleene(same, pc.greater_equal(pc.year(parsed), 1000))
    kept = pc.if_else(pc.fill_null(same, False), parsed, pa.scalar(None, parsed.type))
    return pd.Series(kept.to_numpy(zero_copy_only=False), index=v.index, name=v.name).astype("datetime64[us]")
