"""What managers receive: charts and ringkasan.xlsx, aggregates only, safe to open."""

import re
import shutil
import subprocess
import zipfile

import pytest
from openpyxl import load_workbook

from evaltools.export import safe_text


@pytest.fixture(scope="module")
def exported(ev_loa, tmp_path_factory):
    out = tmp_path_factory.mktemp("rep")
    paths = ev_loa.export(out)
    return out, paths


def test_files_written(exported):
    out, paths = exported
    charts = ["per_butir", "per_opd", "per_topik", "peta_butir", "reaksi", "sikap", "skor_pre_post"]
    assert sorted(p.name for p in paths) == sorted([f"{c}.{f}" for c in charts
                                                    for f in ("pdf", "png", "svg")]
                                                   + ["ringkasan.xlsx"])
    from PIL import Image
    for name in (f"{c}.png" for c in charts):
        with Image.open(out / name) as im:
            dpi = im.info["dpi"][0]
            assert round(dpi) >= 200 and im.width >= 1200


def test_workbook_content(exported, ev_loa):
    out, _ = exported
    wb = load_workbook(out / "ringkasan.xlsx")
    assert wb.sheetnames == ["Ringkasan", "Per OPD", "Per Topik", "Per Butir", "Sikap & Reaksi",
                             "Kualitas Data", "Metode"]
    ws = wb["Ringkasan"]
    assert ws["A1"].value == "Sosialisasi Netralitas ASN Kecamatan Loa Janan"
    assert ws["A2"].value.startswith("DATA CONTOH (SINTETIS)")
    values = {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r and r[0]}
    assert values["Peserta berpasangan (pre dan post)"] == 52
    assert values["Kenaikan rata-rata (poin persen)"] == pytest.approx(
        ev_loa.summary["mean_gain"].iloc[0])
    # numbers stored as numbers, with formats
    cell = next(c for c in ws["B"] if c.value == values["Rata-rata skor pre-test (%)"])
    assert isinstance(cell.value, float) and cell.number_format == "0.0"
    opd = wb["Per OPD"]
    assert opd.freeze_panes == "B2"
    rows = {r[0]: r[1:] for r in opd.iter_rows(min_row=2, values_only=True)}
    assert rows["Kelurahan Loa Janan Ilir"][0] == "n < 5"       # suppressed: no numbers
    assert all(v is None for v in rows["Kelurahan Loa Janan Ilir"][1:])
    assert rows["Kecamatan Loa Janan"][0] == 13
    rows_q = [r for r in wb["Kualitas Data"].iter_rows(values_only=True)]
    q = {r[0]: r[1] for r in rows_q if r and r[0]}
    assert q["baris dibaca"] == ev_loa.responses.n_input_rows == 114  # 59 Kobo + 55 typed
    assert ("excluded", "empty_row", 1) in rows_q
    assert ("repaired", "nip_mangled_by_excel", 6) in rows_q
    assert ("excluded", "duplicate_submission", 5) in rows_q


def test_no_personal_data_in_the_workbook(exported, ev_loa):
    out, _ = exported
    with zipfile.ZipFile(out / "ringkasan.xlsx") as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    data = ev_loa.responses.data
    for nip in data["nip"][data["nip"] != ""]:
        assert nip not in xml
    for nama in data["nama"]:
        assert nama not in xml
    for kode in data["kode_peserta"][data["kode_peserta"] != ""]:
        assert f">{kode}<" not in xml


def test_formula_injection_guard():
    assert safe_text("=SUM(A1:A9)") == "'=SUM(A1:A9)"
    assert [safe_text(v) for v in ("+62", "-x", "@cmd", "\tx", "\rx", "\nx")] == [
        "'+62", "'-x", "'@cmd", "'\tx", "'\rx", "'\nx"]
    assert safe_text("Kecamatan Loa Janan") == "Kecamatan Loa Janan"
    assert safe_text(-12.5) == -12.5


def test_hostile_opd_name_is_written_as_text(ev_loa, tmp_path):
    import copy
    ev = copy.copy(ev_loa)
    ev.pairs = copy.copy(ev_loa.pairs)
    m = ev_loa.pairs.matched.copy()
    m["opd"] = m["opd"].replace({"Kecamatan Loa Janan": '=HYPERLINK("http://x","klik")'})
    ev.pairs.matched = m
    ev.export(tmp_path)
    cells = [r[0] for r in load_workbook(tmp_path / "ringkasan.xlsx")["Per OPD"].iter_rows(values_only=True)]
    assert "'=HYPERLINK(\"http://x\",\"klik\")" in cells


@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) not installed: apt-get install libreoffice-calc-nogui")
def test_libreoffice_opens_the_workbook(exported, tmp_path):
    out, _ = exported
    res = subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                          str(out / "ringkasan.xlsx")], capture_output=True, text=True, timeout=180,
                         env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    pdf = tmp_path / "ringkasan.pdf"
    assert pdf.exists(), res.stderr
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "Kecamatan Loa Janan" in text
        assert re.search(r"n\s*<\s*5", text)  # pdftotext may drop the spaces


def test_a_session_with_no_matched_pairs_still_exports(inst, tmp_path):
    import evaltools as et
    from conftest import LOA_JANAN, sample_file
    ev = et.evaluate([sample_file(LOA_JANAN, "pre")], inst)
    assert ev.summary["n"].iloc[0] == 0 and bool(ev.summary["suppressed"].iloc[0])
    assert len(ev.pairs.unmatched) == len(ev.scores)  # everyone listed as "no_post"
    paths = ev.export(tmp_path, formats=("png",))
    assert len(paths) == 8  # seven charts, each saying why it is empty where it is, and the workbook
    ws = load_workbook(tmp_path / "ringkasan.xlsx")["Ringkasan"]
    values = {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r and r[0]}
    assert values["Peserta berpasangan (pre dan post)"] == 0
    assert "Rata-rata skor pre-test (%)" not in values  # nothing to show for n < 5


def test_workbook_items_scales_findings_methods_and_chart(exported, ev_loa):
    import zipfile
    out, _ = exported
    wb = load_workbook(out / "ringkasan.xlsx")
    first = [r[0] for r in wb["Ringkasan"].iter_rows(values_only=True) if r and r[0]]
    for sentence in ev_loa.findings():
        assert sentence in first
    items = ev_loa.items().set_index("item")
    rows = {r[0]: r for r in wb["Per Butir"].iter_rows(min_row=2, values_only=True)}
    assert list(rows) == list(items.index)
    assert rows["q13"][3] == pytest.approx(items.loc["q13", "pct_pre"])
    assert rows["q13"][9] == pytest.approx(items.loc["q13", "p_bh"])
    att = wb["Sikap & Reaksi"]
    texts = [r[0] for r in att.iter_rows(values_only=True) if r and r[0]]
    assert "Wajar bagi ASN menunjukkan dukungan politik di akun pribadi di luar jam kerja." in texts
    assert "Penilaian penyelenggaraan (sesudah)" in texts
    terms = [r[0] for r in wb["Metode"].iter_rows(min_row=2, values_only=True)]
    assert {"d_z", "Gain Hake <g>", "n < 5", "Kenaikan (dipadukan)"} <= set(terms)
    with zipfile.ZipFile(out / "ringkasan.xlsx") as z:  # openpyxl drops charts when loading
        chart = z.read("xl/charts/chart1.xml").decode()
    assert "Per Topik" in chart and "Persentase benar per topik" in chart
