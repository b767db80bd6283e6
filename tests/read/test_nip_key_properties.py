"""Property tests of the NIP parser (``read.nip``: ``clean_nip``,
``nip_problem``) and of participant keys (``normalize.participant_key(s)``)."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
from hypothesis import example, given
from hypothesis import strategies as st

from propsettings import REGRESSION, budget
from evaltools.normalize import participant_key, participant_keys
from evaltools.read.nip import clean_nip, nip_problem
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


