"""Reading the canonical layout: every row accounted for, identifiers stay text,
bad files get one clear EvalToolsError."""

import pandas as pd
import pytest
from openpyxl import Workbook

import evaltools as et
from evaltools import EvalToolsError
from evaltools.read import clean_nip, participant_key

from conftest import KALTIM, LOA_JANAN

NIP_A = "198609262015051001"
NIP_B = "199001012019032002"


def _rows(inst, answers="b"):
    """Two participants answering every scored item with option `answers` (or the key)."""
    base = []
    for nama, nip, kode in (("Ani Lestari", NIP_A, ""), ("Budi Santoso", "", "bs0101")):
        row = {"nama": nama, "nip": nip, "kode_peserta": kode, "opd": "Kecamatan Loa Janan",
               "jenis_pegawai": "pns"}
        for item in inst.items:
            row[item.id] = " ".join(sorted(item.key)) if item.type == "multi" else item.key
        base.append(row)
    return base


def _accounting_holds(r):
    assert r.n_input_rows == len(r.data) + r.n_excluded
    assert (r.sources["rows"] == r.sources["kept"] + r.sources["excluded"]).all()


def test_sample_sessions_account_for_every_row(inst):
    for folder in (LOA_JANAN, KALTIM):
        r = et.read_responses(folder, inst)
        _accounting_holds(r)
        raw_rows = sum(len(pd.read_csv(folder / f, dtype=str, skip_blank_lines=False))
                       for f in ("pre.csv", "post.csv"))
        assert r.n_input_rows == raw_rows
        assert set(r.ledger.columns) == {"source", "row", "column", "reason", "detail", "action"}


def test_loa_janan_ledger(inst):
    r = et.read_responses(LOA_JANAN, inst)
    counts = r.ledger_counts().set_index(["action", "reason"])["n"].to_dict()
    # what the seeded simulator put in: one stray empty row per file, a few
    # double submissions, NIPs typed with spaces
    assert counts[("excluded", "empty_row")] == 2
    assert counts[("excluded", "duplicate_submission")] >= 1
    assert counts[("repaired", "nip_cleaned")] >= 1
    empty = r.ledger[r.ledger["reason"] == "empty_row"]
    pre_raw = pd.read_csv(LOA_JANAN / "pre.csv", dtype=str, keep_default_na=False,
                          skip_blank_lines=False)
    blank_idx = pre_raw.index[(pre_raw == "").all(axis=1)][0]
    # Excel row = 0-based data index + 2 (the header is row 1)
    assert empty[empty["source"] == "pre.csv"]["row"].tolist() == [blank_idx + 2]


def test_identifiers_stay_text(inst, tmp_path):
    rows = _rows(inst)
    rows[1]["kode_peserta"] = "0123"
    path = tmp_path / "pre.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    r = et.read_responses(path, inst, session="s1")
    assert r.data["nip"].tolist() == [NIP_A, ""]
    assert r.data.loc[1, "kode_peserta"] == "0123"
    assert r.data["pid"].tolist() == [f"nip:{NIP_A}", "kode:0123"]
    assert r.data["wave"].tolist() == ["pre", "pre"]  # from the file name
    assert r.data["session"].tolist() == ["s1", "s1"]


@pytest.mark.parametrize("encoding, sep, prefix", [
    ("utf-8", ",", ""), ("utf-8-sig", ",", ""), ("cp1252", ";", ""), ("utf-8", "\t", ""),
    ("utf-8", ";", "sep=;\n")])
def test_encodings_and_separators(inst, tmp_path, encoding, sep, prefix):
    rows = _rows(inst)
    rows[0]["nama"] = "Ani Lestari Ç"  # a non-ASCII letter cp1252 can hold
    path = tmp_path / "post.csv"
    text = prefix + pd.DataFrame(rows).to_csv(index=False, sep=sep)
    path.write_bytes(text.encode(encoding))
    r = et.read_responses(path, inst, session="s1")
    assert r.data["nama"].tolist() == ["Ani Lestari Ç", "Budi Santoso"]
    assert r.data["wave"].tolist() == ["post", "post"]
    assert r.data["q01"].tolist() == ["b", "b"]


def test_xlsx_with_text_nip_and_a_mangled_numeric_nip(inst, tmp_path):
    rows = _rows(inst)
    wb = Workbook()
    ws = wb.active
    header = list(rows[0])
    ws.append(header)
    for r in rows:
        ws.append([r[h] for h in header])
    ws.cell(2, header.index("nip") + 1).value = 1.98609262015051e17  # typed as a number
    ws.cell(3, header.index("nip") + 1).value = NIP_B                  # typed as text
    ws.cell(3, header.index("kode_peserta") + 1).value = ""
    ws.cell(2, header.index("nama") + 1).value = "=1+1"                  # never evaluated
    path = tmp_path / "pretest.xlsx"
    wb.save(path)
    r = et.read_responses(path, inst, session="s1")
    _accounting_holds(r)
    # row 2 lost its NIP to Excel and has no code: excluded, with both reasons in the ledger
    assert r.ledger[["row", "reason", "action"]].values.tolist() == [
        [2, "nip_mangled", "repaired"], [2, "no_identifier", "excluded"]]
    assert r.data["nip"].tolist() == [NIP_B]


def test_missing_item_column_is_one_clear_error(inst, tmp_path):
    df = pd.DataFrame(_rows(inst)).drop(columns=["q07"])
    path = tmp_path / "post.csv"
    df.to_csv(path, index=False)
    with pytest.raises(EvalToolsError) as info:
        et.read_responses(path, inst)
    err = info.value
    assert (err.file, err.row, err.column) == ("post.csv", 1, "q07")
    assert str(err).startswith("post.csv, baris 1, kolom q07: kolom butir q07 tidak ada")
    assert "Perbaikan: tambahkan kolom q07" in str(err)
    assert "item column(s) q07 missing" in err.message_en


def test_duplicates_keep_the_latest(inst, tmp_path):
    rows = _rows(inst)
    late = dict(rows[0], submitted_at="2024-11-22 10:05:00", q01="a")
    early = dict(rows[0], submitted_at="2024-11-22 09:55:00")
    path = tmp_path / "post.csv"
    pd.DataFrame([late, early, rows[1]]).to_csv(path, index=False)
    r = et.read_responses(path, inst, session="s1")
    _accounting_holds(r)
    assert len(r.data) == 2
    kept = r.data[r.data["pid"] == f"nip:{NIP_A}"]
    assert kept["q01"].tolist() == ["a"] and kept["row"].tolist() == [2]
    dup = r.ledger[r.ledger["reason"] == "duplicate_submission"]
    assert dup[["row", "action"]].values.tolist() == [[3, "excluded"]]
    assert "baris 2" in dup["detail"].iloc[0]


def test_answer_repairs(inst, tmp_path):
    rows = _rows(inst)
    rows[0]["q01"] = " B "      # case and spaces: normalised silently
    rows[0]["q02"] = "e"        # not an option: set missing, ledgered
    rows[0]["q31"] = "d;a, c"   # multi with mixed separators
    rows[1]["sikap_1"] = "7"    # outside 1-5
    path = tmp_path / "pre.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    r = et.read_responses(path, inst, session="s1")
    assert r.data.loc[0, "q01"] == "b"
    assert r.data.loc[0, "q02"] == ""
    assert r.data.loc[0, "q31"] == "a c d"
    assert pd.isna(r.data.loc[1, "sikap_1"])
    rep = r.ledger[r.ledger["action"] == "repaired"][["row", "column", "reason"]].values.tolist()
    assert rep == [[2, "q02", "invalid_answer"], [3, "sikap_1", "invalid_likert"]]


def test_unknown_wave_needs_an_answer(inst, tmp_path):
    path = tmp_path / "jawaban.csv"
    pd.DataFrame(_rows(inst)).to_csv(path, index=False)
    with pytest.raises(EvalToolsError, match="gelombang tes") as info:
        et.read_responses(path, inst)
    assert info.value.file == "jawaban.csv"
    assert len(et.read_responses(path, inst, wave="post").data) == 2


def test_unsupported_and_empty_files(inst, tmp_path):
    (tmp_path / "a.ods").write_text("x")
    with pytest.raises(EvalToolsError, match="tidak didukung"):
        et.read_responses(tmp_path / "a.ods", inst)
    (tmp_path / "pre.csv").write_text("")
    with pytest.raises(EvalToolsError, match="tidak dapat dibaca|kosong"):
        et.read_responses(tmp_path / "pre.csv", inst)


def test_clean_nip_and_key():
    assert clean_nip("19860926.201505.1.001") == (NIP_A, "nip_cleaned")
    assert clean_nip(NIP_A) == (NIP_A, None)
    assert clean_nip("12345") == ("12345", "nip_invalid")
    assert clean_nip("1,98609E+17") == ("", "nip_mangled")  # Indonesian decimal comma
    assert participant_key("", "") == ""
