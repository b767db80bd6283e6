"""JZS Bayes factor BF10 of the paired gain against R's BayesFactor
(tests/r/bayes_power.R; values printed there, the R call beside each)."""

import math

import numpy as np
import pytest

import evaltools as et
from evaltools import fmt, stats
from evaltools.stats.bayes import log_bf10
from evaltools.findings import detectable_sentence
from evaltools.project import paths

# R: extractBF(ttestBF(x = post, y = pre, paired = TRUE))$bf on tests/r/bayes_pairs_<session>.csv
R_SESSION = {"loa-janan-2024-11-22": 23218091691.9662,
             "kesbangpol-balikpapan-2023-10-20": 9386.75485902596}
# R: the same per OPD with n >= 5 (d[d$opd == o, ])
R_OPD = {
    "loa-janan-2024-11-22": {"Kecamatan Loa Janan": 62.5132903659934,
                             "Pemerintah Desa se-Kecamatan Loa Janan": 3.80445336460022,
                             "UPT Dinas Pendidikan Kecamatan Loa Janan": 1106.48099807107,
                             "UPT Puskesmas Loa Janan": 24.2952724471915},
    "kesbangpol-balikpapan-2023-10-20": {"BKPSDM Kota Balikpapan": 0.710324401269702,
                                         "Diskominfo Kota Balikpapan": 23.5057457432522,
                                         "DP3AKB Kota Balikpapan": 4.39854522120297,
                                         "Kesbangpol Kota Balikpapan": 4.6860178826362},
    "kesbangpol-kaltim-2024-10-17": {"BKPSDM Kab. Berau": 0.769398487511894,
                                     "Kesbangpol Kab. Kutai Barat": 3.576197773022,
                                     "Kesbangpol Kab. Kutai Timur": 1.36822911112569,
                                     "Dinas Pendidikan dan Kebudayaan Prov. Kaltim": 1464.95489507127,
                                     "Inspektorat Prov. Kaltim": 283.853189884818},
}


def test_sleep_matches_bayesfactor():
    x = np.array([0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0])  # sleep, group 1
    y = np.array([1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4])  # group 2
    t = stats.paired_ttest(x, y)["t"]
    # R: extractBF(ttestBF(x = sleep$extra[11:20], y = sleep$extra[1:10], paired = TRUE))$bf
    assert stats.jzs_bf10(t, 10)["bf10"] == pytest.approx(17.2588802677725, rel=1e-6)
    # R: ttest.tstat(t = 0, n1 = 10, rscale = "medium", simple = TRUE)
    assert stats.jzs_bf10(0.0, 10)["bf10"] == pytest.approx(0.30879355670851, rel=1e-6)


@pytest.mark.parametrize("sid", sorted(R_OPD))
def test_sample_sessions_match_bayesfactor(sid, inst, ev_loa, ev_kaltim):
    ev = {"loa-janan-2024-11-22": ev_loa, "kesbangpol-kaltim-2024-10-17": ev_kaltim}.get(sid) \
        or et.evaluate(paths()["sample"] / sid, inst)
    if sid in R_SESSION:
        assert ev.summary["bf10"].iloc[0] == pytest.approx(R_SESSION[sid], rel=1e-6)
    by = ev.by("opd").set_index("opd")
    for opd, bf in R_OPD[sid].items():
        assert by.loc[opd, "bf10"] == pytest.approx(bf, rel=1e-6), opd


def test_kaltim_session_exact_where_r_approximates(ev_kaltim):
    """t = 18.7 at n = 263: BayesFactor says "t is large; approximation
    invoked" (1.34127582518206e+50); the exact integral is the reference."""
    s = ev_kaltim.summary.iloc[0]
    exact = stats.jzs_bf10(s["t"], int(s["n"]))["bf10"]
    assert s["bf10"] == pytest.approx(exact, rel=1e-10)
    assert s["bf10"] == pytest.approx(1.34127582518206e+50, rel=1e-3)


def test_large_t_and_n_no_overflow():
    r = stats.jzs_bf10(50.0, 100_000)
    # R: ttest.tstat(t = 50, n1 = 100000, rscale = "medium")$bf (log BF; R approximates here)
    assert r["log_bf10"] == pytest.approx(1228.95833825181, rel=1e-9)
    assert r["bf10"] == math.inf and r["bf01"] == 0.0
    assert math.isinf(stats.bf10_many(50.0, 100_000))
    assert fmt.bayes_factor(r["bf10"]) == "> 1000"
    # under no effect at n = 100,000 the factor favours H0 strongly, finite
    assert stats.bf10_many(0.0, 100_000) == pytest.approx(math.exp(stats.jzs_bf10(0.0, 100_000)["log_bf10"]),
                                                           rel=1e-12)


def test_vectorised_equals_adaptive_quad():
    t = np.array([0.0, 2.0, -4.062128, 5.0, 200.0, 0.1, 30.0, np.nan])
    n = np.array([10, 10, 10, 20, 3, 100_000, 2, 10])
    many = stats.bf10_many(t, n)
    one = [math.exp(log_bf10(a, b)) if np.isfinite(a) else math.nan for a, b in zip(t, n)]
    np.testing.assert_allclose(many, one, rtol=1e-12)
    assert np.isnan(stats.bf10_many(1.0, 1))


def test_vectorised_equals_adaptive_quad_on_a_grid():
    # the trapezoid over the window below 40 of the peak (``bayes._window``) against quad, for
    # t from 0 to 300 and n from 2 to 10^6 (log BF10 from -7 to 45,000): to 1e-12 of log BF10
    # (relative where |log BF10| > 1), and the same where BF10 itself is finite (below e^709)
    t = np.array([0.0, 0.05, 0.7, 1.5, 2.5, 4.0, 8.0, 17.5, 40.0, 120.0, 300.0])
    n = np.array([2, 3, 5, 12, 50, 200, 5_000, 1_000_000])
    tt, nn = (a.ravel() for a in np.meshgrid(t, n))
    with np.errstate(divide="ignore"):
        many = np.log(stats.bf10_many(tt, nn))
    one = np.array([log_bf10(a, b) for a, b in zip(tt, nn)])
    finite = one < 709
    np.testing.assert_allclose(many[finite], one[finite], rtol=1e-12, atol=1e-12)
    assert np.isinf(many[~finite]).all() and (~finite).sum() == 5


def test_words_and_printing():
    assert stats.bf_label(23218091691.9662) == "bukti ekstrem untuk adanya perubahan"
    assert stats.bf_label(24.2952724471915) == "bukti kuat untuk adanya perubahan"
    assert stats.bf_label(0.710324401269702) == "bukti anekdotal untuk tidak ada perubahan"
    assert stats.bf_label(0.02, "en") == "very strong evidence for no change"
    assert [fmt.bayes_factor(v) for v in (1106.48, 62.5133, 3.8045, 0.7103)] == \
        ["> 1000", "62,5", "3,80", "0,71"]
    s = {"n": 9, "min_detectable_gain": 12.345, "bf10": 0.710324401269702}
    assert detectable_sentence(s, "en") == ("With 9 participants, only gains above 12.3 points could "
                                           "have shown (80% power); BF10 = 0.71: anecdotal evidence "
                                           "for no change.")
