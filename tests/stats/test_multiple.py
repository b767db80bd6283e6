"""Many groups at once (``stats.multiple``): p-value adjustment and partial
pooling, against R 4.2.2 (metafor 3.8-1); the R call beside each value."""

import math

import numpy as np
import pytest

from evaltools import stats

TOL = 1e-9


def test_adjust_p_holm_and_bh():
    p = [0.01, 0.04, 0.03, 0.2, 0.005]
    # p.adjust(c(0.01, 0.04, 0.03, 0.2, 0.005), "holm")
    np.testing.assert_allclose(stats.adjust_p(p, "holm"), [0.04, 0.09, 0.09, 0.2, 0.025], atol=TOL)
    # p.adjust(c(0.01, 0.04, 0.03, 0.2, 0.005), "BH")
    np.testing.assert_allclose(stats.adjust_p(p, "BH"), [0.025, 0.05, 0.05, 0.2, 0.025], atol=TOL)
    # p.adjust(c(0.01, 0.04, 0.03, 0.2, 0.005), "bonferroni")
    np.testing.assert_allclose(stats.adjust_p(p, "bonferroni"), [0.05, 0.2, 0.15, 1, 0.025], atol=TOL)
    with pytest.raises(ValueError, match="unknown method"):
        stats.adjust_p(p, "hochberg")


def test_adjust_p_keeps_nan_out_of_the_family():
    # p.adjust(c(0.01, NA, 0.04), "holm") -> 0.02 NA 0.04
    out = stats.adjust_p([0.01, math.nan, 0.04], "holm")
    assert out[0] == pytest.approx(0.02) and math.isnan(out[1]) and out[2] == pytest.approx(0.04)
    assert np.isnan(stats.adjust_p([math.nan, math.nan])).all()


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
    # one group left: nothing to pool
    r = stats.partial_pooling([10, 20], [100, 0], [10, 10])
    assert r["k"] == 1 and np.isnan(r["tau2"]) and np.isnan(r["shrunken"]).all()
