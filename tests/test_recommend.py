"""Recommendations (evaltools.recommend), the previous session
(evaltools.history), the evaluator's sesi.yaml keys and where they are shown:
the one-pager, the workbook's Rekomendasi sheet, the recap.

The session built here has six registry OPDs; Dinas Sosial Prov. Kaltim
answered the post-test exactly as the pre-test (a gain of 0) and
Inspektorat Prov. Kaltim sent three people (under min_n = 5)."""

import re
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
import yaml
from openpyxl import load_workbook

import evaltools as et
from evaltools import stats
from evaltools.errors import EvalToolsError
from evaltools.export.onepage import onepage_figure, pick_groups
from evaltools.history import previous_folder
from evaltools.read import read_session_meta
from evaltools.recommend import COLUMNS, opd_rows, recommendations
from evaltools.simulate import SESSIONS, Unit, simulate_session

ZERO = "Dinas Sosial Prov. Kaltim"
SMALL = "Inspektorat Prov. Kaltim"
ORG = "Badan Kesbangpol Provinsi Kalimantan Timur"
UNITS = (Unit("Kesbangpol Prov. Kaltim", "samarinda", 9, {"pns": 1.0}, 0.3, 0.3),
         Unit("Diskominfo Prov. Kaltim", "samarinda", 8, {"pns": 1.0}, 0.2, 0.4),
         Unit("BKD Prov. Kaltim", "samarinda", 7, {"pns": 1.0}, 0.4, 0.2),
         Unit("Bappeda Prov. Kaltim", "samarinda", 6, {"pns": 1.0}, 0.1, 0.2),
         Unit(ZERO, "samarinda", 8, {"pns": 1.0}, -0.8, 0.0),
         Unit(SMALL, "samarinda", 3, {"pns": 1.0}, 0.4, 0.1))


def _write(folder, inst, sid, date, seed, zero: bool, extra: dict):
    spec = replace(SESSIONS["kesbangpol-kaltim-2024-10-17"], id=sid, tanggal=date, units=UNITS,
                   seed=seed, p_skip_post=0.0, p_only_post=0.0, p_duplicate=0.0, p_blank=0.0,
                   p_nip_spaces=0.0, penyelenggara=ORG)
    pre, post = simulate_session(spec, inst)
    if zero:  # Dinas Sosial's post-tests are its pre-tests, passed one person on: a gain of 0
        ids = [i.id for i in inst.items]
        same = pre.loc[pre["opd"] == ZERO].set_index("nip")[ids]
        rows = post["opd"] == ZERO
        nips = post.loc[rows, "nip"].tolist()
        post.loc[rows, ids] = same.loc[nips[1:] + nips[:1]].to_numpy()
    folder.mkdir(parents=True)
    pre.to_csv(folder / "pre.csv", index=False)
    post.to_csv(folder / "post.csv", index=False)
    meta = {"id": sid, "nama": f"Sosialisasi uji {date}", "tanggal": date, "penyelenggara": ORG,
            "instrumen": inst.id, "sintetis": True, **extra}
    (folder / "sesi.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")


@pytest.fixture(scope="module")
def data(tmp_path_factory, inst):
    root = tmp_path_factory.mktemp("rec")
    from PIL import Image
    _write(root / "uji-2024-01-10", inst, "uji-2024-01-10", "2024-01-10", 11, False, {})
    _write(root / "uji-2024-06-10", inst, "uji-2024-06-10", "2024-06-10", 12, True, {
        "catatan_evaluator": "Peserta Dinas Sosial datang terlambat.",
        "rekomendasi": ["Undang camat ke sesi berikutnya"],
        "kop": {"nama": "Badan Kesbangpol Prov. Kaltim", "logo": "logo.png"},
        "target_lulus": 0.8, "koreksi_opd": {"Dinsos": ZERO}})
    Image.new("RGB", (40, 40), "navy").save(root / "uji-2024-06-10" / "logo.png")
    return root


@pytest.fixture(scope="module")
def ev_zero(data, inst):
    return et.evaluate(data / "uji-2024-06-10", inst)


def test_partial_pooling_se_matches_metafor_blup():
    # R: library(metafor); yi <- c(10, 20, 15, 2); vi <- c(100, 80, 120, 60) / c(10, 20, 15, 5)
    #    r <- rma(yi, vi, method = "DL"); b <- blup(r); r$tau2; b$pred; b$se
    r = stats.partial_pooling([10, 20, 15, 2], [100, 80, 120, 60], [10, 20, 15, 5])
    assert r["tau2"] == pytest.approx(50.59615385, abs=1e-7)
    assert r["shrunken"] == pytest.approx([10.342137252, 19.419242618, 14.600413385, 3.931087366],
                                          abs=1e-8)
    assert r["shrunken_se"] == pytest.approx([2.958217831, 1.945774810, 2.680010650, 3.200172565],
                                             abs=1e-8)


def test_zero_gain_opd_recommended_with_reason(ev_zero):
    rec = ev_zero.recommendations()
    assert list(rec.columns) == COLUMNS
    row = rec[rec["target"] == ZERO].iloc[0]
    by = ev_zero.by("opd").set_index("opd")
    assert by.loc[ZERO, "mean_gain"] == pytest.approx(0, abs=1e-9) and by.loc[ZERO, "sd_gain"] > 0
    assert (row["kind"], row["action"], row["source"]) == ("opd", "perlu sosialisasi ulang", "evaltools")
    assert "kenaikan skornya 0,0 poin; dipadukan dengan OPD lain, IK 95%" in row["reason"]
    assert "masih mencakup 0 (belum pasti naik)" in row["reason"]
    assert row["reason"].startswith(f"Hanya {et.fmt.pct(by.loc[ZERO, 'pass_post'])} peserta lulus KKM")
    en = ev_zero.recommendations("en").set_index("target").loc[ZERO]
    assert en["action"] == "needs another session" and "includes 0" in en["reason"]


def test_small_group_named_without_numbers_and_last(ev_zero):
    rec = ev_zero.recommendations()
    small = rec[rec["target"] == SMALL]
    assert small["action"].tolist() == ["perlu data lebih banyak"]
    assert not re.search(r"\d", small["reason"].iloc[0])
    opd = rec[rec["kind"] == "opd"]["action"].tolist()
    assert opd.index("perlu data lebih banyak") > max(
        i for i, a in enumerate(opd) if a == "perlu sosialisasi ulang")


def test_no_group_under_min_n_has_numbers_on_samples(inst):
    for folder in ("data/sample/loa-janan-2024-11-22", "data/sample/kesbangpol-kaltim-2024-10-17"):
        ev = et.evaluate(folder, inst)
        by = ev.by("opd")
        hidden = set(by.loc[by["suppressed"], "opd"])
        rec = ev.recommendations()
        for r in rec[rec["target"].isin(hidden)].itertuples():
            assert r.action == "perlu data lebih banyak" and not re.search(r"\d", r.reason)
        assert len(hidden) == {"data/sample/loa-janan-2024-11-22": 2}.get(folder, 5)


def test_evaluator_rows_and_override(ev_zero):
    rec = ev_zero.recommendations()
    ours = rec[rec["source"] == "evaluator"]
    assert ours[["kind", "target", "reason"]].values.tolist() == [
        ["evaluator", "", "Undang camat ke sesi berikutnya"]]
    meta = {**ev_zero.meta, "rekomendasi": [{"target": ZERO, "action": "sesi khusus",
                                             "alasan": "baru bergabung"}]}
    over = recommendations(replace(ev_zero, meta=meta))
    assert over[over["target"] == ZERO][["kind", "action"]].values.tolist() == [["evaluator", "sesi khusus"]]


def test_target_lulus_changes_the_verdict(ev_zero):
    by = ev_zero.by("opd")
    strict = {r["target"] for r in opd_rows(by, 1.0) if r["action"] == "perlu sosialisasi ulang"}
    lax = {r["target"] for r in opd_rows(by, 0.01) if r["action"] == "perlu sosialisasi ulang"}
    assert ZERO in lax and lax < strict


def test_topic_rows_name_items(ev_loa):
    rec = ev_loa.recommendations()
    topics = rec[rec["kind"] == "topic"]
    assert topics["target"].tolist() == ["Sanksi", "Pelaporan & pengawasan"]
    assert "47% benar sesudah sesi (sebelum 37%; KKM 70)" in topics["reason"].iloc[0]
    assert "q08" in topics["reason"].iloc[0] or "8." in topics["reason"].iloc[0]


def test_session_meta_keys(data, tmp_path):
    meta = read_session_meta(data / "uji-2024-06-10")
    assert meta["kop"]["logo"] == str((data / "uji-2024-06-10" / "logo.png").resolve())
    assert meta["koreksi_opd"] == {"Dinsos": ZERO} and meta["target_lulus"] == 0.8
    for bad in ({"target_lulus": 1.5}, {"target_lulus": "80%"}, {"kop": {"nama": "X", "logo": "x.gif"}},
                {"kop": {"nama": "X", "logo": "none.png"}}, {"rekomendasi": "satu"},
                {"rekomendasi": [{"target": "A", "why": "b"}]}, {"catatan_evaluator": ["a"]}):
        (tmp_path / "sesi.yaml").write_text(yaml.safe_dump(bad), encoding="utf-8")
        with pytest.raises(EvalToolsError):
            read_session_meta(tmp_path)


def test_previous_session(data, ev_zero, inst):
    assert previous_folder(data / "uji-2024-06-10") == data / "uji-2024-01-10"
    assert previous_folder(data / "uji-2024-01-10") is None
    prev = ev_zero.previous()
    assert prev.meta["id"] == "uji-2024-01-10"
    s, p = ev_zero.summary.iloc[0], prev.summary.iloc[0]
    assert ev_zero.history_sentence() == (
        f"Dibanding sesi sebelumnya (Sosialisasi uji 2024-01-10, 10 Januari 2024): kenaikan rata-rata "
        f"{et.fmt.points(s['mean_gain'])} poin (sebelumnya {et.fmt.points(p['mean_gain'])}), lulus KKM "
        f"sesudah sesi {et.fmt.pct(s['pass_post'])} (sebelumnya {et.fmt.pct(p['pass_post'])}).")
    # none of the samples has a previous session of the same organiser
    for folder in et.read.find_sessions("data/sample", kind="session"):
        assert previous_folder(f"data/sample/{folder}") is None


def _texts(fig):
    from matplotlib.text import Text
    fig.draw_without_rendering()
    return [t for t in fig.findobj(Text) if t.get_text().strip() and t.get_visible()]


def test_onepage_names_the_opd_with_letterhead_note_and_8pt(ev_zero):
    fig = onepage_figure(ev_zero)
    texts = _texts(fig)
    assert min(t.get_fontsize() for t in texts) >= 8
    words = "\n".join(t.get_text() for t in texts)
    assert f"{ZERO}: perlu sosialisasi ulang" in words.replace("\n    ", " ")
    assert "Badan Kesbangpol Prov. Kaltim" in words and "Catatan evaluator: Peserta Dinas Sosial" in words
    assert "Rekomendasi" in words and "Dibanding sesi sebelumnya" in words.replace("\n    ", " ")


def test_onepage_all_samples_8pt_and_kaltim_keeps_lowest_gains(ev_kaltim):
    texts = _texts(onepage_figure(ev_kaltim))
    assert min(t.get_fontsize() for t in texts) >= 8
    words = "\n".join(t.get_text() for t in texts)
    # the two lowest gains the issue found dropped are on the page now
    assert "BKPSDM Kab. Berau" in words and "Kesbangpol Kab. Kutai Timur" in words
    assert "8 dari 32 OPD ditampilkan" in words and "24 lainnya di" in words


def test_pick_groups_keeps_largest_and_most_in_need():
    t = pd.DataFrame({"opd": list("abcdefgh"), "n": [40, 30, 20, 10, 9, 8, 7, 6],
                      "pass_post": [90, 90, 90, 90, 90, 5, 90, 10],
                      "mean_gain": [9, 9, 9, 9, 1, 9, 0, 9]})
    assert sorted(pick_groups(t, 6, 4)["opd"]) == ["a", "b", "e", "f", "g", "h"]


def test_workbook_rekomendasi_sheet(ev_zero, tmp_path):
    paths = ev_zero.export(tmp_path, formats=("png",))
    assert "sesi_sebelumnya.png" in {p.name for p in paths}  # the previous session's chart
    book = next(p for p in paths if str(p).endswith("ringkasan.xlsx"))
    wb = load_workbook(book)
    assert wb.sheetnames[1] == "Rekomendasi"
    rows = [[c.value for c in r] for r in wb["Rekomendasi"].iter_rows()]
    hit = [r for r in rows if ZERO in r]
    assert hit and "perlu sosialisasi ulang" in hit[0] and "mencakup 0" in " ".join(map(str, hit[0]))
    small = [r for r in rows if SMALL in r][0]
    assert not re.search(r"\d", " ".join(str(v) for v in small if v and v != SMALL))
    first = " ".join(str(c.value) for r in wb.worksheets[0].iter_rows() for c in r if c.value)
    assert "Badan Kesbangpol Prov. Kaltim" in first and "Peserta Dinas Sosial datang terlambat." in first


def test_recap_recommendations(data, inst, tmp_path):
    rc = et.recap(data, inst)
    rec = rc.recommendations()
    assert list(rec.columns) == COLUMNS
    assert set(rec["kind"]) <= {"opd", "opd_absent", "topic"}
    absent = rec[rec["kind"] == "opd_absent"]
    assert "Kesbangpol Kota Bontang" in set(absent["target"]) and ZERO not in set(absent["target"])
    assert not absent["reason"].str.contains(r"\d").any()
    paths = rc.export(tmp_path, formats=("png",))
    book = next(p for p in paths if str(p).endswith("rekap.xlsx"))
    wb = load_workbook(book)
    assert wb.sheetnames[1] == "Rekomendasi"
    assert any(np.array([ZERO in str(c.value) for r in wb["Rekomendasi"].iter_rows() for c in r]))


def _inside(sub):
    from matplotlib.text import Text
    box = sub.bbox
    for t in sub.findobj(Text):
        if not t.get_text().strip():
            continue
        e = t.get_window_extent()
        assert box.y0 - 1 <= e.y0 and e.y1 <= box.y1 + 1 and e.x1 <= box.x1 + 1, t.get_text()[:60]


def test_onepage_text_blocks_stay_in_their_part(ev_zero, ev_kaltim, ev_loa):
    for ev in (ev_zero, ev_kaltim, ev_loa):
        for lang in ("id", "en"):
            fig = onepage_figure(ev, lang)
            fig.draw_without_rendering()
            top, _, _, _, advice, bottom = fig.subfigs
            for sub in (top, advice, bottom):
                _inside(sub)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_onepage_figure_has_no_colliding_text(ev_zero, ev_kaltim, ev_loa, lang):
    """The one-pager's figure passes the same overlap check as every chart
    (tests/chart_overlap.py): no text on other text, off the page, on an axis
    line or struck by a dashed line; on the zero-gain session (letterhead,
    note, previous session) and on the largest and smallest samples."""
    from chart_overlap import problems
    found = {name: problems(onepage_figure(e, lang))
             for name, e in (("zero", ev_zero), ("kaltim", ev_kaltim), ("loa", ev_loa))}
    assert found == {"zero": [], "kaltim": [], "loa": []}


def test_slides_name_the_zero_gain_opd_with_its_reason(ev_zero, tmp_path):
    """ringkasan.pptx carries the same recommendation as the one-pager and the
    workbook: the OPD that gained nothing, with its reason; the small OPD only
    as "perlu data lebih banyak"."""
    from pptx import Presentation

    from evaltools.export import write_slides
    prs = Presentation(write_slides(ev_zero, tmp_path / "ringkasan.pptx"))
    rows = [[c.text for c in row.cells] for slide in prs.slides for shape in slide.shapes
            if shape.has_table for row in shape.table.rows]
    zero = [r for r in rows if r[0] == ZERO]
    reason = ev_zero.recommendations().set_index("target").loc[ZERO, "reason"]
    assert zero == [[ZERO, "perlu sosialisasi ulang", reason]]
    assert "lulus KKM" in reason and "target 80%" in reason
    small = [r for r in rows if r[0] == SMALL]
    assert small[0][1] == "perlu data lebih banyak" and not re.search(r"\d", small[0][2])
