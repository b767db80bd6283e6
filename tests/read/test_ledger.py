"""The ledger object (``read.ledger``) and the catalogue of reasons
(``read.reasons``): exclusions, repairs and flags with typed entries, the
row accounting they give, and every ledger text taken from the catalogue."""

from __future__ import annotations

import re
import string

import numpy as np
import pandas as pd
import pytest

from hypothesis import given
from hypothesis import strategies as st

import evaltools as et
from evaltools.normalize import group_codes
from evaltools.read import LEDGER_COLUMNS
from evaltools.read.ledger import Entry, Ledger
from evaltools.read.reasons import ACTIONS, REASONS, detail, explain_reasons
from evaltools.read.rows import drop_duplicates, repeated

from conftest import LOA_JANAN, ROOT, SAMPLE
from propsettings import budget


def _mask(*flags):
    return pd.Series(flags, dtype=bool)


def test_exclusions_go_first_repairs_wait_for_the_rows_kept():
    ledger = Ledger()
    rows = ledger.file("pre.csv", 2, 4)
    rows.repair(_mask(True, True, False, False), "nip", "nip_cleaned")
    rows.exclude(_mask(False, True, False, False), "no_identifier", "nip")  # row 3, repaired before
    rows.exclude(_mask(False, True, True, False), "empty_row")              # row 3 already out: row 4 only
    rows.flag(_mask(False, False, False, True), "opd", "opd_unknown", written="X", suggestions="")
    assert rows.keep.tolist() == [True, False, False, True]
    assert ledger.frame().empty is False and len(ledger.entries) == 2  # the notes wait for close()
    rows.close()
    led = ledger.frame()
    assert list(led.columns) == LEDGER_COLUMNS
    assert led[["row", "column", "reason", "action"]].values.tolist() == [
        [2, "nip", "nip_cleaned", "repaired"],
        [3, "nip", "no_identifier", "excluded"],   # its repair is gone with the row
        [4, "", "empty_row", "excluded"],
        [5, "opd", "opd_unknown", "flagged"]]
    assert led["detail"].tolist() == [REASONS["nip_cleaned"].detail, REASONS["no_identifier"].detail,
                                      "baris kosong", "'X' tidak ada di daftar OPD; dipakai apa adanya"]
    assert led.dtypes.astype(str).to_dict() == {"source": "str", "row": "int64", "column": "str",
                                                "reason": "str", "detail": "str", "action": "str"}


def test_entries_are_typed_one_per_check_and_file():
    ledger = Ledger()
    rows = ledger.file("post.xlsx", 3, 3)
    rows.exclude(_mask(True, False, True), "unknown_session", "session", session="kukar-2024-12-01")
    [entry] = ledger.entries
    assert isinstance(entry, Entry)
    assert (entry.source, entry.column, entry.reason, entry.action) == (
        "post.xlsx", "session", "unknown_session", "excluded")
    assert entry.rows.tolist() == [3, 5] and entry.rows.dtype == np.int64
    assert entry.detail == "sesi berbeda dari 'kukar-2024-12-01'"
    with pytest.raises(AttributeError):
        entry.reason = "empty_row"  # frozen
    # a check that touches no row writes nothing
    rows.exclude(_mask(False, False, False), "empty_row")
    assert len(ledger.entries) == 1


def test_a_detail_per_row():
    ledger = Ledger()
    rows = ledger.file("pre.csv", 2, 3)
    texts = np.array([None, "'a' -> 'A'", "'b' -> 'B'"], dtype=object)
    rows.repair(_mask(False, True, True), "opd", "opd_canonical", detail=texts)
    rows.exclude(_mask(False, False, True), "empty_row")
    rows.close()
    assert ledger.frame()[["row", "detail"]].values.tolist() == [[3, "'a' -> 'A'"], [4, "baris kosong"]]


@pytest.mark.parametrize("method, reason", [("repair", "empty_row"), ("flag", "nip_cleaned"),
                                            ("exclude", "opd_unknown")])
def test_the_catalogue_decides_what_a_reason_does(method, reason):
    rows = Ledger().file("pre.csv", 2, 1)
    args = (_mask(True), reason) if method == "exclude" else (_mask(True), "nip", reason)
    with pytest.raises(ValueError, match=f"{reason}.*not"):
        getattr(rows, method)(*args)


def test_an_empty_ledger_has_the_columns_and_no_row():
    led = Ledger().frame()
    assert list(led.columns) == LEDGER_COLUMNS and len(led) == 0


def test_frame_sorts_by_file_and_row_keeping_a_rows_entries_in_order():
    ledger = Ledger()
    b = ledger.file("b.csv", 2, 2)
    b.repair(_mask(True, True), "nip", "nip_cleaned")
    b.flag(_mask(False, True), "nip", "nip_implausible", problem="tahun lahir 1900 tidak masuk akal")
    b.close()
    a = ledger.file("a.csv", 2, 1)
    a.exclude(_mask(True), "empty_row")
    a.close()
    led = ledger.frame()
    assert led[["source", "row", "reason"]].values.tolist() == [
        ["a.csv", 2, "empty_row"], ["b.csv", 2, "nip_cleaned"], ["b.csv", 3, "nip_cleaned"],
        ["b.csv", 3, "nip_implausible"]]
    assert led["detail"].iloc[-1] == "tahun lahir 1900 tidak masuk akal; NIP tetap dipakai"


def test_a_dropped_duplicate_keeps_only_its_exclusion():
    """``drop_duplicates`` forgets the repairs of the rows it drops (of that
    file only) and excludes each beside the row kept."""
    ledger = Ledger()
    for source in ("pre.csv", "post.csv"):
        rows = ledger.file(source, 2, 2)
        rows.repair(_mask(True, True), "nip", "nip_cleaned")
        rows.close()
    data = pd.DataFrame({"session": "s", "wave": ["pre", "pre", "post", "post"],
                         "pid": ["nip:1", "nip:1", "nip:1", "nip:2"],
                         "submitted_at": pd.to_datetime(["2024-11-22 10:00", "2024-11-22 09:00",
                                                         "2024-11-22 11:00", "2024-11-22 11:00"]),
                         "source": ["pre.csv", "pre.csv", "post.csv", "post.csv"], "row": [2, 3, 2, 3]})
    kept = drop_duplicates(data, ledger)
    assert kept["row"].tolist() == [2, 2, 3]
    led = ledger.frame()
    assert led[["source", "row", "reason", "action", "detail"]].values.tolist() == [
        ["post.csv", 2, "nip_cleaned", "repaired", REASONS["nip_cleaned"].detail],
        ["post.csv", 3, "nip_cleaned", "repaired", REASONS["nip_cleaned"].detail],
        ["pre.csv", 2, "nip_cleaned", "repaired", REASONS["nip_cleaned"].detail],
        ["pre.csv", 3, "duplicate_submission", "excluded",
         "peserta sama mengisi lagi; dipakai baris 2 (pre.csv)"]]


def test_the_catalogue():
    assert {r.action for r in REASONS.values()} == set(ACTIONS)
    for code, r in REASONS.items():
        assert r.meaning and r.meaning_en and r.detail, code
        assert r.meaning != r.meaning_en, code
    assert explain_reasons("en").columns.tolist() == ["action", "reason", "meaning"]
    assert explain_reasons().set_index("reason").loc["opd_fuzzy", "arti"] == REASONS["opd_fuzzy"].meaning
    assert detail("opd_fuzzy", written="Kec Loa Janaan", opd="Kec. Loa Janan", score=96.6) == \
        "'Kec Loa Janaan' -> 'Kec. Loa Janan' (kemiripan 97)"


def _pattern(template: str) -> re.Pattern:
    """The texts a detail template gives: its fixed parts as written, any fact in between."""
    parts = [re.escape(lit) + ("(.*)" if field is not None else "")
             for lit, field, _, _ in string.Formatter().parse(template)]
    return re.compile("".join(parts), re.S)


def test_every_ledger_text_comes_from_the_catalogue(inst):
    """The detail of every ledger row of the sample sessions and the reader's
    fixtures is its reason's catalogue template filled with facts: no text
    is written anywhere else."""
    folders = [p for p in sorted(SAMPLE.iterdir()) if p.is_dir()]
    folders += [p for p in sorted((ROOT / "tests" / "fixtures" / "read").iterdir()) if p.is_dir()]
    seen = set()
    for folder in folders:
        try:
            r = et.read_responses(folder, inst, session=None if folder.parent == SAMPLE else "uji-2024-01-01")
        except et.EvalToolsError:
            continue
        for reason, action, text in zip(r.ledger["reason"], r.ledger["action"], r.ledger["detail"]):
            assert REASONS[reason].action == action, (folder.name, reason)
            assert _pattern(REASONS[reason].detail).fullmatch(text), (folder.name, reason, text)
            seen.add(reason)
    assert len(seen) >= 10, seen


def test_the_sample_session_ledger_is_unchanged(inst):
    """The ledger of Loa Janan, row by row, as the reader wrote it before the
    ledger became an object (commit db2d9d6): rows 4 and 9 of the entry
    template, each with two entries in the order the checks ran."""
    led = et.read_responses(LOA_JANAN, inst).ledger
    assert led.groupby(["action", "reason"]).size().to_dict() == {
        ("excluded", "duplicate_submission"): 5, ("excluded", "empty_row"): 1,
        ("repaired", "nip_cleaned"): 4, ("repaired", "nip_mangled_by_excel"): 6,
        ("repaired", "opd_canonical"): 9}
    xlsx = led[led["source"] == "post-entri-kertas-sintetis.xlsx"]
    assert xlsx[xlsx["row"].isin([4, 9, 11])][["row", "column", "reason", "detail"]].values.tolist() == [
        [4, "nip", "nip_mangled_by_excel", "NIP rusak oleh Excel (notasi ilmiah atau digit akhir jadi 0); "
                                           "dikosongkan, tidak dipakai untuk mencocokkan"],
        [4, "opd", "opd_canonical", "'Kantor Camat Loa Janan' -> 'Kecamatan Loa Janan'"],
        [9, "nip", "nip_cleaned", "spasi/titik/tanda hubung/apostrof/label 'NIP' dihapus"],
        [9, "opd", "opd_canonical", "'Puskesmas Loa Janan' -> 'UPT Puskesmas Loa Janan'"],
        [11, "", "duplicate_submission",
         "peserta sama mengisi lagi; dipakai baris 24 (post-entri-kertas-sintetis.xlsx)"]]


@budget(200)
@given(rows=st.lists(st.tuples(st.integers(0, 11), st.sampled_from(["pre", "post"]), st.sampled_from(
    ["nip:198609262015051001", "nip:198609262015051002", "nip:000000000000000001", "nip:1",
     "kode:AB1", "nama:ani|dinas x", "", "nip:19860926201505100x"])), max_size=30),
    sessions=st.integers(1, 12), digits_only=st.booleans())
def test_repeated_by_integers_is_the_texts(rows, sessions, digits_only):
    """``rows.repeated`` compares NIP keys as integers (one prefix, one
    width, at most 9 sessions and waves): the rows it finds are those the
    texts' codes find, with up to 12 sessions and keys of other shapes."""
    if digits_only:  # every key "nip:" + 18 digits: the integer path
        rows = [(s, w, p if p.startswith("nip:") and len(p) == 22 and p[4:].isdigit() else
                 "nip:198609262015051003") for s, w, p in rows]
    data = pd.DataFrame({"session": pd.Series([f"sesi-{s % sessions}" for s, _, _ in rows], dtype="str"),
                         "wave": pd.Series([w for _, w, _ in rows], dtype="str"),
                         "pid": pd.Series([p for _, _, p in rows], dtype="str")})
    texts = pd.Series(group_codes(data[["session", "wave", "pid"]])).duplicated(keep=False).to_numpy()
    assert repeated(data).tolist() == texts.tolist()


@budget(200)
@given(rows=st.lists(st.tuples(st.sampled_from(["s1", "s2", None]), st.sampled_from(["pre", "post"]),
                               st.sampled_from(["a", "b", "", None])), max_size=25),
       constant=st.sampled_from([None, 0, 1, 2]))
def test_group_codes_number_rows_as_their_tuples_first_appear(rows, constant):
    """``group_codes`` gives equal rows one code, numbered in order of first
    appearance, as pandas' factorize of the rows as tuples does; a column
    of one value (``constant``: made so) is skipped, the first varying
    column's codes taken as they are."""
    if constant is not None:
        rows = [tuple("x" if k == constant else v for k, v in enumerate(r)) for r in rows]
    frame = pd.DataFrame({c: pd.Series([r[k] for r in rows], dtype="str") for k, c in enumerate("abc")})
    tuples = pd.Series([tuple("<NA>" if pd.isna(v) else v for v in r) for r in rows], dtype=object)
    want = pd.factorize(tuples)[0] if len(rows) else np.zeros(0, np.int64)
    got = group_codes(frame)
    assert got.tolist() == want.tolist()
    assert got.dtype == np.int64


def test_group_codes_of_one_varying_column_among_constant_ones():
    frame = pd.DataFrame({"session": ["s"] * 4, "wave": ["post", "pre", "post", "pre"], "pid": "x"})
    assert group_codes(frame).tolist() == [0, 1, 0, 1]
