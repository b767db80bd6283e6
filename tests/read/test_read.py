"""Reading the canonical layout: every row accounted for, identifiers stay text,
bad files get one clear EvalToolsError."""

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

import evaltools as et
from evaltools import EvalToolsError
from evaltools.read import clean_nip, participant_key
from evaltools.read.table import decoded
from evaltools.normalize import norm_name
from evaltools.read.nip import nip_problem

from conftest import KALTIM, LOA_JANAN, sample_file

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


def _raw_rows(path):
    """Data rows of a sample file counted without evaltools: CSV records after
    the header; template rows from row 3 up to the last filled one."""
    if path.suffix == ".csv":
        sep = ";" if "xml" in path.name else ","
        return len(pd.read_csv(path, dtype=str, sep=sep, skip_blank_lines=False))
    ws = load_workbook(path, read_only=True)["Jawaban"]
    filled = [i for i, r in enumerate(ws.iter_rows(min_row=3, values_only=True), start=3)
              if any(v not in (None, "") for v in r)]
    return filled[-1] - 2


def test_sample_sessions_account_for_every_row(inst):
    for folder in (LOA_JANAN, KALTIM):
        r = et.read_responses(folder, inst)
        _accounting_holds(r)
        files = [p for p in folder.iterdir() if p.suffix in (".csv", ".xlsx")]
        assert r.n_input_rows == sum(_raw_rows(p) for p in files)
        assert set(r.ledger.columns) == {"source", "row", "column", "reason", "detail", "action"}


def test_loa_janan_ledger(inst):
    r = et.read_responses(LOA_JANAN, inst)
    counts = r.ledger_counts().set_index(["action", "reason"])["n"].to_dict()
    # what the seeded simulator put in: Kobo (pre) and the typed paper forms
    # (post, entry template): double submissions, one stray empty row in the
    # typed file, NIPs typed with spaces or into number cells, OPD short names
    assert counts == {("excluded", "duplicate_submission"): 5, ("excluded", "empty_row"): 1,
                      ("repaired", "nip_cleaned"): 4, ("repaired", "nip_mangled_by_excel"): 6,
                      ("repaired", "opd_canonical"): 9}
    post = sample_file(LOA_JANAN, "post")
    ws = load_workbook(post, read_only=True)["Jawaban"]
    blank = [i for i, row in enumerate(ws.iter_rows(min_row=3, max_row=80, values_only=True), start=3)
             if all(v in (None, "") for v in row)][0]
    empty = r.ledger[r.ledger["reason"] == "empty_row"]
    # rows as Excel shows them: the template's data start at row 3
    assert empty[["source", "row"]].values.tolist() == [[post.name, blank]]
    fixed = r.ledger[r.ledger["reason"] == "opd_canonical"]
    assert set(fixed["source"]) == {post.name}  # Kobo sends registry choices, never free text


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
    ws.cell(2, header.index("nama") + 1).value = None
    ws.cell(3, header.index("nama") + 1).value = "=1+1"                  # never evaluated
    path = tmp_path / "pretest.xlsx"
    wb.save(path)
    r = et.read_responses(path, inst, session="s1")
    _accounting_holds(r)
    # row 2 lost its NIP to Excel and has neither code nor name: excluded (its
    # repairs are not listed: the exclusion is what the evaluator must see)
    assert r.ledger[["row", "reason", "action"]].values.tolist() == [[2, "no_identifier", "excluded"]]
    assert r.data["nip"].tolist() == [NIP_B]
    assert r.data["nama"].tolist() == ["=1+1"]


def test_mangled_nip_with_a_name_is_kept_without_its_nip(inst, tmp_path):
    rows = _rows(inst)
    rows[0]["nip"], rows[0]["kode_peserta"] = "198609262015051000", ""  # Excel's float damage
    path = tmp_path / "pre.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    r = et.read_responses(path, inst, session="s1")
    _accounting_holds(r)
    assert r.ledger[["row", "column", "reason", "action"]].values.tolist() == [
        [2, "nip", "nip_mangled_by_excel", "repaired"]]
    kept = r.data.set_index("row").loc[2]
    assert kept["nip"] == "" and kept["pid"] == f"nama:{norm_name(rows[0]['nama'])}|kecamatan loa janan"


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
    # the folder (pytest's tmp dir) is not named like a session: say so, never guess
    with pytest.raises(EvalToolsError, match="sesi tidak diketahui") as info:
        et.read_responses(path, inst, wave="post")
    assert info.value.column == "session"
    assert len(et.read_responses(path, inst, wave="post", session="uji-2024-11-22").data) == 2
    # a file named as the session, a wave word around it, names it
    named = tmp_path / "post_loa-janan-2024-11-22.csv"
    path.rename(named)
    assert set(et.read_responses(named, inst).data["session"]) == {"loa-janan-2024-11-22"}


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
    assert clean_nip("1,98609E+17") == ("", "nip_mangled_by_excel")  # Indonesian decimal comma
    assert clean_nip("198609262015051008.0") == ("", "nip_mangled_by_excel")  # through a float
    assert clean_nip("198609262015051000") == ("", "nip_mangled_by_excel")  # sequence 000
    assert clean_nip("'198609262015051001") == (NIP_A, "nip_cleaned")  # Excel's text apostrophe
    assert nip_problem(NIP_A) is None
    assert nip_problem("198602302015051001") == "tanggal lahir 1986-02-30 tidak mungkin"
    assert nip_problem("198609262015053001") == "digit jenis kelamin (ke-15) '3' bukan 1 atau 2"
    assert nip_problem("203009262015051001") == "tahun lahir 2030 tidak masuk akal"
    # NI PPPK: digits 13-14 count work agreements, not a month; not judged
    assert nip_problem("199001012022011001") is None and nip_problem("199001012022151001") is None
    assert participant_key("", "") == ""


def test_validate_command_prints_ledger_and_audit_without_analysis(capsys):
    from evaltools import cli
    from conftest import INSTRUMENT
    code = cli.main(["validate", str(LOA_JANAN), "--instrument", str(INSTRUMENT)])
    assert code == 0
    out = capsys.readouterr().out
    assert out.startswith("Berkas: 2; baris dibaca 114, dipakai 108, dikeluarkan 6\n")
    assert "- Kiriman ganda (5):" in out and "- NIP rusak oleh Excel (6):" in out
    assert "Pencocokan pre-post: 52 berpasangan (NIP 33, kode peserta 13, nama+OPD 6). tanpa " \
           "pasangan: 3 hanya pre, 1 hanya post." in " ".join(out.split())
    assert "d_z" not in out and "p_t" not in out  # no statistics: validation only


def test_validate_command_reports_a_bad_file_as_one_error(tmp_path, capsys):
    from evaltools import cli
    from conftest import INSTRUMENT
    bad = tmp_path / "pre.csv"
    bad.write_text("nama,nip\nAni,198609262015051001\n", encoding="utf-8")
    assert cli.main(["validate", str(bad), "--instrument", str(INSTRUMENT)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("evaltools: pre.csv, baris 1, kolom q01: kolom butir q01")
    assert "Traceback" not in err


def test_indonesian_excel_csv_with_title_rows_and_opd_spellings(inst, tmp_path):
    """sep= line, cp1252, two title rows, human headers, decimal comma, a NIP
    Excel wrote in scientific notation, OPD aliases/misspellings/unknowns and
    trailing rows of bare ";" (input rows, ledgered): rows are numbered as Excel shows them."""
    keyed = {i.id: " ".join(sorted(i.key)) if i.type == "multi" else i.key for i in inst.items}
    head = ["No", "Nama Lengkap", "NIP", "Unit Kerja", "Jabatan", *keyed, "sikap_1"]
    people = [
        ("1", "Ani Lestari", "'198609262015052001", "Kec. Loa Janan", "Pelaksana", "4,0"),
        ("2", "Budi Santoso", "1,98703E+17", "Kecamatan Loa Janaan", "Analis", "5"),
        ("3", "Citra Dewi", "198801012015052002", "Dinas Pariwisata Kukar", "Pengelola", "3"),
        ("4", "Dedi Kurniawan", "198613262015051003", "Puskesmas Loa Janan", "Perawat", ""),
        ("5", "Eko Prasetyo", "198705052015051004", "Diskominfo", "Analis", "4"),
    ]
    lines = ["sep=;", "DAFTAR HADIR DAN JAWABAN PRE-TEST;;;", "Sosialisasi Netralitas ASN – Loa Janan;;;",
             ";".join(head)]
    lines += [";".join([*p[:5], *keyed.values(), p[5]]) for p in people]
    lines += [";" * (len(head) - 1)] * 3
    path = tmp_path / "pre-test-loa-janan.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    r = et.read_responses(path, inst, session="s1")
    _accounting_holds(r)
    # the 3 trailing rows of bare ';' are input rows (deleted responses), each in the ledger
    assert r.n_input_rows == 8 and len(r.data) == 5
    assert r.ledger.loc[r.ledger["reason"] == "empty_row", "row"].tolist() == [9, 10, 11]
    d = r.data.set_index("row")
    # header on Excel row 3 (the sep= line is not shown by Excel), data from row 4
    assert d.index.tolist() == [4, 5, 6, 7, 8]
    assert d.loc[4, "nip"] == "198609262015052001" and d.loc[4, "sikap_1"] == 4
    assert d.loc[5, "nip"] == "" and d.loc[5, "pid"] == "nama:budi santoso|kecamatan loa janan"
    assert d["opd"].tolist() == ["Kecamatan Loa Janan", "Kecamatan Loa Janan", "Dinas Pariwisata Kukar",
                                 "UPT Puskesmas Loa Janan", "Diskominfo"]
    assert d.loc[7, "opd_induk"] == "Dinkes Kab. Kutai Kartanegara"
    led = r.ledger[r.ledger["reason"] != "empty_row"].set_index(["row", "reason"])
    assert led["action"].to_dict() == {
        (4, "nip_cleaned"): "repaired", (4, "opd_canonical"): "repaired",
        (5, "nip_mangled_by_excel"): "repaired", (5, "opd_fuzzy"): "repaired",
        (6, "opd_unknown"): "flagged", (7, "nip_implausible"): "flagged",
        (7, "opd_canonical"): "repaired", (8, "opd_unknown"): "flagged"}
    assert led.loc[(6, "opd_unknown"), "detail"].startswith(
        "'Dinas Pariwisata Kukar' tidak ada di daftar OPD; dipakai apa adanya; mungkin: Dinas Perikanan")
    # "Diskominfo" alone fits three registry units: not guessed, all three suggested
    assert led.loc[(8, "opd_unknown"), "detail"].endswith(
        "mungkin: Diskominfo Prov. Kaltim; Diskominfo Kab. Kutai Kartanegara; Diskominfo Kota Balikpapan")
    assert led.loc[(7, "nip_implausible"), "detail"].startswith("tanggal lahir 1986-13-26 tidak mungkin")


# --- what an independent review of the reader found, kept fixed ---------------

def test_opd_resolver_does_not_wear_out(inst):
    """Resolving one spelling must not spoil the next one of the same OPD."""
    from evaltools.read.opd import OpdResolver, load_opd_registry
    r = OpdResolver(load_opd_registry("data/opd.csv"))
    for written in ("Camat Loa Janan", "Kantor Kecamatan Loa Janan", "Camat Loa Janan"):
        assert r.resolve(written).opd == "Kecamatan Loa Janan"
        r._cache.clear()


@pytest.mark.parametrize("written,region,opd,reason", [
    ("BKD", "kutai_kartanegara", "BKPSDM Kab. Kutai Kartanegara", "opd_canonical"),  # alias BKD Kutai Kartanegara
    ("BKD", "samarinda", "BKD", "opd_unknown"),              # BKD Prov. Kaltim or BKPSDM Kota Samarinda
    ("Dinas Kesehatan", "kutai_kartanegara", "Dinkes Kab. Kutai Kartanegara", "opd_canonical"),
    ("Dinas Kesehatan", "paser", "Dinas Kesehatan", "opd_unknown"),  # none in Paser: no guess
])
def test_a_name_without_region_uses_the_participants_region(written, region, opd, reason):
    from evaltools.read.opd import OpdResolver, load_opd_registry
    x = OpdResolver(load_opd_registry("data/opd.csv")).resolve(written, region)
    assert (x.opd, x.reason) == (opd, reason)


def test_degrees_without_comma_still_match_by_name(inst, tmp_path):
    rows = _rows(inst)
    pre = [dict(rows[0], nip="", kode_peserta="", nama="Sri Wahyuni, S.Pd.")]
    post = [dict(rows[0], nip="", kode_peserta="", nama="Sri Wahyuni S.Pd")]
    pd.DataFrame(pre).to_csv(tmp_path / "pre-uji-2024-11-22.csv", index=False)
    pd.DataFrame(post).to_csv(tmp_path / "post-uji-2024-11-22.csv", index=False)
    ev = et.evaluate(tmp_path, inst, meta={})
    assert ev.pairs.matched["match_by"].tolist() == ["nama_opd"]
    assert norm_name("Dewi Lestari SE") == "dewi lestari" and norm_name("Andi Ma") == "andi ma"


def test_nip_labels_dashes_and_spaces_are_cleaned_and_ledgered(inst, tmp_path):
    rows = _rows(inst)
    rows[0]["nip"] = " NIP. 19860926–201505–1–001 "
    rows[1]["nip"], rows[1]["kode_peserta"] = " 198703152010012003 ", ""
    path = tmp_path / "pre-uji-2024-11-22.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    r = et.read_responses(path, inst)
    assert r.data["nip"].tolist() == [NIP_A, "198703152010012003"]
    assert r.ledger[["row", "reason"]].values.tolist() == [[2, "nip_cleaned"], [3, "nip_cleaned"]]


def test_appointment_year_and_pns_month():
    assert nip_problem("198609262030051001") == "tahun pengangkatan 2030 tidak masuk akal (lahir 1986)"
    assert nip_problem("198609261990051001") == "tahun pengangkatan 1990 tidak masuk akal (lahir 1986)"
    assert nip_problem("198609262015131001", "pns") == "bulan pengangkatan 13 tidak mungkin"
    assert nip_problem("198609262015131001", "pppk") is None   # NI PPPK: not a month


def test_columns_none_leaves_a_column_out_and_a_bad_target_is_refused(inst, tmp_path):
    rows = _rows(inst)
    for r in rows:
        r["Instansi"] = "Pemerintah Kabupaten Kutai Kartanegara"  # a second OPD-like column
    path = tmp_path / "pre-uji-2024-11-22.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    with pytest.raises(EvalToolsError, match=r"columns=\{'Instansi': None\}"):
        et.read_responses(path, inst)
    r = et.read_responses(path, inst, columns={"Instansi": None})
    assert set(r.data["opd"]) == {"Kecamatan Loa Janan"}
    assert "Instansi" in r.sources["ignored_columns"].iloc[0]
    with pytest.raises(EvalToolsError, match="'unit_kerja' bukan id kolom"):
        et.read_responses(path, inst, columns={"Instansi": "unit_kerja"})


def test_unreadable_time_is_flagged(inst, tmp_path):
    rows = _rows(inst)
    rows[0]["waktu"], rows[1]["waktu"] = "22/11/2024 08.15", "2024/11/22 8:15:02 PTG"
    path = tmp_path / "pre-uji-2024-11-22.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    r = et.read_responses(path, inst)
    assert r.ledger[["row", "reason", "action"]].values.tolist() == [[3, "time_unreadable", "flagged"]]
    assert r.data["submitted_at"].isna().tolist() == [False, True]


def test_arrow_strips_exactly_what_python_strips():
    """The reader strips cells with Arrow (``strip_cells``); the row-by-row
    reader's rules are Python's ``str.strip()``: the same for every code point."""
    from evaltools.read.table import strip_cells
    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    cells = pd.Series([c + "a" + c for c in chars], dtype=pd.StringDtype("pyarrow", na_value=np.nan))
    got = strip_cells(pd.DataFrame({"x": cells}))["x"].tolist()
    assert got == [(c + "a" + c).strip() for c in chars]
    assert sum(g == "a" for g in got) == 29  # the 29 characters str.isspace() is true for
    # strip_cells trims a column only when a first or last character is a space (Arrow's
    # utf8_is_space): it must be true for exactly the characters str.strip() removes
    from evaltools.read.table import _has_edge_space
    text = pd.StringDtype("pyarrow", na_value=np.nan)
    spaces = [c for c in chars if c.isspace()]
    assert all(_has_edge_space(pd.Series([c + "a", "b"], dtype=text)) for c in spaces)
    assert all(_has_edge_space(pd.Series(["b", "a" + c], dtype=text)) for c in spaces)
    others = pd.Series([c for c in chars if not c.isspace()], dtype=text)
    assert not _has_edge_space(others) and not _has_edge_space(others + "a")


def _snapshot(folder):
    import hashlib
    return {p.relative_to(folder).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_evaluating_and_exporting_leave_the_input_folder_as_it_was(inst, tmp_path):
    # reading never modifies an input file, and nothing is written beside it
    import shutil
    folder = tmp_path / "loa-janan-2024-11-22"
    shutil.copytree(LOA_JANAN, folder)
    before = _snapshot(folder)
    assert len(before) >= 3
    ev = et.evaluate(folder, inst)
    ev.export(tmp_path / "reports", formats=("png",))
    assert _snapshot(folder) == before
    assert (tmp_path / "reports" / "kirim" / "ringkasan.xlsx").exists()


# --------------------------------------------------------------------------
# Large CSV files: streamed in blocks, never held whole, a progress bar
# --------------------------------------------------------------------------

def test_stray_quote_is_found_wherever_the_scan_cuts_the_file(tmp_path, monkeypatch):
    """``columnar._scan`` reads a few bytes at a time in this test: a stray
    quote ('Dewi"s', which Arrow would swallow) straddling any cut is found,
    and a file without one is not refused."""
    from evaltools.read import columnar
    monkeypatch.setattr(columnar, "_SCAN_BYTES", 4)
    path = tmp_path / "pre.csv"
    for pad in range(8):  # shifts the quote across every position of a 4-byte block
        path.write_bytes(b"nama,q01\n" + b"x" * pad + b',a\nDewi"s,b\n')
        assert columnar._scan(path, 0) == (1, True, False), pad
        path.write_bytes(b"nama,q01\n" + b"x" * pad + b',a\n"Dewi, S",b\n')
        assert columnar._scan(path, 0) == (2, False, False), pad


def _large_csv(path, rows: int, inst) -> int:
    """A well-formed responses CSV of ``rows`` participants, each answering
    every item with its first option; its size."""
    first = ",".join(next(iter(dict(i.options))) for i in inst.items)
    lines = ["Timestamp,nama,nip,opd," + ",".join(inst.item_ids)]
    lines += [f"2024/11/22 8:{k % 60:02d}:00 AM GMT+8,Peserta {k:06d},19{k:016d},"
              f"Dinas Kominfo,{first}" for k in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path.stat().st_size


def test_large_csv_is_streamed_not_read_whole(tmp_path, monkeypatch, inst):
    """A CSV taken by the columnar reader is parsed in blocks: the Python
    memory used while reading stays far under the file's size (the reader
    that came before read the whole file into one bytes object), and the
    table is the one the row-by-row reader gives."""
    import tracemalloc
    import pyarrow.csv  # noqa: F401 (imported before measuring)
    from evaltools.read import columnar, files
    path = tmp_path / "pre.csv"
    size = _large_csv(path, 40_000, inst)
    monkeypatch.setattr(files, "COLUMNAR_FROM_BYTES", 0)
    monkeypatch.setattr(columnar, "BLOCK_BYTES", 256 << 10)
    monkeypatch.setattr(columnar, "_SCAN_BYTES", 64 << 10)
    steps = []
    tracemalloc.start()
    try:
        table = files.read_table(path, progress=steps.append)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # the codes of the coded columns are numpy arrays (traced): the table itself, not the file
    codes = sum(table.df[c].cat.codes.nbytes for c in table.df.columns
                if isinstance(table.df[c].dtype, pd.CategoricalDtype))
    assert peak - codes < size / 4, (peak, codes, size)
    assert table.df.shape == (40_000, 4 + len(inst.items))
    assert table.df.iloc[-1, :4].tolist() == ["2024/11/22 8:39:00 AM GMT+8", "Peserta 039999",
                                              "190000000000039999", "Dinas Kominfo"]
    # one step per block of 256 KiB, adding up to the file
    assert len(steps) == -(-size // (256 << 10)) and sum(steps) == size
    rows = files._read_text(path, path.read_bytes())  # row by row
    pd.testing.assert_frame_equal(decoded(table.df), rows.df, check_dtype=False)


def test_progress_bar_in_a_notebook_without_ipywidgets_warns_nothing(tmp_path, inst):
    """In a Jupyter kernel (this environment has no ipywidgets), reading a
    large file drew the bar and printed tqdm's "TqdmWarning: IProgress not
    found. Please update jupyter and ipywidgets" on stderr: a red box telling
    the evaluator to update software. The bar stays, the warning is gone."""
    import importlib.util
    import nbformat
    from nbclient import NotebookClient
    if importlib.util.find_spec("ipywidgets") is not None:
        pytest.skip("ipywidgets is installed: the bar is a widget and tqdm has nothing to warn about")
    path = tmp_path / "pre-loa-janan-2024-11-22.csv"
    _large_csv(path, 2_000, inst)
    cell = ("import evaltools as et\nfrom evaltools.read import files\n"
            "files.COLUMNAR_FROM_BYTES = 0  # this small file read as a large one, with its bar\n"
            f"inst = et.load_instrument({str(inst.path)!r})\n"
            f"r = et.read_responses({str(path)!r}, inst, session='loa-janan-2024-11-22')\n"
            "print(len(r.data))")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(cell)])
    NotebookClient(nb, kernel_name="python3", timeout=120,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    out = nb.cells[0].outputs
    stdout = "".join(o.get("text", "") for o in out if o.get("name") == "stdout")
    stderr = "".join(o.get("text", "") for o in out if o.get("name") == "stderr")
    assert stdout == "2000\n"
    assert "membaca jawaban" in stderr  # the text bar was drawn
    assert "Warning" not in stderr and "ipywidgets" not in stderr, stderr


def test_progress_bar_ends_exactly_at_the_files_sizes():
    """Two large files' shares of one bar, moved in halves of blocks and
    fractions of checks, end at exactly the sum of their sizes: in float
    steps they summed 6e-8 past it (the 1M-participant benchmark) and tqdm
    printed "clamping frac to range [0, 1]" on stderr."""
    import io
    import threading
    import warnings
    from tqdm import tqdm
    from evaltools.read import _Bar
    sizes = [193_456_789, 176_543_211]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a TqdmWarning fails the test
        bar = tqdm(total=sum(sizes), file=io.StringIO())
        lock = threading.Lock()
        for one in [_Bar(bar, size, lock) for size in sizes]:
            for _ in range(23):
                one.parsed(8 << 20)
            for _ in range(7):
                one.checked(0.1)
            midway = bar.n
            one.done()
        counted = bar.n
        bar.close()
    # the second file: 23 halves of 8 MiB (96,468,992) and 7 tenths of its half (61,790,123.85)
    assert midway == sizes[0] + 96_468_992 + 61_790_123
    assert counted == sum(sizes) and isinstance(counted, int)


def test_progress_bar_moves_while_a_large_file_is_read(tmp_path, monkeypatch, capsys, inst):
    """``read_responses`` shows "membaca jawaban" with a bar that moves
    block by block while a large file is parsed and step by step while its
    rows are checked, and ends at the file's size."""
    import re
    from evaltools.read import columnar, files
    path = tmp_path / "pre-loa-janan-2024-11-22.csv"
    size = _large_csv(path, 20_000, inst)
    monkeypatch.setattr(files, "COLUMNAR_FROM_BYTES", size)
    monkeypatch.setattr(columnar, "BLOCK_BYTES", 128 << 10)
    # draw every move (not with TQDM_* variables: tqdm reads them once, when first imported)
    from functools import partialmethod
    from tqdm import std
    monkeypatch.setattr(std.tqdm, "__init__", partialmethod(std.tqdm.__init__, mininterval=0, miniters=1))
    r = et.read_responses(path, inst, session="loa-janan-2024-11-22")
    assert len(r.data) == 20_000 and r.n_excluded == 0
    err = capsys.readouterr().err
    shown = [int(p) for p in re.findall(r"membaca jawaban:\s+(\d+)%", err)]
    # the blocks of 128 KiB fill the first half of the bar, the check steps the second
    assert len(set(shown)) >= 15, shown
    assert shown == sorted(shown) and shown[-1] == 100
