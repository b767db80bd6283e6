"""The paired tests (``stats.paired``): t-test, Wilcoxon signed-rank, McNemar.

Against R 4.2.2; the R call that gives each value is beside it (values
printed with sprintf("%.17g", ...) unless fewer digits are written). Also the
tests' properties and their false-positive rate under no true gain.
"""

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
    # every non-zero difference is positive: effectsize::rank_biserial(post, pre, paired = TRUE)
    assert r["r_rb"] == 1.0


def test_wilcoxon_exact():
    r = stats.wilcoxon_signed_rank(EXACT_PRE, EXACT_POST)
    # wilcox.test(post, pre, paired = TRUE) -> V = 45, exact p
    # (the normal approximation with correction would give 0.0831311427008)
    assert r["V"] == 45
    assert r["p"] == pytest.approx(0.083984375, abs=TOL)
    assert r["method"] == "exact"
    # (T+ - T-)/(T+ + T-) = (45 - 10)/55; effectsize::rank_biserial(post, pre, paired = TRUE)
    assert r["r_rb"] == pytest.approx(0.63636363636363646, abs=TOL)


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


def test_degenerate_inputs_give_nan_not_errors():
    r = stats.paired_ttest([50], [60])
    assert r["n"] == 1 and math.isnan(r["t"])
    same = stats.paired_ttest([50, 60, 70], [60, 70, 80])  # every gain = 10
    assert same["mean_diff"] == 10 and math.isnan(same["p"]) and same["ci_low"] == 10
    w = stats.wilcoxon_signed_rank([1, 2], [1, 2])
    assert w["n_nonzero"] == 0 and math.isnan(w["p"]) and w["method"] == "none"
    assert math.isnan(stats.cohen_dz([50, 60, 70], [60, 70, 80])["d_z"])
    empty = stats.paired_ttest([], [])
    assert empty["n"] == 0 and empty["df"] == 0 and math.isnan(empty["mean_diff"])
    with pytest.raises(ValueError, match="equal length"):
        stats.paired_ttest([1, 2], [1])


def test_missing_pairs_are_dropped():
    r = stats.paired_ttest([0.7, math.nan, *SLEEP_PRE], [1.0, 2.0, *SLEEP_POST])
    assert r["n"] == 11


def _pairs(b, c, both=5, neither=8):
    pre = [1] * b + [0] * c + [1] * both + [0] * neither
    post = [0] * b + [1] * c + [1] * both + [0] * neither
    return pre, post


def test_mcnemar_exact_and_chi_square():
    r = stats.mcnemar(*_pairs(3, 12))
    assert (r["b"], r["c"], r["method"]) == (3, 12, "exact")
    assert r["p"] == pytest.approx(0.03515625, abs=TOL)                # binom.test(12, 15)$p.value
    r = stats.mcnemar(*_pairs(10, 25))
    assert (r["b"], r["c"], r["method"]) == (10, 25, "chi-square, corrected")
    # mcnemar.test(matrix(c(5, 25, 10, 8), 2))
    assert r["statistic"] == pytest.approx(5.5999999999999996, abs=TOL)
    assert r["p"] == pytest.approx(0.017960477526078766, abs=TOL)
    # b = 3, c = 12 by chi-square (forced) gives mcnemar.test's values;
    # by R's rule (b + c = 15 < 25) the exact p is reported instead
    r = stats.mcnemar(*_pairs(3, 12), exact=False)
    assert r["statistic"] == pytest.approx(4.2666666667, abs=1e-10)
    assert r["p"] == pytest.approx(0.0388671038124, abs=1e-12)
    assert stats.mcnemar(*_pairs(0, 0))["p"] == 1.0


def test_mcnemar_swapping_waves_swaps_b_and_c():
    a = stats.mcnemar(*_pairs(4, 9))
    pre, post = _pairs(4, 9)
    b = stats.mcnemar(post, pre)
    assert (b["b"], b["c"], b["p"]) == (a["c"], a["b"], a["p"])


def test_mcnemar_symmetric_table_has_no_correction():
    # mcnemar.test(matrix(c(0, 14, 14, 0), 2)): R corrects only an asymmetric table
    r = stats.mcnemar([1] * 14 + [0] * 14, [0] * 14 + [1] * 14)
    assert (r["b"], r["c"], r["statistic"], r["p"]) == (14, 14, 0.0, 1.0)
    assert stats.mcnemar([1, 0], [0, 1], exact=False)["p"] == 1.0


def test_properties_of_paired_statistics():
    rng = np.random.default_rng(7)
    pre = rng.integers(20, 80, 25).astype(float)
    post = pre + rng.normal(8, 10, 25).round()
    t, t_swapped = stats.paired_ttest(pre, post), stats.paired_ttest(post, pre)
    assert t_swapped["t"] == pytest.approx(-t["t"]) and t_swapped["p"] == pytest.approx(t["p"])
    d, d_swapped = stats.cohen_dz(pre, post), stats.cohen_dz(post, pre)
    assert d_swapped["d_z"] == pytest.approx(-d["d_z"])
    # the exact limits are symmetric: P(T <= -t | -ncp) = 1 - P(T <= t | ncp)
    assert d_swapped["ci_low"] == pytest.approx(-d["ci_high"], abs=1e-12)
    assert d_swapped["ci_high"] == pytest.approx(-d["ci_low"], abs=1e-12)
    w, w_swapped = stats.wilcoxon_signed_rank(pre, post), stats.wilcoxon_signed_rank(post, pre)
    assert w_swapped["r_rb"] == pytest.approx(-w["r_rb"]) and w_swapped["p"] == pytest.approx(w["p"])
    shifted = stats.paired_ttest(pre + 13, post + 13)
    assert shifted["t"] == pytest.approx(t["t"]) and shifted["p"] == pytest.approx(t["p"])
    dav = stats.cohen_dav(pre, post)
    assert stats.cohen_dav(post, pre)["d_av"] == pytest.approx(-dav["d_av"])
    # g_class never divides by zero: everyone at 100 on the pre-test
    g = stats.normalized_gain([100, 100], [100, 90])
    assert np.isnan(g["g_class"]) and g["n_excluded"] == 2


def test_paired_tests_reject_about_five_percent_under_no_gain():
    """Seeded: 600 sessions of 20 participants whose post-test is the
    pre-test plus noise with mean 0. Both tests must hold their 5% level
    (binomial 99% range for 600 draws at 0.05: about 0.028-0.072)."""
    rng = np.random.default_rng(20241122)
    reps, n = 600, 20
    pre = rng.normal(55, 12, (reps, n))
    post = pre + rng.normal(0, 9, (reps, n))
    p_t = np.array([stats.paired_ttest(a, b)["p"] for a, b in zip(pre, post)])
    p_w = np.array([stats.wilcoxon_signed_rank(a, b)["p"] for a, b in zip(pre, post)])
    rate_t, rate_w = (p_t < 0.05).mean(), (p_w < 0.05).mean()
    assert 0.028 <= rate_t <= 0.072, rate_t
    assert 0.028 <= rate_w <= 0.072, rate_w
