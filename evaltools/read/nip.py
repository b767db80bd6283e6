"""NIPs as people and spreadsheets write them: cleaned (spaces, dots,
dashes, a "NIP." label, Excel's apostrophe), refused when Excel already
damaged them, and judged for plausibility (birth date, appointment, sex digit).
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd

from ..normalize import NIP_PATTERN, nip_digits

_NIP_JUNK = re.compile(r"[\s.\-\u2013\u2014_/]")  # spaces, dots, hyphens, en/em dashes
_NIP_LABEL = re.compile(r"^(?:nip|ni\s*pppk|nrp)(?:\s*/\s*ni\s*pppk)?\s*[.:]?\s*", re.I)
# digits are ASCII 0-9 only: Arabic-Indic, fullwidth or superscript digits are no NIP
_SCIENTIFIC = re.compile(r"[0-9]([.,][0-9]+)?[eE]\+?[0-9]+")
# a number that went through a float: an 18-digit NIP keeps 18 or more digits
# before the point ("198609262015051008.0"); fewer is a typed dot
# ("198609262015051.001"), removed like a space
_FLOAT = re.compile(r"[0-9]{18,}[.,][0-9]+")
_NIP = re.compile(NIP_PATTERN)
_JUDGED = re.compile(r"[0-9]{15}")  # the digits nip_problem judges


def clean_nip(value: str) -> tuple[str, str | None]:
    """Return (nip, repair reason or None): surrounding spaces, a leading
    apostrophe (Excel's "treat as text"), a "NIP." label, and spaces, dots,
    hyphens and dashes inside removed. A NIP that Excel or a
    float already damaged (scientific notation, a float's decimals, or 18
    digits ending in 000: the sequence number starts at 001) is unrecoverable:
    it is emptied and never used to match.

    Example:
        >>> clean_nip("19860926 201505 1 001")
        ('198609262015051001', 'nip_cleaned')
        >>> clean_nip("1.98609262015051E+17")
        ('', 'nip_mangled_by_excel')
        >>> clean_nip("NIP. 19860926–201505–1–001")
        ('198609262015051001', 'nip_cleaned')
    """
    v = (value or "").strip()
    if not v:
        return "", None
    raw = _NIP_LABEL.sub("", v.lstrip("'’`").strip())
    if _SCIENTIFIC.fullmatch(raw) or _FLOAT.fullmatch(raw):
        return "", "nip_mangled_by_excel"
    cleaned = _NIP_JUNK.sub("", raw)
    if not _NIP.fullmatch(cleaned):
        return cleaned, "nip_invalid"
    if cleaned.endswith("000"):
        return "", "nip_mangled_by_excel"
    return cleaned, ("nip_cleaned" if cleaned != value else None)


def nip_problem(nip: str, kind: str = "") -> str | None:
    """Why an 18-digit NIP cannot be right, or None. Checks the birth date
    (digits 1-8), the appointment year (digits 9-12: at 17 or older, not in
    the future) and the sex digit (15th: 1 or 2), which PNS NIPs and NI PPPK
    share. Digits 13-14 are the appointment month only for a PNS (``kind``
    "pns"); a NI PPPK uses them otherwise, so they are judged only then.

    Only digits 1-15 are read (the reader passes just those); text that does
    not start with 15 ASCII digits is itself the problem.

    Example:
        >>> nip_problem("198609262015051001") is None
        True
        >>> nip_problem("198613262015051001")
        'tanggal lahir 1986-13-26 tidak mungkin'
        >>> nip_problem("198609262015131001", "pns"), nip_problem("198609262015131001", "pppk")
        ('bulan pengangkatan 13 tidak mungkin', None)
    """
    if not _JUDGED.match(nip):
        return "NIP bukan 18 angka 0-9"
    y, m, d = int(nip[:4]), int(nip[4:6]), int(nip[6:8])
    try:
        born = date(y, m, d)
    except ValueError:
        return f"tanggal lahir {nip[:4]}-{nip[4:6]}-{nip[6:8]} tidak mungkin"
    if not 1940 <= born.year <= 2010:
        return f"tahun lahir {born.year} tidak masuk akal"
    hired = int(nip[8:12])
    if not born.year + 17 <= hired <= date.today().year:
        return f"tahun pengangkatan {hired} tidak masuk akal (lahir {born.year})"
    if kind == "pns" and not 1 <= int(nip[12:14]) <= 12:
        return f"bulan pengangkatan {nip[12:14]} tidak mungkin"
    if nip[14] not in "12":
        return f"digit jenis kelamin (ke-15) '{nip[14]}' bukan 1 atau 2"
    return None


_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def maybe_implausible(nips, pns, digits=None) -> np.ndarray:
    """Whether each NIP may fail ``nip_problem`` (True) or certainly passes
    it (False): its checks done on all rows at once with integer arithmetic
    on digits 1-15, so only the few that may fail are judged (and named) one
    by one. ``nips``: 18-digit NIPs or anything else (True: judged one by
    one); ``pns``: whether each row's kind is "pns"; ``digits``: the first
    two of ``normalize.nip_digits(nips)``, where the caller has them.

    Example:
        >>> maybe_implausible(pd.Series(["198609262015051001", "198613262015051001", ""]),
        ...                   np.array([True, True, False])).tolist()
        [False, True, True]
    """
    full, v = digits if digits is not None else nip_digits(pd.Series(nips, dtype="str"))[:2]
    y, m, d = v // 10**11, v // 10**9 % 100, v // 10**7 % 100
    hired, month, sex = v // 10**3 % 10**4, v // 10 % 100, v % 10
    leap = (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))
    days = np.asarray(_MONTH_DAYS)[np.clip(m, 0, 12)] + (leap & (m == 2))
    ok = (m >= 1) & (m <= 12) & (d >= 1) & (d <= days) & (y >= 1940) & (y <= 2010) \
        & (hired >= y + 17) & (hired <= date.today().year) & ((sex == 1) | (sex == 2)) \
        & (~np.asarray(pns, bool) | ((month >= 1) & (month <= 12)))
    return ~(full & ok)
