"""``ringkasan.pptx``: the slides managers forward. Their titles, native
charts whose numbers are the session's, Indonesian number text, a file that
LibreOffice Impress opens, and the privacy rules of every manager export."""

import io
import re
import shutil
import subprocess
import zipfile
from dataclasses import replace

import pytest
from openpyxl import load_workbook
from pptx import Presentation

from evaltools.export import write_slides
from evaltools.export.slides import opd_rows

TITLES_LOA = ["", "Angka utama", "Temuan utama", "Skor sebelum dan sesudah sosialisasi",
              "Pemahaman per topik", "Peserta lulus KKM 70 per OPD", "Rekomendasi",
              "Butir soal yang perlu direvisi"]


@pytest.fixture(scope="module")
def deck_loa(ev_loa, tmp_path_factory):
    path = write_slides(ev_loa, tmp_path_factory.mktemp("pptx") / "ringkasan.pptx")
    return path, Presentation(path)


def _title(slide) -> str:
    boxes = [s for s in slide.shapes if s.has_text_frame]
    return boxes[0].text_frame.text if boxes and slide.shapes[0].top < 914400 else ""


def _charts(prs) -> list:
    return [sh.chart for slide in prs.slides for sh in slide.shapes if sh.has_chart]


def _texts(prs) -> list:
    out = []
    for slide in prs.slides:
        for sh in slide.shapes:
            if sh.has_text_frame:
                out.append(sh.text_frame.text)
            if sh.has_table:
                out += [c.text for row in sh.table.rows for c in row.cells]
    return out


def test_slide_titles_in_order(deck_loa, ev_loa):
    _, prs = deck_loa
    assert [_title(s) for s in prs.slides] == TITLES_LOA
    first = " ".join(sh.text_frame.text for sh in prs.slides[0].shapes if sh.has_text_frame)
    assert "Sosialisasi Netralitas ASN Kecamatan Loa Janan" in first
    assert "22 November 2024 · Kantor Kecamatan Loa Janan" in first
    assert "DATA CONTOH (SINTETIS)" in first
    assert round(prs.slide_width.inches, 2) == 13.33  # 16:9


def test_headline_tiles_use_the_one_pager_numbers(deck_loa):
    _, prs = deck_loa
    texts = [sh.text_frame.text for sh in prs.slides[1].shapes if sh.has_text_frame]
    # the same strings as ringkasan.pdf's tiles (export.onepage.headline_numbers), in Indonesian
    for big in ("+15,7", "55 → 71", "17% → 56%", "d_z = 1,35"):
        assert big in texts
    assert any("IK 95% 12,5 s.d. 19,0" in t for t in texts)


def test_native_charts_hold_the_sessions_numbers(deck_loa, ev_loa):
    _, prs = deck_loa
    scores, topics, opd = _charts(prs)
    s = ev_loa.summary.iloc[0]
    pre, post = scores.plots[0].series
    assert pre.values == pytest.approx((s["mean_pre"], s["pass_pre"]))  # 54.91, 17.31
    assert post.values == pytest.approx((s["mean_post"], s["pass_post"]))  # 70.66, 55.77
    t = ev_loa.topics("id")
    assert list(topics.plots[0].categories) == t["label"].tolist()
    assert topics.plots[0].series[1].values == pytest.approx(t["mean_post"].tolist())
    assert topics.plots[0].series[1].values[4] == pytest.approx(47.115385)  # Sanksi, post
    shown, hidden = opd_rows(ev_loa)
    assert list(opd.plots[0].categories) == ["Kecamatan Loa Janan",
                                             "Pemerintah Desa se-Kecamatan Loa Janan",
                                             "UPT Dinas Pendidikan Kecamatan Loa Janan"]
    assert hidden == 2  # Kelurahan Loa Janan Ilir (n = 4) and the one hidden to protect it
    assert "2 OPD tidak ditampilkan: n < 5 atau untuk melindungi kelompok kecil" in _texts(prs)
    assert opd.plots[0].series[1].values == pytest.approx((76.923077, 36.363636, 71.428571))
    # the numbers stay behind the chart, in the workbook PowerPoint opens to edit it
    blob = scores.part.chart_workbook.xlsx_part.blob
    ws = load_workbook(io.BytesIO(blob)).active
    assert ws["B2"].value == pytest.approx(s["mean_pre"])


def test_labels_are_indonesian_numbers(deck_loa):
    _, prs = deck_loa
    scores, topics, _ = _charts(prs)
    labels = [p.data_label.text_frame.text for p in scores.plots[0].series[1].points]
    assert labels == ["71", "56%"]
    topic_labels = [p.data_label.text_frame.text for p in topics.plots[0].series[0].points]
    assert topic_labels[:2] == ["49%", "72%"]
    texts = " ".join(_texts(prs))
    assert "12,5" in texts and "12.5" not in texts  # decimal comma


def test_english_deck(ev_loa, tmp_path):
    prs = Presentation(write_slides(ev_loa, tmp_path / "en.pptx", lang="en"))
    titles = [_title(s) for s in prs.slides]
    assert titles[1:4] == ["Headline figures", "Main findings", "Scores before and after the session"]
    texts = " ".join(_texts(prs))
    assert "+15.7" in texts and "95% CI 12.5 to 19.0" in texts and "17% → 56%" in texts
    assert "22 November 2024" in texts and "Test items to revise" in titles


def test_letterhead_name_on_the_title_slide(ev_loa, tmp_path):
    ev = replace(ev_loa, meta={**ev_loa.meta, "kop": {"nama": "BADAN KESBANGPOL KAB. KUTAI KARTANEGARA",
                                                      "logo": "/tidak/dipakai.png"}})
    prs = Presentation(write_slides(ev, tmp_path / "kop.pptx"))
    first = [sh.text_frame.text for sh in prs.slides[0].shapes if sh.has_text_frame]
    assert first[0] == "BADAN KESBANGPOL KAB. KUTAI KARTANEGARA"


def test_many_opds_spread_over_even_slides(ev_kaltim, tmp_path):
    prs = Presentation(write_slides(ev_kaltim, tmp_path / "k.pptx"))
    titles = [_title(s) for s in prs.slides]
    opd = [t for t in titles if t.startswith("Peserta lulus KKM 70 per OPD")]
    assert opd == [f"Peserta lulus KKM 70 per OPD ({i}/3)" for i in (1, 2, 3)]
    counts = [len(sh.chart.plots[0].categories) for s in prs.slides for sh in s.shapes
              if sh.has_chart and _title(s) in opd]
    assert counts == [9, 9, 9]  # 27 shown, 5 hidden (n < 5)


def test_recommendations_and_items_slides(deck_loa, ev_loa):
    _, prs = deck_loa
    texts = _texts(prs)
    assert "perlu sosialisasi ulang" in texts and "Kelurahan Loa Janan Ilir" in texts
    rec = ev_loa.recommendations("id")
    assert all(r in texts for r in rec["reason"])
    items = [sh for sh in prs.slides[7].shapes if sh.has_table][0].table
    assert [c.text for c in items.rows[0].cells] == ["Butir", "Topik", "Catatan"]
    assert [items.cell(i, 1).text for i in range(1, len(items.rows))] == [
        "Sanksi", "Hak pilih & pencalonan", "Pelaporan & pengawasan"]


def test_written_atomically_and_claimed(ev_loa, tmp_path):
    from evaltools.errors import EvalToolsError
    path = tmp_path / "ringkasan.pptx"
    write_slides(ev_loa, path)
    first = path.read_bytes()
    write_slides(ev_loa, path)  # ours and unchanged: replaced
    assert path.read_bytes() == first  # the same data gives the same file
    assert sorted(p.name for p in tmp_path.iterdir()) == [".evaltools.json", "ringkasan.pptx"]
    path.write_bytes(b"diubah")
    with pytest.raises(EvalToolsError, match="tidak ditimpa"):
        write_slides(ev_loa, path)


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdfinfo") is None,
                    reason="LibreOffice Impress (soffice) or pdfinfo missing: apt-get install "
                           "libreoffice-impress-nogui poppler-utils")
def test_libreoffice_impress_opens_the_deck(deck_loa, tmp_path):
    path, prs = deck_loa
    res = subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                          str(path)], capture_output=True, text=True, timeout=180,
                         env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    pdf = tmp_path / "ringkasan.pdf"
    assert pdf.exists(), res.stderr
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(r"Pages:\s+8\b", info), info
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Pemahaman per topik" in text and "47%" in text


# privacy: the same rules as every manager export

EVIL = "=cmd|' /C calc'!A0"


def _xml_parts(path) -> dict:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xml", ".rels"))}


def test_no_name_nip_or_code_in_any_part(deck_loa, ev_loa):
    path, _ = deck_loa
    parts = _xml_parts(path)
    with zipfile.ZipFile(path) as z:  # and inside the workbooks behind the charts
        for n in z.namelist():
            if n.endswith(".xlsx"):
                with zipfile.ZipFile(io.BytesIO(z.read(n))) as inner:
                    parts |= {f"{n}:{m}": inner.read(m).decode("utf-8") for m in inner.namelist()
                              if m.endswith(".xml")}
    assert len(parts) > 30 and any(".xlsx:" in k for k in parts)
    d = ev_loa.responses.data
    people = {v for c in ("nama", "nip", "kode_peserta") for v in d[c].dropna().astype(str) if v}
    assert len(people) > 100
    for value in people:
        for v in {value, value.replace(" ", "")}:
            assert not any(v in t for t in parts.values()), v


def test_injection_strings_appear_neutral(ev_loa, tmp_path):
    m = ev_loa.pairs.matched.copy()
    m["opd"] = m["opd"].replace({"Kecamatan Loa Janan": EVIL})
    ev = replace(ev_loa, pairs=replace(ev_loa.pairs, matched=m),
                 meta={**ev_loa.meta, "nama": "+SUM(1)\x07 sesi", "tempat": "@x"})
    path = write_slides(ev, tmp_path / "r.pptx")
    prs = Presentation(path)
    texts = _texts(prs)
    # a text that would start a formula gets an apostrophe; the same inside a line is plain text
    assert "'+SUM(1) sesi" in texts[0] and "22 November 2024 · @x" in " ".join(texts[:3])
    opd = _charts(prs)[2]
    assert "'" + EVIL in list(opd.plots[0].categories)
    for chart in _charts(prs):  # the sheets behind the charts hold text, never a formula
        ws = load_workbook(io.BytesIO(chart.part.chart_workbook.xlsx_part.blob)).active
        cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
        assert all(c.data_type != "f" for c in cells)
        assert not any(isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@"))
                       for c in cells)


def test_small_groups_get_no_numbers(deck_loa, ev_loa):
    _, prs = deck_loa
    small = ev_loa.by("opd").query("suppressed")["opd"].tolist()
    assert small == ["Kelurahan Loa Janan Ilir", "UPT Puskesmas Loa Janan"]
    for chart in _charts(prs):
        assert not set(small) & set(chart.plots[0].categories)
    rows = [[c.text for c in row.cells] for s in prs.slides for sh in s.shapes if sh.has_table
            for row in sh.table.rows]
    for row in rows:
        if row[0] in small:  # named, as needing more data, without a number
            assert row[1] == "perlu data lebih banyak" and not re.search(r"\d", row[2]), row


def test_a_session_under_five_shows_no_number(ev_loa, tmp_path):
    m = ev_loa.pairs.matched.head(3)
    small = replace(ev_loa, pairs=replace(ev_loa.pairs, matched=m))
    assert bool(small.summary["suppressed"].iloc[0])
    prs = Presentation(write_slides(small, tmp_path / "s.pptx"))
    assert _charts(prs) == []
    # every slide but the findings (about all who took each test, as on ringkasan.pdf)
    body = [t for s in list(prs.slides)[1:] for sh in s.shapes if sh.has_text_frame
            if _title(s) != "Temuan utama"
            for t in [sh.text_frame.text] if not t.startswith(("evaltools", "DATA CONTOH"))]
    assert "tidak ditampilkan: n < 5" in body
    assert not any(re.search(r"\d+%|→", t) for t in body), body
