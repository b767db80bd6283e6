"""evaltools.stats against R. Reference values from docs/statistics.md
(R 4.x; effectsize 0.8.3); the R call that gives each value is beside it."""

import math

import numpy as np
import pytest

from evaltools import stats

TOL = 1e-9
# R: pre <- sleep$extra[1:10]; post <- sleep$extra[11:20]
SLEEP_PRE = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_POST = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
EXACT_PRE = [12, 15, 9, 20, 14, 11, 18, 13, 16, 10]
EXACT_POST = [14, 19, 10, 25, 11, 20, 24, 6, 24, 20]


def test_paired_ttest_sleep():
    r = stats.paired_ttest(SLEEP_PRE, SLEEP_POST)
    # t.test(post, pre, paired = TRUE)
    assert r["t"] == pytest.approx(4.0621276834, abs=TOL)
    assert r["df"] == 9
    assert r["p"] == pytest.approx(0.00283289019738, abs=TOL)
    assert r["ci_low"] == pytest.approx(0.7001142367, abs=TOL)
    assert r["ci_high"] == pytest.approx(2.4598857633, abs=TOL)
    assert r["mean_diff"] == pytest.approx(1.58, abs=TOL)
    # sd(post - pre)
    assert r["sd_diff"] == pytest.approx(1.22999548327987, abs=TOL)


def test_wilcoxon_sleep_normal_with_ties_and_zero():
    r = stats.wilcoxon_signed_rank(SLEEP_PRE, SLEEP_POST)
    # wilcox.test(post, pre, paired = TRUE): one zero difference, ties -> normal + correction
    assert r["V"] == 45
    assert r["p"] == pytest.approx(0.00909069801593, abs=TOL)
    assert r["n_nonzero"] == 9
    assert r["method"].startswith("normal")
    assert r["r_rb"] == 1.0  # every non-zero difference is positive


def test_wilcoxon_exact():
    r = stats.wilcoxon_signed_rank(EXACT_PRE, EXACT_POST)
    # wilcox.test(post, pre, paired = TRUE) -> V = 45, exact p
    assert r["V"] == 45
    assert r["p"] == pytest.approx(0.083984375, abs=TOL)
    assert r["method"] == "exact"
    # (T+ - T-)/(T+ + T-) = (45 - 10)/55
    assert r["r_rb"] == pytest.approx(35 / 55, abs=TOL)


def test_wilcoxon_float_noise_does_not_split_ties():
    # 100*k/27 differences that are equal in exact arithmetic but not in floats
    pre = np.array([100 * 5 / 27, 100 * 4 / 27, 100 * 10 / 27, 100 * 1 / 27])
    post = np.array([100 * 8 / 27, 100 * 7 / 27, 100 * 13 / 27, 100 * 2 / 27])
    r = stats.wilcoxon_signed_rank(pre, post)
    # R on the integer counts: wilcox.test(c(8, 7, 13, 2), c(5, 4, 10, 1), paired = TRUE)
    # has ties, so the normal approximation: V = 10, p = 0.0889730117018133
    assert r["method"].startswith("normal")
    assert r["V"] == 10
    assert r["p"] == pytest.approx(0.0889730117018133, abs=TOL)


def test_cohen_dz_and_hedges_gz_sleep():
    r = stats.cohen_dz(SLEEP_PRE, SLEEP_POST)
    # effectsize::cohens_d(post, pre, paired = TRUE)$Cohens_d
    assert r["d_z"] == pytest.approx(1.2845575626, abs=TOL)
    # effectsize::hedges_g(post, pre, paired = TRUE)$Hedges_g
    assert r["g_z"] == pytest.approx(1.1739249035, abs=TOL)


def test_cohen_dz_ci_equals_effectsize():
    r = stats.cohen_dz(SLEEP_PRE, SLEEP_POST)
    # effectsize::cohens_d(post, pre, paired = TRUE)$CI_low / $CI_high
    assert r["ci_low"] == pytest.approx(0.4146276677, abs=TOL)
    assert r["ci_high"] == pytest.approx(2.1180165088, abs=TOL)
    # the same with all the digits R prints: format(c(CI_low, CI_high), digits = 15)
    assert r["ci_low"] == pytest.approx(0.414627667667354, abs=1e-14)
    assert r["ci_high"] == pytest.approx(2.118016508772501, abs=1e-14)


def test_cohen_dz_exact_ci_is_the_noncentral_t_root():
    r = stats.cohen_dz(SLEEP_PRE, SLEEP_POST, ci_method="exact")
    # R: t <- 1.2845575626*sqrt(10)
    #   uniroot(function(x) pt(t, 9, x) - 0.975, c(-10, 10), tol = 1e-15)$root / sqrt(10)
    #   uniroot(function(x) pt(t, 9, x) - 0.025, c(-10, 10), tol = 1e-15)$root / sqrt(10)
    assert r["ci_low"] == pytest.approx(0.414627756380144, abs=TOL)
    assert r["ci_high"] == pytest.approx(2.118016513977067, abs=TOL)
    # effectsize's optimizer stops about 1e-7 short of these roots
    assert abs(r["ci_low"] - 0.4146276677) == pytest.approx(8.87e-8, abs=1e-9)


@pytest.mark.parametrize("t, df, low, high", [
    # effectsize:::.get_ncp_t(t, df), printed with sprintf("%.17g")
    (2.1, 5, -0.3025151185262126, 4.3632877058536028),
    (-3.3, 20, -5.4751733765737427, -1.0598585982707061),
    (19.7, 262, 17.103516507852817, 22.27408106357797),
    (0.4, 12, -1.5745298391045748, 2.3581603950169852),
])
def test_effectsize_ncp_search_matches_r(t, df, low, high):
    from evaltools._nelder_mead import effectsize_ncp_t
    lo, hi = effectsize_ncp_t(t, df)
    assert lo == pytest.approx(low, abs=1e-12) and hi == pytest.approx(high, abs=1e-12)


def test_adjust_p_holm_and_bh():
    p = [0.01, 0.04, 0.03, 0.2, 0.005]
    # p.adjust(c(0.01, 0.04, 0.03, 0.2, 0.005), "holm")
    np.testing.assert_allclose(stats.adjust_p(p, "holm"), [0.04, 0.09, 0.09, 0.2, 0.025], atol=TOL)
    # p.adjust(c(0.01, 0.04, 0.03, 0.2, 0.005), "BH")
    np.testing.assert_allclose(stats.adjust_p(p, "BH"), [0.025, 0.05, 0.05, 0.2, 0.025], atol=TOL)
    # p.adjust(c(0.01, 0.04, 0.03, 0.2, 0.005), "bonferroni")
    np.testing.assert_allclose(stats.adjust_p(p, "bonferroni"), [0.05, 0.2, 0.15, 1, 0.025], atol=TOL)


def test_adjust_p_keeps_nan_out_of_the_family():
    # p.adjust(c(0.01, NA, 0.04), "holm") -> 0.02 NA 0.04
    out = stats.adjust_p([0.01, math.nan, 0.04], "holm")
    assert out[0] == pytest.approx(0.02) and math.isnan(out[1]) and out[2] == pytest.approx(0.04)


def test_normalized_gain():
    pre = [40, 60, 100, 80]
    post = [70, 80, 100, 60]
    r = stats.normalized_gain(pre, post)
    # <g> = (77.5 - 70) / (100 - 70)
    assert r["g_class"] == pytest.approx(0.25, abs=TOL)
    # g_i over pre < 100: 30/60, 20/40, -20/20
    assert r["g_mean"] == pytest.approx((0.5 + 0.5 - 1.0) / 3, abs=TOL)
    assert r["n_excluded"] == 1
    # c: 0.5, 0.5, dropped (100 both), (60-80)/80 = -0.25
    assert r["c_mean"] == pytest.approx((0.5 + 0.5 - 0.25) / 3, abs=TOL)
    assert r["c_n_excluded"] == 1


def test_degenerate_inputs_give_nan_not_errors():
    r = stats.paired_ttest([50], [60])
    assert r["n"] == 1 and math.isnan(r["t"])
    same = stats.paired_ttest([50, 60, 70], [60, 70, 80])  # every gain = 10
    assert same["mean_diff"] == 10 and math.isnan(same["p"]) and same["ci_low"] == 10
    w = stats.wilcoxon_signed_rank([1, 2], [1, 2])
    assert w["n_nonzero"] == 0 and math.isnan(w["p"])
    assert math.isnan(stats.cohen_dz([50, 60, 70], [60, 70, 80])["d_z"])


def test_missing_pairs_are_dropped():
    r = stats.paired_ttest([0.7, math.nan, *SLEEP_PRE], [1.0, 2.0, *SLEEP_POST])
    assert r["n"] == 11


def test_labels():
    assert [stats.cohen_label(d) for d in (0.1, -0.3, 0.6, 1.28)] == [
        "sangat kecil", "kecil", "sedang", "besar"]
    assert [stats.hake_label(g) for g in (0.1, 0.3, 0.7)] == ["rendah", "sedang", "tinggi"]
