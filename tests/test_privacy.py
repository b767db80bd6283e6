"""Manager exports carry aggregates only, and no text that a spreadsheet
would run: built from data full of names, NIPs, codes and injection strings,
then every XML part of the workbook (with the pseudonymised participant
sheet too), the text of the one-page PDF and every SVG is searched."""

import shutil
import subprocess
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import evaltools as et

MATCHING = Path(__file__).parent / "fixtures" / "read" / "matching"
EVIL_OPD = '=HYPERLINK("http://example.com/x","klik")'
EVIL_SARAN = "@SUM(1+1)*cmd|' /C calc'!A0"


@pytest.fixture(scope="module")
def exported(tmp_path_factory, inst):
    folder = tmp_path_factory.mktemp("uji-2024-11-22")
    people = []
    for src in sorted(MATCHING.glob("*.csv")):
        df = pd.read_csv(src, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        df.loc[df.index[:6], "opd"] = EVIL_OPD  # six people of one "OPD": not suppressed
        if "saran" in df.columns:
            df["saran"] = EVIL_SARAN
        df.to_csv(folder / src.name, index=False)
        people += [v for v in df["nama"] if v] + [v for v in df["nip"] if v] \
            + [v for v in df["kode_peserta"] if v]
    ev = et.evaluate(folder, inst, meta={"nama": "-2+3 sesi uji", "sintetis": True})
    out = folder / "laporan"
    paths = ev.export(out, formats=("png", "svg"), include_participants=True, salt="uji")
    return ev, out, paths, sorted(set(people))


def _xlsx_text(path):
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")}


def test_no_personal_value_in_any_export(exported):
    ev, out, paths, people = exported
    assert len(people) >= 25 and any(len(p) == 18 for p in people)
    parts = _xlsx_text(out / "ringkasan.xlsx")
    svgs = {p.name: p.read_text(encoding="utf-8") for p in paths if p.suffix == ".svg"}
    assert len(svgs) == 9 and len(parts) >= 5
    assert any("P-" in t for t in parts.values())  # the pseudonymised sheet is among them
    for value in people:
        # a NIP may be stored without its spaces: search both forms
        for v in {value, value.replace(" ", "")}:
            assert not any(v in t for t in parts.values()), (v, "ringkasan.xlsx")
            assert not any(v in t for t in svgs.values()), (v, "svg")


def test_injection_strings_are_neutralised(exported):
    from openpyxl import load_workbook
    ev, out, _, _ = exported
    wb = load_workbook(out / "ringkasan.xlsx")
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str)]
    assert any(c.value == "'" + EVIL_OPD for c in cells)   # the OPD name, neutralised
    assert any(c.value == "'-2+3 sesi uji" for c in cells)  # the session name too
    assert not any(c.value.startswith(("=", "+", "-", "@")) for c in cells)
    assert all(c.data_type != "f" for c in cells)


def test_small_groups_are_suppressed_in_the_workbook(exported):
    from openpyxl import load_workbook
    ev, out, _, _ = exported
    by = ev.by("opd")
    small = by[by["n"] < 5]["opd"].tolist()
    assert small
    ws = load_workbook(out / "ringkasan.xlsx")["Per OPD"]
    rows = {r[0]: r[1:] for r in ws.iter_rows(min_row=2, values_only=True)}
    from evaltools.export import safe_text
    for opd in small:
        got = rows[safe_text(opd)]
        assert got[0] == "n < 5" and all(v is None for v in got[1:])


@pytest.mark.skipif(shutil.which("pdftotext") is None,
                    reason="poppler-utils (pdftotext) not installed: apt-get install poppler-utils")
def test_no_personal_value_in_the_onepage_pdf(exported):
    ev, out, _, people = exported
    raw = subprocess.run(["pdftotext", str(out / "ringkasan.pdf"), "-"], capture_output=True,
                         text=True, check=True).stdout
    text = " ".join(raw.split())
    assert "sesi uji" in text and "Temuan utama" in text  # the text is there to be searched
    squeezed = text.replace(" ", "")
    for value in people:
        assert value not in text and value.replace(" ", "") not in squeezed, value
