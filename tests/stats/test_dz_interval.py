"""The d_z confidence interval: the exact inversion of the noncentral t.

Where R's ``pt`` is exact (ncp below 37.62, df up to 4e5) the reference is
R's root, ``uniroot(function(nc) pt(t, df, nc) - p, c(t - 4, t + 4),
tol = 1e-15)`` (tests/r/dz_interval.R, R 4.2.2). Beyond it R's ``pt``
switches to a normal approximation, and the reference is the noncentral-t
CDF computed with 20 digits by mpmath: the limits are exact to 1e-10 when
the mpmath CDF at limit -/+ 1e-10 (on the d_z scale) brackets 0.975 or 0.025.

effectsize's optimiser (``effectsize::cohens_d``) is no reference: it stops
about 1e-7 from the root where it converges, and fails for large t. Its values
are kept below to show how far they are.
"""

import math

import mpmath as mp
import numpy as np
import pytest

from evaltools import stats
from evaltools.groupstats import paired_by_group

TOL = 1e-9
DIGITS = 20   # of the mpmath CDF: its error is under 1e-16 even at df = 99,999
SLEEP_PRE = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]     # sleep$extra[1:10]
SLEEP_POST = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]       # sleep$extra[11:20]


def mp_cdf(t, df, ncp):
    """P(T <= t) for the noncentral t, with DIGITS digits: T = (Z + ncp) / s with
    s = sqrt(V / df), V ~ chi^2(df), so P(T <= t) = E_s[Phi(t s - ncp)], an
    integral over the density of s, 2 k^k s^(2k - 1) e^(-k s^2) / Gamma(k), k = df / 2."""
    with mp.workdps(DIGITS):
        t, df, ncp = mp.mpf(t), mp.mpf(df), mp.mpf(ncp)
        k = df / 2
        logc = mp.log(2) + k * mp.log(k) - mp.loggamma(k)
        f = lambda s: mp.ncdf(t * s - ncp) * mp.exp(logc + (2 * k - 1) * mp.log(s) - k * s * s)  # noqa: E731
        sd = 1 / mp.sqrt(2 * df)                      # the spread of s around 1
        cuts = {mp.mpf(0), mp.inf} | {1 + j * sd for j in (-30, -8, -3, 0, 3, 8, 30)}
        if t != 0:                                    # where Phi(t s - ncp) climbs from 0 to 1
            cuts |= {ncp / t + j / abs(t) for j in (-8, 0, 8)}
        return mp.quad(f, sorted(c for c in cuts if c >= 0))


def assert_exact(r, tol=1e-10):
    """The limits of ``cohen_dz``'s result r are within tol of the roots of the mpmath CDF."""
    n = r["n"]
    t, df, s = r["d_z"] * math.sqrt(n), n - 1, math.sqrt(n)
    for limit, prob in ((r["ci_low"], 0.975), (r["ci_high"], 0.025)):
        below, above = mp_cdf(t, df, (limit - tol) * s), mp_cdf(t, df, (limit + tol) * s)
        assert below > prob > above, (n, limit, prob, below, above)


def test_the_mpmath_reference_is_right_where_it_can_be_checked():
    # t = 0: P(T <= 0) = Phi(-ncp), whatever df
    with mp.workdps(DIGITS):
        assert abs(mp_cdf(0, 7, 1.9) - mp.ncdf(-1.9)) < 1e-18
    # R's pt where it is exact (to its 1e-12): pt(4.0621276834, 9, 1.3), pt(40, 4, 30)
    assert float(mp_cdf(4.0621276834, 9, 1.3)) == pytest.approx(0.97549850832684903, abs=1e-12)
    assert float(mp_cdf(40, 4, 30)) == pytest.approx(0.68954476958684197, abs=1e-11)


def test_sleep_interval_is_the_exact_root():
    r = stats.cohen_dz(SLEEP_PRE, SLEEP_POST)
    # Rscript tests/r/dz_interval.R, part 1: uniroot(function(nc) pt(t, 9, nc) - 0.975 (0.025),
    #   c(t - 4, t + 4), tol = 1e-15)$root / sqrt(10), t = d_z * sqrt(10)
    assert r["ci_low"] == pytest.approx(0.41462775638014382, abs=TOL)
    assert r["ci_high"] == pytest.approx(2.1180165139770675, abs=TOL)
    assert (round(r["ci_low"], 10), round(r["ci_high"], 10)) == (0.4146277564, 2.1180165140)
    # effectsize::cohens_d(post, pre, paired = TRUE)$CI_low / $CI_high, format(digits = 15):
    # 0.414627667667354, 2.118016508772501, within 1e-7 of the roots
    assert r["ci_low"] - 0.414627667667354 == pytest.approx(8.87e-8, abs=1e-9)
    assert r["ci_high"] - 2.118016508772501 == pytest.approx(5.2e-9, abs=1e-9)


@pytest.mark.parametrize("t, df, low, high, es_low, es_high", [
    # uniroot limits: Rscript tests/r/dz_interval.R, part 2;
    # effectsize:::.get_ncp_t(t, df), sprintf("%.17g"), for the record
    (2.1, 5, -0.30251589637676851, 4.3632876632688298, -0.3025151185262126, 4.3632877058536028),
    (-3.3, 20, -5.47517363465135, -1.059858162035151, -5.4751733765737427, -1.0598585982707061),
    (19.7, 262, 17.103515276749217, 22.274082480334766, 17.103516507852817, 22.27408106357797),
    (0.4, 12, -1.5745299423024637, 2.3581608429824841, -1.5745298391045748, 2.3581603950169852),
])
def test_noncentrality_limits_equal_r_uniroot(t, df, low, high, es_low, es_high):
    lo, hi = stats.ncp_interval(t, df)
    assert lo == pytest.approx(low, abs=TOL) and hi == pytest.approx(high, abs=TOL)
    assert abs(lo - es_low) < 2e-6 and abs(hi - es_high) < 2e-6   # effectsize: close, not equal
    # vectorised: the same limits for an array of t values as one at a time
    los, his = stats.ncp_interval(np.array([t, 0.0, t]), np.array([df, 7, df]))
    assert los[0] == lo and his[2] == hi and los[1] == pytest.approx(-his[1], abs=1e-14)


def test_a_mean_gain_of_exactly_zero_has_a_symmetric_interval():
    # eight gains of whole items (of 27) that cancel: the mean is 0 exactly, t = 0.
    # effectsize returns a point interval here; the exact one is about [-0.69, 0.69]
    d = np.array([1, -1, 2, -2, 0, 1, -1, 0]) * 100 / 27
    pre = np.full(8, 50.0)
    r = stats.cohen_dz(pre, pre + d)
    assert r["d_z"] == 0
    # Rscript tests/r/dz_interval.R, part 3: limits(0, 7) / sqrt(8)
    assert r["ci_low"] == pytest.approx(-0.69295191217483898, abs=TOL)
    assert r["ci_high"] == pytest.approx(0.69295191217483887, abs=TOL)
    g = paired_by_group(np.zeros(8, int), pre, pre + d)
    assert g.loc[0, "d_z_ci_low"] == pytest.approx(r["ci_low"], abs=1e-12)
    assert g.loc[0, "d_z_ci_high"] == pytest.approx(r["ci_high"], abs=1e-12)
    # the same gains from percent scores as score() computes them: float noise leaves a mean of
    # -1.8e-15 and d_z = -3e-16, where effectsize::cohens_d(post, pre, paired = TRUE) gives the
    # point interval [-3.29e-16, -3.29e-16] (R 4.2.2, effectsize 0.8.3)
    k_pre, k = np.array([9, 14, 7, 12, 18, 18, 10, 6]), np.array([-1, -1, -1, 3, 0, -1, 2, -1])
    r = stats.cohen_dz(100.0 * k_pre / 27, 100.0 * (k_pre + k) / 27)
    assert r["d_z"] != 0 and abs(r["d_z"]) < 1e-15
    assert r["ci_low"] == pytest.approx(-0.69295191217483898, abs=TOL)
    assert r["ci_high"] == pytest.approx(0.69295191217483887, abs=TOL)


def _standardised(n, seed):
    z = np.random.default_rng(seed).standard_normal(n)
    return (z - z.mean()) / z.std(ddof=1)


def test_large_sessions_beyond_r(mp_cases):
    # d_z = 1.35 at n = 5,000 (t = 95.5): effectsize gives [1.485, 1.485], which excludes d_z
    r = mp_cases["n5000"]
    assert r["d_z"] == pytest.approx(1.35, abs=1e-12)
    assert (round(r["ci_low"], 4), round(r["ci_high"], 4)) == (1.3116, 1.3883)
    assert_exact(r)
    # n = 100,000 (t = 167): effectsize gives [0.58141, 0.58141]
    r = mp_cases["n100000"]
    assert r["ci_low"] == pytest.approx(0.52194, abs=1e-5)
    assert r["ci_high"] == pytest.approx(0.53517, abs=1e-5)
    assert_exact(r)


def test_five_people_with_a_large_t(mp_cases):
    # post - pre = 9.8, 9.9, 10, 10.1, 10.2: d_z = 63.2 (t = 141); effectsize stops early at
    # [16.83, 103.13]
    r = mp_cases["n5"]
    assert (round(r["ci_low"], 2), round(r["ci_high"], 2)) == (22.00, 105.57)
    assert_exact(r)


def test_where_r_approximates_the_noncentral_t(mp_cases):
    """Beyond ncp 37.62 R's pt() is a normal approximation and effectsize's
    search runs on it; the exact limits differ in the second decimal."""
    # i <- 1:100; pre <- 20 + i %% 40; post <- pre + 30 + ((i %% 7) - 3) * 3 (t = 49.8)
    r = mp_cases["t50"]
    assert r["d_z"] == pytest.approx(4.979282138116873, abs=TOL)  # effectsize::cohens_d(post, pre, paired = TRUE)
    assert_exact(r)
    # its CI_low / CI_high: 4.2459892230340532, 5.6874271489989434 (on R's approximate pt)
    assert r["ci_low"] - 4.2459892230340532 == pytest.approx(0.01218, abs=1e-5)
    assert r["ci_high"] - 5.6874271489989434 == pytest.approx(0.01005, abs=1e-5)
    # set.seed(3); x <- round(rnorm(40, 50, 10)); y <- x + 20 + round(rnorm(40, 0, 1.3)) (t = 104.5)
    r = mp_cases["t104"]
    assert r["d_z"] == pytest.approx(16.526349179432419, abs=TOL)  # effectsize::cohens_d(y, x, paired = TRUE)
    assert_exact(r)
    # its CI_low / CI_high: 12.739777824860042, 20.101044943668256
    assert r["ci_low"] - 12.739777824860042 == pytest.approx(0.11695, abs=1e-5)
    assert r["ci_high"] - 20.101044943668256 == pytest.approx(0.08613, abs=1e-5)


@pytest.fixture(scope="module")
def mp_cases():
    """The data sets of the mpmath checks, through the scalar cohen_dz; each
    also through the per-group path, which must give the same limits."""
    rng = np.random.default_rng(5000)
    pre5000 = rng.integers(20, 80, 5000).astype(float)
    pre100k = np.random.default_rng(1).integers(0, 28, 100_000) * 100 / 27
    i = np.arange(1, 101)
    x = np.array([40, 47, 53, 38, 52, 50, 51, 61, 38, 63, 43, 39, 43, 53, 52, 47, 40, 44, 62, 52,
                  44, 41, 48, 33, 45, 43, 62, 60, 49, 39, 59, 59, 57, 57, 46, 57, 63, 50, 40, 58.])
    y = np.array([61, 67, 75, 57, 72, 67, 71, 82, 57, 82, 64, 58, 63, 71, 70, 66, 59, 66, 83, 71,
                  65, 62, 68, 53, 67, 62, 81, 81, 67, 59, 79, 80, 78, 77, 66, 78, 85, 70, 59, 78.])
    five = np.array([50.0, 55, 60, 65, 70])
    data = {"n5000": (pre5000, pre5000 + 1.35 + _standardised(5000, 5000)),
            "n100000": (pre100k, pre100k + 0.52856 + _standardised(100_000, 100_000)),
            "n5": (five, five + [9.8, 9.9, 10, 10.1, 10.2]),
            "t50": ((20 + i % 40).astype(float), (20 + i % 40 + 30 + ((i % 7) - 3) * 3).astype(float)),
            "t104": (x, y)}
    out = {}
    for name, (pre, post) in data.items():
        r = out[name] = stats.cohen_dz(pre, post)
        g = paired_by_group(np.zeros(len(pre), int), pre, post).iloc[0]
        assert g["d_z_ci_low"] == pytest.approx(r["ci_low"], rel=1e-12)
        assert g["d_z_ci_high"] == pytest.approx(r["ci_high"], rel=1e-12)
    return out


def test_scipy_cdf_equals_mpmath_where_r_approximates():
    # R 4.2.2: pt(-45, 99, -50), pt(45, 99, 50) (ncp > 37.62), pt(45, 5e5, 44) (df > 4e5):
    # R's approximations, off by 1.5e-3, 1.5e-3 and 1.2e-10
    r_pt = [0.93651176834419436, 0.063488231655805666, 0.84109455411996081]
    for (t, df, ncp), approx, off in zip([(-45, 99, -50), (45, 99, 50), (45, 5e5, 44)], r_pt,
                                         [-1.4757e-3, 1.4757e-3, 1.16e-10]):
        exact = float(mp_cdf(t, df, ncp))
        assert float(stats.nct_cdf(t, df, ncp)) == pytest.approx(exact, rel=1e-12)
        assert exact - approx == pytest.approx(off, rel=1e-3)


def test_far_tails_scipy_leaves_nan_are_zero_or_one():
    # scipy's nctdtr (1.17) is NaN at scattered points where t and ncp lie far apart on opposite
    # sides; should this fail after an upgrade, scipy has fixed it and nct_cdf's fallback can go
    from scipy.special import nctdtr
    for t, df, ncp, p in [(-3.0, 9, 10.0, 0.0), (100.0, 1, -29.5, 1.0), (1.0, 4, 39.0, 0.0)]:
        assert math.isnan(nctdtr(df, ncp, t))
        assert float(stats.nct_cdf(t, df, ncp)) == p
        assert abs(mp_cdf(t, df, ncp) - p) < 1e-20
    # so a root search from a poor start crosses them: n = 2 with t = 500
    lo, hi = stats.ncp_interval(np.array([500.0, -500.0]), 1)
    assert lo[0] == pytest.approx(-hi[1], rel=1e-12) and hi[0] == pytest.approx(-lo[1], rel=1e-12)
    for limit, prob in ((lo[0], 0.975), (hi[0], 0.025)):
        assert mp_cdf(500, 1, limit * (1 - 1e-10)) > prob > mp_cdf(500, 1, limit * (1 + 1e-10))


def test_no_interval_without_a_t():
    lo, hi = stats.ncp_interval(np.array([np.nan, np.inf, 2.0]), np.array([5, 5, 0]))
    assert np.isnan(lo).all() and np.isnan(hi).all()
    assert math.isnan(stats.cohen_dz([1], [2])["ci_low"])


def test_secant_roots_equal_the_bracketing_search():
    """``ncp_root`` (probit secant from the Cornish-Fisher start, two CDF evaluations where df is
    not tiny) against the bracketing search it replaced (``ncp_root_bracketed``, Chandrupatla to
    1e-14), on a grid of t and df from 1 to 10^6, ncp up to about 1,000: equal to 1e-9 relative.
    Where the start is far off (df 1 and 2 with large t) the fallback is the bracketing search."""
    from evaltools.stats.noncentral import CornishFisher, ncp_root_bracketed, probit_roots
    from scipy import special
    t = np.array([-1000, -500, -60, -8, -1.5, -0.01, 0, 1e-12, 0.3, 2, 10, 17.5, 40, 95.5, 167,
                  300, 1000.0])
    df = np.array([1, 2, 3, 4, 5, 9, 30, 99, 199, 499, 4999, 99999, 1e6])
    grid = np.array([(a, b, p) for a in t for b in df for p in (0.975, 0.025, 0.5, 0.995, 0.9)])
    fast = stats.ncp_root(grid[:, 0], grid[:, 1], grid[:, 2])
    ref = ncp_root_bracketed(grid[:, 0], grid[:, 1], grid[:, 2])
    assert not np.isnan(ref).any()
    np.testing.assert_allclose(fast, ref, rtol=1e-9, atol=1e-9)
    # the secant alone settles every element but a few at df <= 2 with |t| >= 40 ...
    with np.errstate(all="ignore"):
        alone = probit_roots(lambda x, i: stats.nct_cdf(grid[i, 0], grid[i, 1], x),
                             CornishFisher(grid[:, 0], grid[:, 1]), special.ndtri(grid[:, 2]))
    left = grid[np.isnan(alone)]
    assert 0 < len(left) < 20 and (left[:, 1] <= 2).all() and (np.abs(left[:, 0]) >= 40).all()
    # ... and is the bracketing search's root where it does
    np.testing.assert_allclose(alone[~np.isnan(alone)], ref[~np.isnan(alone)], rtol=1e-9, atol=1e-9)


def test_chi_mean_to_the_last_digits():
    """E[s] and Var(s) = 1 - E[s]^2 of s = chi_df / sqrt(df) (``chi_mean``, the Cornish-Fisher
    start's moments) against 40-digit mpmath: from df = 100 (the series) both to 1e-15 relative,
    where scipy's poch is off by up to 3e-12 by df = 2,000 and 1 - E[s]^2 from it by 3e-8; below,
    poch's (E[s] to 1e-13, k2 to 1e-11: the two-evaluation roots do not need more)."""
    import mpmath
    from evaltools.stats.noncentral import chi_mean
    df = np.array([1, 2.5, 30, 99.5, 100, 150.25, 1995.0189266632015, 2000, 1e5])
    m1, k2 = chi_mean(df)
    with mpmath.workdps(40):
        for d, a, b in zip(df, m1, k2):
            d = mpmath.mpf(float(d))
            exact = mpmath.sqrt(2 / d) * mpmath.gamma((d + 1) / 2) / mpmath.gamma(d / 2)
            series = d >= 100
            assert abs(a - exact) <= (1e-15 if series else 1e-13) * exact
            assert abs(b - (1 - exact ** 2)) <= (1e-15 if series else 1e-11) * (1 - exact ** 2)


def test_one_evaluation_where_groups_are_large():
    """Inside ``one_evaluation_settles`` (df 100 to 2,000, |t| <= df / 4.5, prob 0.005 to 0.995)
    the root is the model's step from one evaluation at the fourth-order Cornish-Fisher start:
    within 5e-11 (relative to max(1, |root|)) of the bracketing search's, on a grid reaching the
    bounds and at points with df not whole (4.4e-11 at most over 400,000 random points, at df near
    100). Just outside the bounds the
    roots are the two-evaluation secant's, to the last bit."""
    from evaltools.stats.noncentral import (CornishFisher, ncp_root_bracketed, one_evaluation_settles,
                                            probit_roots)
    from scipy import special
    probs = (0.005, 0.025, 0.1, 0.5, 0.9, 0.975, 0.995)
    grid = np.array([(a, d, p) for d in (100, 101, 120, 150, 199, 300, 1000, 2000)
                     for a in np.linspace(-d / 4.5, d / 4.5, 31) for p in probs])
    # df need not be whole: near df = 2,000 scipy's poch is off by 3e-12, which gave 8e-10 here
    # before E[s] came from its series (chi_mean)
    grid = np.vstack([grid, [(443.3375392584892, 1995.0189266632015, 0.995),
                             (431.7875555506, 1943.0439999777, 0.995), (1978 / 4.5, 1978, 0.995),
                             (-1978 / 4.5, 1978, 0.005)]])
    t, df, p = grid.T
    assert one_evaluation_settles(t, df, p).all()
    fast, ref = stats.ncp_root(t, df, p), ncp_root_bracketed(t, df, p)
    err = np.abs(fast - ref) / np.maximum(1, np.abs(ref))
    assert err.max() < 5e-11
    # one evaluation, not two: the secant's roots are within 1e-13 everywhere on this grid
    assert err.max() > 1e-12
    outside = np.array([(10.0, 99, 0.975), (10.0, 2001, 0.975), (33.5, 150, 0.975), (-33.5, 150, 0.025),
                        (10.0, 199, 0.004), (10.0, 199, 0.996)])
    assert not one_evaluation_settles(*outside.T).any()
    with np.errstate(all="ignore"):
        secant = probit_roots(lambda x, i: stats.nct_cdf(outside[i, 0], outside[i, 1], x),
                              CornishFisher(outside[:, 0], outside[:, 1]), special.ndtri(outside[:, 2]))
    assert np.array_equal(stats.ncp_root(*outside.T), secant)


def test_the_cornish_fisher_start_is_close_where_groups_are():
    # at df = 199, t = 17.5 (an OPD of 200 gaining 1.2 SD) the start is within 1e-5 of the root,
    # over 200 times closer than the normal approximation the bracketing search starts from:
    # why two evaluations of the CDF suffice there
    from evaltools.stats.noncentral import CornishFisher, ncp_root_bracketed
    t, df = 17.5, 199
    z = np.array([-1.959963984540054, 1.959963984540054])  # probits of 0.025 and 0.975
    start = CornishFisher(np.array([t, t]), np.array([df, df]))(z)
    normal = t * (1 - 1 / (4 * df)) - z * np.sqrt(1 + t * t / (2 * df))
    root = ncp_root_bracketed(t, df, np.array([0.025, 0.975]))
    assert np.all(np.abs(start - root) < 1e-5 * root)
    assert np.all(np.abs(normal - root) > 200 * np.abs(start - root))


def sweep():
    """The wider check, too slow for the suite (about a minute): for df from 1
    to 10^6 and t from -500 to 1,000, every limit within 1e-10 (relative) of
    the mpmath root, and scipy's CDF at the limit against mpmath. Run:
    PYTHONPATH=. python tests/stats/test_dz_interval.py"""
    worst = 0.0
    for df in (1, 2, 4, 9, 30, 99, 150, 499, 1995.0189266632015, 4999, 99999, 1e6):
        for t in (-500, -60, -8, -1.5, 0, 0.3, 2, 10, 40, 95.5, 167, 300, 1000):
            for prob in (0.975, 0.025):
                root = float(stats.ncp_root(t, df, prob))
                tol = 1e-10 * max(1.0, abs(root))
                assert mp_cdf(t, df, root - tol) > prob > mp_cdf(t, df, root + tol), (t, df, prob)
                exact = mp_cdf(t, df, root)
                worst = max(worst, float(abs(stats.nct_cdf(t, df, root) - exact) / exact))
    print(f"every limit within 1e-10; scipy's CDF at the limits: relative error <= {worst:.1e}")


if __name__ == "__main__":
    sweep()
