"""The printable paper form: A4 PDF + standalone HTML, stamp on every page,
answer key on the last page, byte-identical output."""

import html
import re
import shutil
import subprocess

import pytest

from evaltools.forms import FormSpec
from evaltools.forms.paper import KEY_TITLE, write_paper_form
from evaltools.read.opd import load_opd_registry

from conftest import ROOT

# Measured with the shipped instrument (31 items, 6 attitude, 5 reaction items):
# page 1 = participant box + items 1-5; pages 2-4 = items 6-31 (short options two per
# line, each item kept whole on one page), and in the pre wave the attitude table still
# fits under item 31 on page 4; post adds page 5 = reaction table + "Saran" lines (the
# attitude table stays on page 4); the last page is the answer key. So pre = 5, post = 6.
# Update when the instrument or the layout changes.
PAGES = {"pre": 5, "post": 6}
A4_PT = (595, 842)


def _norm(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module", params=["pre", "post"])
def form(request, inst, tmp_path_factory):
    opds = tuple(load_opd_registry(ROOT / "data/opd.csv")["singkatan"])
    spec = FormSpec(inst, request.param, None, opds)
    out = tmp_path_factory.mktemp(f"paper-{request.param}")
    pdf, htm = write_paper_form(spec, out / f"{spec.basename}-kertas.pdf")
    return spec, pdf, htm


def _pdf_pages(pdf, mode="-layout") -> list[str]:
    """Text of each page; skip when poppler is missing. "-layout" keeps table rows on one
    line (answer key); "-raw" keeps each wrapped table cell in one piece (Likert items)."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed, so the PDF text cannot be read")
    out = subprocess.run(["pdftotext", mode, str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    return out.split("\f")[:-1]  # pdftotext ends every page with a form feed


def _page_info(pdf) -> tuple[int, tuple]:
    """(page count, page size in pt), from pdfinfo or else from the raw PDF bytes."""
    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        pages = int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))
        w, h = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", out, re.M).groups()
        return pages, (round(float(w)), round(float(h)))
    data = pdf.read_bytes()  # reportlab writes page dictionaries uncompressed
    boxes = re.findall(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert boxes and len(set(boxes)) == 1
    pages = len(re.findall(rb"/Type /Page\b(?!s)", data))
    return pages, tuple(round(float(v)) for v in boxes[0])


def test_writes_pdf_and_html_next_to_each_other(form):
    spec, pdf, htm = form
    assert pdf.name == f"netralitas-asn-pilkada-2024-{spec.wave}-kertas.pdf"
    assert htm == pdf.with_suffix(".html")
    assert pdf.read_bytes().startswith(b"%PDF-") and htm.stat().st_size > 0


def test_pdf_is_a4_with_measured_page_count(form):
    spec, pdf, _ = form
    pages, size = _page_info(pdf)
    assert size == A4_PT
    assert pages == PAGES[spec.wave]


def test_dejavu_is_embedded(form):
    pytest.importorskip("matplotlib")
    assert b"DejaVuSans" in form[1].read_bytes()


def test_stamp_title_wave_and_page_number_on_every_page(form, inst):
    spec, pdf, _ = form
    pages = _pdf_pages(pdf)
    assert len(pages) == PAGES[spec.wave]
    wave_label = {"pre": "Pre-test (sebelum sosialisasi)", "post": "Post-test (sesudah sosialisasi)"}
    for n, text in enumerate(pages, 1):
        assert spec.stamp in text, f"stamp missing on page {n}"
        assert inst.title in text and wave_label[spec.wave] in text
        assert f"Halaman {n} dari {len(pages)}" in text


def test_participant_box_and_instructions_on_page_one(form, inst):
    first = _norm(_pdf_pages(form[1])[0])
    for f in inst.participant_fields:
        assert f.label in first
    for option in ("PNS", "PPPK", "Non-ASN", "Laki-laki", "Perempuan", "Kota Samarinda"):
        assert option in first
    assert ("Isi NIP 18 angka tanpa spasi. Peserta non-ASN mengisi kode peserta: inisial nama + "
            "tanggal dan bulan lahir (DDMM).") in first
    assert "Beri tanda silang (X) pada satu huruf jawaban yang paling tepat." in first


def test_all_items_numbered_in_order_with_letters(form, inst):
    text = _norm(" ".join(_pdf_pages(form[1], "-raw")[:-1]))
    pos = -1
    for n, item in enumerate(inst.items, 1):
        stem = _norm(item.text)
        assert f"{n}. {stem}" in text, f"item {n} ({item.id}) missing"
        assert text.index(f"{n}. {stem}") > pos  # instrument order
        pos = text.index(f"{n}. {stem}")
    assert "31. Pilih SEMUA tindakan yang dilarang bagi ASN: (pilih semua yang benar)" in text
    assert "A. UU 5/2014" in text and "D. UU 10/2016" in text
    assert "B (Benar)" in text and "S (Salah)" in text and "E. menghadiri rapat dinas" in text


def test_likert_and_open_items_per_wave(form, inst):
    spec, pdf, _ = form
    text = _norm(" ".join(_pdf_pages(pdf, "-raw")[:-1]))
    assert "1 = Sangat tidak setuju" in text and "5 = Sangat setuju" in text
    for li in inst.likert_items:
        assert (_norm(li.text) in text) == (li.scale == "sikap_netralitas" or spec.wave == "post")
    assert ("Saran untuk penyelenggaraan berikutnya" in text) == (spec.wave == "post")


def test_answer_key_is_the_last_page_only(form):
    spec, pdf, _ = form
    pages = _pdf_pages(pdf)
    key = pages[-1]
    assert "KUNCI JAWABAN" in key and KEY_TITLE in _norm(key)
    assert not any("KUNCI JAWABAN" in p for p in pages[:-1])
    assert f"Stempel: {spec.stamp}" in key
    rows = {m.group(2): m.group(0) for m in re.finditer(r"^\s*(\d+)\s+(q\d\d)\s+(.+)$", key, re.M)}
    assert len(rows) == 31
    assert re.search(r"^\s*1\s+q01\s+Dasar hukum\s+B\s+ya\s*$", rows["q01"])
    assert re.search(r"q12\s+Media sosial\s+S\s+ya", rows["q12"])          # truefalse salah -> S
    assert re.search(r"q31\s+Larangan\s+A, C, D\s+ya", rows["q31"])        # multi
    assert {q for q, row in rows.items() if "tidak dinilai" in row} == {"q04", "q23", "q24", "q25"}


def test_html_is_standalone_and_complete(form, inst):
    spec, _, htm = form
    doc = htm.read_text(encoding="utf-8")
    assert doc.startswith("<!DOCTYPE html>") and "size: A4" in doc and "@page" in doc
    assert "<script" not in doc.lower()
    assert not re.search(r"(src|href)\s*=|https?://|@import|url\(", doc)  # no external resources
    plain = html.unescape(doc)
    for item in inst.items:
        assert item.text in plain, item.id
    assert spec.stamp in plain and KEY_TITLE in plain
    assert plain.index(KEY_TITLE) > plain.index(inst.items[-1].text)  # key comes last
    assert "B (Benar)" in plain and "pilih semua yang benar" in plain
    assert ("Saran untuk penyelenggaraan berikutnya" in plain) == (spec.wave == "post")


def test_output_is_byte_identical(form, tmp_path):
    spec, pdf, htm = form
    again = write_paper_form(spec, tmp_path / pdf.name)
    assert again[0].read_bytes() == pdf.read_bytes()
    assert again[1].read_bytes() == htm.read_bytes()


def test_page_units_are_reportlabs_and_reportlab_loads_only_to_draw():
    """paper.py writes reportlab's mm and A4 itself so that importing it (and
    ``evaltools.forms``, and the command line) does not load reportlab."""
    import subprocess
    import sys

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm

    from evaltools.forms import paper
    assert (paper.mm, paper.A4) == (mm, A4)
    code = "import sys, evaltools.forms; print(any(m.startswith('reportlab') for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "False"
