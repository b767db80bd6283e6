"""d_av, McNemar, partial pooling against R; properties; the paired tests'
false-positive rate under no true gain.

R calls beside each value (R 4.2.2, metafor 3.8-1).
"""

import numpy as np
import pytest

from evaltools import stats

TOL = 1e-9
PRE = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]     # sleep$extra[1:10]
POST = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]       # sleep$extra[11:20]


def test_cohen_dav_sleep():
    r = stats.cohen_dav(PRE, POST)
    # mean(post - pre) / sqrt((sd(pre)^2 + sd(post)^2) / 2)
    assert r["d_av"] == pytest.approx(0.83218108134953972, abs=TOL)
    assert r["label"] == "besar"


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
    # statistics.md: b = 3, c = 12 by chi-square (forced) gives mcnemar.test's values;
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


def test_partial_pooling_equals_metafor_dl():
    yi = [15.7, 22.1, 9.4, 18.0, 12.5]
    sdi = np.array([8.2, 11.5, 9.9, 7.4, 10.1])
    ni = [12, 7, 9, 15, 6]
    r = stats.partial_pooling(yi, sdi ** 2, ni)
    # r <- metafor::rma(yi, sdi^2 / ni, method = "DL")
    assert r["tau2"] == pytest.approx(8.0781495204018512, abs=TOL)    # r$tau2
    assert r["I2"] == pytest.approx(48.729484862707622, abs=TOL)      # r$I2
    assert r["Q"] == pytest.approx(7.8017550424230873, abs=TOL)       # r$QE
    assert r["mu"] == pytest.approx(15.608554294568963, abs=TOL)      # r$beta
    assert r["mu_se"] == pytest.approx(1.8633217377910918, abs=TOL)   # r$se
    np.testing.assert_allclose(r["shrunken"], [15.662547863056231, 17.55282243653182,  # blup(r)$pred
                                               12.964457154617772, 17.255647715616362,
                                               14.607296303022631], atol=TOL)


def test_partial_pooling_edge_cases():
    # homogeneous groups: tau2 = 0, every group shrinks fully to the pooled mean
    r = stats.partial_pooling([10, 10.5, 9.5], [100, 100, 100], [10, 10, 10])
    assert r["tau2"] == 0 and r["I2"] == 0
    np.testing.assert_allclose(r["shrunken"], [10, 10, 10])
    # a group of one has no variance: no estimate, the others still pooled
    r = stats.partial_pooling([10, 20, 15], [100, np.nan, 100], [10, 1, 10])
    assert np.isnan(r["shrunken"][1]) and r["k"] == 2


def test_properties_of_paired_statistics():
    rng = np.random.default_rng(7)
    pre = rng.integers(20, 80, 25).astype(float)
    post = pre + rng.normal(8, 10, 25).round()
    t, t_swapped = stats.paired_ttest(pre, post), stats.paired_ttest(post, pre)
    assert t_swapped["t"] == pytest.approx(-t["t"]) and t_swapped["p"] == pytest.approx(t["p"])
    d, d_swapped = stats.cohen_dz(pre, post), stats.cohen_dz(post, pre)
    assert d_swapped["d_z"] == pytest.approx(-d["d_z"])
    assert d_swapped["ci_low"] == pytest.approx(-d["ci_high"], abs=1e-6)
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


def test_kaltim_per_opd_pooling(ev_kaltim):
    """Rscript tests/r/pooling_kaltim.R (metafor::rma(..., method = "DL"), blup)."""
    by = ev_kaltim.by("opd").set_index("opd")
    assert len(by) == 32
    assert by["tau2"].iloc[0] == pytest.approx(17.428335825461872, abs=TOL)   # r$tau2
    assert by["I2"].iloc[0] == pytest.approx(66.098244581920525, abs=TOL)     # r$I2
    for opd, blup in (("BKD Prov. Kaltim", 10.895815053787654),
                      ("DPMPD Prov. Kaltim", 19.241114721586168),       # 6 people, +25.9 raw
                      ("Kesbangpol Kota Bontang", 6.8151050744274055)):  # 3 people, -2.5 raw
        assert by.loc[opd, "gain_pooled"] == pytest.approx(blup, abs=TOL)  # blup(r)$pred
    # shrinkage pulls every group toward the pooled mean, never past it
    mu = 13.450279963220073                                                # r$beta
    raw, pooled = by["mean_gain"], by["gain_pooled"]
    assert ((pooled - mu).abs() <= (raw - mu).abs() + 1e-12).all()
    assert (np.sign(pooled - mu) == np.sign(raw - mu)).all()


def test_pass_fail_mcnemar_in_the_session_summary(ev_loa, ev_kaltim):
    for ev, (b, c), p in ((ev_loa, (0, 20), 1.9073486328124989e-06),      # binom.test(20, 20)
                          (ev_kaltim, (3, 102), 1.134878812062679e-21)):  # mcnemar.test(matrix(c(0, 102, 3, 0), 2))
        m = ev.pairs.matched
        assert (int((m["passed_pre"] & ~m["passed_post"]).sum()),
                int((~m["passed_pre"] & m["passed_post"]).sum())) == (b, c)
        assert ev.summary["p_pass"].iloc[0] == pytest.approx(p, rel=1e-12)


def test_by_any_participant_column(ev_kaltim):
    by = ev_kaltim.by("jenis_pegawai")
    m = ev_kaltim.pairs.matched
    assert by["jenis_pegawai"].tolist() == sorted(m["jenis_pegawai"].unique())
    assert by["n"].tolist() == [int((m["jenis_pegawai"] == g).sum()) for g in by["jenis_pegawai"]]
    # Holm across the groups: p.adjust(p, "holm")
    np.testing.assert_allclose(by["p_t_holm"], stats.adjust_p(by["p_t"], "holm"))
    assert by["p_t_holm"].ge(by["p_t"]).all()
    assert {"gain_pooled", "tau2", "I2"} <= set(by.columns)


def test_dz_ci_where_r_approximates_the_noncentral_t():
    """Beyond ncp ~ 37.6 R's pt() switches to a normal approximation and
    effectsize's search runs on it; so must ours (t = 49.8 and t = 104)."""
    i = range(1, 101)
    pre = [20 + k % 40 for k in i]
    post = [p + 30 + ((k % 7) - 3) * 3 for p, k in zip(pre, i)]
    d = stats.cohen_dz(pre, post)
    # i <- 1:100; pre <- 20 + i %% 40; post <- pre + 30 + ((i %% 7) - 3) * 3
    # effectsize::cohens_d(post, pre, paired = TRUE)
    assert d["d_z"] == pytest.approx(4.979282138116873, abs=TOL)
    assert d["ci_low"] == pytest.approx(4.2459892230340532, abs=TOL)
    assert d["ci_high"] == pytest.approx(5.6874271489989434, abs=TOL)
    # set.seed(3); x <- round(rnorm(40, 50, 10)); y <- x + 20 + round(rnorm(40, 0, 1.3))
    x = [40, 47, 53, 38, 52, 50, 51, 61, 38, 63, 43, 39, 43, 53, 52, 47, 40, 44, 62, 52, 44, 41,
         48, 33, 45, 43, 62, 60, 49, 39, 59, 59, 57, 57, 46, 57, 63, 50, 40, 58]
    y = [61, 67, 75, 57, 72, 67, 71, 82, 57, 82, 64, 58, 63, 71, 70, 66, 59, 66, 83, 71, 65, 62,
         68, 53, 67, 62, 81, 81, 67, 59, 79, 80, 78, 77, 66, 78, 85, 70, 59, 78]
    d = stats.cohen_dz(x, y)   # effectsize::cohens_d(y, x, paired = TRUE)
    assert d["d_z"] == pytest.approx(16.526349179432419, abs=TOL)
    assert d["ci_low"] == pytest.approx(12.739777824860042, abs=TOL)
    assert d["ci_high"] == pytest.approx(20.101044943668256, abs=TOL)
    from evaltools._nelder_mead import r_pnt
    # pt(-45, 99, -50), pt(45, 99, 50), pt(45, 5e5, 44)
    np.testing.assert_allclose([r_pnt(-45, 99, -50)[0], r_pnt(45, 99, 50)[0], r_pnt(45, 5e5, 44)[0]],
                               [0.93651176834419436, 0.063488231655805666, 0.84109455411996081],
                               rtol=1e-12)


def test_mcnemar_symmetric_table_has_no_correction():
    # mcnemar.test(matrix(c(0, 14, 14, 0), 2)): R corrects only an asymmetric table
    r = stats.mcnemar([1] * 14 + [0] * 14, [0] * 14 + [1] * 14)
    assert (r["b"], r["c"], r["statistic"], r["p"]) == (14, 14, 0.0, 1.0)
    assert stats.mcnemar([1, 0], [0, 1], exact=False)["p"] == 1.0


def test_session_d_av(ev_loa):
    # Rscript tests/r/dav_loa_janan.R: mean(post - pre) / sqrt((sd(pre)^2 + sd(post)^2) / 2)
    s = ev_loa.summary.iloc[0]
    assert s["d_av"] == pytest.approx(0.98030837184893205, abs=TOL)
    assert s["d_av"] < s["d_z"]  # d_z divides by the SD of the gains, smaller here
