"""What managers receive: charts and ringkasan.xlsx, aggregates only, safe to open."""

import re
import shutil
import subprocess
import sys
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
    charts = ["lulus_kkm", "pengecoh", "per_butir", "per_opd", "per_topik", "peta_butir", "reaksi",
              "sikap", "skor_pre_post"]
    # what managers get in kirim/, the rest beside it for the evaluator
    assert sorted(str(p.relative_to(out)) for p in paths) == sorted(
        [f"{c}.{f}" for c in charts for f in ("pdf", "svg")] + [f"kirim/{c}.png" for c in charts]
        + ["kirim/ringkasan.xlsx", "kirim/ringkasan.pdf", "kirim/ringkasan.pptx"])
    assert sorted(p.name for p in (out / "kirim").iterdir()) == sorted(
        [f"{c}.png" for c in charts] + ["ringkasan.xlsx", "ringkasan.pdf", "ringkasan.pptx"])
    from PIL import Image
    for name in (f"kirim/{c}.png" for c in charts):
        with Image.open(out / name) as im:
            dpi = im.info["dpi"][0]
            assert round(dpi) >= 200 and im.width >= 1200


def test_workbook_content(exported, ev_loa):
    out, _ = exported
    wb = load_workbook(out / "kirim" / "ringkasan.xlsx")
    assert wb.sheetnames == ["Ringkasan", "Rekomendasi", "Per OPD", "Per Topik", "Per Butir",
                             "Sikap & Reaksi", "Kualitas Data", "Metode"]
    ws = wb["Ringkasan"]
    assert ws["A1"].value == "Sosialisasi Netralitas ASN Kecamatan Loa Janan"
    assert ws["A2"].value.startswith("DATA CONTOH (SINTETIS)")
    values = {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r and r[0]}
    assert values["Peserta berpasangan (pre dan post)"] == 52
    assert values["Kenaikan rata-rata (poin persen)"] == pytest.approx(
        ev_loa.summary["mean_gain"].iloc[0])
    # numbers stored as numbers, with formats
    cell = next(c for c in ws["B"] if c.value == values["Rata-rata skor pre-test (%)"])
    assert isinstance(cell.value, float) and cell.number_format == "[$-421]0.0"
    opd = wb["Per OPD"]
    assert opd.freeze_panes == "B2"
    rows = {r[0]: r[1:] for r in opd.iter_rows(min_row=2, values_only=True)}
    assert rows["Kelurahan Loa Janan Ilir"][0] == "n < 5"       # suppressed: no numbers
    assert all(v is None for v in rows["Kelurahan Loa Janan Ilir"][1:])
    assert rows["Kecamatan Loa Janan"][0] == 13
    rows_q = [r for r in wb["Kualitas Data"].iter_rows(values_only=True)]
    q = {r[0]: r[1] for r in rows_q if r and r[0]}
    assert q["baris dibaca"] == ev_loa.responses.n_input_rows == 114  # 59 Kobo + 55 typed
    # ledger codes in words for the manager, the code in a column of its own for the evaluator
    assert ("dikeluarkan", "baris kosong", 1, "excluded/empty_row") in rows_q
    ledger = {r[3]: r for r in rows_q if r and r[3] and "/" in str(r[3])}
    assert ledger["repaired/nip_mangled_by_excel"][0] == "diperbaiki"
    assert ledger["repaired/nip_mangled_by_excel"][2] == 6
    assert ledger["excluded/duplicate_submission"][1].startswith("orang yang sama mengirim")
    assert ledger["excluded/duplicate_submission"][2] == 5
    assert ("Tindakan", "Alasan", "Jumlah baris", "Kode (untuk evaluator)") in rows_q
    assert not any(r[1] in ("empty_row", "duplicate_submission") for r in rows_q if r)


def test_no_personal_data_in_the_workbook(exported, ev_loa):
    out, _ = exported
    with zipfile.ZipFile(out / "kirim" / "ringkasan.xlsx") as z:
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
    from dataclasses import replace
    m = ev_loa.pairs.matched.copy()
    m["opd"] = m["opd"].replace({"Kecamatan Loa Janan": '=HYPERLINK("http://x","klik")'})
    ev = replace(ev_loa, pairs=replace(ev_loa.pairs, matched=m))
    ev.export(tmp_path)
    cells = [r[0] for r in load_workbook(tmp_path / "kirim" / "ringkasan.xlsx")["Per OPD"].iter_rows(values_only=True)]
    assert "'=HYPERLINK(\"http://x\",\"klik\")" in cells


@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) not installed: apt-get install libreoffice-calc-nogui")
def test_libreoffice_opens_the_workbook(exported, tmp_path):
    out, _ = exported
    res = subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                          str(out / "kirim" / "ringkasan.xlsx")], capture_output=True, text=True, timeout=180,
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
    # nine charts, each saying why it is empty where it is, the workbook, the page, the slides
    assert len(paths) == 12
    ws = load_workbook(tmp_path / "kirim" / "ringkasan.xlsx")["Ringkasan"]
    values = {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r and r[0]}
    assert values["Peserta berpasangan (pre dan post)"] == 0
    assert "Rata-rata skor pre-test (%)" not in values  # nothing to show for n < 5
    # nor rows of people, even when asked for; nor the attitude sentence of 0 people
    from evaltools.export import write_workbook
    wb = load_workbook(write_workbook(ev, tmp_path / "p.xlsx", include_participants=True))
    assert "Peserta (pseudonim)" not in wb.sheetnames
    assert not any("Sikap netralitas" in f for f in ev.findings())


def test_workbook_items_scales_findings_methods_and_chart(exported, ev_loa):
    import zipfile
    out, _ = exported
    wb = load_workbook(out / "kirim" / "ringkasan.xlsx")
    first = [r[0] for r in wb["Ringkasan"].iter_rows(values_only=True) if r and r[0]]
    for sentence in ev_loa.findings():
        assert sentence in first
    items = ev_loa.items().set_index("item")
    # No., Pertanyaan, Topik, Kode butir, then the numbers
    rows = {r[3]: r for r in wb["Per Butir"].iter_rows(min_row=2, values_only=True) if r[3]}
    assert list(rows) == list(items.index)
    assert rows["q13"][:2] == ("13", ev_loa.instrument.item("q13").text)
    assert rows["q13"][5] == pytest.approx(items.loc["q13", "pct_pre"])
    assert rows["q13"][11] == pytest.approx(items.loc["q13", "p_bh"])
    # DIF on the post-test (tests/stats/test_dif.py): Loa Janan has no B or C item
    header = [c.value for c in wb["Per Butir"][1]]
    assert header[-5:] == ["DIF (ETS, post)", "DIF: kelompok", "Delta MH", "p BH (DIF)", "Catatan DIF"]
    assert {r[-5] for r in rows.values()} == {"A"} and {r[-4] for r in rows.values()} == {"tidak ada"}
    att = wb["Sikap & Reaksi"]
    texts = [r[0] for r in att.iter_rows(values_only=True) if r and r[0]]
    assert "Wajar bagi ASN menunjukkan dukungan politik di akun pribadi di luar jam kerja." in texts
    assert "Penilaian penyelenggaraan (sesudah)" in texts
    terms = [r[0] for r in wb["Metode"].iter_rows(min_row=2, values_only=True)]
    assert {"d_z", "Gain Hake <g>", "n < 5", "Kenaikan (dipadukan)"} <= set(terms)
    with zipfile.ZipFile(out / "kirim" / "ringkasan.xlsx") as z:  # openpyxl drops charts when loading
        chart = z.read("xl/charts/chart1.xml").decode()
    # the title of the chart beside it in ringkasan.pdf (evaltools.charts.title)
    assert "Per Topik" in chart and "Persentase jawaban benar per topik" in chart


def _pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.mark.skipif(shutil.which("pdfinfo") is None,
                    reason="poppler-utils (pdfinfo, pdftotext) not installed: apt-get install poppler-utils")
def test_onepage_summary_is_one_a4_page_with_facts_numbers_findings(exported, ev_loa, tmp_path):
    out, _ = exported
    info = subprocess.run(["pdfinfo", str(out / "kirim" / "ringkasan.pdf")], capture_output=True, text=True,
                          check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M)
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)
    text = " ".join(_pdf_text(out / "kirim" / "ringkasan.pdf").split())
    meta = ev_loa.meta
    for fact in (meta["nama"], "22 November 2024", meta["tempat"], meta["penyelenggara"],
                 "55 mengisi pre-test, 53 post-test, 52 keduanya",
                 "DATA CONTOH (SINTETIS)"):
        assert fact in text, fact
    # the headline numbers of the summary, with the decimal comma (R: t.test(post, pre, paired=TRUE))
    for number in ("+15,7", "IK 95% 12,5 s.d. 19,0", "55 → 71", "17% → 56%", "d_z = 1,35"):
        assert number in text, number
    for sentence in ev_loa.findings():
        assert sentence[:40] in text, sentence
    assert "Kualitas data: 114 baris dibaca, 108 dipakai, 6 dikeluarkan, 19 diperbaiki" in text
    assert "Kenaikan skor rata-rata per OPD" in text and "n < 5 (disembunyikan)" in text
    # the same data gives the same file: no creation date, no random ids
    from evaltools.export import write_onepage
    again = write_onepage(ev_loa, tmp_path / "ringkasan.pdf")
    assert again.read_bytes() == (out / "kirim" / "ringkasan.pdf").read_bytes()


@pytest.mark.skipif(shutil.which("pdftotext") is None,
                    reason="poppler-utils (pdftotext) not installed: apt-get install poppler-utils")
def test_onepage_summary_in_english_and_for_many_opds(ev_kaltim, tmp_path):
    from evaltools.export import write_onepage
    path = write_onepage(ev_kaltim, tmp_path / "summary.pdf", lang="en")
    text = " ".join(_pdf_text(path).split())
    assert "Participants: 308 took the pre-test, 283 the post-test, 263 both" in text
    assert "SAMPLE DATA (SYNTHETIC)" in text and "+14.1" in text
    # 27 OPDs with numbers do not fit a fifth of a page: the most in need and the largest,
    # said so with how many are left out and where
    by = ev_kaltim.by("opd")
    shown = by[~by["suppressed"]].sort_values(["n", "opd"], ascending=[False, True])
    assert len(shown) == 27
    assert "8 of 32 work units shown: those with the lowest pass rate or gain" in text
    assert "the other 24 in per_opd.png and ringkasan.xlsx" in text
    lowest = shown.sort_values("mean_gain")["opd"].head(2).tolist()
    assert shown["opd"].iloc[0] in text and all(o in text for o in lowest)


def test_a_chart_is_laid_out_once_and_drawn_once_per_format(ev_loa, monkeypatch):
    """figure_bytes lays a chart out with its first format and fixes it there; each later format
    is one drawing. savefig draws a figure that still has a layout engine twice (once to lay it
    out): with the placeholder engine of set_layout_engine("none") the SVG and the PDF were drawn
    twice each (six drawings), and the one page's PDF twice after its own layout (four)."""
    from matplotlib.figure import Figure

    from evaltools.export.common import figure_bytes
    from evaltools.export.onepage import onepage_bytes
    from evaltools.export.session import chart_figure, session_charts
    draws, real = [], Figure.draw

    def counted(fig, renderer):
        draws.append(type(getattr(renderer, "_renderer", renderer)).__name__)  # a vector backend's own
        return real(fig, renderer)
    monkeypatch.setattr(Figure, "draw", counted)
    fig = chart_figure(session_charts(ev_loa, "id")[0], ev_loa, "id")
    engine = fig.get_layout_engine()
    figure_bytes(fig, ("png", "svg", "pdf"))
    # the PNG: the layout, then the picture; then one drawing for each other format
    assert draws == ["RendererAgg", "RendererAgg", "RendererSVG", "RendererPdf"]
    assert type(engine).__name__ == "ConstrainedLayoutEngine" and fig.get_layout_engine() is engine  # given back
    draws.clear()
    onepage_bytes(ev_loa)
    # the page is laid out to fit its titles, laid out again where they landed (settle), then drawn once
    assert draws == ["RendererAgg", "RendererAgg", "RendererPdf"]
    # a matplotlibrc asking for automatic layout does not bring an engine back
    import matplotlib

    from evaltools.export.common import fix_layout
    with matplotlib.rc_context({"figure.autolayout": True}):
        fixed = Figure(layout="constrained")
        fix_layout(fixed)
        assert fixed.get_layout_engine() is None
        plain = Figure(layout="none")  # a figure without an engine is given back without one
        figure_bytes(plain, ("svg",))
        assert plain.get_layout_engine() is None


def test_participant_sheet_only_on_request_and_pseudonymised(ev_loa, tmp_path):
    from evaltools.export import pseudonym, write_workbook
    plain = load_workbook(write_workbook(ev_loa, tmp_path / "a.xlsx"))
    assert "Peserta (pseudonim)" not in plain.sheetnames
    wb = load_workbook(write_workbook(ev_loa, tmp_path / "b.xlsx", include_participants=True,
                                      salt="rahasia-bkpsdm"))
    rows = list(wb["Peserta (pseudonim)"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Pseudonim", "OPD / unit kerja", "Skor pre (%)")
    m = ev_loa.pairs.matched
    assert len(rows) - 1 == len(m) == 52
    keys = [f"{sid}|{p}" for sid, p in zip(m["session"], m["pid"])]  # per session, on purpose
    expected = {pseudonym(k, "rahasia-bkpsdm"): (pre, post) for k, pre, post
                in zip(keys, m["pct_pre"], m["pct_post"])}
    got = {r[0]: (r[2], r[3]) for r in rows[1:]}
    assert got.keys() == expected.keys()
    for k, (pre, post) in expected.items():
        assert got[k] == (pytest.approx(pre), pytest.approx(post))
    assert [r[0] for r in rows[1:]] == sorted(got)  # not in the order people signed in
    # an OPD hidden on the Per OPD sheet is not named here either: Kelurahan (n = 4) and, so
    # that its four cannot be told apart, UPT Puskesmas (n = 10) pooled as "(OPD lain)"
    named = {r[1] for r in rows[1:]}
    assert "Kelurahan Loa Janan Ilir" not in named and "UPT Puskesmas Loa Janan" not in named
    assert sum(r[1] == "(OPD lain)" for r in rows[1:]) == 4 + 10
    # no NIP or name anywhere in the file; another salt gives other pseudonyms
    with zipfile.ZipFile(tmp_path / "b.xlsx") as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))
    for v in [*m["nip"].dropna(), *m["nama"].dropna()]:
        if v:
            assert v not in xml
    assert pseudonym("nip:199302072021012139", "lain") != pseudonym("nip:199302072021012139",
                                                                     "rahasia-bkpsdm")


def test_a_group_hidden_to_protect_a_smaller_one_says_so(exported, ev_loa):
    out, _ = exported
    rows = {r[0]: r[1:] for r in load_workbook(out / "kirim" / "ringkasan.xlsx")["Per OPD"].iter_rows(
        min_row=2, values_only=True)}
    assert rows["Kelurahan Loa Janan Ilir"][0] == "n < 5"
    assert rows["UPT Puskesmas Loa Janan"][0] == "disembunyikan (melindungi kelompok kecil)"
    assert set(rows["UPT Puskesmas Loa Janan"][1:]) == {None}
    svg = (out / "per_opd.svg").read_text(encoding="utf-8")
    assert "disembunyikan (lindungi n &lt; 5)" in svg and "+16,3" not in svg


def test_kirim_layout_keeps_overwrite_protection_and_retires_the_old_files(ev_loa, tmp_path):
    from evaltools.errors import EvalToolsError
    from evaltools.overwrite import MANIFEST, claim, read_manifest
    with claim(tmp_path, ["per_opd.png", "ringkasan.xlsx"]):  # an older evaltools' layout
        (tmp_path / "per_opd.png").write_bytes(b"lama")
        (tmp_path / "ringkasan.xlsx").write_bytes(b"lama")
    (tmp_path / "ringkasan.xlsx").write_bytes(b"diubah tangan")
    ev_loa.export(tmp_path, formats=("png",))
    # ours and unchanged: gone (it would look current); changed by hand: left alone
    assert not (tmp_path / "per_opd.png").exists()
    assert (tmp_path / "ringkasan.xlsx").read_bytes() == b"diubah tangan"
    known = read_manifest(tmp_path)
    assert "per_opd.png" not in known and "kirim/per_opd.png" in known
    assert "kirim/ringkasan.pptx" in known and not (tmp_path / "kirim" / MANIFEST).exists()
    ev_loa.export(tmp_path, formats=("png",))  # its own files: replaced without a word
    (tmp_path / "kirim" / "ringkasan.pptx").write_bytes(b"diubah")
    with pytest.raises(EvalToolsError, match="kirim/ringkasan.pptx"):
        ev_loa.export(tmp_path, formats=("png",))
    assert (tmp_path / "kirim" / "ringkasan.pptx").read_bytes() == b"diubah"  # nothing written


def _fails():
    raise ValueError("grafik rusak")


def test_a_figure_that_fails_in_a_worker_raises_its_own_error_in_the_caller(monkeypatch):
    """A worker that fails hands the task back: it runs again here and its own error is raised
    (export.workers); the others' results come back in order, the costliest started first."""
    from evaltools.export import workers
    ran_here = []
    monkeypatch.setattr(workers, "_can_fork", lambda: True)
    assert workers.in_parallel([lambda: 1, lambda: ran_here.append(2) or 2], workers=2, costs=[1, 9]) == (
        [1, 2], None)
    assert ran_here == []  # both drawn in the workers
    with pytest.raises(ValueError, match="grafik rusak"):
        workers.in_parallel([lambda: 1, _fails], workers=2)
    monkeypatch.setenv(workers.ENV, "1")
    assert workers.processes() == 1
    assert workers.in_parallel([lambda: ran_here.append(3) or 3], alongside=lambda: "x") == ([3], "x")
    assert ran_here == [3]  # one process: drawn here


def test_started_calls_at_once_each_get_their_own_results(monkeypatch):
    """Two calls of workers.start running together (a notebook's prepared export and an export
    in another language): each call's tasks run in its own workers, none again here, and no
    task list is kept once the workers are forked (a dropped call leaks nothing)."""
    import os

    from evaltools.export import workers
    monkeypatch.setattr(workers, "_can_fork", lambda: True)
    first = workers.start([lambda: ("a0", os.getpid()), lambda: ("a1", os.getpid())], workers=2)
    second = workers.start([lambda: ("b0", os.getpid()), lambda: ("b1", os.getpid()),
                            lambda: ("b2", os.getpid())], workers=2)
    assert workers._TASKS == {}  # each worker holds its own copy from the fork
    b, a = second.results(), first.results()
    assert [r[0] for r in b] == ["b0", "b1", "b2"] and [r[0] for r in a] == ["a0", "a1"]
    assert os.getpid() not in {r[1] for r in a + b} and first.redone == second.redone == 0
    failing = workers.start([_fails, lambda: 1], workers=2)
    with pytest.raises(ValueError, match="grafik rusak"):  # failed in a worker: raised here
        failing.results()


def test_hung_workers_are_stopped_and_what_they_held_is_drawn_here(monkeypatch, tmp_path):
    """A worker that never finishes (one forked from a kernel's threads can inherit a held lock):
    once no figure has come back for ``stall`` seconds the workers are killed and reaped, and the
    tasks they held run here; what a worker finished before is kept."""
    import os
    import time

    from conftest import wait_until
    from evaltools.export import workers
    monkeypatch.setattr(workers, "_can_fork", lambda: True)
    caller = os.getpid()

    def hangs():
        if os.getpid() != caller:
            (tmp_path / f"{os.getpid()}.pid").touch()
            time.sleep(30)  # as a deadlocked worker (30 s, not for ever: a broken stop fails, not hangs)
        return "di sini"
    started = workers.start([lambda: ("selesai", os.getpid()), hangs], workers=2, costs=[9, 1])
    wait_until(lambda: started._futures[0].done() and list(tmp_path.glob("*.pid")),
               "the first figure back and the second hanging (before the stall counts)", 30)
    (first, pid), here = started.results(stall=1.0)
    assert (first, here, started.redone) == ("selesai", "di sini", 1) and pid != caller
    hung = [int(p.stem) for p in tmp_path.glob("*.pid")]
    assert len(hung) == 1 and hung[0] != caller
    with pytest.raises(ProcessLookupError):  # killed and reaped: no such process any more
        os.kill(hung[0], 0)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers fork on Linux only")
def test_workers_leave_when_the_process_that_forked_them_is_killed(tmp_path):
    """A process killed mid-drawing (a script taken by the out-of-memory killer or kill -9; a
    kernel's manager signals its whole process group) cannot send its workers away: they leave
    on their own instead of waiting for ever, each holding a copy of its memory (before, both
    were still there 45 s later, asleep)."""
    import os
    import signal

    from conftest import ROOT, gone, wait_until
    script = (
        "import os, sys, time, pathlib\n"
        "from evaltools.export import workers\n"
        "def draws():\n"
        f"    pathlib.Path({str(tmp_path)!r}, f'{{os.getpid()}}.pid').touch()\n"
        "    time.sleep(60)\n"
        "started = workers.start([draws, draws, draws], workers=2)\n"
        "time.sleep(120)\n")
    parent = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)
    try:
        wait_until(lambda: len(list(tmp_path.glob("*.pid"))) == 2, "both workers drawing", 60)
        pids = [int(p.stem) for p in tmp_path.glob("*.pid")]
        assert parent.pid not in pids
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        wait_until(lambda: all(gone(pid) for pid in pids), "the orphaned workers leaving", 20)
    finally:
        parent.kill()
        for p in tmp_path.glob("*.pid"):
            if not gone(int(p.stem)):
                os.kill(int(p.stem), signal.SIGKILL)


def test_prepared_export_is_drawn_once_writes_nothing_and_equals_a_plain_export(inst, tmp_path,
                                                                                monkeypatch):
    """prepare_export starts the drawing and writes nothing; the export that follows with the same
    language and formats takes it (no second drawing) and writes the same bytes as an export
    without it; a drawing in another language is left alone, and the export after it draws its
    own; the setup cell run again replaces the drawing it had started."""
    import evaltools as et
    from conftest import LOA_JANAN
    from evaltools.export import session, workers
    monkeypatch.setattr(workers, "_can_fork", lambda: True)
    monkeypatch.setenv(workers.ENV, "2")
    started, handles = [], []
    real = session._start
    monkeypatch.setattr(session, "_start",
                        lambda *a: started.append(a[2:]) or handles.append(real(*a)) or handles[-1])
    ev = et.evaluate(LOA_JANAN, inst)
    ev.prepare_export("id", ("png",))
    ev.prepare_export("id", ("png",))  # the setup cell run again: the newer drawing replaces it
    # the replaced drawing's two workers are killed (by SIGKILL, mid-drawing) and reaped
    assert [p.exitcode for p in handles[0]._procs] == [-9, -9]
    assert ev._drawings[("id", ("png",))][1] is handles[1]
    ev.prepare_export("en", ("png",))
    assert started == [("id", ("png",))] * 2 + [("en", ("png",))] and not (tmp_path / "a").exists()
    prepared = ev.export(tmp_path / "a", lang="en", formats=("png",))
    assert len(started) == 3 and list(ev._drawings) == [("id", ("png",))]  # taken, not drawn again
    assert handles[2].redone == 0  # every figure came from a worker
    plain = ev.export(tmp_path / "b", lang="en", formats=("png",))  # only "id" is prepared
    assert started[3:] == [("en", ("png",))] and list(ev._drawings) == [("id", ("png",))]
    figures = [p for p in prepared if p.suffix in (".png", ".svg", ".pdf")]
    assert len(figures) == 10  # 9 charts and the page
    for p in figures:
        assert p.read_bytes() == (tmp_path / "b" / p.relative_to(tmp_path / "a")).read_bytes(), p.name
    assert [p.relative_to(tmp_path / "a") for p in prepared] == [p.relative_to(tmp_path / "b") for p in plain]
    assert len(handles[1].results()) == 10 and handles[1].redone == 0  # collected: no worker left running


def test_prepare_export_that_cannot_start_leaves_the_export_to_draw(ev_loa, monkeypatch):
    """A prepared drawing is only a head start: where starting it fails, nothing is kept and the
    setup cell goes on (the export draws, and raises, itself)."""
    from evaltools.export import session

    def broken(*_):
        raise OSError("fork gagal")
    monkeypatch.setattr(session, "_start", broken)
    ev_loa.prepare_export("id", ("png",))
    assert ev_loa._drawings == {}
