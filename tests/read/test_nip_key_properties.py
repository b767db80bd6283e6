"""Property tests of the NIP parser (``read.nip``: ``clean_nip``,
``nip_problem``) and of participant keys (``normalize.participant_key(s)``)."""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd
from hypothesis import example, given
from hypothesis import strategies as st

from propsettings import REGRESSION, budget
from evaltools.normalize import nip_digits, participant_key, participant_keys
from evaltools.read.nip import clean_nip, maybe_implausible, nip_problem
from read_strategies import MANGLED, NIP_OK, NIPS

# --------------------------------------------------------------------------
# NIP parser
# --------------------------------------------------------------------------

NIP_REASONS = {None, "nip_cleaned", "nip_mangled_by_excel", "nip_invalid"}
# digits of other scripts: str.isdigit() says True for all of these
OTHER_DIGITS = st.characters(categories=["Nd", "No"]).filter(str.isdigit)
nip_text = st.one_of(
    st.text(max_size=30),
    st.text(st.sampled_from("0123456789 .-–—_/'’`NIPnip:eE+,"), max_size=30),
    st.text(OTHER_DIGITS, min_size=18, max_size=18),
    st.text(st.one_of(st.sampled_from("0123456789"), OTHER_DIGITS), min_size=18, max_size=18),
    st.sampled_from(MANGLED + [NIP_OK, "NIP. " + NIP_OK, "'" + NIP_OK, " " + NIP_OK]),
)


def check_clean_nip(text: str) -> None:
    out = clean_nip(text)
    assert isinstance(out, tuple) and len(out) == 2
    nip, why = out
    assert type(nip) is str and why in NIP_REASONS, out
    if why == "nip_cleaned" or (why is None and nip):
        assert re.fullmatch(r"[0-9]{18}", nip), out     # a usable NIP is 18 ASCII digits
        assert clean_nip(nip) == (nip, None)             # idempotent
        for kind in ("", "pns", "pppk"):
            p = nip_problem(nip, kind)
            assert p is None or isinstance(p, str)
    if why is None:  # nothing to repair: the text was the NIP itself, or blank
        assert nip == text or (nip == "" and not text.strip()), out
    if why == "nip_mangled_by_excel":
        assert nip == ""


@budget(400)
@given(text=nip_text)
def test_clean_nip_any_text(text):
    check_clean_nip(text)


@REGRESSION
@given(text=nip_text)
@example(text="²" * 18)
@example(text="١٩٨٦٠٩٢٦٢٠١٥٠٥١٠٠١")
def test_clean_nip_regression_unicode_digits(text):
    check_clean_nip(text)


SEPARATOR_RUNS = st.sampled_from([" ", "  ", ".", "-", "–", "—", " - ", ". ", "_", "/", "\t", "\xa0",
                                  "\u2009"])
LABELS = ["", "NIP", "NIP.", "NIP:", "NIP :", "NIP. ", "nip ", "Nip.", "NI PPPK:", "NIP/NI PPPK:",
          "NIP / NI PPPK :", "NRP "]


@st.composite
def decorated_nips(draw):
    """(18 digits, the same NIP as people type it)."""
    digits = draw(NIPS)
    cuts = sorted(draw(st.lists(st.integers(0, 18), max_size=5)))
    parts, last = [], 0
    for c in cuts:
        parts += [digits[last:c], draw(SEPARATOR_RUNS)]
        last = c
    body = "".join(parts) + digits[last:]
    label = draw(st.sampled_from(LABELS))
    quote = draw(st.sampled_from(["", "", "'", "’", "`"]))
    pad = draw(st.sampled_from(["", "", " ", "\t", " \xa0"]))
    sp = draw(st.sampled_from(["", " "])) if label else ""
    return digits, pad + quote + label + sp + body + pad[::-1]


def check_decorated(case) -> None:
    digits, typed = case
    assert clean_nip(typed) == (digits, None if typed == digits else "nip_cleaned"), typed


@budget(400)
@given(case=decorated_nips())
def test_clean_nip_undoes_typing_decorations(case):
    check_decorated(case)


@REGRESSION
@given(case=decorated_nips())
@example(case=("198609262015051001", "198609262015051.001"))
@example(case=("198609262015051001", "NIP. 1986092620150510.01"))
def test_clean_nip_regression_dot_before_serial(case):
    check_decorated(case)


def _nip_problem_oracle(nip: str, kind: str) -> bool:
    y, m, d = int(nip[:4]), int(nip[4:6]), int(nip[6:8])
    try:
        born = date(y, m, d)
    except ValueError:
        return True
    hired = int(nip[8:12])
    return not (1940 <= born.year <= 2010 and born.year + 17 <= hired <= date.today().year
                and (kind != "pns" or 1 <= int(nip[12:14]) <= 12) and nip[14] in "12")


@budget(300)
@given(nip=st.one_of(NIPS, st.builds(
    lambda y, m, d, h, mo, s, n: f"{y:04d}{m:02d}{d:02d}{h:04d}{mo:02d}{s}{n:03d}",
    st.integers(1900, 2030), st.integers(0, 13), st.integers(0, 32), st.integers(1950, 2030),
    st.integers(0, 13), st.sampled_from("0123"), st.integers(1, 999))),
    kind=st.sampled_from(["", "pns", "pppk", "non_asn", "desa"]))
def test_nip_problem_explains_exactly_the_impossible(nip, kind):
    p = nip_problem(nip, kind)
    assert p is None or (isinstance(p, str) and p)
    assert (p is not None) == _nip_problem_oracle(nip, kind), (nip, kind, p)



NIP_PARTS = st.builds(
    lambda y, m, d, h, mo, s, n: f"{y:04d}{m:02d}{d:02d}{h:04d}{mo:02d}{s}{n:03d}",
    st.sampled_from([0, 1900, 1939, 1940, 1984, 2000, 2010, 2011, 2100, 9999]) | st.integers(1930, 2015),
    st.integers(0, 13) | st.just(99), st.integers(0, 32) | st.just(99), st.integers(1950, 2030),
    st.integers(0, 13) | st.just(99), st.sampled_from("0123456789"), st.integers(0, 999))


@budget(300)
@given(rows=st.lists(st.tuples(st.one_of(NIPS, NIP_PARTS, st.text(max_size=20)),
                               st.sampled_from(["", "pns", "pppk", "non_asn"])), min_size=1, max_size=40))
def test_maybe_implausible_is_nip_problem_on_every_row_at_once(rows):
    # the vectorised check (read.clean_nips judges only what it flags) flags exactly
    # the 18-digit NIPs nip_problem refuses, and everything that is not 18 ASCII digits
    got = maybe_implausible(pd.Series([n for n, _ in rows], dtype="str"),
                            np.array([k == "pns" for _, k in rows])).tolist()
    want = [nip_problem(n, k) is not None if re.fullmatch(r"[0-9]{18}", n) else True for n, k in rows]
    assert got == want, rows



def test_maybe_implausible_on_every_boundary():
    # every edge of nip_problem's checks at once (43,904 NIPs): birth years 1939/1940 and
    # 2009/2011, Feb 29 in leap, century and ordinary years, days 0/28-32, appointment at
    # 16/17 years of age and after this year, appointment months 0/1/12/13, sex digits 0-3
    this = date.today().year
    nips = [f"{y:04d}{m:02d}{d:02d}{h:04d}{mo:02d}{sx}001"
            for y in (1900, 1939, 1940, 1996, 2000, 2009, 2011) for m in range(14)
            for d in (0, 1, 28, 29, 30, 31, 32) for h in (y + 16, y + 17, this, this + 1)
            for mo in (0, 1, 12, 13) for sx in "0123"]
    for kind in ("pns", "pppk"):
        got = maybe_implausible(pd.Series(nips, dtype="str"), np.full(len(nips), kind == "pns"))
        want = np.array([nip_problem(n, kind) is not None for n in nips])
        assert (got == want).all(), np.array(nips)[got != want][:5]
        # plausible: born 1940, 1996, 2000 (54 valid month-days each: leap) or 2009 (53),
        # appointed at 17 or this year (2), sex 1 or 2 (2), appointment month any (4) or,
        # for a PNS, 1 or 12 (2): 215 x 16 = 3,440 and 215 x 8 = 1,720 of 21,952
        assert len(nips) - int(want.sum()) == {"pns": 1720, "pppk": 3440}[kind]


key_text = st.one_of(st.sampled_from(["", " ", NIP_OK, "AS2208", "as2208", "0123"]), NIPS,
                     nip_text, st.text(max_size=8))
key_rows = st.lists(st.tuples(key_text, key_text, st.one_of(st.sampled_from(
    ["", "Ani", "Hj. Siti Rahmawati, S.Pd.", "M. Rizki"]), st.text(max_size=10)),
    st.one_of(st.sampled_from(["", "Kecamatan Loa Janan"]), st.text(max_size=10))), max_size=8)


def check_keys(rows) -> None:
    cols = list(zip(*rows)) if rows else [(), (), (), ()]
    series = [pd.Series(list(c), dtype="str") for c in cols]
    got = participant_keys(*series).tolist()
    want = [participant_key(*r) for r in rows]
    assert got == want
    # as read_one calls it: clean_nips' answer passed on (used only where every row is a NIP)
    given_full = participant_keys(*series, full=nip_digits(series[0])[0])
    assert given_full.tolist() == want and given_full.dtype == "str"


def test_participant_keys_with_every_nip_known_full():
    nips = pd.Series(["198609262015051001", "197001011995051001"], dtype="str")
    blank = pd.Series(["", ""], dtype="str")
    keys = participant_keys(nips, blank, blank, blank, full=np.array([True, True]))
    assert keys.tolist() == ["nip:198609262015051001", "nip:197001011995051001"]
    assert keys.dtype == "str"
    # NIPs held as Python objects (a workbook read row by row): the keys are text all the same
    keys_obj = participant_keys(nips.astype(object), blank, blank, blank, full=np.array([True, True]))
    assert keys_obj.dtype == "str" and keys_obj.tolist() == keys.tolist()
    # one row not a NIP: the column is trimmed and read again, the answer passed is not trusted
    nips2 = pd.Series(["198609262015051001", " 197001011995051001 "], dtype="str")
    keys2 = participant_keys(nips2, blank, blank, blank, full=np.array([True, False]))
    assert keys2.tolist() == ["nip:198609262015051001", "nip:197001011995051001"]


@budget(200)
@given(rows=key_rows)
def test_participant_keys_equals_participant_key_row_by_row(rows):
    check_keys(rows)


@REGRESSION
@given(rows=key_rows)
@example(rows=[("", " ", "", "")])
@example(rows=[("", "ß", "", "")])
@example(rows=[("²" * 18, "AS2208", "", "")])
def test_participant_keys_regression(rows):
    check_keys(rows)


def test_clean_nip_known_examples():
    assert clean_nip("19860926 201505 1 001") == (NIP_OK, "nip_cleaned")
    assert clean_nip("'" + NIP_OK) == (NIP_OK, "nip_cleaned")
    assert clean_nip(NIP_OK) == (NIP_OK, None)
    assert clean_nip("1.98E+17") == ("", "nip_mangled_by_excel")


