"""The noncentral t distribution: confidence limits of a standardised mean
difference, and Hedges' exact small-sample factor.

The limits are the exact roots of the noncentral t's CDF in its
noncentrality parameter, for arrays of t values at once (one call for every
group of a per-OPD table). ``cohen_dz``, ``hedges_gs`` and
``evaltools.groupstats`` all take their intervals from here.

Example:
    >>> lo, hi = ncp_interval(4.0621276834, 9)
    >>> round(float(lo), 6), round(float(hi), 6)
    (1.311168, 6.697756)
"""

from __future__ import annotations

import numpy as np

from .._lazy import lazy

special = lazy("scipy.special")
elementwise = lazy("scipy.optimize.elementwise")


def nct_cdf(tval, df, ncp):
    """P(T <= tval) for T noncentral t with ``df`` degrees of freedom and
    noncentrality ``ncp`` (arrays broadcast).

    Parameters
    ----------
    tval, df, ncp : array_like
        The point, the degrees of freedom and the noncentrality parameter.

    Returns
    -------
    ndarray
        The probabilities.

    Notes
    -----
    scipy's ``special.nctdtr`` (Boost's noncentral t), which agrees with a
    20-digit mpmath integral (40 digits in the one-off grid check) to about 1e-14 (relative) near the roots
    ``ncp_root`` looks for, also at df = 99,999 and ncp = 170. It returns NaN
    where t and ncp lie far apart on opposite sides (t = -3, ncp = 10,
    df = 9), where the probability is 0 or 1 to double precision; those NaNs
    are replaced by 0 (ncp above t) or 1 (ncp below t) so that a root search
    passing through them keeps its bearings.

    Examples
    --------
    >>> float(nct_cdf(0.0, 7, 0.0))
    0.5
    >>> float(nct_cdf(-3.0, 9, 10.0)), float(nct_cdf(100.0, 1, -30.0))
    (0.0, 1.0)
    """
    tval, df, ncp = np.broadcast_arrays(*(np.asarray(a, float) for a in (tval, df, ncp)))
    p = special.nctdtr(df, ncp, tval)
    lost = np.isnan(p) & ~np.isnan(tval + df + ncp)
    return np.where(lost, np.where(ncp < tval, 1.0, 0.0), p)


def _distance(ncp, t, d, prob):
    return nct_cdf(t, d, ncp) - prob


def chi_mean(df):
    """E[s] and k2 = 1 - E[s]^2 = Var(s) for s = chi_df / sqrt(df).

    E[s] = sqrt(2 / df) Gamma((df + 1) / 2) / Gamma(df / 2) is ``special.poch``
    below df = 100; from there, its asymptotic series in x = df / 2,
    log E[s] = -1/(8x) + 1/(192x^3) - 1/(640x^5) + 17/(14336x^7), and
    k2 = -expm1(2 log E[s]): ``poch`` is off by up to 3e-12 (relative) at
    df = 2,000, which 1 - E[s]^2 would make 3e-8 in k2 (and the fourth
    cumulant, which cancels two orders more, noise). The series is within
    4e-16 of a 50-digit mpmath value in both from df = 100 (2e-14 at df = 60).

    Example:
        >>> m1, k2 = chi_mean(np.array([5.0, 2000.0]))
        >>> [round(float(v), 12) for v in m1], [f"{v:.12e}" for v in k2]
        ([0.951532861948, 0.999875007817], ['9.458521263277e-02', '2.499687421899e-04'])
    """
    d = np.asarray(df, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        x = d / 2
        log_m1 = -1 / (8 * x) + 1 / (192 * x ** 3) - 1 / (640 * x ** 5) + 17 / (14336 * x ** 7)
        small = special.poch(x, 0.5) * np.sqrt(2 / d)
    large = d >= 100
    return np.where(large, np.exp(log_m1), small), np.where(large, -np.expm1(2 * log_m1), 1 - small * small)


class CornishFisher:
    """The noncentrality at which the noncentral t's CDF at ``tval`` (``df``
    degrees of freedom) is Phi(z): T <= t exactly when W = Z - t s <= -ncp,
    with s = chi_df / sqrt(df), and the quantile of W is taken from its first
    three cumulants (Cornish-Fisher, to the skewness term). A starting point
    and a model of the CDF's shape for ``probit_roots``, not a result: its
    error is a few 1e-6 of the root at df = 199 and t = 17.5, larger at df <= 3.

    E[s] = sqrt(2 / df) Gamma((df + 1) / 2) / Gamma(df / 2), E[s^2] = 1,
    E[s^3] = E[s] (df + 1) / df and E[s^4] = (df + 2) / df give the cumulants
    of s, those of W follow. With ``fourth``, the expansion goes on to the
    fourth cumulant (the kurtosis term and the skewness's square): the start
    ``ncp_root`` takes one evaluation from where the groups are large
    (``one_evaluation_settles``). The fourth cumulant of s is
    4 k2 (1 + 1/df) - 2/df - 6 k2^2, with E[s] and k2 = Var(s) from
    ``chi_mean`` (accurate to the last digits, which this cancels).

    Examples:
        >>> round(float(CornishFisher(0.0, 7)(-1.959964)), 6)
        1.959964
        >>> z = -1.959963984540054  # the probit of 0.025: the upper limit's root, 33.524899
        >>> [round(float(CornishFisher(30.0, 199, fourth=f)(z)), 6) for f in (False, True)]
        [33.525109, 33.524889]
    """

    def __init__(self, tval, df, fourth: bool = False):
        t, d = np.asarray(tval, float), np.asarray(df, float)
        m1, k2 = chi_mean(d)
        var = 1 + t * t * k2
        self.mean, self.sd = t * m1, np.sqrt(var)
        self.skew = -t ** 3 * m1 * (1 / d - 2 * k2) / var ** 1.5
        self.kurt = t ** 4 * (4 * k2 * (1 + 1 / d) - 2 / d - 6 * k2 * k2) / var ** 2 if fourth else None

    def __call__(self, z, idx=...):
        """The noncentrality for probits ``z`` of the elements ``idx``."""
        g1 = self.skew[idx]
        w = z + g1 * (z * z - 1) / 6
        if self.kurt is not None:
            w = w + self.kurt[idx] * (z ** 3 - 3 * z) / 24 - g1 * g1 * (2 * z ** 3 - 5 * z) / 36
        return self.mean[idx] - self.sd[idx] * w


def probit_roots(cdf, model, z, maxit: int = 12):
    """x with cdf(x) = Phi(z) for every element at once, for a CDF falling in
    x and a close model of its inverse; NaN where the search fails.

    ``cdf(x, idx)`` gives the CDF of the elements ``idx`` at x,
    ``model(z, idx)`` the model's x for probits z (``CornishFisher``). The
    start is x0 = model(z); the first step moves it by the model's own change
    between z and the probit reached, x1 = x0 + model(z) - model(probit(cdf(x0))),
    which leaves only the model's error in its slope; then the secant method
    on the probit of the CDF, nearly linear in x. An element stops when its
    step is under 1e-5 of max(1, |x|) and the product of its last two steps
    (which bounds the next error, the secant's error being about
    M e_k e_(k-1) with M = |g''/(2 g')| < 1 here) under 1e-12 of it. With
    ``maxit=0``, x1 itself: the root from one evaluation, for a model close
    enough (``one_evaluation_settles``).

    Example:
        >>> m = CornishFisher(np.array([2.1, 2.1]), np.array([5.0, 5.0]))
        >>> cdf = lambda x, idx: nct_cdf(2.1, 5, x)
        >>> [round(float(v), 9) for v in probit_roots(cdf, m, special.ndtri(np.array([0.975, 0.025])))]
        [-0.302515896, 4.363287663]
    """
    z = np.asarray(z, float)
    out = np.full(z.shape, np.nan)
    idx = np.arange(z.size)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        target = model(z, idx)
        x0 = target
        g0 = special.ndtri(cdf(x0, idx))
        x1 = x0 + target - model(g0, idx)
        if maxit == 0:
            return np.where(np.isfinite(x1), x1, np.nan)
        last = np.abs(x1 - x0)
        for _ in range(maxit):
            g1 = special.ndtri(cdf(x1, idx))
            secant = x1 - (g1 - z[idx]) * (x1 - x0) / (g1 - g0)
            # no secant where two points coincide (a start already at the root): the model's step
            x2 = np.where(np.isfinite(secant) & (x1 != x0), secant, x1 + target - model(g1, idx))
            step, scale = np.abs(x2 - x1), np.maximum(1.0, np.abs(x2))
            done = (step <= 1e-5 * scale) & (step * last <= 1e-12 * scale)
            out[idx[done]] = x2[done]
            go = ~done & np.isfinite(x2)  # NaN or inf: a saturated CDF, left to the caller
            if not go.any():
                break
            idx, target, x0, g0, x1, last = idx[go], target[go], x1[go], g1[go], x2[go], step[go]
    return out


def ncp_root(tval, df, prob):
    """The noncentrality parameter at which P(T <= tval) = prob (arrays broadcast).

    Parameters
    ----------
    tval : array_like
        Observed t values.
    df : array_like
        Degrees of freedom (>= 1; NaN where less, or where t is not finite).
    prob : array_like
        The probability, e.g. 0.975 for the lower limit of a 95% interval.

    Returns
    -------
    ndarray or float
        The roots, shaped as the broadcast inputs.

    Notes
    -----
    The CDF falls as ncp grows, so the root is unique. ``probit_roots``
    finds it for all elements at once from the Cornish-Fisher start
    (``CornishFisher``), in two evaluations of the CDF where df is not tiny
    (3e-14 from the root), in one where the group is large and t not
    extreme (``one_evaluation_settles``: 5e-11 from the root at most); an
    element it cannot settle (a start far off at df <= 3, a CDF that is 0
    or 1 to double precision there) is left to ``ncp_root_bracketed``, the
    bracketing search it is tested against (to 1e-9 relative, on a grid of t
    and df from 1 to 10^6). Both equal R
    ``uniroot(function(nc) pt(t, df, nc) - prob, ..., tol = 1e-15)`` where
    R's ``pt`` is exact (ncp below 37.62 and df up to 4e5), and beyond that
    the root of the 20-digit mpmath CDF (tests/stats/test_dz_interval.py).

    Examples
    --------
    >>> round(float(ncp_root(0.0, 7, 0.025)), 6)
    1.959964
    """
    return _where_defined(_secant_search, tval, df, prob)


def _where_defined(search, tval, df, prob):
    """search(t, df, prob) on the flat elements with a finite t and df >= 1;
    NaN for the others; shaped as the broadcast inputs."""
    t, d, p = np.broadcast_arrays(*(np.asarray(a, float) for a in (tval, df, prob)))
    out = np.full(t.size, np.nan)
    ok = (np.isfinite(t) & (d >= 1)).ravel()
    if ok.any():
        out[ok] = search(t.ravel()[ok], d.ravel()[ok], p.ravel()[ok])
    return out.reshape(t.shape)[()]


def one_evaluation_settles(tval, df, prob):
    """Where ``ncp_root`` takes its root from one evaluation of the CDF:
    100 <= df <= 2,000, |t| <= df / 4.5 and 0.005 <= prob <= 0.995.

    There the fourth-order Cornish-Fisher start (``CornishFisher(...,
    fourth=True)``) is within about 1e-6 of the root, and the model's step
    from one exact evaluation (``probit_roots`` with ``maxit=0``) leaves it
    within 5e-11 of the root (relative to max(1, |root|)): 4.4e-11 at most
    over 400,000 random points of the region (df not only whole, |t| at the
    bounds for half of them, 11 probabilities from 0.005 to 0.995) and
    4.3e-11 over every whole df from 100 to 2,000 at the bounds, against the
    two-evaluation root; the worst at df near 100, falling fast with df
    (5e-13 from df = 1,000). The bounds are where that holds with room: at
    df = 100 the error reaches 5e-11 from |t| = 25, at df = 150 from 37;
    beyond df = 2,000 it is not checked. Elsewhere, the two evaluations of
    the secant (3e-14). A group of 200 takes one evaluation instead of two:
    at 500 such groups the second was about 2.5 ms of
    ``compare(by="opd")``'s 16.

    Example:
        >>> one_evaluation_settles(np.array([10.0, 10.0, 40.0]), np.array([99.0, 199.0, 149.0]), 0.975)
        array([False,  True, False])
    """
    t, d, p = np.broadcast_arrays(*(np.asarray(a, float) for a in (tval, df, prob)))
    return (d >= 100) & (d <= 2000) & (np.abs(t) <= d / 4.5) & (p >= 0.005) & (p <= 0.995)


def _secant_search(t, d, p):
    x = np.full(t.shape, np.nan)
    one = one_evaluation_settles(t, d, p)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        for part, fourth, maxit in ((one, True, 0), (~one, False, 12)):  # one evaluation, or the secant
            if part.any():
                tp, dp = t[part], d[part]
                x[part] = probit_roots(lambda x, idx: nct_cdf(tp[idx], dp[idx], x),
                                       CornishFisher(tp, dp, fourth=fourth), special.ndtri(p[part]), maxit)
    left = np.isnan(x)
    if left.any():
        x[left] = _bracketed_search(t[left], d[left], p[left])
    return x


def ncp_root_bracketed(tval, df, prob):
    """``ncp_root`` by a bracketing search: slower, the reference it is
    tested against and its fallback.

    A bracket around the normal approximation

        ncp ~ t (1 - 1 / (4 df)) - z_prob * sqrt(1 + t^2 / (2 df))

    (off by up to one standard error at df = 1) is widened until it holds the
    root (``optimize.elementwise.bracket_root``), and the root is found by
    Chandrupatla's method (``optimize.elementwise.find_root``) to 1e-14,
    relative, for all elements at once.

    References
    ----------
    .. [1] Chandrupatla, T. R. (1997). A new hybrid quadratic/bisection
       algorithm for finding the zero of a nonlinear function without using
       derivatives. Advances in Engineering Software, 28(3), 145-149.

    Examples
    --------
    >>> round(float(ncp_root_bracketed(0.0, 7, 0.025)), 6)
    1.959964
    """
    return _where_defined(_bracketed_search, tval, df, prob)


def _bracketed_search(t, d, p):
    se = np.sqrt(1 + t * t / (2 * d))
    guess = t * (1 - 1 / (4 * d)) - special.ndtri(p) * se
    step = se * np.minimum(1, 0.02 + 1 / d)  # the start is rougher at small df
    br = elementwise.bracket_root(_distance, guess - step, guess + step, args=(t, d, p))
    res = elementwise.find_root(_distance, br.bracket, args=(t, d, p),
                                tolerances={"xatol": 1e-14, "xrtol": 1e-14})
    return np.where(br.success & res.success, res.x, np.nan)


def ncp_interval(tval, df, confidence: float = 0.95):
    """Confidence limits for the noncentrality parameter of an observed t.

    Parameters
    ----------
    tval : array_like
        Observed t values (t = d_z * sqrt(n) for a paired mean difference).
    df : array_like
        Degrees of freedom.
    confidence : float, default 0.95
        Confidence level.

    Returns
    -------
    (ndarray, ndarray)
        Lower and upper limits of the noncentrality parameter.

    Notes
    -----
    The limits are the values delta_L < delta_U with

        P(T <= t | df, delta_L) = 1 - alpha / 2,
        P(T <= t | df, delta_U) = alpha / 2,

    found by ``ncp_root`` in one search for both. Dividing by sqrt(n) gives
    the interval of d_z; multiplying by sqrt(1/n_x + 1/n_y), that of d_s.
    This is the "pivoting" of Steiger & Fouladi [1]_, explained by Cumming &
    Finch [2]_.

    References
    ----------
    .. [1] Steiger, J. H., & Fouladi, R. T. (1997). Noncentrality interval
       estimation and the evaluation of statistical models. In L. L. Harlow,
       S. A. Mulaik & J. H. Steiger (Eds.), What if there were no significance
       tests? (pp. 221-257). Erlbaum.
    .. [2] Cumming, G., & Finch, S. (2001). A primer on the understanding, use,
       and calculation of confidence intervals that are based on central and
       noncentral distributions. Educational and Psychological Measurement,
       61(4), 532-574.

    Examples
    --------
    >>> lo, hi = ncp_interval(0.0, 7)
    >>> round(float(lo), 6), round(float(hi), 6)
    (-1.959964, 1.959964)
    """
    alpha = 1 - confidence
    t, d = np.broadcast_arrays(np.asarray(tval, float), np.asarray(df, float))
    both = ncp_root(np.stack([t, t]), np.stack([d, d]),
                    np.array([1 - alpha / 2, alpha / 2]).reshape((2,) + (1,) * t.ndim))
    return both[0][()], both[1][()]


def hedges_j(df):
    """Hedges' exact small-sample factor J(df); NaN for df <= 1.

    Parameters
    ----------
    df : array_like
        Degrees of freedom (n - 1 paired, n_x + n_y - 2 unpaired).

    Returns
    -------
    ndarray or float
        J, which turns d into the unbiased g = J * d.

    Notes
    -----
    J(df) = Gamma(df / 2) / (sqrt(df / 2) * Gamma((df - 1) / 2)), computed on
    the log scale so that large df do not overflow; the familiar
    1 - 3 / (4 df - 1) is its approximation. As R
    ``effectsize::hedges_g`` (which uses the exact form).

    References
    ----------
    .. [1] Hedges, L. V. (1981). Distribution theory for Glass's estimator of
       effect size and related estimators. Journal of Educational Statistics,
       6(2), 107-128.

    Examples
    --------
    >>> round(float(hedges_j(9)), 6), round(1 - 3 / (4 * 9 - 1), 6)
    (0.913875, 0.914286)
    """
    df = np.asarray(df, float)
    with np.errstate(invalid="ignore", divide="ignore"):
        j = np.exp(special.gammaln(df / 2) - 0.5 * np.log(df / 2) - special.gammaln((df - 1) / 2))
    return np.where(df > 1, j, np.nan)[()]
