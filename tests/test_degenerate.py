"""Degenerate sessions (issue 21, point 5): no NaN, inf or empty label
reaches what people read. Each session is written as real CSV files
(``evaltools.simulate``, then changed), evaluated as a user would, and its
one-pager, findings, charts, workbook (read back with openpyxl) and slides
(python-pptx) are searched; a statistic that cannot be computed says why."""

import re
from dataclasses import replace

import pytest
import yaml
from matplotlib.figure import Figure
from matplotlib.text import Text
from openpyxl import load_workbook
from pptx import Presentation

import evaltools as et
from evaltools.export import write_workbook
from evaltools.export.onepage import headline_numbers, onepage_figure
from evaltools.export.session import session_charts
from evaltools.export.slides import write_slides
from evaltools.findings import session_findings
from evaltools.simulate import SESSIONS, Unit, simulate_session

# "nan"/"inf" as a word or number, not inside "informasi" or "Janan"
BAD_WORD = re.compile(r"(?<![\w.])(nan|-?inf|infinity)(?![\w])", re.I)
# a label left without its words: "ukuran efek: " at the end of a line, "d_z = ", "()"
EMPTY_LABEL = re.compile(r"[:=][ \t]+(\n|$)|\(\s*\)")
SAME_ID = "tidak dapat dihitung: semua peserta berubah sama besar"
SAME_EN = "cannot be computed: every participant changed by the same amount"


def _key(item) -> str:
    return item.key if isinstance(item.key, str) else ",".join(item.key)


def _sessions(inst) -> dict:
    """name -> (pre, post) answer tables of the degenerate sessions (None: no file)."""
    spec = replace(SESSIONS["loa-janan-2024-11-22"], p_skip_post=0.0, p_only_post=0.0,
                   p_duplicate=0.0, p_blank=0.0, p_nip_spaces=0.0, empty_rows=0)
    pre0, post0 = simulate_session(spec, inst)
    scored = [i for i in inst.items if i.scored]
    out = {}
    pre, post = pre0.copy(), post0.copy()
    for i in scored:
        pre[i.id], post[i.id] = _key(i), _key(i)
    out["all-100"] = (pre, post)
    pre, post = pre0.copy(), post0.copy()  # everyone: the same 4 right before, the same 8 after
    for k, i in enumerate(scored):
        pre[i.id], post[i.id] = (_key(i) if k < 4 else ""), (_key(i) if k < 8 else "")
    out["identical"] = (pre, post)
    pre, post = pre0.copy(), post0.copy()
    pre[[i.id for i in inst.items]], post[[i.id for i in inst.items]] = "", ""
    out["all-blank"] = (pre, post)
    for k in (1, 2):
        out[f"{k}-pair"] = (pre0.iloc[:3], post0[post0["nip"].isin(pre0["nip"].iloc[:k])])
    out["0-pairs"] = (pre0.iloc[:3], post0[~post0["nip"].isin(pre0["nip"].iloc[:3])].iloc[:3])
    out["pre-only"], out["post-only"] = (pre0, None), (None, post0)
    return out


def _one_person_opds(inst):
    """2,000 participants, each the only one of their OPD."""
    units = tuple(Unit(f"OPD {k}", "samarinda", 400, {"pns": 1.0}, 0.1 * k, 0.1) for k in range(5))
    spec = replace(SESSIONS["kesbangpol-kaltim-2024-10-17"], units=units, p_skip_post=0.0,
                   p_only_post=0.0, p_duplicate=0.0, p_blank=0.0, p_nip_spaces=0.0, empty_rows=0)
    pre, post = simulate_session(spec, inst)
    own = {nip: f"Unit Kerja Uji {k}" for k, nip in enumerate(pre["nip"])}
    pre["opd"], post["opd"] = pre["nip"].map(own), post["nip"].map(own)
    return pre, post


@pytest.fixture(scope="module")
def data(tmp_path_factory, inst):
    root = tmp_path_factory.mktemp("degenerate")
    cases = {**_sessions(inst), "one-person-opds": _one_person_opds(inst)}
    for name, (pre, post) in cases.items():
        folder = root / name
        folder.mkdir()
        for wave, df in (("pre", pre), ("post", post)):
            if df is not None:
                df.to_csv(folder / f"{wave}.csv", index=False)
        meta = {"nama": f"Sesi uji {name}", "tanggal": "2024-11-22", "sintetis": True}
        (folder / "sesi.yaml").write_text(yaml.safe_dump(meta), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def evs(data, inst):
    return {d.name: et.evaluate(d, inst) for d in sorted(data.iterdir())}


def _figure_texts(fig) -> list:
    return [t.get_text() for t in fig.findobj(Text) if t.get_text().strip()]


def _outputs(ev, tmp_path, lang: str, charts: bool = True) -> dict:
    """Where -> the texts people read, of one session in ``lang``."""
    out = {"findings": session_findings(ev, lang), "onepage": _figure_texts(onepage_figure(ev, lang))}
    for c in session_charts(ev, lang) if charts else []:
        if c.n is None or c.n >= ev.min_n:  # else a placeholder saying "n < 5"
            fig = Figure(figsize=c.size)
            c.draw(fig.subplots())
            out[f"chart {c.name}"] = _figure_texts(fig)
    wb = load_workbook(write_workbook(ev, tmp_path / f"{lang}.xlsx"))
    out["workbook"] = [str(c.value) for ws in wb for row in ws.iter_rows() for c in row
                       if c.value is not None]
    prs = Presentation(write_slides(ev, tmp_path / f"{lang}.pptx", lang=lang))
    shapes = [sh for slide in prs.slides for sh in slide.shapes]
    out["pptx"] = [sh.text_frame.text for sh in shapes if sh.has_text_frame] + [
        cell.text for sh in shapes if sh.has_table for row in sh.table.rows for cell in row.cells]
    return out


def _bad(out: dict) -> list:
    return [(where, text[:120]) for where, texts in out.items() for text in texts
            if BAD_WORD.search(text) or EMPTY_LABEL.search(text)]


CASES = ["all-100", "identical", "all-blank", "0-pairs", "1-pair", "2-pair", "pre-only", "post-only"]


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("lang", ["id", "en"])
def test_no_nan_inf_or_empty_label_anywhere(evs, tmp_path, name, lang):
    out = _outputs(evs[name], tmp_path, lang, charts=lang == "id")
    assert _bad(out) == []
    assert out["findings"] and all(f.strip() for f in out["findings"])


def test_the_bad_patterns_are_caught():
    # the texts: caught; words holding "nan"/"inf" and question stems ending in ':' are not
    assert BAD_WORD.search("d_z = NaN") and BAD_WORD.search("(p = nan; tidak berubah nyata)")
    assert BAD_WORD.search("IK 95% -inf s.d. inf") and EMPTY_LABEL.search("ukuran efek: ")
    assert EMPTY_LABEL.search("Ukuran efek d_z ()")
    for fine in ("informasi Kecamatan Loa Janan", "pencalonan", "Hukuman disiplin sedang bagi PNS berupa:"):
        assert not BAD_WORD.search(fine) and not EMPTY_LABEL.search(fine)


@pytest.mark.parametrize("name, pre, post, gain", [("all-100", "100%", "100%", "0,0"),
                                                    ("identical", "15%", "30%", "+14,8"),
                                                    ("all-blank", "0%", "0%", "0,0")])
def test_same_change_for_everyone_says_why(evs, tmp_path, name, pre, post, gain):
    ev = evs[name]
    s = ev.summary.iloc[0]
    assert int(s["n"]) == 56 and s["sd_gain"] == 0
    assert ev.findings()[0] == (f"Rata-rata pemahaman peserta: {pre} sebelum, {post} sesudah ({gain} "
                                f"poin); uji statistik dan d_z {SAME_ID}.")
    assert session_findings(ev, "en")[0].endswith(f"; the test and d_z {SAME_EN}.")
    # the d_z tile of the one-pager and of the slides
    assert headline_numbers(s, 70)[-1] == ("d_z = –", "ukuran efek tidak dapat\ndihitung: semua "
                                                      "peserta\nberubah sama besar")
    assert headline_numbers(s, 70, "en")[-1] == ("d_z = –", "effect size cannot be\ncomputed: every "
                                                            "participant\nchanged by the same amount")
    page = " ".join(" ".join(_figure_texts(onepage_figure(ev))).split())
    assert "ukuran efek tidak dapat dihitung: semua peserta berubah sama besar" in page
    ws = load_workbook(write_workbook(ev, tmp_path / "r.xlsx"))["Ringkasan"]
    values = {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r and r[0]}
    assert values["Ukuran efek d_z"] == SAME_ID and values["p (uji t berpasangan)"] == SAME_ID


def test_hake_gain_at_the_top_says_why(evs, tmp_path):
    ws = load_workbook(write_workbook(evs["all-100"], tmp_path / "r.xlsx"))["Ringkasan"]
    values = {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r and r[0]}
    assert values["Gain Hake <g> kelas, dari skor rata-rata"] == (
        "tidak dapat dihitung: skor pre-test sudah 100%, tidak ada ruang untuk naik")


@pytest.mark.parametrize("name, n", [("0-pairs", 0), ("1-pair", 1), ("2-pair", 2), ("pre-only", 0),
                                     ("post-only", 0)])
def test_too_few_pairs_say_so_and_show_no_numbers(evs, name, n):
    ev = evs[name]
    assert ev.findings() == [f"Peserta yang mengikuti kedua tes terlalu sedikit (n = {n}) untuk "
                             "disimpulkan."]
    assert headline_numbers(ev.summary.iloc[0], 70) == []
    assert "tidak ditampilkan: n < 5" in _figure_texts(onepage_figure(ev))


def test_two_thousand_one_person_opds(evs, tmp_path):
    ev = evs["one-person-opds"]
    assert int(ev.summary["n"].iloc[0]) == 2000
    assert bool(ev.by("opd")["suppressed"].all())  # every OPD has one person: none shown
    out = _outputs(ev, tmp_path, "id", charts=False)
    assert _bad(out) == []
    assert ev.findings()[0].startswith("Rata-rata pemahaman peserta naik dari ")
    assert not any("p = –" in f or "p = nan" in f.lower() for f in ev.findings())


def test_a_session_at_100_percent_gets_no_advice_to_repeat_it(evs):
    ev = evs["all-100"]
    rec = ev.recommendations()
    # only the two OPDs under five people; no "perlu sosialisasi ulang" for a gain of 0 at 100%,
    # no "perkuat materi" for a topic at 100%
    assert rec["action"].tolist() == ["perlu data lebih banyak"] * 2
    assert ev.findings()[3] == "Semua topik sama: 100% benar sesudah sosialisasi."
    assert evs["all-blank"].findings()[3] == "Semua topik sama: 0% benar sesudah sosialisasi."


def test_topics_tied_at_the_lowest_are_all_named(evs):
    assert evs["identical"].findings()[3] == ("Topik 'Hak pilih & pencalonan', 'Pelaporan & "
                                              "pengawasan' terendah sesudah sosialisasi (0% benar).")
    assert session_findings(evs["identical"], "en")[3] == (
        "Topics 'Voting rights & candidacy', 'Reporting & supervision' are the weakest after the "
        "session (0% correct).")


@pytest.mark.parametrize("name", ["all-100", "identical", "all-blank"])
def test_the_topic_chart_points_at_no_weakest_topic_in_a_tie(evs, name):
    from evaltools.charts import topic_dumbbell
    ax = topic_dumbbell(evs[name].topics(), ax=Figure().subplots())
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == len(evs[name].topics())  # only "a → b" values
    assert "terlemah" not in [t.get_text() for t in ax.findobj(Text)]
    assert {lab.get_fontweight() for lab in ax.get_yticklabels()} == {"normal"}
    # 2,000 participants have one lowest topic: it is pointed at
    loa = topic_dumbbell(evs["one-person-opds"].topics(), ax=Figure().subplots())
    assert [t.get_text() for t in loa.findobj(Text)].count("terlemah") == 1


def test_the_pass_rate_line_clears_the_dots_at_100(evs):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from evaltools.charts import score_slopes
    fig = Figure(figsize=(6.4, 4.8))
    FigureCanvasAgg(fig)
    ax = score_slopes(evs["all-100"].pairs.matched, ax=fig.subplots())
    fig.canvas.draw()
    line = next(t for t in ax.texts if t.get_text().startswith("lulus KKM"))
    assert line.get_text() == "lulus KKM: 100% → 100%"
    top_of_dots = ax.transData.transform((0, 100))[1] + 4  # a marker of s=14 is about 4 px tall
    assert line.get_window_extent(fig.canvas.get_renderer()).y0 > top_of_dots


def test_no_registry_opd_says_so_not_that_nobody_took_both_tests(tmp_path, inst):
    """A session whose participants all name an OPD the registry does not
    list (another province's units, a registry not yet filled in): the
    per-OPD chart, the one page and the recap's OPD chart said "no
    participant took both tests" beside 52 matched pairs. They say why."""
    from evaltools.charts.labels import LABELS
    from evaltools.export.recap import export_recap
    spec = replace(SESSIONS["loa-janan-2024-11-22"], p_skip_post=0.0, p_only_post=0.0,
                   p_duplicate=0.0, p_blank=0.0, p_nip_spaces=0.0, empty_rows=0)
    pre, post = simulate_session(spec, inst)
    folder = tmp_path / "data" / "luar-daerah-2024-11-22"
    folder.mkdir(parents=True)
    for wave, df in (("pre", pre), ("post", post)):
        df.assign(opd="Dinas Entah Berantah").to_csv(folder / f"{wave}.csv", index=False)
    ev = et.evaluate(folder, inst)
    assert len(ev.pairs.matched) == len(pre) and ev.by("opd").empty
    assert ev.no_opd_reason() == "no_opd"  # what the report notebook passes to its chart too
    said = {"id": "OPD peserta tidak ada di daftar OPD: tidak ada yang dapat dihitung per OPD",
            "en": "The participants' OPDs are not in the OPD registry: nothing to count per OPD"}
    for lang, text in said.items():
        chart = next(c for c in session_charts(ev, lang) if c.name == "per_opd")
        assert text in [t.get_text() for t in chart.draw(Figure().subplots()).texts]
        page = _figure_texts(onepage_figure(ev, lang))
        assert text in page and LABELS[lang]["empty"] not in page
    rc = et.recap(tmp_path / "data", inst)
    assert rc.no_opd_reason() == "no_opd"
    export_recap(rc, tmp_path / "rekap", formats=("svg",))
    assert said["id"] in (tmp_path / "rekap" / "rekap_opd.svg").read_text(encoding="utf-8")


def test_registry_opds_all_too_small_are_hidden_not_missing(tmp_path, inst):
    """40 registry OPDs of 1-2 matched participants each: the one page has
    room for 8 and shows none (each under 5). It says they are hidden, not
    that the OPDs are missing from the registry or that nobody took both tests."""
    import pandas as pd
    from evaltools.charts.labels import LABELS
    spec = replace(SESSIONS["loa-janan-2024-11-22"], p_skip_post=0.0, p_only_post=0.0,
                   p_duplicate=0.0, p_blank=0.0, p_nip_spaces=0.0, empty_rows=0)
    pre, post = simulate_session(spec, inst)
    names = pd.read_csv("data/opd.csv", dtype=str)["nama"].head(40).tolist()
    own = {name: names[k % 40] for k, name in enumerate(pre["nama"])}  # not by NIP: some have none
    folder = tmp_path / "kecil-kecil-2024-11-22"
    folder.mkdir()
    for wave, df in (("pre", pre), ("post", post)):
        df.assign(opd=df["nama"].map(own)).to_csv(folder / f"{wave}.csv", index=False)
    ev = et.evaluate(folder, inst)
    by = ev.by("opd")
    assert len(by) >= 20 and bool(by["suppressed"].all()) and ev.no_opd_reason() == "hidden"
    page = _figure_texts(onepage_figure(ev))
    assert LABELS["id"]["hidden"].format(min_n=5) in page
    assert LABELS["id"]["no_opd"] not in page and LABELS["id"]["empty"] not in page
