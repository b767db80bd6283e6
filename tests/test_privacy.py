"""Manager exports carry aggregates only, and no text that a spreadsheet
would run: built from data full of names, NIPs, codes and injection strings,
then every XML part of the workbook (with the pseudonymised participant
sheet too), the text of the one-page PDF and every SVG is searched."""

import shutil
import subprocess
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import evaltools as et

MATCHING = Path(__file__).parent / "fixtures" / "read" / "matching"
EVIL_OPD = '=HYPERLINK("http://example.com/x","klik")'
EVIL_SARAN = "@SUM(1+1)*cmd|' /C calc'!A0"
NAMED_OPD = "Ajudan Wagub (Fitri Anggraini)"  # free text naming a person, for one participant


@pytest.fixture(scope="module")
def exported(tmp_path_factory, inst):
    folder = tmp_path_factory.mktemp("uji-2024-11-22")
    people = []
    for src in sorted(MATCHING.glob("*.csv")):
        df = pd.read_csv(src, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        df.loc[df.index[:6], "opd"] = EVIL_OPD  # six people of one "OPD": not suppressed
        df.loc[df.index[6], "opd"] = NAMED_OPD
        if "saran" in df.columns:
            df["saran"] = EVIL_SARAN
        df.to_csv(folder / src.name, index=False)
        people += [v for v in df["nama"] if v] + [v for v in df["nip"] if v] \
            + [v for v in df["kode_peserta"] if v] + ["Fitri Anggraini", "HYPERLINK"]
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
    parts = _xlsx_text(out / "kirim" / "ringkasan.xlsx") | {
        f"peserta:{k}": v for k, v in _xlsx_text(out / "ringkasan-peserta.xlsx").items()} | {
        f"pptx:{k}": v for k, v in _xlsx_text(out / "kirim" / "ringkasan.pptx").items()}
    svgs = {p.name: p.read_text(encoding="utf-8") for p in paths if p.suffix == ".svg"}
    assert len(svgs) == 9 and len(parts) >= 5
    assert any("P-" in t for t in parts.values())  # the pseudonymised sheet is among them
    assert not any("P-" in t for k, t in parts.items() if not k.startswith("peserta:"))
    for value in people:
        # a NIP may be stored without its spaces: search both forms
        for v in {value, value.replace(" ", "")}:
            assert not any(v in t for t in parts.values()), (v, "ringkasan.xlsx")
            assert not any(v in t for t in svgs.values()), (v, "svg")


def test_injection_strings_are_neutralised(exported):
    from openpyxl import load_workbook
    ev, out, _, _ = exported
    wb = load_workbook(out / "kirim" / "ringkasan.xlsx")
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str)]
    # free text that is no registry OPD never reaches a manager, and is no group at all
    assert not any(EVIL_OPD in c.value or NAMED_OPD in c.value for c in cells)
    registry = set(et.read.load_opd_registry("data/opd.csv")["singkatan"])
    assert set(ev.by("opd")["opd"]) <= registry
    assert {c.value for c in wb["Per OPD"]["A"][1:] if c.value} <= registry | {"Total"}
    assert any(c.value == "'-2+3 sesi uji" for c in cells)  # the session name, neutralised
    assert not any(c.value.startswith(("=", "+", "-", "@")) for c in cells)
    assert all(c.data_type != "f" for c in cells)


def test_small_groups_are_suppressed_in_the_workbook(exported):
    from openpyxl import load_workbook
    ev, out, _, _ = exported
    by = ev.by("opd")
    small = by[by["n"] < 5]["opd"].tolist()
    assert small
    ws = load_workbook(out / "kirim" / "ringkasan.xlsx")["Per OPD"]
    rows = {r[0]: r[1:] for r in ws.iter_rows(min_row=2, values_only=True)}
    from evaltools.export import safe_text
    for opd in small:
        got = rows[safe_text(opd)]
        assert got[0] == "n < 5" and all(v is None for v in got[1:])


@pytest.mark.skipif(shutil.which("pdftotext") is None,
                    reason="poppler-utils (pdftotext) not installed: apt-get install poppler-utils")
def test_no_personal_value_in_the_onepage_pdf(exported):
    ev, out, _, people = exported
    raw = subprocess.run(["pdftotext", str(out / "kirim" / "ringkasan.pdf"), "-"], capture_output=True,
                         text=True, check=True).stdout
    text = " ".join(raw.split())
    assert "sesi uji" in text and "Temuan utama" in text  # the text is there to be searched
    squeezed = text.replace(" ", "")
    for value in people:
        assert value not in text and value.replace(" ", "") not in squeezed, value


def test_a_session_under_five_gets_placeholders_not_numbers(tmp_path, inst):
    from conftest import LOA_JANAN
    folder = tmp_path / "kecil-2024-11-22"
    folder.mkdir()
    full = et.read_responses(LOA_JANAN, inst)
    d = full.data
    both = set(d.loc[d["wave"] == "pre", "pid"]) & set(d.loc[d["wave"] == "post", "pid"])
    post = d[(d["wave"] == "post") & d["pid"].isin(both)].head(2)
    cols = ["session", "wave", "nama", "nip", "kode_peserta", "opd", *inst.item_ids,
            *[li.id for li in inst.likert_items]]
    post[cols].assign(session="kecil-2024-11-22").to_csv(folder / "post.csv", index=False)
    pre = d[(d["wave"] == "pre") & d["pid"].isin(post["pid"])]
    pre[cols].assign(session="kecil-2024-11-22").to_csv(folder / "pre.csv", index=False)
    ev = et.evaluate(folder, inst, meta={"nama": "Sesi kecil", "sintetis": True})
    assert len(ev.pairs.matched) == 2 and bool(ev.summary["suppressed"].iloc[0])
    paths = ev.export(tmp_path / "out", formats=("svg",))
    svgs = {p.stem: p.read_text(encoding="utf-8") for p in paths if p.suffix == ".svg"}
    for name in ("skor_pre_post", "per_topik", "per_butir", "peta_butir", "sikap", "reaksi",
                 "lulus_kkm", "pengecoh"):
        assert "Tidak ditampilkan: kurang dari 5 peserta" in svgs[name], name
    # nothing but the placeholder: no means, no shares, no participant's dot
    assert "rata-rata" not in svgs["skor_pre_post"] and "→" not in svgs["per_topik"]
    assert "seluruh sesi" not in svgs["per_opd"]  # the session line would give the mean gain
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(tmp_path / "out" / "kirim" / "ringkasan.pdf"), "-"],
                              capture_output=True, text=True, check=True).stdout
        import re
        assert "tidak ditampilkan: n < 5" in text and not re.search(r"rata-rata \d", text)
        assert "lulus KKM:" not in text and "seluruh sesi" not in text


def test_every_item_number_in_the_workbook_is_about_the_matched_people(ev_loa, tmp_path):
    # Kesukaran (pre) over everyone who took the pre-test, beside % benar pre over the matched,
    # would give back the answers of the three who left: both are about the same 52 now
    from openpyxl import load_workbook
    from evaltools.export import write_workbook
    ws = load_workbook(write_workbook(ev_loa, tmp_path / "r.xlsx"))["Per Butir"]
    head = [c.value for c in ws[1]]
    rows = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[3]]  # not the note under it
    pct, diff = head.index("% benar pre"), head.index("Kesukaran (pre)")
    assert len(rows) == 27
    for r in rows:
        assert r[diff] == pytest.approx(r[pct] / 100, abs=1e-12), r[0]


def test_pooled_gain_and_holm_shown_to_managers_use_only_the_shown_groups(ev_loa, tmp_path):
    from openpyxl import load_workbook
    from evaltools import stats
    from evaltools.export import write_workbook
    by = ev_loa.by("opd")
    shown = by[~by["suppressed"]]
    pp = stats.partial_pooling(shown["mean_gain"], shown["sd_gain"] ** 2, shown["n"])
    holm = stats.adjust_p(shown["p_t"].to_numpy(float), "holm")
    ws = load_workbook(write_workbook(ev_loa, tmp_path / "r.xlsx"))["Per OPD"]
    head = [c.value for c in ws[1]]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    for opd, g, h in zip(shown["opd"], pp["shrunken"], holm):
        assert rows[opd][head.index("Kenaikan (dipadukan)")] == pytest.approx(g, abs=1e-12)
        assert rows[opd][head.index("p Holm")] == pytest.approx(h, abs=1e-12)
    # and they differ from the values fitted on all five OPDs (the evaluator's table)
    assert not np.allclose(shown["p_t_holm"].to_numpy(float), holm)


def test_small_groups_give_no_sentences_and_no_participant_rows(inst):
    from evaltools.compare import attrition
    from evaltools.pair import Pairs
    m = pd.DataFrame({"pct_pre": [50.0, 60, 70]})
    u = pd.DataFrame({"reason": ["no_post"] * 6, "pct": [40.0, 45, 50, 55, 60, 65], "wave": "pre"})
    a = attrition(Pairs(m, u, pd.DataFrame()), min_n=5).iloc[0]
    assert bool(a["suppressed"])  # three completers: their mean would be three people's
