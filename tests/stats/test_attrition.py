"""Attrition: pre-test takers who missed the post-test, compared with completers.

Reference values: tests/r/attrition_kaltim.R (the two score vectors written
out), run with R 4.2.2 / effectsize 0.8.3.
"""

import pytest

from evaltools.findings import attrition_sentence

TOL = 1e-9


def test_kaltim_dropouts_scored_lower_than_completers(ev_kaltim):
    a = ev_kaltim.attrition().iloc[0]
    assert (a["n_pre"], a["n_completers"], a["n_dropouts"], a["n_unresolved"]) == (308, 263, 45, 0)
    assert a["attrition_pct"] == pytest.approx(100 * 45 / 308, abs=TOL)
    assert a["mean_pre_completers"] == pytest.approx(67.56795, abs=5e-6)   # mean(x*100/27)
    assert a["mean_pre_dropouts"] == pytest.approx(62.46914, abs=5e-6)     # mean(y*100/27)
    # t.test(y*100/27, x*100/27)   (Welch, R's default)
    assert a["t"] == pytest.approx(-2.2829985969131781, abs=TOL)
    assert a["df"] == pytest.approx(66.013297786192567, abs=TOL)
    assert a["p_welch"] == pytest.approx(0.025657718071441543, abs=TOL)
    assert a["ci_low"] == pytest.approx(-9.5578904922968153, abs=TOL)
    assert a["ci_high"] == pytest.approx(-0.63973425539130913, abs=TOL)
    assert a["diff"] == pytest.approx(-5.0988123738440621, abs=TOL)
    # wilcox.test(y, x): ties, so the normal approximation with continuity correction
    assert a["W"] == 4639.5
    assert a["p_mw"] == pytest.approx(0.020342518849011604, abs=TOL)
    assert a["mw_method"].startswith("normal")
    assert a["r_rb"] == pytest.approx(-0.21596958174904946, abs=TOL)  # effectsize::rank_biserial(y, x)
    assert not a["suppressed"]
    assert ev_kaltim.attrition_sentence() == attrition_sentence(a, 5)
    assert attrition_sentence(a, 5) == (
        "45 dari 308 peserta pre-test tidak mengikuti post-test; skor pre-test mereka lebih rendah "
        "daripada peserta yang lengkap (p < 0,05): kenaikan mungkin terlalu tinggi dibanding "
        "seluruh peserta.")
    assert attrition_sentence(a, 5, "en").endswith("lower than completers' (p < 0.05): "
                                                  "the gain may be overstated.")


def test_loa_janan_three_dropouts_are_counted_not_compared(ev_loa):
    a = ev_loa.attrition().iloc[0]
    assert (a["n_pre"], a["n_completers"], a["n_dropouts"]) == (55, 52, 3)
    assert a["suppressed"]  # 3 < 5: managers see the count only
    assert attrition_sentence(a, 5) == ("3 dari 55 peserta pre-test tidak mengikuti post-test; "
                                        "terlalu sedikit untuk dibandingkan skornya.")


def test_workbook_shows_attrition_without_small_group_means(ev_loa, ev_kaltim, tmp_path):
    from openpyxl import load_workbook

    from evaltools.export import write_workbook
    for ev, shown in ((ev_kaltim, True), (ev_loa, False)):
        path = write_workbook(ev, tmp_path / f"{shown}.xlsx")
        cells = {r[0]: r[1] for r in load_workbook(path)["Ringkasan"].iter_rows(values_only=True)
                 if r and r[0]}
        assert cells["Tidak ikut post-test"] == (45 if shown else 3)
        assert ("Rata-rata pre-test: yang tidak ikut post-test (%)" in cells) is shown
        if shown:
            assert cells["p (uji t Welch)"] == pytest.approx(0.025657718071441543, abs=TOL)
        assert cells["Artinya"].startswith(f"{45 if shown else 3} dari")
