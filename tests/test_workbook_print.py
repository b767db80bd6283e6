"""ringkasan.xlsx and rekap.xlsx print readably (export.common.fit_print):
each sheet is saved alone, converted to PDF by LibreOffice and read back
with pdftotext: every column on the first page's width, long text wrapped
rather than cut or run into the next cell."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from chart_cases import sample_recap
from openpyxl import load_workbook

from evaltools.export.recap import write_recap_workbook
from evaltools.export.workbook import write_workbook

pytestmark = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext") and shutil.which("pdfinfo")),
    reason="needs LibreOffice (soffice) and poppler-utils (pdftotext, pdfinfo) to print the workbooks")


def _print_sheets(xlsx, out) -> dict:
    """Sheet name -> list of page texts, each sheet printed on its own."""
    names = load_workbook(xlsx).sheetnames
    files = {}
    for i, name in enumerate(names):
        wb = load_workbook(xlsx)
        for other in names:
            if other != name:
                del wb[other]
        files[name] = out / f"{xlsx.stem}-{i}.xlsx"
        wb.save(files[name])
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out),
                    *map(str, files.values())], check=True, capture_output=True, timeout=120)
    pages = {}
    for name, f in files.items():
        text = subprocess.run(["pdftotext", "-layout", str(f.with_suffix(".pdf")), "-"],
                              check=True, capture_output=True, text=True).stdout
        pages[name] = text.rstrip("\f").split("\f")
    return pages


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    out = tmp_path_factory.mktemp("print")
    rc = sample_recap()
    session = write_workbook(rc.evaluations["loa-janan-2024-11-22"], out / "ringkasan.xlsx")
    recap = write_recap_workbook(rc, out / "rekap.xlsx")
    return {"ringkasan": _print_sheets(session, out), "rekap": _print_sheets(recap, out), "rc": rc}


def test_quality_sheet_prints_every_column_on_one_page(printed):
    pages = printed["ringkasan"]["Kualitas Data"]
    assert len(pages) == 1
    first = _flat(pages[0])
    for header in ("Keterangan", "Jumlah", "Tindakan", "Alasan", "Jumlah baris"):
        assert header in first
    assert re.search(r"peserta pre dan post \(berpasangan\) 52", first)


def test_methods_sheet_prints_its_text_whole(printed):
    pages = printed["ringkasan"]["Metode"]
    text = _flat(" ".join(pages))
    assert len(pages) == 3  # long text runs on to more pages, never to the side of one
    # the last words of the longest explanation: nothing ran off the page
    assert "Rincian: docs/statistics.md evaltools." in text
    assert "untuk OPD kecil." in text


def test_recap_sessions_sheet_keeps_names_apart_from_dates(printed):
    pages = printed["rekap"]["Sesi"]
    assert len(pages) == 1
    text = _flat(pages[0])
    for label in printed["rc"].sessions["label"]:
        for word in str(label).split():
            assert word in text
    assert re.search(r"2024-11-22", text)
    # a session's name and its date are separate cells: never "...Janan2024-11-22"
    assert not re.search(r"[A-Za-z]20\d\d-\d\d-\d\d", text)


def test_recap_opd_sheet_separates_numbers_from_the_note(printed):
    pages = printed["rekap"]["Per OPD"]
    first = _flat(pages[0])
    assert "OPD / unit kerja" in first and first.rfind("Post-test") > first.find("% lulus post")
    text = _flat(" ".join(pages))
    assert "di bawah KKM" in text
    assert not re.search(r"\ddi bawah KKM", text)


