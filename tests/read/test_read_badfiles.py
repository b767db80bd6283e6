"""Files evaluators really end up holding that are not (quite) exports.

Each is refused with one EvalToolsError naming the file (and the row where
there is one) with the fix in Indonesian and an English line, or, when its
content is usable under a wrong name, read exactly like the original.
"""

import shutil
import subprocess
from pathlib import Path

import pytest

import evaltools as et
from evaltools.errors import EvalToolsError

FIX = Path(__file__).parents[1] / "fixtures" / "read"
SHEET = FIX / "google-sheets-xlsx" / "tes-awal-respons.xlsx"
CSV = FIX / "matching" / "pre-loa-janan-2024-11-22.csv"
PDF = Path(__file__).parents[2] / "survey" / "forms" / "netralitas-asn-pilkada-2024-pre-kertas.pdf"
ARGS = {"wave": "pre", "session": "loa-janan-2024-11-22"}


def _refused(path, inst, *words):
    with pytest.raises(EvalToolsError) as info:
        et.read_responses(path, inst, **ARGS)
    err = info.value
    assert err.file == path.name
    text = str(err)
    assert "Traceback" not in text and "\n(en) " in text
    for w in words:
        assert w in text, text
    return err


def test_zero_byte_files(inst, tmp_path):
    for name in ("pre.csv", "pre.xlsx"):
        (tmp_path / name).write_bytes(b"")
        _refused(tmp_path / name, inst, "berkas kosong (0 byte)", "empty file (0 bytes)")


def test_truncated_workbook(inst, tmp_path):
    bad = tmp_path / "pre.xlsx"
    bad.write_bytes(SHEET.read_bytes()[:1500])  # a download that stopped half-way
    _refused(bad, inst, "berkas Excel tidak dapat dibuka", "simpan ulang sebagai .xlsx")


def test_pdf_and_image_are_not_data(inst, tmp_path):
    pdf = tmp_path / "jawaban.pdf"
    shutil.copy(PDF, pdf)
    _refused(pdf, inst, "berkas PDF", "templat entri")
    png = tmp_path / "jawaban.csv"  # a phone photo saved with the wrong name
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    _refused(png, inst, "berkas biner", "binary file")


def test_unsupported_suffix(inst, tmp_path):
    odt = tmp_path / "jawaban.docx"
    odt.write_bytes(b"PK\x03\x04")
    _refused(odt, inst, "jenis berkas .docx tidak didukung")


def test_unclosed_quote_names_the_row(inst, tmp_path):
    lines = CSV.read_text(encoding="utf-8").splitlines()
    # row 4 opens a quote in the name and never closes it: without the check
    # rows 4-11 would silently become one cell
    lines[3] = lines[3].replace(",Hendra", ',"Hendra', 1)
    assert '"Hendra' in lines[3]
    bad = tmp_path / "pre.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    err = _refused(bad, inst, "tanda kutip", "not closed")
    assert err.row == 4
    # the same stray quote closed by a later quoted field ("Hj. Siti Rahmawati, S.Pd."):
    # the CSV parses, but rows 3-5 would sit in one cell of row 2
    glued = tmp_path / "pre2.csv"
    glued.write_text("\n".join([lines[0], lines[3], lines[4], lines[5], lines[6], lines[1]]) + "\n",
                     encoding="utf-8")
    assert lines[1].count('"') == 2
    err = _refused(glued, inst, "tanda kutip", "not closed")
    assert err.row == 2


def test_shifted_and_cut_rows(inst, tmp_path):
    """An unquoted comma in a name shifts the row right: excluded, never read
    with every answer one column off. A row cut short is kept and flagged."""
    lines = CSV.read_text(encoding="utf-8").splitlines()
    shifted = lines[1].replace('"Hj. Siti Rahmawati, S.Pd."', "Hj. Siti Rahmawati, S.Pd.")
    assert shifted.count(",") == lines[0].count(",") + 1
    cut = ",".join(lines[2].split(",")[:-3])
    bad = tmp_path / "pre.csv"
    bad.write_text("\n".join([lines[0], shifted, cut, *lines[3:]]) + "\n", encoding="utf-8")
    r = et.read_responses(bad, inst, **ARGS)
    assert r.n_input_rows == len(lines) - 1 == len(r.data) + r.n_excluded
    entries = set(zip(r.ledger["row"], r.ledger["reason"], r.ledger["action"]))
    assert {e for e in entries if e[0] == 2} == {(2, "extra_cells", "excluded")}
    assert (3, "short_row", "flagged") in entries
    assert 3 in set(r.data["row"]) and 2 not in set(r.data["row"])


def test_old_xls_from_libreoffice(inst, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) not installed: apt-get install libreoffice-calc-nogui")
    subprocess.run([soffice, "--headless", "--convert-to", "xls", "--outdir", str(tmp_path), str(SHEET)],
                   check=True, capture_output=True, timeout=120)
    xls = tmp_path / "tes-awal-respons.xls"
    assert xls.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"  # a real Excel 97-2003 file
    _refused(xls, inst, "Excel 97-2003 (.xls)", "Simpan Sebagai .xlsx")
    # in a folder it is not skipped: its rows would be lost
    folder = tmp_path / "sesi"
    folder.mkdir()
    shutil.copy(xls, folder / xls.name)
    shutil.copy(CSV, folder / CSV.name)
    with pytest.raises(EvalToolsError, match=r"\.xls"):
        et.read_responses(folder, inst, session=ARGS["session"])


def _same(a, b):
    cols = [c for c in a.data.columns if c != "source"]
    assert a.data[cols].equals(b.data[cols])
    # (a duplicate's detail names the file of the row that was kept)
    assert a.ledger.drop(columns=["source", "detail"]).equals(b.ledger.drop(columns=["source", "detail"]))


def test_content_decides_not_the_name(inst, tmp_path):
    renamed = tmp_path / "tes-awal-respons.csv"  # a workbook saved under a .csv name
    shutil.copy(SHEET, renamed)
    _same(et.read_responses(renamed, inst, **ARGS), et.read_responses(SHEET, inst, **ARGS))
    text = tmp_path / "pre-loa-janan-2024-11-22.xlsx"  # a CSV under an .xlsx name
    shutil.copy(CSV, text)
    _same(et.read_responses(text, inst, **ARGS), et.read_responses(CSV, inst, **ARGS))


def test_excel_unicode_text_is_read(inst, tmp_path):
    """Excel's "Unicode Text (*.txt)": UTF-16 with a BOM, tab-separated."""
    src = CSV.read_text(encoding="utf-8")
    import csv
    import io
    rows = list(csv.reader(io.StringIO(src)))
    txt = tmp_path / "pre-loa-janan-2024-11-22.txt"
    txt.write_bytes("\r\n".join("\t".join(r) for r in rows).encode("utf-16"))
    assert txt.read_bytes()[:2] == b"\xff\xfe"
    _same(et.read_responses(txt, inst, **ARGS), et.read_responses(CSV, inst, **ARGS))


def test_header_only_export_has_no_rows(inst, tmp_path):
    """A Kobo export made before anyone answered: valid, zero rows, said so."""
    empty = tmp_path / "pre.csv"
    empty.write_text(CSV.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    r = et.read_responses(empty, inst, **ARGS)
    assert (r.n_input_rows, len(r.data), len(r.ledger)) == (0, 0, 0)
    assert r.sources[["source", "rows", "kept"]].values.tolist() == [["pre.csv", 0, 0]]


def test_google_zip_download_is_read(inst, tmp_path):
    """Google Forms' "Download responses" gives a .zip holding the CSV."""
    import zipfile
    src = next((FIX / "google-csv-en").glob("*.csv"))
    z = tmp_path / "Tes Pemahaman.csv.zip"
    with zipfile.ZipFile(z, "w") as f:
        f.write(src, src.name)
    args = {"session": "loa-janan-2024-11-22"}
    _same(et.read_responses(z, inst, **args), et.read_responses(src, inst, **args))
    two = tmp_path / "dua.zip"
    with zipfile.ZipFile(two, "w") as f:
        f.write(src, "a.csv")
        f.write(src, "b.csv")
    _refused(two, inst, "arsip zip berisi 2 berkas CSV", "extract the archive")


def test_answers_on_a_later_sheet_are_named(inst, tmp_path):
    from openpyxl import load_workbook
    wb = load_workbook(SHEET)
    data = wb.worksheets[0]
    data.title = "Data"
    summary = wb.create_sheet("Ringkasan", 0)
    summary.append(["Rekap", "jumlah"])
    summary.append(["peserta", 7])
    path = tmp_path / "pre.xlsx"
    wb.save(path)
    err = _refused(path, inst, "lembar pertama 'Ringkasan'", "lembar lain: Data")
    assert err.row == 1
