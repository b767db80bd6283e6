"""Two independent groups (``stats.unpaired``): Welch's t, Mann-Whitney and
Hedges' g_s, against R 4.2.2 (effectsize 0.8.3).

Every function is called f(x, y) and reports y - x; the R equivalents take the
groups the other way round (t.test(y, x), wilcox.test(y, x),
effectsize::hedges_g(y, x)). Reference values were printed with
sprintf("%.17g", ...); the R call that gives each value is beside it. The g_s
interval is the exact root of the noncentral t (tests/r/dz_interval.R, part 5);
effectsize's optimiser stops within about 1e-7 of it.
"""

import math

import numpy as np
import pytest

from evaltools import stats

TOL = 1e-9
# A: small, no ties within or between groups -> exact Mann-Whitney
# R: x <- c(12, 15, 9, 20, 14, 11, 18, 13); y <- c(19, 22, 16, 25, 17, 23, 21)
A_X = [12, 15, 9, 20, 14, 11, 18, 13]
A_Y = [19, 22, 16, 25, 17, 23, 21]
# B: percent scores (20 items), unequal sizes, many ties -> normal approximation
# R: xb <- c(45, 60, 55, 70, 45, 50, 65, 60, 40)
#    yb <- c(70, 65, 80, 75, 60, 85, 70, 90, 55, 75, 80, 65, 70, 95)
B_X = [45, 60, 55, 70, 45, 50, 65, 60, 40]
B_Y = [70, 65, 80, 75, 60, 85, 70, 90, 55, 75, 80, 65, 70, 95]


def test_welch_ttest_a():
    r = stats.welch_ttest(A_X, A_Y)
    assert (r["n_x"], r["n_y"]) == (8, 7)
    assert r["mean_x"] == pytest.approx(14, abs=TOL)
    assert r["mean_y"] == pytest.approx(20.428571428571427, abs=TOL)  # t.test(y, x)$estimate[1]
    assert r["diff"] == pytest.approx(20.428571428571427 - 14, abs=TOL)
    assert r["t"] == pytest.approx(3.6164318211920512, abs=TOL)  # t.test(y, x)$statistic
    assert r["df"] == pytest.approx(12.982029593008388, abs=TOL)  # t.test(y, x)$parameter
    assert r["p"] == pytest.approx(0.0031384154706851591, rel=TOL)  # t.test(y, x)$p.value
    assert r["ci_low"] == pytest.approx(2.5877583286773893, abs=TOL)  # t.test(y, x)$conf.int[1]
    assert r["ci_high"] == pytest.approx(10.269384528465466, abs=TOL)  # t.test(y, x)$conf.int[2]
    assert r["method"] == "Welch two-sample t-test"


def test_welch_ttest_b():
    r = stats.welch_ttest(B_X, B_Y)
    assert (r["n_x"], r["n_y"]) == (9, 14)
    assert r["mean_x"] == pytest.approx(54.444444444444443, abs=TOL)  # t.test(yb, xb)$estimate[2]
    assert r["mean_y"] == pytest.approx(73.928571428571431, abs=TOL)  # t.test(yb, xb)$estimate[1]
    assert r["t"] == pytest.approx(4.2996815540061224, abs=TOL)  # t.test(yb, xb)$statistic
    assert r["df"] == pytest.approx(18.582285946471121, abs=TOL)  # t.test(yb, xb)$parameter
    assert r["p"] == pytest.approx(0.00040437208749127818, rel=TOL)  # t.test(yb, xb)$p.value
    assert r["ci_low"] == pytest.approx(9.9850790382018815, abs=TOL)  # t.test(yb, xb)$conf.int[1]
    assert r["ci_high"] == pytest.approx(28.983174930052098, abs=TOL)  # t.test(yb, xb)$conf.int[2]


def test_mann_whitney_exact_a():
    r = stats.mann_whitney(A_X, A_Y)
    # wilcox.test(y, x): "Wilcoxon rank sum exact test", W = 51
    assert r["method"] == "exact"
    assert r["W"] == 51
    assert r["p"] == pytest.approx(0.0059052059052059052, rel=TOL)  # wilcox.test(y, x)$p.value
    # effectsize::rank_biserial(y, x)$r_rank_biserial
    assert r["r_rb"] == pytest.approx(0.8214285714285714, abs=TOL)


def test_mann_whitney_ties_normal_b():
    r = stats.mann_whitney(B_X, B_Y)
    # wilcox.test(yb, xb): "Wilcoxon rank sum test with continuity correction", W = 114
    assert r["method"] == "normal approximation with continuity correction"
    assert r["W"] == 114
    assert r["p"] == pytest.approx(0.0013808113615163841, rel=TOL)  # wilcox.test(yb, xb)$p.value
    # effectsize::rank_biserial(yb, xb)$r_rank_biserial
    assert r["r_rb"] == pytest.approx(0.80952380952380953, abs=TOL)


def test_mann_whitney_float_noise_does_not_split_ties():
    # Percent scores of a 27-item test computed two ways: 7/27*100 != 100*7/27
    # in floats, yet both groups have a participant with 7 correct.
    kx, ky = [5, 4, 10, 1, 7], [8, 7, 13, 2, 8, 11]
    x = [k / 27 * 100 for k in kx]
    y = [100 * k / 27 for k in ky]
    assert x[4] != y[1]
    r = stats.mann_whitney(x, y)
    # R on the counts: wilcox.test(c(8, 7, 13, 2, 8, 11), c(5, 4, 10, 1, 7))
    # -> W = 22.5, p = 0.19918800912589582 (ties: normal with correction)
    assert r["W"] == 22.5
    assert r["p"] == pytest.approx(0.19918800912589582, rel=TOL)
    assert r["method"].startswith("normal")
    # effectsize::rank_biserial(c(8, 7, 13, 2, 8, 11), c(5, 4, 10, 1, 7))
    assert r["r_rb"] == pytest.approx(0.5, abs=TOL)


def test_hedges_gs_a():
    r = stats.hedges_gs(A_X, A_Y)
    assert (r["n_x"], r["n_y"]) == (8, 7)
    assert r["d_s"] == pytest.approx(1.8574704822414878, abs=TOL)  # effectsize::cohens_d(y, x)$Cohens_d
    assert r["g_s"] == pytest.approx(1.7478471576344201, abs=TOL)  # effectsize::hedges_g(y, x)$Hedges_g
    # the exact limits: Rscript tests/r/dz_interval.R, part 5 (uniroot on pt, tol = 1e-15)
    assert r["ci_low"] == pytest.approx(0.56214591689922322, abs=TOL)
    assert r["ci_high"] == pytest.approx(2.8886957174026415, abs=TOL)
    # hedges_g(y, x)$CI_low / $CI_high: 0.56214598853003994, 2.8886956890466564
    assert abs(r["ci_low"] - 0.56214598853003994) < 1e-7
    assert abs(r["ci_high"] - 2.8886956890466564) < 1e-7
    assert r["label"] == "besar"


def test_hedges_gs_b():
    r = stats.hedges_gs(B_X, B_Y)
    assert r["d_s"] == pytest.approx(1.7925200367361291, abs=TOL)  # effectsize::cohens_d(yb, xb)$Cohens_d
    assert r["g_s"] == pytest.approx(1.7275989982700528, abs=TOL)  # effectsize::hedges_g(yb, xb)$Hedges_g
    # Rscript tests/r/dz_interval.R, part 5
    assert r["ci_low"] == pytest.approx(0.75336276872297225, abs=TOL)
    assert r["ci_high"] == pytest.approx(2.6726580042796813, abs=TOL)
    # hedges_g(yb, xb)$CI_low / $CI_high: 0.75336284227550865, 2.6726579673400512
    assert abs(r["ci_low"] - 0.75336284227550865) < 1e-7
    assert abs(r["ci_high"] - 2.6726579673400512) < 1e-7


def test_hedges_gs_swapped_ci_is_the_mirror_image():
    # The exact limits are symmetric in the sign of t; effectsize's search is not, so
    # its limits for the swapped groups move by ~1e-7: hedges_g(x, y) gives
    # -2.8886955879595644, -0.56214590885655813 and hedges_g(xb, yb)
    # -2.6726580003639162, -0.75336288634066961.
    for x, y, es in ((A_X, A_Y, (-2.8886955879595644, -0.56214590885655813)),
                     (B_X, B_Y, (-2.6726580003639162, -0.75336288634066961))):
        r, s = stats.hedges_gs(x, y), stats.hedges_gs(y, x)
        assert (s["ci_low"], s["ci_high"]) == pytest.approx((-r["ci_high"], -r["ci_low"]), abs=1e-12)
        assert s["ci_low"] == pytest.approx(es[0], abs=2e-7)
        assert s["ci_high"] == pytest.approx(es[1], abs=2e-7)


def test_hedges_gs_ci_is_the_noncentral_t_root_scaled():
    # the limits of t = d_s / sqrt(1/n_x + 1/n_y), scaled back by sqrt(1/n_x + 1/n_y) and J
    r = stats.hedges_gs(B_X, B_Y)
    nx, ny = len(B_X), len(B_Y)
    df, hn = nx + ny - 2, 1 / nx + 1 / ny
    t = r["d_s"] / math.sqrt(hn)
    j = r["g_s"] / r["d_s"]
    assert j == pytest.approx(stats.hedges_j(df), abs=1e-15)
    assert r["ci_low"] == pytest.approx(stats.ncp_root(t, df, 0.975) * math.sqrt(hn) * j, abs=1e-12)
    assert r["ci_high"] == pytest.approx(stats.ncp_root(t, df, 0.025) * math.sqrt(hn) * j, abs=1e-12)


@pytest.mark.parametrize("x, y", [(A_X, A_Y), (B_X, B_Y)])
def test_swapping_groups_flips_signs_and_keeps_p(x, y):
    t1, t2 = stats.welch_ttest(x, y), stats.welch_ttest(y, x)
    assert t2["t"] == pytest.approx(-t1["t"], abs=1e-12)
    assert t2["diff"] == pytest.approx(-t1["diff"], abs=1e-12)
    assert t2["p"] == pytest.approx(t1["p"], rel=1e-12)
    assert t2["df"] == pytest.approx(t1["df"], rel=1e-12)
    assert (t2["ci_low"], t2["ci_high"]) == pytest.approx((-t1["ci_high"], -t1["ci_low"]), abs=1e-12)
    m1, m2 = stats.mann_whitney(x, y), stats.mann_whitney(y, x)
    assert m2["r_rb"] == pytest.approx(-m1["r_rb"], abs=1e-12)
    assert m2["W"] == len(x) * len(y) - m1["W"]
    assert m2["p"] == pytest.approx(m1["p"], rel=1e-12)
    assert m2["method"] == m1["method"]
    g1, g2 = stats.hedges_gs(x, y), stats.hedges_gs(y, x)
    assert g2["d_s"] == pytest.approx(-g1["d_s"], abs=1e-12)
    assert g2["g_s"] == pytest.approx(-g1["g_s"], abs=1e-12)
    assert (g2["ci_low"], g2["ci_high"]) == pytest.approx((-g1["ci_high"], -g1["ci_low"]), abs=1e-12)


@pytest.mark.parametrize("x, y", [(A_X, A_Y), (B_X, B_Y)])
def test_shifting_both_groups_keeps_t_and_p(x, y):
    c = 17.5
    xs, ys = np.add(x, c), np.add(y, c)
    t1, t2 = stats.welch_ttest(x, y), stats.welch_ttest(xs, ys)
    assert t2["t"] == pytest.approx(t1["t"], rel=1e-9)
    assert t2["p"] == pytest.approx(t1["p"], rel=1e-9)
    assert t2["diff"] == pytest.approx(t1["diff"], abs=1e-9)
    m1, m2 = stats.mann_whitney(x, y), stats.mann_whitney(xs, ys)
    assert (m2["W"], m2["method"]) == (m1["W"], m1["method"])
    assert m2["p"] == pytest.approx(m1["p"], rel=1e-12)
    assert stats.hedges_gs(xs, ys)["g_s"] == pytest.approx(stats.hedges_gs(x, y)["g_s"], abs=1e-9)


def test_exact_only_below_50_per_group():
    x = np.arange(50) * 1.0            # n_x = 50, no ties
    y = np.arange(10) + 0.5
    r = stats.mann_whitney(x, y)
    assert r["method"].startswith("normal")
    assert stats.mann_whitney(x[:49], y)["method"] == "exact"


def test_missing_values_are_dropped_per_group():
    r = stats.welch_ttest([math.nan, *A_X], [*A_Y, math.nan, math.nan])
    assert (r["n_x"], r["n_y"]) == (8, 7)
    assert r["t"] == pytest.approx(3.6164318211920512, abs=TOL)
    assert stats.mann_whitney([math.nan, *A_X], A_Y)["W"] == 51
    assert stats.hedges_gs(A_X, [*A_Y, math.nan])["n_y"] == 7


def test_degenerate_inputs_give_nan_not_errors():
    r = stats.welch_ttest([50], [60, 70])
    assert r["n_x"] == 1 and math.isnan(r["t"]) and math.isnan(r["p"])
    # both groups constant: R stops ("data are essentially constant")
    c = stats.welch_ttest([50, 50, 50], [60, 60])
    assert math.isnan(c["p"]) and c["diff"] == 10 and c["ci_low"] == c["ci_high"] == 10
    # one constant group is fine for Welch: df = n_other - 1
    # t.test(c(60, 70, 65), c(50, 50, 50)): t = 5.1961524227066311, df = 2, p = 0.035098718645984656
    one = stats.welch_ttest([50, 50, 50], [60, 70, 65])
    assert one["df"] == pytest.approx(2, abs=TOL)
    assert one["t"] == pytest.approx(5.1961524227066311, abs=TOL)
    assert one["p"] == pytest.approx(0.035098718645984656, rel=TOL)
    assert math.isnan(stats.mann_whitney([], [1, 2])["p"])
    # wilcox.test(c(1, 1, 1), c(1, 1)) -> W = 3, p = NaN
    w = stats.mann_whitney([1, 1], [1, 1, 1])
    assert w["W"] == 3 and math.isnan(w["p"])
    g = stats.hedges_gs([50, 50, 50], [50, 50])
    assert math.isnan(g["g_s"]) and g["label"] == ""
    assert math.isnan(stats.hedges_gs([50], [60, 70])["g_s"])  # df = 1
