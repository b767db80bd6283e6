"""Retention over several follow-up surveys (``Recap.trajectory``): checked
against R on a session and two follow-ups of its participants written by
evaltools.simulate, its sentences, its chart, the Retensi sheet, and the
single follow-up of the existing retention kept as it was."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import evaltools as et  # noqa: E402
from evaltools import charts  # noqa: E402
from evaltools.retention import COLUMNS, trajectory, trajectory_sentences  # noqa: E402
from evaltools.simulate import FOLLOWUPS, LATER_FOLLOWUPS, write_sample  # noqa: E402

LJ, F1, F2 = "loa-janan-2024-11-22", "kukar-tindak-lanjut-2024-12-20", "kukar-tindak-lanjut-2025-02-21"
R_DATA = Path(__file__).resolve().parent.parent / "r" / "retention_multi.csv"
REL = 1e-9


@pytest.fixture(scope="module")
def rc(inst, tmp_path_factory):
    data = tmp_path_factory.mktemp("retention")
    write_sample(data, inst, sessions=[LJ], followups=[*FOLLOWUPS, *LATER_FOLLOWUPS])
    return et.recap(data, inst)


def test_the_r_data_is_what_simulate_writes(rc):
    wide = rc.trajectory_scores(LJ)
    assert list(wide.columns) == ["pre", "post", F1, F2]
    r = pd.read_csv(R_DATA)
    assert len(r) == len(wide) == 52
    assert np.array_equal(r.to_numpy(float), wide.to_numpy(float), equal_nan=True)


def test_trajectory_matches_r(rc):
    t = rc.trajectory()
    assert list(t.columns) == COLUMNS
    assert t["wave"].tolist() == ["pre", "post", F1, F2]
    assert t["days"].tolist() == [0, 0, 28, 91]
    # Rscript tests/r/retention_multi.R; complete cases: cc <- d[complete.cases(d), ]
    assert t["n_available"].tolist() == [52, 52, 40, 39]  # sum(!is.na(d[[w]]))
    assert t["n_complete"].tolist() == [30] * 4  # nrow(cc)
    expected = {  # mean(x), sd(x), t.test(x)$conf.int on cc[[w]]
        "pre": (54.814814814814817, 14.634923141442986, 49.350044702816874, 60.279584926812753),
        "post": (68.518518518518519, 19.127904548477993, 61.376041576793661, 75.66099546024337),
        F1: (63.333333333333336, 18.96897853180025, 56.250200341526465, 70.416466325140192),
        F2: (62.222222222222221, 16.969715398824164, 55.88562635326285, 68.558818091181593)}
    for _, row in t.iterrows():
        got = row[["mean", "sd", "ci_low", "ci_high"]].to_numpy(float)
        assert got == pytest.approx(expected[row["wave"]], rel=REL), row["wave"]
    later = t.set_index("wave").loc[[F1, F2]]
    # ok <- !is.na(d[[f]]); t <- t.test(d[[f]][ok], d$post[ok], paired = TRUE)
    assert later["n_pair"].tolist() == [40, 39]  # sum(ok)
    assert later["df"].tolist() == [39, 38]  # t$parameter
    want = {"mean_post_pair": (70.18518518518519, 69.420702754036085),  # mean(d$post[ok])
            "mean_pair": (63.611111111111114, 62.013295346628681),  # mean(d[[f]][ok])
            "change": (-6.5740740740740735, -7.4074074074074074),  # t$estimate
            "change_ci_low": (-10.197630430349502, -11.204043822755697),  # t$conf.int[1]
            "change_ci_high": (-2.9505177177986455, -3.6107709920591176),  # t$conf.int[2]
            "t": (-3.6696876300129402, -3.9496835316262997),  # t$statistic
            "p_t": (0.00072489301573882214, 0.00032776230940115676),  # t$p.value
            "p_holm": (0.00072489301573882214, 0.00065552461880231353),  # p.adjust(p, "holm")
            "d_z": (-0.58022856060930827, -0.63245553203367588)}  # mean(diff) / sd(diff)
    for col, values in want.items():
        assert later[col].to_numpy(float) == pytest.approx(values, rel=REL), col
    # 100 * (mean(cc$f) - mean(cc$pre)) / (mean(cc$post) - mean(cc$pre))
    assert later["kept_pct"].tolist() == pytest.approx([62.162162162162162, 54.054054054054054], rel=REL)
    assert not t["suppressed"].any() and not t["suppressed_pair"].any()


def test_one_followup_is_the_retention_of_before(rc):
    ret = rc.retention().set_index("followup")
    t = rc.trajectory().set_index("wave")
    for f in (F1, F2):
        assert t.loc[f, "n_pair"] == ret.loc[f, "n"]
        for a, b in (("change", "change"), ("change_ci_low", "ci_low"), ("p_t", "p_t"),
                     ("mean_post_pair", "mean_post"), ("mean_pair", "mean_followup")):
            assert t.loc[f, a] == pytest.approx(ret.loc[f, b], rel=1e-12)
    # the first follow-up is the sample's: the values tests/test_recap.py checks against R
    assert ret.loc[F1, "n"] == 40 and ret.loc[F1, "change"] == pytest.approx(-6.5740740740740735)


def test_sentences_in_both_languages(rc):
    t = rc.trajectory()
    assert trajectory_sentences(t) == [
        "Satu bulan setelah sosialisasi (20 Desember 2024), skor 40 peserta turun 6,6 poin dari "
        "post-test (70 → 64; IK 95% -10,2 s.d. -3,0; p Holm < 0,001).",
        "Tiga bulan setelah sosialisasi (21 Februari 2025), skor 39 peserta turun 7,4 poin dari "
        "post-test (69 → 62; IK 95% -11,2 s.d. -3,6; p Holm < 0,001).",
        "Di antara 30 peserta yang mengisi semua tes, skor rata-rata 55 → 69 → 63 → 62 (pre-test, "
        "post-test, 1 bulan, 3 bulan)."]
    assert trajectory_sentences(t, "en")[1] == (
        "Three months after the session (21 February 2025), the score of 39 participants was "
        "7.4 points lower than at the post-test (69 → 62; 95% CI -11.2 to -3.6; Holm p < 0.001).")


def test_small_groups_are_suppressed_and_left_out_of_holm(rc):
    wide = rc.trajectory_scores(LJ)
    dates = {"post": "2024-11-22", F1: "2024-12-20", F2: "2025-02-21"}
    t = trajectory(wide, dates, session=LJ, min_n=40).set_index("wave")
    assert t["suppressed"].all()  # 30 complete cases
    assert t.loc[[F1, F2], "suppressed_pair"].tolist() == [False, True]  # 40 and 39 pairs
    # the one comparison shown is its own family: Holm's p is its p
    assert t.loc[F1, "p_holm"] == t.loc[F1, "p_t"] and np.isnan(t.loc[F2, "p_holm"])
    text = trajectory_sentences(t.reset_index(), min_n=40)
    assert text[0].startswith("Satu bulan setelah sosialisasi (20 Desember 2024), skor 40 peserta")
    assert "; p < 0,001)." in text[0]  # one test: the plain p
    assert text[1:] == ["Kurang dari 40 peserta mengisi post-test dan survei tindak lanjut "
                        "21 Februari 2025: tidak ditampilkan.",
                        "Kurang dari 40 peserta mengisi semua tes: lintasan bersama tidak ditampilkan."]


def test_chart_draws_the_line_and_each_change_without_overlap(rc):
    from chart_overlap import problems
    t = rc.trajectory()
    for lang in ("id", "en"):
        fig = Figure(figsize=(7.5, 4.6), layout="constrained")
        ax = charts.retention_chart(t, kkm=70, ax=fig.subplots(), lang=lang, synthetic=True)
        assert problems(fig) == []
    ticks = [x.get_text().splitlines() for x in ax.get_xticklabels()]
    assert ticks[0] == ["Pre-test", "n = 52"]
    assert ticks[3] == ["3 months", "21 February 2025", "-7.4 points from the post-test",
                        "(n = 39, Holm p < 0.001)"]
    assert [x.get_text() for x in ax.texts if x.get_text()[:1].isdigit()] == [
        "54.8", "68.5", "63.3", "62.2"]
    assert ax.get_legend().get_texts()[0].get_text() == (
        "mean of the 30 participants who took every test (95% CI)")


def test_recap_workbook_retensi_sheet_holds_the_trajectory(rc, tmp_path):
    from openpyxl import load_workbook

    from evaltools.export.recap import write_recap_workbook
    ws = load_workbook(write_recap_workbook(rc, tmp_path / "rekap.xlsx"))["Retensi"]
    rows = [[v for v in r if v is not None] for r in ws.iter_rows(values_only=True)]
    at = rows.index(["Lintasan retensi"])
    assert rows[at + 2][0].startswith("Tiga bulan setelah sosialisasi (21 Februari 2025), skor 39")
    header = rows[at + 5]
    assert header[:4] == ["Sesi", "Gelombang", "n (mengisi)", "n (semua tes)"]
    three = dict(zip(header, rows[at + 9]))
    assert three["Gelombang"] == "3 bulan (21 Februari 2025)"
    assert three["n (post dan tindak lanjut)"] == 39 and three["n (semua tes)"] == 30
    assert three["p Holm"] == pytest.approx(0.00065552461880231353, rel=REL)


def test_a_line_a_few_people_away_from_a_comparison_is_hidden():
    # 6 took the first follow-up, 5 took both: the 6th person's change would be the difference
    w = pd.DataFrame({"pre": [50, 55, 60, 40, 45, 70.0], "post": [70, 75, 80, 60, 65, 85.0],
                      "a": [65, 70, 72, 58, 60, 80.0], "b": [60, np.nan, 70, 50, 55, 78.0]})
    dates = {"post": "2024-11-22", "a": "2024-12-20", "b": "2025-02-21"}
    t = trajectory(w, dates)
    assert t["suppressed"].all() and t["n_complete"].iloc[0] == 5
    assert trajectory_sentences(t)[-1] == ("Lintasan bersama tidak ditampilkan: bedanya dengan "
                                           "perbandingan di atas kurang dari 5 peserta, sehingga "
                                           "skor mereka dapat dihitung.")
    w.loc[1, "b"] = 62.0  # all six at every wave: nothing in between to give away
    assert not trajectory(w, dates)["suppressed"].any()
